// A request body made of pieces sent one after another: literal bytes and streamed sources.
// Lets a JSON body wrap a streamed value (a data URI) without ever holding it whole.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/arena.hpp"
#include "replicate/http.hpp"

namespace replicate::detail {

struct body_piece {
  std::string_view text;                // used when stream is null
  const body_source* stream = nullptr;  // its bytes, in order
};

// Allocates the source in the arena. Its length is known when every stream's length is.
const body_source* concat_body_create(arena* a, const body_piece* pieces,
                                      std::size_t count) noexcept;

}  // namespace replicate::detail
