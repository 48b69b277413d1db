// run() at scale against the emulator, and the client's memory when idle and over time.
//
//   bench_runs [path/to/replicate-emulator] [--flat N]
//
// 1. Idle: a client that is initialised and does nothing: peak RSS and RssAnon.
// 2. N concurrent run() calls (N = 1,000 and 10,000), poll mode, 50 ms interval, the emulator
//    finishing each prediction on its 3rd poll: wall time, client CPU seconds (this process
//    only), peak RSS and the arena counters.
// 3. Flatness: predictions in rounds of 10,000 (100 in flight), heap in use and RSS after each.
#include <cstdio>
#include <cstring>
#include <replicate/client.hpp>

#include "../support/bench_util.hpp"

namespace {

struct batch {
  int pending = 0;
  int failed = 0;
  int started = 0;
  int total = 0;
  int concurrency = 0;
  replicate::client* client = nullptr;
  replicate::run_options* options = nullptr;
};

void start_more(batch* b);

void on_done(void* user, const replicate::error& err, const replicate::prediction*) {
  auto* b = static_cast<batch*>(user);
  if (err && b->failed++ < 3) {
    char text[512];
    std::fprintf(stderr, "run failed: %s\n", err.describe(text, sizeof text).data());
  }
  --b->pending;
  start_more(b);
}

void start_more(batch* b) {
  while (b->pending < b->concurrency && b->started < b->total) {
    ++b->started;
    if (b->client->run("replicate/hello-world", *b->options, on_done, b).ok()) {
      ++b->pending;
    } else {
      ++b->failed;
    }
  }
}

replicate::client_options options_for(const std::string& base_url, std::size_t operations) {
  replicate::client_options o;
  o.base_url = base_url;
  o.auth = "r8_bench";
  o.arena_count = 16;
  o.arena_size = 16 * 1024;
  o.max_operations = operations;
  o.max_queued = operations + 16;
  o.max_streams = 1;
  o.max_event_size = 4096;
  return o;
}

// Runs `total` predictions with at most `concurrency` in flight on a fresh client.
replicate::memory_stats run_batch(uv_loop_t* loop, replicate::client* client, int total,
                                  int concurrency, int* failed) {
  replicate::run_options run;
  run.mode = replicate::wait_mode::poll;
  run.wait.poll_interval = std::chrono::milliseconds(50);
  run.create.input_json = R"({"text": "bench"})";
  batch b;
  b.total = total;
  b.concurrency = concurrency;
  b.client = client;
  b.options = &run;
  start_more(&b);
  while (b.pending > 0) uv_run(loop, UV_RUN_ONCE);
  *failed = b.failed;
  return client->stats();
}

void concurrent(const std::string& base_url, int n) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  replicate::client client;
  if (client.init(&loop, options_for(base_url, static_cast<std::size_t>(n)))) return;
  double cpu0 = bench::cpu_seconds();
  uint64_t t0 = uv_hrtime();
  int failed = 0;
  replicate::memory_stats s = run_batch(&loop, &client, n, n, &failed);
  double wall = static_cast<double>(uv_hrtime() - t0) / 1e9;
  double cpu = bench::cpu_seconds() - cpu0;
  client.close();
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  std::printf(
      "%6d concurrent runs: %6.2f s wall  %5.2f CPU s  peak RSS %5.1f MB  RssAnon %5.1f MB"
      "  | arenas peak %zu/%zu, arena high water %zu B, queue peak %zu, ops peak %zu,"
      " requests %llu, failed %d\n",
      n, wall, cpu, static_cast<double>(bench::status_kb("VmHWM")) / 1024.0,
      static_cast<double>(bench::status_kb("RssAnon")) / 1024.0, s.arenas_peak, s.arena_count,
      s.arena_high_water_bytes, s.requests_queued_peak, s.operations_peak,
      static_cast<unsigned long long>(s.requests_sent), failed);
}

void flatness(const std::string& base_url, int rounds) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  replicate::client client;
  if (client.init(&loop, options_for(base_url, 128))) return;
  std::printf("flatness: %d rounds of 10,000 predictions (100 in flight)\n", rounds);
  for (int r = 1; r <= rounds; ++r) {
    int failed = 0;
    run_batch(&loop, &client, 10000, 100, &failed);
    std::printf("  after %7d: heap in use %8ld B  RSS %6.1f MB  failed %d\n", r * 10000,
                bench::heap_in_use(), static_cast<double>(bench::status_kb("VmRSS")) / 1024.0,
                failed);
    std::fflush(stdout);
  }
  client.close();
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 10;
  const char* emulator_path = nullptr;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--flat") == 0 && i + 1 < argc) {
      rounds = std::atoi(argv[++i]);
    } else {
      emulator_path = argv[i];
    }
  }
  char* fake_argv[] = {argv[0], const_cast<char*>(emulator_path)};
  const char* path = bench::emulator_path(emulator_path ? 2 : 1, fake_argv);

  {  // Idle, before anything else touches memory.
    uv_loop_t loop;
    uv_loop_init(&loop);
    replicate::client client;
    if (client.init(&loop, options_for("http://127.0.0.1:1/v1", 10000))) return 1;
    std::printf("idle client: peak RSS %.1f MB, RssAnon %.2f MB\n",
                static_cast<double>(bench::status_kb("VmHWM")) / 1024.0,
                static_cast<double>(bench::status_kb("RssAnon")) / 1024.0);
    client.close();
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
  }

  bench::emulator emu;
  if (!bench::emulator_start(&emu, path,
                             {"--polls-to-finish", "3", "--no-request-log", "--quiet"})) {
    std::fprintf(stderr, "cannot start the emulator at %s\n", path);
    return 1;
  }
  concurrent(emu.base_url, 1000);
  concurrent(emu.base_url, 10000);
  flatness(emu.base_url, rounds);
  bench::emulator_stop(&emu);
  return 0;
}
