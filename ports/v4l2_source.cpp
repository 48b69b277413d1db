// v4l2_source: the V4L2 streaming-I/O sequence on a uv_poll, through an injectable syscall layer.
#include "replicate/ports/v4l2_source.hpp"

#include <fcntl.h>
#include <linux/videodev2.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace replicate {
namespace {

v4l2_source* owner(frame_source* s) { return static_cast<v4l2_source*>(s->port_); }

int real_open(void*, const char* path, int flags) { return ::open(path, flags); }
int real_close(void*, int fd) { return ::close(fd); }
int real_ioctl(void*, int fd, unsigned long request, void* arg) {
  int rc;
  do {
    rc = ::ioctl(fd, request, arg);
  } while (rc < 0 && errno == EINTR);
  return rc;
}
void* real_mmap(void*, std::size_t length, int prot, int flags, int fd, std::int64_t offset) {
  return ::mmap(nullptr, length, prot, flags, fd, static_cast<off_t>(offset));
}
int real_munmap(void*, void* addr, std::size_t length) { return ::munmap(addr, length); }

int xioctl(v4l2_source* cam, unsigned long request, void* arg) {
  return cam->sys_.ioctl(cam->sys_.user, cam->fd_, request, arg);
}

error step_error(const v4l2_source* cam, const char* step, int err) {
  char buf[256];
  int n =
      std::snprintf(buf, sizeof buf, "%s: %s failed: %s", cam->device_, step, std::strerror(err));
  return error(errc::device, std::string_view(buf, n > 0 ? static_cast<std::size_t>(n) : 0));
}

bool queue(v4l2_source* cam, std::uint32_t index) {
  v4l2_buffer b{};
  b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  b.memory = V4L2_MEMORY_MMAP;
  b.index = index;
  if (xioctl(cam, VIDIOC_QBUF, &b) != 0) return false;
  cam->buffers_[index].queued = true;
  return true;
}

void stream_off(v4l2_source* cam) {
  if (!cam->streaming_) return;
  cam->streaming_ = false;
  int type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  xioctl(cam, VIDIOC_STREAMOFF, &type);  // a failure (device gone) leaves nothing to undo
  // STREAMOFF dequeues every buffer.
  for (unsigned i = 0; i < cam->buffer_count; ++i) cam->buffers_[i].queued = false;
}

void fail(v4l2_source* cam, const error& e) {
  cam->failed_ = true;
  detail::frame_source_fail(&cam->source, e);  // stops: poll and stream off
}

void on_readable(uv_poll_t* handle, int status, int) {
  auto* cam = static_cast<v4l2_source*>(handle->data);
  if (status < 0) {
    // POLLERR (UV_EBADF): the camera went away. libuv has stopped the poll already.
    char buf[200];
    int n = std::snprintf(buf, sizeof buf, "%s: poll reported %s (device unplugged?)", cam->device_,
                          uv_strerror(status));
    fail(cam, error(errc::device, std::string_view(buf, n > 0 ? static_cast<std::size_t>(n) : 0)));
    return;
  }
  // Drain: only the newest ready frame is worth offering.
  int newest = -1;
  v4l2_buffer newest_b{};
  for (;;) {
    v4l2_buffer b{};
    b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    b.memory = V4L2_MEMORY_MMAP;
    if (xioctl(cam, VIDIOC_DQBUF, &b) != 0) {
      if (errno == EAGAIN) break;
      fail(cam, step_error(cam, "VIDIOC_DQBUF", errno));
      return;
    }
    if (b.index >= cam->buffer_count) continue;  // not ours: a driver bug, nothing to requeue
    cam->buffers_[b.index].queued = false;
    if (newest >= 0) {
      detail::frame_source_count_drop(&cam->source);
      if (!queue(cam, static_cast<std::uint32_t>(newest))) {
        fail(cam, step_error(cam, "VIDIOC_QBUF", errno));
        return;
      }
    }
    newest = static_cast<int>(b.index);
    newest_b = b;
  }
  if (newest < 0) return;
  v4l2_source::buffer_& buf = cam->buffers_[newest];
  if ((newest_b.flags & V4L2_BUF_FLAG_ERROR) != 0 || newest_b.bytesused == 0 ||
      newest_b.bytesused > buf.length) {
    detail::frame_source_count_drop(&cam->source);
    if (!queue(cam, static_cast<std::uint32_t>(newest)))
      fail(cam, step_error(cam, "VIDIOC_QBUF", errno));
    return;
  }
  buf.f.data = static_cast<const unsigned char*>(buf.start);
  buf.f.size = newest_b.bytesused;
  buf.f.mime_type = "image/jpeg";
  buf.f.sequence = cam->source.stats.captured;
  buf.f.time_ms = uv_now(handle->loop);
  buf.f.index_ = static_cast<std::uint32_t>(newest);
  if (!detail::frame_source_offer(&cam->source, &buf.f)) {
    // The consumer holds a frame: latest frame wins, so this one goes straight back.
    if (cam->streaming_ && !queue(cam, static_cast<std::uint32_t>(newest)))
      fail(cam, step_error(cam, "VIDIOC_QBUF", errno));
  }
}

error cam_start(frame_source* s) {
  v4l2_source* cam = owner(s);
  if (cam->failed_) return error(errc::device, "the device failed earlier; close and init again");
  for (unsigned i = 0; i < cam->buffer_count; ++i) {
    const frame* held = s->held_;
    if (cam->buffers_[i].queued || (held != nullptr && held->index_ == i)) continue;
    if (!queue(cam, i)) return step_error(cam, "VIDIOC_QBUF", errno);
  }
  int type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  if (xioctl(cam, VIDIOC_STREAMON, &type) != 0) {
    error e = step_error(cam, "VIDIOC_STREAMON", errno);
    for (unsigned i = 0; i < cam->buffer_count; ++i) cam->buffers_[i].queued = false;
    return e;
  }
  cam->streaming_ = true;
  if (int rc = uv_poll_start(&cam->poll_, UV_READABLE, on_readable)) {
    stream_off(cam);
    return error(errc::device, uv_strerror(rc));
  }
  return error();
}

void cam_stop(frame_source* s) {
  v4l2_source* cam = owner(s);
  uv_poll_stop(&cam->poll_);
  stream_off(cam);
}

void cam_release(frame_source* s, const frame* f) {
  v4l2_source* cam = owner(s);
  // Stopped: the buffer waits for the next start, which queues every free buffer.
  if (!cam->streaming_ || f->index_ >= cam->buffer_count) return;
  if (!queue(cam, f->index_)) fail(cam, step_error(cam, "VIDIOC_QBUF", errno));
}

void unmap_and_close(v4l2_source* cam) {
  for (unsigned i = 0; i < cam->buffer_count; ++i) {
    v4l2_source::buffer_& b = cam->buffers_[i];
    if (b.start != nullptr) cam->sys_.munmap(cam->sys_.user, b.start, b.length);
    b = v4l2_source::buffer_();
  }
  cam->buffer_count = 0;
  if (cam->fd_ >= 0) cam->sys_.close(cam->sys_.user, cam->fd_);
  cam->fd_ = -1;
}

void cam_closed(uv_handle_t* handle) {
  auto* cam = static_cast<v4l2_source*>(handle->data);
  // Only now: an fd must not be closed while a poll handle watches it.
  unmap_and_close(cam);
  detail::frame_source_closed(&cam->source);
}

void cam_close(frame_source* s) {
  v4l2_source* cam = owner(s);
  uv_poll_stop(&cam->poll_);
  stream_off(cam);
  uv_close(reinterpret_cast<uv_handle_t*>(&cam->poll_), cam_closed);
}

constexpr frame_source_ops k_ops = {cam_start, cam_stop, cam_release, cam_close};

}  // namespace

v4l2_source::~v4l2_source() { assert(source.state_ == 0 || source.state_ == 4); }

error v4l2_source_init(uv_loop_t* loop, v4l2_source* cam, const v4l2_source_options& options) {
  if (options.device.empty() || options.device.size() >= sizeof cam->device_)
    return error(errc::invalid_argument, "device path is empty or 128 bytes or longer");
  if (options.width == 0 || options.height == 0)
    return error(errc::invalid_argument, "width and height must be positive");
  if (options.fps == 0 || options.fps > 1000)
    return error(errc::invalid_argument, "fps must be between 1 and 1000");
  if (options.buffer_count < 2 || options.buffer_count > REPLICATE_V4L2_MAX_BUFFERS)
    return error(errc::invalid_argument,
                 "buffer_count must be between 2 and REPLICATE_V4L2_MAX_BUFFERS");

  v4l2_syscalls sys = options.syscalls != nullptr ? *options.syscalls : v4l2_syscalls();
  if (sys.open == nullptr) sys.open = real_open;
  if (sys.close == nullptr) sys.close = real_close;
  if (sys.ioctl == nullptr) sys.ioctl = real_ioctl;
  if (sys.mmap == nullptr) sys.mmap = real_mmap;
  if (sys.munmap == nullptr) sys.munmap = real_munmap;
  cam->sys_ = sys;
  std::memcpy(cam->device_, options.device.data(), options.device.size());
  cam->device_[options.device.size()] = '\0';
  cam->streaming_ = false;
  cam->failed_ = false;
  cam->buffer_count = 0;
  for (auto& b : cam->buffers_) b = v4l2_source::buffer_();

  cam->fd_ = sys.open(sys.user, cam->device_, O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (cam->fd_ < 0) return step_error(cam, "open", errno);

  auto give_up = [cam](error e) {
    unmap_and_close(cam);
    return e;
  };
  v4l2_capability cap{};
  if (xioctl(cam, VIDIOC_QUERYCAP, &cap) != 0)
    return give_up(step_error(cam, "VIDIOC_QUERYCAP", errno));
  std::uint32_t caps =
      (cap.capabilities & V4L2_CAP_DEVICE_CAPS) != 0 ? cap.device_caps : cap.capabilities;
  if ((caps & V4L2_CAP_VIDEO_CAPTURE) == 0 || (caps & V4L2_CAP_STREAMING) == 0) {
    char buf[200];
    int n = std::snprintf(buf, sizeof buf, "%s is not a video capture device with streaming I/O",
                          cam->device_);
    return give_up(
        error(errc::device, std::string_view(buf, n > 0 ? static_cast<std::size_t>(n) : 0)));
  }

  v4l2_format fmt{};
  fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  fmt.fmt.pix.width = options.width;
  fmt.fmt.pix.height = options.height;
  fmt.fmt.pix.pixelformat = V4L2_PIX_FMT_MJPEG;
  fmt.fmt.pix.field = V4L2_FIELD_ANY;
  if (xioctl(cam, VIDIOC_S_FMT, &fmt) != 0) return give_up(step_error(cam, "VIDIOC_S_FMT", errno));
  // The driver answers with the nearest format it has: no MJPEG means raw frames only.
  if (fmt.fmt.pix.pixelformat != V4L2_PIX_FMT_MJPEG) {
    char buf[200];
    int n = std::snprintf(buf, sizeof buf,
                          "%s does not offer MJPEG (it chose another pixel format)", cam->device_);
    return give_up(
        error(errc::device, std::string_view(buf, n > 0 ? static_cast<std::size_t>(n) : 0)));
  }
  cam->width = fmt.fmt.pix.width;
  cam->height = fmt.fmt.pix.height;

  v4l2_streamparm parm{};
  parm.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  parm.parm.capture.timeperframe.numerator = 1;
  parm.parm.capture.timeperframe.denominator = options.fps;
  xioctl(cam, VIDIOC_S_PARM, &parm);  // best effort: some drivers have a fixed rate

  v4l2_requestbuffers req{};
  req.count = options.buffer_count;
  req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  req.memory = V4L2_MEMORY_MMAP;
  if (xioctl(cam, VIDIOC_REQBUFS, &req) != 0)
    return give_up(step_error(cam, "VIDIOC_REQBUFS", errno));
  if (req.count < 2)
    return give_up(step_error(cam, "VIDIOC_REQBUFS (fewer than 2 buffers)", ENOMEM));
  unsigned count = req.count < options.buffer_count ? req.count : options.buffer_count;
  for (unsigned i = 0; i < count; ++i) {
    v4l2_buffer b{};
    b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    b.memory = V4L2_MEMORY_MMAP;
    b.index = i;
    if (xioctl(cam, VIDIOC_QUERYBUF, &b) != 0)
      return give_up(step_error(cam, "VIDIOC_QUERYBUF", errno));
    void* start =
        sys.mmap(sys.user, b.length, PROT_READ | PROT_WRITE, MAP_SHARED, cam->fd_, b.m.offset);
    if (start == MAP_FAILED) return give_up(step_error(cam, "mmap", errno));
    cam->buffers_[i].start = start;
    cam->buffers_[i].length = b.length;
    cam->buffer_count = i + 1;
  }

  if (int rc = uv_poll_init(loop, &cam->poll_, cam->fd_)) {
    char buf[200];
    int n = std::snprintf(buf, sizeof buf, "%s: uv_poll_init failed: %s", cam->device_,
                          uv_strerror(rc));
    return give_up(
        error(errc::device, std::string_view(buf, n > 0 ? static_cast<std::size_t>(n) : 0)));
  }
  cam->poll_.data = cam;
  cam->source = frame_source();
  cam->source.loop = loop;
  cam->source.ops_ = &k_ops;
  cam->source.port_ = cam;
  cam->source.state_ = 1;
  return error();
}

}  // namespace replicate
