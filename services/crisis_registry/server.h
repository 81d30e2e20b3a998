// The crisis registry process, assembled: the shared ServiceCore (catalogue, host, Redis client,
// committer) plus this service's store, application layer and gRPC handler. main.cc, the
// integration tests and the benchmark all start the service through this class, so they run the
// same wiring.
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "services/crisis_registry/crisis_handler.h"
#include "services/crisis_registry/redis_crisis_store.h"
#include "services/crisis_registry/registry.h"
#include "services/runtime/clock.h"
#include "services/runtime/config.h"
#include "services/runtime/ids.h"
#include "services/runtime/service_core.h"

namespace relais::crisis {

class CrisisRegistryServer {
 public:
  static absl::StatusOr<std::unique_ptr<CrisisRegistryServer>> Create(const ServerOptions& options,
                                                                      const Clock& clock,
                                                                      IdGenerator& ids,
                                                                      ServiceHostSeams seams = {});
  // Stops serving before the handler, registry and store go away.
  ~CrisisRegistryServer() { core_->host().Shutdown(); }

  absl::Status Start() { return core_->Start(); }
  void Shutdown() { core_->host().Shutdown(); }

  ServiceHost& host() { return core_->host(); }
  int port() { return core_->host().port(); }
  RedisClient& redis() { return core_->redis(); }
  Committer& committer() { return core_->committer(); }
  const Catalogue& catalogue() const { return core_->catalogue(); }

 private:
  explicit CrisisRegistryServer(std::unique_ptr<ServiceCore> core) : core_(std::move(core)) {}

  // Declared first, destroyed last.
  std::unique_ptr<ServiceCore> core_;
  std::unique_ptr<RedisCrisisStore> store_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<CrisisHandler> handler_;
};

}  // namespace relais::crisis
