// Small read-only resources: account, hardware, collections, search, the webhook secret.
#include <cstdlib>
#include <cstring>

#include "config.hpp"
#include "json_text.hpp"
#include "responses.hpp"
#include "routes.hpp"

namespace emu {

namespace {

struct collection {
  const char* slug;
  const char* name;
  const char* description;
  std::vector<const char*> models;  // names under "replicate/"
};

const std::vector<collection>& collections() {
  static const std::vector<collection> all = {
      {"text-generation",
       "Text generation",
       "Models that generate text, token by token.",
       {"tokens", "hello-world"}},
      {"image-generation", "Image generation", "Models that produce images.", {"image"}},
      {"testing",
       "Testing",
       "Models for exercising clients: slow runs and failures.",
       {"slow", "fail", "hello-world"}},
  };
  return all;
}

std::string collection_item(const collection& col) {
  std::string out = "{";
  json_field(out, "name", col.name);
  json_field(out, "slug", col.slug);
  json_field(out, "description", col.description);
  return out;
}

void list_collections(connection* c, http_request& req) {
  std::vector<uint64_t> seqs;
  std::vector<std::string> items;
  const auto& all = collections();
  for (std::size_t i = 0; i < all.size(); ++i) {
    seqs.push_back(all.size() - i);
    items.push_back(collection_item(all[i]) + "}");
  }
  bool bad = false;
  page pg = paginate(req, seqs, static_cast<std::size_t>(g_config.page_size), &bad);
  if (bad) return respond_invalid(c, "Invalid cursor");
  respond_json(c, 200,
               page_render(pg, std::vector<std::string>(
                                   items.begin() + static_cast<std::ptrdiff_t>(pg.begin),
                                   items.begin() + static_cast<std::ptrdiff_t>(pg.end))));
}

void get_collection(connection* c, const std::string& slug) {
  for (const collection& col : collections()) {
    if (slug != col.slug) continue;
    std::string out = collection_item(col);
    json_field(out, "full_description",
               std::string("# ") + col.name + "\n\n" + col.description + "\n");
    json_append_key(out, "models");
    out += '[';
    bool first = true;
    for (const char* name : col.models) {
      if (model* m = catalog_find("replicate", name)) {
        if (!first) out += ',';
        first = false;
        out += model_render(*m);
      }
    }
    out += "]}";
    return respond_json(c, 200, out);
  }
  respond_not_found(c, "Collection not found");
}

void search(connection* c, http_request& req) {
  bool present = false;
  std::string query = req.query_param("query", &present);
  if (!present || query.empty()) return respond_json(c, 400, R"({"detail":"query is required"})");
  int limit = 20;
  bool has_limit = false;
  std::string l = req.query_param("limit", &has_limit);
  if (has_limit) {
    char* end = nullptr;
    long v = std::strtol(l.c_str(), &end, 10);
    if (l.empty() || *end != '\0' || v < 1 || v > 50)
      return respond_json(c, 400, R"({"detail":"limit must be an integer from 1 to 50"})");
    limit = static_cast<int>(v);
  }
  auto lower = [](std::string s) {
    for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
  };
  std::string needle = lower(query);
  std::string out = "{";
  json_field(out, "query", query);
  json_append_key(out, "models");
  out += '[';
  int n = 0;
  for (auto& m : catalog_models()) {
    if (n >= limit || m->visibility != "public") continue;
    std::string hay = lower(m->full_name() + " " + m->description);
    if (hay.find(needle) == std::string::npos) continue;
    if (n++ > 0) out += ',';
    out += "{\"model\":" + model_render(*m) + ",\"metadata\":{";
    json_field(out, "generated_description", m->description);
    json_field_raw(out, "score", n == 1 ? "1.0" : "0.5");
    out += ",\"tags\":[]}}";
  }
  out += ']';
  json_append_key(out, "collections");
  out += '[';
  n = 0;
  for (const collection& col : collections()) {
    std::string hay = lower(std::string(col.name) + " " + col.slug + " " + col.description);
    if (hay.find(needle) == std::string::npos) continue;
    if (n++ > 0) out += ',';
    out += collection_item(col);
    json_append_key(out, "models");
    out += '[';
    for (std::size_t i = 0; i < col.models.size(); ++i) {
      if (i > 0) out += ',';
      json_append_string(out, std::string("replicate/") + col.models[i]);
    }
    out += "]}";
  }
  out += ']';
  json_append_key(out, "pages");
  out += "[]}";
  respond_json(c, 200, out);
}

}  // namespace

bool route_misc(connection* c, http_request& req, const segments& seg) {
  const std::string& method = req.method;
  const std::string& first = seg[0];
  if (first == "account" && seg.size() == 1) {
    if (method != "GET") return respond_method_not_allowed(c, "GET"), true;
    return respond_json(c, 200,
                        R"({"type":"user","username":"emulator","name":"Emulator User",)"
                        R"("github_url":null,"avatar_url":null})"),
           true;
  }
  if (first == "hardware" && seg.size() == 1) {
    if (method != "GET") return respond_method_not_allowed(c, "GET"), true;
    return respond_json(c, 200,
                        R"([{"name":"CPU","sku":"cpu"},{"name":"Nvidia T4 GPU","sku":"gpu-t4"},)"
                        R"({"name":"Nvidia L40S GPU","sku":"gpu-l40s"},)"
                        R"({"name":"Nvidia A100 (80GB) GPU","sku":"gpu-a100-large"},)"
                        R"({"name":"Nvidia H100 GPU","sku":"gpu-h100"}])"),
           true;
  }
  if (first == "collections" && seg.size() <= 2) {
    if (method != "GET") return respond_method_not_allowed(c, "GET"), true;
    if (seg.size() == 1) return list_collections(c, req), true;
    return get_collection(c, seg[1]), true;
  }
  if (first == "search" && seg.size() == 1) {
    if (method != "GET") return respond_method_not_allowed(c, "GET"), true;
    return search(c, req), true;
  }
  if (first == "webhooks" && seg.size() == 3 && seg[1] == "default" && seg[2] == "secret") {
    if (method != "GET") return respond_method_not_allowed(c, "GET"), true;
    return respond_json(c, 200, std::string("{\"key\":\"") + webhook_secret + "\"}"), true;
  }
  return false;
}

}  // namespace emu
