// The encoder's inner loops, shared by the public encoders in base64.cpp.
#pragma once

#include <cstddef>
#include <cstdint>

namespace replicate::detail {

// Encodes `groups` whole 3-byte groups of in into 4 * groups characters of out.
void base64_encode_groups(const unsigned char* in, std::size_t groups, char* out) noexcept;

// Encodes the last n bytes (1 to 3) as one group of 4 characters, padded with '='.
void base64_encode_last(const unsigned char* in, std::size_t n, char* out) noexcept;

}  // namespace replicate::detail
