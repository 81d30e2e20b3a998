// Warehouses and stock lines: what a valid request is, how a new warehouse or line is built, and
// how FindSupplies ranks the lines that can supply an item. Plain functions over the relais.v1
// messages: no gRPC, no Redis, no clock (the caller passes `now`). The Stockroom (stockroom.h)
// reads, applies one of these, and saves.
//
// Errors: INVALID_ARGUMENT "<field path>: <problem>", the path starting inside the request
// ("line.item_code", "warehouse.location.lat", "near.lon", "exclude_line_ids[2]").
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "relais/v1/common.pb.h"
#include "relais/v1/stock.pb.h"
#include "services/runtime/catalogue.h"

namespace relais::inventory {

// Limits from proto/relais/v1/stock.proto.
inline constexpr int kMinWarehouseNameChars = 2;
inline constexpr int kMaxWarehouseNameChars = 120;
inline constexpr int kMaxWarehouseCommuneChars = 100;
inline constexpr int kMaxStockExternalRefChars = 64;
inline constexpr int kMaxLotChars = 64;
inline constexpr int64_t kMaxOfferQuantity = 1'000'000;
inline constexpr int64_t kMaxAdjustDelta = 1'000'000;
inline constexpr int64_t kMaxFindQuantity = 1'000'000;
inline constexpr int kMaxAdjustNoteChars = 200;
inline constexpr int kMaxExcludedLines = 200;
inline constexpr int kMaxStockPageTokenChars = 1024;

// --- Request validation (INVALID_ARGUMENT naming the field) ---

absl::Status ValidateRegisterWarehouse(const relais::v1::RegisterWarehouseRequest& request);
absl::Status ValidateGetWarehouse(const relais::v1::GetWarehouseRequest& request);
absl::Status ValidateListWarehouses(const relais::v1::ListWarehousesRequest& request);
// `now` is the time of the offer: a lot that has already expired cannot be offered.
absl::Status ValidateOfferSupplies(const relais::v1::OfferSuppliesRequest& request,
                                   const Catalogue& catalogue, absl::Time now);
absl::Status ValidateAdjustStock(const relais::v1::AdjustStockRequest& request);
absl::Status ValidateListStock(const relais::v1::ListStockRequest& request,
                               const Catalogue& catalogue);
absl::Status ValidateFindSupplies(const relais::v1::FindSuppliesRequest& request,
                                  const Catalogue& catalogue);

// --- New entities (version 1) ---

// A warehouse of `organisation_id` (the caller's) from a validated request.
relais::v1::Warehouse NewWarehouse(const relais::v1::RegisterWarehouseRequest& request,
                                   std::string warehouse_id, std::string organisation_id,
                                   absl::Time now);
// A stock line from a validated request, in `warehouse`: its organisation and location are the
// warehouse's. Without a ledger (the counters are kept apart from the description).
relais::v1::StockLine NewStockLine(const relais::v1::OfferSuppliesRequest& request,
                                   std::string line_id, const relais::v1::Warehouse& warehouse,
                                   absl::Time now);
// The ledger of a line just offered: everything offered is available.
relais::v1::StockLedger InitialLedger(int64_t quantity);

// --- FindSupplies ---

// Great-circle distance in kilometres (haversine, mean Earth radius).
double DistanceKm(const relais::v1::GeoPoint& a, const relais::v1::GeoPoint& b);

// True when the line has units free to hold and is still good: not expired at `now`, and not
// expiring before `not_expiring_before` when that is set (a line expiring exactly then is fine).
bool IsUsable(const relais::v1::StockLine& line, absl::Time now,
              std::optional<absl::Time> not_expiring_before);

// The order of FindSupplies: nearer first; at equal distance (the same warehouse) the first to
// expire first, lines that never expire last; then by id, so that the order is total.
bool RanksBefore(const relais::v1::SupplyMatch& a, const relais::v1::SupplyMatch& b);

// Ranks the lines of a validated FindSupplies request as they are read, batch after batch,
// keeping only what can still make the answer (the best page_size lines) so that memory stays
// bounded however many lines an item has.
class SupplyRanking {
 public:
  SupplyRanking(const relais::v1::FindSuppliesRequest& request, absl::Time now);

  // Looks at one line (with its ledger); lines of another item, excluded, without available
  // units or not usable (IsUsable) are skipped.
  void Consider(relais::v1::StockLine line);
  // The best lines in order until their available units cover the quantity or page_size lines
  // are returned; total_available and covered set.
  relais::v1::FindSuppliesResponse Finish();

 private:
  // Sorts the candidates and drops all but the best `limit_`.
  void Trim();

  std::string item_code_;
  relais::v1::GeoPoint near_;
  int64_t quantity_;
  int limit_;
  absl::Time now_;
  std::optional<absl::Time> not_expiring_before_;
  std::set<std::string, std::less<>> excluded_;
  std::vector<relais::v1::SupplyMatch> candidates_;
};

// The whole ranking in one call, for lines already read.
relais::v1::FindSuppliesResponse RankSupplies(const relais::v1::FindSuppliesRequest& request,
                                              absl::Time now,
                                              std::vector<relais::v1::StockLine> lines);

}  // namespace relais::inventory
