#include <cstdio>
#include <cstring>
#include <new>

#include "api/client_impl.hpp"
#include "api/validate.hpp"
#include "http/concat_body.hpp"
#include "http/url.hpp"
#include "json/decode.hpp"
#include "json/writer.hpp"

namespace replicate {

using namespace detail;

std::string_view prediction_status_name(prediction_status s) noexcept {
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
    case prediction_status::unknown:
      break;
  }
  return "unknown";
}

prediction_status prediction_status_parse(std::string_view text) noexcept {
  if (text == "starting") return prediction_status::starting;
  if (text == "processing") return prediction_status::processing;
  if (text == "succeeded") return prediction_status::succeeded;
  if (text == "failed") return prediction_status::failed;
  if (text == "canceled") return prediction_status::canceled;
  if (text == "aborted") return prediction_status::aborted;
  return prediction_status::unknown;
}

owned_prediction::owned_prediction(const prediction& p)
    : id(p.id),
      model(p.model),
      version(p.version),
      status_text(p.status_text),
      input_json(p.input_json),
      output_json(p.output_json),
      error(p.error),
      logs(p.logs),
      created_at(p.created_at),
      started_at(p.started_at),
      completed_at(p.completed_at),
      deadline(p.deadline),
      deployment(p.deployment),
      source(p.source),
      metrics_json(p.metrics_json),
      url_get(p.urls.get),
      url_cancel(p.urls.cancel),
      url_stream(p.urls.stream),
      url_web(p.urls.web),
      raw_json(p.raw_json),
      status(p.status),
      predict_time(p.predict_time),
      data_removed(p.data_removed) {}

prediction owned_prediction::view() const noexcept {
  prediction p;
  p.id = id;
  p.model = model;
  p.version = version;
  p.status = status;
  p.status_text = status_text;
  p.input_json = input_json;
  p.output_json = output_json;
  p.error = error;
  p.logs = logs;
  p.created_at = created_at;
  p.started_at = started_at;
  p.completed_at = completed_at;
  p.deadline = deadline;
  p.deployment = deployment;
  p.source = source;
  p.metrics_json = metrics_json;
  p.predict_time = predict_time;
  p.data_removed = data_removed;
  p.urls = {url_get, url_cancel, url_stream, url_web};
  p.raw_json = raw_json;
  return p;
}

namespace detail {

error prediction_outcome(const prediction& p) noexcept {
  error e;
  switch (p.status) {
    case prediction_status::succeeded:
      return e;
    case prediction_status::failed:
      e = error(errc::prediction_failed,
                p.error.empty() ? std::string_view("prediction failed") : p.error);
      break;
    case prediction_status::canceled:
      e = error(errc::prediction_canceled);
      break;
    case prediction_status::aborted:
      e = error(errc::prediction_aborted);
      break;
    default:
      e = error(errc::bad_response, "prediction is not in a terminal status");
      break;
  }
  e.set_prediction(p.id, p.status_text);
  return e;
}

namespace {

struct create_state {
  prediction_create_params params;
  model_identifier target;
  char prefer[32];
  header headers[2];
  prediction_cb public_cb;  // predictions().create's callback; run() uses its own
  void* public_user;
};

// Writes the create body into the arena when the request starts. With a streamed input the body
// is prefix + input stream + suffix, and the input is never held whole.
bool build_create(request_spec* spec, arena* a) {
  create_state* st = spec->state_as<create_state>();
  const prediction_create_params& p = st->params;
  std::string_view version;
  if (st->target.kind == identifier_kind::version ||
      st->target.kind == identifier_kind::model_version)
    version = st->target.version;

  auto write_head = [&](json_writer& w) {
    w.begin_object();
    if (!version.empty()) {
      w.key("version");
      w.string(version);
    }
    w.key("input");
  };
  auto write_tail = [&](json_writer& w) {
    if (!p.webhook.empty()) {
      w.key("webhook");
      w.string(p.webhook);
    }
    if (p.webhook_events_count > 0) {
      w.key("webhook_events_filter");
      w.begin_array();
      for (std::size_t i = 0; i < p.webhook_events_count; ++i) w.string(p.webhook_events_filter[i]);
      w.end_array();
    }
    if (p.stream) {
      w.key("stream");
      w.boolean(true);
    }
    w.end_object();
  };

  if (p.input_stream == nullptr) {
    json_writer w(a);
    write_head(w);
    w.raw(p.input_json);
    write_tail(w);
    spec->params.body = w.finish();
    if (spec->params.body.empty()) return false;
  } else {
    json_writer head(a);
    write_head(head);
    std::string_view prefix = head.finish();
    json_writer tail(a);
    tail.raw("null");  // keeps the writer's comma logic: the key/value pairs follow a value
    write_tail(tail);
    std::string_view suffix = tail.finish();
    if (prefix.empty() || suffix.empty()) return false;
    suffix.remove_prefix(4);  // drop the "null" placeholder
    body_piece pieces[3] = {{prefix, nullptr}, {{}, p.input_stream}, {suffix, nullptr}};
    spec->params.body_stream = concat_body_create(a, pieces, 3);
    if (spec->params.body_stream == nullptr) return false;
  }

  std::size_t n = 0;
  if (p.prefer_wait.count() > 0) {
    std::snprintf(st->prefer, sizeof st->prefer, "wait=%lld",
                  static_cast<long long>(p.prefer_wait.count()));
    st->headers[n++] = {"Prefer", st->prefer};
  }
  if (!p.cancel_after.empty()) st->headers[n++] = {"Cancel-After", p.cancel_after};
  spec->params.headers = st->headers;
  spec->params.header_count = n;
  return true;
}

}  // namespace

error prediction_create_submit(client_impl* c, const model_identifier& target,
                               const prediction_create_params& params,
                               std::chrono::milliseconds extra_timeout, request_done_fn done,
                               void* user, request_id* id, prediction_cb public_cb,
                               void* public_user) noexcept {
  request_spec spec;
  spec.params.method = http_method::post;
  if (target.kind == identifier_kind::model || target.kind == identifier_kind::deployment) {
    spec.params.route = target.kind == identifier_kind::model ? "/models/" : "/deployments/";
    spec.route_tail[0] = target.owner;
    spec.route_tail[1] = "/";
    spec.route_tail[2] = target.name;
    spec.route_tail[3] = "/predictions";
  } else {
    spec.params.route = "/predictions";
  }
  spec.params.timeout = c->request_timeout + params.prefer_wait + extra_timeout;
  spec.build = build_create;
  // run() and stream() never need the echoed input (the caller sent it; it may be megabytes
  // of data URIs); predictions().create returns it as the API does.
  spec.elide_input = public_cb == nullptr;
  new (spec.state_as<create_state>()) create_state{params, target, {}, {}, public_cb, public_user};
  return requester_submit(&c->http, spec, done, user, id);
}

}  // namespace detail

namespace {

struct callback_state {
  prediction_cb cb;
  void* user;
};

void deliver_prediction(prediction_cb cb, void* user, request_result& r) {
  if (r.err) {
    cb(user, r.err, nullptr);
    return;
  }
  prediction p;
  error err;
  if (!decode_prediction_body(r.a, r.res.body, &p, &err)) {
    err.http_status = r.res.status;
    cb(user, err, nullptr);
    return;
  }
  cb(user, err, &p);
}

void on_create_done(void*, request_result& r) {
  auto* st = r.spec->state_as<create_state>();
  deliver_prediction(st->public_cb, st->public_user, r);
}

void on_prediction_done(void*, request_result& r) {
  auto* st = r.spec->state_as<callback_state>();
  deliver_prediction(st->cb, st->user, r);
}

struct page_state {
  page_cb cb;
  void* user;
  query_param query[2];
};

void on_page_done(void*, request_result& r) {
  auto* st = r.spec->state_as<page_state>();
  page<prediction> pg;
  if (r.err) {
    st->cb(st->user, r.err, pg);
    return;
  }
  error err;
  if (!decode_prediction_page(r.a, r.res.body, &pg, &err)) err.http_status = r.res.status;
  st->cb(st->user, err, pg);
}

error submit_by_id(client_impl* c, http_method method, std::string_view id, std::string_view suffix,
                   prediction_cb cb, void* user) {
  if (c == nullptr) return error(errc::not_initialized);
  if (cb == nullptr) return error(errc::invalid_argument, "callback is null");
  if (error e = validate_id(id, "prediction id")) return e;
  request_spec spec;
  spec.params.method = method;
  spec.params.route = "/predictions/";
  spec.route_tail[0] = id;
  spec.route_tail[1] = suffix;
  *spec.state_as<callback_state>() = {cb, user};
  return requester_submit(&c->http, spec, on_prediction_done, nullptr, nullptr);
}

}  // namespace

namespace detail {
// The done function that fires prediction_create_submit's public_cb (deployments' predictions).
void prediction_create_deliver(void* user, request_result& r) noexcept { on_create_done(user, r); }
}  // namespace detail

error predictions_api::create(const prediction_create_params& params, prediction_cb cb, void* user,
                              std::string_view model) {
  if (impl_ == nullptr) return error(errc::not_initialized);
  if (cb == nullptr) return error(errc::invalid_argument, "callback is null");
  model_identifier target;
  if (!model.empty()) {
    if (error e = identifier_parse(model, &target)) return e;
    if (target.kind != identifier_kind::model)
      return error(errc::invalid_identifier, "model must be owner/name");
  } else {
    if (error e = identifier_parse(params.version, &target)) return e;
    if (target.kind == identifier_kind::deployment)
      return error(errc::invalid_identifier, "use deployments().predictions() for a deployment");
    // "owner/name" in version means an official model, created through POST /predictions.
    if (target.kind == identifier_kind::model) {
      target.kind = identifier_kind::version;
      target.version = params.version;
    }
  }
  if (error e = validate_create(params)) return e;
  return prediction_create_submit(impl_, target, params, std::chrono::milliseconds(0),
                                  on_create_done, nullptr, nullptr, cb, user);
}

error predictions_api::get(std::string_view id, prediction_cb cb, void* user) {
  return submit_by_id(impl_, http_method::get, id, {}, cb, user);
}

error predictions_api::cancel(std::string_view id, prediction_cb cb, void* user) {
  return submit_by_id(impl_, http_method::post, id, "/cancel", cb, user);
}

error predictions_api::list(page_cb cb, void* user, std::string_view cursor_url,
                            std::string_view created_after, std::string_view created_before) {
  if (impl_ == nullptr) return error(errc::not_initialized);
  if (cb == nullptr) return error(errc::invalid_argument, "callback is null");
  request_spec spec;
  spec.params.method = http_method::get;
  page_state* st = spec.state_as<page_state>();
  *st = page_state{cb, user, {}};
  if (!cursor_url.empty()) {
    if (!url_is_absolute_http(cursor_url))
      return error(errc::invalid_url, "cursor_url must be the absolute `next` URL of a page");
    spec.params.route = cursor_url;
  } else {
    spec.params.route = "/predictions";
    std::size_t n = 0;
    if (!created_after.empty()) st->query[n++] = {"created_after", created_after};
    if (!created_before.empty()) st->query[n++] = {"created_before", created_before};
    spec.params.query_count = n;
  }
  // The query array lives in the spec's state; the requester copies the spec, so point at the
  // copy when the request starts.
  spec.build = [](request_spec* self, arena*) {
    self->params.query = self->state_as<page_state>()->query;
    return true;
  };
  return requester_submit(&impl_->http, spec, on_page_done, nullptr, nullptr);
}

}  // namespace replicate
