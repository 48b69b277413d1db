// stream(): create a prediction, then read its server-sent events from urls.stream.
//
// The SSE tokenizer is fed straight from curl's write callback, so events reach the caller as
// views into curl's buffer; only an event split across two reads is copied, into the stream's
// carry buffer. When the connection drops before `done`, the stream reconnects with
// Last-Event-ID after the server's retry time (or a doubling delay), so events are neither lost
// nor repeated. A caller's pause maps to curl's pause: curl hands the same chunk back on resume,
// and `skip` remembers how much of it was already parsed.
#include <cstdio>
#include <cstring>

#include "api/client_impl.hpp"
#include "api/validate.hpp"
#include "core/text.hpp"
#include "json/decode.hpp"
#include "reactor/transfer.hpp"

namespace replicate {

using namespace detail;

namespace {

stream_slot* stream_of(operation_slot* op) { return static_cast<stream_slot*>(op->extension); }

void stream_release(client_impl* c, stream_slot* s) {
  s->op = nullptr;
  s->next_free = c->free_streams;
  c->free_streams = s;
}

// Completes the stream operation once and gives its slot back.
void stream_finish(operation_slot* op, const error& err) {
  stream_slot* s = stream_of(op);
  op->extension = nullptr;
  if (s != nullptr) stream_release(op->owner, s);
  op_finish(op, err, nullptr);
}

stream_event_type event_type(std::string_view name) {
  if (name == "output") return stream_event_type::output;
  if (name == "logs") return stream_event_type::logs;
  if (name == "error") return stream_event_type::error;
  if (name == "done") return stream_event_type::done;
  return stream_event_type::other;
}

sse_action on_sse_event(void* user, const sse_event& ev) {
  auto* s = static_cast<stream_slot*>(user);
  operation_slot* op = s->op;
  if (op == nullptr || op->cancel_requested) return sse_action::stop;
  // An event arrived, so the connection works: max_reconnects bounds failures in a row, not
  // the drops a long stream may see over its life.
  s->reconnects = 0;
  stream_event out;
  out.type = event_type(ev.event);
  out.event = ev.event;
  out.data = ev.data;
  out.id = ev.id;
  if (out.type == stream_event_type::error) {
    s->saw_error = true;
    // The data is {"detail": "..."}; keep the text, or the raw data if it is not that shape.
    if (!json_copy_string_field(ev.data, "detail", s->error_detail, sizeof s->error_detail))
      text_copy(s->error_detail, sizeof s->error_detail, ev.data);
  }
  std::uint32_t generation = op->generation;
  stream_action action = s->on_event(op->user, out);
  // The callback may have canceled the stream or closed the client.
  if (op->generation != generation || s->op != op || op->cancel_requested) return sse_action::stop;
  if (out.type == stream_event_type::done) {
    s->got_done = true;
    s->done_canceled = ev.data.find("\"canceled\"") != std::string_view::npos;
    return sse_action::stop;  // the server may keep the connection open: we are finished
  }
  return action == stream_action::pause ? sse_action::pause : sse_action::proceed;
}

std::size_t stream_sink(void* user, const char* data, std::size_t len) {
  auto* s = static_cast<stream_slot*>(user);
  std::size_t skip = s->skip < len ? s->skip : len;
  s->skip = 0;
  sse_result r = sse_tokenizer_feed(&s->tokenizer, data + skip, len - skip);
  if (r.status == sse_status::paused) {
    s->skip = skip + r.consumed;
    s->paused = true;
    return transfer_pause;
  }
  // stopped (done, cancel) and limits end the transfer; the completion sorts out which.
  return r.status == sse_status::ok ? len : 0;
}

void open_stream(operation_slot* op);
void on_reconnect_timer(operation_slot* op);

void on_stream_done(void* user, request_result& r) {
  auto* op = static_cast<operation_slot*>(user);
  stream_slot* s = stream_of(op);
  op->request = 0;
  sse_status status = sse_tokenizer_finish(&s->tokenizer);  // drops an unterminated event
  if (op->cancel_requested) return;                         // cancel() owns the ending
  if (s->got_done) {
    error err;
    if (s->saw_error) {
      err = error(errc::stream_error, s->error_detail);
    } else if (s->done_canceled) {
      err = error(errc::prediction_canceled);
    }
    stream_finish(op, err);
    return;
  }
  if (status == sse_status::event_too_large || status == sse_status::id_too_large) {
    stream_finish(op, error(errc::event_too_large, sse_status_name(status)));
    return;
  }
  // An HTTP error from the stream endpoint is final; a dropped connection is not.
  if (r.err && r.err.http_status >= 400) {
    stream_finish(op, r.err);
    return;
  }
  if (s->reconnects >= s->options.max_reconnects) {
    error err(errc::stream_disconnected,
              r.err ? std::string_view(r.err.detail) : std::string_view("connection closed"));
    err.curl_code = r.err.curl_code;
    stream_finish(op, err);
    return;
  }
  auto retry = sse_tokenizer_retry(&s->tokenizer);
  std::uint64_t delay = static_cast<std::uint64_t>(s->options.reconnect_delay.count());
  if (retry) {
    delay = static_cast<std::uint64_t>(retry->count());
  } else {
    for (unsigned i = 0; i < s->reconnects && delay < 30000; ++i) delay *= 2;
  }
  ++s->reconnects;
  op->state = op_state::waiting_poll;
  if (op->deadline_at != 0) {
    std::uint64_t now = uv_now(op->owner->loop);
    std::uint64_t left = op->deadline_at > now ? op->deadline_at - now : 0;
    if (left < delay) delay = left;
  }
  op_timer_start(op, on_reconnect_timer, delay);
}

void on_reconnect_timer(operation_slot* op) {
  if (op->deadline_at != 0 && uv_now(op->owner->loop) >= op->deadline_at) {
    stream_finish(op, error(errc::deadline_exceeded));
    return;
  }
  open_stream(op);
}

void on_deadline(operation_slot* op) { stream_finish(op, error(errc::deadline_exceeded)); }

void open_stream(operation_slot* op) {
  stream_slot* s = stream_of(op);
  op->state = op_state::streaming;
  s->paused = false;
  s->skip = 0;
  std::size_t n = 0;
  s->headers[n++] = {"Accept", "text/event-stream"};
  s->headers[n++] = {"Cache-Control", "no-store"};
  std::string_view last_id = sse_tokenizer_last_event_id(&s->tokenizer);
  if (!last_id.empty()) s->headers[n++] = {"Last-Event-ID", last_id};
  request_spec spec;
  spec.params.method = http_method::get;
  spec.params.route = s->url;
  spec.params.headers = s->headers;
  spec.params.header_count = n;
  spec.streaming = true;
  spec.never_retry = true;  // reconnects are ours, with Last-Event-ID
  spec.sink = stream_sink;
  spec.sink_user = s;
  error err = requester_submit(&op->owner->http, spec, on_stream_done, op, &op->request);
  if (err) {
    stream_finish(op, err);
    return;
  }
  if (op->deadline_at != 0) {
    std::uint64_t now = uv_now(op->owner->loop);
    op_timer_start(op, on_deadline, op->deadline_at > now ? op->deadline_at - now : 0);
  }
}

void on_stream_cancel_done(void* user, request_result& r) {
  auto* op = static_cast<operation_slot*>(user);
  op->request = 0;
  error canceled(errc::prediction_canceled);
  if (r.err) canceled.set_detail(r.err.detail);
  stream_finish(op, canceled);
}

void send_stream_cancel(operation_slot* op) {
  if (error err = op_submit_cancel(op, on_stream_cancel_done))
    stream_finish(op, error(errc::prediction_canceled, err.detail));
}

void on_stream_created(void* user, request_result& r) {
  auto* op = static_cast<operation_slot*>(user);
  stream_slot* s = stream_of(op);
  op->request = 0;
  if (r.err) {
    stream_finish(op, r.err);
    return;
  }
  prediction p;
  error err;
  if (!decode_prediction_body(r.a, r.res.body, &p, &err)) {
    stream_finish(op, err);
    return;
  }
  op_remember(op, p);
  if (op->cancel_requested) {
    send_stream_cancel(op);
    return;
  }
  if (p.urls.stream.empty()) {
    stream_finish(op, error(errc::stream_unsupported));
    return;
  }
  if (p.urls.stream.size() >= sizeof s->url) {
    stream_finish(op, error(errc::bad_response, "stream URL is longer than 1023 bytes"));
    return;
  }
  text_copy(s->url, sizeof s->url, p.urls.stream);
  open_stream(op);
}

}  // namespace

result<operation> client::stream(std::string_view identifier, const stream_options& options,
                                 stream_event_cb on_event, prediction_cb done, void* user) {
  client_impl* c = impl_;
  if (c == nullptr) return error(errc::not_initialized);
  if (on_event == nullptr || done == nullptr)
    return error(errc::invalid_argument, "on_event and done callbacks are required");
  model_identifier target;
  if (error e = identifier_parse(identifier, &target)) return e;
  if (error e = validate_create(options.create)) return e;
  stream_slot* s = c->free_streams;
  if (s == nullptr) return error(errc::too_many_streams);
  operation_slot* op = op_acquire(c);
  if (op == nullptr) return error(errc::too_many_operations);
  c->free_streams = s->next_free;
  s->next_free = nullptr;
  s->op = op;
  s->on_event = on_event;
  s->options = options;
  s->reconnects = 0;
  s->got_done = s->done_canceled = s->saw_error = false;
  s->error_detail[0] = '\0';
  s->callbacks = sse_callbacks{on_sse_event, nullptr};
  sse_tokenizer_init(&s->tokenizer, s->carry, c->max_event_size, &s->callbacks, s);
  op->kind = op_kind::stream;
  op->done = done;
  op->user = user;
  op->progress = nullptr;
  op->extension = s;
  op->deadline_at =
      options.wait.deadline.count() > 0
          ? uv_now(c->loop) + static_cast<std::uint64_t>(options.wait.deadline.count())
          : 0;
  op->state = op_state::creating;
  prediction_create_params create = s->options.create;
  create.stream = true;
  create.prefer_wait = std::chrono::seconds(0);  // the stream URL is wanted at once
  s->options.create = create;
  error err = prediction_create_submit(c, target, s->options.create, std::chrono::milliseconds(0),
                                       on_stream_created, op, &op->request);
  if (err) {
    op->extension = nullptr;
    stream_release(c, s);
    op->done = nullptr;
    op_release(c, op);
    return err;
  }
  if (op->deadline_at != 0)
    op_timer_start(op, on_deadline, static_cast<std::uint64_t>(options.wait.deadline.count()));
  return operation{op->index, op->generation};
}

error client::stream_resume(operation handle) {
  operation_slot* op = op_find(impl_, handle);
  if (op == nullptr || op->kind != op_kind::stream) return error(errc::not_found);
  stream_slot* s = stream_of(op);
  if (s == nullptr || !s->paused) return error();
  s->paused = false;
  requester_pause(&impl_->http, op->request, false);
  return error();
}

namespace detail {

// cancel() of a stream: stop reading, then cancel server-side. Called by client::cancel.
void stream_cancel(operation_slot* op) noexcept {
  op->cancel_requested = true;
  if (op->state == op_state::creating) return;  // canceled when the create answers
  if (op->request != 0) requester_abort(&op->owner->http, op->request);
  op->request = 0;
  send_stream_cancel(op);
}

// op_finish of a stream from outside (client close): give the slot back too.
void stream_detach(operation_slot* op) noexcept {
  stream_slot* s = stream_of(op);
  op->extension = nullptr;
  if (s != nullptr) stream_release(op->owner, s);
}

}  // namespace detail
}  // namespace replicate
