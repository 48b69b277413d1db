// C++20 coroutines over the callback API: `auto p = co_await replicate::coro::run(client, ...)`.
//
// An adapter, not the core: each awaitable starts the callback call, suspends, and resumes the
// coroutine from the callback with an owned result (views die at co_await, so results are copies:
// owned_prediction, owned_response). Resumption happens on the loop's thread, inside the
// callback. Bring your own coroutine type (any task whose promise can be suspended); these are
// only the awaitables. A call that fails to start resumes at once with its error.
#pragma once

#if defined(__cpp_impl_coroutine) && __cpp_impl_coroutine >= 201902L

#include <coroutine>
#include <string>
#include <utility>

#include "replicate/blocking.hpp"
#include "replicate/client.hpp"

namespace replicate::coro {

// Awaits client::run. Keep `identifier` and the options' views alive until it resumes.
class run_awaitable {
 public:
  run_awaitable(client& c, std::string_view identifier, const run_options& options)
      : client_(c), identifier_(identifier), options_(options) {}
  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> h) {
    handle_ = h;
    result<operation> op = client_.run(identifier_, options_, on_done, this);
    if (op.ok()) return true;
    error_ = op.err();
    return false;  // the call failed to start: resume now with its error
  }
  result<owned_prediction> await_resume() {
    if (error_) return error_;
    return std::move(value_);
  }

 private:
  static void on_done(void* user, const error& err, const prediction* p) {
    auto* self = static_cast<run_awaitable*>(user);
    self->error_ = err;
    if (p != nullptr) self->value_ = owned_prediction(*p);
    self->handle_.resume();
  }

  client& client_;
  std::string_view identifier_;
  run_options options_;
  std::coroutine_handle<> handle_;
  error error_;
  owned_prediction value_;
};

// Awaits client::request; a non-2xx answer is an error carrying status and detail.
class request_awaitable {
 public:
  request_awaitable(client& c, const request_params& params) : client_(c), params_(params) {}
  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> h) {
    handle_ = h;
    error_ = client_.request(params_, on_done, this);
    return !error_;
  }
  result<owned_response> await_resume() {
    if (error_) return error_;
    return std::move(value_);
  }

 private:
  static void on_done(void* user, const error& err, const response& res) {
    auto* self = static_cast<request_awaitable*>(user);
    self->error_ = err;
    self->value_.status = res.status;
    self->value_.body = std::string(res.body);
    self->value_.content_type = std::string(res.content_type);
    self->handle_.resume();
  }

  client& client_;
  request_params params_;
  std::coroutine_handle<> handle_;
  error error_;
  owned_response value_;
};

[[nodiscard]] inline run_awaitable run(client& c, std::string_view identifier,
                                       const run_options& options = {}) {
  return run_awaitable(c, identifier, options);
}

[[nodiscard]] inline request_awaitable request(client& c, const request_params& params) {
  return request_awaitable(c, params);
}

}  // namespace replicate::coro

#endif  // __cpp_impl_coroutine
