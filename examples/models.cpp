// models: a model, its versions and README, the hardware list, collections and search.
//
//   models [owner/name]      (default replicate/hello-world)
//
// Talks to $REPLICATE_BASE_URL (default https://api.replicate.com/v1) with $REPLICATE_API_TOKEN.
#include <cstdio>
#include <cstdlib>
#include <replicate/client.hpp>
#include <replicate/collections.hpp>
#include <replicate/hardware.hpp>
#include <replicate/models.hpp>
#include <replicate/search.hpp>
#include <string>

namespace {

int failures = 0;

void report(const replicate::error& err) {
  char buf[512];
  std::fprintf(stderr, "error: %s\n", err.describe(buf, sizeof buf).data());
  ++failures;
}

void print(std::string_view label, std::string_view value) {
  std::printf("%-14.*s %.*s\n", static_cast<int>(label.size()), label.data(),
              static_cast<int>(value.size()), value.data());
}

}  // namespace

int main(int argc, char** argv) {
  std::string id = argc > 1 ? argv[1] : "replicate/hello-world";
  std::size_t slash = id.find('/');
  if (slash == std::string::npos) {
    std::fprintf(stderr, "usage: %s owner/name\n", argv[0]);
    return 2;
  }
  std::string owner = id.substr(0, slash), name = id.substr(slash + 1);
  uv_loop_t* loop = uv_default_loop();
  replicate::client c;
  replicate::client_options options;
  if (const char* base = std::getenv("REPLICATE_BASE_URL")) options.base_url = base;
  if (auto err = c.init(loop, options)) {
    report(err);
    return 1;
  }
  auto on_model = [](void*, const replicate::error& err, const replicate::model* m) {
    if (err) return report(err);
    print("model", m->url);
    print("description", m->description);
    print("runs", std::to_string(m->run_count));
    if (m->has_latest_version) print("latest", m->latest_version.id);
  };
  auto on_readme = [](void*, const replicate::error& err, std::string_view text) {
    if (err) return report(err);
    print("readme", text.substr(0, text.find('\n')));
  };
  auto on_versions = [](void*, const replicate::error& err,
                        const replicate::page<replicate::model_version>& pg) {
    if (err) return report(err);
    for (std::size_t i = 0; i < pg.count; ++i) print("version", pg.items[i].id);
  };
  auto on_hardware = [](void*, const replicate::error& err, const replicate::hardware_list* h) {
    if (err) return report(err);
    for (std::size_t i = 0; i < h->count; ++i) print("hardware", h->items[i].sku);
  };
  auto on_collections = [](void*, const replicate::error& err,
                           const replicate::page<replicate::collection>& pg) {
    if (err) return report(err);
    for (std::size_t i = 0; i < pg.count; ++i) print("collection", pg.items[i].slug);
  };
  auto on_search = [](void*, const replicate::error& err, const replicate::search_result* r) {
    if (err) return report(err);
    for (std::size_t i = 0; i < r->model_count; ++i) print("search hit", r->models[i].m.url);
  };
  replicate::error errs[] = {
      c.models().get(owner, name, on_model, nullptr),
      c.models().readme(owner, name, on_readme, nullptr),
      c.models().versions_list(owner, name, on_versions, nullptr),
      c.hardware().list(on_hardware, nullptr),
      c.collections().list(on_collections, nullptr),
      replicate::search(c, name, 3, on_search, nullptr),
  };
  for (const auto& err : errs)
    if (err) report(err);
  uv_run(loop, UV_RUN_DEFAULT);
  c.close();
  uv_run(loop, UV_RUN_DEFAULT);
  return failures == 0 ? 0 : 1;
}
