// json_elide drops the top-level "input" value from a streamed JSON object, at any chunking.
#include "json/elide.hpp"

#include <string>

#include "support/test_main.hpp"

using replicate::detail::json_elide;
using replicate::detail::json_elide_feed;

// Feeds text in two chunks split at `split` (or whole when split == npos).
static std::string filter(const std::string& text, std::size_t split, bool* elided = nullptr) {
  json_elide f;
  std::string out(text.size() + 4, '\0');
  std::size_t n = 0;
  if (split == std::string::npos || split > text.size()) split = text.size();
  n += json_elide_feed(&f, text.data(), split, &out[n]);
  n += json_elide_feed(&f, text.data() + split, text.size() - split, &out[n]);
  out.resize(n);
  if (elided != nullptr) *elided = f.elided;
  return out;
}

static void expect_at_every_split(const std::string& in, const std::string& expected) {
  for (std::size_t split = 0; split <= in.size(); ++split)
    assert_string_equal(filter(in, split).c_str(), expected.c_str());
}

static void elide_replaces_an_object_input_at_every_split(void**) {
  expect_at_every_split(
      R"({"id":"abc","input":{"image":"data:image/jpeg;base64,AAAA","n":[1,{"x":"}"}]},"status":"ok"})",
      R"({"id":"abc","input":{},"status":"ok"})");
}

static void elide_handles_strings_with_braces_quotes_and_escapes(void**) {
  expect_at_every_split(R"({"input":{"t":"a\"}{\\"},"output":"input"})",
                        R"({"input":{},"output":"input"})");
}

static void elide_replaces_scalar_string_and_null_inputs(void**) {
  expect_at_every_split(R"({"input": "big string", "id": 1})", R"({"input":{}, "id": 1})");
  expect_at_every_split(R"({"input":null,"id":1})", R"({"input":{},"id":1})");
  expect_at_every_split(R"({"input":42})", R"({"input":{}})");
}

static void elide_leaves_nested_and_lookalike_keys_alone(void**) {
  std::string in = R"({"urls":{"input":{"a":1}},"inputs":{"b":2},"x":["input",{"input":3}]})";
  bool elided = true;
  assert_string_equal(filter(in, std::string::npos, &elided).c_str(), in.c_str());
  assert_false(elided);
  expect_at_every_split(in, in);
}

static void elide_passes_a_response_without_input_unchanged(void**) {
  std::string in = "{\n  \"id\" : \"x\",\n  \"status\" : \"succeeded\"\n}";
  expect_at_every_split(in, in);
}

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(elide_replaces_an_object_input_at_every_split),
      cmocka_unit_test(elide_handles_strings_with_braces_quotes_and_escapes),
      cmocka_unit_test(elide_replaces_scalar_string_and_null_inputs),
      cmocka_unit_test(elide_leaves_nested_and_lookalike_keys_alone),
      cmocka_unit_test(elide_passes_a_response_without_input_unchanged),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
