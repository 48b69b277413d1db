// Peak memory of a run() that sends an 8 MB camera frame as a data URI: the frame is base64'd
// straight into curl's send buffer, so the process should grow by little more than the frame.
//
//   bench_frame_run [path/to/replicate-emulator] [megabytes=8]
#include <cstdio>
#include <cstdlib>
#include <replicate/client.hpp>
#include <replicate/data_uri.hpp>
#include <vector>

#include "../support/bench_util.hpp"

namespace {

struct state {
  bool done = false;
  replicate::error err;
  std::string output;
};

void on_done(void* user, const replicate::error& err, const replicate::prediction* p) {
  auto* s = static_cast<state*>(user);
  s->done = true;
  s->err = err;
  if (p != nullptr) s->output = std::string(p->output_json);
}

}  // namespace

int main(int argc, char** argv) {
  const char* path = bench::emulator_path(argc, argv);
  std::size_t mb = argc > 2 ? static_cast<std::size_t>(std::atoi(argv[2])) : 8;
  bench::emulator emu;
  if (!bench::emulator_start(&emu, path,
                             {"--no-request-log", "--quiet", "--prediction-ms", "50"})) {
    std::fprintf(stderr, "cannot start the emulator\n");
    return 1;
  }
  uv_loop_t loop;
  uv_loop_init(&loop);
  replicate::client client;
  replicate::client_options o;
  o.base_url = emu.base_url;
  o.auth = "r8_bench";
  o.arena_count = 4;
  o.arena_size = 64 * 1024;
  if (client.init(&loop, o)) return 1;

  // The frame: real bytes, touched, so it is all resident before we measure.
  std::vector<unsigned char> frame(mb << 20);
  for (std::size_t i = 0; i < frame.size(); ++i) frame[i] = static_cast<unsigned char>(i * 131);
  long before = bench::status_kb("VmRSS");

  replicate::input_body body;
  replicate::input_field fields[] = {
      replicate::input_json("prompt", "\"describe\""),
      replicate::input_data_uri("image", frame.data(), frame.size())};
  replicate::input_body_options bo;
  bo.max_inline_bytes = frame.size();
  if (replicate::error e = input_body_init(&body, fields, 2, bo)) {
    std::fprintf(stderr, "input_body_init: %s\n", e.detail);
    return 1;
  }
  replicate::run_options run;
  run.create.input_stream = &body.source;
  run.mode = replicate::wait_mode::poll;
  run.wait.poll_interval = std::chrono::milliseconds(20);
  state s;
  uint64_t t0 = uv_hrtime();
  if (!client.run("replicate/caption", run, on_done, &s).ok()) return 1;
  while (!s.done) uv_run(&loop, UV_RUN_ONCE);
  double seconds = static_cast<double>(uv_hrtime() - t0) / 1e9;
  input_body_close(&body);
  long peak = bench::status_kb("VmHWM");
  client.close();
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  bench::emulator_stop(&emu);
  if (s.err) {
    char text[512];
    std::fprintf(stderr, "run failed: %s\n", s.err.describe(text, sizeof text).data());
    return 1;
  }
  std::printf(
      "run() with a %zu MB frame as a data URI: %.2f s, RSS before %.1f MB, peak %.1f MB,"
      " peak above the resident frame %.2f MB\n  output: %s\n",
      mb, seconds, static_cast<double>(before) / 1024.0, static_cast<double>(peak) / 1024.0,
      static_cast<double>(peak - before) / 1024.0, s.output.c_str());
  return 0;
}
