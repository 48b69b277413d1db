#include <cassert>
#include <cstdlib>
#include <new>

#include "api/client_impl.hpp"
#include "api/validate.hpp"
#include "http/url.hpp"
#include "json/decode.hpp"

namespace replicate {

using namespace detail;

client::~client() {
  // Close first: the loop may still hold handles that point into this client.
  assert(impl_ == nullptr && "replicate::client destroyed without close()");
}

error client::init(uv_loop_t* loop, const client_options& options) {
  if (impl_ != nullptr) return error(errc::invalid_argument, "client is already initialized");
  if (loop == nullptr) return error(errc::invalid_argument, "loop is null");
  if (options.arena_count == 0 || options.arena_size < 4096 || options.max_operations == 0)
    return error(errc::invalid_argument,
                 "arena_count and max_operations must be > 0, arena_size at least 4096");
  if (!detail::url_is_absolute_http(options.base_url))
    return error(errc::invalid_url, "base_url must be an absolute http(s) URL");
  std::string_view token = options.auth;
  if (token.empty()) {
    const char* env = std::getenv("REPLICATE_API_TOKEN");
    if (env != nullptr) token = env;
  }
  auto* c = new (std::nothrow) client_impl();
  if (c == nullptr) return error(errc::pool_exhausted, "out of memory");
  c->loop = loop;
  c->poll_interval =
      options.poll_interval.count() > 0 ? options.poll_interval : std::chrono::milliseconds(500);
  c->request_timeout = options.request_timeout;
  // Raw memory: a slot is built the first time it is needed, so
  // max_operations costs address space, not RSS, until operations actually run.
  c->ops =
      static_cast<operation_slot*>(std::malloc(options.max_operations * sizeof(operation_slot)));
  c->max_event_size = options.max_event_size;
  c->stream_count = options.max_streams;
  if (c->stream_count > 0) {
    c->streams = new (std::nothrow) stream_slot[c->stream_count];
    // Untouched pages of the carry block cost no memory until a stream uses them.
    c->carry_block = static_cast<char*>(std::malloc(c->stream_count * c->max_event_size + 1));
  }
  bool streams_ok = c->stream_count == 0 || (c->streams != nullptr && c->carry_block != nullptr);
  bool timers_ok = c->ops != nullptr && op_timers_init(&c->timers, c, options.max_operations);
  if (!timers_ok || !streams_ok || !requester_init(&c->http, loop, options, token)) {
    op_timers_free(&c->timers);
    std::free(c->ops);
    delete[] c->streams;
    std::free(c->carry_block);
    delete c;
    return error(errc::pool_exhausted, "cannot allocate the arena pool, operation or stream slots");
  }
  c->http.on_room = op_unpark_all;
  c->http.on_room_user = c;
  for (std::size_t i = c->stream_count; i-- > 0;) {
    c->streams[i].carry = c->carry_block + i * c->max_event_size;
    c->streams[i].next_free = c->free_streams;
    c->free_streams = &c->streams[i];
  }
  op_timers_attach(&c->timers, loop);
  c->op_count = options.max_operations;
  impl_ = c;
  return error();
}

namespace {

void finish_close(client_impl* c) {
  close_cb cb = c->on_closed;
  void* user = c->on_closed_user;
  for (std::size_t i = 0; i < c->ops_built; ++i) c->ops[i].~operation_slot();
  std::free(c->ops);
  delete[] c->streams;
  std::free(c->carry_block);
  delete c;
  if (cb != nullptr) cb(user);
}

void on_timers_closed(uv_handle_t* handle) {
  auto* t = static_cast<op_timers*>(handle->data);
  client_impl* c = t->owner;
  op_timers_free(t);
  finish_close(c);
}

void on_http_closed(void* user) {
  auto* c = static_cast<client_impl*>(user);
  op_timers_close(&c->timers, on_timers_closed);
}

}  // namespace

void client::close(close_cb cb, void* user) {
  client_impl* c = impl_;
  if (c == nullptr || c->closing) return;
  impl_ = nullptr;
  c->closing = true;
  c->on_closed = cb;
  c->on_closed_user = user;
  op_fail_all(c);
  requester_close(&c->http, on_http_closed, c);
}

namespace {

struct raw_request_state {
  response_cb cb;
  void* user;
};

void on_raw_done(void*, request_result& r) {
  auto* st = r.spec->state_as<raw_request_state>();
  st->cb(st->user, r.err, r.res);
}

}  // namespace

error client::request(const request_params& params, response_cb cb, void* user) {
  if (impl_ == nullptr) return error(errc::not_initialized);
  if (cb == nullptr) return error(errc::invalid_argument, "callback is null");
  request_spec spec;
  spec.params = params;
  *spec.state_as<raw_request_state>() = {cb, user};
  return requester_submit(&impl_->http, spec, on_raw_done, nullptr, nullptr);
}

memory_stats client::stats() const noexcept {
  memory_stats s;
  if (impl_ == nullptr) return s;
  const requester& q = impl_->http;
  s.arena_count = q.arenas.count;
  s.arena_size = q.arenas.size;
  s.arenas_in_use = q.arenas.in_use;
  s.arenas_peak = q.arenas.peak_in_use;
  s.arena_high_water_bytes = arena_pool_high_water(&q.arenas);
  s.requests_queued = q.queue_len;
  s.requests_queued_peak = q.queue_peak;
  s.operations_in_use = impl_->ops_in_use;
  s.operations_peak = impl_->ops_peak;
  s.requests_sent = q.requests_sent;
  s.retries = q.retries;
  return s;
}

uv_loop_t* client::loop() const noexcept { return impl_ == nullptr ? nullptr : impl_->loop; }

}  // namespace replicate
