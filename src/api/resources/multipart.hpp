// The multipart/form-data body of POST /files, streamed: a literal head, the content (caller
// bytes or a body_source read while curl sends), a literal tail. Only the head and tail are
// written into the arena; the content is never copied whole. Its length is exact when the
// content's length is known, so curl sends a Content-Length instead of chunks.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/arena.hpp"
#include "replicate/http.hpp"

namespace replicate::detail {

struct multipart_file {
  std::string_view filename;       // no '"', CR or LF (checked by multipart_check)
  std::string_view content_type;   // the content part's Content-Type and the `type` field
  std::string_view metadata_json;  // the `metadata` field; empty: not sent
  std::string_view data;           // the content when stream is null
  const body_source* stream = nullptr;
};

// Characters a boundary has (a fixed prefix and 32 hex digits).
inline constexpr std::size_t multipart_boundary_size = 48;

// Writes a boundary that is unlikely to occur in any content into out (not NUL-terminated).
void multipart_boundary(char out[multipart_boundary_size]) noexcept;
// An error text when a field would break the body's framing, else nullptr.
const char* multipart_check(const multipart_file& f) noexcept;
// The body source (in the arena), or nullptr when the arena is full.
const body_source* multipart_create(arena* a, std::string_view boundary,
                                    const multipart_file& f) noexcept;

}  // namespace replicate::detail
