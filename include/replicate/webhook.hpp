// Verifying (and producing) the signature on a Replicate webhook delivery.
//
// Replicate signs each delivery the Standard Webhooks / Svix way: the HMAC-SHA256, keyed with the
// base64-decoded part of the "whsec_..." secret, of `webhook-id "." webhook-timestamp "." body`,
// sent as `webhook-signature: v1,<base64> [v1,<base64> ...]`. Get the secret once with
// GET /v1/webhooks/default/secret. Nothing here allocates, touches the network or keeps a view:
// every argument is read during the call only. Safe to call from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "replicate/error.hpp"
#include "replicate/export.hpp"

namespace replicate {

// The three headers of a delivery, as received (views into the caller's request; read only
// during the call). Header names: webhook-id, webhook-timestamp, webhook-signature.
struct webhook_headers {
  std::string_view id;
  std::string_view timestamp;
  std::string_view signature;
};

struct webhook_verify_options {
  // Largest accepted |now - webhook-timestamp|, in either direction, against replays.
  // 0 disables the check (for replaying stored deliveries in tests); negative is invalid_argument.
  std::chrono::seconds tolerance{300};
  // Current time in Unix seconds; 0 reads the system clock. Tests inject a fixed time.
  std::int64_t now_unix = 0;
};

// Limits; an input beyond one is rejected with a named error, never truncated.
inline constexpr std::size_t webhook_secret_max = 512;      // characters after "whsec_"
inline constexpr std::size_t webhook_id_max = 256;          // webhook-id bytes
inline constexpr std::size_t webhook_signature_max = 8192;  // webhook-signature header bytes
// Room for one "v1,<base64 of 32 bytes>" entry plus a NUL: what webhook_sign writes.
inline constexpr std::size_t webhook_signature_size = 3 + 44 + 1;

// Checks a delivery. raw_body must be the exact bytes received (do not re-serialise the JSON).
// Returns (checked in this order):
//   invalid_argument           a negative tolerance or a negative now_unix;
//   webhook_header_invalid     the secret is not "whsec_" + non-empty strict base64, the id is
//   empty
//                              or too long, or the signature header is empty, too long, or has an
//                              entry that is not "<version>,<value>" or a v1 value that is not
//                              base64 (runs of spaces between entries are allowed);
//   webhook_timestamp_invalid  the timestamp is not 1-19 digits, or is outside the tolerance;
//   webhook_signature_invalid  no v1 entry matches (entries of other versions are ignored, so a
//                              header with only v2 entries fails here);
//   ok                         some v1 entry matches (compared in constant time).
// error::detail says which part failed. On anything but ok, answer the delivery with a 4xx.
[[nodiscard]] REPLICATE_API error webhook_verify(std::string_view secret,
                                                 const webhook_headers& headers,
                                                 std::string_view raw_body,
                                                 const webhook_verify_options& options = {});

// Computes the webhook-signature value "v1,<base64>" for (id, timestamp, body) under secret, into
// out[0..out_cap) with a terminating NUL; *out_len gets the length without the NUL. out_cap must be
// at least webhook_signature_size. For test senders and for checking a receiver end to end.
// Returns webhook_header_invalid for a malformed secret or an empty/too long id,
// webhook_timestamp_invalid for a timestamp that is not all digits, invalid_argument when out is
// too small; then out is set to "" when out_cap > 0.
[[nodiscard]] REPLICATE_API error webhook_sign(std::string_view secret, std::string_view id,
                                               std::string_view timestamp,
                                               std::string_view raw_body, char* out,
                                               std::size_t out_cap, std::size_t* out_len);

}  // namespace replicate
