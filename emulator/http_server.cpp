#include "http_server.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace emu {

namespace {

// Bounds that keep one misbehaving client from growing the process without limit.
constexpr std::size_t max_header_bytes = 64 * 1024;
constexpr std::size_t max_body_bytes = 110 * 1024 * 1024;  // files may be up to 100 MB
constexpr int max_writes_in_flight = 2;

enum class parse_result { complete, incomplete, bad_request, too_large, header_too_large };

}  // namespace

struct connection {
  uv_tcp_t tcp;
  http_server* srv = nullptr;
  std::string in;
  int refs = 1;  // the open socket holds one reference
  bool open = true;
  bool busy = false;        // a request is waiting for its response
  bool in_process = false;  // inside process(): responses must not re-enter it
  bool close_after_write = false;
  bool streaming = false;
  bool continue_sent = false;
  int writes_in_flight = 0;
  stream_hooks hooks;
  std::string current;  // "METHOD target" of the request in progress, for --verbose
};

bool http_verbose = false;

namespace {

struct write_req {
  uv_write_t req;
  connection* c;
  std::string data;
};

// One read buffer for every connection: a single-threaded loop hands it to exactly one read
// callback at a time, which copies what it needs. Idle keep-alive connections then cost no buffer.
char read_buffer[64 * 1024];

void process(connection* c);

void on_closed(uv_handle_t* h) { conn_release(static_cast<connection*>(h->data)); }

void conn_close(connection* c) {
  if (!c->open) return;
  c->open = false;
  if (c->streaming && c->hooks.on_close != nullptr) {
    stream_hooks hooks = c->hooks;
    c->hooks = {};
    hooks.on_close(hooks.user);
  }
  uv_close(reinterpret_cast<uv_handle_t*>(&c->tcp), on_closed);
}

void on_written(uv_write_t* req, int status) {
  auto* w = static_cast<write_req*>(req->data);
  connection* c = w->c;
  delete w;
  c->writes_in_flight--;
  if (status < 0) {
    conn_close(c);
  } else if (c->open) {
    if (c->close_after_write && c->writes_in_flight == 0) {
      conn_close(c);
    } else if (c->streaming && c->hooks.on_drain != nullptr &&
               c->writes_in_flight < max_writes_in_flight) {
      c->hooks.on_drain(c->hooks.user);
    }
  }
  conn_release(c);
}

void conn_write(connection* c, std::string&& data) {
  if (!c->open || data.empty()) return;
  auto* w = new write_req;
  w->c = c;
  w->data = std::move(data);
  w->req.data = w;
  uv_buf_t buf = uv_buf_init(w->data.data(), static_cast<unsigned>(w->data.size()));
  conn_retain(c);
  c->writes_in_flight++;
  int rc = uv_write(&w->req, reinterpret_cast<uv_stream_t*>(&c->tcp), &buf, 1, on_written);
  if (rc != 0) {
    c->writes_in_flight--;
    delete w;
    conn_close(c);
    conn_release(c);
  }
}

const char* reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Status";
  }
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool is_token_char(char ch) {
  return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
         std::strchr("!#$%&'*+-.^_`|~", ch) != nullptr;
}

// Decodes a chunked body starting at `pos`; sets `end` past the final CRLF.
parse_result parse_chunked(const std::string& in, std::size_t pos, std::string* body,
                           std::size_t* end) {
  body->clear();
  for (;;) {
    std::size_t eol = in.find("\r\n", pos);
    if (eol == std::string::npos) return parse_result::incomplete;
    std::string_view line(in.data() + pos, eol - pos);
    std::size_t semi = line.find(';');
    if (semi != std::string_view::npos) line = line.substr(0, semi);
    line = trim(line);
    if (line.empty() || line.size() > 15) return parse_result::bad_request;
    std::size_t size = 0;
    for (char ch : line) {
      int d = (ch >= '0' && ch <= '9')   ? ch - '0'
              : (ch >= 'a' && ch <= 'f') ? ch - 'a' + 10
              : (ch >= 'A' && ch <= 'F') ? ch - 'A' + 10
                                         : -1;
      if (d < 0) return parse_result::bad_request;
      size = size * 16 + static_cast<std::size_t>(d);
    }
    pos = eol + 2;
    if (size == 0) {
      // Trailers, then an empty line.
      for (;;) {
        std::size_t t = in.find("\r\n", pos);
        if (t == std::string::npos) return parse_result::incomplete;
        bool empty = t == pos;
        pos = t + 2;
        if (empty) {
          *end = pos;
          return parse_result::complete;
        }
      }
    }
    if (body->size() + size > max_body_bytes) return parse_result::too_large;
    if (in.size() < pos + size + 2) return parse_result::incomplete;
    body->append(in, pos, size);
    pos += size;
    if (in.compare(pos, 2, "\r\n") != 0) return parse_result::bad_request;
    pos += 2;
  }
}

// Parses one request from the front of `in`. On `complete`, *consumed is its length.
// *wants_continue is set when the headers are complete and the client waits for 100 Continue.
parse_result parse_request(const std::string& in, http_request* req, std::size_t* consumed,
                           bool* wants_continue) {
  std::size_t start = 0;
  while (start + 1 < in.size() && in[start] == '\r' && in[start + 1] == '\n') start += 2;
  std::size_t head_end = in.find("\r\n\r\n", start);
  if (head_end == std::string::npos)
    return in.size() > max_header_bytes ? parse_result::header_too_large : parse_result::incomplete;
  if (head_end - start > max_header_bytes) return parse_result::header_too_large;

  std::string_view head(in.data() + start, head_end - start);
  std::size_t line_end = head.find("\r\n");
  std::string_view line = head.substr(0, line_end);
  std::size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos || sp1 == 0) return parse_result::bad_request;
  std::size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return parse_result::bad_request;
  std::string_view method = line.substr(0, sp1);
  for (char ch : method)
    if (!is_token_char(ch)) return parse_result::bad_request;
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (target.empty() || version.substr(0, 7) != "HTTP/1.") return parse_result::bad_request;

  req->method.assign(method);
  req->target.assign(target);
  std::size_t q = target.find('?');
  req->path.assign(target.substr(0, q));
  req->query.assign(q == std::string_view::npos ? std::string_view() : target.substr(q + 1));
  req->headers.clear();
  bool http10 = version == "HTTP/1.0";
  bool chunked = false;
  bool has_length = false;
  std::size_t length = 0;
  std::string connection_hdr;
  *wants_continue = false;

  std::size_t pos = line_end == std::string_view::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    std::size_t eol = head.find("\r\n", pos);
    if (eol == std::string_view::npos) eol = head.size();
    std::string_view h = head.substr(pos, eol - pos);
    pos = eol + 2;
    std::size_t colon = h.find(':');
    if (colon == std::string_view::npos || colon == 0) return parse_result::bad_request;
    std::string name = lower(h.substr(0, colon));
    std::string value(trim(h.substr(colon + 1)));
    if (name == "transfer-encoding") {
      chunked = lower(value).find("chunked") != std::string::npos;
    } else if (name == "content-length") {
      char* endp = nullptr;
      unsigned long long n = std::strtoull(value.c_str(), &endp, 10);
      if (value.empty() || *endp != '\0') return parse_result::bad_request;
      if (n > max_body_bytes) return parse_result::too_large;
      has_length = true;
      length = static_cast<std::size_t>(n);
    } else if (name == "connection") {
      connection_hdr = lower(value);
    } else if (name == "expect") {
      *wants_continue = lower(value) == "100-continue";
    }
    req->headers.emplace_back(std::move(name), std::move(value));
  }
  req->keep_alive = http10 ? connection_hdr.find("keep-alive") != std::string::npos
                           : connection_hdr.find("close") == std::string::npos;

  std::size_t body_start = head_end + 4;
  if (chunked) {
    parse_result r = parse_chunked(in, body_start, &req->body, consumed);
    if (r != parse_result::incomplete) *wants_continue = false;
    return r;
  }
  if (has_length) {
    if (in.size() - body_start < length) return parse_result::incomplete;
    req->body.assign(in, body_start, length);
    *consumed = body_start + length;
    *wants_continue = false;
    return parse_result::complete;
  }
  req->body.clear();
  *consumed = body_start;
  *wants_continue = false;
  return parse_result::complete;
}

void respond_error_and_close(connection* c, int status, const char* detail) {
  http_response res;
  res.status = status;
  res.content_type = "application/problem+json";
  res.body = std::string("{\"title\":\"") + reason_phrase(status) + "\",\"detail\":\"" + detail +
             "\",\"status\":" + std::to_string(status) + "}";
  c->busy = true;
  c->close_after_write = true;
  conn_respond(c, res);
}

void process(connection* c) {
  if (c->in_process) return;
  c->in_process = true;
  conn_retain(c);
  while (c->open && !c->busy && !c->streaming && !c->close_after_write && !c->in.empty()) {
    http_request req;
    std::size_t consumed = 0;
    bool wants_continue = false;
    parse_result r = parse_request(c->in, &req, &consumed, &wants_continue);
    if (r == parse_result::incomplete) {
      if (wants_continue && !c->continue_sent) {
        c->continue_sent = true;
        conn_write(c, std::string("HTTP/1.1 100 Continue\r\n\r\n"));
      }
      break;
    }
    if (r == parse_result::bad_request) {
      respond_error_and_close(c, 400, "Malformed HTTP request");
      break;
    }
    if (r == parse_result::too_large) {
      respond_error_and_close(c, 413, "Request body too large");
      break;
    }
    if (r == parse_result::header_too_large) {
      respond_error_and_close(c, 431, "Request header too large");
      break;
    }
    c->in.erase(0, consumed);
    c->continue_sent = false;
    c->busy = true;
    bool keep = req.keep_alive;
    if (!keep) {
      // The answer to this request is the last one: ignore anything after it.
      uv_read_stop(reinterpret_cast<uv_stream_t*>(&c->tcp));
      c->in.clear();
      c->close_after_write = true;
    }
    if (http_verbose)
      c->current =
          (c->srv->kind == port_kind::api ? "api " : "stream ") + req.method + " " + req.target;
    c->srv->handler(c, req);
    if (!keep) break;
  }
  c->in_process = false;
  conn_release(c);
}

void on_alloc(uv_handle_t*, std::size_t, uv_buf_t* buf) {
  *buf = uv_buf_init(read_buffer, sizeof read_buffer);
}

void on_read(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
  auto* c = static_cast<connection*>(s->data);
  if (nread < 0) {
    conn_close(c);
    return;
  }
  if (nread == 0 || c->streaming) return;  // a stream's client has nothing more to say
  c->in.append(buf->base, static_cast<std::size_t>(nread));
  process(c);
}

void on_connection(uv_stream_t* server, int status) {
  if (status < 0) return;
  auto* srv = static_cast<http_server*>(server->data);
  auto* c = new connection;
  c->srv = srv;
  uv_tcp_init(server->loop, &c->tcp);
  c->tcp.data = c;
  if (uv_accept(server, reinterpret_cast<uv_stream_t*>(&c->tcp)) != 0) {
    conn_close(c);
    return;
  }
  uv_tcp_nodelay(&c->tcp, 1);
  uv_read_start(reinterpret_cast<uv_stream_t*>(&c->tcp), on_alloc, on_read);
}

std::string response_head(const http_response& res, bool keep_alive, bool chunked) {
  std::string out;
  out.reserve(256 + res.body.size());
  out += "HTTP/1.1 ";
  out += std::to_string(res.status);
  out += ' ';
  out += reason_phrase(res.status);
  out += "\r\n";
  if (!res.content_type.empty() && res.status != 204) {
    out += "Content-Type: ";
    out += res.content_type;
    out += "\r\n";
  }
  if (chunked) {
    out += "Transfer-Encoding: chunked\r\n";
  } else if (res.status != 204) {
    out += "Content-Length: ";
    out += std::to_string(res.body.size());
    out += "\r\n";
  }
  out += keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
  for (const auto& h : res.headers) {
    out += h.first;
    out += ": ";
    out += h.second;
    out += "\r\n";
  }
  out += "\r\n";
  return out;
}

}  // namespace

const std::string* http_request::header(std::string_view name) const {
  for (const auto& h : headers)
    if (h.first == name) return &h.second;
  return nullptr;
}

std::string http_request::query_param(std::string_view name, bool* present) const {
  if (present != nullptr) *present = false;
  std::string_view q = query;
  while (!q.empty()) {
    std::size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    std::size_t eq = pair.find('=');
    if (pair.substr(0, eq) != name) continue;
    if (present != nullptr) *present = true;
    std::string_view raw = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '+') {
        out += ' ';
      } else if (raw[i] == '%' && i + 2 < raw.size()) {
        char hex[3] = {raw[i + 1], raw[i + 2], 0};
        out += static_cast<char>(std::strtol(hex, nullptr, 16));
        i += 2;
      } else {
        out += raw[i];
      }
    }
    return out;
  }
  return {};
}

int http_server_start(uv_loop_t* loop, http_server* srv, const char* host, int port) {
  sockaddr_storage addr{};
  int rc = uv_ip4_addr(host, port, reinterpret_cast<sockaddr_in*>(&addr));
  if (rc != 0) rc = uv_ip6_addr(host, port, reinterpret_cast<sockaddr_in6*>(&addr));
  if (rc != 0) return rc;
  uv_tcp_init(loop, &srv->tcp);
  srv->tcp.data = srv;
  rc = uv_tcp_bind(&srv->tcp, reinterpret_cast<const sockaddr*>(&addr), 0);
  if (rc != 0) return rc;
  rc = uv_listen(reinterpret_cast<uv_stream_t*>(&srv->tcp), 4096, on_connection);
  if (rc != 0) return rc;
  sockaddr_storage bound{};
  int len = sizeof bound;
  uv_tcp_getsockname(&srv->tcp, reinterpret_cast<sockaddr*>(&bound), &len);
  srv->port = bound.ss_family == AF_INET6
                  ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                  : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  return 0;
}

void conn_retain(connection* c) { c->refs++; }

void conn_release(connection* c) {
  if (--c->refs == 0) delete c;
}

bool conn_is_open(const connection* c) { return c->open; }

port_kind conn_port(const connection* c) { return c->srv->kind; }

void conn_respond(connection* c, const http_response& res) {
  if (!c->open || !c->busy) return;
  bool keep = !c->close_after_write;
  if (http_verbose) std::fprintf(stderr, "%s -> %d\n", c->current.c_str(), res.status);
  std::string out = response_head(res, keep, false);
  if (res.status != 204) out += res.body;
  c->busy = false;
  conn_write(c, std::move(out));
  if (!keep) return;  // on_written closes it
  if (!c->in_process) process(c);
}

void conn_drop(connection* c) {
  if (http_verbose) std::fprintf(stderr, "%s -> dropped\n", c->current.c_str());
  c->busy = false;
  conn_close(c);
}

void conn_begin_stream(connection* c, const http_response& head, stream_hooks hooks) {
  if (!c->open) {
    if (hooks.on_close != nullptr) hooks.on_close(hooks.user);
    return;
  }
  c->streaming = true;
  c->hooks = hooks;
  conn_write(c, response_head(head, !c->close_after_write, true));
}

void conn_stream_write(connection* c, std::string&& data) {
  if (!c->open || !c->streaming || data.empty()) return;
  char size_line[24];
  int n = std::snprintf(size_line, sizeof size_line, "%zx\r\n", data.size());
  // The chunk header goes in front of the payload in the same buffer: one write per batch.
  data.insert(0, size_line, static_cast<std::size_t>(n));
  data += "\r\n";
  conn_write(c, std::move(data));
}

bool conn_stream_writable(const connection* c) {
  return c->open && c->streaming && c->writes_in_flight < max_writes_in_flight;
}

void conn_stream_end(connection* c) {
  if (!c->open || !c->streaming) return;
  conn_write(c, std::string("0\r\n\r\n"));
  c->streaming = false;
  c->hooks = {};
  c->busy = false;
  if (c->close_after_write) {
    if (c->writes_in_flight == 0) conn_close(c);
    return;
  }
  if (!c->in_process) process(c);
}

void conn_stream_abort(connection* c) {
  if (!c->open) return;
  if (c->streaming && c->hooks.on_close != nullptr) {
    stream_hooks hooks = c->hooks;
    c->hooks = {};
    hooks.on_close(hooks.user);
  }
  c->close_after_write = true;
  if (c->writes_in_flight == 0) conn_close(c);
}

}  // namespace emu
