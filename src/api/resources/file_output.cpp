// file_output: a prediction's output files streamed to a file or a callback (see the header).
//
// One handle, one source. URL: a streaming GET whose sink feeds the handle's buffer; a full
// buffer is flushed with uv_fs_write while curl is paused, so memory stays at one buffer and the
// disk sets the pace. Data URI: decoded slice by slice from a uv timer, so `done` is never called
// from inside start() and a long payload does not hold the loop.
#include "replicate/file_output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "api/client_impl.hpp"
#include "http/url.hpp"

namespace replicate {

using namespace detail;

namespace {

constexpr std::size_t callback_slice = 16 * 1024;  // bytes per write-callback call for data URIs
constexpr std::size_t tick_budget = 1024 * 1024;   // data-URI bytes per loop turn
constexpr std::string_view data_scheme = "data:";

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;  // '-' and '_': the URL-safe alphabet
  if (c == '/' || c == '_') return 63;
  return -1;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes up to cap bytes from the handle's remaining data URI payload. Returns the bytes
// written, or -1 with fo->err_ set. The payload may still carry JSON escapes ("\/").
long decode_slice(file_output* fo, char* out, std::size_t cap) {
  std::string_view& in = fo->data_;
  std::size_t n = 0;
  std::size_t i = 0;
  if (fo->base64_) {
    for (; i < in.size() && n < cap; ++i) {
      char c = in[i];
      if (c == '\\' || c == '=' || c == ' ' || c == '\n' || c == '\r') continue;
      int v = base64_value(c);
      if (v < 0) {
        fo->err_ = error(errc::invalid_argument, "data URI has a character outside base64");
        return -1;
      }
      fo->b64_acc_ = (fo->b64_acc_ << 6) | static_cast<std::uint32_t>(v);
      fo->b64_bits_ += 6;
      if (fo->b64_bits_ >= 8) {
        fo->b64_bits_ -= 8;
        out[n++] = static_cast<char>((fo->b64_acc_ >> fo->b64_bits_) & 0xFF);
      }
    }
  } else {
    while (i < in.size() && n < cap) {
      char c = in[i];
      if (c == '%') {
        int hi = i + 2 < in.size() ? hex_value(in[i + 1]) : -1;
        int lo = hi >= 0 ? hex_value(in[i + 2]) : -1;
        if (lo < 0) {
          fo->err_ = error(errc::invalid_argument, "data URI has a malformed %-escape");
          return -1;
        }
        out[n++] = static_cast<char>(hi * 16 + lo);
        i += 3;
      } else if (c == '\\') {
        if (i + 1 >= in.size()) break;
        char e = in[i + 1];
        char v = e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : e;
        if (e == 'u' || e == 'b' || e == 'f') {
          fo->err_ = error(errc::invalid_argument, "data URI has an unsupported JSON escape");
          return -1;
        }
        out[n++] = v;
        i += 2;
      } else {
        out[n++] = c;
        ++i;
      }
    }
  }
  in.remove_prefix(i);
  return static_cast<long>(n);
}

void on_timer_closed(uv_handle_t* handle) {
  auto* fo = static_cast<file_output*>(handle->data);
  fo->active_ = false;
  fo->done_(fo->user_, fo->err_, fo->bytes_);
}

// Ends the operation once nothing is in flight: closes the file and the timer; done fires from
// the timer's close callback, when the handle holds nothing of the loop's.
void finish(file_output* fo) {
  if (fo->finishing_) return;
  fo->finishing_ = true;
  if (fo->fd_ >= 0) {
    if (close(fo->fd_) != 0 && !fo->err_)
      fo->err_ = error(errc::file_io, "closing the output file failed");
    fo->fd_ = -1;
  }
  uv_timer_stop(&fo->timer_);
  uv_close(reinterpret_cast<uv_handle_t*>(&fo->timer_), on_timer_closed);
}

void on_written(uv_fs_t* req);
void pump_data(file_output* fo);

void start_flush(file_output* fo) {
  fo->writing_ = true;
  fo->iov_ = uv_buf_init(fo->buf_, static_cast<unsigned>(fo->pending_));
  fo->fs_.data = fo;
  int rc = uv_fs_write(fo->impl_->loop, &fo->fs_, fo->fd_, &fo->iov_, 1,
                       static_cast<std::int64_t>(fo->file_offset_), on_written);
  if (rc < 0) {
    // Not queued: report from the same path a failed write takes.
    fo->fs_.result = rc;
    on_written(&fo->fs_);
  }
}

void fail_io(file_output* fo, long code) {
  if (fo->err_) return;
  char msg[160];
  std::snprintf(msg, sizeof msg, "writing the output file failed: %s",
                uv_strerror(static_cast<int>(code)));
  fo->err_ = error(errc::file_io, msg);
}

void on_written(uv_fs_t* req) {
  auto* fo = static_cast<file_output*>(req->data);
  ssize_t result = req->result;
  uv_fs_req_cleanup(req);
  fo->writing_ = false;
  if (result < 0) {
    fail_io(fo, result);
  } else {
    std::size_t done = static_cast<std::size_t>(result);
    fo->file_offset_ += done;
    if (done < fo->pending_) {  // a short write: send the rest
      std::memmove(fo->buf_, fo->buf_ + done, fo->pending_ - done);
      fo->pending_ -= done;
      if (done > 0) {
        start_flush(fo);
        return;
      }
      fail_io(fo, UV_EIO);
    } else {
      fo->pending_ = 0;
    }
  }
  if (fo->is_data_) {
    pump_data(fo);
    return;
  }
  if (fo->err_) {
    // Stop the download; its callback will not fire after an abort.
    if (!fo->transfer_done_) requester_abort(&fo->impl_->http, fo->request_);
    fo->transfer_done_ = true;
    finish(fo);
  } else if (fo->transfer_done_) {
    if (fo->pending_ > 0) {
      start_flush(fo);
    } else {
      finish(fo);
    }
  } else if (fo->transfer_paused_) {
    fo->transfer_paused_ = false;
    requester_pause(&fo->impl_->http, fo->request_, false);  // curl offers the chunk again
  }
}

// Data URIs: decode into the buffer, then hand it to the callback or the file.
void pump_data(file_output* fo) {
  std::size_t budget = tick_budget;
  while (!fo->err_) {
    if (fo->write_ != nullptr) {
      if (fo->pending_ == 0) {
        if (fo->data_.empty()) break;
        long n = decode_slice(fo, fo->buf_, callback_slice);
        if (n < 0) break;
        fo->pending_ = static_cast<std::size_t>(n);
        if (n == 0) continue;
      }
      std::size_t used = fo->write_(fo->write_user_, fo->buf_, fo->pending_);
      if (used == file_output_pause) {
        fo->paused_ = true;  // resume() restarts the timer; the slice is kept in buf_
        return;
      }
      if (used != fo->pending_) {
        fo->err_ = error(errc::invalid_argument, "write callback consumed part of a chunk");
        break;
      }
      fo->bytes_ += used;
      fo->pending_ = 0;
      if (used >= budget) {
        uv_timer_start(
            &fo->timer_, [](uv_timer_t* t) { pump_data(static_cast<file_output*>(t->data)); }, 0,
            0);
        return;
      }
      budget -= used;
    } else {
      if (fo->writing_) return;
      while (fo->pending_ < sizeof fo->buf_ && !fo->data_.empty()) {
        long n = decode_slice(fo, fo->buf_ + fo->pending_, sizeof fo->buf_ - fo->pending_);
        if (n < 0) break;
        fo->pending_ += static_cast<std::size_t>(n);
        fo->bytes_ += static_cast<std::size_t>(n);
      }
      if (fo->err_ || fo->pending_ == 0) break;
      start_flush(fo);  // on_written calls back here
      return;
    }
  }
  finish(fo);
}

// URL downloads: curl hands each chunk of a 2xx body here.
std::size_t on_sink(void* user, const char* data, std::size_t len) {
  auto* fo = static_cast<file_output*>(user);
  if (fo->err_) return 0;
  if (fo->write_ != nullptr) {
    std::size_t used = fo->write_(fo->write_user_, data, len);
    if (used == file_output_pause) {
      fo->paused_ = true;
      return transfer_pause;
    }
    if (used != len) {
      fo->err_ = error(errc::invalid_argument, "write callback consumed part of a chunk");
      return 0;  // curl aborts the transfer
    }
    fo->bytes_ += len;
    return len;
  }
  if (fo->writing_) {
    fo->transfer_paused_ = true;
    return transfer_pause;
  }
  if (len <= sizeof fo->buf_ - fo->pending_) {
    std::memcpy(fo->buf_ + fo->pending_, data, len);
    fo->pending_ += len;
    fo->bytes_ += len;
    if (fo->pending_ == sizeof fo->buf_) start_flush(fo);
    return len;
  }
  if (fo->pending_ > 0) {
    start_flush(fo);
    fo->transfer_paused_ = true;
    return transfer_pause;
  }
  // A chunk larger than the whole buffer (curl may re-deliver paused data at once): write it
  // through synchronously rather than hold it.
  std::size_t off = 0;
  while (off < len) {
    ssize_t n = pwrite(fo->fd_, data + off, len - off, static_cast<off_t>(fo->file_offset_));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      fail_io(fo, n < 0 ? uv_translate_sys_error(errno) : UV_EIO);
      return 0;
    }
    off += static_cast<std::size_t>(n);
    fo->file_offset_ += static_cast<std::size_t>(n);
  }
  fo->bytes_ += len;
  return len;
}

void on_transfer_done(void* user, request_result& r) {
  auto* fo = static_cast<file_output*>(user);
  fo->transfer_done_ = true;
  fo->request_ = 0;
  if (!fo->err_ && r.err) fo->err_ = r.err;
  if (!fo->err_ && (r.res.status < 200 || r.res.status > 299)) {
    fo->err_ = error(errc::http_status, "download did not answer 2xx");
    fo->err_.http_status = r.res.status;
  }
  if (fo->writing_) return;  // on_written finishes
  if (!fo->err_ && fo->pending_ > 0) {
    start_flush(fo);
    return;
  }
  finish(fo);
}

}  // namespace

error file_output::start(client& c, std::string_view source, const file_output_target& target,
                         file_output_done_cb done, void* user) {
  if (c.impl() == nullptr) return error(errc::not_initialized);
  if (done == nullptr) return error(errc::invalid_argument, "callback is null");
  if (active_) return error(errc::invalid_argument, "file_output is already running");
  if (target.path.empty() == (target.write == nullptr))
    return error(errc::invalid_argument, "give exactly one of target.path or target.write");
  impl_ = c.impl();
  err_ = error();
  bytes_ = file_offset_ = 0;
  pending_ = 0;
  paused_ = transfer_paused_ = transfer_done_ = writing_ = finishing_ = false;
  b64_acc_ = 0;
  b64_bits_ = 0;
  request_ = 0;
  is_data_ = starts_with(source, data_scheme);
  if (is_data_) {
    std::size_t comma = source.find(',');
    if (comma == std::string_view::npos)
      return error(errc::invalid_argument, "data URI has no ',' before its payload");
    std::string_view header = source.substr(data_scheme.size(), comma - data_scheme.size());
    base64_ = header.size() >= 7 && header.substr(header.size() - 7) == ";base64";
    data_ = source.substr(comma + 1);
  } else {
    // Copy the URL, undoing the one JSON escape URLs carry ("\/").
    std::size_t n = 0;
    for (std::size_t i = 0; i < source.size(); ++i) {
      char ch = source[i];
      if (ch == '\\') {
        if (i + 1 < source.size() && source[i + 1] == '/') continue;
        return error(errc::invalid_url, "output URL has a JSON escape other than \\/");
      }
      if (n + 1 >= sizeof url_) return error(errc::invalid_url, "output URL is too long");
      url_[n++] = ch;
    }
    url_[n] = '\0';
    if (!url_is_absolute_http(std::string_view(url_, n)))
      return error(errc::invalid_url, "source is neither an http(s) URL nor a data: URI");
  }
  write_ = target.write;
  write_user_ = target.write_user;
  fd_ = -1;
  if (!target.path.empty()) {
    char path[4096];
    if (target.path.size() >= sizeof path) return error(errc::invalid_argument, "path too long");
    std::memcpy(path, target.path.data(), target.path.size());
    path[target.path.size()] = '\0';
    fd_ = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      char msg[300];
      std::snprintf(msg, sizeof msg, "cannot create '%.200s': %s", path, std::strerror(errno));
      return error(errc::invalid_argument, msg);
    }
  }
  done_ = done;
  user_ = user;
  if (!is_data_) {
    request_spec spec;
    spec.params.method = http_method::get;
    spec.params.route = std::string_view(url_);
    spec.streaming = true;  // no whole-transfer timeout, body to the sink
    spec.sink = on_sink;
    spec.sink_user = this;
    spec.follow_redirects = true;
    spec.never_retry = true;  // bytes already written cannot be taken back
    error err = requester_submit(&impl_->http, spec, on_transfer_done, this, &request_);
    if (err) {
      if (fd_ >= 0) close(fd_);
      fd_ = -1;
      return err;
    }
  }
  uv_timer_init(impl_->loop, &timer_);
  timer_.data = this;
  active_ = true;
  if (is_data_) {
    uv_timer_start(
        &timer_, [](uv_timer_t* t) { pump_data(static_cast<file_output*>(t->data)); }, 0, 0);
  }
  return error();
}

error file_output::resume() {
  if (!active_ || !paused_) return error(errc::not_found, "file_output is not paused");
  paused_ = false;
  if (is_data_) {
    uv_timer_start(
        &timer_, [](uv_timer_t* t) { pump_data(static_cast<file_output*>(t->data)); }, 0, 0);
  } else {
    requester_pause(&impl_->http, request_, false);
  }
  return error();
}

// output_files_each: a small scanner over the output JSON that reports string values in place.
namespace {

struct scanner {
  std::string_view text;
  std::size_t pos = 0;
  bool (*each)(void*, std::size_t, std::string_view);
  void* user;
  std::size_t index = 0;
  bool stopped = false;

  void skip_ws() {
    while (pos < text.size() &&
           (text[pos] == ' ' || text[pos] == '\n' || text[pos] == '\r' || text[pos] == '\t'))
      ++pos;
  }

  bool string(std::string_view* out) {
    if (pos >= text.size() || text[pos] != '"') return false;
    std::size_t start = ++pos;
    while (pos < text.size() && text[pos] != '"') pos += text[pos] == '\\' ? 2 : 1;
    if (pos >= text.size()) return false;
    *out = text.substr(start, pos - start);
    ++pos;
    return true;
  }

  bool value(int depth) {
    if (depth > 64) return false;
    skip_ws();
    if (pos >= text.size()) return false;
    char c = text[pos];
    if (c == '"') {
      std::string_view s;
      if (!string(&s)) return false;
      bool file = starts_with(s, "data:") || starts_with(s, "http://") ||
                  starts_with(s, "https://") || starts_with(s, "http:\\/\\/") ||
                  starts_with(s, "https:\\/\\/");
      if (file && !stopped && !each(user, index++, s)) stopped = true;
      return true;
    }
    if (c == '[' || c == '{') {
      char close = c == '[' ? ']' : '}';
      ++pos;
      skip_ws();
      if (pos < text.size() && text[pos] == close) {
        ++pos;
        return true;
      }
      for (;;) {
        if (c == '{') {
          std::string_view key;
          skip_ws();
          if (!string(&key)) return false;
          skip_ws();
          if (pos >= text.size() || text[pos] != ':') return false;
          ++pos;
        }
        if (!value(depth + 1)) return false;
        skip_ws();
        if (pos >= text.size()) return false;
        if (text[pos] == ',') {
          ++pos;
          continue;
        }
        if (text[pos] != close) return false;
        ++pos;
        return true;
      }
    }
    std::size_t start = pos;
    while (pos < text.size() &&
           (std::strchr("+-.eE", text[pos]) != nullptr || (text[pos] >= '0' && text[pos] <= '9') ||
            (text[pos] >= 'a' && text[pos] <= 'z')))
      ++pos;
    return pos > start;
  }
};

}  // namespace

error output_files_each(std::string_view output_json,
                        bool (*each)(void* user, std::size_t index, std::string_view source),
                        void* user) {
  if (each == nullptr) return error(errc::invalid_argument, "callback is null");
  scanner s{output_json, 0, each, user};
  if (!s.value(0)) return error(errc::invalid_json, "output is not JSON");
  s.skip_ws();
  if (s.pos != output_json.size()) return error(errc::invalid_json, "output is not one JSON value");
  return error();
}

}  // namespace replicate
