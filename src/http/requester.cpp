#include "http/requester.hpp"

#include <strings.h>

#include <cstddef>
#include <cstdlib>
#include <new>

#include "http/retry.hpp"
#include "http/url.hpp"
#include "json/decode.hpp"
#include "json/elide.hpp"
#include "replicate/version.hpp"

namespace replicate::detail {

struct active_request {
  transfer t;
  uv_timer_t retry_timer;
  requester* owner = nullptr;
  request_spec spec;
  request_done_fn done = nullptr;
  void* user = nullptr;
  request_id id = 0;
  arena* a = nullptr;
  std::size_t request_mark = 0;  // arena bytes of the request; a retry drops everything after
  unsigned attempts = 0;
  bool in_multi = false;
  bool completing = false;
  bool zombie = false;  // dropped while curl was calling us; released once curl lets go
  json_elide elide;
  curl_slist* headers = nullptr;
  std::string_view url;
  active_request* next_free = nullptr;
};

struct pending_request {
  request_spec spec;
  request_done_fn done = nullptr;
  void* user = nullptr;
  request_id id = 0;
  bool canceled = false;
};

namespace {

void dispatch_pending(requester* q);

std::uint64_t next_random(requester* q) {
  q->rng ^= q->rng << 13;
  q->rng ^= q->rng >> 7;
  q->rng ^= q->rng << 17;
  return q->rng;
}

bool name_matches(const char* line, std::string_view name) {
  return strncasecmp(line, name.data(), name.size()) == 0 &&
         (line[name.size()] == ':' || line[name.size()] == ';');
}

// Removes headers named `name`, then appends "name: value". False when the arena is full.
bool header_set(arena* a, curl_slist** list, std::string_view name, std::string_view value) {
  curl_slist** link = list;
  while (*link != nullptr) {
    if (name_matches((*link)->data, name)) {
      *link = (*link)->next;
    } else {
      link = &(*link)->next;
    }
  }
  curl_slist* out = transfer_header(a, *list, name, value);
  if (out == nullptr) return false;
  *list = out;
  return true;
}

class editor final : public request_editor {
 public:
  explicit editor(active_request* r) : r_(r) {}
  http_method method() const noexcept override { return r_->spec.params.method; }
  std::string_view url() const noexcept override { return r_->url; }
  unsigned attempt() const noexcept override { return r_->attempts + 1; }
  bool set_header(std::string_view name, std::string_view value) noexcept override {
    return header_set(r_->a, &r_->headers, name, value);
  }

 private:
  active_request* r_;
};

errc errc_for_status(long status) {
  switch (status) {
    case 401:
      return errc::unauthenticated;
    case 404:
      return errc::not_found;
    case 429:
      return errc::rate_limited;
    default:
      return errc::http_status;
  }
}

std::size_t refuse_sink(void*, const char*, std::size_t) { return 0; }

// Takes a request out of curl. Returns false when curl is running our callbacks: the slot is
// then a zombie, released by on_transfer_removed once curl has let go of the handle.
bool detach(requester* q, active_request* s) {
  uv_timer_stop(&s->retry_timer);
  if (!s->in_multi) return true;
  if (reactor_remove(&q->net, s->t.easy)) {
    s->in_multi = false;
    return true;
  }
  s->zombie = true;
  s->t.spec.sink = refuse_sink;  // no more bytes reach the old owner
  s->t.spec.on_headers = nullptr;
  return false;
}

void release(requester* q, active_request* s) {
  arena_pool_release(&q->arenas, s->a);
  s->a = nullptr;
  s->id = 0;
  s->done = nullptr;
  s->completing = false;
  s->next_free = q->free_active;
  q->free_active = s;
}

void complete(requester* q, active_request* s, request_result& result) {
  s->completing = true;
  result.a = s->a;
  result.spec = &s->spec;
  if (s->done != nullptr) s->done(s->user, result);
  release(q, s);
  if (!q->closing) dispatch_pending(q);
}

void complete_error(requester* q, active_request* s, const error& err) {
  request_result result;
  result.err = err;
  complete(q, s, result);
}

error attempt(requester* q, active_request* s) {
  const request_params& p = s->spec.params;
  if (s->attempts > 0 && p.body_stream != nullptr && p.body_stream->rewind != nullptr &&
      !p.body_stream->rewind(p.body_stream->ctx))
    return error(errc::transport, "request body cannot be rewound for a retry");
  // The hook sees every attempt; what it adds lives above the request mark and survives retries
  // only if it is set again, so hooks stay simple (set, never append).
  if (q->hook != nullptr) {
    editor e(s);
    q->hook(q->hook_user, e);
    if (s->a->exhausted)
      return error(errc::arena_exhausted, "request headers do not fit the arena");
  }
  transfer_spec ts;
  ts.method = p.method;
  ts.url = s->url.data();
  ts.headers = s->headers;
  ts.body = p.body;
  ts.body_stream = p.body_stream;
  long timeout =
      p.timeout.count() > 0 ? static_cast<long>(p.timeout.count()) : q->request_timeout_ms;
  ts.timeout_ms = s->spec.streaming ? 0 : timeout;
  ts.connect_timeout_ms = q->connect_timeout_ms;
  ts.ca_path = q->ca_path.empty() ? nullptr : q->ca_path.c_str();
  ts.user_agent = q->user_agent.c_str();
  ts.follow_redirects = s->spec.follow_redirects;
  ts.sink = s->spec.sink;
  ts.sink_user = s->spec.sink_user;
  ts.on_headers = s->spec.on_headers;
  if (s->spec.elide_input) {
    s->elide = json_elide{};
    ts.filter = [](void* state, const char* in, std::size_t len, char* out) {
      return json_elide_feed(static_cast<json_elide*>(state), in, len, out);
    };
    ts.filter_state = &s->elide;
  }
  if (!transfer_prepare(&s->t, &q->net, s->a, ts))
    return error(errc::transport, "curl refused the request options");
  if (!reactor_add(&q->net, s->t.easy)) return error(errc::transport, "curl refused the transfer");
  s->in_multi = true;
  ++s->attempts;
  ++q->requests_sent;
  return error();
}

error start(requester* q, active_request* s, const request_spec& spec, request_done_fn done,
            void* user, request_id id) {
  s->owner = q;
  s->spec = spec;
  s->done = done;
  s->user = user;
  s->id = id;
  s->attempts = 0;
  s->in_multi = false;
  s->completing = false;
  s->headers = nullptr;
  s->a = arena_pool_acquire(&q->arenas);  // never null: one arena per active slot
  arena* a = s->a;

  if (s->spec.build != nullptr && !s->spec.build(&s->spec, a))
    return error(errc::arena_exhausted, "request body does not fit the arena");
  const request_params& p = s->spec.params;
  s->url = url_build(a, q->base_url, p.route, s->spec.route_tail, p.query, p.query_count);
  if (s->url.empty())
    return a->exhausted ? error(errc::arena_exhausted, "URL does not fit the arena")
                        : error(errc::invalid_url, p.route);
  if (!url_is_absolute_http(s->url)) return error(errc::invalid_url, s->url);

  bool ok = true;
  // Credentials go only to the API's own origin: never to file, stream or redirect hosts.
  if (!q->authorization.empty() && url_same_origin(s->url, q->base_url))
    ok &= header_set(a, &s->headers, "Authorization", q->authorization);
  if (!spec.streaming) ok &= header_set(a, &s->headers, "Accept", "application/json");
  bool has_body = p.body_stream != nullptr || !p.body.empty();
  if (has_body) ok &= header_set(a, &s->headers, "Content-Type", p.content_type);
  ok &= header_set(a, &s->headers, "Expect", "");  // no 100-continue round trip
  for (std::size_t i = 0; i < p.header_count; ++i)
    ok &= header_set(a, &s->headers, p.headers[i].name, p.headers[i].value);
  if (!ok) return error(errc::arena_exhausted, "request headers do not fit the arena");
  s->request_mark = a->used;
  return attempt(q, s);
}

void on_retry_timer(uv_timer_t* timer) {
  auto* s = static_cast<active_request*>(timer->data);
  requester* q = s->owner;
  error err = attempt(q, s);
  if (err) complete_error(q, s, err);
}

void on_transfer_removed(void* user, CURL* easy) {
  auto* q = static_cast<requester*>(user);
  auto* s = static_cast<active_request*>(transfer_from_easy(easy)->user);
  s->in_multi = false;
  if (!s->zombie) return;
  s->zombie = false;
  release(q, s);
  if (!q->closing) dispatch_pending(q);
}

void on_transfer_done(void* user, CURL* easy, CURLcode code) {
  auto* q = static_cast<requester*>(user);
  auto* s = static_cast<active_request*>(transfer_from_easy(easy)->user);
  s->in_multi = false;
  if (s->zombie) return;  // its removal is pending; on_transfer_removed releases it
  transfer* t = &s->t;
  transfer_finish(t);

  request_result result;
  result.res.status = static_cast<int>(t->status);
  result.res.body = t->body_started ? std::string_view(t->body, t->body_len) : std::string_view();
  result.res.content_type = t->content_type;
  result.res.location = t->location;
  result.retry_after = t->retry_after;

  attempt_outcome outcome;
  outcome.method = s->spec.params.method;
  if (code != CURLE_OK) {
    errc kind = t->overflow                       ? errc::response_too_large
                : transfer_error_is_connect(code) ? errc::connect_failed
                : transfer_error_is_timeout(code) ? errc::timeout
                                                  : errc::transport;
    result.err = error(kind, t->overflow ? std::string_view("response does not fit the arena")
                                         : std::string_view(transfer_error_text(code)));
    result.err.curl_code = static_cast<int>(code);
    result.err.http_status = t->headers_done ? static_cast<int>(t->status) : 0;
    outcome.transport_failed = true;
    outcome.never_connected = transfer_error_is_connect(code);
  } else if (t->status >= 400 || t->status < 100) {
    result.err = error(errc_for_status(t->status));
    result.err.http_status = static_cast<int>(t->status);
    decode_problem(s->a, result.res.body, &result.err);
    outcome.status = static_cast<int>(t->status);
  }
  if (result.err) {
    const body_source* src = s->spec.params.body_stream;
    outcome.replayable = !t->overflow && !s->spec.never_retry && !q->closing &&
                         (src == nullptr || src->rewind != nullptr);
    if (retry_should(q->retry, s->attempts, outcome)) {
      std::int64_t now_ms = static_cast<std::int64_t>(uv_now(q->loop));
      // uv_now is monotonic; Retry-After dates need wall time.
      uv_timeval64_t tv;
      if (uv_gettimeofday(&tv) == 0) now_ms = tv.tv_sec * 1000 + tv.tv_usec / 1000;
      std::int64_t after = retry_after_parse(t->retry_after, now_ms);
      double unit = static_cast<double>(next_random(q) >> 11) / 9007199254740992.0;
      std::uint64_t delay = retry_delay_ms(q->retry, s->attempts, after, unit);
      s->a->used = s->request_mark;
      transfer_reset_response(t);
      ++q->retries;
      uv_timer_start(&s->retry_timer, on_retry_timer, delay, 0);
      return;
    }
  }
  complete(q, s, result);
}

void dispatch_pending(requester* q) {
  while (q->free_active != nullptr && q->queue_len > 0 && !q->closing) {
    pending_request job = q->queue[q->queue_head];
    q->queue_head = (q->queue_head + 1) % q->queue_cap;
    --q->queue_len;
    if (job.canceled) continue;
    active_request* s = q->free_active;
    q->free_active = s->next_free;
    error err = start(q, s, job.spec, job.done, job.user, job.id);
    if (err) complete_error(q, s, err);
  }
  if (q->on_room != nullptr && !q->closing && requester_has_room(q)) q->on_room(q->on_room_user);
}

void free_memory(requester* q) {
  delete[] q->active;
  q->active = nullptr;
  std::free(q->queue);
  q->queue = nullptr;
  arena_pool_destroy(&q->arenas);
}

void on_timer_closed(uv_handle_t* handle) {
  auto* q = static_cast<requester*>(handle->data);
  if (--q->closing_handles > 0) return;
  free_memory(q);
  if (q->on_closed != nullptr) q->on_closed(q->on_closed_user);
}

void on_reactor_closed(void* user) {
  auto* q = static_cast<requester*>(user);
  for (std::size_t i = 0; i < q->arenas.count; ++i) {
    transfer_destroy(&q->active[i].t);
    q->active[i].retry_timer.data = q;
    uv_close(reinterpret_cast<uv_handle_t*>(&q->active[i].retry_timer), on_timer_closed);
  }
}

}  // namespace

bool requester_init(requester* q, uv_loop_t* loop, const client_options& options,
                    std::string_view token) noexcept {
  q->loop = loop;
  q->closing = false;
  std::size_t slots = options.arena_count;
  if (!arena_pool_init(&q->arenas, slots, options.arena_size)) return false;
  q->active = new (std::nothrow) active_request[slots];
  q->queue_cap = options.max_queued > 0 ? options.max_queued : 1;
  // Raw memory: queue entries are built when a request waits, so an idle queue costs no RSS.
  q->queue = static_cast<pending_request*>(std::malloc(q->queue_cap * sizeof(pending_request)));
  // Sockets: one per in-flight request plus idle keep-alive connections and resolver pipes.
  if (q->active == nullptr || q->queue == nullptr ||
      !reactor_init(&q->net, loop, slots * 2 + 8, slots, on_transfer_done, on_transfer_removed,
                    q)) {
    free_memory(q);
    return false;
  }
  q->free_active = nullptr;
  for (std::size_t i = slots; i-- > 0;) {
    active_request* s = &q->active[i];
    uv_timer_init(loop, &s->retry_timer);
    s->retry_timer.data = s;
    s->t.user = s;
    s->next_free = q->free_active;
    q->free_active = s;
  }
  q->base_url.assign(options.base_url.data(), options.base_url.size());
  if (!token.empty()) q->authorization = "Bearer " + std::string(token);
  if (options.user_agent.empty()) {
    q->user_agent = "replicate-cpp/" REPLICATE_VERSION_STRING;
  } else {
    q->user_agent.assign(options.user_agent.data(), options.user_agent.size());
  }
  q->ca_path.assign(options.ca_bundle_path.data(), options.ca_bundle_path.size());
  q->connect_timeout_ms = static_cast<long>(options.connect_timeout.count());
  q->request_timeout_ms = static_cast<long>(options.request_timeout.count());
  q->retry = options.retry;
  if (q->retry.max_attempts == 0) q->retry.max_attempts = 1;
  q->hook = options.on_request;
  q->hook_user = options.on_request_user;
  q->rng ^= uv_hrtime() | 1;
  return true;
}

error requester_submit(requester* q, const request_spec& spec, request_done_fn done, void* user,
                       request_id* id) noexcept {
  if (q->closing) return error(errc::client_closed);
  request_id rid = q->next_id++;
  if (q->free_active != nullptr && q->queue_len == 0) {
    active_request* s = q->free_active;
    q->free_active = s->next_free;
    error err = start(q, s, spec, done, user, rid);
    if (err) {
      s->done = nullptr;  // a call that returns an error never fires its callback
      if (detach(q, s)) release(q, s);
      return err;
    }
  } else {
    if (q->queue_len == q->queue_cap)
      return error(errc::pool_exhausted, "all arenas are busy and the request queue is full");
    pending_request* job = &q->queue[(q->queue_head + q->queue_len) % q->queue_cap];
    new (job) pending_request{spec, done, user, rid, false};
    if (++q->queue_len > q->queue_peak) q->queue_peak = q->queue_len;
  }
  if (id != nullptr) *id = rid;
  return error();
}

void requester_abort(requester* q, request_id id) noexcept {
  if (id == 0) return;
  for (std::size_t i = 0; i < q->arenas.count; ++i) {
    active_request* s = &q->active[i];
    if (s->id != id || s->completing || s->zombie) continue;
    s->done = nullptr;
    if (detach(q, s)) {
      release(q, s);
      if (!q->closing) dispatch_pending(q);
    }
    return;
  }
  for (std::size_t i = 0; i < q->queue_len; ++i) {
    pending_request& job = q->queue[(q->queue_head + i) % q->queue_cap];
    if (job.id == id) job.canceled = true;
  }
}

void requester_pause(requester* q, request_id id, bool paused) noexcept {
  for (std::size_t i = 0; i < q->arenas.count; ++i) {
    active_request* s = &q->active[i];
    if (s->id == id && s->in_multi) reactor_pause(&q->net, s->t.easy, paused);
  }
}

void requester_close(requester* q, void (*on_closed)(void* user), void* user) noexcept {
  q->closing = true;
  q->on_closed = on_closed;
  q->on_closed_user = user;
  error closed(errc::client_closed);
  for (std::size_t i = 0; i < q->arenas.count; ++i) {
    active_request* s = &q->active[i];
    if (s->id == 0 || s->completing || s->zombie) continue;
    bool detached = detach(q, s);
    request_result result;
    result.err = closed;
    result.a = s->a;
    result.spec = &s->spec;
    s->completing = true;
    if (s->done != nullptr) s->done(s->user, result);
    s->completing = false;
    if (detached) release(q, s);
  }
  while (q->queue_len > 0) {
    pending_request job = q->queue[q->queue_head];
    q->queue_head = (q->queue_head + 1) % q->queue_cap;
    --q->queue_len;
    if (job.canceled || job.done == nullptr) continue;
    request_result result;
    result.err = closed;
    result.spec = &job.spec;
    job.done(job.user, result);
  }
  q->closing_handles = q->arenas.count;
  reactor_close(&q->net, on_reactor_closed, q);
}

bool requester_has_room(const requester* q) noexcept {
  return q->free_active != nullptr && q->queue_len == 0 && !q->closing;
}

}  // namespace replicate::detail
