// replicate::errc, replicate::error and replicate::result<T>.
//
// Every failure the library reports has one named code from the table below. Numbers are explicit
// and never reused; a new code takes a new number. Codes are grouped so a caller can tell who
// failed: the caller's arguments, a local limit, the transport, the API, or the prediction itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

#include "replicate/export.hpp"

namespace replicate {

// X(name, number, message)
#define REPLICATE_ERRC_MAP(X)                                                                      \
  X(ok, 0, "success")                                                                              \
  /* The caller's arguments (1xx): nothing was sent. */                                            \
  X(invalid_argument, 100, "invalid argument")                                                     \
  X(invalid_identifier, 101,                                                                       \
    "model identifier is not owner/name, owner/name:version or a version id")                      \
  X(invalid_webhook, 102, "webhook is not an absolute http(s) URL")                                \
  X(invalid_webhook_event, 103, "unknown webhook event (expected start, output, logs, completed)") \
  X(invalid_url, 104, "URL is malformed")                                                          \
  X(invalid_json, 105, "input is not valid JSON")                                                  \
  X(missing_token, 106, "no API token: set REPLICATE_API_TOKEN or client_options::auth")           \
  X(not_initialized, 107, "client is not initialized or already closing")                          \
  /* Local limits (2xx): a limit was hit; nothing was truncated. */                                \
  X(pool_exhausted, 200, "all arenas are in use and the request queue is full")                    \
  X(arena_exhausted, 201, "request does not fit its arena")                                        \
  X(response_too_large, 202, "response body is larger than the arena allows")                      \
  X(event_too_large, 203, "server-sent event is larger than the configured maximum")               \
  X(too_many_operations, 204, "all operation slots are in use")                                    \
  X(too_many_streams, 206, "all stream slots are in use (client_options::max_streams)")            \
  X(input_too_large, 205, "inline input is larger than the configured cap")                        \
  /* Transport (3xx): the request did not get a complete HTTP answer. */                           \
  X(transport, 300, "transport failure (see curl_code)")                                           \
  X(timeout, 301, "request timed out")                                                             \
  X(connect_failed, 302, "could not connect")                                                      \
  X(stream_disconnected, 303, "stream ended before its done event")                                \
  /* The API answered with an error (4xx). */                                                      \
  X(http_status, 400, "API returned an error status")                                              \
  X(unauthenticated, 401, "API rejected the token (401)")                                          \
  X(not_found, 404, "API resource not found (404)")                                                \
  X(rate_limited, 429, "API rate limit hit and retries exhausted (429)")                           \
  X(bad_response, 450, "API response is not the JSON expected")                                    \
  X(stream_unsupported, 451, "the prediction has no stream URL (the model does not stream)")       \
  /* The prediction or training ran and did not succeed (5xx). */                                  \
  X(prediction_failed, 500, "prediction failed")                                                   \
  X(prediction_canceled, 501, "prediction was canceled")                                           \
  X(prediction_aborted, 502, "prediction was aborted before it started")                           \
  X(deadline_exceeded, 503, "wait deadline passed before the prediction finished")                 \
  X(stream_error, 504, "stream reported an error event")                                           \
  /* Lifecycle (6xx). */                                                                           \
  X(client_closed, 600, "client closed before the operation finished")                             \
  X(webhook_signature_invalid, 700, "webhook signature does not match")                            \
  X(webhook_timestamp_invalid, 701, "webhook timestamp missing, malformed or outside tolerance")   \
  X(webhook_header_invalid, 702, "webhook headers or secret are malformed")                        \
  X(device, 800, "frame source device failed")                                                     \
  X(file_io, 801, "reading or writing a local file failed")

enum class errc : std::uint16_t {
#define REPLICATE_ERRC_ENUM(name, number, message) name = number,
  REPLICATE_ERRC_MAP(REPLICATE_ERRC_ENUM)
#undef REPLICATE_ERRC_ENUM
};

// Name ("rate_limited") and message of a code; "unknown" for a number not in the table.
REPLICATE_API std::string_view errc_name(errc code) noexcept;
REPLICATE_API std::string_view errc_message(errc code) noexcept;

// The one error type. It owns its strings in fixed inline buffers, so it can be copied out of a
// callback and kept; no member points into library memory. A text longer than its buffer is cut
// at a UTF-8 boundary and `truncated` is set (it is diagnostic text, never data).
struct REPLICATE_API error {
  errc code = errc::ok;
  int http_status = 0;  // 0 when no HTTP answer was received
  int curl_code = 0;    // CURLcode of a transport failure, else 0
  bool truncated = false;

  char title[64] = {};              // RFC 7807 title from the API, if any
  char detail[384] = {};            // RFC 7807 detail, the model's error text, or our own context
  char prediction_id[48] = {};      // prediction or training id, when there is one
  char prediction_status[16] = {};  // its last known status

  constexpr error() = default;
  explicit error(errc c) : code(c) {}
  error(errc c, std::string_view detail_text);

  explicit operator bool() const noexcept { return code != errc::ok; }
  [[nodiscard]] std::string_view name() const noexcept { return errc_name(code); }
  [[nodiscard]] std::string_view message() const noexcept { return errc_message(code); }

  void set_title(std::string_view text) noexcept;
  void set_detail(std::string_view text) noexcept;
  void set_prediction(std::string_view id, std::string_view status) noexcept;

  // "name: message (HTTP 404, detail) [prediction abc]" into buf; returns the view written.
  std::string_view describe(char* buf, std::size_t size) const noexcept;
};

// A value or an error, never both. [[nodiscard]] so an error cannot be dropped silently.
template <typename T>
class [[nodiscard]] result {
 public:
  result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  result(error err) : error_(err) {}             // NOLINT
  result(errc code) : error_(code) {}            // NOLINT

  [[nodiscard]] bool ok() const noexcept { return error_.code == errc::ok; }
  explicit operator bool() const noexcept { return ok(); }
  [[nodiscard]] const error& err() const noexcept { return error_; }
  [[nodiscard]] T& value() & noexcept { return value_; }
  [[nodiscard]] const T& value() const& noexcept { return value_; }
  [[nodiscard]] T&& value() && noexcept { return std::move(value_); }
  T* operator->() noexcept { return &value_; }
  const T* operator->() const noexcept { return &value_; }

 private:
  T value_{};
  error error_{};
};

}  // namespace replicate
