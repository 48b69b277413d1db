// webhook_verify and webhook_sign. Expected signatures come from ENDPOINTS.md §6, the published
// Svix / Standard Webhooks vector, and openssl:
//   printf '%s' "$id.$ts.$body" | openssl dgst -sha256 -mac HMAC -macopt hexkey:<key> -binary |
//   base64
#include "replicate/webhook.hpp"

#include <cstring>
#include <string>

#include "support/test_main.hpp"

using namespace replicate;

static const char* const secret = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
static const char* const body = R"({"id":"gm3qorzdhgbfurvjtvhg6dckhu","status":"succeeded"})";
static const char* const good = "v1,ScP3xrB++r0l2qOfwxGAUIvm1m98Y5ZiXxJXsJZtG/A=";
static const std::int64_t sent_at = 1700000000;

static webhook_verify_options at(std::int64_t now, std::int64_t tolerance = 300) {
  webhook_verify_options o;
  o.now_unix = now;
  o.tolerance = std::chrono::seconds(tolerance);
  return o;
}

static errc verify(std::string_view key, std::string_view id, std::string_view ts,
                   std::string_view sig, std::string_view raw,
                   webhook_verify_options o = at(sent_at)) {
  error e = webhook_verify(key, webhook_headers{id, ts, sig}, raw, o);
  if (e) assert_true(e.detail[0] != '\0');  // every failure says which part failed
  return e.code;
}

#define assert_errc(actual, expected) \
  assert_int_equal(static_cast<int>(actual), static_cast<int>(expected))

static void webhook_verify_accepts_the_endpoints_md_vector(void**) {
  assert_errc(verify(secret, "test-id-1", "1700000000", good, body), errc::ok);
}

static void webhook_verify_accepts_the_published_standard_webhooks_vector(void**) {
  assert_errc(verify("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                     "1614265330", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                     R"({"test": 2432232314})", at(1614265330)),
              errc::ok);
}

static void webhook_verify_accepts_openssl_vectors_for_edge_bodies(void**) {
  assert_errc(verify(secret, "test-id-1", "1700000000",
                     "v1,cVZlpMTxtxDqJLMPcaZDiWAB2olaTlXc9o0zbUuWepM=", ""),
              errc::ok);
  std::string with_newline = std::string(body) + "\n";
  assert_errc(verify(secret, "test-id-1", "1700000000",
                     "v1,d54rntdO+WBvw4F88n4MIa1NSPW18hDrLNGNhBZTsvc=", with_newline),
              errc::ok);
  assert_errc(verify(secret, "msg_big", "1700000000",
                     "v1,/R+EhlVVq4NVjNwgeNAvpW7AYJupBlwWNeCR7enwtD0=", std::string(100000, 'x')),
              errc::ok);
}

static void webhook_verify_signs_the_timestamp_text_as_sent(void**) {
  // Leading zeros are part of the signed content, not re-formatted away.
  assert_errc(verify(secret, "msg_2", "0001700000000",
                     "v1,YyWN8UcQjkqlhWwzaHvhh++e1TwhHgb/lxya+LwMnOQ=", "{}"),
              errc::ok);
}

static void webhook_verify_accepts_a_matching_entry_among_several(void**) {
  std::string sig =
      std::string("v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v2,whatever ") + good;
  assert_errc(verify(secret, "test-id-1", "1700000000", sig, body), errc::ok);
  std::string first = std::string(good) + " v1,AAAA";
  assert_errc(verify(secret, "test-id-1", "1700000000", first, body), errc::ok);
}

static void webhook_verify_tolerates_extra_spaces_between_entries(void**) {
  std::string sig = std::string("  v1,AAAA   ") + good + " ";
  assert_errc(verify(secret, "test-id-1", "1700000000", sig, body), errc::ok);
}

static void webhook_verify_ignores_entries_of_other_versions(void**) {
  std::string v2 = std::string("v2,") + (good + 3);
  assert_errc(verify(secret, "test-id-1", "1700000000", v2, body), errc::webhook_signature_invalid);
  std::string v1a = std::string("v1a,") + (good + 3) + " V1," + (good + 3);
  assert_errc(verify(secret, "test-id-1", "1700000000", v1a, body),
              errc::webhook_signature_invalid);
}

static void webhook_verify_rejects_a_tampered_body(void**) {
  std::string tampered = body;
  tampered[tampered.find("succeeded")] = 'S';
  assert_errc(verify(secret, "test-id-1", "1700000000", good, tampered),
              errc::webhook_signature_invalid);
}

static void webhook_verify_rejects_a_tampered_id(void**) {
  assert_errc(verify(secret, "test-id-2", "1700000000", good, body),
              errc::webhook_signature_invalid);
}

static void webhook_verify_rejects_a_tampered_timestamp_inside_the_tolerance(void**) {
  assert_errc(verify(secret, "test-id-1", "1700000001", good, body),
              errc::webhook_signature_invalid);
}

static void webhook_verify_rejects_a_signature_under_another_secret(void**) {
  assert_errc(
      verify("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "test-id-1", "1700000000", good, body),
      errc::webhook_signature_invalid);
}

static void webhook_verify_rejects_a_signature_that_differs_in_one_character(void**) {
  std::string sig = good;
  sig[10] = sig[10] == 'A' ? 'B' : 'A';
  assert_errc(verify(secret, "test-id-1", "1700000000", sig, body),
              errc::webhook_signature_invalid);
  std::string truncated(good, std::strlen(good) - 4);
  assert_errc(verify(secret, "test-id-1", "1700000000", truncated, body),
              errc::webhook_signature_invalid);
}

static void webhook_verify_rejects_timestamps_outside_the_tolerance_either_way(void**) {
  assert_errc(verify(secret, "test-id-1", "1700000000", good, body, at(sent_at + 301)),
              errc::webhook_timestamp_invalid);
  assert_errc(verify(secret, "test-id-1", "1700000000", good, body, at(sent_at - 301)),
              errc::webhook_timestamp_invalid);
}

static void webhook_verify_accepts_timestamps_at_the_tolerance_edge(void**) {
  assert_errc(verify(secret, "test-id-1", "1700000000", good, body, at(sent_at + 300)), errc::ok);
  assert_errc(verify(secret, "test-id-1", "1700000000", good, body, at(sent_at - 300)), errc::ok);
}

static void webhook_verify_with_zero_tolerance_skips_the_time_check(void**) {
  assert_errc(verify(secret, "test-id-1", "1700000000", good, body, at(4000000000, 0)), errc::ok);
}

static void webhook_verify_uses_the_system_clock_when_now_is_zero(void**) {
  // The vector is from November 2023: long outside 5 minutes of today's clock.
  assert_errc(verify(secret, "test-id-1", "1700000000", good, body, at(0)),
              errc::webhook_timestamp_invalid);
}

static void webhook_verify_rejects_a_negative_tolerance_or_clock(void**) {
  assert_errc(verify(secret, "test-id-1", "1700000000", good, body, at(sent_at, -1)),
              errc::invalid_argument);
  assert_errc(verify(secret, "test-id-1", "1700000000", good, body, at(-5)),
              errc::invalid_argument);
}

static void webhook_verify_rejects_timestamps_that_are_not_digits(void**) {
  for (const char* ts :
       {"", " 1700000000", "1700000000 ", "+1700000000", "-1700000000", "1700000000.5", "1.7e9",
        "0x6553f100", "99999999999999999999", "9223372036854775808"})
    assert_errc(verify(secret, "test-id-1", ts, good, body, at(sent_at, 0)),
                errc::webhook_timestamp_invalid);
}

static void webhook_verify_rejects_secrets_without_the_whsec_prefix(void**) {
  for (const char* key :
       {"", "C2FVsBQIhrscChlQIMV+b5sSYspob7oD", "WHSEC_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
        "whsec-C2FVsBQIhrscChlQIMV+b5sSYspob7oD", "whsec"})
    assert_errc(verify(key, "test-id-1", "1700000000", good, body), errc::webhook_header_invalid);
}

static void webhook_verify_rejects_secrets_that_are_not_strict_base64(void**) {
  for (const char* key :
       {"whsec_", "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7o", "whsec_C2FVsBQIhrscChlQIMV-b5sSYspob7oD",
        "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD\n", "whsec_C2FVsBQIhrsc ChlQIMV+b5sSYspob7oD",
        "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD="})
    assert_errc(verify(key, "test-id-1", "1700000000", good, body), errc::webhook_header_invalid);
  std::string huge = "whsec_" + std::string(webhook_secret_max + 4, 'A');
  assert_errc(verify(huge, "test-id-1", "1700000000", good, body), errc::webhook_header_invalid);
}

static void webhook_verify_rejects_an_empty_or_oversized_id(void**) {
  assert_errc(verify(secret, "", "1700000000", good, body), errc::webhook_header_invalid);
  std::string long_id(webhook_id_max + 1, 'm');
  assert_errc(verify(secret, long_id, "1700000000", good, body), errc::webhook_header_invalid);
}

static void webhook_verify_rejects_malformed_signature_entries(void**) {
  std::string g = good;
  for (std::string sig :
       {std::string(""), std::string("   "), std::string("v1"),
        std::string("ScP3xrB++r0l2qOfwxGAUIvm1m98Y5ZiXxJXsJZtG/A="), std::string("v1,"),
        std::string(",abc"), g + " v1", g + " ,x", g + "\tv1,AAAA"})
    assert_errc(verify(secret, "test-id-1", "1700000000", sig, body), errc::webhook_header_invalid);
}

static void webhook_verify_rejects_v1_entries_that_are_not_base64(void**) {
  std::string g = good;
  for (std::string sig : {std::string("v1,ScP3xrB++r0l2qOfwxGAUIvm1m98Y5ZiXxJXsJZtG/A"),
                          std::string("v1,ScP3xrB-_r0l2qOfwxGAUIvm1m98Y5ZiXxJXsJZtG/A="),
                          g + " v1,!!!!", "v1,a,b " + g})
    assert_errc(verify(secret, "test-id-1", "1700000000", sig, body), errc::webhook_header_invalid);
}

static void webhook_verify_rejects_an_oversized_signature_header(void**) {
  std::string sig = good;
  while (sig.size() <= webhook_signature_max) sig += " v2,x";
  assert_errc(verify(secret, "test-id-1", "1700000000", sig, body), errc::webhook_header_invalid);
}

static void webhook_sign_produces_the_endpoints_md_vector(void**) {
  char out[webhook_signature_size];
  std::size_t n = 0;
  error e = webhook_sign(secret, "test-id-1", "1700000000", body, out, sizeof out, &n);
  assert_errc(e.code, errc::ok);
  assert_string_equal(out, good);
  assert_int_equal(n, std::strlen(good));
}

static void webhook_sign_output_verifies(void**) {
  const char* key = "whsec_zd2MBRCTOQ2hSo3v5AENb+0Vtws2fMcC0NE61l4Yji0=";
  char out[webhook_signature_size];
  std::size_t n = 0;
  assert_errc(webhook_sign(key, "msg_x", "1700000123", "payload", out, sizeof out, &n).code,
              errc::ok);
  assert_errc(
      verify(key, "msg_x", "1700000123", std::string_view(out, n), "payload", at(1700000000)),
      errc::ok);
}

static void webhook_sign_rejects_a_small_buffer_and_bad_inputs(void**) {
  char out[webhook_signature_size];
  std::size_t n = 7;
  assert_errc(webhook_sign(secret, "id", "1", "b", out, sizeof out - 1, &n).code,
              errc::invalid_argument);
  assert_int_equal(n, 0);
  assert_string_equal(out, "");
  assert_errc(webhook_sign("whsec_***", "id", "1", "b", out, sizeof out, &n).code,
              errc::webhook_header_invalid);
  assert_errc(webhook_sign(secret, "", "1", "b", out, sizeof out, &n).code,
              errc::webhook_header_invalid);
  assert_errc(webhook_sign(secret, "id", "now", "b", out, sizeof out, &n).code,
              errc::webhook_timestamp_invalid);
}

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(webhook_verify_accepts_the_endpoints_md_vector),
      cmocka_unit_test(webhook_verify_accepts_the_published_standard_webhooks_vector),
      cmocka_unit_test(webhook_verify_accepts_openssl_vectors_for_edge_bodies),
      cmocka_unit_test(webhook_verify_signs_the_timestamp_text_as_sent),
      cmocka_unit_test(webhook_verify_accepts_a_matching_entry_among_several),
      cmocka_unit_test(webhook_verify_tolerates_extra_spaces_between_entries),
      cmocka_unit_test(webhook_verify_ignores_entries_of_other_versions),
      cmocka_unit_test(webhook_verify_rejects_a_tampered_body),
      cmocka_unit_test(webhook_verify_rejects_a_tampered_id),
      cmocka_unit_test(webhook_verify_rejects_a_tampered_timestamp_inside_the_tolerance),
      cmocka_unit_test(webhook_verify_rejects_a_signature_under_another_secret),
      cmocka_unit_test(webhook_verify_rejects_a_signature_that_differs_in_one_character),
      cmocka_unit_test(webhook_verify_rejects_timestamps_outside_the_tolerance_either_way),
      cmocka_unit_test(webhook_verify_accepts_timestamps_at_the_tolerance_edge),
      cmocka_unit_test(webhook_verify_with_zero_tolerance_skips_the_time_check),
      cmocka_unit_test(webhook_verify_uses_the_system_clock_when_now_is_zero),
      cmocka_unit_test(webhook_verify_rejects_a_negative_tolerance_or_clock),
      cmocka_unit_test(webhook_verify_rejects_timestamps_that_are_not_digits),
      cmocka_unit_test(webhook_verify_rejects_secrets_without_the_whsec_prefix),
      cmocka_unit_test(webhook_verify_rejects_secrets_that_are_not_strict_base64),
      cmocka_unit_test(webhook_verify_rejects_an_empty_or_oversized_id),
      cmocka_unit_test(webhook_verify_rejects_malformed_signature_entries),
      cmocka_unit_test(webhook_verify_rejects_v1_entries_that_are_not_base64),
      cmocka_unit_test(webhook_verify_rejects_an_oversized_signature_header),
      cmocka_unit_test(webhook_sign_produces_the_endpoints_md_vector),
      cmocka_unit_test(webhook_sign_output_verifies),
      cmocka_unit_test(webhook_sign_rejects_a_small_buffer_and_bad_inputs),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
