// The JSON writer and the concatenated body that wraps streamed inputs.
#include <algorithm>
#include <cstring>
#include <string>

#include "http/concat_body.hpp"
#include "json/decode.hpp"
#include "json/writer.hpp"
#include "support/test_main.hpp"

using namespace replicate;
using namespace replicate::detail;

static void json_writer_escapes_strings_and_places_commas(void**) {
  arena_pool pool;
  arena_pool_init(&pool, 1, 4096);
  arena* a = arena_pool_acquire(&pool);
  json_writer w(a);
  w.begin_object();
  w.key("a");
  w.string("q\"\\\n\x01");
  w.key("list");
  w.begin_array();
  w.number(1);
  w.boolean(false);
  w.raw("{\"x\":null}");
  w.end_array();
  w.end_object();
  std::string_view out = w.finish();
  assert_string_equal(std::string(out).c_str(),
                      "{\"a\":\"q\\\"\\\\\\n\\u0001\",\"list\":[1,false,{\"x\":null}]}");
  arena_pool_release(&pool, a);
  arena_pool_destroy(&pool);
}

static void json_writer_overflow_is_reported_not_truncated(void**) {
  arena_pool pool;
  arena_pool_init(&pool, 1, 64);
  arena* a = arena_pool_acquire(&pool);
  json_writer w(a);
  w.begin_object();
  w.key("k");
  w.string(std::string(100, 'x'));
  w.end_object();
  assert_true(w.finish().empty());
  assert_true(a->exhausted);
  arena_pool_release(&pool, a);
  arena_pool_destroy(&pool);
}

struct chunked_source {
  std::string data;
  std::size_t pos = 0;
};

static std::size_t chunked_read(void* ctx, char* buf, std::size_t size) {
  auto* s = static_cast<chunked_source*>(ctx);
  std::size_t take = std::min<std::size_t>(std::min<std::size_t>(size, s->data.size() - s->pos), 3);
  std::memcpy(buf, s->data.data() + s->pos, take);
  s->pos += take;
  return take;
}

static bool chunked_rewind(void* ctx) {
  static_cast<chunked_source*>(ctx)->pos = 0;
  return true;
}

static void concat_body_streams_pieces_in_order_at_any_read_size(void**) {
  arena_pool pool;
  arena_pool_init(&pool, 1, 4096);
  arena* a = arena_pool_acquire(&pool);
  chunked_source inner{"{\"image\":\"data:...\"}"};
  body_source src{chunked_read, chunked_rewind, &inner,
                  static_cast<std::int64_t>(inner.data.size())};
  body_piece pieces[3] = {{"{\"input\":", nullptr}, {{}, &src}, {",\"x\":1}", nullptr}};
  const body_source* body = concat_body_create(a, pieces, 3);
  assert_non_null(body);
  std::string expected = "{\"input\":{\"image\":\"data:...\"},\"x\":1}";
  assert_int_equal(body->length, expected.size());
  for (std::size_t read_size = 1; read_size <= expected.size() + 1; ++read_size) {
    assert_true(body->rewind(body->ctx));
    std::string out;
    char buf[128];
    std::size_t n;
    while ((n = body->read(body->ctx, buf, read_size)) > 0) out.append(buf, n);
    assert_string_equal(out.c_str(), expected.c_str());
  }
  arena_pool_release(&pool, a);
  arena_pool_destroy(&pool);
}

static void decode_prediction_tolerates_nulls_and_unknown_fields(void**) {
  arena_pool pool;
  arena_pool_init(&pool, 1, 8192);
  arena* a = arena_pool_acquire(&pool);
  std::string_view body =
      "{\"id\":\"gm3qorzdhgbfurvjtvhg6dckhu\",\"status\":\"canceled\",\"logs\":null,"
      "\"error\":null,\"output\":[\"a\",\"b\"],\"urls\":{\"get\":\"http://x/p\"},"
      "\"webhook_completed\":null,\"metrics\":{\"predict_time\":1.5}}";
  prediction p;
  error err;
  assert_true(decode_prediction_body(a, body, &p, &err));
  assert_true(p.id == "gm3qorzdhgbfurvjtvhg6dckhu");
  assert_int_equal(static_cast<int>(p.status), static_cast<int>(prediction_status::canceled));
  assert_true(p.logs.empty());
  assert_true(p.output_json == "[\"a\",\"b\"]");
  assert_true(p.urls.get == "http://x/p");
  assert_true(p.urls.stream.empty());
  assert_true(p.predict_time == 1.5);
  assert_false(decode_prediction_body(a, "{\"id\": ", &p, &err));
  assert_int_equal(static_cast<int>(err.code), static_cast<int>(errc::bad_response));
  arena_pool_release(&pool, a);
  arena_pool_destroy(&pool);
}

static void decode_problem_reads_title_and_detail(void**) {
  arena_pool pool;
  arena_pool_init(&pool, 1, 8192);
  arena* a = arena_pool_acquire(&pool);
  error e(errc::unauthenticated);
  decode_problem(a,
                 "{\"title\":\"Unauthenticated\",\"detail\":\"You did not pass a valid "
                 "authentication token\",\"status\":401}",
                 &e);
  assert_string_equal(e.title, "Unauthenticated");
  assert_string_equal(e.detail, "You did not pass a valid authentication token");
  error text(errc::http_status);
  decode_problem(a, "<html>Bad gateway</html>", &text);
  assert_string_equal(text.detail, "<html>Bad gateway</html>");
  arena_pool_release(&pool, a);
  arena_pool_destroy(&pool);
}

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(json_writer_escapes_strings_and_places_commas),
      cmocka_unit_test(json_writer_overflow_is_reported_not_truncated),
      cmocka_unit_test(concat_body_streams_pieces_in_order_at_any_read_size),
      cmocka_unit_test(decode_prediction_tolerates_nulls_and_unknown_fields),
      cmocka_unit_test(decode_problem_reads_title_and_detail),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
