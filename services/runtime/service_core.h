// What every Relais service process is made of before its own parts: the catalogue, the
// ServiceHost, a Redis client that feeds the host's metrics, and the committer. A service's
// server (e.g. services/crisis_registry/server.h) adds its store, application layer and
// handler on top, so main.cc, the tests and the benchmarks all run the same wiring.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/runtime/catalogue.h"
#include "services/runtime/clock.h"
#include "services/runtime/config.h"
#include "services/runtime/redis/committer.h"
#include "services/runtime/redis/redis_client.h"
#include "services/runtime/service_host.h"

namespace relais {

class ServiceCore {
 public:
  // Loads the catalogue (a bad one is a start-up error). Redis may still be down: the service
  // starts NOT_SERVING and serves once Redis answers.
  static absl::StatusOr<std::unique_ptr<ServiceCore>> Create(const ServerOptions& options,
                                                             std::string service_name,
                                                             const Clock& clock,
                                                             ServiceHostSeams seams = {});
  ~ServiceCore();

  ServiceCore(const ServiceCore&) = delete;
  ServiceCore& operator=(const ServiceCore&) = delete;

  // With options.redis.load_functions, loads the Redis Functions (best effort: the committer
  // loads them again by itself if Redis comes up later or loses them); then starts serving.
  // Health is SERVING while Redis answers and the Functions are loaded.
  absl::Status Start();

  ServiceHost& host() { return *host_; }
  RedisClient& redis() { return *redis_; }
  Committer& committer() { return *committer_; }
  const Catalogue& catalogue() const { return catalogue_; }
  const ServerOptions& options() const { return options_; }

 private:
  class RedisMetrics;
  ServiceCore(const ServerOptions& options, Catalogue catalogue);

  const ServerOptions options_;
  const Catalogue catalogue_;
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<RedisMetrics> redis_metrics_;
  std::unique_ptr<RedisClient> redis_;
  std::unique_ptr<Committer> committer_;
};

}  // namespace relais
