// v4l2_source against a fake camera (tests/ports/fake_camera): the ioctl sequence, frames
// delivered through a real uv_poll, latest-frame-wins requeueing, the unplug path (POLLERR →
// UV_EBADF → one errc::device, no spinning) and clean closes (every buffer unmapped, the fd
// closed after the poll handle, uv_loop_close succeeds). No sleeps: the loop runs until counts
// are reached.
#include "replicate/ports/v4l2_source.hpp"

#include <linux/videodev2.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "ports/fake_camera.hpp"
#include "replicate/frame_source.hpp"
#include "support/test_main.hpp"

using namespace replicate;
using replicate::test::fake_camera;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct consumer {
  frame_source* src = nullptr;
  std::vector<std::string> frames;
  bool hold = false;
  const frame* held = nullptr;
  int errors = 0;
  error last_error;
};

void on_frame(void* user, const error& err, const frame* f) {
  auto* c = static_cast<consumer*>(user);
  if (err) {
    ++c->errors;
    c->last_error = err;
    return;
  }
  assert_non_null(f);
  assert_string_equal(std::string(f->mime_type).c_str(), "image/jpeg");
  c->frames.emplace_back(reinterpret_cast<const char*>(f->data), f->size);
  if (c->hold)
    c->held = f;
  else
    frame_source_release(c->src, f);
}

void on_closed(void* user) { *static_cast<bool*>(user) = true; }

template <typename Pred>
void run_until(uv_loop_t* loop, Pred pred) {
  while (!pred()) assert_true(uv_run(loop, UV_RUN_ONCE) != 0 || pred());
}

struct rig {
  uv_loop_t loop;
  fake_camera cam;
  v4l2_syscalls sys;
  v4l2_source src;
  consumer c;

  rig() {
    uv_loop_init(&loop);
    std::string dir = REPLICATE_ASSETS_DIR;
    cam.frames = {slurp(dir + "/frame_001.jpg"), slurp(dir + "/frame_002.jpg")};
    sys = cam.syscalls();
    c.src = &src.source;
  }
  error init(unsigned buffers = 4) {
    v4l2_source_options o;
    o.device = "/dev/fake0";
    o.width = 320;
    o.height = 240;
    o.fps = 30;
    o.buffer_count = buffers;
    o.syscalls = &sys;
    return v4l2_source_init(&loop, &src, o);
  }
  void close_and_check() {
    bool closed = false;
    frame_source_close(&src.source, on_closed, &closed);
    assert_int_equal(cam.closes, 0);  // not while the poll handle may still watch the fd
    assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
    assert_true(closed);
    assert_int_equal(cam.mapped, 0);
    assert_int_equal(cam.closes, 1);
    assert_false(cam.dqbuf_while_not_streaming);
    assert_int_equal(uv_loop_close(&loop), 0);
  }
};

std::vector<std::string> calls_until(const std::vector<std::string>& calls, const char* last) {
  auto end = std::find(calls.begin(), calls.end(), last);
  return std::vector<std::string>(calls.begin(), end == calls.end() ? end : end + 1);
}

void v4l2_source_configures_the_device_in_order_and_delivers_frames(void**) {
  rig r;
  assert_int_equal(r.init(3).code, errc::ok);
  std::vector<std::string> init_calls = {"open",    "QUERYCAP", "S_FMT", "S_PARM",
                                         "REQBUFS", "QUERYBUF", "mmap",  "QUERYBUF",
                                         "mmap",    "QUERYBUF", "mmap"};
  assert_true(r.cam.calls == init_calls);
  assert_int_equal(r.cam.width, 320);
  assert_int_equal(r.cam.height, 240);
  assert_int_equal(r.cam.fps_numerator, 1);
  assert_int_equal(r.cam.fps_denominator, 30);
  assert_int_equal(r.src.buffer_count, 3);
  assert_int_equal(r.cam.mapped, 3);

  r.cam.calls.clear();
  assert_int_equal(frame_source_start(&r.src.source, on_frame, &r.c).code, errc::ok);
  std::vector<std::string> start_calls = {"QBUF", "QBUF", "QBUF", "STREAMON"};
  assert_true(r.cam.calls == start_calls);
  r.cam.push(1);
  run_until(&r.loop, [&] { return r.c.frames.size() == 1; });
  r.cam.push(1);
  run_until(&r.loop, [&] { return r.c.frames.size() == 2; });
  assert_true(r.c.frames[0] == r.cam.frames[0]);
  assert_true(r.c.frames[1] == r.cam.frames[1]);
  assert_int_equal(r.src.source.stats.captured, 2);
  assert_int_equal(r.src.source.stats.delivered, 2);
  assert_int_equal(r.src.source.stats.dropped, 0);
  assert_int_equal(r.cam.queued_count(), 3);  // each released frame went back

  frame_source_stop(&r.src.source);
  assert_false(r.cam.streaming);
  // Start again: every buffer is queued again before STREAMON.
  r.cam.calls.clear();
  assert_int_equal(frame_source_start(&r.src.source, on_frame, &r.c).code, errc::ok);
  assert_true(r.cam.calls == start_calls);
  r.cam.push(1);
  run_until(&r.loop, [&] { return r.c.frames.size() == 3; });
  r.close_and_check();
  assert_true(calls_until(r.cam.calls, "STREAMOFF").back() == "STREAMOFF");
}

void v4l2_source_requeues_at_once_and_counts_drops_while_the_consumer_holds_a_frame(void**) {
  rig r;
  assert_int_equal(r.init(4).code, errc::ok);
  r.c.hold = true;
  assert_int_equal(frame_source_start(&r.src.source, on_frame, &r.c).code, errc::ok);
  r.cam.push(1);
  run_until(&r.loop, [&] { return r.c.frames.size() == 1; });
  assert_int_equal(r.cam.queued_count(), 3);  // one buffer is the consumer's
  for (int i = 0; i < 5; ++i) {
    r.cam.push(1);
    run_until(&r.loop, [&] { return r.src.source.stats.captured == 2u + i; });
    assert_int_equal(r.cam.queued_count(), 3);  // the newer frame went straight back
  }
  assert_int_equal(r.src.source.stats.delivered, 1);
  assert_int_equal(r.src.source.stats.dropped, 5);
  assert_true(r.c.frames[0] == r.cam.frames[0]);
  std::string still(reinterpret_cast<const char*>(r.c.held->data), r.c.held->size);
  assert_true(still == r.cam.frames[0]);  // the held buffer was never refilled
  frame_source_release_data(&r.src.source, r.c.held->data);
  assert_int_equal(r.cam.queued_count(), 4);
  r.c.hold = false;
  r.cam.push(1);
  run_until(&r.loop, [&] { return r.c.frames.size() == 2; });
  assert_int_equal(r.src.source.stats.captured, 7);
  r.close_and_check();
}

void v4l2_source_offers_only_the_newest_of_frames_ready_together(void**) {
  rig r;
  assert_int_equal(r.init(4).code, errc::ok);
  assert_int_equal(frame_source_start(&r.src.source, on_frame, &r.c).code, errc::ok);
  r.cam.push(3);  // three frames wait before the loop looks
  run_until(&r.loop, [&] { return r.src.source.stats.captured == 3; });
  assert_int_equal(r.c.frames.size(), 1);
  assert_true(r.c.frames[0] == r.cam.frames[0]);  // the third of frame_001, frame_002, frame_001
  assert_int_equal(r.src.source.stats.dropped, 2);
  assert_int_equal(r.cam.queued_count(), 4);
  r.close_and_check();
}

void v4l2_source_reports_an_unplug_once_and_stops_polling(void**) {
  rig r;
  assert_int_equal(r.init(2).code, errc::ok);
  assert_int_equal(frame_source_start(&r.src.source, on_frame, &r.c).code, errc::ok);
  r.cam.push(1);
  run_until(&r.loop, [&] { return r.c.frames.size() == 1; });
  r.cam.unplug();
  run_until(&r.loop, [&] { return r.c.errors > 0; });
  assert_int_equal(r.c.errors, 1);
  assert_int_equal(r.c.last_error.code, errc::device);
  assert_non_null(std::strstr(r.c.last_error.detail, "/dev/fake0: poll reported"));
  // Nothing is active any more: the loop returns at once instead of spinning on the dead fd.
  assert_int_equal(uv_run(&r.loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(r.c.errors, 1);
  assert_int_equal(frame_source_start(&r.src.source, on_frame, &r.c).code, errc::device);
  r.close_and_check();
}

void v4l2_source_init_fails_cleanly_without_mjpeg_or_a_device(void**) {
  rig r;
  r.cam.pixelformat = V4L2_PIX_FMT_YUYV;
  error e = r.init();
  assert_int_equal(e.code, errc::device);
  assert_non_null(std::strstr(e.detail, "MJPEG"));
  assert_int_equal(r.cam.closes, 1);  // opened and closed again
  assert_int_equal(r.cam.mapped, 0);

  r.cam.pixelformat = 0;
  r.cam.open_errno = ENOENT;
  e = r.init();
  assert_int_equal(e.code, errc::device);
  assert_non_null(std::strstr(e.detail, "/dev/fake0: open failed"));

  r.cam.open_errno = 0;
  r.cam.max_buffers = 1;  // the driver cannot give two buffers
  assert_int_equal(r.init().code, errc::device);
  assert_int_equal(r.cam.closes, 2);
  assert_int_equal(r.cam.mapped, 0);

  v4l2_source_options o;
  o.buffer_count = REPLICATE_V4L2_MAX_BUFFERS + 1;
  assert_int_equal(v4l2_source_init(&r.loop, &r.src, o).code, errc::invalid_argument);
  o.buffer_count = 4;
  o.fps = 0;
  assert_int_equal(v4l2_source_init(&r.loop, &r.src, o).code, errc::invalid_argument);
  assert_int_equal(uv_loop_close(&r.loop), 0);  // a failed init leaves nothing to close
}

void v4l2_source_keeps_a_frame_held_across_stop_and_queues_it_on_release(void**) {
  rig r;
  assert_int_equal(r.init(3).code, errc::ok);
  r.c.hold = true;
  assert_int_equal(frame_source_start(&r.src.source, on_frame, &r.c).code, errc::ok);
  r.cam.push(1);
  run_until(&r.loop, [&] { return r.c.frames.size() == 1; });
  frame_source_stop(&r.src.source);
  assert_int_equal(r.cam.queued_count(), 0);  // STREAMOFF took every queued buffer back
  std::string still(reinterpret_cast<const char*>(r.c.held->data), r.c.held->size);
  assert_true(still == r.cam.frames[0]);
  assert_int_equal(frame_source_start(&r.src.source, on_frame, &r.c).code, errc::ok);
  assert_int_equal(r.cam.queued_count(), 2);  // all but the held one
  frame_source_release(&r.src.source, r.c.held);
  assert_int_equal(r.cam.queued_count(), 3);
  r.close_and_check();
}

}  // namespace

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(v4l2_source_configures_the_device_in_order_and_delivers_frames),
      cmocka_unit_test(
          v4l2_source_requeues_at_once_and_counts_drops_while_the_consumer_holds_a_frame),
      cmocka_unit_test(v4l2_source_offers_only_the_newest_of_frames_ready_together),
      cmocka_unit_test(v4l2_source_reports_an_unplug_once_and_stops_polling),
      cmocka_unit_test(v4l2_source_init_fails_cleanly_without_mjpeg_or_a_device),
      cmocka_unit_test(v4l2_source_keeps_a_frame_held_across_stop_and_queues_it_on_release),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
