// replicate::v4l2_source: MJPEG frames from a V4L2 camera (USB UVC webcams on a Raspberry Pi or
// a Jetson), with mmap buffers and a uv_poll on the device. Part of the replicate_ports library.
//
// init: open (non-blocking), VIDIOC_QUERYCAP (capture + streaming), VIDIOC_S_FMT MJPEG at
// width x height, VIDIOC_S_PARM 1/fps (best effort: some drivers refuse it), VIDIOC_REQBUFS,
// VIDIOC_QUERYBUF + mmap for each buffer. start: VIDIOC_QBUF every free buffer, VIDIOC_STREAMON,
// then uv_poll_start (V4L2 reports POLLERR before STREAMON and the first QBUF, so polling starts
// only after them). When readable: VIDIOC_DQBUF until EAGAIN; the newest frame is offered, older
// ones and frames the consumer has no room for are requeued at once and counted as dropped.
// A released frame's buffer is requeued. stop: uv_poll_stop, VIDIOC_STREAMOFF.
//
// Unplug: libuv reports POLLERR as UV_EBADF and stops the poll; the source then reports
// errc::device through the frame callback once and stays stopped (it does not spin). Close it
// and init it again when the camera is back.
//
// Many UVC cameras omit the Huffman table (DHT) from MJPEG frames; strict decoders reject such
// frames. The source passes frames on as the camera sends them.
#pragma once

#include <uv.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "replicate/error.hpp"
#include "replicate/frame_source.hpp"

// Most mmap buffers a v4l2_source holds. Possible values: 2 to 32. Default value: 8.
#ifndef REPLICATE_V4L2_MAX_BUFFERS
#define REPLICATE_V4L2_MAX_BUFFERS 8
#endif

namespace replicate {

// The system calls the source makes, replaceable for tests (a fake camera) or for a device
// behind another layer. A null member uses the real call; `user` is passed to each. They follow
// the POSIX conventions: -1 (MAP_FAILED for mmap) and errno on failure.
struct v4l2_syscalls {
  void* user = nullptr;
  int (*open)(void* user, const char* path, int flags) = nullptr;
  int (*close)(void* user, int fd) = nullptr;
  int (*ioctl)(void* user, int fd, unsigned long request, void* arg) = nullptr;
  void* (*mmap)(void* user, std::size_t length, int prot, int flags, int fd,
                std::int64_t offset) = nullptr;
  int (*munmap)(void* user, void* addr, std::size_t length) = nullptr;
};

struct v4l2_source_options {
  std::string_view device = "/dev/video0";
  unsigned width = 640;
  unsigned height = 480;
  unsigned fps = 15;
  unsigned buffer_count = 4;                // asked of the driver (2 to REPLICATE_V4L2_MAX_BUFFERS)
  const v4l2_syscalls* syscalls = nullptr;  // copied; null: the real system calls
};

// Caller-allocated; neither copyable nor movable (uv handles inside). Members but `source` and
// the read-only ones are private. The destructor asserts that it was closed (or never
// initialised).
struct v4l2_source {
  frame_source source;        // pass &cam.source to frame_source_start/stop/release/close
  unsigned width = 0;         // read-only: what the driver chose (it may differ from the options)
  unsigned height = 0;        // read-only
  unsigned buffer_count = 0;  // read-only: buffers the driver gave

  v4l2_source() = default;
  ~v4l2_source();
  v4l2_source(const v4l2_source&) = delete;
  v4l2_source& operator=(const v4l2_source&) = delete;

  struct buffer_ {
    void* start = nullptr;
    std::size_t length = 0;
    bool queued = false;
    frame f;
  };
  uv_poll_t poll_{};
  v4l2_syscalls sys_;
  int fd_ = -1;
  bool streaming_ = false;
  bool failed_ = false;
  buffer_ buffers_[REPLICATE_V4L2_MAX_BUFFERS];
  char device_[128] = {};
};

// Opens and configures the device and maps its buffers (see the top of this file). Errors
// (nothing to close then; the device is closed again): invalid_argument (an option out of
// range, a device path of 128 bytes or more), device (open failed, not a capture device with
// streaming, no MJPEG at any size, REQBUFS gave fewer than 2 buffers, QUERYBUF or mmap failed,
// uv_poll_init failed; the detail names the step and errno).
[[nodiscard]] error v4l2_source_init(uv_loop_t* loop, v4l2_source* cam,
                                     const v4l2_source_options& options);

}  // namespace replicate
