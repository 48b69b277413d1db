#include "api/resources/call.hpp"

#include <cstring>

#include "http/url.hpp"

namespace replicate::detail {
namespace {

void on_call_done(void*, request_result& r) {
  call_header* h = r.spec->state_as<call_header>();
  // A redirect that was not followed, or any other non-2xx the requester let through, is not a
  // success either.
  if (!r.err && (r.res.status < 200 || r.res.status > 299)) {
    r.err = error(errc::http_status);
    r.err.http_status = r.res.status;
    decode_problem(r.a, r.res.body, &r.err);
  }
  h->deliver(r);
}

// The query array lives in the spec's state and the requester copies the spec when it queues
// it, so point at the copy when the request starts.
bool call_build(request_spec* spec, arena* a) {
  call_header* h = spec->state_as<call_header>();
  spec->params.query = h->query;
  spec->params.query_count = h->query_count;
  if (!h->accept.value.empty()) {
    spec->params.headers = &h->accept;
    spec->params.header_count = 1;
  }
  return h->build == nullptr || h->build(spec, a);
}

}  // namespace

error call_check(client_impl* c, any_fn cb) noexcept {
  if (c == nullptr) return error(errc::not_initialized);
  if (cb == nullptr) return error(errc::invalid_argument, "callback is null");
  return error();
}

error call_check_cursor(std::string_view cursor_url) noexcept {
  if (cursor_url.empty() || url_is_absolute_http(cursor_url)) return error();
  return error(errc::invalid_url, "cursor_url must be the absolute `next` URL of a page");
}

void call_route_or_cursor(call* k, std::string_view route, std::string_view cursor_url) noexcept {
  if (cursor_url.empty()) {
    k->route = route;
    return;
  }
  // `next` carries its own cursor and filters; it is fetched verbatim.
  k->route = cursor_url;
  k->query_count = 0;
}

error call_submit_raw(client_impl* c, const call& k, request_spec& spec) noexcept {
  if (k.query_count > 3) return error(errc::invalid_argument, "too many query parameters");
  call_header* h = spec.state_as<call_header>();
  h->deliver = k.deliver;
  h->cb = k.cb;
  h->user = k.user;
  h->build = k.build;
  for (std::size_t i = 0; i < k.query_count; ++i) h->query[i] = k.query[i];
  h->query_count = k.query_count;
  if (!k.accept.empty()) h->accept = {"Accept", k.accept};
  spec.params.method = k.method;
  spec.params.route = k.route;
  spec.params.content_type = k.content_type;
  for (int i = 0; i < 4; ++i) spec.route_tail[i] = k.tail[i];
  spec.never_retry = k.never_retry;
  spec.build = call_build;
  return requester_submit(&c->http, spec, on_call_done, nullptr, nullptr);
}

bool call_join_tail(request_spec* spec, arena* a, int index, std::string_view first,
                    std::string_view second, std::string_view third) noexcept {
  std::size_t n = first.size() + second.size() + third.size();
  char* out = static_cast<char*>(arena_alloc(a, n + 1, 1));
  if (out == nullptr) return false;
  std::size_t at = 0;
  for (std::string_view piece : {first, second, third}) {
    if (!piece.empty()) std::memcpy(out + at, piece.data(), piece.size());
    at += piece.size();
  }
  out[n] = '\0';
  spec->route_tail[index] = std::string_view(out, n);
  return true;
}

void deliver_status(request_result& r) noexcept {
  call_header* h = r.spec->state_as<call_header>();
  reinterpret_cast<status_cb>(h->cb)(h->user, r.err);
}

void deliver_text(request_result& r) noexcept {
  call_header* h = r.spec->state_as<call_header>();
  auto cb = reinterpret_cast<text_cb>(h->cb);
  if (r.err) {
    cb(h->user, r.err, {});
    return;
  }
  cb(h->user, r.err, r.res.body);
}

}  // namespace replicate::detail
