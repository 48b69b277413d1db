#include "api/resources/multipart.hpp"

#include <uv.h>

#include <cstring>

#include "http/concat_body.hpp"

namespace replicate::detail {
namespace {

// Appends pieces to the arena's free tail; the caller claims them with arena_commit.
class text_builder {
 public:
  explicit text_builder(arena* a) noexcept : a_(a) { out_ = arena_tail(a, &room_); }
  text_builder& operator<<(std::string_view s) noexcept {
    if (s.size() > room_ - len_ || room_ == 0) {
      overflow_ = true;
      return *this;
    }
    if (!s.empty()) std::memcpy(out_ + len_, s.data(), s.size());
    len_ += s.size();
    return *this;
  }
  std::string_view finish() noexcept {
    if (overflow_) {
      a_->exhausted = true;
      return {};
    }
    arena_commit(a_, len_);
    return {out_, len_};
  }

 private:
  arena* a_;
  char* out_;
  std::size_t room_ = 0;
  std::size_t len_ = 0;
  bool overflow_ = false;
};

bool has_framing_chars(std::string_view s) {
  for (char c : s)
    if (c == '"' || c == '\r' || c == '\n' || c == '\0') return true;
  return false;
}

}  // namespace

void multipart_boundary(char out[multipart_boundary_size]) noexcept {
  static std::uint64_t counter = 0;
  static const char prefix[] = "----replicate-cpp-";  // 16 characters
  std::memcpy(out, prefix, 16);
  // Not a secret, only has to be absent from the content: time, address and a counter, mixed.
  std::uint64_t x = uv_hrtime() ^ (reinterpret_cast<std::uintptr_t>(out) << 16) ^ ++counter;
  static const char hex[] = "0123456789abcdef";
  for (std::size_t i = 16; i < multipart_boundary_size; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    out[i] = hex[x & 15];
  }
}

const char* multipart_check(const multipart_file& f) noexcept {
  if (f.filename.empty() || f.filename.size() > 255) return "filename must be 1..255 bytes";
  if (has_framing_chars(f.filename)) return "filename contains '\"', CR, LF or NUL";
  if (f.content_type.empty() || has_framing_chars(f.content_type))
    return "content_type is empty or contains '\"', CR, LF or NUL";
  return nullptr;
}

const body_source* multipart_create(arena* a, std::string_view boundary,
                                    const multipart_file& f) noexcept {
  text_builder head(a);
  head << "--" << boundary << "\r\n"
       << "Content-Disposition: form-data; name=\"content\"; filename=\"" << f.filename << "\"\r\n"
       << "Content-Type: " << f.content_type << "\r\n\r\n";
  std::string_view head_text = head.finish();
  text_builder tail(a);
  tail << "\r\n--" << boundary << "\r\n"
       << "Content-Disposition: form-data; name=\"filename\"\r\n\r\n"
       << f.filename << "\r\n--" << boundary << "\r\n"
       << "Content-Disposition: form-data; name=\"type\"\r\n\r\n"
       << f.content_type << "\r\n";
  if (!f.metadata_json.empty()) {
    tail << "--" << boundary << "\r\n"
         << "Content-Disposition: form-data; name=\"metadata\"\r\n"
         << "Content-Type: application/json\r\n\r\n"
         << f.metadata_json << "\r\n";
  }
  tail << "--" << boundary << "--\r\n";
  std::string_view tail_text = tail.finish();
  if (head_text.empty() || tail_text.empty()) return nullptr;
  body_piece pieces[3] = {{head_text, nullptr}, {f.data, f.stream}, {tail_text, nullptr}};
  return concat_body_create(a, pieces, 3);
}

}  // namespace replicate::detail
