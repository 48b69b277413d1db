// stream() against the emulator's SSE endpoint (its second port plays the streaming host).
#include <cstring>
#include <string>
#include <vector>

#include "replicate/blocking.hpp"
#include "support/loop_fixture.hpp"
#include "support/test_main.hpp"

using namespace replicate;
using namespace replicate::test;

static emulator_process emu;

namespace {

struct collected {
  bool done = false;
  int done_calls = 0;
  error err;
  std::string text;
  std::vector<std::string> ids;
  std::vector<std::string> types;
  int pause_every = 0;
  int events = 0;
  client* c = nullptr;
  operation op;
  bool cancel_at_first = false;
};

stream_action on_event(void* user, const stream_event& ev) {
  auto* s = static_cast<collected*>(user);
  s->events++;
  s->types.emplace_back(ev.event);
  if (ev.type == stream_event_type::output) {
    s->text.append(ev.data);
    s->ids.emplace_back(ev.id);
    if (s->cancel_at_first) {
      s->cancel_at_first = false;
      assert_false(static_cast<bool>(s->c->cancel(s->op)));
    }
  }
  if (s->pause_every > 0 && s->events % s->pause_every == 0) return stream_action::pause;
  return stream_action::proceed;
}

void on_done(void* user, const error& err, const prediction*) {
  auto* s = static_cast<collected*>(user);
  s->done = true;
  s->done_calls++;
  s->err = err;
}

// The output list of the finished prediction, joined: what the stream's output must equal.
std::string final_output(const std::string& id) {
  blocking_client bc;
  client_options o;
  o.poll_interval = std::chrono::milliseconds(20);
  blocking_open(&bc, emu, o);
  auto p = bc.wait(id);
  assert_true(p.ok());
  std::string joined;
  // output_json is a JSON list of strings without escapes in the emulator's tokens.
  const std::string& out = p->output_json;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] != '"') continue;
    std::size_t end = out.find('"', i + 1);
    joined += out.substr(i + 1, end - i - 1);
    i = end;
  }
  return joined;
}

}  // namespace

static int start_emulator(void**) { return emulator_start(&emu) ? 0 : -1; }
static int stop_emulator(void**) {
  emulator_stop(&emu);
  return 0;
}
static int clear(void**) {
  emulator_clear(emu);
  return 0;
}

static void stream_delivers_output_events_that_join_to_the_final_output(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  collected s;
  stream_options o;
  o.create.input_json = R"({"prompt": "tell me a story", "count": 50})";
  auto op = f.c.stream("replicate/tokens", o, on_event, on_done, &s);
  assert_true(op.ok());
  fixture_run_until(&f, &s.done);
  assert_false(static_cast<bool>(s.err));
  assert_int_equal(s.done_calls, 1);
  assert_int_equal(s.ids.size(), 50);
  assert_string_equal(s.types.back().c_str(), "done");
  auto log = emulator_requests(emu);
  std::string id;
  for (const auto& r : log) {
    if (r.port != "stream") continue;
    assert_false(r.has_header("authorization"));  // another host: no token
    assert_string_equal(r.header("accept").c_str(), "text/event-stream");
    id = r.path.substr(r.path.rfind('/') + 1);
  }
  assert_false(id.empty());
  fixture_close_and_check(&f);
  assert_string_equal(s.text.c_str(), final_output(id).c_str());
}

static void stream_reconnects_with_last_event_id_without_losing_or_repeating(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  emulator_fault(emu, R"({"port":"stream","kind":"drop_after","events":7})");
  collected s;
  stream_options o;
  o.reconnect_delay = std::chrono::milliseconds(10);
  o.create.input_json = R"({"prompt": "reconnect", "count": 30})";
  assert_true(f.c.stream("replicate/tokens", o, on_event, on_done, &s).ok());
  fixture_run_until(&f, &s.done);
  assert_false(static_cast<bool>(s.err));
  assert_int_equal(s.ids.size(), 30);
  for (std::size_t i = 1; i < s.ids.size(); ++i) assert_true(s.ids[i] != s.ids[i - 1]);
  int connections = 0;
  std::string last_event_id;
  for (const auto& r : emulator_requests(emu)) {
    if (r.port != "stream") continue;
    ++connections;
    if (r.has_header("last-event-id")) last_event_id = r.header("last-event-id");
  }
  assert_int_equal(connections, 2);
  assert_string_equal(last_event_id.c_str(), s.ids[6].c_str());
  fixture_close_and_check(&f);
}

static void stream_survives_more_drops_than_max_reconnects_when_each_makes_progress(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  emulator_fault(emu, R"({"port":"stream","kind":"drop_after","events":5,"times":4})");
  collected s;
  stream_options o;
  o.max_reconnects = 2;  // fewer than the drops: the limit is on failures in a row
  o.reconnect_delay = std::chrono::milliseconds(5);
  o.create.input_json = R"({"prompt": "drops", "count": 40})";
  assert_true(f.c.stream("replicate/tokens", o, on_event, on_done, &s).ok());
  fixture_run_until(&f, &s.done);
  assert_false(static_cast<bool>(s.err));
  assert_int_equal(s.ids.size(), 40);
  int connections = 0;
  for (const auto& r : emulator_requests(emu))
    if (r.port == "stream") ++connections;
  assert_true(connections >= 4);
  fixture_close_and_check(&f);
}

static void stream_pause_and_resume_deliver_everything_once(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  collected s;
  s.pause_every = 5;
  stream_options o;
  o.create.input_json = R"({"prompt": "pause", "count": 40})";
  auto op = f.c.stream("replicate/tokens", o, on_event, on_done, &s);
  assert_true(op.ok());
  while (!s.done) {
    uv_run(&f.loop, UV_RUN_ONCE);
    if (!s.done) assert_false(static_cast<bool>(f.c.stream_resume(op.value())));
  }
  assert_false(static_cast<bool>(s.err));
  assert_int_equal(s.ids.size(), 40);  // every event once, though paused every 5th
  for (std::size_t i = 1; i < s.ids.size(); ++i) assert_true(s.ids[i] != s.ids[i - 1]);
  assert_true(s.events / s.pause_every >= 8);
  fixture_close_and_check(&f);
}

static void stream_cancel_from_an_event_cancels_the_prediction_once(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  collected s;
  s.c = &f.c;
  s.cancel_at_first = true;
  stream_options o;
  o.create.input_json = R"({"prompt": "cancel", "count": 1000, "interval_ms": 20})";
  auto op = f.c.stream("replicate/tokens", o, on_event, on_done, &s);
  assert_true(op.ok());
  s.op = op.value();
  fixture_run_until(&f, &s.done);
  assert_int_equal(static_cast<int>(s.err.code), static_cast<int>(errc::prediction_canceled));
  assert_int_equal(s.ids.size(), 1);  // nothing after the cancel
  int cancels = 0;
  for (const auto& r : emulator_requests(emu))
    if (r.method == "POST" && r.path.find("/cancel") != std::string::npos) ++cancels;
  assert_int_equal(cancels, 1);
  fixture_close_and_check(&f);
  assert_int_equal(s.done_calls, 1);
}

static void stream_error_event_completes_with_the_error_and_prediction_id(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  collected s;
  stream_options o;
  o.create.input_json = R"({"message": "boom"})";
  assert_true(f.c.stream("replicate/fail", o, on_event, on_done, &s).ok());
  fixture_run_until(&f, &s.done);
  if (s.err.code == errc::stream_unsupported) {
    fail_msg("the emulator's fail model should stream its error");
  }
  assert_int_equal(static_cast<int>(s.err.code), static_cast<int>(errc::stream_error));
  assert_true(std::strstr(s.err.detail, "boom") != nullptr);
  assert_true(s.err.prediction_id[0] != '\0');
  fixture_close_and_check(&f);
}

static void stream_event_larger_than_the_carry_is_a_named_error(void**) {
  loop_fixture f;
  client_options co;
  co.max_event_size = 256;
  fixture_open(&f, emu, co);
  collected s;
  stream_options o;
  o.create.input_json = R"({"prompt": "big", "count": 3, "token_size": 5000})";
  assert_true(f.c.stream("replicate/tokens", o, on_event, on_done, &s).ok());
  fixture_run_until(&f, &s.done);
  assert_int_equal(static_cast<int>(s.err.code), static_cast<int>(errc::event_too_large));
  fixture_close_and_check(&f);
}

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup(stream_delivers_output_events_that_join_to_the_final_output, clear),
      cmocka_unit_test_setup(stream_reconnects_with_last_event_id_without_losing_or_repeating,
                             clear),
      cmocka_unit_test_setup(
          stream_survives_more_drops_than_max_reconnects_when_each_makes_progress, clear),
      cmocka_unit_test_setup(stream_pause_and_resume_deliver_everything_once, clear),
      cmocka_unit_test_setup(stream_cancel_from_an_event_cancels_the_prediction_once, clear),
      cmocka_unit_test_setup(stream_error_event_completes_with_the_error_and_prediction_id, clear),
      cmocka_unit_test_setup(stream_event_larger_than_the_carry_is_a_named_error, clear),
  };
  return cmocka_run_group_tests(tests, start_emulator, stop_emulator);
}
