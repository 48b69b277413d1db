// Typed decoding of API responses into views that live in the response's arena.
#pragma once

#include <string_view>

#include "core/arena.hpp"
#include "json/json.hpp"
#include "replicate/error.hpp"
#include "replicate/prediction.hpp"

namespace replicate::detail {

// Parses body as JSON in the arena. On failure sets err (bad_response or response_too_large).
cJSON* decode_body(arena* a, std::string_view body, error* err) noexcept;

void decode_prediction(arena* a, const cJSON* object, prediction* out) noexcept;
bool decode_prediction_body(arena* a, std::string_view body, prediction* out, error* err) noexcept;
bool decode_prediction_page(arena* a, std::string_view body, page<prediction>* out,
                            error* err) noexcept;

// Fills err's title and detail from an RFC 7807 body; falls back to the start of a non-JSON body.
void decode_problem(arena* a, std::string_view body, error* err) noexcept;

// Decodes `results` of a page body with a per-item decoder into an arena array.
template <typename T, typename Decode>
bool decode_page(arena* a, std::string_view body, page<T>* out, error* err,
                 Decode decode) noexcept {
  cJSON* root = decode_body(a, body, err);
  if (root == nullptr) return false;
  const cJSON* results = cJSON_GetObjectItemCaseSensitive(root, "results");
  if (!cJSON_IsArray(results)) {
    *err = error(errc::bad_response, "page has no results array");
    return false;
  }
  std::size_t n = static_cast<std::size_t>(cJSON_GetArraySize(results));
  T* items = n == 0 ? nullptr : static_cast<T*>(arena_alloc(a, sizeof(T) * n, alignof(T)));
  if (n != 0 && items == nullptr) {
    *err = error(errc::response_too_large, "page does not fit the arena");
    return false;
  }
  std::size_t i = 0;
  for (const cJSON* item = results->child; item != nullptr && i < n; item = item->next, ++i) {
    new (&items[i]) T{};
    decode(a, item, &items[i]);
  }
  out->items = items;
  out->count = n;
  out->next = json_string(root, "next");
  out->previous = json_string(root, "previous");
  if (a->exhausted) {
    *err = error(errc::response_too_large, "decoded page does not fit the arena");
    return false;
  }
  return true;
}

}  // namespace replicate::detail
