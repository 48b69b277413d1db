// client.files(): streamed multipart uploads, get, list, delete, and download URLs.
#include "replicate/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "api/resources/call.hpp"
#include "api/resources/multipart.hpp"
#include "api/validate.hpp"
#include "http/url.hpp"
#include "json/decode_resources.hpp"

namespace replicate {

using namespace detail;

files_api client::files() noexcept { return files_api(impl_); }

namespace {

// A file read with pread while curl sends it. Synchronous reads in curl's read callback are
// short (at most one send buffer) and come from the page cache in the common case.
struct file_reader {
  body_source source;
  int fd;
  std::int64_t offset;
};

std::size_t file_read(void* ctx, char* buf, std::size_t size) {
  auto* r = static_cast<file_reader*>(ctx);
  std::int64_t left = r->source.length - r->offset;
  if (left <= 0) return 0;
  std::size_t want =
      static_cast<std::uint64_t>(left) < size ? static_cast<std::size_t>(left) : size;
  ssize_t got;
  do {
    got = pread(r->fd, buf, want, static_cast<off_t>(r->offset));
  } while (got < 0 && errno == EINTR);
  // An error, or a file that shrank since its size was taken: abort rather than send a body
  // shorter than its Content-Length.
  if (got <= 0) return static_cast<std::size_t>(-1);
  r->offset += got;
  return static_cast<std::size_t>(got);
}

bool file_rewind(void* ctx) {
  static_cast<file_reader*>(ctx)->offset = 0;
  return true;
}

struct create_args {
  multipart_file part;
  int fd;  // -1 unless the content is a path; closed when the request ends
  std::int64_t file_size;
  char boundary[multipart_boundary_size];
};

bool build_create(request_spec* spec, arena* a) {
  create_args& args = *call_args<create_args>(spec);
  multipart_file part = args.part;
  if (args.fd >= 0) {
    auto* r = static_cast<file_reader*>(arena_alloc(a, sizeof(file_reader), alignof(file_reader)));
    if (r == nullptr) return false;
    r->source.read = file_read;
    r->source.rewind = file_rewind;
    r->source.ctx = r;
    r->source.length = args.file_size;
    r->fd = args.fd;
    r->offset = 0;
    part.stream = &r->source;
  }
  std::string_view boundary(args.boundary, multipart_boundary_size);
  spec->params.body_stream = multipart_create(a, boundary, part);
  static const char prefix[] = "multipart/form-data; boundary=";
  char* type = static_cast<char*>(arena_alloc(a, sizeof prefix - 1 + boundary.size() + 1, 1));
  if (spec->params.body_stream == nullptr || type == nullptr) return false;
  std::memcpy(type, prefix, sizeof prefix - 1);
  std::memcpy(type + sizeof prefix - 1, boundary.data(), boundary.size());
  type[sizeof prefix - 1 + boundary.size()] = '\0';
  spec->params.content_type = std::string_view(type, sizeof prefix - 1 + boundary.size());
  return true;
}

void deliver_created(request_result& r) {
  create_args& args = *call_args<create_args>(r.spec);
  if (args.fd >= 0) {
    close(args.fd);
    args.fd = -1;
  }
  deliver_object<file_object, decode_file_body>(r);
}

std::string_view last_segment(std::string_view path) {
  std::size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

error files_api::create(const file_create_params& params, object_cb<file_object> cb, void* user) {
  if (error e = call_check(impl_, erase(cb))) return e;
  int given = (!params.path.empty()) + (params.source != nullptr) + (params.data.data() != nullptr);
  if (given != 1)
    return error(errc::invalid_argument, "give exactly one of path, data or source as content");
  if (params.source != nullptr && (params.source->read == nullptr || params.source->length < 0))
    return error(errc::invalid_argument, "source needs read and a length (Content-Length)");
  create_args args{};
  args.fd = -1;
  args.part.filename = params.filename;
  if (args.part.filename.empty())
    args.part.filename = params.path.empty() ? std::string_view("file") : last_segment(params.path);
  args.part.content_type = params.content_type;
  args.part.metadata_json = params.metadata_json;
  args.part.data = params.data;
  args.part.stream = params.source;
  if (const char* why = multipart_check(args.part)) return error(errc::invalid_argument, why);
  if (!params.metadata_json.empty() && !json_is_object(params.metadata_json))
    return error(errc::invalid_json, "metadata must be a JSON object");
  if (!params.path.empty()) {
    char path[4096];
    if (params.path.size() >= sizeof path) return error(errc::invalid_argument, "path too long");
    std::memcpy(path, params.path.data(), params.path.size());
    path[params.path.size()] = '\0';
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      int code = errno;
      if (fd >= 0) close(fd);
      char msg[300];
      std::snprintf(msg, sizeof msg, "cannot read '%.200s': %s", path,
                    fd >= 0 && code == 0 ? "not a regular file" : std::strerror(code));
      return error(errc::invalid_argument, msg);
    }
    args.fd = fd;
    args.file_size = static_cast<std::int64_t>(st.st_size);
  }
  multipart_boundary(args.boundary);
  call k;
  k.method = http_method::post;
  k.route = "/files";
  k.build = build_create;
  k.deliver = deliver_created;
  k.cb = erase(cb);
  k.user = user;
  error err = call_submit(impl_, k, args);
  if (err && args.fd >= 0) close(args.fd);  // the request will not run, so deliver never closes it
  return err;
}

namespace {

error by_id(client_impl* c, http_method m, std::string_view id, call_deliver_fn deliver, any_fn cb,
            void* user) {
  if (error e = call_check(c, cb)) return e;
  if (error e = validate_id(id, "file id")) return e;
  call k;
  k.method = m;
  k.route = "/files/";
  k.tail[0] = id;
  k.deliver = deliver;
  k.cb = cb;
  k.user = user;
  return call_submit(c, k);
}

}  // namespace

error files_api::get(std::string_view id, object_cb<file_object> cb, void* user) {
  return by_id(impl_, http_method::get, id, deliver_object<file_object, decode_file_body>,
               erase(cb), user);
}

error files_api::del(std::string_view id, status_cb cb, void* user) {
  return by_id(impl_, http_method::del, id, deliver_status, erase(cb), user);
}

error files_api::list(list_cb<file_object> cb, void* user, std::string_view cursor_url) {
  if (error e = call_check(impl_, erase(cb))) return e;
  if (error e = call_check_cursor(cursor_url)) return e;
  call k;
  call_route_or_cursor(&k, "/files", cursor_url);
  k.deliver = deliver_page<file_object, decode_file_page>;
  k.cb = erase(cb);
  k.user = user;
  return call_submit(impl_, k);
}

std::size_t file_download_url(std::string_view base_url, std::string_view id,
                              std::string_view owner, std::int64_t expiry,
                              std::string_view signature, char* out, std::size_t cap) noexcept {
  if (!url_is_absolute_http(base_url) || !is_path_segment(id) || owner.empty() ||
      signature.empty() || expiry <= 0 || out == nullptr)
    return 0;
  while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
  std::size_t n = 0;
  auto put = [&](std::string_view s) {
    if (n + s.size() < cap && !s.empty()) std::memcpy(out + n, s.data(), s.size());
    n += s.size();
  };
  auto put_encoded = [&](std::string_view s) {
    std::size_t need = url_encode(s, n < cap ? out + n : nullptr, n < cap ? cap - n : 0);
    n += need;
  };
  char expiry_text[24];
  std::snprintf(expiry_text, sizeof expiry_text, "%lld", static_cast<long long>(expiry));
  put(base_url);
  put("/files/");
  put(id);
  put("/download?owner=");
  put_encoded(owner);
  put("&expiry=");
  put(expiry_text);
  put("&signature=");
  put_encoded(signature);
  if (n >= cap) return 0;
  out[n] = '\0';
  return n;
}

}  // namespace replicate
