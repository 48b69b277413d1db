// Starts the local API emulator for one test process, on 127.0.0.1 with an ephemeral port, and
// talks to its control endpoints (/_emulator/...). Blocking, for test set-up only.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

namespace replicate::test {

struct emulator_process {
  pid_t pid = -1;
  int stdin_fd = -1;     // the emulator exits when this closes, so it never outlives the test
  std::string base_url;  // "http://127.0.0.1:PORT/v1"
  std::string origin;    // "http://127.0.0.1:PORT"
};

// Spawns $REPLICATE_EMULATOR (set by ctest) with `--port 0` plus extra_args and waits for the
// base URL it prints. Returns false with a message on stderr if it cannot.
bool emulator_start(emulator_process* emu, const char* const* extra_args = nullptr);
void emulator_stop(emulator_process* emu);

struct http_reply {
  long status = 0;
  std::string body;
};
// A plain blocking request to the emulator (control endpoints, or checks of what it stored).
http_reply emulator_call(const emulator_process& emu, std::string_view method,
                         std::string_view path, std::string_view body = {},
                         std::string_view auth = "r8_test_token");

}  // namespace replicate::test
