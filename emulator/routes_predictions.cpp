// /v1/predictions: create (also reached from the models and deployments routes), get, cancel,
// list. Prefer: wait holds the create response; Cancel-After sets a deadline.
#include <cjson/cJSON.h>

#include <cmath>
#include <cstdlib>
#include <cstring>

#include "clock.hpp"
#include "config.hpp"
#include "json_text.hpp"
#include "prediction.hpp"
#include "responses.hpp"
#include "routes.hpp"

namespace emu {

namespace {

// Prefer: "wait" (60 s) or "wait=N", N in 1..60. Returns false if malformed. *seconds is
// negative for the bare form so that Preference-Applied can echo what was asked.
bool parse_prefer(const std::string& value, int* seconds) {
  std::string v = value;
  while (!v.empty() && v.back() == ' ') v.pop_back();
  while (!v.empty() && v.front() == ' ') v.erase(0, 1);
  if (v == "wait") {
    *seconds = -60;
    return true;
  }
  if (v.rfind("wait=", 0) != 0 || v.size() < 6 || v.size() > 7) return false;
  int n = 0;
  for (std::size_t i = 5; i < v.size(); ++i) {
    if (v[i] < '0' || v[i] > '9') return false;
    n = n * 10 + (v[i] - '0');
  }
  if (v[5] == '0' || n < 1 || n > 60) return false;
  *seconds = n;
  return true;
}

// Cancel-After: "30", "30s", "5m", "1h30m45s". Returns seconds, or -1 if malformed.
double parse_duration(const std::string& value) {
  if (value.empty()) return -1;
  bool all_digits = true;
  for (char ch : value) all_digits = all_digits && ch >= '0' && ch <= '9';
  if (all_digits) return std::strtod(value.c_str(), nullptr);
  double total = 0;
  std::size_t i = 0;
  int last_unit = 4;  // units must go h, m, s in that order
  while (i < value.size()) {
    std::size_t j = i;
    while (j < value.size() && ((value[j] >= '0' && value[j] <= '9') || value[j] == '.')) ++j;
    if (j == i || j >= value.size()) return -1;
    double n = std::strtod(value.substr(i, j - i).c_str(), nullptr);
    int unit = value[j] == 'h' ? 3 : value[j] == 'm' ? 2 : value[j] == 's' ? 1 : 0;
    if (unit == 0 || unit >= last_unit) return -1;
    last_unit = unit;
    total += n * (unit == 3 ? 3600 : unit == 2 ? 60 : 1);
    i = j + 1;
  }
  return total;
}

void respond_created(connection* c, prediction* p, int wait_seconds) {
  http_response res;
  res.status = 201;
  res.content_type = "application/json; charset=UTF-8";
  res.body = prediction_render(*p);
  if (wait_seconds != 0)
    res.headers.emplace_back("Preference-Applied", wait_seconds < 0
                                                       ? std::string("wait")
                                                       : "wait=" + std::to_string(wait_seconds));
  conn_respond(c, res);
}

void respond_prediction(connection* c, const prediction* p) {
  respond_json(c, 200, prediction_render(*p), "application/json; charset=UTF-8");
}

void list_predictions(connection* c, http_request& req) {
  double after = 0, before = 0;
  bool has_after = false, has_before = false;
  std::string a = req.query_param("created_after", &has_after);
  std::string b = req.query_param("created_before", &has_before);
  if ((has_after && !rfc3339_parse(a, &after)) || (has_before && !rfc3339_parse(b, &before))) {
    respond_invalid(c, "created_after and created_before must be RFC 3339 date-times");
    return;
  }
  std::vector<const prediction*> items;
  const auto& all = prediction_all();
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    const prediction* p = it->get();
    if (p->training) continue;
    if (has_after && !(p->created_at > after)) continue;
    if (has_before && !(p->created_at < before)) continue;
    items.push_back(p);
  }
  respond_page(c, req, items, [](const prediction& p) { return prediction_render(p); });
}

}  // namespace

bool read_webhook_fields(connection* c, const void* body_json, create_options* out) {
  const auto* body = static_cast<const cJSON*>(body_json);
  const cJSON* wh = json_get(body, "webhook");
  if (wh != nullptr && !cJSON_IsNull(wh)) {
    if (!cJSON_IsString(wh) || (std::strncmp(wh->valuestring, "http://", 7) != 0 &&
                                std::strncmp(wh->valuestring, "https://", 8) != 0)) {
      respond_invalid(c, "webhook must be an http(s) URL");
      return false;
    }
    out->webhook = wh->valuestring;
  }
  const cJSON* filter = json_get(body, "webhook_events_filter");
  if (filter != nullptr && !cJSON_IsNull(filter)) {
    if (!cJSON_IsArray(filter)) {
      respond_invalid(c, "webhook_events_filter must be an array");
      return false;
    }
    out->has_filter = true;
    const cJSON* e;
    cJSON_ArrayForEach(e, filter) {
      const char* s = cJSON_IsString(e) ? e->valuestring : "";
      unsigned bit = std::strcmp(s, "start") == 0       ? wh_start
                     : std::strcmp(s, "output") == 0    ? wh_output
                     : std::strcmp(s, "logs") == 0      ? wh_logs
                     : std::strcmp(s, "completed") == 0 ? wh_completed
                                                        : 0u;
      if (bit == 0) {
        respond_invalid(c,
                        "webhook_events_filter items must be one of start, output, logs, "
                        "completed");
        return false;
      }
      out->webhook_filter |= bit;
    }
  }
  if (!out->has_filter) out->webhook_filter = wh_output | wh_completed;
  return true;
}

bool validate_input(connection* c, const model_version* version, const void* input_json) {
  const auto* input = static_cast<const cJSON*>(input_json);
  if (version == nullptr || version->openapi_schema.empty()) return true;
  json_doc schema(cJSON_Parse(version->openapi_schema.c_str()));
  const cJSON* in_schema =
      json_get(json_get(json_get(schema.root, "components"), "schemas"), "Input");
  const cJSON* props = json_get(in_schema, "properties");
  const cJSON* req;
  cJSON_ArrayForEach(req, json_get(in_schema, "required")) {
    if (cJSON_IsString(req) && json_get(input, req->valuestring) == nullptr) {
      respond_invalid(c, std::string("input: ") + req->valuestring + " is required");
      return false;
    }
  }
  const cJSON* field;
  cJSON_ArrayForEach(field, input) {
    const char* type = json_get_string(json_get(props, field->string), "type");
    if (type == nullptr) continue;
    bool ok = true;
    if (std::strcmp(type, "string") == 0) ok = cJSON_IsString(field);
    if (std::strcmp(type, "number") == 0) ok = cJSON_IsNumber(field);
    if (std::strcmp(type, "integer") == 0)
      ok = cJSON_IsNumber(field) && std::floor(field->valuedouble) == field->valuedouble;
    if (std::strcmp(type, "boolean") == 0) ok = cJSON_IsBool(field);
    if (std::strcmp(type, "array") == 0) ok = cJSON_IsArray(field);
    if (ok && cJSON_IsNumber(field)) {
      const cJSON* min = json_get(json_get(props, field->string), "minimum");
      if (cJSON_IsNumber(min) && field->valuedouble < min->valuedouble) {
        respond_invalid(c, std::string("input.") + field->string + ": must be greater than or " +
                               "equal to " + json_print(min));
        return false;
      }
    }
    if (!ok) {
      respond_invalid(c,
                      std::string("input.") + field->string + ": Invalid type. Expected: " + type);
      return false;
    }
  }
  return true;
}

void predictions_create(connection* c, http_request& req, model* m, const model_version* version,
                        const std::string& deployment, bool version_field_allowed) {
  json_doc doc(cJSON_Parse(req.body.c_str()));
  const cJSON* body = doc.root;
  if (!cJSON_IsObject(body)) {
    respond_invalid(c, "The request body must be a JSON object");
    return;
  }
  const cJSON* field;
  cJSON_ArrayForEach(field, body) {
    const char* k = field->string;
    bool allowed = std::strcmp(k, "input") == 0 || std::strcmp(k, "webhook") == 0 ||
                   std::strcmp(k, "webhook_events_filter") == 0 || std::strcmp(k, "stream") == 0 ||
                   (version_field_allowed && std::strcmp(k, "version") == 0);
    if (!allowed) {
      respond_invalid(c, std::string("Additional property ") + k + " is not allowed");
      return;
    }
  }
  const cJSON* input = json_get(body, "input");
  if (!cJSON_IsObject(input)) {
    respond_invalid(c, "input is required and must be an object");
    return;
  }
  const cJSON* stream = json_get(body, "stream");
  if (stream != nullptr && !cJSON_IsBool(stream)) {
    respond_invalid(c, "stream must be a boolean");
    return;
  }
  create_options opts;
  if (!read_webhook_fields(c, body, &opts)) return;

  if (version_field_allowed) {
    const char* v = json_get_string(body, "version");
    if (v == nullptr) {
      respond_invalid(c, "version is required");
      return;
    }
    std::string ref = v;
    std::size_t colon = ref.find(':');
    std::size_t slash = ref.find('/');
    if (colon == std::string::npos && slash == std::string::npos) {
      if (!is_hex64(ref)) {
        respond_invalid(c,
                        "version must be a 64-character version id, owner/name or "
                        "owner/name:version");
        return;
      }
      m = catalog_find_version(ref, &version);
    } else if (slash == std::string::npos || (colon != std::string::npos && colon < slash)) {
      respond_invalid(c,
                      "version must be a 64-character version id, owner/name or "
                      "owner/name:version");
      return;
    } else {
      std::string owner = ref.substr(0, slash);
      std::string name =
          ref.substr(slash + 1, colon == std::string::npos ? std::string::npos : colon - slash - 1);
      m = catalog_find(owner, name);
      version = nullptr;
      if (m != nullptr && colon != std::string::npos) {
        std::string id = ref.substr(colon + 1);
        for (const auto& ver : m->versions)
          if (ver.id == id) version = &ver;
        if (version == nullptr) m = nullptr;
      } else if (m != nullptr) {
        version = m->latest();
      }
    }
    if (m == nullptr) {
      respond_problem(c, 404, "Not found",
                      "The specified version does not exist (or perhaps "
                      "you don't have permission to use it?)");
      return;
    }
  }
  if (version == nullptr) version = m->latest();
  if (version == nullptr) {
    respond_problem(c, 404, "Not found", "The model has no versions to run");
    return;
  }
  if (!validate_input(c, version, input)) return;

  int wait_seconds = 0;
  if (const std::string* prefer = req.header("prefer")) {
    if (!parse_prefer(*prefer, &wait_seconds)) {
      respond_problem(c, 400, "Invalid Prefer header",
                      "Prefer must be \"wait\" or \"wait=n\" with n from 1 to 60");
      return;
    }
  }
  double cancel_after = 0;
  if (const std::string* ca = req.header("cancel-after")) {
    cancel_after = parse_duration(*ca);
    if (cancel_after < 0) {
      respond_invalid(c, "Cancel-After must be a duration such as 30, 30s, 5m or 1h30m45s");
      return;
    }
    if (cancel_after < 5) {
      respond_invalid(c, "Cancel-After must be at least 5 seconds");
      return;
    }
  }

  prediction_params params;
  params.m = m;
  params.version = version;
  params.input_json = json_print(input);
  params.webhook = opts.webhook;
  params.webhook_filter = opts.webhook_filter;
  params.cancel_after_s = cancel_after;
  params.deployment = deployment;
  prediction* p = prediction_create(params);
  if (wait_seconds != 0) {
    prediction_wait(p, c, wait_seconds < 0 ? -wait_seconds : wait_seconds,
                    wait_seconds < 0
                        ? +[](connection* c, prediction* p, int) { respond_created(c, p, -60); }
                        : respond_created);
  } else {
    respond_created(c, p, 0);
  }
}

bool route_predictions(connection* c, http_request& req, const segments& seg) {
  if (seg[0] != "predictions") return false;
  const std::string& m = req.method;
  if (seg.size() == 1) {
    if (m == "POST")
      predictions_create(c, req, nullptr, nullptr, "", true);
    else if (m == "GET")
      list_predictions(c, req);
    else
      respond_method_not_allowed(c, "GET, POST");
    return true;
  }
  prediction* p = prediction_find(seg[1], false);
  if (seg.size() == 2) {
    if (m != "GET") {
      respond_method_not_allowed(c, "GET");
    } else if (p == nullptr) {
      respond_not_found(c, "Prediction not found");
    } else {
      prediction_on_poll(p);
      respond_prediction(c, p);
    }
    return true;
  }
  if (seg.size() == 3 && seg[2] == "cancel") {
    if (m != "POST") {
      respond_method_not_allowed(c, "POST");
    } else if (p == nullptr) {
      respond_not_found(c, "Prediction not found");
    } else {
      prediction_cancel(p);
      respond_prediction(c, p);
    }
    return true;
  }
  respond_not_found(c, "No route for " + req.path);
  return true;
}

}  // namespace emu
