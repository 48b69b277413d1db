// Walking every page of a list endpoint, and owned copies of list items.
//
// paginate<T>() fetches the first page (route + query), then each page's `next` URL verbatim (an
// absolute URL; the token goes with it only when it is on the API's own origin), handing every
// page to on_page, which returns false to stop. `done` fires exactly once: ok after the last
// page or an early stop, or the first error. Page views are valid only during on_page.
//
// The pagination handle is the caller's (libuv style): it holds the next URL between pages,
// must not move, and must stay alive until `done` fires; it may be reused after that.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "replicate/client.hpp"
#include "replicate/collections.hpp"
#include "replicate/deployments.hpp"
#include "replicate/export.hpp"
#include "replicate/files.hpp"
#include "replicate/models.hpp"
#include "replicate/trainings.hpp"

namespace replicate {

enum class list_kind : std::uint8_t {
  prediction,
  model,
  model_version,
  collection,
  training,
  deployment,
  file
};

template <typename T>
struct list_traits;
template <>
struct list_traits<prediction> {
  static constexpr list_kind kind = list_kind::prediction;
};
template <>
struct list_traits<model> {
  static constexpr list_kind kind = list_kind::model;
};
template <>
struct list_traits<model_version> {
  static constexpr list_kind kind = list_kind::model_version;
};
template <>
struct list_traits<collection> {
  static constexpr list_kind kind = list_kind::collection;
};
template <>
struct list_traits<training> {
  static constexpr list_kind kind = list_kind::training;
};
template <>
struct list_traits<deployment> {
  static constexpr list_kind kind = list_kind::deployment;
};
template <>
struct list_traits<file_object> {
  static constexpr list_kind kind = list_kind::file;
};

// The first page: GET route?query. Routes by item type: prediction "/predictions" (or
// "/models/{o}/{n}/examples"), model "/models", model_version "/models/{o}/{n}/versions",
// collection "/collections", training "/trainings", deployment "/deployments", file_object
// "/files". Views must stay valid until `done` fires.
struct list_request {
  list_request(std::string_view first_route = {}) noexcept : route(first_route) {}  // NOLINT

  std::string_view route;
  query_param query[3];
  std::size_t query_count = 0;
};

using pagination_done_cb = void (*)(void* user, const error& err);
template <typename T>
using pagination_page_cb = bool (*)(void* user, const page<T>& pg);  // false stops

// Longest `next` URL a handle keeps between pages; a longer one ends the walk with invalid_url.
#ifndef REPLICATE_PAGINATION_URL_MAX
#define REPLICATE_PAGINATION_URL_MAX 2048
#endif

struct pagination {
  pagination() = default;
  pagination(const pagination&) = delete;
  pagination& operator=(const pagination&) = delete;

  // Read-only: pages and items handed to on_page so far.
  std::size_t pages = 0;
  std::size_t items = 0;
  [[nodiscard]] bool active() const noexcept { return active_; }

  // Private.
  detail::client_impl* impl_ = nullptr;
  list_kind kind_ = list_kind::prediction;
  bool active_ = false;
  void (*on_page_)() = nullptr;
  pagination_done_cb done_ = nullptr;
  void* user_ = nullptr;
  char next_[REPLICATE_PAGINATION_URL_MAX] = {};
};

// Type-erased entry of paginate<T>; on_page is a pagination_page_cb<T> for the T of `kind`.
[[nodiscard]] REPLICATE_API error paginate_start(client& c, pagination* p, list_kind kind,
                                                 const list_request& first, void (*on_page)(),
                                                 pagination_done_cb done, void* user);

// Returns ok and fires done exactly once, or an error (invalid_argument for a null callback or
// a handle already walking, not_initialized, pool_exhausted) and fires nothing.
template <typename T>
[[nodiscard]] error paginate(client& c, pagination* p, const list_request& first,
                             pagination_page_cb<T> on_page, pagination_done_cb done, void* user) {
  return paginate_start(c, p, list_traits<T>::kind, first, reinterpret_cast<void (*)()>(on_page),
                        done, user);
}

// Every string_view of a list item, for owned<T>. Arrays of nested objects are not kept (list
// items have none: a collection's models come only from collections().get()).
template <typename F>
void for_each_view(model_version& v, F&& f) {
  f(v.id), f(v.created_at), f(v.cog_version), f(v.openapi_schema_json), f(v.raw_json);
}
template <typename F>
void for_each_view(model& m, F&& f) {
  f(m.url), f(m.owner), f(m.name), f(m.description), f(m.visibility), f(m.github_url);
  f(m.paper_url), f(m.license_url), f(m.cover_image_url), f(m.default_example_json);
  f(m.raw_json);
  for_each_view(m.latest_version, f);
}
template <typename F>
void for_each_view(prediction& p, F&& f) {
  f(p.id), f(p.model), f(p.version), f(p.status_text), f(p.input_json), f(p.output_json);
  f(p.error), f(p.logs), f(p.created_at), f(p.started_at), f(p.completed_at), f(p.deadline);
  f(p.deployment), f(p.source), f(p.metrics_json), f(p.urls.get), f(p.urls.cancel);
  f(p.urls.stream), f(p.urls.web), f(p.raw_json);
}
template <typename F>
void for_each_view(collection& c, F&& f) {
  c.models = nullptr;
  c.model_count = 0;
  f(c.name), f(c.slug), f(c.description), f(c.full_description), f(c.raw_json);
}
template <typename F>
void for_each_view(training& t, F&& f) {
  f(t.id), f(t.model), f(t.version), f(t.status_text), f(t.input_json), f(t.output_json);
  f(t.output_version), f(t.output_weights), f(t.logs), f(t.error), f(t.created_at);
  f(t.started_at), f(t.completed_at), f(t.source), f(t.metrics_json), f(t.urls.get);
  f(t.urls.cancel), f(t.urls.web), f(t.raw_json);
}
template <typename F>
void for_each_view(deployment& d, F&& f) {
  deployment_release& r = d.current_release;
  f(d.owner), f(d.name), f(r.model), f(r.version), f(r.created_at), f(r.created_by.type);
  f(r.created_by.username), f(r.created_by.name), f(r.created_by.avatar_url);
  f(r.created_by.github_url), f(r.configuration.hardware), f(d.raw_json);
}
template <typename F>
void for_each_view(file_object& o, F&& f) {
  f(o.id), f(o.name), f(o.content_type), f(o.sha256), f(o.metadata_json), f(o.created_at);
  f(o.expires_at), f(o.url_get), f(o.raw_json);
}

// A list item that owns its text: one heap block holds every field, and the views of get()
// point into it, so they live as long as the owned<T>. Move-only; moving keeps the views valid.
template <typename T>
class owned {
 public:
  explicit owned(const T& value) : value_(value) {
    std::size_t total = 0;
    for_each_view(value_, [&](std::string_view& s) { total += s.size(); });
    storage_.reset(new char[total == 0 ? 1 : total]);
    char* at = storage_.get();
    for_each_view(value_, [&](std::string_view& s) {
      if (!s.empty()) std::memcpy(at, s.data(), s.size());
      s = std::string_view(at, s.size());
      at += s.size();
    });
  }
  owned(owned&&) noexcept = default;
  owned& operator=(owned&&) noexcept = default;

  [[nodiscard]] const T& get() const noexcept { return value_; }
  const T* operator->() const noexcept { return &value_; }

 private:
  T value_;
  std::unique_ptr<char[]> storage_;
};

template <typename T>
using collect_cb = void (*)(void* user, const error& err, std::vector<owned<T>>& items);

// Walks pages until max_items items are copied (or the last page) and hands them over once,
// with the error that stopped the walk, if any (the items copied before it are still given).
// The copies are on the heap by design: this is the convenience path, not the zero-copy one.
template <typename T>
[[nodiscard]] error paginate_collect(client& c, pagination* p, const list_request& first,
                                     std::size_t max_items, collect_cb<T> done, void* user) {
  if (done == nullptr) return error(errc::invalid_argument, "callback is null");
  if (max_items == 0) return error(errc::invalid_argument, "max_items is 0");
  struct collector {
    std::vector<owned<T>> items;
    std::size_t max;
    collect_cb<T> done;
    void* user;
  };
  auto* col = new collector{{}, max_items, done, user};
  auto on_page = [](void* u, const page<T>& pg) {
    auto* k = static_cast<collector*>(u);
    for (std::size_t i = 0; i < pg.count && k->items.size() < k->max; ++i)
      k->items.emplace_back(pg.items[i]);
    return k->items.size() < k->max;
  };
  auto on_done = [](void* u, const error& err) {
    auto* k = static_cast<collector*>(u);
    k->done(k->user, err, k->items);
    delete k;
  };
  error err = paginate<T>(c, p, first, on_page, on_done, col);
  if (err) delete col;
  return err;
}

}  // namespace replicate
