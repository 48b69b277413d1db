#include "json/writer.hpp"

#include <cstdio>
#include <cstring>

namespace replicate::detail {

std::size_t json_escape(std::string_view value, char* out, std::size_t cap) noexcept {
  static const char hex[] = "0123456789abcdef";
  std::size_t n = 0;
  auto emit = [&](char c) {
    if (n < cap) out[n] = c;
    ++n;
  };
  for (unsigned char c : value) {
    switch (c) {
      case '"':
        emit('\\');
        emit('"');
        break;
      case '\\':
        emit('\\');
        emit('\\');
        break;
      case '\n':
        emit('\\');
        emit('n');
        break;
      case '\r':
        emit('\\');
        emit('r');
        break;
      case '\t':
        emit('\\');
        emit('t');
        break;
      case '\b':
        emit('\\');
        emit('b');
        break;
      case '\f':
        emit('\\');
        emit('f');
        break;
      default:
        if (c < 0x20) {
          emit('\\');
          emit('u');
          emit('0');
          emit('0');
          emit(hex[c >> 4]);
          emit(hex[c & 15]);
        } else {
          emit(static_cast<char>(c));
        }
    }
  }
  return n;
}

json_writer::json_writer(arena* a) noexcept : arena_(a) { out_ = arena_tail(a, &room_); }

void json_writer::put(std::string_view bytes) noexcept {
  if (bytes.empty()) return;
  if (overflow_ || bytes.size() > room_ - len_) {
    overflow_ = true;
    return;
  }
  std::memcpy(out_ + len_, bytes.data(), bytes.size());
  len_ += bytes.size();
}

void json_writer::put(char c) noexcept { put(std::string_view(&c, 1)); }

void json_writer::separator() noexcept {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (need_comma_) put(',');
}

void json_writer::begin_object() noexcept {
  separator();
  put('{');
  need_comma_ = false;
}

void json_writer::end_object() noexcept {
  put('}');
  need_comma_ = true;
}

void json_writer::begin_array() noexcept {
  separator();
  put('[');
  need_comma_ = false;
}

void json_writer::end_array() noexcept {
  put(']');
  need_comma_ = true;
}

void json_writer::key(std::string_view name) noexcept {
  string(name);
  put(':');
  after_key_ = true;
  need_comma_ = false;
}

void json_writer::string(std::string_view value) noexcept {
  separator();
  put('"');
  if (!overflow_) {
    std::size_t need = json_escape(value, out_ + len_, room_ - len_);
    if (need > room_ - len_)
      overflow_ = true;
    else
      len_ += need;
  }
  put('"');
  need_comma_ = true;
}

void json_writer::raw(std::string_view json) noexcept {
  separator();
  put(json);
  need_comma_ = true;
}

void json_writer::number(long long value) noexcept {
  char buf[24];
  int n = std::snprintf(buf, sizeof buf, "%lld", value);
  raw(std::string_view(buf, static_cast<std::size_t>(n)));
}

void json_writer::boolean(bool value) noexcept { raw(value ? "true" : "false"); }

std::string_view json_writer::finish() noexcept {
  if (overflow_ || len_ >= room_) {
    arena_->exhausted = true;
    return {};
  }
  out_[len_] = '\0';
  arena_commit(arena_, len_ + 1);
  return {out_, len_};
}

}  // namespace replicate::detail
