// The mbedTLS shim: SHA-256, HMAC-SHA256, base64 and a constant-time compare.
//
// This header is the wall around mbedTLS: it includes only the standard library, so api/ can use it
// without seeing mbedTLS types. crypto.cpp is the one file that includes mbedTLS headers; a move
// to mbedTLS 3.x/4.x or another backend changes that file only. Nothing here allocates: mbedTLS's
// own allocations (MBEDTLS_PLATFORM_MEMORY is off in Debian) are avoided by building HMAC on the
// plain SHA-256 context instead of mbedtls_md_*, which callocs its state.
#pragma once

#include <cstddef>
#include <cstdint>

namespace replicate::detail {

inline constexpr std::size_t sha256_digest_size = 32;
inline constexpr std::size_t sha256_block_size = 64;

// SHA-256 of data[0..len) into out. False only if the backend fails (hardware-accelerated ports).
[[nodiscard]] bool sha256(const void* data, std::size_t len,
                          std::uint8_t out[sha256_digest_size]) noexcept;

// HMAC-SHA256 (RFC 2104) of data under key into out. Keys longer than a block are hashed first.
[[nodiscard]] bool hmac_sha256(const void* key, std::size_t key_len, const void* data,
                               std::size_t len, std::uint8_t out[sha256_digest_size]) noexcept;

// Incremental HMAC-SHA256, for signing "id.timestamp.body" without concatenating the body.
// The caller owns the context (stack is fine); it holds no pointers and no heap memory. Use:
// init → update… → finish. finish wipes the keyed state; init again to reuse. An update after a
// backend failure is ignored and finish then returns false.
struct hmac_sha256_ctx {
  // Opaque storage for two mbedtls_sha256_context (inner keyed with ipad, outer with opad);
  // crypto.cpp static_asserts that they fit.
  alignas(8) unsigned char inner_[128];
  alignas(8) unsigned char outer_[128];
  bool failed_ = false;
};

[[nodiscard]] bool hmac_sha256_init(hmac_sha256_ctx* ctx, const void* key,
                                    std::size_t key_len) noexcept;
void hmac_sha256_update(hmac_sha256_ctx* ctx, const void* data, std::size_t len) noexcept;
[[nodiscard]] bool hmac_sha256_finish(hmac_sha256_ctx* ctx,
                                      std::uint8_t out[sha256_digest_size]) noexcept;

// Standard base64 (RFC 4648 §4, alphabet A-Z a-z 0-9 + /, '=' padding).
enum class base64_status { ok, invalid, buffer_too_small };

// Characters needed to encode n bytes (no terminator).
constexpr std::size_t base64_encoded_size(std::size_t n) noexcept { return (n + 2) / 3 * 4; }
// Upper bound on the bytes that len characters decode to.
constexpr std::size_t base64_decoded_size_max(std::size_t len) noexcept { return len / 4 * 3; }

// Strict decode: len must be a multiple of 4, only alphabet characters, then at most two '=' at
// the very end. Whitespace and line breaks (which mbedTLS alone would skip) are invalid. Decoding
// runs in constant time per character (mbedTLS), so it suits secrets. On ok, *out_len is the
// number of bytes written; on an error out's contents are unspecified. Empty input is ok (0 bytes).
[[nodiscard]] base64_status base64_decode(const char* in, std::size_t len, std::uint8_t* out,
                                          std::size_t out_cap, std::size_t* out_len) noexcept;

// Encode in[0..len) into out and write a NUL after it, so out_cap must be at least
// base64_encoded_size(len) + 1. *out_len excludes the NUL. Constant time (mbedTLS).
[[nodiscard]] base64_status base64_encode(const std::uint8_t* in, std::size_t len, char* out,
                                          std::size_t out_cap, std::size_t* out_len) noexcept;

// a[0..n) == b[0..n) in time that depends only on n, for comparing MACs.
[[nodiscard]] bool timing_safe_equal(const void* a, const void* b, std::size_t n) noexcept;

// Overwrite a buffer with zeros in a way the compiler will not elide (for keys on the stack).
void secure_zero(void* p, std::size_t n) noexcept;

}  // namespace replicate::detail
