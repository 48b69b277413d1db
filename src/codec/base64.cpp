// Table-driven base64 encoding. A 4096-entry table maps 12 bits to their two characters, so a
// 3-byte group costs two loads; the main loop reads 8 bytes at a time big-endian and turns 6 of
// them into 8 characters, twice per iteration. Plain C++ keeps it portable to armhf/aarch64
// (where it is still ~3x the byte-at-a-time codec); SIMD could come later behind the same API.
#include <cstring>

#include "codec/base64_core.hpp"
#include "replicate/data_uri.hpp"

namespace replicate {
namespace detail {
namespace {

constexpr char k_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

struct pair_table {
  char pairs[4096][2];
  constexpr pair_table() : pairs() {
    for (int i = 0; i < 4096; ++i) {
      pairs[i][0] = k_alphabet[i >> 6];
      pairs[i][1] = k_alphabet[i & 63];
    }
  }
};

alignas(64) constexpr pair_table k_pairs{};

inline std::uint64_t load_be64(const unsigned char* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  v = __builtin_bswap64(v);
#endif
  return v;
}

inline void put_pair(char* out, unsigned index) noexcept {
  std::memcpy(out, k_pairs.pairs[index], 2);
}

// Two groups from the top 48 bits of w.
inline void encode_two(std::uint64_t w, char* out) noexcept {
  put_pair(out, static_cast<unsigned>(w >> 52) & 0xfff);
  put_pair(out + 2, static_cast<unsigned>(w >> 40) & 0xfff);
  put_pair(out + 4, static_cast<unsigned>(w >> 28) & 0xfff);
  put_pair(out + 6, static_cast<unsigned>(w >> 16) & 0xfff);
}

}  // namespace

void base64_encode_groups(const unsigned char* in, std::size_t groups, char* out) noexcept {
  // 4 groups (12 bytes) per iteration; the second load reads 2 bytes past the 12, so stop while
  // at least one more group follows.
  while (groups >= 5) {
    encode_two(load_be64(in), out);
    encode_two(load_be64(in + 6), out + 8);
    in += 12;
    out += 16;
    groups -= 4;
  }
  for (; groups > 0; --groups) {
    unsigned v = (unsigned{in[0]} << 16) | (unsigned{in[1]} << 8) | in[2];
    put_pair(out, v >> 12);
    put_pair(out + 2, v & 0xfff);
    in += 3;
    out += 4;
  }
}

void base64_encode_last(const unsigned char* in, std::size_t n, char* out) noexcept {
  unsigned v = unsigned{in[0]} << 16;
  if (n > 1) v |= unsigned{in[1]} << 8;
  if (n > 2) v |= in[2];
  out[0] = k_alphabet[(v >> 18) & 63];
  out[1] = k_alphabet[(v >> 12) & 63];
  out[2] = n > 1 ? k_alphabet[(v >> 6) & 63] : '=';
  out[3] = n > 2 ? k_alphabet[v & 63] : '=';
}

}  // namespace detail

using detail::base64_encode_groups;
using detail::base64_encode_last;

std::size_t base64_encode(const void* data, std::size_t size, char* out) noexcept {
  const auto* in = static_cast<const unsigned char*>(data);
  std::size_t groups = size / 3;
  base64_encode_groups(in, groups, out);
  if (size % 3 != 0) base64_encode_last(in + groups * 3, size % 3, out + groups * 4);
  return base64_encoded_size(size);
}

std::size_t base64_encode_slice(const void* data, std::size_t size, std::size_t offset, char* out,
                                std::size_t out_size) noexcept {
  const auto* in = static_cast<const unsigned char*>(data);
  std::size_t total = base64_encoded_size(size);
  if (offset >= total) return 0;
  if (out_size > total - offset) out_size = total - offset;
  std::size_t written = 0;
  char group[4];
  // A group cut by the start of the window.
  if (offset % 4 != 0) {
    std::size_t g = offset / 4;
    base64_encode_last(in + g * 3, size - g * 3 < 3 ? size - g * 3 : 3, group);
    std::size_t take = 4 - offset % 4;
    if (take > out_size) take = out_size;
    std::memcpy(out, group + offset % 4, take);
    written = take;
    offset += take;
  }
  // Whole groups that fit, except a padded last group.
  std::size_t g = offset / 4;
  std::size_t whole = (out_size - written) / 4;
  std::size_t full_groups = size / 3;
  if (g + whole > full_groups) whole = full_groups > g ? full_groups - g : 0;
  base64_encode_groups(in + g * 3, whole, out + written);
  written += whole * 4;
  g += whole;
  // A group cut by the end of the window, or the padded last group.
  if (written < out_size) {
    base64_encode_last(in + g * 3, size - g * 3 < 3 ? size - g * 3 : 3, group);
    std::memcpy(out + written, group, out_size - written);
    written = out_size;
  }
  return written;
}

void base64_encoder_init(base64_encoder* e) noexcept { e->carry_size_ = 0; }

std::size_t base64_encoder_update(base64_encoder* e, const void* data, std::size_t size,
                                  char* out) noexcept {
  const auto* in = static_cast<const unsigned char*>(data);
  std::size_t written = 0;
  if (e->carry_size_ > 0) {
    unsigned char group[3] = {e->carry_[0], e->carry_[1], 0};
    std::size_t have = e->carry_size_;
    while (have < 3 && size > 0) {
      group[have++] = *in++;
      --size;
    }
    if (have < 3) {
      e->carry_[have - 1] = group[have - 1];
      e->carry_size_ = static_cast<std::uint8_t>(have);
      return 0;
    }
    base64_encode_groups(group, 1, out);
    written = 4;
    e->carry_size_ = 0;
  }
  std::size_t groups = size / 3;
  base64_encode_groups(in, groups, out + written);
  written += groups * 4;
  std::size_t rest = size - groups * 3;
  for (std::size_t i = 0; i < rest; ++i) e->carry_[i] = in[groups * 3 + i];
  e->carry_size_ = static_cast<std::uint8_t>(rest);
  return written;
}

std::size_t base64_encoder_finish(base64_encoder* e, char* out) noexcept {
  if (e->carry_size_ == 0) return 0;
  base64_encode_last(e->carry_, e->carry_size_, out);
  e->carry_size_ = 0;
  return 4;
}

}  // namespace replicate
