// cJSON, routed into arenas. The only place that includes cJSON (with decode_*.cpp beside it).
//
// cJSON's allocator hooks are process-global and take no context, so a thread-local "current
// arena" decides where an allocation goes: inside a json_arena_scope it comes from that arena
// (and frees are no-ops, the arena is reset as a whole); outside, cJSON behaves as usual.
#pragma once

#include <cJSON.h>

#include <string_view>

#include "core/arena.hpp"

namespace replicate::detail {

class json_arena_scope {
 public:
  explicit json_arena_scope(arena* a) noexcept;
  ~json_arena_scope();
  json_arena_scope(const json_arena_scope&) = delete;
  json_arena_scope& operator=(const json_arena_scope&) = delete;

 private:
  arena* previous_;
};

enum class json_status { ok, syntax, arena_full };

// Parses text into the arena. On failure returns nullptr and says why.
cJSON* json_parse(arena* a, std::string_view text, json_status* status) noexcept;
// Prints a value compactly into the arena; empty view when it does not fit (a->exhausted set).
std::string_view json_print(arena* a, const cJSON* value) noexcept;

// Field access that tolerates absent, null and mistyped fields.
std::string_view json_string(const cJSON* object, const char* key) noexcept;
double json_number(const cJSON* object, const char* key, double fallback) noexcept;
bool json_bool(const cJSON* object, const char* key, bool fallback) noexcept;
// Compact JSON text of object[key] ("null" when absent), printed into the arena.
std::string_view json_field_text(arena* a, const cJSON* object, const char* key,
                                 std::string_view fallback) noexcept;

// Copies the string field `key` of the JSON object in text into out (cut to fit). False when
// text is not an object with such a string. Ordinary heap memory, briefly; not for hot paths.
bool json_copy_string_field(std::string_view text, const char* key, char* out,
                            std::size_t cap) noexcept;

// True when text is one syntactically valid JSON object. Uses ordinary heap memory briefly;
// called once per create, never per event.
bool json_is_object(std::string_view text) noexcept;

}  // namespace replicate::detail
