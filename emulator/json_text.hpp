// Building JSON text by appending to a std::string: the hot routes (prediction GET at benchmark
// rates) render without a cJSON tree. Parsing request bodies still uses cJSON.
#pragma once

#include <cjson/cJSON.h>

#include <string>
#include <string_view>

namespace emu {

// Appends s as a quoted JSON string.
void json_append_string(std::string& out, std::string_view s);
[[nodiscard]] std::string json_quote(std::string_view s);
// Appends "key": with a leading comma unless out ends with '{'.
void json_append_key(std::string& out, std::string_view key);
void json_field(std::string& out, std::string_view key, std::string_view value);  // string value
void json_field_raw(std::string& out, std::string_view key, std::string_view raw_json);
void json_field_nullable(std::string& out, std::string_view key, const std::string* value);

// Unformatted text of a cJSON item (owned copy).
[[nodiscard]] std::string json_print(const cJSON* item);

// Owning handle for a parsed document.
struct json_doc {
  cJSON* root = nullptr;
  explicit json_doc(cJSON* r = nullptr) : root(r) {}
  json_doc(const json_doc&) = delete;
  json_doc& operator=(const json_doc&) = delete;
  ~json_doc() { cJSON_Delete(root); }
};

[[nodiscard]] const cJSON* json_get(const cJSON* obj, const char* key);
[[nodiscard]] const char* json_get_string(const cJSON* obj, const char* key);  // null if absent

}  // namespace emu
