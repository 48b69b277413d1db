#include "ports/fake_camera.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace replicate::test {
namespace {

// A connected loopback TCP pair: a is the device end (non-blocking), b the camera's end.
void tcp_pair(int* a, int* b) {
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listener, 1) != 0 ||
      ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    std::abort();
  *a = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (*a < 0 || ::connect(*a, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) std::abort();
  *b = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
  if (*b < 0) std::abort();
  ::close(listener);
}

int fake_open(void* user, const char*, int flags) {
  auto* cam = static_cast<fake_camera*>(user);
  cam->calls.push_back("open");
  if (cam->open_errno != 0) {
    errno = cam->open_errno;
    return -1;
  }
  if ((flags & O_NONBLOCK) == 0) std::abort();  // DQBUF must be able to say EAGAIN
  ++cam->opens;
  tcp_pair(&cam->dev_fd, &cam->peer_fd);
  int dev = cam->dev_fd;
  int fl = ::fcntl(dev, F_GETFL);
  ::fcntl(dev, F_SETFL, fl | O_NONBLOCK);
  return dev;
}

int fake_close(void* user, int fd) {
  auto* cam = static_cast<fake_camera*>(user);
  cam->calls.push_back("close");
  if (fd != cam->dev_fd) std::abort();
  ++cam->closes;
  cam->dev_fd = -1;
  return ::close(fd);
}

int fail(int err) {
  errno = err;
  return -1;
}

int fake_ioctl(void* user, int fd, unsigned long request, void* arg) {
  auto* cam = static_cast<fake_camera*>(user);
  if (fd != cam->dev_fd) return fail(EBADF);
  switch (request) {
    case VIDIOC_QUERYCAP: {
      cam->calls.push_back("QUERYCAP");
      auto* cap = static_cast<v4l2_capability*>(arg);
      std::memset(cap, 0, sizeof *cap);
      std::strcpy(reinterpret_cast<char*>(cap->driver), "fake");
      cap->capabilities = V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_STREAMING | V4L2_CAP_DEVICE_CAPS;
      cap->device_caps = V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_STREAMING;
      return 0;
    }
    case VIDIOC_S_FMT: {
      cam->calls.push_back("S_FMT");
      auto* fmt = static_cast<v4l2_format*>(arg);
      if (fmt->type != V4L2_BUF_TYPE_VIDEO_CAPTURE) return fail(EINVAL);
      fmt->fmt.pix.pixelformat = cam->pixelformat != 0 ? cam->pixelformat : V4L2_PIX_FMT_MJPEG;
      fmt->fmt.pix.width = fmt->fmt.pix.width > 1280 ? 1280 : fmt->fmt.pix.width;
      cam->width = fmt->fmt.pix.width;
      cam->height = fmt->fmt.pix.height;
      fmt->fmt.pix.sizeimage = static_cast<std::uint32_t>(cam->buffer_length);
      return 0;
    }
    case VIDIOC_S_PARM: {
      cam->calls.push_back("S_PARM");
      auto* parm = static_cast<v4l2_streamparm*>(arg);
      cam->fps_numerator = parm->parm.capture.timeperframe.numerator;
      cam->fps_denominator = parm->parm.capture.timeperframe.denominator;
      return 0;
    }
    case VIDIOC_REQBUFS: {
      cam->calls.push_back("REQBUFS");
      auto* req = static_cast<v4l2_requestbuffers*>(arg);
      if (req->memory != V4L2_MEMORY_MMAP) return fail(EINVAL);
      if (req->count > cam->max_buffers) req->count = cam->max_buffers;
      cam->memory.assign(req->count, std::vector<unsigned char>(cam->buffer_length));
      cam->queued.assign(req->count, false);
      return 0;
    }
    case VIDIOC_QUERYBUF: {
      cam->calls.push_back("QUERYBUF");
      auto* b = static_cast<v4l2_buffer*>(arg);
      if (b->index >= cam->memory.size()) return fail(EINVAL);
      b->length = static_cast<std::uint32_t>(cam->buffer_length);
      b->m.offset = static_cast<std::uint32_t>(b->index * cam->buffer_length);
      return 0;
    }
    case VIDIOC_QBUF: {
      cam->calls.push_back("QBUF");
      auto* b = static_cast<v4l2_buffer*>(arg);
      if (b->index >= cam->memory.size() || cam->queued[b->index]) return fail(EINVAL);
      cam->queued[b->index] = true;
      cam->queue_order.push_back(b->index);
      return 0;
    }
    case VIDIOC_DQBUF: {
      cam->calls.push_back("DQBUF");
      if (!cam->streaming) {
        cam->dqbuf_while_not_streaming = true;
        return fail(EINVAL);
      }
      if (cam->queue_order.empty()) return fail(EAGAIN);
      char token;
      ssize_t got = ::recv(fd, &token, 1, MSG_DONTWAIT);
      if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return fail(EAGAIN);
      if (got <= 0) return fail(ENODEV);
      std::uint32_t index = cam->queue_order.front();
      cam->queue_order.pop_front();
      cam->queued[index] = false;
      const std::string& jpeg = cam->frames[cam->next_frame++ % cam->frames.size()];
      std::memcpy(cam->memory[index].data(), jpeg.data(), jpeg.size());
      auto* b = static_cast<v4l2_buffer*>(arg);
      b->index = index;
      b->bytesused = static_cast<std::uint32_t>(jpeg.size());
      b->flags = 0;
      b->sequence = cam->sequence++;
      return 0;
    }
    case VIDIOC_STREAMON:
      cam->calls.push_back("STREAMON");
      cam->streaming = true;
      return 0;
    case VIDIOC_STREAMOFF:
      cam->calls.push_back("STREAMOFF");
      cam->streaming = false;
      cam->queue_order.clear();
      cam->queued.assign(cam->queued.size(), false);
      return 0;
    default:
      return fail(ENOTTY);
  }
}

void* fake_mmap(void* user, std::size_t length, int, int, int fd, std::int64_t offset) {
  auto* cam = static_cast<fake_camera*>(user);
  cam->calls.push_back("mmap");
  std::size_t index = static_cast<std::size_t>(offset) / cam->buffer_length;
  if (fd != cam->dev_fd || index >= cam->memory.size() || length != cam->buffer_length) {
    errno = EINVAL;
    return MAP_FAILED;
  }
  ++cam->mapped;
  return cam->memory[index].data();
}

int fake_munmap(void* user, void*, std::size_t) {
  auto* cam = static_cast<fake_camera*>(user);
  cam->calls.push_back("munmap");
  --cam->mapped;
  return 0;
}

}  // namespace

fake_camera::~fake_camera() {
  if (peer_fd >= 0) ::close(peer_fd);
}

std::size_t fake_camera::queued_count() const { return queue_order.size(); }

v4l2_syscalls fake_camera::syscalls() {
  v4l2_syscalls s;
  s.user = this;
  s.open = fake_open;
  s.close = fake_close;
  s.ioctl = fake_ioctl;
  s.mmap = fake_mmap;
  s.munmap = fake_munmap;
  return s;
}

void fake_camera::push(int n) {
  std::string bytes(static_cast<std::size_t>(n), 'f');
  if (::send(peer_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) != n) std::abort();
}

void fake_camera::unplug() {
  linger l{1, 0};
  ::setsockopt(peer_fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  ::close(peer_fd);  // RST: the device end reports POLLERR
  peer_fd = -1;
}

}  // namespace replicate::test
