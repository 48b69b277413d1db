// Models, versions, collections and search results.
#include <new>

#include "json/decode_resources.hpp"

namespace replicate::detail {
namespace {

template <typename T, typename Decode>
bool decode_array(arena* a, const cJSON* array, const T** items, std::size_t* count,
                  Decode decode) noexcept {
  *items = nullptr;
  *count = 0;
  if (!cJSON_IsArray(array)) return true;  // null or absent: none
  std::size_t n = static_cast<std::size_t>(cJSON_GetArraySize(array));
  if (n == 0) return true;
  auto* out = static_cast<T*>(arena_alloc(a, sizeof(T) * n, alignof(T)));
  if (out == nullptr) return false;
  std::size_t i = 0;
  for (const cJSON* item = array->child; item != nullptr && i < n; item = item->next, ++i) {
    new (&out[i]) T{};
    decode(a, item, &out[i]);
  }
  *items = out;
  *count = n;
  return true;
}

}  // namespace

void decode_model_version(arena* a, const cJSON* object, model_version* out) noexcept {
  out->id = json_string(object, "id");
  out->created_at = json_string(object, "created_at");
  out->cog_version = json_string(object, "cog_version");
  out->openapi_schema_json = json_field_text(a, object, "openapi_schema", "null");
  out->raw_json = json_print(a, object);
}

void decode_model(arena* a, const cJSON* object, model* out) noexcept {
  out->url = json_string(object, "url");
  out->owner = json_string(object, "owner");
  out->name = json_string(object, "name");
  out->description = json_string(object, "description");
  out->visibility = json_string(object, "visibility");
  out->github_url = json_string(object, "github_url");
  out->paper_url = json_string(object, "paper_url");
  out->license_url = json_string(object, "license_url");
  out->cover_image_url = json_string(object, "cover_image_url");
  out->run_count = json_integer(object, "run_count", 0);
  out->is_official = json_bool(object, "is_official", false);
  const cJSON* latest = cJSON_GetObjectItemCaseSensitive(object, "latest_version");
  out->has_latest_version = cJSON_IsObject(latest);
  if (out->has_latest_version) decode_model_version(a, latest, &out->latest_version);
  out->default_example_json = json_field_text(a, object, "default_example", "null");
  out->raw_json = json_print(a, object);
}

bool decode_model_body(arena* a, std::string_view body, model* out, error* err) noexcept {
  cJSON* root = decode_object_root(a, body, err, "response is not a model object");
  if (root == nullptr) return false;
  decode_model(a, root, out);
  return decode_fits(a, err, "decoded model does not fit the arena");
}

bool decode_model_page(arena* a, std::string_view body, page<model>* out, error* err) noexcept {
  return decode_page(a, body, out, err, decode_model);
}

bool decode_model_version_body(arena* a, std::string_view body, model_version* out,
                               error* err) noexcept {
  cJSON* root = decode_object_root(a, body, err, "response is not a version object");
  if (root == nullptr) return false;
  decode_model_version(a, root, out);
  return decode_fits(a, err, "decoded version does not fit the arena");
}

bool decode_model_version_page(arena* a, std::string_view body, page<model_version>* out,
                               error* err) noexcept {
  return decode_page(a, body, out, err, decode_model_version);
}

void decode_collection(arena* a, const cJSON* object, collection* out) noexcept {
  out->name = json_string(object, "name");
  out->slug = json_string(object, "slug");
  out->description = json_string(object, "description");
  out->full_description = json_string(object, "full_description");
  if (!decode_array(a, cJSON_GetObjectItemCaseSensitive(object, "models"), &out->models,
                    &out->model_count, decode_model))
    a->exhausted = true;
  out->raw_json = json_print(a, object);
}

bool decode_collection_body(arena* a, std::string_view body, collection* out, error* err) noexcept {
  cJSON* root = decode_object_root(a, body, err, "response is not a collection object");
  if (root == nullptr) return false;
  decode_collection(a, root, out);
  return decode_fits(a, err, "decoded collection does not fit the arena");
}

bool decode_collection_page(arena* a, std::string_view body, page<collection>* out,
                            error* err) noexcept {
  return decode_page(a, body, out, err, decode_collection);
}

bool decode_search_body(arena* a, std::string_view body, search_result* out, error* err) noexcept {
  cJSON* root = decode_object_root(a, body, err, "response is not a search result object");
  if (root == nullptr) return false;
  out->query = json_string(root, "query");
  bool ok = decode_array(a, cJSON_GetObjectItemCaseSensitive(root, "models"), &out->models,
                         &out->model_count, [](arena* ar, const cJSON* item, search_model* m) {
                           decode_model(ar, cJSON_GetObjectItemCaseSensitive(item, "model"), &m->m);
                           const cJSON* meta = cJSON_GetObjectItemCaseSensitive(item, "metadata");
                           m->generated_description = json_string(meta, "generated_description");
                           m->score = json_number(meta, "score", -1);
                           m->tags_json = json_field_text(ar, meta, "tags", "[]");
                         });
  ok &=
      decode_array(a, cJSON_GetObjectItemCaseSensitive(root, "collections"), &out->collections,
                   &out->collection_count, [](arena* ar, const cJSON* item, search_collection* c) {
                     c->name = json_string(item, "name");
                     c->slug = json_string(item, "slug");
                     c->description = json_string(item, "description");
                     c->models_json = json_field_text(ar, item, "models", "null");
                   });
  ok &= decode_array(a, cJSON_GetObjectItemCaseSensitive(root, "pages"), &out->pages,
                     &out->page_count, [](arena*, const cJSON* item, search_page* p) {
                       p->name = json_string(item, "name");
                       p->href = json_string(item, "href");
                     });
  if (!ok) a->exhausted = true;
  out->raw_json = json_print(a, root);
  return decode_fits(a, err, "decoded search result does not fit the arena");
}

}  // namespace replicate::detail
