// paginate(): page after page through `next`, one request at a time, with the next URL kept in
// the caller's handle between pages.
#include "replicate/paginate.hpp"

#include "api/resources/call.hpp"
#include "core/text.hpp"
#include "http/url.hpp"
#include "json/decode_resources.hpp"

namespace replicate {

using namespace detail;

namespace {

struct walk_state {
  pagination* p;
  query_param query[3];
  std::size_t query_count;
};

void finish(pagination* p, const error& err) {
  p->active_ = false;
  pagination_done_cb done = p->done_;
  done(p->user_, err);
}

template <typename T>
bool hand_page(pagination* p, const page<T>& pg) {
  ++p->pages;
  p->items += pg.count;
  return reinterpret_cast<pagination_page_cb<T>>(p->on_page_)(p->user_, pg);
}

// Decodes one page for the handle's item type; false with err set when it is not a page.
template <typename T>
bool decode_and_hand(pagination* p, request_result& r,
                     bool (*decode)(arena*, std::string_view, page<T>*, error*) noexcept,
                     error* err, bool* more, std::string_view* next) {
  page<T> pg;
  if (!decode(r.a, r.res.body, &pg, err)) {
    err->http_status = r.res.status;
    return false;
  }
  *next = pg.next;
  *more = hand_page(p, pg);
  return true;
}

error submit(pagination* p, std::string_view route, const query_param* query, std::size_t count);

void on_page_done(void*, request_result& r) {
  pagination* p = r.spec->state_as<walk_state>()->p;
  if (r.err) {
    finish(p, r.err);
    return;
  }
  error err;
  bool more = false;
  std::string_view next;
  bool ok = false;
  switch (p->kind_) {
    case list_kind::prediction:
      ok = decode_and_hand<prediction>(p, r, decode_prediction_page, &err, &more, &next);
      break;
    case list_kind::model:
      ok = decode_and_hand<model>(p, r, decode_model_page, &err, &more, &next);
      break;
    case list_kind::model_version:
      ok = decode_and_hand<model_version>(p, r, decode_model_version_page, &err, &more, &next);
      break;
    case list_kind::collection:
      ok = decode_and_hand<collection>(p, r, decode_collection_page, &err, &more, &next);
      break;
    case list_kind::training:
      ok = decode_and_hand<training>(p, r, decode_training_page, &err, &more, &next);
      break;
    case list_kind::deployment:
      ok = decode_and_hand<deployment>(p, r, decode_deployment_page, &err, &more, &next);
      break;
    case list_kind::file:
      ok = decode_and_hand<file_object>(p, r, decode_file_page, &err, &more, &next);
      break;
  }
  if (!ok || !more || next.empty()) {
    finish(p, err);
    return;
  }
  if (!url_is_absolute_http(next)) {
    finish(p, error(errc::bad_response, "page's next is not an absolute http(s) URL"));
    return;
  }
  if (next.size() >= sizeof p->next_) {
    finish(p, error(errc::invalid_url, "next URL is longer than REPLICATE_PAGINATION_URL_MAX"));
    return;
  }
  // The page (and its next view) dies with this callback: keep the URL in the handle.
  text_copy(p->next_, sizeof p->next_, next);
  if (error e = submit(p, std::string_view(p->next_, next.size()), nullptr, 0)) finish(p, e);
}

bool build_walk(request_spec* spec, arena*) {
  walk_state* st = spec->state_as<walk_state>();
  spec->params.query = st->query;
  spec->params.query_count = st->query_count;
  return true;
}

error submit(pagination* p, std::string_view route, const query_param* query, std::size_t count) {
  request_spec spec;
  walk_state* st = spec.state_as<walk_state>();
  *st = walk_state{p, {}, count};
  for (std::size_t i = 0; i < count; ++i) st->query[i] = query[i];
  spec.params.method = http_method::get;
  spec.params.route = route;
  spec.build = build_walk;
  return requester_submit(&p->impl_->http, spec, on_page_done, nullptr, nullptr);
}

}  // namespace

error paginate_start(client& c, pagination* p, list_kind kind, const list_request& first,
                     void (*on_page)(), pagination_done_cb done, void* user) {
  if (c.impl() == nullptr) return error(errc::not_initialized);
  if (p == nullptr || on_page == nullptr || done == nullptr)
    return error(errc::invalid_argument, "pagination handle or callback is null");
  if (p->active_) return error(errc::invalid_argument, "pagination handle is already walking");
  if (first.route.empty()) return error(errc::invalid_argument, "list route is empty");
  if (first.query_count > 3) return error(errc::invalid_argument, "too many query parameters");
  if (kind > list_kind::file) return error(errc::invalid_argument, "unknown list kind");
  p->impl_ = c.impl();
  p->kind_ = kind;
  p->on_page_ = on_page;
  p->done_ = done;
  p->user_ = user;
  p->pages = 0;
  p->items = 0;
  p->next_[0] = '\0';
  error err = submit(p, first.route, first.query, first.query_count);
  if (!err) p->active_ = true;
  return err;
}

}  // namespace replicate
