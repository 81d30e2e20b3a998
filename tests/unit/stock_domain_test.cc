// Warehouses and stock lines: validation of every field, the building of new entities and the
// FindSupplies ranking, as pure functions.
#include "services/inventory/stock_domain.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/runtime/proto_time.h"

namespace relais::inventory {
namespace {

namespace v1 = ::relais::v1;

const absl::Time kNow = absl::FromUnixSeconds(1'780'000'000);

const Catalogue& TestCatalogue() {
  static const Catalogue* const catalogue = [] {
    auto parsed = Catalogue::Parse(R"pb(
      version: "test-1"
      skills {
        code: "nurse"
        label { en: "Nurse" fr: "Infirmier" }
      }
      supply_items {
        code: "who-cholera-kit-central"
        label { en: "Cholera kit" fr: "Kit choléra" }
        unit { en: "kit" fr: "kit" }
      }
      supply_items {
        code: "iddk-module"
        label { en: "IDDK module" fr: "Module KIMD" }
        unit { en: "module" fr: "module" }
      }
    )pb");
    if (!parsed.ok()) std::abort();
    return new Catalogue(*std::move(parsed));
  }();
  return *catalogue;
}

// Expects INVALID_ARGUMENT whose message starts with `field` + ":" and contains `words`.
void ExpectInvalid(const absl::Status& status, const std::string& field,
                   const std::string& words = "") {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_TRUE(absl::StartsWith(status.message(), field + ":")) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), words)) << status;
}

v1::GeoPoint Point(double lat, double lon) {
  v1::GeoPoint p;
  p.set_lat(lat);
  p.set_lon(lon);
  return p;
}

// --- RegisterWarehouse ---

v1::RegisterWarehouseRequest WarehouseRequest() {
  v1::RegisterWarehouseRequest request;
  request.set_request_id("r-1");
  v1::Warehouse& w = *request.mutable_warehouse();
  w.set_external_ref("WH/LYON-01");
  w.set_name("Bioport - Vaulx-en-Velin");
  w.set_commune("Vaulx-en-Velin");
  *w.mutable_location() = Point(45.78, 4.92);
  return request;
}

TEST(ValidateRegisterWarehouse, AcceptsAGoodRequest) {
  EXPECT_TRUE(ValidateRegisterWarehouse(WarehouseRequest()).ok());
  auto request = WarehouseRequest();
  request.mutable_warehouse()->clear_external_ref();
  EXPECT_TRUE(ValidateRegisterWarehouse(request).ok());
}

TEST(ValidateRegisterWarehouse, RefusesEachBadField) {
  const std::vector<std::pair<std::function<void(v1::RegisterWarehouseRequest&)>, std::string>>
      cases = {
          {[](auto& r) { r.clear_request_id(); }, "request_id"},
          {[](auto& r) { r.set_request_id("a b"); }, "request_id"},
          {[](auto& r) { r.clear_warehouse(); }, "warehouse"},
          {[](auto& r) { r.mutable_warehouse()->set_external_ref("has space"); },
           "warehouse.external_ref"},
          {[](auto& r) { r.mutable_warehouse()->set_external_ref(std::string(65, 'x')); },
           "warehouse.external_ref"},
          {[](auto& r) { r.mutable_warehouse()->clear_name(); }, "warehouse.name"},
          {[](auto& r) { r.mutable_warehouse()->set_name("B"); }, "warehouse.name"},
          {[](auto& r) { r.mutable_warehouse()->set_name(std::string(121, 'b')); },
           "warehouse.name"},
          {[](auto& r) { r.mutable_warehouse()->set_name("Bio\nport"); }, "warehouse.name"},
          {[](auto& r) { r.mutable_warehouse()->clear_commune(); }, "warehouse.commune"},
          {[](auto& r) { r.mutable_warehouse()->set_commune("   "); }, "warehouse.commune"},
          {[](auto& r) { r.mutable_warehouse()->set_commune(std::string(101, 'c')); },
           "warehouse.commune"},
          {[](auto& r) { r.mutable_warehouse()->clear_location(); }, "warehouse.location"},
          {[](auto& r) { r.mutable_warehouse()->mutable_location()->set_lat(90.5); },
           "warehouse.location.lat"},
          {[](auto& r) { r.mutable_warehouse()->mutable_location()->set_lon(-181); },
           "warehouse.location.lon"},
          {[](auto& r) { r.mutable_warehouse()->mutable_location()->set_lat(std::nan("")); },
           "warehouse.location.lat"},
      };
  for (const auto& [mutate, field] : cases) {
    auto request = WarehouseRequest();
    mutate(request);
    ExpectInvalid(ValidateRegisterWarehouse(request), field);
  }
}

TEST(ValidateWarehouseReads, RefuseBadIdsPageSizesAndTokens) {
  v1::GetWarehouseRequest get;
  ExpectInvalid(ValidateGetWarehouse(get), "warehouse_id", "is required");
  get.set_warehouse_id("whs 1");
  ExpectInvalid(ValidateGetWarehouse(get), "warehouse_id");
  get.set_warehouse_id("whs_000001");
  EXPECT_TRUE(ValidateGetWarehouse(get).ok());

  v1::ListWarehousesRequest list;
  ExpectInvalid(ValidateListWarehouses(list), "organisation_id");
  list.set_organisation_id("org_000001");
  EXPECT_TRUE(ValidateListWarehouses(list).ok());
  list.set_page_size(201);
  ExpectInvalid(ValidateListWarehouses(list), "page_size");
  list.set_page_size(-1);
  ExpectInvalid(ValidateListWarehouses(list), "page_size");
  list.set_page_size(200);
  list.set_page_token(std::string(2000, 'A'));
  ExpectInvalid(ValidateListWarehouses(list), "page_token");
}

// --- OfferSupplies ---

v1::OfferSuppliesRequest OfferRequest() {
  v1::OfferSuppliesRequest request;
  request.set_request_id("r-2");
  v1::StockLine& line = *request.mutable_line();
  line.set_warehouse_id("whs_000001");
  line.set_item_code("who-cholera-kit-central");
  line.set_lot("LOT-2025-117");
  line.set_external_ref("SKU-1");
  *line.mutable_expires_at() = ToProtoTime(kNow + absl::Hours(24 * 365));
  request.set_quantity(12);
  return request;
}

TEST(ValidateOfferSupplies, AcceptsAGoodRequest) {
  EXPECT_TRUE(ValidateOfferSupplies(OfferRequest(), TestCatalogue(), kNow).ok());
  auto minimal = OfferRequest();
  minimal.mutable_line()->clear_lot();
  minimal.mutable_line()->clear_external_ref();
  minimal.mutable_line()->clear_expires_at();
  minimal.set_quantity(1'000'000);
  EXPECT_TRUE(ValidateOfferSupplies(minimal, TestCatalogue(), kNow).ok());
}

TEST(ValidateOfferSupplies, RefusesEachBadField) {
  const std::vector<std::pair<std::function<void(v1::OfferSuppliesRequest&)>, std::string>> cases =
      {
          {[](auto& r) { r.clear_request_id(); }, "request_id"},
          {[](auto& r) { r.clear_line(); }, "line"},
          {[](auto& r) { r.mutable_line()->clear_warehouse_id(); }, "line.warehouse_id"},
          {[](auto& r) { r.mutable_line()->set_warehouse_id("whs/1"); }, "line.warehouse_id"},
          {[](auto& r) { r.mutable_line()->clear_item_code(); }, "line.item_code"},
          {[](auto& r) { r.mutable_line()->set_item_code("nurse"); }, "line.item_code"},
          {[](auto& r) { r.mutable_line()->set_item_code("astronaut-food"); }, "line.item_code"},
          {[](auto& r) { r.mutable_line()->set_lot(std::string(65, 'L')); }, "line.lot"},
          {[](auto& r) { r.mutable_line()->set_lot("LOT\t1"); }, "line.lot"},
          {[](auto& r) { r.mutable_line()->set_external_ref("SKU 1"); }, "line.external_ref"},
          {[](auto& r) { *r.mutable_line()->mutable_expires_at() = ToProtoTime(kNow); },
           "line.expires_at"},
          {[](auto& r) { r.mutable_line()->mutable_expires_at()->set_seconds(1); },
           "line.expires_at"},
          {[](auto& r) { r.mutable_line()->mutable_expires_at()->set_nanos(-1); },
           "line.expires_at"},
          {[](auto& r) { r.set_quantity(0); }, "quantity"},
          {[](auto& r) { r.set_quantity(-5); }, "quantity"},
          {[](auto& r) { r.set_quantity(1'000'001); }, "quantity"},
      };
  for (const auto& [mutate, field] : cases) {
    auto request = OfferRequest();
    mutate(request);
    ExpectInvalid(ValidateOfferSupplies(request, TestCatalogue(), kNow), field);
  }
}

TEST(ValidateOfferSupplies, MessagesSayWhatIsWrong) {
  auto request = OfferRequest();
  request.mutable_line()->set_item_code("astronaut-food");
  ExpectInvalid(ValidateOfferSupplies(request, TestCatalogue(), kNow), "line.item_code",
                "'astronaut-food' is not in the catalogue");
  // Odd bytes are not echoed.
  request.mutable_line()->set_item_code("bad\x01code");
  const auto status = ValidateOfferSupplies(request, TestCatalogue(), kNow);
  ExpectInvalid(status, "line.item_code", "not in the catalogue");
  EXPECT_FALSE(absl::StrContains(status.message(), "bad"));

  request = OfferRequest();
  *request.mutable_line()->mutable_expires_at() = ToProtoTime(kNow - absl::Hours(1));
  ExpectInvalid(ValidateOfferSupplies(request, TestCatalogue(), kNow), "line.expires_at",
                "already past");
}

// --- AdjustStock ---

v1::AdjustStockRequest AdjustRequest() {
  v1::AdjustStockRequest request;
  request.set_request_id("r-3");
  request.set_stock_line_id("stk_000001");
  request.set_delta(-3);
  request.set_reason(v1::ADJUSTMENT_REASON_LOSS);
  request.set_note("Carton abîmé lors du transport");
  return request;
}

TEST(ValidateAdjustStock, AcceptsBothDirectionsUpToTheLimit) {
  EXPECT_TRUE(ValidateAdjustStock(AdjustRequest()).ok());
  auto request = AdjustRequest();
  request.set_delta(1'000'000);
  EXPECT_TRUE(ValidateAdjustStock(request).ok());
  request.set_delta(-1'000'000);
  request.clear_note();
  EXPECT_TRUE(ValidateAdjustStock(request).ok());
}

TEST(ValidateAdjustStock, RefusesEachBadField) {
  const std::vector<std::pair<std::function<void(v1::AdjustStockRequest&)>, std::string>> cases = {
      {[](auto& r) { r.clear_request_id(); }, "request_id"},
      {[](auto& r) { r.clear_stock_line_id(); }, "stock_line_id"},
      {[](auto& r) { r.set_stock_line_id("stk 1"); }, "stock_line_id"},
      {[](auto& r) { r.set_delta(0); }, "delta"},
      {[](auto& r) { r.set_delta(1'000'001); }, "delta"},
      {[](auto& r) { r.set_delta(-1'000'001); }, "delta"},
      {[](auto& r) { r.clear_reason(); }, "reason"},
      {[](auto& r) { r.set_reason(static_cast<v1::AdjustmentReason>(99)); }, "reason"},
      {[](auto& r) { r.set_note(std::string(201, 'n')); }, "note"},
      {[](auto& r) { r.set_note("line\nbreak"); }, "note"},
  };
  for (const auto& [mutate, field] : cases) {
    auto request = AdjustRequest();
    mutate(request);
    ExpectInvalid(ValidateAdjustStock(request), field);
  }
}

// --- ListStock ---

TEST(ValidateListStock, WantsExactlyOneOfWarehouseAndOrganisation) {
  v1::ListStockRequest request;
  ExpectInvalid(ValidateListStock(request, TestCatalogue()), "warehouse_id", "required");
  request.set_warehouse_id("whs_000001");
  request.set_organisation_id("org_000001");
  ExpectInvalid(ValidateListStock(request, TestCatalogue()), "warehouse_id", "not both");
  request.clear_organisation_id();
  EXPECT_TRUE(ValidateListStock(request, TestCatalogue()).ok());
  request.clear_warehouse_id();
  request.set_organisation_id("org_000001");
  EXPECT_TRUE(ValidateListStock(request, TestCatalogue()).ok());
  request.set_organisation_id("org:1");
  ExpectInvalid(ValidateListStock(request, TestCatalogue()), "organisation_id");
}

TEST(ValidateListStock, ChecksTheItemFilterAndPaging) {
  v1::ListStockRequest request;
  request.set_warehouse_id("whs_000001");
  request.set_item_code("iddk-module");
  EXPECT_TRUE(ValidateListStock(request, TestCatalogue()).ok());
  request.set_item_code("nurse");
  ExpectInvalid(ValidateListStock(request, TestCatalogue()), "item_code", "not in the catalogue");
  request.clear_item_code();
  request.set_page_size(500);
  ExpectInvalid(ValidateListStock(request, TestCatalogue()), "page_size");
  request.set_page_size(0);
  request.set_page_token(std::string(1025, 'x'));
  ExpectInvalid(ValidateListStock(request, TestCatalogue()), "page_token");
}

// --- FindSupplies ---

v1::FindSuppliesRequest FindRequest() {
  v1::FindSuppliesRequest request;
  request.set_item_code("who-cholera-kit-central");
  *request.mutable_near() = Point(45.76, 4.84);
  request.set_quantity(10);
  return request;
}

TEST(ValidateFindSupplies, RefusesEachBadField) {
  EXPECT_TRUE(ValidateFindSupplies(FindRequest(), TestCatalogue()).ok());
  const std::vector<std::pair<std::function<void(v1::FindSuppliesRequest&)>, std::string>> cases = {
      {[](auto& r) { r.clear_item_code(); }, "item_code"},
      {[](auto& r) { r.set_item_code("nurse"); }, "item_code"},
      {[](auto& r) { r.clear_near(); }, "near"},
      {[](auto& r) { r.mutable_near()->set_lat(-91); }, "near.lat"},
      {[](auto& r) { r.mutable_near()->set_lon(180.01); }, "near.lon"},
      {[](auto& r) { r.set_quantity(0); }, "quantity"},
      {[](auto& r) { r.set_quantity(1'000'001); }, "quantity"},
      {[](auto& r) { r.mutable_not_expiring_before()->set_seconds(5'000'000'000); },
       "not_expiring_before"},
      {[](auto& r) {
         for (int i = 0; i < 201; ++i) r.add_exclude_line_ids("stk_" + std::to_string(i));
       },
       "exclude_line_ids"},
      {[](auto& r) {
         r.add_exclude_line_ids("stk_1");
         r.add_exclude_line_ids("stk 2");
       },
       "exclude_line_ids[1]"},
      {[](auto& r) { r.set_page_size(201); }, "page_size"},
  };
  for (const auto& [mutate, field] : cases) {
    auto request = FindRequest();
    mutate(request);
    ExpectInvalid(ValidateFindSupplies(request, TestCatalogue()), field);
  }
}

// --- New entities ---

TEST(NewEntities, TakeServerFieldsFromTheServerAndTheWarehouse) {
  auto wreq = WarehouseRequest();
  wreq.mutable_warehouse()->set_id("whs_forged");
  wreq.mutable_warehouse()->set_organisation_id("org_forged");
  wreq.mutable_warehouse()->set_version(7);
  const v1::Warehouse warehouse = NewWarehouse(wreq, "whs_000001", "org_000001", kNow);
  EXPECT_EQ(warehouse.id(), "whs_000001");
  EXPECT_EQ(warehouse.organisation_id(), "org_000001");
  EXPECT_EQ(warehouse.version(), 1);
  EXPECT_EQ(FromProtoTime(warehouse.created_at()), kNow);
  EXPECT_EQ(warehouse.name(), "Bioport - Vaulx-en-Velin");

  auto oreq = OfferRequest();
  oreq.mutable_line()->set_organisation_id("org_forged");
  *oreq.mutable_line()->mutable_location() = Point(0, 0);
  oreq.mutable_line()->mutable_ledger()->set_available(999);
  const v1::StockLine line = NewStockLine(oreq, "stk_000001", warehouse, kNow);
  EXPECT_EQ(line.id(), "stk_000001");
  EXPECT_EQ(line.version(), 1);
  EXPECT_EQ(line.organisation_id(), "org_000001");
  EXPECT_EQ(line.warehouse_id(), "whs_000001");
  EXPECT_EQ(line.location().lat(), 45.78);
  EXPECT_EQ(line.location().lon(), 4.92);
  EXPECT_FALSE(line.has_ledger());
  EXPECT_EQ(line.lot(), "LOT-2025-117");
  EXPECT_EQ(FromProtoTime(line.created_at()), kNow);

  const v1::StockLedger ledger = InitialLedger(12);
  EXPECT_EQ(ledger.offered(), 12);
  EXPECT_EQ(ledger.available(), 12);
  EXPECT_EQ(ledger.adjusted() + ledger.held() + ledger.committed() + ledger.consumed(), 0);
}

// --- Distances and ranking ---

TEST(DistanceKm, MatchesKnownDistances) {
  // Lyon Part-Dieu to Paris Gare de Lyon: about 392 km as the crow flies.
  EXPECT_NEAR(DistanceKm(Point(45.7606, 4.8594), Point(48.8443, 2.3744)), 392, 3);
  EXPECT_DOUBLE_EQ(DistanceKm(Point(45.76, 4.84), Point(45.76, 4.84)), 0);
  // A quarter of the equator, and antipodes (half the circumference).
  EXPECT_NEAR(DistanceKm(Point(0, 0), Point(0, 90)), 10007.5, 1);
  EXPECT_NEAR(DistanceKm(Point(0, 0), Point(0, 180)), 20015.1, 1);
  // Symmetric across the antimeridian.
  EXPECT_NEAR(DistanceKm(Point(0, 179.5), Point(0, -179.5)), 111.2, 0.5);
}

struct LineSpec {
  std::string id;
  double lat;
  double lon;
  int64_t available;
  std::optional<absl::Duration> expires_in;  // from kNow; none = never expires
  std::string item = "who-cholera-kit-central";
};

v1::StockLine Line(const LineSpec& spec) {
  v1::StockLine line;
  line.set_id(spec.id);
  line.set_item_code(spec.item);
  *line.mutable_location() = Point(spec.lat, spec.lon);
  line.mutable_ledger()->set_offered(spec.available + 5);
  line.mutable_ledger()->set_available(spec.available);
  line.mutable_ledger()->set_held(5);
  if (spec.expires_in) *line.mutable_expires_at() = ToProtoTime(kNow + *spec.expires_in);
  return line;
}

std::vector<std::string> Ids(const v1::FindSuppliesResponse& response) {
  std::vector<std::string> ids;
  for (const auto& match : response.matches()) ids.push_back(match.line().id());
  return ids;
}

// Near = Lyon centre. Vaulx-en-Velin is ~7 km away, Villefranche ~30 km, Grenoble ~95 km.
std::vector<v1::StockLine> LyonLines() {
  const absl::Duration year = absl::Hours(24 * 365);
  return {
      Line({"stk_grenoble", 45.19, 5.72, 100, year}),
      Line({"stk_vaulx_never", 45.78, 4.92, 2, std::nullopt}),
      Line({"stk_vaulx_late", 45.78, 4.92, 3, 2 * year}),
      Line({"stk_vaulx_soon", 45.78, 4.92, 4, absl::Hours(24 * 30)}),
      Line({"stk_villefranche", 45.99, 4.72, 6, year}),
  };
}

TEST(RankSupplies, NearestFirstThenFirstToExpireThenNeverExpiring) {
  auto request = FindRequest();
  request.set_quantity(1'000);
  const auto response = RankSupplies(request, kNow, LyonLines());
  EXPECT_EQ(Ids(response),
            (std::vector<std::string>{"stk_vaulx_soon", "stk_vaulx_late", "stk_vaulx_never",
                                      "stk_villefranche", "stk_grenoble"}));
  EXPECT_NEAR(response.matches(0).distance_km(), 6.7, 0.5);
  EXPECT_NEAR(response.matches(3).distance_km(), 28.2, 1);
  EXPECT_NEAR(response.matches(4).distance_km(), 91.5, 2);
  EXPECT_EQ(response.total_available(), 115);
  EXPECT_FALSE(response.covered());
  // The lines come with their ledger.
  EXPECT_EQ(response.matches(0).line().ledger().held(), 5);
}

TEST(RankSupplies, StopsOnceTheQuantityIsCovered) {
  auto request = FindRequest();
  request.set_quantity(8);  // 4 + 3 + 2 = 9 >= 8
  auto response = RankSupplies(request, kNow, LyonLines());
  EXPECT_EQ(Ids(response),
            (std::vector<std::string>{"stk_vaulx_soon", "stk_vaulx_late", "stk_vaulx_never"}));
  EXPECT_EQ(response.total_available(), 9);
  EXPECT_TRUE(response.covered());

  request.set_quantity(4);  // exactly the first line
  response = RankSupplies(request, kNow, LyonLines());
  EXPECT_EQ(Ids(response), (std::vector<std::string>{"stk_vaulx_soon"}));
  EXPECT_TRUE(response.covered());
}

TEST(RankSupplies, StopsAtThePageSize) {
  auto request = FindRequest();
  request.set_quantity(1'000);
  request.set_page_size(2);
  const auto response = RankSupplies(request, kNow, LyonLines());
  EXPECT_EQ(Ids(response), (std::vector<std::string>{"stk_vaulx_soon", "stk_vaulx_late"}));
  EXPECT_EQ(response.total_available(), 7);
  EXPECT_FALSE(response.covered());
}

TEST(RankSupplies, SkipsExcludedEmptyExpiredAndOtherItems) {
  auto lines = LyonLines();
  lines.push_back(Line({"stk_empty", 45.76, 4.84, 0, std::nullopt}));
  lines.push_back(Line({"stk_expired", 45.76, 4.84, 50, -absl::Hours(1)}));
  lines.push_back(Line({"stk_expires_now", 45.76, 4.84, 50, absl::ZeroDuration()}));
  lines.push_back(Line({"stk_other_item", 45.76, 4.84, 50, std::nullopt, "iddk-module"}));
  auto request = FindRequest();
  request.set_quantity(1'000);
  request.add_exclude_line_ids("stk_vaulx_late");
  request.add_exclude_line_ids("stk_unknown");
  const auto response = RankSupplies(request, kNow, lines);
  EXPECT_EQ(Ids(response), (std::vector<std::string>{"stk_vaulx_soon", "stk_vaulx_never",
                                                     "stk_villefranche", "stk_grenoble"}));
}

TEST(RankSupplies, NotExpiringBeforeKeepsLinesThatLastLongEnough) {
  auto request = FindRequest();
  request.set_quantity(1'000);
  // Lines must last a year: the one expiring in 30 days goes; the ones expiring in exactly a year
  // stay (they do not expire before).
  *request.mutable_not_expiring_before() = ToProtoTime(kNow + absl::Hours(24 * 365));
  const auto response = RankSupplies(request, kNow, LyonLines());
  EXPECT_EQ(Ids(response), (std::vector<std::string>{"stk_vaulx_late", "stk_vaulx_never",
                                                     "stk_villefranche", "stk_grenoble"}));
}

TEST(RankSupplies, EqualLinesAreOrderedById) {
  std::vector<v1::StockLine> lines = {Line({"stk_b", 45.78, 4.92, 1, absl::Hours(10)}),
                                      Line({"stk_a", 45.78, 4.92, 1, absl::Hours(10)}),
                                      Line({"stk_c", 45.78, 4.92, 1, absl::Hours(10)})};
  auto request = FindRequest();
  const auto response = RankSupplies(request, kNow, lines);
  EXPECT_EQ(Ids(response), (std::vector<std::string>{"stk_a", "stk_b", "stk_c"}));
  EXPECT_FALSE(response.covered());
}

TEST(SupplyRanking, KeepsTheBestWhateverTheReadingOrderAndBatches) {
  // 1,000 lines on a line of latitude north of `near`, fed in a shuffled order: the ranking keeps
  // only the best page_size at any time and still finds the nearest ones.
  std::vector<v1::StockLine> lines;
  for (int i = 0; i < 1000; ++i) {
    lines.push_back(
        Line({absl::StrCat("stk_", 10000 + i), 45.76 + 0.001 * i, 4.84, 1, std::nullopt}));
  }
  std::vector<v1::StockLine> shuffled;
  for (int i = 0; i < 1000; ++i) shuffled.push_back(lines[(i * 617) % 1000]);
  auto request = FindRequest();
  request.set_quantity(1'000);
  request.set_page_size(7);
  SupplyRanking ranking(request, kNow);
  for (auto& line : shuffled) ranking.Consider(line);
  const auto response = ranking.Finish();
  EXPECT_EQ(Ids(response),
            (std::vector<std::string>{"stk_10000", "stk_10001", "stk_10002", "stk_10003",
                                      "stk_10004", "stk_10005", "stk_10006"}));
  EXPECT_EQ(response.total_available(), 7);
}

TEST(RankSupplies, NoLinesIsAnEmptyUncoveredAnswer) {
  const auto response = RankSupplies(FindRequest(), kNow, {});
  EXPECT_EQ(response.matches_size(), 0);
  EXPECT_EQ(response.total_available(), 0);
  EXPECT_FALSE(response.covered());
}

}  // namespace
}  // namespace relais::inventory
