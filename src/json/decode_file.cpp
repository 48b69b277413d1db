#include "json/decode_resources.hpp"

namespace replicate::detail {

void decode_file(arena* a, const cJSON* object, file_object* out) noexcept {
  out->id = json_string(object, "id");
  out->name = json_string(object, "name");
  out->content_type = json_string(object, "content_type");
  out->size = json_integer(object, "size", 0);
  const cJSON* checksums = cJSON_GetObjectItemCaseSensitive(object, "checksums");
  out->sha256 = json_string(checksums, "sha256");
  out->metadata_json = json_field_text(a, object, "metadata", "{}");
  out->created_at = json_string(object, "created_at");
  out->expires_at = json_string(object, "expires_at");
  const cJSON* urls = cJSON_GetObjectItemCaseSensitive(object, "urls");
  out->url_get = json_string(urls, "get");
  out->raw_json = json_print(a, object);
}

bool decode_file_body(arena* a, std::string_view body, file_object* out, error* err) noexcept {
  cJSON* root = decode_object_root(a, body, err, "response is not a file object");
  if (root == nullptr) return false;
  if (json_string(root, "id").empty()) {
    *err = error(errc::bad_response, "file has no id");
    return false;
  }
  decode_file(a, root, out);
  return decode_fits(a, err, "decoded file does not fit the arena");
}

bool decode_file_page(arena* a, std::string_view body, page<file_object>* out,
                      error* err) noexcept {
  return decode_page(a, body, out, err, decode_file);
}

}  // namespace replicate::detail
