// client.collections().
#include "replicate/collections.hpp"

#include "api/resources/call.hpp"
#include "api/validate.hpp"
#include "json/decode_resources.hpp"

namespace replicate {

using namespace detail;

collections_api client::collections() noexcept { return collections_api(impl_); }

error collections_api::list(list_cb<collection> cb, void* user, std::string_view cursor_url) {
  if (error e = call_check(impl_, erase(cb))) return e;
  if (error e = call_check_cursor(cursor_url)) return e;
  call k;
  call_route_or_cursor(&k, "/collections", cursor_url);
  k.deliver = deliver_page<collection, decode_collection_page>;
  k.cb = erase(cb);
  k.user = user;
  return call_submit(impl_, k);
}

error collections_api::get(std::string_view slug, object_cb<collection> cb, void* user) {
  if (error e = call_check(impl_, erase(cb))) return e;
  if (error e = validate_id(slug, "collection slug")) return e;
  call k;
  k.route = "/collections/";
  k.tail[0] = slug;
  k.deliver = deliver_object<collection, decode_collection_body>;
  k.cb = erase(cb);
  k.user = user;
  return call_submit(impl_, k);
}

}  // namespace replicate
