// Every resource operation against the emulator: the exact method, path, query, body and headers
// the client sent (emulator_requests) and the parsed result.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "crypto/crypto.hpp"
#include "replicate/account.hpp"
#include "replicate/collections.hpp"
#include "replicate/deployments.hpp"
#include "replicate/file_output.hpp"
#include "replicate/files.hpp"
#include "replicate/hardware.hpp"
#include "replicate/models.hpp"
#include "replicate/paginate.hpp"
#include "replicate/search.hpp"
#include "replicate/trainings.hpp"
#include "replicate/webhooks_api.hpp"
#include "support/loop_fixture.hpp"
#include "support/test_main.hpp"

using namespace replicate;
using namespace replicate::test;

static emulator_process emu;

namespace {

struct cap {
  bool done = false;
  int calls = 0;
  error err;
  std::map<std::string, std::string> f;
  std::vector<std::string> items;
  std::string next;
  std::uint64_t bytes = 0;
};

void hit(cap* c, const error& err) {
  c->done = true;
  c->calls++;
  c->err = err;
}

#define S(v) std::string(v)

void on_model(void* u, const error& err, const model* m) {
  auto* c = static_cast<cap*>(u);
  hit(c, err);
  if (m == nullptr) return;
  c->f["owner"] = S(m->owner), c->f["name"] = S(m->name), c->f["visibility"] = S(m->visibility);
  c->f["description"] = S(m->description), c->f["github_url"] = S(m->github_url);
  c->f["latest"] = S(m->latest_version.id), c->f["raw"] = S(m->raw_json);
  c->f["has_latest"] = m->has_latest_version ? "1" : "0";
}
void on_models(void* u, const error& err, const page<model>& pg) {
  auto* c = static_cast<cap*>(u);
  hit(c, err);
  for (std::size_t i = 0; i < pg.count; ++i)
    c->items.push_back(S(pg.items[i].owner) + "/" + S(pg.items[i].name));
  c->next = S(pg.next);
}
void on_version(void* u, const error& err, const model_version* v) {
  auto* c = static_cast<cap*>(u);
  hit(c, err);
  if (v != nullptr) c->f["id"] = S(v->id), c->f["schema"] = S(v->openapi_schema_json);
}
void on_versions(void* u, const error& err, const page<model_version>& pg) {
  auto* c = static_cast<cap*>(u);
  hit(c, err);
  for (std::size_t i = 0; i < pg.count; ++i) c->items.push_back(S(pg.items[i].id));
}
void on_status(void* u, const error& err) { hit(static_cast<cap*>(u), err); }
void on_text(void* u, const error& err, std::string_view text) {
  auto* c = static_cast<cap*>(u);
  hit(c, err);
  c->f["text"] = S(text);
}
void on_predictions(void* u, const error& err, const page<prediction>& pg) {
  auto* c = static_cast<cap*>(u);
  hit(c, err);
  for (std::size_t i = 0; i < pg.count; ++i) c->items.push_back(S(pg.items[i].id));
}
void on_prediction(void* u, const error& err, const prediction* p) {
  auto* c = static_cast<cap*>(u);
  hit(c, err);
  if (p != nullptr) c->f["id"] = S(p->id), c->f["output"] = S(p->output_json);
}
void on_collection(void* u, const error& err, const collection* col) {
  auto* c = static_cast<cap*>(u);
  hit(c, err);
  if (col == nullptr) return;
  c->f["slug"] = S(col->slug);
  for (std::size_t i = 0; i < col->model_count; ++i)
    c->items.push_back(S(col->models[i].owner) + "/" + S(col->models[i].name));
}
void on_collections(void* u, const error& err, const page<collection>& pg) {
  auto* c = static_cast<cap*>(u);
  hit(c, err);
  for (std::size_t i = 0; i < pg.count; ++i) c->items.push_back(S(pg.items[i].slug));
}
void on_hardware(void* u, const error& err, const hardware_list* h) {
  auto* c = static_cast<cap*>(u);
  hit(c, err);
  for (std::size_t i = 0; h != nullptr && i < h->count; ++i) c->items.push_back(S(h->items[i].sku));
}
void on_account(void* u, const error& err, const account* a) {
  auto* c = static_cast<cap*>(u);
  hit(c, err);
  if (a != nullptr) c->f["type"] = S(a->type), c->f["username"] = S(a->username);
}
void on_secret(void* u, const error& err, const webhook_secret* s) {
  auto* c = static_cast<cap*>(u);
  hit(c, err);
  if (s != nullptr) c->f["key"] = S(s->key);
}
void on_search(void* u, const error& err, const search_result* r) {
  auto* c = static_cast<cap*>(u);
  hit(c, err);
  if (r == nullptr) return;
  c->f["query"] = S(r->query);
  for (std::size_t i = 0; i < r->model_count; ++i)
    c->items.push_back(S(r->models[i].m.owner) + "/" + S(r->models[i].m.name));
}
void on_training(void* u, const error& err, const training* t) {
  auto* c = static_cast<cap*>(u);
  hit(c, err);
  if (t != nullptr)
    c->f["id"] = S(t->id), c->f["status"] = S(t->status_text), c->f["model"] = S(t->model);
}
void on_trainings(void* u, const error& err, const page<training>& pg) {
  auto* c = static_cast<cap*>(u);
  hit(c, err);
  for (std::size_t i = 0; i < pg.count; ++i) c->items.push_back(S(pg.items[i].id));
}
void on_deployment(void* u, const error& err, const deployment* d) {
  auto* c = static_cast<cap*>(u);
  hit(c, err);
  if (d == nullptr) return;
  c->f["name"] = S(d->name), c->f["hardware"] = S(d->current_release.configuration.hardware);
  c->f["min"] = std::to_string(d->current_release.configuration.min_instances);
  c->f["max"] = std::to_string(d->current_release.configuration.max_instances);
  c->f["number"] = std::to_string(d->current_release.number);
}
void on_deployments(void* u, const error& err, const page<deployment>& pg) {
  auto* c = static_cast<cap*>(u);
  hit(c, err);
  for (std::size_t i = 0; i < pg.count; ++i) c->items.push_back(S(pg.items[i].name));
}
void on_file(void* u, const error& err, const file_object* fo) {
  auto* c = static_cast<cap*>(u);
  hit(c, err);
  if (fo == nullptr) return;
  c->f["id"] = S(fo->id), c->f["size"] = std::to_string(fo->size);
  c->f["content_type"] = S(fo->content_type), c->f["metadata"] = S(fo->metadata_json);
  c->f["url_get"] = S(fo->url_get);
  c->f["sha256"] = S(fo->sha256);
}
void on_files(void* u, const error& err, const page<file_object>& pg) {
  auto* c = static_cast<cap*>(u);
  hit(c, err);
  for (std::size_t i = 0; i < pg.count; ++i) c->items.push_back(S(pg.items[i].id));
}

// By value: the log is a temporary, and a reference into it would dangle.
logged_request only(const std::vector<logged_request>& log) {
  assert_int_equal(log.size(), 1);
  return log[0];
}

void expect_request(const logged_request& r, const char* method, const std::string& path,
                    const char* query = "") {
  assert_string_equal(r.method.c_str(), method);
  assert_string_equal(r.path.c_str(), path.c_str());
  assert_string_equal(r.query.c_str(), query);
  assert_string_equal(r.header("authorization").c_str(), "Bearer r8_test_token");
}

std::string hello_version(loop_fixture* f) {
  cap c;
  assert_false(static_cast<bool>(f->c.models().get("replicate", "hello-world", on_model, &c)));
  fixture_run_until(f, &c.done);
  assert_false(static_cast<bool>(c.err));
  assert_int_equal(c.f["latest"].size(), 64);
  emulator_clear(emu);
  return c.f["latest"];
}

}  // namespace

static int start_emulator(void**) {
  const char* args[] = {"--prediction-ms", "100", "--page-size", "2", nullptr};
  return emulator_start(&emu, args) ? 0 : -1;
}
static int stop_emulator(void**) {
  emulator_stop(&emu);
  return 0;
}
static int clear(void**) {
  emulator_clear(emu);
  return 0;
}

// ---- models -------------------------------------------------------------------------------

static void models_get_parses_the_model_and_its_latest_version(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  cap c;
  assert_false(static_cast<bool>(f.c.models().get("replicate", "hello-world", on_model, &c)));
  fixture_run_until(&f, &c.done);
  assert_false(static_cast<bool>(c.err));
  assert_string_equal(c.f["owner"].c_str(), "replicate");
  assert_string_equal(c.f["name"].c_str(), "hello-world");
  assert_string_equal(c.f["has_latest"].c_str(), "1");
  assert_int_equal(c.f["latest"].size(), 64);
  assert_true(c.f["raw"].find("\"run_count\"") != std::string::npos);
  auto log = emulator_requests(emu);
  expect_request(only(log), "GET", "/v1/models/replicate/hello-world");
  fixture_close_and_check(&f);
}

static void models_list_sends_sort_and_follows_next(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  cap c;
  model_list_params p;
  p.sort = true;
  p.sort_by = model_sort_by::model_created_at;
  p.direction = sort_direction::asc;
  assert_false(static_cast<bool>(f.c.models().list(p, on_models, &c)));
  fixture_run_until(&f, &c.done);
  assert_false(static_cast<bool>(c.err));
  assert_int_equal(c.items.size(), 2);  // --page-size 2
  assert_false(c.next.empty());
  expect_request(only(emulator_requests(emu)), "GET", "/v1/models",
                 "sort_by=model_created_at&sort_direction=asc");
  emulator_clear(emu);
  cap c2;
  assert_false(static_cast<bool>(f.c.models().list({}, on_models, &c2, c.next)));
  fixture_run_until(&f, &c2.done);
  assert_false(static_cast<bool>(c2.err));
  assert_true(c2.items.size() >= 1 && c2.items[0] != c.items[0]);
  assert_true(only(emulator_requests(emu)).query.find("cursor=") != std::string::npos);
  fixture_close_and_check(&f);
}

static void models_create_update_and_delete_round_trip(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  cap created;
  model_create_params p;
  p.owner = "emulator";
  p.name = "my-model";
  p.visibility = "private";
  p.hardware = "cpu";
  p.description = "a \"quoted\" model";
  p.github_url = "https://github.com/me/my-model";
  assert_false(static_cast<bool>(f.c.models().create(p, on_model, &created)));
  fixture_run_until(&f, &created.done);
  assert_false(static_cast<bool>(created.err));
  assert_string_equal(created.f["name"].c_str(), "my-model");
  assert_string_equal(created.f["visibility"].c_str(), "private");
  const logged_request& r = only(emulator_requests(emu));
  expect_request(r, "POST", "/v1/models");
  assert_string_equal(r.header("content-type").c_str(), "application/json");
  assert_string_equal(r.body.c_str(),
                      R"({"owner":"emulator","name":"my-model","visibility":"private",)"
                      R"("hardware":"cpu","description":"a \"quoted\" model",)"
                      R"("github_url":"https://github.com/me/my-model"})");

  emulator_clear(emu);
  cap updated;
  model_update_params u;
  u.description = "better";
  u.readme = "# mine";
  assert_false(
      static_cast<bool>(f.c.models().update("emulator", "my-model", u, on_model, &updated)));
  fixture_run_until(&f, &updated.done);
  assert_false(static_cast<bool>(updated.err));
  assert_string_equal(updated.f["description"].c_str(), "better");
  const logged_request& r2 = only(emulator_requests(emu));
  expect_request(r2, "PATCH", "/v1/models/emulator/my-model");
  assert_string_equal(r2.body.c_str(), R"({"description":"better","readme":"# mine"})");

  emulator_clear(emu);
  cap deleted;
  assert_false(static_cast<bool>(f.c.models().del("emulator", "my-model", on_status, &deleted)));
  fixture_run_until(&f, &deleted.done);
  assert_false(static_cast<bool>(deleted.err));
  expect_request(only(emulator_requests(emu)), "DELETE", "/v1/models/emulator/my-model");
  cap gone;
  assert_false(static_cast<bool>(f.c.models().get("emulator", "my-model", on_model, &gone)));
  fixture_run_until(&f, &gone.done);
  assert_int_equal(static_cast<int>(gone.err.code), static_cast<int>(errc::not_found));
  assert_int_equal(gone.err.http_status, 404);
  fixture_close_and_check(&f);
  assert_int_equal(created.calls + updated.calls + deleted.calls + gone.calls, 4);
}

static void models_search_sends_query_method_with_a_text_body(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  cap c;
  assert_false(static_cast<bool>(f.c.models().search("hello", on_models, &c)));
  fixture_run_until(&f, &c.done);
  assert_false(static_cast<bool>(c.err));
  assert_true(!c.items.empty());
  const logged_request& r = only(emulator_requests(emu));
  expect_request(r, "QUERY", "/v1/models");
  assert_string_equal(r.header("content-type").c_str(), "text/plain");
  assert_string_equal(r.body.c_str(), "hello");
  fixture_close_and_check(&f);
}

static void model_versions_list_get_and_delete(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  std::string version = hello_version(&f);
  cap list;
  assert_false(static_cast<bool>(
      f.c.models().versions_list("replicate", "hello-world", on_versions, &list)));
  fixture_run_until(&f, &list.done);
  assert_false(static_cast<bool>(list.err));
  assert_string_equal(list.items.at(0).c_str(), version.c_str());
  expect_request(only(emulator_requests(emu)), "GET", "/v1/models/replicate/hello-world/versions");
  emulator_clear(emu);
  cap got;
  assert_false(static_cast<bool>(
      f.c.models().versions_get("replicate", "hello-world", version, on_version, &got)));
  fixture_run_until(&f, &got.done);
  assert_false(static_cast<bool>(got.err));
  assert_string_equal(got.f["id"].c_str(), version.c_str());
  assert_true(got.f["schema"].find("\"Input\"") != std::string::npos);
  expect_request(only(emulator_requests(emu)), "GET",
                 "/v1/models/replicate/hello-world/versions/" + version);
  emulator_clear(emu);
  cap del;
  std::string other = list.items.size() > 1 ? list.items[1] : version;
  assert_false(static_cast<bool>(
      f.c.models().versions_del("replicate", "hello-world", other, on_status, &del)));
  fixture_run_until(&f, &del.done);
  expect_request(only(emulator_requests(emu)), "DELETE",
                 "/v1/models/replicate/hello-world/versions/" + other);
  assert_true(!del.err || del.err.http_status >= 400);  // 202, or the API's refusal as an error
  fixture_close_and_check(&f);
}

static void model_readme_and_examples(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  cap readme;
  assert_false(
      static_cast<bool>(f.c.models().readme("replicate", "hello-world", on_text, &readme)));
  fixture_run_until(&f, &readme.done);
  assert_false(static_cast<bool>(readme.err));
  assert_true(readme.f["text"].rfind("# hello-world", 0) == 0);
  const logged_request& r = only(emulator_requests(emu));
  expect_request(r, "GET", "/v1/models/replicate/hello-world/readme");
  assert_true(r.header("accept").find("text/plain") != std::string::npos);
  emulator_clear(emu);
  cap ex;
  assert_false(static_cast<bool>(
      f.c.models().examples_list("replicate", "hello-world", on_predictions, &ex)));
  fixture_run_until(&f, &ex.done);
  assert_false(static_cast<bool>(ex.err));
  expect_request(only(emulator_requests(emu)), "GET", "/v1/models/replicate/hello-world/examples");
  fixture_close_and_check(&f);
}

static void bad_model_arguments_fail_before_sending(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  cap c;
  models_api m = f.c.models();
  auto code = [](const error& e) { return static_cast<int>(e.code); };
  const int bad = static_cast<int>(errc::invalid_argument);
  assert_int_equal(code(m.get("a/b", "c", on_model, &c)), bad);
  assert_int_equal(code(m.get("a", "", on_model, &c)), bad);
  model_create_params p;
  p.owner = "me";
  p.name = "x";
  p.visibility = "secret";
  p.hardware = "cpu";
  assert_int_equal(code(m.create(p, on_model, &c)), bad);
  p.visibility = "public";
  p.hardware = "";
  assert_int_equal(code(m.create(p, on_model, &c)), bad);
  assert_int_equal(code(m.update("me", "x", {}, on_model, &c)), bad);
  assert_int_equal(code(m.versions_get("me", "x", "abc", on_version, &c)), bad);
  assert_int_equal(code(m.search("", on_models, &c)), bad);
  assert_int_equal(code(m.list({}, on_models, &c, "/relative?cursor=1")),
                   static_cast<int>(errc::invalid_url));
  assert_int_equal(code(m.get("a", "b", nullptr, &c)), bad);
  fixture_close_and_check(&f);
  assert_int_equal(c.calls, 0);
  assert_true(emulator_requests(emu).empty());
}

// ---- collections, hardware, account, webhooks, search -------------------------------------

static void collections_list_and_get_with_models(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  cap list;
  assert_false(static_cast<bool>(f.c.collections().list(on_collections, &list)));
  fixture_run_until(&f, &list.done);
  assert_false(static_cast<bool>(list.err));
  assert_false(list.items.empty());
  expect_request(only(emulator_requests(emu)), "GET", "/v1/collections");
  emulator_clear(emu);
  cap got;
  assert_false(static_cast<bool>(f.c.collections().get(list.items[0], on_collection, &got)));
  fixture_run_until(&f, &got.done);
  assert_false(static_cast<bool>(got.err));
  assert_string_equal(got.f["slug"].c_str(), list.items[0].c_str());
  assert_false(got.items.empty());
  expect_request(only(emulator_requests(emu)), "GET", "/v1/collections/" + list.items[0]);
  fixture_close_and_check(&f);
}

static void hardware_list_reads_a_bare_array(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  cap c;
  assert_false(static_cast<bool>(f.c.hardware().list(on_hardware, &c)));
  fixture_run_until(&f, &c.done);
  assert_false(static_cast<bool>(c.err));
  assert_false(c.items.empty());
  bool cpu = false;
  for (const auto& sku : c.items) cpu |= sku == "cpu";
  assert_true(cpu);
  expect_request(only(emulator_requests(emu)), "GET", "/v1/hardware");
  fixture_close_and_check(&f);
}

static void account_and_webhook_secret(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  cap acct;
  assert_false(static_cast<bool>(f.c.account().get(on_account, &acct)));
  fixture_run_until(&f, &acct.done);
  assert_false(static_cast<bool>(acct.err));
  assert_false(acct.f["username"].empty());
  assert_true(acct.f["type"] == "user" || acct.f["type"] == "organization");
  expect_request(only(emulator_requests(emu)), "GET", "/v1/account");
  emulator_clear(emu);
  cap secret;
  assert_false(static_cast<bool>(f.c.webhooks().default_secret(on_secret, &secret)));
  fixture_run_until(&f, &secret.done);
  assert_false(static_cast<bool>(secret.err));
  assert_true(secret.f["key"].rfind("whsec_", 0) == 0);
  expect_request(only(emulator_requests(emu)), "GET", "/v1/webhooks/default/secret");
  fixture_close_and_check(&f);
}

static void search_sends_query_and_limit(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  cap c;
  assert_false(static_cast<bool>(search(f.c, "hello world", 5, on_search, &c)));
  fixture_run_until(&f, &c.done);
  assert_false(static_cast<bool>(c.err));
  assert_string_equal(c.f["query"].c_str(), "hello world");
  expect_request(only(emulator_requests(emu)), "GET", "/v1/search", "query=hello%20world&limit=5");
  assert_int_equal(static_cast<int>(search(f.c, "x", 51, on_search, &c).code),
                   static_cast<int>(errc::invalid_argument));
  fixture_close_and_check(&f);
}

// ---- trainings ----------------------------------------------------------------------------

static void trainings_create_get_list_and_cancel(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  std::string version = hello_version(&f);
  cap dest;
  model_create_params mp;
  mp.owner = "emulator";
  mp.name = "trained";
  mp.visibility = "private";
  mp.hardware = "cpu";
  assert_false(static_cast<bool>(f.c.models().create(mp, on_model, &dest)));
  fixture_run_until(&f, &dest.done);
  emulator_clear(emu);

  std::string_view events[] = {"completed"};
  training_create_params p;
  p.destination = "emulator/trained";
  p.input_json = R"({"text":"train"})";
  p.webhook = "https://example.com/hook?x=1";
  p.webhook_events_filter = events;
  p.webhook_events_count = 1;
  cap created;
  std::string shorthand = "replicate/hello-world:" + version;
  assert_false(static_cast<bool>(f.c.trainings().create(shorthand, p, on_training, &created)));
  fixture_run_until(&f, &created.done);
  assert_false(static_cast<bool>(created.err));
  assert_false(created.f["id"].empty());
  const logged_request& r = only(emulator_requests(emu));
  expect_request(r, "POST", "/v1/models/replicate/hello-world/versions/" + version + "/trainings");
  assert_string_equal(r.body.c_str(),
                      R"({"destination":"emulator/trained","input":{"text":"train"},)"
                      R"("webhook":"https://example.com/hook?x=1",)"
                      R"("webhook_events_filter":["completed"]})");
  std::string id = created.f["id"];

  emulator_clear(emu);
  cap got;
  assert_false(static_cast<bool>(f.c.trainings().get(id, on_training, &got)));
  fixture_run_until(&f, &got.done);
  assert_string_equal(got.f["id"].c_str(), id.c_str());
  expect_request(only(emulator_requests(emu)), "GET", "/v1/trainings/" + id);

  emulator_clear(emu);
  cap list;
  assert_false(static_cast<bool>(f.c.trainings().list(on_trainings, &list)));
  fixture_run_until(&f, &list.done);
  assert_false(static_cast<bool>(list.err));
  assert_string_equal(list.items.at(0).c_str(), id.c_str());
  expect_request(only(emulator_requests(emu)), "GET", "/v1/trainings");

  emulator_clear(emu);
  cap canceled;
  assert_false(static_cast<bool>(f.c.trainings().cancel(id, on_training, &canceled)));
  fixture_run_until(&f, &canceled.done);
  assert_false(static_cast<bool>(canceled.err));
  expect_request(only(emulator_requests(emu)), "POST", "/v1/trainings/" + id + "/cancel");

  training_create_params bad = p;
  bad.destination = "no-slash";
  assert_int_equal(static_cast<int>(f.c.trainings().create(shorthand, bad, on_training, &got).code),
                   static_cast<int>(errc::invalid_argument));
  assert_int_equal(
      static_cast<int>(f.c.trainings().create("replicate/hello-world", p, on_training, &got).code),
      static_cast<int>(errc::invalid_identifier));
  fixture_close_and_check(&f);
}

// ---- deployments --------------------------------------------------------------------------

static void deployments_crud_predictions_and_run(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  std::string version = hello_version(&f);
  cap created;
  deployment_create_params p;
  p.name = "my-deployment";
  p.model = "replicate/hello-world";
  p.version = version;
  p.hardware = "cpu";
  p.min_instances = 0;
  p.max_instances = 2;
  assert_false(static_cast<bool>(f.c.deployments().create(p, on_deployment, &created)));
  fixture_run_until(&f, &created.done);
  assert_false(static_cast<bool>(created.err));
  assert_string_equal(created.f["name"].c_str(), "my-deployment");
  assert_string_equal(created.f["max"].c_str(), "2");
  const logged_request& r = only(emulator_requests(emu));
  expect_request(r, "POST", "/v1/deployments");
  assert_string_equal(r.body.c_str(),
                      (R"({"name":"my-deployment","model":"replicate/hello-world",)"
                       R"("version":")" +
                       version + R"(","hardware":"cpu","min_instances":0,"max_instances":2})")
                          .c_str());
  // The owner is the account's.
  cap acct;
  assert_false(static_cast<bool>(f.c.account().get(on_account, &acct)));
  fixture_run_until(&f, &acct.done);
  std::string owner = acct.f["username"];

  emulator_clear(emu);
  cap got;
  assert_false(
      static_cast<bool>(f.c.deployments().get(owner, "my-deployment", on_deployment, &got)));
  fixture_run_until(&f, &got.done);
  assert_false(static_cast<bool>(got.err));
  expect_request(only(emulator_requests(emu)), "GET",
                 "/v1/deployments/" + owner + "/my-deployment");

  emulator_clear(emu);
  cap updated;
  deployment_update_params u;
  u.max_instances = 5;
  assert_false(static_cast<bool>(
      f.c.deployments().update(owner, "my-deployment", u, on_deployment, &updated)));
  fixture_run_until(&f, &updated.done);
  assert_false(static_cast<bool>(updated.err));
  assert_string_equal(updated.f["max"].c_str(), "5");
  assert_true(std::stoi(updated.f["number"]) > std::stoi(created.f["number"]));
  const logged_request& ur = only(emulator_requests(emu));
  expect_request(ur, "PATCH", "/v1/deployments/" + owner + "/my-deployment");
  assert_string_equal(ur.body.c_str(), R"({"max_instances":5})");

  emulator_clear(emu);
  cap list;
  assert_false(static_cast<bool>(f.c.deployments().list(on_deployments, &list)));
  fixture_run_until(&f, &list.done);
  assert_false(static_cast<bool>(list.err));
  expect_request(only(emulator_requests(emu)), "GET", "/v1/deployments");

  emulator_clear(emu);
  cap pred;
  prediction_create_params pp;
  pp.input_json = R"({"text":"dep"})";
  pp.prefer_wait = std::chrono::seconds(5);
  assert_false(static_cast<bool>(
      f.c.deployments().predictions().create(owner, "my-deployment", pp, on_prediction, &pred)));
  fixture_run_until(&f, &pred.done);
  assert_false(static_cast<bool>(pred.err));
  const logged_request& pr = only(emulator_requests(emu));
  expect_request(pr, "POST", "/v1/deployments/" + owner + "/my-deployment/predictions");
  assert_string_equal(pr.body.c_str(), R"({"input":{"text":"dep"}})");
  assert_string_equal(pr.header("prefer").c_str(), "wait=5");

  // client.run() on a deployment identifier goes through the same route and waits.
  emulator_clear(emu);
  cap ran;
  run_options ro;
  ro.create.input_json = R"({"text":"run"})";
  assert_true(f.c.run("deployments/" + owner + "/my-deployment", ro, on_prediction, &ran).ok());
  fixture_run_until(&f, &ran.done);
  assert_false(static_cast<bool>(ran.err));
  assert_string_equal(ran.f["output"].c_str(), "\"hello run\"");
  auto log = emulator_requests(emu);
  expect_request(log.at(0), "POST", "/v1/deployments/" + owner + "/my-deployment/predictions");

  emulator_clear(emu);
  cap deleted;
  assert_false(
      static_cast<bool>(f.c.deployments().del(owner, "my-deployment", on_status, &deleted)));
  fixture_run_until(&f, &deleted.done);
  expect_request(only(emulator_requests(emu)), "DELETE",
                 "/v1/deployments/" + owner + "/my-deployment");
  assert_true(!deleted.err || deleted.err.http_status >= 400);

  deployment_create_params bad = p;
  bad.max_instances = 21;
  assert_int_equal(static_cast<int>(f.c.deployments().create(bad, on_deployment, &got).code),
                   static_cast<int>(errc::invalid_argument));
  bad = p;
  bad.min_instances = 6;
  bad.max_instances = 10;
  assert_int_equal(static_cast<int>(f.c.deployments().create(bad, on_deployment, &got).code),
                   static_cast<int>(errc::invalid_argument));
  deployment_update_params none;
  assert_int_equal(
      static_cast<int>(f.c.deployments().update(owner, "x", none, on_deployment, &got).code),
      static_cast<int>(errc::invalid_argument));
  fixture_close_and_check(&f);
}

// ---- files --------------------------------------------------------------------------------

static void files_create_from_buffer_sends_multipart_with_exact_length(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  cap c;
  file_create_params p;
  p.data = "hello file";
  p.filename = "hello.txt";
  p.content_type = "text/plain";
  p.metadata_json = R"({"k":"v"})";
  assert_false(static_cast<bool>(f.c.files().create(p, on_file, &c)));
  fixture_run_until(&f, &c.done);
  assert_false(static_cast<bool>(c.err));
  assert_string_equal(c.f["size"].c_str(), "10");
  assert_string_equal(c.f["content_type"].c_str(), "text/plain");
  assert_true(c.f["metadata"].find("\"k\"") != std::string::npos);
  const logged_request& r = only(emulator_requests(emu));
  expect_request(r, "POST", "/v1/files");
  std::string ct = r.header("content-type");
  assert_true(ct.rfind("multipart/form-data; boundary=", 0) == 0);
  std::string boundary = ct.substr(std::strlen("multipart/form-data; boundary="));
  assert_string_equal(r.header("content-length").c_str(), std::to_string(r.body.size()).c_str());
  assert_false(r.has_header("transfer-encoding"));
  assert_true(r.body.find("name=\"content\"; filename=\"hello.txt\"\r\nContent-Type: text/plain"
                          "\r\n\r\nhello file\r\n--" +
                          boundary) != std::string::npos);
  assert_true(r.body.find("--" + boundary + "--\r\n") == r.body.size() - boundary.size() - 6);
  fixture_close_and_check(&f);
}

static void files_create_from_path_get_list_and_delete(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  char path[] = "/tmp/replicate-upload-XXXXXX";
  int fd = mkstemp(path);
  std::string content(200000, '\0');
  for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i * 7);
  assert_int_equal(write(fd, content.data(), content.size()), content.size());
  close(fd);
  cap c;
  file_create_params p;
  p.path = path;
  assert_false(static_cast<bool>(f.c.files().create(p, on_file, &c)));
  fixture_run_until(&f, &c.done);
  unlink(path);
  assert_false(static_cast<bool>(c.err));
  assert_string_equal(c.f["size"].c_str(), "200000");
  std::string id = c.f["id"];
  const logged_request& r = only(emulator_requests(emu));
  // The emulator logs only the first 64 KiB of a body: check the whole upload by its checksum.
  unsigned char digest[32];
  assert_true(replicate::detail::sha256(content.data(), content.size(), digest));
  char hex[65];
  for (int i = 0; i < 32; ++i) std::snprintf(hex + 2 * i, 3, "%02x", digest[i]);
  assert_string_equal(c.f["sha256"].c_str(), hex);
  assert_true(r.body.find(std::string("filename=\"") + (std::strrchr(path, '/') + 1) + "\"") !=
              std::string::npos);

  emulator_clear(emu);
  cap got;
  assert_false(static_cast<bool>(f.c.files().get(id, on_file, &got)));
  fixture_run_until(&f, &got.done);
  assert_string_equal(got.f["id"].c_str(), id.c_str());
  expect_request(only(emulator_requests(emu)), "GET", "/v1/files/" + id);

  emulator_clear(emu);
  cap list;
  assert_false(static_cast<bool>(f.c.files().list(on_files, &list)));
  fixture_run_until(&f, &list.done);
  assert_string_equal(list.items.at(0).c_str(), id.c_str());
  expect_request(only(emulator_requests(emu)), "GET", "/v1/files");

  emulator_clear(emu);
  cap deleted;
  assert_false(static_cast<bool>(f.c.files().del(id, on_status, &deleted)));
  fixture_run_until(&f, &deleted.done);
  assert_false(static_cast<bool>(deleted.err));
  expect_request(only(emulator_requests(emu)), "DELETE", "/v1/files/" + id);
  cap gone;
  assert_false(static_cast<bool>(f.c.files().get(id, on_file, &gone)));
  fixture_run_until(&f, &gone.done);
  assert_int_equal(static_cast<int>(gone.err.code), static_cast<int>(errc::not_found));

  file_create_params missing;
  missing.path = "/nonexistent/file.bin";
  assert_int_equal(static_cast<int>(f.c.files().create(missing, on_file, &gone).code),
                   static_cast<int>(errc::invalid_argument));
  fixture_close_and_check(&f);
}

// ---- paginate -----------------------------------------------------------------------------

static void paginate_walks_every_page_and_stops_early(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  struct walk {
    bool done = false;
    error err;
    std::vector<std::string> names;
    std::size_t stop_after = 1000;
  } all, first;
  auto on_page = [](void* u, const page<model>& pg) {
    auto* w = static_cast<walk*>(u);
    for (std::size_t i = 0; i < pg.count; ++i) w->names.push_back(S(pg.items[i].name));
    return w->names.size() < w->stop_after;
  };
  auto on_done = [](void* u, const error& err) {
    static_cast<walk*>(u)->done = true;
    static_cast<walk*>(u)->err = err;
  };
  pagination p;
  assert_false(static_cast<bool>(paginate<model>(f.c, &p, {"/models"}, on_page, on_done, &all)));
  assert_int_equal(
      static_cast<int>(paginate<model>(f.c, &p, {"/models"}, on_page, on_done, &all).code),
      static_cast<int>(errc::invalid_argument));  // the handle is busy
  fixture_run_until(&f, &all.done);
  assert_false(static_cast<bool>(all.err));
  assert_true(all.names.size() >= 3);
  assert_int_equal(p.items, all.names.size());
  auto log = emulator_requests(emu);
  assert_int_equal(log.size(), p.pages);
  for (std::size_t i = 1; i < log.size(); ++i)
    assert_true(log[i].query.find("cursor=") != std::string::npos);

  emulator_clear(emu);
  first.stop_after = 1;
  assert_false(static_cast<bool>(paginate<model>(f.c, &p, {"/models"}, on_page, on_done, &first)));
  fixture_run_until(&f, &first.done);
  assert_int_equal(emulator_requests(emu).size(), 1);

  struct got {
    bool done = false;
    std::vector<owned<model>> items;
  } kept;
  auto on_collected = [](void* u, const error& err, std::vector<owned<model>>& items) {
    assert_false(static_cast<bool>(err));
    static_cast<got*>(u)->items = std::move(items);
    static_cast<got*>(u)->done = true;
  };
  assert_false(
      static_cast<bool>(paginate_collect<model>(f.c, &p, {"/models"}, 3, on_collected, &kept)));
  fixture_run_until(&f, &kept.done);
  assert_int_equal(kept.items.size(), 3);
  assert_true(kept.items[2]->name == all.names[2]);
  fixture_close_and_check(&f);
}

// ---- file outputs -------------------------------------------------------------------------

static void file_output_streams_a_delivery_url_without_the_token(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  cap ran;
  run_options ro;
  ro.create.input_json = R"({"size":300000})";
  std::string output;
  auto done = [](void* u, const error& err, const prediction* p) {
    auto* c = static_cast<cap*>(u);
    hit(c, err);
    if (p != nullptr) c->f["output"] = S(p->output_json);
  };
  assert_true(f.c.run("replicate/image", ro, done, &ran).ok());
  fixture_run_until(&f, &ran.done);
  assert_false(static_cast<bool>(ran.err));
  output = ran.f["output"];
  std::vector<std::string> urls;
  assert_false(static_cast<bool>(output_files_each(
      output,
      [](void* u, std::size_t, std::string_view s) {
        static_cast<std::vector<std::string>*>(u)->emplace_back(s);
        return true;
      },
      &urls)));
  assert_int_equal(urls.size(), 1);
  emulator_clear(emu);

  struct sink {
    cap c;
    std::string data;
    int pauses = 0;
    file_output* fo = nullptr;
    uv_loop_t* loop = nullptr;
  } s;
  s.loop = &f.loop;
  file_output fo;
  s.fo = &fo;
  file_output_target t;
  t.write_user = &s;
  t.write = [](void* u, const char* data, std::size_t len) -> std::size_t {
    auto* k = static_cast<sink*>(u);
    if (k->pauses < 3 && k->data.size() > 0) {
      ++k->pauses;
      // Resume from the loop, later: the same chunk comes again.
      auto* timer = new uv_timer_t;
      uv_timer_init(k->loop, timer);
      timer->data = k;
      uv_timer_start(
          timer,
          [](uv_timer_t* tm) {
            assert_false(static_cast<bool>(static_cast<sink*>(tm->data)->fo->resume()));
            uv_close(reinterpret_cast<uv_handle_t*>(tm),
                     [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
          },
          5, 0);
      return file_output_pause;
    }
    k->data.append(data, len);
    return len;
  };
  assert_false(static_cast<bool>(fo.start(
      f.c, urls[0], t,
      [](void* u, const error& err, std::uint64_t bytes) {
        auto* k = static_cast<sink*>(u);
        hit(&k->c, err);
        k->c.bytes = bytes;
      },
      &s)));
  fixture_run_until(&f, &s.c.done);
  assert_false(static_cast<bool>(s.c.err));
  assert_int_equal(s.data.size(), 300000);
  assert_int_equal(s.c.bytes, 300000);
  assert_int_equal(s.pauses, 3);
  auto log = emulator_requests(emu);
  assert_false(log.empty());
  for (const auto& r : log) {
    assert_string_equal(r.port.c_str(), "stream");
    assert_false(r.has_header("authorization"));
  }

  // To a file, then a 404 from the delivery host as a proper error.
  char path[] = "/tmp/replicate-output-XXXXXX";
  close(mkstemp(path));
  cap to_file;
  file_output_target ft;
  ft.path = path;
  auto fdone = [](void* u, const error& err, std::uint64_t bytes) {
    hit(static_cast<cap*>(u), err);
    static_cast<cap*>(u)->bytes = bytes;
  };
  assert_false(static_cast<bool>(fo.start(f.c, urls[0], ft, fdone, &to_file)));
  fixture_run_until(&f, &to_file.done);
  assert_false(static_cast<bool>(to_file.err));
  FILE* in = std::fopen(path, "rb");
  std::string disk(300000, '\0');
  assert_int_equal(std::fread(&disk[0], 1, disk.size() + 1, in), 300000);
  std::fclose(in);
  assert_true(disk == s.data);
  unlink(path);
  cap missing;
  std::string bad = urls[0] + "-missing";
  assert_false(static_cast<bool>(fo.start(f.c, bad, t, fdone, &missing)));
  fixture_run_until(&f, &missing.done);
  assert_int_equal(missing.err.http_status, 404);
  fixture_close_and_check(&f);
}

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup(models_get_parses_the_model_and_its_latest_version, clear),
      cmocka_unit_test_setup(models_list_sends_sort_and_follows_next, clear),
      cmocka_unit_test_setup(models_create_update_and_delete_round_trip, clear),
      cmocka_unit_test_setup(models_search_sends_query_method_with_a_text_body, clear),
      cmocka_unit_test_setup(model_versions_list_get_and_delete, clear),
      cmocka_unit_test_setup(model_readme_and_examples, clear),
      cmocka_unit_test_setup(bad_model_arguments_fail_before_sending, clear),
      cmocka_unit_test_setup(collections_list_and_get_with_models, clear),
      cmocka_unit_test_setup(hardware_list_reads_a_bare_array, clear),
      cmocka_unit_test_setup(account_and_webhook_secret, clear),
      cmocka_unit_test_setup(search_sends_query_and_limit, clear),
      cmocka_unit_test_setup(trainings_create_get_list_and_cancel, clear),
      cmocka_unit_test_setup(deployments_crud_predictions_and_run, clear),
      cmocka_unit_test_setup(files_create_from_buffer_sends_multipart_with_exact_length, clear),
      cmocka_unit_test_setup(files_create_from_path_get_list_and_delete, clear),
      cmocka_unit_test_setup(paginate_walks_every_page_and_stops_early, clear),
      cmocka_unit_test_setup(file_output_streams_a_delivery_url_without_the_token, clear),
  };
  return cmocka_run_group_tests(tests, start_emulator, stop_emulator);
}
