// file_source on a real uv loop: replay order, looping, latest-frame-wins drops, size limits,
// the end of a finite replay, and a clean close (uv_loop_close succeeds). The timer runs at
// 1000 fps and each test runs the loop until a count is reached: no sleeps.
#include "replicate/ports/file_source.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "replicate/data_uri.hpp"
#include "replicate/frame_source.hpp"
#include "support/test_main.hpp"

using namespace replicate;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void spit(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary);
  out << data;
}

struct temp_dir {
  std::string path;
  temp_dir() {
    char tmpl[] = "/tmp/replicate_file_source_XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    path = tmpl;
  }
  ~temp_dir() { assert_int_equal(std::system(("rm -rf '" + path + "'").c_str()), 0); }
};

struct consumer {
  frame_source* src = nullptr;
  std::vector<std::string> frames;
  std::vector<std::uint64_t> sequences;
  bool hold = false;  // keep each frame instead of releasing it
  const frame* held = nullptr;
  int errors = 0;
  int ends = 0;
  error last_error;
  std::size_t stop_after = SIZE_MAX;
};

void on_frame(void* user, const error& err, const frame* f) {
  auto* c = static_cast<consumer*>(user);
  if (err) {
    ++c->errors;
    c->last_error = err;
    assert_null(f);
    return;
  }
  if (f == nullptr) {
    ++c->ends;
    return;
  }
  assert_string_equal(std::string(f->mime_type).c_str(), "image/jpeg");
  c->frames.emplace_back(reinterpret_cast<const char*>(f->data), f->size);
  c->sequences.push_back(f->sequence);
  if (c->hold) {
    c->held = f;
  } else {
    frame_source_release(c->src, f);
  }
  if (c->frames.size() >= c->stop_after) frame_source_stop(c->src);
}

void on_closed(void* user) { *static_cast<bool*>(user) = true; }

void close_and_check(uv_loop_t* loop, file_source* fs) {
  bool closed = false;
  frame_source_close(&fs->source, on_closed, &closed);
  assert_int_equal(uv_run(loop, UV_RUN_DEFAULT), 0);
  assert_true(closed);
  assert_int_equal(uv_loop_close(loop), 0);
}

// Runs one loop iteration at a time until pred holds (the 1 ms timer keeps the loop alive).
template <typename Pred>
void run_until(uv_loop_t* loop, Pred pred) {
  while (!pred()) assert_true(uv_run(loop, UV_RUN_ONCE) != 0 || pred());
}

std::vector<std::string> asset_frames() {
  std::string dir = REPLICATE_ASSETS_DIR;
  return {slurp(dir + "/frame_001.jpg"), slurp(dir + "/frame_002.jpg"),
          slurp(dir + "/frame_003.jpg")};
}

void file_source_replays_a_directory_in_name_order_and_loops(void**) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  file_source fs;
  file_source_options o;
  o.path = REPLICATE_ASSETS_DIR;
  o.fps = 1000;
  assert_int_equal(file_source_init(&loop, &fs, o).code, errc::ok);
  consumer c;
  c.src = &fs.source;
  c.stop_after = 7;
  assert_int_equal(frame_source_start(&fs.source, on_frame, &c).code, errc::ok);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);  // the consumer stops after 7 frames
  std::vector<std::string> files = asset_frames();
  assert_int_equal(c.frames.size(), 7);
  for (std::size_t i = 0; i < 7; ++i) {
    assert_true(c.frames[i] == files[i % 3]);
    assert_int_equal(c.sequences[i], i);
  }
  assert_int_equal(fs.source.stats.captured, 7);
  assert_int_equal(fs.source.stats.delivered, 7);
  assert_int_equal(fs.source.stats.dropped, 0);
  close_and_check(&loop, &fs);
}

void file_source_drops_new_frames_while_the_consumer_holds_one(void**) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  file_source fs;
  file_source_options o;
  o.path = REPLICATE_ASSETS_DIR;
  o.fps = 1000;
  assert_int_equal(file_source_init(&loop, &fs, o).code, errc::ok);
  consumer c;
  c.src = &fs.source;
  c.hold = true;
  assert_int_equal(frame_source_start(&fs.source, on_frame, &c).code, errc::ok);
  run_until(&loop, [&] { return fs.source.stats.captured >= 5; });
  assert_int_equal(c.frames.size(), 1);
  assert_int_equal(fs.source.stats.delivered, 1);
  assert_int_equal(fs.source.stats.dropped, fs.source.stats.captured - 1);
  std::string held(reinterpret_cast<const char*>(c.held->data), c.held->size);
  assert_true(held == c.frames[0]);  // the held buffer was not overwritten by the drops
  // Release; the next tick delivers a fresh frame, not a stale queued one.
  frame_source_release(&fs.source, c.held);
  frame_source_release(&fs.source, c.held);  // a second release is ignored
  std::uint64_t captured = fs.source.stats.captured;
  run_until(&loop, [&] { return c.frames.size() == 2; });
  assert_int_equal(c.sequences[1], captured);
  std::vector<std::string> files = asset_frames();
  assert_true(c.frames[1] == files[captured % 3]);
  assert_int_equal(fs.source.stats.delivered + fs.source.stats.dropped, fs.source.stats.captured);
  close_and_check(&loop, &fs);  // closing with a held frame is fine
}

void file_source_hands_a_frame_to_an_input_body_that_gives_it_back(void**) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  file_source fs;
  file_source_options o;
  std::string one_file = std::string(REPLICATE_ASSETS_DIR) + "/frame_002.jpg";
  o.path = one_file;
  o.fps = 1000;
  assert_int_equal(file_source_init(&loop, &fs, o).code, errc::ok);
  consumer c;
  c.src = &fs.source;
  c.hold = true;
  c.stop_after = 1;
  assert_int_equal(frame_source_start(&fs.source, on_frame, &c).code, errc::ok);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  {
    input_field f = input_data_uri("image", c.held->data, c.held->size, c.held->mime_type,
                                   frame_source_release_data, &fs.source);
    input_body body;
    assert_int_equal(input_body_init(&body, &f, 1).code, errc::ok);
    assert_non_null(fs.source.held_);
  }  // the body is done: the frame went back to the source
  assert_null(fs.source.held_);
  c.stop_after = 2;
  assert_int_equal(frame_source_start(&fs.source, on_frame, &c).code, errc::ok);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(c.frames.size(), 2);
  close_and_check(&loop, &fs);
}

void file_source_without_loop_ends_after_the_last_file(void**) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  file_source fs;
  file_source_options o;
  o.path = REPLICATE_ASSETS_DIR;
  o.fps = 1000;
  o.loop = false;
  assert_int_equal(file_source_init(&loop, &fs, o).code, errc::ok);
  consumer c;
  c.src = &fs.source;
  assert_int_equal(frame_source_start(&fs.source, on_frame, &c).code, errc::ok);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
  assert_int_equal(c.frames.size(), 3);
  assert_int_equal(c.ends, 1);
  assert_int_equal(c.errors, 0);
  assert_int_equal(frame_source_start(&fs.source, on_frame, &c).code, errc::device);
  close_and_check(&loop, &fs);
}

void file_source_rejects_a_file_larger_than_max_frame_size_at_init(void**) {
  temp_dir dir;
  spit(dir.path + "/a.jpg", std::string(100, 'a'));
  spit(dir.path + "/b.JPEG", std::string(101, 'b'));
  spit(dir.path + "/notes.txt", std::string(5000, 'n'));  // not a JPEG: ignored
  uv_loop_t loop;
  uv_loop_init(&loop);
  file_source fs;
  file_source_options o;
  o.path = dir.path;
  o.max_frame_size = 100;
  error e = file_source_init(&loop, &fs, o);
  assert_int_equal(e.code, errc::invalid_argument);
  assert_non_null(std::strstr(e.detail, "b.JPEG is 101 bytes"));
  o.max_frame_size = 101;
  assert_int_equal(file_source_init(&loop, &fs, o).code, errc::ok);
  close_and_check(&loop, &fs);
}

void file_source_reports_a_file_that_grew_past_the_buffer_once(void**) {
  temp_dir dir;
  std::string path = dir.path + "/grows.jpg";
  spit(path, std::string(64, 'x'));
  uv_loop_t loop;
  uv_loop_init(&loop);
  file_source fs;
  file_source_options o;
  o.path = path;
  o.fps = 1000;
  o.max_frame_size = 64;
  assert_int_equal(file_source_init(&loop, &fs, o).code, errc::ok);
  spit(path, std::string(65, 'x'));
  consumer c;
  c.src = &fs.source;
  assert_int_equal(frame_source_start(&fs.source, on_frame, &c).code, errc::ok);
  assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);  // the failure stops the timer
  assert_int_equal(c.errors, 1);
  assert_int_equal(c.last_error.code, errc::device);
  assert_non_null(std::strstr(c.last_error.detail, "max_frame_size"));
  assert_int_equal(c.frames.size(), 0);
  close_and_check(&loop, &fs);
}

void file_source_rejects_bad_options(void**) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  file_source fs;
  file_source_options o;
  o.path = "/nonexistent/replicate";
  assert_int_equal(file_source_init(&loop, &fs, o).code, errc::invalid_argument);
  temp_dir empty;
  o.path = empty.path;
  assert_int_equal(file_source_init(&loop, &fs, o).code, errc::invalid_argument);
  o.path = REPLICATE_ASSETS_DIR;
  o.fps = 0;
  assert_int_equal(file_source_init(&loop, &fs, o).code, errc::invalid_argument);
  o.fps = 1001;
  assert_int_equal(file_source_init(&loop, &fs, o).code, errc::invalid_argument);
  assert_int_equal(frame_source_start(&fs.source, on_frame, nullptr).code, errc::not_initialized);
  assert_int_equal(uv_loop_close(&loop), 0);  // a failed init leaves nothing to close
}

}  // namespace

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(file_source_replays_a_directory_in_name_order_and_loops),
      cmocka_unit_test(file_source_drops_new_frames_while_the_consumer_holds_one),
      cmocka_unit_test(file_source_hands_a_frame_to_an_input_body_that_gives_it_back),
      cmocka_unit_test(file_source_without_loop_ends_after_the_last_file),
      cmocka_unit_test(file_source_rejects_a_file_larger_than_max_frame_size_at_init),
      cmocka_unit_test(file_source_reports_a_file_that_grew_past_the_buffer_once),
      cmocka_unit_test(file_source_rejects_bad_options),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
