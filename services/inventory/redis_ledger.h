// The Ledger over Redis: reads with plain commands, writes with one FCALL of the relais_inventory
// library (inventory_functions.lua) each. The library must have been added to the committer
// (Committer::AddLibrary(InventoryFunctionsSource())).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "services/inventory/ledger.h"
#include "services/runtime/redis/committer.h"
#include "services/runtime/redis/redis_client.h"

namespace relais::inventory {

class RedisLedger final : public Ledger {
 public:
  // Both must outlive the ledger.
  RedisLedger(RedisClient& redis, Committer& committer) : redis_(redis), committer_(committer) {}

  absl::StatusOr<std::optional<relais::v1::StockLine>> GetStockLine(
      const std::string& line_id) override;
  absl::StatusOr<std::vector<std::optional<relais::v1::StockLine>>> GetStockLines(
      const std::vector<std::string>& line_ids) override;
  absl::StatusOr<CommitResult> AdjustStock(const std::string& line_id, int64_t delta,
                                           const LedgerWrite& write) override;

  absl::StatusOr<std::optional<relais::v1::Hold>> GetHold(const std::string& hold_id) override;
  absl::StatusOr<CommitResult> PlaceHold(const relais::v1::Hold& hold, int64_t team_version,
                                         const LedgerWrite& write) override;
  absl::StatusOr<CommitResult> ChangeHold(const relais::v1::Hold& current,
                                          const relais::v1::Hold& next,
                                          const LedgerWrite& write) override;
  absl::StatusOr<std::vector<std::string>> DueHolds(absl::Time now, int limit) override;
  absl::StatusOr<std::vector<std::vector<Booking>>> Bookings(
      const std::vector<std::string>& responder_ids) override;

 private:
  // The first arguments of every write Function: keys idempotency and event log, then the
  // caller's keys; argv fingerprint, outcome, ttl, log length, event type, event.
  std::vector<std::string> WriteCall(const char* function, const LedgerWrite& write,
                                     const std::vector<std::string>& keys) const;

  RedisClient& redis_;
  Committer& committer_;
};

}  // namespace relais::inventory
