// run() and wait(): create a prediction, then wait for it on the caller's loop.
//
// States: creating (POST, `Prefer: wait=N` in block mode) → waiting_poll (uv timer) → polling
// (GET) → ... → finished. One timer per operation serves both the poll interval and the overall
// deadline: it is armed for whichever comes first. cancel() drops the wait, asks the API to
// cancel, and completes with prediction_canceled exactly once.
#include <cstring>
#include <new>

#include "api/client_impl.hpp"
#include "api/validate.hpp"
#include "core/text.hpp"
#include "json/decode.hpp"

namespace replicate {

using namespace detail;

namespace detail {

operation_slot* op_acquire(client_impl* c) noexcept {
  operation_slot* op = c->free_ops;
  if (op != nullptr) {
    c->free_ops = op->next_free;
  } else if (c->ops_built < c->op_count) {
    op = new (&c->ops[c->ops_built]) operation_slot();
    op->owner = c;
    op->index = static_cast<std::uint32_t>(c->ops_built++);
  } else {
    return nullptr;
  }
  op->next_free = nullptr;
  op->state = op_state::idle;
  op->cancel_requested = false;
  op->request = 0;
  op->deadline_at = 0;
  op->id[0] = '\0';
  op->status[0] = '\0';
  op->extension = nullptr;
  if (++c->ops_in_use > c->ops_peak) c->ops_peak = c->ops_in_use;
  return op;
}

void op_release(client_impl* c, operation_slot* op) noexcept {
  op_timer_stop(op);
  ++op->generation;  // stale handles stop matching
  op->state = op_state::idle;
  op->done = nullptr;
  op->next_free = c->free_ops;
  c->free_ops = op;
  --c->ops_in_use;
}

operation_slot* op_find(client_impl* c, operation handle) noexcept {
  if (c == nullptr || handle.slot >= c->ops_built) return nullptr;
  operation_slot* op = &c->ops[handle.slot];
  if (op->generation != handle.generation || op->state == op_state::idle) return nullptr;
  return op;
}

void op_unpark(operation_slot* op) noexcept {
  if (!op->parked) return;
  client_impl* c = op->owner;
  (op->park_prev != nullptr ? op->park_prev->park_next : c->parked_head) = op->park_next;
  (op->park_next != nullptr ? op->park_next->park_prev : c->parked_tail) = op->park_prev;
  op->park_prev = op->park_next = nullptr;
  op->parked = false;
}

void op_park(operation_slot* op) noexcept {
  client_impl* c = op->owner;
  op->parked = true;
  op->park_next = nullptr;
  op->park_prev = c->parked_tail;
  (c->parked_tail != nullptr ? c->parked_tail->park_next : c->parked_head) = op;
  c->parked_tail = op;
}

void op_finish(operation_slot* op, const error& err, const prediction* p) noexcept {
  client_impl* c = op->owner;
  op_unpark(op);
  op_timer_stop(op);
  if (op->request != 0) requester_abort(&c->http, op->request);
  op->request = 0;
  prediction_cb done = op->done;
  void* user = op->user;
  error final_err = err;
  if (final_err && final_err.prediction_id[0] == '\0' && op->id[0] != '\0')
    final_err.set_prediction(op->id, op->status);
  op_release(c, op);
  if (done != nullptr) done(user, final_err, p);
}

error op_submit_cancel(operation_slot* op, request_done_fn done) noexcept {
  op->state = op_state::canceling;
  op_timer_stop(op);
  request_spec spec;
  spec.params.method = http_method::post;
  spec.params.route = "/predictions/";
  spec.route_tail[0] = op->id;
  spec.route_tail[1] = "/cancel";
  spec.elide_input = true;
  return requester_submit(&op->owner->http, spec, done, op, &op->request);
}

void op_remember(operation_slot* op, const prediction& p) noexcept {
  text_copy(op->id, sizeof op->id, p.id);
  text_copy(op->status, sizeof op->status, p.status_text);
}

void op_fail_all(client_impl* c) noexcept {
  for (std::size_t i = 0; i < c->ops_built; ++i) {
    operation_slot* op = &c->ops[i];
    if (op->state == op_state::idle) continue;
    if (op->kind == op_kind::stream) stream_detach(op);
    op_finish(op, error(errc::client_closed), nullptr);
  }
}

}  // namespace detail

namespace {

void on_poll_done(void* user, request_result& r);
void on_cancel_done(void* user, request_result& r);

void send_cancel(operation_slot* op) {
  if (error err = op_submit_cancel(op, on_cancel_done))
    op_finish(op, error(errc::prediction_canceled, err.detail), nullptr);
}

void on_timer(operation_slot* op);

// Arms the single timer for the next poll or the deadline, whichever is first.
void schedule_poll(operation_slot* op) {
  op->state = op_state::waiting_poll;
  std::uint64_t delay = op->poll_ms;
  if (op->deadline_at != 0) {
    std::uint64_t now = uv_now(op->owner->loop);
    std::uint64_t left = op->deadline_at > now ? op->deadline_at - now : 0;
    if (left < delay) delay = left;
  }
  op_timer_start(op, on_timer, delay);
}

void arm_deadline(operation_slot* op) {
  if (op->deadline_at == 0) return;
  std::uint64_t now = uv_now(op->owner->loop);
  op_timer_start(op, on_timer, op->deadline_at > now ? op->deadline_at - now : 0);
}

error submit_poll(operation_slot* op) {
  op->state = op_state::polling;
  if (!requester_has_room(&op->owner->http)) {
    op_park(op);  // sent by op_unpark_all when a slot frees
    arm_deadline(op);
    return error();
  }
  request_spec spec;
  spec.params.method = http_method::get;
  spec.params.route = "/predictions/";
  spec.route_tail[0] = op->id;
  spec.elide_input = true;
  error err = requester_submit(&op->owner->http, spec, on_poll_done, op, &op->request);
  if (!err) arm_deadline(op);
  return err;
}

void poll_now(operation_slot* op) {
  if (error err = submit_poll(op)) op_finish(op, err, nullptr);
}

void on_timer(operation_slot* op) {
  if (op->deadline_at != 0 && uv_now(op->owner->loop) >= op->deadline_at) {
    error err(errc::deadline_exceeded, "the wait's deadline passed; the prediction keeps running");
    op_finish(op, err, nullptr);
    return;
  }
  if (op->state == op_state::waiting_poll) poll_now(op);
}

// A create or poll answered: report progress, then finish or keep waiting.
void on_prediction(operation_slot* op, request_result& r) {
  op->request = 0;
  if (r.err) {
    op_finish(op, r.err, nullptr);
    return;
  }
  prediction p;
  error err;
  if (!decode_prediction_body(r.a, r.res.body, &p, &err)) {
    err.http_status = r.res.status;
    op_finish(op, err, nullptr);
    return;
  }
  op_remember(op, p);
  if (op->progress != nullptr) {
    // The callback may cancel the operation or close the client: then it is no longer ours.
    std::uint32_t generation = op->generation;
    op_state state = op->state;
    op->progress(op->user, p);
    if (op->generation != generation || op->state != state) return;
  }
  if (op->cancel_requested) {
    send_cancel(op);
    return;
  }
  if (prediction_status_terminal(p.status)) {
    op_finish(op, prediction_outcome(p), &p);
    return;
  }
  if (op->deadline_at != 0 && uv_now(op->owner->loop) >= op->deadline_at) {
    op_finish(op, error(errc::deadline_exceeded), &p);
    return;
  }
  schedule_poll(op);
}

void on_create_done(void* user, request_result& r) {
  on_prediction(static_cast<operation_slot*>(user), r);
}
void on_poll_done(void* user, request_result& r) {
  on_prediction(static_cast<operation_slot*>(user), r);
}

void on_cancel_done(void* user, request_result& r) {
  auto* op = static_cast<operation_slot*>(user);
  op->request = 0;
  prediction p;
  error decode_err;
  bool have = !r.err && decode_prediction_body(r.a, r.res.body, &p, &decode_err);
  if (have) op_remember(op, p);
  error canceled(errc::prediction_canceled);
  if (r.err)
    canceled.set_detail(r.err.detail[0] != '\0' ? std::string_view(r.err.detail) : r.err.message());
  // A prediction that finished before the cancel reached it reports its real outcome.
  if (have && prediction_status_terminal(p.status) && p.status != prediction_status::canceled) {
    op_finish(op, prediction_outcome(p), &p);
    return;
  }
  op_finish(op, canceled, have ? &p : nullptr);
}

error start_op(client_impl* c, operation_slot** out, const wait_options& wait, prediction_cb done,
               void* user, progress_cb progress) {
  if (c == nullptr) return error(errc::not_initialized);
  if (done == nullptr) return error(errc::invalid_argument, "done callback is null");
  operation_slot* op = op_acquire(c);
  if (op == nullptr) return error(errc::too_many_operations);
  op->done = done;
  op->user = user;
  op->progress = progress;
  auto poll = wait.poll_interval.count() > 0 ? wait.poll_interval : c->poll_interval;
  op->poll_ms = static_cast<std::uint32_t>(poll.count());
  op->deadline_at = wait.deadline.count() > 0
                        ? uv_now(c->loop) + static_cast<std::uint64_t>(wait.deadline.count())
                        : 0;
  *out = op;
  return error();
}

}  // namespace

result<operation> client::run(std::string_view identifier, const run_options& options,
                              prediction_cb done, void* user, progress_cb progress) {
  model_identifier target;
  if (error e = identifier_parse(identifier, &target)) return e;
  operation_slot* op = nullptr;
  if (error e = start_op(impl_, &op, options.wait, done, user, progress)) return e;
  op->kind = op_kind::run;
  op->create = options.create;
  op->identifier = identifier;
  prediction_create_params& create = op->create;
  if (options.mode == wait_mode::block && create.prefer_wait.count() == 0)
    create.prefer_wait =
        options.block_wait.count() > 60 ? std::chrono::seconds(60) : options.block_wait;
  if (options.mode == wait_mode::poll) create.prefer_wait = std::chrono::seconds(0);
  op->state = op_state::creating;
  error err = validate_create(create);
  if (!err && !requester_has_room(&impl_->http)) {
    // Wait in the operation slot, not in the request queue: 10,000 runs waiting cost no more
    // memory than their slots. op_unpark_all sends the create when a request slot frees.
    op_park(op);
    arm_deadline(op);
    return operation{op->index, op->generation};
  }
  if (!err)
    err = prediction_create_submit(impl_, target, create, std::chrono::milliseconds(0),
                                   on_create_done, op, &op->request);
  if (err) {
    op->done = nullptr;
    op_release(impl_, op);
    return err;
  }
  arm_deadline(op);
  return operation{op->index, op->generation};
}

result<operation> client::wait(std::string_view prediction_id, const wait_options& options,
                               prediction_cb done, void* user, progress_cb progress) {
  if (error e = validate_id(prediction_id, "prediction id")) return e;
  if (prediction_id.size() >= sizeof(operation_slot::id))
    return error(errc::invalid_argument, "prediction id is too long");
  operation_slot* op = nullptr;
  if (error e = start_op(impl_, &op, options, done, user, progress)) return e;
  op->kind = op_kind::wait;
  text_copy(op->id, sizeof op->id, prediction_id);
  if (error err = submit_poll(op)) {
    op->done = nullptr;  // a call that returns an error never fires its callback
    op_timer_stop(op);
    op_release(impl_, op);
    return err;
  }
  return operation{op->index, op->generation};
}

error client::cancel(operation handle) {
  operation_slot* op = op_find(impl_, handle);
  if (op == nullptr) return error(errc::not_found, "operation already finished");
  if (op->state == op_state::canceling || op->cancel_requested) return error();
  if (op->kind == op_kind::stream) {
    stream_cancel(op);
    return error();
  }
  if (op->parked && op->state == op_state::creating) {
    // Nothing was sent: there is no prediction to cancel server-side.
    op_finish(op, error(errc::prediction_canceled, "canceled before the create was sent"), nullptr);
    return error();
  }
  op_unpark(op);
  if (op->state == op_state::creating) {
    // The id is not known yet, and dropping the create could leave a prediction running:
    // cancel it as soon as the create answers.
    op->cancel_requested = true;
    return error();
  }
  if (op->request != 0) requester_abort(&impl_->http, op->request);
  op->request = 0;
  send_cancel(op);
  return error();
}

namespace detail {

void op_unpark_all(void* client) noexcept {
  auto* c = static_cast<client_impl*>(client);
  while (c->parked_head != nullptr && requester_has_room(&c->http)) {
    operation_slot* op = c->parked_head;
    op_unpark(op);
    error err;
    if (op->state == op_state::creating) {
      model_identifier target;
      err = identifier_parse(op->identifier, &target);
      if (!err)
        err = prediction_create_submit(c, target, op->create, std::chrono::milliseconds(0),
                                       on_create_done, op, &op->request);
    } else {
      err = submit_poll(op);
    }
    if (err) op_finish(op, err, nullptr);
  }
}

}  // namespace detail
}  // namespace replicate
