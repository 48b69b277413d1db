// The HTTP layer against the emulator: retries and back-off, Retry-After, no POST replay,
// errors, limits, the low-level request() and the request hook.
#include <cstdlib>
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

struct reply {
  bool done = false;
  int calls = 0;
  error err;
  int status = 0;
  std::string body;
};

void on_response(void* user, const error& err, const response& res) {
  auto* r = static_cast<reply*>(user);
  r->done = true;
  r->calls++;
  r->err = err;
  r->status = res.status;
  r->body = std::string(res.body);
}

struct attempt_log {
  loop_fixture* f = nullptr;
  std::vector<uint64_t> at;
};

void record_attempt(void* user, request_editor& req) {
  auto* log = static_cast<attempt_log*>(user);
  uv_update_time(&log->f->loop);
  log->at.push_back(uv_now(&log->f->loop));
  req.set_header("X-Test-Attempt", req.attempt() == 1 ? "first" : "again");
}

int count(const std::vector<logged_request>& log, std::string_view method,
          std::string_view prefix) {
  int n = 0;
  for (const auto& r : log)
    if (r.method == method && r.path.rfind(prefix, 0) == 0) ++n;
  return n;
}

client_options fast_retries() {
  client_options o;
  o.retry.base_delay = std::chrono::milliseconds(100);
  o.retry.max_delay = std::chrono::milliseconds(400);
  o.retry.max_attempts = 4;
  return o;
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

static void get_retries_5xx_with_growing_jittered_backoff(void**) {
  loop_fixture f;
  attempt_log attempts;
  attempts.f = &f;
  client_options o = fast_retries();
  o.on_request = record_attempt;
  o.on_request_user = &attempts;
  fixture_open(&f, emu, o);
  emulator_fault(
      emu, R"({"method":"GET","path_prefix":"/v1/models","kind":"status","status":503,"times":2})");
  emulator_fault(
      emu, R"({"method":"GET","path_prefix":"/v1/models","kind":"status","status":502,"times":1})");
  reply r;
  request_params p;
  p.route = "/models/replicate/hello-world";
  assert_false(static_cast<bool>(f.c.request(p, on_response, &r)));
  fixture_run_until(&f, &r.done);
  assert_false(static_cast<bool>(r.err));
  assert_int_equal(r.status, 200);
  assert_int_equal(attempts.at.size(), 4);
  // Equal jitter: the n-th wait is within [base*2^(n-1)/2, base*2^(n-1)], capped at max_delay.
  uint64_t low[] = {50, 100, 200};
  for (int i = 0; i < 3; ++i) {
    uint64_t gap = attempts.at[i + 1] - attempts.at[i];
    assert_true(gap >= low[i]);
  }
  assert_int_equal(f.c.stats().retries, 3);
  auto log = emulator_requests(emu);
  assert_int_equal(count(log, "GET", "/v1/models/replicate/hello-world"), 4);
  assert_string_equal(log[0].header("x-test-attempt").c_str(), "first");
  assert_string_equal(log[3].header("x-test-attempt").c_str(), "again");
  fixture_close_and_check(&f);
}

static void retry_after_header_sets_the_wait(void**) {
  loop_fixture f;
  attempt_log attempts;
  attempts.f = &f;
  client_options o = fast_retries();
  o.on_request = record_attempt;
  o.on_request_user = &attempts;
  fixture_open(&f, emu, o);
  emulator_fault(emu,
                 R"({"path_prefix":"/v1/models","kind":"status","status":429,"retry_after":"1"})");
  reply r;
  request_params p;
  p.route = "/models/replicate/hello-world";
  assert_false(static_cast<bool>(f.c.request(p, on_response, &r)));
  fixture_run_until(&f, &r.done);
  assert_int_equal(r.status, 200);
  assert_int_equal(attempts.at.size(), 2);
  assert_true(attempts.at[1] - attempts.at[0] >= 990);
  fixture_close_and_check(&f);
}

static void retries_give_up_after_max_attempts_with_the_last_status(void**) {
  loop_fixture f;
  client_options o = fast_retries();
  o.retry.max_attempts = 2;
  fixture_open(&f, emu, o);
  emulator_fault(emu, R"({"path_prefix":"/v1/models","kind":"status","status":503,"times":5})");
  reply r;
  request_params p;
  p.route = "/models/replicate/hello-world";
  assert_false(static_cast<bool>(f.c.request(p, on_response, &r)));
  fixture_run_until(&f, &r.done);
  assert_int_equal(static_cast<int>(r.err.code), static_cast<int>(errc::http_status));
  assert_int_equal(r.err.http_status, 503);
  assert_int_equal(count(emulator_requests(emu), "GET", "/v1/models"), 2);
  fixture_close_and_check(&f);
}

static void post_is_not_replayed_after_a_dropped_connection(void**) {
  loop_fixture f;
  fixture_open(&f, emu, fast_retries());
  emulator_fault(emu, R"({"method":"POST","path_prefix":"/v1/models","kind":"drop"})");
  struct out {
    bool done = false;
    error err;
  } o;
  run_options opts;
  opts.create.input_json = R"({"text": "once"})";
  auto done = [](void* user, const error& err, const prediction*) {
    static_cast<out*>(user)->done = true;
    static_cast<out*>(user)->err = err;
  };
  assert_true(f.c.run("replicate/hello-world", opts, done, &o).ok());
  fixture_run_until(&f, &o.done);
  assert_true(o.err.code == errc::transport || o.err.code == errc::connect_failed);
  assert_true(o.err.curl_code != 0);
  assert_int_equal(count(emulator_requests(emu), "POST", "/v1/models"), 1);
  fixture_close_and_check(&f);
}

static void post_is_retried_on_429(void**) {
  loop_fixture f;
  fixture_open(&f, emu, fast_retries());
  emulator_fault(
      emu,
      R"({"method":"POST","path_prefix":"/v1/models","kind":"status","status":429,"retry_after":"0"})");
  struct out {
    bool done = false;
    error err;
  } o;
  run_options opts;
  opts.create.input_json = R"({"text": "again"})";
  auto done = [](void* user, const error& err, const prediction*) {
    static_cast<out*>(user)->done = true;
    static_cast<out*>(user)->err = err;
  };
  assert_true(f.c.run("replicate/hello-world", opts, done, &o).ok());
  fixture_run_until(&f, &o.done);
  assert_false(static_cast<bool>(o.err));
  assert_int_equal(count(emulator_requests(emu), "POST", "/v1/models"), 2);
  fixture_close_and_check(&f);
}

static void missing_token_gives_401_with_the_api_detail(void**) {
  unsetenv("REPLICATE_API_TOKEN");
  blocking_client bc;
  blocking_open(&bc, emu, {}, true);
  auto p = bc.get("abc");
  assert_int_equal(static_cast<int>(p.err().code), static_cast<int>(errc::unauthenticated));
  assert_int_equal(p.err().http_status, 401);
  assert_string_equal(p.err().title, "Unauthenticated");
  assert_true(std::strstr(p.err().detail, "authentication token") != nullptr);
  assert_false(emulator_requests(emu)[0].has_header("authorization"));
}

static void token_is_never_sent_to_another_origin(void**) {
  blocking_client bc;
  client_options o;
  o.auth = "r8_secret";
  blocking_open(&bc, emu, o);
  std::string other = emu.base_url;
  other.replace(other.find("127.0.0.1"), 9, "localhost");
  std::string route = other + "/models/replicate/hello-world";
  request_params p;
  p.route = route;
  auto r = bc.request(p);
  assert_int_equal(r.err().http_status, 401);  // no token went to "localhost"
  for (const auto& req : emulator_requests(emu)) assert_false(req.has_header("authorization"));
}

static void request_sends_method_query_body_and_headers(void**) {
  blocking_client bc;
  client_options o;
  o.user_agent = "my-app/1.0";
  blocking_open(&bc, emu, o);
  query_param q[] = {{"sort_by", "model_created_at"}, {"note", "a b&c"}};
  header h[] = {{"X-Trace", "t-1"}};
  request_params p;
  p.route = "/models";
  p.query = q;
  p.query_count = 2;
  p.headers = h;
  p.header_count = 1;
  auto r = bc.request(p);
  assert_true(r.ok());
  assert_int_equal(r->status, 200);
  assert_true(r->body.find("\"results\"") != std::string::npos);
  auto log = emulator_requests(emu);
  assert_string_equal(log[0].query.c_str(), "sort_by=model_created_at&note=a%20b%26c");
  assert_string_equal(log[0].header("x-trace").c_str(), "t-1");
  assert_string_equal(log[0].header("user-agent").c_str(), "my-app/1.0");

  emulator_clear(emu);
  request_params post;
  post.method = http_method::post;
  post.route = "/models/replicate/hello-world/predictions";
  post.body = R"({"input":{"text":"raw"}})";
  auto created = bc.request(post);
  assert_true(created.ok());
  assert_int_equal(created->status, 201);
  log = emulator_requests(emu);
  assert_string_equal(log[0].body.c_str(), R"({"input":{"text":"raw"}})");
  assert_string_equal(log[0].header("content-type").c_str(), "application/json");
}

static void api_error_status_carries_detail(void**) {
  blocking_client bc;
  blocking_open(&bc, emu);
  request_params post;
  post.method = http_method::post;
  post.route = "/predictions";
  post.body = R"({"version":"nope","input":{}})";
  auto r = bc.request(post);
  assert_false(r.ok());
  assert_true(r.err().http_status == 404 || r.err().http_status == 422);
  assert_true(r.err().detail[0] != '\0');
}

static void oversize_response_is_a_named_error(void**) {
  loop_fixture f;
  client_options o;
  o.arena_size = 16 * 1024;
  fixture_open(&f, emu, o);
  emulator_fault(emu, R"({"path_prefix":"/v1/models","kind":"oversize","bytes":200000})");
  reply r;
  request_params p;
  p.route = "/models";
  assert_false(static_cast<bool>(f.c.request(p, on_response, &r)));
  fixture_run_until(&f, &r.done);
  assert_int_equal(static_cast<int>(r.err.code), static_cast<int>(errc::response_too_large));
  assert_int_equal(count(emulator_requests(emu), "GET", "/v1/models"), 1);  // never retried
  fixture_close_and_check(&f);
}

static void malformed_json_is_a_bad_response(void**) {
  blocking_client bc;
  blocking_open(&bc, emu);
  emulator_fault(emu, R"({"path_prefix":"/v1/predictions/","kind":"malformed_json"})");
  auto p = bc.get("whatever");
  assert_int_equal(static_cast<int>(p.err().code), static_cast<int>(errc::bad_response));
}

static void slow_response_times_out(void**) {
  loop_fixture f;
  client_options o;
  o.request_timeout = std::chrono::milliseconds(200);
  o.retry.max_attempts = 1;
  fixture_open(&f, emu, o);
  emulator_fault(emu, R"({"path_prefix":"/v1/models","kind":"delay","delay_ms":2000})");
  reply r;
  request_params p;
  p.route = "/models";
  assert_false(static_cast<bool>(f.c.request(p, on_response, &r)));
  fixture_run_until(&f, &r.done);
  assert_int_equal(static_cast<int>(r.err.code), static_cast<int>(errc::timeout));
  fixture_close_and_check(&f);
}

static void full_pool_queues_then_refuses_with_pool_exhausted(void**) {
  loop_fixture f;
  client_options o;
  o.arena_count = 1;
  o.max_queued = 1;
  fixture_open(&f, emu, o);
  reply a, b, c;
  request_params p;
  p.route = "/models";
  assert_false(static_cast<bool>(f.c.request(p, on_response, &a)));
  assert_false(static_cast<bool>(f.c.request(p, on_response, &b)));
  assert_int_equal(f.c.stats().requests_queued, 1);
  error refused = f.c.request(p, on_response, &c);
  assert_int_equal(static_cast<int>(refused.code), static_cast<int>(errc::pool_exhausted));
  fixture_run_until(&f, &b.done);
  assert_true(a.done);
  assert_int_equal(a.status, 200);
  assert_int_equal(b.status, 200);
  memory_stats s = f.c.stats();
  assert_int_equal(s.arenas_peak, 1);
  assert_int_equal(s.arenas_in_use, 0);
  assert_int_equal(s.requests_queued_peak, 1);
  assert_true(s.arena_high_water_bytes > 0);
  fixture_close_and_check(&f);
  assert_int_equal(c.calls, 0);
}

static void close_fails_queued_and_in_flight_requests_once(void**) {
  loop_fixture f;
  client_options o;
  o.arena_count = 1;
  fixture_open(&f, emu, o);
  reply a, b;
  request_params p;
  p.route = "/models";
  assert_false(static_cast<bool>(f.c.request(p, on_response, &a)));
  assert_false(static_cast<bool>(f.c.request(p, on_response, &b)));
  fixture_close_and_check(&f);
  assert_int_equal(a.calls, 1);
  assert_int_equal(b.calls, 1);
  assert_int_equal(static_cast<int>(b.err.code), static_cast<int>(errc::client_closed));
}

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup(get_retries_5xx_with_growing_jittered_backoff, clear),
      cmocka_unit_test_setup(retry_after_header_sets_the_wait, clear),
      cmocka_unit_test_setup(retries_give_up_after_max_attempts_with_the_last_status, clear),
      cmocka_unit_test_setup(post_is_not_replayed_after_a_dropped_connection, clear),
      cmocka_unit_test_setup(post_is_retried_on_429, clear),
      cmocka_unit_test_setup(missing_token_gives_401_with_the_api_detail, clear),
      cmocka_unit_test_setup(token_is_never_sent_to_another_origin, clear),
      cmocka_unit_test_setup(request_sends_method_query_body_and_headers, clear),
      cmocka_unit_test_setup(api_error_status_carries_detail, clear),
      cmocka_unit_test_setup(oversize_response_is_a_named_error, clear),
      cmocka_unit_test_setup(malformed_json_is_a_bad_response, clear),
      cmocka_unit_test_setup(slow_response_times_out, clear),
      cmocka_unit_test_setup(full_pool_queues_then_refuses_with_pool_exhausted, clear),
      cmocka_unit_test_setup(close_fails_queued_and_in_flight_requests_once, clear),
  };
  return cmocka_run_group_tests(tests, start_emulator, stop_emulator);
}
