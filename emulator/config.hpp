// Runtime settings: command-line flags, changed later by POST /_emulator/config.
#pragma once

#include <uv.h>

#include <string>

namespace emu {

struct config {
  std::string host = "127.0.0.1";
  int port = 0;
  int stream_port = 0;
  int prediction_ms = 300;  // create -> succeeded for ordinary models
  int polls_to_finish = 0;  // > 0: predictions advance only on GET polls
  int page_size = 100;
  bool request_log = true;
  bool quiet = false;
  bool exit_on_stdin_eof = false;
  std::string api_origin;     // "http://127.0.0.1:PORT", filled once listening
  std::string stream_origin;  // the streaming/file-delivery host
};

extern config g_config;
extern uv_loop_t* g_loop;

// Fixed secrets so that users can verify signatures offline (documented in README.md).
inline constexpr const char* webhook_secret = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
inline constexpr const char* files_signing_secret = "emulator-files-signing-secret";

}  // namespace emu
