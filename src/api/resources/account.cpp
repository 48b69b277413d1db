// client.account(), client.hardware() and client.webhooks(): single-route groups.
#include "replicate/account.hpp"

#include "api/resources/call.hpp"
#include "json/decode_resources.hpp"
#include "replicate/hardware.hpp"
#include "replicate/webhooks_api.hpp"

namespace replicate {

using namespace detail;

account_api client::account() noexcept { return account_api(impl_); }
hardware_api client::hardware() noexcept { return hardware_api(impl_); }
webhooks_api client::webhooks() noexcept { return webhooks_api(impl_); }

namespace {

template <typename T, body_decoder<T> Decode>
error get_object(client_impl* c, std::string_view route, object_cb<T> cb, void* user) {
  if (error e = call_check(c, erase(cb))) return e;
  call k;
  k.route = route;
  k.deliver = deliver_object<T, Decode>;
  k.cb = erase(cb);
  k.user = user;
  return call_submit(c, k);
}

}  // namespace

error account_api::get(object_cb<account> cb, void* user) {
  return get_object<account, decode_account_body>(impl_, "/account", cb, user);
}

error hardware_api::list(object_cb<hardware_list> cb, void* user) {
  return get_object<hardware_list, decode_hardware_list>(impl_, "/hardware", cb, user);
}

error webhooks_api::default_secret(object_cb<webhook_secret> cb, void* user) {
  return get_object<webhook_secret, decode_webhook_secret_body>(impl_, "/webhooks/default/secret",
                                                                cb, user);
}

}  // namespace replicate
