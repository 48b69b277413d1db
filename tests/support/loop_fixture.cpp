#include "support/loop_fixture.hpp"

#include <cJSON.h>

#include "support/test_main.hpp"

namespace replicate::test {

void fixture_open(loop_fixture* f, const emulator_process& emu, client_options options) {
  assert_int_equal(uv_loop_init(&f->loop), 0);
  options.base_url = emu.base_url;
  if (options.auth.empty()) options.auth = "r8_test_token";
  error err = f->c.init(&f->loop, options);
  assert_false(static_cast<bool>(err));
  f->closed = false;
}

void fixture_run_until(loop_fixture* f, const bool* flag) {
  while (!*flag) {
    int alive = uv_run(&f->loop, UV_RUN_ONCE);
    if (!alive && !*flag) fail_msg("the loop ran out of work before the callback fired");
  }
}

void fixture_close_and_check(loop_fixture* f) {
  f->c.close([](void* user) { *static_cast<bool*>(user) = true; }, &f->closed);
  uv_run(&f->loop, UV_RUN_DEFAULT);
  assert_true(f->closed);
  assert_int_equal(uv_loop_close(&f->loop), 0);
}

void blocking_open(blocking_client* bc, const emulator_process& emu, client_options options,
                   bool no_token) {
  options.base_url = emu.base_url;
  if (options.auth.empty() && !no_token) options.auth = "r8_test_token";
  assert_false(static_cast<bool>(bc->init(options)));
}

std::string logged_request::header(std::string_view name) const {
  for (const auto& h : headers)
    if (h.first == name) return h.second;
  return {};
}

bool logged_request::has_header(std::string_view name) const {
  for (const auto& h : headers)
    if (h.first == name) return true;
  return false;
}

std::vector<logged_request> emulator_requests(const emulator_process& emu) {
  http_reply reply = emulator_call(emu, "GET", "/_emulator/requests");
  assert_int_equal(reply.status, 200);
  std::vector<logged_request> out;
  cJSON* root = cJSON_Parse(reply.body.c_str());
  assert_true(cJSON_IsArray(root));
  cJSON* item;
  cJSON_ArrayForEach(item, root) {
    logged_request r;
    auto text = [&](const char* key) {
      const cJSON* v = cJSON_GetObjectItemCaseSensitive(item, key);
      return cJSON_IsString(v) ? std::string(v->valuestring) : std::string();
    };
    r.port = text("port");
    r.method = text("method");
    r.path = text("path");
    r.query = text("query");
    r.body = text("body");
    const cJSON* headers = cJSON_GetObjectItemCaseSensitive(item, "headers");
    const cJSON* h;
    cJSON_ArrayForEach(h, headers) {
      if (cJSON_IsString(h)) r.headers.emplace_back(h->string, h->valuestring);
    }
    if (r.path.rfind("/_emulator", 0) != 0) out.push_back(std::move(r));
  }
  cJSON_Delete(root);
  return out;
}

void emulator_clear(const emulator_process& emu) {
  emulator_call(emu, "DELETE", "/_emulator/requests");
  emulator_call(emu, "DELETE", "/_emulator/faults");
}

void emulator_fault(const emulator_process& emu, const std::string& json) {
  http_reply reply = emulator_call(emu, "POST", "/_emulator/faults", json);
  assert_true(reply.status >= 200 && reply.status < 300);
}

}  // namespace replicate::test
