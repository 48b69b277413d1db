// libFuzzer target for the SSE tokenizer. Checks that
//   1. feeding the stream in arbitrary chunks (sizes drawn from the input), pausing after events
//      and retries and re-feeding the rest from a new address, gives exactly the same callbacks,
//      status, last event id and retry as feeding it in one chunk, and as feeding it byte by byte;
//   2. the one-chunk run agrees with a naive line-by-line reference written from the WHATWG
//      rules, limits included.
// Each chunk lives in its own heap block, freed right after its feed, and the carry is exactly
// its capacity, so AddressSanitizer reports any view kept past its chunk or write past the carry.
//
// Input layout: [carry][flags][seed lo][seed hi] stream...
//   carry  capacity: low 6 bits, times 64 when bit 6 is set (0 .. 4032)
//   flags  bit 0 pause after each event, bit 1 pause after each retry (chunked run only),
//          bit 2 stop after (flags >> 3) events (all runs)
//   seed   drives the chunk sizes
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "replicate/sse.hpp"

using namespace replicate;

namespace {

struct config {
  std::size_t carry = 0;
  bool pause_event = false;
  bool pause_retry = false;
  bool stop = false;
  std::size_t stop_after = 0;
};

struct outcome {
  std::vector<std::string> calls;
  std::string last_id;
  long long retry = -1;
  bool operator==(const outcome& o) const {
    return calls == o.calls && last_id == o.last_id && retry == o.retry;
  }
};

struct collector {
  outcome* out;
  std::size_t events = 0;
  bool pause_event;
  bool pause_retry;
  bool stop;
  std::size_t stop_after;
};

std::string show_event(std::string_view type, std::string_view data, std::string_view id) {
  std::string s = "E:";
  s += std::to_string(type.size()) + ":";
  s.append(type);
  s += std::to_string(data.size()) + ":";
  s.append(data);
  s += std::to_string(id.size()) + ":";
  s.append(id);
  return s;
}

sse_action on_event(void* user, const sse_event& e) {
  auto* c = static_cast<collector*>(user);
  c->out->calls.push_back(show_event(e.event, e.data, e.id));
  ++c->events;
  if (c->stop && c->events > c->stop_after) return sse_action::stop;
  return c->pause_event ? sse_action::pause : sse_action::proceed;
}

sse_action on_retry(void* user, std::chrono::milliseconds ms) {
  auto* c = static_cast<collector*>(user);
  c->out->calls.push_back("R:" + std::to_string(ms.count()));
  return c->pause_retry ? sse_action::pause : sse_action::proceed;
}

const sse_callbacks callbacks = {on_event, on_retry};

struct xorshift {
  std::uint32_t s;
  std::uint32_t next() {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    return s;
  }
};

// Feeds the stream in chunks of the sizes `sizes` gives (0 means "the rest").
template <typename Sizes>
outcome run(const config& cfg, std::string_view stream, bool pausing, Sizes sizes) {
  outcome out;
  collector c{&out,          0, pausing && cfg.pause_event, pausing && cfg.pause_retry, cfg.stop,
              cfg.stop_after};
  std::unique_ptr<char[]> carry(new char[cfg.carry]);
  sse_tokenizer t;
  sse_tokenizer_init(&t, carry.get(), cfg.carry, &callbacks, &c);
  std::size_t at = 0;
  sse_status status = sse_status::ok;
  while (at < stream.size() && status == sse_status::ok) {
    std::size_t n = sizes();
    if (n == 0 || n > stream.size() - at) n = stream.size() - at;
    std::string_view rest = stream.substr(at, n);
    at += n;
    for (;;) {
      std::unique_ptr<char[]> chunk(new char[rest.size()]);
      std::memcpy(chunk.get(), rest.data(), rest.size());
      sse_result r = sse_tokenizer_feed(&t, chunk.get(), rest.size());
      if (r.consumed > rest.size()) std::abort();
      if (r.status == sse_status::paused) {
        if (!pausing) std::abort();
        rest = rest.substr(r.consumed);
        continue;
      }
      if (r.status == sse_status::ok && r.consumed != rest.size()) std::abort();
      status = r.status;
      break;
    }
  }
  sse_status fin = sse_tokenizer_finish(&t);
  if (status != sse_status::ok && fin != status) std::abort();
  if (status != sse_status::ok) out.calls.push_back("S:" + std::string(sse_status_name(status)));
  out.last_id = std::string(sse_tokenizer_last_event_id(&t));
  auto retry = sse_tokenizer_retry(&t);
  out.retry = retry ? static_cast<long long>(retry->count()) : -1;
  return out;
}

// The reference: split into lines first, then apply the rules. No views, no carry, no speed.
outcome reference(const config& cfg, std::string_view in) {
  outcome out;
  if (in.substr(0, 3) == "\xEF\xBB\xBF") in.remove_prefix(3);
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  bool unterminated = false;
  for (std::size_t i = 0;;) {
    if (i == in.size()) {
      unterminated = start < in.size();
      if (unterminated) lines.push_back(in.substr(start));
      break;
    }
    if (in[i] == '\n' || in[i] == '\r') {
      lines.push_back(in.substr(start, i - start));
      i += (in[i] == '\r' && i + 1 < in.size() && in[i + 1] == '\n') ? 2 : 1;
      start = i;
    } else {
      ++i;
    }
  }
  std::string data, type, pending_id, last_id;
  bool has_data = false;
  std::size_t events = 0;
  const long long retry_max = 9223372036854775807LL;
  for (std::size_t li = 0; li < lines.size(); ++li) {
    std::string_view line = lines[li];
    const bool partial = unterminated && li + 1 == lines.size();
    std::string_view name = line, value;
    std::size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      name = line.substr(0, colon);
      value = line.substr(colon + 1);
      if (!value.empty() && value[0] == ' ') value.remove_prefix(1);
    }
    if (partial) {
      // The limit is checked as far as an unfinished line got; then the stream just ends.
      if (colon != std::string_view::npos && name == "data") {
        std::size_t len = (has_data ? data.size() + 1 : 0) + value.size();
        if (len + type.size() > cfg.carry) out.calls.push_back("S:event_too_large");
      } else if (colon != std::string_view::npos && name == "event") {
        if (data.size() + value.size() > cfg.carry) out.calls.push_back("S:event_too_large");
      }
      break;
    }
    if (line.empty()) {
      last_id = pending_id;
      if (!has_data) {
        type.clear();
        continue;
      }
      out.calls.push_back(show_event(type.empty() ? "message" : type, data, last_id));
      data.clear();
      type.clear();
      has_data = false;
      ++events;
      if (cfg.stop && events > cfg.stop_after) {
        out.calls.push_back("S:stopped");
        break;
      }
      continue;
    }
    if (colon == 0) continue;
    if (name == "data") {
      std::size_t len = (has_data ? data.size() + 1 : 0) + value.size();
      if (len + type.size() > cfg.carry) {
        out.calls.push_back("S:event_too_large");
        break;
      }
      if (has_data) data += '\n';
      data.append(value);
      has_data = true;
    } else if (name == "event") {
      if (data.size() + value.size() > cfg.carry) {
        out.calls.push_back("S:event_too_large");
        break;
      }
      type = std::string(value);
    } else if (name == "id") {
      if (value.find('\0') != std::string_view::npos) continue;
      if (value.size() > REPLICATE_SSE_ID_CAPACITY) {
        out.calls.push_back("S:id_too_large");
        break;
      }
      pending_id = std::string(value);
    } else if (name == "retry") {
      if (value.empty()) continue;
      long long ms = 0;
      bool digits = true;
      for (char ch : value) {
        if (ch < '0' || ch > '9') {
          digits = false;
          break;
        }
        long long d = ch - '0';
        ms = ms > (retry_max - d) / 10 ? retry_max : ms * 10 + d;
      }
      if (digits) {
        out.calls.push_back("R:" + std::to_string(ms));
        out.retry = ms;
      }
    }
  }
  out.last_id = last_id;
  return out;
}

void report(const char* what, const outcome& a, const outcome& b) {
  std::fprintf(stderr, "%s differ\n", what);
  for (const outcome* o : {&a, &b}) {
    std::fprintf(stderr, "--- last_id=[%s] retry=%lld\n", o->last_id.c_str(), o->retry);
    for (const auto& s : o->calls) std::fprintf(stderr, "  [%s]\n", s.c_str());
  }
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  config cfg;
  cfg.carry = (data[0] & 0x3f) * ((data[0] & 0x40) ? 64u : 1u);
  cfg.pause_event = (data[1] & 1) != 0;
  cfg.pause_retry = (data[1] & 2) != 0;
  cfg.stop = (data[1] & 4) != 0;
  cfg.stop_after = data[1] >> 3;
  xorshift rng{(static_cast<std::uint32_t>(data[2]) | static_cast<std::uint32_t>(data[3]) << 8) *
                   2654435761u +
               1};
  const std::string_view stream(reinterpret_cast<const char*>(data) + 4, size - 4);

  const outcome whole = run(cfg, stream, false, [] { return std::size_t{0}; });
  const outcome ref = reference(cfg, stream);
  if (!(whole == ref)) report("one chunk and reference", whole, ref);

  const outcome chunked = run(cfg, stream, true, [&rng] {
    // Mostly short chunks, some long ones, so both paths and the carry see use.
    std::uint32_t r = rng.next();
    return static_cast<std::size_t>(1 + (r >> 8) % ((r & 3) == 0 ? 256 : 8));
  });
  if (!(whole == chunked)) report("one chunk and random chunks", whole, chunked);

  if (stream.size() <= 2048) {
    const outcome bytes = run(cfg, stream, false, [] { return std::size_t{1}; });
    if (!(whole == bytes)) report("one chunk and byte by byte", whole, bytes);
  }
  return 0;
}
