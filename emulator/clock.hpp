// Wall-clock time for API timestamps (RFC 3339, UTC, microseconds) and random ids.
#pragma once

#include <string>
#include <string_view>

namespace emu {

[[nodiscard]] double now_unix();  // seconds since the epoch, microsecond resolution
[[nodiscard]] std::string rfc3339(double unix_seconds);
// Accepts "2024-01-02T03:04:05Z", fractional seconds, "+hh:mm" offsets and a bare date.
[[nodiscard]] bool rfc3339_parse(std::string_view text, double* unix_seconds);
// 26 characters of [a-z0-9], like Replicate's prediction and training ids.
[[nodiscard]] std::string random_id();

}  // namespace emu
