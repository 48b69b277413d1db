// The multipart/form-data body of files.create: exact bytes and length, read at every chunk size,
// from caller bytes and from a streamed source, and replayed after a rewind.
#include "api/resources/multipart.hpp"

#include <cstring>
#include <string>

#include "support/test_main.hpp"

using namespace replicate;
using namespace replicate::detail;

namespace {

const std::string boundary = "----replicate-cpp-0123456789abcdef0123456789abcdef";

std::string expected(const std::string& content, bool metadata) {
  std::string b = boundary;
  std::string out = "--" + b + "\r\nContent-Disposition: form-data; name=\"content\"; " +
                    "filename=\"cat.png\"\r\nContent-Type: image/png\r\n\r\n" + content + "\r\n--" +
                    b + "\r\nContent-Disposition: form-data; name=\"filename\"\r\n\r\n" +
                    "cat.png\r\n--" + b +
                    "\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\nimage/png\r\n";
  if (metadata)
    out += "--" + b +
           "\r\nContent-Disposition: form-data; name=\"metadata\"\r\nContent-Type: "
           "application/json\r\n\r\n{\"k\":1}\r\n";
  return out + "--" + b + "--\r\n";
}

std::string read_all(const body_source* src, std::size_t chunk) {
  std::string out;
  char buf[4096];
  for (;;) {
    std::size_t n = src->read(src->ctx, buf, chunk);
    if (n == 0 || n == static_cast<std::size_t>(-1)) break;
    out.append(buf, n);
  }
  return out;
}

struct string_source {
  body_source src;
  std::string data;
  std::size_t at = 0;
};

std::size_t string_read(void* ctx, char* buf, std::size_t size) {
  auto* s = static_cast<string_source*>(ctx);
  std::size_t n = std::min(size, s->data.size() - s->at);
  std::memcpy(buf, s->data.data() + s->at, n);
  s->at += n;
  return n;
}

bool string_rewind(void* ctx) {
  static_cast<string_source*>(ctx)->at = 0;
  return true;
}

}  // namespace

static void multipart_body_from_bytes_is_exact_at_every_chunk_size(void**) {
  std::string content = "\x89PNG\r\n\x1a\n binary \0 bytes";
  content += std::string(300, 'x');
  for (bool metadata : {false, true}) {
    std::string want = expected(content, metadata);
    for (std::size_t chunk = 1; chunk <= want.size() + 1; ++chunk) {
      arena_pool pool;
      assert_true(arena_pool_init(&pool, 1, 8192));
      arena* a = arena_pool_acquire(&pool);
      multipart_file f;
      f.filename = "cat.png";
      f.content_type = "image/png";
      f.metadata_json = metadata ? "{\"k\":1}" : "";
      f.data = content;
      const body_source* src = multipart_create(a, boundary, f);
      assert_non_null(src);
      assert_int_equal(src->length, static_cast<std::int64_t>(want.size()));
      std::string got = read_all(src, chunk);
      assert_true(got == want);
      arena_pool_destroy(&pool);
    }
  }
}

static void multipart_body_streams_a_source_and_replays_after_rewind(void**) {
  string_source s;
  s.data = std::string(5000, 'a') + "middle" + std::string(3000, 'z');
  s.src = {string_read, string_rewind, &s, static_cast<std::int64_t>(s.data.size())};
  std::string want = expected(s.data, true);
  for (std::size_t chunk : {1u, 2u, 3u, 7u, 64u, 1000u, 4096u}) {
    arena_pool pool;
    assert_true(arena_pool_init(&pool, 1, 8192));
    arena* a = arena_pool_acquire(&pool);
    s.at = 0;
    multipart_file f;
    f.filename = "cat.png";
    f.content_type = "image/png";
    f.metadata_json = "{\"k\":1}";
    f.stream = &s.src;
    const body_source* src = multipart_create(a, boundary, f);
    assert_non_null(src);
    assert_int_equal(src->length, static_cast<std::int64_t>(want.size()));
    assert_true(read_all(src, chunk) == want);
    assert_true(src->rewind(src->ctx));
    assert_true(read_all(src, chunk) == want);
    arena_pool_destroy(&pool);
  }
}

static void multipart_length_is_unknown_when_the_source_length_is(void**) {
  string_source s;
  s.data = "abc";
  s.src = {string_read, nullptr, &s, -1};
  arena_pool pool;
  assert_true(arena_pool_init(&pool, 1, 4096));
  multipart_file f;
  f.filename = "a.bin";
  f.content_type = "application/octet-stream";
  f.stream = &s.src;
  const body_source* src = multipart_create(arena_pool_acquire(&pool), boundary, f);
  assert_non_null(src);
  assert_int_equal(src->length, -1);
  arena_pool_destroy(&pool);
}

static void multipart_check_rejects_fields_that_break_framing(void**) {
  multipart_file f;
  f.content_type = "image/png";
  f.filename = "ok.png";
  assert_null(multipart_check(f));
  f.filename = "bad\".png";
  assert_non_null(multipart_check(f));
  f.filename = "bad\r\n.png";
  assert_non_null(multipart_check(f));
  f.filename = std::string_view();
  assert_non_null(multipart_check(f));
  std::string long_name(256, 'n');
  f.filename = long_name;
  assert_non_null(multipart_check(f));
  f.filename = "ok.png";
  f.content_type = "image/png\r\nX-Injected: 1";
  assert_non_null(multipart_check(f));
}

static void multipart_does_not_fit_a_tiny_arena_and_says_so(void**) {
  arena_pool pool;
  assert_true(arena_pool_init(&pool, 1, 128));
  arena* a = arena_pool_acquire(&pool);
  multipart_file f;
  f.filename = "cat.png";
  f.content_type = "image/png";
  f.data = "x";
  assert_null(multipart_create(a, boundary, f));
  assert_true(a->exhausted);
  arena_pool_destroy(&pool);
}

static void multipart_boundaries_differ(void**) {
  char a[multipart_boundary_size];
  char b[multipart_boundary_size];
  multipart_boundary(a);
  multipart_boundary(b);
  assert_memory_not_equal(a, b, multipart_boundary_size);
  assert_memory_equal(a, "----replicate-cp", 16);
}

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(multipart_body_from_bytes_is_exact_at_every_chunk_size),
      cmocka_unit_test(multipart_body_streams_a_source_and_replays_after_rewind),
      cmocka_unit_test(multipart_length_is_unknown_when_the_source_length_is),
      cmocka_unit_test(multipart_check_rejects_fields_that_break_framing),
      cmocka_unit_test(multipart_does_not_fit_a_tiny_arena_and_says_so),
      cmocka_unit_test(multipart_boundaries_differ),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
