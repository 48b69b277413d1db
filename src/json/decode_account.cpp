// Account, hardware and the webhook secret, plus the helpers every resource decoder shares.
#include <new>

#include "json/decode_resources.hpp"

namespace replicate::detail {

cJSON* decode_object_root(arena* a, std::string_view body, error* err, const char* what) noexcept {
  cJSON* root = decode_body(a, body, err);
  if (root == nullptr) return nullptr;
  if (!cJSON_IsObject(root)) {
    *err = error(errc::bad_response, what);
    return nullptr;
  }
  return root;
}

bool decode_fits(arena* a, error* err, const char* what) noexcept {
  if (!a->exhausted) return true;
  *err = error(errc::response_too_large, what);
  return false;
}

long long json_integer(const cJSON* object, const char* key, long long fallback) noexcept {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(object, key);
  return cJSON_IsNumber(item) ? static_cast<long long>(item->valuedouble) : fallback;
}

bool decode_account_body(arena* a, std::string_view body, account* out, error* err) noexcept {
  cJSON* root = decode_object_root(a, body, err, "response is not an account object");
  if (root == nullptr) return false;
  out->type = json_string(root, "type");
  out->username = json_string(root, "username");
  out->name = json_string(root, "name");
  out->github_url = json_string(root, "github_url");
  out->avatar_url = json_string(root, "avatar_url");
  out->raw_json = json_print(a, root);
  return decode_fits(a, err, "decoded account does not fit the arena");
}

bool decode_hardware_list(arena* a, std::string_view body, hardware_list* out,
                          error* err) noexcept {
  cJSON* root = decode_body(a, body, err);
  if (root == nullptr) return false;
  if (!cJSON_IsArray(root)) {
    *err = error(errc::bad_response, "hardware list is not a JSON array");
    return false;
  }
  std::size_t n = static_cast<std::size_t>(cJSON_GetArraySize(root));
  auto* items =
      n == 0 ? nullptr
             : static_cast<hardware*>(arena_alloc(a, sizeof(hardware) * n, alignof(hardware)));
  if (n != 0 && items == nullptr) {
    *err = error(errc::response_too_large, "hardware list does not fit the arena");
    return false;
  }
  std::size_t i = 0;
  for (const cJSON* item = root->child; item != nullptr && i < n; item = item->next, ++i) {
    new (&items[i]) hardware{json_string(item, "name"), json_string(item, "sku")};
  }
  out->items = items;
  out->count = n;
  return true;
}

bool decode_webhook_secret_body(arena* a, std::string_view body, webhook_secret* out,
                                error* err) noexcept {
  cJSON* root = decode_object_root(a, body, err, "response is not a webhook secret object");
  if (root == nullptr) return false;
  out->key = json_string(root, "key");
  if (out->key.empty()) {
    *err = error(errc::bad_response, "webhook secret has no key");
    return false;
  }
  return true;
}

}  // namespace replicate::detail
