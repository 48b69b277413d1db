#include "api/validate.hpp"

#include <cstdio>

#include "api/identifier.hpp"
#include "http/url.hpp"
#include "json/json.hpp"

namespace replicate::detail {

error validate_webhook(std::string_view url) noexcept {
  if (url.empty()) return error();
  if (!url_is_absolute_http(url)) return error(errc::invalid_webhook, url.substr(0, 200));
  for (unsigned char c : url) {
    if (c <= 0x20 || c == '"' || c == '\\' || c >= 0x7f)
      return error(errc::invalid_webhook, "webhook URL has spaces, quotes or control characters");
  }
  return error();
}

error validate_webhook_events(const std::string_view* events, std::size_t count) noexcept {
  for (std::size_t i = 0; i < count; ++i) {
    std::string_view e = events[i];
    if (e != "start" && e != "output" && e != "logs" && e != "completed")
      return error(errc::invalid_webhook_event, e.substr(0, 100));
  }
  return error();
}

error validate_cancel_after(std::string_view text) noexcept {
  if (text.empty()) return error();
  auto bad = [&] {
    return error(errc::invalid_argument,
                 "cancel_after must be a duration like 30s, 5m or 1h30m45s, at least 5s");
  };
  long long total = 0;
  long long value = -1;
  int last_unit = -1;  // h=0, m=1, s=2: units must come in this order, once each
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      value = (value < 0 ? 0 : value) * 10 + (c - '0');
      if (value > 10000000) return bad();
      continue;
    }
    int unit = c == 'h' ? 0 : c == 'm' ? 1 : c == 's' ? 2 : -1;
    if (unit < 0 || value < 0 || unit <= last_unit) return bad();
    total += value * (unit == 0 ? 3600 : unit == 1 ? 60 : 1);
    last_unit = unit;
    value = -1;
  }
  if (value >= 0) {
    if (last_unit >= 0) return bad();  // "5m30" is ambiguous
    total = value;
  }
  if (total < 5) return bad();
  return error();
}

error validate_prefer_wait(std::chrono::seconds wait) noexcept {
  if (wait.count() < 0 || wait.count() > 60)
    return error(errc::invalid_argument, "prefer_wait must be between 1 and 60 seconds (0: none)");
  return error();
}

error validate_create(const prediction_create_params& params) noexcept {
  if (error e = validate_webhook(params.webhook)) return e;
  if (params.webhook.empty() && params.webhook_events_count > 0)
    return error(errc::invalid_argument, "webhook_events_filter given without a webhook");
  if (error e = validate_webhook_events(params.webhook_events_filter, params.webhook_events_count))
    return e;
  if (error e = validate_cancel_after(params.cancel_after)) return e;
  if (error e = validate_prefer_wait(params.prefer_wait)) return e;
  if (params.input_stream == nullptr && !json_is_object(params.input_json))
    return error(errc::invalid_json, "input must be a JSON object");
  return error();
}

error validate_id(std::string_view id, std::string_view what) noexcept {
  if (is_path_segment(id)) return error();
  error e(errc::invalid_argument);
  char buf[160];
  int n = snprintf(buf, sizeof buf, "%.*s '%.*s' is empty or not a plain id",
                   static_cast<int>(what.size()), what.data(),
                   static_cast<int>(id.size() > 80 ? 80 : id.size()), id.data());
  e.set_detail(std::string_view(buf, n > 0 ? static_cast<std::size_t>(n) : 0));
  return e;
}

}  // namespace replicate::detail
