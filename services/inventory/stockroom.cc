#include "services/inventory/stockroom.h"

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/inventory/inventory_domain.h"
#include "services/inventory/stock_domain.h"
#include "services/runtime/access_policy.h"
#include "services/runtime/idempotency.h"
#include "services/runtime/proto_time.h"
#include "services/runtime/status_macros.h"
#include "services/runtime/validation.h"

namespace relais::inventory {
namespace {

using relais::internal::StoredOutcome;
using relais::v1::StockLine;
using relais::v1::Warehouse;

constexpr char kService[] = "inventory";
// The full gRPC names the ownership checks are made under (access_policy.h).
constexpr char kRegisterWarehouse[] = "/relais.v1.ResourceInventory/RegisterWarehouse";
constexpr char kOfferSupplies[] = "/relais.v1.ResourceInventory/OfferSupplies";
constexpr char kAdjustStock[] = "/relais.v1.ResourceInventory/AdjustStock";
// A new entity only conflicts on its external_ref claim, taken meanwhile: read it again to name
// the holder, a few times at most.
constexpr int kMaxAttempts = 4;
// Stock lines are read in pipelined batches of at most this many, so that no round trip holds
// Redis for long.
constexpr int kReadBatch = 500;
// ListStock with an item filter walks the warehouse's or organisation's index in chunks and skips
// other items; it stops after this many lines and hands out a token to go on.
constexpr int kListChunk = 100;
constexpr int kMaxScannedPerPage = 2000;

StoredOutcome Success(const std::string& subject_id, int64_t version) {
  StoredOutcome outcome;
  outcome.set_code(0);
  outcome.set_subject_id(subject_id);
  outcome.set_subject_version(version);
  return outcome;
}

absl::Status OutcomeStatus(const StoredOutcome& outcome) {
  return absl::Status(static_cast<absl::StatusCode>(outcome.code()), outcome.message());
}

// Puts a value or its error where the caller wants it.
template <class T>
absl::Status Deliver(absl::StatusOr<T> value, T* out) {
  if (!value.ok()) return value.status();
  *out = *std::move(value);
  return absl::OkStatus();
}

absl::Status NoWarehouse(const FieldPath& field, const std::string& id) {
  return absl::NotFoundError(absl::StrCat(field.str(), ": no warehouse ", id));
}

absl::Status TakenRef(const char* kind, const std::string& holder) {
  // The holder's id only: the reference itself is the organisation's, kept out of messages.
  return absl::AlreadyExistsError(
      absl::StrCat("external_ref: already used by ", kind, " ", holder));
}

}  // namespace

relais::v1::Event Stockroom::MakeEvent(relais::v1::EventType type, const Principal& caller,
                                       const std::string& request_id) const {
  relais::v1::Event event;
  event.set_type(type);
  *event.mutable_time() = ToProtoTime(clock_.Now());
  event.set_service(kService);
  event.set_principal_id(caller.id);
  event.set_on_behalf_of(OnBehalfOf(caller));
  event.set_request_id(request_id);
  return event;
}

absl::StatusOr<CommitResult> Stockroom::StoreRefusal(const IdempotencyKey& idem,
                                                     const std::string& subject_id,
                                                     std::string message) {
  StoredOutcome outcome;
  outcome.set_code(static_cast<int>(absl::StatusCode::kFailedPrecondition));
  outcome.set_message(std::move(message));
  outcome.set_subject_id(subject_id);
  return store_.Refuse(idem, outcome);
}

absl::StatusOr<Stockroom::CallerCheck> Stockroom::CheckCaller(const Principal& caller,
                                                              const IdempotencyKey& idem) {
  auto organisation_id = CallerOrganisation(caller);
  if (!organisation_id.ok()) return organisation_id.status();
  CallerCheck check;
  check.organisation_id = *std::move(organisation_id);
  auto org = directory_.GetOrganisation(check.organisation_id);
  if (!org.ok()) return org.status();
  if (org->has_value()) return check;
  auto stored = StoreRefusal(
      idem, check.organisation_id,
      absl::StrCat("caller's organisation ", check.organisation_id, " is not in the directory"));
  if (!stored.ok()) return stored.status();
  check.answered = *std::move(stored);
  return check;
}

absl::StatusOr<Warehouse> Stockroom::ReplayWarehouse(const CommitResult& first) {
  if (first.outcome.code() != 0) return OutcomeStatus(first.outcome);
  auto warehouse = store_.GetWarehouse(first.outcome.subject_id());
  if (!warehouse.ok()) return warehouse.status();
  if (!warehouse->has_value()) {
    return absl::InternalError(absl::StrCat("warehouse ", first.outcome.subject_id(), " vanished"));
  }
  return **std::move(warehouse);
}

absl::StatusOr<StockLine> Stockroom::ReplayStockLine(const CommitResult& first) {
  if (first.outcome.code() != 0) return OutcomeStatus(first.outcome);
  return ReadLine(first.outcome.subject_id(), "stock_line_id");
}

absl::StatusOr<StockLine> Stockroom::ReadLine(const std::string& line_id,
                                              const std::string& field) {
  auto line = ledger_.GetStockLine(line_id);
  if (!line.ok()) return line.status();
  if (!line->has_value()) {
    return absl::NotFoundError(absl::StrCat(field, ": no stock line ", line_id));
  }
  return **std::move(line);
}

// --- Warehouses ---

absl::Status Stockroom::RegisterWarehouse(const Principal& caller,
                                          const relais::v1::RegisterWarehouseRequest& request,
                                          Warehouse* out) {
  RETURN_IF_ERROR(ValidateRegisterWarehouse(request));
  const IdempotencyKey idem = MakeIdempotencyKey(kKeyPrefix, caller, "RegisterWarehouse", request);
  // Answers with the first outcome when this request was answered already, else with `error`.
  const auto outcome_or = [&](absl::Status error) -> absl::Status {
    auto first = store_.FindOutcome(idem);
    if (!first.ok()) return first.status();
    if (!first->has_value()) return error;
    return Deliver(ReplayWarehouse(**first), out);
  };
  auto checked = CheckCaller(caller, idem);
  if (!checked.ok()) return checked.status();
  if (auto allowed =
          access::AuthorizeTarget(caller, kRegisterWarehouse, {checked->organisation_id, ""});
      !allowed.ok()) {
    return allowed;
  }
  if (checked->answered) return Deliver(ReplayWarehouse(*checked->answered), out);
  const std::string organisation_id = checked->organisation_id;

  Warehouse warehouse = NewWarehouse(request, ids_.NewId("whs"), organisation_id, clock_.Now());
  const std::string& ref = warehouse.external_ref();
  relais::v1::Event event =
      MakeEvent(relais::v1::EVENT_TYPE_WAREHOUSE_REGISTERED, caller, request.request_id());
  event.set_subject_id(warehouse.id());
  event.set_subject_version(warehouse.version());
  event.set_organisation_id(organisation_id);
  event.set_warehouse_id(warehouse.id());
  for (int attempt = 1;; ++attempt) {
    if (!ref.empty()) {
      auto holder = store_.FindClaim(organisation_id, ClaimKind::kWarehouse, ref);
      if (!holder.ok()) return holder.status();
      if (holder->has_value()) return outcome_or(TakenRef("warehouse", **holder));
    }
    auto saved = store_.SaveNewWarehouse(warehouse, idem, event,
                                         Success(warehouse.id(), warehouse.version()));
    if (saved.ok()) {
      if (saved->replayed) return Deliver(ReplayWarehouse(*saved), out);
      *out = std::move(warehouse);
      return absl::OkStatus();
    }
    if (!absl::IsAborted(saved.status()) || ref.empty() || attempt == kMaxAttempts) {
      return saved.status();
    }
  }
}

absl::Status Stockroom::GetWarehouse(const Principal& /*caller*/,
                                     const relais::v1::GetWarehouseRequest& request,
                                     Warehouse* out) {
  RETURN_IF_ERROR(ValidateGetWarehouse(request));
  auto warehouse = store_.GetWarehouse(request.warehouse_id());
  if (!warehouse.ok()) return warehouse.status();
  if (!warehouse->has_value()) return NoWarehouse("warehouse_id", request.warehouse_id());
  *out = **std::move(warehouse);
  return absl::OkStatus();
}

absl::Status Stockroom::ListWarehouses(const Principal& /*caller*/,
                                       const relais::v1::ListWarehousesRequest& request,
                                       relais::v1::ListWarehousesResponse* out) {
  RETURN_IF_ERROR(ValidateListWarehouses(request));
  auto org = directory_.GetOrganisation(request.organisation_id());
  if (!org.ok()) return org.status();
  if (!org->has_value()) {
    return absl::NotFoundError(
        absl::StrCat("organisation_id: no organisation ", request.organisation_id()));
  }
  auto page = store_.ListWarehouses(request.organisation_id(),
                                    EffectivePageSize(request.page_size()), request.page_token());
  if (!page.ok()) return page.status();
  for (Warehouse& warehouse : page->warehouses) *out->add_warehouses() = std::move(warehouse);
  out->set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

// --- Stock lines ---

absl::Status Stockroom::OfferSupplies(const Principal& caller,
                                      const relais::v1::OfferSuppliesRequest& request,
                                      StockLine* out) {
  RETURN_IF_ERROR(ValidateOfferSupplies(request, catalogue_, clock_.Now()));
  const IdempotencyKey idem = MakeIdempotencyKey(kKeyPrefix, caller, "OfferSupplies", request);
  const auto outcome_or = [&](absl::Status error) -> absl::Status {
    auto first = store_.FindOutcome(idem);
    if (!first.ok()) return first.status();
    if (!first->has_value()) return error;
    return Deliver(ReplayStockLine(**first), out);
  };
  // The warehouse's organisation owns the line: only it (or the admin) offers supplies there.
  const std::string& warehouse_id = request.line().warehouse_id();
  auto warehouse = store_.GetWarehouse(warehouse_id);
  if (!warehouse.ok()) return warehouse.status();
  if (!warehouse->has_value()) return outcome_or(NoWarehouse("line.warehouse_id", warehouse_id));
  const std::string organisation_id = (*warehouse)->organisation_id();
  if (auto allowed = access::AuthorizeTarget(caller, kOfferSupplies, {organisation_id, ""});
      !allowed.ok()) {
    return allowed;
  }

  StockLine line = NewStockLine(request, ids_.NewId("stk"), **warehouse, clock_.Now());
  const std::string& ref = line.external_ref();
  relais::v1::Event event =
      MakeEvent(relais::v1::EVENT_TYPE_STOCK_OFFERED, caller, request.request_id());
  event.set_subject_id(line.id());
  event.set_subject_version(line.version());
  event.set_organisation_id(line.organisation_id());
  event.set_warehouse_id(line.warehouse_id());
  event.set_stock_line_id(line.id());
  event.set_quantity(request.quantity());
  for (int attempt = 1;; ++attempt) {
    if (!ref.empty()) {
      auto holder = store_.FindClaim(organisation_id, ClaimKind::kStockLine, ref);
      if (!holder.ok()) return holder.status();
      if (holder->has_value()) return outcome_or(TakenRef("stock line", **holder));
    }
    auto saved = store_.SaveNewStockLine(line, request.quantity(), idem, event,
                                         Success(line.id(), line.version()));
    if (saved.ok()) {
      if (saved->replayed) return Deliver(ReplayStockLine(*saved), out);
      *line.mutable_ledger() = InitialLedger(request.quantity());
      *out = std::move(line);
      return absl::OkStatus();
    }
    if (!absl::IsAborted(saved.status()) || ref.empty() || attempt == kMaxAttempts) {
      return saved.status();
    }
  }
}

absl::Status Stockroom::AdjustStock(const Principal& caller,
                                    const relais::v1::AdjustStockRequest& request, StockLine* out) {
  RETURN_IF_ERROR(ValidateAdjustStock(request));
  const IdempotencyKey idem = MakeIdempotencyKey(kKeyPrefix, caller, "AdjustStock", request);
  const auto outcome_or = [&](absl::Status error) -> absl::Status {
    auto first = store_.FindOutcome(idem);
    if (!first.ok()) return first.status();
    if (!first->has_value()) return error;
    return Deliver(ReplayStockLine(**first), out);
  };
  // Stores a refusal and answers what a retry will get.
  const auto refuse = [&](const std::string& message) -> absl::Status {
    auto stored = StoreRefusal(idem, request.stock_line_id(), message);
    if (!stored.ok()) return stored.status();
    return Deliver(ReplayStockLine(*stored), out);
  };
  const std::string& line_id = request.stock_line_id();
  auto line = ReadLine(line_id, "stock_line_id");
  if (!line.ok()) {
    return absl::IsNotFound(line.status()) ? outcome_or(line.status()) : line.status();
  }
  // Only the line's organisation (or the admin) corrects it; nothing is written otherwise.
  if (auto allowed = access::AuthorizeTarget(caller, kAdjustStock, {line->organisation_id(), ""});
      !allowed.ok()) {
    return allowed;
  }

  LedgerWrite write;
  write.idem = idem;
  write.event = MakeEvent(relais::v1::EVENT_TYPE_STOCK_ADJUSTED, caller, request.request_id());
  write.event.set_subject_id(line_id);
  write.event.set_subject_version(line->version());
  write.event.set_organisation_id(line->organisation_id());
  write.event.set_warehouse_id(line->warehouse_id());
  write.event.set_stock_line_id(line_id);
  write.event.set_quantity(request.delta());
  write.outcome = Success(line_id, line->version());
  auto adjusted = ledger_.AdjustStock(line_id, request.delta(), write);
  if (!adjusted.ok()) {
    // Not enough available units: a refusal the retry must get again, even after a restock.
    if (absl::IsFailedPrecondition(adjusted.status())) {
      return refuse(std::string(adjusted.status().message()));
    }
    if (absl::IsNotFound(adjusted.status())) return outcome_or(adjusted.status());
    return adjusted.status();
  }
  return Deliver(ReplayStockLine(*adjusted), out);
}

absl::Status Stockroom::ListStock(const Principal& /*caller*/,
                                  const relais::v1::ListStockRequest& request,
                                  relais::v1::ListStockResponse* out) {
  RETURN_IF_ERROR(ValidateListStock(request, catalogue_));
  StockIndex index;
  if (!request.warehouse_id().empty()) {
    auto warehouse = store_.GetWarehouse(request.warehouse_id());
    if (!warehouse.ok()) return warehouse.status();
    if (!warehouse->has_value()) return NoWarehouse("warehouse_id", request.warehouse_id());
    index = {StockIndex::By::kWarehouse, request.warehouse_id()};
  } else {
    auto org = directory_.GetOrganisation(request.organisation_id());
    if (!org.ok()) return org.status();
    if (!org->has_value()) {
      return absl::NotFoundError(
          absl::StrCat("organisation_id: no organisation ", request.organisation_id()));
    }
    index = {StockIndex::By::kOrganisation, request.organisation_id()};
  }
  std::string after;
  if (!request.page_token().empty()) {
    auto id = RedisStockStore::DecodePageToken(request.page_token());
    if (!id.ok()) return id.status();
    after = *std::move(id);
  }
  const int page_size = EffectivePageSize(request.page_size());
  const std::string& item = request.item_code();
  // One more than a page tells whether another follows.
  const int chunk = item.empty() ? page_size + 1 : std::max(page_size + 1, kListChunk);
  std::vector<StockLine> found;
  std::string last_scanned;
  int scanned = 0;
  bool at_end = false;
  while (static_cast<int>(found.size()) <= page_size && scanned < kMaxScannedPerPage) {
    auto ids = store_.StockLineIds(index, after, chunk);
    if (!ids.ok()) return ids.status();
    at_end = static_cast<int>(ids->size()) < chunk;
    auto lines = ledger_.GetStockLines(*ids);
    if (!lines.ok()) return lines.status();
    for (size_t i = 0; i < ids->size(); ++i) {
      ++scanned;
      last_scanned = (*ids)[i];
      // Index entry and line are written in one step: a dangling entry is a broken invariant.
      if (!(*lines)[i].has_value()) {
        return absl::InternalError(absl::StrCat("index entry without its stock line: ", (*ids)[i]));
      }
      if (!item.empty() && (*lines)[i]->item_code() != item) continue;
      found.push_back(*std::move((*lines)[i]));
      if (static_cast<int>(found.size()) > page_size) break;
    }
    if (at_end) break;
    after = last_scanned;
  }
  if (static_cast<int>(found.size()) > page_size) {
    found.resize(page_size);
    out->set_next_page_token(RedisStockStore::EncodePageToken(found.back().id()));
  } else if (!at_end && !last_scanned.empty()) {
    // Stopped scanning before the end of the index: go on from the last line looked at.
    out->set_next_page_token(RedisStockStore::EncodePageToken(last_scanned));
  }
  for (StockLine& line : found) *out->add_lines() = std::move(line);
  return absl::OkStatus();
}

absl::Status Stockroom::FindSupplies(const Principal& /*caller*/,
                                     const relais::v1::FindSuppliesRequest& request,
                                     relais::v1::FindSuppliesResponse* out) {
  RETURN_IF_ERROR(ValidateFindSupplies(request, catalogue_));
  SupplyRanking ranking(request, clock_.Now());
  const StockIndex index{StockIndex::By::kItem, request.item_code()};
  const std::set<std::string, std::less<>> excluded(request.exclude_line_ids().begin(),
                                                    request.exclude_line_ids().end());
  std::string after;
  for (;;) {
    auto ids = store_.StockLineIds(index, after, kReadBatch);
    if (!ids.ok()) return ids.status();
    if (ids->empty()) break;
    after = ids->back();
    const bool at_end = static_cast<int>(ids->size()) < kReadBatch;
    std::erase_if(*ids, [&](const std::string& id) { return excluded.contains(id); });
    auto lines = ledger_.GetStockLines(*ids);
    if (!lines.ok()) return lines.status();
    // A line missing behind its index entry is skipped: one broken entry must not stop a search.
    for (auto& line : *lines) {
      if (line.has_value()) ranking.Consider(*std::move(line));
    }
    if (at_end) break;
  }
  *out = ranking.Finish();
  return absl::OkStatus();
}

}  // namespace relais::inventory
