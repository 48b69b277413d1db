// Base64 and data URIs for prediction inputs: a fast table-driven base64 encoder (one-shot,
// streaming with a carry, and random access into the output), and input_body, a body_source that
// produces a prediction's whole `input` object with images inlined as data URIs while curl sends
// it.
//
// Why not mbedTLS: its base64 is constant-time (CVE-2021-24119) and about 30x slower. Camera
// frames are not secrets; secrets (webhook keys) still go through mbedTLS in crypto/.
//
// Memory. input_body copies the small parts (field names, JSON values, MIME types) into a text
// buffer at init and never copies a frame: each frame's base64 is produced straight into curl's
// buffer, a chunk at a time, so the base64 string never exists whole in memory.
//
// Inline or upload. Data URIs grow a request by 4/3 and are resent on every retry; the API (like
// the Node client) caps inline data at 10 MB per prediction. For larger frames, upload them with
// client.files().create() (replicate/files.hpp) and pass the file's url_get as a plain JSON
// string field instead.
//
// Nothing here is thread-safe; different objects are independent. Nothing allocates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "replicate/error.hpp"
#include "replicate/export.hpp"
#include "replicate/http.hpp"

// Most fields one input_body holds. Possible values: 1 to 255. Default value: 16 (a prediction
// input rarely has more). Sizes input_body by about 72 bytes a field; the library and its users
// must be built with the same value. More fields are invalid_argument.
#ifndef REPLICATE_INPUT_MAX_FIELDS
#define REPLICATE_INPUT_MAX_FIELDS 16
#endif

// Bytes of the text buffer inside input_body: the JSON punctuation, escaped field names, JSON
// values and data-URI prefixes of one input. Possible values: 64 and up. Default value: 2048 (a
// prompt and a few options); lend a larger buffer with input_body_options::text_buffer for long
// JSON values. Text that does not fit is input_too_large, never truncated.
#ifndef REPLICATE_INPUT_TEXT_CAPACITY
#define REPLICATE_INPUT_TEXT_CAPACITY 2048
#endif

namespace replicate {

// ---- base64 (RFC 4648 section 4, standard alphabet, with padding)
// --------------------------------

// Characters of the encoding of n bytes: 4 * ceil(n / 3).
[[nodiscard]] constexpr std::size_t base64_encoded_size(std::size_t n) noexcept {
  return (n / 3 + (n % 3 != 0 ? 1 : 0)) * 4;
}

// One-shot: writes base64_encoded_size(size) characters to out (no terminating NUL) and returns
// that count. data may be null when size is 0. out must not overlap data.
REPLICATE_API std::size_t base64_encode(const void* data, std::size_t size, char* out) noexcept;

// Random access into an encoding: writes the characters [offset, offset + out_size) of the
// encoding of data (clipped to its end) and returns how many it wrote. This is what a body
// source calls when curl asks for a buffer of any size: no state is kept between calls, and each
// call costs O(out_size).
REPLICATE_API std::size_t base64_encode_slice(const void* data, std::size_t size,
                                              std::size_t offset, char* out,
                                              std::size_t out_size) noexcept;

// Streaming encoder for input that arrives in pieces: each update encodes the whole 3-byte groups
// of (carried bytes + piece) and carries the 0-2 bytes left over; finish writes the padded last
// group. The concatenated output equals base64_encode of the concatenated input. 3 bytes, all
// members private; zero-initialised or base64_encoder_init'ed means empty.
struct base64_encoder {
  unsigned char carry_[2];
  std::uint8_t carry_size_;
};

REPLICATE_API void base64_encoder_init(base64_encoder* e) noexcept;

// Most characters one update of n bytes writes, whatever the carry: base64_encoded_size(n).
[[nodiscard]] constexpr std::size_t base64_encoder_update_bound(std::size_t n) noexcept {
  return base64_encoded_size(n);
}

// Encodes data[0, size) after the carried bytes into out (room for
// base64_encoder_update_bound(size) characters) and returns the characters written (a multiple
// of 4). data is read only during the call.
REPLICATE_API std::size_t base64_encoder_update(base64_encoder* e, const void* data,
                                                std::size_t size, char* out) noexcept;

// Writes the last group (0 or 4 characters, padded with '=') to out and empties the encoder.
REPLICATE_API std::size_t base64_encoder_finish(base64_encoder* e, char* out) noexcept;

// ---- input_body: the prediction input as a streamed JSON object ---------------------------------

// Called once, by input_body_close (or the destructor), for a frame handed over with it. `data` is
// the field's data pointer. It may free the frame or give it back to its frame source (see
// frame_source_release_data in replicate/frame_source.hpp).
using input_release_cb = void (*)(void* user, const void* data);

enum class input_kind : std::uint8_t {
  json = 0,      // name: raw JSON text, sent as is
  data_uri = 1,  // name: "data:<mime>;base64,<data>"
};

// One field of the input object. Build them with input_json() and input_data_uri() below.
struct input_field {
  input_kind kind = input_kind::json;
  std::string_view name;  // any text; JSON-escaped. Copied at init.
  std::string_view json;  // json: a JSON value ("\"a cat\"", "0.7", "[1,2]"). Copied at init.
  // data_uri: the bytes, lent until input_body_close (see Ownership on input_body_init).
  const void* data = nullptr;
  std::size_t size = 0;
  std::string_view mime_type = "image/jpeg";  // data_uri: type/subtype (RFC 2045 tokens). Copied.
  input_release_cb release = nullptr;         // data_uri: null keeps ownership with the caller
  void* release_user = nullptr;
};

[[nodiscard]] inline input_field input_json(std::string_view name, std::string_view json) noexcept {
  input_field f;
  f.kind = input_kind::json;
  f.name = name;
  f.json = json;
  return f;
}

[[nodiscard]] inline input_field input_data_uri(std::string_view name, const void* data,
                                                std::size_t size,
                                                std::string_view mime_type = "image/jpeg",
                                                input_release_cb release = nullptr,
                                                void* release_user = nullptr) noexcept {
  input_field f;
  f.kind = input_kind::data_uri;
  f.name = name;
  f.data = data;
  f.size = size;
  f.mime_type = mime_type;
  f.release = release;
  f.release_user = release_user;
  return f;
}

struct input_body_options {
  // Cap on the raw bytes of all data_uri fields together (before base64). Default value:
  // 10,000,000, the Node client's limit for inline data. Above it, upload with files().create().
  std::size_t max_inline_bytes = 10'000'000;
  // A larger text buffer than the built-in REPLICATE_INPUT_TEXT_CAPACITY bytes, lent until
  // input_body_close; null uses the built-in one.
  char* text_buffer = nullptr;
  std::size_t text_capacity = 0;
};

// A body_source producing {"name":<json>,"image":"data:image/jpeg;base64,...",...} in field
// order. Allocated by the caller (stack, member, arena); neither copyable nor movable, because
// `source.ctx` points at it. All members but `source` are private.
struct REPLICATE_API input_body {
  // Read-only for the caller: pass &body.source as prediction_create_params::input_stream (or as
  // request_params::body_stream). length is exact, so curl sends a Content-Length; rewind
  // restarts it for a retry.
  body_source source;

  input_body() noexcept;
  ~input_body();  // input_body_close
  input_body(const input_body&) = delete;
  input_body& operator=(const input_body&) = delete;

  struct piece_ {
    const char* data;
    std::size_t size;  // raw bytes; a base64 segment produces base64_encoded_size(size)
    bool base64;
  };
  struct release_ {
    input_release_cb cb;
    void* user;
    const void* data;
  };
  piece_ pieces_[2 * REPLICATE_INPUT_MAX_FIELDS + 1];
  release_ releases_[REPLICATE_INPUT_MAX_FIELDS];
  std::size_t piece_count_;
  std::size_t release_count_;
  std::size_t cursor_;        // read position: piece index
  std::size_t offset_;        // and output offset inside it
  std::uint64_t produced_;    // bytes produced since the last init or rewind
  std::size_t inline_bytes_;  // raw bytes of the data_uri fields
  bool open_;
  char text_[REPLICATE_INPUT_TEXT_CAPACITY];
};

// Describes the input object of `count` fields (up to REPLICATE_INPUT_MAX_FIELDS) and readies
// body->source. Validates everything before anything is sent:
//   invalid_argument  more than REPLICATE_INPUT_MAX_FIELDS fields, an empty name, an empty JSON
//                     value, a data_uri field with a null data pointer and a non-zero size, a
//                     MIME type that is not token/token (no parameters, quotes, spaces or
//                     control characters; at most 127 characters each side).
//   input_too_large   data_uri bytes above options.max_inline_bytes (upload the frame with
//                     files().create() instead), or names, JSON values and MIME types that do
//                     not fit the text buffer.
// An open body is closed first (its releases fire).
//
// Ownership. `fields` and every string in it are copied: they may die when this returns. Frame
// bytes are lent, never copied: keep each frame alive and unchanged until the request that sends
// body->source has completed (its callback fired) and input_body_close has been called (libuv's
// uv_write rule; a retry re-reads them). A field with `release` hands its frame over instead:
// release(release_user, data) is called exactly once, by input_body_close or the destructor. On
// an error nothing is taken: no release fires and the frames stay the caller's.
[[nodiscard]] REPLICATE_API error input_body_init(input_body* body, const input_field* fields,
                                                  std::size_t count,
                                                  const input_body_options& options = {}) noexcept;

// Ends the body: fires each handed-over frame's release once and makes source.read return 0.
// Call it when the request's callback has fired. Idempotent; the destructor calls it.
REPLICATE_API void input_body_close(input_body* body) noexcept;

}  // namespace replicate
