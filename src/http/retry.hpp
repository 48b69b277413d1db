// When to try a request again and how long to wait first. Pure functions: the clock and the
// random number come in as arguments, so tests need no sleeps.
#pragma once

#include <cstdint>
#include <string_view>

#include "replicate/client.hpp"

namespace replicate::detail {

struct attempt_outcome {
  http_method method = http_method::get;
  int status = 0;  // HTTP status, 0 when the transfer failed
  bool transport_failed = false;
  bool never_connected = false;  // the request provably never left (connect/resolve failure)
  bool replayable = true;        // the body can be sent again
};

// GET, HEAD, DELETE, PUT and QUERY are idempotent: retried on 429, 500, 502, 503, 504 and on
// transport failures. POST and PATCH are retried only when the server did not process them:
// 429, or a connection that was never made. A POST that may have reached the server is never
// replayed, so a network error cannot create a second prediction.
bool retry_should(const retry_policy& policy, unsigned attempts_made,
                  const attempt_outcome& outcome) noexcept;

// Retry-After as delta-seconds or an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), in
// milliseconds from now_unix_ms; -1 when absent or malformed. A date in the past gives 0.
std::int64_t retry_after_parse(std::string_view value, std::int64_t now_unix_ms) noexcept;

// Exponential back-off with equal jitter: base * 2^(attempt-1) capped at max_delay, then a
// uniform pick in [half, full] using unit_random in [0, 1). A server's Retry-After wins when
// present (capped at max_retry_after).
std::uint64_t retry_delay_ms(const retry_policy& policy, unsigned attempts_made,
                             std::int64_t retry_after_ms, double unit_random) noexcept;

}  // namespace replicate::detail
