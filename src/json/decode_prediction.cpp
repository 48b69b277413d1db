#include <cstring>
#include <new>

#include "json/decode.hpp"

namespace replicate::detail {

cJSON* decode_body(arena* a, std::string_view body, error* err) noexcept {
  json_status status;
  cJSON* root = json_parse(a, body, &status);
  if (root == nullptr) {
    if (status == json_status::arena_full) {
      *err = error(errc::response_too_large, "parsed response does not fit the arena");
    } else {
      *err = error(errc::bad_response, body.substr(0, 200));
    }
  }
  return root;
}

void decode_prediction(arena* a, const cJSON* object, prediction* out) noexcept {
  out->id = json_string(object, "id");
  out->model = json_string(object, "model");
  out->version = json_string(object, "version");
  out->status_text = json_string(object, "status");
  out->status = prediction_status_parse(out->status_text);
  out->input_json = json_field_text(a, object, "input", "{}");
  out->output_json = json_field_text(a, object, "output", "null");
  out->error = json_string(object, "error");
  out->logs = json_string(object, "logs");
  out->created_at = json_string(object, "created_at");
  out->started_at = json_string(object, "started_at");
  out->completed_at = json_string(object, "completed_at");
  out->deadline = json_string(object, "deadline");
  out->deployment = json_string(object, "deployment");
  out->source = json_string(object, "source");
  out->metrics_json = json_field_text(a, object, "metrics", "null");
  const cJSON* metrics = cJSON_GetObjectItemCaseSensitive(object, "metrics");
  out->predict_time = json_number(metrics, "predict_time", -1);
  out->data_removed = json_bool(object, "data_removed", false);
  const cJSON* urls = cJSON_GetObjectItemCaseSensitive(object, "urls");
  out->urls.get = json_string(urls, "get");
  out->urls.cancel = json_string(urls, "cancel");
  out->urls.stream = json_string(urls, "stream");
  out->urls.web = json_string(urls, "web");
  out->raw_json = json_print(a, object);
}

bool decode_prediction_body(arena* a, std::string_view body, prediction* out, error* err) noexcept {
  cJSON* root = decode_body(a, body, err);
  if (root == nullptr) return false;
  if (!cJSON_IsObject(root) || json_string(root, "id").empty()) {
    *err = error(errc::bad_response, "response is not a prediction object");
    return false;
  }
  decode_prediction(a, root, out);
  if (a->exhausted) {
    *err = error(errc::response_too_large, "decoded prediction does not fit the arena");
    return false;
  }
  return true;
}

bool decode_prediction_page(arena* a, std::string_view body, page<prediction>* out,
                            error* err) noexcept {
  return decode_page(a, body, out, err, decode_prediction);
}

void decode_problem(arena* a, std::string_view body, error* err) noexcept {
  json_status status;
  cJSON* root = body.empty() ? nullptr : json_parse(a, body, &status);
  if (cJSON_IsObject(root)) {
    std::string_view title = json_string(root, "title");
    std::string_view detail = json_string(root, "detail");
    if (!title.empty()) err->set_title(title);
    if (!detail.empty()) err->set_detail(detail);
    if (!title.empty() || !detail.empty()) return;
  }
  if (!body.empty()) err->set_detail(body.substr(0, 300));
}

}  // namespace replicate::detail
