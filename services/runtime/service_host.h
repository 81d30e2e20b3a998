// How every service process starts, serves, reports and stops: one gRPC server with health
// (SERVING only while Redis answers), reflection, keepalive and message limits, an Executor for
// the RPC work, Prometheus metrics and JSON logs, and a graceful drain on SIGTERM.
//
//   int main(int argc, char** argv) {
//     relais::BlockTerminationSignals();  // first: threads started later inherit the mask
//     relais::ParseFlagsWithEnvironment(argc, argv, {.listen_address = "127.0.0.1:50051"});
//     relais::ServiceHost host(relais::ServerOptionsFromFlags(), "crisis_registry",
//                              [&] { return redis.Ping(); });
//     CrisisHandler handler(host.runner(), ...);
//     host.AddService(&handler, relais::v1::CrisisRegistry::service_full_name());
//     if (absl::Status s = host.Start(); !s.ok()) { ...; return 1; }
//     return host.WaitForTerminationSignal();
//   }
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "services/runtime/config.h"
#include "services/runtime/executor.h"
#include "services/runtime/health.h"
#include "services/runtime/logging.h"
#include "services/runtime/metrics.h"
#include "services/runtime/principal.h"
#include "services/runtime/rpc_runner.h"

namespace grpc {
class Server;
class Service;
}  // namespace grpc

namespace relais {

// What a test (or a later security layer) may replace. Empty members take the defaults.
struct ServiceHostSeams {
  // Default: stderr.
  std::shared_ptr<spdlog::sinks::sink> log_sink;
  // Default: DevHeaderPrincipalResolver, announced by a warning at start-up.
  std::unique_ptr<PrincipalResolver> principal_resolver;
  // Default: none (no rate limit). ServiceCore makes one from --rate_limit_scale.
  std::unique_ptr<RateLimiter> rate_limiter;
};

class ServiceHost {
 public:
  // `service_name` labels logs and metrics ("crisis_registry"). `redis_probe` decides health:
  // OK means SERVING; it runs on the prober thread and must time out by itself.
  ServiceHost(ServerOptions options, std::string service_name,
              std::function<absl::Status()> redis_probe, ServiceHostSeams seams = {});
  ~ServiceHost();  // Shutdown()

  ServiceHost(const ServiceHost&) = delete;
  ServiceHost& operator=(const ServiceHost&) = delete;

  // Before Start(). `full_name` is the gRPC service name whose health is reported, e.g.
  // relais::v1::CrisisRegistry::service_full_name(). `service` must outlive the host.
  void AddService(grpc::Service* service, std::string full_name);

  // Binds, starts serving, probes once, starts the prober and the metrics endpoint.
  absl::Status Start();
  // The bound gRPC port (the real one when listen_address asked for port 0); 0 before Start().
  int port() const { return port_; }

  // Runs the probe now and sets health SERVING / NOT_SERVING for "" and every added service.
  void ProbeNow();

  // Health NOT_SERVING, stop accepting calls, let in-flight calls finish for up to
  // drain_timeout (then they are cancelled), stop the prober and the executor. Idempotent;
  // a concurrent caller returns once the first has finished.
  void Shutdown();

  // Waits for SIGTERM or SIGINT (blocked beforehand by BlockTerminationSignals()), then
  // Shutdown(). Returns the process exit code.
  int WaitForTerminationSignal();

  // Handlers run their RPCs through this.
  RpcRunner& runner() { return *runner_; }
  Metrics& metrics() { return *metrics_; }
  JsonLog& log() { return *log_; }
  const ServerOptions& options() const { return options_; }

 private:
  void ReportHealth(const absl::Status& probe);

  const ServerOptions options_;
  const std::string service_name_;
  // The destructor's Shutdown() stops the server, the prober and the executor before any
  // member is destroyed; members are declared users after what they use.
  std::unique_ptr<JsonLog> log_;
  std::unique_ptr<PrincipalResolver> resolver_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<Executor> executor_;
  std::unique_ptr<RateLimiter> rate_limiter_;
  std::unique_ptr<RpcRunner> runner_;
  std::vector<std::pair<grpc::Service*, std::string>> services_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;

  absl::Mutex health_mu_;
  // Unknown until the first probe; used to log transitions only.
  int last_serving_ ABSL_GUARDED_BY(health_mu_) = -1;
  std::unique_ptr<HealthProber> prober_;

  absl::Mutex shutdown_mu_;
  bool shut_down_ ABSL_GUARDED_BY(shutdown_mu_) = false;
};

// Blocks SIGTERM and SIGINT in the calling thread, and so in every thread it starts later. Call
// it first thing in main, before any thread exists, so that WaitForTerminationSignal() is the
// only place these signals are received.
void BlockTerminationSignals();

}  // namespace relais
