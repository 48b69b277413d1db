// Typed Replicate objects as views.
//
// Every string_view here points into the arena of the request that produced it and is valid only
// during the callback that receives it; copy what you keep (owned_prediction does it for you).
// JSON-valued fields (input, output, metrics) are compact JSON text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "replicate/export.hpp"

namespace replicate {

enum class prediction_status : unsigned char {
  unknown,  // a status string this library does not know; see status_text
  starting,
  processing,
  succeeded,
  failed,
  canceled,
  aborted,
};

REPLICATE_API std::string_view prediction_status_name(prediction_status s) noexcept;
REPLICATE_API prediction_status prediction_status_parse(std::string_view text) noexcept;
// succeeded, failed, canceled and aborted: the prediction will not change again.
constexpr bool prediction_status_terminal(prediction_status s) noexcept {
  return s == prediction_status::succeeded || s == prediction_status::failed ||
         s == prediction_status::canceled || s == prediction_status::aborted;
}

struct prediction_urls {
  std::string_view get;
  std::string_view cancel;
  std::string_view stream;  // empty when the model does not stream
  std::string_view web;
};

struct prediction {
  std::string_view id;
  std::string_view model;
  std::string_view version;
  prediction_status status = prediction_status::unknown;
  std::string_view status_text;
  // "{}" when absent. run(), wait() and stream() report "{}": the API echoes the input in every
  // response, which can be megabytes of data URIs, so they drop it on the way in.
  std::string_view input_json;
  std::string_view output_json;  // "null" when absent
  std::string_view error;        // empty when null
  std::string_view logs;
  std::string_view created_at;
  std::string_view started_at;
  std::string_view completed_at;
  std::string_view deadline;
  std::string_view deployment;
  std::string_view source;
  std::string_view metrics_json;  // "null" when absent
  double predict_time = -1;       // metrics.predict_time in seconds, -1 when absent
  bool data_removed = false;
  prediction_urls urls;
  std::string_view raw_json;  // the whole object as received, for fields not covered here
};

// An owning copy of a prediction, for keeping past a callback (blocking facade, coroutines).
struct REPLICATE_API owned_prediction {
  std::string id, model, version, status_text, input_json, output_json, error, logs;
  std::string created_at, started_at, completed_at, deadline, deployment, source, metrics_json;
  std::string url_get, url_cancel, url_stream, url_web, raw_json;
  prediction_status status = prediction_status::unknown;
  double predict_time = -1;
  bool data_removed = false;

  owned_prediction() = default;
  explicit owned_prediction(const prediction& p);
  [[nodiscard]] prediction view() const noexcept;
};

// One page of a list endpoint. `items` and the views are valid only during the callback.
template <typename T>
struct page {
  const T* items = nullptr;
  std::size_t count = 0;
  std::string_view next;  // absolute URL of the next page, empty on the last page
  std::string_view previous;
};

}  // namespace replicate
