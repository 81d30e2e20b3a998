#include "services/gateway/dashboard_handler.h"

#include <event2/buffer.h>
#include <event2/http.h>
#include <google/protobuf/util/json_util.h>

#include <array>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "nlohmann/json.hpp"
#include "services/gateway/assets.h"
#include "services/gateway/http_server.h"
#include "services/gateway/sse.h"

namespace relais::gateway {
namespace {

constexpr std::string_view kJson = "application/json";

std::string_view RouteName(RouteKind kind) {
  switch (kind) {
    case RouteKind::kIndex:
      return "index";
    case RouteKind::kAsset:
      return "asset";
    case RouteKind::kHealth:
      return "healthz";
    case RouteKind::kCrises:
      return "crises";
    case RouteKind::kCrisis:
      return "crisis";
    case RouteKind::kBoard:
      return "board";
    case RouteKind::kOutreach:
      return "outreach";
    case RouteKind::kAssignments:
      return "assignments";
    case RouteKind::kPlaces:
      return "places";
    case RouteKind::kCrisisEvents:
      return "crisis_events";
    case RouteKind::kAllEvents:
      return "events";
    case RouteKind::kSignIn:
      return "signin";
    case RouteKind::kSignOut:
      return "signout";
  }
  return "unknown";
}

constexpr std::string_view kHtml = "text/html; charset=utf-8";

// What needs a signed-in browser: the page and everything under /api (health, the sign-in form
// and the static assets, which hold no data, do not).
bool NeedsSession(RouteKind kind) { return kind == RouteKind::kIndex || IsApi(kind); }

// The body of a form POST, bounded by evhttp's max body size.
std::string RequestBody(evhttp_request* request) {
  evbuffer* input = evhttp_request_get_input_buffer(request);
  const size_t length = evbuffer_get_length(input);
  std::string body(length, '\0');
  if (length > 0) evbuffer_copyout(input, body.data(), length);
  return body;
}

}  // namespace

Headers DashboardHandler::CommonHeaders(bool api) const {
  Headers headers = {{"Content-Security-Policy", std::string(kContentSecurityPolicy)},
                     {"X-Content-Type-Options", "nosniff"},
                     // Not no-referrer: with it browsers send "Origin: null" on the page's own
                     // form POSTs, which the sign-in's Origin check must refuse. Nothing goes
                     // to other sites either way.
                     {"Referrer-Policy", "same-origin"},
                     {"X-Frame-Options", "DENY"}};
  if (api) headers.emplace_back("Cache-Control", "no-store");
  if (options_.https) headers.emplace_back("Strict-Transport-Security", "max-age=31536000");
  return headers;
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string out;
  auto status = google::protobuf::util::MessageToJsonString(message, &out, options);
  if (!status.ok()) return "{}";
  return out;
}

struct DashboardHandler::Stream {
  uint64_t id = 0;
  evhttp_request* request = nullptr;
  evhttp_connection* connection = nullptr;
  std::shared_ptr<EventWatch> watch;
  // The Cookie header it was opened with: Tick() ends the stream once that session has ended.
  std::string cookie;
};

// The frames of the last few events. Every stream watching a crisis gets the same event, and
// protobuf's JSON printer is the costliest step of a delivery: build each event's frame once.
class DashboardHandler::FrameCache {
 public:
  std::string EventFrame(const v1::Event& event) {
    {
      absl::MutexLock lock(&mu_);
      for (const auto& [cursor, frame] : frames_) {
        if (cursor == event.cursor()) return frame;
      }
    }
    std::string frame = SseFrame(event.cursor(), "event", ToJson(event));
    absl::MutexLock lock(&mu_);
    frames_[next_] = {event.cursor(), frame};
    next_ = (next_ + 1) % frames_.size();
    return frame;
  }

 private:
  absl::Mutex mu_;
  std::array<std::pair<std::string, std::string>, 32> frames_ ABSL_GUARDED_BY(mu_);
  size_t next_ ABSL_GUARDED_BY(mu_) = 0;
};

// Turns the feed into SSE frames on the gRPC thread (pure work) and hands each to the loop.
class DashboardHandler::Listener final : public WatchListener {
 public:
  Listener(DashboardHandler* handler, uint64_t id) : handler_(handler), id_(id) {}

  void OnUpdate(const v1::MobilisationUpdate& update) override {
    std::string frame;
    if (update.has_event()) {
      frame = handler_->frames_->EventFrame(update.event());
    } else if (update.has_heartbeat()) {
      frame = SseFrame(update.heartbeat().cursor(), "heartbeat", ToJson(update.heartbeat()));
    } else {
      return;
    }
    DashboardHandler* handler = handler_;
    uint64_t id = id_;
    handler_->post_([handler, id, frame = std::move(frame)] { handler->Deliver(id, frame); });
  }

  void OnEnd(const absl::Status& status) override {
    DashboardHandler* handler = handler_;
    uint64_t id = id_;
    handler_->post_([handler, id, status] { handler->EndFromService(id, status); });
  }

 private:
  DashboardHandler* const handler_;
  const uint64_t id_;
};

DashboardHandler::DashboardHandler(DashboardBackend* backend, Post post, HandlerObserver* observer,
                                   HandlerOptions options, BrowserSignIn* sign_in)
    : backend_(backend),
      post_(std::move(post)),
      observer_(observer),
      options_(options),
      sign_in_(sign_in),
      frames_(std::make_unique<FrameCache>()) {}

DashboardHandler::~DashboardHandler() {
  for (auto& [id, stream] : streams_) stream->watch->Cancel();
}

void DashboardHandler::Reply(evhttp_request* request, std::string_view route, bool api, int status,
                             std::string_view content_type, std::string_view body) {
  SendReply(request, status, content_type, body, CommonHeaders(api));
  if (observer_ != nullptr) observer_->OnReply(route, status);
}

void DashboardHandler::ReplyError(evhttp_request* request, std::string_view route, bool api,
                                  const absl::Status& status) {
  Reply(request, route, api, HttpStatusFor(status.code()), kJson, ErrorJson(status));
}

void DashboardHandler::Handle(evhttp_request* request) {
  // libevent hands a request back after a failed write on it; if it is one of our streams, the
  // client is gone.
  if (auto it = stream_by_request_.find(request); it != stream_by_request_.end()) {
    Forget(it->second);
    EndStream(request);
    return;
  }
  const std::string path = RequestPath(request);
  const bool api = path.rfind("/api", 0) == 0;
  absl::StatusOr<Route> route = ParseRoute(path);
  // An unknown path answers like the read-only routes.
  const RouteKind kind = route.ok() ? route->kind : RouteKind::kCrises;
  if (!IsAllowedMethod(kind, RequestMethod(request))) {
    const std::string allowed(AllowedMethods(kind));
    nlohmann::json body = {{"code", "METHOD_NOT_ALLOWED"},
                           {"message", absl::StrCat("this path takes ", allowed,
                                                    " only (the dashboard is read-only)")}};
    Headers headers = CommonHeaders(api);
    headers.emplace_back("Allow", allowed);
    SendReply(request, 405, kJson, body.dump(), headers);
    if (observer_ != nullptr) observer_->OnReply("method", 405);
    return;
  }
  if (!route.ok()) {
    ReplyError(request, "unknown", api, route.status());
    return;
  }
  const std::string_view name = RouteName(route->kind);
  if (sign_in_ != nullptr && NeedsSession(route->kind) &&
      !sign_in_->SessionOf(RequestHeader(request, "Cookie")).has_value()) {
    if (route->kind == RouteKind::kIndex) {
      Redirect(request, name, "/signin");
    } else {
      ReplyError(request, name, true,
                 absl::UnauthenticatedError("sign in first (/signin), or sign in again"));
    }
    return;
  }
  const std::string& id = route->crisis_id;
  switch (route->kind) {
    case RouteKind::kSignIn:
      SignInRoute(request);
      return;
    case RouteKind::kSignOut:
      SignOutRoute(request);
      return;
    case RouteKind::kIndex:
    case RouteKind::kAsset: {
      const std::string file = route->kind == RouteKind::kIndex ? "index.html" : route->asset_name;
      const Asset* asset = FindAsset(file);
      if (asset == nullptr) {
        ReplyError(request, name, false, absl::NotFoundError(absl::StrCat("no asset ", file)));
        return;
      }
      Reply(request, name, false, 200, ContentTypeFor(file), asset->data);
      return;
    }
    case RouteKind::kHealth:
      Health(request);
      return;
    case RouteKind::kCrises:
      Snapshot<v1::ListCrisesResponse>(request, name, [this](auto done) {
        backend_->ListCrises(options_.list_limit, std::move(done));
      });
      return;
    case RouteKind::kCrisis:
      Snapshot<v1::Crisis>(request, name,
                           [this, id](auto done) { backend_->GetCrisis(id, std::move(done)); });
      return;
    case RouteKind::kBoard:
      Snapshot<v1::CrisisBoard>(request, name,
                                [this, id](auto done) { backend_->GetBoard(id, std::move(done)); });
      return;
    case RouteKind::kOutreach:
      Snapshot<v1::Outreach>(request, name,
                             [this, id](auto done) { backend_->GetOutreach(id, std::move(done)); });
      return;
    case RouteKind::kAssignments:
      Snapshot<v1::ListAssignmentsResponse>(request, name, [this, id](auto done) {
        backend_->ListAssignments(id, options_.list_limit, std::move(done));
      });
      return;
    case RouteKind::kPlaces:
      Snapshot<v1::DashboardPlaces>(
          request, name, [this, id](auto done) { backend_->GetPlaces(id, std::move(done)); });
      return;
    case RouteKind::kCrisisEvents:
    case RouteKind::kAllEvents:
      OpenStream(request, *route, name);
      return;
  }
}

void DashboardHandler::Redirect(evhttp_request* request, std::string_view route,
                                std::string_view location, std::string_view set_cookie) {
  Headers headers = CommonHeaders(false);
  headers.emplace_back("Location", std::string(location));
  headers.emplace_back("Cache-Control", "no-store");
  if (!set_cookie.empty()) headers.emplace_back("Set-Cookie", std::string(set_cookie));
  SendReply(request, 303, "", "", headers);
  if (observer_ != nullptr) observer_->OnReply(route, 303);
}

void DashboardHandler::SignInRoute(evhttp_request* request) {
  if (sign_in_ == nullptr) {
    // Development mode: no sign-in, the boards are open.
    Redirect(request, "signin", "/");
    return;
  }
  const std::string cookie = RequestHeader(request, "Cookie");
  if (RequestMethod(request) != "POST") {
    // Already signed in: straight to the boards.
    if (sign_in_->SessionOf(cookie).has_value()) {
      Redirect(request, "signin", "/");
    } else {
      Reply(request, "signin", false, 200, kHtml, SignInPage(""));
    }
    return;
  }
  if (!IsSameOrigin(RequestHeader(request, "Origin"), RequestHeader(request, "Host"),
                    options_.https)) {
    Reply(request, "signin", false, 403, kHtml,
          SignInPage("Refused: the form was not sent from this dashboard's own page."));
    return;
  }
  absl::StatusOr<std::string> set_cookie =
      sign_in_->SignIn(QueryValue(RequestBody(request), "token"));
  if (!set_cookie.ok()) {
    Reply(request, "signin", false, HttpStatusFor(set_cookie.status().code()), kHtml,
          SignInPage(absl::StrCat("Sign-in refused: ", set_cookie.status().message())));
    return;
  }
  Redirect(request, "signin", "/", *set_cookie);
}

void DashboardHandler::SignOutRoute(evhttp_request* request) {
  if (sign_in_ == nullptr) {
    Redirect(request, "signout", "/");
    return;
  }
  if (!IsSameOrigin(RequestHeader(request, "Origin"), RequestHeader(request, "Host"),
                    options_.https)) {
    ReplyError(request, "signout", false,
               absl::PermissionDeniedError("the form was not sent from this dashboard's page"));
    return;
  }
  Redirect(request, "signout", "/signin", sign_in_->SignOut(RequestHeader(request, "Cookie")));
}

template <class T, class Fetch>
void DashboardHandler::Snapshot(evhttp_request* request, std::string_view route, Fetch fetch) {
  fetch(gateway::Reply<T>([this, request, route](absl::StatusOr<T> result) {
    // The JSON is built here, on the gRPC thread; the loop only writes it.
    int status = 200;
    std::string body;
    if (result.ok()) {
      body = ToJson(*result);
    } else {
      status = HttpStatusFor(result.status().code());
      body = ErrorJson(result.status());
    }
    post_([this, request, route, status, body = std::move(body)] {
      Reply(request, route, true, status, kJson, body);
    });
  }));
}

void DashboardHandler::Health(evhttp_request* request) {
  backend_->CheckHealth([this, request](absl::Status status) {
    post_([this, request, status] {
      if (status.ok()) {
        Reply(request, "healthz", true, 200, kJson, R"({"status":"SERVING"})");
      } else {
        nlohmann::json body = {{"status", "NOT_SERVING"},
                               {"code", "UNAVAILABLE"},
                               {"message", std::string(status.message())}};
        Reply(request, "healthz", true, 503, kJson,
              body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      }
    });
  });
}

void DashboardHandler::OpenStream(evhttp_request* request, const Route& route,
                                  std::string_view name) {
  absl::StatusOr<std::string> cursor =
      ResumeCursor(RequestHeader(request, "Last-Event-ID"), QueryParameter(request, "cursor"));
  if (!cursor.ok()) {
    ReplyError(request, name, true, cursor.status());
    return;
  }
  Headers headers = CommonHeaders(true);
  headers.emplace_back("Content-Type", "text/event-stream");
  headers.emplace_back("X-Accel-Buffering", "no");
  // A stream holds its connection to the end; then the connection goes too (the browser opens a
  // new one to resume).
  headers.emplace_back("Connection", "close");
  if (RequestMethod(request) == "HEAD") {
    SendReply(request, 200, "", "", headers);
    if (observer_ != nullptr) observer_->OnReply(name, 200);
    return;
  }
  auto stream = std::make_unique<Stream>();
  stream->id = next_stream_id_++;
  stream->request = request;
  stream->connection = evhttp_request_get_connection(request);
  stream->cookie = RequestHeader(request, "Cookie");
  StartStream(request, headers);
  SendChunk(request, SseOpening());
  SetCloseCallback(request, &DashboardHandler::OnConnectionClosed, this);
  if (observer_ != nullptr) observer_->OnReply(name, 200);
  std::vector<std::string> crisis_ids;
  if (!route.crisis_id.empty()) crisis_ids.push_back(route.crisis_id);
  stream->watch = backend_->Watch(std::move(crisis_ids), *std::move(cursor),
                                  std::make_shared<Listener>(this, stream->id));
  stream_by_connection_[stream->connection] = stream->id;
  stream_by_request_[request] = stream->id;
  streams_[stream->id] = std::move(stream);
  UpdateGauge();
}

void DashboardHandler::Deliver(uint64_t id, const std::string& frame) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return;  // closed meanwhile
  evhttp_request* request = it->second->request;
  SendChunk(request, frame);
  if (PendingOutput(request) > options_.max_stream_backlog_bytes) {
    // The browser does not read: drop it rather than buffer without end.
    Forget(id);
    AbortConnection(request);
    EndStream(request);
  }
}

void DashboardHandler::EndFromService(uint64_t id, const absl::Status& status) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return;
  evhttp_request* request = it->second->request;
  Forget(id);
  if (status.code() == absl::StatusCode::kOutOfRange) {
    // The cursor is older than the log keeps: the page reloads the board and starts again.
    SendChunk(request, SseFrame("", "reset", ErrorJson(status)));
  }
  EndStream(request);
}

std::unique_ptr<DashboardHandler::Stream> DashboardHandler::Forget(uint64_t id) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return nullptr;
  std::unique_ptr<Stream> stream = std::move(it->second);
  streams_.erase(it);
  stream_by_connection_.erase(stream->connection);
  stream_by_request_.erase(stream->request);
  if (evhttp_request_get_connection(stream->request) != nullptr) {
    SetCloseCallback(stream->request, nullptr, nullptr);
  }
  stream->watch->Cancel();
  UpdateGauge();
  return stream;
}

void DashboardHandler::OnConnectionClosed(evhttp_connection* connection, void* self) {
  auto* handler = static_cast<DashboardHandler*>(self);
  auto it = handler->stream_by_connection_.find(connection);
  if (it == handler->stream_by_connection_.end()) return;
  std::unique_ptr<Stream> stream = handler->Forget(it->second);
  // libevent detached the unfinished request from the dying connection; ending it frees it.
  if (stream != nullptr) EndStream(stream->request);
}

void DashboardHandler::Tick() {
  std::vector<uint64_t> ids;
  std::vector<uint64_t> signed_out;
  for (const auto& [id, stream] : streams_) {
    if (sign_in_ != nullptr && !sign_in_->SessionOf(stream->cookie).has_value()) {
      signed_out.push_back(id);
    } else {
      ids.push_back(id);
    }
  }
  // A feed does not outlive its session: the browser's reconnect then gets 401.
  for (uint64_t id : signed_out) {
    std::unique_ptr<Stream> stream = Forget(id);
    if (stream != nullptr) EndStream(stream->request);
  }
  const std::string comment = SseComment("keepalive");
  for (uint64_t id : ids) Deliver(id, comment);
}

void DashboardHandler::CloseAll() {
  std::vector<uint64_t> ids;
  for (const auto& [id, stream] : streams_) ids.push_back(id);
  for (uint64_t id : ids) {
    std::unique_ptr<Stream> stream = Forget(id);
    if (stream != nullptr) EndStream(stream->request);
  }
}

void DashboardHandler::UpdateGauge() {
  open_streams_.store(static_cast<int>(streams_.size()));
  if (observer_ != nullptr) observer_->OnStreamsChanged(static_cast<int>(streams_.size()));
}

}  // namespace relais::gateway
