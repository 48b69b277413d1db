#include "reactor/multi.hpp"

#include <unistd.h>

#include <new>

namespace replicate::detail {
namespace {

void on_handle_closed(uv_handle_t* handle);

void drain_finished(reactor* r) {
  CURLMsg* msg;
  int pending = 0;
  // A completion may start new transfers or close the client: re-check `closing` every time.
  while (!r->closing && (msg = curl_multi_info_read(r->multi, &pending)) != nullptr) {
    if (msg->msg != CURLMSG_DONE) continue;
    CURL* easy = msg->easy_handle;
    CURLcode result = msg->data.result;
    curl_multi_remove_handle(r->multi, easy);
    r->on_done(r->on_done_user, easy, result);
  }
}

void flush_deferred(reactor* r) {
  while (r->deferred_remove_count > 0 || r->deferred_add_count > 0) {
    // Removals first: a handle may be removed and, reconfigured, added again.
    while (r->deferred_remove_count > 0) {
      CURL* easy = r->deferred_remove[--r->deferred_remove_count];
      bool was_pending_add = false;
      for (std::size_t i = 0; i < r->deferred_add_count; ++i) {
        if (r->deferred_add[i] == easy) {
          r->deferred_add[i] = r->deferred_add[--r->deferred_add_count];
          was_pending_add = true;
          break;
        }
      }
      if (!was_pending_add) curl_multi_remove_handle(r->multi, easy);
      r->on_removed(r->on_done_user, easy);
    }
    if (r->deferred_add_count > 0) {
      CURL* easy = r->deferred_add[--r->deferred_add_count];
      if (curl_multi_add_handle(r->multi, easy) != CURLM_OK)
        r->on_done(r->on_done_user, easy, CURLE_FAILED_INIT);
    }
  }
}

void socket_action(reactor* r, curl_socket_t fd, int flags) {
  int running = 0;
  ++r->in_curl;
  curl_multi_socket_action(r->multi, fd, flags, &running);
  --r->in_curl;
  flush_deferred(r);
  drain_finished(r);
}

void on_poll(uv_poll_t* poll, int status, int events) {
  auto* w = static_cast<socket_watch*>(poll->data);
  reactor* r = w->owner;
  if (r->closing) return;
  int flags = 0;
  if (status < 0) {
    flags = CURL_CSELECT_ERR;  // libuv reports POLLERR as UV_EBADF
  } else {
    if (events & UV_READABLE) flags |= CURL_CSELECT_IN;
    if (events & UV_WRITABLE) flags |= CURL_CSELECT_OUT;
  }
  socket_action(r, w->fd, flags);
}

void on_timeout(uv_timer_t* timer) {
  auto* r = static_cast<reactor*>(timer->data);
  if (r->closing) return;
  socket_action(r, CURL_SOCKET_TIMEOUT, 0);
}

int on_timer_request(CURLM*, long timeout_ms, void* userp) {
  auto* r = static_cast<reactor*>(userp);
  if (r->closing) return 0;
  if (timeout_ms < 0) {
    uv_timer_stop(&r->timer);
  } else {
    // 0 means "as soon as possible": a 0 ms timer runs on the next iteration, outside curl.
    uv_timer_start(&r->timer, on_timeout, static_cast<uint64_t>(timeout_ms), 0);
  }
  return 0;
}

socket_watch* watch_acquire(reactor* r, curl_socket_t fd) {
  socket_watch* w = r->free_watches;
  if (w == nullptr) return nullptr;
  if (uv_poll_init_socket(r->loop, &w->poll, fd) != 0) return nullptr;
  r->free_watches = w->next_free;
  w->next_free = nullptr;
  w->poll.data = w;
  w->fd = fd;
  w->owner = r;
  w->active = true;
  ++r->open_handles;
  return w;
}

void watch_release(socket_watch* w) {
  if (!w->active) return;
  w->active = false;
  uv_poll_stop(&w->poll);
  uv_close(reinterpret_cast<uv_handle_t*>(&w->poll), on_handle_closed);
}

int on_socket(CURL*, curl_socket_t fd, int what, void* userp, void* socketp) {
  auto* r = static_cast<reactor*>(userp);
  auto* w = static_cast<socket_watch*>(socketp);
  if (what == CURL_POLL_REMOVE) {
    if (w != nullptr) {
      curl_multi_assign(r->multi, fd, nullptr);
      watch_release(w);
    }
    return 0;
  }
  if (w == nullptr) {
    w = watch_acquire(r, fd);
    if (w == nullptr) return -1;  // pool exhausted: curl fails this transfer
    curl_multi_assign(r->multi, fd, w);
  }
  int events = 0;
  if (what & CURL_POLL_IN) events |= UV_READABLE;
  if (what & CURL_POLL_OUT) events |= UV_WRITABLE;
  uv_poll_start(&w->poll, events, on_poll);
  return 0;
}

void maybe_closed(reactor* r) {
  if (r->closing && r->open_handles == 0 && r->on_closed != nullptr) {
    auto cb = r->on_closed;
    r->on_closed = nullptr;
    delete[] r->watches;
    r->watches = nullptr;
    delete[] r->deferred_add;
    delete[] r->deferred_remove;
    r->deferred_add = r->deferred_remove = nullptr;
    cb(r->on_closed_user);
  }
}

void on_handle_closed(uv_handle_t* handle) {
  if (handle->type == UV_POLL) {
    auto* w = static_cast<socket_watch*>(handle->data);
    reactor* r = w->owner;
    w->fd = CURL_SOCKET_BAD;
    w->next_free = r->free_watches;
    r->free_watches = w;
    --r->open_handles;
    maybe_closed(r);
  } else {
    auto* r = static_cast<reactor*>(handle->data);
    --r->open_handles;
    maybe_closed(r);
  }
}

void on_close_step(uv_timer_t* timer) {
  auto* r = static_cast<reactor*>(timer->data);
  // Cleanup calls on_socket(REMOVE) and the close-socket callback: watches still exist here.
  curl_multi_cleanup(r->multi);
  r->multi = nullptr;
  for (std::size_t i = 0; i < r->watch_count; ++i) watch_release(&r->watches[i]);
  uv_close(reinterpret_cast<uv_handle_t*>(&r->timer), on_handle_closed);
}

}  // namespace

bool reactor_init(reactor* r, uv_loop_t* loop, std::size_t max_sockets, std::size_t max_transfers,
                  transfer_done_fn on_done, transfer_removed_fn on_removed, void* user) noexcept {
  r->loop = loop;
  r->on_done = on_done;
  r->on_removed = on_removed;
  r->on_done_user = user;
  r->closing = false;
  r->in_curl = 0;
  r->deferred_capacity = max_transfers;
  r->deferred_add = new (std::nothrow) CURL*[max_transfers];
  r->deferred_remove = new (std::nothrow) CURL*[max_transfers];
  r->watches = new (std::nothrow) socket_watch[max_sockets];
  if (r->watches == nullptr || r->deferred_add == nullptr || r->deferred_remove == nullptr) {
    delete[] r->watches;
    delete[] r->deferred_add;
    delete[] r->deferred_remove;
    return false;
  }
  r->watch_count = max_sockets;
  r->free_watches = nullptr;
  for (std::size_t i = max_sockets; i-- > 0;) {
    r->watches[i].next_free = r->free_watches;
    r->free_watches = &r->watches[i];
  }
  r->multi = curl_multi_init();
  if (r->multi == nullptr) {
    delete[] r->watches;
    r->watches = nullptr;
    return false;
  }
  uv_timer_init(loop, &r->timer);
  r->timer.data = r;
  r->open_handles = 1;
  curl_multi_setopt(r->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
  curl_multi_setopt(r->multi, CURLMOPT_SOCKETDATA, r);
  curl_multi_setopt(r->multi, CURLMOPT_TIMERFUNCTION, on_timer_request);
  curl_multi_setopt(r->multi, CURLMOPT_TIMERDATA, r);
  // Leave room for the resolver's and HTTP/2's extra sockets.
  long connections = static_cast<long>(max_sockets > 8 ? max_sockets - 4 : max_sockets / 2 + 1);
  curl_multi_setopt(r->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, connections);
  curl_multi_setopt(r->multi, CURLMOPT_MAXCONNECTS, connections);
  return true;
}

bool reactor_in_callback(const reactor* r) noexcept { return r->in_curl > 0; }

bool reactor_add(reactor* r, CURL* easy) noexcept {
  if (r->closing) return false;
  if (r->in_curl > 0) {
    if (r->deferred_add_count == r->deferred_capacity) return false;
    r->deferred_add[r->deferred_add_count++] = easy;
    return true;
  }
  return curl_multi_add_handle(r->multi, easy) == CURLM_OK;
}

bool reactor_remove(reactor* r, CURL* easy) noexcept {
  if (r->multi == nullptr) return true;
  if (r->in_curl > 0 && r->deferred_remove_count < r->deferred_capacity) {
    r->deferred_remove[r->deferred_remove_count++] = easy;
    return false;
  }
  curl_multi_remove_handle(r->multi, easy);
  return true;
}

void reactor_pause(reactor*, CURL* easy, bool paused) noexcept {
  curl_easy_pause(easy, paused ? CURLPAUSE_RECV : CURLPAUSE_CONT);
}

void reactor_close(reactor* r, void (*on_closed)(void* user), void* user) noexcept {
  r->closing = true;
  r->on_closed = on_closed;
  r->on_closed_user = user;
  // Defer the teardown: we may be inside drain_finished, iterating curl's message queue.
  uv_timer_start(&r->timer, on_close_step, 0, 0);
}

int reactor_close_socket(void* user, curl_socket_t fd) noexcept {
  auto* r = static_cast<reactor*>(user);
  for (std::size_t i = 0; r->watches != nullptr && i < r->watch_count; ++i) {
    socket_watch* w = &r->watches[i];
    if (w->active && w->fd == fd) watch_release(w);
  }
  return close(fd);
}

}  // namespace replicate::detail
