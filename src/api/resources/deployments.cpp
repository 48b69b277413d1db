// client.deployments() and deployments().predictions().
#include "replicate/deployments.hpp"

#include "api/resources/call.hpp"
#include "api/validate.hpp"
#include "json/decode_resources.hpp"
#include "json/writer.hpp"

namespace replicate {

using namespace detail;

deployments_api client::deployments() noexcept { return deployments_api(impl_); }

namespace {

constexpr int max_min_instances = 5;
constexpr int max_max_instances = 20;

error validate_owner_name(std::string_view owner, std::string_view name) {
  if (error e = validate_id(owner, "deployment owner")) return e;
  return validate_id(name, "deployment name");
}

error validate_instances(int min_instances, int max_instances) {
  if (min_instances > max_max_instances || min_instances > max_min_instances)
    return error(errc::invalid_argument, "min_instances must be 0..5");
  if (max_instances > max_max_instances)
    return error(errc::invalid_argument, "max_instances must be 0..20");
  if (min_instances >= 0 && max_instances >= 0 && max_instances < min_instances)
    return error(errc::invalid_argument, "max_instances is less than min_instances");
  return error();
}

bool build_create(request_spec* spec, arena* a) {
  const deployment_create_params& p = *call_args<deployment_create_params>(spec);
  json_writer w(a);
  w.begin_object();
  w.key("name");
  w.string(p.name);
  w.key("model");
  w.string(p.model);
  w.key("version");
  w.string(p.version);
  w.key("hardware");
  w.string(p.hardware);
  w.key("min_instances");
  w.number(p.min_instances);
  w.key("max_instances");
  w.number(p.max_instances);
  w.end_object();
  spec->params.body = w.finish();
  return !spec->params.body.empty();
}

bool build_update(request_spec* spec, arena* a) {
  const deployment_update_params& p = *call_args<deployment_update_params>(spec);
  json_writer w(a);
  w.begin_object();
  if (!p.hardware.empty()) {
    w.key("hardware");
    w.string(p.hardware);
  }
  if (p.min_instances >= 0) {
    w.key("min_instances");
    w.number(p.min_instances);
  }
  if (p.max_instances >= 0) {
    w.key("max_instances");
    w.number(p.max_instances);
  }
  if (!p.version.empty()) {
    w.key("version");
    w.string(p.version);
  }
  w.end_object();
  spec->params.body = w.finish();
  return !spec->params.body.empty();
}

call deployment_call(http_method m, std::string_view owner, std::string_view name) {
  call k;
  k.method = m;
  k.route = "/deployments/";
  k.tail[0] = owner;
  k.tail[1] = "/";
  k.tail[2] = name;
  return k;
}

}  // namespace

error deployments_api::get(std::string_view owner, std::string_view name, object_cb<deployment> cb,
                           void* user) {
  if (error e = call_check(impl_, erase(cb))) return e;
  if (error e = validate_owner_name(owner, name)) return e;
  call k = deployment_call(http_method::get, owner, name);
  k.deliver = deliver_object<deployment, decode_deployment_body>;
  k.cb = erase(cb);
  k.user = user;
  return call_submit(impl_, k);
}

error deployments_api::list(list_cb<deployment> cb, void* user, std::string_view cursor_url) {
  if (error e = call_check(impl_, erase(cb))) return e;
  if (error e = call_check_cursor(cursor_url)) return e;
  call k;
  call_route_or_cursor(&k, "/deployments", cursor_url);
  k.deliver = deliver_page<deployment, decode_deployment_page>;
  k.cb = erase(cb);
  k.user = user;
  return call_submit(impl_, k);
}

error deployments_api::create(const deployment_create_params& params, object_cb<deployment> cb,
                              void* user) {
  if (error e = call_check(impl_, erase(cb))) return e;
  if (error e = validate_id(params.name, "deployment name")) return e;
  model_identifier m;
  if (identifier_parse(params.model, &m) || m.kind != identifier_kind::model)
    return error(errc::invalid_argument, "deployment model must be \"owner/name\"");
  if (!is_version_id(params.version))
    return error(errc::invalid_argument, "deployment version must be 64 hex characters");
  if (params.hardware.empty())
    return error(errc::invalid_argument, "deployment hardware (a SKU) is required");
  if (params.min_instances < 0 || params.max_instances < 0)
    return error(errc::invalid_argument, "instance counts cannot be negative");
  if (error e = validate_instances(params.min_instances, params.max_instances)) return e;
  call k;
  k.method = http_method::post;
  k.route = "/deployments";
  k.build = build_create;
  k.deliver = deliver_object<deployment, decode_deployment_body>;
  k.cb = erase(cb);
  k.user = user;
  return call_submit(impl_, k, params);
}

error deployments_api::update(std::string_view owner, std::string_view name,
                              const deployment_update_params& params, object_cb<deployment> cb,
                              void* user) {
  if (error e = call_check(impl_, erase(cb))) return e;
  if (error e = validate_owner_name(owner, name)) return e;
  const deployment_update_params& p = params;
  if (p.version.empty() && p.hardware.empty() && p.min_instances < 0 && p.max_instances < 0)
    return error(errc::invalid_argument, "deployment update sets no field");
  if (!p.version.empty() && !is_version_id(p.version))
    return error(errc::invalid_argument, "deployment version must be 64 hex characters");
  if (p.min_instances < -1 || p.max_instances < -1)
    return error(errc::invalid_argument, "instance counts cannot be negative (-1 leaves them)");
  if (error e = validate_instances(p.min_instances, p.max_instances)) return e;
  call k = deployment_call(http_method::patch, owner, name);
  k.build = build_update;
  k.deliver = deliver_object<deployment, decode_deployment_body>;
  k.cb = erase(cb);
  k.user = user;
  return call_submit(impl_, k, params);
}

error deployments_api::del(std::string_view owner, std::string_view name, status_cb cb,
                           void* user) {
  if (error e = call_check(impl_, erase(cb))) return e;
  if (error e = validate_owner_name(owner, name)) return e;
  call k = deployment_call(http_method::del, owner, name);
  k.deliver = deliver_status;
  k.cb = erase(cb);
  k.user = user;
  return call_submit(impl_, k);
}

error deployment_predictions_api::create(std::string_view owner, std::string_view name,
                                         const prediction_create_params& params, prediction_cb cb,
                                         void* user) {
  if (error e = call_check(impl_, erase(cb))) return e;
  if (error e = validate_owner_name(owner, name)) return e;
  if (!params.version.empty())
    return error(errc::invalid_argument, "a deployment fixes the version: leave version empty");
  model_identifier target;
  target.kind = identifier_kind::deployment;
  target.owner = owner;
  target.name = name;
  if (error e = validate_create(params)) return e;
  return prediction_create_submit(impl_, target, params, std::chrono::milliseconds(0),
                                  prediction_create_deliver, nullptr, nullptr, cb, user);
}

}  // namespace replicate
