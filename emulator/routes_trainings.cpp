// /v1/trainings: create (from the versions route), get, cancel, list. A training's lifecycle is
// a prediction's; on success it adds a version to the destination model.
#include <cjson/cJSON.h>

#include <cstring>

#include "config.hpp"
#include "json_text.hpp"
#include "prediction.hpp"
#include "responses.hpp"
#include "routes.hpp"

namespace emu {

void trainings_create(connection* c, http_request& req, model* m, const model_version* version) {
  json_doc doc(cJSON_Parse(req.body.c_str()));
  const cJSON* body = doc.root;
  if (!cJSON_IsObject(body)) return respond_invalid(c, "The request body must be a JSON object");
  const cJSON* field;
  cJSON_ArrayForEach(field, body) {
    const char* k = field->string;
    if (std::strcmp(k, "destination") != 0 && std::strcmp(k, "input") != 0 &&
        std::strcmp(k, "webhook") != 0 && std::strcmp(k, "webhook_events_filter") != 0)
      return respond_invalid(c, std::string("Additional property ") + k + " is not allowed");
  }
  const char* destination = json_get_string(body, "destination");
  if (destination == nullptr) return respond_invalid(c, "destination is required");
  const cJSON* input = json_get(body, "input");
  if (!cJSON_IsObject(input)) return respond_invalid(c, "input is required and must be an object");
  create_options opts;
  if (!read_webhook_fields(c, body, &opts)) return;
  std::string dest = destination;
  std::size_t slash = dest.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == dest.size() ||
      dest.find('/', slash + 1) != std::string::npos)
    return respond_invalid(c, "destination must be owner/name");
  if (catalog_find(dest.substr(0, slash), dest.substr(slash + 1)) == nullptr) {
    std::string out = R"({"detail":"The specified training destination does not exist",)"
                      R"("status":404})";
    return respond_json(c, 404, out, "application/problem+json");
  }
  prediction_params params;
  params.m = m;
  params.version = version;
  params.input_json = json_print(input);
  params.webhook = opts.webhook;
  params.webhook_filter = opts.webhook_filter;
  params.training = true;
  params.destination = dest;
  prediction* t = prediction_create(params);
  respond_json(c, 201, prediction_render(*t));
}

bool route_trainings(connection* c, http_request& req, const segments& seg) {
  if (seg[0] != "trainings") return false;
  const std::string& method = req.method;
  if (seg.size() == 1) {
    if (method != "GET") return respond_method_not_allowed(c, "GET"), true;
    std::vector<const prediction*> items;
    const auto& all = prediction_all();
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
      if (!(*it)->training) continue;
      items.push_back(it->get());
    }
    respond_page(c, req, items, [](const prediction& x) { return prediction_render(x); });
    return true;
  }
  prediction* t = prediction_find(seg[1], true);
  if (seg.size() == 2) {
    if (method != "GET") return respond_method_not_allowed(c, "GET"), true;
    if (t == nullptr) return respond_not_found(c, "Training not found"), true;
    prediction_on_poll(t);
    return respond_json(c, 200, prediction_render(*t)), true;
  }
  if (seg.size() == 3 && seg[2] == "cancel") {
    if (method != "POST") return respond_method_not_allowed(c, "POST"), true;
    if (t == nullptr) return respond_not_found(c, "Training not found"), true;
    prediction_cancel(t);
    return respond_json(c, 200, prediction_render(*t)), true;
  }
  respond_not_found(c, "No route for " + req.path);
  return true;
}

}  // namespace emu
