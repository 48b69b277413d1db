#include "prediction.hpp"

#include <cjson/cJSON.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_map>

#include "clock.hpp"
#include "config.hpp"
#include "crypto.hpp"
#include "http_server.hpp"
#include "json_text.hpp"

namespace emu {

void (*prediction_webhook_hook)(prediction* p, webhook_event ev) = nullptr;

struct prediction_waiter {
  uv_timer_t timer;
  connection* c = nullptr;
  prediction* p = nullptr;
  int seconds = 0;
  void (*respond)(connection* c, prediction* p, int seconds) = nullptr;
};

namespace {

std::vector<std::unique_ptr<prediction>> all;
std::unordered_map<std::string, prediction*> by_id;
uint64_t next_seq = 1;

void delete_timer(uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); }

void close_timer(uv_timer_t*& t) {
  if (t == nullptr) return;
  uv_timer_stop(t);
  uv_close(reinterpret_cast<uv_handle_t*>(t), delete_timer);
  t = nullptr;
}

void timer_start(prediction* p, uv_timer_t*& t, uint64_t delay_ms, uv_timer_cb cb) {
  if (t == nullptr) {
    t = new uv_timer_t;
    uv_timer_init(g_loop, t);
    t->data = p;
  }
  uv_timer_start(t, cb, delay_ms, 0);
}

void webhook(prediction* p, webhook_event ev) {
  if (prediction_webhook_hook != nullptr && !p->webhook.empty()) prediction_webhook_hook(p, ev);
}

void notify(prediction* p) {
  std::vector<prediction_watcher> copy = p->watchers;
  for (const auto& w : copy) w.on_change(w.user);
}

void add_log(prediction* p, const std::string& line) {
  p->logs += line;
  p->logs += '\n';
  // Streams show logs only for models whose events are not the token outputs.
  if (p->behavior != model_behavior::tokens) p->events.push_back({"logs", line});
}

std::string progress_line(int step, double seconds) {
  // tqdm: "  40%|████      | 4/10 [00:02<00:03,  2.00it/s]"
  int pct = step * 10;
  std::string bar;
  for (int i = 0; i < 10; ++i) bar += i < step ? "\u2588" : " ";
  double per = seconds / 10.0;
  auto mmss = [](double s) {
    char b[16];
    int t = static_cast<int>(s + 0.5);
    std::snprintf(b, sizeof b, "%02d:%02d", t / 60, t % 60);
    return std::string(b);
  };
  char out[160];
  std::snprintf(out, sizeof out, "%4d%%|%s| %d/10 [%s<%s, %5.2fit/s]", pct, bar.c_str(), step,
                mmss(per * step).c_str(), mmss(per * (10 - step)).c_str(),
                per > 0 ? 1.0 / per : 0.0);
  return out;
}

void finish(prediction* p) {
  p->completed_at = now_unix();
  close_timer(p->timer);
  close_timer(p->deadline_timer);
  std::vector<prediction_waiter*> waiters;
  waiters.swap(p->waiters);
  for (prediction_waiter* w : waiters) {
    uv_timer_stop(&w->timer);
    if (conn_is_open(w->c)) w->respond(w->c, p, w->seconds);
    conn_release(w->c);
    uv_close(reinterpret_cast<uv_handle_t*>(&w->timer),
             [](uv_handle_t* h) { delete static_cast<prediction_waiter*>(h->data); });
  }
  notify(p);
  webhook(p, wh_completed);
}

void to_processing(prediction* p);
void complete(prediction* p);

void on_lifecycle_timer(uv_timer_t* t) {
  auto* p = static_cast<prediction*>(t->data);
  if (p->status == prediction_status::starting) {
    to_processing(p);
    return;
  }
  if (p->status != prediction_status::processing) return;
  if (p->behavior == model_behavior::slow && p->progress_step < 10) {
    p->progress_step++;
    add_log(p, progress_line(p->progress_step, p->seconds));
    webhook(p, wh_logs);
    if (p->progress_step < 10) {
      timer_start(p, p->timer, static_cast<uint64_t>(p->seconds * 100.0), on_lifecycle_timer);
      notify(p);
      return;
    }
  }
  complete(p);
}

uint64_t run_ms(const prediction* p) {
  // How long the processing phase lasts in time mode.
  auto t = static_cast<uint64_t>(g_config.prediction_ms);
  uint64_t processing = t - t / 3;
  if (p->behavior == model_behavior::tokens)
    processing = std::max<uint64_t>(
        processing, static_cast<uint64_t>(p->token_count) * static_cast<uint64_t>(p->interval_ms));
  return processing;
}

void to_processing(prediction* p) {
  p->status = prediction_status::processing;
  p->started_at = now_unix();
  p->processing_ms = uv_now(g_loop);
  if (p->training) {
    add_log(p, "Training started");
  } else {
    switch (p->behavior) {
      case model_behavior::slow:
        add_log(p, "Running for " + std::to_string(static_cast<int>(p->seconds)) + " seconds");
        add_log(p, progress_line(0, p->seconds));
        break;
      case model_behavior::fail:
        add_log(p, "Loading model...");
        break;
      case model_behavior::tokens:
        add_log(p, "Generating " + std::to_string(p->token_count) + " tokens");
        break;
      default:
        add_log(p, "Running prediction...");
        break;
    }
  }
  webhook(p, wh_start);
  if (g_config.polls_to_finish <= 0) {
    uint64_t delay = p->behavior == model_behavior::slow && !p->training
                         ? static_cast<uint64_t>(p->seconds * 100.0)
                         : run_ms(p);
    timer_start(p, p->timer, delay, on_lifecycle_timer);
  }
  notify(p);
}

void complete(prediction* p) {
  if (is_terminal(p->status)) return;
  if (p->status == prediction_status::starting) to_processing(p);
  if (p->behavior == model_behavior::fail && !p->training) {
    add_log(p, "Traceback (most recent call last):");
    add_log(p, "RuntimeError: " + p->message);
    p->status = prediction_status::failed;
    p->error = "emulated failure: " + p->message;
    p->events.push_back({"error", "{\"detail\":" + json_quote(p->error) + "}"});
    p->events.push_back({"done", R"({"reason":"error"})"});
  } else {
    if (p->behavior == model_behavior::slow) {
      while (p->progress_step < 10) add_log(p, progress_line(++p->progress_step, p->seconds));
    }
    add_log(p, p->training ? "Training complete" : "Prediction complete");
    p->status = prediction_status::succeeded;
    if (p->training) {
      model* dest = nullptr;
      std::size_t slash = p->destination.find('/');
      if (slash != std::string::npos)
        dest = catalog_find(p->destination.substr(0, slash), p->destination.substr(slash + 1));
      if (dest != nullptr) {
        const model_version* v = catalog_add_version(dest, "training:" + p->id);
        p->trained_version = v->id;
      }
    } else if (p->behavior == model_behavior::hello_world) {
      p->events.push_back({"output", "hello " + p->text});
    } else if (p->behavior == model_behavior::caption) {
      p->events.push_back({"output", p->text});
    } else if (p->behavior == model_behavior::slow) {
      p->events.push_back({"output", prediction_output_json(*p)});
    }
    p->events.push_back({"done", "{}"});
  }
  webhook(p, wh_output);
  finish(p);
}

void stop_early(prediction* p, prediction_status status) {
  if (is_terminal(p->status)) return;
  p->tokens_final = prediction_tokens_available(*p);
  p->status = status;
  p->events.push_back({"done", R"({"reason":"canceled"})"});
  finish(p);
}

void on_deadline(uv_timer_t* t) {
  auto* p = static_cast<prediction*>(t->data);
  stop_early(p, p->status == prediction_status::starting ? prediction_status::aborted
                                                         : prediction_status::canceled);
}

// The caption model's output: what arrived, so clients can check their data URIs end to end.
std::string describe_image(std::string_view uri) {
  if (uri.rfind("data:", 0) != 0) return "an image at " + std::string(uri);
  std::size_t comma = uri.find(',');
  std::string_view meta = uri.substr(5, comma == std::string_view::npos ? 0 : comma - 5);
  std::string_view mime = meta.substr(0, meta.find(';'));
  std::string bytes;
  bool base64 = meta.size() >= 7 && meta.substr(meta.size() - 7) == ";base64";
  if (comma == std::string_view::npos || !base64 || !base64_decode(uri.substr(comma + 1), &bytes))
    return "an undecodable data URI";
  return "a " + std::to_string(bytes.size()) + "-byte " + std::string(mime) + " image (sha256 " +
         sha256_hex(bytes).substr(0, 16) + ")";
}

void read_params(prediction* p) {
  json_doc doc(cJSON_Parse(p->input_json.c_str()));
  const cJSON* in = doc.root;
  if (const char* s = json_get_string(in, "text")) p->text = s;
  if (const char* s = json_get_string(in, "image")) p->text = describe_image(s);
  if (const char* s = json_get_string(in, "message")) p->message = s;
  if (const char* s = json_get_string(in, "prompt")) p->prompt = s;
  auto number = [&](const char* key, double fallback) {
    const cJSON* v = json_get(in, key);
    return cJSON_IsNumber(v) ? v->valuedouble : fallback;
  };
  p->seconds = std::max(0.0, number("seconds", 5));
  p->token_count = std::max<int64_t>(0, static_cast<int64_t>(number("count", 8)));
  p->token_size = std::max<int64_t>(0, static_cast<int64_t>(number("token_size", 0)));
  p->interval_ms = std::max<int64_t>(0, static_cast<int64_t>(number("interval_ms", 0)));
  p->image_size = std::max<int64_t>(1, static_cast<int64_t>(number("size", 1024)));
  std::size_t i = 0;
  const std::string& s = p->prompt;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
    std::size_t j = i;
    while (j < s.size() && !(s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r')) ++j;
    if (j > i) p->words.push_back(s.substr(i, j - i));
    i = j;
  }
  if (p->words.empty()) p->words.push_back("token");
}

}  // namespace

const char* status_name(prediction_status s) {
  switch (s) {
    case prediction_status::starting:
      return "starting";
    case prediction_status::processing:
      return "processing";
    case prediction_status::succeeded:
      return "succeeded";
    case prediction_status::failed:
      return "failed";
    case prediction_status::canceled:
      return "canceled";
    case prediction_status::aborted:
      return "aborted";
  }
  return "starting";
}

prediction* prediction_create(const prediction_params& params) {
  auto owned = std::make_unique<prediction>();
  prediction* p = owned.get();
  p->seq = next_seq++;
  do {
    p->id = random_id();
  } while (by_id.count(p->id) != 0);
  p->training = params.training;
  p->model_name = params.m->full_name();
  p->version_id = params.version != nullptr ? params.version->id : "";
  p->behavior = params.version != nullptr ? params.version->behavior : params.m->behavior;
  p->streams = params.m->streams && !params.training;
  p->deployment = params.deployment;
  p->input_json = params.input_json;
  p->webhook = params.webhook;
  p->webhook_filter = params.webhook_filter;
  p->destination = params.destination;
  p->created_at = now_unix();
  p->created_ms = uv_now(g_loop);
  read_params(p);
  params.m->run_count++;
  all.push_back(std::move(owned));
  by_id.emplace(p->id, p);

  if (params.cancel_after_s > 0) {
    p->deadline = p->created_at + params.cancel_after_s;
    timer_start(p, p->deadline_timer, static_cast<uint64_t>(params.cancel_after_s * 1000.0),
                on_deadline);
  }
  if (g_config.polls_to_finish <= 0)
    timer_start(p, p->timer, static_cast<uint64_t>(g_config.prediction_ms / 3), on_lifecycle_timer);
  return p;
}

prediction* prediction_find(std::string_view id, bool training) {
  auto it = by_id.find(std::string(id));
  if (it == by_id.end() || it->second->training != training) return nullptr;
  return it->second;
}

const std::vector<std::unique_ptr<prediction>>& prediction_all() { return all; }

void prediction_on_poll(prediction* p) {
  if (g_config.polls_to_finish <= 0 || is_terminal(p->status)) return;
  p->polls++;
  if (p->polls >= g_config.polls_to_finish) {
    complete(p);
    return;
  }
  if (p->status == prediction_status::starting) {
    to_processing(p);
  } else if (p->behavior == model_behavior::slow) {
    int step = p->polls * 10 / g_config.polls_to_finish;
    while (p->progress_step < step) add_log(p, progress_line(++p->progress_step, p->seconds));
    notify(p);
  }
}

void prediction_cancel(prediction* p) { stop_early(p, prediction_status::canceled); }

void prediction_finish_now(prediction* p) { complete(p); }

int64_t prediction_tokens_available(const prediction& p) {
  if (p.behavior != model_behavior::tokens || p.training) return 0;
  if (p.tokens_final >= 0) return p.tokens_final;
  switch (p.status) {
    case prediction_status::starting:
      return 0;
    case prediction_status::succeeded:
      return p.token_count;
    case prediction_status::processing: {
      if (p.interval_ms <= 0) return p.token_count;
      uint64_t elapsed = uv_now(g_loop) - p.processing_ms;
      auto n = static_cast<int64_t>(elapsed / static_cast<uint64_t>(p.interval_ms)) + 1;
      return std::min(n, p.token_count);
    }
    default:
      return 0;
  }
}

uint64_t prediction_token_due_ms(const prediction& p, int64_t i) {
  return p.processing_ms + static_cast<uint64_t>(i) * static_cast<uint64_t>(p.interval_ms);
}

void prediction_token_append(const prediction& p, int64_t i, std::string& out) {
  const std::string& word = p.words[static_cast<std::size_t>(i) % p.words.size()];
  char index[24];
  int n = std::snprintf(index, sizeof index, "%lld", static_cast<long long>(i));
  if (p.token_size <= 0) {
    out += word;
    out.append(index, static_cast<std::size_t>(n));
    out += ' ';
    return;
  }
  // Exactly token_size bytes: the natural token repeated, ending in a space when there is room.
  std::size_t size = static_cast<std::size_t>(p.token_size);
  std::size_t body = size > 1 ? size - 1 : size;
  std::size_t start = out.size();
  while (out.size() - start < body) {
    std::size_t room = body - (out.size() - start);
    std::size_t w = std::min(room, word.size());
    out.append(word, 0, w);
    room -= w;
    out.append(index, std::min(room, static_cast<std::size_t>(n)));
  }
  if (size > 1) out += ' ';
}

std::string prediction_output_json(const prediction& p) {
  if (p.training) {
    if (p.status != prediction_status::succeeded) return "null";
    std::string out = "{";
    json_field(out, "version", p.destination + ":" + p.trained_version);
    json_field(out, "weights", g_config.stream_origin + "/delivery/" + p.id + "/weights.tar");
    out += '}';
    return out;
  }
  if (p.behavior == model_behavior::tokens) {
    int64_t n = prediction_tokens_available(p);
    if (n == 0 && p.status != prediction_status::succeeded) return "null";
    std::string out = "[";
    std::string token;
    for (int64_t i = 0; i < n; ++i) {
      if (i > 0) out += ',';
      token.clear();
      prediction_token_append(p, i, token);
      json_append_string(out, token);
    }
    out += ']';
    return out;
  }
  if (p.status != prediction_status::succeeded) return "null";
  switch (p.behavior) {
    case model_behavior::hello_world:
      return json_quote("hello " + p.text);
    case model_behavior::caption:
      return json_quote(p.text);
    case model_behavior::slow: {
      char b[64];
      std::snprintf(b, sizeof b, "slept for %g seconds", p.seconds);
      return json_quote(b);
    }
    case model_behavior::image:
      return "[" + json_quote(g_config.stream_origin + "/delivery/" + p.id + "/out.png") + "]";
    case model_behavior::echo:
      return p.input_json;
    default:
      return "null";
  }
}

std::string prediction_render(const prediction& p) {
  std::string out;
  out.reserve(512 + p.input_json.size() + p.logs.size());
  out += '{';
  json_field(out, "id", p.id);
  json_field(out, "model", p.model_name);
  json_field(out, "version", p.version_id);
  json_field_raw(out, "input", p.input_json);
  json_field_raw(out, "output", prediction_output_json(p));
  if (p.logs_null)
    json_field_raw(out, "logs", "null");
  else
    json_field(out, "logs", p.logs);
  json_field_nullable(out, "error", p.error.empty() ? nullptr : &p.error);
  json_field(out, "status", status_name(p.status));
  json_field(out, "created_at", rfc3339(p.created_at));
  json_field_raw(out, "started_at", p.started_at > 0 ? json_quote(rfc3339(p.started_at)) : "null");
  json_field_raw(out, "completed_at",
                 p.completed_at > 0 ? json_quote(rfc3339(p.completed_at)) : "null");
  if (p.deadline > 0) json_field(out, "deadline", rfc3339(p.deadline));
  if (!p.deployment.empty()) json_field(out, "deployment", p.deployment);
  json_field_raw(out, "data_removed", "false");
  json_field(out, "source", "api");
  if (!p.webhook.empty()) json_field(out, "webhook", p.webhook);
  if (is_terminal(p.status)) {
    char m[128];
    double predict = p.started_at > 0 ? p.completed_at - p.started_at : 0;
    std::snprintf(m, sizeof m, "{\"predict_time\":%.6f,\"total_time\":%.6f}", predict,
                  p.completed_at - p.created_at);
    json_field_raw(out, "metrics", m);
  } else {
    json_field_raw(out, "metrics", "{}");
  }
  std::string base = g_config.api_origin + (p.training ? "/v1/trainings/" : "/v1/predictions/");
  json_append_key(out, "urls");
  out += '{';
  json_field(out, "get", base + p.id);
  json_field(out, "cancel", base + p.id + "/cancel");
  json_field(out, "web", g_config.api_origin + "/p/" + p.id);
  if (p.streams) json_field(out, "stream", g_config.stream_origin + "/v1/streams/" + p.id);
  out += "}}";
  return out;
}

void prediction_watch(prediction* p, prediction_watcher w) { p->watchers.push_back(w); }

void prediction_unwatch(prediction* p, void* user) {
  auto& v = p->watchers;
  v.erase(std::remove_if(v.begin(), v.end(),
                         [user](const prediction_watcher& w) { return w.user == user; }),
          v.end());
}

void prediction_wait(prediction* p, connection* c, int seconds,
                     void (*respond)(connection* c, prediction* p, int seconds)) {
  if (is_terminal(p->status)) {
    respond(c, p, seconds);
    return;
  }
  auto* w = new prediction_waiter;
  w->c = c;
  w->p = p;
  w->seconds = seconds;
  w->respond = respond;
  conn_retain(c);
  uv_timer_init(g_loop, &w->timer);
  w->timer.data = w;
  p->waiters.push_back(w);
  uv_timer_start(
      &w->timer,
      [](uv_timer_t* t) {
        auto* w = static_cast<prediction_waiter*>(t->data);
        auto& list = w->p->waiters;
        list.erase(std::remove(list.begin(), list.end(), w), list.end());
        if (conn_is_open(w->c)) w->respond(w->c, w->p, w->seconds);
        conn_release(w->c);
        uv_close(reinterpret_cast<uv_handle_t*>(t),
                 [](uv_handle_t* h) { delete static_cast<prediction_waiter*>(h->data); });
      },
      static_cast<uint64_t>(seconds) * 1000, 0);
}

}  // namespace emu
