// Camera frames → data URIs streamed into the request body → a vision model → captions.
//
//   camera_caption [--device /dev/video0 | --files DIR_OR_JPEG] [--frames N] [--fps F] [model]
//
// Default: replays the sample JPEGs in examples/assets at 10 fps against the emulator's
// `replicate/caption` model, and captions 5 frames. Frames are never copied: each one becomes
// base64 inside curl's send buffer (replicate::input_body), and goes back to its source when the
// prediction is done. While a caption is in flight, newer frames are dropped (latest frame wins),
// so a slow model never builds a queue; the counters at the end show it.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <replicate/client.hpp>
#include <replicate/data_uri.hpp>
#include <replicate/frame_source.hpp>
#include <replicate/ports/file_source.hpp>
#include <replicate/ports/v4l2_source.hpp>
#include <string>

#ifndef REPLICATE_EXAMPLES_ASSETS
#define REPLICATE_EXAMPLES_ASSETS "examples/assets"
#endif

namespace {

struct app {
  uv_loop_t* loop = nullptr;
  replicate::client client;
  replicate::frame_source* source = nullptr;
  replicate::input_body body;  // one request in flight at a time: one body
  const char* model = "replicate/caption";
  int wanted = 5;
  int captioned = 0;
  int failures = 0;
  bool busy = false;
  bool closing = false;
  uint64_t sent_at = 0;
  std::uint64_t frame_sequence = 0;
};

void shut_down(app* a) {
  if (a->closing) return;
  a->closing = true;
  a->client.close();
  frame_source_close(a->source, nullptr, nullptr);
}

void on_caption(void* user, const replicate::error& err, const replicate::prediction* p) {
  auto* a = static_cast<app*>(user);
  input_body_close(&a->body);  // the request is done: the frame goes back to the source
  a->busy = false;
  uv_update_time(a->loop);
  double ms = static_cast<double>(uv_now(a->loop) - a->sent_at);
  if (err) {
    ++a->failures;
    char text[512];
    std::fprintf(stderr, "frame %llu: %s\n", static_cast<unsigned long long>(a->frame_sequence),
                 err.describe(text, sizeof text).data());
  } else {
    std::printf("frame %-4llu %6.0f ms  %.*s\n", static_cast<unsigned long long>(a->frame_sequence),
                ms, static_cast<int>(p->output_json.size()), p->output_json.data());
  }
  if (++a->captioned >= a->wanted) shut_down(a);
}

void on_frame(void* user, const replicate::error& err, const replicate::frame* f) {
  auto* a = static_cast<app*>(user);
  if (err || f == nullptr) {
    if (err) std::fprintf(stderr, "camera: %s: %s\n", std::string(err.name()).c_str(), err.detail);
    shut_down(a);
    return;
  }
  if (a->busy || a->closing) {  // not expected: the source drops frames while we hold one
    frame_source_release(a->source, f);
    return;
  }
  // The frame is handed to the body; input_body_close gives it back to the source.
  replicate::input_field fields[] = {replicate::input_data_uri(
      "image", f->data, f->size, f->mime_type, replicate::frame_source_release_data, a->source)};
  if (replicate::error e = input_body_init(&a->body, fields, 1)) {
    std::fprintf(stderr, "frame %llu: %s\n", static_cast<unsigned long long>(f->sequence),
                 e.detail);
    frame_source_release(a->source, f);
    return;
  }
  replicate::run_options run;
  run.create.input_stream = &a->body.source;
  run.wait.poll_interval = std::chrono::milliseconds(100);
  a->frame_sequence = f->sequence;
  a->sent_at = uv_now(a->loop);
  auto op = a->client.run(a->model, run, on_caption, a);
  if (!op) {
    std::fprintf(stderr, "run: %s\n", std::string(op.err().name()).c_str());
    input_body_close(&a->body);
    shut_down(a);
    return;
  }
  a->busy = true;
}

}  // namespace

int main(int argc, char** argv) {
  const char* device = nullptr;
  const char* files = REPLICATE_EXAMPLES_ASSETS;
  unsigned fps = 10;
  app a;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--device") == 0 && i + 1 < argc) {
      device = argv[++i];
    } else if (std::strcmp(argv[i], "--files") == 0 && i + 1 < argc) {
      files = argv[++i];
    } else if (std::strcmp(argv[i], "--frames") == 0 && i + 1 < argc) {
      a.wanted = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--fps") == 0 && i + 1 < argc) {
      fps = static_cast<unsigned>(std::atoi(argv[++i]));
    } else {
      a.model = argv[i];
    }
  }
  a.loop = uv_default_loop();
  replicate::client_options options;
  if (const char* base = std::getenv("REPLICATE_BASE_URL")) options.base_url = base;
  if (replicate::error err = a.client.init(a.loop, options)) {
    std::fprintf(stderr, "init: %s\n", std::string(err.name()).c_str());
    return 1;
  }

  replicate::file_source file;
  replicate::v4l2_source camera;
  replicate::error err;
  bool source_open = false;
  if (device != nullptr) {
    replicate::v4l2_source_options o;
    o.device = device;
    o.fps = fps;
    err = v4l2_source_init(a.loop, &camera, o);
    a.source = &camera.source;
  } else {
    replicate::file_source_options o;
    o.path = files;
    o.fps = fps;
    err = file_source_init(a.loop, &file, o);
    a.source = &file.source;
  }
  source_open = !err;
  if (!err) err = frame_source_start(a.source, on_frame, &a);
  if (err) {
    std::fprintf(stderr, "frame source: %s: %s\n", std::string(err.name()).c_str(), err.detail);
    a.client.close();
    if (source_open) frame_source_close(a.source, nullptr, nullptr);
    uv_run(a.loop, UV_RUN_DEFAULT);
    return 1;
  }
  uv_run(a.loop, UV_RUN_DEFAULT);
  const replicate::frame_source_stats& s = a.source->stats;
  std::printf("frames captured %llu, sent %d, dropped %llu\n",
              static_cast<unsigned long long>(s.captured), a.captioned,
              static_cast<unsigned long long>(s.dropped));
  return a.failures == 0 && uv_loop_close(a.loop) == 0 ? 0 : 1;
}
