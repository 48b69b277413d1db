// A small HTTP/1.1 server on one libuv loop: request line + headers, Content-Length and chunked
// request bodies, keep-alive, pipelined requests answered in order, any method token (QUERY).
// It is written for the emulator only; it never shares code with the client's parsers.
#pragma once

#include <uv.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace emu {

enum class port_kind { api, stream };

struct http_request {
  std::string method;
  std::string target;                                        // as sent: path plus optional ?query
  std::string path;                                          // without the query
  std::string query;                                         // raw, without '?'
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;                                          // de-chunked
  bool keep_alive = true;

  // Null if absent. The pointer lives as long as the request.
  [[nodiscard]] const std::string* header(std::string_view name) const;
  // Percent-decoded value of one query parameter; empty if absent.
  [[nodiscard]] std::string query_param(std::string_view name, bool* present = nullptr) const;
};

struct http_response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct connection;
struct http_server;

// Handles one complete request. The handler must eventually call exactly one of conn_respond,
// conn_drop or conn_begin_stream; until then later pipelined requests wait in the buffer.
using request_handler = void (*)(connection* c, http_request& req);

struct http_server {
  uv_tcp_t tcp;
  port_kind kind = port_kind::api;
  request_handler handler = nullptr;
  int port = 0;
};

// --verbose: print "port METHOD target -> status" on stderr for every answer.
extern bool http_verbose;

// Binds and listens; returns a libuv error code (0 on success) and fills srv->port.
int http_server_start(uv_loop_t* loop, http_server* srv, const char* host, int port);

// Connections are reference counted so that deferred work (Prefer: wait, delay faults, streams)
// can hold one across a close by the peer: the memory lives until the last release.
void conn_retain(connection* c);
void conn_release(connection* c);
[[nodiscard]] bool conn_is_open(const connection* c);
[[nodiscard]] port_kind conn_port(const connection* c);

// Sends the response for the request in progress and then serves the next pipelined request.
void conn_respond(connection* c, const http_response& res);
// Closes the connection without answering (fault injection).
void conn_drop(connection* c);

// Turns the connection into a raw output stream (SSE): writes the status line and headers now,
// with no Content-Length, and the connection closes after conn_stream_end. on_drain runs when
// fewer than two writes are in flight, so the producer can fill the next large buffer;
// on_close runs once when the connection closes for any reason.
struct stream_hooks {
  void (*on_drain)(void* user) = nullptr;
  void (*on_close)(void* user) = nullptr;
  void* user = nullptr;
};
void conn_begin_stream(connection* c, const http_response& head, stream_hooks hooks);
void conn_stream_write(connection* c, std::string&& data);
[[nodiscard]] bool conn_stream_writable(const connection* c);
void conn_stream_end(connection* c);  // terminate the body, then serve the next request
// Flushes what was written, then closes without terminating the body (an injected drop).
void conn_stream_abort(connection* c);

}  // namespace emu
