// Model identifiers: "owner/name", "owner/name:version", a 64-hex version id, or
// "deployments/owner/name". Views point into the caller's string.
#pragma once

#include <string_view>

#include "replicate/error.hpp"

namespace replicate::detail {

enum class identifier_kind { model, model_version, version, deployment };

struct model_identifier {
  identifier_kind kind = identifier_kind::model;
  std::string_view owner;
  std::string_view name;
  std::string_view version;
};

error identifier_parse(std::string_view text, model_identifier* out) noexcept;
bool is_version_id(std::string_view text) noexcept;
// A name or id usable as one URL path segment: [A-Za-z0-9._-]+ (no '/', '?', '%', spaces).
bool is_path_segment(std::string_view text) noexcept;

}  // namespace replicate::detail
