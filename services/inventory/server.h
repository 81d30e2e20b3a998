// The resource inventory process, assembled: the shared ServiceCore (catalogue, host, Redis client,
// committer) plus this service's stores, the in-memory search index, the application layer's
// parts, the gRPC handler and the sweepers. main.cc, the integration tests and the benchmarks all
// start the service through this class, so they run the same wiring.
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/inventory/finder.h"
#include "services/inventory/holds.h"
#include "services/inventory/inventory_handler.h"
#include "services/inventory/redis_inventory_store.h"
#include "services/inventory/redis_ledger.h"
#include "services/inventory/redis_stock_store.h"
#include "services/inventory/redis_team_store.h"
#include "services/inventory/registry.h"
#include "services/inventory/responder_index.h"
#include "services/inventory/stockroom.h"
#include "services/inventory/teams.h"
#include "services/runtime/clock.h"
#include "services/runtime/config.h"
#include "services/runtime/ids.h"
#include "services/runtime/periodic.h"
#include "services/runtime/service_core.h"

namespace relais::inventory {

struct SweeperOptions {
  // Off in tests, which call SweepOnce() with a FakeClock instead.
  bool enabled = true;
  // How often expired holds and ended availability periods are looked for (a hold is freed at
  // most this long after its ttl), and the search index reads the event log.
  absl::Duration interval = absl::Seconds(1);
  // Holds or calendars per Redis call batch.
  int batch = 100;
};

class InventoryServer {
 public:
  static absl::StatusOr<std::unique_ptr<InventoryServer>> Create(const ServerOptions& options,
                                                                 const Clock& clock,
                                                                 IdGenerator& ids,
                                                                 ServiceHostSeams seams = {},
                                                                 SweeperOptions sweeper = {});
  // Stops the sweeper and serving before the parts go away.
  ~InventoryServer() { Shutdown(); }

  // Serves, loads the search index (best effort: the first search loads it when Redis is down
  // now) and starts the sweeper.
  absl::Status Start();
  void Shutdown();

  // One pass of the sweepers at the clock's now: expired holds, then ended availability periods.
  // Returns whether a batch was full (more may be due).
  absl::StatusOr<bool> SweepOnce();

  ServiceHost& host() { return core_->host(); }
  int port() { return core_->host().port(); }
  RedisClient& redis() { return core_->redis(); }
  Committer& committer() { return core_->committer(); }
  const Catalogue& catalogue() const { return core_->catalogue(); }
  Registry& registry() { return *registry_; }
  Finder& finder() { return *finder_; }
  ResponderIndex& index() { return *index_; }
  Holds& holds() { return *holds_; }
  Teams& teams() { return *teams_; }
  Stockroom& stockroom() { return *stockroom_; }

 private:
  InventoryServer(std::unique_ptr<ServiceCore> core, const Clock& clock, SweeperOptions sweeper)
      : core_(std::move(core)), clock_(clock), sweeper_options_(sweeper) {}

  // Declared first, destroyed last.
  std::unique_ptr<ServiceCore> core_;
  const Clock& clock_;
  const SweeperOptions sweeper_options_;
  std::unique_ptr<RedisInventoryStore> store_;
  std::unique_ptr<RedisTeamStore> team_store_;
  std::unique_ptr<RedisStockStore> stock_store_;
  std::unique_ptr<RedisLedger> ledger_;
  std::unique_ptr<ResponderIndex> index_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<Finder> finder_;
  std::unique_ptr<Teams> teams_;
  std::unique_ptr<Stockroom> stockroom_;
  std::unique_ptr<Holds> holds_;
  std::unique_ptr<AuditTrail> audit_;
  std::unique_ptr<InventoryHandler> handler_;
  // Declared last, stopped first.
  std::unique_ptr<PeriodicTask> sweeper_;
};

}  // namespace relais::inventory
