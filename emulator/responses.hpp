// Answers in the API's shapes: JSON bodies, RFC 7807 problems, paginated lists.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config.hpp"
#include "http_server.hpp"

namespace emu {

void respond_json(connection* c, int status, std::string body,
                  const char* content_type = "application/json");
void respond_text(connection* c, int status, std::string body, const char* content_type);
void respond_empty(connection* c, int status);
// {"title","detail","status"} as application/problem+json.
void respond_problem(connection* c, int status, std::string_view title, std::string_view detail);
void respond_not_found(connection* c, std::string_view detail = "Not found");
void respond_invalid(connection* c, std::string_view detail);  // 422 "Invalid input"
void respond_method_not_allowed(connection* c, std::string_view allow);

// A page of a list whose items are identified by strictly descending sequence numbers (newest
// first). The cursor is opaque to clients: base64url of "<a|b><seq>", i.e. after/before an item.
struct page {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string next;  // absolute URL or empty
  std::string previous;
};
[[nodiscard]] page paginate(const http_request& req, const std::vector<uint64_t>& seqs_desc,
                            std::size_t page_size, bool* bad_cursor);
// {"next":..,"previous":..,"results":[items]}
[[nodiscard]] std::string page_render(const page& pg, const std::vector<std::string>& items);

// Answers a list request: `items` newest first (each has a `seq`), one page of them rendered
// with render(const T&), or 422 for a bad cursor.
template <typename T, typename Render>
void respond_page(connection* c, const http_request& req, const std::vector<const T*>& items,
                  Render render) {
  std::vector<uint64_t> seqs;
  seqs.reserve(items.size());
  for (const T* item : items) seqs.push_back(item->seq);
  bool bad = false;
  page pg = paginate(req, seqs, static_cast<std::size_t>(g_config.page_size), &bad);
  if (bad) return respond_invalid(c, "Invalid cursor");
  std::vector<std::string> rendered;
  for (std::size_t i = pg.begin; i < pg.end; ++i) rendered.push_back(render(*items[i]));
  respond_json(c, 200, page_render(pg, rendered));
}

}  // namespace emu
