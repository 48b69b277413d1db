#include "replicate/blocking.hpp"

namespace replicate {

namespace {

struct prediction_wait {
  bool done = false;
  error err;
  owned_prediction value;
  bool have = false;
};

void on_prediction(void* user, const error& err, const prediction* p) {
  auto* w = static_cast<prediction_wait*>(user);
  w->err = err;
  if (p != nullptr) {
    w->value = owned_prediction(*p);
    w->have = true;
  }
  w->done = true;
}

result<owned_prediction> finish(prediction_wait& w) {
  if (w.err) return w.err;
  return std::move(w.value);
}

}  // namespace

blocking_client::~blocking_client() {
  if (!initialized_) return;
  client_.close();
  uv_run(&loop_, UV_RUN_DEFAULT);  // runs the close callbacks
  uv_loop_close(&loop_);
}

error blocking_client::init(const client_options& options) {
  if (initialized_) return error(errc::invalid_argument, "already initialized");
  if (uv_loop_init(&loop_) != 0) return error(errc::invalid_argument, "uv_loop_init failed");
  error err = client_.init(&loop_, options);
  if (err) {
    uv_loop_close(&loop_);
    return err;
  }
  initialized_ = true;
  return error();
}

void blocking_client::run_until(const bool* done) {
  while (!*done) uv_run(&loop_, UV_RUN_ONCE);
}

result<owned_prediction> blocking_client::run(std::string_view identifier,
                                              const run_options& options, progress_cb progress,
                                              void* progress_user) {
  // progress_user is passed to `progress`; the done callback has its own state.
  struct both {
    prediction_wait w;
    progress_cb progress;
    void* user;
  } state{{}, progress, progress_user};
  auto on_progress = [](void* user, const prediction& p) {
    auto* s = static_cast<both*>(user);
    if (s->progress != nullptr) s->progress(s->user, p);
  };
  auto on_done = [](void* user, const error& err, const prediction* p) {
    on_prediction(&static_cast<both*>(user)->w, err, p);
  };
  result<operation> op = client_.run(identifier, options, on_done, &state, on_progress);
  if (!op) return op.err();
  run_until(&state.w.done);
  return finish(state.w);
}

result<owned_prediction> blocking_client::wait(std::string_view prediction_id,
                                               const wait_options& options) {
  prediction_wait w;
  result<operation> op = client_.wait(prediction_id, options, on_prediction, &w);
  if (!op) return op.err();
  run_until(&w.done);
  return finish(w);
}

result<owned_prediction> blocking_client::create(const prediction_create_params& params,
                                                 std::string_view model) {
  prediction_wait w;
  if (error e = client_.predictions().create(params, on_prediction, &w, model)) return e;
  run_until(&w.done);
  return finish(w);
}

result<owned_prediction> blocking_client::get(std::string_view prediction_id) {
  prediction_wait w;
  if (error e = client_.predictions().get(prediction_id, on_prediction, &w)) return e;
  run_until(&w.done);
  return finish(w);
}

result<owned_prediction> blocking_client::cancel(std::string_view prediction_id) {
  prediction_wait w;
  if (error e = client_.predictions().cancel(prediction_id, on_prediction, &w)) return e;
  run_until(&w.done);
  return finish(w);
}

result<owned_page> blocking_client::list(std::string_view cursor_url) {
  struct page_wait {
    bool done = false;
    error err;
    owned_page value;
  } w;
  auto on_page = [](void* user, const error& err, const page<prediction>& pg) {
    auto* s = static_cast<page_wait*>(user);
    s->err = err;
    for (std::size_t i = 0; i < pg.count; ++i) s->value.items.emplace_back(pg.items[i]);
    s->value.next = std::string(pg.next);
    s->value.previous = std::string(pg.previous);
    s->done = true;
  };
  if (error e = client_.predictions().list(on_page, &w, cursor_url)) return e;
  run_until(&w.done);
  if (w.err) return w.err;
  return std::move(w.value);
}

result<owned_response> blocking_client::request(const request_params& params) {
  struct response_wait {
    bool done = false;
    error err;
    owned_response value;
  } w;
  auto on_response = [](void* user, const error& err, const response& res) {
    auto* s = static_cast<response_wait*>(user);
    s->err = err;
    s->value.status = res.status;
    s->value.body = std::string(res.body);
    s->value.content_type = std::string(res.content_type);
    s->done = true;
  };
  if (error e = client_.request(params, on_response, &w)) return e;
  run_until(&w.done);
  if (w.err) return w.err;
  return std::move(w.value);
}

}  // namespace replicate
