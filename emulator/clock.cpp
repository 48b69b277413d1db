#include "clock.hpp"

#include <sys/time.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <ctime>

namespace emu {

double now_unix() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec / 1000) / 1e6;
}

std::string rfc3339(double t) {
  auto secs = static_cast<time_t>(t);
  auto micros = static_cast<long>((t - static_cast<double>(secs)) * 1e6 + 0.5);
  if (micros >= 1000000) {
    secs += 1;
    micros -= 1000000;
  }
  tm parts{};
  gmtime_r(&secs, &parts);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", parts.tm_year + 1900,
                parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, micros);
  return buf;
}

bool rfc3339_parse(std::string_view text, double* out) {
  std::string s(text);
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, consumed = 0;
  double sec = 0;
  tm parts{};
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) != 3) return false;
  std::size_t pos = static_cast<std::size_t>(consumed);
  double offset = 0;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == 't' || s[pos] == ' ')) {
    if (std::sscanf(s.c_str() + pos + 1, "%2d:%2d:%lf%n", &h, &mi, &sec, &consumed) != 3)
      return false;
    pos += 1 + static_cast<std::size_t>(consumed);
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
      ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
      int oh = 0, om = 0;
      if (std::sscanf(s.c_str() + pos + 1, "%2d:%2d", &oh, &om) != 2) return false;
      offset = (s[pos] == '+' ? 1 : -1) * (oh * 3600.0 + om * 60.0);
      pos += 6;
    }
  }
  if (pos != s.size()) return false;
  parts.tm_year = y - 1900;
  parts.tm_mon = mo - 1;
  parts.tm_mday = d;
  parts.tm_hour = h;
  parts.tm_min = mi;
  *out = static_cast<double>(timegm(&parts)) + sec - offset;
  return true;
}

std::string random_id() {
  // xorshift64*: ids only need to be unique and unpredictable enough for tests.
  static uint64_t state = 0;
  if (state == 0) {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    state = (static_cast<uint64_t>(ts.tv_nsec) << 20) ^ static_cast<uint64_t>(ts.tv_sec) ^
            (static_cast<uint64_t>(getpid()) << 40) ^ 0x9e3779b97f4a7c15ULL;
  }
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string id(26, 'a');
  for (char& ch : id) {
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    ch = alphabet[((state * 0x2545F4914F6CDD1DULL) >> 32) % 36];
  }
  return id;
}

}  // namespace emu
