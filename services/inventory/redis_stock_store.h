// Warehouses and stock line descriptions on Redis, written through the generic commit. Keys (under
// the inventory's prefix "inv:"):
//   inv:whs:<id>                      hash {v, d: serialized relais.v1.Warehouse}
//   inv:idx:whs:<org id>              sorted set of the organisation's warehouse ids (score 0; ids
//                                     are time-ordered, so lexical order is registration order)
//   inv:xref:<org id>:whs:<sha256>    claims of an external_ref within an organisation, one kind
//   inv:xref:<org id>:stk:<sha256>    each: hash {v: 1, d: holder id} (the hash hides the ref)
//   inv:stk:<id>                      hash {v, d: StockLine without its ledger, o j a h c u: the
//                                     ledger counters}; created here with o = a = quantity and
//                                     the rest 0, afterwards changed only by the Ledger (ledger.h)
//   inv:idx:stk:whs:<warehouse id>    sorted sets of stock line ids (score 0, lexical = offer
//   inv:idx:stk:org:<org id>          order), one per warehouse, organisation and catalogue item
//   inv:idx:stk:item:<item code>
// Stock lines are read with their ledger through Ledger::GetStockLines, the one reader of the
// counters; this store only pages their indexes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "relais/internal/outcome.pb.h"
#include "relais/v1/events.pb.h"
#include "relais/v1/stock.pb.h"
#include "services/runtime/redis/committer.h"
#include "services/runtime/redis/redis_client.h"

namespace relais::inventory {

// What an external_ref claim is for: references are unique per organisation and kind.
enum class ClaimKind { kWarehouse, kStockLine };

// Which index of stock lines to walk.
struct StockIndex {
  enum class By { kWarehouse, kOrganisation, kItem };
  By by = By::kWarehouse;
  // The warehouse id, organisation id or item code.
  std::string id;
};

struct WarehousePage {
  std::vector<relais::v1::Warehouse> warehouses;
  std::string next_page_token;  // empty on the last page
};

class RedisStockStore {
 public:
  RedisStockStore(RedisClient& redis, Committer& committer)
      : redis_(redis), committer_(committer) {}

  absl::StatusOr<std::optional<relais::v1::Warehouse>> GetWarehouse(
      const std::string& warehouse_id);
  // One page of an organisation's warehouses in registration order. INVALID_ARGUMENT
  // "page_token: ..." for a token this store did not issue.
  absl::StatusOr<WarehousePage> ListWarehouses(const std::string& organisation_id, int page_size,
                                               const std::string& page_token);
  // Creates a warehouse, its index entry and the claim of its external_ref; ABORTED when the
  // reference was claimed meanwhile.
  absl::StatusOr<CommitResult> SaveNewWarehouse(const relais::v1::Warehouse& warehouse,
                                                const IdempotencyKey& idem,
                                                const relais::v1::Event& event,
                                                const relais::internal::StoredOutcome& outcome);

  // The id holding `external_ref` in the organisation, if any.
  absl::StatusOr<std::optional<std::string>> FindClaim(const std::string& organisation_id,
                                                       ClaimKind kind,
                                                       const std::string& external_ref);

  // Creates a stock line (`line` without its ledger) with `quantity` offered and available, its
  // three index entries and the claim of its external_ref; ABORTED when the reference was claimed
  // meanwhile.
  absl::StatusOr<CommitResult> SaveNewStockLine(const relais::v1::StockLine& line, int64_t quantity,
                                                const IdempotencyKey& idem,
                                                const relais::v1::Event& event,
                                                const relais::internal::StoredOutcome& outcome);
  // Up to `count` stock line ids of an index after `after` ("" = from the start), in offer order.
  absl::StatusOr<std::vector<std::string>> StockLineIds(const StockIndex& index,
                                                        const std::string& after, int count);

  // Idempotency: a stored FAILED_PRECONDITION refusal, and the outcome of an earlier call.
  absl::StatusOr<CommitResult> Refuse(const IdempotencyKey& idem,
                                      const relais::internal::StoredOutcome& outcome);
  absl::StatusOr<std::optional<CommitResult>> FindOutcome(const IdempotencyKey& idem);

  // Page tokens are the last id of a page, opaque to callers.
  static std::string EncodePageToken(const std::string& last_id);
  // The id in a token; INVALID_ARGUMENT "page_token: ..." when this store did not issue it.
  static absl::StatusOr<std::string> DecodePageToken(const std::string& token);

 private:
  absl::StatusOr<std::vector<std::string>> IdsAfter(const std::string& key,
                                                    const std::string& after, int count);

  RedisClient& redis_;
  Committer& committer_;
};

}  // namespace relais::inventory
