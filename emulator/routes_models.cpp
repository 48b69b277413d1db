// /v1/models: list, create, search (QUERY), get, update, delete, readme, examples, versions,
// and the model-scoped prediction and training creates.
#include <cjson/cJSON.h>

#include <algorithm>
#include <cstring>

#include "clock.hpp"
#include "config.hpp"
#include "json_text.hpp"
#include "prediction.hpp"
#include "responses.hpp"
#include "routes.hpp"

namespace emu {

namespace {

// The account every request acts as; models it owns can be changed and deleted.
constexpr const char* own_username = "emulator";

double latest_version_time(const model& m) {
  return m.latest() != nullptr ? m.latest()->created_at : m.created_at;
}

void list_models(connection* c, http_request& req) {
  std::string sort_by = req.query_param("sort_by");
  std::string direction = req.query_param("sort_direction");
  if (sort_by.empty()) sort_by = "latest_version_created_at";
  if (direction.empty()) direction = "desc";
  if ((sort_by != "latest_version_created_at" && sort_by != "model_created_at") ||
      (direction != "asc" && direction != "desc")) {
    respond_invalid(c,
                    "sort_by must be model_created_at or latest_version_created_at; "
                    "sort_direction asc or desc");
    return;
  }
  std::vector<model*> items;
  for (auto& m : catalog_models())
    if (m->visibility == "public" || m->owner == own_username) items.push_back(m.get());
  bool by_version = sort_by == "latest_version_created_at";
  std::stable_sort(items.begin(), items.end(), [&](const model* a, const model* b) {
    double ta = by_version ? latest_version_time(*a) : a->created_at;
    double tb = by_version ? latest_version_time(*b) : b->created_at;
    if (ta != tb) return direction == "desc" ? ta > tb : ta < tb;
    return direction == "desc" ? a->seq > b->seq : a->seq < b->seq;
  });
  // Positions stand in for sequence numbers: the order is fixed for the sort.
  std::vector<uint64_t> seqs;
  for (std::size_t i = 0; i < items.size(); ++i) seqs.push_back(items.size() - i);
  bool bad = false;
  page pg = paginate(req, seqs, static_cast<std::size_t>(g_config.page_size), &bad);
  if (bad) return respond_invalid(c, "Invalid cursor");
  std::vector<std::string> rendered;
  for (std::size_t i = pg.begin; i < pg.end; ++i) rendered.push_back(model_render(*items[i]));
  respond_json(c, 200, page_render(pg, rendered));
}

void search_models(connection* c, http_request& req) {
  std::string q = req.body;
  while (!q.empty() && (q.back() == '\n' || q.back() == ' ')) q.pop_back();
  if (q.empty()) return respond_invalid(c, "The request body must be the search text");
  auto lower = [](std::string s) {
    for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
  };
  std::string needle = lower(q);
  std::vector<uint64_t> seqs;
  std::vector<const model*> items;
  const auto& all = catalog_models();
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    const model& m = **it;
    if (m.visibility != "public" && m.owner != own_username) continue;
    if (lower(m.full_name() + " " + m.description).find(needle) == std::string::npos) continue;
    seqs.push_back(m.seq);
    items.push_back(&m);
  }
  bool bad = false;
  page pg = paginate(req, seqs, static_cast<std::size_t>(g_config.page_size), &bad);
  if (bad) return respond_invalid(c, "Invalid cursor");
  std::vector<std::string> rendered;
  for (std::size_t i = pg.begin; i < pg.end; ++i)
    rendered.push_back(model_render(*items[i], false));
  respond_json(c, 200, page_render(pg, rendered));
}

bool valid_name(const std::string& s) {
  if (s.empty() || s.size() > 100) return false;
  for (char ch : s)
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
          ch == '.'))
      return false;
  return true;
}

bool read_optional_strings(connection* c, const cJSON* body, model* m,
                           std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    const cJSON* v = json_get(body, k);
    if (v == nullptr) continue;
    if (!cJSON_IsString(v) && !cJSON_IsNull(v)) {
      respond_invalid(c, std::string(k) + " must be a string");
      return false;
    }
    std::string s = cJSON_IsString(v) ? v->valuestring : "";
    if (std::strcmp(k, "description") == 0) m->description = s;
    if (std::strcmp(k, "github_url") == 0) m->github_url = s;
    if (std::strcmp(k, "paper_url") == 0) m->paper_url = s;
    if (std::strcmp(k, "license_url") == 0) m->license_url = s;
    if (std::strcmp(k, "cover_image_url") == 0) m->cover_image_url = s;
    if (std::strcmp(k, "weights_url") == 0) m->weights_url = s;
    if (std::strcmp(k, "readme") == 0) m->readme = s;
  }
  return true;
}

void create_model(connection* c, http_request& req) {
  json_doc doc(cJSON_Parse(req.body.c_str()));
  const cJSON* body = doc.root;
  if (!cJSON_IsObject(body)) return respond_invalid(c, "The request body must be a JSON object");
  static const char* allowed[] = {"owner",     "name",        "visibility",
                                  "hardware",  "description", "github_url",
                                  "paper_url", "license_url", "cover_image_url"};
  const cJSON* field;
  cJSON_ArrayForEach(field, body) {
    bool ok = false;
    for (const char* a : allowed) ok = ok || std::strcmp(a, field->string) == 0;
    if (!ok)
      return respond_invalid(
          c, std::string("Additional property ") + field->string + " is not allowed");
  }
  for (const char* k : {"owner", "name", "visibility", "hardware"}) {
    if (json_get_string(body, k) == nullptr)
      return respond_invalid(c, std::string(k) + " is required");
  }
  std::string owner = json_get_string(body, "owner");
  std::string name = json_get_string(body, "name");
  std::string visibility = json_get_string(body, "visibility");
  std::string hardware = json_get_string(body, "hardware");
  if (visibility != "public" && visibility != "private")
    return respond_invalid(c, "visibility must be public or private");
  if (!valid_name(name))
    return respond_invalid(c, "name may contain only lowercase letters, digits, '-', '_' and '.'");
  static const char* skus[] = {"cpu", "gpu-t4", "gpu-l40s", "gpu-a100-large", "gpu-h100"};
  bool sku_ok = false;
  for (const char* s : skus) sku_ok = sku_ok || hardware == s;
  if (!sku_ok) return respond_invalid(c, "hardware must be a SKU from GET /v1/hardware");
  if (owner != own_username)
    return respond_problem(c, 403, "Forbidden",
                           "You can only create models under your own account (\"emulator\")");
  if (catalog_find(owner, name) != nullptr)
    return respond_problem(c, 409, "Conflict", "A model with that name already exists");
  auto m = std::make_unique<model>();
  m->owner = owner;
  m->name = name;
  m->visibility = visibility;
  m->hardware = hardware;
  m->created_at = now_unix();
  if (!read_optional_strings(
          c, body, m.get(),
          {"description", "github_url", "paper_url", "license_url", "cover_image_url"}))
    return;
  m->run_count = 0;
  model* added = catalog_add(std::move(m));
  respond_json(c, 201, model_render(*added));
}

void update_model(connection* c, http_request& req, model* m) {
  json_doc doc(cJSON_Parse(req.body.c_str()));
  const cJSON* body = doc.root;
  if (!cJSON_IsObject(body)) return respond_invalid(c, "The request body must be a JSON object");
  static const char* allowed[] = {"description", "readme",      "github_url",
                                  "paper_url",   "weights_url", "license_url"};
  const cJSON* field;
  cJSON_ArrayForEach(field, body) {
    bool ok = false;
    for (const char* a : allowed) ok = ok || std::strcmp(a, field->string) == 0;
    if (!ok)
      return respond_invalid(
          c, std::string("Additional property ") + field->string + " is not allowed");
  }
  if (m->owner != own_username)
    return respond_problem(c, 403, "Forbidden", "You can only update your own models");
  model copy_check = *m;
  if (!read_optional_strings(
          c, body, &copy_check,
          {"description", "readme", "github_url", "paper_url", "weights_url", "license_url"}))
    return;
  *m = std::move(copy_check);
  respond_json(c, 200, model_render(*m));
}

void delete_model(connection* c, model* m) {
  if (m->owner != own_username)
    return respond_problem(c, 403, "Forbidden", "You can only delete your own models");
  if (m->visibility != "private")
    return respond_problem(c, 409, "Conflict", "Only private models can be deleted");
  if (!m->versions.empty())
    return respond_problem(c, 409, "Conflict",
                           "Delete the model's versions before deleting the model");
  catalog_remove(m);
  respond_empty(c, 204);
}

void list_examples(connection* c, http_request& req, const model* m) {
  // The default example: a finished prediction of the model, if any exists.
  std::vector<uint64_t> seqs;
  std::vector<const prediction*> items;
  std::string full = m->full_name();
  const auto& all = prediction_all();
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    const prediction* p = it->get();
    if (p->training || p->model_name != full || p->status != prediction_status::succeeded) continue;
    seqs.push_back(p->seq);
    items.push_back(p);
    break;
  }
  bool bad = false;
  page pg = paginate(req, seqs, static_cast<std::size_t>(g_config.page_size), &bad);
  if (bad) return respond_invalid(c, "Invalid cursor");
  std::vector<std::string> rendered;
  for (std::size_t i = pg.begin; i < pg.end; ++i) rendered.push_back(prediction_render(*items[i]));
  respond_json(c, 200, page_render(pg, rendered));
}

void list_versions(connection* c, http_request& req, const model* m) {
  std::vector<uint64_t> seqs;
  std::vector<const model_version*> items;
  for (std::size_t i = m->versions.size(); i-- > 0;) {
    seqs.push_back(i + 1);
    items.push_back(&m->versions[i]);
  }
  bool bad = false;
  page pg = paginate(req, seqs, static_cast<std::size_t>(g_config.page_size), &bad);
  if (bad) return respond_invalid(c, "Invalid cursor");
  std::vector<std::string> rendered;
  for (std::size_t i = pg.begin; i < pg.end; ++i) rendered.push_back(version_render(*items[i]));
  respond_json(c, 200, page_render(pg, rendered));
}

}  // namespace

bool route_models(connection* c, http_request& req, const segments& seg) {
  if (seg[0] != "models") return false;
  const std::string& method = req.method;
  if (seg.size() == 1) {
    if (method == "GET") return list_models(c, req), true;
    if (method == "POST") return create_model(c, req), true;
    if (method == "QUERY") return search_models(c, req), true;
    return respond_method_not_allowed(c, "GET, POST, QUERY"), true;
  }
  if (seg.size() < 3) return respond_not_found(c, "No route for " + req.path), true;
  model* m = catalog_find(seg[1], seg[2]);
  if (m == nullptr || (m->visibility == "private" && m->owner != own_username))
    return respond_not_found(c, "Model not found"), true;
  if (seg.size() == 3) {
    if (method == "GET") return respond_json(c, 200, model_render(*m)), true;
    if (method == "PATCH") return update_model(c, req, m), true;
    if (method == "DELETE") return delete_model(c, m), true;
    return respond_method_not_allowed(c, "GET, PATCH, DELETE"), true;
  }
  const std::string& sub = seg[3];
  if (seg.size() == 4 && sub == "predictions") {
    if (method != "POST") return respond_method_not_allowed(c, "POST"), true;
    return predictions_create(c, req, m, nullptr, "", false), true;
  }
  if (seg.size() == 4 && sub == "readme") {
    if (method != "GET") return respond_method_not_allowed(c, "GET"), true;
    if (m->readme.empty()) return respond_empty(c, 404), true;
    return respond_text(c, 200, m->readme, "text/plain; charset=utf-8"), true;
  }
  if (seg.size() == 4 && sub == "examples") {
    if (method != "GET") return respond_method_not_allowed(c, "GET"), true;
    return list_examples(c, req, m), true;
  }
  if (sub != "versions") return respond_not_found(c, "No route for " + req.path), true;
  if (seg.size() == 4) {
    if (method != "GET") return respond_method_not_allowed(c, "GET"), true;
    return list_versions(c, req, m), true;
  }
  const model_version* version = nullptr;
  std::size_t index = 0;
  for (std::size_t i = 0; i < m->versions.size(); ++i) {
    if (m->versions[i].id == seg[4]) {
      version = &m->versions[i];
      index = i;
    }
  }
  if (version == nullptr) return respond_not_found(c, "Version not found"), true;
  if (seg.size() == 5) {
    if (method == "GET") return respond_json(c, 200, version_render(*version)), true;
    if (method == "DELETE") {
      if (m->owner != own_username)
        return respond_problem(c, 403, "Forbidden", "You can only delete your own versions"), true;
      m->versions.erase(m->versions.begin() + static_cast<std::ptrdiff_t>(index));
      return respond_empty(c, 202), true;
    }
    return respond_method_not_allowed(c, "GET, DELETE"), true;
  }
  if (seg.size() == 6 && seg[5] == "trainings") {
    if (method != "POST") return respond_method_not_allowed(c, "POST"), true;
    return trainings_create(c, req, m, version), true;
  }
  respond_not_found(c, "No route for " + req.path);
  return true;
}

}  // namespace emu
