// run(), wait() and predictions.* against the emulator.
#include <cstring>
#include <string>

#include "replicate/blocking.hpp"
#include "replicate/data_uri.hpp"
#include "support/loop_fixture.hpp"
#include "support/test_main.hpp"

using namespace replicate;
using namespace replicate::test;

static emulator_process emu;

namespace {

struct outcome {
  bool done = false;
  int calls = 0;
  int progress = 0;
  error err;
  std::string id, status, output;
};

void on_done(void* user, const error& err, const prediction* p) {
  auto* o = static_cast<outcome*>(user);
  o->calls++;
  o->done = true;
  o->err = err;
  if (p != nullptr) {
    o->id = std::string(p->id);
    o->status = std::string(p->status_text);
    o->output = std::string(p->output_json);
  }
}

void on_progress(void* user, const prediction& p) {
  auto* o = static_cast<outcome*>(user);
  o->progress++;
  o->id = std::string(p.id);
}

int count(const std::vector<logged_request>& log, std::string_view method,
          std::string_view prefix) {
  int n = 0;
  for (const auto& r : log)
    if (r.method == method && r.path.rfind(prefix, 0) == 0) ++n;
  return n;
}

}  // namespace

static int start_emulator(void**) {
  const char* args[] = {"--prediction-ms", "150", "--page-size", "2", nullptr};
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

static void run_model_blocks_with_prefer_wait_and_succeeds(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  outcome o;
  run_options opts;
  opts.create.input_json = R"({"text": "world"})";
  auto op = f.c.run("replicate/hello-world", opts, on_done, &o, on_progress);
  assert_true(op.ok());
  fixture_run_until(&f, &o.done);
  assert_false(static_cast<bool>(o.err));
  assert_string_equal(o.output.c_str(), "\"hello world\"");
  assert_true(o.progress >= 1);
  auto log = emulator_requests(emu);
  assert_int_equal(count(log, "POST", "/v1/models/replicate/hello-world/predictions"), 1);
  assert_string_equal(log[0].header("prefer").c_str(), "wait=60");
  assert_true(log[0].header("authorization") == "Bearer r8_test_token");
  assert_true(log[0].header("user-agent").rfind("replicate-cpp/", 0) == 0);
  fixture_close_and_check(&f);
  assert_int_equal(o.calls, 1);
}

static void run_poll_mode_creates_without_prefer_and_polls_until_done(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  outcome o;
  run_options opts;
  opts.mode = wait_mode::poll;
  opts.wait.poll_interval = std::chrono::milliseconds(30);
  opts.create.input_json = R"({"text": "poll"})";
  assert_true(f.c.run("replicate/hello-world", opts, on_done, &o, on_progress).ok());
  fixture_run_until(&f, &o.done);
  assert_false(static_cast<bool>(o.err));
  assert_string_equal(o.output.c_str(), "\"hello poll\"");
  auto log = emulator_requests(emu);
  assert_false(log[0].has_header("prefer"));
  int polls = count(log, "GET", "/v1/predictions/" + o.id);
  assert_true(polls >= 2);
  assert_int_equal(o.progress, polls + 1);  // create + every poll
  fixture_close_and_check(&f);
}

static void run_with_version_id_posts_version_to_predictions(void**) {
  blocking_client bc;
  blocking_open(&bc, emu);
  request_params get_model;
  get_model.route = "/models/replicate/hello-world";
  auto model = bc.request(get_model);
  assert_true(model.ok());
  std::size_t at = model->body.find("\"latest_version\"");
  assert_true(at != std::string::npos);
  std::size_t id_at = model->body.find("\"id\":\"", at) + 6;
  std::string version = model->body.substr(id_at, 64);
  for (std::string identifier : {version, "replicate/hello-world:" + version}) {
    emulator_clear(emu);
    run_options opts;
    opts.create.input_json = R"({"text": "v"})";
    auto p = bc.run(identifier, opts);
    assert_true(p.ok());
    assert_string_equal(p->output_json.c_str(), "\"hello v\"");
    auto log = emulator_requests(emu);
    assert_string_equal(log[0].path.c_str(), "/v1/predictions");
    assert_true(log[0].body.find("\"version\":\"" + version + "\"") != std::string::npos);
  }
}

static void run_rejects_a_malformed_identifier_before_sending(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  outcome o;
  auto op = f.c.run("not-a-model", {}, on_done, &o);
  assert_false(op.ok());
  assert_int_equal(static_cast<int>(op.err().code), static_cast<int>(errc::invalid_identifier));
  run_options bad_hook;
  bad_hook.create.webhook = "ftp://example.com/hook";
  op = f.c.run("replicate/hello-world", bad_hook, on_done, &o);
  assert_int_equal(static_cast<int>(op.err().code), static_cast<int>(errc::invalid_webhook));
  std::string_view events[] = {"completed", "finished"};
  run_options bad_event;
  bad_event.create.webhook = "https://example.com/hook";
  bad_event.create.webhook_events_filter = events;
  bad_event.create.webhook_events_count = 2;
  op = f.c.run("replicate/hello-world", bad_event, on_done, &o);
  assert_int_equal(static_cast<int>(op.err().code), static_cast<int>(errc::invalid_webhook_event));
  fixture_close_and_check(&f);
  assert_int_equal(o.calls, 0);  // a call that returns an error never fires its callback
  assert_true(emulator_requests(emu).empty());
}

static void run_of_failing_model_reports_prediction_id_and_model_error(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  outcome o;
  run_options opts;
  opts.create.input_json = R"({"message": "out of memory"})";
  assert_true(f.c.run("replicate/fail", opts, on_done, &o).ok());
  fixture_run_until(&f, &o.done);
  assert_int_equal(static_cast<int>(o.err.code), static_cast<int>(errc::prediction_failed));
  assert_true(std::strstr(o.err.detail, "out of memory") != nullptr);
  assert_true(o.err.prediction_id[0] != '\0');
  assert_string_equal(o.err.prediction_id, o.id.c_str());
  assert_string_equal(o.err.prediction_status, "failed");
  fixture_close_and_check(&f);
}

static void cancel_stops_waiting_cancels_server_side_and_completes_once(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  struct state {
    outcome o;
    client* c;
    operation op;
    bool canceled = false;
  } st;
  st.c = &f.c;
  run_options opts;
  opts.mode = wait_mode::poll;
  opts.wait.poll_interval = std::chrono::milliseconds(20);
  opts.create.input_json = R"({"seconds": 30})";
  auto progress = [](void* user, const prediction& p) {
    auto* s = static_cast<state*>(user);
    s->o.id = std::string(p.id);
    if (!s->canceled) {
      s->canceled = true;
      assert_false(static_cast<bool>(s->c->cancel(s->op)));
    }
  };
  auto done = [](void* user, const error& err, const prediction* p) {
    on_done(&static_cast<state*>(user)->o, err, p);
  };
  auto op = f.c.run("replicate/slow", opts, done, &st, progress);
  assert_true(op.ok());
  st.op = op.value();
  fixture_run_until(&f, &st.o.done);
  assert_int_equal(static_cast<int>(st.o.err.code), static_cast<int>(errc::prediction_canceled));
  assert_string_equal(st.o.err.prediction_id, st.o.id.c_str());
  assert_int_equal(count(emulator_requests(emu), "POST", "/v1/predictions/" + st.o.id + "/cancel"),
                   1);
  // The operation is over: cancelling again is a harmless not_found.
  assert_int_equal(static_cast<int>(f.c.cancel(st.op).code), static_cast<int>(errc::not_found));
  fixture_close_and_check(&f);
  assert_int_equal(st.o.calls, 1);
}

static void deadline_ends_the_wait_with_a_timeout_error(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  outcome o;
  run_options opts;
  opts.mode = wait_mode::poll;
  opts.wait.poll_interval = std::chrono::milliseconds(50);
  opts.wait.deadline = std::chrono::milliseconds(200);
  opts.create.input_json = R"({"seconds": 30})";
  uint64_t start = uv_now(&f.loop);
  assert_true(f.c.run("replicate/slow", opts, on_done, &o).ok());
  fixture_run_until(&f, &o.done);
  uv_update_time(&f.loop);
  assert_int_equal(static_cast<int>(o.err.code), static_cast<int>(errc::deadline_exceeded));
  assert_true(o.err.prediction_id[0] != '\0');
  assert_true(uv_now(&f.loop) - start < 2000);
  fixture_close_and_check(&f);
}

static void aborted_prediction_is_terminal_not_polled_forever(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  outcome o;
  emulator_fault(emu, R"({"method":"GET","path_prefix":"/v1/predictions/","kind":"status",)"
                      R"("status":200,"body":"{\"id\":\"abortedxxxxxxxxxxxxxxxxxxx\",)"
                      R"(\"status\":\"aborted\",\"urls\":{}}"})");
  run_options opts;
  opts.mode = wait_mode::poll;
  opts.wait.poll_interval = std::chrono::milliseconds(10);
  opts.create.input_json = R"({"seconds": 30})";
  assert_true(f.c.run("replicate/slow", opts, on_done, &o).ok());
  fixture_run_until(&f, &o.done);
  assert_int_equal(static_cast<int>(o.err.code), static_cast<int>(errc::prediction_aborted));
  assert_int_equal(count(emulator_requests(emu), "GET", "/v1/predictions/"), 1);
  fixture_close_and_check(&f);
}

static void wait_polls_an_existing_prediction_to_completion(void**) {
  blocking_client bc;
  client_options options;
  options.poll_interval = std::chrono::milliseconds(20);
  blocking_open(&bc, emu, options);
  prediction_create_params params;
  params.input_json = R"({"text": "later"})";
  auto created = bc.create(params, "replicate/hello-world");
  assert_true(created.ok());
  assert_true(created->status_text == "starting" || created->status_text == "processing");
  auto done = bc.wait(created->id);
  assert_true(done.ok());
  assert_string_equal(done->output_json.c_str(), "\"hello later\"");
  auto got = bc.get(created->id);
  assert_true(got.ok());
  assert_string_equal(got->status_text.c_str(), "succeeded");
  auto missing = bc.get("doesnotexist");
  assert_int_equal(static_cast<int>(missing.err().code), static_cast<int>(errc::not_found));
  assert_int_equal(missing.err().http_status, 404);
}

static void predictions_cancel_and_list_walk_pages(void**) {
  blocking_client bc;
  blocking_open(&bc, emu);
  prediction_create_params params;
  params.input_json = R"({"seconds": 30})";
  auto created = bc.create(params, "replicate/slow");
  assert_true(created.ok());
  auto canceled = bc.cancel(created->id);
  assert_true(canceled.ok());
  assert_string_equal(canceled->status_text.c_str(), "canceled");
  for (int i = 0; i < 3; ++i) assert_true(bc.create(params, "replicate/slow").ok());
  auto first = bc.list();
  assert_true(first.ok());
  assert_int_equal(first->items.size(), 2);  // --page-size 2
  assert_false(first->next.empty());
  assert_true(first->next.rfind(emu.origin, 0) == 0);
  auto second = bc.list(first->next);
  assert_true(second.ok());
  assert_true(second->items.size() >= 1);
  assert_true(second->items[0].id != first->items[0].id);
  // The `next` URL is on the API origin, so it carries the token.
  auto log = emulator_requests(emu);
  assert_true(log.back().header("authorization") == "Bearer r8_test_token");
}

static void runs_beyond_the_pool_wait_in_their_slots_and_all_finish(void**) {
  loop_fixture f;
  client_options co;
  co.arena_count = 1;
  co.max_queued = 1;  // far fewer than the runs: they must wait in their own slots
  fixture_open(&f, emu, co);
  outcome o[6];
  run_options opts;
  opts.mode = wait_mode::poll;
  opts.wait.poll_interval = std::chrono::milliseconds(10);
  opts.create.input_json = R"({"text": "parked"})";
  operation ops[6];
  for (int i = 0; i < 6; ++i) {
    auto op = f.c.run("replicate/hello-world", opts, on_done, &o[i]);
    assert_true(op.ok());
    ops[i] = op.value();
  }
  // The last one never got a request slot: canceling it sends nothing.
  assert_false(static_cast<bool>(f.c.cancel(ops[5])));
  assert_true(o[5].done);
  assert_int_equal(static_cast<int>(o[5].err.code), static_cast<int>(errc::prediction_canceled));
  for (int i = 0; i < 5; ++i) {
    fixture_run_until(&f, &o[i].done);
    assert_false(static_cast<bool>(o[i].err));
    assert_string_equal(o[i].output.c_str(), "\"hello parked\"");
  }
  memory_stats s = f.c.stats();
  assert_int_equal(s.requests_queued_peak, 0);
  assert_int_equal(s.arenas_peak, 1);
  assert_int_equal(count(emulator_requests(emu), "POST", "/v1/models"), 5);
  fixture_close_and_check(&f);
}

static void run_with_an_input_larger_than_the_arena_succeeds(void**) {
  // The API echoes the input in each response; run() drops it on the way into the arena, so a
  // 200 KB frame fits a 16 KB arena.
  loop_fixture f;
  client_options co;
  co.arena_size = 16 * 1024;
  fixture_open(&f, emu, co);
  std::string frame(200 * 1024, '\x5a');
  input_body body;
  input_field fields[] = {input_data_uri("image", frame.data(), frame.size())};
  assert_false(static_cast<bool>(input_body_init(&body, fields, 1)));
  outcome o;
  run_options opts;
  opts.mode = wait_mode::poll;
  opts.wait.poll_interval = std::chrono::milliseconds(20);
  opts.create.input_stream = &body.source;
  assert_true(f.c.run("replicate/caption", opts, on_done, &o).ok());
  fixture_run_until(&f, &o.done);
  char text[512];
  if (o.err) fail_msg("%s", o.err.describe(text, sizeof text).data());
  assert_true(o.output.find("204800-byte image/jpeg") != std::string::npos);
  assert_true(f.c.stats().arena_high_water_bytes < 16 * 1024);
  input_body_close(&body);
  fixture_close_and_check(&f);
}

static void close_with_a_run_in_flight_completes_it_with_client_closed(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  outcome o;
  run_options opts;
  opts.create.input_json = R"({"seconds": 30})";
  assert_true(f.c.run("replicate/slow", opts, on_done, &o).ok());
  uv_run(&f.loop, UV_RUN_NOWAIT);
  fixture_close_and_check(&f);
  assert_int_equal(o.calls, 1);
  assert_int_equal(static_cast<int>(o.err.code), static_cast<int>(errc::client_closed));
}

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup(run_model_blocks_with_prefer_wait_and_succeeds, clear),
      cmocka_unit_test_setup(run_poll_mode_creates_without_prefer_and_polls_until_done, clear),
      cmocka_unit_test_setup(run_with_version_id_posts_version_to_predictions, clear),
      cmocka_unit_test_setup(run_rejects_a_malformed_identifier_before_sending, clear),
      cmocka_unit_test_setup(run_of_failing_model_reports_prediction_id_and_model_error, clear),
      cmocka_unit_test_setup(cancel_stops_waiting_cancels_server_side_and_completes_once, clear),
      cmocka_unit_test_setup(deadline_ends_the_wait_with_a_timeout_error, clear),
      cmocka_unit_test_setup(aborted_prediction_is_terminal_not_polled_forever, clear),
      cmocka_unit_test_setup(wait_polls_an_existing_prediction_to_completion, clear),
      cmocka_unit_test_setup(predictions_cancel_and_list_walk_pages, clear),
      cmocka_unit_test_setup(runs_beyond_the_pool_wait_in_their_slots_and_all_finish, clear),
      cmocka_unit_test_setup(run_with_an_input_larger_than_the_arena_succeeds, clear),
      cmocka_unit_test_setup(close_with_a_run_in_flight_completes_it_with_client_closed, clear),
  };
  return cmocka_run_group_tests(tests, start_emulator, stop_emulator);
}
