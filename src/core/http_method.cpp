#include "replicate/http.hpp"

namespace replicate {

std::string_view http_method_name(http_method m) noexcept {
  switch (m) {
    case http_method::get:
      return "GET";
    case http_method::post:
      return "POST";
    case http_method::put:
      return "PUT";
    case http_method::patch:
      return "PATCH";
    case http_method::del:
      return "DELETE";
    case http_method::head:
      return "HEAD";
    case http_method::query:
      return "QUERY";
  }
  return "GET";
}

}  // namespace replicate
