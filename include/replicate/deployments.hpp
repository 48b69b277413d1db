// Deployments (a model version on dedicated hardware): client.deployments().
//
// GET/POST /deployments, GET/PATCH/DELETE /deployments/{owner}/{name}, and
// POST /deployments/{owner}/{name}/predictions. client.run("deployments/owner/name", ...) also
// runs one and waits. Views are valid only during the callback; views passed in must stay valid
// until it fires (libuv's uv_write rule).
#pragma once

#include <cstdint>
#include <string_view>

#include "replicate/client.hpp"
#include "replicate/export.hpp"
#include "replicate/resource.hpp"

namespace replicate {

struct deployment_creator {
  std::string_view type;  // "user" or "organization"
  std::string_view username;
  std::string_view name;
  std::string_view avatar_url;
  std::string_view github_url;
};

struct deployment_configuration {
  std::string_view hardware;
  int min_instances = 0;
  int max_instances = 0;
};

struct deployment_release {
  std::int64_t number = 0;  // every update increments it
  std::string_view model;   // "owner/name"
  std::string_view version;
  std::string_view created_at;
  deployment_creator created_by;
  deployment_configuration configuration;
};

struct deployment {
  std::string_view owner;
  std::string_view name;
  deployment_release current_release;
  std::string_view raw_json;
};

struct deployment_create_params {
  std::string_view name;      // required
  std::string_view model;     // required: "owner/name"
  std::string_view version;   // required: 64-hex version id
  std::string_view hardware;  // required: a SKU
  int min_instances = 0;      // 0..5
  int max_instances = 1;      // 0..20, and at least min_instances
};

// PATCH sends only what is set: strings when non-empty, instance counts when >= 0.
struct deployment_update_params {
  std::string_view version;
  std::string_view hardware;
  int min_instances = -1;  // 0..5, or -1 to leave it
  int max_instances = -1;  // 0..20, or -1 to leave it
};

class REPLICATE_API deployment_predictions_api {
 public:
  explicit deployment_predictions_api(detail::client_impl* impl) : impl_(impl) {}
  // POST /deployments/{owner}/{name}/predictions (input, webhook, events filter, Prefer: wait,
  // Cancel-After as in predictions().create; params.version must be empty).
  [[nodiscard]] error create(std::string_view owner, std::string_view name,
                             const prediction_create_params& params, prediction_cb cb, void* user);

 private:
  detail::client_impl* impl_;
};

class REPLICATE_API deployments_api {
 public:
  explicit deployments_api(detail::client_impl* impl) : impl_(impl) {}
  // GET /deployments/{owner}/{name}.
  [[nodiscard]] error get(std::string_view owner, std::string_view name, object_cb<deployment> cb,
                          void* user);
  // GET /deployments, or the absolute `cursor_url` of a page's `next`.
  [[nodiscard]] error list(list_cb<deployment> cb, void* user, std::string_view cursor_url = {});
  // POST /deployments (the API answers 200, not 201).
  [[nodiscard]] error create(const deployment_create_params& params, object_cb<deployment> cb,
                             void* user);
  // PATCH /deployments/{owner}/{name}; at least one field must be set.
  [[nodiscard]] error update(std::string_view owner, std::string_view name,
                             const deployment_update_params& params, object_cb<deployment> cb,
                             void* user);
  // DELETE /deployments/{owner}/{name} → 204.
  [[nodiscard]] error del(std::string_view owner, std::string_view name, status_cb cb, void* user);
  [[nodiscard]] deployment_predictions_api predictions() noexcept {
    return deployment_predictions_api(impl_);
  }

 private:
  detail::client_impl* impl_;
};

}  // namespace replicate
