// replicate-emulator: a local, offline stand-in for Replicate's HTTP API (see README.md).
// The first line on stdout is the API base URL; tests and benchmarks read it to find us.
#include <signal.h>
#include <sys/resource.h>
#include <uv.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "catalog.hpp"
#include "config.hpp"
#include "http_server.hpp"
#include "routes.hpp"
#include "webhooks.hpp"

namespace emu {
config g_config;
uv_loop_t* g_loop = nullptr;
}  // namespace emu

namespace {

const char usage[] =
    "usage: replicate-emulator [options]\n"
    "  --port N              API port (default 0: ephemeral)\n"
    "  --host H              address to listen on (default 127.0.0.1)\n"
    "  --stream-port N       streaming / file-delivery port (default 0: ephemeral)\n"
    "  --prediction-ms N     create -> succeeded time for ordinary models (default 300)\n"
    "  --polls-to-finish N   advance predictions only on GET polls; succeed on the Nth\n"
    "  --page-size N         list page size (default 100)\n"
    "  --no-request-log      do not record requests for GET /_emulator/requests\n"
    "  --exit-on-stdin-eof   exit when stdin reaches end of file\n"
    "  --quiet               no informational output on stderr\n"
    "  --verbose             print every request and its status on stderr\n"
    "\n"
    "The first stdout line is the API base URL, e.g. http://127.0.0.1:41234/v1\n"
    "Any non-empty 'Authorization: Bearer <token>' is accepted.\n"
    "Webhook signing secret (GET /v1/webhooks/default/secret): "
    "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD\n";

bool parse_int(const char* s, int* out) {
  char* end = nullptr;
  long v = std::strtol(s, &end, 10);
  if (s[0] == '\0' || *end != '\0' || v < 0 || v > 1000000000) return false;
  *out = static_cast<int>(v);
  return true;
}

uv_signal_t sigterm, sigint;
uv_pipe_t stdin_pipe;
uv_tty_t stdin_tty;
char stdin_buf[4096];

void on_signal(uv_signal_t*, int) {
  std::fflush(stdout);
  std::_Exit(0);  // nothing to flush: all state is in memory by design
}

void on_stdin(uv_stream_t*, ssize_t nread, const uv_buf_t*) {
  if (nread < 0) {
    std::fflush(stdout);
    std::_Exit(0);
  }
}

void watch_stdin(uv_loop_t* loop) {
  uv_handle_type type = uv_guess_handle(0);
  uv_stream_t* s = nullptr;
  if (type == UV_NAMED_PIPE && uv_pipe_init(loop, &stdin_pipe, 0) == 0 &&
      uv_pipe_open(&stdin_pipe, 0) == 0) {
    s = reinterpret_cast<uv_stream_t*>(&stdin_pipe);
  } else if (type == UV_TTY && uv_tty_init(loop, &stdin_tty, 0, 1) == 0) {
    s = reinterpret_cast<uv_stream_t*>(&stdin_tty);
  } else if (type == UV_FILE || type == UV_UNKNOWN_HANDLE) {
    // A file or /dev/null is at EOF as far as a supervising test is concerned.
    std::exit(0);
  }
  if (s == nullptr) return;
  uv_read_start(
      s, [](uv_handle_t*, size_t, uv_buf_t* b) { *b = uv_buf_init(stdin_buf, sizeof stdin_buf); },
      on_stdin);
}

}  // namespace

int main(int argc, char** argv) {
  using emu::g_config;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](int* out) {
      if (i + 1 >= argc || !parse_int(argv[i + 1], out)) {
        std::fprintf(stderr, "replicate-emulator: %s needs a non-negative integer\n%s", a.c_str(),
                     usage);
        std::exit(2);
      }
      ++i;
    };
    if (a == "--port") {
      value(&g_config.port);
    } else if (a == "--stream-port") {
      value(&g_config.stream_port);
    } else if (a == "--prediction-ms") {
      value(&g_config.prediction_ms);
    } else if (a == "--polls-to-finish") {
      value(&g_config.polls_to_finish);
    } else if (a == "--page-size") {
      value(&g_config.page_size);
      if (g_config.page_size == 0) g_config.page_size = 1;
    } else if (a == "--host" && i + 1 < argc) {
      g_config.host = argv[++i];
    } else if (a == "--no-request-log") {
      g_config.request_log = false;
    } else if (a == "--exit-on-stdin-eof") {
      g_config.exit_on_stdin_eof = true;
    } else if (a == "--verbose") {
      emu::http_verbose = true;
    } else if (a == "--quiet") {
      g_config.quiet = true;
    } else if (a == "--help" || a == "-h") {
      std::fputs(usage, stdout);
      return 0;
    } else {
      std::fprintf(stderr, "replicate-emulator: unknown option %s\n%s", a.c_str(), usage);
      return 2;
    }
  }

  // Thousands of concurrent keep-alive connections need descriptors.
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
  signal(SIGPIPE, SIG_IGN);

  uv_loop_t* loop = uv_default_loop();
  emu::g_loop = loop;
  emu::catalog_init();
  emu::webhooks_init();

  static emu::http_server api;
  static emu::http_server stream;
  api.kind = emu::port_kind::api;
  api.handler = emu::api_handle;
  stream.kind = emu::port_kind::stream;
  stream.handler = emu::stream_handle;
  int rc = emu::http_server_start(loop, &api, g_config.host.c_str(), g_config.port);
  if (rc == 0)
    rc = emu::http_server_start(loop, &stream, g_config.host.c_str(), g_config.stream_port);
  if (rc != 0) {
    std::fprintf(stderr, "replicate-emulator: cannot listen on %s: %s\n", g_config.host.c_str(),
                 uv_strerror(rc));
    return 1;
  }
  std::string host =
      g_config.host.find(':') != std::string::npos ? "[" + g_config.host + "]" : g_config.host;
  g_config.api_origin = "http://" + host + ":" + std::to_string(api.port);
  g_config.stream_origin = "http://" + host + ":" + std::to_string(stream.port);
  std::printf("%s/v1\n", g_config.api_origin.c_str());
  std::fflush(stdout);
  if (!g_config.quiet)
    std::fprintf(
        stderr, "replicate-emulator: API %s/v1, streams and file delivery %s, prediction %d ms%s\n",
        g_config.api_origin.c_str(), g_config.stream_origin.c_str(), g_config.prediction_ms,
        g_config.polls_to_finish > 0 ? ", finishing by polls" : "");

  uv_signal_init(loop, &sigterm);
  uv_signal_start(&sigterm, on_signal, SIGTERM);
  uv_signal_init(loop, &sigint);
  uv_signal_start(&sigint, on_signal, SIGINT);
  if (g_config.exit_on_stdin_eof) watch_stdin(loop);
  uv_run(loop, UV_RUN_DEFAULT);
  return 0;
}
