// The main example: run a model on your own libuv loop and show progress while it runs.
//
//   predict [identifier] [input-json]
//
// Talks to $REPLICATE_BASE_URL (default https://api.replicate.com/v1) with $REPLICATE_API_TOKEN.
// scripts/demo.sh starts the bundled emulator and points this at it when no token is set.
#include <cstdio>
#include <cstdlib>
#include <replicate/client.hpp>
#include <replicate/progress.hpp>
#include <string>

namespace {

struct run_state {
  uv_loop_t* loop;
  uint64_t started_ms;
  int exit_code = 1;
  replicate::client* client;
};

// The last non-empty line of a prediction's logs.
std::string_view last_line(std::string_view logs) {
  while (!logs.empty() && (logs.back() == '\n' || logs.back() == '\r')) logs.remove_suffix(1);
  std::size_t cut = logs.find_last_of("\r\n");
  return cut == std::string_view::npos ? logs : logs.substr(cut + 1);
}

void on_progress(void* user, const replicate::prediction& p) {
  auto* st = static_cast<run_state*>(user);
  double elapsed = static_cast<double>(uv_now(st->loop) - st->started_ms) / 1000.0;
  std::string_view line = last_line(p.logs);
  replicate::progress bar = replicate::progress_parse(p.logs);
  char percent[16] = "";
  if (bar.found) std::snprintf(percent, sizeof percent, "%3d%%", bar.percentage);
  std::fprintf(stderr, "\r\033[K[%5.1fs] %-10.*s %4s %.*s", elapsed,
               static_cast<int>(p.status_text.size()), p.status_text.data(), percent,
               static_cast<int>(line.size() > 60 ? 60 : line.size()), line.data());
}

void on_closed(void*) {}

void on_done(void* user, const replicate::error& err, const replicate::prediction* p) {
  auto* st = static_cast<run_state*>(user);
  std::fprintf(stderr, "\n");
  if (err) {
    char text[768];
    std::fprintf(stderr, "error: %s\n", std::string(err.describe(text, sizeof text)).c_str());
  } else {
    std::printf("prediction %.*s succeeded in %.2fs\noutput: %.*s\n",
                static_cast<int>(p->id.size()), p->id.data(), p->predict_time,
                static_cast<int>(p->output_json.size()), p->output_json.data());
    st->exit_code = 0;
  }
  st->client->close(on_closed, nullptr);
}

}  // namespace

int main(int argc, char** argv) {
  const char* identifier = argc > 1 ? argv[1] : "replicate/hello-world";
  const char* input = argc > 2 ? argv[2] : "{\"text\": \"world\"}";
  const char* base_url = std::getenv("REPLICATE_BASE_URL");

  uv_loop_t loop;
  uv_loop_init(&loop);
  replicate::client client;
  replicate::client_options options;
  if (base_url != nullptr && *base_url != '\0') options.base_url = base_url;
  if (replicate::error err = client.init(&loop, options)) {
    std::fprintf(stderr, "init: %s\n", std::string(err.message()).c_str());
    return 1;
  }

  run_state st{&loop, uv_now(&loop), 1, &client};
  replicate::run_options run;
  run.create.input_json = input;
  run.wait.poll_interval = std::chrono::milliseconds(250);
  auto op = client.run(identifier, run, on_done, &st, on_progress);
  if (!op) {
    char text[768];
    std::fprintf(stderr, "error: %s\n", std::string(op.err().describe(text, sizeof text)).c_str());
    client.close();
  }
  uv_run(&loop, UV_RUN_DEFAULT);  // returns once the client has closed all its handles
  int rc = uv_loop_close(&loop);
  return rc == 0 ? st.exit_code : 2;
}
