// Drops one top-level field's value from a JSON object while it streams in.
//
// Replicate echoes a prediction's `input` in every response, so a run() with an 8 MB data URI
// would receive ~11 MB on each poll. run(), wait() and stream() do not need it (the caller sent
// it), so their responses pass through this filter on the way into the arena: the value of the
// top-level "input" key becomes {} and memory stays bounded by what is actually used. Pure:
// bytes in, fewer bytes out, any chunking; no allocation.
#pragma once

#include <cstddef>
#include <cstdint>

namespace replicate::detail {

struct json_elide {
  const char* key = "input";  // the top-level key whose value is replaced by {}
  int depth = 0;
  bool in_string = false;
  bool escape = false;
  bool expect_key = false;  // at depth 1, the next string is a key
  bool in_key = false;
  bool key_mismatch = false;
  int key_pos = 0;
  bool key_matched = false;  // the last key was `key`; its value is next
  // Skipping the value.
  bool skipping = false;
  bool skip_started = false;
  int skip_depth = 0;
  bool skip_in_string = false;
  bool skip_escape = false;
  bool skip_scalar = false;
  bool elided = false;  // a value was dropped
};

// Filters len bytes of in to out (room for len + 2 bytes) and returns the bytes written.
std::size_t json_elide_feed(json_elide* f, const char* in, std::size_t len, char* out) noexcept;

}  // namespace replicate::detail
