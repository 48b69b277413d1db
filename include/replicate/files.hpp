// Files (uploads used as inputs): client.files().
//
// POST /files (multipart/form-data, streamed: the content is read while curl sends it and is
// never copied whole into memory; Content-Length is exact and computed up front), GET /files,
// GET/DELETE /files/{id}, GET /files/{id}/download. Views in results are valid only during the
// callback; views passed in must stay valid until it fires (libuv's uv_write rule).
#pragma once

#include <cstdint>
#include <string_view>

#include "replicate/client.hpp"
#include "replicate/export.hpp"
#include "replicate/http.hpp"
#include "replicate/resource.hpp"

namespace replicate {

struct file_object {
  std::string_view id;
  std::string_view name;  // the uploaded filename, when the API reports it
  std::string_view content_type;
  std::int64_t size = 0;
  std::string_view sha256;         // checksums.sha256, hex
  std::string_view metadata_json;  // "{}" when absent
  std::string_view created_at;
  std::string_view expires_at;
  std::string_view url_get;  // urls.get
  std::string_view raw_json;
};

struct file_create_params {
  // The content, exactly one of:
  std::string_view path;                // a file, opened now and read while it uploads
  std::string_view data;                // a caller buffer
  const body_source* source = nullptr;  // a caller read callback; its length must be set
  // The part's filename (max 255 bytes, no '"', CR or LF). Default: the path's last segment,
  // else "file".
  std::string_view filename;
  std::string_view content_type = "application/octet-stream";  // the `type` field too
  std::string_view metadata_json;                              // a JSON object, or empty
};

class REPLICATE_API files_api {
 public:
  explicit files_api(detail::client_impl* impl) : impl_(impl) {}
  // POST /files → 201. A path that cannot be opened is invalid_argument, before anything is
  // sent. A retry re-reads the content from its start (a source needs rewind to be retried).
  [[nodiscard]] error create(const file_create_params& params, object_cb<file_object> cb,
                             void* user);
  // GET /files/{id}.
  [[nodiscard]] error get(std::string_view id, object_cb<file_object> cb, void* user);
  // GET /files (newest first), or the absolute `cursor_url` of a page's `next`.
  [[nodiscard]] error list(list_cb<file_object> cb, void* user, std::string_view cursor_url = {});
  // DELETE /files/{id} → 204.
  [[nodiscard]] error del(std::string_view id, status_cb cb, void* user);
  // The route of GET /files/{id}/download?owner=&expiry=&signature= is built by
  // file_download_url() below; stream it (or a file's url_get) with file_output_start()
  // (replicate/file_output.hpp).

 private:
  detail::client_impl* impl_;
};

// Writes "<base_url>/files/{id}/download?owner=..&expiry=..&signature=.." (query-encoded) into
// out. Returns the length, or 0 when an argument is invalid or out is too small.
REPLICATE_API std::size_t file_download_url(std::string_view base_url, std::string_view id,
                                            std::string_view owner, std::int64_t expiry,
                                            std::string_view signature, char* out,
                                            std::size_t cap) noexcept;

}  // namespace replicate
