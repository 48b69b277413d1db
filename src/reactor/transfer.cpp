#include "reactor/transfer.hpp"

#include <strings.h>

#include <cstring>

#include "reactor/multi.hpp"

namespace replicate::detail {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

bool header_is(std::string_view line, std::string_view name, std::string_view* value) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  if (strncasecmp(line.data(), name.data(), name.size()) != 0) return false;
  *value = trim(line.substr(name.size() + 1));
  return true;
}

void notify_headers(transfer* t) {
  if (t->headers_done) return;
  t->headers_done = true;
  curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &t->status);
  if (t->spec.on_headers != nullptr) t->spec.on_headers(t->spec.sink_user, t->status);
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<transfer*>(user);
  std::size_t len = size * n;
  std::string_view line(data, len);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new response (after 100 Continue or a redirect): forget the previous one's headers.
    t->content_type = t->location = t->retry_after = {};
    return len;
  }
  if (t->body_started) return len;  // trailers: the arena tail belongs to the body now
  std::string_view value;
  if (header_is(line, "content-type", &value)) {
    t->content_type = arena_strdup(t->a, value);
  } else if (header_is(line, "location", &value)) {
    t->location = arena_strdup(t->a, value);
  } else if (header_is(line, "retry-after", &value)) {
    t->retry_after = arena_strdup(t->a, value);
  } else if (line == "\r\n" || line == "\n") {
    long code = 0;
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &code);
    // Interim (1xx) and redirect responses are followed by the real one.
    bool redirect = t->spec.follow_redirects && code >= 300 && code < 400;
    if (code >= 200 && !redirect) notify_headers(t);
  }
  return len;
}

std::size_t on_write(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<transfer*>(user);
  std::size_t len = size * n;
  notify_headers(t);
  // An error status keeps its body in the arena, so its problem detail can be reported.
  if (t->spec.sink != nullptr && t->status >= 200 && t->status < 300) {
    std::size_t used = t->spec.sink(t->spec.sink_user, data, len);
    return used == transfer_pause ? CURL_WRITEFUNC_PAUSE : used;
  }
  if (!t->body_started) {
    t->body_started = true;
    t->body = arena_tail(t->a, &t->body_room);
  }
  if (t->spec.filter != nullptr) {
    // A filter writes at most 2 bytes more than it reads, and usually far fewer: feed it slices
    // that fit the room left, so a large body that filters down small still fits.
    for (std::size_t used = 0; used < len;) {
      std::size_t room = t->body_room - t->body_len;
      if (room <= 3) {
        t->overflow = true;
        return 0;  // curl aborts with CURLE_WRITE_ERROR; reported as response_too_large
      }
      std::size_t take = len - used < room - 3 ? len - used : room - 3;
      t->body_len += t->spec.filter(t->spec.filter_state, data + used, take, t->body + t->body_len);
      used += take;
    }
    return len;
  }
  // Keep one byte for a terminating NUL.
  if (t->body_room == 0 || len > t->body_room - 1 - t->body_len) {
    t->overflow = true;
    return 0;  // curl aborts with CURLE_WRITE_ERROR; reported as response_too_large
  }
  std::memcpy(t->body + t->body_len, data, len);
  t->body_len += len;
  return len;
}

std::size_t on_read(char* buffer, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<transfer*>(user);
  std::size_t room = size * n;
  if (t->spec.body_stream != nullptr) {
    const body_source* src = t->spec.body_stream;
    std::size_t got = src->read(src->ctx, buffer, room);
    if (got == static_cast<std::size_t>(-1)) return CURL_READFUNC_ABORT;
    t->body_sent += got;
    return got;
  }
  std::size_t left = t->spec.body.size() - t->body_sent;
  std::size_t take = left < room ? left : room;
  if (take > 0) std::memcpy(buffer, t->spec.body.data() + t->body_sent, take);
  t->body_sent += take;
  return take;
}

int on_seek(void* user, curl_off_t offset, int origin) {
  auto* t = static_cast<transfer*>(user);
  if (origin != SEEK_SET || offset != 0) return CURL_SEEKFUNC_CANTSEEK;
  if (t->spec.body_stream != nullptr) {
    const body_source* src = t->spec.body_stream;
    if (src->rewind == nullptr || !src->rewind(src->ctx)) return CURL_SEEKFUNC_CANTSEEK;
  }
  t->body_sent = 0;
  return CURL_SEEKFUNC_OK;
}

}  // namespace

curl_slist* transfer_header(arena* a, curl_slist* list, std::string_view name,
                            std::string_view value) noexcept {
  auto* node = static_cast<curl_slist*>(arena_alloc(a, sizeof(curl_slist), alignof(curl_slist)));
  char* text = static_cast<char*>(arena_alloc(a, name.size() + value.size() + 3, 1));
  if (node == nullptr || text == nullptr) return nullptr;
  std::memcpy(text, name.data(), name.size());
  text[name.size()] = ':';
  text[name.size() + 1] = ' ';
  if (!value.empty()) std::memcpy(text + name.size() + 2, value.data(), value.size());
  text[name.size() + 2 + value.size()] = '\0';
  if (value.empty()) text[name.size() + 1] = '\0';  // "Name:" tells curl to drop the header
  node->data = text;
  node->next = nullptr;
  if (list == nullptr) return node;
  curl_slist* last = list;
  while (last->next != nullptr) last = last->next;
  last->next = node;
  return list;
}

bool transfer_prepare(transfer* t, reactor* r, arena* a, const transfer_spec& spec) noexcept {
  if (t->easy == nullptr) {
    t->easy = curl_easy_init();
    if (t->easy == nullptr) return false;
  } else {
    curl_easy_reset(t->easy);  // keeps the connection and DNS caches
  }
  t->owner = r;
  t->a = a;
  t->spec = spec;
  transfer_reset_response(t);
  t->body_sent = 0;

  CURL* e = t->easy;
  bool ok = true;
  auto set = [&](CURLoption opt, auto value) { ok &= curl_easy_setopt(e, opt, value) == CURLE_OK; };
  set(CURLOPT_PRIVATE, static_cast<void*>(t));
  set(CURLOPT_URL, spec.url);
  set(CURLOPT_NOSIGNAL, 1L);
  set(CURLOPT_HTTPHEADER, spec.headers);
  set(CURLOPT_HEADERFUNCTION, on_header);
  set(CURLOPT_HEADERDATA, static_cast<void*>(t));
  set(CURLOPT_WRITEFUNCTION, on_write);
  set(CURLOPT_WRITEDATA, static_cast<void*>(t));
  set(CURLOPT_CLOSESOCKETFUNCTION, reactor_close_socket);
  set(CURLOPT_CLOSESOCKETDATA, static_cast<void*>(r));
  set(CURLOPT_CONNECTTIMEOUT_MS, spec.connect_timeout_ms);
  if (spec.timeout_ms > 0) set(CURLOPT_TIMEOUT_MS, spec.timeout_ms);
  // Streams live long and come in small events: a smaller receive buffer per stream keeps many
  // concurrent streams cheap (curl's default is 16 KiB).
  // API answers are a few KB: a 4 KiB buffer per handle costs a quarter of curl's default and
  // only splits the rare large page into more callbacks.
  set(CURLOPT_BUFFERSIZE, spec.sink != nullptr ? 8192L : 4096L);
  if (spec.user_agent != nullptr) set(CURLOPT_USERAGENT, spec.user_agent);
  if (spec.ca_path != nullptr) set(CURLOPT_CAINFO, spec.ca_path);
  set(CURLOPT_FOLLOWLOCATION, spec.follow_redirects ? 1L : 0L);
  // Never forward credentials to another host on a redirect.
  set(CURLOPT_UNRESTRICTED_AUTH, 0L);
  set(CURLOPT_PROTOCOLS_STR, "http,https");
  set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");

  if (spec.body_stream != nullptr) {
    set(CURLOPT_POST, 1L);
    set(CURLOPT_READFUNCTION, on_read);
    set(CURLOPT_READDATA, static_cast<void*>(t));
    set(CURLOPT_SEEKFUNCTION, on_seek);
    set(CURLOPT_SEEKDATA, static_cast<void*>(t));
    set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(spec.body_stream->length));
    // curl keeps an upload buffer per handle once it has uploaded; keep it at the minimum.
    set(CURLOPT_UPLOAD_BUFFERSIZE, 16384L);
  } else if (!spec.body.empty() || spec.method == http_method::post) {
    // A body already in memory is sent from where it is: no copy, no upload buffer.
    set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(spec.body.size()));
    set(CURLOPT_POSTFIELDS, spec.body.empty() ? "" : spec.body.data());
  }
  if (spec.method == http_method::head) set(CURLOPT_NOBODY, 1L);
  if (spec.method != http_method::get && spec.method != http_method::post &&
      spec.method != http_method::head) {
    // The names are string literals, so data() is NUL-terminated.
    set(CURLOPT_CUSTOMREQUEST, http_method_name(spec.method).data());
  }
  return ok;
}

transfer* transfer_from_easy(CURL* easy) noexcept {
  void* priv = nullptr;
  curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv);
  return static_cast<transfer*>(priv);
}

void transfer_reset_response(transfer* t) noexcept {
  t->status = 0;
  t->body = nullptr;
  t->body_len = 0;
  t->body_room = 0;
  t->body_started = false;
  t->overflow = false;
  t->headers_done = false;
  t->content_type = t->location = t->retry_after = {};
}

void transfer_finish(transfer* t) noexcept {
  if (t->status == 0) curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &t->status);
  if (t->body_started) {
    t->body[t->body_len] = '\0';
    arena_commit(t->a, t->body_len + 1);
  }
}

void transfer_destroy(transfer* t) noexcept {
  if (t->easy != nullptr) curl_easy_cleanup(t->easy);
  t->easy = nullptr;
}

bool transfer_error_is_connect(CURLcode code) noexcept {
  return code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST ||
         code == CURLE_COULDNT_RESOLVE_PROXY;
}

bool transfer_error_is_timeout(CURLcode code) noexcept { return code == CURLE_OPERATION_TIMEDOUT; }

const char* transfer_error_text(CURLcode code) noexcept { return curl_easy_strerror(code); }

}  // namespace replicate::detail
