// Search across models, collections and docs pages (beta): search(client, query, ...).
//
// GET /search?query=&limit=. The API needs no token for it; the client still sends its token
// because the route is on the API's own origin. Views are valid only during the callback.
#pragma once

#include <cstddef>
#include <string_view>

#include "replicate/client.hpp"
#include "replicate/export.hpp"
#include "replicate/models.hpp"
#include "replicate/resource.hpp"

namespace replicate {

struct search_model {
  model m;
  std::string_view generated_description;  // empty when null
  double score = -1;                       // -1 when null
  std::string_view tags_json;              // JSON array of strings
};

struct search_collection {
  std::string_view name;
  std::string_view slug;
  std::string_view description;
  std::string_view models_json;  // JSON array of "owner/name", "null" when null
};

struct search_page {
  std::string_view name;
  std::string_view href;
};

struct search_result {
  std::string_view query;
  const search_model* models = nullptr;
  std::size_t model_count = 0;
  const search_collection* collections = nullptr;
  std::size_t collection_count = 0;
  const search_page* pages = nullptr;
  std::size_t page_count = 0;
  std::string_view raw_json;
};

// GET /search. query is required; limit is 1..50, or 0 for the API's default (20).
[[nodiscard]] REPLICATE_API error search(client& c, std::string_view query, int limit,
                                         object_cb<search_result> cb, void* user);

}  // namespace replicate
