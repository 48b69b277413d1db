// The client's private state: the requester (HTTP), the operation slots (run/wait/stream), and
// the options that outlive init.
#pragma once

#include <uv.h>

#include <cstdint>
#include <string>

#include "api/identifier.hpp"
#include "api/op_timers.hpp"
#include "http/requester.hpp"
#include "replicate/client.hpp"
#include "replicate/sse.hpp"

namespace replicate::detail {

struct client_impl;

enum class op_kind : std::uint8_t { run, wait, stream };
enum class op_state : std::uint8_t { idle, creating, waiting_poll, polling, canceling, streaming };

// A run/wait/stream in progress. Slots are allocated once at init, built on first use, reused.
struct operation_slot {
  // Its timer, in the client's shared heap (op_timers): poll interval and deadline share it.
  std::uint64_t timer_due = 0;
  op_timer_fn timer_fn = nullptr;
  std::uint32_t timer_pos = UINT32_MAX;
  std::uint32_t poll_ms = 500;
  client_impl* owner = nullptr;
  operation_slot* next_free = nullptr;
  std::uint32_t index = 0;
  std::uint32_t generation = 0;
  op_kind kind = op_kind::run;
  op_state state = op_state::idle;
  bool cancel_requested = false;
  // Parked: waiting for a free request slot before sending its create or poll (state says
  // which). Costs nothing beyond the slot, unlike a queued request.
  bool parked = false;
  request_id request = 0;
  prediction_cb done = nullptr;
  progress_cb progress = nullptr;
  void* user = nullptr;
  std::uint64_t deadline_at = 0;  // uv_now() milliseconds; 0 means none
  char id[40] = {};
  char status[16] = {};
  // Kept for the create request of run(); views stay the caller's (libuv's lifetime rule).
  // The identifier is parsed again when a parked create is sent (cheaper than keeping it).
  prediction_create_params create;
  std::string_view identifier;
  void* extension = nullptr;  // stream() keeps its per-stream state here
  operation_slot* park_prev = nullptr;
  operation_slot* park_next = nullptr;
};

// An open stream(): its tokenizer, URL and reconnect state, kept across reconnects. Allocated
// once at init (client_options::max_streams), with a carry buffer of max_event_size each.
struct stream_slot {
  sse_tokenizer tokenizer;
  sse_callbacks callbacks;
  operation_slot* op = nullptr;
  stream_slot* next_free = nullptr;
  char* carry = nullptr;
  stream_event_cb on_event = nullptr;
  stream_options options;
  char url[1024] = {};
  header headers[3];
  unsigned reconnects = 0;
  std::size_t skip = 0;  // bytes of a chunk curl re-delivers after a pause that were parsed
  bool paused = false;
  bool got_done = false;
  bool done_canceled = false;
  bool saw_error = false;
  char error_detail[256] = {};
};

struct client_impl {
  uv_loop_t* loop = nullptr;
  op_timers timers;
  stream_slot* streams = nullptr;
  std::size_t stream_count = 0;
  stream_slot* free_streams = nullptr;
  char* carry_block = nullptr;
  std::size_t max_event_size = 0;
  requester http;
  operation_slot* ops = nullptr;  // raw memory: slots are built on first use (op_acquire)
  std::size_t op_count = 0;
  std::size_t ops_built = 0;
  std::size_t ops_in_use = 0;
  std::size_t ops_peak = 0;
  operation_slot* free_ops = nullptr;
  operation_slot* parked_head = nullptr;
  operation_slot* parked_tail = nullptr;
  std::chrono::milliseconds poll_interval{500};
  std::chrono::milliseconds request_timeout{120000};
  bool closing = false;
  std::size_t closing_handles = 0;
  close_cb on_closed = nullptr;
  void* on_closed_user = nullptr;
};

operation_slot* op_acquire(client_impl* c) noexcept;
void op_release(client_impl* c, operation_slot* op) noexcept;
operation_slot* op_find(client_impl* c, operation handle) noexcept;
// Completes an operation exactly once: stops its timer, drops its request, fires `done`.
void op_finish(operation_slot* op, const error& err, const prediction* p) noexcept;
// Moves the operation to canceling and sends POST /predictions/{id}/cancel, answered to done.
error op_submit_cancel(operation_slot* op, request_done_fn done) noexcept;
// Keeps the prediction's id and status for errors and polls.
void op_remember(operation_slot* op, const prediction& p) noexcept;
// Submits parked operations while the requester has room (requester::on_room).
void op_unpark_all(void* client) noexcept;
// Fails every live operation with client_closed (used by close()).
void op_fail_all(client_impl* c) noexcept;

// Submits POST .../predictions for `target` (or params.version) and calls done with the result.
// The caller has checked params with validate_create (once, even when the create waits).
error prediction_create_submit(client_impl* c, const model_identifier& target,
                               const prediction_create_params& params,
                               std::chrono::milliseconds extra_timeout, request_done_fn done,
                               void* user, request_id* id, prediction_cb public_cb = nullptr,
                               void* public_user = nullptr) noexcept;
// A `done` for prediction_create_submit that decodes the prediction and fires public_cb.
void prediction_create_deliver(void* user, request_result& r) noexcept;
// stream(): cancel (stop reading, cancel server-side) and detach its slot before a forced finish.
void stream_cancel(operation_slot* op) noexcept;
void stream_detach(operation_slot* op) noexcept;
// Maps a terminal prediction to the operation's result: ok, or failed/canceled/aborted.
error prediction_outcome(const prediction& p) noexcept;

}  // namespace replicate::detail
