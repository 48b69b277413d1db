#include "http/retry.hpp"

#include <cstring>
#include <ctime>

namespace replicate::detail {
namespace {

bool is_idempotent(http_method m) {
  return m == http_method::get || m == http_method::head || m == http_method::del ||
         m == http_method::put || m == http_method::query;
}

bool parse_digits(std::string_view s, std::int64_t* out) {
  if (s.empty() || s.size() > 12) return false;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

// Days from 1970-01-01 to y-m-d (proleptic Gregorian), without timegm's locale and TZ state.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// "Sun, 06 Nov 1994 08:49:37 GMT"
bool parse_imf_fixdate(std::string_view s, std::int64_t* unix_seconds) {
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 29 || s[3] != ',' || s[4] != ' ' || s.substr(25) != " GMT") return false;
  std::int64_t day, year, hh, mm, ss;
  if (!parse_digits(s.substr(5, 2), &day) || !parse_digits(s.substr(12, 4), &year) ||
      !parse_digits(s.substr(17, 2), &hh) || !parse_digits(s.substr(20, 2), &mm) ||
      !parse_digits(s.substr(23, 2), &ss) || s[19] != ':' || s[22] != ':')
    return false;
  unsigned month = 0;
  for (unsigned i = 0; i < 12; ++i)
    if (s.substr(8, 3) == months[i]) month = i + 1;
  if (month == 0 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60) return false;
  *unix_seconds =
      days_from_civil(year, month, static_cast<unsigned>(day)) * 86400 + hh * 3600 + mm * 60 + ss;
  return true;
}

}  // namespace

bool retry_should(const retry_policy& policy, unsigned attempts_made,
                  const attempt_outcome& outcome) noexcept {
  if (attempts_made >= policy.max_attempts || !outcome.replayable) return false;
  if (outcome.transport_failed) {
    return outcome.never_connected || is_idempotent(outcome.method);
  }
  if (outcome.status == 429) return true;
  bool server_error = outcome.status == 500 || outcome.status == 502 || outcome.status == 503 ||
                      outcome.status == 504;
  return server_error && is_idempotent(outcome.method);
}

std::int64_t retry_after_parse(std::string_view value, std::int64_t now_unix_ms) noexcept {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  std::int64_t seconds = 0;
  if (parse_digits(value, &seconds)) return seconds * 1000;
  std::int64_t when = 0;
  if (!parse_imf_fixdate(value, &when)) return -1;
  std::int64_t delta = when * 1000 - now_unix_ms;
  return delta > 0 ? delta : 0;
}

std::uint64_t retry_delay_ms(const retry_policy& policy, unsigned attempts_made,
                             std::int64_t retry_after_ms, double unit_random) noexcept {
  auto cap = static_cast<std::uint64_t>(policy.max_retry_after.count());
  if (retry_after_ms >= 0) {
    auto wait = static_cast<std::uint64_t>(retry_after_ms);
    return wait < cap ? wait : cap;
  }
  auto max_delay = static_cast<std::uint64_t>(policy.max_delay.count());
  std::uint64_t delay = static_cast<std::uint64_t>(policy.base_delay.count());
  for (unsigned i = 1; i < attempts_made && delay < max_delay; ++i) delay *= 2;
  if (delay > max_delay) delay = max_delay;
  if (unit_random < 0) unit_random = 0;
  if (unit_random >= 1) unit_random = 0.999999;
  std::uint64_t half = delay / 2;
  return half + static_cast<std::uint64_t>(static_cast<double>(delay - half) * unit_random);
}

}  // namespace replicate::detail
