// file_source: a uv timer ticks at the frame rate; each tick "captures" the next file. While the
// consumer holds the buffer the tick is a drop and nothing is read.
#include "replicate/ports/file_source.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace replicate {
namespace {

file_source* owner(frame_source* s) { return static_cast<file_source*>(s->port_); }

bool has_jpeg_extension(const char* name) {
  const char* dot = std::strrchr(name, '.');
  return dot != nullptr && (strcasecmp(dot, ".jpg") == 0 || strcasecmp(dot, ".jpeg") == 0);
}

error errorf(errc code, const char* fmt, const char* a, long long n = 0, long long m = 0) {
  char buf[384];
  int len = std::snprintf(buf, sizeof buf, fmt, a, n, m);
  return error(code,
               std::string_view(buf, len > 0 ? std::min<std::size_t>(len, sizeof buf - 1) : 0));
}

// Reads the whole file into buf; more than cap bytes is an error, never a truncation.
error read_file(const std::string& path, unsigned char* buf, std::size_t cap, std::size_t* size) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errorf(errc::device, "cannot open %s: errno %lld", path.c_str(), errno);
  std::size_t n = 0;
  for (;;) {
    unsigned char extra;
    bool full = n == cap;
    ssize_t got = full ? ::read(fd, &extra, 1) : ::read(fd, buf + n, cap - n);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      int err = errno;
      ::close(fd);
      return errorf(errc::device, "cannot read %s: errno %lld", path.c_str(), err);
    }
    if (got == 0) break;
    if (full) {
      ::close(fd);
      return errorf(errc::device, "%s grew past max_frame_size (%lld bytes)", path.c_str(),
                    static_cast<long long>(cap));
    }
    n += static_cast<std::size_t>(got);
  }
  ::close(fd);
  *size = n;
  return error();
}

void on_tick(uv_timer_t* timer) {
  auto* fs = static_cast<file_source*>(timer->data);
  frame_source* s = &fs->source;
  if (fs->next_ == fs->files_.size()) {
    if (!fs->loop_) {
      detail::frame_source_end(s);
      return;
    }
    fs->next_ = 0;
  }
  const std::string& path = fs->files_[fs->next_++];
  std::uint64_t sequence = s->stats.captured;
  if (s->held_ != nullptr) {
    detail::frame_source_count_drop(s);
    return;
  }
  std::size_t size = 0;
  if (error e = read_file(path, fs->buffer_.get(), fs->max_frame_size_, &size)) {
    detail::frame_source_fail(s, e);
    return;
  }
  fs->frame_.data = fs->buffer_.get();
  fs->frame_.size = size;
  fs->frame_.mime_type = fs->mime_;
  fs->frame_.sequence = sequence;
  fs->frame_.time_ms = uv_now(timer->loop);
  detail::frame_source_offer(s, &fs->frame_);
}

error fs_start(frame_source* s) {
  file_source* fs = owner(s);
  if (fs->next_ == fs->files_.size() && !fs->loop_)
    return error(errc::device, "file source already replayed every file (loop is off)");
  uv_timer_start(&fs->timer_, on_tick, 0, fs->interval_ms_);
  return error();
}

void fs_stop(frame_source* s) { uv_timer_stop(&owner(s)->timer_); }

void fs_release(frame_source*, const frame*) {}  // the buffer is simply free again

void fs_closed(uv_handle_t* handle) {
  auto* fs = static_cast<file_source*>(handle->data);
  fs->buffer_.reset();
  fs->files_.clear();
  fs->files_.shrink_to_fit();
  detail::frame_source_closed(&fs->source);
}

void fs_close(frame_source* s) {
  file_source* fs = owner(s);
  uv_timer_stop(&fs->timer_);
  uv_close(reinterpret_cast<uv_handle_t*>(&fs->timer_), fs_closed);
}

constexpr frame_source_ops k_ops = {fs_start, fs_stop, fs_release, fs_close};

}  // namespace

file_source::~file_source() {
  // Memory is freed in the close callback; destroying an open source would leave a dangling
  // timer in the loop.
  assert(source.state_ == 0 || source.state_ == 4);
}

error file_source_init(uv_loop_t* loop, file_source* fs, const file_source_options& options) {
  if (options.fps < 1 || options.fps > 1000)
    return error(errc::invalid_argument, "fps must be between 1 and 1000");
  if (options.max_frame_size == 0) return error(errc::invalid_argument, "max_frame_size is 0");
  if (options.mime_type.empty() || options.mime_type.size() >= sizeof fs->mime_)
    return error(errc::invalid_argument, "mime_type is empty or longer than 127 bytes");
  std::string path(options.path);
  struct stat st {};
  if (path.empty() || ::stat(path.c_str(), &st) != 0)
    return errorf(errc::invalid_argument, "cannot read %s: errno %lld", path.c_str(), errno);

  std::vector<std::string> files;
  if (S_ISDIR(st.st_mode)) {
    DIR* dir = ::opendir(path.c_str());
    if (dir == nullptr)
      return errorf(errc::invalid_argument, "cannot list %s: errno %lld", path.c_str(), errno);
    while (dirent* entry = ::readdir(dir)) {
      if (entry->d_name[0] == '.' || !has_jpeg_extension(entry->d_name)) continue;
      files.push_back(path + "/" + entry->d_name);
    }
    ::closedir(dir);
    std::sort(files.begin(), files.end());
    if (files.empty())
      return errorf(errc::invalid_argument, "no .jpg or .jpeg files in %s", path.c_str());
  } else {
    files.push_back(path);
  }
  for (const std::string& f : files) {
    struct stat fst {};
    if (::stat(f.c_str(), &fst) != 0 || !S_ISREG(fst.st_mode))
      return errorf(errc::invalid_argument, "%s is not a readable file (errno %lld)", f.c_str(),
                    errno);
    if (static_cast<std::uint64_t>(fst.st_size) > options.max_frame_size)
      return errorf(errc::invalid_argument, "%s is %lld bytes, larger than max_frame_size (%lld)",
                    f.c_str(), static_cast<long long>(fst.st_size),
                    static_cast<long long>(options.max_frame_size));
  }

  if (int rc = uv_timer_init(loop, &fs->timer_))
    return error(errc::invalid_argument, uv_strerror(rc));
  fs->timer_.data = fs;
  fs->files_ = std::move(files);
  fs->buffer_.reset(new unsigned char[options.max_frame_size]);
  fs->max_frame_size_ = options.max_frame_size;
  fs->next_ = 0;
  fs->interval_ms_ = 1000 / options.fps;
  fs->loop_ = options.loop;
  std::memcpy(fs->mime_, options.mime_type.data(), options.mime_type.size());
  fs->mime_[options.mime_type.size()] = '\0';
  fs->source = frame_source();
  fs->source.loop = loop;
  fs->source.ops_ = &k_ops;
  fs->source.port_ = fs;
  fs->source.state_ = 1;
  return error();
}

}  // namespace replicate
