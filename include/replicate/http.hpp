// The low-level request surface: any endpoint, any method, with caller-owned views.
//
// Lifetime rule (libuv's uv_write rule): every view and pointer in request_params must stay valid
// until the request's callback fires, because a request that waits for a free arena is built
// only when it starts. Views handed to callbacks are valid only during the callback.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "replicate/export.hpp"

namespace replicate {

enum class http_method : std::uint8_t { get, post, put, patch, del, head, query };

// "GET", "POST", ..., "QUERY" (Replicate's models.search uses the QUERY method).
REPLICATE_API std::string_view http_method_name(http_method m) noexcept;

struct header {
  std::string_view name;
  std::string_view value;
};

struct query_param {
  std::string_view name;
  std::string_view value;  // URL-encoded by the library
};

// A body produced on demand while curl sends it (data URIs, multipart uploads). read() fills at
// most size bytes and returns how many it wrote; 0 means the end. rewind() restarts it for a
// retry; a source without rewind is never replayed.
struct body_source {
  std::size_t (*read)(void* ctx, char* buf, std::size_t size) = nullptr;
  bool (*rewind)(void* ctx) = nullptr;
  void* ctx = nullptr;
  std::int64_t length = -1;  // bytes, or -1 when unknown (sent chunked)
};

struct request_params {
  http_method method = http_method::get;
  // Relative to client_options::base_url ("/predictions") or an absolute URL (a `next` link).
  std::string_view route;
  const query_param* query = nullptr;
  std::size_t query_count = 0;
  std::string_view body;  // sent as is; ignored when body_stream is set
  const body_source* body_stream = nullptr;
  std::string_view content_type = "application/json";  // used when there is a body
  const header* headers = nullptr;  // extra headers; they override the defaults of the same name
  std::size_t header_count = 0;
  std::chrono::milliseconds timeout{0};  // whole transfer; 0 means client_options::request_timeout
};

// A completed HTTP exchange. Views point into the request's arena, valid only during the callback.
struct response {
  int status = 0;
  std::string_view body;
  std::string_view content_type;
  std::string_view location;  // Location header, if any
};

// Passed to client_options::on_request before each attempt is sent (the custom-fetch hook of the
// Node client): it may read the request and add or replace headers. Views are valid during the
// call; added values are copied.
class request_editor {
 public:
  virtual http_method method() const noexcept = 0;
  virtual std::string_view url() const noexcept = 0;
  virtual unsigned attempt() const noexcept = 0;  // 1 for the first try
  // Adds a header, or replaces one of the same name. False when the arena is full.
  virtual bool set_header(std::string_view name, std::string_view value) noexcept = 0;

 protected:
  ~request_editor() = default;
};

using request_hook = void (*)(void* user, request_editor& request);

}  // namespace replicate
