#include "json/decode_resources.hpp"

namespace replicate::detail {

void decode_training(arena* a, const cJSON* object, training* out) noexcept {
  out->id = json_string(object, "id");
  out->model = json_string(object, "model");
  out->version = json_string(object, "version");
  out->status_text = json_string(object, "status");
  out->status = prediction_status_parse(out->status_text);
  out->input_json = json_field_text(a, object, "input", "{}");
  out->output_json = json_field_text(a, object, "output", "null");
  const cJSON* output = cJSON_GetObjectItemCaseSensitive(object, "output");
  out->output_version = json_string(output, "version");
  out->output_weights = json_string(output, "weights");
  out->logs = json_string(object, "logs");
  out->error = json_string(object, "error");
  out->created_at = json_string(object, "created_at");
  out->started_at = json_string(object, "started_at");
  out->completed_at = json_string(object, "completed_at");
  out->source = json_string(object, "source");
  out->metrics_json = json_field_text(a, object, "metrics", "null");
  const cJSON* urls = cJSON_GetObjectItemCaseSensitive(object, "urls");
  out->urls.get = json_string(urls, "get");
  out->urls.cancel = json_string(urls, "cancel");
  out->urls.web = json_string(urls, "web");
  out->raw_json = json_print(a, object);
}

bool decode_training_body(arena* a, std::string_view body, training* out, error* err) noexcept {
  cJSON* root = decode_object_root(a, body, err, "response is not a training object");
  if (root == nullptr) return false;
  if (json_string(root, "id").empty()) {
    *err = error(errc::bad_response, "training has no id");
    return false;
  }
  decode_training(a, root, out);
  return decode_fits(a, err, "decoded training does not fit the arena");
}

bool decode_training_page(arena* a, std::string_view body, page<training>* out,
                          error* err) noexcept {
  return decode_page(a, body, out, err, decode_training);
}

}  // namespace replicate::detail
