// Models and their versions: client.models().
//
// Routes (ENDPOINTS.md §2): GET/POST/QUERY /models, GET/PATCH/DELETE /models/{owner}/{name},
// /models/{owner}/{name}/{versions,readme,examples}. Every string_view in a result points into
// the arena of the request that produced it and is valid only during the callback; copy what
// you keep (owned<T> in replicate/paginate.hpp). Views passed in (names, params) must stay valid
// until the callback fires (libuv's uv_write rule): a request that waits for an arena is built
// only when it starts.
#pragma once

#include <cstdint>
#include <string_view>

#include "replicate/client.hpp"
#include "replicate/export.hpp"
#include "replicate/resource.hpp"

namespace replicate {

struct model_version {
  std::string_view id;  // 64 hex characters
  std::string_view created_at;
  std::string_view cog_version;          // empty when null
  std::string_view openapi_schema_json;  // the model's own OpenAPI document; "null" when absent
  std::string_view raw_json;             // the whole object, for fields not covered here
};

struct model {
  std::string_view url;
  std::string_view owner;
  std::string_view name;
  std::string_view description;  // empty when null
  std::string_view visibility;   // "public" or "private"
  std::string_view github_url;
  std::string_view paper_url;
  std::string_view license_url;
  std::string_view cover_image_url;
  std::int64_t run_count = 0;
  bool is_official = false;
  bool has_latest_version = false;  // latest_version is null for a model without versions
  model_version latest_version;
  std::string_view default_example_json;  // a prediction object, "null" when absent
  std::string_view raw_json;
};

enum class model_sort_by : std::uint8_t { latest_version_created_at, model_created_at };
enum class sort_direction : std::uint8_t { desc, asc };

struct model_list_params {
  // Sent only when set, so the API's defaults (latest_version_created_at, desc) apply otherwise.
  bool sort = false;
  model_sort_by sort_by = model_sort_by::latest_version_created_at;
  sort_direction direction = sort_direction::desc;
};

struct model_create_params {
  std::string_view owner;       // required: the account that will own the model
  std::string_view name;        // required
  std::string_view visibility;  // required: "public" or "private"
  std::string_view hardware;    // required: a SKU from hardware().list(), e.g. "cpu", "gpu-t4"
  std::string_view description;
  std::string_view github_url;
  std::string_view paper_url;
  std::string_view license_url;
  std::string_view cover_image_url;
};

// PATCH sends only the fields that are set (non-empty).
struct model_update_params {
  std::string_view description;
  std::string_view readme;
  std::string_view github_url;
  std::string_view paper_url;
  std::string_view weights_url;
  std::string_view license_url;
};

class REPLICATE_API models_api {
 public:
  explicit models_api(detail::client_impl* impl) : impl_(impl) {}

  // GET /models/{owner}/{name}.
  [[nodiscard]] error get(std::string_view owner, std::string_view name, object_cb<model> cb,
                          void* user);
  // GET /models?sort_by=&sort_direction=, or the absolute `cursor_url` of a page's `next`.
  [[nodiscard]] error list(const model_list_params& params, list_cb<model> cb, void* user,
                           std::string_view cursor_url = {});
  // POST /models → 201. owner, name, visibility (public|private) and hardware are required.
  [[nodiscard]] error create(const model_create_params& params, object_cb<model> cb, void* user);
  // PATCH /models/{owner}/{name} with the fields that are set; at least one is required.
  [[nodiscard]] error update(std::string_view owner, std::string_view name,
                             const model_update_params& params, object_cb<model> cb, void* user);
  // QUERY /models with the raw query as a text/plain body. Pages of search results carry the
  // same fields as models, without is_official.
  [[nodiscard]] error search(std::string_view query, list_cb<model> cb, void* user);
  // DELETE /models/{owner}/{name} → 204 (own private models without versions only).
  [[nodiscard]] error del(std::string_view owner, std::string_view name, status_cb cb, void* user);

  // GET /models/{owner}/{name}/versions (newest first), or a page's `next`.
  [[nodiscard]] error versions_list(std::string_view owner, std::string_view name,
                                    list_cb<model_version> cb, void* user,
                                    std::string_view cursor_url = {});
  // GET /models/{owner}/{name}/versions/{id}.
  [[nodiscard]] error versions_get(std::string_view owner, std::string_view name,
                                   std::string_view version_id, object_cb<model_version> cb,
                                   void* user);
  // DELETE /models/{owner}/{name}/versions/{id} → 202 (deletion is asynchronous server-side).
  [[nodiscard]] error versions_del(std::string_view owner, std::string_view name,
                                   std::string_view version_id, status_cb cb, void* user);

  // GET /models/{owner}/{name}/readme: the Markdown text, as received.
  [[nodiscard]] error readme(std::string_view owner, std::string_view name, text_cb cb, void* user);
  // GET /models/{owner}/{name}/examples: example predictions, or a page's `next`.
  [[nodiscard]] error examples_list(std::string_view owner, std::string_view name, page_cb cb,
                                    void* user, std::string_view cursor_url = {});

 private:
  detail::client_impl* impl_;
};

}  // namespace replicate
