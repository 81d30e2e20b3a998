// The dashboard gateway assembled: the backend (gRPC clients of the three services), the HTTP
// loop with the dashboard routes, and the Prometheus endpoint. main.cc only parses flags and
// waits for a signal; tests start it on port 0 against a MobilisationStack.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/gateway/backend.h"
#include "services/gateway/dashboard_handler.h"
#include "services/gateway/http_server.h"
#include "services/gateway/sign_in.h"
#include "services/runtime/clock.h"
#include "services/runtime/logging.h"
#include "services/runtime/metrics.h"

namespace relais::gateway {

// How browsers reach the boards (docs/SECURITY.md): HTTPS, and a sign-in with a Relais token.
struct BrowserAccess {
  // The HTTPS certificate chain and key (PEM files); both empty: plain HTTP.
  HttpTls tls;
  // The PEM public key that verifies tokens at sign-in; empty: no sign-in.
  std::string token_public_key_pem;
  // Plain HTTP or no sign-in is refused at start unless this is set (--insecure_dev_identity).
  bool insecure_dev = false;
  SessionOptions sessions;
  // Borrowed; null: the system clock.
  const Clock* clock = nullptr;
};

// FAILED_PRECONDITION naming what is missing when `access` is not HTTPS with sign-in and not
// explicitly in development mode.
absl::Status CheckBrowserAccess(const BrowserAccess& access);

struct GatewayOptions {
  // host:port; port 0 = any free port (tests).
  std::string http_address = "127.0.0.1:8080";
  BackendOptions backend;
  BrowserAccess browser;
  // host:port of the Prometheus endpoint; empty: none.
  std::string metrics_address;
  HandlerOptions handler;
  // How often every open stream gets a keep-alive comment.
  absl::Duration keepalive_interval = absl::Seconds(15);
};

class GatewayServer {
 public:
  // Binds and serves at once. `log` (may be null: none) is borrowed.
  static absl::StatusOr<std::unique_ptr<GatewayServer>> Start(const GatewayOptions& options,
                                                              JsonLog* log = nullptr);
  // Tests and benchmarks may bring their own backend.
  static absl::StatusOr<std::unique_ptr<GatewayServer>> Start(
      const GatewayOptions& options, std::unique_ptr<DashboardBackend> backend,
      JsonLog* log = nullptr);
  ~GatewayServer();

  int http_port() const { return http_->port(); }
  bool https() const { return http_->secure(); }
  // Null when sign-in is off (development).
  BrowserSignIn* sign_in() { return sign_in_.get(); }
  int metrics_port() const { return metrics_->port(); }
  int open_streams() const { return handler_->open_streams(); }
  Metrics& metrics() { return *metrics_; }

  // Closes every stream (browsers reconnect elsewhere), stops the loop, then waits for the
  // calls under way. Idempotent.
  void Stop();

 private:
  class Observer;
  GatewayServer() = default;

  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<Observer> observer_;
  std::unique_ptr<DashboardBackend> backend_;
  SystemClock system_clock_;
  std::unique_ptr<BrowserSignIn> sign_in_;
  std::unique_ptr<DashboardHandler> handler_;
  std::unique_ptr<HttpServer> http_;
  bool stopped_ = false;
};

}  // namespace relais::gateway
