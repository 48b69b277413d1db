// The client joining an application's own libuv loop: the app keeps its heartbeat timer and a
// TCP listener; replicate-cpp adds its handles beside them and never runs or blocks the loop.
//
//   existing_loop [identifier] [count]
//
// Every 200 ms the app's timer ticks; meanwhile `count` predictions run concurrently. When the
// last one is done the app closes the client, its timer and its listener, and the loop ends.
#include <cstdio>
#include <cstdlib>
#include <replicate/client.hpp>
#include <string>

namespace {

struct application {
  uv_loop_t* loop = nullptr;
  uv_timer_t heartbeat;
  uv_tcp_t listener;
  replicate::client client;
  int pending = 0;
  int ticks = 0;
  int failures = 0;
};

void on_tick(uv_timer_t* timer) {
  auto* app = static_cast<application*>(timer->data);
  ++app->ticks;
  replicate::memory_stats s = app->client.stats();
  std::printf("tick %d: %d predictions pending, %zu arenas in use, %zu requests queued\n",
              app->ticks, app->pending, s.arenas_in_use, s.requests_queued);
}

void on_connection(uv_stream_t*, int) {}  // the app's own server; nothing to do here

void shut_down(application* app) {
  app->client.close();
  uv_timer_stop(&app->heartbeat);
  uv_close(reinterpret_cast<uv_handle_t*>(&app->heartbeat), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&app->listener), nullptr);
}

void on_done(void* user, const replicate::error& err, const replicate::prediction* p) {
  auto* app = static_cast<application*>(user);
  if (err) {
    ++app->failures;
    char text[512];
    std::fprintf(stderr, "error: %s\n", err.describe(text, sizeof text).data());
  } else {
    std::printf("prediction %.*s: %.*s\n", static_cast<int>(p->id.size()), p->id.data(),
                static_cast<int>(p->output_json.size()), p->output_json.data());
  }
  if (--app->pending == 0) shut_down(app);
}

}  // namespace

int main(int argc, char** argv) {
  const char* identifier = argc > 1 ? argv[1] : "replicate/hello-world";
  int count = argc > 2 ? std::atoi(argv[2]) : 5;
  application app;
  app.loop = uv_default_loop();

  // The application's own handles.
  uv_timer_init(app.loop, &app.heartbeat);
  app.heartbeat.data = &app;
  uv_timer_start(&app.heartbeat, on_tick, 200, 200);
  uv_tcp_init(app.loop, &app.listener);
  sockaddr_in addr{};
  uv_ip4_addr("127.0.0.1", 0, &addr);
  uv_tcp_bind(&app.listener, reinterpret_cast<const sockaddr*>(&addr), 0);
  uv_listen(reinterpret_cast<uv_stream_t*>(&app.listener), 16, on_connection);

  // The client joins the same loop.
  replicate::client_options options;
  if (const char* base = std::getenv("REPLICATE_BASE_URL")) options.base_url = base;
  if (replicate::error err = app.client.init(app.loop, options)) {
    std::fprintf(stderr, "init: %s\n", std::string(err.name()).c_str());
    return 1;
  }
  replicate::run_options run;
  run.mode = replicate::wait_mode::poll;
  run.wait.poll_interval = std::chrono::milliseconds(100);
  static const char* inputs[] = {R"({"text": "alpha"})", R"({"text": "beta"})",
                                 R"({"text": "gamma"})"};
  for (int i = 0; i < count; ++i) {
    run.create.input_json = inputs[i % 3];  // static strings: they outlive the runs
    if (app.client.run(identifier, run, on_done, &app).ok()) ++app.pending;
  }
  if (app.pending == 0) shut_down(&app);
  uv_run(app.loop, UV_RUN_DEFAULT);
  std::printf("loop finished after %d ticks; uv_loop_close = %d\n", app.ticks,
              uv_loop_close(app.loop));
  return app.failures == 0 ? 0 : 1;
}
