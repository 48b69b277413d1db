#include "core/arena.hpp"

#include <cstdlib>
#include <cstring>
#include <new>

namespace replicate::detail {

void* arena_alloc(arena* a, std::size_t size, std::size_t align) noexcept {
  std::uintptr_t start = reinterpret_cast<std::uintptr_t>(a->base) + a->used;
  std::uintptr_t aligned = (start + (align - 1)) & ~static_cast<std::uintptr_t>(align - 1);
  std::size_t offset =
      static_cast<std::size_t>(aligned - reinterpret_cast<std::uintptr_t>(a->base));
  if (offset > a->capacity || size > a->capacity - offset) {
    a->exhausted = true;
    return nullptr;
  }
  a->used = offset + size;
  if (a->used > a->high_water) a->high_water = a->used;
  return a->base + offset;
}

std::string_view arena_strdup(arena* a, std::string_view text) noexcept {
  char* p = static_cast<char*>(arena_alloc(a, text.size() + 1, 1));
  if (p == nullptr) return {};
  if (!text.empty()) std::memcpy(p, text.data(), text.size());
  p[text.size()] = '\0';
  return {p, text.size()};
}

char* arena_tail(arena* a, std::size_t* room) noexcept {
  *room = a->capacity - a->used;
  return a->base + a->used;
}

void arena_commit(arena* a, std::size_t n) noexcept {
  a->used += n;
  if (a->used > a->high_water) a->high_water = a->used;
}

void arena_reset(arena* a) noexcept {
  a->used = 0;
  a->exhausted = false;
}

bool arena_pool_init(arena_pool* pool, std::size_t count, std::size_t size) noexcept {
  if (count == 0 || size == 0) return false;
  // Round up so each arena starts max-aligned.
  size = (size + alignof(std::max_align_t) - 1) & ~(alignof(std::max_align_t) - 1);
  pool->arenas = new (std::nothrow) arena[count];
  // malloc, not calloc: pages of arenas that are never used stay untouched and cost no RSS.
  pool->block = static_cast<char*>(std::malloc(count * size));
  if (pool->arenas == nullptr || pool->block == nullptr) {
    arena_pool_destroy(pool);
    return false;
  }
  pool->count = count;
  pool->size = size;
  pool->free_list = nullptr;
  // Hand out low addresses first so an idle pool's high pages are never touched.
  for (std::size_t i = count; i-- > 0;) {
    arena* a = &pool->arenas[i];
    a->base = pool->block + i * size;
    a->capacity = size;
    a->next_free = pool->free_list;
    pool->free_list = a;
  }
  pool->in_use = 0;
  pool->peak_in_use = 0;
  return true;
}

void arena_pool_destroy(arena_pool* pool) noexcept {
  delete[] pool->arenas;
  std::free(pool->block);
  *pool = arena_pool{};
}

arena* arena_pool_acquire(arena_pool* pool) noexcept {
  arena* a = pool->free_list;
  if (a == nullptr) return nullptr;
  pool->free_list = a->next_free;
  a->next_free = nullptr;
  arena_reset(a);
  if (++pool->in_use > pool->peak_in_use) pool->peak_in_use = pool->in_use;
  return a;
}

void arena_pool_release(arena_pool* pool, arena* a) noexcept {
  arena_reset(a);
  a->next_free = pool->free_list;
  pool->free_list = a;
  --pool->in_use;
}

std::size_t arena_pool_high_water(const arena_pool* pool) noexcept {
  std::size_t most = 0;
  for (std::size_t i = 0; i < pool->count; ++i)
    if (pool->arenas[i].high_water > most) most = pool->arenas[i].high_water;
  return most;
}

bool arena_pool_owns(const arena_pool* pool, const void* p) noexcept {
  auto* c = static_cast<const char*>(p);
  return pool->block != nullptr && c >= pool->block && c < pool->block + pool->count * pool->size;
}

}  // namespace replicate::detail
