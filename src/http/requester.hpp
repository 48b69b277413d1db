// The request lifecycle: a bounded set of in-flight requests (one arena each), a bounded queue
// behind them, defaults and auth added per origin, the request hook, and retries with back-off.
#pragma once

#include <uv.h>

#include <cstdint>
#include <string>

#include "core/arena.hpp"
#include "reactor/multi.hpp"
#include "reactor/transfer.hpp"
#include "replicate/client.hpp"

namespace replicate::detail {

// Everything one request needs. Views must outlive the request (see replicate/http.hpp).
struct request_spec {
  request_params params;
  // Appended to params.route when the URL is built (ids, suffixes), so callers need no buffer.
  std::string_view route_tail[4];
  bool streaming = false;  // long-lived: no whole-transfer timeout, body to `sink`
  std::size_t (*sink)(void* user, const char* data, std::size_t len) = nullptr;
  void (*on_headers)(void* user, long status) = nullptr;
  void* sink_user = nullptr;
  bool follow_redirects = false;
  bool never_retry = false;
  bool elide_input = false;  // drop the echoed top-level "input" of the response (json/elide)
  // Called once when the request starts and owns its arena: may build params.body,
  // params.body_stream or params.headers there. False means it did not fit.
  bool (*build)(request_spec* self, arena* a) = nullptr;
  // Trivially copyable data of the caller's (its callback and arguments), kept with the request.
  alignas(std::max_align_t) unsigned char state[320];

  template <typename T>
  T* state_as() noexcept {
    static_assert(sizeof(T) <= sizeof(state), "request state too large");
    return reinterpret_cast<T*>(state);
  }
};

// What a finished request hands its owner. The views and the arena are valid during the call.
struct request_result {
  request_spec* spec = nullptr;  // the request's own copy of its spec
  error err;
  response res;
  arena* a = nullptr;  // parse the body here; it is reset after the callback
  std::string_view retry_after;
};

using request_done_fn = void (*)(void* user, request_result& result);
using request_id = std::uint64_t;  // 0 is never a valid id

struct active_request;
struct pending_request;

struct requester {
  uv_loop_t* loop = nullptr;
  reactor net;
  arena_pool arenas;
  active_request* active = nullptr;
  active_request* free_active = nullptr;
  pending_request* queue = nullptr;  // ring buffer
  std::size_t queue_cap = 0;
  std::size_t queue_head = 0;
  std::size_t queue_len = 0;
  std::size_t queue_peak = 0;
  request_id next_id = 1;
  std::uint64_t requests_sent = 0;
  std::uint64_t retries = 0;
  std::uint64_t rng = 0x9E3779B97F4A7C15ull;
  bool closing = false;
  // Configuration, owned copies.
  std::string base_url;
  std::string authorization;  // "Bearer <token>", empty when no token
  std::string user_agent;
  std::string ca_path;
  long connect_timeout_ms = 10000;
  long request_timeout_ms = 120000;
  retry_policy retry;
  request_hook hook = nullptr;
  void* hook_user = nullptr;
  void (*on_closed)(void* user) = nullptr;
  void* on_closed_user = nullptr;
  std::size_t closing_handles = 0;
  // Called when a slot is free and nothing is queued: owners that parked work (operations
  // waiting to send) submit it now, so waiting costs them no queue entry.
  void (*on_room)(void* user) = nullptr;
  void* on_room_user = nullptr;
};

bool requester_init(requester* q, uv_loop_t* loop, const client_options& options,
                    std::string_view token) noexcept;
// Starts or queues a request. Returns ok and sets *id, or pool_exhausted / client_closed /
// invalid_url (then `done` never fires).
error requester_submit(requester* q, const request_spec& spec, request_done_fn done, void* user,
                       request_id* id) noexcept;
// Drops a request without firing its callback. Unknown or finished ids are ignored.
void requester_abort(requester* q, request_id id) noexcept;
// Pauses or resumes receiving on an in-flight streaming request.
void requester_pause(requester* q, request_id id, bool paused) noexcept;
// Fails every request with client_closed, then closes all handles; on_closed fires at the end.
void requester_close(requester* q, void (*on_closed)(void* user), void* user) noexcept;
// True when a submit would start at once rather than wait in the queue.
bool requester_has_room(const requester* q) noexcept;

}  // namespace replicate::detail
