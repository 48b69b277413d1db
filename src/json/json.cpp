#include "json/json.hpp"

#include <cstdlib>
#include <cstring>

#include "core/text.hpp"

namespace replicate::detail {
namespace {

thread_local arena* current_arena = nullptr;

void* hook_malloc(std::size_t size) {
  if (current_arena != nullptr) return arena_alloc(current_arena, size);
  return std::malloc(size);
}

void hook_free(void* p) {
  if (p == nullptr) return;
  arena* a = current_arena;
  if (a != nullptr && static_cast<char*>(p) >= a->base &&
      static_cast<char*>(p) < a->base + a->capacity)
    return;  // arena memory goes back with the arena's reset
  std::free(p);
}

void install_hooks_once() {
  static const bool installed = [] {
    cJSON_Hooks hooks{hook_malloc, hook_free};
    cJSON_InitHooks(&hooks);
    return true;
  }();
  (void)installed;
}

}  // namespace

json_arena_scope::json_arena_scope(arena* a) noexcept : previous_(current_arena) {
  install_hooks_once();
  current_arena = a;
}

json_arena_scope::~json_arena_scope() { current_arena = previous_; }

cJSON* json_parse(arena* a, std::string_view text, json_status* status) noexcept {
  json_arena_scope scope(a);
  bool was_exhausted = a->exhausted;
  a->exhausted = false;
  cJSON* root = cJSON_ParseWithLength(text.data(), text.size());
  if (root != nullptr) {
    *status = json_status::ok;
  } else {
    *status = a->exhausted ? json_status::arena_full : json_status::syntax;
  }
  a->exhausted |= was_exhausted;
  return root;
}

std::string_view json_print(arena* a, const cJSON* value) noexcept {
  // cJSON_PrintPreallocated needs a guess; print into the arena's free tail and claim what it used.
  std::size_t room = 0;
  char* tail = arena_tail(a, &room);
  if (room < 8) {
    a->exhausted = true;
    return {};
  }
  json_arena_scope scope(nullptr);  // printing into a caller buffer allocates nothing
  // cJSON needs 5 spare bytes beyond the text when preallocated.
  if (!cJSON_PrintPreallocated(const_cast<cJSON*>(value), tail,
                               static_cast<int>(room > 0x7fffffff ? 0x7fffffff : room), false)) {
    a->exhausted = true;
    return {};
  }
  std::size_t n = std::strlen(tail);
  arena_commit(a, n + 1);
  return {tail, n};
}

std::string_view json_string(const cJSON* object, const char* key) noexcept {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(object, key);
  if (!cJSON_IsString(item) || item->valuestring == nullptr) return {};
  return item->valuestring;
}

double json_number(const cJSON* object, const char* key, double fallback) noexcept {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(object, key);
  return cJSON_IsNumber(item) ? item->valuedouble : fallback;
}

bool json_bool(const cJSON* object, const char* key, bool fallback) noexcept {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(object, key);
  return cJSON_IsBool(item) ? cJSON_IsTrue(item) : fallback;
}

std::string_view json_field_text(arena* a, const cJSON* object, const char* key,
                                 std::string_view fallback) noexcept {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(object, key);
  if (item == nullptr) return fallback;
  std::string_view text = json_print(a, item);
  return text.data() == nullptr ? fallback : text;
}

bool json_copy_string_field(std::string_view text, const char* key, char* out,
                            std::size_t cap) noexcept {
  json_arena_scope scope(nullptr);
  cJSON* root = cJSON_ParseWithLength(text.data(), text.size());
  std::string_view value = json_string(root, key);
  bool found = cJSON_IsObject(root) && value.data() != nullptr;
  if (found) text_copy(out, cap, value);
  cJSON_Delete(root);
  return found;
}

bool json_is_object(std::string_view text) noexcept {
  json_arena_scope scope(nullptr);
  cJSON* root = cJSON_ParseWithLength(text.data(), text.size());
  bool ok = cJSON_IsObject(root);
  cJSON_Delete(root);
  return ok;
}

}  // namespace replicate::detail
