// Base64 / data-URI encoding throughput: one-shot, the streaming encoder, and input_body read the
// way curl reads it (16 KB and 64 KB chunks), for 1 MB and 8 MB frames; mbedTLS's constant-time
// mbedtls_base64_encode for reference. Best of 7 rounds (the machine is shared and noisy).
// GB/s counts raw frame bytes (input), as a camera pipeline sees them.
#include <mbedtls/base64.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "replicate/data_uri.hpp"

namespace {

using clock_type = std::chrono::steady_clock;

volatile char g_sink;

template <typename F>
double best_gbps(std::size_t bytes, std::size_t min_bytes, F&& run) {
  double best = 0;
  for (int round = 0; round < 7; ++round) {
    std::size_t reps = min_bytes / bytes + 1;
    auto t0 = clock_type::now();
    for (std::size_t i = 0; i < reps; ++i) run();
    double s = std::chrono::duration<double>(clock_type::now() - t0).count();
    double gbps = static_cast<double>(bytes) * static_cast<double>(reps) / s / 1e9;
    if (gbps > best) best = gbps;
  }
  return best;
}

}  // namespace

int main() {
  std::mt19937 rng(42);
  std::printf("%-34s %10s %10s\n", "encoder (raw input bytes)", "1 MB", "8 MB");
  const std::size_t sizes[] = {1u << 20, 8u << 20};
  struct row {
    const char* name;
    double gbps[2];
  };
  std::vector<row> rows = {{"one-shot base64_encode", {}},
                           {"streaming encoder, 64 KB pieces", {}},
                           {"input_body read, 16 KB chunks", {}},
                           {"input_body read, 64 KB chunks", {}},
                           {"mbedtls_base64_encode (2.28)", {}}};
  for (int si = 0; si < 2; ++si) {
    std::size_t n = sizes[si];
    std::vector<unsigned char> frame(n);
    for (auto& b : frame) b = static_cast<unsigned char>(rng());
    std::vector<char> out(replicate::base64_encoded_size(n) + 1);
    std::size_t min_bytes = 256u << 20;  // per round

    rows[0].gbps[si] = best_gbps(n, min_bytes, [&] {
      replicate::base64_encode(frame.data(), n, out.data());
      g_sink = out[n / 2];
    });

    rows[1].gbps[si] = best_gbps(n, min_bytes, [&] {
      replicate::base64_encoder e{};
      std::size_t w = 0;
      for (std::size_t i = 0; i < n; i += 65536) {
        std::size_t len = n - i < 65536 ? n - i : 65536;
        w += replicate::base64_encoder_update(&e, frame.data() + i, len, out.data() + w);
      }
      w += replicate::base64_encoder_finish(&e, out.data() + w);
      g_sink = out[w / 2];
    });

    for (int ci = 0; ci < 2; ++ci) {
      std::size_t chunk = ci == 0 ? 16384 : 65536;
      std::vector<char> buf(chunk);
      replicate::input_field fields[] = {replicate::input_json("prompt", "\"describe this frame\""),
                                         replicate::input_data_uri("image", frame.data(), n)};
      replicate::input_body body;
      if (replicate::input_body_init(&body, fields, 2)) return 1;
      rows[2 + ci].gbps[si] = best_gbps(n, min_bytes, [&] {
        body.source.rewind(body.source.ctx);
        std::size_t total = 0;
        while (std::size_t got = body.source.read(body.source.ctx, buf.data(), chunk)) {
          total += got;
          g_sink = buf[got - 1];
        }
        if (total != static_cast<std::size_t>(body.source.length)) std::abort();
      });
    }

    rows[4].gbps[si] = best_gbps(n, 32u << 20, [&] {
      std::size_t olen = 0;
      mbedtls_base64_encode(reinterpret_cast<unsigned char*>(out.data()), out.size(), &olen,
                            frame.data(), n);
      g_sink = out[olen / 2];
    });

    std::string check(replicate::base64_encoded_size(n) + 1, '\0');
    std::size_t olen = 0;
    mbedtls_base64_encode(reinterpret_cast<unsigned char*>(check.data()), check.size(), &olen,
                          frame.data(), n);
    replicate::base64_encode(frame.data(), n, out.data());
    if (olen != replicate::base64_encoded_size(n) || std::memcmp(check.data(), out.data(), olen))
      std::printf("MISMATCH with mbedTLS at %zu bytes\n", n);
  }
  for (const row& r : rows)
    std::printf("%-34s %7.2f GB/s %5.2f GB/s\n", r.name, r.gbps[0], r.gbps[1]);
  std::printf("(GB/s of raw frame bytes; output is 4/3 as many base64 characters)\n");
  return 0;
}
