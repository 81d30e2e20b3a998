// The gateway's HTTP surface as pure functions: which path is which read, the query's parameters,
// the HTTP status of a gRPC code, the error body, content types. No server here (libevent only for
// its query-string parser), so all of it is unit-tested and fuzzed (tests/fuzz).
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace relais::gateway {

enum class RouteKind {
  kIndex,         // GET /
  kAsset,         // GET /assets/<name>
  kHealth,        // GET /healthz
  kCrises,        // GET /api/crises
  kCrisis,        // GET /api/crises/{id}
  kBoard,         // GET /api/crises/{id}/board
  kOutreach,      // GET /api/crises/{id}/outreach
  kAssignments,   // GET /api/crises/{id}/assignments
  kPlaces,        // GET /api/crises/{id}/places
  kCrisisEvents,  // GET /api/crises/{id}/events (SSE)
  kAllEvents,     // GET /api/events (SSE, every crisis)
  kSignIn,        // GET /signin (the form), POST /signin (the token, form-encoded)
  kSignOut,       // POST /signout
};

struct Route {
  RouteKind kind = RouteKind::kIndex;
  std::string crisis_id;   // the {id} routes
  std::string asset_name;  // kAsset
};

// `path` is the request path without its query. NOT_FOUND for an unknown path (or an asset name
// that is not a plain file name); INVALID_ARGUMENT naming crisis_id when the id has characters
// ids never have.
absl::StatusOr<Route> ParseRoute(std::string_view path);

// True for the JSON reads and streams under /api (they are never cached).
bool IsApi(RouteKind kind);
bool IsStream(RouteKind kind);

// The methods a route answers, as an Allow header: GET and HEAD (the dashboard is read-only),
// plus POST for the sign-in form, POST only for sign-out. Anything else is 405.
std::string_view AllowedMethods(RouteKind kind);
bool IsAllowedMethod(RouteKind kind, std::string_view method);

// The HTTP status of a gRPC (absl) code, per the gateway's API contract.
int HttpStatusFor(absl::StatusCode code);

// {"code":"NOT_FOUND","message":"..."}.
std::string ErrorJson(const absl::Status& status);

// The value of parameter `name` in a request's query string (without the '?'), decoded as
// libevent decodes it; empty when the query lacks it or is malformed (libevent then refuses the
// whole query).
std::string QueryValue(std::string_view query, std::string_view name);

// An SSE resume point: the Last-Event-ID header wins over the ?cursor= parameter; empty: from
// now. INVALID_ARGUMENT naming the source when it is not an event log position ("<ms>-<seq>").
absl::StatusOr<std::string> ResumeCursor(std::string_view last_event_id,
                                         std::string_view cursor_param);

// The Content-Type of an embedded file by its extension; empty when the extension is not one
// the gateway serves.
std::string_view ContentTypeFor(std::string_view file_name);

// Ids the services issue use [A-Za-z0-9._:-], 1 to 128 characters.
bool IsValidId(std::string_view id);

}  // namespace relais::gateway
