#include "http/retry.hpp"

#include "support/test_main.hpp"

using namespace replicate;
using namespace replicate::detail;

static attempt_outcome status_outcome(http_method m, int status) {
  attempt_outcome o;
  o.method = m;
  o.status = status;
  return o;
}

static void retry_get_on_429_and_5xx_but_not_4xx(void**) {
  retry_policy p;
  for (int status : {429, 500, 502, 503, 504})
    assert_true(retry_should(p, 1, status_outcome(http_method::get, status)));
  for (int status : {400, 401, 404, 422, 501})
    assert_false(retry_should(p, 1, status_outcome(http_method::get, status)));
  assert_true(retry_should(p, 1, status_outcome(http_method::del, 503)));
}

static void retry_post_only_on_429(void**) {
  retry_policy p;
  assert_true(retry_should(p, 1, status_outcome(http_method::post, 429)));
  for (int status : {500, 502, 503, 504})
    assert_false(retry_should(p, 1, status_outcome(http_method::post, status)));
}

static void retry_post_never_replayed_after_a_network_error_that_may_have_reached_the_server(
    void**) {
  retry_policy p;
  attempt_outcome o;
  o.method = http_method::post;
  o.transport_failed = true;
  assert_false(retry_should(p, 1, o));
  o.never_connected = true;  // connect refused: the request never left
  assert_true(retry_should(p, 1, o));
  o.method = http_method::get;
  o.never_connected = false;
  assert_true(retry_should(p, 1, o));
}

static void retry_stops_after_max_attempts_or_unreplayable_body(void**) {
  retry_policy p;
  p.max_attempts = 3;
  assert_true(retry_should(p, 2, status_outcome(http_method::get, 503)));
  assert_false(retry_should(p, 3, status_outcome(http_method::get, 503)));
  attempt_outcome o = status_outcome(http_method::get, 503);
  o.replayable = false;
  assert_false(retry_should(p, 1, o));
}

static void retry_delay_doubles_with_equal_jitter_and_caps(void**) {
  retry_policy p;
  p.base_delay = std::chrono::milliseconds(100);
  p.max_delay = std::chrono::milliseconds(1000);
  // unit_random 0 gives the lower half bound, ~1 the full delay.
  assert_int_equal(retry_delay_ms(p, 1, -1, 0.0), 50);
  assert_int_equal(retry_delay_ms(p, 1, -1, 0.999999), 99);
  assert_int_equal(retry_delay_ms(p, 2, -1, 0.0), 100);
  assert_int_equal(retry_delay_ms(p, 3, -1, 0.0), 200);
  assert_int_equal(retry_delay_ms(p, 10, -1, 0.0), 500);  // capped at 1000, half is 500
  for (unsigned attempt = 1; attempt < 20; ++attempt) {
    std::uint64_t d = retry_delay_ms(p, attempt, -1, 0.5);
    assert_true(d <= 1000);
  }
}

static void retry_after_seconds_and_http_date_win_over_backoff(void**) {
  retry_policy p;
  std::int64_t now = 784111777000;  // Sun, 06 Nov 1994 08:49:37 GMT
  assert_int_equal(retry_after_parse("3", now), 3000);
  assert_int_equal(retry_after_parse(" 0 ", now), 0);
  assert_int_equal(retry_after_parse("Sun, 06 Nov 1994 08:49:39 GMT", now), 2000);
  assert_int_equal(retry_after_parse("Sun, 06 Nov 1994 08:49:30 GMT", now), 0);  // past
  assert_int_equal(retry_after_parse("soon", now), -1);
  assert_int_equal(retry_after_parse("", now), -1);
  assert_int_equal(retry_after_parse("Sun, 06 Foo 1994 08:49:39 GMT", now), -1);
  assert_int_equal(retry_delay_ms(p, 1, 3000, 0.0), 3000);
  p.max_retry_after = std::chrono::milliseconds(2000);
  assert_int_equal(retry_delay_ms(p, 1, 3000, 0.0), 2000);
}

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(retry_get_on_429_and_5xx_but_not_4xx),
      cmocka_unit_test(retry_post_only_on_429),
      cmocka_unit_test(
          retry_post_never_replayed_after_a_network_error_that_may_have_reached_the_server),
      cmocka_unit_test(retry_stops_after_max_attempts_or_unreplayable_body),
      cmocka_unit_test(retry_delay_doubles_with_equal_jitter_and_caps),
      cmocka_unit_test(retry_after_seconds_and_http_date_win_over_backoff),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
