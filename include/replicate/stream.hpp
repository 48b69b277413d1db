// Types of client::stream(): a prediction's server-sent events as views.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "replicate/options.hpp"

namespace replicate {

enum class stream_event_type : std::uint8_t { output, logs, error, done, other };

// One event. Views point into curl's receive buffer (or the stream's carry buffer for an event
// that straddled two reads) and are valid only during the callback.
struct stream_event {
  stream_event_type type = stream_event_type::other;
  std::string_view event;  // the raw event name
  std::string_view data;   // output text, log text, or JSON for error and done
  std::string_view id;     // e.g. "1690212292:0"
};

enum class stream_action : std::uint8_t {
  proceed,  // keep delivering
  pause,    // stop reading from the socket until client::stream_resume (bounded memory)
};

using stream_event_cb = stream_action (*)(void* user, const stream_event& event);

struct stream_options {
  prediction_create_params create;                  // create.version is set from the identifier
  unsigned max_reconnects = 5;                      // in a row, without an event in between
  std::chrono::milliseconds reconnect_delay{1000};  // when the server sent no retry:, doubled
  wait_options wait;                                // wait.deadline bounds the whole stream
};

}  // namespace replicate
