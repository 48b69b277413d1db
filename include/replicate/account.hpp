// The account the API token belongs to: client.account().
//
// GET /account. Views are valid only during the callback.
#pragma once

#include <string_view>

#include "replicate/client.hpp"
#include "replicate/export.hpp"
#include "replicate/resource.hpp"

namespace replicate {

struct account {
  std::string_view type;  // "user" or "organization"
  std::string_view username;
  std::string_view name;
  std::string_view github_url;
  std::string_view avatar_url;
  std::string_view raw_json;
};

class REPLICATE_API account_api {
 public:
  explicit account_api(detail::client_impl* impl) : impl_(impl) {}
  // GET /account.
  [[nodiscard]] error get(object_cb<account> cb, void* user);

 private:
  detail::client_impl* impl_;
};

}  // namespace replicate
