// Callback shapes shared by the resource groups (models, trainings, deployments, files, ...).
//
// Every view a callback receives points into the arena of the request that produced it and is
// valid only during the callback; copy what you keep (replicate/paginate.hpp has owned<T>).
// Callback contract (libuv's): a call that returns an error never fires its callback; a call
// that returns ok fires it exactly once, also with client_closed when the client closes.
#pragma once

#include <string_view>

#include "replicate/error.hpp"
#include "replicate/prediction.hpp"

namespace replicate {

// One object: `value` is null exactly when err is set.
template <typename T>
using object_cb = void (*)(void* user, const error& err, const T* value);
// One page of a list: empty (count 0) when err is set. Pass pg.next back as cursor_url for the
// next page, or use paginate() (replicate/paginate.hpp) to walk them all.
template <typename T>
using list_cb = void (*)(void* user, const error& err, const page<T>& pg);
// Operations that answer without a body (deletes): only the outcome.
using status_cb = void (*)(void* user, const error& err);
// A text body (a model's README, Markdown); empty when err is set.
using text_cb = void (*)(void* user, const error& err, std::string_view text);

}  // namespace replicate
