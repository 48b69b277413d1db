// The frame_source functions shared by every port: state, latest-frame-wins and counters. Ports
// supply capture, requeue and close through frame_source_ops.
#include "replicate/frame_source.hpp"

namespace replicate {
namespace {

enum : std::uint8_t { k_uninit = 0, k_stopped = 1, k_started = 2, k_closing = 3, k_closed = 4 };

}  // namespace

error frame_source_start(frame_source* s, frame_cb cb, void* user) noexcept {
  if (s->state_ != k_stopped && s->state_ != k_started)
    return error(errc::not_initialized, "frame source is not initialized or is closing");
  if (cb == nullptr) return error(errc::invalid_argument, "frame callback is null");
  if (s->state_ == k_started) return error(errc::invalid_argument, "frame source already started");
  s->cb_ = cb;
  s->user_ = user;
  s->state_ = k_started;
  error e = s->ops_->start(s);
  if (e) s->state_ = k_stopped;
  return e;
}

void frame_source_stop(frame_source* s) noexcept {
  if (s->state_ != k_started) return;
  s->state_ = k_stopped;
  s->ops_->stop(s);
}

void frame_source_release(frame_source* s, const frame* f) noexcept {
  if (f == nullptr || f != s->held_) return;
  s->held_ = nullptr;
  if (s->state_ == k_stopped || s->state_ == k_started) s->ops_->release(s, f);
}

void frame_source_release_data(void* source, const void* data) noexcept {
  auto* s = static_cast<frame_source*>(source);
  if (s->held_ != nullptr && s->held_->data == data) frame_source_release(s, s->held_);
}

void frame_source_close(frame_source* s, frame_source_close_cb cb, void* user) noexcept {
  if (s->state_ != k_stopped && s->state_ != k_started) return;
  if (s->state_ == k_started) s->ops_->stop(s);
  s->state_ = k_closing;
  s->held_ = nullptr;
  s->close_cb_ = cb;
  s->close_user_ = user;
  s->ops_->close(s);
}

namespace detail {

bool frame_source_offer(frame_source* s, const frame* f) noexcept {
  ++s->stats.captured;
  if (s->state_ != k_started || s->held_ != nullptr) {
    ++s->stats.dropped;
    return false;
  }
  ++s->stats.delivered;
  s->held_ = f;
  s->cb_(s->user_, error(), f);
  return true;
}

void frame_source_count_drop(frame_source* s) noexcept {
  ++s->stats.captured;
  ++s->stats.dropped;
}

void frame_source_fail(frame_source* s, const error& err) noexcept {
  if (s->state_ != k_started) return;
  s->state_ = k_stopped;
  s->ops_->stop(s);
  s->cb_(s->user_, err, nullptr);
}

void frame_source_end(frame_source* s) noexcept {
  if (s->state_ != k_started) return;
  s->state_ = k_stopped;
  s->ops_->stop(s);
  s->cb_(s->user_, error(), nullptr);
}

void frame_source_closed(frame_source* s) noexcept {
  s->state_ = k_closed;
  if (s->close_cb_ != nullptr) s->close_cb_(s->close_user_);
}

}  // namespace detail
}  // namespace replicate
