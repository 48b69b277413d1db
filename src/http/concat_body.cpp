#include "http/concat_body.hpp"

#include <cstring>
#include <new>

namespace replicate::detail {
namespace {

constexpr std::size_t max_pieces = 8;

struct concat_body {
  body_source source;
  body_piece pieces[max_pieces];
  std::size_t count = 0;
  std::size_t index = 0;
  std::size_t offset = 0;  // into the current literal piece
};

std::size_t concat_read(void* ctx, char* buf, std::size_t size) {
  auto* c = static_cast<concat_body*>(ctx);
  std::size_t written = 0;
  while (written < size && c->index < c->count) {
    const body_piece& p = c->pieces[c->index];
    if (p.stream != nullptr) {
      std::size_t got = p.stream->read(p.stream->ctx, buf + written, size - written);
      if (got == static_cast<std::size_t>(-1)) return got;  // the stream failed: abort
      if (got == 0) ++c->index;
      written += got;
      continue;
    }
    std::size_t left = p.text.size() - c->offset;
    std::size_t take = left < size - written ? left : size - written;
    if (take > 0) std::memcpy(buf + written, p.text.data() + c->offset, take);
    written += take;
    c->offset += take;
    if (c->offset == p.text.size()) {
      ++c->index;
      c->offset = 0;
    }
  }
  return written;
}

bool concat_rewind(void* ctx) {
  auto* c = static_cast<concat_body*>(ctx);
  for (std::size_t i = 0; i < c->count; ++i) {
    const body_source* s = c->pieces[i].stream;
    if (s != nullptr && (s->rewind == nullptr || !s->rewind(s->ctx))) return false;
  }
  c->index = 0;
  c->offset = 0;
  return true;
}

}  // namespace

const body_source* concat_body_create(arena* a, const body_piece* pieces,
                                      std::size_t count) noexcept {
  if (count > max_pieces) return nullptr;
  void* mem = arena_alloc(a, sizeof(concat_body), alignof(concat_body));
  if (mem == nullptr) return nullptr;
  auto* c = new (mem) concat_body();
  std::int64_t length = 0;
  for (std::size_t i = 0; i < count; ++i) {
    c->pieces[i] = pieces[i];
    if (pieces[i].stream == nullptr) {
      if (length >= 0) length += static_cast<std::int64_t>(pieces[i].text.size());
    } else if (pieces[i].stream->length < 0 || length < 0) {
      length = -1;
    } else {
      length += pieces[i].stream->length;
    }
  }
  c->count = count;
  c->source.read = concat_read;
  c->source.rewind = concat_rewind;
  c->source.ctx = c;
  c->source.length = length;
  return &c->source;
}

}  // namespace replicate::detail
