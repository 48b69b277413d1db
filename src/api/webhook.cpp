// Webhook signature check (Standard Webhooks / Svix scheme, ENDPOINTS.md §6). All work is on the
// stack: the key is decoded into a bounded buffer and wiped, the signed content is fed to an
// incremental HMAC piece by piece, and the header is scanned in place.
#include "replicate/webhook.hpp"

#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "crypto/crypto.hpp"

namespace replicate {
namespace {

using detail::base64_status;

constexpr std::string_view secret_prefix = "whsec_";
constexpr std::size_t key_max = detail::base64_decoded_size_max(webhook_secret_max);
constexpr std::size_t mac_b64_size = detail::base64_encoded_size(detail::sha256_digest_size);
static_assert(webhook_signature_size == 3 + mac_b64_size + 1);

// The decoded HMAC key; wiped when it leaves scope.
struct webhook_key {
  std::uint8_t bytes[key_max];
  std::size_t size = 0;
  webhook_key() = default;
  webhook_key(const webhook_key&) = delete;
  webhook_key& operator=(const webhook_key&) = delete;
  ~webhook_key() { detail::secure_zero(bytes, sizeof bytes); }
};

error key_decode(std::string_view secret, webhook_key* key) {
  if (secret.substr(0, secret_prefix.size()) != secret_prefix)
    return error(errc::webhook_header_invalid, "webhook secret does not start with \"whsec_\"");
  std::string_view b64 = secret.substr(secret_prefix.size());
  if (b64.empty())
    return error(errc::webhook_header_invalid, "webhook secret is empty after whsec_");
  if (b64.size() > webhook_secret_max)
    return error(errc::webhook_header_invalid, "webhook secret is longer than 512 characters");
  base64_status st =
      detail::base64_decode(b64.data(), b64.size(), key->bytes, sizeof key->bytes, &key->size);
  if (st != base64_status::ok || key->size == 0)
    return error(errc::webhook_header_invalid, "webhook secret is not base64 after whsec_");
  return error();
}

error id_check(std::string_view id) {
  if (id.empty()) return error(errc::webhook_header_invalid, "webhook-id is empty");
  if (id.size() > webhook_id_max)
    return error(errc::webhook_header_invalid, "webhook-id is longer than 256 bytes");
  return error();
}

error timestamp_parse(std::string_view text, std::int64_t* out) {
  if (text.empty() || text.size() > 19)
    return error(errc::webhook_timestamp_invalid, "webhook-timestamp is not 1 to 19 digits");
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9')
      return error(errc::webhook_timestamp_invalid, "webhook-timestamp is not all digits");
    int digit = c - '0';
    if (value > (INT64_MAX - digit) / 10)
      return error(errc::webhook_timestamp_invalid, "webhook-timestamp overflows 64 bits");
    value = value * 10 + digit;
  }
  *out = value;
  return error();
}

// "v1," + base64(HMAC(key, id "." timestamp "." body)) into out (webhook_signature_size bytes).
error signature_compute(const webhook_key& key, std::string_view id, std::string_view timestamp,
                        std::string_view body, char* out, std::size_t* out_len) {
  detail::hmac_sha256_ctx ctx;
  std::uint8_t mac[detail::sha256_digest_size];
  bool ok = detail::hmac_sha256_init(&ctx, key.bytes, key.size);
  detail::hmac_sha256_update(&ctx, id.data(), id.size());
  detail::hmac_sha256_update(&ctx, ".", 1);
  detail::hmac_sha256_update(&ctx, timestamp.data(), timestamp.size());
  detail::hmac_sha256_update(&ctx, ".", 1);
  detail::hmac_sha256_update(&ctx, body.data(), body.size());
  ok = detail::hmac_sha256_finish(&ctx, mac) && ok;
  std::size_t n = 0;
  std::memcpy(out, "v1,", 3);
  ok = ok && detail::base64_encode(mac, sizeof mac, out + 3, webhook_signature_size - 3, &n) ==
                 base64_status::ok;
  detail::secure_zero(mac, sizeof mac);
  if (!ok) return error(errc::invalid_argument, "HMAC-SHA256 backend failed");
  *out_len = 3 + n;
  return error();
}

// Calls fn(version, value, index) for each space-separated entry; stops at the first non-ok error.
template <typename Fn>
error signature_entries_each(std::string_view header, Fn&& fn) {
  std::size_t index = 0;
  std::size_t pos = 0;
  while (pos < header.size()) {
    if (header[pos] == ' ') {
      ++pos;
      continue;
    }
    std::size_t end = header.find(' ', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view entry = header.substr(pos, end - pos);
    pos = end;
    std::size_t comma = entry.find(',');
    if (comma == std::string_view::npos || comma == 0 || comma + 1 == entry.size()) {
      char detail_text[96];
      std::snprintf(detail_text, sizeof detail_text,
                    "webhook-signature entry %zu is not <version>,<signature>", index + 1);
      return error(errc::webhook_header_invalid, detail_text);
    }
    error e = fn(entry.substr(0, comma), entry.substr(comma + 1), index);
    if (e) return e;
    ++index;
  }
  if (index == 0) return error(errc::webhook_header_invalid, "webhook-signature is empty");
  return error();
}

error signature_header_check(std::string_view header) {
  if (header.size() > webhook_signature_max)
    return error(errc::webhook_header_invalid, "webhook-signature is longer than 8192 bytes");
  return signature_entries_each(
      header, [](std::string_view version, std::string_view value, std::size_t index) {
        if (version != "v1") return error();
        std::uint8_t scratch[detail::sha256_digest_size];
        std::size_t n = 0;
        // Only v1 values are ours to judge. One of another length cannot match, but it must still
        // be base64; decoding it into a MAC-sized buffer reports too_small for those, which is
        // fine.
        base64_status st =
            detail::base64_decode(value.data(), value.size(), scratch, sizeof scratch, &n);
        if (st == base64_status::invalid) {
          char detail_text[96];
          std::snprintf(detail_text, sizeof detail_text,
                        "webhook-signature entry %zu is v1 but not base64", index + 1);
          return error(errc::webhook_header_invalid, detail_text);
        }
        return error();
      });
}

std::int64_t now_unix_seconds() {
  auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count();
}

}  // namespace

error webhook_verify(std::string_view secret, const webhook_headers& headers,
                     std::string_view raw_body, const webhook_verify_options& options) {
  if (options.tolerance.count() < 0)
    return error(errc::invalid_argument, "webhook_verify_options::tolerance is negative");
  if (options.now_unix < 0)
    return error(errc::invalid_argument, "webhook_verify_options::now_unix is negative");

  webhook_key key;
  if (error e = key_decode(secret, &key)) return e;
  if (error e = id_check(headers.id)) return e;
  if (error e = signature_header_check(headers.signature)) return e;

  std::int64_t timestamp = 0;
  if (error e = timestamp_parse(headers.timestamp, &timestamp)) return e;
  if (options.tolerance.count() > 0) {
    std::int64_t now = options.now_unix != 0 ? options.now_unix : now_unix_seconds();
    // Both are >= 0, so neither difference overflows.
    std::int64_t skew = now >= timestamp ? now - timestamp : timestamp - now;
    if (skew > options.tolerance.count()) {
      char detail_text[128];
      std::snprintf(detail_text, sizeof detail_text,
                    "webhook-timestamp is %" PRId64 " s %s now (tolerance %" PRId64 " s)", skew,
                    now >= timestamp ? "before" : "after",
                    static_cast<std::int64_t>(options.tolerance.count()));
      return error(errc::webhook_timestamp_invalid, detail_text);
    }
  }

  char expected[webhook_signature_size];
  std::size_t expected_len = 0;
  if (error e =
          signature_compute(key, headers.id, headers.timestamp, raw_body, expected, &expected_len))
    return e;
  std::string_view expected_value(expected + 3, expected_len - 3);

  bool matched = false;
  (void)signature_entries_each(
      headers.signature, [&](std::string_view version, std::string_view value, std::size_t) {
        if (version == "v1" && value.size() == expected_value.size() &&
            detail::timing_safe_equal(value.data(), expected_value.data(), value.size()))
          matched = true;
        return error();
      });
  detail::secure_zero(expected, sizeof expected);
  if (!matched)
    return error(errc::webhook_signature_invalid,
                 "no v1 entry in webhook-signature matches the body under this secret");
  return error();
}

error webhook_sign(std::string_view secret, std::string_view id, std::string_view timestamp,
                   std::string_view raw_body, char* out, std::size_t out_cap,
                   std::size_t* out_len) {
  *out_len = 0;
  if (out != nullptr && out_cap > 0) out[0] = '\0';
  if (out == nullptr || out_cap < webhook_signature_size)
    return error(errc::invalid_argument, "webhook_sign needs webhook_signature_size bytes");
  webhook_key key;
  if (error e = key_decode(secret, &key)) return e;
  if (error e = id_check(id)) return e;
  std::int64_t ignored = 0;
  if (error e = timestamp_parse(timestamp, &ignored)) return e;
  char value[webhook_signature_size];
  std::size_t len = 0;
  if (error e = signature_compute(key, id, timestamp, raw_body, value, &len)) return e;
  std::memcpy(out, value, len + 1);
  *out_len = len;
  return error();
}

}  // namespace replicate
