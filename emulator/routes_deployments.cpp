// /v1/deployments: list, create (200, not 201), get, update (PATCH bumps the release number),
// delete (204), and predictions through a deployment.
#include <cjson/cJSON.h>

#include <cmath>
#include <cstring>
#include <memory>

#include "clock.hpp"
#include "config.hpp"
#include "json_text.hpp"
#include "responses.hpp"
#include "routes.hpp"

namespace emu {

namespace {

struct deployment {
  uint64_t seq = 0;
  std::string owner = "emulator";
  std::string name;
  int number = 1;
  std::string model_name;
  std::string version;
  double release_created_at = 0;
  std::string hardware;
  int min_instances = 0;
  int max_instances = 1;
};

std::vector<std::unique_ptr<deployment>> deployments;
uint64_t next_seq = 1;

bool valid_sku(const std::string& s) {
  for (const char* sku : {"cpu", "gpu-t4", "gpu-l40s", "gpu-a100-large", "gpu-h100"})
    if (s == sku) return true;
  return false;
}

std::string render(const deployment& d) {
  std::string out = "{";
  json_field(out, "owner", d.owner);
  json_field(out, "name", d.name);
  json_append_key(out, "current_release");
  out += '{';
  json_field_raw(out, "number", std::to_string(d.number));
  json_field(out, "model", d.model_name);
  json_field(out, "version", d.version);
  json_field(out, "created_at", rfc3339(d.release_created_at));
  json_field_raw(out, "created_by",
                 R"({"type":"user","username":"emulator","name":"Emulator User",)"
                 R"("avatar_url":null,"github_url":null})");
  json_append_key(out, "configuration");
  out += '{';
  json_field(out, "hardware", d.hardware);
  json_field_raw(out, "min_instances", std::to_string(d.min_instances));
  json_field_raw(out, "max_instances", std::to_string(d.max_instances));
  out += "}}}";
  return out;
}

deployment* find(const std::string& owner, const std::string& name) {
  for (auto& d : deployments)
    if (d->owner == owner && d->name == name) return d.get();
  return nullptr;
}

// Reads an integer in [lo, hi]; answers 422 and returns false when present but invalid.
bool read_int(connection* c, const cJSON* body, const char* key, int lo, int hi, int* out,
              bool required) {
  const cJSON* v = json_get(body, key);
  if (v == nullptr) {
    if (required) respond_invalid(c, std::string(key) + " is required");
    return !required;
  }
  if (!cJSON_IsNumber(v) || std::floor(v->valuedouble) != v->valuedouble || v->valuedouble < lo ||
      v->valuedouble > hi) {
    respond_invalid(c, std::string(key) + " must be an integer from " + std::to_string(lo) +
                           " to " + std::to_string(hi));
    return false;
  }
  *out = v->valueint;
  return true;
}

bool check_keys(connection* c, const cJSON* body, std::initializer_list<const char*> allowed) {
  const cJSON* field;
  cJSON_ArrayForEach(field, body) {
    bool ok = false;
    for (const char* a : allowed) ok = ok || std::strcmp(a, field->string) == 0;
    if (!ok) {
      respond_invalid(c, std::string("Additional property ") + field->string + " is not allowed");
      return false;
    }
  }
  return true;
}

// The version must belong to the model (64-hex id).
bool version_of(const std::string& model_name, const std::string& version) {
  std::size_t slash = model_name.find('/');
  if (slash == std::string::npos) return false;
  model* m = catalog_find(model_name.substr(0, slash), model_name.substr(slash + 1));
  if (m == nullptr) return false;
  for (const auto& v : m->versions)
    if (v.id == version) return true;
  return false;
}

void create(connection* c, http_request& req) {
  json_doc doc(cJSON_Parse(req.body.c_str()));
  const cJSON* body = doc.root;
  if (!cJSON_IsObject(body)) return respond_invalid(c, "The request body must be a JSON object");
  if (!check_keys(c, body,
                  {"name", "model", "version", "hardware", "min_instances", "max_instances"}))
    return;
  for (const char* k : {"name", "model", "version", "hardware"})
    if (json_get_string(body, k) == nullptr)
      return respond_invalid(c, std::string(k) + " is required and must be a string");
  auto d = std::make_unique<deployment>();
  d->name = json_get_string(body, "name");
  d->model_name = json_get_string(body, "model");
  d->version = json_get_string(body, "version");
  d->hardware = json_get_string(body, "hardware");
  if (!read_int(c, body, "min_instances", 0, 5, &d->min_instances, true) ||
      !read_int(c, body, "max_instances", 0, 20, &d->max_instances, true))
    return;
  if (d->name.empty()) return respond_invalid(c, "name must not be empty");
  if (!valid_sku(d->hardware)) return respond_invalid(c, "hardware must be a SKU from /hardware");
  if (!version_of(d->model_name, d->version))
    return respond_invalid(c, "version must be a version id of model " + d->model_name);
  if (d->min_instances > d->max_instances)
    return respond_invalid(c, "min_instances must not exceed max_instances");
  if (find(d->owner, d->name) != nullptr)
    return respond_problem(c, 409, "Conflict", "A deployment with that name already exists");
  d->seq = next_seq++;
  d->release_created_at = now_unix();
  deployments.push_back(std::move(d));
  respond_json(c, 200, render(*deployments.back()));
}

void update(connection* c, http_request& req, deployment* d) {
  json_doc doc(cJSON_Parse(req.body.c_str()));
  const cJSON* body = doc.root;
  if (!cJSON_IsObject(body)) return respond_invalid(c, "The request body must be a JSON object");
  if (!check_keys(c, body, {"hardware", "min_instances", "max_instances", "version"})) return;
  deployment next = *d;
  if (const cJSON* h = json_get(body, "hardware")) {
    if (!cJSON_IsString(h) || !valid_sku(h->valuestring))
      return respond_invalid(c, "hardware must be a SKU from /hardware");
    next.hardware = h->valuestring;
  }
  if (const cJSON* v = json_get(body, "version")) {
    if (!cJSON_IsString(v) || !version_of(next.model_name, v->valuestring))
      return respond_invalid(c, "version must be a version id of model " + next.model_name);
    next.version = v->valuestring;
  }
  if (!read_int(c, body, "min_instances", 0, 5, &next.min_instances, false) ||
      !read_int(c, body, "max_instances", 0, 20, &next.max_instances, false))
    return;
  if (next.min_instances > next.max_instances)
    return respond_invalid(c, "min_instances must not exceed max_instances");
  next.number++;
  next.release_created_at = now_unix();
  *d = next;
  respond_json(c, 200, render(*d));
}

}  // namespace

bool route_deployments(connection* c, http_request& req, const segments& seg) {
  if (seg[0] != "deployments") return false;
  const std::string& method = req.method;
  if (seg.size() == 1) {
    if (method == "POST") return create(c, req), true;
    if (method != "GET") return respond_method_not_allowed(c, "GET, POST"), true;
    std::vector<const deployment*> items;
    for (auto it = deployments.rbegin(); it != deployments.rend(); ++it) {
      items.push_back(it->get());
    }
    respond_page(c, req, items, [](const deployment& x) { return render(x); });
    return true;
  }
  if (seg.size() < 3) return respond_not_found(c, "No route for " + req.path), true;
  deployment* d = find(seg[1], seg[2]);
  if (d == nullptr) return respond_not_found(c, "Deployment not found"), true;
  if (seg.size() == 3) {
    if (method == "GET") return respond_json(c, 200, render(*d)), true;
    if (method == "PATCH") return update(c, req, d), true;
    if (method == "DELETE") {
      for (auto it = deployments.begin(); it != deployments.end(); ++it) {
        if (it->get() == d) {
          deployments.erase(it);
          break;
        }
      }
      return respond_empty(c, 204), true;
    }
    return respond_method_not_allowed(c, "GET, PATCH, DELETE"), true;
  }
  if (seg.size() == 4 && seg[3] == "predictions") {
    if (method != "POST") return respond_method_not_allowed(c, "POST"), true;
    std::size_t slash = d->model_name.find('/');
    model* m = catalog_find(d->model_name.substr(0, slash), d->model_name.substr(slash + 1));
    const model_version* version = nullptr;
    if (m != nullptr)
      for (const auto& v : m->versions)
        if (v.id == d->version) version = &v;
    if (m == nullptr || version == nullptr)
      return respond_problem(c, 409, "Conflict", "The deployment's version no longer exists"), true;
    return predictions_create(c, req, m, version, d->owner + "/" + d->name, false), true;
  }
  respond_not_found(c, "No route for " + req.path);
  return true;
}

}  // namespace emu
