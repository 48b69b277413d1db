// Collections of models: client.collections().
//
// GET /collections (a page of {name, slug, description}) and GET /collections/{slug} (the same
// plus full_description and the models). Views are valid only during the callback.
#pragma once

#include <cstddef>
#include <string_view>

#include "replicate/client.hpp"
#include "replicate/export.hpp"
#include "replicate/models.hpp"
#include "replicate/resource.hpp"

namespace replicate {

struct collection {
  std::string_view name;
  std::string_view slug;
  std::string_view description;
  std::string_view full_description;  // Markdown; empty in list items and when null
  const model* models = nullptr;      // get() only; list items have none
  std::size_t model_count = 0;
  std::string_view raw_json;
};

class REPLICATE_API collections_api {
 public:
  explicit collections_api(detail::client_impl* impl) : impl_(impl) {}
  // GET /collections, or the absolute `cursor_url` of a page's `next`.
  [[nodiscard]] error list(list_cb<collection> cb, void* user, std::string_view cursor_url = {});
  // GET /collections/{slug}, with its models.
  [[nodiscard]] error get(std::string_view slug, object_cb<collection> cb, void* user);

 private:
  detail::client_impl* impl_;
};

}  // namespace replicate
