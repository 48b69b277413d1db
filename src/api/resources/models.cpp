// client.models(): models, versions, README and examples.
#include "replicate/models.hpp"

#include "api/resources/call.hpp"
#include "api/validate.hpp"
#include "http/url.hpp"
#include "json/decode_resources.hpp"
#include "json/writer.hpp"

namespace replicate {

using namespace detail;

models_api client::models() noexcept { return models_api(impl_); }

namespace {

error validate_owner_name(std::string_view owner, std::string_view name) {
  if (error e = validate_id(owner, "model owner")) return e;
  return validate_id(name, "model name");
}

error validate_optional_url(std::string_view url, const char* what) {
  if (url.empty() || url_is_absolute_http(url)) return error();
  return error(errc::invalid_url, what);
}

void put_optional(json_writer& w, const char* key, std::string_view value) {
  if (value.empty()) return;
  w.key(key);
  w.string(value);
}

bool build_create(request_spec* spec, arena* a) {
  const model_create_params& p = *call_args<model_create_params>(spec);
  json_writer w(a);
  w.begin_object();
  w.key("owner");
  w.string(p.owner);
  w.key("name");
  w.string(p.name);
  w.key("visibility");
  w.string(p.visibility);
  w.key("hardware");
  w.string(p.hardware);
  put_optional(w, "description", p.description);
  put_optional(w, "github_url", p.github_url);
  put_optional(w, "paper_url", p.paper_url);
  put_optional(w, "license_url", p.license_url);
  put_optional(w, "cover_image_url", p.cover_image_url);
  w.end_object();
  spec->params.body = w.finish();
  return !spec->params.body.empty();
}

bool build_update(request_spec* spec, arena* a) {
  const model_update_params& p = *call_args<model_update_params>(spec);
  json_writer w(a);
  w.begin_object();
  put_optional(w, "description", p.description);
  put_optional(w, "readme", p.readme);
  put_optional(w, "github_url", p.github_url);
  put_optional(w, "paper_url", p.paper_url);
  put_optional(w, "weights_url", p.weights_url);
  put_optional(w, "license_url", p.license_url);
  w.end_object();
  spec->params.body = w.finish();
  return !spec->params.body.empty();
}

struct search_args {
  std::string_view query;
};

bool build_search(request_spec* spec, arena*) {
  spec->params.body = call_args<search_args>(spec)->query;
  return true;
}

// "/models/{owner}/{name}" + suffix.
call model_call(http_method m, std::string_view owner, std::string_view name,
                std::string_view suffix = {}) {
  call k;
  k.method = m;
  k.route = "/models/";
  k.tail[0] = owner;
  k.tail[1] = "/";
  k.tail[2] = name;
  k.tail[3] = suffix;
  return k;
}

// A per-model list (versions, examples): its first page, or the page a cursor names.
error model_page_call(std::string_view owner, std::string_view name, std::string_view suffix,
                      std::string_view cursor_url, call* k) {
  if (error e = call_check_cursor(cursor_url)) return e;
  if (!cursor_url.empty()) {
    k->route = cursor_url;
    return error();
  }
  if (error e = validate_owner_name(owner, name)) return e;
  *k = model_call(http_method::get, owner, name, suffix);
  return error();
}

}  // namespace

error models_api::get(std::string_view owner, std::string_view name, object_cb<model> cb,
                      void* user) {
  if (error e = call_check(impl_, erase(cb))) return e;
  if (error e = validate_owner_name(owner, name)) return e;
  call k = model_call(http_method::get, owner, name);
  k.deliver = deliver_object<model, decode_model_body>;
  k.cb = erase(cb);
  k.user = user;
  return call_submit(impl_, k);
}

error models_api::list(const model_list_params& params, list_cb<model> cb, void* user,
                       std::string_view cursor_url) {
  if (error e = call_check(impl_, erase(cb))) return e;
  if (error e = call_check_cursor(cursor_url)) return e;
  call k;
  if (params.sort) {
    k.query[0] = {"sort_by", params.sort_by == model_sort_by::model_created_at
                                 ? "model_created_at"
                                 : "latest_version_created_at"};
    k.query[1] = {"sort_direction", params.direction == sort_direction::asc ? "asc" : "desc"};
    k.query_count = 2;
  }
  call_route_or_cursor(&k, "/models", cursor_url);
  k.deliver = deliver_page<model, decode_model_page>;
  k.cb = erase(cb);
  k.user = user;
  return call_submit(impl_, k);
}

error models_api::create(const model_create_params& params, object_cb<model> cb, void* user) {
  if (error e = call_check(impl_, erase(cb))) return e;
  if (error e = validate_owner_name(params.owner, params.name)) return e;
  if (params.visibility != "public" && params.visibility != "private")
    return error(errc::invalid_argument, "visibility must be \"public\" or \"private\"");
  if (params.hardware.empty())
    return error(errc::invalid_argument, "hardware (a SKU such as \"cpu\") is required");
  if (error e = validate_optional_url(params.github_url, "github_url is not an http(s) URL"))
    return e;
  if (error e = validate_optional_url(params.paper_url, "paper_url is not an http(s) URL"))
    return e;
  if (error e = validate_optional_url(params.license_url, "license_url is not an http(s) URL"))
    return e;
  if (error e =
          validate_optional_url(params.cover_image_url, "cover_image_url is not an http(s) URL"))
    return e;
  call k;
  k.method = http_method::post;
  k.route = "/models";
  k.build = build_create;
  k.deliver = deliver_object<model, decode_model_body>;
  k.cb = erase(cb);
  k.user = user;
  return call_submit(impl_, k, params);
}

error models_api::update(std::string_view owner, std::string_view name,
                         const model_update_params& params, object_cb<model> cb, void* user) {
  if (error e = call_check(impl_, erase(cb))) return e;
  if (error e = validate_owner_name(owner, name)) return e;
  const model_update_params& p = params;
  if (p.description.empty() && p.readme.empty() && p.github_url.empty() && p.paper_url.empty() &&
      p.weights_url.empty() && p.license_url.empty())
    return error(errc::invalid_argument, "model update sets no field");
  if (error e = validate_optional_url(p.github_url, "github_url is not an http(s) URL")) return e;
  if (error e = validate_optional_url(p.paper_url, "paper_url is not an http(s) URL")) return e;
  if (error e = validate_optional_url(p.weights_url, "weights_url is not an http(s) URL")) return e;
  if (error e = validate_optional_url(p.license_url, "license_url is not an http(s) URL")) return e;
  call k = model_call(http_method::patch, owner, name);
  k.build = build_update;
  k.deliver = deliver_object<model, decode_model_body>;
  k.cb = erase(cb);
  k.user = user;
  return call_submit(impl_, k, params);
}

error models_api::search(std::string_view query, list_cb<model> cb, void* user) {
  if (error e = call_check(impl_, erase(cb))) return e;
  if (query.empty()) return error(errc::invalid_argument, "search query is empty");
  call k;
  k.method = http_method::query;
  k.route = "/models";
  k.content_type = "text/plain";
  k.build = build_search;
  k.deliver = deliver_page<model, decode_model_page>;
  k.cb = erase(cb);
  k.user = user;
  return call_submit(impl_, k, search_args{query});
}

error models_api::del(std::string_view owner, std::string_view name, status_cb cb, void* user) {
  if (error e = call_check(impl_, erase(cb))) return e;
  if (error e = validate_owner_name(owner, name)) return e;
  call k = model_call(http_method::del, owner, name);
  k.deliver = deliver_status;
  k.cb = erase(cb);
  k.user = user;
  return call_submit(impl_, k);
}

error models_api::versions_list(std::string_view owner, std::string_view name,
                                list_cb<model_version> cb, void* user,
                                std::string_view cursor_url) {
  if (error e = call_check(impl_, erase(cb))) return e;
  call k;
  if (error e = model_page_call(owner, name, "/versions", cursor_url, &k)) return e;
  k.deliver = deliver_page<model_version, decode_model_version_page>;
  k.cb = erase(cb);
  k.user = user;
  return call_submit(impl_, k);
}

namespace {

struct version_args {
  std::string_view id;
};

// "/models/{owner}/{name}/versions/{id}" has five pieces; the last two are joined at start.
bool build_version_route(request_spec* spec, arena* a) {
  return call_join_tail(spec, a, 3, "/versions/", call_args<version_args>(spec)->id);
}

error version_call(client_impl* c, http_method m, std::string_view owner, std::string_view name,
                   std::string_view version_id, call_deliver_fn deliver, any_fn cb, void* user) {
  if (error e = call_check(c, cb)) return e;
  if (error e = validate_owner_name(owner, name)) return e;
  if (!is_version_id(version_id))
    return error(errc::invalid_argument, "version id must be 64 hex characters");
  call k = model_call(m, owner, name);
  k.build = build_version_route;
  k.deliver = deliver;
  k.cb = cb;
  k.user = user;
  return call_submit(c, k, version_args{version_id});
}

}  // namespace

error models_api::versions_get(std::string_view owner, std::string_view name,
                               std::string_view version_id, object_cb<model_version> cb,
                               void* user) {
  return version_call(impl_, http_method::get, owner, name, version_id,
                      deliver_object<model_version, decode_model_version_body>, erase(cb), user);
}

error models_api::versions_del(std::string_view owner, std::string_view name,
                               std::string_view version_id, status_cb cb, void* user) {
  return version_call(impl_, http_method::del, owner, name, version_id, deliver_status, erase(cb),
                      user);
}

error models_api::readme(std::string_view owner, std::string_view name, text_cb cb, void* user) {
  if (error e = call_check(impl_, erase(cb))) return e;
  if (error e = validate_owner_name(owner, name)) return e;
  call k = model_call(http_method::get, owner, name, "/readme");
  k.accept = "text/plain, text/markdown";
  k.deliver = deliver_text;
  k.cb = erase(cb);
  k.user = user;
  return call_submit(impl_, k);
}

namespace {

bool decode_prediction_page_fn(arena* a, std::string_view body, page<prediction>* out,
                               error* err) noexcept {
  return decode_prediction_page(a, body, out, err);
}

}  // namespace

error models_api::examples_list(std::string_view owner, std::string_view name, page_cb cb,
                                void* user, std::string_view cursor_url) {
  if (error e = call_check(impl_, erase(cb))) return e;
  call k;
  if (error e = model_page_call(owner, name, "/examples", cursor_url, &k)) return e;
  k.deliver = deliver_page<prediction, decode_prediction_page_fn>;
  k.cb = erase(cb);
  k.user = user;
  return call_submit(impl_, k);
}

}  // namespace replicate
