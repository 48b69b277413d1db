// file_output with data: URIs (no network: the client is never asked to connect), the output
// walker, owned<T> copies and download URLs.
#include "replicate/file_output.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "replicate/files.hpp"
#include "replicate/paginate.hpp"
#include "support/test_main.hpp"

using namespace replicate;

namespace {

struct fixture {
  uv_loop_t loop;
  client c;
};

void open_fixture(fixture* f) {
  assert_int_equal(uv_loop_init(&f->loop), 0);
  client_options o;
  o.base_url = "http://127.0.0.1:9/v1";
  o.auth = "r8_test_token";
  assert_false(static_cast<bool>(f->c.init(&f->loop, o)));
}

void close_fixture(fixture* f) {
  bool closed = false;
  f->c.close([](void* u) { *static_cast<bool*>(u) = true; }, &closed);
  uv_run(&f->loop, UV_RUN_DEFAULT);
  assert_true(closed);
  assert_int_equal(uv_loop_close(&f->loop), 0);
}

struct sink {
  std::string data;
  int calls = 0;
  int done_calls = 0;
  bool done = false;
  bool pause_next = false;
  int pauses = 0;
  error err;
  std::uint64_t bytes = 0;
};

std::size_t on_write(void* user, const char* data, std::size_t len) {
  auto* s = static_cast<sink*>(user);
  s->calls++;
  if (s->pause_next) {
    s->pause_next = false;
    s->pauses++;
    return file_output_pause;
  }
  s->data.append(data, len);
  return len;
}

void on_done(void* user, const error& err, std::uint64_t bytes) {
  auto* s = static_cast<sink*>(user);
  s->done = true;
  s->done_calls++;
  s->err = err;
  s->bytes = bytes;
}

std::string base64(const std::string& in) {
  static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v =
        (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    out += t[v >> 18], out += t[(v >> 12) & 63], out += t[(v >> 6) & 63], out += t[v & 63];
  }
  if (i + 1 == in.size()) {
    unsigned v = (unsigned char)in[i] << 16;
    out += t[v >> 18], out += t[(v >> 12) & 63], out += "==";
  } else if (i + 2 == in.size()) {
    unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
    out += t[v >> 18], out += t[(v >> 12) & 63], out += t[(v >> 6) & 63], out += '=';
  }
  return out;
}

std::string pattern(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + i / 7) & 0xFF);
  return s;
}

void run_until(fixture* f, const bool* flag) {
  while (!*flag) assert_true(uv_run(&f->loop, UV_RUN_ONCE) != 0 || *flag);
}

}  // namespace

static void data_uri_base64_decodes_to_the_callback_in_slices(void**) {
  for (std::size_t n : {0u, 1u, 2u, 3u, 4u, 5u, 100u, 16383u, 16384u, 16385u, 300001u}) {
    fixture f;
    open_fixture(&f);
    std::string payload = pattern(n);
    std::string uri = "data:application/octet-stream;base64," + base64(payload);
    sink s;
    file_output fo;
    file_output_target t;
    t.write = on_write;
    t.write_user = &s;
    assert_false(static_cast<bool>(fo.start(f.c, uri, t, on_done, &s)));
    assert_false(s.done);  // never from inside start()
    run_until(&f, &s.done);
    assert_false(static_cast<bool>(s.err));
    assert_true(s.data == payload);
    assert_int_equal(s.bytes, n);
    assert_false(fo.active());
    close_fixture(&f);
    assert_int_equal(s.done_calls, 1);
  }
}

static void data_uri_with_json_escaped_slashes_and_no_padding_decodes(void**) {
  fixture f;
  open_fixture(&f);
  std::string payload = "\xff\xfe\xfd?\?\?>>>";  // base64 has '/' and '+'
  std::string b64 = base64(payload);
  while (!b64.empty() && b64.back() == '=') b64.pop_back();
  std::string escaped;
  for (char c : "data:image\\/png;base64," + b64) {
    if (c == '/')
      escaped += "\\/";
    else if (c != '\0')
      escaped += c;
  }
  sink s;
  file_output fo;
  file_output_target t;
  t.write = on_write;
  t.write_user = &s;
  assert_false(static_cast<bool>(fo.start(f.c, escaped, t, on_done, &s)));
  run_until(&f, &s.done);
  assert_false(static_cast<bool>(s.err));
  assert_true(s.data == payload);
  close_fixture(&f);
}

static void data_uri_percent_encoded_decodes(void**) {
  fixture f;
  open_fixture(&f);
  sink s;
  file_output fo;
  file_output_target t;
  t.write = on_write;
  t.write_user = &s;
  assert_false(
      static_cast<bool>(fo.start(f.c, "data:text/plain,hello%20world%21", t, on_done, &s)));
  run_until(&f, &s.done);
  assert_false(static_cast<bool>(s.err));
  assert_string_equal(s.data.c_str(), "hello world!");
  close_fixture(&f);
}

static void paused_callback_gets_the_same_chunk_again_after_resume(void**) {
  fixture f;
  open_fixture(&f);
  std::string payload = pattern(50000);
  std::string uri = "data:;base64," + base64(payload);
  sink s;
  s.pause_next = true;
  file_output fo;
  file_output_target t;
  t.write = on_write;
  t.write_user = &s;
  assert_false(static_cast<bool>(fo.start(f.c, uri, t, on_done, &s)));
  while (s.pauses == 0) uv_run(&f.loop, UV_RUN_ONCE);
  // Paused: the loop has nothing to do for this download until resume().
  uv_run(&f.loop, UV_RUN_NOWAIT);
  assert_false(s.done);
  assert_true(s.data.empty());
  assert_false(static_cast<bool>(fo.resume()));
  assert_int_equal(static_cast<int>(fo.resume().code), static_cast<int>(errc::not_found));
  run_until(&f, &s.done);
  assert_false(static_cast<bool>(s.err));
  assert_true(s.data == payload);
  close_fixture(&f);
}

static void data_uri_to_a_path_writes_the_file(void**) {
  fixture f;
  open_fixture(&f);
  char path[] = "/tmp/replicate-file-output-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  std::string payload = pattern(200000);  // several buffers
  std::string uri = "data:application/octet-stream;base64," + base64(payload);
  sink s;
  file_output fo;
  file_output_target t;
  t.path = path;
  assert_false(static_cast<bool>(fo.start(f.c, uri, t, on_done, &s)));
  run_until(&f, &s.done);
  assert_false(static_cast<bool>(s.err));
  assert_int_equal(s.bytes, payload.size());
  std::ifstream in(path, std::ios::binary);
  std::stringstream got;
  got << in.rdbuf();
  assert_true(got.str() == payload);
  unlink(path);
  close_fixture(&f);
}

static void bad_sources_and_targets_fail_before_starting(void**) {
  fixture f;
  open_fixture(&f);
  sink s;
  file_output fo;
  file_output_target t;
  t.write = on_write;
  t.write_user = &s;
  assert_int_equal(static_cast<int>(fo.start(f.c, "ftp://x/y", t, on_done, &s).code),
                   static_cast<int>(errc::invalid_url));
  assert_int_equal(static_cast<int>(fo.start(f.c, "data:no-comma", t, on_done, &s).code),
                   static_cast<int>(errc::invalid_argument));
  file_output_target both = t;
  both.path = "/tmp/x";
  assert_int_equal(static_cast<int>(fo.start(f.c, "data:,x", both, on_done, &s).code),
                   static_cast<int>(errc::invalid_argument));
  file_output_target bad_path;
  bad_path.path = "/nonexistent-dir/x/y";
  assert_int_equal(static_cast<int>(fo.start(f.c, "data:,x", bad_path, on_done, &s).code),
                   static_cast<int>(errc::invalid_argument));
  // A character outside base64 is an error reported through done.
  assert_false(static_cast<bool>(fo.start(f.c, "data:;base64,QUJD*", t, on_done, &s)));
  run_until(&f, &s.done);
  assert_int_equal(static_cast<int>(s.err.code), static_cast<int>(errc::invalid_argument));
  close_fixture(&f);
  assert_int_equal(s.done_calls, 1);
}

static void output_walker_reports_urls_and_data_uris_in_order(void**) {
  std::vector<std::string> seen;
  auto each = [](void* u, std::size_t index, std::string_view src) {
    auto* v = static_cast<std::vector<std::string>*>(u);
    assert_int_equal(index, v->size());
    v->emplace_back(src);
    return true;
  };
  const char* out =
      R"({"images":["https://a.test/1.png", "data:image/png;base64,QUJD"],"n":3,)"
      R"("nested":{"url":"https:\/\/b.test\/2.png","text":"not a url","ok":true,"x":null}})";
  assert_false(static_cast<bool>(output_files_each(out, each, &seen)));
  assert_int_equal(seen.size(), 3);
  assert_string_equal(seen[0].c_str(), "https://a.test/1.png");
  assert_string_equal(seen[1].c_str(), "data:image/png;base64,QUJD");
  assert_string_equal(seen[2].c_str(), "https:\\/\\/b.test\\/2.png");
  seen.clear();
  assert_false(static_cast<bool>(output_files_each("\"https://c.test/x\"", each, &seen)));
  assert_int_equal(seen.size(), 1);
  seen.clear();
  assert_false(static_cast<bool>(output_files_each("null", each, &seen)));
  assert_int_equal(seen.size(), 0);
  assert_int_equal(static_cast<int>(output_files_each("[\"a\",", each, &seen).code),
                   static_cast<int>(errc::invalid_json));
}

static void owned_copies_outlive_the_source(void**) {
  std::string id(64, 'a');
  std::string name = "hello-world";
  model m;
  m.owner = "replicate";
  m.name = name;
  m.has_latest_version = true;
  m.latest_version.id = id;
  m.run_count = 7;
  std::vector<owned<model>> kept;
  kept.emplace_back(m);
  kept.emplace_back(m);  // the vector moves the first; its views stay valid
  name.assign("overwritten");
  id.assign(64, 'b');
  assert_true(kept[0]->name == "hello-world");
  assert_true(kept[0]->latest_version.id == std::string(64, 'a'));
  assert_int_equal(kept[1]->run_count, 7);
}

static void download_url_is_built_and_encoded(void**) {
  char buf[256];
  std::size_t n =
      file_download_url("http://h/v1/", "abc", "me", 1700000000, "s+/=", buf, sizeof buf);
  assert_true(n > 0);
  assert_string_equal(
      buf, "http://h/v1/files/abc/download?owner=me&expiry=1700000000&signature=s%2B%2F%3D");
  assert_int_equal(file_download_url("http://h/v1", "a/b", "me", 1, "s", buf, sizeof buf), 0);
  assert_int_equal(file_download_url("http://h/v1", "abc", "me", 1, "s", buf, 10), 0);
}

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(data_uri_base64_decodes_to_the_callback_in_slices),
      cmocka_unit_test(data_uri_with_json_escaped_slashes_and_no_padding_decodes),
      cmocka_unit_test(data_uri_percent_encoded_decodes),
      cmocka_unit_test(paused_callback_gets_the_same_chunk_again_after_resume),
      cmocka_unit_test(data_uri_to_a_path_writes_the_file),
      cmocka_unit_test(bad_sources_and_targets_fail_before_starting),
      cmocka_unit_test(output_walker_reports_urls_and_data_uris_in_order),
      cmocka_unit_test(owned_copies_outlive_the_source),
      cmocka_unit_test(download_url_is_built_and_encoded),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
