// files: upload a file (streamed multipart), read it back, list, delete; then download every
// file output of a prediction to disk with file_output.
//
//   files <path-to-upload> [owner/name of a model with file outputs] [input JSON]
//
// Talks to $REPLICATE_BASE_URL (default https://api.replicate.com/v1) with $REPLICATE_API_TOKEN.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <replicate/client.hpp>
#include <replicate/file_output.hpp>
#include <replicate/files.hpp>
#include <string>
#include <vector>

namespace {

struct app {
  replicate::client c;
  std::string file_id;
  replicate::owned_prediction output_owner;  // keeps output_json alive for data URIs
  std::vector<std::unique_ptr<replicate::file_output>> downloads;
  std::vector<std::string> paths;
  int failures = 0;
};

void report(app* a, const replicate::error& err) {
  char buf[512];
  std::fprintf(stderr, "error: %s\n", err.describe(buf, sizeof buf).data());
  ++a->failures;
}

void on_downloaded(void* user, const replicate::error& err, std::uint64_t bytes) {
  auto* path = static_cast<std::string*>(user);
  if (err) {
    char buf[512];
    std::fprintf(stderr, "%s: %s\n", path->c_str(), err.describe(buf, sizeof buf).data());
    return;
  }
  std::printf("saved %s (%llu bytes)\n", path->c_str(), static_cast<unsigned long long>(bytes));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <file> [owner/name] [input-json]\n", argv[0]);
    return 2;
  }
  uv_loop_t* loop = uv_default_loop();
  app a;
  replicate::client_options options;
  if (const char* base = std::getenv("REPLICATE_BASE_URL")) options.base_url = base;
  if (auto err = a.c.init(loop, options)) {
    report(&a, err);
    return 1;
  }
  replicate::file_create_params up;
  up.path = argv[1];
  up.metadata_json = R"({"source":"examples/files"})";
  auto on_created = [](void* user, const replicate::error& err, const replicate::file_object* f) {
    auto* a = static_cast<app*>(user);
    if (err) return report(a, err);
    std::printf("uploaded %.*s: %lld bytes, sha256 %.*s\n", static_cast<int>(f->id.size()),
                f->id.data(), static_cast<long long>(f->size), static_cast<int>(f->sha256.size()),
                f->sha256.data());
    a->file_id = std::string(f->id);
    auto on_deleted = [](void* user, const replicate::error& err) {
      if (err) return report(static_cast<app*>(user), err);
      std::printf("deleted\n");
    };
    if (auto e = a->c.files().del(a->file_id, on_deleted, a)) report(a, e);
  };
  if (auto err = a.c.files().create(up, on_created, &a)) report(&a, err);

  if (argc > 2) {
    replicate::run_options run;
    run.create.input_json = argc > 3 ? argv[3] : "{}";
    auto on_done = [](void* user, const replicate::error& err, const replicate::prediction* p) {
      auto* a = static_cast<app*>(user);
      if (err) return report(a, err);
      a->output_owner = replicate::owned_prediction(*p);
      auto each = [](void* user, std::size_t index, std::string_view source) {
        auto* a = static_cast<app*>(user);
        a->paths.reserve(64);
        if (a->paths.size() == 64) return false;
        a->paths.push_back("output-" + std::to_string(index));
        a->downloads.push_back(std::make_unique<replicate::file_output>());
        replicate::file_output_target t;
        t.path = a->paths.back();
        if (auto e = a->downloads.back()->start(a->c, source, t, on_downloaded, &a->paths.back()))
          report(a, e);
        return true;
      };
      if (auto e = replicate::output_files_each(a->output_owner.output_json, each, a)) report(a, e);
    };
    if (auto err = a.c.run(argv[2], run, on_done, &a).err()) report(&a, err);
  }
  uv_run(loop, UV_RUN_DEFAULT);
  a.c.close();
  uv_run(loop, UV_RUN_DEFAULT);
  return a.failures == 0 ? 0 : 1;
}
