#include "catalog.hpp"

#include "clock.hpp"
#include "config.hpp"
#include "crypto.hpp"
#include "json_text.hpp"

namespace emu {

namespace {

std::vector<std::unique_ptr<model>> models;
uint64_t next_seq = 1;

// A Cog-style OpenAPI document: clients read components.schemas.Input and Output.
std::string schema_document(std::string_view input_properties, std::string_view required,
                            std::string_view output_schema) {
  std::string out =
      R"({"openapi":"3.0.2","info":{"title":"Cog","version":"0.1.0"},"paths":{},)"
      R"("components":{"schemas":{"Input":{"type":"object","title":"Input","properties":)";
  out += input_properties;
  out += R"(,"required":)";
  out += required;
  out += R"(},"Output":)";
  out += output_schema;
  out += R"(,"Status":{"type":"string","title":"Status","enum":["starting","processing",)"
         R"("succeeded","canceled","failed"]}}}})";
  return out;
}

struct builtin {
  const char* name;
  const char* description;
  model_behavior behavior;
  bool streams;
  const char* properties;
  const char* required;
  const char* output;
  const char* readme;
};

const builtin builtins[] = {
    {"hello-world", "Says hello: output is \"hello \" + text.", model_behavior::hello_world, true,
     R"({"text":{"type":"string","title":"Text","description":"Who to greet","x-order":0}})",
     R"(["text"])", R"({"type":"string","title":"Output"})",
     "# hello-world\n\nReturns `\"hello \" + text`. Streams one output event.\n"},
    {"slow", "Runs for `seconds` and logs tqdm-style progress.", model_behavior::slow, true,
     R"({"seconds":{"type":"number","title":"Seconds","default":5,"x-order":0}})", "[]",
     R"({"type":"string","title":"Output"})",
     "# slow\n\nRuns for `seconds` (default 5); logs show a progress bar.\n"},
    {"fail", "Always fails with \"emulated failure: \" + message.", model_behavior::fail, true,
     R"({"message":{"type":"string","title":"Message","default":"model crashed","x-order":0}})",
     "[]", R"({"type":"string","title":"Output"})",
     "# fail\n\nAlways ends `failed` with `error` = `emulated failure: <message>`.\n"},
    {"tokens", "A text model that streams deterministic tokens.", model_behavior::tokens, true,
     R"({"prompt":{"type":"string","title":"Prompt","x-order":0},)"
     R"("count":{"type":"integer","title":"Count","default":8,"minimum":0,"x-order":1},)"
     R"("token_size":{"type":"integer","title":"Token Size","minimum":1,"x-order":2},)"
     R"("interval_ms":{"type":"integer","title":"Interval Ms","default":0,"minimum":0,)"
     R"("x-order":3}})",
     R"(["prompt"])",
     R"({"type":"array","title":"Output","items":{"type":"string"},)"
     R"("x-cog-array-type":"iterator","x-cog-array-display":"concatenate"})",
     "# tokens\n\nOutputs `count` tokens derived from the prompt, streamed one event each.\n"},
    {"caption", "Describes an image (data URI or URL): its type, size and checksum.",
     model_behavior::caption, true,
     R"({"image":{"type":"string","format":"uri","title":"Image","x-order":0}})", R"(["image"])",
     R"({"type":"string","title":"Output"})",
     "# caption\n\nA stand-in vision model: the caption names the image's MIME type, byte size "
     "and SHA-256 prefix, so a client can check exactly what it sent.\n"},
    {"image", "Outputs one PNG served from the delivery host.", model_behavior::image, false,
     R"({"prompt":{"type":"string","title":"Prompt","default":"a cat","x-order":0},)"
     R"("size":{"type":"integer","title":"Size","default":1024,"minimum":1,"x-order":1}})",
     "[]", R"({"type":"array","title":"Output","items":{"type":"string","format":"uri"}})",
     "# image\n\nOutputs a list with one URL to a PNG-like blob on the delivery host.\n"},
};

}  // namespace

bool is_hex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char ch : s)
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return false;
  return true;
}

void catalog_init() {
  // Fixed dates keep built-in listings stable from run to run.
  double base = 1700000000.0;
  for (const builtin& b : builtins) {
    auto m = std::make_unique<model>();
    m->owner = "replicate";
    m->name = b.name;
    m->description = b.description;
    m->is_official = true;
    m->builtin = true;
    m->streams = b.streams;
    m->behavior = b.behavior;
    m->hardware = "cpu";
    m->github_url = "https://github.com/replicate/cog-examples";
    m->readme = b.readme;
    m->run_count = 1000;
    m->created_at = base;
    std::string schema = schema_document(b.properties, b.required, b.output);
    // An older version first, so that version lists have more than one entry.
    for (int i = 0; i < 2; ++i) {
      model_version v;
      std::string full = m->full_name();
      v.id = sha256_hex(i == 0 ? full + "@0.1" : full);
      v.created_at = base + 3600.0 * (i + 1);
      v.openapi_schema = schema;
      v.behavior = b.behavior;
      m->versions.push_back(std::move(v));
    }
    catalog_add(std::move(m));
    base += 86400.0;
  }
}

model* catalog_add(std::unique_ptr<model> m) {
  m->seq = next_seq++;
  models.push_back(std::move(m));
  return models.back().get();
}

bool catalog_remove(model* m) {
  for (auto it = models.begin(); it != models.end(); ++it) {
    if (it->get() == m) {
      models.erase(it);
      return true;
    }
  }
  return false;
}

const model_version* catalog_add_version(model* m, std::string_view seed) {
  model_version v;
  v.id = sha256_hex(seed);
  v.created_at = now_unix();
  v.behavior = model_behavior::echo;
  v.openapi_schema = schema_document(R"({"prompt":{"type":"string","title":"Prompt"}})", "[]",
                                     R"({"title":"Output"})");
  m->versions.push_back(std::move(v));
  return &m->versions.back();
}

model* catalog_find(std::string_view owner, std::string_view name) {
  for (auto& m : models)
    if (m->owner == owner && m->name == name) return m.get();
  return nullptr;
}

model* catalog_find_version(std::string_view version_id, const model_version** version) {
  for (auto& m : models) {
    for (const auto& v : m->versions) {
      if (v.id == version_id) {
        *version = &v;
        return m.get();
      }
    }
  }
  return nullptr;
}

std::vector<std::unique_ptr<model>>& catalog_models() { return models; }

std::string version_render(const model_version& v) {
  std::string out = "{";
  json_field(out, "id", v.id);
  json_field(out, "created_at", rfc3339(v.created_at));
  json_field(out, "cog_version", v.cog_version);
  json_field_raw(out, "openapi_schema", v.openapi_schema.empty() ? "null" : v.openapi_schema);
  out += '}';
  return out;
}

namespace {
void nullable_url(std::string& out, const char* key, const std::string& v) {
  json_field_nullable(out, key, v.empty() ? nullptr : &v);
}
}  // namespace

std::string model_render(const model& m, bool with_official) {
  std::string out = "{";
  json_field(out, "url", "https://replicate.com/" + m.full_name());
  json_field(out, "owner", m.owner);
  json_field(out, "name", m.name);
  nullable_url(out, "description", m.description);
  json_field(out, "visibility", m.visibility);
  nullable_url(out, "github_url", m.github_url);
  nullable_url(out, "paper_url", m.paper_url);
  nullable_url(out, "license_url", m.license_url);
  nullable_url(out, "cover_image_url", m.cover_image_url);
  json_field_raw(out, "run_count", std::to_string(m.run_count));
  if (with_official) json_field_raw(out, "is_official", m.is_official ? "true" : "false");
  json_field_raw(out, "default_example", "null");
  json_field_raw(out, "latest_version", m.latest() ? version_render(*m.latest()) : "null");
  out += '}';
  return out;
}

}  // namespace emu
