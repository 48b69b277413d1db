#include "http/url.hpp"

#include <string>

#include "support/test_main.hpp"

using namespace replicate;
using namespace replicate::detail;

struct fixture {
  arena_pool pool;
  arena* a;
};

static int setup(void** state) {
  auto* f = new fixture;
  arena_pool_init(&f->pool, 1, 4096);
  f->a = arena_pool_acquire(&f->pool);
  *state = f;
  return 0;
}

static int teardown(void** state) {
  auto* f = static_cast<fixture*>(*state);
  arena_pool_release(&f->pool, f->a);
  arena_pool_destroy(&f->pool);
  delete f;
  return 0;
}

static void url_build_joins_base_route_and_tail(void** state) {
  arena* a = static_cast<fixture*>(*state)->a;
  std::string_view tail[4] = {"abc", "/cancel", {}, {}};
  assert_true(url_build(a, "https://api.replicate.com/v1/", "/predictions/", tail, nullptr, 0) ==
              "https://api.replicate.com/v1/predictions/abc/cancel");
  assert_true(url_build(a, "https://api.replicate.com/v1", "models", nullptr, nullptr, 0) ==
              "https://api.replicate.com/v1/models");
}

static void url_build_uses_absolute_routes_verbatim(void** state) {
  arena* a = static_cast<fixture*>(*state)->a;
  std::string_view next = "http://127.0.0.1:1234/v1/predictions?cursor=cD0yMDIz";
  assert_true(url_build(a, "https://api.replicate.com/v1", next, nullptr, nullptr, 0) == next);
}

static void url_build_percent_encodes_query_values(void** state) {
  arena* a = static_cast<fixture*>(*state)->a;
  query_param q[2] = {{"query", "a b&c=d/é"}, {"limit", "5"}};
  assert_true(url_build(a, "http://h/v1", "/search", nullptr, q, 2) ==
              "http://h/v1/search?query=a%20b%26c%3Dd%2F%C3%A9&limit=5");
  query_param more[1] = {{"x", "1"}};
  assert_true(url_build(a, "http://h/v1", "http://h/v1/p?cursor=z", nullptr, more, 1) ==
              "http://h/v1/p?cursor=z&x=1");
}

static void url_build_reports_a_full_arena(void** state) {
  arena* a = static_cast<fixture*>(*state)->a;
  std::string huge(5000, 'x');
  assert_true(url_build(a, "http://h/v1", huge, nullptr, nullptr, 0).empty());
  assert_true(a->exhausted);
}

static void url_same_origin_compares_scheme_host_and_port(void**) {
  assert_true(url_same_origin("https://api.replicate.com/v1", "https://API.replicate.com:443/x"));
  assert_false(url_same_origin("https://api.replicate.com/v1", "http://api.replicate.com/v1"));
  assert_false(url_same_origin("https://api.replicate.com/v1", "https://replicate.delivery/f"));
  assert_false(url_same_origin("http://127.0.0.1:1000/v1", "http://127.0.0.1:1001/v1"));
  assert_true(url_same_origin("http://127.0.0.1:1000/v1", "http://127.0.0.1:1000/other?q"));
  assert_false(url_same_origin("https://api.replicate.com.evil.io/", "https://api.replicate.com/"));
  assert_false(url_same_origin("relative/path", "relative/path"));
}

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(url_build_joins_base_route_and_tail, setup, teardown),
      cmocka_unit_test_setup_teardown(url_build_uses_absolute_routes_verbatim, setup, teardown),
      cmocka_unit_test_setup_teardown(url_build_percent_encodes_query_values, setup, teardown),
      cmocka_unit_test_setup_teardown(url_build_reports_a_full_arena, setup, teardown),
      cmocka_unit_test(url_same_origin_compares_scheme_host_and_port),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
