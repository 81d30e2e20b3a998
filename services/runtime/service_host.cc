#include "services/runtime/service_host.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <signal.h>
#include <string.h>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/runtime/tls.h"

namespace relais {
namespace {

// Clients may ping an idle connection this often (their keepalive); more often is abuse.
constexpr int kMinClientPingIntervalMs = 10'000;

int Millis(absl::Duration d) { return static_cast<int>(absl::ToInt64Milliseconds(d)); }

sigset_t TerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

}  // namespace

void BlockTerminationSignals() {
  sigset_t set = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

ServiceHost::ServiceHost(ServerOptions options, std::string service_name,
                         std::function<absl::Status()> redis_probe, ServiceHostSeams seams)
    : options_(std::move(options)),
      service_name_(std::move(service_name)),
      log_(seams.log_sink != nullptr
               ? std::make_unique<JsonLog>(service_name_, std::move(seams.log_sink))
               : std::make_unique<JsonLog>(service_name_)),
      resolver_(seams.principal_resolver != nullptr
                    ? std::move(seams.principal_resolver)
                    : std::make_unique<DevHeaderPrincipalResolver>()),
      metrics_(std::make_unique<Metrics>(service_name_, log_.get())),
      executor_(std::make_unique<Executor>(std::max(options_.executor_threads, 1),
                                           std::max(options_.executor_queue_size, 1))),
      rate_limiter_(std::move(seams.rate_limiter)),
      runner_(std::make_unique<RpcRunner>(*executor_, *resolver_, *metrics_, rate_limiter_.get())),
      prober_(std::make_unique<HealthProber>(
          std::move(redis_probe), [this](const absl::Status& s) { ReportHealth(s); },
          options_.health_probe_interval)) {}

ServiceHost::~ServiceHost() { Shutdown(); }

void ServiceHost::AddService(grpc::Service* service, std::string full_name) {
  if (server_ != nullptr) {
    log_->Log(LogLevel::kError, "add_service_after_start", {{"grpc_service", full_name}});
    std::abort();  // a wiring mistake in main, not something to survive
  }
  services_.emplace_back(service, std::move(full_name));
}

absl::Status ServiceHost::Start() {
  if (server_ != nullptr) return absl::FailedPreconditionError("already started");
  if (absl::Status s = ValidateServerOptions(options_); !s.ok()) return s;
  if (!options_.metrics_address.empty()) {
    if (absl::Status s = metrics_->Serve(options_.metrics_address); !s.ok()) return s;
  }

  auto credentials = ServerCredentialsFor(
      TlsFiles{.ca = options_.tls_ca, .cert = options_.tls_cert, .key = options_.tls_key});
  if (!credentials.ok()) return credentials.status();

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options_.listen_address, *credentials, &port_);
  builder.SetMaxReceiveMessageSize(options_.max_message_bytes);
  builder.SetMaxSendMessageSize(options_.max_message_bytes);
  // Detect dead peers (a laptop that left the crisis room's Wi-Fi) on idle connections too.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, Millis(options_.keepalive_time));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, Millis(options_.keepalive_timeout));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  // Otherwise the server stops its keepalive pings after two without data in between.
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  // Accept clients' own keepalive pings down to this interval instead of answering GOAWAY.
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                             kMinClientPingIntervalMs);
  // A second instance on the same port must fail to start, not silently share the traffic.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  for (const auto& [service, name] : services_) builder.RegisterService(service);

  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    server_.reset();
    return absl::UnavailableError(absl::StrCat("cannot listen on '", options_.listen_address, "'"));
  }
  // The default health service starts SERVING; nothing is known before the first probe.
  grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService();
  health->SetServingStatus(false);
  ProbeNow();
  prober_->Start();

  if (options_.tls_cert.empty()) {
    log_->Log(LogLevel::kWarning, "plaintext",
              {{"detail", "no --tls_cert: calls travel unencrypted (development only)"}});
  }
  if (dynamic_cast<const DevHeaderPrincipalResolver*>(resolver_.get()) != nullptr) {
    log_->Log(LogLevel::kWarning, "insecure_principal_resolver",
              {{"detail", "callers are trusted from x-relais-* headers: authenticates nobody"}});
  }
  log_->Log(LogLevel::kInfo, "start",
            {{"listen_address", options_.listen_address},
             {"port", port_},
             {"metrics_port", metrics_->port()},
             {"executor_threads", options_.executor_threads},
             {"executor_queue_size", options_.executor_queue_size},
             {"max_message_bytes", options_.max_message_bytes}});
  return absl::OkStatus();
}

void ServiceHost::ProbeNow() { prober_->ProbeNow().IgnoreError(); }  // ReportHealth has it

void ServiceHost::ReportHealth(const absl::Status& probe) {
  const bool serving = probe.ok();
  if (server_ != nullptr) {
    grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService();
    health->SetServingStatus("", serving);
    for (const auto& [service, name] : services_) health->SetServingStatus(name, serving);
  }
  absl::MutexLock lock(&health_mu_);
  if (last_serving_ == static_cast<int>(serving)) return;
  last_serving_ = serving;
  if (serving) {
    log_->Log(LogLevel::kInfo, "health", {{"status", "SERVING"}});
  } else {
    log_->Log(LogLevel::kWarning, "health",
              {{"status", "NOT_SERVING"}, {"probe", probe.ToString()}});
  }
}

void ServiceHost::Shutdown() {
  absl::MutexLock lock(&shutdown_mu_);
  if (shut_down_) return;
  shut_down_ = true;
  if (server_ != nullptr) {
    log_->Log(LogLevel::kInfo, "shutdown",
              {{"drain_timeout_ms", absl::ToInt64Milliseconds(options_.drain_timeout)},
               {"in_flight", runner_->in_flight()}});
    // First, so that load balancers stop sending while we drain; later probes cannot undo it.
    server_->GetHealthCheckService()->Shutdown();
    server_->Shutdown(std::chrono::system_clock::now() +
                      absl::ToChronoMilliseconds(options_.drain_timeout));
  }
  prober_->Stop();
  // Runs whatever is still queued: those calls were cancelled by the drain deadline and only
  // need to be finished.
  executor_->Shutdown();
  if (server_ != nullptr) log_->Log(LogLevel::kInfo, "stopped");
}

int ServiceHost::WaitForTerminationSignal() {
  sigset_t set = TerminationSignals();
  int signal = 0;
  if (int err = sigwait(&set, &signal); err != 0) {
    log_->Log(LogLevel::kError, "sigwait_failed", {{"error", strerror(err)}});
    Shutdown();
    return 1;
  }
  log_->Log(LogLevel::kInfo, "signal", {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"}});
  Shutdown();
  return 0;
}

}  // namespace relais
