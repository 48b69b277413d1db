// replicate::file_source: replays JPEG files as camera frames, for tests, demos and machines
// without a camera. Part of the replicate_ports library.
//
// A directory is replayed in byte order of the file names (only *.jpg and *.jpeg, any case;
// hidden files skipped), one file per tick of a uv timer at `fps`, looping by default. Each
// frame is read into one buffer of max_frame_size bytes allocated at init, so a frame is read
// only when it will be delivered (a dropped tick reads nothing). Reads are synchronous on the
// loop thread: fine for small files in the page cache, which is what this source is for.
#pragma once

#include <uv.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "replicate/error.hpp"
#include "replicate/frame_source.hpp"

namespace replicate {

struct file_source_options {
  std::string_view path;  // a JPEG file, or a directory of them
  unsigned fps = 10;      // 1 to 1000 (the timer has millisecond resolution)
  bool loop = true;       // after the last file, start again; false ends the source
  // The buffer: a larger file is an error, never truncated. Default value: 4 MiB (a 1080p JPEG
  // is ~0.3-1 MB).
  std::size_t max_frame_size = 4u << 20;
  std::string_view mime_type = "image/jpeg";  // reported in frame::mime_type; copied
};

// Caller-allocated; neither copyable nor movable (uv handles inside). Members but `source` are
// private. The destructor asserts that it was closed (or never initialised).
struct file_source {
  frame_source source;  // pass &fs.source to frame_source_start/stop/release/close

  file_source() = default;
  ~file_source();
  file_source(const file_source&) = delete;
  file_source& operator=(const file_source&) = delete;

  uv_timer_t timer_{};
  std::vector<std::string> files_;
  std::unique_ptr<unsigned char[]> buffer_;
  std::size_t max_frame_size_ = 0;
  std::size_t next_ = 0;  // the file of the next tick
  std::uint64_t interval_ms_ = 0;
  bool loop_ = true;
  char mime_[128] = {};
  frame frame_;
};

// Lists the files, checks their sizes, allocates the buffer and inits the timer. Errors (nothing
// to close then): invalid_argument (fps out of range, max_frame_size 0, an invalid MIME type,
// a path that cannot be read, a directory without *.jpg/*.jpeg files, a file larger than
// max_frame_size: the detail names it). The options' views are copied.
[[nodiscard]] error file_source_init(uv_loop_t* loop, file_source* fs,
                                     const file_source_options& options);

}  // namespace replicate
