// Copying views into fixed char buffers, NUL-terminated, never overrunning.
#pragma once

#include <cstddef>
#include <cstring>
#include <string_view>

namespace replicate::detail {

// Copies at most cap-1 bytes of text and a NUL; cuts at a UTF-8 character boundary. Returns true
// when the text had to be cut.
inline bool text_copy(char* dst, std::size_t cap, std::string_view text) noexcept {
  if (cap == 0) return !text.empty();
  std::size_t n = text.size();
  bool cut = false;
  if (n >= cap) {
    n = cap - 1;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    cut = true;
  }
  if (n > 0) std::memcpy(dst, text.data(), n);
  dst[n] = '\0';
  return cut;
}

}  // namespace replicate::detail
