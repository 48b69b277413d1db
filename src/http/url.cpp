#include "http/url.hpp"

#include <strings.h>

#include <cstring>

namespace replicate::detail {
namespace {

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && strncasecmp(s.data(), prefix.data(), prefix.size()) == 0;
}

struct origin_parts {
  std::string_view scheme;
  std::string_view host;
  std::string_view port;
};

bool split_origin(std::string_view url, origin_parts* out) {
  std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return false;
  out->scheme = url.substr(0, scheme_end);
  if (!starts_with_nocase(out->scheme, "http")) return false;
  bool https = out->scheme.size() == 5 && (out->scheme[4] == 's' || out->scheme[4] == 'S');
  if (!https && out->scheme.size() != 4) return false;
  std::string_view rest = url.substr(scheme_end + 3);
  std::size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  if (std::size_t at = authority.rfind('@'); at != std::string_view::npos)
    authority.remove_prefix(at + 1);
  if (authority.empty()) return false;
  std::size_t colon = authority.rfind(':');
  std::size_t bracket = authority.rfind(']');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    out->host = authority.substr(0, colon);
    out->port = authority.substr(colon + 1);
  } else {
    out->host = authority;
    out->port = https ? "443" : "80";
  }
  return !out->host.empty();
}

bool equal_nocase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

bool url_is_absolute_http(std::string_view url) noexcept {
  origin_parts parts;
  return split_origin(url, &parts);
}

std::string_view url_origin(std::string_view url) noexcept {
  std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::size_t end = url.find_first_of("/?#", scheme_end + 3);
  return url.substr(0, end);
}

bool url_same_origin(std::string_view a, std::string_view b) noexcept {
  origin_parts pa;
  origin_parts pb;
  if (!split_origin(a, &pa) || !split_origin(b, &pb)) return false;
  return equal_nocase(pa.scheme, pb.scheme) && equal_nocase(pa.host, pb.host) && pa.port == pb.port;
}

std::size_t url_encode(std::string_view in, char* out, std::size_t cap) noexcept {
  static const char hex[] = "0123456789ABCDEF";
  std::size_t n = 0;
  for (unsigned char c : in) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      if (n < cap) out[n] = static_cast<char>(c);
      ++n;
    } else {
      if (n + 2 < cap) {
        out[n] = '%';
        out[n + 1] = hex[c >> 4];
        out[n + 2] = hex[c & 15];
      }
      n += 3;
    }
  }
  return n;
}

std::string_view url_build(arena* a, std::string_view base_url, std::string_view route,
                           const std::string_view* route_tail, const query_param* query,
                           std::size_t query_count) noexcept {
  std::size_t room = 0;
  char* out = arena_tail(a, &room);
  std::size_t n = 0;
  bool overflow = false;
  auto put = [&](std::string_view s) {
    if (s.empty()) return;
    if (overflow || s.size() > room - n) {
      overflow = true;
      return;
    }
    std::memcpy(out + n, s.data(), s.size());
    n += s.size();
  };
  if (url_is_absolute_http(route)) {
    put(route);
  } else {
    while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
    put(base_url);
    if (!route.empty() && route.front() != '/') put("/");
    put(route);
  }
  for (int i = 0; route_tail != nullptr && i < 4; ++i) put(route_tail[i]);
  bool has_query = route.find('?') != std::string_view::npos;
  for (std::size_t i = 0; i < query_count && !overflow; ++i) {
    put(has_query ? "&" : "?");
    has_query = true;
    std::size_t need = url_encode(query[i].name, out + n, room - n);
    if (need > room - n)
      overflow = true;
    else
      n += need;
    put("=");
    if (overflow) break;
    need = url_encode(query[i].value, out + n, room - n);
    if (need > room - n)
      overflow = true;
    else
      n += need;
  }
  if (overflow || n >= room) {
    a->exhausted = true;
    return {};
  }
  out[n] = '\0';
  arena_commit(a, n + 1);
  return {out, n};
}

}  // namespace replicate::detail
