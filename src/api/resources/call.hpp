// The one way every resource operation reaches the requester: a route, up to three query
// parameters, an optional JSON (or other) body written into the arena when the request starts,
// and a typed decoder that fires the public callback exactly once.
//
// The public callback and its arguments live in the request spec's inline state (trivially
// copyable; the requester copies the spec when it queues it), so a call allocates nothing.
#pragma once

#include <cstddef>
#include <new>
#include <string_view>
#include <type_traits>

#include "api/client_impl.hpp"
#include "json/decode.hpp"
#include "replicate/resource.hpp"

namespace replicate::detail {

using call_deliver_fn = void (*)(request_result& r);
using call_body_fn = bool (*)(request_spec* spec, arena* a);
using any_fn = void (*)();

// At offset 0 of every call state, so the generic hooks find it whatever the arguments are.
struct call_header {
  call_deliver_fn deliver = nullptr;  // decodes the response and fires the public callback
  any_fn cb = nullptr;                // the public callback, cast back by deliver
  void* user = nullptr;
  call_body_fn build = nullptr;  // writes the body, headers or long route pieces into the arena
  query_param query[3];
  std::size_t query_count = 0;
  header accept;  // an Accept other than application/json (README is text/plain)
};

struct no_args {};

template <typename Args>
struct call_state {
  call_header h;
  Args args;
};

template <typename Args>
Args* call_args(request_spec* spec) noexcept {
  return &spec->state_as<call_state<Args>>()->args;
}

struct call {
  http_method method = http_method::get;
  std::string_view route;  // "/models/", or an absolute `next` URL
  std::string_view tail[4];
  query_param query[3];
  std::size_t query_count = 0;
  std::string_view content_type = "application/json";
  std::string_view accept;  // empty: application/json
  bool never_retry = false;
  call_deliver_fn deliver = nullptr;
  any_fn cb = nullptr;
  void* user = nullptr;
  call_body_fn build = nullptr;  // called when the request starts, with its arena
};

error call_submit_raw(client_impl* c, const call& k, request_spec& spec) noexcept;

template <typename Args = no_args>
error call_submit(client_impl* c, const call& k, const Args& args = {}) noexcept {
  static_assert(std::is_trivially_copyable<Args>::value, "call arguments are copied with the spec");
  request_spec spec;
  new (spec.state_as<call_state<Args>>()) call_state<Args>{call_header{}, args};
  return call_submit_raw(c, k, spec);
}

// Common argument checks; each returns ok or the error to hand back without sending.
error call_check(client_impl* c, any_fn cb) noexcept;
// A list's cursor_url must be the absolute `next` URL of a page.
error call_check_cursor(std::string_view cursor_url) noexcept;
// Sets route to the cursor when one is given, else to `route` with the query already in k.
void call_route_or_cursor(call* k, std::string_view route, std::string_view cursor_url) noexcept;

// Sets spec->route_tail[index] to a + b, copied into the arena (routes longer than four pieces).
bool call_join_tail(request_spec* spec, arena* a, int index, std::string_view first,
                    std::string_view second, std::string_view third = {}) noexcept;

// Deliverers.
template <typename T>
using body_decoder = bool (*)(arena* a, std::string_view body, T* out, error* err);

template <typename T, body_decoder<T> Decode>
void deliver_object(request_result& r) {
  call_header* h = r.spec->state_as<call_header>();
  auto cb = reinterpret_cast<object_cb<T>>(h->cb);
  if (r.err) {
    cb(h->user, r.err, nullptr);
    return;
  }
  T value{};
  error err;
  if (!Decode(r.a, r.res.body, &value, &err)) {
    err.http_status = r.res.status;
    cb(h->user, err, nullptr);
    return;
  }
  cb(h->user, err, &value);
}

template <typename T, body_decoder<page<T>> Decode>
void deliver_page(request_result& r) {
  call_header* h = r.spec->state_as<call_header>();
  auto cb = reinterpret_cast<list_cb<T>>(h->cb);
  page<T> pg;
  if (r.err) {
    cb(h->user, r.err, pg);
    return;
  }
  error err;
  if (!Decode(r.a, r.res.body, &pg, &err)) {
    err.http_status = r.res.status;
    cb(h->user, err, page<T>{});
    return;
  }
  cb(h->user, err, pg);
}

// For operations answered without a body (204/202): the outcome only.
void deliver_status(request_result& r) noexcept;
// A text/plain body handed over as is.
void deliver_text(request_result& r) noexcept;

template <typename F>
any_fn erase(F* f) noexcept {
  return reinterpret_cast<any_fn>(f);
}

}  // namespace replicate::detail
