// The main example: run a model on your own libuv loop and stream its output as it is made.
//
//   predict [--no-stream] [identifier] [input-json]
//
// Talks to $REPLICATE_BASE_URL (default https://api.replicate.com/v1) with $REPLICATE_API_TOKEN.
// scripts/demo.sh starts the bundled emulator and points this at it when no token is set.
//
// It streams (client::stream) and prints output events as they arrive. A model that does not
// stream is waited for instead (client::wait), with a progress line: status, elapsed time, the
// percentage of a tqdm bar in the logs, and the latest log line.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <replicate/client.hpp>
#include <replicate/progress.hpp>
#include <string>

namespace {

struct app {
  uv_loop_t* loop;
  replicate::client* client;
  uint64_t started_ms;
  int exit_code = 1;
  bool printed_output = false;
};

std::string_view last_line(std::string_view logs) {
  while (!logs.empty() && (logs.back() == '\n' || logs.back() == '\r')) logs.remove_suffix(1);
  std::size_t cut = logs.find_last_of("\r\n");
  return cut == std::string_view::npos ? logs : logs.substr(cut + 1);
}

double elapsed(const app* a) {
  uv_update_time(a->loop);
  return static_cast<double>(uv_now(a->loop) - a->started_ms) / 1000.0;
}

void on_progress(void* user, const replicate::prediction& p) {
  auto* a = static_cast<app*>(user);
  std::string_view line = last_line(p.logs);
  replicate::progress bar = replicate::progress_parse(p.logs);
  char percent[16] = "";
  if (bar.found) std::snprintf(percent, sizeof percent, "%3d%%", bar.percentage);
  std::fprintf(stderr, "\r\033[K[%5.1fs] %-10.*s %4s %.*s", elapsed(a),
               static_cast<int>(p.status_text.size()), p.status_text.data(), percent,
               static_cast<int>(line.size() > 60 ? 60 : line.size()), line.data());
}

void report(const replicate::error& err) {
  char text[768];
  std::fprintf(stderr, "error: %s\n", std::string(err.describe(text, sizeof text)).c_str());
}

void on_waited(void* user, const replicate::error& err, const replicate::prediction* p) {
  auto* a = static_cast<app*>(user);
  std::fprintf(stderr, "\n");
  if (err) {
    report(err);
  } else {
    std::printf("output: %.*s\n", static_cast<int>(p->output_json.size()), p->output_json.data());
    a->exit_code = 0;
  }
  a->client->close();
}

replicate::stream_action on_event(void* user, const replicate::stream_event& ev) {
  auto* a = static_cast<app*>(user);
  if (ev.type == replicate::stream_event_type::output) {
    std::fwrite(ev.data.data(), 1, ev.data.size(), stdout);
    std::fflush(stdout);
    a->printed_output = true;
  } else if (ev.type == replicate::stream_event_type::logs) {
    std::fprintf(stderr, "\033[2m%.*s\033[0m\n", static_cast<int>(ev.data.size()), ev.data.data());
  }
  return replicate::stream_action::proceed;
}

void on_streamed(void* user, const replicate::error& err, const replicate::prediction*) {
  auto* a = static_cast<app*>(user);
  if (a->printed_output) std::printf("\n");
  if (err.code == replicate::errc::stream_unsupported && err.prediction_id[0] != '\0') {
    // Not a streaming model: the prediction exists, so wait for it instead.
    std::fprintf(stderr, "model does not stream; waiting for %s\n", err.prediction_id);
    static char id[48];
    std::memcpy(id, err.prediction_id, sizeof id);
    replicate::wait_options wait;
    wait.poll_interval = std::chrono::milliseconds(250);
    auto op = a->client->wait(id, wait, on_waited, a, on_progress);
    if (!op) {
      report(op.err());
      a->client->close();
    }
    return;
  }
  if (err) {
    report(err);
  } else {
    std::fprintf(stderr, "done in %.2fs\n", elapsed(a));
    a->exit_code = 0;
  }
  a->client->close();
}

}  // namespace

int main(int argc, char** argv) {
  bool stream = true;
  int arg = 1;
  if (arg < argc && std::strcmp(argv[arg], "--no-stream") == 0) {
    stream = false;
    ++arg;
  }
  const char* identifier = arg < argc ? argv[arg++] : "replicate/tokens";
  const char* input =
      arg < argc ? argv[arg++] : R"({"prompt": "a haiku about edge devices", "interval_ms": 60})";
  const char* base_url = std::getenv("REPLICATE_BASE_URL");

  uv_loop_t loop;
  uv_loop_init(&loop);
  replicate::client client;
  replicate::client_options options;
  if (base_url != nullptr && *base_url != '\0') options.base_url = base_url;
  if (replicate::error err = client.init(&loop, options)) {
    std::fprintf(stderr, "init: %s: %s\n", std::string(err.name()).c_str(), err.detail);
    return 1;
  }

  app a{&loop, &client, uv_now(&loop)};
  replicate::result<replicate::operation> op = replicate::errc::ok;
  if (stream) {
    replicate::stream_options so;
    so.create.input_json = input;
    op = client.stream(identifier, so, on_event, on_streamed, &a);
  } else {
    replicate::run_options run;
    run.create.input_json = input;
    run.wait.poll_interval = std::chrono::milliseconds(250);
    op = client.run(identifier, run, on_waited, &a, on_progress);
  }
  if (!op) {
    report(op.err());
    client.close();
  }
  uv_run(&loop, UV_RUN_DEFAULT);  // returns once the client has closed all its handles
  return uv_loop_close(&loop) == 0 ? a.exit_code : 2;
}
