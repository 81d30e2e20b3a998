#include "services/gateway/server.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace relais::gateway {

// relais_gateway_http_requests_total{route,code} and relais_gateway_sse_streams_open.
class GatewayServer::Observer final : public HandlerObserver {
 public:
  explicit Observer(prometheus::Registry& registry)
      : requests_(prometheus::BuildCounter()
                      .Name("relais_gateway_http_requests_total")
                      .Help("HTTP requests answered by the gateway, by route and status")
                      .Register(registry)),
        streams_(prometheus::BuildGauge()
                     .Name("relais_gateway_sse_streams_open")
                     .Help("Server-Sent Events streams open now")
                     .Register(registry)
                     .Add({})) {}

  void OnReply(std::string_view route, int status) override {
    requests_.Add({{"route", std::string(route)}, {"code", absl::StrCat(status)}}).Increment();
  }
  void OnStreamsChanged(int open) override { streams_.Set(open); }

 private:
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Gauge& streams_;
};

absl::Status CheckBrowserAccess(const BrowserAccess& access) {
  if (access.insecure_dev) return absl::OkStatus();
  if (!access.tls.enabled()) {
    return absl::FailedPreconditionError(
        "the dashboard is served over HTTPS only: pass --http_tls_cert and --http_tls_key (plain "
        "HTTP only with --insecure_dev_identity, for development)");
  }
  if (access.token_public_key_pem.empty()) {
    return absl::FailedPreconditionError(
        "browsers must sign in: pass --token_public_key=<PEM file> (no sign-in only with "
        "--insecure_dev_identity, for development)");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<GatewayServer>> GatewayServer::Start(const GatewayOptions& options,
                                                                    JsonLog* log) {
  return Start(options, std::make_unique<GrpcDashboardBackend>(options.backend), log);
}

absl::StatusOr<std::unique_ptr<GatewayServer>> GatewayServer::Start(
    const GatewayOptions& options, std::unique_ptr<DashboardBackend> backend, JsonLog* log) {
  if (auto checked = CheckBrowserAccess(options.browser); !checked.ok()) return checked;
  std::unique_ptr<GatewayServer> server(new GatewayServer());
  const Clock& clock =
      options.browser.clock != nullptr ? *options.browser.clock : server->system_clock_;
  if (!options.browser.token_public_key_pem.empty()) {
    server->sign_in_ =
        std::make_unique<BrowserSignIn>(options.browser.token_public_key_pem, clock,
                                        options.browser.tls.enabled(), options.browser.sessions);
  }
  HandlerOptions handler_options = options.handler;
  handler_options.https = options.browser.tls.enabled();
  server->metrics_ = std::make_unique<Metrics>("gateway", nullptr);
  server->observer_ = std::make_unique<Observer>(server->metrics_->registry());
  server->backend_ = std::move(backend);
  GatewayServer* raw = server.get();
  server->handler_ = std::make_unique<DashboardHandler>(
      server->backend_.get(),
      [raw](std::function<void()> task) { raw->http_->Post(std::move(task)); },
      server->observer_.get(), handler_options, server->sign_in_.get());
  DashboardHandler* handler = server->handler_.get();
  auto http = HttpServer::Start(
      options.http_address, [handler](evhttp_request* request) { handler->Handle(request); },
      [handler] { handler->Tick(); }, options.keepalive_interval, options.browser.tls);
  if (!http.ok()) return http.status();
  server->http_ = *std::move(http);
  if (!options.metrics_address.empty()) {
    if (auto served = server->metrics_->Serve(options.metrics_address); !served.ok()) {
      return served;
    }
  }
  server->http_->Run();
  if (log != nullptr) {
    log->Log(LogLevel::kInfo, "start",
             {{"http_port", server->http_port()},
              {"https", server->https()},
              {"sign_in", server->sign_in_ != nullptr},
              {"metrics_port", server->metrics_port()},
              {"crisis_registry", options.backend.crisis_registry_address},
              {"inventory", options.backend.inventory_address},
              {"mobilisation", options.backend.mobilisation_address}});
    // Development mode must never pass unnoticed.
    if (!server->https()) {
      log->Log(LogLevel::kWarning, "plain_http",
               {{"detail",
                 "the dashboard is served over plain HTTP "
                 "(--insecure_dev_identity); development only"}});
    }
    if (server->sign_in_ == nullptr) {
      log->Log(LogLevel::kWarning, "no_sign_in",
               {{"detail",
                 "anyone who reaches the port sees the boards "
                 "(--insecure_dev_identity without --token_public_key); development "
                 "only"}});
    }
  }
  return server;
}

GatewayServer::~GatewayServer() { Stop(); }

void GatewayServer::Stop() {
  if (stopped_) return;
  stopped_ = true;
  if (http_ != nullptr) {
    DashboardHandler* handler = handler_.get();
    http_->Stop([handler] { handler->CloseAll(); });
  }
  // The watches are cancelled and unary calls end by their deadline: wait for all of them
  // before anything they call back into goes away.
  backend_.reset();
}

}  // namespace relais::gateway
