#include "core/arena.hpp"

#include <cstring>

#include "support/test_main.hpp"

using namespace replicate::detail;

static void arena_alloc_returns_aligned_memory_until_full(void**) {
  arena_pool pool;
  assert_true(arena_pool_init(&pool, 1, 256));
  arena* a = arena_pool_acquire(&pool);
  assert_non_null(a);
  void* p = arena_alloc(a, 3, 1);
  void* q = arena_alloc(a, 16);
  assert_non_null(p);
  assert_non_null(q);
  assert_int_equal(reinterpret_cast<std::uintptr_t>(q) % alignof(std::max_align_t), 0);
  assert_null(arena_alloc(a, 1024));
  assert_true(a->exhausted);
  arena_pool_release(&pool, a);
  arena_pool_destroy(&pool);
}

static void arena_pool_hands_out_each_arena_once_then_null(void**) {
  arena_pool pool;
  assert_true(arena_pool_init(&pool, 3, 1024));
  arena* a = arena_pool_acquire(&pool);
  arena* b = arena_pool_acquire(&pool);
  arena* c = arena_pool_acquire(&pool);
  assert_true(a != b && b != c && a != c);
  assert_null(arena_pool_acquire(&pool));
  assert_int_equal(pool.in_use, 3);
  arena_pool_release(&pool, b);
  assert_ptr_equal(arena_pool_acquire(&pool), b);
  assert_int_equal(pool.peak_in_use, 3);
  arena_pool_release(&pool, a);
  arena_pool_release(&pool, b);
  arena_pool_release(&pool, c);
  assert_int_equal(pool.in_use, 0);
  arena_pool_destroy(&pool);
}

static void arena_reset_reuses_memory_and_keeps_high_water(void**) {
  arena_pool pool;
  assert_true(arena_pool_init(&pool, 1, 4096));
  arena* a = arena_pool_acquire(&pool);
  std::string_view s = arena_strdup(a, "hello");
  assert_int_equal(s.size(), 5);
  assert_int_equal(s.data()[5], '\0');
  std::size_t room = 0;
  char* tail = arena_tail(a, &room);
  assert_true(room > 1000);
  std::memset(tail, 'x', 1000);
  arena_commit(a, 1000);
  std::size_t used = a->used;
  arena_reset(a);
  assert_int_equal(a->used, 0);
  assert_int_equal(arena_pool_high_water(&pool), used);
  assert_true(arena_pool_owns(&pool, tail));
  int outside = 0;
  assert_false(arena_pool_owns(&pool, &outside));
  arena_pool_release(&pool, a);
  arena_pool_destroy(&pool);
}

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(arena_alloc_returns_aligned_memory_until_full),
      cmocka_unit_test(arena_pool_hands_out_each_arena_once_then_null),
      cmocka_unit_test(arena_reset_reuses_memory_and_keeps_high_water),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
