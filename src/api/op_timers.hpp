// One uv timer for every operation's poll interval, deadline and reconnect delay: a binary
// min-heap of due times. A uv_timer_t per operation would cost 152 bytes each, 1.5 MB for
// 10,000 waiting runs; a heap entry costs 4.
#pragma once

#include <uv.h>

#include <cstddef>
#include <cstdint>

namespace replicate::detail {

struct operation_slot;
struct client_impl;

using op_timer_fn = void (*)(operation_slot* op);

struct op_timers {
  uv_timer_t timer;
  std::uint32_t* heap = nullptr;  // indices of operation slots, earliest due first
  std::size_t size = 0;
  std::size_t capacity = 0;
  client_impl* owner = nullptr;
};

// capacity is max_operations; the heap is raw memory, touched only as deep as it is used.
// Allocates only (it may fail); op_timers_attach then adds the uv timer (it cannot fail).
bool op_timers_init(op_timers* t, client_impl* owner, std::size_t capacity) noexcept;
void op_timers_attach(op_timers* t, uv_loop_t* loop) noexcept;
// Calls fn(op) once, delay_ms from now; replaces a pending start of the same operation.
void op_timer_start(operation_slot* op, op_timer_fn fn, std::uint64_t delay_ms) noexcept;
void op_timer_stop(operation_slot* op) noexcept;
// Closes the uv timer; on_closed fires from its close callback. The heap is freed then.
void op_timers_close(op_timers* t, uv_close_cb on_closed) noexcept;
void op_timers_free(op_timers* t) noexcept;

}  // namespace replicate::detail
