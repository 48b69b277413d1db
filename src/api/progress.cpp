// tqdm progress from prediction logs. tqdm's default layout is
//   {desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}, {rate_fmt}]
// and Node's pattern for it is /^\s*(\d+)%\s*\|.+?\|\s*(\d+)\/(\d+)/. We match the same shape by
// hand (no regex, no allocation), from the last line backwards.
#include "replicate/progress.hpp"

#include <cstddef>

namespace replicate {
namespace {

// Caps that keep each match attempt O(1) however hostile the line: a 100-column bar of 3-byte
// block characters is 300 bytes; counts beyond 18 digits would not fit in int64.
constexpr std::size_t bar_max = 1024;
constexpr std::size_t space_max = 64;
constexpr std::size_t percent_digits_max = 9;
constexpr std::size_t count_digits_max = 18;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\t'; }
bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::size_t spaces_skip(std::string_view s, std::size_t i) {
  std::size_t start = i;
  while (i < s.size() && is_space(s[i]) && i - start < space_max) ++i;
  return i;
}

// Parses 1..max_digits digits at s[*i]; advances *i past them.
bool number_parse(std::string_view s, std::size_t* i, std::size_t max_digits, std::int64_t* out) {
  std::size_t start = *i;
  std::int64_t value = 0;
  while (*i < s.size() && is_digit(s[*i])) {
    if (*i - start == max_digits) return false;
    value = value * 10 + (s[*i] - '0');
    ++*i;
  }
  *out = value;
  return *i > start;
}

// Tries the bar whose percent sign is at s[pct].
bool bar_match(std::string_view s, std::size_t pct, progress* out) {
  // The percentage: a whole run of digits right before '%', at the start or after a space.
  std::size_t first = pct;
  while (first > 0 && is_digit(s[first - 1]) && pct - first <= percent_digits_max) --first;
  if (first == pct || pct - first > percent_digits_max) return false;
  if (first > 0 && !is_space(s[first - 1])) return false;
  std::int64_t percentage = 0;
  std::size_t i = first;
  if (!number_parse(s, &i, percent_digits_max, &percentage)) return false;

  // "%" spaces "|" bar "|": the bar is at least one character and holds no '|'.
  i = spaces_skip(s, pct + 1);
  if (i >= s.size() || s[i] != '|') return false;
  std::size_t bar_start = i + 1;
  std::size_t close = bar_start + 1;
  while (close < s.size() && s[close] != '|' && close - bar_start < bar_max) ++close;
  if (close >= s.size() || s[close] != '|') return false;

  // spaces N "/" M, then something that is not part of a number or unit ("1.2k/3.4k" fails).
  i = spaces_skip(s, close + 1);
  std::int64_t current = 0;
  std::int64_t total = 0;
  if (!number_parse(s, &i, count_digits_max, &current)) return false;
  if (i >= s.size() || s[i] != '/') return false;
  ++i;
  if (!number_parse(s, &i, count_digits_max, &total)) return false;
  if (i < s.size() && (is_alnum(s[i]) || s[i] == '.')) return false;

  out->found = true;
  out->percentage = static_cast<int>(percentage);
  out->current = current;
  out->total = total;
  return true;
}

bool line_match(std::string_view line, progress* out) {
  for (std::size_t pct = line.find('%'); pct != std::string_view::npos;
       pct = line.find('%', pct + 1)) {
    if (bar_match(line, pct, out)) return true;
  }
  return false;
}

}  // namespace

progress progress_parse(std::string_view logs) noexcept {
  progress result;
  std::size_t end = logs.size();
  while (end > 0) {
    std::size_t start = end;
    while (start > 0 && logs[start - 1] != '\n' && logs[start - 1] != '\r') --start;
    if (start < end && line_match(logs.substr(start, end - start), &result)) return result;
    if (start == 0) break;
    end = start - 1;
  }
  return progress{};
}

}  // namespace replicate
