#include "api/identifier.hpp"

#include <cstdio>

namespace replicate::detail {

bool is_version_id(std::string_view text) noexcept {
  if (text.size() != 64) return false;
  for (char c : text) {
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

bool is_path_segment(std::string_view text) noexcept {
  if (text.empty() || text.size() > 128 || text == "." || text == "..") return false;
  for (char c : text) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

error identifier_parse(std::string_view text, model_identifier* out) noexcept {
  auto invalid = [&](std::string_view why) {
    error e(errc::invalid_identifier);
    char buf[200];
    int n = snprintf(buf, sizeof buf, "'%.*s': %.*s",
                     static_cast<int>(text.size() > 100 ? 100 : text.size()), text.data(),
                     static_cast<int>(why.size()), why.data());
    e.set_detail(std::string_view(buf, n > 0 ? static_cast<std::size_t>(n) : 0));
    return e;
  };
  *out = model_identifier{};
  if (is_version_id(text)) {
    out->kind = identifier_kind::version;
    out->version = text;
    return error();
  }
  constexpr std::string_view deployments = "deployments/";
  bool deployment = text.substr(0, deployments.size()) == deployments;
  if (deployment) text.remove_prefix(deployments.size());
  std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return invalid("expected owner/name");
  out->owner = text.substr(0, slash);
  std::string_view rest = text.substr(slash + 1);
  std::size_t colon = rest.find(':');
  out->name = rest.substr(0, colon);
  if (!is_path_segment(out->owner))
    return invalid("owner is empty or has characters other than A-Z a-z 0-9 . _ -");
  if (!is_path_segment(out->name))
    return invalid("name is empty or has characters other than A-Z a-z 0-9 . _ -");
  if (deployment) {
    if (colon != std::string_view::npos) return invalid("a deployment takes no version");
    out->kind = identifier_kind::deployment;
    return error();
  }
  if (colon == std::string_view::npos) {
    out->kind = identifier_kind::model;
    return error();
  }
  out->version = rest.substr(colon + 1);
  if (!is_version_id(out->version)) return invalid("version must be 64 hexadecimal characters");
  out->kind = identifier_kind::model_version;
  return error();
}

}  // namespace replicate::detail
