// Typed decoding of the resource objects (models, collections, trainings, deployments, files,
// search, account, hardware) into views that live in the response's arena. Bodies that are not
// the expected JSON set err (bad_response, or response_too_large when the arena is full).
#pragma once

#include <string_view>

#include "core/arena.hpp"
#include "json/decode.hpp"
#include "replicate/account.hpp"
#include "replicate/collections.hpp"
#include "replicate/deployments.hpp"
#include "replicate/files.hpp"
#include "replicate/hardware.hpp"
#include "replicate/models.hpp"
#include "replicate/search.hpp"
#include "replicate/trainings.hpp"
#include "replicate/webhooks_api.hpp"

namespace replicate::detail {

// Object decoders, also used for nested objects and page items.
void decode_model(arena* a, const cJSON* object, model* out) noexcept;
void decode_model_version(arena* a, const cJSON* object, model_version* out) noexcept;
void decode_training(arena* a, const cJSON* object, training* out) noexcept;
void decode_deployment(arena* a, const cJSON* object, deployment* out) noexcept;
void decode_file(arena* a, const cJSON* object, file_object* out) noexcept;
void decode_collection(arena* a, const cJSON* object, collection* out) noexcept;

// Body decoders: the response body is one object (or a page of them).
bool decode_model_body(arena* a, std::string_view body, model* out, error* err) noexcept;
bool decode_model_page(arena* a, std::string_view body, page<model>* out, error* err) noexcept;
bool decode_model_version_body(arena* a, std::string_view body, model_version* out,
                               error* err) noexcept;
bool decode_model_version_page(arena* a, std::string_view body, page<model_version>* out,
                               error* err) noexcept;
bool decode_collection_body(arena* a, std::string_view body, collection* out, error* err) noexcept;
bool decode_collection_page(arena* a, std::string_view body, page<collection>* out,
                            error* err) noexcept;
bool decode_hardware_list(arena* a, std::string_view body, hardware_list* out, error* err) noexcept;
bool decode_account_body(arena* a, std::string_view body, account* out, error* err) noexcept;
bool decode_training_body(arena* a, std::string_view body, training* out, error* err) noexcept;
bool decode_training_page(arena* a, std::string_view body, page<training>* out,
                          error* err) noexcept;
bool decode_deployment_body(arena* a, std::string_view body, deployment* out, error* err) noexcept;
bool decode_deployment_page(arena* a, std::string_view body, page<deployment>* out,
                            error* err) noexcept;
bool decode_file_body(arena* a, std::string_view body, file_object* out, error* err) noexcept;
bool decode_file_page(arena* a, std::string_view body, page<file_object>* out, error* err) noexcept;
bool decode_webhook_secret_body(arena* a, std::string_view body, webhook_secret* out,
                                error* err) noexcept;
bool decode_search_body(arena* a, std::string_view body, search_result* out, error* err) noexcept;

// Shared helpers for the decoders.
// The root object of body, or nullptr with err set when it is not a JSON object.
cJSON* decode_object_root(arena* a, std::string_view body, error* err, const char* what) noexcept;
// Sets err when the arena filled up while decoding.
bool decode_fits(arena* a, error* err, const char* what) noexcept;
long long json_integer(const cJSON* object, const char* key, long long fallback) noexcept;

}  // namespace replicate::detail
