// Warehouses and stock against a real redis-server: the Stockroom with its Redis store and the
// RedisLedger (the relais_inventory Functions loaded), organisations registered through the
// Registry. Time comes from a FakeClock, ids from a SequentialIdGenerator.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/inventory/inventory_functions.h"
#include "services/inventory/redis_inventory_store.h"
#include "services/inventory/redis_ledger.h"
#include "services/inventory/redis_stock_store.h"
#include "services/inventory/registry.h"
#include "services/inventory/stockroom.h"
#include "services/runtime/catalogue.h"
#include "services/runtime/clock.h"
#include "services/runtime/ids.h"
#include "services/runtime/proto_time.h"
#include "services/runtime/redis/committer.h"
#include "services/runtime/redis/redis_client.h"
#include "tests/support/redis_server.h"

namespace relais::inventory {
namespace {

using ::relais::testing::RedisServer;
namespace v1 = ::relais::v1;

constexpr char kCholera[] = "who-cholera-kit-central";
constexpr char kIddk[] = "iddk-module";

v1::GeoPoint Point(double lat, double lon) {
  v1::GeoPoint p;
  p.set_lat(lat);
  p.set_lon(lon);
  return p;
}

class StockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_ = RedisServer::Start();
    auto catalogue = Catalogue::LoadFile(RELAIS_SOURCE_DIR "/deploy/catalogue.textproto");
    ASSERT_TRUE(catalogue.ok()) << catalogue.status();
    catalogue_ = std::make_unique<Catalogue>(*std::move(catalogue));
    RedisOptions options;
    options.port = redis_->port();
    options.connections = 4;
    client_ = std::make_unique<RedisClient>(options, clock_);
    committer_ = std::make_unique<Committer>(*client_, CommitOptions{});
    committer_->AddLibrary(InventoryFunctionsSource());
    ASSERT_TRUE(committer_->LoadFunctions().ok());
    directory_ = std::make_unique<RedisInventoryStore>(*client_, *committer_);
    registry_ = std::make_unique<Registry>(*directory_, *catalogue_, clock_, ids_);
    store_ = std::make_unique<RedisStockStore>(*client_, *committer_);
    ledger_ = std::make_unique<RedisLedger>(*client_, *committer_);
    stockroom_ =
        std::make_unique<Stockroom>(*store_, *directory_, *ledger_, *catalogue_, clock_, ids_);
  }

  // --- Set-up helpers ---

  std::string RegisterOrg(const std::string& name) {
    v1::RegisterOrganisationRequest request;
    request.set_request_id(absl::StrCat("r-org-", ++orgs_));
    v1::Organisation& org = *request.mutable_organisation();
    org.set_name(name);
    org.set_kind(v1::ORGANISATION_KIND_NGO);
    org.add_domains(v1::DOMAIN_HUMANITARIAN_HEALTH);
    org.set_commune("Lyon");
    *org.mutable_location() = Point(45.75, 4.85);
    org.mutable_contact()->set_email("contact@example.org");
    v1::Organisation out;
    const absl::Status status = registry_->RegisterOrganisation(Admin(""), request, &out);
    EXPECT_TRUE(status.ok()) << status;
    return out.id();
  }

  static Principal Admin(const std::string& organisation, const std::string& id = "osi-1") {
    Principal principal;
    principal.id = id;
    principal.role = Role::kOsiAdmin;
    principal.organisation_id = organisation;
    return principal;
  }

  static v1::RegisterWarehouseRequest WarehouseRequest(const std::string& request_id,
                                                       const std::string& name,
                                                       v1::GeoPoint location,
                                                       const std::string& ref = "") {
    v1::RegisterWarehouseRequest request;
    request.set_request_id(request_id);
    v1::Warehouse& w = *request.mutable_warehouse();
    w.set_name(name);
    w.set_commune("Lyon");
    *w.mutable_location() = location;
    w.set_external_ref(ref);
    return request;
  }

  v1::Warehouse NewWarehouse(const std::string& org, const std::string& request_id,
                             v1::GeoPoint location = Point(45.78, 4.92),
                             const std::string& ref = "") {
    v1::Warehouse out;
    const absl::Status status = stockroom_->RegisterWarehouse(
        Admin(org), WarehouseRequest(request_id, "Entrepôt " + request_id, location, ref), &out);
    EXPECT_TRUE(status.ok()) << status;
    return out;
  }

  static v1::OfferSuppliesRequest OfferRequest(const std::string& request_id,
                                               const std::string& warehouse_id, int64_t quantity,
                                               const std::string& item = kCholera,
                                               std::optional<absl::Time> expires = std::nullopt,
                                               const std::string& ref = "") {
    v1::OfferSuppliesRequest request;
    request.set_request_id(request_id);
    v1::StockLine& line = *request.mutable_line();
    line.set_warehouse_id(warehouse_id);
    line.set_item_code(item);
    line.set_lot("LOT-" + request_id);
    line.set_external_ref(ref);
    if (expires) *line.mutable_expires_at() = ToProtoTime(*expires);
    request.set_quantity(quantity);
    return request;
  }

  v1::StockLine Offer(const std::string& org, const v1::OfferSuppliesRequest& request) {
    v1::StockLine out;
    const absl::Status status = stockroom_->OfferSupplies(Admin(org), request, &out);
    EXPECT_TRUE(status.ok()) << status;
    return out;
  }

  absl::Status Adjust(const std::string& org, const std::string& request_id,
                      const std::string& line_id, int64_t delta, v1::StockLine* out,
                      v1::AdjustmentReason reason = v1::ADJUSTMENT_REASON_COUNT) {
    v1::AdjustStockRequest request;
    request.set_request_id(request_id);
    request.set_stock_line_id(line_id);
    request.set_delta(delta);
    request.set_reason(reason);
    return stockroom_->AdjustStock(Admin(org), request, out);
  }

  // --- Reading Redis directly ---

  std::map<std::string, std::string> Hash(const std::string& key) {
    auto reply = client_->Command({"HGETALL", key});
    EXPECT_TRUE(reply.ok());
    std::map<std::string, std::string> fields;
    if (!reply.ok()) return fields;
    const auto& e = reply->elements();
    for (size_t i = 0; i + 1 < e.size(); i += 2) fields[e[i].str()] = e[i + 1].str();
    return fields;
  }

  std::vector<std::string> Members(const std::string& key) {
    auto reply = client_->Command({"ZRANGE", key, "0", "-1"});
    EXPECT_TRUE(reply.ok());
    std::vector<std::string> members;
    if (reply.ok()) {
      for (const auto& e : reply->elements()) members.push_back(e.str());
    }
    return members;
  }

  std::vector<std::string> Keys(const std::string& pattern) {
    auto reply = client_->Command({"KEYS", pattern});
    EXPECT_TRUE(reply.ok());
    std::vector<std::string> keys;
    if (reply.ok()) {
      for (const auto& e : reply->elements()) keys.push_back(e.str());
    }
    std::sort(keys.begin(), keys.end());
    return keys;
  }

  std::vector<v1::Event> Events() {
    auto reply = client_->Command({"XRANGE", "relais:events", "-", "+"});
    EXPECT_TRUE(reply.ok());
    std::vector<v1::Event> events;
    if (!reply.ok()) return events;
    for (const auto& entry : reply->elements()) {
      const auto& fields = entry.elements()[1].elements();
      for (size_t i = 0; i + 1 < fields.size(); i += 2) {
        if (fields[i].str() != "e") continue;
        v1::Event event;
        EXPECT_TRUE(event.ParseFromString(fields[i + 1].str()));
        events.push_back(event);
      }
    }
    return events;
  }

  int EventsOfType(v1::EventType type) {
    int n = 0;
    for (const auto& event : Events()) n += event.type() == type ? 1 : 0;
    return n;
  }

  // o + j = a + h + c + u and none negative, for every stock line in Redis.
  void ExpectLedgerInvariant() {
    for (const std::string& key : Keys("inv:stk:*")) {
      auto fields = Hash(key);
      int64_t v[6];
      const char* names[6] = {"o", "j", "a", "h", "c", "u"};
      for (int i = 0; i < 6; ++i) {
        ASSERT_TRUE(fields.contains(names[i])) << key << " lacks " << names[i];
        v[i] = std::stoll(fields[names[i]]);
        // j (the sum of adjustments) may be negative; the others never.
        if (i != 1) {
          EXPECT_GE(v[i], 0) << key << " " << names[i];
        }
      }
      EXPECT_EQ(v[0] + v[1], v[2] + v[3] + v[4] + v[5]) << key;
    }
  }

  v1::StockLedger LedgerOf(const std::string& line_id) {
    auto line = ledger_->GetStockLine(line_id);
    EXPECT_TRUE(line.ok() && line->has_value());
    return line.ok() && line->has_value() ? (*line)->ledger() : v1::StockLedger();
  }

  static std::vector<std::string> Ids(const v1::ListStockResponse& response) {
    std::vector<std::string> ids;
    for (const auto& line : response.lines()) ids.push_back(line.id());
    return ids;
  }

  static std::vector<std::string> Ids(const v1::FindSuppliesResponse& response) {
    std::vector<std::string> ids;
    for (const auto& match : response.matches()) ids.push_back(match.line().id());
    return ids;
  }

  FakeClock clock_;
  SequentialIdGenerator ids_;
  int orgs_ = 0;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<Catalogue> catalogue_;
  std::unique_ptr<RedisClient> client_;
  std::unique_ptr<Committer> committer_;
  std::unique_ptr<RedisInventoryStore> directory_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<RedisStockStore> store_;
  std::unique_ptr<RedisLedger> ledger_;
  std::unique_ptr<Stockroom> stockroom_;
};

// --- Warehouses ---

TEST_F(StockTest, WarehousesAreRegisteredReadAndListedInPages) {
  const std::string org = RegisterOrg("Croix-Rouge française - Rhône");
  const std::string other = RegisterOrg("Médecins du Monde - Lyon");
  const v1::Warehouse first = NewWarehouse(org, "r-w1", Point(45.78, 4.92), "WH-1");
  EXPECT_EQ(first.id(), "whs_000001");
  EXPECT_EQ(first.version(), 1);
  EXPECT_EQ(first.organisation_id(), org);
  EXPECT_EQ(first.external_ref(), "WH-1");
  EXPECT_EQ(FromProtoTime(first.created_at()), clock_.Now());
  for (int i = 2; i <= 5; ++i) NewWarehouse(org, absl::StrCat("r-w", i));
  NewWarehouse(other, "r-other");

  v1::Warehouse got;
  v1::GetWarehouseRequest get;
  get.set_warehouse_id(first.id());
  ASSERT_TRUE(stockroom_->GetWarehouse(Admin(""), get, &got).ok());
  EXPECT_EQ(got.SerializeAsString(), first.SerializeAsString());
  get.set_warehouse_id("whs_nope");
  EXPECT_EQ(stockroom_->GetWarehouse(Admin(""), get, &got).code(), absl::StatusCode::kNotFound);

  // Pages of 2 in registration order; the other organisation's warehouse is not listed.
  std::vector<std::string> listed;
  v1::ListWarehousesRequest list;
  list.set_organisation_id(org);
  list.set_page_size(2);
  int pages = 0;
  for (;;) {
    v1::ListWarehousesResponse page;
    ASSERT_TRUE(stockroom_->ListWarehouses(Admin(""), list, &page).ok());
    ++pages;
    for (const auto& w : page.warehouses()) listed.push_back(w.id());
    if (page.next_page_token().empty()) break;
    list.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(listed, (std::vector<std::string>{"whs_000001", "whs_000002", "whs_000003",
                                              "whs_000004", "whs_000005"}));

  v1::ListWarehousesResponse page;
  list.set_page_token("not a token");
  EXPECT_EQ(stockroom_->ListWarehouses(Admin(""), list, &page).code(),
            absl::StatusCode::kInvalidArgument);
  list.clear_page_token();
  list.set_organisation_id("org_nope");
  EXPECT_EQ(stockroom_->ListWarehouses(Admin(""), list, &page).code(), absl::StatusCode::kNotFound);

  EXPECT_EQ(EventsOfType(v1::EVENT_TYPE_WAREHOUSE_REGISTERED), 6);
  const v1::Event event = Events()[2];  // after the two organisations
  EXPECT_EQ(event.subject_id(), first.id());
  EXPECT_EQ(event.warehouse_id(), first.id());
  EXPECT_EQ(event.organisation_id(), org);
  EXPECT_EQ(event.request_id(), "r-w1");
}

TEST_F(StockTest, TheCallerMustActForAnOrganisationInTheDirectory) {
  v1::Warehouse out;
  const auto request = WarehouseRequest("r-1", "Entrepôt", Point(45.7, 4.8));
  absl::Status status = stockroom_->RegisterWarehouse(Admin(""), request, &out);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  status = stockroom_->RegisterWarehouse(Admin("org_unknown"), request, &out);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "org_unknown")) << status;
  // The refusal is stored: a retry gets it again.
  EXPECT_EQ(stockroom_->RegisterWarehouse(Admin("org_unknown"), request, &out).code(),
            absl::StatusCode::kFailedPrecondition);
  // Supplies belong to the warehouse's organisation: an unknown warehouse is NOT_FOUND first.
  v1::StockLine line;
  EXPECT_EQ(stockroom_->OfferSupplies(Admin("org_unknown"), OfferRequest("r-2", "whs_x", 1), &line)
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(Keys("inv:whs:*").empty());
  EXPECT_TRUE(Events().empty());
}

TEST_F(StockTest, AWarehouseExternalRefIsUniqueWithinItsOrganisation) {
  const std::string org = RegisterOrg("Croix-Rouge française - Rhône");
  const std::string other = RegisterOrg("Médecins du Monde - Lyon");
  const v1::Warehouse first = NewWarehouse(org, "r-1", Point(45.78, 4.92), "WH/Bioport");
  v1::Warehouse out;
  const absl::Status status = stockroom_->RegisterWarehouse(
      Admin(org), WarehouseRequest("r-2", "Autre", Point(45.7, 4.8), "WH/Bioport"), &out);
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << status;
  EXPECT_EQ(status.message(), "external_ref: already used by warehouse " + first.id());
  // Another organisation may use the same reference; a stock line too (claims are per kind).
  NewWarehouse(other, "r-3", Point(45.78, 4.92), "WH/Bioport");
  const v1::StockLine line =
      Offer(org, OfferRequest("r-4", first.id(), 5, kCholera, std::nullopt, "WH/Bioport"));
  EXPECT_EQ(line.external_ref(), "WH/Bioport");
  // The retry of the first registration is its first answer, not a conflict with itself.
  ASSERT_TRUE(stockroom_
                  ->RegisterWarehouse(
                      Admin(org),
                      WarehouseRequest("r-1", "Entrepôt r-1", Point(45.78, 4.92), "WH/Bioport"),
                      &out)
                  .ok());
  EXPECT_EQ(out.id(), first.id());
  EXPECT_EQ(Keys("inv:whs:*").size(), 2u);
  // Claims hide the reference.
  for (const std::string& key : Keys("inv:xref:*")) {
    EXPECT_FALSE(absl::StrContains(key, "Bioport")) << key;
  }
  EXPECT_EQ(Keys(absl::StrCat("inv:xref:", org, ":whs:*")).size(), 1u);
  EXPECT_EQ(Keys(absl::StrCat("inv:xref:", org, ":stk:*")).size(), 1u);
}

// --- Offers ---

TEST_F(StockTest, AnOfferCreatesALineWithItsLedgerIndexesAndEvent) {
  const std::string org = RegisterOrg("Croix-Rouge française - Rhône");
  const v1::Warehouse warehouse = NewWarehouse(org, "r-w", Point(45.78, 4.92));
  const absl::Time expires = clock_.Now() + absl::Hours(24 * 200);
  const v1::StockLine line =
      Offer(org, OfferRequest("r-1", warehouse.id(), 40, kCholera, expires, "SKU-1"));
  EXPECT_EQ(line.id(), "stk_000001");
  EXPECT_EQ(line.version(), 1);
  EXPECT_EQ(line.organisation_id(), org);
  EXPECT_EQ(line.warehouse_id(), warehouse.id());
  EXPECT_EQ(line.location().SerializeAsString(), warehouse.location().SerializeAsString());
  EXPECT_EQ(FromProtoTime(line.expires_at()), expires);
  EXPECT_EQ(line.ledger().offered(), 40);
  EXPECT_EQ(line.ledger().available(), 40);
  EXPECT_EQ(line.ledger().adjusted() + line.ledger().held() + line.ledger().committed() +
                line.ledger().consumed(),
            0);
  // What the Ledger reads is what the offer answered.
  auto read = ledger_->GetStockLine(line.id());
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ((*read)->SerializeAsString(), line.SerializeAsString());

  // Exactly the layout the holds engine relies on.
  auto fields = Hash("inv:stk:" + line.id());
  std::set<std::string> names;
  for (const auto& [name, value] : fields) names.insert(name);
  EXPECT_EQ(names, (std::set<std::string>{"v", "d", "o", "j", "a", "h", "c", "u"}));
  EXPECT_EQ(fields["v"], "1");
  EXPECT_EQ(fields["o"], "40");
  EXPECT_EQ(fields["a"], "40");
  v1::StockLine stored;
  ASSERT_TRUE(stored.ParseFromString(fields["d"]));
  EXPECT_FALSE(stored.has_ledger());
  EXPECT_EQ(stored.item_code(), kCholera);

  EXPECT_EQ(Members("inv:idx:stk:whs:" + warehouse.id()), std::vector<std::string>{line.id()});
  EXPECT_EQ(Members("inv:idx:stk:org:" + org), std::vector<std::string>{line.id()});
  EXPECT_EQ(Members(absl::StrCat("inv:idx:stk:item:", kCholera)),
            std::vector<std::string>{line.id()});

  const v1::Event event = Events().back();
  EXPECT_EQ(event.type(), v1::EVENT_TYPE_STOCK_OFFERED);
  EXPECT_EQ(event.subject_id(), line.id());
  EXPECT_EQ(event.stock_line_id(), line.id());
  EXPECT_EQ(event.warehouse_id(), warehouse.id());
  EXPECT_EQ(event.organisation_id(), org);
  EXPECT_EQ(event.quantity(), 40);
  ExpectLedgerInvariant();

  // A duplicate reference names the line holding it; nothing is written.
  v1::StockLine out;
  const absl::Status status = stockroom_->OfferSupplies(
      Admin(org), OfferRequest("r-2", warehouse.id(), 3, kIddk, std::nullopt, "SKU-1"), &out);
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << status;
  EXPECT_EQ(status.message(), "external_ref: already used by stock line " + line.id());
  EXPECT_EQ(Keys("inv:stk:*").size(), 1u);
}

TEST_F(StockTest, OffersGoOnlyIntoTheCallersOwnWarehouses) {
  const std::string org = RegisterOrg("Croix-Rouge française - Rhône");
  const std::string other = RegisterOrg("Médecins du Monde - Lyon");
  const v1::Warehouse theirs = NewWarehouse(other, "r-w");
  const int events = static_cast<int>(Events().size());
  v1::StockLine out;
  const auto request = OfferRequest("r-1", theirs.id(), 10);
  absl::Status status = stockroom_->OfferSupplies(Admin(org), request, &out);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << status;
  EXPECT_EQ(status.message(), absl::StrCat("OfferSupplies: role osi_admin acts for organisation ",
                                           org, ", not for the record's organisation ", other));
  // The retry is refused the same way; nothing was written.
  status = stockroom_->OfferSupplies(Admin(org), request, &out);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Keys("inv:stk:*").empty());
  EXPECT_EQ(static_cast<int>(Events().size()), events);

  status = stockroom_->OfferSupplies(Admin(org), OfferRequest("r-2", "whs_nope", 10), &out);
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;
  EXPECT_TRUE(absl::StartsWith(status.message(), "line.warehouse_id:")) << status;

  // Invalid input names the field and writes nothing.
  auto bad = OfferRequest("r-3", theirs.id(), 10, "astronaut-food");
  status = stockroom_->OfferSupplies(Admin(other), bad, &out);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(status.message(), "line.item_code:")) << status;
  bad = OfferRequest("r-3", theirs.id(), 10, kCholera, clock_.Now() - absl::Seconds(1));
  status = stockroom_->OfferSupplies(Admin(other), bad, &out);
  EXPECT_EQ(status.message(), "line.expires_at: already past");
  EXPECT_TRUE(Keys("inv:stk:*").empty());
}

TEST_F(StockTest, RetriesReplayTheFirstOutcomeAndAReusedIdIsRefused) {
  const std::string org = RegisterOrg("Croix-Rouge française - Rhône");
  const auto wreq = WarehouseRequest("r-w", "Bioport", Point(45.78, 4.92));
  v1::Warehouse w1, w2;
  ASSERT_TRUE(stockroom_->RegisterWarehouse(Admin(org), wreq, &w1).ok());
  ASSERT_TRUE(stockroom_->RegisterWarehouse(Admin(org), wreq, &w2).ok());
  EXPECT_EQ(w1.SerializeAsString(), w2.SerializeAsString());

  const auto offer = OfferRequest("r-o", w1.id(), 30);
  v1::StockLine l1, l2;
  ASSERT_TRUE(stockroom_->OfferSupplies(Admin(org), offer, &l1).ok());
  v1::StockLine adjusted;
  ASSERT_TRUE(Adjust(org, "r-a", l1.id(), -4, &adjusted).ok());
  // The retry answers with the line as it is now (one line, its ledger as adjusted).
  ASSERT_TRUE(stockroom_->OfferSupplies(Admin(org), offer, &l2).ok());
  EXPECT_EQ(l2.id(), l1.id());
  EXPECT_EQ(l2.ledger().available(), 26);
  // An adjustment retried is applied once.
  ASSERT_TRUE(Adjust(org, "r-a", l1.id(), -4, &adjusted).ok());
  EXPECT_EQ(adjusted.ledger().available(), 26);
  EXPECT_EQ(adjusted.ledger().adjusted(), -4);

  EXPECT_EQ(Keys("inv:whs:*").size(), 1u);
  EXPECT_EQ(Keys("inv:stk:*").size(), 1u);
  EXPECT_EQ(EventsOfType(v1::EVENT_TYPE_WAREHOUSE_REGISTERED), 1);
  EXPECT_EQ(EventsOfType(v1::EVENT_TYPE_STOCK_OFFERED), 1);
  EXPECT_EQ(EventsOfType(v1::EVENT_TYPE_STOCK_ADJUSTED), 1);

  // The same request ids for other requests.
  v1::Warehouse w3;
  EXPECT_EQ(
      stockroom_->RegisterWarehouse(Admin(org), WarehouseRequest("r-w", "Autre", Point(45, 4)), &w3)
          .code(),
      absl::StatusCode::kInvalidArgument);
  v1::StockLine l3;
  EXPECT_EQ(stockroom_->OfferSupplies(Admin(org), OfferRequest("r-o", w1.id(), 31), &l3).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Adjust(org, "r-a", l1.id(), -5, &l3).code(), absl::StatusCode::kInvalidArgument);
  // A request id is the caller's: another principal's "r-o" is another request.
  ASSERT_TRUE(stockroom_->OfferSupplies(Admin(org, "osi-2"), offer, &l3).ok());
  EXPECT_NE(l3.id(), l1.id());
  ExpectLedgerInvariant();
}

TEST_F(StockTest, ConcurrentOffersOfOneExternalRefCreateExactlyOneLine) {
  const std::string org = RegisterOrg("Croix-Rouge française - Rhône");
  const v1::Warehouse warehouse = NewWarehouse(org, "r-w");
  constexpr int kThreads = 6;
  std::vector<absl::Status> results(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      v1::StockLine out;
      results[i] = stockroom_->OfferSupplies(Admin(org),
                                             OfferRequest(absl::StrCat("r-", i), warehouse.id(), 5,
                                                          kCholera, std::nullopt, "IMPORT-42"),
                                             &out);
    });
  }
  for (auto& thread : threads) thread.join();
  int created = 0;
  for (const absl::Status& status : results) {
    if (status.ok()) {
      ++created;
    } else {
      EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << status;
    }
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(Keys("inv:stk:*").size(), 1u);
  EXPECT_EQ(EventsOfType(v1::EVENT_TYPE_STOCK_OFFERED), 1);
}

// --- Adjustments ---

TEST_F(StockTest, AdjustmentsMoveAvailableUnitsWithinWhatIsFree) {
  const std::string org = RegisterOrg("Croix-Rouge française - Rhône");
  const std::string other = RegisterOrg("Médecins du Monde - Lyon");
  const v1::Warehouse warehouse = NewWarehouse(org, "r-w");
  const v1::StockLine line = Offer(org, OfferRequest("r-o", warehouse.id(), 20));

  v1::StockLine out;
  ASSERT_TRUE(Adjust(org, "r-1", line.id(), 5, &out, v1::ADJUSTMENT_REASON_RECEIVED).ok());
  EXPECT_EQ(out.ledger().offered(), 20);
  EXPECT_EQ(out.ledger().adjusted(), 5);
  EXPECT_EQ(out.ledger().available(), 25);
  ExpectLedgerInvariant();
  ASSERT_TRUE(Adjust(org, "r-2", line.id(), -7, &out, v1::ADJUSTMENT_REASON_LOSS).ok());
  EXPECT_EQ(out.ledger().adjusted(), -2);
  EXPECT_EQ(out.ledger().available(), 18);
  ExpectLedgerInvariant();

  const v1::Event event = Events().back();
  EXPECT_EQ(event.type(), v1::EVENT_TYPE_STOCK_ADJUSTED);
  EXPECT_EQ(event.quantity(), -7);
  EXPECT_EQ(event.stock_line_id(), line.id());
  EXPECT_EQ(event.warehouse_id(), warehouse.id());
  EXPECT_EQ(event.organisation_id(), org);
  EXPECT_EQ(event.request_id(), "r-2");

  // Held units cannot be adjusted away: move 10 of the 18 to held as a hold would.
  ASSERT_TRUE(client_->Command({"HSET", "inv:stk:" + line.id(), "a", "8", "h", "10"}).ok());
  ExpectLedgerInvariant();
  const auto before = Hash("inv:stk:" + line.id());
  const size_t events = Events().size();
  absl::Status status = Adjust(org, "r-3", line.id(), -9, &out);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_EQ(status.message(), "not enough available stock: 8 available");
  EXPECT_EQ(Hash("inv:stk:" + line.id()), before);
  EXPECT_EQ(Events().size(), events);
  // The refusal is stored: its retry is refused even once enough is available again.
  ASSERT_TRUE(Adjust(org, "r-4", line.id(), 10, &out).ok());
  EXPECT_EQ(Adjust(org, "r-3", line.id(), -9, &out).code(), absl::StatusCode::kFailedPrecondition);
  // All that is free may go.
  ASSERT_TRUE(Adjust(org, "r-5", line.id(), -18, &out).ok());
  EXPECT_EQ(out.ledger().available(), 0);
  EXPECT_EQ(out.ledger().held(), 10);
  ExpectLedgerInvariant();

  // Only the owner adjusts; unknown lines are NOT_FOUND; invalid input names the field.
  status = Adjust(other, "r-6", line.id(), 1, &out);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << status;
  EXPECT_EQ(status.message(), absl::StrCat("AdjustStock: role osi_admin acts for organisation ",
                                           other, ", not for the record's organisation ", org));
  EXPECT_EQ(Adjust(org, "r-7", "stk_nope", 1, &out).code(), absl::StatusCode::kNotFound);
  status = Adjust(org, "r-8", line.id(), 0, &out);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(status.message(), "delta:")) << status;
  EXPECT_EQ(LedgerOf(line.id()).available(), 0);
}

// --- Lists ---

TEST_F(StockTest, ListStockByWarehouseOrganisationAndItemInPages) {
  const std::string org = RegisterOrg("Croix-Rouge française - Rhône");
  const std::string other = RegisterOrg("Médecins du Monde - Lyon");
  const v1::Warehouse w1 = NewWarehouse(org, "r-w1");
  const v1::Warehouse w2 = NewWarehouse(org, "r-w2");
  const v1::Warehouse w3 = NewWarehouse(other, "r-w3");
  std::vector<std::string> in_w1, in_org, cholera_in_org;
  for (int i = 0; i < 7; ++i) {
    const bool cholera = i % 3 != 1;
    const v1::Warehouse& w = i % 2 == 0 ? w1 : w2;
    const v1::StockLine line =
        Offer(org, OfferRequest(absl::StrCat("r-", i), w.id(), i + 1, cholera ? kCholera : kIddk));
    if (&w == &w1) in_w1.push_back(line.id());
    in_org.push_back(line.id());
    if (cholera) cholera_in_org.push_back(line.id());
  }
  Offer(other, OfferRequest("r-x", w3.id(), 3));

  const auto list_all = [&](v1::ListStockRequest request, int* pages) {
    std::vector<std::string> ids;
    *pages = 0;
    for (;;) {
      v1::ListStockResponse page;
      const absl::Status status = stockroom_->ListStock(Admin(""), request, &page);
      EXPECT_TRUE(status.ok()) << status;
      if (!status.ok()) break;
      ++*pages;
      for (const auto& line : page.lines()) {
        ids.push_back(line.id());
        EXPECT_GT(line.ledger().offered(), 0);  // lines come with their ledger
      }
      if (page.next_page_token().empty()) break;
      request.set_page_token(page.next_page_token());
    }
    return ids;
  };
  int pages = 0;
  v1::ListStockRequest request;
  request.set_warehouse_id(w1.id());
  request.set_page_size(2);
  EXPECT_EQ(list_all(request, &pages), in_w1);
  EXPECT_EQ(pages, 2);
  request.clear_warehouse_id();
  request.set_organisation_id(org);
  EXPECT_EQ(list_all(request, &pages), in_org);
  EXPECT_EQ(pages, 4);
  request.set_item_code(kCholera);
  EXPECT_EQ(list_all(request, &pages), cholera_in_org);
  request.set_page_size(0);
  request.set_item_code(kIddk);
  request.clear_organisation_id();
  request.set_warehouse_id(w2.id());
  EXPECT_EQ(list_all(request, &pages), (std::vector<std::string>{in_org[1]}));
  // An item nobody has.
  request.set_item_code("iehk-2017-basic-unit");
  EXPECT_TRUE(list_all(request, &pages).empty());

  v1::ListStockResponse page;
  request.set_warehouse_id("whs_nope");
  EXPECT_EQ(stockroom_->ListStock(Admin(""), request, &page).code(), absl::StatusCode::kNotFound);
  request.clear_warehouse_id();
  EXPECT_EQ(stockroom_->ListStock(Admin(""), request, &page).code(),
            absl::StatusCode::kInvalidArgument);
  request.set_organisation_id(org);
  request.set_page_token("!!");
  EXPECT_EQ(stockroom_->ListStock(Admin(""), request, &page).code(),
            absl::StatusCode::kInvalidArgument);
}

// --- FindSupplies ---

TEST_F(StockTest, FindSuppliesRanksByDistanceThenExpiryAndCoversTheQuantity) {
  const std::string crf = RegisterOrg("Croix-Rouge française - Rhône");
  const std::string mdm = RegisterOrg("Médecins du Monde - Lyon");
  const v1::Warehouse vaulx = NewWarehouse(crf, "r-w1", Point(45.78, 4.92));
  const v1::Warehouse villefranche = NewWarehouse(mdm, "r-w2", Point(45.99, 4.72));
  const v1::Warehouse grenoble = NewWarehouse(mdm, "r-w3", Point(45.19, 5.72));
  const absl::Time now = clock_.Now();
  const absl::Duration day = absl::Hours(24);
  const auto vaulx_late =
      Offer(crf, OfferRequest("r-1", vaulx.id(), 3, kCholera, now + 300 * day)).id();
  const auto vaulx_never = Offer(crf, OfferRequest("r-2", vaulx.id(), 2)).id();
  const auto vaulx_soon =
      Offer(crf, OfferRequest("r-3", vaulx.id(), 4, kCholera, now + 10 * day)).id();
  const auto grenoble_line =
      Offer(mdm, OfferRequest("r-4", grenoble.id(), 100, kCholera, now + 300 * day)).id();
  const auto villefranche_line =
      Offer(mdm, OfferRequest("r-5", villefranche.id(), 6, kCholera, now + 300 * day)).id();
  Offer(mdm, OfferRequest("r-6", villefranche.id(), 50, kIddk));  // another item
  const auto emptied = Offer(crf, OfferRequest("r-7", vaulx.id(), 9)).id();
  v1::StockLine out;
  ASSERT_TRUE(Adjust(crf, "r-8", emptied, -9, &out).ok());

  v1::FindSuppliesRequest request;
  request.set_item_code(kCholera);
  *request.mutable_near() = Point(45.76, 4.84);  // Lyon
  request.set_quantity(1000);
  v1::FindSuppliesResponse found;
  ASSERT_TRUE(stockroom_->FindSupplies(Admin(""), request, &found).ok());
  EXPECT_EQ(Ids(found), (std::vector<std::string>{vaulx_soon, vaulx_late, vaulx_never,
                                                  villefranche_line, grenoble_line}));
  EXPECT_NEAR(found.matches(0).distance_km(), 6.7, 0.5);
  EXPECT_NEAR(found.matches(3).distance_km(), 27.2, 1);
  EXPECT_NEAR(found.matches(4).distance_km(), 93.3, 2);
  EXPECT_EQ(found.total_available(), 115);
  EXPECT_FALSE(found.covered());
  EXPECT_EQ(found.matches(0).line().ledger().available(), 4);

  // Covered after three lines.
  request.set_quantity(8);
  ASSERT_TRUE(stockroom_->FindSupplies(Admin(""), request, &found).ok());
  EXPECT_EQ(Ids(found), (std::vector<std::string>{vaulx_soon, vaulx_late, vaulx_never}));
  EXPECT_EQ(found.total_available(), 9);
  EXPECT_TRUE(found.covered());

  // Excluding lines already asked for.
  request.add_exclude_line_ids(vaulx_soon);
  request.add_exclude_line_ids(vaulx_never);
  ASSERT_TRUE(stockroom_->FindSupplies(Admin(""), request, &found).ok());
  EXPECT_EQ(Ids(found), (std::vector<std::string>{vaulx_late, villefranche_line}));
  EXPECT_TRUE(found.covered());

  // Lines that must last the mission (a year): only those without expiry.
  request.clear_exclude_line_ids();
  *request.mutable_not_expiring_before() = ToProtoTime(now + 365 * day);
  ASSERT_TRUE(stockroom_->FindSupplies(Admin(""), request, &found).ok());
  EXPECT_EQ(Ids(found), (std::vector<std::string>{vaulx_never}));
  EXPECT_EQ(found.total_available(), 2);
  EXPECT_FALSE(found.covered());

  // Twenty days on, the lot expiring in ten days has expired and is skipped.
  clock_.Advance(20 * day);
  request.clear_not_expiring_before();
  request.set_quantity(1000);
  request.set_page_size(2);
  ASSERT_TRUE(stockroom_->FindSupplies(Admin(""), request, &found).ok());
  EXPECT_EQ(Ids(found), (std::vector<std::string>{vaulx_late, vaulx_never}));

  // An item nobody has, and invalid input naming the field.
  request.set_item_code("iehk-2017-basic-unit");
  ASSERT_TRUE(stockroom_->FindSupplies(Admin(""), request, &found).ok());
  EXPECT_EQ(found.matches_size(), 0);
  EXPECT_FALSE(found.covered());
  request.mutable_near()->set_lat(91);
  const absl::Status status = stockroom_->FindSupplies(Admin(""), request, &found);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(status.message(), "near.lat:")) << status;
}

TEST_F(StockTest, FindSuppliesReadsPastTheFirstBatchOfLines) {
  const std::string org = RegisterOrg("Croix-Rouge française - Rhône");
  const v1::Warehouse far = NewWarehouse(org, "r-far", Point(48.85, 2.35));  // Paris
  const v1::Warehouse near = NewWarehouse(org, "r-near", Point(45.76, 4.84));
  // More lines than one read batch (500); the nearest ones are offered last.
  for (int i = 0; i < 1100; ++i) Offer(org, OfferRequest(absl::StrCat("r-", i), far.id(), 1));
  const auto best = Offer(org, OfferRequest("r-best", near.id(), 3)).id();
  v1::FindSuppliesRequest request;
  request.set_item_code(kCholera);
  *request.mutable_near() = Point(45.76, 4.84);
  request.set_quantity(5);
  v1::FindSuppliesResponse found;
  ASSERT_TRUE(stockroom_->FindSupplies(Admin(""), request, &found).ok());
  ASSERT_EQ(found.matches_size(), 3);
  EXPECT_EQ(found.matches(0).line().id(), best);
  EXPECT_DOUBLE_EQ(found.matches(0).distance_km(), 0);
  // Then the Paris lines in id order (all at the same distance, none expiring).
  EXPECT_EQ(found.matches(1).line().id(), "stk_000001");
  EXPECT_EQ(found.matches(2).line().id(), "stk_000002");
  EXPECT_TRUE(found.covered());
  ExpectLedgerInvariant();
}

// --- Redis outage ---

TEST_F(StockTest, RedisDownIsUnavailableAndARetryLandsOnce) {
  const std::string org = RegisterOrg("Croix-Rouge française - Rhône");
  const v1::Warehouse warehouse = NewWarehouse(org, "r-w");
  const v1::StockLine line = Offer(org, OfferRequest("r-o", warehouse.id(), 10));
  redis_->Stop();

  v1::Warehouse w;
  EXPECT_EQ(
      stockroom_->RegisterWarehouse(Admin(org), WarehouseRequest("r-w2", "Autre", Point(45, 4)), &w)
          .code(),
      absl::StatusCode::kUnavailable);
  v1::GetWarehouseRequest get;
  get.set_warehouse_id(warehouse.id());
  EXPECT_EQ(stockroom_->GetWarehouse(Admin(""), get, &w).code(), absl::StatusCode::kUnavailable);
  v1::ListWarehousesRequest list;
  list.set_organisation_id(org);
  v1::ListWarehousesResponse warehouses;
  EXPECT_EQ(stockroom_->ListWarehouses(Admin(""), list, &warehouses).code(),
            absl::StatusCode::kUnavailable);
  v1::StockLine out;
  EXPECT_EQ(
      stockroom_->OfferSupplies(Admin(org), OfferRequest("r-o2", warehouse.id(), 5), &out).code(),
      absl::StatusCode::kUnavailable);
  EXPECT_EQ(Adjust(org, "r-a", line.id(), -2, &out).code(), absl::StatusCode::kUnavailable);
  v1::ListStockRequest list_stock;
  list_stock.set_warehouse_id(warehouse.id());
  v1::ListStockResponse stock;
  EXPECT_EQ(stockroom_->ListStock(Admin(""), list_stock, &stock).code(),
            absl::StatusCode::kUnavailable);
  v1::FindSuppliesRequest find;
  find.set_item_code(kCholera);
  *find.mutable_near() = Point(45.76, 4.84);
  find.set_quantity(1);
  v1::FindSuppliesResponse found;
  EXPECT_EQ(stockroom_->FindSupplies(Admin(""), find, &found).code(),
            absl::StatusCode::kUnavailable);

  redis_->Restart();
  clock_.Advance(absl::Seconds(10));  // past the reconnect back-off
  ASSERT_TRUE(Adjust(org, "r-a", line.id(), -2, &out).ok());
  ASSERT_TRUE(Adjust(org, "r-a", line.id(), -2, &out).ok());
  EXPECT_EQ(out.ledger().available(), 8);
  ASSERT_TRUE(stockroom_->FindSupplies(Admin(""), find, &found).ok());
  EXPECT_EQ(Ids(found), std::vector<std::string>{line.id()});
  EXPECT_EQ(EventsOfType(v1::EVENT_TYPE_STOCK_ADJUSTED), 1);
  ExpectLedgerInvariant();
}

}  // namespace
}  // namespace relais::inventory
