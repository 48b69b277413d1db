// progress_parse over tqdm output as models print it to prediction logs.
#include "replicate/progress.hpp"

#include <string>

#include "support/test_main.hpp"

using namespace replicate;

static void expect(const progress& p, int percentage, std::int64_t current, std::int64_t total) {
  assert_true(p.found);
  assert_int_equal(p.percentage, percentage);
  assert_int_equal(p.current, current);
  assert_int_equal(p.total, total);
}

static void expect_none(const progress& p) {
  assert_false(p.found);
  assert_int_equal(p.percentage, 0);
  assert_int_equal(p.current, 0);
  assert_int_equal(p.total, 0);
}

static void progress_parse_reads_a_single_tqdm_line(void**) {
  expect(progress_parse("  40%|████      | 4/10 [00:02<00:03,  2.00it/s]"), 40, 4, 10);
  expect(progress_parse("100%|██████████| 50/50 [00:10<00:00, 4.85it/s]"), 100, 50, 50);
}

static void progress_parse_takes_the_last_bar_of_a_newline_separated_log(void**) {
  const char* logs =
      "Using seed: 31337\n"
      "Ensuring enough disk space...\n"
      "  0%|          | 0/50 [00:00<?, ?it/s]\n"
      "  2%|▏         | 1/50 [00:00<00:22,  2.18it/s]\n"
      " 24%|██▍       | 12/50 [00:02<00:07,  5.02it/s]\n"
      "Some model chatter in between\n";
  expect(progress_parse(logs), 24, 12, 50);
}

static void progress_parse_takes_the_newest_carriage_return_redraw(void**) {
  const char* logs =
      "Loading pipeline...\n"
      "\r  0%|          | 0/10 [00:00<?, ?it/s]"
      "\r 10%|█         | 1/10 [00:00<00:04,  2.01it/s]"
      "\r 20%|██        | 2/10 [00:00<00:03,  2.04it/s]"
      "\r 30%|███       | 3/10 [00:01<00:03,  2.05it/s]";
  expect(progress_parse(logs), 30, 3, 10);
}

static void progress_parse_handles_crlf_and_a_trailing_newline(void**) {
  expect(progress_parse(" 70%|███████   | 7/10 [00:03<00:01,  2.00it/s]\r\n\r\n"), 70, 7, 10);
}

static void progress_parse_accepts_a_description_before_the_bar(void**) {
  expect(progress_parse("Sampling:  56%|█████▌    | 28/50 [00:05<00:04,  5.10it/s]"), 56, 28, 50);
  expect(progress_parse("DDIM Sampler 3%|3         | 1/30 [00:01<00:29]"), 3, 1, 30);
}

static void progress_parse_accepts_ascii_and_empty_looking_bars(void**) {
  expect(progress_parse(" 50%|#####     | 5/10 [00:01<00:01]"), 50, 5, 10);
  expect(progress_parse("0%|          | 0/1000 [00:00<?, ?it/s]"), 0, 0, 1000);
  expect(progress_parse("60%|6| 3/5"), 60, 3, 5);
}

static void progress_parse_reports_no_progress_for_logs_without_a_bar(void**) {
  expect_none(progress_parse(""));
  expect_none(progress_parse("\n\r\n\r"));
  expect_none(progress_parse("Starting\nLoading weights 50% done\nstep 4/10\n"));
}

static void progress_parse_skips_malformed_lines_and_keeps_looking_back(void**) {
  const char* logs =
      " 20%|██        | 2/10 [00:01<00:04]\n"
      "40%||\n"                         // no bar
      "40%| bar | x/10\n"               // no count
      "40%| bar | 4/\n"                 // no total
      "40% bar | 4/10\n"                // no opening pipe
      "a40%|bar| 4/10\n"                // percentage glued to a word
      " 40%|bar 4/10\n"                 // no closing pipe
      " 50%|█████     | 1.00k/2.00k\n"  // scaled units carry no exact count
      " 50%|█████     | 5/10.5M\n"      // nor does a total with a unit
      "4it [00:02,  2.00it/s]\n"        // no total at all
      "loss 5%|\n";
  expect(progress_parse(logs), 20, 2, 10);
}

static void progress_parse_rejects_numbers_too_long_for_its_fields(void**) {
  expect_none(progress_parse("1234567890%|██| 1/2"));
  expect_none(progress_parse("50%|██| 1234567890123456789/2"));
  expect(progress_parse("50%|██| 123456789012345678/2"), 50, 123456789012345678, 2);
}

static void progress_parse_finds_a_bar_at_the_end_of_a_large_log(void**) {
  std::string logs;
  for (int i = 0; i < 100000; ++i) logs += "garbage % | | 1/ line with 99% and | pipes\n";
  logs += " 90%|█████████ | 9/10 [00:09<00:01]";
  expect(progress_parse(logs), 90, 9, 10);
}

static void progress_parse_finds_a_bar_at_the_start_of_a_large_log(void**) {
  std::string logs = " 10%|█         | 1/10 [00:01<00:09]\n";
  for (int i = 0; i < 100000; ++i) logs += "1%|1%|1%|1%| %%%% |||| 7/ \r";
  expect(progress_parse(logs), 10, 1, 10);
}

static void progress_parse_survives_a_long_line_without_newlines(void**) {
  std::string logs(1 << 20, '|');
  for (std::size_t i = 0; i < logs.size(); i += 7) logs[i] = '%';
  logs[0] = '5';
  expect_none(progress_parse(logs));
}

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(progress_parse_reads_a_single_tqdm_line),
      cmocka_unit_test(progress_parse_takes_the_last_bar_of_a_newline_separated_log),
      cmocka_unit_test(progress_parse_takes_the_newest_carriage_return_redraw),
      cmocka_unit_test(progress_parse_handles_crlf_and_a_trailing_newline),
      cmocka_unit_test(progress_parse_accepts_a_description_before_the_bar),
      cmocka_unit_test(progress_parse_accepts_ascii_and_empty_looking_bars),
      cmocka_unit_test(progress_parse_reports_no_progress_for_logs_without_a_bar),
      cmocka_unit_test(progress_parse_skips_malformed_lines_and_keeps_looking_back),
      cmocka_unit_test(progress_parse_rejects_numbers_too_long_for_its_fields),
      cmocka_unit_test(progress_parse_finds_a_bar_at_the_end_of_a_large_log),
      cmocka_unit_test(progress_parse_finds_a_bar_at_the_start_of_a_large_log),
      cmocka_unit_test(progress_parse_survives_a_long_line_without_newlines),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
