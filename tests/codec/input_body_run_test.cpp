// input_body through client.run() against the emulator: the create request carries the input
// object produced on the fly (a JPEG as a data URI plus JSON fields) with a Content-Length, and
// the frame is handed back when the body is closed in the done callback.
#include <fstream>
#include <iterator>
#include <string>

#include "replicate/data_uri.hpp"
#include "support/loop_fixture.hpp"
#include "support/test_main.hpp"

using namespace replicate;
using namespace replicate::test;

static emulator_process emu;

namespace {

struct outcome {
  bool done = false;
  error err;
  input_body* body = nullptr;
};

void on_done(void* user, const error& err, const prediction*) {
  auto* o = static_cast<outcome*>(user);
  o->err = err;
  o->done = true;
  input_body_close(o->body);  // the request is complete: give the frame back
}

void on_release(void* user, const void*) { ++*static_cast<int*>(user); }

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

static int start_emulator(void**) {
  const char* args[] = {"--prediction-ms", "50", nullptr};
  return emulator_start(&emu, args) ? 0 : -1;
}

static int stop_emulator(void**) {
  emulator_stop(&emu);
  return 0;
}

static void run_sends_an_input_body_with_a_data_uri_frame_and_a_content_length(void**) {
  std::string jpeg = slurp(std::string(REPLICATE_ASSETS_DIR) + "/frame_002.jpg");
  assert_true(jpeg.size() > 100);
  int released = 0;
  input_field fields[] = {
      input_json("text", "\"world\""),
      input_data_uri("image", jpeg.data(), jpeg.size(), "image/jpeg", on_release, &released)};
  input_body body;
  assert_int_equal(input_body_init(&body, fields, 2).code, errc::ok);

  loop_fixture f;
  fixture_open(&f, emu);
  outcome o;
  o.body = &body;
  run_options opts;
  opts.create.input_stream = &body.source;
  auto op = f.c.run("replicate/hello-world", opts, on_done, &o);
  assert_true(op.ok());
  fixture_run_until(&f, &o.done);
  assert_false(static_cast<bool>(o.err));
  assert_int_equal(released, 1);

  std::string expected_input = "{\"text\":\"world\",\"image\":\"data:image/jpeg;base64,";
  std::string b64(base64_encoded_size(jpeg.size()), '\0');
  base64_encode(jpeg.data(), jpeg.size(), b64.data());
  expected_input += b64 + "\"}";
  bool found = false;
  for (const auto& r : emulator_requests(emu)) {
    if (r.method != "POST") continue;
    found = true;
    assert_true(r.body.find("\"input\":" + expected_input) != std::string::npos);
    assert_true(r.has_header("content-length"));
    assert_false(r.has_header("transfer-encoding"));
  }
  assert_true(found);
  fixture_close_and_check(&f);
}

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(run_sends_an_input_body_with_a_data_uri_frame_and_a_content_length),
  };
  return cmocka_run_group_tests(tests, start_emulator, stop_emulator);
}
