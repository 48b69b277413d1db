// File outputs: streaming a prediction's output files (http(s) URLs or data: URIs) to a file or
// a write callback, with bounded memory and backpressure. The Node client's FileOutput, without
// holding a file in memory.
//
// - A URL is fetched with GET, following redirects. The API token goes only to the API's own
//   origin (never to replicate.delivery or a redirect's host). A download is never retried: its
//   bytes may already be written. An HTTP error is errc::http_status / not_found with the status
//   and the server's detail.
// - A data: URI (base64 or percent-encoded) is decoded in slices, never whole.
// - To a path: written with uv_fs_write through a buffer of REPLICATE_FILE_OUTPUT_BUFFER bytes;
//   the transfer pauses while the disk catches up.
// - To a callback: each chunk is handed over; returning file_output_pause pauses the transfer and
//   the same chunk is handed again after file_output::resume().
//
// The handle is the caller's (libuv style): it embeds a uv timer, must not move, and must stay
// alive until `done` fires; it can be started again after that.
#pragma once

#include <uv.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "replicate/client.hpp"
#include "replicate/export.hpp"

namespace replicate {

// Returned by a write callback to pause; the chunk is offered again after resume().
inline constexpr std::size_t file_output_pause = static_cast<std::size_t>(-1);

// Consumes data[0..len) and returns len, or file_output_pause. Any other value aborts the
// download with invalid_argument. `data` is valid only during the call.
using file_output_write_cb = std::size_t (*)(void* user, const char* data, std::size_t len);
// bytes: how many bytes reached the sink. The handle is idle (and reusable) when this fires.
using file_output_done_cb = void (*)(void* user, const error& err, std::uint64_t bytes);

struct file_output_target {
  std::string_view path;  // created or truncated (mode 0644); or:
  file_output_write_cb write = nullptr;
  void* write_user = nullptr;
};

#ifndef REPLICATE_FILE_OUTPUT_BUFFER
#define REPLICATE_FILE_OUTPUT_BUFFER (64 * 1024)  // per handle; bounds memory per download
#endif
#ifndef REPLICATE_FILE_OUTPUT_URL_MAX
#define REPLICATE_FILE_OUTPUT_URL_MAX 2048
#endif

class REPLICATE_API file_output {
 public:
  file_output() = default;
  ~file_output() = default;
  file_output(const file_output&) = delete;
  file_output& operator=(const file_output&) = delete;

  // Starts streaming `source` (an http(s) URL, or a data: URI, possibly still JSON-escaped as
  // output_files_each() hands it) to `target`. A URL is copied; a data URI is read in place, so
  // it must stay valid until `done` fires (libuv's uv_write rule; an owned_prediction's
  // output_json does). Errors before anything starts (bad source, a path that cannot be
  // created, a busy handle) are returned and `done` never fires; otherwise it fires once.
  [[nodiscard]] error start(client& c, std::string_view source, const file_output_target& target,
                            file_output_done_cb done, void* user);
  // Continues after the write callback returned file_output_pause. not_found when not paused.
  [[nodiscard]] error resume();
  [[nodiscard]] bool active() const noexcept { return active_; }
  [[nodiscard]] std::uint64_t bytes() const noexcept { return bytes_; }

  // Private (libuv style: visible for sizing, not for use).
  uv_timer_t timer_;
  uv_fs_t fs_;
  detail::client_impl* impl_ = nullptr;
  file_output_done_cb done_ = nullptr;
  void* user_ = nullptr;
  file_output_write_cb write_ = nullptr;
  void* write_user_ = nullptr;
  std::uint64_t request_ = 0;
  std::uint64_t bytes_ = 0;
  std::uint64_t file_offset_ = 0;
  int fd_ = -1;
  bool active_ = false;
  bool is_data_ = false;
  bool base64_ = false;
  bool paused_ = false;           // the write callback asked for a pause
  bool transfer_paused_ = false;  // curl is paused waiting for the buffer to drain
  bool transfer_done_ = false;
  bool writing_ = false;  // a uv_fs_write is in flight
  bool finishing_ = false;
  error err_;
  std::string_view data_;  // the rest of a data URI's payload
  std::uint32_t b64_acc_ = 0;
  int b64_bits_ = 0;
  std::size_t pending_ = 0;  // bytes held in buf_ (decoded or received, not yet at the sink)
  uv_buf_t iov_;
  char url_[REPLICATE_FILE_OUTPUT_URL_MAX];
  char buf_[REPLICATE_FILE_OUTPUT_BUFFER];
};

// Calls each(user, index, source) for every string in a prediction's output JSON (a string, or
// strings nested in arrays and objects, in document order) that is an http(s) URL or a data:
// URI. `source` is the raw JSON string text inside output_json (escapes such as "\/" kept;
// file_output::start understands them), so it lives as long as output_json. each returns false
// to stop. invalid_json when output_json is not JSON.
[[nodiscard]] REPLICATE_API error output_files_each(std::string_view output_json,
                                                    bool (*each)(void* user, std::size_t index,
                                                                 std::string_view source),
                                                    void* user);

}  // namespace replicate
