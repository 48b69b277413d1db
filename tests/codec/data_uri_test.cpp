// base64 against RFC 4648 and a reference bit-by-bit encoder at every split and window, and
// input_body read with every chunk size: exact JSON, exact length, rewind, caps, MIME types,
// releases.
#include "replicate/data_uri.hpp"

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "support/test_main.hpp"

using namespace replicate;

namespace {

// The obvious encoder, six bits at a time.
std::string reference_base64(const std::string& in) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t bits = 0;
  unsigned acc = 0;
  for (unsigned char c : in) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      out += alphabet[(acc >> (bits - 6)) & 63];
      bits -= 6;
    }
  }
  if (bits > 0) out += alphabet[(acc << (6 - bits)) & 63];
  while (out.size() % 4 != 0) out += '=';
  return out;
}

std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xff);
  return s;
}

std::string one_shot(const std::string& in) {
  std::string out(base64_encoded_size(in.size()), '?');
  size_t n = base64_encode(in.data(), in.size(), out.data());
  assert_int_equal(n, out.size());
  return out;
}

void base64_encodes_the_rfc_4648_test_vectors(void**) {
  const char* vectors[][2] = {{"", ""},
                              {"f", "Zg=="},
                              {"fo", "Zm8="},
                              {"foo", "Zm9v"},
                              {"foob", "Zm9vYg=="},
                              {"fooba", "Zm9vYmE="},
                              {"foobar", "Zm9vYmFy"}};
  for (auto& v : vectors) {
    assert_string_equal(one_shot(v[0]).c_str(), v[1]);
    assert_int_equal(base64_encoded_size(std::strlen(v[0])), std::strlen(v[1]));
  }
}

void base64_uses_the_standard_alphabet_for_every_byte_value(void**) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (int r = 0; r < 3; ++r) all += all;  // several alignments of the 12-byte loop
  for (std::size_t n = 0; n <= all.size(); n += (n < 64 ? 1 : 37)) {
    std::string in = all.substr(0, n);
    assert_string_equal(one_shot(in).c_str(), reference_base64(in).c_str());
  }
}

void base64_streaming_equals_one_shot_at_every_split(void**) {
  for (std::size_t n : {0u, 1u, 2u, 3u, 4u, 5u, 17u, 100u, 301u}) {
    std::string in = random_bytes(n, static_cast<unsigned>(n));
    std::string expected = one_shot(in);
    for (std::size_t a = 0; a <= n; ++a) {
      for (std::size_t b = a; b <= n; ++b) {
        base64_encoder e;
        base64_encoder_init(&e);
        std::string out(base64_encoded_size(n) + 12, '?');
        std::size_t w = 0;
        w += base64_encoder_update(&e, in.data(), a, &out[w]);
        w += base64_encoder_update(&e, in.data() + a, b - a, &out[w]);
        w += base64_encoder_update(&e, in.data() + b, n - b, &out[w]);
        w += base64_encoder_finish(&e, &out[w]);
        out.resize(w);
        assert_true(out == expected);
      }
    }
  }
}

void base64_streaming_equals_one_shot_for_every_piece_size_and_byte_by_byte(void**) {
  std::string in = random_bytes(4099, 7);
  std::string expected = one_shot(in);
  for (std::size_t piece = 1; piece <= 300; ++piece) {
    base64_encoder e{};
    std::string out(base64_encoded_size(in.size()), '?');
    std::size_t w = 0;
    for (std::size_t i = 0; i < in.size(); i += piece) {
      std::size_t n = std::min(piece, in.size() - i);
      std::size_t bound = base64_encoder_update_bound(n);
      std::string scratch(bound, '?');
      std::size_t got = base64_encoder_update(&e, in.data() + i, n, scratch.data());
      assert_true(got <= bound);
      assert_int_equal(got % 4, 0);
      std::memcpy(&out[w], scratch.data(), got);
      w += got;
    }
    w += base64_encoder_finish(&e, &out[w]);
    assert_int_equal(w, out.size());
    assert_true(out == expected);
  }
}

void base64_slice_equals_one_shot_for_every_window(void**) {
  for (std::size_t n : {0u, 1u, 2u, 3u, 10u, 31u, 64u}) {
    std::string in = random_bytes(n, 100 + static_cast<unsigned>(n));
    std::string expected = one_shot(in);
    for (std::size_t off = 0; off <= expected.size() + 2; ++off) {
      for (std::size_t len = 0; len <= expected.size() + 2; ++len) {
        std::string out(len, '?');
        std::size_t got = base64_encode_slice(in.data(), in.size(), off, out.data(), len);
        std::string want = off < expected.size() ? expected.substr(off, len) : std::string();
        assert_int_equal(got, want.size());
        out.resize(got);
        assert_true(out == want);
      }
    }
  }
}

void base64_slice_reads_a_large_frame_in_chunks_of_every_size(void**) {
  std::string in = random_bytes(70001, 3);
  std::string expected = one_shot(in);
  for (std::size_t chunk : {1u, 2u, 3u, 4u, 5u, 7u, 13u, 4096u, 16384u, 16385u, 65536u}) {
    std::string out;
    std::vector<char> buf(chunk);
    std::size_t off = 0;
    while (std::size_t got = base64_encode_slice(in.data(), in.size(), off, buf.data(), chunk)) {
      out.append(buf.data(), got);
      off += got;
    }
    assert_true(out == expected);
  }
}

// ---- input_body ----

std::string read_all(const body_source& s, std::size_t chunk) {
  std::string out;
  std::vector<char> buf(chunk + 8, '#');
  for (;;) {
    std::size_t n = s.read(s.ctx, buf.data(), chunk);
    assert_true(n <= chunk);
    assert_true(buf[chunk] == '#');  // never past size
    if (n == 0) break;
    out.append(buf.data(), n);
  }
  return out;
}

struct release_log {
  std::vector<const void*> data;
};

void record_release(void* user, const void* data) {
  static_cast<release_log*>(user)->data.push_back(data);
}

void input_body_produces_exact_json_for_images_and_fields_at_every_chunk_size(void**) {
  std::string a = random_bytes(1000, 1);
  std::string b = random_bytes(2, 2);
  std::string c;  // an empty frame is a valid data URI
  input_field fields[] = {
      input_json("prompt", "\"what is in \\\"this\\\" picture?\""),
      input_data_uri("image", a.data(), a.size()),
      input_json("temperature", "0.7"),
      input_data_uri("mask", b.data(), b.size(), "image/png"),
      input_data_uri("we\"ird\\name\n", c.data(), c.size(), "application/octet-stream"),
      input_json("options", "{\"a\":[1,2,3]}"),
  };
  input_body body;
  error e = input_body_init(&body, fields, 6);
  assert_int_equal(e.code, errc::ok);
  std::string expected =
      "{\"prompt\":\"what is in \\\"this\\\" picture?\",\"image\":\"data:image/jpeg;base64," +
      reference_base64(a) + "\",\"temperature\":0.7,\"mask\":\"data:image/png;base64," +
      reference_base64(b) +
      "\",\"we\\\"ird\\\\name\\u000a\":\"data:application/octet-stream;base64,\","
      "\"options\":{\"a\":[1,2,3]}}";
  assert_int_equal(body.source.length, static_cast<std::int64_t>(expected.size()));
  for (std::size_t chunk = 1; chunk <= 64; ++chunk) {
    assert_true(body.source.rewind(body.source.ctx));
    std::string got = read_all(body.source, chunk);
    assert_int_equal(got.size(), expected.size());
    assert_true(got == expected);
  }
  assert_true(body.source.rewind(body.source.ctx));
  assert_true(read_all(body.source, 65536) == expected);
  input_body_close(&body);
}

void input_body_rewind_restarts_from_the_first_byte_mid_stream(void**) {
  std::string a = random_bytes(5000, 9);
  input_field f = input_data_uri("image", a.data(), a.size());
  input_body body;
  assert_int_equal(input_body_init(&body, &f, 1).code, errc::ok);
  std::string full = read_all(body.source, 16384);
  assert_true(body.source.rewind(body.source.ctx));
  char buf[777];
  assert_int_equal(body.source.read(body.source.ctx, buf, sizeof buf), sizeof buf);
  assert_true(body.source.rewind(body.source.ctx));
  assert_true(read_all(body.source, 999) == full);
  assert_int_equal(full.size(), static_cast<std::size_t>(body.source.length));
}

void input_body_with_no_fields_is_an_empty_object(void**) {
  input_body body;
  assert_int_equal(input_body_init(&body, nullptr, 0).code, errc::ok);
  assert_int_equal(body.source.length, 2);
  assert_string_equal(read_all(body.source, 1).c_str(), "{}");
}

void input_body_rejects_inline_data_over_the_cap_before_sending(void**) {
  std::string a(600, 'x');
  std::string b(500, 'y');
  release_log log;
  input_field fields[] = {
      input_data_uri("a", a.data(), a.size(), "image/jpeg", record_release, &log),
      input_data_uri("b", b.data(), b.size())};
  input_body_options o;
  o.max_inline_bytes = 1000;
  input_body body;
  error e = input_body_init(&body, fields, 2, o);
  assert_int_equal(e.code, errc::input_too_large);
  assert_non_null(std::strstr(e.detail, "1100 bytes"));
  assert_non_null(std::strstr(e.detail, "files().create()"));
  o.max_inline_bytes = 1100;  // the cap itself is allowed
  assert_int_equal(input_body_init(&body, fields, 2, o).code, errc::ok);
  // The default is 10,000,000 bytes; the size is checked without reading the (null) data.
  input_field huge = input_data_uri("big", a.data(), 10'000'001);
  assert_int_equal(input_body_init(&body, &huge, 1).code, errc::input_too_large);
  assert_int_equal(log.data.size(), 1);  // the re-init closed the successful body
}

void input_body_rejects_text_that_does_not_fit_and_accepts_a_lent_buffer(void**) {
  std::string long_prompt = "\"" + std::string(3000, 'p') + "\"";
  input_field f = input_json("prompt", long_prompt);
  input_body body;
  assert_int_equal(input_body_init(&body, &f, 1).code, errc::input_too_large);
  std::vector<char> text(4096);
  input_body_options o;
  o.text_buffer = text.data();
  o.text_capacity = text.size();
  assert_int_equal(input_body_init(&body, &f, 1, o).code, errc::ok);
  assert_true(read_all(body.source, 100) == "{\"prompt\":" + long_prompt + "}");
}

void input_body_validates_mime_types(void**) {
  const char* good[] = {"image/jpeg", "image/png", "application/vnd.api+json", "x-a/b.c_d!#$&^`|~"};
  const char* bad[] = {"",
                       "image",
                       "/jpeg",
                       "image/",
                       "image/jpeg;q=1",
                       "image/\"jpeg\"",
                       "image /jpeg",
                       "image/jp\x01g",
                       "image/jpeg/x",
                       "ima(ge/jpeg",
                       "image/jp\xc3\xa9g"};
  char byte = 0;
  input_body body;
  for (const char* m : good) {
    input_field f = input_data_uri("i", &byte, 1, m);
    assert_int_equal(input_body_init(&body, &f, 1).code, errc::ok);
  }
  for (const char* m : bad) {
    input_field f = input_data_uri("i", &byte, 1, m);
    error e = input_body_init(&body, &f, 1);
    assert_int_equal(e.code, errc::invalid_argument);
    assert_non_null(std::strstr(e.detail, "MIME"));
  }
  std::string too_long = "image/" + std::string(128, 'a');
  input_field f = input_data_uri("i", &byte, 1, too_long);
  assert_int_equal(input_body_init(&body, &f, 1).code, errc::invalid_argument);
}

void input_body_rejects_bad_fields(void**) {
  char byte = 0;
  input_body body;
  input_field no_name = input_json("", "1");
  assert_int_equal(input_body_init(&body, &no_name, 1).code, errc::invalid_argument);
  input_field blank = input_json("x", " \n");
  assert_int_equal(input_body_init(&body, &blank, 1).code, errc::invalid_argument);
  input_field null_data = input_data_uri("x", nullptr, 3);
  assert_int_equal(input_body_init(&body, &null_data, 1).code, errc::invalid_argument);
  std::vector<input_field> many(REPLICATE_INPUT_MAX_FIELDS + 1, input_data_uri("x", &byte, 1));
  assert_int_equal(input_body_init(&body, many.data(), many.size()).code, errc::invalid_argument);
  assert_int_equal(input_body_init(&body, many.data(), many.size() - 1).code, errc::ok);
}

void input_body_fires_each_release_exactly_once(void**) {
  std::string a = "frame a";
  std::string b = "frame b";
  release_log log;
  {
    input_field fields[] = {
        input_data_uri("a", a.data(), a.size(), "image/jpeg", record_release, &log),
        input_json("n", "1"),
        input_data_uri("b", b.data(), b.size(), "image/jpeg", record_release, &log)};
    input_body body;
    assert_int_equal(input_body_init(&body, fields, 3).code, errc::ok);
    read_all(body.source, 5);
    assert_true(body.source.rewind(body.source.ctx));  // a retry does not release
    assert_int_equal(log.data.size(), 0);
    input_body_close(&body);
    assert_int_equal(log.data.size(), 2);
    assert_ptr_equal(log.data[0], a.data());
    assert_ptr_equal(log.data[1], b.data());
    char buf[8];
    assert_int_equal(body.source.read(body.source.ctx, buf, sizeof buf), 0);
    assert_false(body.source.rewind(body.source.ctx));
    input_body_close(&body);
  }  // and the destructor does not release again
  assert_int_equal(log.data.size(), 2);
  {
    input_field f = input_data_uri("a", a.data(), a.size(), "image/jpeg", record_release, &log);
    input_body body;
    assert_int_equal(input_body_init(&body, &f, 1).code, errc::ok);
  }  // the destructor releases an open body
  assert_int_equal(log.data.size(), 3);
}

}  // namespace

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(base64_encodes_the_rfc_4648_test_vectors),
      cmocka_unit_test(base64_uses_the_standard_alphabet_for_every_byte_value),
      cmocka_unit_test(base64_streaming_equals_one_shot_at_every_split),
      cmocka_unit_test(base64_streaming_equals_one_shot_for_every_piece_size_and_byte_by_byte),
      cmocka_unit_test(base64_slice_equals_one_shot_for_every_window),
      cmocka_unit_test(base64_slice_reads_a_large_frame_in_chunks_of_every_size),
      cmocka_unit_test(input_body_produces_exact_json_for_images_and_fields_at_every_chunk_size),
      cmocka_unit_test(input_body_rewind_restarts_from_the_first_byte_mid_stream),
      cmocka_unit_test(input_body_with_no_fields_is_an_empty_object),
      cmocka_unit_test(input_body_rejects_inline_data_over_the_cap_before_sending),
      cmocka_unit_test(input_body_rejects_text_that_does_not_fit_and_accepts_a_lent_buffer),
      cmocka_unit_test(input_body_validates_mime_types),
      cmocka_unit_test(input_body_rejects_bad_fields),
      cmocka_unit_test(input_body_fires_each_release_exactly_once),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
