#include "services/inventory/redis_stock_store.h"

#include <openssl/sha.h>

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/inventory/inventory_store.h"
#include "services/runtime/validation.h"

namespace relais::inventory {
namespace {

using relais::v1::StockLine;
using relais::v1::Warehouse;

// Claims are created at version 1 and never rewritten.
constexpr int64_t kNewClaim = 0;

std::string WarehouseKey(const std::string& id) { return absl::StrCat(kKeyPrefix, ":whs:", id); }
std::string StockLineKey(const std::string& id) { return absl::StrCat(kKeyPrefix, ":stk:", id); }
std::string WarehousesIndexKey(const std::string& organisation_id) {
  return absl::StrCat(kKeyPrefix, ":idx:whs:", organisation_id);
}

std::string StockIndexKey(const StockIndex& index) {
  switch (index.by) {
    case StockIndex::By::kWarehouse:
      return absl::StrCat(kKeyPrefix, ":idx:stk:whs:", index.id);
    case StockIndex::By::kOrganisation:
      return absl::StrCat(kKeyPrefix, ":idx:stk:org:", index.id);
    case StockIndex::By::kItem:
      return absl::StrCat(kKeyPrefix, ":idx:stk:item:", index.id);
  }
  return "";
}

// The key names the organisation and the hash of the reference, never the reference itself.
std::string ClaimKey(const std::string& organisation_id, ClaimKind kind,
                     const std::string& external_ref) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(external_ref.data()), external_ref.size(), digest);
  const std::string hex = absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
  return absl::StrCat(kKeyPrefix, ":xref:", organisation_id,
                      kind == ClaimKind::kWarehouse ? ":whs:" : ":stk:", hex);
}

absl::StatusOr<Warehouse> ParseWarehouse(const VersionedValue& stored, const std::string& key) {
  Warehouse warehouse;
  if (!warehouse.ParseFromString(stored.value)) {
    return absl::InternalError(absl::StrCat("stored value is unreadable: ", key));
  }
  return warehouse;
}

}  // namespace

std::string RedisStockStore::EncodePageToken(const std::string& last_id) {
  return absl::WebSafeBase64Escape(last_id);
}

absl::StatusOr<std::string> RedisStockStore::DecodePageToken(const std::string& token) {
  std::string id;
  if (!absl::WebSafeBase64Unescape(token, &id) || !CheckResourceId("id", id).ok()) {
    return absl::InvalidArgumentError("page_token: not a token this server issued");
  }
  return id;
}

absl::StatusOr<std::vector<std::string>> RedisStockStore::IdsAfter(const std::string& key,
                                                                   const std::string& after,
                                                                   int count) {
  auto reply = redis_.Command({"ZRANGE", key, after.empty() ? "-" : absl::StrCat("(", after), "+",
                               "BYLEX", "LIMIT", "0", absl::StrCat(count)});
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) return ErrorReplyToStatus(*reply);
  std::vector<std::string> ids;
  ids.reserve(reply->elements().size());
  for (const Reply& element : reply->elements()) ids.push_back(element.str());
  return ids;
}

// --- Warehouses ---

absl::StatusOr<std::optional<Warehouse>> RedisStockStore::GetWarehouse(
    const std::string& warehouse_id) {
  const std::string key = WarehouseKey(warehouse_id);
  auto stored = committer_.Read(key);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return std::nullopt;
  auto warehouse = ParseWarehouse(**stored, key);
  if (!warehouse.ok()) return warehouse.status();
  return std::optional<Warehouse>(*std::move(warehouse));
}

absl::StatusOr<WarehousePage> RedisStockStore::ListWarehouses(const std::string& organisation_id,
                                                              int page_size,
                                                              const std::string& page_token) {
  std::string after;
  if (!page_token.empty()) {
    auto id = DecodePageToken(page_token);
    if (!id.ok()) return id.status();
    after = *std::move(id);
  }
  auto ids = IdsAfter(WarehousesIndexKey(organisation_id), after, page_size + 1);
  if (!ids.ok()) return ids.status();
  const bool more = static_cast<int>(ids->size()) > page_size;
  if (more) ids->resize(page_size);
  std::vector<std::string> keys;
  keys.reserve(ids->size());
  for (const std::string& id : *ids) keys.push_back(WarehouseKey(id));
  auto stored = committer_.ReadMany(keys);
  if (!stored.ok()) return stored.status();
  WarehousePage page;
  for (size_t i = 0; i < keys.size(); ++i) {
    // Index entry and warehouse are written in one step: a dangling entry is a broken invariant.
    if (!(*stored)[i].has_value()) {
      return absl::InternalError(absl::StrCat("index entry without its warehouse: ", keys[i]));
    }
    auto warehouse = ParseWarehouse(*(*stored)[i], keys[i]);
    if (!warehouse.ok()) return warehouse.status();
    page.warehouses.push_back(*std::move(warehouse));
  }
  if (more && !ids->empty()) page.next_page_token = EncodePageToken(ids->back());
  return page;
}

absl::StatusOr<CommitResult> RedisStockStore::SaveNewWarehouse(
    const Warehouse& warehouse, const IdempotencyKey& idem, const relais::v1::Event& event,
    const relais::internal::StoredOutcome& outcome) {
  CommitRequest request;
  request.idem = idem;
  request.writes.push_back({WarehouseKey(warehouse.id()), 0, warehouse.SerializeAsString(), {}});
  if (!warehouse.external_ref().empty()) {
    // Create-if-absent: a concurrent claim of the same reference makes the commit ABORTED.
    request.writes.push_back(
        {ClaimKey(warehouse.organisation_id(), ClaimKind::kWarehouse, warehouse.external_ref()),
         kNewClaim,
         warehouse.id(),
         {}});
  }
  request.index_ops.push_back(
      {IndexOp::Kind::kAdd, WarehousesIndexKey(warehouse.organisation_id()), warehouse.id(), 0});
  request.event = event;
  request.outcome = outcome;
  return committer_.Commit(request);
}

absl::StatusOr<std::optional<std::string>> RedisStockStore::FindClaim(
    const std::string& organisation_id, ClaimKind kind, const std::string& external_ref) {
  auto stored = committer_.Read(ClaimKey(organisation_id, kind, external_ref));
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return std::nullopt;
  return std::optional<std::string>((*stored)->value);
}

// --- Stock lines ---

absl::StatusOr<CommitResult> RedisStockStore::SaveNewStockLine(
    const StockLine& line, int64_t quantity, const IdempotencyKey& idem,
    const relais::v1::Event& event, const relais::internal::StoredOutcome& outcome) {
  StockLine description = line;
  description.clear_ledger();  // the counters live in their own fields
  const std::string q = absl::StrCat(quantity);
  CommitRequest request;
  request.idem = idem;
  request.writes.push_back({StockLineKey(line.id()),
                            0,
                            description.SerializeAsString(),
                            {{"o", q}, {"j", "0"}, {"a", q}, {"h", "0"}, {"c", "0"}, {"u", "0"}}});
  if (!line.external_ref().empty()) {
    request.writes.push_back(
        {ClaimKey(line.organisation_id(), ClaimKind::kStockLine, line.external_ref()),
         kNewClaim,
         line.id(),
         {}});
  }
  for (const StockIndex& index : {StockIndex{StockIndex::By::kWarehouse, line.warehouse_id()},
                                  StockIndex{StockIndex::By::kOrganisation, line.organisation_id()},
                                  StockIndex{StockIndex::By::kItem, line.item_code()}}) {
    request.index_ops.push_back({IndexOp::Kind::kAdd, StockIndexKey(index), line.id(), 0});
  }
  request.event = event;
  request.outcome = outcome;
  return committer_.Commit(request);
}

absl::StatusOr<std::vector<std::string>> RedisStockStore::StockLineIds(const StockIndex& index,
                                                                       const std::string& after,
                                                                       int count) {
  return IdsAfter(StockIndexKey(index), after, count);
}

// --- Idempotency ---

absl::StatusOr<CommitResult> RedisStockStore::Refuse(
    const IdempotencyKey& idem, const relais::internal::StoredOutcome& outcome) {
  return committer_.RecordRefusal(idem, outcome);
}

absl::StatusOr<std::optional<CommitResult>> RedisStockStore::FindOutcome(
    const IdempotencyKey& idem) {
  return committer_.Lookup(idem);
}

}  // namespace relais::inventory
