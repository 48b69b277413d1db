// input_body: the prediction input as a list of segments, literal text (in the body's text
// buffer) and base64 of lent frames, read out in whatever chunk sizes curl asks for. The read
// position is (segment, offset) only, so rewind is free and a frame is encoded straight into
// curl's buffer.
#include <cstdio>
#include <cstring>

#include "replicate/data_uri.hpp"

namespace replicate {
namespace {

constexpr std::size_t k_max_mime_part = 127;  // RFC 6838 section 4.2

bool is_token_char(unsigned char c) noexcept {
  if (c <= 0x20 || c >= 0x7f) return false;  // controls, space, DEL, non-ASCII
  return std::strchr("()<>@,;:\\\"/[]?=", c) == nullptr;
}

bool mime_is_valid(std::string_view mime) noexcept {
  std::size_t slash = mime.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash > k_max_mime_part) return false;
  std::size_t sub = mime.size() - slash - 1;
  if (sub == 0 || sub > k_max_mime_part) return false;
  for (std::size_t i = 0; i < mime.size(); ++i) {
    if (i != slash && !is_token_char(static_cast<unsigned char>(mime[i]))) return false;
  }
  return true;
}

bool is_blank(std::string_view text) noexcept {
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

// Appends to the text buffer; false when it is full.
struct text_writer {
  char* buf;
  std::size_t cap;
  std::size_t len = 0;

  bool put(std::string_view s) noexcept {
    if (s.size() > cap - len) return false;
    if (!s.empty()) std::memcpy(buf + len, s.data(), s.size());
    len += s.size();
    return true;
  }
  bool put_escaped(std::string_view s) noexcept {
    for (char ch : s) {
      auto c = static_cast<unsigned char>(ch);
      char esc[7];
      std::string_view piece(&ch, 1);
      if (c == '"' || c == '\\') {
        esc[0] = '\\';
        esc[1] = ch;
        piece = std::string_view(esc, 2);
      } else if (c < 0x20) {
        std::snprintf(esc, sizeof esc, "\\u%04x", c);
        piece = std::string_view(esc, 6);
      }
      if (!put(piece)) return false;
    }
    return true;
  }
};

error invalid(const char* what, std::size_t index) {
  char buf[160];
  int n = std::snprintf(buf, sizeof buf, "input field %zu: %s", index, what);
  return error(errc::invalid_argument,
               std::string_view(buf, n > 0 ? static_cast<std::size_t>(n) : 0));
}

std::size_t piece_length(const input_body::piece_& s) noexcept {
  return s.base64 ? base64_encoded_size(s.size) : s.size;
}

std::size_t body_read(void* ctx, char* buf, std::size_t size) {
  auto* b = static_cast<input_body*>(ctx);
  if (!b->open_) return 0;
  std::size_t n = 0;
  while (n < size && b->cursor_ < b->piece_count_) {
    const input_body::piece_& s = b->pieces_[b->cursor_];
    std::size_t left = piece_length(s) - b->offset_;
    std::size_t take = left < size - n ? left : size - n;
    if (s.base64) {
      base64_encode_slice(s.data, s.size, b->offset_, buf + n, take);
    } else if (take > 0) {
      std::memcpy(buf + n, s.data + b->offset_, take);
    }
    n += take;
    b->offset_ += take;
    if (b->offset_ == piece_length(s)) {
      ++b->cursor_;
      b->offset_ = 0;
    }
  }
  b->produced_ += n;
  return n;
}

bool body_rewind(void* ctx) {
  auto* b = static_cast<input_body*>(ctx);
  if (!b->open_) return false;
  b->cursor_ = 0;
  b->offset_ = 0;
  b->produced_ = 0;
  return true;
}

}  // namespace

input_body::input_body() noexcept
    : source(),
      pieces_(),
      releases_(),
      piece_count_(0),
      release_count_(0),
      cursor_(0),
      offset_(0),
      produced_(0),
      inline_bytes_(0),
      open_(false) {}

input_body::~input_body() { input_body_close(this); }

error input_body_init(input_body* body, const input_field* fields, std::size_t count,
                      const input_body_options& options) noexcept {
  input_body_close(body);
  if (count > REPLICATE_INPUT_MAX_FIELDS) {
    char buf[96];
    int n =
        std::snprintf(buf, sizeof buf, "%zu input fields; at most %d (REPLICATE_INPUT_MAX_FIELDS)",
                      count, REPLICATE_INPUT_MAX_FIELDS);
    return error(errc::invalid_argument,
                 std::string_view(buf, n > 0 ? static_cast<std::size_t>(n) : 0));
  }
  if (count > 0 && fields == nullptr) return error(errc::invalid_argument, "fields is null");

  // Validate everything first, so a failed init takes nothing.
  std::size_t inline_bytes = 0;
  bool too_large = false;
  for (std::size_t i = 0; i < count; ++i) {
    const input_field& f = fields[i];
    if (f.name.empty()) return invalid("empty name", i);
    if (f.kind == input_kind::json) {
      if (is_blank(f.json)) return invalid("empty JSON value", i);
    } else if (f.kind == input_kind::data_uri) {
      if (f.data == nullptr && f.size > 0) return invalid("null data with a non-zero size", i);
      if (!mime_is_valid(f.mime_type))
        return invalid("MIME type is not type/subtype (RFC 2045 tokens, no parameters)", i);
      if (f.size > options.max_inline_bytes - inline_bytes) too_large = true;
      if (!too_large) inline_bytes += f.size;
    } else {
      return invalid("unknown kind", i);
    }
  }
  if (too_large) {
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < count; ++i) {
      if (fields[i].kind == input_kind::data_uri) total += fields[i].size;
    }
    char buf[256];
    int n =
        std::snprintf(buf, sizeof buf,
                      "%llu bytes of inline data exceed max_inline_bytes (%zu); upload the frame "
                      "with files().create() and pass its URL instead",
                      static_cast<unsigned long long>(total), options.max_inline_bytes);
    return error(errc::input_too_large,
                 std::string_view(buf, n > 0 ? static_cast<std::size_t>(n) : 0));
  }

  text_writer w{options.text_buffer != nullptr ? options.text_buffer : body->text_,
                options.text_buffer != nullptr ? options.text_capacity : sizeof body->text_};
  std::size_t seg = 0;
  std::size_t text_start = 0;
  bool ok = w.put("{");
  for (std::size_t i = 0; ok && i < count; ++i) {
    const input_field& f = fields[i];
    ok = (i == 0 || w.put(",")) && w.put("\"") && w.put_escaped(f.name) && w.put("\":");
    if (!ok) break;
    if (f.kind == input_kind::json) {
      ok = w.put(f.json);
    } else {
      ok = w.put("\"data:") && w.put(f.mime_type) && w.put(";base64,");
      if (!ok) break;
      body->pieces_[seg++] = {w.buf + text_start, w.len - text_start, false};
      body->pieces_[seg++] = {static_cast<const char*>(f.data), f.size, true};
      text_start = w.len;
      ok = w.put("\"");
    }
  }
  ok = ok && w.put("}");
  if (!ok) {
    char buf[200];
    int n = std::snprintf(buf, sizeof buf,
                          "field names, JSON values and MIME types exceed the %zu-byte text buffer "
                          "(lend a larger one with input_body_options::text_buffer)",
                          w.cap);
    return error(errc::input_too_large,
                 std::string_view(buf, n > 0 ? static_cast<std::size_t>(n) : 0));
  }
  body->pieces_[seg++] = {w.buf + text_start, w.len - text_start, false};
  std::uint64_t length = 0;
  for (std::size_t i = 0; i < seg; ++i) {
    length += piece_length(body->pieces_[i]);
  }

  body->piece_count_ = seg;
  body->release_count_ = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const input_field& f = fields[i];
    if (f.kind == input_kind::data_uri && f.release != nullptr)
      body->releases_[body->release_count_++] = {f.release, f.release_user, f.data};
  }
  body->cursor_ = 0;
  body->offset_ = 0;
  body->produced_ = 0;
  body->inline_bytes_ = inline_bytes;
  body->open_ = true;
  body->source.read = body_read;
  body->source.rewind = body_rewind;
  body->source.ctx = body;
  body->source.length = static_cast<std::int64_t>(length);
  return error();
}

void input_body_close(input_body* body) noexcept {
  if (!body->open_) return;
  body->open_ = false;
  // Fire after marking closed, so a release that closes again finds nothing left.
  std::size_t n = body->release_count_;
  body->release_count_ = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const input_body::release_& r = body->releases_[i];
    r.cb(r.user, r.data);
  }
  body->piece_count_ = 0;
  body->source.length = 0;
}

}  // namespace replicate
