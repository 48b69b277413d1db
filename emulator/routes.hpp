// The API port's routes, one resource per file. Each route_* function serves the request when
// the path belongs to its resource (answering 404/405 itself) and returns false otherwise.
#pragma once

#include <string>
#include <vector>

#include "catalog.hpp"
#include "http_server.hpp"

namespace emu {

struct prediction;
using segments = std::vector<std::string>;  // path segments after "/v1"

void api_handle(connection* c, http_request& req);     // router.cpp: the API port's entry
void stream_handle(connection* c, http_request& req);  // sse_stream.cpp: the stream port's entry

bool route_predictions(connection* c, http_request& req, const segments& seg);
bool route_models(connection* c, http_request& req, const segments& seg);
bool route_trainings(connection* c, http_request& req, const segments& seg);
bool route_deployments(connection* c, http_request& req, const segments& seg);
bool route_files(connection* c, http_request& req, const segments& seg);
bool route_misc(connection* c, http_request& req, const segments& seg);  // account, hardware...

// POST .../predictions for a known model (and version, or its latest). `deployment` is the
// owner/name of the deployment when created through one. Answers 201 or a problem.
void predictions_create(connection* c, http_request& req, model* m, const model_version* version,
                        const std::string& deployment, bool version_field_allowed);
// POST /v1/models/{o}/{n}/versions/{id}/trainings
void trainings_create(connection* c, http_request& req, model* m, const model_version* version);

struct fault;
// Applies a status/drop/delay/malformed_json/oversize fault (router.cpp); false if the fault
// is of another kind and the request should be served normally. `serve` runs after a delay.
bool apply_common_fault(connection* c, http_request& req, const fault& f,
                        void (*serve)(connection*, http_request&));

// Shared request checks.
struct create_options {
  std::string webhook;
  unsigned webhook_filter = 0;
  bool has_filter = false;
};
// Validates webhook / webhook_events_filter in a create body; answers 422 and returns false.
bool read_webhook_fields(connection* c, const void* body_json, create_options* out);
// Checks `input` against the version's components.schemas.Input; answers 422 on failure.
bool validate_input(connection* c, const model_version* version, const void* input_json);

}  // namespace emu
