#include "json/decode_resources.hpp"

namespace replicate::detail {

void decode_deployment(arena* a, const cJSON* object, deployment* out) noexcept {
  out->owner = json_string(object, "owner");
  out->name = json_string(object, "name");
  const cJSON* release = cJSON_GetObjectItemCaseSensitive(object, "current_release");
  deployment_release& r = out->current_release;
  r.number = json_integer(release, "number", 0);
  r.model = json_string(release, "model");
  r.version = json_string(release, "version");
  r.created_at = json_string(release, "created_at");
  const cJSON* by = cJSON_GetObjectItemCaseSensitive(release, "created_by");
  r.created_by.type = json_string(by, "type");
  r.created_by.username = json_string(by, "username");
  r.created_by.name = json_string(by, "name");
  r.created_by.avatar_url = json_string(by, "avatar_url");
  r.created_by.github_url = json_string(by, "github_url");
  const cJSON* config = cJSON_GetObjectItemCaseSensitive(release, "configuration");
  r.configuration.hardware = json_string(config, "hardware");
  r.configuration.min_instances = static_cast<int>(json_integer(config, "min_instances", 0));
  r.configuration.max_instances = static_cast<int>(json_integer(config, "max_instances", 0));
  out->raw_json = json_print(a, object);
}

bool decode_deployment_body(arena* a, std::string_view body, deployment* out, error* err) noexcept {
  cJSON* root = decode_object_root(a, body, err, "response is not a deployment object");
  if (root == nullptr) return false;
  decode_deployment(a, root, out);
  return decode_fits(a, err, "decoded deployment does not fit the arena");
}

bool decode_deployment_page(arena* a, std::string_view body, page<deployment>* out,
                            error* err) noexcept {
  return decode_page(a, body, out, err, decode_deployment);
}

}  // namespace replicate::detail
