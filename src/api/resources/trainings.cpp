// client.trainings().
#include "replicate/trainings.hpp"

#include "api/resources/call.hpp"
#include "api/validate.hpp"
#include "json/decode_resources.hpp"
#include "json/writer.hpp"

namespace replicate {

using namespace detail;

trainings_api client::trainings() noexcept { return trainings_api(impl_); }

namespace {

struct create_args {
  training_create_params params;
  std::string_view version;
};

// "/models/{owner}/{name}/versions/{id}/trainings": the last three pieces are joined at start.
bool build_create(request_spec* spec, arena* a) {
  const create_args& args = *call_args<create_args>(spec);
  const training_create_params& p = args.params;
  if (!call_join_tail(spec, a, 3, "/versions/", args.version, "/trainings")) return false;
  json_writer w(a);
  w.begin_object();
  w.key("destination");
  w.string(p.destination);
  w.key("input");
  w.raw(p.input_json);
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
  w.end_object();
  spec->params.body = w.finish();
  return !spec->params.body.empty();
}

error submit_by_id(client_impl* c, http_method m, std::string_view id, std::string_view suffix,
                   object_cb<training> cb, void* user) {
  if (error e = call_check(c, erase(cb))) return e;
  if (error e = validate_id(id, "training id")) return e;
  call k;
  k.method = m;
  k.route = "/trainings/";
  k.tail[0] = id;
  k.tail[1] = suffix;
  k.deliver = deliver_object<training, decode_training_body>;
  k.cb = erase(cb);
  k.user = user;
  return call_submit(c, k);
}

}  // namespace

error trainings_api::create(std::string_view owner, std::string_view name,
                            std::string_view version_id, const training_create_params& params,
                            object_cb<training> cb, void* user) {
  if (error e = call_check(impl_, erase(cb))) return e;
  if (error e = validate_id(owner, "model owner")) return e;
  if (error e = validate_id(name, "model name")) return e;
  if (!is_version_id(version_id))
    return error(errc::invalid_argument, "version id must be 64 hex characters");
  model_identifier dest;
  if (identifier_parse(params.destination, &dest) || dest.kind != identifier_kind::model)
    return error(errc::invalid_argument, "destination must be \"owner/name\"");
  if (!json_is_object(params.input_json))
    return error(errc::invalid_json, "training input must be a JSON object");
  if (!params.webhook.empty()) {
    if (error e = validate_webhook(params.webhook)) return e;
  }
  if (params.webhook_events_count > 0 &&
      (params.webhook.empty() || params.webhook_events_filter == nullptr))
    return error(errc::invalid_argument, "webhook_events_filter given without a webhook");
  if (error e = validate_webhook_events(params.webhook_events_filter, params.webhook_events_count))
    return e;
  call k;
  k.method = http_method::post;
  k.route = "/models/";
  k.tail[0] = owner;
  k.tail[1] = "/";
  k.tail[2] = name;
  k.build = build_create;
  k.deliver = deliver_object<training, decode_training_body>;
  k.cb = erase(cb);
  k.user = user;
  return call_submit(impl_, k, create_args{params, version_id});
}

error trainings_api::create(std::string_view model_version, const training_create_params& params,
                            object_cb<training> cb, void* user) {
  model_identifier id;
  if (error e = identifier_parse(model_version, &id)) return e;
  if (id.kind != identifier_kind::model_version)
    return error(errc::invalid_identifier, "training needs \"owner/name:version\"");
  return create(id.owner, id.name, id.version, params, cb, user);
}

error trainings_api::get(std::string_view id, object_cb<training> cb, void* user) {
  return submit_by_id(impl_, http_method::get, id, {}, cb, user);
}

error trainings_api::cancel(std::string_view id, object_cb<training> cb, void* user) {
  return submit_by_id(impl_, http_method::post, id, "/cancel", cb, user);
}

error trainings_api::list(list_cb<training> cb, void* user, std::string_view cursor_url) {
  if (error e = call_check(impl_, erase(cb))) return e;
  if (error e = call_check_cursor(cursor_url)) return e;
  call k;
  call_route_or_cursor(&k, "/trainings", cursor_url);
  k.deliver = deliver_page<training, decode_training_page>;
  k.cb = erase(cb);
  k.user = user;
  return call_submit(impl_, k);
}

}  // namespace replicate
