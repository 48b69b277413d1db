// End-to-end streaming against the emulator: one stream of 200,000 64-byte output events, then
// 100 concurrent streams of 10,000 events. Prints events/s, client CPU seconds (this process
// only; the emulator is another process), CPU per event and peak RSS.
//
//   bench_stream [path/to/replicate-emulator]
#include <cstdio>
#include <replicate/client.hpp>

#include "../support/bench_util.hpp"

namespace {

struct totals {
  long events = 0;
  long bytes = 0;
  int open = 0;
  int failed = 0;
  replicate::client* client = nullptr;
};

replicate::stream_action on_event(void* user, const replicate::stream_event& ev) {
  auto* t = static_cast<totals*>(user);
  if (ev.type == replicate::stream_event_type::output) {
    ++t->events;
    t->bytes += static_cast<long>(ev.data.size());
  }
  return replicate::stream_action::proceed;
}

void on_done(void* user, const replicate::error& err, const replicate::prediction*) {
  auto* t = static_cast<totals*>(user);
  if (err) {
    ++t->failed;
    char text[512];
    std::fprintf(stderr, "stream failed: %s\n", err.describe(text, sizeof text).data());
  }
  if (--t->open == 0) t->client->close();
}

void run_case(const std::string& base_url, int streams, int events_each) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  replicate::client client;
  replicate::client_options o;
  o.base_url = base_url;
  o.auth = "r8_bench";
  o.arena_count = static_cast<std::size_t>(streams) + 8;
  o.arena_size = 16 * 1024;
  o.max_streams = static_cast<std::size_t>(streams);
  o.max_event_size = 4096;
  if (client.init(&loop, o)) {
    std::fprintf(stderr, "init failed\n");
    return;
  }
  totals t;
  t.client = &client;
  t.open = streams;
  char input[128];
  std::snprintf(input, sizeof input, R"({"prompt":"bench","count":%d,"token_size":64})",
                events_each);
  replicate::stream_options so;
  so.create.input_json = input;
  double cpu0 = bench::cpu_seconds();
  uint64_t t0 = uv_hrtime();
  for (int i = 0; i < streams; ++i) {
    auto op = client.stream("replicate/tokens", so, on_event, on_done, &t);
    if (!op) {
      std::fprintf(stderr, "stream() refused: %s\n", std::string(op.err().name()).c_str());
      --t.open;
    }
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  double wall = static_cast<double>(uv_hrtime() - t0) / 1e9;
  double cpu = bench::cpu_seconds() - cpu0;
  uv_loop_close(&loop);
  std::printf(
      "%4d x %-7d  %9ld events  %6.2f s wall  %10.0f events/s  %6.2f CPU s  %6.3f us/event"
      "  %5.1f MB/s  peak RSS %5.1f MB  failed %d\n",
      streams, events_each, t.events, wall, static_cast<double>(t.events) / wall, cpu,
      cpu * 1e6 / static_cast<double>(t.events ? t.events : 1),
      static_cast<double>(t.bytes) / wall / 1e6,
      static_cast<double>(bench::status_kb("VmHWM")) / 1024.0, t.failed);
}

}  // namespace

int main(int argc, char** argv) {
  bench::emulator emu;
  if (!bench::emulator_start(&emu, bench::emulator_path(argc, argv),
                             {"--no-request-log", "--quiet"})) {
    std::fprintf(stderr, "cannot start the emulator\n");
    return 1;
  }
  std::printf("stream benchmark against %s\n", emu.base_url.c_str());
  run_case(emu.base_url, 1, 200000);
  run_case(emu.base_url, 100, 10000);
  bench::emulator_stop(&emu);
  return 0;
}
