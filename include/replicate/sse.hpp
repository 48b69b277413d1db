// replicate::sse_tokenizer: a zero-copy push parser for server-sent events (text/event-stream).
//
// Shaped like llhttp and picohttpparser: the caller owns every byte of memory (the tokenizer
// struct, the carry buffer and the chunks it feeds), events come out through a function pointer
// as views, each status has an explicit number, and nothing here allocates, throws or touches
// the network. It follows the WHATWG EventSource parsing rules ("Interpreting an event stream"):
// CRLF, LF and CR line ends (a CR ending one chunk and an LF starting the next are one line end),
// one leading UTF-8 BOM stripped, comments, fields without a colon, one space stripped after the
// colon, data lines joined with LF, default event type "message", ids containing NUL ignored,
// the last event id kept across events, retry only when all ASCII digits, an unterminated final
// event discarded.
//
// Memory. An event that lies entirely inside one fed chunk is reported with views into that
// chunk: nothing is copied (the event id excepted, see sse_event::id). Only an event that
// straddles chunks, or has several data lines, is assembled in the caller's carry buffer. The
// carry capacity is therefore the largest event accepted: len(data, joined) + len(event type)
// must not exceed it. The limit is enforced for every event, copied or not, so whether an event
// is accepted never depends on how the stream was chunked; an event over it stops the stream
// with sse_status::event_too_large (report it as errc::event_too_large). Comments, unknown
// fields, id and retry lines never use the carry, so keep-alive comments cannot fill it.
//
// Cost is linear in the bytes fed: memchr finds line ends, and each byte is scanned and copied at
// most a constant number of times however the stream is chunked.
//
// One tokenizer belongs to one thread; different tokenizers are independent.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "replicate/export.hpp"

// Longest event id kept, in bytes. Possible values: 1 to 65535. Default value: 128 (Replicate's
// ids, "1690212292:0", are under 32 bytes). The tokenizer holds three buffers of this size, and
// the library and its users must be built with the same value. A longer id (without NUL) stops
// the stream with sse_status::id_too_large.
#ifndef REPLICATE_SSE_ID_CAPACITY
#define REPLICATE_SSE_ID_CAPACITY 128
#endif

namespace replicate {

// Status of a feed or finish call. Numbers are explicit and never reused.
enum class sse_status : std::uint8_t {
  ok = 0,               // every byte was consumed
  paused = 1,           // a callback returned sse_action::pause; feed the rest again later
  event_too_large = 2,  // joined data + event type exceed the carry capacity (sticky)
  id_too_large = 3,     // an id longer than REPLICATE_SSE_ID_CAPACITY (sticky)
  stopped = 4,          // a callback returned sse_action::stop (sticky)
};

// "event_too_large" etc.; "unknown" for a number not above.
[[nodiscard]] REPLICATE_API std::string_view sse_status_name(sse_status status) noexcept;

// What a callback returns.
enum class sse_action : std::uint8_t {
  proceed = 0,  // keep parsing
  pause = 1,    // stop after this line: feed returns paused and the bytes consumed so far
  stop = 2,     // abandon the stream: feed returns stopped until sse_tokenizer_reset
};

// One dispatched event. The views live until the callback returns: they point into the chunk
// being fed, into the carry buffer, or into the tokenizer. To keep one, copy it
// (std::string(event.data)).
struct sse_event {
  std::string_view event;  // the event field, or "message" when it is absent or empty
  std::string_view data;   // data lines joined with LF; "" for a lone "data:" line
  std::string_view id;     // the last event id in force ("" until the stream sets one); the
                           // tokenizer keeps a copy, so it is the one field that is copied
};

// Callbacks, called only from inside sse_tokenizer_feed. A callback must not feed, finish, reset
// or init the tokenizer that called it.
struct sse_callbacks {
  // Required. Called once per dispatched event (a blank line after at least one data field).
  // Returns proceed, pause (feed returns paused; consumed ends just after the blank line) or
  // stop (feed returns stopped).
  sse_action (*on_event)(void* user, const sse_event& event);
  // Optional (may be null). Called when a retry field of one or more ASCII digits sets the
  // reconnection time (saturating at the largest milliseconds value). Same return values;
  // a pause ends consumed just after the retry line.
  sse_action (*on_retry)(void* user, std::chrono::milliseconds retry);
};

// Result of a feed: status and bytes of the chunk consumed.
//   ok               consumed == len.
//   paused           consumed <= len: bytes [0, consumed) were parsed, the rest were not looked
//                    at. Feed data + consumed (the same bytes, possibly at another address) to go
//                    on. The tokenizer has copied what it needs, so the chunk may be freed now.
//   event_too_large,
//   id_too_large,
//   stopped          consumed is where parsing stopped. The status is sticky: every later feed
//                    and finish returns it, with consumed 0, until sse_tokenizer_reset/init.
struct sse_result {
  sse_status status;
  std::size_t consumed;
};

// The tokenizer: 528 bytes on 64-bit targets, allocated by the caller anywhere (stack, arena, a
// member). All members are private: use the functions below.
struct sse_tokenizer {
  const sse_callbacks* callbacks_;
  void* user_;
  char* carry_;
  std::size_t carry_capacity_;
  // The event being assembled. data and type are views into the current chunk or the carry
  // (data at its front, type at its back).
  const char* data_;
  std::size_t data_len_;
  const char* type_;
  std::size_t type_len_;
  bool has_data_;
  bool data_in_carry_;
  bool type_in_carry_;
  // Last event id: committed at each dispatch; pending is the id field seen since (a view into
  // the chunk, or pending_id_buf_ when pending_id_ is null).
  bool pending_id_set_;
  const char* pending_id_;
  std::size_t pending_id_len_;
  std::size_t last_id_len_;
  std::size_t line_id_len_;
  std::int64_t retry_ms_;  // -1 until a retry field is seen
  // A line left unfinished by the end of a chunk.
  std::uint8_t line_state_;
  std::uint8_t value_state_;
  std::uint8_t name_len_;
  std::uint8_t bom_matched_;
  bool skip_lf_;
  bool id_has_nul_;
  bool id_overflow_;
  bool retry_invalid_;
  bool retry_has_digit_;
  sse_status error_;
  char name_[5];
  std::size_t type_tmp_len_;
  std::int64_t retry_acc_;
  char last_id_[REPLICATE_SSE_ID_CAPACITY];
  char pending_id_buf_[REPLICATE_SSE_ID_CAPACITY];
  char line_id_[REPLICATE_SSE_ID_CAPACITY];
};

// Prepares t for a new stream with no last event id and no retry. carry (carry_capacity bytes,
// may be null when the capacity is 0) is lent to the tokenizer until it is re-initialised or
// dropped; callbacks (on_event non-null) and user are kept by pointer and passed back unchanged.
REPLICATE_API void sse_tokenizer_init(sse_tokenizer* t, char* carry, std::size_t carry_capacity,
                                      const sse_callbacks* callbacks, void* user) noexcept;

// Parses the next len bytes of the stream, calling on_event / on_retry for what completes inside
// them. data is read only during the call (may be null when len is 0). See sse_result for the
// statuses. Anything unfinished at the end of the chunk is copied into the carry (event data and
// type) or into the tokenizer (id, retry digits, field name), never referenced afterwards.
[[nodiscard]] REPLICATE_API sse_result sse_tokenizer_feed(sse_tokenizer* t, const char* data,
                                                          std::size_t len) noexcept;

// End of stream: discards an unterminated final event and any unfinished line (their id, if
// any, does not become the last event id), and makes t ready for a new stream like
// sse_tokenizer_reset. Returns ok, or the sticky error, which it leaves set. Calls no callback.
REPLICATE_API sse_status sse_tokenizer_finish(sse_tokenizer* t) noexcept;

// For a reconnect: forgets the event in progress, any unfinished line, the BOM state and the
// sticky error, and keeps the last event id (send it as Last-Event-ID) and the retry time.
REPLICATE_API void sse_tokenizer_reset(sse_tokenizer* t) noexcept;

// The last event id dispatched, "" when none. The view lives until the next feed, reset or init.
[[nodiscard]] REPLICATE_API std::string_view sse_tokenizer_last_event_id(
    const sse_tokenizer* t) noexcept;

// The reconnection time set by the last valid retry field, if any.
[[nodiscard]] REPLICATE_API std::optional<std::chrono::milliseconds> sse_tokenizer_retry(
    const sse_tokenizer* t) noexcept;

}  // namespace replicate
