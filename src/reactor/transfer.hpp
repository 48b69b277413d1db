// One HTTP exchange on a reusable curl easy handle: options from a transfer_spec, the response
// written into the request's arena (or handed to a sink, for streams), headers of interest kept.
#pragma once

#include <curl/curl.h>

#include <cstddef>
#include <string_view>

#include "core/arena.hpp"
#include "replicate/http.hpp"

namespace replicate::detail {

struct reactor;

// A sink's return value that asks curl to pause the transfer (CURL_WRITEFUNC_PAUSE).
constexpr std::size_t transfer_pause = static_cast<std::size_t>(-1);

struct transfer_spec {
  http_method method = http_method::get;
  const char* url = nullptr;      // NUL-terminated, in the arena
  curl_slist* headers = nullptr;  // nodes in the arena; curl only reads them
  std::string_view body;          // in the arena or caller-owned
  const body_source* body_stream = nullptr;
  long timeout_ms = 0;  // 0: none (streams)
  long connect_timeout_ms = 10000;
  const char* ca_path = nullptr;
  const char* user_agent = nullptr;
  bool follow_redirects = false;
  // Streams: each chunk of body goes here instead of the arena. Returns bytes consumed (all of
  // them) or transfer_pause.
  std::size_t (*sink)(void* user, const char* data, std::size_t len) = nullptr;
  void* sink_user = nullptr;
  // Optional: rewrites the body on its way into the arena (at most 2 bytes longer than its
  // input per call). Returns the bytes written to out.
  std::size_t (*filter)(void* state, const char* in, std::size_t len, char* out) = nullptr;
  void* filter_state = nullptr;
  // Called once when the status line and headers are complete, before any body byte.
  void (*on_headers)(void* user, long status) = nullptr;
};

struct transfer {
  CURL* easy = nullptr;
  reactor* owner = nullptr;
  void* user = nullptr;  // the owner's context, found again from the easy handle
  arena* a = nullptr;
  transfer_spec spec;
  // Response.
  long status = 0;
  char* body = nullptr;
  std::size_t body_len = 0;
  std::size_t body_room = 0;
  bool body_started = false;
  bool overflow = false;  // the response did not fit the arena: the transfer was aborted
  bool headers_done = false;
  std::string_view content_type;
  std::string_view location;
  std::string_view retry_after;
  // Request body progress.
  std::size_t body_sent = 0;
};

// Creates the easy handle the first time; resets and configures it for spec. Returns false if
// curl refuses an option.
bool transfer_prepare(transfer* t, reactor* r, arena* a, const transfer_spec& spec) noexcept;
// The transfer a finished easy handle belongs to.
transfer* transfer_from_easy(CURL* easy) noexcept;
// Finishes the response: claims the body's bytes in the arena. Call after completion.
void transfer_finish(transfer* t) noexcept;
// Rewinds the response state for a retry (the caller resets the arena to its request mark).
void transfer_reset_response(transfer* t) noexcept;
void transfer_destroy(transfer* t) noexcept;

// Builds a curl header list node in the arena ("Name: value"); nullptr when full.
curl_slist* transfer_header(arena* a, curl_slist* list, std::string_view name,
                            std::string_view value) noexcept;
// Category of a curl failure.
bool transfer_error_is_connect(CURLcode code) noexcept;
bool transfer_error_is_timeout(CURLcode code) noexcept;
const char* transfer_error_text(CURLcode code) noexcept;

}  // namespace replicate::detail
