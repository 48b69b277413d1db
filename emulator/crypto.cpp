#include "crypto.hpp"

#include <mbedtls/base64.h>
#include <mbedtls/md.h>
#include <mbedtls/sha256.h>

#include <cstdio>

namespace emu {

std::string sha256_hex(std::string_view data) {
  unsigned char digest[32];
  mbedtls_sha256_ret(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, 0);
  std::string out;
  char hex[3];
  for (unsigned char b : digest) {
    std::snprintf(hex, sizeof hex, "%02x", b);
    out += hex;
  }
  return out;
}

std::string hmac_sha256(std::string_view key, std::string_view msg) {
  unsigned char mac[32];
  mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256),
                  reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                  reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), mac);
  return std::string(reinterpret_cast<const char*>(mac), sizeof mac);
}

std::string base64_encode(std::string_view data) {
  std::size_t len = 0;
  mbedtls_base64_encode(nullptr, 0, &len, reinterpret_cast<const unsigned char*>(data.data()),
                        data.size());
  std::string out(len, '\0');
  mbedtls_base64_encode(reinterpret_cast<unsigned char*>(out.data()), out.size(), &len,
                        reinterpret_cast<const unsigned char*>(data.data()), data.size());
  out.resize(len);
  return out;
}

bool base64_decode(std::string_view text, std::string* out) {
  std::size_t len = 0;
  int rc = mbedtls_base64_decode(nullptr, 0, &len,
                                 reinterpret_cast<const unsigned char*>(text.data()), text.size());
  if (rc != 0 && rc != MBEDTLS_ERR_BASE64_BUFFER_TOO_SMALL) return false;
  out->assign(len, '\0');
  rc = mbedtls_base64_decode(reinterpret_cast<unsigned char*>(out->data()), out->size(), &len,
                             reinterpret_cast<const unsigned char*>(text.data()), text.size());
  out->resize(len);
  return rc == 0;
}

std::string base64url_encode(std::string_view data) {
  std::string s = base64_encode(data);
  while (!s.empty() && s.back() == '=') s.pop_back();
  for (char& ch : s) ch = ch == '+' ? '-' : ch == '/' ? '_' : ch;
  return s;
}

bool base64url_decode(std::string_view text, std::string* out) {
  std::string s(text);
  for (char& ch : s) ch = ch == '-' ? '+' : ch == '_' ? '/' : ch;
  while (s.size() % 4 != 0) s += '=';
  return base64_decode(s, out);
}

}  // namespace emu
