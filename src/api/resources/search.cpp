// search(): GET /search?query=&limit=.
#include "replicate/search.hpp"

#include <cstdio>

#include "api/resources/call.hpp"
#include "json/decode_resources.hpp"

namespace replicate {

using namespace detail;

namespace {

struct search_args {
  char limit[4];
};

// The limit's text lives in the spec's state, which the requester copies: point at the copy.
bool build_search_query(request_spec* spec, arena*) {
  call_header* h = spec->state_as<call_header>();
  if (h->query_count == 2) h->query[1].value = call_args<search_args>(spec)->limit;
  spec->params.query = h->query;
  return true;
}

}  // namespace

error search(client& c, std::string_view query, int limit, object_cb<search_result> cb,
             void* user) {
  if (error e = call_check(c.impl(), erase(cb))) return e;
  if (query.empty()) return error(errc::invalid_argument, "search query is empty");
  if (limit < 0 || limit > 50) return error(errc::invalid_argument, "limit must be 1..50 (or 0)");
  search_args args{};
  call k;
  k.route = "/search";
  k.query[0] = {"query", query};
  k.query_count = 1;
  if (limit > 0) {
    std::snprintf(args.limit, sizeof args.limit, "%d", limit);
    k.query[1] = {"limit", {}};
    k.query_count = 2;
  }
  k.build = build_search_query;
  k.deliver = deliver_object<search_result, decode_search_body>;
  k.cb = erase(cb);
  k.user = user;
  return call_submit(c.impl(), k, args);
}

}  // namespace replicate
