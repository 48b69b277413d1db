// Shared helpers for the benchmarks: process CPU time and memory, and starting the emulator.
#pragma once

#include <malloc.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern char** environ;

namespace bench {

inline double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// A field of /proc/self/status in kB (VmHWM: peak RSS, VmRSS, RssAnon).
inline long status_kb(const char* field) {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return -1;
  char line[256];
  long value = -1;
  std::size_t n = std::strlen(field);
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::strncmp(line, field, n) == 0 && line[n] == ':') {
      value = std::strtol(line + n + 1, nullptr, 10);
      break;
    }
  }
  std::fclose(f);
  return value;
}

inline long heap_in_use() { return static_cast<long>(mallinfo2().uordblks); }

struct emulator {
  pid_t pid = -1;
  int stdin_fd = -1;
  std::string base_url;
};

// Starts the emulator binary with --port 0 plus args and reads its base URL.
inline bool emulator_start(emulator* e, const char* path, std::vector<const char*> args) {
  int in[2];
  int out[2];
  if (pipe(in) != 0 || pipe(out) != 0) return false;
  std::vector<const char*> argv = {path, "--port", "0", "--exit-on-stdin-eof"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_addclose(&fa, in[1]);
  posix_spawn_file_actions_addclose(&fa, out[0]);
  int rc = posix_spawn(&e->pid, path, &fa, nullptr, const_cast<char**>(argv.data()), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(in[0]);
  close(out[1]);
  if (rc != 0) return false;
  e->stdin_fd = in[1];
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n') e->base_url.push_back(c);
  close(out[0]);
  return e->base_url.rfind("http://", 0) == 0;
}

inline void emulator_stop(emulator* e) {
  if (e->stdin_fd >= 0) close(e->stdin_fd);
  if (e->pid > 0) {
    kill(e->pid, SIGTERM);
    waitpid(e->pid, nullptr, 0);
  }
  e->pid = -1;
}

inline const char* emulator_path(int argc, char** argv) {
  if (argc > 1) return argv[1];
  const char* env = std::getenv("REPLICATE_EMULATOR");
  return env != nullptr ? env : "emulator/replicate-emulator";
}

}  // namespace bench
