// Webhook delivery for predictions and trainings created with `webhook`: POST the object to the
// exact URL (query kept), signed like Standard Webhooks (webhook-id / -timestamp / -signature).
// libcurl's multi interface is driven by a short uv timer while transfers are active: simple,
// and the loop never blocks. Only loopback targets are contacted; others are refused.
#include "webhooks.hpp"

#include <curl/curl.h>

#include <cstdio>
#include <deque>

#include "clock.hpp"
#include "config.hpp"
#include "crypto.hpp"
#include "json_text.hpp"
#include "prediction.hpp"

namespace emu {

namespace {

constexpr int max_attempts = 5;  // the terminal webhook is retried; others are sent once
constexpr uint64_t throttle_ms = 500;
constexpr std::size_t log_limit = 1000;

struct delivery {
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  std::string url;
  std::string prediction_id;
  std::string event;
  std::string webhook_id;
  std::string body;
  bool terminal = false;
  int attempt = 0;
  uv_timer_t* retry_timer = nullptr;
};

CURLM* multi = nullptr;
uv_timer_t tick;
int active = 0;
std::deque<std::string> log;  // rendered records

void log_record(const delivery& d, long status, const char* error) {
  if (log.size() >= log_limit) log.pop_front();
  std::string out = "{";
  json_field(out, "prediction_id", d.prediction_id);
  json_field(out, "url", d.url);
  json_field(out, "event", d.event);
  json_field(out, "webhook_id", d.webhook_id);
  json_field_raw(out, "attempt", std::to_string(d.attempt));
  json_field_raw(out, "status", std::to_string(status));
  json_field_nullable(out, "error", nullptr);
  if (error != nullptr) {
    out.resize(out.size() - 4);
    json_append_string(out, error);
  }
  out += '}';
  log.push_back(std::move(out));
}

bool loopback_url(const std::string& url) {
  std::size_t start = url.rfind("https://", 0) == 0 ? 8 : url.rfind("http://", 0) == 0 ? 7 : 0;
  if (start == 0) return false;
  std::string host = url.substr(start);
  if (host.rfind("[::1]", 0) == 0) return true;
  host = host.substr(0, host.find_first_of(":/?#"));
  return host == "127.0.0.1" || host == "localhost";
}

std::string signing_key() {
  std::string key;
  std::string secret = webhook_secret;
  if (!base64_decode(secret.substr(secret.find('_') + 1), &key)) key.clear();
  return key;
}

void on_tick(uv_timer_t*);

void start(delivery* d) {
  d->attempt++;
  std::string timestamp = std::to_string(static_cast<long long>(now_unix()));
  std::string signature =
      base64_encode(hmac_sha256(signing_key(), d->webhook_id + "." + timestamp + "." + d->body));
  curl_slist_free_all(d->headers);
  d->headers = curl_slist_append(nullptr, "Content-Type: application/json");
  d->headers = curl_slist_append(d->headers, ("webhook-id: " + d->webhook_id).c_str());
  d->headers = curl_slist_append(d->headers, ("webhook-timestamp: " + timestamp).c_str());
  d->headers = curl_slist_append(d->headers, ("webhook-signature: v1," + signature).c_str());
  d->headers = curl_slist_append(d->headers, "User-Agent: replicate-emulator-webhook/1");
  d->headers = curl_slist_append(d->headers, "Expect:");
  if (d->easy == nullptr) d->easy = curl_easy_init();
  curl_easy_reset(d->easy);
  curl_easy_setopt(d->easy, CURLOPT_URL, d->url.c_str());
  curl_easy_setopt(d->easy, CURLOPT_POST, 1L);
  curl_easy_setopt(d->easy, CURLOPT_POSTFIELDS, d->body.c_str());
  curl_easy_setopt(d->easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(d->body.size()));
  curl_easy_setopt(d->easy, CURLOPT_HTTPHEADER, d->headers);
  curl_easy_setopt(d->easy, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(d->easy, CURLOPT_FOLLOWLOCATION, 0L);  // redirects are not followed
  curl_easy_setopt(d->easy, CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(
      d->easy, CURLOPT_WRITEFUNCTION,
      +[](char*, size_t size, size_t n, void*) { return size * n; });
  curl_easy_setopt(d->easy, CURLOPT_PRIVATE, d);
  curl_multi_add_handle(multi, d->easy);
  if (active++ == 0) uv_timer_start(&tick, on_tick, 0, 2);
}

void finish(delivery* d) {
  if (d->easy != nullptr) curl_easy_cleanup(d->easy);
  curl_slist_free_all(d->headers);
  delete d;
}

void on_tick(uv_timer_t*) {
  int running = 0;
  curl_multi_perform(multi, &running);
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    delivery* d = nullptr;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char**>(&d));
    CURLcode result = msg->data.result;
    curl_multi_remove_handle(multi, msg->easy_handle);
    active--;
    long status = 0;
    curl_easy_getinfo(d->easy, CURLINFO_RESPONSE_CODE, &status);
    bool ok = result == CURLE_OK && status >= 200 && status < 300;
    log_record(*d, status, result == CURLE_OK ? nullptr : curl_easy_strerror(result));
    if (!ok && d->terminal && d->attempt < max_attempts) {
      // Exponential back-off, much shorter than the real service's so tests stay fast.
      d->retry_timer = new uv_timer_t;
      uv_timer_init(g_loop, d->retry_timer);
      d->retry_timer->data = d;
      uv_timer_start(
          d->retry_timer,
          [](uv_timer_t* t) {
            auto* d = static_cast<delivery*>(t->data);
            uv_close(reinterpret_cast<uv_handle_t*>(t),
                     [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
            d->retry_timer = nullptr;
            start(d);
          },
          250ULL << (d->attempt - 1), 0);
    } else {
      finish(d);
    }
  }
  if (active == 0) uv_timer_stop(&tick);
}

const char* event_name(webhook_event ev) {
  switch (ev) {
    case wh_start:
      return "start";
    case wh_output:
      return "output";
    case wh_logs:
      return "logs";
    default:
      return "completed";
  }
}

void on_prediction_event(prediction* p, webhook_event ev) {
  bool terminal = is_terminal(p->status);
  // At the end, "completed" carries the final output; a separate "output" call would repeat it.
  if (terminal && ev == wh_output && (p->webhook_filter & wh_completed) != 0) return;
  if (terminal && ev == wh_output) ev = wh_completed;
  if ((p->webhook_filter & ev) == 0) return;
  uint64_t now = uv_now(g_loop);
  if ((ev == wh_output || ev == wh_logs) && p->webhook_last_ms != 0 &&
      now - p->webhook_last_ms < throttle_ms)
    return;
  p->webhook_last_ms = now;
  auto* d = new delivery;
  d->url = p->webhook;
  d->prediction_id = p->id;
  d->event = event_name(ev);
  d->webhook_id = "msg_" + random_id();
  d->body = prediction_render(*p);
  d->terminal = ev == wh_completed;
  if (!loopback_url(d->url)) {
    log_record(*d, 0, "refused: the emulator only delivers to 127.0.0.1 or localhost");
    if (!g_config.quiet)
      std::fprintf(stderr, "replicate-emulator: webhook to %s refused (not loopback)\n",
                   d->url.c_str());
    delete d;
    return;
  }
  start(d);
}

}  // namespace

void webhooks_init() {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  multi = curl_multi_init();
  uv_timer_init(g_loop, &tick);
  uv_unref(reinterpret_cast<uv_handle_t*>(&tick));
  prediction_webhook_hook = on_prediction_event;
}

std::string webhooks_log_json() {
  std::string out = "[";
  for (const std::string& r : log) {
    if (out.size() > 1) out += ',';
    out += r;
  }
  out += ']';
  return out;
}

void webhooks_log_clear() { log.clear(); }

}  // namespace emu
