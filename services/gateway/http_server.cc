#include "services/gateway/http_server.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/util.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/gateway/routes.h"

namespace relais::gateway {
namespace {

absl::Status ParseAddress(const std::string& address, std::string* host, uint16_t* port) {
  size_t colon = address.rfind(':');
  int value = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(address.substr(colon + 1), &value) ||
      value < 0 || value > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("http_address: \"", address, "\" is not host:port"));
  }
  *host = address.substr(0, colon);
  if (host->size() >= 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  *port = static_cast<uint16_t>(value);
  return absl::OkStatus();
}

// OpenSSL's last error, for a message.
std::string TlsError() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown error";
  char text[256];
  ERR_error_string_n(code, text, sizeof(text));
  return text;
}

absl::StatusOr<SSL_CTX*> MakeServerContext(const HttpTls& tls) {
  if (tls.cert_path.empty() || tls.key_path.empty()) {
    return absl::InvalidArgumentError(
        "http_tls_cert and http_tls_key: give both (HTTPS) or neither (plain HTTP, development)");
  }
  SSL_CTX* context = SSL_CTX_new(TLS_server_method());
  if (context == nullptr) return absl::InternalError("OpenSSL: cannot create a TLS context");
  // TLS 1.2 and 1.3 only; no renegotiation, no compression (CRIME).
  SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  SSL_CTX_set_options(
      context, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  absl::Status status;
  if (SSL_CTX_use_certificate_chain_file(context, tls.cert_path.c_str()) != 1) {
    status = absl::InvalidArgumentError(absl::StrCat("http_tls_cert: cannot use '", tls.cert_path,
                                                     "' as a PEM certificate: ", TlsError()));
  } else if (SSL_CTX_use_PrivateKey_file(context, tls.key_path.c_str(), SSL_FILETYPE_PEM) != 1) {
    status = absl::InvalidArgumentError(absl::StrCat("http_tls_key: cannot use '", tls.key_path,
                                                     "' as a PEM private key: ", TlsError()));
  } else if (SSL_CTX_check_private_key(context) != 1) {
    status = absl::InvalidArgumentError(absl::StrCat("http_tls_key: '", tls.key_path,
                                                     "' is not the key of '", tls.cert_path,
                                                     "': ", TlsError()));
  }
  if (!status.ok()) {
    SSL_CTX_free(context);
    return status;
  }
  return context;
}

}  // namespace

bufferevent* HttpServer::NewTlsConnection(event_base* base, void* tls) {
  SSL* ssl = SSL_new(static_cast<SSL_CTX*>(tls));
  if (ssl == nullptr) return nullptr;
  // evhttp sets the accepted socket on it; the handshake runs before any HTTP byte is read, so
  // a plain-HTTP client fails the handshake and is closed without an answer.
  bufferevent* events = bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING,
                                                       BEV_OPT_CLOSE_ON_FREE);
  // Browsers often close without a TLS close_notify; that is the end of a connection, not an
  // error worth logging.
  if (events != nullptr) bufferevent_openssl_set_allow_dirty_shutdown(events, 1);
  return events;
}

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const std::string& address,
                                                              Handler handler,
                                                              std::function<void()> tick,
                                                              absl::Duration tick_interval,
                                                              const HttpTls& tls) {
  std::string host;
  uint16_t port = 0;
  if (auto parsed = ParseAddress(address, &host, &port); !parsed.ok()) return parsed;

  std::unique_ptr<HttpServer> server(new HttpServer());
  if (tls.enabled()) {
    auto context = MakeServerContext(tls);
    if (!context.ok()) return context.status();
    server->tls_ = *context;
  }
  server->handler_ = std::move(handler);
  server->tick_ = std::move(tick);
  server->base_ = event_base_new();
  server->http_ = server->base_ ? evhttp_new(server->base_) : nullptr;
  if (server->http_ == nullptr) return absl::InternalError("libevent: cannot create the loop");
  // Every method reaches the handler, which answers 405 with Allow itself.
  evhttp_set_allowed_methods(server->http_, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
                                                EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
                                                EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE |
                                                EVHTTP_REQ_CONNECT | EVHTTP_REQ_PATCH);
  evhttp_set_max_headers_size(server->http_, 16 * 1024);
  evhttp_set_max_body_size(server->http_, 64 * 1024);
  evhttp_set_gencb(server->http_, &HttpServer::OnRequest, server.get());
  if (server->tls_ != nullptr) {
    evhttp_set_bevcb(server->http_, &HttpServer::NewTlsConnection, server->tls_);
  }
  evhttp_bound_socket* bound = evhttp_bind_socket_with_handle(server->http_, host.c_str(), port);
  if (bound == nullptr) {
    return absl::UnavailableError(absl::StrCat("http_address: cannot listen on ", address));
  }
  sockaddr_storage addr{};
  socklen_t length = sizeof(addr);
  if (getsockname(evhttp_bound_socket_get_fd(bound), reinterpret_cast<sockaddr*>(&addr), &length) ==
      0) {
    if (addr.ss_family == AF_INET) {
      server->port_ = ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
    } else if (addr.ss_family == AF_INET6) {
      server->port_ = ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
    }
  }

  server->wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (server->wake_fd_ < 0) return absl::InternalError("eventfd failed");
  server->wake_event_ = event_new(server->base_, server->wake_fd_, EV_READ | EV_PERSIST,
                                  &HttpServer::OnWake, server.get());
  event_add(server->wake_event_, nullptr);
  if (server->tick_) {
    server->tick_event_ =
        event_new(server->base_, -1, EV_PERSIST, &HttpServer::OnTick, server.get());
    timeval interval = absl::ToTimeval(tick_interval);
    event_add(server->tick_event_, &interval);
  }
  return server;
}

void HttpServer::Run() {
  if (loop_.joinable()) return;
  loop_ = std::thread([this] { event_base_dispatch(base_); });
}

HttpServer::~HttpServer() {
  Stop();
  if (http_ != nullptr) evhttp_free(http_);
  if (tls_ != nullptr) SSL_CTX_free(tls_);
  if (wake_event_ != nullptr) event_free(wake_event_);
  if (tick_event_ != nullptr) event_free(tick_event_);
  if (base_ != nullptr) event_base_free(base_);
  if (wake_fd_ >= 0) close(wake_fd_);
}

void HttpServer::Post(std::function<void()> task) {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) return;
    tasks_.push_back(std::move(task));
    if (tasks_.size() > 1) return;  // a wake-up is already on its way
  }
  uint64_t one = 1;
  ssize_t written = write(wake_fd_, &one, sizeof(one));
  (void)written;  // EAGAIN: the counter is full, so the loop wakes anyway
}

void HttpServer::Stop(std::function<void()> before_exit) {
  {
    absl::MutexLock lock(&mu_);
    if (stopped_ || !loop_.joinable()) return;
    stopped_ = true;
    // The last task: no other is accepted after it.
    tasks_.push_back([this, before_exit = std::move(before_exit)] {
      if (before_exit) before_exit();
      // A moment for the last bytes (ends of streams) to reach the sockets.
      timeval flush = {0, 100 * 1000};
      event_base_loopexit(base_, &flush);
    });
    stopping_ = true;
  }
  uint64_t one = 1;
  ssize_t written = write(wake_fd_, &one, sizeof(one));
  (void)written;
  loop_.join();
  // Closes every connection still open.
  evhttp_free(http_);
  http_ = nullptr;
}

void HttpServer::OnRequest(evhttp_request* request, void* self) {
  static_cast<HttpServer*>(self)->handler_(request);
}

void HttpServer::OnWake(int fd, short /*what*/, void* self) {
  uint64_t count = 0;
  ssize_t got = read(fd, &count, sizeof(count));
  (void)got;
  static_cast<HttpServer*>(self)->RunTasks();
}

void HttpServer::OnTick(int /*fd*/, short /*what*/, void* self) {
  static_cast<HttpServer*>(self)->tick_();
}

void HttpServer::RunTasks() {
  std::vector<std::function<void()>> tasks;
  {
    absl::MutexLock lock(&mu_);
    tasks.swap(tasks_);
  }
  for (auto& task : tasks) task();
}

std::string_view RequestMethod(evhttp_request* request) {
  switch (evhttp_request_get_command(request)) {
    case EVHTTP_REQ_GET:
      return "GET";
    case EVHTTP_REQ_HEAD:
      return "HEAD";
    case EVHTTP_REQ_POST:
      return "POST";
    case EVHTTP_REQ_PUT:
      return "PUT";
    case EVHTTP_REQ_DELETE:
      return "DELETE";
    case EVHTTP_REQ_OPTIONS:
      return "OPTIONS";
    case EVHTTP_REQ_TRACE:
      return "TRACE";
    case EVHTTP_REQ_CONNECT:
      return "CONNECT";
    case EVHTTP_REQ_PATCH:
      return "PATCH";
  }
  return "OTHER";
}

std::string RequestPath(evhttp_request* request) {
  const evhttp_uri* uri = evhttp_request_get_evhttp_uri(request);
  const char* path = uri != nullptr ? evhttp_uri_get_path(uri) : nullptr;
  return path != nullptr && *path != '\0' ? path : "/";
}

std::string QueryParameter(evhttp_request* request, const char* name) {
  const evhttp_uri* uri = evhttp_request_get_evhttp_uri(request);
  const char* query = uri != nullptr ? evhttp_uri_get_query(uri) : nullptr;
  return query != nullptr ? QueryValue(query, name) : "";
}

std::string RequestHeader(evhttp_request* request, const char* name) {
  const char* value = evhttp_find_header(evhttp_request_get_input_headers(request), name);
  return value != nullptr ? value : "";
}

namespace {

void AddHeaders(evhttp_request* request, const Headers& headers) {
  evkeyvalq* out = evhttp_request_get_output_headers(request);
  for (const auto& [name, value] : headers) {
    evhttp_add_header(out, name.c_str(), value.c_str());
  }
}

}  // namespace

void SendReply(evhttp_request* request, int status, std::string_view content_type,
               std::string_view body, const Headers& headers) {
  AddHeaders(request, headers);
  if (!content_type.empty()) {
    evhttp_add_header(evhttp_request_get_output_headers(request), "Content-Type",
                      std::string(content_type).c_str());
  }
  evbuffer* buffer = evbuffer_new();
  if (evhttp_request_get_command(request) == EVHTTP_REQ_HEAD) {
    // The length of what GET would send, and no body (evhttp would send it).
    evhttp_add_header(evhttp_request_get_output_headers(request), "Content-Length",
                      std::to_string(body.size()).c_str());
  } else {
    evbuffer_add(buffer, body.data(), body.size());
  }
  evhttp_send_reply(request, status, nullptr, buffer);
  evbuffer_free(buffer);
}

void StartStream(evhttp_request* request, const Headers& headers) {
  AddHeaders(request, headers);
  evhttp_send_reply_start(request, 200, "OK");
}

void SendChunk(evhttp_request* request, std::string_view bytes) {
  evbuffer* buffer = evbuffer_new();
  evbuffer_add(buffer, bytes.data(), bytes.size());
  evhttp_send_reply_chunk(request, buffer);
  evbuffer_free(buffer);
}

void EndStream(evhttp_request* request) { evhttp_send_reply_end(request); }

size_t PendingOutput(evhttp_request* request) {
  evhttp_connection* connection = evhttp_request_get_connection(request);
  if (connection == nullptr) return 0;
  bufferevent* events = evhttp_connection_get_bufferevent(connection);
  return events != nullptr ? evbuffer_get_length(bufferevent_get_output(events)) : 0;
}

void AbortConnection(evhttp_request* request) {
  evhttp_connection* connection = evhttp_request_get_connection(request);
  if (connection == nullptr) return;
  bufferevent* events = evhttp_connection_get_bufferevent(connection);
  if (events == nullptr) return;
  // Shut the socket down rather than free the connection under the request: libevent then sees
  // the error on its next read or write and runs its usual close path (and our close callback).
  shutdown(bufferevent_getfd(events), SHUT_RDWR);
  bufferevent_enable(events, EV_READ | EV_WRITE);
}

void SetCloseCallback(evhttp_request* request, CloseCallback on_close, void* arg) {
  evhttp_connection* connection = evhttp_request_get_connection(request);
  if (connection != nullptr) evhttp_connection_set_closecb(connection, on_close, arg);
}

}  // namespace relais::gateway
