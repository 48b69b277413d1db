// Resources not emulated yet: answered by the router's 404.
#include "routes.hpp"

namespace emu {

bool route_deployments(connection*, http_request&, const segments&) { return false; }
bool route_files(connection*, http_request&, const segments&) { return false; }
bool route_misc(connection*, http_request&, const segments&) { return false; }

}  // namespace emu
