#include "replicate/error.hpp"

#include <cstring>
#include <string>

#include "support/test_main.hpp"

using replicate::errc;
using replicate::error;

static void errc_names_and_messages_come_from_the_table(void**) {
  assert_true(replicate::errc_name(errc::rate_limited) == "rate_limited");
  assert_int_equal(static_cast<int>(errc::rate_limited), 429);
  assert_true(replicate::errc_message(errc::ok) == "success");
  assert_true(replicate::errc_name(static_cast<errc>(9999)) == "unknown");
}

static void error_describe_includes_status_detail_and_prediction(void**) {
  error e(errc::prediction_failed, "CUDA out of memory");
  e.http_status = 0;
  e.set_prediction("gm3qorzdhgbfurvjtvhg6dckhu", "failed");
  char buf[512];
  std::string text(e.describe(buf, sizeof buf));
  assert_true(text.find("prediction_failed") != std::string::npos);
  assert_true(text.find("CUDA out of memory") != std::string::npos);
  assert_true(text.find("gm3qorzdhgbfurvjtvhg6dckhu") != std::string::npos);
  assert_true(static_cast<bool>(e));
}

static void error_detail_longer_than_buffer_is_cut_and_flagged(void**) {
  std::string longtext(1000, 'a');
  longtext += "\xc3\xa9";  // a two-byte character must not be split
  error e(errc::http_status, longtext);
  assert_true(e.truncated);
  assert_int_equal(std::strlen(e.detail), sizeof e.detail - 1);
  error small(errc::http_status, "short");
  assert_false(small.truncated);
}

static void result_holds_value_or_error(void**) {
  replicate::result<int> good(7);
  assert_true(good.ok());
  assert_int_equal(good.value(), 7);
  replicate::result<int> bad(errc::not_found);
  assert_false(bad.ok());
  assert_int_equal(static_cast<int>(bad.err().code), 404);
}

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(errc_names_and_messages_come_from_the_table),
      cmocka_unit_test(error_describe_includes_status_detail_and_prediction),
      cmocka_unit_test(error_detail_longer_than_buffer_is_cut_and_flagged),
      cmocka_unit_test(result_holds_value_or_error),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
