// URL building for requests: base URL + route, query encoding, origin comparison.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/arena.hpp"
#include "replicate/http.hpp"

namespace replicate::detail {

// scheme://host[:port] of an absolute http(s) URL, lower-cased comparison is the caller's job;
// empty when url is not absolute http(s).
std::string_view url_origin(std::string_view url) noexcept;
// True when both URLs have the same scheme, host and port (default ports made explicit).
bool url_same_origin(std::string_view a, std::string_view b) noexcept;
bool url_is_absolute_http(std::string_view url) noexcept;

// Percent-encodes per RFC 3986 (unreserved characters kept). Returns bytes needed.
std::size_t url_encode(std::string_view in, char* out, std::size_t cap) noexcept;

// base_url + route (or route alone when absolute) + "?" + encoded query, NUL-terminated in the
// arena. Empty view when it does not fit.
// route_tail holds four more pieces appended to route (empty ones are skipped).
std::string_view url_build(arena* a, std::string_view base_url, std::string_view route,
                           const std::string_view* route_tail, const query_param* query,
                           std::size_t query_count) noexcept;

}  // namespace replicate::detail
