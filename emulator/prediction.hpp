// Predictions and trainings: their lifecycle on the loop (by time, or by GET polls), their JSON,
// and the parties that watch them (Prefer: wait holders, SSE streams, webhook delivery).
#pragma once

#include <uv.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "catalog.hpp"

namespace emu {

struct connection;

enum class prediction_status { starting, processing, succeeded, failed, canceled, aborted };
[[nodiscard]] const char* status_name(prediction_status s);
[[nodiscard]] inline bool is_terminal(prediction_status s) {
  return s != prediction_status::starting && s != prediction_status::processing;
}

// One SSE event of a prediction's stream, in its stable order.
struct stream_event {
  const char* type;  // output, logs, error, done
  std::string data;
};

// Something that watches a prediction (an SSE session); notified after every change.
struct prediction_watcher {
  void (*on_change)(void* user) = nullptr;
  void* user = nullptr;
};

// Bit flags of webhook_events_filter.
enum webhook_event : unsigned { wh_start = 1, wh_output = 2, wh_logs = 4, wh_completed = 8 };

struct prediction_waiter;

struct prediction {
  uint64_t seq = 0;
  std::string id;
  bool training = false;
  std::string model_name;  // owner/name
  std::string version_id;
  std::string deployment;  // owner/name of the deployment, if created through one
  model_behavior behavior = model_behavior::echo;
  bool streams = false;
  std::string input_json;  // as received, re-serialised

  // Parameters read from the input once.
  std::string text;
  double seconds = 5;
  std::string message = "model crashed";
  std::string prompt;
  std::vector<std::string> words;  // the prompt split once, for tokens
  int64_t token_count = 8;
  int64_t token_size = 0;  // 0: natural word lengths
  int64_t interval_ms = 0;
  int64_t image_size = 1024;

  prediction_status status = prediction_status::starting;
  double created_at = 0, started_at = 0, completed_at = 0, deadline = 0;
  uint64_t created_ms = 0, processing_ms = 0;  // loop clock
  std::string logs;
  std::string error;
  bool logs_null = false;  // after a cancel the real API reports logs: null
  int polls = 0;
  int progress_step = 0;      // slow model
  int64_t tokens_final = -1;  // tokens emitted when the prediction stopped early

  // Trainings.
  std::string destination;
  std::string trained_version;

  // Webhooks.
  std::string webhook;
  unsigned webhook_filter = wh_output | wh_completed;
  uint64_t webhook_last_ms = 0;  // output/logs deliveries are throttled

  // Streams.
  std::vector<stream_event> events;  // everything after the token outputs
  int stream_connections = 0;
  std::vector<prediction_watcher> watchers;
  std::vector<prediction_waiter*> waiters;

  uv_timer_t* timer = nullptr;           // lifecycle; freed when terminal
  uv_timer_t* deadline_timer = nullptr;  // Cancel-After
};

struct prediction_params {
  model* m = nullptr;
  const model_version* version = nullptr;
  std::string input_json;
  std::string webhook;
  unsigned webhook_filter = wh_output | wh_completed;
  double cancel_after_s = 0;
  std::string deployment;
  bool training = false;
  std::string destination;
};

prediction* prediction_create(const prediction_params& params);
[[nodiscard]] prediction* prediction_find(std::string_view id, bool training);
[[nodiscard]] const std::vector<std::unique_ptr<prediction>>& prediction_all();

// A GET of the prediction: advances it in --polls-to-finish mode.
void prediction_on_poll(prediction* p);
void prediction_cancel(prediction* p);
// Ends the prediction now with its normal outcome (a stream in polls mode read everything).
void prediction_finish_now(prediction* p);

[[nodiscard]] std::string prediction_render(const prediction& p);
[[nodiscard]] std::string prediction_output_json(const prediction& p);

// Token outputs available so far (tokens model), then `events`.
[[nodiscard]] int64_t prediction_tokens_available(const prediction& p);
void prediction_token_append(const prediction& p, int64_t i, std::string& out);
// Loop time (ms) at which token i becomes available, for interval_ms pacing.
[[nodiscard]] uint64_t prediction_token_due_ms(const prediction& p, int64_t i);

void prediction_watch(prediction* p, prediction_watcher w);
void prediction_unwatch(prediction* p, void* user);

// Holds `c` until the prediction is terminal or `seconds` pass, then calls respond(c, p, seconds).
void prediction_wait(prediction* p, connection* c, int seconds,
                     void (*respond)(connection* c, prediction* p, int seconds));

// Set by the webhook module; called on every change with the event kind.
extern void (*prediction_webhook_hook)(prediction* p, webhook_event ev);

}  // namespace emu
