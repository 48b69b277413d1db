// Verify a Replicate webhook delivery offline: the secret, the three webhook-* headers and the raw
// body saved to a file (or "-" for stdin). Prints "ok", or the error and why; exit status 0 or 1
// (2 for usage). Handy for checking a captured delivery or a receiver's secret.
//
//   webhook_verify [--tolerance SECONDS] SECRET WEBHOOK_ID WEBHOOK_TIMESTAMP WEBHOOK_SIGNATURE
//   BODY_FILE webhook_verify --tolerance 0 "$REPLICATE_WEBHOOK_SECRET" msg_123 1700000000 "v1,..."
//   body.json
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include "replicate/webhook.hpp"

static int usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s [--tolerance SECONDS] SECRET WEBHOOK_ID WEBHOOK_TIMESTAMP "
               "WEBHOOK_SIGNATURE BODY_FILE\n"
               "  SECRET             whsec_... (GET /v1/webhooks/default/secret)\n"
               "  BODY_FILE          the raw request body, byte for byte; - reads stdin\n"
               "  --tolerance N      accepted clock skew in seconds (default 300; 0 disables,\n"
               "                     e.g. for a delivery captured earlier)\n",
               argv0);
  return 2;
}

static bool body_read(const char* path, std::string* out) {
  if (std::strcmp(path, "-") == 0) {
    std::ostringstream buf;
    buf << std::cin.rdbuf();
    *out = buf.str();
    return !std::cin.bad();
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) return false;
  out->assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  return !file.bad();
}

int main(int argc, char** argv) {
  replicate::webhook_verify_options options;
  int arg = 1;
  if (arg < argc && std::strcmp(argv[arg], "--tolerance") == 0) {
    if (arg + 1 >= argc) return usage(argv[0]);
    char* end = nullptr;
    long long seconds = std::strtoll(argv[arg + 1], &end, 10);
    if (*argv[arg + 1] == '\0' || *end != '\0' || seconds < 0) return usage(argv[0]);
    options.tolerance = std::chrono::seconds(seconds);
    arg += 2;
  }
  if (argc - arg != 5) return usage(argv[0]);

  std::string body;
  if (!body_read(argv[arg + 4], &body)) {
    std::fprintf(stderr, "cannot read %s\n", argv[arg + 4]);
    return 1;
  }
  replicate::webhook_headers headers{argv[arg + 1], argv[arg + 2], argv[arg + 3]};
  replicate::error e = replicate::webhook_verify(argv[arg], headers, body, options);
  if (!e) {
    std::printf("ok\n");
    return 0;
  }
  char text[512];
  std::printf("%.*s\n", static_cast<int>(e.describe(text, sizeof text).size()), text);
  return 1;
}
