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
#include "services/runtime/logging.h"
#include "services/runtime/metrics.h"

namespace relais::gateway {

struct GatewayOptions {
  // host:port; port 0 = any free port (tests).
  std::string http_address = "127.0.0.1:8080";
  BackendOptions backend;
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
  std::unique_ptr<DashboardHandler> handler_;
  std::unique_ptr<HttpServer> http_;
  bool stopped_ = false;
};

}  // namespace relais::gateway
