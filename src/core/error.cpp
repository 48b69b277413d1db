#include "replicate/error.hpp"

#include <cstdio>
#include <cstring>

#include "core/text.hpp"

namespace replicate {
using detail::text_copy;

std::string_view errc_name(errc code) noexcept {
  switch (code) {
#define REPLICATE_ERRC_NAME(name, number, message) \
  case errc::name:                                 \
    return #name;
    REPLICATE_ERRC_MAP(REPLICATE_ERRC_NAME)
#undef REPLICATE_ERRC_NAME
  }
  return "unknown";
}

std::string_view errc_message(errc code) noexcept {
  switch (code) {
#define REPLICATE_ERRC_MESSAGE(name, number, message) \
  case errc::name:                                    \
    return message;
    REPLICATE_ERRC_MAP(REPLICATE_ERRC_MESSAGE)
#undef REPLICATE_ERRC_MESSAGE
  }
  return "unknown error";
}

error::error(errc c, std::string_view detail_text) : code(c) { set_detail(detail_text); }

void error::set_title(std::string_view text) noexcept {
  truncated |= text_copy(title, sizeof title, text);
}

void error::set_detail(std::string_view text) noexcept {
  truncated |= text_copy(detail, sizeof detail, text);
}

void error::set_prediction(std::string_view id, std::string_view status) noexcept {
  truncated |= text_copy(prediction_id, sizeof prediction_id, id);
  truncated |= text_copy(prediction_status, sizeof prediction_status, status);
}

std::string_view error::describe(char* buf, std::size_t size) const noexcept {
  if (size == 0) return {};
  std::string_view n = name();
  std::string_view m = message();
  int len = std::snprintf(buf, size, "%.*s: %.*s", static_cast<int>(n.size()), n.data(),
                          static_cast<int>(m.size()), m.data());
  auto append = [&](const char* fmt, auto... args) {
    if (len >= 0 && static_cast<std::size_t>(len) < size) {
      int more = std::snprintf(buf + len, size - static_cast<std::size_t>(len), fmt, args...);
      if (more > 0) len += more;
    }
  };
  if (http_status != 0) append(" (HTTP %d)", http_status);
  if (curl_code != 0) append(" (curl %d)", curl_code);
  if (title[0] != '\0') append(": %s", title);
  if (detail[0] != '\0') append(": %s", detail);
  if (prediction_id[0] != '\0') append(" [prediction %s, %s]", prediction_id, prediction_status);
  if (len < 0) return {};
  return {buf, static_cast<std::size_t>(len) < size ? static_cast<std::size_t>(len) : size - 1};
}

}  // namespace replicate
