// A fake V4L2 MJPEG camera behind v4l2_syscalls, for testing v4l2_source without hardware.
//
// The "device fd" is one end of a loopback TCP connection, so uv_poll sees a real fd: each
// pushed frame sends one byte from the other end (the fd turns readable), DQBUF consumes one
// byte and fills the oldest queued buffer with the next canned JPEG, and EAGAIN comes back when
// no byte is waiting. Unplugging resets the connection (SO_LINGER 0): the fd then reports
// POLLERR, which libuv turns into UV_EBADF, as with a real camera pulled out.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "replicate/ports/v4l2_source.hpp"

namespace replicate::test {

struct fake_camera {
  // Behaviour.
  std::vector<std::string> frames;      // served in turn, looping
  std::uint32_t pixelformat = 0;        // what S_FMT answers; 0 means MJPEG
  std::uint32_t max_buffers = 32;       // REQBUFS clamps to this
  std::size_t buffer_length = 1 << 16;  // each mmap buffer
  int open_errno = 0;                   // non-zero: open fails with it

  // What happened.
  std::vector<std::string> calls;  // "open", "QUERYCAP", "S_FMT", ..., "mmap", "munmap", "close"
  int opens = 0;
  int closes = 0;
  int mapped = 0;  // mmaps minus munmaps
  bool streaming = false;
  bool dqbuf_while_not_streaming = false;  // a DQBUF before STREAMON or after STREAMOFF
  std::uint32_t fps_numerator = 0;
  std::uint32_t fps_denominator = 0;
  std::uint32_t width = 0;
  std::uint32_t height = 0;

  // State.
  int dev_fd = -1;
  int peer_fd = -1;
  std::vector<std::vector<unsigned char>> memory;
  std::vector<bool> queued;
  std::deque<std::uint32_t> queue_order;
  std::size_t next_frame = 0;
  std::uint32_t sequence = 0;

  ~fake_camera();
  std::size_t queued_count() const;
  v4l2_syscalls syscalls();
  void push(int n);  // n frames become ready
  void unplug();
};

}  // namespace replicate::test
