// The SSE tokenizer against the WHATWG EventSource parsing rules. Every input is fed whole, at
// every two-chunk split, byte by byte (and, when short, at every three-chunk split), each time
// also pausing after every event and re-feeding the rest from a new address: all must give the
// same events. Each fed chunk is overwritten after the call, so a view kept past its chunk shows.
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "replicate/sse.hpp"
#include "support/test_main.hpp"

using namespace replicate;

namespace {

// A std::string of a literal that holds NUL bytes.
template <std::size_t n>
std::string bytes_of(const char (&literal)[n]) {
  return std::string(literal, n - 1);
}

struct collector {
  std::vector<std::string> out;
  bool pause_each_event = false;
  bool pause_each_retry = false;
  bool stop_at_event = false;
  std::size_t stop_after = 0;  // with stop_at_event: events before the stop
};

std::string show(const sse_event& e) {
  return std::string(e.event) + "|" + std::string(e.data) + "|" + std::string(e.id);
}

sse_action on_event(void* user, const sse_event& e) {
  auto* c = static_cast<collector*>(user);
  c->out.push_back(show(e));
  if (c->stop_at_event && c->out.size() > c->stop_after) return sse_action::stop;
  return c->pause_each_event ? sse_action::pause : sse_action::proceed;
}

sse_action on_retry(void* user, std::chrono::milliseconds ms) {
  auto* c = static_cast<collector*>(user);
  c->out.push_back("retry=" + std::to_string(ms.count()));
  return c->pause_each_retry ? sse_action::pause : sse_action::proceed;
}

const sse_callbacks callbacks = {on_event, on_retry};

// Feeds one chunk from a buffer of its own, re-feeding after each pause; returns the sticky
// error, if any. The buffer is scribbled on afterwards.
sse_status feed_chunk(sse_tokenizer* t, const std::string& chunk) {
  std::string rest = chunk;
  for (;;) {
    std::vector<char> buf(rest.begin(), rest.end());
    sse_result r = sse_tokenizer_feed(t, buf.data(), buf.size());
    assert_true(r.consumed <= buf.size());
    std::fill(buf.begin(), buf.end(), '#');
    if (r.status == sse_status::paused) {
      rest = rest.substr(r.consumed);
      continue;
    }
    if (r.status == sse_status::ok) assert_int_equal(r.consumed, buf.size());
    return r.status;
  }
}

std::vector<std::string> run(const std::vector<std::string>& chunks, std::size_t carry_size,
                             bool pause) {
  collector c;
  c.pause_each_event = pause;
  c.pause_each_retry = pause;
  std::vector<char> carry(carry_size + 1, '\0');
  sse_tokenizer t;
  sse_tokenizer_init(&t, carry.data(), carry_size, &callbacks, &c);
  for (const std::string& chunk : chunks) {
    sse_status s = feed_chunk(&t, chunk);
    if (s != sse_status::ok) {
      c.out.push_back("error=" + std::string(sse_status_name(s)));
      return c.out;
    }
  }
  assert_int_equal(static_cast<int>(sse_tokenizer_finish(&t)), 0);
  return c.out;
}

void assert_same(const std::vector<std::string>& got, const std::vector<std::string>& want,
                 const char* how, std::size_t at) {
  if (got == want) return;
  print_error("chunking %s at %zu gave:\n", how, at);
  for (const auto& s : got) print_error("  [%s]\n", s.c_str());
  print_error("wanted:\n");
  for (const auto& s : want) print_error("  [%s]\n", s.c_str());
  fail();
}

// Checks `want` for input fed in every way.
void expect(const std::string& input, const std::vector<std::string>& want,
            std::size_t carry_size = 4096) {
  for (bool pause : {false, true}) {
    assert_same(run({input}, carry_size, pause), want, "whole", 0);
    for (std::size_t i = 1; i < input.size(); ++i) {
      assert_same(run({input.substr(0, i), input.substr(i)}, carry_size, pause), want, "in two", i);
    }
    std::vector<std::string> bytes;
    for (char ch : input) bytes.emplace_back(1, ch);
    assert_same(run(bytes, carry_size, pause), want, "byte by byte", 0);
    if (input.size() <= 64) {
      for (std::size_t i = 1; i < input.size(); ++i) {
        for (std::size_t j = i + 1; j < input.size(); ++j) {
          assert_same(
              run({input.substr(0, i), input.substr(i, j - i), input.substr(j)}, carry_size, pause),
              want, "in three", i * 1000 + j);
        }
      }
    }
  }
}

}  // namespace

// --- the basic shape -----------------------------------------------------------------------------

static void sse_tokenizer_dispatches_an_event_on_a_blank_line(void**) {
  expect("event: output\ndata: hello\n\n", {"output|hello|"});
}

static void sse_tokenizer_joins_line_split_across_chunks(void**) {
  expect("data: first line of a longer event\n\ndata: second\n\n",
         {"message|first line of a longer event|", "message|second|"});
}

static void sse_tokenizer_reports_views_into_the_chunk_when_the_event_is_inside_it(void**) {
  struct seen {
    const char* event;
    const char* data;
  } s{nullptr, nullptr};
  sse_callbacks cb = {[](void* u, const sse_event& e) {
                        auto* p = static_cast<seen*>(u);
                        p->event = e.event.data();
                        p->data = e.data.data();
                        return sse_action::proceed;
                      },
                      nullptr};
  char carry[64];
  sse_tokenizer t;
  sse_tokenizer_init(&t, carry, sizeof carry, &cb, &s);
  const char input[] = "event: output\nid: 1\ndata: hello\n\n";
  sse_result r = sse_tokenizer_feed(&t, input, sizeof input - 1);
  assert_int_equal(static_cast<int>(r.status), 0);
  assert_ptr_equal(s.event, input + 7);
  assert_ptr_equal(s.data, input + 26);
}

static void sse_tokenizer_fires_nothing_before_the_blank_line(void**) {
  collector c;
  char carry[64];
  sse_tokenizer t;
  sse_tokenizer_init(&t, carry, sizeof carry, &callbacks, &c);
  const char input[] = "data: x\n";
  assert_int_equal(static_cast<int>(sse_tokenizer_feed(&t, input, 8).status), 0);
  assert_true(c.out.empty());
  assert_int_equal(static_cast<int>(sse_tokenizer_feed(&t, "\n", 1).status), 0);
  assert_int_equal(c.out.size(), 1);
}

static void sse_tokenizer_treats_feeding_zero_bytes_as_a_no_op(void**) {
  collector c;
  sse_tokenizer t;
  sse_tokenizer_init(&t, nullptr, 0, &callbacks, &c);
  sse_result r = sse_tokenizer_feed(&t, nullptr, 0);
  assert_int_equal(static_cast<int>(r.status), 0);
  assert_int_equal(r.consumed, 0);
  assert_true(c.out.empty());
}

// --- line ends -----------------------------------------------------------------------------------

static void sse_tokenizer_accepts_crlf_line_ends(void**) {
  expect("event: a\r\ndata: 1\r\n\r\ndata: 2\r\n\r\n", {"a|1|", "message|2|"});
}

static void sse_tokenizer_accepts_cr_line_ends(void**) {
  expect("event: a\rdata: 1\r\rdata: 2\r\r", {"a|1|", "message|2|"});
}

static void sse_tokenizer_accepts_mixed_line_ends_in_one_stream(void**) {
  expect("data: 1\r\ndata: 2\rdata: 3\n\r\ndata: 4\n\r", {"message|1\n2\n3|", "message|4|"});
}

static void sse_tokenizer_counts_cr_at_chunk_end_and_lf_at_next_start_as_one_line_end(void**) {
  // If the LF counted as a second line end, "data: a" would be dispatched alone.
  assert_true(run({"data: a\r", "\ndata: b\r\n\r\n"}, 64, false) ==
              std::vector<std::string>{"message|a\nb|"});
  expect("data: a\r\ndata: b\r\n\r\n", {"message|a\nb|"});
}

static void sse_tokenizer_treats_cr_cr_as_two_line_ends(void**) {
  expect("data: a\r\rdata: b\r\r", {"message|a|", "message|b|"});
}

// --- BOM -----------------------------------------------------------------------------------------

static void sse_tokenizer_strips_one_leading_bom(void**) {
  expect(
      "\xEF\xBB\xBF"
      "data: 1\n\n",
      {"message|1|"});
}

static void sse_tokenizer_strips_a_bom_split_across_chunks(void**) {
  assert_true(run({"\xEF", "\xBB", "\xBF", "data: 1\n\n"}, 64, false) ==
              std::vector<std::string>{"message|1|"});
}

static void sse_tokenizer_keeps_a_second_bom_as_part_of_the_field_name(void**) {
  // After the one stripped BOM, "\xEF\xBB\xBF" "data" is an unknown field name.
  expect(
      "\xEF\xBB\xBF\xEF\xBB\xBF"
      "data: 1\n\ndata: 2\n\n",
      {"message|2|"});
}

static void sse_tokenizer_keeps_a_bom_after_the_first_line(void**) {
  expect(
      "data: 1\n\n\xEF\xBB\xBF"
      "data: 2\n\ndata: 3\n\n",
      {"message|1|", "message|3|"});
}

static void sse_tokenizer_ignores_a_first_line_starting_with_part_of_a_bom(void**) {
  expect(
      "\xEF\xBB"
      "data: 1\n\ndata: 2\n\n",
      {"message|2|"});
  expect("\xEF\ndata: 2\n\n", {"message|2|"});
}

// --- fields --------------------------------------------------------------------------------------

static void sse_tokenizer_ignores_comment_lines(void**) {
  expect(":408: 408 Request Timeout\n: keep-alive\ndata: 1\n:\n\n", {"message|1|"});
}

static void sse_tokenizer_treats_a_field_without_colon_as_an_empty_value(void**) {
  expect("data\n\ndata\ndata\n\nevent\ndata: x\n\n", {"message||", "message|\n|", "message|x|"});
}

static void sse_tokenizer_strips_exactly_one_space_after_the_colon(void**) {
  expect("data:x\n\ndata: x\n\ndata:  x\n\ndata:\tx\n\n",
         {"message|x|", "message|x|", "message| x|", "message|\tx|"});
}

static void sse_tokenizer_keeps_colons_inside_the_value(void**) {
  expect("data: {\"a\": \"b:c\"}\n\n", {"message|{\"a\": \"b:c\"}|"});
}

static void sse_tokenizer_joins_multiple_data_lines_with_lf(void**) {
  expect("data: one\ndata: two\ndata:\ndata: four\n\n", {"message|one\ntwo\n\nfour|"});
}

static void sse_tokenizer_dispatches_empty_data_for_a_lone_data_colon(void**) {
  expect("data:\n\n", {"message||"});
}

static void sse_tokenizer_fires_nothing_for_an_event_without_data(void**) {
  expect("event: output\n\nid: 7\n\n:comment\n\n\n\n", {});
}

static void sse_tokenizer_defaults_the_event_type_to_message(void**) {
  expect("data: 1\n\nevent:\ndata: 2\n\nevent: \ndata: 3\n\n",
         {"message|1|", "message|2|", "message|3|"});
}

static void sse_tokenizer_forgets_the_event_type_after_each_event(void**) {
  expect("event: logs\ndata: 1\n\ndata: 2\n\nevent: x\n\ndata: 3\n\n",
         {"logs|1|", "message|2|", "message|3|"});
}

static void sse_tokenizer_uses_the_last_event_field_of_an_event(void**) {
  expect("event: a\ndata: 1\nevent: b\n\n", {"b|1|"});
}

static void sse_tokenizer_ignores_unknown_fields(void**) {
  expect("foo: bar\ndata: 1\nDATA: 2\nData: 3\ndatax: 4\ndat: 5\nidx: 9\nevents: e\n\n",
         {"message|1|"});
}

static void sse_tokenizer_ignores_blank_lines_between_events(void**) {
  expect("\n\n\ndata: 1\n\n\n\ndata: 2\n\n", {"message|1|", "message|2|"});
}

// --- id ------------------------------------------------------------------------------------------

static void sse_tokenizer_keeps_the_last_event_id_across_events(void**) {
  expect("id: 1690212292:0\ndata: a\n\ndata: b\n\nid: 1690212293:0\ndata: c\n\n",
         {"message|a|1690212292:0", "message|b|1690212292:0", "message|c|1690212293:0"});
}

static void sse_tokenizer_ignores_an_id_containing_nul(void**) {
  expect(bytes_of("id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n"), {"message|a|1", "message|b|1"});
}

static void sse_tokenizer_sets_the_id_even_for_an_event_without_data(void**) {
  expect("id: 5\n\ndata: x\n\n", {"message|x|5"});
}

static void sse_tokenizer_clears_the_last_event_id_with_an_empty_id(void**) {
  expect("id: 5\ndata: a\n\nid\ndata: b\n\nid: 6\n\nid:\ndata: c\n\n",
         {"message|a|5", "message|b|", "message|c|"});
}

static void sse_tokenizer_keeps_the_id_of_a_later_line_over_an_earlier_one(void**) {
  expect(bytes_of("id: 1\nid: 2\nid: 3\0\ndata: a\n\n"), {"message|a|2"});
}

static void sse_tokenizer_rejects_an_id_longer_than_its_capacity(void**) {
  const std::string fits(REPLICATE_SSE_ID_CAPACITY, 'i');
  expect("id: " + fits + "\ndata: a\n\n", {"message|a|" + fits});
  const std::string too_long(REPLICATE_SSE_ID_CAPACITY + 1, 'i');
  expect("data: a\n\nid: " + too_long + "\ndata: b\n\n", {"message|a|", "error=id_too_large"});
  // A NUL anywhere makes the id ignored, however long.
  expect("id: " + too_long + std::string(1, '\0') + "\ndata: b\n\n", {"message|b|"});
}

static void sse_tokenizer_reports_the_last_event_id_through_its_accessor(void**) {
  collector c;
  sse_tokenizer t;
  char carry[64];
  sse_tokenizer_init(&t, carry, sizeof carry, &callbacks, &c);
  const char input[] = "id: 1690212292:4\ndata: a\n\nid: 1690212292:5\ndata: b";
  assert_int_equal(static_cast<int>(sse_tokenizer_feed(&t, input, sizeof input - 1).status), 0);
  assert_true(sse_tokenizer_last_event_id(&t) == "1690212292:4");
  // The unterminated event's id never becomes the last event id.
  assert_int_equal(static_cast<int>(sse_tokenizer_finish(&t)), 0);
  assert_true(sse_tokenizer_last_event_id(&t) == "1690212292:4");
}

// --- retry ---------------------------------------------------------------------------------------

static void sse_tokenizer_reports_a_retry_made_of_ascii_digits(void**) {
  expect("retry: 3000\ndata: a\nretry:10\n\n", {"retry=3000", "retry=10", "message|a|"});
  collector c;
  sse_tokenizer t;
  sse_tokenizer_init(&t, nullptr, 0, &callbacks, &c);
  assert_false(sse_tokenizer_retry(&t).has_value());
  const char input[] = "retry: 2500\n";
  assert_int_equal(static_cast<int>(sse_tokenizer_feed(&t, input, sizeof input - 1).status), 0);
  assert_true(sse_tokenizer_retry(&t) == std::chrono::milliseconds(2500));
}

static void sse_tokenizer_ignores_a_retry_that_is_not_all_digits(void**) {
  expect("retry: 10a\nretry: -1\nretry:\nretry: 1 0\nretry:  5\nretry: 1.5\nretry\ndata: a\n\n",
         {"message|a|"});
}

static void sse_tokenizer_saturates_a_retry_too_large_for_milliseconds(void**) {
  expect("retry: 99999999999999999999999\n", {"retry=9223372036854775807"});
}

// --- end of stream -------------------------------------------------------------------------------

static void sse_tokenizer_discards_an_unterminated_final_event(void**) {
  expect("data: a\n\ndata: b\n", {"message|a|"});
  expect("data: a\n\ndata: b", {"message|a|"});
}

static void sse_tokenizer_reset_keeps_the_last_event_id_and_retry(void**) {
  collector c;
  char carry[64];
  sse_tokenizer t;
  sse_tokenizer_init(&t, carry, sizeof carry, &callbacks, &c);
  const char first[] = "retry: 700\nid: 9\ndata: a\n\nid: 10\ndata: par";
  assert_int_equal(static_cast<int>(sse_tokenizer_feed(&t, first, sizeof first - 1).status), 0);
  sse_tokenizer_reset(&t);
  assert_true(sse_tokenizer_last_event_id(&t) == "9");
  assert_true(sse_tokenizer_retry(&t) == std::chrono::milliseconds(700));
  // The new response starts afresh: its BOM is stripped, the old partial line is gone.
  const char second[] = "\xEF\xBB\xBFtial\ndata: b\n\n";
  assert_int_equal(static_cast<int>(sse_tokenizer_feed(&t, second, sizeof second - 1).status), 0);
  assert_true(c.out == (std::vector<std::string>{"retry=700", "message|a|9", "message|b|9"}));
}

// --- Replicate -----------------------------------------------------------------------------------

static void sse_tokenizer_parses_replicate_prediction_streams(void**) {
  expect(
      "event: output\nid: 1690212292:0\ndata: Once upon a time...\n\n"
      "event: logs\nid: 1690212292:1\ndata: step 1/2\n\n"
      "event: output\nid: 1690212293:0\ndata: The End.\n\n"
      "event: done\nid: 1690212293:1\ndata: {}\n\n",
      {"output|Once upon a time...|1690212292:0", "logs|step 1/2|1690212292:1",
       "output|The End.|1690212293:0", "done|{}|1690212293:1"});
}

static void sse_tokenizer_parses_replicate_error_then_done(void**) {
  expect(
      "event: output\r\nid: 1690212292:0\r\ndata: partial\r\n\r\n"
      "event: error\r\nid: 1690212292:1\r\ndata: {\"detail\": \"Something went wrong\"}\r\n\r\n"
      "event: done\r\nid: 1690212292:2\r\ndata: {\"reason\": \"error\"}\r\n\r\n"
      ":408: 408 Request Timeout\r\n",
      {"output|partial|1690212292:0", "error|{\"detail\": \"Something went wrong\"}|1690212292:1",
       "done|{\"reason\": \"error\"}|1690212292:2"});
}

// --- sizes ---------------------------------------------------------------------------------------

static void sse_tokenizer_accepts_an_event_exactly_the_carry_size(void**) {
  // data "0123456789" + type "output" = 16 bytes.
  expect("event: output\ndata: 0123456789\n\n", {"output|0123456789|"}, 16);
  expect("data: 01234\ndata: 6789\nevent: output\n\n", {"output|01234\n6789|"}, 16);
}

static void sse_tokenizer_rejects_an_event_larger_than_the_carry(void**) {
  expect("data: ok\n\nevent: output\ndata: 0123456789A\n\ndata: never\n\n",
         {"message|ok|", "error=event_too_large"}, 16);
  // Checked even when the event lies whole in one chunk, so chunking never changes the outcome.
  expect("data: 0123456789ABCDEFG\n\n", {"error=event_too_large"}, 16);
  // Multi-line data is joined in the carry, LFs included.
  expect("data: 01234567\ndata: 01234567\n\n", {"error=event_too_large"}, 16);
  expect("data: 0123456789\nevent: output1\nevent: x\n\n", {"error=event_too_large"}, 16);
  expect("data: a\n\n", {"error=event_too_large"}, 0);
}

static void sse_tokenizer_keeps_the_error_sticky_until_reset(void**) {
  collector c;
  char carry[4];
  sse_tokenizer t;
  sse_tokenizer_init(&t, carry, sizeof carry, &callbacks, &c);
  const char big[] = "data: 12345\n\n";
  sse_result r = sse_tokenizer_feed(&t, big, sizeof big - 1);
  assert_int_equal(static_cast<int>(r.status), static_cast<int>(sse_status::event_too_large));
  const char small[] = "data: 1\n\n";
  r = sse_tokenizer_feed(&t, small, sizeof small - 1);
  assert_int_equal(static_cast<int>(r.status), static_cast<int>(sse_status::event_too_large));
  assert_int_equal(r.consumed, 0);
  assert_int_equal(static_cast<int>(sse_tokenizer_finish(&t)),
                   static_cast<int>(sse_status::event_too_large));
  sse_tokenizer_reset(&t);
  r = sse_tokenizer_feed(&t, small, sizeof small - 1);
  assert_int_equal(static_cast<int>(r.status), 0);
  assert_true(c.out == std::vector<std::string>{"message|1|"});
}

static void sse_tokenizer_never_lets_comments_or_unknown_fields_fill_the_carry(void**) {
  std::string input;
  for (int i = 0; i < 200; ++i) input += ": keep-alive\nunknown: field\nid: 1\nretry: 5\n";
  input += "data: ok\n\n";
  std::vector<std::string> want;
  for (int i = 0; i < 200; ++i) want.push_back("retry=5");
  want.push_back("message|ok|1");
  std::vector<std::string> bytes;
  for (char ch : input) bytes.emplace_back(1, ch);
  assert_true(run(bytes, 2, false) == want);
  assert_true(run({input}, 2, false) == want);
}

static std::string big_payload(std::size_t n) {
  std::string s(n, 'x');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7919) % 26);
  return s;
}

static void sse_tokenizer_parses_a_multi_megabyte_event_in_one_chunk_without_copying(void**) {
  const std::string payload = big_payload(5 << 20);
  const std::string input = "event: output\nid: 1690212292:0\ndata: " + payload + "\n\n";
  struct seen {
    const char* data = nullptr;
    std::size_t len = 0;
    bool same = false;
    const std::string* want = nullptr;
  } s;
  s.want = &payload;
  sse_callbacks cb = {[](void* u, const sse_event& e) {
                        auto* p = static_cast<seen*>(u);
                        p->data = e.data.data();
                        p->len = e.data.size();
                        p->same = e.data == *p->want;
                        return sse_action::proceed;
                      },
                      nullptr};
  std::vector<char> carry(payload.size() + 6);
  sse_tokenizer t;
  sse_tokenizer_init(&t, carry.data(), carry.size(), &cb, &s);
  sse_result r = sse_tokenizer_feed(&t, input.data(), input.size());
  assert_int_equal(static_cast<int>(r.status), 0);
  assert_true(s.same);
  assert_ptr_equal(s.data, input.data() + 37);
}

static void sse_tokenizer_assembles_a_multi_megabyte_event_across_chunks_in_the_carry(void**) {
  const std::string payload = big_payload(5 << 20);
  const std::string input = "event: output\nid: 1690212292:0\ndata: " + payload + "\n\n";
  for (std::size_t chunk : {std::size_t{97}, std::size_t{16384}, std::size_t{65536}}) {
    std::vector<std::string> chunks;
    for (std::size_t i = 0; i < input.size(); i += chunk) chunks.push_back(input.substr(i, chunk));
    std::vector<std::string> got = run(chunks, payload.size() + 6, false);
    assert_int_equal(got.size(), 1);
    assert_true(got[0] == "output|" + payload + "|1690212292:0");
    got = run(chunks, payload.size() + 5, false);
    assert_true(got == std::vector<std::string>{"error=event_too_large"});
  }
}

// --- pause and stop ------------------------------------------------------------------------------

static void sse_tokenizer_pause_returns_bytes_consumed_through_the_blank_line(void**) {
  collector c;
  c.pause_each_event = true;
  char carry[64];
  sse_tokenizer t;
  sse_tokenizer_init(&t, carry, sizeof carry, &callbacks, &c);
  const std::string input = "data: a\n\ndata: b\r\n\r\ndata: c\r\rdata: d";
  sse_result r = sse_tokenizer_feed(&t, input.data(), input.size());
  assert_int_equal(static_cast<int>(r.status), static_cast<int>(sse_status::paused));
  assert_int_equal(r.consumed, 9);
  r = sse_tokenizer_feed(&t, input.data() + 9, input.size() - 9);
  assert_int_equal(static_cast<int>(r.status), static_cast<int>(sse_status::paused));
  assert_int_equal(r.consumed, 11);
  r = sse_tokenizer_feed(&t, input.data() + 20, input.size() - 20);
  assert_int_equal(static_cast<int>(r.status), static_cast<int>(sse_status::paused));
  assert_int_equal(r.consumed, 9);
  r = sse_tokenizer_feed(&t, input.data() + 29, input.size() - 29);
  assert_int_equal(static_cast<int>(r.status), 0);
  assert_int_equal(r.consumed, input.size() - 29);
  assert_true(c.out == (std::vector<std::string>{"message|a|", "message|b|", "message|c|"}));
}

static void sse_tokenizer_pause_on_a_cr_at_the_chunk_end_still_skips_the_next_lf(void**) {
  collector c;
  c.pause_each_event = true;
  char carry[64];
  sse_tokenizer t;
  sse_tokenizer_init(&t, carry, sizeof carry, &callbacks, &c);
  const char first[] = "data: a\r\n\r";
  sse_result r = sse_tokenizer_feed(&t, first, sizeof first - 1);
  assert_int_equal(static_cast<int>(r.status), static_cast<int>(sse_status::paused));
  assert_int_equal(r.consumed, sizeof first - 1);
  const char second[] = "\ndata: b\r\n\r\n";
  r = sse_tokenizer_feed(&t, second, sizeof second - 1);
  assert_int_equal(static_cast<int>(r.status), static_cast<int>(sse_status::paused));
  assert_int_equal(r.consumed, sizeof second - 1);
  assert_true(c.out == (std::vector<std::string>{"message|a|", "message|b|"}));
}

static void sse_tokenizer_pause_from_retry_keeps_the_event_in_progress(void**) {
  collector c;
  c.pause_each_retry = true;
  char carry[64];
  sse_tokenizer t;
  sse_tokenizer_init(&t, carry, sizeof carry, &callbacks, &c);
  std::string input = "event: output\nid: 4\ndata: a\nretry: 10\ndata: b\n\n";
  sse_result r = sse_tokenizer_feed(&t, input.data(), input.size());
  assert_int_equal(static_cast<int>(r.status), static_cast<int>(sse_status::paused));
  assert_int_equal(r.consumed, 38);
  // The event's views were copied out: the chunk can go.
  std::string rest = input.substr(r.consumed);
  std::fill(input.begin(), input.end(), '#');
  r = sse_tokenizer_feed(&t, rest.data(), rest.size());
  assert_int_equal(static_cast<int>(r.status), 0);
  assert_true(c.out == (std::vector<std::string>{"retry=10", "output|a\nb|4"}));
}

static void sse_tokenizer_stop_is_sticky_until_reset(void**) {
  collector c;
  c.stop_at_event = true;
  c.stop_after = 1;
  char carry[64];
  sse_tokenizer t;
  sse_tokenizer_init(&t, carry, sizeof carry, &callbacks, &c);
  const char input[] = "data: a\n\ndata: b\n\ndata: c\n\n";
  sse_result r = sse_tokenizer_feed(&t, input, sizeof input - 1);
  assert_int_equal(static_cast<int>(r.status), static_cast<int>(sse_status::stopped));
  assert_int_equal(r.consumed, 18);
  r = sse_tokenizer_feed(&t, input + 18, sizeof input - 19);
  assert_int_equal(static_cast<int>(r.status), static_cast<int>(sse_status::stopped));
  assert_int_equal(r.consumed, 0);
  assert_int_equal(c.out.size(), 2);
}

static void sse_tokenizer_names_every_status(void**) {
  assert_true(sse_status_name(sse_status::ok) == "ok");
  assert_true(sse_status_name(sse_status::paused) == "paused");
  assert_true(sse_status_name(sse_status::event_too_large) == "event_too_large");
  assert_true(sse_status_name(sse_status::id_too_large) == "id_too_large");
  assert_true(sse_status_name(sse_status::stopped) == "stopped");
  assert_true(sse_status_name(static_cast<sse_status>(200)) == "unknown");
}

// --- everything at once --------------------------------------------------------------------------

static void sse_tokenizer_gives_the_same_events_for_every_chunking_of_a_mixed_stream(void**) {
  expect(
      "\xEF\xBB\xBF: hello\r\nretry: 1500\r\nevent: output\nid: 1690212292:0\rdata: one\r\n"
      "data:two\r\n\r\ndata\nid\n\nevent: done\ndata: {}\r\rdata: tail",
      {"retry=1500", "output|one\ntwo|1690212292:0", "message||", "done|{}|"}, 64);
}

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(sse_tokenizer_dispatches_an_event_on_a_blank_line),
      cmocka_unit_test(sse_tokenizer_joins_line_split_across_chunks),
      cmocka_unit_test(sse_tokenizer_reports_views_into_the_chunk_when_the_event_is_inside_it),
      cmocka_unit_test(sse_tokenizer_fires_nothing_before_the_blank_line),
      cmocka_unit_test(sse_tokenizer_treats_feeding_zero_bytes_as_a_no_op),
      cmocka_unit_test(sse_tokenizer_accepts_crlf_line_ends),
      cmocka_unit_test(sse_tokenizer_accepts_cr_line_ends),
      cmocka_unit_test(sse_tokenizer_accepts_mixed_line_ends_in_one_stream),
      cmocka_unit_test(sse_tokenizer_counts_cr_at_chunk_end_and_lf_at_next_start_as_one_line_end),
      cmocka_unit_test(sse_tokenizer_treats_cr_cr_as_two_line_ends),
      cmocka_unit_test(sse_tokenizer_strips_one_leading_bom),
      cmocka_unit_test(sse_tokenizer_strips_a_bom_split_across_chunks),
      cmocka_unit_test(sse_tokenizer_keeps_a_second_bom_as_part_of_the_field_name),
      cmocka_unit_test(sse_tokenizer_keeps_a_bom_after_the_first_line),
      cmocka_unit_test(sse_tokenizer_ignores_a_first_line_starting_with_part_of_a_bom),
      cmocka_unit_test(sse_tokenizer_ignores_comment_lines),
      cmocka_unit_test(sse_tokenizer_treats_a_field_without_colon_as_an_empty_value),
      cmocka_unit_test(sse_tokenizer_strips_exactly_one_space_after_the_colon),
      cmocka_unit_test(sse_tokenizer_keeps_colons_inside_the_value),
      cmocka_unit_test(sse_tokenizer_joins_multiple_data_lines_with_lf),
      cmocka_unit_test(sse_tokenizer_dispatches_empty_data_for_a_lone_data_colon),
      cmocka_unit_test(sse_tokenizer_fires_nothing_for_an_event_without_data),
      cmocka_unit_test(sse_tokenizer_defaults_the_event_type_to_message),
      cmocka_unit_test(sse_tokenizer_forgets_the_event_type_after_each_event),
      cmocka_unit_test(sse_tokenizer_uses_the_last_event_field_of_an_event),
      cmocka_unit_test(sse_tokenizer_ignores_unknown_fields),
      cmocka_unit_test(sse_tokenizer_ignores_blank_lines_between_events),
      cmocka_unit_test(sse_tokenizer_keeps_the_last_event_id_across_events),
      cmocka_unit_test(sse_tokenizer_ignores_an_id_containing_nul),
      cmocka_unit_test(sse_tokenizer_sets_the_id_even_for_an_event_without_data),
      cmocka_unit_test(sse_tokenizer_clears_the_last_event_id_with_an_empty_id),
      cmocka_unit_test(sse_tokenizer_keeps_the_id_of_a_later_line_over_an_earlier_one),
      cmocka_unit_test(sse_tokenizer_rejects_an_id_longer_than_its_capacity),
      cmocka_unit_test(sse_tokenizer_reports_the_last_event_id_through_its_accessor),
      cmocka_unit_test(sse_tokenizer_reports_a_retry_made_of_ascii_digits),
      cmocka_unit_test(sse_tokenizer_ignores_a_retry_that_is_not_all_digits),
      cmocka_unit_test(sse_tokenizer_saturates_a_retry_too_large_for_milliseconds),
      cmocka_unit_test(sse_tokenizer_discards_an_unterminated_final_event),
      cmocka_unit_test(sse_tokenizer_reset_keeps_the_last_event_id_and_retry),
      cmocka_unit_test(sse_tokenizer_parses_replicate_prediction_streams),
      cmocka_unit_test(sse_tokenizer_parses_replicate_error_then_done),
      cmocka_unit_test(sse_tokenizer_accepts_an_event_exactly_the_carry_size),
      cmocka_unit_test(sse_tokenizer_rejects_an_event_larger_than_the_carry),
      cmocka_unit_test(sse_tokenizer_keeps_the_error_sticky_until_reset),
      cmocka_unit_test(sse_tokenizer_never_lets_comments_or_unknown_fields_fill_the_carry),
      cmocka_unit_test(sse_tokenizer_parses_a_multi_megabyte_event_in_one_chunk_without_copying),
      cmocka_unit_test(sse_tokenizer_assembles_a_multi_megabyte_event_across_chunks_in_the_carry),
      cmocka_unit_test(sse_tokenizer_pause_returns_bytes_consumed_through_the_blank_line),
      cmocka_unit_test(sse_tokenizer_pause_on_a_cr_at_the_chunk_end_still_skips_the_next_lf),
      cmocka_unit_test(sse_tokenizer_pause_from_retry_keeps_the_event_in_progress),
      cmocka_unit_test(sse_tokenizer_stop_is_sticky_until_reset),
      cmocka_unit_test(sse_tokenizer_names_every_status),
      cmocka_unit_test(sse_tokenizer_gives_the_same_events_for_every_chunking_of_a_mixed_stream),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
