// The emulator's own control surface under /_emulator/ (no auth): the request log that tests
// inspect, fault injection, runtime timing changes and a health check.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "http_server.hpp"

namespace emu {

// Records a request received on either port (bounded: the oldest entries are dropped).
void request_log_add(port_kind port, const http_request& req);

struct fault {
  std::string method;       // empty: any
  std::string path_prefix;  // empty: any
  port_kind port = port_kind::api;
  std::string kind;  // status | drop | delay | malformed_json | oversize | drop_after | retry
  int status = 503;
  std::string retry_after;
  std::string body;
  bool has_body = false;
  int delay_ms = 0;
  int64_t bytes = 1024 * 1024;
  int events = 1;    // drop_after
  int retry_ms = 0;  // retry
  int times = 1;
};

// The first fault matching the request, consumed by one use.
[[nodiscard]] std::optional<fault> fault_take(port_kind port, const http_request& req);

// Serves /_emulator/...; false if the path is not a control path.
bool control_handle(connection* c, http_request& req);

}  // namespace emu
