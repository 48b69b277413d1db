// SHA-256 (FIPS 180-2 examples), HMAC-SHA256 (RFC 4231) and strict base64 over the mbedTLS shim.
#include "crypto/crypto.hpp"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "support/test_main.hpp"

using namespace replicate::detail;

static std::string hex(const std::uint8_t* p, std::size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    s += digits[p[i] >> 4];
    s += digits[p[i] & 15];
  }
  return s;
}

static std::string sha256_hex(const std::string& data) {
  std::uint8_t out[sha256_digest_size];
  assert_true(sha256(data.data(), data.size(), out));
  return hex(out, sizeof out);
}

static std::string hmac_hex(const std::string& key, const std::string& data) {
  std::uint8_t out[sha256_digest_size];
  assert_true(hmac_sha256(key.data(), key.size(), data.data(), data.size(), out));
  return hex(out, sizeof out);
}

static void sha256_matches_the_fips_180_2_examples(void**) {
  assert_string_equal(sha256_hex("").c_str(),
                      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert_string_equal(sha256_hex("abc").c_str(),
                      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert_string_equal(
      sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").c_str(),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void sha256_of_a_million_a_matches_the_long_message_example(void**) {
  assert_string_equal(sha256_hex(std::string(1000000, 'a')).c_str(),
                      "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void hmac_sha256_matches_rfc_4231_cases_1_to_4(void**) {
  assert_string_equal(hmac_hex(std::string(20, '\x0b'), "Hi There").c_str(),
                      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  assert_string_equal(hmac_hex("Jefe", "what do ya want for nothing?").c_str(),
                      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  assert_string_equal(hmac_hex(std::string(20, '\xaa'), std::string(50, '\xdd')).c_str(),
                      "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  std::string key4;
  for (int i = 1; i <= 25; ++i) key4 += static_cast<char>(i);
  assert_string_equal(hmac_hex(key4, std::string(50, '\xcd')).c_str(),
                      "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
}

static void hmac_sha256_truncated_output_matches_rfc_4231_case_5(void**) {
  std::string full = hmac_hex(std::string(20, '\x0c'), "Test With Truncation");
  assert_string_equal(full.substr(0, 32).c_str(), "a3b6167473100ee06e0c796c2955552b");
}

static void hmac_sha256_hashes_keys_longer_than_a_block_first(void**) {
  std::string key(131, '\xaa');
  assert_string_equal(
      hmac_hex(key, "Test Using Larger Than Block-Size Key - Hash Key First").c_str(),
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  assert_string_equal(
      hmac_hex(key,
               "This is a test using a larger than block-size key and a larger than block-size "
               "data. The key needs to be hashed before being used by the HMAC algorithm.")
          .c_str(),
      "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

static void hmac_sha256_incremental_equals_one_shot_at_every_split(void**) {
  std::string key = "Jefe";
  std::string data = "what do ya want for nothing?";
  for (std::size_t a = 0; a <= data.size(); ++a) {
    for (std::size_t b = a; b <= data.size(); ++b) {
      hmac_sha256_ctx ctx;
      assert_true(hmac_sha256_init(&ctx, key.data(), key.size()));
      hmac_sha256_update(&ctx, data.data(), a);
      hmac_sha256_update(&ctx, data.data() + a, b - a);
      hmac_sha256_update(&ctx, data.data() + b, data.size() - b);
      std::uint8_t out[sha256_digest_size];
      assert_true(hmac_sha256_finish(&ctx, out));
      assert_string_equal(hex(out, sizeof out).c_str(),
                          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
  }
}

static void hmac_sha256_context_can_be_reinitialised_after_finish(void**) {
  hmac_sha256_ctx ctx;
  std::uint8_t out[sha256_digest_size];
  assert_true(hmac_sha256_init(&ctx, "x", 1));
  hmac_sha256_update(&ctx, "junk", 4);
  assert_true(hmac_sha256_finish(&ctx, out));
  assert_true(hmac_sha256_init(&ctx, "Jefe", 4));
  hmac_sha256_update(&ctx, "what do ya want for nothing?", 28);
  assert_true(hmac_sha256_finish(&ctx, out));
  assert_string_equal(hex(out, sizeof out).c_str(),
                      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

static void hmac_sha256_accepts_an_empty_key_and_message(void**) {
  // echo -n "" | openssl dgst -sha256 -hmac ""
  assert_string_equal(hmac_hex("", "").c_str(),
                      "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

static std::string decode(const std::string& in, base64_status expect) {
  std::uint8_t out[64];
  std::size_t n = 99;
  base64_status st = base64_decode(in.data(), in.size(), out, sizeof out, &n);
  assert_int_equal(static_cast<int>(st), static_cast<int>(expect));
  return std::string(reinterpret_cast<char*>(out), st == base64_status::ok ? n : 0);
}

static void base64_decode_matches_rfc_4648_test_vectors(void**) {
  assert_string_equal(decode("", base64_status::ok).c_str(), "");
  assert_string_equal(decode("Zg==", base64_status::ok).c_str(), "f");
  assert_string_equal(decode("Zm8=", base64_status::ok).c_str(), "fo");
  assert_string_equal(decode("Zm9v", base64_status::ok).c_str(), "foo");
  assert_string_equal(decode("Zm9vYg==", base64_status::ok).c_str(), "foob");
  assert_string_equal(decode("Zm9vYmE=", base64_status::ok).c_str(), "fooba");
  assert_string_equal(decode("Zm9vYmFy", base64_status::ok).c_str(), "foobar");
}

static void base64_decode_accepts_plus_and_slash(void**) {
  std::string bytes = decode("+/+/", base64_status::ok);
  assert_int_equal(bytes.size(), 3);
  assert_int_equal(static_cast<unsigned char>(bytes[0]), 0xfb);
  assert_int_equal(static_cast<unsigned char>(bytes[1]), 0xff);
  assert_int_equal(static_cast<unsigned char>(bytes[2]), 0xbf);
}

static void base64_decode_rejects_characters_outside_the_alphabet(void**) {
  // mbedTLS alone would skip the spaces and line breaks; the shim must not.
  const std::string bad[] = {"Zm9v!mFy", "Zm9v YmFy", "Zm9v\nYmF",   "Zm9v\r\nYmFy",
                             "Zm9-YmFy", "Zm9_YmFy",  "Zm9vYmF\x80", std::string("Zm9vYm\0y", 8)};
  for (const std::string& s : bad) decode(s, base64_status::invalid);
}

static void base64_decode_rejects_missing_or_misplaced_padding(void**) {
  for (const char* bad : {"Zg", "Zg=", "Zm8", "Zg===", "Z===", "====", "Zg==Zg==", "Z=g=", "=Zm9"})
    decode(bad, base64_status::invalid);
}

static void base64_decode_reports_a_buffer_that_is_too_small(void**) {
  std::uint8_t out[2];
  std::size_t n = 0;
  assert_int_equal(static_cast<int>(base64_decode("Zm9v", 4, out, sizeof out, &n)),
                   static_cast<int>(base64_status::buffer_too_small));
  assert_int_equal(static_cast<int>(base64_decode("Zm8=", 4, out, sizeof out, &n)),
                   static_cast<int>(base64_status::ok));
  assert_int_equal(n, 2);
}

static void base64_encode_matches_rfc_4648_and_writes_a_terminator(void**) {
  const char* plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char* coded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  for (int i = 0; i < 7; ++i) {
    char out[16];
    std::memset(out, 'X', sizeof out);
    std::size_t n = 99;
    std::size_t len = std::strlen(plain[i]);
    assert_int_equal(static_cast<int>(base64_encode(reinterpret_cast<const std::uint8_t*>(plain[i]),
                                                    len, out, sizeof out, &n)),
                     static_cast<int>(base64_status::ok));
    assert_int_equal(n, base64_encoded_size(len));
    assert_string_equal(out, coded[i]);
  }
}

static void base64_encode_needs_room_for_the_terminator(void**) {
  char out[4];
  std::size_t n = 0;
  assert_int_equal(static_cast<int>(base64_encode(reinterpret_cast<const std::uint8_t*>("foo"), 3,
                                                  out, sizeof out, &n)),
                   static_cast<int>(base64_status::buffer_too_small));
}

static void timing_safe_equal_compares_every_byte(void**) {
  assert_true(timing_safe_equal("abcdef", "abcdef", 6));
  assert_false(timing_safe_equal("abcdef", "abcdeg", 6));
  assert_false(timing_safe_equal("xbcdef", "abcdef", 6));
  assert_true(timing_safe_equal("a", "b", 0));
}

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(sha256_matches_the_fips_180_2_examples),
      cmocka_unit_test(sha256_of_a_million_a_matches_the_long_message_example),
      cmocka_unit_test(hmac_sha256_matches_rfc_4231_cases_1_to_4),
      cmocka_unit_test(hmac_sha256_truncated_output_matches_rfc_4231_case_5),
      cmocka_unit_test(hmac_sha256_hashes_keys_longer_than_a_block_first),
      cmocka_unit_test(hmac_sha256_incremental_equals_one_shot_at_every_split),
      cmocka_unit_test(hmac_sha256_context_can_be_reinitialised_after_finish),
      cmocka_unit_test(hmac_sha256_accepts_an_empty_key_and_message),
      cmocka_unit_test(base64_decode_matches_rfc_4648_test_vectors),
      cmocka_unit_test(base64_decode_accepts_plus_and_slash),
      cmocka_unit_test(base64_decode_rejects_characters_outside_the_alphabet),
      cmocka_unit_test(base64_decode_rejects_missing_or_misplaced_padding),
      cmocka_unit_test(base64_decode_reports_a_buffer_that_is_too_small),
      cmocka_unit_test(base64_encode_matches_rfc_4648_and_writes_a_terminator),
      cmocka_unit_test(base64_encode_needs_room_for_the_terminator),
      cmocka_unit_test(timing_safe_equal_compares_every_byte),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
