// Progress of a running prediction, read from the tqdm bars a model prints to its logs.
//
// Like the Node client's parseProgressFromLogs: the LAST line (split on \n and on the \r that tqdm
// uses to redraw a bar) that looks like
//     [desc: ] 40%|████      | 4/10 [00:02<00:03,  2.00it/s]
// gives the percentage as printed and the N/M counts. Unlike Node, percentage stays an integer
// percent (Node divides by 100), the bar may follow a description ("Sampling: 40%|..."), and a \r
// redraw on the same line is read as the newer update. Bars with scaled units ("1.2k/3.4k") or no
// total ("4it [00:02, ...]") carry no count and are skipped. Nothing allocates and no view is kept:
// the scan runs from the end of logs and stops at the first match, so it is cheap on long logs
// whose bar is recent. Safe to call from any thread.
#pragma once

#include <cstdint>
#include <string_view>

#include "replicate/export.hpp"

namespace replicate {

struct progress {
  bool found = false;        // false: no progress line in the logs; the other fields are 0
  int percentage = 0;        // as printed, usually 0..100
  std::int64_t current = 0;  // N of "N/M"
  std::int64_t total = 0;    // M of "N/M"
};

// Parses logs (e.g. a prediction's `logs` field), read only during the call.
[[nodiscard]] REPLICATE_API progress progress_parse(std::string_view logs) noexcept;

}  // namespace replicate
