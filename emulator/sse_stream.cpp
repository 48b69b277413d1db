// The stream port: Server-Sent Events for predictions (GET /v1/streams/{id}) and the file
// delivery host (GET /delivery/{id}/{name}). Events are batched into large buffers and produced
// only when fewer than two writes are in flight, so a fast reader gets hundreds of thousands of
// events per second and a slow one holds memory flat.
#include <cstdlib>
#include <cstring>

#include "config.hpp"
#include "control.hpp"
#include "crypto.hpp"
#include "json_text.hpp"
#include "prediction.hpp"
#include "responses.hpp"
#include "routes.hpp"

namespace emu {

namespace {

constexpr std::size_t batch_bytes = 128 * 1024;

struct sse_session {
  connection* c = nullptr;
  prediction* p = nullptr;
  int64_t next = 0;         // index of the next event in the prediction's stream
  int64_t drop_after = -1;  // close after this many events on this connection
  int64_t sent = 0;
  uv_timer_t* timer = nullptr;  // interval_ms pacing
  bool in_pump = false;
  bool closed = false;
  std::string id_prefix;  // "<unix-seconds>:"
};

void session_free(sse_session* s) {
  prediction_unwatch(s->p, s);
  if (s->timer != nullptr) {
    uv_timer_stop(s->timer);
    uv_close(reinterpret_cast<uv_handle_t*>(s->timer),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
  }
  delete s;
}

void append_event(std::string& out, const sse_session& s, int64_t index, const char* type,
                  std::string_view data) {
  out += "event: ";
  out += type;
  out += "\nid: ";
  out += s.id_prefix;
  char n[24];
  out.append(n, static_cast<std::size_t>(
                    std::snprintf(n, sizeof n, "%lld", static_cast<long long>(index))));
  out += '\n';
  // Multi-line data takes one data: line per line.
  std::size_t start = 0;
  for (;;) {
    std::size_t nl = data.find('\n', start);
    out += "data: ";
    out.append(data.substr(start, nl == std::string_view::npos ? nl : nl - start));
    out += '\n';
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  out += '\n';
}

void pump(sse_session* s);

void on_timer(uv_timer_t* t) { pump(static_cast<sse_session*>(t->data)); }

void pump(sse_session* s) {
  if (s->in_pump || s->closed) return;
  s->in_pump = true;
  prediction* p = s->p;
  std::string token;
  while (!s->closed && conn_stream_writable(s->c)) {
    int64_t tokens = prediction_tokens_available(*p);
    // Token outputs first, then the stored events (logs, and the terminal ones).
    auto total = tokens + static_cast<int64_t>(p->events.size());
    std::string buf;
    while (s->next < total && buf.size() < batch_bytes &&
           (s->drop_after < 0 || s->sent < s->drop_after)) {
      if (s->next < tokens) {
        token.clear();
        prediction_token_append(*p, s->next, token);
        append_event(buf, *s, s->next, "output", token);
      } else {
        const stream_event& ev = p->events[static_cast<std::size_t>(s->next - tokens)];
        append_event(buf, *s, s->next, ev.type, ev.data);
      }
      s->next++;
      s->sent++;
    }
    if (!buf.empty()) conn_stream_write(s->c, std::move(buf));
    if (s->closed) break;
    if (s->drop_after >= 0 && s->sent >= s->drop_after) {
      conn_stream_abort(s->c);  // runs on_close, which marks the session closed
      break;
    }
    if (s->next < total) continue;  // the batch was full
    if (is_terminal(p->status) && s->next >= total) {
      conn_stream_end(s->c);
      s->closed = true;
      break;
    }
    if (p->behavior == model_behavior::tokens && p->status == prediction_status::processing &&
        p->interval_ms > 0 && s->next < p->token_count) {
      uint64_t due = prediction_token_due_ms(*p, s->next);
      uint64_t now = uv_now(g_loop);
      if (s->timer == nullptr) {
        s->timer = new uv_timer_t;
        uv_timer_init(g_loop, s->timer);
        s->timer->data = s;
      }
      uv_timer_start(s->timer, on_timer, due > now ? due - now : 0, 0);
    }
    break;  // wait for the prediction to change
  }
  s->in_pump = false;
  if (s->closed) session_free(s);
}

void on_change(void* user) { pump(static_cast<sse_session*>(user)); }
void on_drain(void* user) { pump(static_cast<sse_session*>(user)); }
void on_close(void* user) {
  auto* s = static_cast<sse_session*>(user);
  s->closed = true;
  if (!s->in_pump) session_free(s);
}

void serve_stream(connection* c, http_request& req, prediction* p, int64_t drop_after,
                  int retry_ms) {
  auto* s = new sse_session;
  s->c = c;
  s->p = p;
  s->drop_after = drop_after;
  char prefix[32];
  std::snprintf(prefix, sizeof prefix, "%lld:", static_cast<long long>(p->created_at));
  s->id_prefix = prefix;
  if (const std::string* last = req.header("last-event-id")) {
    std::size_t colon = last->rfind(':');
    const char* n = last->c_str() + (colon == std::string::npos ? 0 : colon + 1);
    if (*n >= '0' && *n <= '9') s->next = std::strtoll(n, nullptr, 10) + 1;
  }
  p->stream_connections++;
  // In --polls-to-finish mode nothing else would move the prediction: reading it finishes it.
  if (g_config.polls_to_finish > 0) prediction_finish_now(p);
  http_response head;
  head.content_type = "text/event-stream";
  head.headers.emplace_back("Cache-Control", "no-cache");
  head.headers.emplace_back("X-Accel-Buffering", "no");
  prediction_watch(p, {on_change, s});
  conn_begin_stream(c, head, {on_drain, on_close, s});
  if (s->closed) {
    session_free(s);
    return;
  }
  if (retry_ms > 0) conn_stream_write(c, "retry: " + std::to_string(retry_ms) + "\n\n");
  pump(s);
}

// A PNG signature, an IHDR-looking chunk and deterministic filler: enough for clients to test
// downloading an output from a second host without a real image.
std::string png_blob(const std::string& seed, std::size_t size) {
  std::string out("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", 16);
  std::string digest = sha256_hex(seed);
  while (out.size() < size) out += digest;
  out.resize(std::max<std::size_t>(size, 16));
  return out;
}

void serve(connection* c, http_request& req, const fault* f) {
  segments seg;
  {
    std::size_t i = 0;
    const std::string& path = req.path;
    while (i < path.size()) {
      while (i < path.size() && path[i] == '/') ++i;
      std::size_t j = path.find('/', i);
      if (j == std::string::npos) j = path.size();
      if (j > i) seg.push_back(path.substr(i, j - i));
      i = j;
    }
  }
  if (seg.size() == 3 && seg[0] == "v1" && (seg[1] == "streams" || seg[1] == "predictions")) {
    if (req.method != "GET") return respond_method_not_allowed(c, "GET");
    prediction* p = prediction_find(seg[2], false);
    if (p == nullptr || !p->streams) return respond_not_found(c, "Stream not found");
    int64_t drop_after = -1;
    int retry_ms = 0;
    bool present = false;
    std::string v = req.query_param("drop_after", &present);
    // Only the first connection drops, so that a reconnect completes the stream.
    if (present && p->stream_connections == 0) drop_after = std::atoll(v.c_str());
    v = req.query_param("retry", &present);
    if (present) retry_ms = std::atoi(v.c_str());
    if (f != nullptr && f->kind == "drop_after") drop_after = f->events;
    if (f != nullptr && f->kind == "retry") retry_ms = f->retry_ms > 0 ? f->retry_ms : 1000;
    return serve_stream(c, req, p, drop_after, retry_ms);
  }
  if (seg.size() == 3 && seg[0] == "delivery") {
    if (req.method != "GET" && req.method != "HEAD") return respond_method_not_allowed(c, "GET");
    prediction* p = prediction_find(seg[1], false);
    if (p == nullptr) p = prediction_find(seg[1], true);
    if (p == nullptr || p->status != prediction_status::succeeded)
      return respond_not_found(c, "File not found");
    if (seg[2] == "out.png" && p->behavior == model_behavior::image)
      return respond_text(c, 200, png_blob(p->id, static_cast<std::size_t>(p->image_size)),
                          "image/png");
    if (seg[2] == "weights.tar" && p->training)
      return respond_text(c, 200, png_blob("weights" + p->id, 4096), "application/x-tar");
    return respond_not_found(c, "File not found");
  }
  respond_not_found(c, "No route for " + req.path);
}

void serve_without_fault(connection* c, http_request& req) { serve(c, req, nullptr); }

}  // namespace

void stream_handle(connection* c, http_request& req) {
  request_log_add(port_kind::stream, req);
  std::optional<fault> f = fault_take(port_kind::stream, req);
  if (f && apply_common_fault(c, req, *f, serve_without_fault)) return;
  serve(c, req, f ? &*f : nullptr);
}

}  // namespace emu
