#include "support/emulator_process.hpp"

#include <curl/curl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

extern char** environ;

namespace replicate::test {

bool emulator_start(emulator_process* emu, const char* const* extra_args) {
  const char* path = std::getenv("REPLICATE_EMULATOR");
  if (path == nullptr || *path == '\0') {
    std::fprintf(stderr, "REPLICATE_EMULATOR is not set (run the test through ctest)\n");
    return false;
  }
  int to_child[2];
  int from_child[2];
  if (pipe(to_child) != 0 || pipe(from_child) != 0) return false;

  std::vector<const char*> argv = {path, "--port", "0", "--exit-on-stdin-eof"};
  for (const char* const* a = extra_args; a != nullptr && *a != nullptr; ++a) argv.push_back(*a);
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, to_child[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, from_child[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, to_child[1]);
  posix_spawn_file_actions_addclose(&actions, from_child[0]);
  int rc =
      posix_spawn(&emu->pid, path, &actions, nullptr, const_cast<char**>(argv.data()), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(to_child[0]);
  close(from_child[1]);
  if (rc != 0) {
    std::fprintf(stderr, "cannot start %s: %s\n", path, std::strerror(rc));
    close(to_child[1]);
    close(from_child[0]);
    return false;
  }
  emu->stdin_fd = to_child[1];

  // The first line the emulator prints is its base URL.
  std::string line;
  char c;
  while (read(from_child[0], &c, 1) == 1 && c != '\n') line.push_back(c);
  close(from_child[0]);
  if (line.rfind("http://", 0) != 0) {
    std::fprintf(stderr, "emulator printed no base URL (got '%s')\n", line.c_str());
    emulator_stop(emu);
    return false;
  }
  emu->base_url = line;
  std::size_t slash = line.find('/', std::strlen("http://"));
  emu->origin = line.substr(0, slash);
  return true;
}

void emulator_stop(emulator_process* emu) {
  if (emu->stdin_fd >= 0) close(emu->stdin_fd);
  emu->stdin_fd = -1;
  if (emu->pid > 0) {
    kill(emu->pid, SIGTERM);
    int status = 0;
    waitpid(emu->pid, &status, 0);
  }
  emu->pid = -1;
}

namespace {
size_t collect(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}
}  // namespace

http_reply emulator_call(const emulator_process& emu, std::string_view method,
                         std::string_view path, std::string_view body, std::string_view auth) {
  http_reply reply;
  CURL* curl = curl_easy_init();
  std::string url = path.rfind("http", 0) == 0 ? std::string(path) : emu.origin + std::string(path);
  std::string m(method);
  std::string b(body);
  std::string authorization = "Authorization: Bearer " + std::string(auth);
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  if (!auth.empty()) headers = curl_slist_append(headers, authorization.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, m.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  if (!body.empty() || m == "POST") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, b.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(b.size()));
  }
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  if (curl_easy_perform(curl) == CURLE_OK)
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return reply;
}

}  // namespace replicate::test
