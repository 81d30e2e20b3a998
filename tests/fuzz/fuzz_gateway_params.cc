// Fuzz target: the gateway's HTTP parameters. The bytes are "<request target>\n<Last-Event-ID>",
// the two things a browser (or anyone) chooses in a GET. They go where the gateway's handler takes
// them (dashboard_handler.cc): the target through libevent's URI parser as evhttp parses a request
// line, its path through ParseRoute, its query through QueryValue("cursor"), the pair through
// ResumeCursor, and the answer through ErrorJson or SseFrame.
//
// What must hold, whatever the bytes:
//   - no crash, no sanitizer report;
//   - a route's crisis id is a valid id and its path parses back to the same route; an asset name
//     is a plain file name of a type the gateway serves;
//   - a refusal is 400 or 404 with a JSON body {"code","message"};
//   - a resume cursor is empty or "<ms>-<seq>", two 64-bit numbers as the mobilisation service
//     reads them;
//   - an SSE frame is "id:", "event:" and "data:" lines ending in a blank line, with no stray CR or
//     LF inside a field, and one data line per line of the data.
#include <event2/http.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "nlohmann/json.hpp"
#include "services/gateway/routes.h"
#include "services/gateway/sse.h"

namespace relais::gateway {
namespace {

void Require(bool ok, std::string_view what, std::string_view detail = "") {
  if (ok) return;
  std::fprintf(stderr, "fuzz_gateway_params: %.*s (%.*s)\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(detail.size()), detail.data());
  std::abort();
}

// Digits of a number that fits in 64 bits.
bool IsNumber(std::string_view text) {
  if (text.empty() || text.size() > 20) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return text.size() < 20 || text <= "18446744073709551615";
}

void CheckErrorReply(const absl::Status& status) {
  const int http = HttpStatusFor(status.code());
  Require(http == 400 || http == 404, "a parameter refused with neither 400 nor 404",
          status.ToString());
  const nlohmann::json body = nlohmann::json::parse(ErrorJson(status), nullptr, false);
  Require(!body.is_discarded() && body.is_object(), "an error body is not JSON", status.ToString());
  Require(body.contains("code") && body["code"].is_string() && body.contains("message") &&
              body["message"].is_string(),
          "an error body lacks code or message", status.ToString());
}

// The frame read back as EventSource reads it.
void CheckFrame(std::string_view id, std::string_view event, std::string_view data) {
  const std::string frame = SseFrame(id, event, data);
  Require(frame.size() >= 2 && frame.compare(frame.size() - 2, 2, "\n\n") == 0,
          "a frame does not end with a blank line", frame);
  Require(frame.find('\r') == std::string::npos, "a frame holds a carriage return", frame);
  std::string_view rest(frame);
  rest.remove_suffix(1);  // the blank line
  int data_lines = 0;
  int id_lines = 0;
  int event_lines = 0;
  while (!rest.empty()) {
    const size_t end = rest.find('\n');
    Require(end != std::string_view::npos, "a frame line without its end", frame);
    const std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end + 1);
    if (line.substr(0, 6) == "data: ") {
      ++data_lines;
    } else if (line.substr(0, 4) == "id: ") {
      ++id_lines;
    } else if (line.substr(0, 7) == "event: ") {
      ++event_lines;
    } else {
      Require(false, "a frame line of no known field (or a blank line inside)", frame);
    }
  }
  Require(id_lines == (id.empty() ? 0 : 1) && event_lines == 1, "a frame has extra fields", frame);
  int expected = 1;
  for (char c : data) expected += c == '\n' ? 1 : 0;
  Require(data_lines == expected, "a frame has not one data line per line of data", frame);

  const std::string comment = SseComment(data);
  Require(comment.find('\n') == comment.size() - 2 && comment.find('\r') == std::string::npos,
          "a comment spans lines", comment);
}

void CheckRoute(const Route& route) {
  switch (route.kind) {
    case RouteKind::kAsset:
      Require(!route.asset_name.empty() && route.asset_name.find('/') == std::string::npos &&
                  route.asset_name.front() != '.' && !ContentTypeFor(route.asset_name).empty(),
              "an asset name that is not a plain file of a served type", route.asset_name);
      break;
    case RouteKind::kCrisis:
    case RouteKind::kBoard:
    case RouteKind::kOutreach:
    case RouteKind::kAssignments:
    case RouteKind::kPlaces:
    case RouteKind::kCrisisEvents: {
      Require(IsValidId(route.crisis_id), "a route with an invalid crisis id", route.crisis_id);
      static const char* const kSuffixes[] = {"",        "/board", "/outreach", "/assignments",
                                              "/places", "/events"};
      const std::string path =
          "/api/crises/" + route.crisis_id +
          kSuffixes[static_cast<int>(route.kind) - static_cast<int>(RouteKind::kCrisis)];
      absl::StatusOr<Route> again = ParseRoute(path);
      Require(again.ok() && again->kind == route.kind && again->crisis_id == route.crisis_id,
              "a route does not parse back", path);
      break;
    }
    default:
      Require(route.crisis_id.empty() && route.asset_name.empty(), "a fixed route with an id");
  }
}

// One GET with this target and Last-Event-ID, as the handler sees it.
void Get(const std::string& target, const std::string& last_event_id) {
  // evhttp answers 400 itself to a request line it cannot parse.
  std::unique_ptr<evhttp_uri, void (*)(evhttp_uri*)> uri(
      evhttp_uri_parse_with_flags(target.c_str(), EVHTTP_URI_NONCONFORMANT), &evhttp_uri_free);
  if (uri == nullptr) return;
  const char* raw_path = evhttp_uri_get_path(uri.get());
  const std::string path = raw_path != nullptr && *raw_path != '\0' ? raw_path : "/";
  const char* raw_query = evhttp_uri_get_query(uri.get());
  const std::string query = raw_query != nullptr ? raw_query : "";

  absl::StatusOr<Route> route = ParseRoute(path);
  if (!route.ok()) {
    CheckErrorReply(route.status());
    return;
  }
  CheckRoute(*route);
  if (!IsStream(route->kind)) return;
  absl::StatusOr<std::string> cursor = ResumeCursor(last_event_id, QueryValue(query, "cursor"));
  if (!cursor.ok()) {
    Require(cursor.status().code() == absl::StatusCode::kInvalidArgument,
            "a bad cursor is not INVALID_ARGUMENT", cursor.status().ToString());
    CheckErrorReply(cursor.status());
    return;
  }
  if (!cursor->empty()) {
    // What the mobilisation service accepts (feed_hub.cc): two 64-bit numbers.
    const size_t dash = cursor->find('-');
    Require(dash != std::string::npos && IsNumber(cursor->substr(0, dash)) &&
                IsNumber(cursor->substr(dash + 1)),
            "a cursor that is not <ms>-<seq> of 64-bit numbers", *cursor);
  }
  // The stream's events carry the cursor as their id.
  CheckFrame(*cursor, "event", query);
}

}  // namespace
}  // namespace relais::gateway

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace relais::gateway;  // NOLINT
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  std::string_view target = input.substr(0, newline);
  std::string_view header =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  // A header value is one line; both are C strings to libevent.
  header = header.substr(0, header.find_first_of("\r\n"));
  target = target.substr(0, target.find('\0'));
  header = header.substr(0, header.find('\0'));
  Get(std::string(target), std::string(header));

  // The framing and the error body on anything at all, not only on what the routes let through.
  CheckFrame(header, target, input);
  CheckErrorReply(absl::InvalidArgumentError(std::string(input)));
  return 0;
}
