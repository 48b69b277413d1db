// Argument checks done before anything is sent, so a bad call fails at once with a clear error.
#pragma once

#include <chrono>
#include <string_view>

#include "replicate/client.hpp"

namespace replicate::detail {

// An absolute http(s) URL with a host and no characters that need escaping in JSON.
error validate_webhook(std::string_view url) noexcept;
error validate_webhook_events(const std::string_view* events, std::size_t count) noexcept;
// "30", "30s", "5m", "1h30m45s"; at least 5 seconds.
error validate_cancel_after(std::string_view text) noexcept;
error validate_prefer_wait(std::chrono::seconds wait) noexcept;
error validate_create(const prediction_create_params& params) noexcept;
error validate_id(std::string_view id, std::string_view what) noexcept;

}  // namespace replicate::detail
