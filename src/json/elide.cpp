#include "json/elide.hpp"

namespace replicate::detail {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// One byte of the value being skipped. Returns true when the value has ended before c (a scalar
// ended by ',' or '}'), so the caller processes c normally.
bool skip_byte(json_elide* f, char c) {
  if (!f->skip_started) {
    if (is_space(c)) return false;
    f->skip_started = true;
    if (c == '{' || c == '[') {
      f->skip_depth = 1;
    } else if (c == '"') {
      f->skip_in_string = true;
    } else {
      f->skip_scalar = true;
    }
    return false;
  }
  if (f->skip_in_string) {
    if (f->skip_escape) {
      f->skip_escape = false;
    } else if (c == '\\') {
      f->skip_escape = true;
    } else if (c == '"') {
      f->skip_in_string = false;
      if (f->skip_depth == 0) f->skipping = false;  // a string value ended
    }
    return false;
  }
  if (f->skip_scalar) {
    if (c == ',' || c == '}' || is_space(c)) {
      f->skipping = false;
      return true;
    }
    return false;
  }
  if (c == '"') {
    f->skip_in_string = true;
  } else if (c == '{' || c == '[') {
    ++f->skip_depth;
  } else if (c == '}' || c == ']') {
    if (--f->skip_depth == 0) f->skipping = false;
  }
  return false;
}

}  // namespace

std::size_t json_elide_feed(json_elide* f, const char* in, std::size_t len, char* out) noexcept {
  std::size_t n = 0;
  for (std::size_t i = 0; i < len; ++i) {
    char c = in[i];
    if (f->skipping && !skip_byte(f, c)) continue;
    if (f->in_string) {
      out[n++] = c;
      if (f->escape) {
        f->escape = false;
      } else if (c == '\\') {
        f->escape = true;
        f->key_mismatch = true;  // keys with escapes are never ours
      } else if (c == '"') {
        f->in_string = false;
        if (f->in_key) {
          f->in_key = false;
          f->key_matched = !f->key_mismatch && f->key[f->key_pos] == '\0';
        }
      } else if (f->in_key) {
        if (f->key[f->key_pos] == c) {
          ++f->key_pos;
        } else {
          f->key_mismatch = true;
        }
      }
      continue;
    }
    switch (c) {
      case '"':
        f->in_string = true;
        if (f->depth == 1 && f->expect_key) {
          f->in_key = true;
          f->expect_key = false;
          f->key_pos = 0;
          f->key_mismatch = false;
        }
        break;
      case '{':
      case '[':
        ++f->depth;
        if (c == '{' && f->depth == 1) f->expect_key = true;
        break;
      case '}':
      case ']':
        --f->depth;
        break;
      case ',':
        if (f->depth == 1) f->expect_key = true;
        break;
      case ':':
        if (f->depth == 1 && f->key_matched) {
          f->key_matched = false;
          out[n++] = ':';
          out[n++] = '{';
          out[n++] = '}';
          f->skipping = true;
          f->skip_started = f->skip_in_string = f->skip_escape = f->skip_scalar = false;
          f->skip_depth = 0;
          f->elided = true;
          continue;
        }
        break;
      default:
        break;
    }
    if (f->depth == 1 && c != '"' && !is_space(c) && c != ':' && c != ',' && c != '{')
      f->key_matched = false;
    out[n++] = c;
  }
  return n;
}

}  // namespace replicate::detail
