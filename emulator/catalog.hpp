// The models the emulator knows: built-in deterministic ones (owner "replicate") and those users
// create through POST /v1/models. Versions are 64-hex ids derived from sha256 of a name.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace emu {

// What a prediction on the model does; see prediction.cpp.
enum class model_behavior { hello_world, slow, fail, tokens, image, caption, echo };

struct model_version {
  std::string id;
  double created_at = 0;
  std::string cog_version = "0.9.4";
  std::string openapi_schema;  // raw JSON text
  model_behavior behavior = model_behavior::echo;
};

struct model {
  uint64_t seq = 0;  // creation order: lists sort on it
  std::string owner;
  std::string name;
  std::string description;
  std::string visibility = "public";
  std::string hardware = "cpu";
  std::string github_url, paper_url, license_url, cover_image_url, weights_url;
  std::string readme;
  bool is_official = false;
  bool builtin = false;
  bool streams = false;  // urls.stream is offered
  int64_t run_count = 0;
  double created_at = 0;
  model_behavior behavior = model_behavior::echo;
  std::vector<model_version> versions;  // oldest first

  [[nodiscard]] std::string full_name() const { return owner + "/" + name; }
  [[nodiscard]] const model_version* latest() const {
    return versions.empty() ? nullptr : &versions.back();
  }
};

void catalog_init();
[[nodiscard]] model* catalog_find(std::string_view owner, std::string_view name);
[[nodiscard]] model* catalog_find_version(std::string_view version_id,
                                          const model_version** version);
[[nodiscard]] std::vector<std::unique_ptr<model>>& catalog_models();
model* catalog_add(std::unique_ptr<model> m);
bool catalog_remove(model* m);
// Adds a version whose id is sha256(seed); used by trainings.
const model_version* catalog_add_version(model* m, std::string_view seed);

[[nodiscard]] std::string version_render(const model_version& v);
[[nodiscard]] std::string model_render(const model& m, bool with_official = true);
[[nodiscard]] bool is_hex64(std::string_view s);

}  // namespace emu
