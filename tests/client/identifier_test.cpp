#include "api/identifier.hpp"

#include <string>

#include "api/validate.hpp"
#include "support/test_main.hpp"

using namespace replicate;
using namespace replicate::detail;

static const std::string version(64, 'a');

static void identifier_parses_owner_name(void**) {
  model_identifier id;
  assert_false(static_cast<bool>(identifier_parse("stability-ai/sdxl", &id)));
  assert_int_equal(static_cast<int>(id.kind), static_cast<int>(identifier_kind::model));
  assert_true(id.owner == "stability-ai");
  assert_true(id.name == "sdxl");
}

static void identifier_parses_owner_name_version_and_bare_version(void**) {
  model_identifier id;
  std::string text = "replicate/hello-world:" + version;
  assert_false(static_cast<bool>(identifier_parse(text, &id)));
  assert_int_equal(static_cast<int>(id.kind), static_cast<int>(identifier_kind::model_version));
  assert_true(id.version == version);
  assert_false(static_cast<bool>(identifier_parse(version, &id)));
  assert_int_equal(static_cast<int>(id.kind), static_cast<int>(identifier_kind::version));
}

static void identifier_parses_deployments(void**) {
  model_identifier id;
  assert_false(static_cast<bool>(identifier_parse("deployments/acme/my-app", &id)));
  assert_int_equal(static_cast<int>(id.kind), static_cast<int>(identifier_kind::deployment));
  assert_true(id.owner == "acme" && id.name == "my-app");
}

static void identifier_rejects_malformed_text_with_a_clear_error(void**) {
  model_identifier id;
  for (const char* bad :
       {"", "noslash", "/name", "owner/", "owner/name:short", "a/b/c", "owner/na me",
        "owner/name:"
        "zz",
        "deployments/a/b:v"}) {
    error e = identifier_parse(bad, &id);
    assert_int_equal(static_cast<int>(e.code), static_cast<int>(errc::invalid_identifier));
    assert_true(e.detail[0] != '\0');
  }
}

static void webhook_and_events_are_validated_before_sending(void**) {
  assert_false(static_cast<bool>(validate_webhook("https://example.com/hook?id=1")));
  assert_int_equal(static_cast<int>(validate_webhook("ftp://x/y").code),
                   static_cast<int>(errc::invalid_webhook));
  assert_int_equal(static_cast<int>(validate_webhook("not a url").code),
                   static_cast<int>(errc::invalid_webhook));
  std::string_view good[] = {"start", "completed"};
  assert_false(static_cast<bool>(validate_webhook_events(good, 2)));
  std::string_view bad[] = {"start", "finished"};
  assert_int_equal(static_cast<int>(validate_webhook_events(bad, 2).code),
                   static_cast<int>(errc::invalid_webhook_event));
}

static void cancel_after_accepts_durations_of_at_least_five_seconds(void**) {
  for (const char* ok : {"", "5", "30s", "5m", "1h30m45s", "2h", "1m5s"})
    assert_false(static_cast<bool>(validate_cancel_after(ok)));
  for (const char* bad : {"4", "4s", "abc", "5x", "m", "30s5m", "1h1h", "5m30", "-5s"})
    assert_true(static_cast<bool>(validate_cancel_after(bad)));
}

static void create_rejects_input_that_is_not_a_json_object(void**) {
  prediction_create_params p;
  p.input_json = "[1,2]";
  assert_int_equal(static_cast<int>(validate_create(p).code), static_cast<int>(errc::invalid_json));
  p.input_json = "{\"text\": ";
  assert_int_equal(static_cast<int>(validate_create(p).code), static_cast<int>(errc::invalid_json));
  p.input_json = "{\"text\": \"hi\"}";
  assert_false(static_cast<bool>(validate_create(p)));
  p.prefer_wait = std::chrono::seconds(61);
  assert_true(static_cast<bool>(validate_create(p)));
}

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(identifier_parses_owner_name),
      cmocka_unit_test(identifier_parses_owner_name_version_and_bare_version),
      cmocka_unit_test(identifier_parses_deployments),
      cmocka_unit_test(identifier_rejects_malformed_text_with_a_clear_error),
      cmocka_unit_test(webhook_and_events_are_validated_before_sending),
      cmocka_unit_test(cancel_after_accepts_durations_of_at_least_five_seconds),
      cmocka_unit_test(create_rejects_input_that_is_not_a_json_object),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
