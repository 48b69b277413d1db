// A uv loop and a client on it, for integration tests. close_and_check() closes the client, runs
// the loop until every handle is gone and asserts that uv_loop_close succeeds.
#pragma once

#include <uv.h>

#include <string>
#include <vector>

#include "replicate/blocking.hpp"
#include "replicate/client.hpp"
#include "support/emulator_process.hpp"

namespace replicate::test {

struct loop_fixture {
  uv_loop_t loop;
  client c;
  bool closed = false;
};

// Inits the loop and a client pointed at the emulator (token r8_test_token unless given).
void fixture_open(loop_fixture* f, const emulator_process& emu, client_options options = {});
// Runs the loop until *flag is true (fails the test if the loop runs dry first).
void fixture_run_until(loop_fixture* f, const bool* flag);
void fixture_close_and_check(loop_fixture* f);
// Inits a blocking client on the emulator; the token is r8_test_token unless options.auth is
// set, and none at all when no_token is true.
void blocking_open(blocking_client* bc, const emulator_process& emu, client_options options = {},
                   bool no_token = false);

// Requests the emulator logged, as parsed JSON objects' fields we test on.
struct logged_request {
  std::string port, method, path, query, body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
};
std::vector<logged_request> emulator_requests(const emulator_process& emu);
void emulator_clear(const emulator_process& emu);  // requests and faults
void emulator_fault(const emulator_process& emu, const std::string& json);

}  // namespace replicate::test
