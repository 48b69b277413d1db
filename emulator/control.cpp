#include "control.hpp"

#include <cjson/cJSON.h>

#include <deque>
#include <list>

#include "config.hpp"
#include "json_text.hpp"
#include "responses.hpp"
#include "webhooks.hpp"

namespace emu {

namespace {

constexpr std::size_t request_log_limit = 10000;
constexpr std::size_t request_log_body_limit = 64 * 1024;

struct logged {
  port_kind port;
  std::string json;  // rendered once, when received
};

std::deque<logged> request_log;
std::list<fault> faults;

std::string render_logged(port_kind port, const http_request& req) {
  std::string out = "{";
  json_field(out, "port", port == port_kind::api ? "api" : "stream");
  json_field(out, "method", req.method);
  json_field(out, "path", req.path);
  json_field(out, "query", req.query);
  json_append_key(out, "headers");
  out += '{';
  for (const auto& h : req.headers) json_field(out, h.first, h.second);
  out += '}';
  json_field(out, "body", std::string_view(req.body).substr(0, request_log_body_limit));
  json_field_raw(out, "body_size", std::to_string(req.body.size()));
  out += '}';
  return out;
}

bool matches(const fault& f, port_kind port, const http_request& req) {
  if (f.port != port) return false;
  if (!f.method.empty() && f.method != req.method) return false;
  return req.path.compare(0, f.path_prefix.size(), f.path_prefix) == 0;
}

void add_fault(connection* c, const http_request& req) {
  json_doc doc(cJSON_Parse(req.body.c_str()));
  const cJSON* o = doc.root;
  if (!cJSON_IsObject(o)) {
    respond_invalid(c, "fault must be a JSON object");
    return;
  }
  fault f;
  auto str = [&](const char* key, std::string* out) {
    if (const char* s = json_get_string(o, key)) *out = s;
  };
  auto num = [&](const char* key, auto* out) {
    const cJSON* v = json_get(o, key);
    if (cJSON_IsNumber(v)) *out = static_cast<std::remove_pointer_t<decltype(out)>>(v->valuedouble);
  };
  str("method", &f.method);
  str("path_prefix", &f.path_prefix);
  str("kind", &f.kind);
  std::string port = "api";
  str("port", &port);
  if (port != "api" && port != "stream") {
    respond_invalid(c, "port must be \"api\" or \"stream\"");
    return;
  }
  f.port = port == "stream" ? port_kind::stream : port_kind::api;
  num("status", &f.status);
  const cJSON* ra = json_get(o, "retry_after");
  if (cJSON_IsString(ra)) f.retry_after = ra->valuestring;
  if (cJSON_IsNumber(ra)) f.retry_after = std::to_string(static_cast<long long>(ra->valuedouble));
  if (const char* b = json_get_string(o, "body")) {
    f.body = b;
    f.has_body = true;
  }
  num("delay_ms", &f.delay_ms);
  num("bytes", &f.bytes);
  num("events", &f.events);
  num("after", &f.events);
  num("retry_ms", &f.retry_ms);
  num("times", &f.times);
  static const char* kinds[] = {"status",   "drop",       "delay", "malformed_json",
                                "oversize", "drop_after", "retry"};
  bool known = false;
  for (const char* k : kinds) known = known || f.kind == k;
  if (!known) {
    respond_invalid(c,
                    "kind must be one of status, drop, delay, malformed_json, oversize, "
                    "drop_after, retry");
    return;
  }
  if (f.times < 1) f.times = 1;
  faults.push_back(f);
  respond_json(c, 201, json_print(o));
}

std::string render_faults() {
  std::string out = "[";
  for (const fault& f : faults) {
    if (out.size() > 1) out += ',';
    out += '{';
    json_field(out, "method", f.method);
    json_field(out, "path_prefix", f.path_prefix);
    json_field(out, "port", f.port == port_kind::api ? "api" : "stream");
    json_field(out, "kind", f.kind);
    json_field_raw(out, "times", std::to_string(f.times));
    out += '}';
  }
  out += ']';
  return out;
}

void set_config(connection* c, const http_request& req) {
  json_doc doc(cJSON_Parse(req.body.c_str()));
  if (!cJSON_IsObject(doc.root)) {
    respond_invalid(c, "config must be a JSON object");
    return;
  }
  const cJSON* v = json_get(doc.root, "prediction_ms");
  if (cJSON_IsNumber(v)) g_config.prediction_ms = v->valueint < 0 ? 0 : v->valueint;
  v = json_get(doc.root, "polls_to_finish");
  if (cJSON_IsNumber(v)) g_config.polls_to_finish = v->valueint < 0 ? 0 : v->valueint;
  if (cJSON_IsNull(v)) g_config.polls_to_finish = 0;
  v = json_get(doc.root, "page_size");
  if (cJSON_IsNumber(v) && v->valueint > 0) g_config.page_size = v->valueint;
  std::string out = "{";
  json_field_raw(out, "prediction_ms", std::to_string(g_config.prediction_ms));
  json_field_raw(out, "polls_to_finish", std::to_string(g_config.polls_to_finish));
  json_field_raw(out, "page_size", std::to_string(g_config.page_size));
  out += '}';
  respond_json(c, 200, out);
}

}  // namespace

void request_log_add(port_kind port, const http_request& req) {
  if (!g_config.request_log) return;
  if (request_log.size() >= request_log_limit) request_log.pop_front();
  request_log.push_back({port, render_logged(port, req)});
}

std::optional<fault> fault_take(port_kind port, const http_request& req) {
  for (auto it = faults.begin(); it != faults.end(); ++it) {
    if (!matches(*it, port, req)) continue;
    fault f = *it;
    if (--it->times <= 0) faults.erase(it);
    return f;
  }
  return std::nullopt;
}

bool control_handle(connection* c, http_request& req) {
  const std::string& p = req.path;
  if (p.rfind("/_emulator", 0) != 0) return false;
  const std::string& m = req.method;
  if (p == "/_emulator/health") {
    if (m != "GET") return respond_method_not_allowed(c, "GET"), true;
    respond_json(c, 200, R"({"status":"ok"})");
  } else if (p == "/_emulator/faults") {
    if (m == "POST") {
      add_fault(c, req);
    } else if (m == "DELETE") {
      faults.clear();
      respond_empty(c, 204);
    } else if (m == "GET") {
      respond_json(c, 200, render_faults());
    } else {
      respond_method_not_allowed(c, "GET, POST, DELETE");
    }
  } else if (p == "/_emulator/requests") {
    if (m == "GET") {
      std::string out = "[";
      for (const logged& l : request_log) {
        if (out.size() > 1) out += ',';
        out += l.json;
      }
      out += ']';
      respond_json(c, 200, std::move(out));
    } else if (m == "DELETE") {
      request_log.clear();
      respond_empty(c, 204);
    } else {
      respond_method_not_allowed(c, "GET, DELETE");
    }
  } else if (p == "/_emulator/webhooks") {
    if (m == "GET") {
      respond_json(c, 200, webhooks_log_json());
    } else if (m == "DELETE") {
      webhooks_log_clear();
      respond_empty(c, 204);
    } else {
      respond_method_not_allowed(c, "GET, DELETE");
    }
  } else if (p == "/_emulator/config") {
    if (m == "POST") {
      set_config(c, req);
    } else if (m == "GET") {
      std::string out = "{";
      json_field_raw(out, "prediction_ms", std::to_string(g_config.prediction_ms));
      json_field_raw(out, "polls_to_finish", std::to_string(g_config.polls_to_finish));
      json_field_raw(out, "page_size", std::to_string(g_config.page_size));
      out += '}';
      respond_json(c, 200, out);
    } else {
      respond_method_not_allowed(c, "GET, POST");
    }
  } else {
    respond_not_found(c, "No such emulator control route");
  }
  return true;
}

}  // namespace emu
