// The SSE push tokenizer (see include/replicate/sse.hpp for the contract).
//
// Two paths. The fast path handles lines that lie whole inside the chunk: it classifies the
// field and keeps views into the chunk. The slow path handles the one line a chunk may leave
// unfinished: a small state machine that appends its value straight to where it will live (data
// to the carry's front, the event type to the carry's back, id and retry digits to the
// tokenizer), so no line is ever rescanned. At the end of a chunk (or at a pause) the views the
// event still holds into the chunk are copied to the carry once ("spill").
#include <cstring>
#include <limits>

#include "replicate/sse.hpp"

namespace replicate {
namespace {

constexpr std::size_t id_capacity = REPLICATE_SSE_ID_CAPACITY;
static_assert(id_capacity > 0 && id_capacity <= 65535, "REPLICATE_SSE_ID_CAPACITY out of range");

// line_state_ / value_state_.
enum : std::uint8_t {
  line_none = 0,     // at the start of a line
  line_name,         // reading the field name (name_)
  line_value_start,  // just after the colon: one space may follow
  line_data,
  line_event,
  line_id,
  line_retry,
  line_skip,  // comment or unknown field: ignore up to the line end
};

enum class field : std::uint8_t { unknown, data, event, id, retry };

// No field we act on has a name longer than "event"/"retry": a longer name is unknown, and so
// needs no storage.
constexpr std::size_t name_max = 5;

constexpr std::int64_t retry_max = std::numeric_limits<std::int64_t>::max();

inline field field_from_name(const char* name, std::size_t len) noexcept {
  switch (len) {
    case 2:
      return name[0] == 'i' && name[1] == 'd' ? field::id : field::unknown;
    case 4:
      return std::memcmp(name, "data", 4) == 0 ? field::data : field::unknown;
    case 5:
      if (std::memcmp(name, "event", 5) == 0) return field::event;
      return std::memcmp(name, "retry", 5) == 0 ? field::retry : field::unknown;
    default:
      return field::unknown;
  }
}

// The colon ending a field name we know: it is within the first name_max + 1 bytes or the name is
// unknown. A short loop: a memchr call costs more than six compares.
inline const char* find_name_colon(const char* p, std::size_t n) noexcept {
  const std::size_t look = n < name_max + 1 ? n : name_max + 1;
  for (std::size_t i = 0; i < look; ++i) {
    if (p[i] == ':') return p + i;
  }
  return nullptr;
}

struct step {
  sse_status status;  // ok, or an error to make sticky
  sse_action action;
};
constexpr step step_ok{sse_status::ok, sse_action::proceed};

void clear_event(sse_tokenizer* t) noexcept {
  t->data_len_ = 0;
  t->type_len_ = 0;
  t->has_data_ = false;
  t->data_in_carry_ = false;
  t->type_in_carry_ = false;
}

void clear_stream(sse_tokenizer* t) noexcept {
  clear_event(t);
  t->data_ = nullptr;
  t->type_ = nullptr;
  t->pending_id_set_ = false;
  t->pending_id_ = nullptr;
  t->pending_id_len_ = 0;
  t->line_id_len_ = 0;
  t->line_state_ = line_none;
  t->value_state_ = line_none;
  t->name_len_ = 0;
  t->bom_matched_ = 0;
  t->skip_lf_ = false;
  t->id_has_nul_ = false;
  t->id_overflow_ = false;
  t->retry_invalid_ = false;
  t->retry_has_digit_ = false;
  t->type_tmp_len_ = 0;
  t->retry_acc_ = 0;
}

const char* type_ptr(const sse_tokenizer* t) noexcept {
  return t->type_in_carry_ ? t->carry_ + (t->carry_capacity_ - t->type_len_) : t->type_;
}

// Copies what the event still references in the chunk into the carry (data to the front, type
// to the back; the size checks guarantee they do not overlap) and the pending id into the
// tokenizer. Each byte is copied here at most once per event.
void spill(sse_tokenizer* t) noexcept {
  if (t->has_data_ && !t->data_in_carry_) {
    if (t->data_len_ != 0) std::memcpy(t->carry_, t->data_, t->data_len_);
    t->data_in_carry_ = true;
  }
  if (t->type_len_ != 0 && !t->type_in_carry_) {
    std::memcpy(t->carry_ + (t->carry_capacity_ - t->type_len_), t->type_, t->type_len_);
    t->type_in_carry_ = true;
  }
  if (t->pending_id_set_ && t->pending_id_ != nullptr) {
    std::memcpy(t->pending_id_buf_, t->pending_id_, t->pending_id_len_);
    t->pending_id_ = nullptr;
  }
}

step set_retry(sse_tokenizer* t, std::int64_t ms) noexcept {
  t->retry_ms_ = ms;
  if (t->callbacks_->on_retry == nullptr) return step_ok;
  return {sse_status::ok, t->callbacks_->on_retry(t->user_, std::chrono::milliseconds(ms))};
}

// Appends one data value to the event (fast path and name-only lines).
step add_data(sse_tokenizer* t, const char* v, std::size_t n) noexcept {
  if (!t->has_data_) {
    if (n > t->carry_capacity_ - t->type_len_) return {sse_status::event_too_large, {}};
    t->has_data_ = true;
    t->data_in_carry_ = false;
    t->data_ = v;
    t->data_len_ = n;
    return step_ok;
  }
  // data_len_ + type_len_ <= capacity holds, so the subtraction cannot wrap.
  if (n >= t->carry_capacity_ - t->type_len_ - t->data_len_) {
    return {sse_status::event_too_large, {}};
  }
  if (!t->data_in_carry_) {
    if (t->data_len_ != 0) std::memcpy(t->carry_, t->data_, t->data_len_);
    t->data_in_carry_ = true;
  }
  t->carry_[t->data_len_] = '\n';
  if (n != 0) std::memcpy(t->carry_ + t->data_len_ + 1, v, n);
  t->data_len_ += 1 + n;
  return step_ok;
}

// A field whose value is whole and addressable (fast path, or a name-only line).
step add_field(sse_tokenizer* t, field f, const char* v, std::size_t n) noexcept {
  switch (f) {
    case field::data:
      return add_data(t, v, n);
    case field::event:
      if (n > t->carry_capacity_ - t->data_len_) return {sse_status::event_too_large, {}};
      t->type_ = v;
      t->type_len_ = n;
      t->type_in_carry_ = false;
      return step_ok;
    case field::id:
      if (n != 0 && std::memchr(v, '\0', n) != nullptr) return step_ok;
      if (n > id_capacity) return {sse_status::id_too_large, {}};
      t->pending_id_set_ = true;
      t->pending_id_ = v;
      t->pending_id_len_ = n;
      return step_ok;
    case field::retry: {
      if (n == 0) return step_ok;
      std::int64_t ms = 0;
      for (std::size_t i = 0; i < n; ++i) {
        unsigned d = static_cast<unsigned char>(v[i]) - unsigned{'0'};
        if (d > 9) return step_ok;
        ms = ms > (retry_max - d) / 10 ? retry_max : ms * 10 + d;
      }
      return set_retry(t, ms);
    }
    case field::unknown:
      return step_ok;
  }
  return step_ok;
}

// A blank line.
sse_action dispatch(sse_tokenizer* t) noexcept {
  if (t->pending_id_set_) {
    const char* src = t->pending_id_ != nullptr ? t->pending_id_ : t->pending_id_buf_;
    if (t->pending_id_len_ != 0) std::memcpy(t->last_id_, src, t->pending_id_len_);
    t->last_id_len_ = t->pending_id_len_;
    t->pending_id_set_ = false;
    t->pending_id_ = nullptr;
  }
  if (!t->has_data_) {
    t->type_len_ = 0;
    t->type_in_carry_ = false;
    return sse_action::proceed;
  }
  sse_event ev;
  ev.event = t->type_len_ != 0 ? std::string_view(type_ptr(t), t->type_len_)
                               : std::string_view("message", 7);
  ev.data = std::string_view(t->data_in_carry_ ? t->carry_ : t->data_, t->data_len_);
  ev.id = std::string_view(t->last_id_, t->last_id_len_);
  clear_event(t);
  return t->callbacks_->on_event(t->user_, ev);
}

// One complete line [p, p + n), n > 0, fast path.
step on_line(sse_tokenizer* t, const char* p, std::size_t n) noexcept {
  if (p[0] == ':') return step_ok;
  const char* colon = find_name_colon(p, n);
  std::size_t name_len;
  const char* v;
  std::size_t vn;
  if (colon != nullptr) {
    name_len = static_cast<std::size_t>(colon - p);
    v = colon + 1;
    vn = n - name_len - 1;
    if (vn != 0 && *v == ' ') {
      ++v;
      --vn;
    }
  } else {
    if (n > name_max) return step_ok;
    name_len = n;
    v = p + n;
    vn = 0;
  }
  return add_field(t, field_from_name(p, name_len), v, vn);
}

// --- slow path: the unfinished line -------------------------------------------------------------

step begin_value(sse_tokenizer* t, field f) noexcept {
  switch (f) {
    case field::data:
      // The event is spilled whenever a line is unfinished, so data already lives in the carry.
      if (!t->has_data_) {
        if (t->type_len_ > t->carry_capacity_) return {sse_status::event_too_large, {}};
        t->has_data_ = true;
        t->data_in_carry_ = true;
        t->data_len_ = 0;
      } else {
        if (t->data_len_ + t->type_len_ >= t->carry_capacity_) {
          return {sse_status::event_too_large, {}};
        }
        t->carry_[t->data_len_++] = '\n';
      }
      t->value_state_ = line_data;
      break;
    case field::event:
      // The old type is dead from here on: this line replaces it, or the stream ends first.
      t->type_len_ = 0;
      t->type_in_carry_ = false;
      t->type_tmp_len_ = 0;
      t->value_state_ = line_event;
      break;
    case field::id:
      t->line_id_len_ = 0;
      t->id_has_nul_ = false;
      t->id_overflow_ = false;
      t->value_state_ = line_id;
      break;
    case field::retry:
      t->retry_acc_ = 0;
      t->retry_invalid_ = false;
      t->retry_has_digit_ = false;
      t->value_state_ = line_retry;
      break;
    case field::unknown:
      t->line_state_ = line_skip;
      return step_ok;
  }
  t->line_state_ = line_value_start;
  return step_ok;
}

// Appends [p, e), which holds no line end, to the unfinished line.
step line_append(sse_tokenizer* t, const char* p, const char* e) noexcept {
  while (p < e && t->line_state_ == line_name) {
    const char c = *p++;
    if (c == ':') {
      if (t->name_len_ == 0) {
        t->line_state_ = line_skip;  // comment
      } else {
        step s = begin_value(t, field_from_name(t->name_, t->name_len_));
        if (s.status != sse_status::ok) return s;
      }
    } else if (t->name_len_ == name_max) {
      t->line_state_ = line_skip;
    } else {
      t->name_[t->name_len_++] = c;
    }
  }
  if (p < e && t->line_state_ == line_value_start) {
    if (*p == ' ') ++p;
    t->line_state_ = t->value_state_;
  }
  const std::size_t n = static_cast<std::size_t>(e - p);
  if (n == 0) return step_ok;
  switch (t->line_state_) {
    case line_data:
      if (n > t->carry_capacity_ - t->type_len_ - t->data_len_) {
        return {sse_status::event_too_large, {}};
      }
      std::memcpy(t->carry_ + t->data_len_, p, n);
      t->data_len_ += n;
      break;
    case line_event:
      if (n > t->carry_capacity_ - t->data_len_ - t->type_tmp_len_) {
        return {sse_status::event_too_large, {}};
      }
      std::memcpy(t->carry_ + t->data_len_ + t->type_tmp_len_, p, n);
      t->type_tmp_len_ += n;
      break;
    case line_id: {
      if (std::memchr(p, '\0', n) != nullptr) t->id_has_nul_ = true;
      const std::size_t room = id_capacity - t->line_id_len_;
      const std::size_t take = n < room ? n : room;
      std::memcpy(t->line_id_ + t->line_id_len_, p, take);
      t->line_id_len_ += take;
      // Not an error yet: a NUL later in the line makes the whole id ignored.
      if (take < n) t->id_overflow_ = true;
      break;
    }
    case line_retry:
      for (; p < e; ++p) {
        unsigned d = static_cast<unsigned char>(*p) - unsigned{'0'};
        if (d > 9) {
          t->retry_invalid_ = true;
          break;
        }
        t->retry_has_digit_ = true;
        t->retry_acc_ = t->retry_acc_ > (retry_max - d) / 10 ? retry_max : t->retry_acc_ * 10 + d;
      }
      break;
    default:  // line_skip
      break;
  }
  return step_ok;
}

// Starts the unfinished line [p, e), which holds no line end and is not empty. Like on_line, it
// finds the field name at once when the colon is in the chunk.
step line_begin(sse_tokenizer* t, const char* p, const char* e) noexcept {
  const std::size_t n = static_cast<std::size_t>(e - p);
  const char* colon = find_name_colon(p, n);
  t->name_len_ = 0;
  if (colon == nullptr) {
    if (n > name_max) {
      t->line_state_ = line_skip;
      return step_ok;
    }
    std::memcpy(t->name_, p, n);
    t->name_len_ = static_cast<std::uint8_t>(n);
    t->line_state_ = line_name;
    return step_ok;
  }
  if (colon == p) {
    t->line_state_ = line_skip;  // comment
    return step_ok;
  }
  step s = begin_value(t, field_from_name(p, static_cast<std::size_t>(colon - p)));
  if (s.status != sse_status::ok) return s;
  return line_append(t, colon + 1, e);
}

// The unfinished line reached its line end.
step line_end(sse_tokenizer* t) noexcept {
  std::uint8_t state = t->line_state_;
  t->line_state_ = line_none;
  if (state == line_value_start) state = t->value_state_;
  switch (state) {
    case line_name:  // a field name without a colon: empty value
      return add_field(t, field_from_name(t->name_, t->name_len_), nullptr, 0);
    case line_event:
      if (t->type_tmp_len_ != 0) {
        std::memmove(t->carry_ + (t->carry_capacity_ - t->type_tmp_len_), t->carry_ + t->data_len_,
                     t->type_tmp_len_);
      }
      t->type_len_ = t->type_tmp_len_;
      t->type_in_carry_ = true;
      return step_ok;
    case line_id:
      if (t->id_has_nul_) return step_ok;
      if (t->id_overflow_) return {sse_status::id_too_large, {}};
      if (t->line_id_len_ != 0) std::memcpy(t->pending_id_buf_, t->line_id_, t->line_id_len_);
      t->pending_id_set_ = true;
      t->pending_id_ = nullptr;
      t->pending_id_len_ = t->line_id_len_;
      return step_ok;
    case line_retry:
      if (t->retry_invalid_ || !t->retry_has_digit_) return step_ok;
      return set_retry(t, t->retry_acc_);
    default:  // line_data (already appended), line_skip
      return step_ok;
  }
}

// Scans for line ends. Each of CR and LF is searched forward once per feed; the position found is
// remembered until the parser passes it, so CR-free (or LF-free) input is scanned once, not once
// per line.
struct line_finder {
  const char* end;
  const char* lf = nullptr;
  const char* cr = nullptr;

  const char* next(const char* from) noexcept {
    const std::size_t n = static_cast<std::size_t>(end - from);
    if (lf == nullptr || lf < from) {
      lf = static_cast<const char*>(std::memchr(from, '\n', n));
      if (lf == nullptr) lf = end;
    }
    if (cr == nullptr || cr < from) {
      cr = static_cast<const char*>(std::memchr(from, '\r', n));
      if (cr == nullptr) cr = end;
    }
    return lf < cr ? lf : cr;
  }
};

// Past the line end at q (q < end).
const char* after_line_end(sse_tokenizer* t, const char* q, const char* end) noexcept {
  if (*q == '\n') return q + 1;
  if (q + 1 == end) {
    t->skip_lf_ = true;  // the LF of a CRLF may start the next chunk
    return end;
  }
  return q[1] == '\n' ? q + 2 : q + 1;
}

}  // namespace

std::string_view sse_status_name(sse_status status) noexcept {
  switch (status) {
    case sse_status::ok:
      return "ok";
    case sse_status::paused:
      return "paused";
    case sse_status::event_too_large:
      return "event_too_large";
    case sse_status::id_too_large:
      return "id_too_large";
    case sse_status::stopped:
      return "stopped";
  }
  return "unknown";
}

void sse_tokenizer_init(sse_tokenizer* t, char* carry, std::size_t carry_capacity,
                        const sse_callbacks* callbacks, void* user) noexcept {
  t->callbacks_ = callbacks;
  t->user_ = user;
  t->carry_ = carry;
  t->carry_capacity_ = carry == nullptr ? 0 : carry_capacity;
  t->last_id_len_ = 0;
  t->retry_ms_ = -1;
  t->error_ = sse_status::ok;
  clear_stream(t);
}

sse_result sse_tokenizer_feed(sse_tokenizer* t, const char* data, std::size_t len) noexcept {
  if (t->error_ != sse_status::ok) return {t->error_, 0};
  if (len == 0) return {sse_status::ok, 0};
  const char* p = data;
  const char* const end = data + len;
  step s = step_ok;

  if (t->skip_lf_) {
    t->skip_lf_ = false;
    if (*p == '\n') ++p;
  }
  if (t->bom_matched_ < 3) {
    static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
    while (t->bom_matched_ < 3 && p < end) {
      if (static_cast<unsigned char>(*p) == bom[t->bom_matched_]) {
        ++p;
        ++t->bom_matched_;
        continue;
      }
      // A line that starts with part of a BOM names a field no one knows: skip it.
      if (t->bom_matched_ != 0) t->line_state_ = line_skip;
      t->bom_matched_ = 3;
    }
  }

  line_finder finder{end};
  if (p < end && t->line_state_ != line_none) {
    const char* q = finder.next(p);
    s = line_append(t, p, q);
    if (s.status == sse_status::ok && q < end) {
      s = line_end(t);
      p = after_line_end(t, q, end);
    } else {
      p = q;
    }
  }

  while (s.status == sse_status::ok && s.action == sse_action::proceed && p < end) {
    const char* q = finder.next(p);
    if (q == end) {
      spill(t);
      s = line_begin(t, p, end);
      p = end;
      break;
    }
    if (q == p) {
      s.action = dispatch(t);
    } else {
      s = on_line(t, p, static_cast<std::size_t>(q - p));
      if (s.status != sse_status::ok) {
        p = q;
        break;
      }
    }
    p = after_line_end(t, q, end);
  }

  const std::size_t consumed = static_cast<std::size_t>(p - data);
  if (s.status != sse_status::ok) {
    t->error_ = s.status;
    return {s.status, consumed};
  }
  if (s.action == sse_action::stop) {
    t->error_ = sse_status::stopped;
    return {sse_status::stopped, consumed};
  }
  spill(t);
  return {s.action == sse_action::pause ? sse_status::paused : sse_status::ok, consumed};
}

sse_status sse_tokenizer_finish(sse_tokenizer* t) noexcept {
  clear_stream(t);
  return t->error_;
}

void sse_tokenizer_reset(sse_tokenizer* t) noexcept {
  t->error_ = sse_status::ok;
  clear_stream(t);
}

std::string_view sse_tokenizer_last_event_id(const sse_tokenizer* t) noexcept {
  return std::string_view(t->last_id_, t->last_id_len_);
}

std::optional<std::chrono::milliseconds> sse_tokenizer_retry(const sse_tokenizer* t) noexcept {
  if (t->retry_ms_ < 0) return std::nullopt;
  return std::chrono::milliseconds(t->retry_ms_);
}

}  // namespace replicate
