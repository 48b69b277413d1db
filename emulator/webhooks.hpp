// Outgoing webhook deliveries (see webhooks.cpp) and their log for GET /_emulator/webhooks.
#pragma once

#include <string>

namespace emu {

void webhooks_init();
[[nodiscard]] std::string webhooks_log_json();
void webhooks_log_clear();

}  // namespace emu
