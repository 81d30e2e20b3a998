#include "services/crisis_registry/server.h"

namespace relais::crisis {

absl::StatusOr<std::unique_ptr<CrisisRegistryServer>> CrisisRegistryServer::Create(
    const ServerOptions& options, const Clock& clock, IdGenerator& ids, ServiceHostSeams seams) {
  auto core = ServiceCore::Create(options, "crisis_registry", clock, std::move(seams));
  if (!core.ok()) return core.status();
  std::unique_ptr<CrisisRegistryServer> server(new CrisisRegistryServer(*std::move(core)));
  ServiceCore& c = *server->core_;
  server->store_ = std::make_unique<RedisCrisisStore>(c.redis(), c.committer());
  server->registry_ = std::make_unique<Registry>(*server->store_, c.catalogue(), clock, ids);
  server->handler_ = std::make_unique<CrisisHandler>(*server->registry_, c.host().runner());
  c.host().AddService(server->handler_.get(), relais::v1::CrisisRegistry::service_full_name());
  return server;
}

}  // namespace relais::crisis
