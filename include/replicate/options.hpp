// Options and plain types of the client API: what you configure and what callbacks receive.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "replicate/error.hpp"
#include "replicate/http.hpp"
#include "replicate/prediction.hpp"

namespace replicate {

struct retry_policy {
  unsigned max_attempts = 5;                  // including the first; 1 disables retries
  std::chrono::milliseconds base_delay{250};  // first back-off, doubled per attempt, jittered
  std::chrono::milliseconds max_delay{8000};  // cap of one back-off
  std::chrono::milliseconds max_retry_after{60000};  // cap on a server's Retry-After
};

struct client_options {
  std::string_view auth;        // API token; empty means env REPLICATE_API_TOKEN
  std::string_view user_agent;  // empty means "replicate-cpp/<version>"
  std::string_view base_url = "https://api.replicate.com/v1";
  std::string_view ca_bundle_path;  // empty means the system's CA store
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds request_timeout{120000};  // one attempt, end to end
  std::chrono::milliseconds poll_interval{500};       // run() and wait() polling
  retry_policy retry;
  // Memory: every in-flight request holds one arena, so arena_count is also the number of
  // requests in flight at once; more wait in a queue of max_queued, then fail pool_exhausted.
  std::size_t arena_count = 16;
  std::size_t arena_size = 256 * 1024;  // largest request or response, including parsed JSON
  std::size_t max_queued = 4096;
  std::size_t max_operations = 1024;  // run/wait/stream operations alive at once
  // Streams: each open stream() holds a slot with its SSE tokenizer and a carry buffer of
  // max_event_size bytes (the largest event accepted; a larger one is event_too_large).
  std::size_t max_streams = 16;
  std::size_t max_event_size = 64 * 1024;
  request_hook on_request = nullptr;  // see request_editor
  void* on_request_user = nullptr;
};

// Memory and load counters, cheap to read at any time.
struct memory_stats {
  std::size_t arena_count = 0;
  std::size_t arena_size = 0;
  std::size_t arenas_in_use = 0;
  std::size_t arenas_peak = 0;
  std::size_t arena_high_water_bytes = 0;  // the most any one arena has held
  std::size_t requests_queued = 0;
  std::size_t requests_queued_peak = 0;
  std::size_t operations_in_use = 0;
  std::size_t operations_peak = 0;
  std::uint64_t requests_sent = 0;  // attempts, retries included
  std::uint64_t retries = 0;
};

// Names a running run()/wait()/stream() so it can be canceled. Stale handles are harmless.
struct operation {
  std::uint32_t slot = UINT32_MAX;
  std::uint32_t generation = 0;
};

enum class wait_mode : std::uint8_t {
  block,  // create with `Prefer: wait=N`, then poll if it has not finished
  poll,   // create asynchronously, then poll
};

struct wait_options {
  std::chrono::milliseconds poll_interval{0};  // 0 means client_options::poll_interval
  std::chrono::milliseconds deadline{0};       // overall limit on the wait; 0 means none
};

struct prediction_create_params {
  // POST /predictions needs a version; the model and deployment routes do not.
  std::string_view version;
  std::string_view input_json = "{}";         // a JSON object
  const body_source* input_stream = nullptr;  // produces the input object instead (data URIs)
  std::string_view webhook;                   // absolute http(s) URL, or empty
  const std::string_view* webhook_events_filter = nullptr;  // start, output, logs, completed
  std::size_t webhook_events_count = 0;
  std::chrono::seconds prefer_wait{0};  // `Prefer: wait=N`, 1..60; 0 sends no Prefer header
  std::string_view cancel_after;        // `Cancel-After`, e.g. "30s", "5m", "1h30m"
  bool stream = false;                  // deprecated field; urls.stream is always returned
};

struct run_options {
  prediction_create_params create;  // create.version is set from the identifier
  wait_mode mode = wait_mode::block;
  std::chrono::seconds block_wait{60};  // the N of `Prefer: wait=N` in block mode
  wait_options wait;
};

// `err` is ok on success. `p` is the last prediction seen, or nullptr if there was none (for
// example a create that failed); valid during the call only.
using prediction_cb = void (*)(void* user, const error& err, const prediction* p);
// Fires on create, on every poll, and at completion. `p` is valid during the call only.
using progress_cb = void (*)(void* user, const prediction& p);
using response_cb = void (*)(void* user, const error& err, const response& res);
using page_cb = void (*)(void* user, const error& err, const page<prediction>& pg);
using close_cb = void (*)(void* user);

}  // namespace replicate
