// The gateway's HTTP routes: path -> one read of the backend -> JSON, or an SSE stream of the
// mobilisation feed. Runs on the HTTP loop thread; the backend answers on gRPC threads and the
// answer comes back through `post` (HttpServer::Post). The routes and their contract are in
// docs/ARCHITECTURE.md ("The dashboard gateway").
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "services/gateway/backend.h"
#include "services/gateway/http_server.h"
#include "services/gateway/routes.h"
#include "services/gateway/sign_in.h"

struct evhttp_request;
struct evhttp_connection;

namespace relais::gateway {

// What the metrics see (server.cc counts them in Prometheus).
class HandlerObserver {
 public:
  virtual ~HandlerObserver() = default;
  virtual void OnReply(std::string_view route, int status) = 0;
  virtual void OnStreamsChanged(int open) = 0;
};

struct HandlerOptions {
  // A stream whose unsent output grows past this is closed (the browser resumes from its
  // Last-Event-ID, so nothing is lost).
  size_t max_stream_backlog_bytes = 1 << 20;
  // At most this many crises or assignments in one list.
  int list_limit = 500;
  // Served over HTTPS: replies carry Strict-Transport-Security.
  bool https = false;
};

class DashboardHandler {
 public:
  using Post = std::function<void(std::function<void()>)>;

  // `backend`, `observer` (may be null) and `sign_in` are borrowed and must outlive the handler.
  // With `sign_in`, the page and every /api route need a signed-in browser; null: anyone may
  // read (development only).
  DashboardHandler(DashboardBackend* backend, Post post, HandlerObserver* observer,
                   HandlerOptions options = {}, BrowserSignIn* sign_in = nullptr);
  ~DashboardHandler();

  DashboardHandler(const DashboardHandler&) = delete;
  DashboardHandler& operator=(const DashboardHandler&) = delete;

  // Loop thread only.
  void Handle(evhttp_request* request);
  // A keep-alive comment on every stream (proxies and dead connections), the back-pressure
  // check, and the end of streams whose session has ended (signed out or expired).
  void Tick();
  // Ends every stream and cancels its watch (shutdown).
  void CloseAll();

  // Any thread.
  int open_streams() const { return open_streams_.load(); }

 private:
  struct Stream;
  class Listener;
  class FrameCache;

  void Reply(evhttp_request* request, std::string_view route, bool api, int status,
             std::string_view content_type, std::string_view body);
  void ReplyError(evhttp_request* request, std::string_view route, bool api,
                  const absl::Status& status);
  // Sends what `fetch` produces (a protobuf message) as JSON, back on the loop thread.
  template <class T, class Fetch>
  void Snapshot(evhttp_request* request, std::string_view route, Fetch fetch);
  void Health(evhttp_request* request);
  // The sign-in form and its POST, and sign-out (thin: BrowserSignIn decides).
  void SignInRoute(evhttp_request* request);
  void SignOutRoute(evhttp_request* request);
  void Redirect(evhttp_request* request, std::string_view route, std::string_view location,
                std::string_view set_cookie = "");
  Headers CommonHeaders(bool api) const;
  void OpenStream(evhttp_request* request, const Route& route, std::string_view name);

  void Deliver(uint64_t id, const std::string& frame);
  void EndFromService(uint64_t id, const absl::Status& status);
  // Forgets the stream: cancels the watch, drops the close callback.
  std::unique_ptr<Stream> Forget(uint64_t id);
  static void OnConnectionClosed(evhttp_connection* connection, void* self);
  void UpdateGauge();

  DashboardBackend* const backend_;
  const Post post_;
  HandlerObserver* const observer_;
  const HandlerOptions options_;
  BrowserSignIn* const sign_in_;
  uint64_t next_stream_id_ = 1;
  std::map<uint64_t, std::unique_ptr<Stream>> streams_;
  std::map<evhttp_connection*, uint64_t> stream_by_connection_;
  std::map<evhttp_request*, uint64_t> stream_by_request_;
  std::atomic<int> open_streams_{0};
  std::unique_ptr<FrameCache> frames_;
};

// protobuf's JSON mapping as the API uses it (lowerCamelCase, enums as names, every field).
std::string ToJson(const google::protobuf::Message& message);

// The Content-Security-Policy every response carries.
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'";

}  // namespace relais::gateway
