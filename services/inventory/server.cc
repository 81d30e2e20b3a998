#include "services/inventory/server.h"

#include <nlohmann/json.hpp>

#include "services/inventory/inventory_functions.h"
#include "services/runtime/logging.h"

namespace relais::inventory {

absl::StatusOr<std::unique_ptr<InventoryServer>> InventoryServer::Create(
    const ServerOptions& options, const Clock& clock, IdGenerator& ids, ServiceHostSeams seams,
    SweeperOptions sweeper) {
  auto core = ServiceCore::Create(options, "inventory", clock, std::move(seams));
  if (!core.ok()) return core.status();
  std::unique_ptr<InventoryServer> server(new InventoryServer(*std::move(core), clock, sweeper));
  InventoryServer& s = *server;
  ServiceCore& c = *s.core_;
  c.committer().AddLibrary(InventoryFunctionsSource());
  s.store_ = std::make_unique<RedisInventoryStore>(c.redis(), c.committer());
  s.team_store_ = std::make_unique<RedisTeamStore>(c.redis(), c.committer());
  s.stock_store_ = std::make_unique<RedisStockStore>(c.redis(), c.committer());
  s.ledger_ = std::make_unique<RedisLedger>(c.redis(), c.committer());
  s.index_ = std::make_unique<ResponderIndex>(c.redis(), c.committer().options().event_log_key);
  s.registry_ = std::make_unique<Registry>(*s.store_, c.catalogue(), clock, ids);
  s.finder_ = std::make_unique<Finder>(*s.index_, *s.ledger_, c.catalogue(), clock);
  s.teams_ = std::make_unique<Teams>(*s.team_store_, *s.store_, c.catalogue(), clock, ids);
  s.stockroom_ = std::make_unique<Stockroom>(*s.stock_store_, *s.store_, *s.ledger_, c.catalogue(),
                                             clock, ids);
  s.holds_ = std::make_unique<Holds>(*s.ledger_, c.committer(), c.catalogue(), clock, ids);
  s.audit_ = std::make_unique<AuditTrail>(c.committer(), *s.store_);
  s.handler_ = std::make_unique<InventoryHandler>(
      InventoryParts{*s.registry_, *s.finder_, *s.teams_, *s.stockroom_, *s.holds_, *s.audit_},
      c.host().runner());
  c.host().AddService(s.handler_.get(), relais::v1::ResourceInventory::service_full_name());
  if (sweeper.enabled) {
    s.sweeper_ = std::make_unique<PeriodicTask>("sweeper", sweeper.interval, [&s] {
      // Keeps the search index close to the log between searches, so that a search after a
      // burst of writes does not pay for the whole burst's catch-up.
      (void)s.index_->CatchUp();
      auto more = s.SweepOnce();
      if (!more.ok()) {
        // Redis down is reported by health and the RPCs; the sweeper just tries again later.
        if (!absl::IsUnavailable(more.status())) {
          s.host().log().Log(LogLevel::kWarning, "sweep failed",
                             {{"error", more.status().ToString()}});
        }
        return false;
      }
      return *more;
    });
  }
  return server;
}

absl::Status InventoryServer::Start() {
  if (absl::Status started = core_->Start(); !started.ok()) return started;
  if (absl::Status loaded = finder_->Start(); !loaded.ok()) {
    host().log().Log(LogLevel::kWarning, "search index not loaded yet; the first search loads it",
                     {{"error", loaded.ToString()}});
  }
  if (sweeper_ != nullptr) sweeper_->Start();
  return absl::OkStatus();
}

void InventoryServer::Shutdown() {
  if (sweeper_ != nullptr) sweeper_->Stop();
  core_->host().Shutdown();
}

absl::StatusOr<bool> InventoryServer::SweepOnce() {
  const absl::Time now = clock_.Now();
  const int batch = sweeper_options_.batch;
  auto holds = holds_->SweepDueHolds(now, batch);
  if (!holds.ok()) return holds.status();
  auto calendars = registry_->SweepCalendars(now, batch);
  if (!calendars.ok()) return calendars.status();
  return *holds >= batch || *calendars >= batch;
}

}  // namespace relais::inventory
