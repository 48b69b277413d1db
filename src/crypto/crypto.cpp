// The only file that includes mbedTLS. Debian 12 ships 2.28 (the *_ret SHA-256 names); 3.x drops
// the suffix. 4.x removes the public SHA-256 API in favour of PSA: port this file when we get
// there.
#include "crypto/crypto.hpp"

#include <mbedtls/version.h>

#if MBEDTLS_VERSION_NUMBER >= 0x04000000
#error "mbedTLS 4.x: port crypto.cpp to PSA (psa_hash_*, psa_mac_*)"
#endif

#include <mbedtls/base64.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/sha256.h>

#include <cstring>
#include <new>

namespace replicate::detail {
namespace {

#if MBEDTLS_VERSION_NUMBER >= 0x03000000
int sha_starts(mbedtls_sha256_context* c) { return mbedtls_sha256_starts(c, 0); }
int sha_update(mbedtls_sha256_context* c, const unsigned char* p, std::size_t n) {
  return mbedtls_sha256_update(c, p, n);
}
int sha_finish(mbedtls_sha256_context* c, unsigned char* out) {
  return mbedtls_sha256_finish(c, out);
}
int sha_oneshot(const unsigned char* p, std::size_t n, unsigned char* out) {
  return mbedtls_sha256(p, n, out, 0);
}
#else
int sha_starts(mbedtls_sha256_context* c) { return mbedtls_sha256_starts_ret(c, 0); }
int sha_update(mbedtls_sha256_context* c, const unsigned char* p, std::size_t n) {
  return mbedtls_sha256_update_ret(c, p, n);
}
int sha_finish(mbedtls_sha256_context* c, unsigned char* out) {
  return mbedtls_sha256_finish_ret(c, out);
}
int sha_oneshot(const unsigned char* p, std::size_t n, unsigned char* out) {
  return mbedtls_sha256_ret(p, n, out, 0);
}
#endif

static_assert(sizeof(mbedtls_sha256_context) <= sizeof(hmac_sha256_ctx::inner_),
              "hmac_sha256_ctx storage is too small for this mbedTLS build");
static_assert(alignof(mbedtls_sha256_context) <= 8, "hmac_sha256_ctx storage is under-aligned");

mbedtls_sha256_context* inner_of(hmac_sha256_ctx* ctx) {
  return std::launder(reinterpret_cast<mbedtls_sha256_context*>(ctx->inner_));
}
mbedtls_sha256_context* outer_of(hmac_sha256_ctx* ctx) {
  return std::launder(reinterpret_cast<mbedtls_sha256_context*>(ctx->outer_));
}

const unsigned char* bytes(const void* p) { return static_cast<const unsigned char*>(p); }

// 1 if c is in the standard base64 alphabet, else 0. Bitwise (not short-circuit) operators keep
// the check free of data-dependent branches, since the input can be a secret.
unsigned base64_alphabet(unsigned char c) {
  unsigned upper = static_cast<unsigned>(c >= 'A') & static_cast<unsigned>(c <= 'Z');
  unsigned lower = static_cast<unsigned>(c >= 'a') & static_cast<unsigned>(c <= 'z');
  unsigned digit = static_cast<unsigned>(c >= '0') & static_cast<unsigned>(c <= '9');
  unsigned sign = static_cast<unsigned>(c == '+') | static_cast<unsigned>(c == '/');
  return upper | lower | digit | sign;
}

}  // namespace

bool sha256(const void* data, std::size_t len, std::uint8_t out[sha256_digest_size]) noexcept {
  return sha_oneshot(bytes(data), len, out) == 0;
}

bool hmac_sha256_init(hmac_sha256_ctx* ctx, const void* key, std::size_t key_len) noexcept {
  unsigned char block[sha256_block_size] = {};
  ctx->failed_ = false;
  mbedtls_sha256_context* inner = new (ctx->inner_) mbedtls_sha256_context;
  mbedtls_sha256_context* outer = new (ctx->outer_) mbedtls_sha256_context;
  mbedtls_sha256_init(inner);
  mbedtls_sha256_init(outer);

  int rc = 0;
  if (key_len > sha256_block_size) {
    rc |= sha_oneshot(bytes(key), key_len, block);  // RFC 2104: long keys are hashed first
  } else if (key_len > 0) {
    std::memcpy(block, key, key_len);
  }
  for (unsigned char& b : block) b ^= 0x36;
  rc |= sha_starts(inner);
  rc |= sha_update(inner, block, sizeof block);
  for (unsigned char& b : block) b ^= 0x36 ^ 0x5c;
  rc |= sha_starts(outer);
  rc |= sha_update(outer, block, sizeof block);
  mbedtls_platform_zeroize(block, sizeof block);
  ctx->failed_ = rc != 0;
  return !ctx->failed_;
}

void hmac_sha256_update(hmac_sha256_ctx* ctx, const void* data, std::size_t len) noexcept {
  if (ctx->failed_ || len == 0) return;
  if (sha_update(inner_of(ctx), bytes(data), len) != 0) ctx->failed_ = true;
}

bool hmac_sha256_finish(hmac_sha256_ctx* ctx, std::uint8_t out[sha256_digest_size]) noexcept {
  unsigned char inner_digest[sha256_digest_size];
  int rc = ctx->failed_ ? -1 : 0;
  if (rc == 0) rc |= sha_finish(inner_of(ctx), inner_digest);
  if (rc == 0) rc |= sha_update(outer_of(ctx), inner_digest, sizeof inner_digest);
  if (rc == 0) rc |= sha_finish(outer_of(ctx), out);
  mbedtls_sha256_free(inner_of(ctx));  // zeroizes the keyed state
  mbedtls_sha256_free(outer_of(ctx));
  mbedtls_platform_zeroize(inner_digest, sizeof inner_digest);
  ctx->failed_ = true;  // finished: further updates are ignored until the next init
  return rc == 0;
}

bool hmac_sha256(const void* key, std::size_t key_len, const void* data, std::size_t len,
                 std::uint8_t out[sha256_digest_size]) noexcept {
  hmac_sha256_ctx ctx;
  if (!hmac_sha256_init(&ctx, key, key_len)) {
    (void)hmac_sha256_finish(&ctx, out);  // wipes the context
    return false;
  }
  hmac_sha256_update(&ctx, data, len);
  return hmac_sha256_finish(&ctx, out);
}

base64_status base64_decode(const char* in, std::size_t len, std::uint8_t* out, std::size_t out_cap,
                            std::size_t* out_len) noexcept {
  *out_len = 0;
  if (len % 4 != 0) return base64_status::invalid;
  if (len == 0) return base64_status::ok;
  const unsigned char* s = bytes(in);
  std::size_t pad = 0;
  if (s[len - 1] == '=') pad = s[len - 2] == '=' ? 2 : 1;
  unsigned bad = 0;
  for (std::size_t i = 0; i < len - pad; ++i) bad |= base64_alphabet(s[i]) ^ 1u;
  if (bad != 0) return base64_status::invalid;

  std::size_t needed = len / 4 * 3 - pad;
  if (out_cap < needed) return base64_status::buffer_too_small;
  std::size_t written = 0;
  int rc = mbedtls_base64_decode(out, out_cap, &written, s, len);
  if (rc == MBEDTLS_ERR_BASE64_BUFFER_TOO_SMALL) return base64_status::buffer_too_small;
  if (rc != 0) return base64_status::invalid;
  *out_len = written;
  return base64_status::ok;
}

base64_status base64_encode(const std::uint8_t* in, std::size_t len, char* out, std::size_t out_cap,
                            std::size_t* out_len) noexcept {
  *out_len = 0;
  if (out_cap < base64_encoded_size(len) + 1) return base64_status::buffer_too_small;
  if (len == 0) {
    out[0] = '\0';
    return base64_status::ok;
  }
  std::size_t written = 0;
  int rc = mbedtls_base64_encode(reinterpret_cast<unsigned char*>(out), out_cap, &written, in, len);
  if (rc != 0) return base64_status::buffer_too_small;
  *out_len = written;
  return base64_status::ok;
}

bool timing_safe_equal(const void* a, const void* b, std::size_t n) noexcept {
  // volatile reads keep the compiler from turning the loop into an early-exit memcmp.
  const volatile unsigned char* x = static_cast<const volatile unsigned char*>(a);
  const volatile unsigned char* y = static_cast<const volatile unsigned char*>(b);
  unsigned char diff = 0;
  for (std::size_t i = 0; i < n; ++i) diff = static_cast<unsigned char>(diff | (x[i] ^ y[i]));
  return diff == 0;
}

void secure_zero(void* p, std::size_t n) noexcept { mbedtls_platform_zeroize(p, n); }

}  // namespace replicate::detail
