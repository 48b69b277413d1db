// The coroutine adapter (C++20) over the callback API, against the emulator.
#include "replicate/coro.hpp"

#include <coroutine>
#include <exception>

#include "support/loop_fixture.hpp"
#include "support/test_main.hpp"

using namespace replicate;
using namespace replicate::test;

static emulator_process emu;

namespace {

// The smallest coroutine type: starts at once, runs to its end, owns nothing.
struct detached {
  struct promise_type {
    detached get_return_object() noexcept { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }
  };
};

struct results {
  bool done = false;
  std::string output;
  error failure;
  int status = 0;
};

detached run_two(client& c, results* out) {
  run_options opts;
  opts.create.input_json = R"({"text": "coroutine"})";
  auto p = co_await coro::run(c, "replicate/hello-world", opts);
  if (p.ok()) out->output = p->output_json;
  auto bad = co_await coro::run(c, "not an identifier");
  out->failure = bad.err();
  request_params get;
  get.route = "/models/replicate/hello-world";
  auto r = co_await coro::request(c, get);
  if (r.ok()) out->status = r->status;
  out->done = true;
}

}  // namespace

static int start_emulator(void**) { return emulator_start(&emu) ? 0 : -1; }
static int stop_emulator(void**) {
  emulator_stop(&emu);
  return 0;
}

static void coroutines_await_runs_errors_and_requests_with_owned_results(void**) {
  loop_fixture f;
  fixture_open(&f, emu);
  results r;
  run_two(f.c, &r);
  fixture_run_until(&f, &r.done);
  assert_string_equal(r.output.c_str(), "\"hello coroutine\"");
  assert_int_equal(static_cast<int>(r.failure.code), static_cast<int>(errc::invalid_identifier));
  assert_int_equal(r.status, 200);
  fixture_close_and_check(&f);
}

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(coroutines_await_runs_errors_and_requests_with_owned_results),
  };
  return cmocka_run_group_tests(tests, start_emulator, stop_emulator);
}
