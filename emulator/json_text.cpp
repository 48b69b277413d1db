#include "json_text.hpp"

#include <cstdio>
#include <cstdlib>

namespace emu {

void json_append_string(std::string& out, std::string_view s) {
  out += '"';
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto ch = static_cast<unsigned char>(s[i]);
    if (ch >= 0x20 && ch != '"' && ch != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        char esc[8];
        std::snprintf(esc, sizeof esc, "\\u%04x", ch);
        out += esc;
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

std::string json_quote(std::string_view s) {
  std::string out;
  json_append_string(out, s);
  return out;
}

void json_append_key(std::string& out, std::string_view key) {
  if (!out.empty() && out.back() != '{' && out.back() != '[') out += ',';
  json_append_string(out, key);
  out += ':';
}

void json_field(std::string& out, std::string_view key, std::string_view value) {
  json_append_key(out, key);
  json_append_string(out, value);
}

void json_field_raw(std::string& out, std::string_view key, std::string_view raw_json) {
  json_append_key(out, key);
  out += raw_json;
}

void json_field_nullable(std::string& out, std::string_view key, const std::string* value) {
  json_append_key(out, key);
  if (value == nullptr)
    out += "null";
  else
    json_append_string(out, *value);
}

std::string json_print(const cJSON* item) {
  char* text = cJSON_PrintUnformatted(item);
  std::string out = text != nullptr ? text : "null";
  std::free(text);
  return out;
}

const cJSON* json_get(const cJSON* obj, const char* key) {
  return cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : nullptr;
}

const char* json_get_string(const cJSON* obj, const char* key) {
  const cJSON* v = json_get(obj, key);
  return cJSON_IsString(v) ? v->valuestring : nullptr;
}

}  // namespace emu
