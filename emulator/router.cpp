// The API port: request log, control routes, fault injection, authentication, then the
// resource routes.
#include <cstring>

#include "config.hpp"
#include "control.hpp"
#include "json_text.hpp"
#include "responses.hpp"
#include "routes.hpp"

namespace emu {

namespace {

segments split_path(const std::string& path) {
  segments out;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    std::size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

bool authorized(const http_request& req) {
  const std::string* auth = req.header("authorization");
  if (auth == nullptr) return false;
  for (const char* scheme : {"bearer ", "token "}) {
    std::size_t n = std::strlen(scheme);
    if (auth->size() > n && strncasecmp(auth->c_str(), scheme, n) == 0) {
      std::string token = auth->substr(n);
      while (!token.empty() && token.front() == ' ') token.erase(0, 1);
      return !token.empty();
    }
  }
  return false;
}

void route(connection* c, http_request& req) {
  segments seg = split_path(req.path);
  if (seg.empty() || seg[0] != "v1") {
    respond_not_found(c, "No route for " + req.path);
    return;
  }
  seg.erase(seg.begin());
  bool public_route = seg.size() == 1 && seg[0] == "search" && req.method == "GET";
  if (!public_route && !authorized(req)) {
    respond_problem(c, 401, "Unauthenticated", "You did not pass a valid authentication token");
    return;
  }
  if (seg.empty()) {
    respond_not_found(c, "No route for " + req.path);
    return;
  }
  if (route_predictions(c, req, seg) || route_models(c, req, seg) || route_trainings(c, req, seg) ||
      route_deployments(c, req, seg) || route_files(c, req, seg) || route_misc(c, req, seg))
    return;
  respond_not_found(c, "No route for " + req.path);
}

struct delayed_request {
  uv_timer_t timer;
  connection* c;
  http_request req;
  void (*serve)(connection*, http_request&);
};

std::string status_fault_detail(int status) {
  if (status == 429) return "Request was throttled. Expected available in 1 second.";
  return "Emulated fault: status " + std::to_string(status);
}

const char* status_title(int status) {
  switch (status) {
    case 400:
      return "Bad request";
    case 401:
      return "Unauthenticated";
    case 403:
      return "Forbidden";
    case 404:
      return "Not found";
    case 409:
      return "Conflict";
    case 422:
      return "Invalid input";
    case 429:
      return "Too many requests";
    case 500:
      return "Internal server error";
    case 502:
      return "Bad gateway";
    case 503:
      return "Service unavailable";
    case 504:
      return "Gateway timeout";
    default:
      return "Emulated fault";
  }
}

}  // namespace

// Applies a fault of a kind common to both ports; returns true if the request is answered
// (or will be), false if it should be served normally.
bool apply_common_fault(connection* c, http_request& req, const fault& f,
                        void (*serve)(connection*, http_request&)) {
  if (f.kind == "status") {
    http_response res;
    res.status = f.status;
    if (f.has_body) {
      res.body = f.body;
      res.content_type = f.status >= 400 ? "application/problem+json" : "application/json";
    } else if (f.status >= 400) {
      res.content_type = "application/problem+json";
      res.body = "{";
      json_field(res.body, "title", status_title(f.status));
      json_field(res.body, "detail", status_fault_detail(f.status));
      json_field_raw(res.body, "status", std::to_string(f.status));
      res.body += '}';
    } else {
      res.body = "{}";
    }
    if (!f.retry_after.empty()) res.headers.emplace_back("Retry-After", f.retry_after);
    conn_respond(c, res);
    return true;
  }
  if (f.kind == "drop") {
    conn_drop(c);
    return true;
  }
  if (f.kind == "delay") {
    auto* d = new delayed_request;
    d->c = c;
    d->req = std::move(req);
    conn_retain(c);
    uv_timer_init(g_loop, &d->timer);
    d->serve = serve;
    d->timer.data = d;
    uv_timer_start(
        &d->timer,
        [](uv_timer_t* t) {
          auto* d = static_cast<delayed_request*>(t->data);
          if (conn_is_open(d->c)) d->serve(d->c, d->req);
          conn_release(d->c);
          uv_close(reinterpret_cast<uv_handle_t*>(t),
                   [](uv_handle_t* h) { delete static_cast<delayed_request*>(h->data); });
        },
        static_cast<uint64_t>(f.delay_ms < 0 ? 0 : f.delay_ms), 0);
    return true;
  }
  if (f.kind == "malformed_json") {
    respond_json(c, 200, R"({"id": "malformed", "status": "succeeded", "output": [1, 2,)");
    return true;
  }
  if (f.kind == "oversize") {
    std::string body = R"({"detail":"oversize","padding":")";
    std::size_t want = f.bytes > 64 ? static_cast<std::size_t>(f.bytes) : 64;
    body.append(want - body.size() - 2, 'x');
    body += "\"}";
    respond_json(c, 200, std::move(body));
    return true;
  }
  return false;
}

void api_handle(connection* c, http_request& req) {
  // The control routes are not part of the emulated API: never logged, never faulted.
  if (control_handle(c, req)) return;
  request_log_add(port_kind::api, req);
  if (auto f = fault_take(port_kind::api, req)) {
    if (apply_common_fault(c, req, *f, route)) return;
  }
  route(c, req);
}

}  // namespace emu
