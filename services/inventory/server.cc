#include "services/inventory/server.h"

namespace relais::inventory {

absl::StatusOr<std::unique_ptr<InventoryServer>> InventoryServer::Create(
    const ServerOptions& options, const Clock& clock, IdGenerator& ids, ServiceHostSeams seams) {
  auto core = ServiceCore::Create(options, "inventory", clock, std::move(seams));
  if (!core.ok()) return core.status();
  std::unique_ptr<InventoryServer> server(new InventoryServer(*std::move(core)));
  ServiceCore& c = *server->core_;
  server->store_ = std::make_unique<RedisInventoryStore>(c.redis(), c.committer());
  server->registry_ = std::make_unique<Registry>(*server->store_, c.catalogue(), clock, ids);
  server->handler_ = std::make_unique<InventoryHandler>(*server->registry_, c.host().runner());
  c.host().AddService(server->handler_.get(), relais::v1::ResourceInventory::service_full_name());
  return server;
}

}  // namespace relais::inventory
