#include "services/inventory/stock_domain.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/runtime/proto_time.h"
#include "services/runtime/status_macros.h"
#include "services/runtime/validation.h"

namespace relais::inventory {
namespace {

using relais::v1::FindSuppliesRequest;
using relais::v1::FindSuppliesResponse;
using relais::v1::GeoPoint;
using relais::v1::StockLine;
using relais::v1::SupplyMatch;
using relais::v1::Warehouse;

constexpr double kEarthRadiusKm = 6371.0088;
constexpr double kPi = 3.14159265358979323846;

bool IsCodeChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

// A catalogue supply item. The code is echoed only when it looks like one, so that a message never
// carries arbitrary bytes.
absl::Status CheckSupplyItem(const FieldPath& path, std::string_view code,
                             const Catalogue& catalogue) {
  if (code.empty()) return InvalidField(path, "is required");
  if (catalogue.Has(relais::v1::RESOURCE_KIND_SUPPLY_ITEM, code)) return absl::OkStatus();
  const bool printable = code.size() <= 64 && std::all_of(code.begin(), code.end(), IsCodeChar);
  return InvalidField(path, printable ? absl::StrCat("'", std::string(code),
                                                     "' is not in the catalogue's supply items")
                                      : std::string("not in the catalogue's supply items"));
}

absl::Status CheckExternalRefFormat(const FieldPath& path, std::string_view ref) {
  if (ref.empty()) return absl::OkStatus();
  const auto allowed = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == ':' || c == '/' || c == '-';
  };
  if (ref.size() > static_cast<size_t>(kMaxStockExternalRefChars) ||
      !std::all_of(ref.begin(), ref.end(), allowed)) {
    return InvalidField(path, "must be at most 64 characters from [A-Za-z0-9._:/-]");
  }
  return absl::OkStatus();
}

absl::Status CheckLocation(const FieldPath& path, bool present, const GeoPoint& point) {
  RETURN_IF_ERROR(CheckPresent(path, present));
  RETURN_IF_ERROR(CheckDoubleRange(path.Field("lat"), point.lat(), -90, 90));
  return CheckDoubleRange(path.Field("lon"), point.lon(), -180, 180);
}

absl::Status CheckPageToken(const FieldPath& path, const std::string& token) {
  if (token.size() > static_cast<size_t>(kMaxStockPageTokenChars)) {
    return InvalidField(path, "not a token this server issued");
  }
  return absl::OkStatus();
}

double Radians(double degrees) { return degrees * kPi / 180.0; }

// The sort key of a match: expiry as (never expires, time), so that lines without one come last.
std::tuple<double, bool, int64_t, int32_t, const std::string&> RankKey(const SupplyMatch& m) {
  const StockLine& line = m.line();
  const bool never_expires = !line.has_expires_at();
  return {m.distance_km(), never_expires, never_expires ? 0 : line.expires_at().seconds(),
          never_expires ? 0 : line.expires_at().nanos(), line.id()};
}

}  // namespace

// --- Validation ---

absl::Status ValidateRegisterWarehouse(const relais::v1::RegisterWarehouseRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckPresent("warehouse", request.has_warehouse()));
  const Warehouse& w = request.warehouse();
  const FieldPath path("warehouse");
  RETURN_IF_ERROR(CheckExternalRefFormat(path.Field("external_ref"), w.external_ref()));
  RETURN_IF_ERROR(
      CheckText(path.Field("name"), w.name(), kMinWarehouseNameChars, kMaxWarehouseNameChars));
  RETURN_IF_ERROR(CheckRequiredText(path.Field("commune"), w.commune(), kMaxWarehouseCommuneChars));
  return CheckLocation(path.Field("location"), w.has_location(), w.location());
}

absl::Status ValidateGetWarehouse(const relais::v1::GetWarehouseRequest& request) {
  return CheckResourceId("warehouse_id", request.warehouse_id());
}

absl::Status ValidateListWarehouses(const relais::v1::ListWarehousesRequest& request) {
  RETURN_IF_ERROR(CheckResourceId("organisation_id", request.organisation_id()));
  RETURN_IF_ERROR(CheckPageSize(request.page_size()).status());
  return CheckPageToken("page_token", request.page_token());
}

absl::Status ValidateOfferSupplies(const relais::v1::OfferSuppliesRequest& request,
                                   const Catalogue& catalogue, absl::Time now) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckPresent("line", request.has_line()));
  const StockLine& line = request.line();
  const FieldPath path("line");
  RETURN_IF_ERROR(CheckResourceId(path.Field("warehouse_id"), line.warehouse_id()));
  RETURN_IF_ERROR(CheckSupplyItem(path.Field("item_code"), line.item_code(), catalogue));
  RETURN_IF_ERROR(CheckOptionalText(path.Field("lot"), line.lot(), kMaxLotChars));
  RETURN_IF_ERROR(CheckExternalRefFormat(path.Field("external_ref"), line.external_ref()));
  if (line.has_expires_at()) {
    const FieldPath expires = path.Field("expires_at");
    RETURN_IF_ERROR(CheckTimestamp(expires, line.expires_at()));
    if (FromProtoTime(line.expires_at()) <= now) return InvalidField(expires, "already past");
  }
  return CheckIntRange("quantity", request.quantity(), 1, kMaxOfferQuantity);
}

absl::Status ValidateAdjustStock(const relais::v1::AdjustStockRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckResourceId("stock_line_id", request.stock_line_id()));
  if (request.delta() == 0) return InvalidField("delta", "must not be 0");
  RETURN_IF_ERROR(CheckIntRange("delta", request.delta(), -kMaxAdjustDelta, kMaxAdjustDelta));
  RETURN_IF_ERROR(
      CheckRequiredEnum("reason", request.reason(), &relais::v1::AdjustmentReason_IsValid));
  return CheckOptionalText("note", request.note(), kMaxAdjustNoteChars);
}

absl::Status ValidateListStock(const relais::v1::ListStockRequest& request,
                               const Catalogue& catalogue) {
  const bool by_warehouse = !request.warehouse_id().empty();
  const bool by_organisation = !request.organisation_id().empty();
  if (by_warehouse == by_organisation) {
    return InvalidField("warehouse_id",
                        by_warehouse ? "give warehouse_id or organisation_id, not both"
                                     : "one of warehouse_id and organisation_id is required");
  }
  if (by_warehouse) RETURN_IF_ERROR(CheckResourceId("warehouse_id", request.warehouse_id()));
  if (by_organisation) {
    RETURN_IF_ERROR(CheckResourceId("organisation_id", request.organisation_id()));
  }
  if (!request.item_code().empty()) {
    RETURN_IF_ERROR(CheckSupplyItem("item_code", request.item_code(), catalogue));
  }
  RETURN_IF_ERROR(CheckPageSize(request.page_size()).status());
  return CheckPageToken("page_token", request.page_token());
}

absl::Status ValidateFindSupplies(const FindSuppliesRequest& request, const Catalogue& catalogue) {
  RETURN_IF_ERROR(CheckSupplyItem("item_code", request.item_code(), catalogue));
  RETURN_IF_ERROR(CheckLocation("near", request.has_near(), request.near()));
  RETURN_IF_ERROR(CheckIntRange("quantity", request.quantity(), 1, kMaxFindQuantity));
  if (request.has_not_expiring_before()) {
    RETURN_IF_ERROR(CheckTimestamp("not_expiring_before", request.not_expiring_before()));
  }
  const FieldPath excluded("exclude_line_ids");
  RETURN_IF_ERROR(CheckMaxCount(excluded, request.exclude_line_ids_size(), kMaxExcludedLines));
  for (int i = 0; i < request.exclude_line_ids_size(); ++i) {
    RETURN_IF_ERROR(CheckResourceId(excluded.Index(i), request.exclude_line_ids(i)));
  }
  return CheckPageSize(request.page_size()).status();
}

// --- New entities ---

Warehouse NewWarehouse(const relais::v1::RegisterWarehouseRequest& request,
                       std::string warehouse_id, std::string organisation_id, absl::Time now) {
  Warehouse warehouse = request.warehouse();
  warehouse.set_id(std::move(warehouse_id));
  warehouse.set_version(1);
  warehouse.set_organisation_id(std::move(organisation_id));
  *warehouse.mutable_created_at() = ToProtoTime(now);
  return warehouse;
}

StockLine NewStockLine(const relais::v1::OfferSuppliesRequest& request, std::string line_id,
                       const Warehouse& warehouse, absl::Time now) {
  StockLine line = request.line();
  line.set_id(std::move(line_id));
  line.set_version(1);
  line.set_organisation_id(warehouse.organisation_id());
  line.set_warehouse_id(warehouse.id());
  *line.mutable_location() = warehouse.location();
  line.clear_ledger();
  *line.mutable_created_at() = ToProtoTime(now);
  return line;
}

relais::v1::StockLedger InitialLedger(int64_t quantity) {
  relais::v1::StockLedger ledger;
  ledger.set_offered(quantity);
  ledger.set_available(quantity);
  return ledger;
}

// --- FindSupplies ---

double DistanceKm(const GeoPoint& a, const GeoPoint& b) {
  const double dlat = Radians(b.lat() - a.lat());
  const double dlon = Radians(b.lon() - a.lon());
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(Radians(a.lat())) * std::cos(Radians(b.lat())) * std::sin(dlon / 2) *
                       std::sin(dlon / 2);
  // Rounding can push h a hair above 1 for antipodes.
  return 2 * kEarthRadiusKm * std::asin(std::sqrt(std::min(1.0, h)));
}

bool IsUsable(const StockLine& line, absl::Time now,
              std::optional<absl::Time> not_expiring_before) {
  if (line.ledger().available() <= 0) return false;
  if (!line.has_expires_at()) return true;
  const absl::Time expires = FromProtoTime(line.expires_at());
  if (expires <= now) return false;
  return !not_expiring_before.has_value() || expires >= *not_expiring_before;
}

bool RanksBefore(const SupplyMatch& a, const SupplyMatch& b) { return RankKey(a) < RankKey(b); }

SupplyRanking::SupplyRanking(const FindSuppliesRequest& request, absl::Time now)
    : item_code_(request.item_code()),
      near_(request.near()),
      quantity_(request.quantity()),
      limit_(EffectivePageSize(request.page_size())),
      now_(now),
      excluded_(request.exclude_line_ids().begin(), request.exclude_line_ids().end()) {
  if (request.has_not_expiring_before()) {
    not_expiring_before_ = FromProtoTime(request.not_expiring_before());
  }
}

void SupplyRanking::Consider(StockLine line) {
  if (line.item_code() != item_code_ || excluded_.contains(line.id()) ||
      !IsUsable(line, now_, not_expiring_before_)) {
    return;
  }
  SupplyMatch match;
  match.set_distance_km(DistanceKm(near_, line.location()));
  *match.mutable_line() = std::move(line);
  candidates_.push_back(std::move(match));
  // Trimming at twice the limit keeps the cost of sorting linear in the lines read.
  if (candidates_.size() >= 2 * static_cast<size_t>(limit_)) Trim();
}

void SupplyRanking::Trim() {
  const size_t keep = std::min(candidates_.size(), static_cast<size_t>(limit_));
  std::partial_sort(candidates_.begin(), candidates_.begin() + keep, candidates_.end(),
                    RanksBefore);
  candidates_.resize(keep);
}

FindSuppliesResponse SupplyRanking::Finish() {
  Trim();
  FindSuppliesResponse response;
  int64_t total = 0;
  for (SupplyMatch& match : candidates_) {
    if (total >= quantity_) break;
    total += match.line().ledger().available();
    *response.add_matches() = std::move(match);
  }
  candidates_.clear();
  response.set_total_available(total);
  response.set_covered(total >= quantity_);
  return response;
}

FindSuppliesResponse RankSupplies(const FindSuppliesRequest& request, absl::Time now,
                                  std::vector<StockLine> lines) {
  SupplyRanking ranking(request, now);
  for (StockLine& line : lines) ranking.Consider(std::move(line));
  return ranking.Finish();
}

}  // namespace relais::inventory
