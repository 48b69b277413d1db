// Fixed-size arenas drawn from a pool that is sized once, at client start-up.
//
// An in-flight request owns one arena for its URL, headers, body, response and parsed JSON; the
// arena is reset, not freed, when the request ends. Nothing here calls malloc after
// arena_pool_init. A full arena is reported (exhausted flag, nullptr), never overrun.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace replicate::detail {

struct arena {
  char* base = nullptr;
  std::size_t capacity = 0;
  std::size_t used = 0;
  std::size_t high_water = 0;  // largest `used` since the pool started
  bool exhausted = false;      // an allocation was refused since the last reset
  arena* next_free = nullptr;  // pool free list
};

// Returns size bytes aligned to align, or nullptr (and sets exhausted) when the arena is full.
void* arena_alloc(arena* a, std::size_t size,
                  std::size_t align = alignof(std::max_align_t)) noexcept;
// Copies text and a terminating NUL into the arena; empty view when it does not fit.
std::string_view arena_strdup(arena* a, std::string_view text) noexcept;
// The free tail of the arena, for writing a body of unknown length in place; arena_commit claims
// the first n bytes of it. No allocation may happen between the two calls.
char* arena_tail(arena* a, std::size_t* room) noexcept;
void arena_commit(arena* a, std::size_t n) noexcept;
void arena_reset(arena* a) noexcept;

struct arena_pool {
  arena* arenas = nullptr;
  char* block = nullptr;  // one allocation holding every arena's bytes
  std::size_t count = 0;
  std::size_t size = 0;
  arena* free_list = nullptr;
  std::size_t in_use = 0;
  std::size_t peak_in_use = 0;
};

// Allocates count arenas of size bytes each. Returns false when memory cannot be had.
bool arena_pool_init(arena_pool* pool, std::size_t count, std::size_t size) noexcept;
void arena_pool_destroy(arena_pool* pool) noexcept;
// An arena, or nullptr when every arena is in use.
arena* arena_pool_acquire(arena_pool* pool) noexcept;
void arena_pool_release(arena_pool* pool, arena* a) noexcept;
// Largest number of bytes any arena of the pool has held.
std::size_t arena_pool_high_water(const arena_pool* pool) noexcept;
bool arena_pool_owns(const arena_pool* pool, const void* p) noexcept;

}  // namespace replicate::detail
