// Trainings (fine-tuning runs): client.trainings().
//
// POST /models/{owner}/{name}/versions/{version}/trainings → 201, GET /trainings[/{id}],
// POST /trainings/{id}/cancel. Views are valid only during the callback; views passed in must
// stay valid until it fires (libuv's uv_write rule).
#pragma once

#include <cstddef>
#include <string_view>

#include "replicate/client.hpp"
#include "replicate/export.hpp"
#include "replicate/resource.hpp"

namespace replicate {

struct training_urls {
  std::string_view get;
  std::string_view cancel;
  std::string_view web;
};

struct training {
  std::string_view id;
  std::string_view model;                                 // "owner/name" of the base model
  std::string_view version;                               // the version trained from
  prediction_status status = prediction_status::unknown;  // same enum as predictions
  std::string_view status_text;
  std::string_view input_json;      // "{}" when absent
  std::string_view output_json;     // "null" until it succeeds
  std::string_view output_version;  // output.version: the new version, empty until done
  std::string_view output_weights;  // output.weights: URL of the trained weights
  std::string_view logs;
  std::string_view error;  // empty when null
  std::string_view created_at;
  std::string_view started_at;
  std::string_view completed_at;
  std::string_view source;        // "web" or "api"
  std::string_view metrics_json;  // "null" when absent
  training_urls urls;
  std::string_view raw_json;
};

struct training_create_params {
  std::string_view destination;  // required: "owner/name" of the model that gets the new version
  std::string_view input_json = "{}";  // required: a JSON object (the trainer's inputs)
  std::string_view webhook;            // absolute http(s) URL, or empty
  const std::string_view* webhook_events_filter = nullptr;  // start, output, logs, completed
  std::size_t webhook_events_count = 0;
};

class REPLICATE_API trainings_api {
 public:
  explicit trainings_api(detail::client_impl* impl) : impl_(impl) {}
  // POST /models/{owner}/{name}/versions/{version_id}/trainings.
  [[nodiscard]] error create(std::string_view owner, std::string_view name,
                             std::string_view version_id, const training_create_params& params,
                             object_cb<training> cb, void* user);
  // The same from "owner/name:version" (the Node client's shorthand).
  [[nodiscard]] error create(std::string_view model_version, const training_create_params& params,
                             object_cb<training> cb, void* user);
  // GET /trainings/{id}.
  [[nodiscard]] error get(std::string_view id, object_cb<training> cb, void* user);
  // POST /trainings/{id}/cancel.
  [[nodiscard]] error cancel(std::string_view id, object_cb<training> cb, void* user);
  // GET /trainings (newest first), or the absolute `cursor_url` of a page's `next`.
  [[nodiscard]] error list(list_cb<training> cb, void* user, std::string_view cursor_url = {});

 private:
  detail::client_impl* impl_;
};

}  // namespace replicate
