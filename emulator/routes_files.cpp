// /v1/files: multipart upload kept in memory (sha256/md5 checksums, +24 h expiry), list, get,
// delete, and the signed download URL (HMAC-SHA256 of "{owner} {id} {expiry}").
#include <cjson/cJSON.h>
#include <mbedtls/md5.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "clock.hpp"
#include "config.hpp"
#include "crypto.hpp"
#include "json_text.hpp"
#include "responses.hpp"
#include "routes.hpp"

namespace emu {

namespace {

constexpr std::size_t max_file_bytes = 100 * 1024 * 1024;
constexpr const char* files_owner = "emulator";

struct stored_file {
  uint64_t seq = 0;
  std::string id;
  std::string name;
  std::string content_type;
  std::string content;
  std::string metadata_json = "{}";
  std::string sha256;
  std::string md5;
  double created_at = 0;
  double expires_at = 0;
};

std::vector<std::unique_ptr<stored_file>> files;
uint64_t next_seq = 1;

std::string md5_hex(const std::string& data) {
  unsigned char digest[16];
  mbedtls_md5_ret(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  std::string out;
  char hex[3];
  for (unsigned char b : digest) {
    std::snprintf(hex, sizeof hex, "%02x", b);
    out += hex;
  }
  return out;
}

std::string signature_for(const std::string& owner, const std::string& id,
                          const std::string& expiry) {
  return base64_encode(hmac_sha256(files_signing_secret, owner + " " + id + " " + expiry));
}

std::string url_encode(const std::string& s) {
  std::string out;
  char hex[4];
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      std::snprintf(hex, sizeof hex, "%%%02X", ch);
      out += hex;
    }
  }
  return out;
}

std::string render(const stored_file& f) {
  std::string out = "{";
  json_field(out, "id", f.id);
  json_field(out, "name", f.name);
  json_field(out, "content_type", f.content_type);
  json_field_raw(out, "size", std::to_string(f.content.size()));
  json_field(out, "etag", f.md5);
  json_append_key(out, "checksums");
  out += '{';
  json_field(out, "sha256", f.sha256);
  json_field(out, "md5", f.md5);
  out += '}';
  json_field_raw(out, "metadata", f.metadata_json);
  json_field(out, "created_at", rfc3339(f.created_at));
  json_field(out, "expires_at", rfc3339(f.expires_at));
  std::string expiry = std::to_string(static_cast<long long>(f.expires_at));
  json_append_key(out, "urls");
  out += '{';
  json_field(out, "get", g_config.api_origin + "/v1/files/" + f.id);
  json_field(out, "download",
             g_config.api_origin + "/v1/files/" + f.id + "/download?owner=" + files_owner +
                 "&expiry=" + expiry +
                 "&signature=" + url_encode(signature_for(files_owner, f.id, expiry)));
  out += "}}";
  return out;
}

// The value of `key="..."` (or unquoted) in a header parameter list.
std::string header_param(const std::string& header, const char* key) {
  std::string needle = std::string(key) + "=";
  std::size_t pos = 0;
  while ((pos = header.find(needle, pos)) != std::string::npos) {
    if (pos == 0 || header[pos - 1] == ' ' || header[pos - 1] == ';') break;
    pos += needle.size();
  }
  if (pos == std::string::npos) return {};
  pos += needle.size();
  if (pos < header.size() && header[pos] == '"') {
    std::size_t end = header.find('"', pos + 1);
    return header.substr(pos + 1, end == std::string::npos ? std::string::npos : end - pos - 1);
  }
  std::size_t end = header.find(';', pos);
  std::string v = header.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
  while (!v.empty() && v.back() == ' ') v.pop_back();
  return v;
}

struct part {
  std::string name, filename, content_type, data;
};

bool parse_multipart(const std::string& body, const std::string& boundary,
                     std::vector<part>* parts) {
  std::string delim = "--" + boundary;
  std::size_t pos = body.find(delim);
  if (pos == std::string::npos) return false;
  for (;;) {
    pos += delim.size();
    if (body.compare(pos, 2, "--") == 0) return true;
    if (body.compare(pos, 2, "\r\n") != 0) return false;
    pos += 2;
    std::size_t head_end = body.find("\r\n\r\n", pos);
    if (head_end == std::string::npos) return false;
    part p;
    std::size_t line = pos;
    while (line < head_end) {
      std::size_t eol = body.find("\r\n", line);
      if (eol > head_end) eol = head_end;
      std::string h = body.substr(line, eol - line);
      std::size_t colon = h.find(':');
      if (colon != std::string::npos) {
        std::string name = h.substr(0, colon);
        for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        std::string value = h.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        if (name == "content-disposition") {
          p.name = header_param(value, "name");
          p.filename = header_param(value, "filename");
        } else if (name == "content-type") {
          p.content_type = value;
        }
      }
      line = eol + 2;
    }
    std::size_t data_start = head_end + 4;
    std::size_t next = body.find("\r\n" + delim, data_start);
    if (next == std::string::npos) return false;
    p.data = body.substr(data_start, next - data_start);
    parts->push_back(std::move(p));
    pos = next + 2;
  }
}

void create(connection* c, http_request& req) {
  const std::string* ct = req.header("content-type");
  if (ct == nullptr || ct->find("multipart/form-data") == std::string::npos)
    return respond_invalid(c, "The request body must be multipart/form-data");
  std::string boundary = header_param(*ct, "boundary");
  std::vector<part> parts;
  if (boundary.empty() || !parse_multipart(req.body, boundary, &parts))
    return respond_invalid(c, "Malformed multipart/form-data body");
  auto f = std::make_unique<stored_file>();
  bool has_content = false;
  std::string type_field;
  for (part& p : parts) {
    if (p.name == "content") {
      has_content = true;
      f->content = std::move(p.data);
      if (f->name.empty()) f->name = p.filename;
      if (type_field.empty() && !p.content_type.empty()) f->content_type = p.content_type;
    } else if (p.name == "filename") {
      f->name = p.data;
    } else if (p.name == "type") {
      type_field = p.data;
    } else if (p.name == "metadata") {
      json_doc doc(cJSON_Parse(p.data.c_str()));
      if (!cJSON_IsObject(doc.root)) return respond_invalid(c, "metadata must be a JSON object");
      f->metadata_json = json_print(doc.root);
    }
  }
  if (!has_content) return respond_invalid(c, "content is required");
  if (f->content.size() > max_file_bytes) {
    return respond_json(c, 413, R"({"detail":"Files must be less than 100MB in size"})",
                        "application/problem+json");
  }
  if (f->name.size() > 255) return respond_invalid(c, "filename must be at most 255 characters");
  if (f->name.empty()) f->name = "file";
  if (!type_field.empty()) f->content_type = type_field;
  if (f->content_type.empty()) f->content_type = "application/octet-stream";
  f->seq = next_seq++;
  f->id = random_id();
  f->sha256 = sha256_hex(f->content);
  f->md5 = md5_hex(f->content);
  f->created_at = now_unix();
  f->expires_at = f->created_at + 24 * 3600;
  files.push_back(std::move(f));
  respond_json(c, 201, render(*files.back()));
}

void file_not_found(connection* c) {
  respond_json(c, 404, R"({"detail":"File not found","status":404})", "application/problem+json");
}

}  // namespace

bool route_files(connection* c, http_request& req, const segments& seg) {
  if (seg[0] != "files") return false;
  const std::string& method = req.method;
  if (seg.size() == 1) {
    if (method == "POST") return create(c, req), true;
    if (method != "GET") return respond_method_not_allowed(c, "GET, POST"), true;
    std::vector<const stored_file*> items;
    for (auto it = files.rbegin(); it != files.rend(); ++it) {
      items.push_back(it->get());
    }
    respond_page(c, req, items, [](const stored_file& x) { return render(x); });
    return true;
  }
  auto it = files.begin();
  while (it != files.end() && (*it)->id != seg[1]) ++it;
  if (seg.size() == 2) {
    if (method != "GET" && method != "DELETE")
      return respond_method_not_allowed(c, "GET, DELETE"), true;
    if (it == files.end()) return file_not_found(c), true;
    if (method == "GET") return respond_json(c, 200, render(**it)), true;
    files.erase(it);
    return respond_empty(c, 204), true;
  }
  if (seg.size() == 3 && seg[2] == "download") {
    if (method != "GET") return respond_method_not_allowed(c, "GET"), true;
    if (it == files.end()) return file_not_found(c), true;
    std::string owner = req.query_param("owner");
    std::string expiry = req.query_param("expiry");
    std::string signature = req.query_param("signature");
    // An unencoded '+' of the base64 signature arrives as a space.
    for (char& ch : signature) ch = ch == ' ' ? '+' : ch;
    bool ok = !owner.empty() && !expiry.empty() && owner == files_owner &&
              signature == signature_for(owner, (*it)->id, expiry) &&
              std::strtoll(expiry.c_str(), nullptr, 10) >= static_cast<long long>(now_unix());
    if (!ok) return file_not_found(c), true;
    return respond_text(c, 200, (*it)->content, "application/octet-stream"), true;
  }
  respond_not_found(c, "No route for " + req.path);
  return true;
}

}  // namespace emu
