// Writes a JSON document straight into the free tail of an arena (request bodies). Nothing else
// may allocate from the arena until finish(). Overflow is remembered and reported by finish().
#pragma once

#include <cstddef>
#include <string_view>

#include "core/arena.hpp"

namespace replicate::detail {

class json_writer {
 public:
  explicit json_writer(arena* a) noexcept;

  void begin_object() noexcept;
  void end_object() noexcept;
  void begin_array() noexcept;
  void end_array() noexcept;
  void key(std::string_view name) noexcept;
  void string(std::string_view value) noexcept;  // escaped
  void raw(std::string_view json) noexcept;      // a value that is JSON text already
  void number(long long value) noexcept;
  void boolean(bool value) noexcept;

  // Claims the written bytes; empty view (and a->exhausted) when they did not fit.
  std::string_view finish() noexcept;

 private:
  void separator() noexcept;
  void put(std::string_view bytes) noexcept;
  void put(char c) noexcept;

  arena* arena_;
  char* out_;
  std::size_t room_;
  std::size_t len_ = 0;
  bool overflow_ = false;
  bool need_comma_ = false;
  bool after_key_ = false;
};

// Writes `value` JSON-escaped (no quotes) to out; returns bytes needed (may exceed cap).
std::size_t json_escape(std::string_view value, char* out, std::size_t cap) noexcept;

}  // namespace replicate::detail
