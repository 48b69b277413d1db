// SHA-256, HMAC-SHA256 and base64 through mbedTLS, behind one small shim (mbedTLS 4 changes them).
#pragma once

#include <string>
#include <string_view>

namespace emu {

[[nodiscard]] std::string sha256_hex(std::string_view data);
[[nodiscard]] std::string hmac_sha256(std::string_view key, std::string_view msg);  // raw bytes
[[nodiscard]] std::string base64_encode(std::string_view data);
[[nodiscard]] bool base64_decode(std::string_view text, std::string* out);
[[nodiscard]] std::string base64url_encode(std::string_view data);  // no padding
[[nodiscard]] bool base64url_decode(std::string_view text, std::string* out);

}  // namespace emu
