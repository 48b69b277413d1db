#include "responses.hpp"

#include <cstdlib>

#include "config.hpp"
#include "crypto.hpp"
#include "json_text.hpp"

namespace emu {

void respond_json(connection* c, int status, std::string body, const char* content_type) {
  http_response res;
  res.status = status;
  res.content_type = content_type;
  res.body = std::move(body);
  conn_respond(c, res);
}

void respond_text(connection* c, int status, std::string body, const char* content_type) {
  respond_json(c, status, std::move(body), content_type);
}

void respond_empty(connection* c, int status) {
  http_response res;
  res.status = status;
  res.content_type.clear();
  conn_respond(c, res);
}

void respond_problem(connection* c, int status, std::string_view title, std::string_view detail) {
  std::string body = "{";
  json_field(body, "title", title);
  json_field(body, "detail", detail);
  json_field_raw(body, "status", std::to_string(status));
  body += '}';
  respond_json(c, status, std::move(body), "application/problem+json");
}

void respond_not_found(connection* c, std::string_view detail) {
  respond_problem(c, 404, "Not found", detail);
}

void respond_invalid(connection* c, std::string_view detail) {
  respond_problem(c, 422, "Invalid input", detail);
}

void respond_method_not_allowed(connection* c, std::string_view allow) {
  http_response res;
  res.status = 405;
  res.content_type = "application/problem+json";
  res.headers.emplace_back("Allow", std::string(allow));
  res.body = R"({"title":"Method not allowed","detail":"Method not allowed for this route; )"
             R"(allowed: )" +
             std::string(allow) + R"(","status":405})";
  conn_respond(c, res);
}

namespace {

std::string cursor_url(const http_request& req, char direction, uint64_t seq) {
  std::string url = g_config.api_origin + req.path + "?";
  // Keep the caller's filters; replace only the cursor.
  std::string_view q = req.query;
  while (!q.empty()) {
    std::size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    if (pair.empty() || pair.substr(0, pair.find('=')) == "cursor") continue;
    url.append(pair.data(), pair.size());
    url += '&';
  }
  url += "cursor=";
  url += base64url_encode(std::string(1, direction) + std::to_string(seq));
  return url;
}

}  // namespace

page paginate(const http_request& req, const std::vector<uint64_t>& seqs, std::size_t page_size,
              bool* bad_cursor) {
  page pg;
  *bad_cursor = false;
  if (page_size == 0) page_size = 1;
  bool present = false;
  std::string cursor = req.query_param("cursor", &present);
  std::string decoded;
  if (present && (!base64url_decode(cursor, &decoded) || decoded.size() < 2 ||
                  (decoded[0] != 'a' && decoded[0] != 'b'))) {
    *bad_cursor = true;
    return pg;
  }
  std::size_t n = seqs.size();
  if (!present) {
    pg.begin = 0;
    pg.end = std::min(n, page_size);
  } else {
    uint64_t seq = std::strtoull(decoded.c_str() + 1, nullptr, 10);
    if (decoded[0] == 'b') {
      // Items older than seq (smaller numbers) follow it in the list.
      std::size_t i = 0;
      while (i < n && seqs[i] >= seq) ++i;
      pg.begin = i;
      pg.end = std::min(n, i + page_size);
    } else {
      std::size_t i = 0;
      while (i < n && seqs[i] > seq) ++i;
      pg.end = i;
      pg.begin = i > page_size ? i - page_size : 0;
    }
  }
  if (pg.end < n && pg.end > pg.begin) pg.next = cursor_url(req, 'b', seqs[pg.end - 1]);
  if (pg.begin > 0 && pg.begin < n) pg.previous = cursor_url(req, 'a', seqs[pg.begin]);
  return pg;
}

std::string page_render(const page& pg, const std::vector<std::string>& items) {
  std::string out = "{";
  json_field_nullable(out, "next", pg.next.empty() ? nullptr : &pg.next);
  json_field_nullable(out, "previous", pg.previous.empty() ? nullptr : &pg.previous);
  json_append_key(out, "results");
  out += '[';
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += items[i];
  }
  out += "]}";
  return out;
}

}  // namespace emu
