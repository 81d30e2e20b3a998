// The crisis registry process, assembled: catalogue, Redis client, committer, store, registry,
// gRPC handler and the shared ServiceHost. main.cc, the integration tests and the benchmark all
// start the service through this class, so they run the same wiring.
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "services/crisis_registry/crisis_handler.h"
#include "services/crisis_registry/redis_crisis_store.h"
#include "services/crisis_registry/registry.h"
#include "services/runtime/catalogue.h"
#include "services/runtime/clock.h"
#include "services/runtime/config.h"
#include "services/runtime/ids.h"
#include "services/runtime/redis/committer.h"
#include "services/runtime/redis/redis_client.h"
#include "services/runtime/service_host.h"

namespace relais::crisis {

class CrisisRegistryServer {
 public:
  // Loads the catalogue (a bad one is a start-up error). Redis may still be down: the service
  // starts NOT_SERVING and serves once Redis answers.
  static absl::StatusOr<std::unique_ptr<CrisisRegistryServer>> Create(const ServerOptions& options,
                                                                      const Clock& clock,
                                                                      IdGenerator& ids,
                                                                      ServiceHostSeams seams = {});
  ~CrisisRegistryServer();

  absl::Status Start();
  void Shutdown() { host_->Shutdown(); }

  ServiceHost& host() { return *host_; }
  int port() const { return host_->port(); }
  RedisClient& redis() { return *redis_; }
  const Catalogue& catalogue() const { return catalogue_; }

 private:
  class RedisMetrics;
  CrisisRegistryServer(const ServerOptions& options, Catalogue catalogue);

  const ServerOptions options_;
  const Catalogue catalogue_;
  // Declared in dependency order; the host is shut down first in the destructor.
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<RedisMetrics> redis_metrics_;
  std::unique_ptr<RedisClient> redis_;
  std::unique_ptr<Committer> committer_;
  std::unique_ptr<RedisCrisisStore> store_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<CrisisHandler> handler_;
};

}  // namespace relais::crisis
