// trainings: start a training from owner/name:version into a destination model, then list.
//
//   trainings owner/name:version destination-owner/name '{"input": "json"}'
//
// Talks to $REPLICATE_BASE_URL (default https://api.replicate.com/v1) with $REPLICATE_API_TOKEN.
#include <cstdio>
#include <cstdlib>
#include <replicate/client.hpp>
#include <replicate/trainings.hpp>

namespace {

int failures = 0;

void report(const replicate::error& err) {
  char buf[512];
  std::fprintf(stderr, "error: %s\n", err.describe(buf, sizeof buf).data());
  ++failures;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s owner/name:version dest-owner/name [input-json]\n", argv[0]);
    return 2;
  }
  uv_loop_t* loop = uv_default_loop();
  replicate::client c;
  replicate::client_options options;
  if (const char* base = std::getenv("REPLICATE_BASE_URL")) options.base_url = base;
  if (auto err = c.init(loop, options)) {
    report(err);
    return 1;
  }
  replicate::training_create_params p;
  p.destination = argv[2];
  p.input_json = argc > 3 ? argv[3] : "{}";
  auto on_created = [](void*, const replicate::error& err, const replicate::training* t) {
    if (err) return report(err);
    std::printf("training %.*s: %.*s (%.*s)\n", static_cast<int>(t->id.size()), t->id.data(),
                static_cast<int>(t->status_text.size()), t->status_text.data(),
                static_cast<int>(t->urls.get.size()), t->urls.get.data());
  };
  auto on_list = [](void*, const replicate::error& err,
                    const replicate::page<replicate::training>& pg) {
    if (err) return report(err);
    for (std::size_t i = 0; i < pg.count; ++i)
      std::printf("  %.*s %.*s\n", static_cast<int>(pg.items[i].id.size()), pg.items[i].id.data(),
                  static_cast<int>(pg.items[i].status_text.size()), pg.items[i].status_text.data());
  };
  if (auto err = c.trainings().create(argv[1], p, on_created, nullptr)) report(err);
  if (auto err = c.trainings().list(on_list, nullptr)) report(err);
  uv_run(loop, UV_RUN_DEFAULT);
  c.close();
  uv_run(loop, UV_RUN_DEFAULT);
  return failures == 0 ? 0 : 1;
}
