#include "api/op_timers.hpp"

#include <cstdlib>

#include "api/client_impl.hpp"

namespace replicate::detail {
namespace {

constexpr std::uint32_t not_queued = UINT32_MAX;

operation_slot* at(op_timers* t, std::size_t i) { return &t->owner->ops[t->heap[i]]; }

void place(op_timers* t, std::size_t i, std::uint32_t slot) {
  t->heap[i] = slot;
  t->owner->ops[slot].timer_pos = static_cast<std::uint32_t>(i);
}

void sift_up(op_timers* t, std::size_t i) {
  std::uint32_t slot = t->heap[i];
  std::uint64_t due = t->owner->ops[slot].timer_due;
  while (i > 0) {
    std::size_t parent = (i - 1) / 2;
    if (at(t, parent)->timer_due <= due) break;
    place(t, i, t->heap[parent]);
    i = parent;
  }
  place(t, i, slot);
}

void sift_down(op_timers* t, std::size_t i) {
  std::uint32_t slot = t->heap[i];
  std::uint64_t due = t->owner->ops[slot].timer_due;
  for (;;) {
    std::size_t child = 2 * i + 1;
    if (child >= t->size) break;
    if (child + 1 < t->size && at(t, child + 1)->timer_due < at(t, child)->timer_due) ++child;
    if (at(t, child)->timer_due >= due) break;
    place(t, i, t->heap[child]);
    i = child;
  }
  place(t, i, slot);
}

void remove_at(op_timers* t, std::size_t i) {
  at(t, i)->timer_pos = not_queued;
  --t->size;
  if (i == t->size) return;
  place(t, i, t->heap[t->size]);
  sift_down(t, i);
  sift_up(t, t->owner->ops[t->heap[i]].timer_pos);
}

void on_due(uv_timer_t* timer);

// Arms the one uv timer for the earliest due operation.
void rearm(op_timers* t) {
  if (t->size == 0) {
    uv_timer_stop(&t->timer);
    return;
  }
  std::uint64_t now = uv_now(t->timer.loop);
  std::uint64_t due = at(t, 0)->timer_due;
  uv_timer_start(&t->timer, on_due, due > now ? due - now : 0, 0);
}

void on_due(uv_timer_t* timer) {
  auto* t = static_cast<op_timers*>(timer->data);
  std::uint64_t now = uv_now(timer->loop);
  // Callbacks may start and stop timers: take one due operation at a time off the top.
  while (t->size > 0 && at(t, 0)->timer_due <= now) {
    operation_slot* op = at(t, 0);
    op_timer_fn fn = op->timer_fn;
    remove_at(t, 0);
    fn(op);
  }
  rearm(t);
}

}  // namespace

bool op_timers_init(op_timers* t, client_impl* owner, std::size_t capacity) noexcept {
  t->heap = static_cast<std::uint32_t*>(std::malloc(capacity * sizeof(std::uint32_t)));
  if (t->heap == nullptr) return false;
  t->capacity = capacity;
  t->size = 0;
  t->owner = owner;
  return true;
}

void op_timers_attach(op_timers* t, uv_loop_t* loop) noexcept {
  uv_timer_init(loop, &t->timer);
  t->timer.data = t;
}

void op_timer_start(operation_slot* op, op_timer_fn fn, std::uint64_t delay_ms) noexcept {
  op_timers* t = &op->owner->timers;
  op->timer_fn = fn;
  op->timer_due = uv_now(t->timer.loop) + delay_ms;
  if (op->timer_pos == not_queued) {
    op->timer_pos = static_cast<std::uint32_t>(t->size);
    t->heap[t->size++] = op->index;
    sift_up(t, op->timer_pos);
  } else {
    std::size_t i = op->timer_pos;
    sift_up(t, i);
    sift_down(t, op->timer_pos);
  }
  rearm(t);
}

void op_timer_stop(operation_slot* op) noexcept {
  if (op->timer_pos == not_queued) return;
  op_timers* t = &op->owner->timers;
  remove_at(t, op->timer_pos);
  // Leaving the uv timer armed early is harmless: on_due finds nothing due and re-arms.
}

void op_timers_close(op_timers* t, uv_close_cb on_closed) noexcept {
  uv_timer_stop(&t->timer);
  uv_close(reinterpret_cast<uv_handle_t*>(&t->timer), on_closed);
}

void op_timers_free(op_timers* t) noexcept {
  std::free(t->heap);
  t->heap = nullptr;
}

}  // namespace replicate::detail
