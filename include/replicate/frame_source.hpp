// replicate::frame_source: camera frames on a uv loop, for feeding predictions.
//
// The interface every frame source implements (ports/: file_source replays JPEG files, v4l2_source
// captures MJPEG from a V4L2 camera; both in the replicate_ports library, which also implements
// the functions below). A source embeds a frame_source as its first member, like a uv_timer_t
// embeds uv_handle_t: call the functions here on &src.source.
//
// Lifecycle, as libuv: <port>_init → frame_source_start / frame_source_stop (any number of
// times) → frame_source_close(cb); memory is freed only in the close callback or after it.
//
// Latest frame wins. The consumer holds at most one frame at a time and gives it back with
// frame_source_release. While it holds one (inference slower than the camera), every newer
// frame is dropped at once and its buffer requeued: nothing queues up, and the next frame
// delivered after a release is a fresh one. stats counts frames captured, delivered, dropped.
//
// One loop, one thread: call everything on the loop's thread.
#pragma once

#include <uv.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "replicate/error.hpp"

namespace replicate {

// A captured frame. data, size and the frame itself stay valid until frame_source_release (not
// just during the callback) or until the source is closed, whichever comes first.
struct frame {
  const unsigned char* data = nullptr;
  std::size_t size = 0;
  std::string_view mime_type;  // "image/jpeg"
  std::uint64_t sequence = 0;  // 0, 1, 2, ... per capture (dropped frames use numbers too)
  std::uint64_t time_ms = 0;   // uv_now() of the loop when it was captured
  std::uint32_t index_ = 0;    // private: the source's buffer
};

struct frame_source_stats {
  std::uint64_t captured = 0;   // frames the source produced
  std::uint64_t delivered = 0;  // handed to the callback
  std::uint64_t dropped = 0;    // discarded because the consumer held a frame (or it was corrupt)
};

struct frame_source;

// Called for each delivered frame with err ok and f set. Called once with err set and f null
// when the source fails (errc::device: the camera was unplugged, a file grew past
// max_frame_size, ...); the source is then stopped and only close remains useful. Called once
// with err ok and f null when a finite source ends (file_source with loop = false). From inside
// it you may release the frame, stop, or close the source.
using frame_cb = void (*)(void* user, const error& err, const frame* f);
using frame_source_close_cb = void (*)(void* user);

// What a port implements (private to ports/).
struct frame_source_ops {
  error (*start)(frame_source* s);
  void (*stop)(frame_source* s);
  void (*release)(frame_source* s, const frame* f);  // requeue its buffer
  void (*close)(frame_source* s);  // close handles; then call detail::frame_source_closed
};

struct frame_source {
  uv_loop_t* loop = nullptr;  // read-only
  frame_source_stats stats;   // read-only
  // Private.
  const frame_source_ops* ops_ = nullptr;
  void* port_ = nullptr;  // the port's object
  frame_cb cb_ = nullptr;
  void* user_ = nullptr;
  frame_source_close_cb close_cb_ = nullptr;
  void* close_user_ = nullptr;
  const frame* held_ = nullptr;
  std::uint8_t state_ = 0;  // 0 not initialised, 1 stopped, 2 started, 3 closing, 4 closed
};

// Starts delivering frames to cb. Errors (cb never fires): invalid_argument (null cb or already
// started), not_initialized (not initialised, closing or closed), device (the source failed
// earlier or could not start streaming; the detail says why).
[[nodiscard]] error frame_source_start(frame_source* s, frame_cb cb, void* user) noexcept;

// Stops delivering frames; no callback fires until the next start. A held frame stays valid
// until released. Idempotent.
void frame_source_stop(frame_source* s) noexcept;

// Gives the held frame back so its buffer can be reused. f must be the frame last delivered;
// another pointer (or a second release) is ignored.
void frame_source_release(frame_source* s, const frame* f) noexcept;

// frame_source_release with input_release_cb's signature, to hand a frame to an input_body
// (replicate/data_uri.hpp) that gives it back when the request is done:
//   input_data_uri("image", f->data, f->size, f->mime_type, frame_source_release_data, src)
// `source` is the frame_source*, `data` the frame's data pointer.
void frame_source_release_data(void* source, const void* data) noexcept;

// Stops the source and closes its handles; cb(user) fires once they are closed (on a later loop
// iteration), after which the memory may be freed. A held frame is invalid from this call on:
// finish the request that uses it (or close its input_body) first. Closing twice is ignored.
void frame_source_close(frame_source* s, frame_source_close_cb cb, void* user) noexcept;

namespace detail {
// For ports: a frame was captured. Returns true when it was delivered (the consumer now holds
// it), false when it was dropped (requeue its buffer). Calls the callback.
bool frame_source_offer(frame_source* s, const frame* f) noexcept;
// A frame captured and discarded by the port itself (an older frame drained together with a
// newer one, a corrupt buffer).
void frame_source_count_drop(frame_source* s) noexcept;
// Reports a failure once through the callback and stops the source.
void frame_source_fail(frame_source* s, const error& err) noexcept;
// Reports the end of a finite source (callback with ok and null) and stops it.
void frame_source_end(frame_source* s) noexcept;
// A port's close finished: marks the source closed and calls the close callback.
void frame_source_closed(frame_source* s) noexcept;
}  // namespace detail

}  // namespace replicate
