// deployments: create a deployment of a model version, scale it, run a prediction on it with
// client.run("deployments/owner/name"), then delete it.
//
//   deployments owner/name:version deployment-name [input-json]
//
// Talks to $REPLICATE_BASE_URL (default https://api.replicate.com/v1) with $REPLICATE_API_TOKEN.
#include <cstdio>
#include <cstdlib>
#include <replicate/account.hpp>
#include <replicate/client.hpp>
#include <replicate/deployments.hpp>
#include <string>

namespace {

struct app {
  replicate::client c;
  std::string model, version, name, owner, identifier, input;
  int failures = 0;
};

void report(app* a, const replicate::error& err) {
  char buf[512];
  std::fprintf(stderr, "error: %s\n", err.describe(buf, sizeof buf).data());
  ++a->failures;
}

void on_deleted(void* user, const replicate::error& err) {
  if (err) return report(static_cast<app*>(user), err);
  std::printf("deleted\n");
}

void on_ran(void* user, const replicate::error& err, const replicate::prediction* p) {
  auto* a = static_cast<app*>(user);
  if (err) report(a, err);
  if (p != nullptr)
    std::printf("output %.*s\n", static_cast<int>(p->output_json.size()), p->output_json.data());
  if (auto e = a->c.deployments().del(a->owner, a->name, on_deleted, a)) report(a, e);
}

void on_updated(void* user, const replicate::error& err, const replicate::deployment* d) {
  auto* a = static_cast<app*>(user);
  if (err) return report(a, err);
  std::printf("release %lld: max_instances %d\n", static_cast<long long>(d->current_release.number),
              d->current_release.configuration.max_instances);
  a->identifier = "deployments/" + a->owner + "/" + a->name;
  replicate::run_options run;
  run.create.input_json = a->input;
  if (auto e = a->c.run(a->identifier, run, on_ran, a).err()) report(a, e);
}

void on_created(void* user, const replicate::error& err, const replicate::deployment* d) {
  auto* a = static_cast<app*>(user);
  if (err) return report(a, err);
  a->owner = std::string(d->owner);
  std::printf("created %s/%s on %.*s\n", a->owner.c_str(), a->name.c_str(),
              static_cast<int>(d->current_release.configuration.hardware.size()),
              d->current_release.configuration.hardware.data());
  replicate::deployment_update_params u;
  u.max_instances = 3;
  if (auto e = a->c.deployments().update(a->owner, a->name, u, on_updated, a)) report(a, e);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s owner/name:version deployment-name [input-json]\n", argv[0]);
    return 2;
  }
  std::string mv = argv[1];
  std::size_t colon = mv.find(':');
  if (colon == std::string::npos) {
    std::fprintf(stderr, "model must be owner/name:version\n");
    return 2;
  }
  uv_loop_t* loop = uv_default_loop();
  app a;
  a.model = mv.substr(0, colon);
  a.version = mv.substr(colon + 1);
  a.name = argv[2];
  a.input = argc > 3 ? argv[3] : "{}";
  replicate::client_options options;
  if (const char* base = std::getenv("REPLICATE_BASE_URL")) options.base_url = base;
  if (auto err = a.c.init(loop, options)) {
    report(&a, err);
    return 1;
  }
  replicate::deployment_create_params p;
  p.name = a.name;
  p.model = a.model;
  p.version = a.version;
  p.hardware = "cpu";
  p.min_instances = 0;
  p.max_instances = 1;
  if (auto err = a.c.deployments().create(p, on_created, &a)) report(&a, err);
  uv_run(loop, UV_RUN_DEFAULT);
  a.c.close();
  uv_run(loop, UV_RUN_DEFAULT);
  return a.failures == 0 ? 0 : 1;
}
