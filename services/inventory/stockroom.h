// The inventory's warehouses and stock: validates (stock_domain.h), checks who may act, saves
// warehouses and new stock lines through RedisStockStore, changes counters through the Ledger,
// each write with its event and idempotency record. Knows nothing of gRPC.
//
// A warehouse is registered for the caller's organisation (Principal::organisation_id), which must
// be in the directory: FAILED_PRECONDITION otherwise (stored, so a retry gets it again). Supplies
// are offered and adjusted by the warehouse's or line's own organisation, or the admin
// (access_policy.h): PERMISSION_DENIED otherwise, nothing written.
#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "relais/v1/stock.pb.h"
#include "services/inventory/inventory_store.h"
#include "services/inventory/ledger.h"
#include "services/inventory/redis_stock_store.h"
#include "services/runtime/catalogue.h"
#include "services/runtime/clock.h"
#include "services/runtime/ids.h"
#include "services/runtime/principal.h"

namespace relais::inventory {

class Stockroom {
 public:
  // All must outlive the Stockroom. `directory` is read to check that organisations exist.
  Stockroom(RedisStockStore& store, InventoryStore& directory, Ledger& ledger,
            const Catalogue& catalogue, const Clock& clock, IdGenerator& ids)
      : store_(store),
        directory_(directory),
        ledger_(ledger),
        catalogue_(catalogue),
        clock_(clock),
        ids_(ids) {}

  // For the caller's organisation. ALREADY_EXISTS "external_ref: ..." names the warehouse
  // holding the reference.
  absl::Status RegisterWarehouse(const Principal& caller,
                                 const relais::v1::RegisterWarehouseRequest& request,
                                 relais::v1::Warehouse* out);
  absl::Status GetWarehouse(const Principal& caller, const relais::v1::GetWarehouseRequest& request,
                            relais::v1::Warehouse* out);
  // NOT_FOUND for an organisation not in the directory.
  absl::Status ListWarehouses(const Principal& caller,
                              const relais::v1::ListWarehousesRequest& request,
                              relais::v1::ListWarehousesResponse* out);

  // A new stock line in a warehouse of the caller's organisation (any, for the admin), with its
  // ledger.
  // NOT_FOUND "line.warehouse_id: ..." for an unknown warehouse; ALREADY_EXISTS
  // "external_ref: ..." naming the line holding the reference.
  absl::Status OfferSupplies(const Principal& caller,
                             const relais::v1::OfferSuppliesRequest& request,
                             relais::v1::StockLine* out);
  // Adds `delta` to the line's available units (only the line's organisation, or the admin).
  // FAILED_PRECONDITION when fewer units are available than a negative delta takes.
  absl::Status AdjustStock(const Principal& caller, const relais::v1::AdjustStockRequest& request,
                           relais::v1::StockLine* out);
  // Lines of one warehouse or one organisation, optionally of one item, in offer order.
  absl::Status ListStock(const Principal& caller, const relais::v1::ListStockRequest& request,
                         relais::v1::ListStockResponse* out);
  // Lines of every organisation that can supply an item, ranked (SupplyRanking).
  absl::Status FindSupplies(const Principal& caller, const relais::v1::FindSuppliesRequest& request,
                            relais::v1::FindSuppliesResponse* out);

 private:
  relais::v1::Event MakeEvent(relais::v1::EventType type, const Principal& caller,
                              const std::string& request_id) const;
  // The caller's organisation; when it is not in the directory, `answered` holds what to answer
  // instead: the refusal just stored, or the first outcome of a request answered before.
  struct CallerCheck {
    std::string organisation_id;
    std::optional<CommitResult> answered;
  };
  absl::StatusOr<CallerCheck> CheckCaller(const Principal& caller, const IdempotencyKey& idem);
  // Stores a FAILED_PRECONDITION refusal; returns what a retry will get.
  absl::StatusOr<CommitResult> StoreRefusal(const IdempotencyKey& idem,
                                            const std::string& subject_id, std::string message);
  // The answers to a call answered once already: its first outcome, with today's resource.
  absl::StatusOr<relais::v1::Warehouse> ReplayWarehouse(const CommitResult& first);
  absl::StatusOr<relais::v1::StockLine> ReplayStockLine(const CommitResult& first);
  // A line with its ledger; NOT_FOUND "<field>: no stock line <id>" when absent.
  absl::StatusOr<relais::v1::StockLine> ReadLine(const std::string& line_id,
                                                 const std::string& field);

  RedisStockStore& store_;
  InventoryStore& directory_;
  Ledger& ledger_;
  const Catalogue& catalogue_;
  const Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace relais::inventory
