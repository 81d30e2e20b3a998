// A small HTTP/1.1 server on libevent's evhttp: ONE loop thread owns every connection (snapshot
// replies and open SSE streams alike), so a dashboard costs a socket and some buffers, never a
// thread. Work done elsewhere (gRPC callbacks) comes back with Post(): a mutex-protected queue
// plus an eventfd the loop watches.
//
// The free functions below are the replies a handler sends; call them on the loop thread only.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

struct bufferevent;
struct event;
struct event_base;
struct ssl_ctx_st;
struct evhttp;
struct evhttp_request;
struct evhttp_connection;

namespace relais::gateway {

using Headers = std::vector<std::pair<std::string, std::string>>;

// HTTPS: the server's certificate chain and key, PEM files. Both empty: plain HTTP.
struct HttpTls {
  std::string cert_path;
  std::string key_path;
  bool enabled() const { return !cert_path.empty() || !key_path.empty(); }
};

class HttpServer {
 public:
  using Handler = std::function<void(evhttp_request*)>;

  // Binds `address` (host:port; port 0 = any free port); Run() starts the loop thread. `handler`
  // receives every request on the loop thread. `tick` (may be empty) runs on the loop thread
  // every `tick_interval`. With `tls` every connection is TLS 1.2 or later (OpenSSL, through
  // libevent's bufferevent_openssl) and a client speaking plain HTTP gets no answer;
  // INVALID_ARGUMENT naming the flag when a file cannot be read or the key does not match.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(
      const std::string& address, Handler handler, std::function<void()> tick = {},
      absl::Duration tick_interval = absl::Seconds(15), const HttpTls& tls = {});
  ~HttpServer();

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const { return port_; }
  bool secure() const { return tls_ != nullptr; }
  // Starts the loop thread (once).
  void Run();

  // Runs `task` on the loop thread soon, in posting order; dropped once Stop() has begun. Any
  // thread.
  void Post(std::function<void()> task);

  // Runs `before_exit` on the loop thread (close the streams), then ends the loop, joins the
  // thread and frees every connection. Idempotent; not from the loop thread.
  void Stop(std::function<void()> before_exit = {});

 private:
  HttpServer() = default;
  static void OnRequest(evhttp_request* request, void* self);
  static bufferevent* NewTlsConnection(event_base* base, void* tls);
  static void OnWake(int fd, short what, void* self);
  static void OnTick(int fd, short what, void* self);
  void RunTasks();

  Handler handler_;
  std::function<void()> tick_;
  event_base* base_ = nullptr;
  evhttp* http_ = nullptr;
  ssl_ctx_st* tls_ = nullptr;
  event* wake_event_ = nullptr;
  event* tick_event_ = nullptr;
  int wake_fd_ = -1;
  int port_ = 0;
  std::thread loop_;

  absl::Mutex mu_;
  std::vector<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
};

// The request's method ("GET", "POST"...), path (without the query, not decoded), a query
// parameter (decoded, "" when absent) and a request header ("" when absent).
std::string_view RequestMethod(evhttp_request* request);
std::string RequestPath(evhttp_request* request);
std::string QueryParameter(evhttp_request* request, const char* name);
std::string RequestHeader(evhttp_request* request, const char* name);

// A complete reply. HEAD requests get the headers only (evhttp drops the body).
void SendReply(evhttp_request* request, int status, std::string_view content_type,
               std::string_view body, const Headers& headers = {});

// A streamed (chunked) reply: StartStream sends the status and headers, SendChunk appends
// bytes, EndStream finishes it. When the client is gone these do nothing harmful.
void StartStream(evhttp_request* request, const Headers& headers);
void SendChunk(evhttp_request* request, std::string_view bytes);
void EndStream(evhttp_request* request);
// Bytes written to the connection and not yet taken by the client's socket.
size_t PendingOutput(evhttp_request* request);
// Drops the connection at once (a client that does not read): the close callback follows.
void AbortConnection(evhttp_request* request);
// `on_close(connection, arg)` runs on the loop thread when the client's connection closes;
// null: none.
using CloseCallback = void (*)(evhttp_connection*, void*);
void SetCloseCallback(evhttp_request* request, CloseCallback on_close, void* arg);

}  // namespace relais::gateway
