// libcurl's multi_socket interface driven by libuv: one uv_poll_t per socket, one uv_timer_t
// for curl's timeout. The only place (with transfer.cpp) that calls curl.
//
// Rules this file keeps (see shared/notes/REACTOR-PITFALLS.md):
// - curl is never called from inside its own socket or timer callbacks; a timeout of 0 becomes
//   a 0 ms uv timer that fires on the next loop iteration.
// - A poll error (libuv reports POLLERR as UV_EBADF) is passed to curl as CURL_CSELECT_ERR.
// - Exactly one watch per live socket. CURL_POLL_REMOVE stops and closes the watch; curl's
//   close-socket callback stops polling before the fd is closed, so no poll watches a dead fd.
// - curl_multi_cleanup still calls the socket callback, so watches outlive it; every uv handle
//   is closed with uv_close and its memory reused only in the close callback.
#pragma once

#include <curl/curl.h>
#include <uv.h>

#include <cstddef>

namespace replicate::detail {

struct reactor;

struct socket_watch {
  uv_poll_t poll;
  curl_socket_t fd = CURL_SOCKET_BAD;
  reactor* owner = nullptr;
  bool active = false;  // between acquire and release (closing watches are not active)
  socket_watch* next_free = nullptr;
};

// Called for every finished transfer, with the easy handle already removed from the multi.
using transfer_done_fn = void (*)(void* user, CURL* easy, CURLcode result);
// Called when a removal requested from inside curl's callbacks has been carried out.
using transfer_removed_fn = void (*)(void* user, CURL* easy);

struct reactor {
  uv_loop_t* loop = nullptr;
  CURLM* multi = nullptr;
  uv_timer_t timer;
  socket_watch* watches = nullptr;  // fixed pool, sized at init
  std::size_t watch_count = 0;
  socket_watch* free_watches = nullptr;
  std::size_t open_handles = 0;  // uv handles not yet through their close callback
  bool closing = false;
  transfer_done_fn on_done = nullptr;
  transfer_removed_fn on_removed = nullptr;
  void* on_done_user = nullptr;
  // Adds and removes asked for while curl is running our callbacks (a user callback fed from a
  // write callback may start or stop requests) wait here until curl returns.
  int in_curl = 0;
  CURL** deferred_add = nullptr;
  std::size_t deferred_add_count = 0;
  CURL** deferred_remove = nullptr;
  std::size_t deferred_remove_count = 0;
  std::size_t deferred_capacity = 0;
  void (*on_closed)(void* user) = nullptr;
  void* on_closed_user = nullptr;
};

// Sets up the multi handle and the timer on `loop`. max_sockets bounds the watch pool; curl is
// told to keep fewer connections than that.
// max_transfers bounds the transfers in the multi at once (the deferred lists' size).
bool reactor_init(reactor* r, uv_loop_t* loop, std::size_t max_sockets, std::size_t max_transfers,
                  transfer_done_fn on_done, transfer_removed_fn on_removed, void* user) noexcept;
// True while curl is calling back into us: reactor_remove is then deferred and completes
// through on_removed.
bool reactor_in_callback(const reactor* r) noexcept;
// Starts a configured easy handle. Returns false if curl refuses it.
bool reactor_add(reactor* r, CURL* easy) noexcept;
// Stops a transfer without completing it (no on_done). Returns true when done at once; false
// when deferred, in which case on_removed fires once curl has let go of the handle.
bool reactor_remove(reactor* r, CURL* easy) noexcept;
// Pauses or resumes receiving on a transfer (backpressure).
void reactor_pause(reactor* r, CURL* easy, bool paused) noexcept;
// Tears down: every transfer must have been removed. on_closed fires once all handles are closed.
void reactor_close(reactor* r, void (*on_closed)(void* user), void* user) noexcept;
// For CURLOPT_CLOSESOCKETFUNCTION: stops watching fd, then closes it.
int reactor_close_socket(void* r, curl_socket_t fd) noexcept;

}  // namespace replicate::detail
