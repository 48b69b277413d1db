// The account's default webhook signing secret: client.webhooks().
//
// GET /webhooks/default/secret → {"key": "whsec_..."}. To check a delivery with it, use
// webhook_verify() from replicate/webhook.hpp; this header only fetches the secret. The key view
// is valid only during the callback: copy it (it is a secret: keep it out of logs).
#pragma once

#include <string_view>

#include "replicate/client.hpp"
#include "replicate/export.hpp"
#include "replicate/resource.hpp"

namespace replicate {

struct webhook_secret {
  std::string_view key;  // "whsec_<base64>"
};

class REPLICATE_API webhooks_api {
 public:
  explicit webhooks_api(detail::client_impl* impl) : impl_(impl) {}
  // GET /webhooks/default/secret.
  [[nodiscard]] error default_secret(object_cb<webhook_secret> cb, void* user);

 private:
  detail::client_impl* impl_;
};

}  // namespace replicate
