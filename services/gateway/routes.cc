#include "services/gateway/routes.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <cstdint>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "nlohmann/json.hpp"

namespace relais::gateway {
namespace {

bool IsAssetName(std::string_view name) {
  if (name.empty() || name.size() > 128 || name.front() == '.') return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return false;
    }
  }
  return !ContentTypeFor(name).empty();
}

bool IsCursor(std::string_view cursor) {
  // A Redis stream id: <milliseconds>-<sequence>, each a 64-bit number (as the mobilisation
  // service reads it: a bigger one would open a stream the service refuses at once).
  std::vector<std::string> parts =
      absl::StrSplit(absl::string_view(cursor.data(), cursor.size()), '-');
  if (parts.size() != 2) return false;
  for (const std::string& part : parts) {
    if (part.empty() || part.size() > 20) return false;
    for (char c : part) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
    }
    uint64_t value = 0;
    if (!absl::SimpleAtoi(part, &value)) return false;
  }
  return true;
}

bool ConsumePrefix(std::string_view* s, std::string_view prefix) {
  if (s->substr(0, prefix.size()) != prefix) return false;
  s->remove_prefix(prefix.size());
  return true;
}

}  // namespace

bool IsValidId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != ':' &&
        c != '-') {
      return false;
    }
  }
  return true;
}

absl::StatusOr<Route> ParseRoute(std::string_view path) {
  if (path == "/" || path == "/index.html") return Route{RouteKind::kIndex, "", ""};
  if (path == "/healthz") return Route{RouteKind::kHealth, "", ""};
  if (path == "/signin") return Route{RouteKind::kSignIn, "", ""};
  if (path == "/signout") return Route{RouteKind::kSignOut, "", ""};
  if (path == "/api/crises" || path == "/api/crises/") return Route{RouteKind::kCrises, "", ""};
  if (path == "/api/events") return Route{RouteKind::kAllEvents, "", ""};
  if (ConsumePrefix(&path, "/assets/")) {
    if (!IsAssetName(path)) return absl::NotFoundError("no such asset");
    return Route{RouteKind::kAsset, "", std::string(path)};
  }
  if (ConsumePrefix(&path, "/api/crises/")) {
    std::vector<std::string> parts =
        absl::StrSplit(absl::string_view(path.data(), path.size()), '/');
    if (parts.size() > 2 || (parts.size() == 2 && parts[1].empty())) {
      return absl::NotFoundError("no such path");
    }
    RouteKind kind = RouteKind::kCrisis;
    if (parts.size() == 2) {
      if (parts[1] == "board") {
        kind = RouteKind::kBoard;
      } else if (parts[1] == "outreach") {
        kind = RouteKind::kOutreach;
      } else if (parts[1] == "assignments") {
        kind = RouteKind::kAssignments;
      } else if (parts[1] == "places") {
        kind = RouteKind::kPlaces;
      } else if (parts[1] == "events") {
        kind = RouteKind::kCrisisEvents;
      } else {
        return absl::NotFoundError("no such path");
      }
    }
    if (!IsValidId(parts[0])) {
      return absl::InvalidArgumentError(
          "crisis_id: must be 1 to 128 characters from [A-Za-z0-9._:-]");
    }
    return Route{kind, std::string(parts[0]), ""};
  }
  return absl::NotFoundError("no such path");
}

bool IsApi(RouteKind kind) {
  return kind != RouteKind::kIndex && kind != RouteKind::kAsset && kind != RouteKind::kHealth &&
         kind != RouteKind::kSignIn && kind != RouteKind::kSignOut;
}

bool IsStream(RouteKind kind) {
  return kind == RouteKind::kCrisisEvents || kind == RouteKind::kAllEvents;
}

std::string_view AllowedMethods(RouteKind kind) {
  if (kind == RouteKind::kSignIn) return "GET, HEAD, POST";
  if (kind == RouteKind::kSignOut) return "POST";
  return "GET, HEAD";
}

bool IsAllowedMethod(RouteKind kind, std::string_view method) {
  if (kind == RouteKind::kSignOut) return method == "POST";
  if (kind == RouteKind::kSignIn && method == "POST") return true;
  return method == "GET" || method == "HEAD";
}

int HttpStatusFor(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
      return 400;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kFailedPrecondition:
      return 409;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      return 503;
    default:
      return 500;
  }
}

std::string ErrorJson(const absl::Status& status) {
  // absl's code names are the gRPC ones in CamelCase; the API uses the gRPC spelling.
  std::string code;
  for (char c : absl::StatusCodeToString(status.code())) {
    code.push_back(c == ' ' ? '_' : absl::ascii_toupper(static_cast<unsigned char>(c)));
  }
  nlohmann::json body = {{"code", code}, {"message", std::string(status.message())}};
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string QueryValue(std::string_view query, std::string_view name) {
  // libevent reads C strings.
  const std::string query_text(query);
  const std::string name_text(name);
  evkeyvalq params;
  params.tqh_first = nullptr;
  params.tqh_last = &params.tqh_first;
  std::string value;
  if (evhttp_parse_query_str(query_text.c_str(), &params) == 0) {
    const char* found = evhttp_find_header(&params, name_text.c_str());
    if (found != nullptr) value = found;
  }
  evhttp_clear_headers(&params);
  return value;
}

absl::StatusOr<std::string> ResumeCursor(std::string_view last_event_id,
                                         std::string_view cursor_param) {
  if (!last_event_id.empty()) {
    if (!IsCursor(last_event_id)) {
      return absl::InvalidArgumentError("Last-Event-ID: not an event cursor (<ms>-<seq>)");
    }
    return std::string(last_event_id);
  }
  if (!cursor_param.empty()) {
    if (!IsCursor(cursor_param)) {
      return absl::InvalidArgumentError("cursor: not an event cursor (<ms>-<seq>)");
    }
    return std::string(cursor_param);
  }
  return std::string();
}

std::string_view ContentTypeFor(std::string_view file_name) {
  size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return {};
  std::string ext(file_name.substr(dot + 1));
  for (char& c : ext) c = absl::ascii_tolower(static_cast<unsigned char>(c));
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "json") return "application/json";
  if (ext == "ico") return "image/x-icon";
  if (ext == "woff2") return "font/woff2";
  return {};
}

}  // namespace relais::gateway
