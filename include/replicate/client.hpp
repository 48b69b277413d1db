// replicate::client: Replicate's HTTP API on the caller's libuv loop.
//
// One loop, one thread: a client is used from the thread that runs its loop, and nothing here is
// thread-safe. The client never runs, owns or blocks the loop; it adds handles to it (one timer
// for curl, one poll per socket, one timer per waiting operation) and removes them all by the
// time close()'s callback fires, so uv_loop_close() succeeds afterwards.
//
// Callback contract (libuv's): a call that returns an error never fires its callback; a call
// that succeeds fires it exactly once, also when the operation is canceled or the client closes.
#pragma once

#include <uv.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "replicate/error.hpp"
#include "replicate/export.hpp"
#include "replicate/http.hpp"
#include "replicate/options.hpp"
#include "replicate/prediction.hpp"
#include "replicate/stream.hpp"

namespace replicate {

namespace detail {
struct client_impl;
}

class client;
// Resource groups beyond predictions; each is declared in its own header
// (replicate/models.hpp, collections.hpp, trainings.hpp, deployments.hpp, files.hpp, ...).
class models_api;
class collections_api;
class hardware_api;
class account_api;
class trainings_api;
class deployments_api;
class files_api;
class webhooks_api;

class REPLICATE_API predictions_api {
 public:
  explicit predictions_api(detail::client_impl* impl) : impl_(impl) {}
  // POST /predictions (version set), or POST /models/{owner}/{name}/predictions when `model` is
  // "owner/name". Arguments are validated before anything is sent.
  [[nodiscard]] error create(const prediction_create_params& params, prediction_cb cb, void* user,
                             std::string_view model = {});
  [[nodiscard]] error get(std::string_view id, prediction_cb cb, void* user);
  [[nodiscard]] error cancel(std::string_view id, prediction_cb cb, void* user);
  // GET /predictions, or the absolute `cursor_url` of a page's `next`.
  [[nodiscard]] error list(page_cb cb, void* user, std::string_view cursor_url = {},
                           std::string_view created_after = {},
                           std::string_view created_before = {});

 private:
  detail::client_impl* impl_;
};

class REPLICATE_API client {
 public:
  client() = default;
  ~client();  // asserts that the client was closed (or never initialized)
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  // Allocates the arena pool and operation slots and joins `loop`. Options' views are copied.
  [[nodiscard]] error init(uv_loop_t* loop, const client_options& options = {});
  // Cancels everything in flight (their callbacks fire with client_closed), then closes every
  // handle; `cb` fires once the last one is closed. The client may be init'ed again after that.
  void close(close_cb cb = nullptr, void* user = nullptr);

  [[nodiscard]] error request(const request_params& params, response_cb cb, void* user);
  [[nodiscard]] predictions_api predictions() noexcept { return predictions_api(impl_); }
  // Defined with their resource headers; include the header of the group you use.
  [[nodiscard]] models_api models() noexcept;
  [[nodiscard]] collections_api collections() noexcept;
  [[nodiscard]] hardware_api hardware() noexcept;
  [[nodiscard]] account_api account() noexcept;
  [[nodiscard]] trainings_api trainings() noexcept;
  [[nodiscard]] deployments_api deployments() noexcept;
  [[nodiscard]] files_api files() noexcept;
  [[nodiscard]] webhooks_api webhooks() noexcept;

  // Runs a model and waits for it. `identifier` is "owner/name", "owner/name:version", a 64-hex
  // version id, or "deployments/owner/name". The result fires through `done`: ok with a succeeded
  // prediction, or prediction_failed / prediction_canceled / prediction_aborted /
  // deadline_exceeded carrying the prediction id, or a request error.
  [[nodiscard]] result<operation> run(std::string_view identifier, const run_options& options,
                                      prediction_cb done, void* user,
                                      progress_cb progress = nullptr);
  // Polls an existing prediction until it reaches a terminal status.
  [[nodiscard]] result<operation> wait(std::string_view prediction_id, const wait_options& options,
                                       prediction_cb done, void* user,
                                       progress_cb progress = nullptr);
  // Creates a prediction and streams its server-sent events (output, logs, error, done) from
  // urls.stream, without the API token (another host). Dropped connections reconnect with
  // Last-Event-ID after the server's retry time, so no event is lost or repeated. `on_event`
  // may return stream_action::pause; stream_resume() continues. `done` fires once: ok after a
  // done event, prediction_canceled for done {"reason":"canceled"}, stream_error after an error
  // event, stream_disconnected when reconnects run out, or a request error.
  [[nodiscard]] result<operation> stream(std::string_view identifier, const stream_options& options,
                                         stream_event_cb on_event, prediction_cb done, void* user);
  [[nodiscard]] error stream_resume(operation op);
  // Stops waiting, cancels the prediction server-side and completes the operation's callback
  // with prediction_canceled. A finished or unknown operation returns not_found.
  [[nodiscard]] error cancel(operation op);

  [[nodiscard]] memory_stats stats() const noexcept;
  [[nodiscard]] uv_loop_t* loop() const noexcept;
  [[nodiscard]] detail::client_impl* impl() const noexcept { return impl_; }

 private:
  detail::client_impl* impl_ = nullptr;
};

}  // namespace replicate
