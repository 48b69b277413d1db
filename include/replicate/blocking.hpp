// replicate::blocking_client: the same API for simple programs, one call at a time. It owns a
// private uv loop and runs it inside each call until that call's result is in. Results are owned
// copies, so they outlive the call. Not for programs that already run a loop: use client there.
#pragma once

#include <uv.h>

#include <string>
#include <vector>

#include "replicate/client.hpp"

namespace replicate {

struct owned_response {
  int status = 0;
  std::string body;
  std::string content_type;
};

struct owned_page {
  std::vector<owned_prediction> items;
  std::string next;
  std::string previous;
};

class REPLICATE_API blocking_client {
 public:
  blocking_client() = default;
  ~blocking_client();  // closes the client and its loop
  blocking_client(const blocking_client&) = delete;
  blocking_client& operator=(const blocking_client&) = delete;

  [[nodiscard]] error init(const client_options& options = {});

  // As client::run; progress (optional) fires on create, every poll and completion.
  [[nodiscard]] result<owned_prediction> run(std::string_view identifier,
                                             const run_options& options = {},
                                             progress_cb progress = nullptr,
                                             void* progress_user = nullptr);
  [[nodiscard]] result<owned_prediction> wait(std::string_view prediction_id,
                                              const wait_options& options = {});
  [[nodiscard]] result<owned_prediction> create(const prediction_create_params& params,
                                                std::string_view model = {});
  [[nodiscard]] result<owned_prediction> get(std::string_view prediction_id);
  [[nodiscard]] result<owned_prediction> cancel(std::string_view prediction_id);
  [[nodiscard]] result<owned_page> list(std::string_view cursor_url = {});
  // A non-2xx answer is an error whose http_status and detail are set; the body is not returned.
  [[nodiscard]] result<owned_response> request(const request_params& params);

  // The asynchronous client underneath, on the private loop (for calls not wrapped here).
  [[nodiscard]] client& async() noexcept { return client_; }
  // Runs the private loop until *done becomes true.
  void run_until(const bool* done);

 private:
  uv_loop_t loop_{};
  client client_;
  bool initialized_ = false;
};

}  // namespace replicate
