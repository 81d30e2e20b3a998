// Prometheus metrics of one service process, scraped over HTTP at <metrics_address>/metrics:
//   relais_rpc_total{service,method,code}            counter
//   relais_rpc_duration_seconds{service,method}      histogram, 100us .. 5s
//   relais_rpc_in_flight{service}                    gauge
//   relais_redis_errors_total{service,kind}          counter
//   relais_redis_reconnects_total{service}           counter
// Other components add their own families to registry().
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "services/runtime/logging.h"
#include "services/runtime/rpc_runner.h"

namespace prometheus {
class Counter;
class Exposer;
class Gauge;
class Histogram;
class Registry;
template <typename T>
class Family;
}  // namespace prometheus

namespace relais {

class Metrics final : public RpcObserver {
 public:
  // `log` (borrowed, may be null) receives one line per RPC.
  Metrics(std::string service, JsonLog* log);
  ~Metrics() override;

  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Serves /metrics over HTTP on `address` (host:port; port 0 picks a free port). Without this
  // the registry still counts (tests, benchmarks). UNAVAILABLE when the address cannot be bound;
  // FAILED_PRECONDITION when already serving.
  absl::Status Serve(const std::string& address);

  // The bound HTTP port, 0 when there is no endpoint.
  int port() const { return port_; }
  prometheus::Registry& registry() { return *registry_; }

  // RpcObserver.
  void OnRpcStart() override;
  void OnRpcDone(const RpcRecord& record) override;

  // For the Redis client's observer: `kind` is a small fixed set (e.g. "io", "timeout",
  // "reply"), never a key or a value.
  void OnRedisCommandError(std::string_view kind);
  void OnRedisReconnect();

 private:
  const std::string service_;
  JsonLog* const log_;
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* rpc_total_;
  prometheus::Family<prometheus::Histogram>* rpc_duration_;
  prometheus::Gauge* in_flight_;
  prometheus::Family<prometheus::Counter>* redis_errors_;
  prometheus::Counter* redis_reconnects_;
  std::unique_ptr<prometheus::Exposer> exposer_;  // after registry_: destroyed first
  int port_ = 0;
};

}  // namespace relais
