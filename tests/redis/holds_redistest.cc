// Holds and commitments against a real redis-server: the ledger (RedisLedger and the
// relais_inventory Functions), the Holds application with its retries, refusals, events and
// sweeper, races between many connections, and the ledger invariants over all of Redis.
// Time comes from a FakeClock (nothing sleeps), ids from a SequentialIdGenerator.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <latch>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "relais/v1/inventory.pb.h"
#include "relais/v1/teams.pb.h"
#include "services/inventory/holds.h"
#include "services/inventory/inventory_functions.h"
#include "services/inventory/redis_ledger.h"
#include "services/runtime/catalogue.h"
#include "services/runtime/clock.h"
#include "services/runtime/ids.h"
#include "services/runtime/proto_time.h"
#include "services/runtime/redis/event_log.h"
#include "tests/support/ledger_invariants.h"
#include "tests/support/redis_server.h"

namespace relais::inventory {
namespace {

namespace v1 = ::relais::v1;
using ::relais::testing::CheckLedgerInvariants;
using ::relais::testing::RedisServer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Personal data of the test responders: it must never leave their records.
constexpr char kPrivateName[] = "Camille Privée-Dupont";

const Catalogue& TestCatalogue() {
  static const Catalogue* const catalogue = [] {
    auto loaded = Catalogue::LoadFile(RELAIS_SOURCE_DIR "/deploy/catalogue.textproto");
    if (!loaded.ok()) std::abort();
    return new Catalogue(*std::move(loaded));
  }();
  return *catalogue;
}

std::string Rfc(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", t, absl::UTCTimeZone());
}

// One replica of the service: its own connections, committer, ledger and Holds.
struct Replica {
  Replica(int port, const Clock& clock, IdGenerator& ids, int connections = 2)
      : redis(Options(port, connections), system_clock),
        // As in development (--redis_load_functions): FunctionsComeBackAfterAFlush.
        committer(redis, CommitOptions{.load_functions = true}),
        ledger(redis, committer),
        holds(ledger, committer, TestCatalogue(), clock, ids) {
    committer.AddLibrary(InventoryFunctionsSource());
  }

  static RedisOptions Options(int port, int connections) {
    RedisOptions options;
    options.port = port;
    options.connections = connections;
    options.command_timeout = absl::Seconds(5);
    return options;
  }

  SystemClock system_clock;  // the pool's back-off only
  RedisClient redis;
  Committer committer;
  RedisLedger ledger;
  Holds holds;
};

Principal Caller(const std::string& id = "mob-1") {
  Principal caller;
  caller.id = id;
  caller.role = Role::kCoordinator;
  return caller;
}

class HoldsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = RedisServer::Start().release(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    server_->FlushAll();
    replica_ = NewReplica();
  }

  std::unique_ptr<Replica> NewReplica(int connections = 2) {
    auto replica = std::make_unique<Replica>(server_->port(), clock_, ids_, connections);
    EXPECT_TRUE(replica->committer.LoadFunctions().ok());
    return replica;
  }

  Holds& holds() { return replica_->holds; }
  RedisLedger& ledger() { return replica_->ledger; }

  // Hour `h` of the day after the clock's start: where the test windows lie.
  absl::Time T(double h) const { return kDay + absl::Seconds(static_cast<int64_t>(h * 3600)); }

  // --- What other parts of the inventory write ---

  void PutResponder(const std::string& id, const std::string& org = "org_1") {
    v1::Responder responder;
    responder.set_id(id);
    responder.set_version(1);
    responder.set_organisation_id(org);
    responder.set_display_name(kPrivateName);
    ASSERT_EQ(
        server_->Command({"HSET", "inv:rsp:" + id, "v", "1", "d", responder.SerializeAsString()}),
        "2");
  }

  void RemoveResponderRecord(const std::string& id) { server_->Command({"DEL", "inv:rsp:" + id}); }

  void PutTeam(const std::string& id, int64_t version, const std::vector<std::string>& members,
               const std::vector<std::pair<std::string, int64_t>>& kit = {}) {
    v1::Team team;
    team.set_id(id);
    team.set_version(version);
    team.set_organisation_id("org_2");
    team.set_name("EMT HI Lyon 1");
    for (const auto& m : members) team.add_member_ids(m);
    for (const auto& [line, quantity] : kit) {
      auto* k = team.add_kit();
      k->set_stock_line_id(line);
      k->set_quantity(quantity);
    }
    server_->Command(
        {"HSET", TeamKey(id), "v", absl::StrCat(version), "d", team.SerializeAsString()});
  }

  // As OfferSupplies does: the generic commit with the ledger counters as extra fields.
  void OfferLine(const std::string& id, int64_t quantity,
                 std::optional<absl::Time> expires = std::nullopt) {
    v1::StockLine line;
    line.set_id(id);
    line.set_version(1);
    line.set_organisation_id("org_3");
    line.set_warehouse_id("whs_1");
    line.set_item_code("who-cholera-kit-central");
    if (expires) *line.mutable_expires_at() = ToProtoTime(*expires);
    CommitRequest request;
    request.idem = {"inv", "osi-1", "OfferSupplies", "offer-" + id, "fp-" + id};
    const std::string q = absl::StrCat(quantity);
    request.writes.push_back(
        {StockLineKey(id),
         0,
         line.SerializeAsString(),
         {{"o", q}, {"j", "0"}, {"a", q}, {"h", "0"}, {"c", "0"}, {"u", "0"}}});
    request.event.set_type(v1::EVENT_TYPE_STOCK_OFFERED);
    request.event.set_subject_id(id);
    request.outcome.set_subject_id(id);
    ASSERT_TRUE(replica_->committer.Commit(request).ok());
  }

  // --- Requests ---

  v1::HoldRequest ResponderHold(const std::string& request_id, const std::string& responder,
                                double from_h, double to_h) const {
    v1::HoldRequest request;
    request.set_request_id(request_id);
    request.set_responder_id(responder);
    *request.mutable_window()->mutable_start() = ToProtoTime(T(from_h));
    *request.mutable_window()->mutable_end() = ToProtoTime(T(to_h));
    request.set_holder_ref("mob:req_1");
    return request;
  }

  v1::HoldRequest TeamHold(const std::string& request_id, const std::string& team, double from_h,
                           double to_h) const {
    v1::HoldRequest request = ResponderHold(request_id, "x", from_h, to_h);
    request.set_team_id(team);
    return request;
  }

  static v1::HoldRequest StockHold(const std::string& request_id, const std::string& line,
                                   int64_t quantity) {
    v1::HoldRequest request;
    request.set_request_id(request_id);
    request.set_stock_line_id(line);
    request.set_quantity(quantity);
    request.set_holder_ref("mob:req_2");
    return request;
  }

  absl::StatusOr<v1::Hold> Place(const v1::HoldRequest& request, Replica* replica = nullptr) {
    v1::Hold hold;
    absl::Status status = (replica ? replica->holds : holds()).Hold(Caller(), request, &hold);
    if (!status.ok()) return status;
    return hold;
  }

  absl::StatusOr<v1::Hold> Confirm(const std::string& request_id, const std::string& hold_id) {
    v1::ConfirmHoldRequest request;
    request.set_request_id(request_id);
    request.set_hold_id(hold_id);
    v1::Hold hold;
    absl::Status status = holds().ConfirmHold(Caller(), request, &hold);
    if (!status.ok()) return status;
    return hold;
  }

  absl::StatusOr<v1::Hold> Release(const std::string& request_id, const std::string& hold_id) {
    v1::ReleaseHoldRequest request;
    request.set_request_id(request_id);
    request.set_hold_id(hold_id);
    v1::Hold hold;
    absl::Status status = holds().ReleaseHold(Caller(), request, &hold);
    if (!status.ok()) return status;
    return hold;
  }

  absl::StatusOr<v1::Hold> EndCommitment(const std::string& request_id, const std::string& hold_id,
                                         const std::map<std::string, int64_t>& kit_used = {}) {
    v1::ReleaseCommitmentRequest request;
    request.set_request_id(request_id);
    request.set_hold_id(hold_id);
    request.set_reason("demobilised");
    for (const auto& [line, used] : kit_used) (*request.mutable_kit_used())[line] = used;
    v1::Hold hold;
    absl::Status status = holds().ReleaseCommitment(Caller(), request, &hold);
    if (!status.ok()) return status;
    return hold;
  }

  absl::StatusOr<v1::Hold> Extend(const std::string& request_id, const std::string& hold_id,
                                  double to_h) {
    v1::ExtendCommitmentRequest request;
    request.set_request_id(request_id);
    request.set_hold_id(hold_id);
    *request.mutable_new_end() = ToProtoTime(T(to_h));
    v1::Hold hold;
    absl::Status status = holds().ExtendCommitment(Caller(), request, &hold);
    if (!status.ok()) return status;
    return hold;
  }

  absl::StatusOr<v1::Hold> Consume(const std::string& request_id, const std::string& hold_id,
                                   int64_t used) {
    v1::ConsumeCommitmentRequest request;
    request.set_request_id(request_id);
    request.set_hold_id(hold_id);
    request.set_quantity_used(used);
    v1::Hold hold;
    absl::Status status = holds().ConsumeCommitment(Caller(), request, &hold);
    if (!status.ok()) return status;
    return hold;
  }

  // --- Reading back ---

  v1::StockLedger Counters(const std::string& line) {
    auto read = ledger().GetStockLine(line);
    EXPECT_TRUE(read.ok() && read->has_value()) << line;
    return read.ok() && read->has_value() ? (*read)->ledger() : v1::StockLedger();
  }

  std::vector<std::string> BookedHolds(const std::string& responder) {
    auto bookings = ledger().Bookings({responder});
    EXPECT_TRUE(bookings.ok());
    std::vector<std::string> ids;
    if (bookings.ok()) {
      for (const Booking& b : (*bookings)[0]) ids.push_back(b.hold_id);
    }
    return ids;
  }

  std::vector<v1::Event> Events() {
    EventLog log(replica_->redis);
    auto events = log.ReadAfter("", 10000);
    EXPECT_TRUE(events.ok()) << events.status();
    return events.ok() ? *events : std::vector<v1::Event>{};
  }

  int CountEvents(v1::EventType type) {
    int n = 0;
    for (const auto& e : Events()) n += e.type() == type ? 1 : 0;
    return n;
  }

  void ExpectInvariants() {
    auto report = CheckLedgerInvariants(replica_->redis);
    EXPECT_TRUE(report.ok()) << report.Describe();
  }

  static inline RedisServer* server_ = nullptr;
  const absl::Time kStart = absl::FromUnixSeconds(1'780'000'000);
  const absl::Time kDay = kStart + absl::Hours(24);
  FakeClock clock_{kStart};
  SequentialIdGenerator ids_;
  std::unique_ptr<Replica> replica_;
};

MATCHER_P2(IsStatus, code, text, "") {
  *result_listener << "status is " << arg.status().ToString();
  return arg.status().code() == code && absl::StrContains(arg.status().message(), text);
}

auto Refused(const std::string& text) {
  return IsStatus(absl::StatusCode::kFailedPrecondition, text);
}

// --- The ledger, as other parts of the inventory use it ---

TEST_F(HoldsTest, LedgerReadsStockLinesWithTheirCounters) {
  OfferLine("stk_1", 10, T(1000));
  auto line = ledger().GetStockLine("stk_1");
  ASSERT_TRUE(line.ok()) << line.status();
  ASSERT_TRUE(line->has_value());
  EXPECT_EQ((*line)->id(), "stk_1");
  EXPECT_EQ((*line)->version(), 1);
  EXPECT_EQ((*line)->item_code(), "who-cholera-kit-central");
  EXPECT_EQ((*line)->ledger().offered(), 10);
  EXPECT_EQ((*line)->ledger().available(), 10);
  EXPECT_EQ((*line)->ledger().held(), 0);

  auto lines = ledger().GetStockLines({"stk_none", "stk_1"});
  ASSERT_TRUE(lines.ok());
  ASSERT_EQ(lines->size(), 2u);
  EXPECT_FALSE((*lines)[0].has_value());
  EXPECT_EQ((*lines)[1]->ledger().available(), 10);
  EXPECT_TRUE(ledger().GetStockLines({})->empty());
  EXPECT_FALSE(ledger().GetStockLine("stk_none")->has_value());
  EXPECT_FALSE(ledger().GetHold("hld_none")->has_value());
}

TEST_F(HoldsTest, LedgerAdjustsAvailableStockOnly) {
  OfferLine("stk_1", 10);
  const auto write = [](const std::string& request_id, int64_t delta) {
    LedgerWrite w;
    w.idem = {"inv", "osi-1", "AdjustStock", request_id, absl::StrCat("fp", delta)};
    w.event.set_type(v1::EVENT_TYPE_STOCK_ADJUSTED);
    w.event.set_quantity(delta);
    w.outcome.set_subject_id("stk_1");
    return w;
  };
  auto adjusted = ledger().AdjustStock("stk_1", 5, write("adj-1", 5));
  ASSERT_TRUE(adjusted.ok()) << adjusted.status();
  EXPECT_FALSE(adjusted->replayed);
  EXPECT_FALSE(adjusted->event_cursor.empty());
  EXPECT_EQ(Counters("stk_1").available(), 15);
  EXPECT_EQ(Counters("stk_1").adjusted(), 5);
  // A retry replays; the same request id for another request is refused.
  auto again = ledger().AdjustStock("stk_1", 5, write("adj-1", 5));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->outcome.subject_id(), "stk_1");
  EXPECT_EQ(Counters("stk_1").available(), 15);
  EXPECT_EQ(ledger().AdjustStock("stk_1", 4, write("adj-1", 4)).status().code(),
            absl::StatusCode::kInvalidArgument);

  ASSERT_TRUE(Place(StockHold("h-1", "stk_1", 12)).ok());
  EXPECT_THAT(
      ledger().AdjustStock("stk_1", -4, write("adj-2", -4)),
      IsStatus(absl::StatusCode::kFailedPrecondition, "not enough available stock: 3 available"));
  ASSERT_TRUE(ledger().AdjustStock("stk_1", -3, write("adj-3", -3)).ok());
  EXPECT_EQ(Counters("stk_1").available(), 0);
  EXPECT_EQ(Counters("stk_1").adjusted(), 2);
  EXPECT_THAT(ledger().AdjustStock("stk_none", 1, write("adj-4", 1)),
              IsStatus(absl::StatusCode::kNotFound, "stock_line_id: no stock line stk_none"));
  EXPECT_EQ(CountEvents(v1::EVENT_TYPE_STOCK_ADJUSTED), 2);
  ExpectInvariants();
}

TEST_F(HoldsTest, LedgerListsBookingsAndDueHolds) {
  PutResponder("rsp_1");
  PutResponder("rsp_2");
  auto first = Place(ResponderHold("h-1", "rsp_1", 10, 12));
  auto second = Place(ResponderHold("h-2", "rsp_1", 2, 4));
  ASSERT_TRUE(first.ok() && second.ok());
  auto bookings = ledger().Bookings({"rsp_1", "rsp_2"});
  ASSERT_TRUE(bookings.ok()) << bookings.status();
  ASSERT_EQ(bookings->size(), 2u);
  ASSERT_EQ((*bookings)[0].size(), 2u);
  EXPECT_EQ((*bookings)[0][0].hold_id, second->id());  // by start
  EXPECT_EQ((*bookings)[0][0].start, T(2));
  EXPECT_EQ((*bookings)[0][0].end, T(4));
  EXPECT_EQ((*bookings)[0][1].hold_id, first->id());
  EXPECT_TRUE((*bookings)[1].empty());
  EXPECT_EQ(server_->Command({"EXISTS", "inv:bk:rsp_2"}), "0");

  const absl::Time expiry = clock_.Now() + absl::Minutes(15);
  EXPECT_TRUE(ledger().DueHolds(expiry - absl::Milliseconds(1), 10)->empty());
  EXPECT_THAT(*ledger().DueHolds(expiry, 10), ElementsAre(first->id(), second->id()));
  EXPECT_THAT(*ledger().DueHolds(expiry, 1), ElementsAre(first->id()));
}

TEST_F(HoldsTest, LedgerRefusesAMemberRemovedMeanwhileAndAStaleTeam) {
  PutResponder("rsp_1");
  PutTeam("team_1", 3, {"rsp_1"});
  v1::HoldRequest request = ResponderHold("h-1", "rsp_gone", 1, 2);
  v1::Hold hold = NewResponderHold(request, "hld_manual", "org_1", clock_.Now());
  LedgerWrite write;
  write.idem = {"inv", "mob-1", "Hold", "h-1", "fp"};
  write.event.set_type(v1::EVENT_TYPE_HOLD_PLACED);
  EXPECT_THAT(ledger().PlaceHold(hold, 0, write), Refused("responder rsp_gone no longer exists"));

  v1::Team team;
  team.set_id("team_1");
  team.add_member_ids("rsp_1");
  v1::Hold team_hold = NewTeamHold(TeamHold("h-2", "team_1", 1, 2), "hld_t", team, clock_.Now());
  write.idem.request_id = "h-2";
  EXPECT_EQ(ledger().PlaceHold(team_hold, 2, write).status().code(), absl::StatusCode::kAborted);
  EXPECT_TRUE(ledger().PlaceHold(team_hold, 3, write).ok());
  ExpectInvariants();
}

// --- Every call's normal path ---

TEST_F(HoldsTest, ResponderHoldIsConfirmedThenReleased) {
  PutResponder("rsp_1", "org_7");
  auto held = Place(ResponderHold("h-1", "rsp_1", 10, 12));
  ASSERT_TRUE(held.ok()) << held.status();
  EXPECT_EQ(held->id(), "hld_000001");
  EXPECT_EQ(held->state(), v1::HOLD_STATE_HELD);
  EXPECT_EQ(held->organisation_id(), "org_7");
  EXPECT_EQ(FromProtoTime(held->expires_at()), clock_.Now() + absl::Minutes(15));
  EXPECT_THAT(BookedHolds("rsp_1"), ElementsAre("hld_000001"));

  v1::Hold read;
  v1::GetHoldRequest get;
  get.set_hold_id(held->id());
  ASSERT_TRUE(holds().GetHold(Caller(), get, &read).ok());
  EXPECT_EQ(read.SerializeAsString(), held->SerializeAsString());

  clock_.Advance(absl::Minutes(5));
  auto committed = Confirm("c-1", held->id());
  ASSERT_TRUE(committed.ok()) << committed.status();
  EXPECT_EQ(committed->state(), v1::HOLD_STATE_COMMITTED);
  EXPECT_EQ(committed->version(), 2);
  EXPECT_TRUE(ledger().DueHolds(clock_.Now() + absl::Hours(1), 10)->empty());
  EXPECT_THAT(BookedHolds("rsp_1"), ElementsAre("hld_000001"));

  auto released = EndCommitment("e-1", held->id());
  ASSERT_TRUE(released.ok()) << released.status();
  EXPECT_EQ(released->state(), v1::HOLD_STATE_RELEASED);
  EXPECT_EQ(released->release_reason(), "demobilised");
  EXPECT_EQ(released->version(), 3);
  EXPECT_EQ(server_->Command({"EXISTS", "inv:bk:rsp_1"}), "0");  // erasure may go ahead

  const auto events = Events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].type(), v1::EVENT_TYPE_HOLD_PLACED);
  EXPECT_EQ(events[1].type(), v1::EVENT_TYPE_HOLD_CONFIRMED);
  EXPECT_EQ(events[2].type(), v1::EVENT_TYPE_COMMITMENT_RELEASED);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(events[i].service(), "inventory");
    EXPECT_EQ(events[i].principal_id(), "mob-1");
    EXPECT_EQ(events[i].subject_id(), "hld_000001");
    EXPECT_EQ(events[i].hold_id(), "hld_000001");
    EXPECT_EQ(events[i].subject_version(), i + 1);
    EXPECT_EQ(events[i].organisation_id(), "org_7");
    EXPECT_EQ(events[i].responder_id(), "rsp_1");
    EXPECT_THAT(events[i].responder_ids(), ElementsAre("rsp_1"));
  }
  EXPECT_EQ(events[1].request_id(), "c-1");
  EXPECT_EQ(FromProtoTime(events[1].time()), kStart + absl::Minutes(5));
  ExpectInvariants();
}

TEST_F(HoldsTest, ReleasedHoldFreesItsBooking) {
  PutResponder("rsp_1");
  auto held = Place(ResponderHold("h-1", "rsp_1", 10, 12));
  ASSERT_TRUE(held.ok());
  auto released = Release("r-1", held->id());
  ASSERT_TRUE(released.ok()) << released.status();
  EXPECT_EQ(released->state(), v1::HOLD_STATE_RELEASED);
  EXPECT_TRUE(BookedHolds("rsp_1").empty());
  EXPECT_TRUE(ledger().DueHolds(clock_.Now() + absl::Hours(1), 10)->empty());
  EXPECT_TRUE(Place(ResponderHold("h-2", "rsp_1", 10, 12)).ok());
  EXPECT_EQ(CountEvents(v1::EVENT_TYPE_HOLD_RELEASED), 1);
  ExpectInvariants();
}

TEST_F(HoldsTest, StockHoldMovesUnitsThroughTheLedger) {
  OfferLine("stk_1", 10);
  auto held = Place(StockHold("h-1", "stk_1", 6));
  ASSERT_TRUE(held.ok()) << held.status();
  EXPECT_EQ(held->organisation_id(), "org_3");
  EXPECT_FALSE(held->has_window());
  EXPECT_EQ(Counters("stk_1").available(), 4);
  EXPECT_EQ(Counters("stk_1").held(), 6);

  EXPECT_THAT(Place(StockHold("h-2", "stk_1", 5)),
              Refused("not enough available stock on stock line stk_1: 4 available, 5 requested"));
  ASSERT_TRUE(Confirm("c-1", held->id()).ok());
  EXPECT_EQ(Counters("stk_1").held(), 0);
  EXPECT_EQ(Counters("stk_1").committed(), 6);

  // Partial consumption: what was not used goes back to available stock.
  auto consumed = Consume("u-1", held->id(), 2);
  ASSERT_TRUE(consumed.ok()) << consumed.status();
  EXPECT_EQ(consumed->state(), v1::HOLD_STATE_CONSUMED);
  EXPECT_EQ(consumed->stock(0).consumed(), 2);
  const v1::StockLedger after = Counters("stk_1");
  EXPECT_EQ(after.available(), 8);
  EXPECT_EQ(after.committed(), 0);
  EXPECT_EQ(after.consumed(), 2);

  const auto events = Events();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().type(), v1::EVENT_TYPE_COMMITMENT_CONSUMED);
  EXPECT_EQ(events.back().stock_line_id(), "stk_1");
  EXPECT_EQ(events.back().quantity(), 2);
  EXPECT_EQ(events.back().responder_ids_size(), 0);
  ExpectInvariants();
}

TEST_F(HoldsTest, ReleasingAStockCommitmentReturnsEverything) {
  OfferLine("stk_1", 10);
  auto held = Place(StockHold("h-1", "stk_1", 3));
  ASSERT_TRUE(held.ok());
  ASSERT_TRUE(Confirm("c-1", held->id()).ok());
  ASSERT_TRUE(EndCommitment("e-1", held->id()).ok());
  EXPECT_EQ(Counters("stk_1").available(), 10);
  EXPECT_EQ(Counters("stk_1").committed(), 0);
  ExpectInvariants();
}

TEST_F(HoldsTest, ExpiredOrMissingTargetsAreRefused) {
  OfferLine("stk_old", 10, clock_.Now() - absl::Hours(1));
  EXPECT_THAT(
      Place(StockHold("h-1", "stk_old", 1)),
      Refused(absl::StrCat("stock line stk_old expired on ", Rfc(clock_.Now() - absl::Hours(1)))));
  EXPECT_EQ(Counters("stk_old").available(), 10);
  EXPECT_THAT(Place(StockHold("h-2", "stk_none", 1)),
              IsStatus(absl::StatusCode::kNotFound, "stock_line_id: no stock line stk_none"));
  EXPECT_THAT(Place(ResponderHold("h-3", "rsp_none", 1, 2)),
              IsStatus(absl::StatusCode::kNotFound, "responder_id: no responder rsp_none"));
  EXPECT_THAT(Place(TeamHold("h-4", "team_none", 1, 2)),
              IsStatus(absl::StatusCode::kNotFound, "team_id: no team team_none"));
  EXPECT_THAT(Confirm("c-1", "hld_none"),
              IsStatus(absl::StatusCode::kNotFound, "hold_id: no hold hld_none"));
  v1::Hold out;
  v1::GetHoldRequest get;
  get.set_hold_id("hld_none");
  EXPECT_EQ(holds().GetHold(Caller(), get, &out).code(), absl::StatusCode::kNotFound);
  get.set_hold_id("bad id");
  EXPECT_EQ(holds().GetHold(Caller(), get, &out).code(), absl::StatusCode::kInvalidArgument);
  // Invalid input is refused before anything is read or written.
  EXPECT_THAT(Place(ResponderHold("h-5", "rsp_1", 2, 1)),
              IsStatus(absl::StatusCode::kInvalidArgument, "window.end: "));
  EXPECT_EQ(CountEvents(v1::EVENT_TYPE_HOLD_PLACED), 0);
}

// --- Retries ---

TEST_F(HoldsTest, RetriesReplayAndAReusedRequestIdIsRefused) {
  PutResponder("rsp_1");
  const v1::HoldRequest request = ResponderHold("h-1", "rsp_1", 10, 12);
  auto first = Place(request);
  auto retry = Place(request);
  ASSERT_TRUE(first.ok() && retry.ok());
  EXPECT_EQ(retry->id(), first->id());
  EXPECT_EQ(CountEvents(v1::EVENT_TYPE_HOLD_PLACED), 1);
  // Another caller's identical request id is another request.
  v1::Hold other;
  EXPECT_EQ(holds().Hold(Caller("mob-2"), request, &other).code(),
            absl::StatusCode::kFailedPrecondition);

  v1::HoldRequest changed = request;
  changed.set_holder_ref("mob:req_9");
  EXPECT_THAT(Place(changed), IsStatus(absl::StatusCode::kInvalidArgument, "request_id: "));

  ASSERT_TRUE(Confirm("c-1", first->id()).ok());
  // The retry of the confirmation meets a COMMITTED hold: it replays, with the hold as it is now.
  auto confirm_again = Confirm("c-1", first->id());
  ASSERT_TRUE(confirm_again.ok()) << confirm_again.status();
  EXPECT_EQ(confirm_again->version(), 2);
  ASSERT_TRUE(Extend("x-1", first->id(), 13).ok());
  auto confirm_later = Confirm("c-1", first->id());
  ASSERT_TRUE(confirm_later.ok());
  EXPECT_EQ(confirm_later->version(), 3);  // the first outcome's hold, as it is now
  EXPECT_EQ(CountEvents(v1::EVENT_TYPE_HOLD_CONFIRMED), 1);
  auto extend_again = Extend("x-1", first->id(), 13);
  ASSERT_TRUE(extend_again.ok()) << extend_again.status();

  // A refusal is stored: its retry is refused the same way even after the state changed.
  EXPECT_THAT(Release("r-1", first->id()), Refused("hold hld_000001 is COMMITTED, not HELD"));
  ASSERT_TRUE(EndCommitment("e-1", first->id()).ok());
  EXPECT_THAT(Release("r-1", first->id()), Refused("hold hld_000001 is COMMITTED, not HELD"));
  auto end_again = EndCommitment("e-1", first->id());
  ASSERT_TRUE(end_again.ok());
  EXPECT_EQ(end_again->state(), v1::HOLD_STATE_RELEASED);
  EXPECT_EQ(CountEvents(v1::EVENT_TYPE_COMMITMENT_RELEASED), 1);
  ExpectInvariants();
}

// --- Overlaps ---

TEST_F(HoldsTest, OverlapsAreRefusedAndAdjacentWindowsAllowed) {
  PutResponder("rsp_1");
  auto first = Place(ResponderHold("h-1", "rsp_1", 10, 12));
  ASSERT_TRUE(first.ok());
  const std::string overlap = absl::StrCat("responder rsp_1 is already booked from ", Rfc(T(10)),
                                           " to ", Rfc(T(12)), " (hold hld_000001)");
  EXPECT_THAT(Place(ResponderHold("h-2", "rsp_1", 11, 13)), Refused(overlap));
  EXPECT_THAT(Place(ResponderHold("h-3", "rsp_1", 9, 10.5)), Refused(overlap));
  EXPECT_THAT(Place(ResponderHold("h-4", "rsp_1", 10.5, 11)), Refused(overlap));
  EXPECT_THAT(Place(ResponderHold("h-5", "rsp_1", 8, 14)), Refused(overlap));
  EXPECT_TRUE(Place(ResponderHold("h-6", "rsp_1", 12, 14)).ok());  // [10,12) then [12,14)
  EXPECT_TRUE(Place(ResponderHold("h-7", "rsp_1", 8, 10)).ok());   // [8,10) then [10,12)
  // Refused attempts used ids too: h-6 is hld_000006, h-7 hld_000007.
  EXPECT_THAT(BookedHolds("rsp_1"), ElementsAre("hld_000007", "hld_000001", "hld_000006"));

  // The refusal is stored: after the booking is gone, its retry is still refused.
  ASSERT_TRUE(Release("r-1", first->id()).ok());
  EXPECT_THAT(Place(ResponderHold("h-2", "rsp_1", 11, 13)), Refused(overlap));
  EXPECT_TRUE(Place(ResponderHold("h-8", "rsp_1", 11, 12)).ok());
  ExpectInvariants();
}

TEST_F(HoldsTest, ExtendIsRefusedOnOverlapAndAcceptedOtherwise) {
  PutResponder("rsp_1");
  auto held = Place(ResponderHold("h-1", "rsp_1", 10, 12));
  auto next = Place(ResponderHold("h-2", "rsp_1", 14, 16));
  ASSERT_TRUE(held.ok() && next.ok());
  ASSERT_TRUE(Confirm("c-1", held->id()).ok());
  EXPECT_THAT(Extend("x-1", held->id(), 15),
              Refused(absl::StrCat("responder rsp_1 is already booked from ", Rfc(T(14)), " to ",
                                   Rfc(T(16)), " (hold hld_000002)")));
  auto extended = Extend("x-2", held->id(), 14);  // its own booking is not in the way
  ASSERT_TRUE(extended.ok()) << extended.status();
  EXPECT_EQ(FromProtoTime(extended->window().end()), T(14));
  auto bookings = ledger().Bookings({"rsp_1"});
  ASSERT_TRUE(bookings.ok());
  ASSERT_EQ((*bookings)[0].size(), 2u);
  EXPECT_EQ((*bookings)[0][0].end, T(14));
  EXPECT_THAT(Place(ResponderHold("h-3", "rsp_1", 13, 14)), Refused("(hold hld_000001)"));

  EXPECT_THAT(Extend("x-3", next->id(), 20), Refused("hold hld_000002 is HELD, not COMMITTED"));
  EXPECT_THAT(Extend("x-4", held->id(), 13),
              IsStatus(absl::StatusCode::kInvalidArgument, "new_end: "));
  EXPECT_EQ(CountEvents(v1::EVENT_TYPE_COMMITMENT_EXTENDED), 1);
  ExpectInvariants();
}

// --- Expiry ---

TEST_F(HoldsTest, ConfirmAfterTheTtlIsRefusedEvenBeforeTheSweep) {
  PutResponder("rsp_1");
  v1::HoldRequest request = ResponderHold("h-1", "rsp_1", 10, 12);
  request.mutable_ttl()->set_seconds(60);
  auto held = Place(request);
  ASSERT_TRUE(held.ok());
  clock_.Advance(absl::Seconds(60));
  EXPECT_THAT(Confirm("c-1", held->id()), Refused(absl::StrCat("hold hld_000001 expired at ",
                                                               Rfc(kStart + absl::Seconds(60)))));
  EXPECT_EQ(CountEvents(v1::EVENT_TYPE_HOLD_CONFIRMED), 0);
}

TEST_F(HoldsTest, SweeperExpiresDueHoldsAndFreesWhatTheyHeld) {
  PutResponder("rsp_1");
  PutResponder("rsp_2");
  PutResponder("rsp_3");
  PutTeam("team_1", 1, {"rsp_2", "rsp_3"}, {{"stk_2", 4}});
  OfferLine("stk_1", 10);
  OfferLine("stk_2", 10);
  auto with_ttl = [](v1::HoldRequest request, int seconds) {
    request.mutable_ttl()->set_seconds(seconds);
    return request;
  };
  ASSERT_TRUE(Place(with_ttl(ResponderHold("h-1", "rsp_1", 10, 12), 60)).ok());
  ASSERT_TRUE(Place(with_ttl(StockHold("h-2", "stk_1", 3), 60)).ok());
  ASSERT_TRUE(Place(with_ttl(TeamHold("h-3", "team_1", 10, 12), 120)).ok());
  auto lasting = Place(with_ttl(ResponderHold("h-4", "rsp_1", 20, 22), 3600));
  ASSERT_TRUE(lasting.ok());
  auto confirmed = Place(with_ttl(StockHold("h-5", "stk_1", 1), 60));
  ASSERT_TRUE(confirmed.ok());
  ASSERT_TRUE(Confirm("c-5", confirmed->id()).ok());

  clock_.Advance(absl::Seconds(59));
  EXPECT_EQ(*holds().SweepDueHolds(clock_.Now(), 100), 0);
  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(*holds().SweepDueHolds(clock_.Now(), 100), 2);
  EXPECT_THAT(BookedHolds("rsp_1"), ElementsAre(lasting->id()));
  EXPECT_EQ(Counters("stk_1").available(), 9);
  EXPECT_EQ(Counters("stk_2").held(), 4);
  clock_.Advance(absl::Seconds(60));
  EXPECT_EQ(*holds().SweepDueHolds(clock_.Now(), 100), 1);
  EXPECT_TRUE(BookedHolds("rsp_2").empty());
  EXPECT_EQ(Counters("stk_2").available(), 10);
  EXPECT_EQ(*holds().SweepDueHolds(clock_.Now(), 100), 0);

  v1::Hold out;
  v1::GetHoldRequest get;
  get.set_hold_id("hld_000001");
  ASSERT_TRUE(holds().GetHold(Caller(), get, &out).ok());
  EXPECT_EQ(out.state(), v1::HOLD_STATE_EXPIRED);
  int expired = 0;
  for (const auto& e : Events()) {
    if (e.type() != v1::EVENT_TYPE_HOLD_EXPIRED) continue;
    ++expired;
    EXPECT_EQ(e.principal_id(), "inventory-sweeper");
    EXPECT_EQ(e.subject_version(), 2);
  }
  EXPECT_EQ(expired, 3);
  EXPECT_THAT(Confirm("c-1", "hld_000001"), Refused("hold hld_000001 is EXPIRED, not HELD"));
  ExpectInvariants();
}

TEST_F(HoldsTest, ConcurrentSweepersExpireEachHoldOnce) {
  constexpr int kHolds = 40;
  OfferLine("stk_1", 1000);
  for (int i = 0; i < kHolds; ++i) {
    v1::HoldRequest request = StockHold(absl::StrCat("h-", i), "stk_1", 1);
    request.mutable_ttl()->set_seconds(1 + i % 5);
    ASSERT_TRUE(Place(request).ok());
  }
  clock_.Advance(absl::Seconds(10));
  std::vector<std::unique_ptr<Replica>> sweepers;
  for (int s = 0; s < 3; ++s) sweepers.push_back(NewReplica(1));
  std::atomic<int> expired{0};
  std::atomic<int> errors{0};
  std::latch start(3);
  std::vector<std::thread> threads;
  for (int s = 0; s < 3; ++s) {
    threads.emplace_back([&, s] {
      start.arrive_and_wait();
      // Small pages, so the sweepers keep meeting on the same holds.
      for (;;) {
        auto n = sweepers[s]->holds.SweepDueHolds(clock_.Now(), 7);
        if (!n.ok()) {
          ++errors;
          return;
        }
        expired += *n;
        if (sweepers[s]->ledger.DueHolds(clock_.Now(), 1)->empty()) return;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(expired.load(), kHolds);
  EXPECT_EQ(CountEvents(v1::EVENT_TYPE_HOLD_EXPIRED), kHolds);
  EXPECT_EQ(Counters("stk_1").available(), 1000);
  ExpectInvariants();
}

// --- Teams ---

TEST_F(HoldsTest, TeamHoldIsAllOrNothing) {
  PutResponder("rsp_1");
  PutResponder("rsp_2");
  PutResponder("rsp_3");
  OfferLine("stk_1", 10);
  OfferLine("stk_2", 2);
  PutTeam("team_1", 5, {"rsp_1", "rsp_2", "rsp_3"}, {{"stk_1", 4}, {"stk_2", 2}});
  auto blocker = Place(ResponderHold("h-1", "rsp_2", 11, 13));
  ASSERT_TRUE(blocker.ok());

  EXPECT_THAT(Place(TeamHold("h-2", "team_1", 10, 12)),
              Refused("responder rsp_2 is already booked from"));
  EXPECT_TRUE(BookedHolds("rsp_1").empty());
  EXPECT_TRUE(BookedHolds("rsp_3").empty());
  EXPECT_EQ(Counters("stk_1").available(), 10);
  EXPECT_EQ(Counters("stk_2").available(), 2);

  // Not enough kit: nothing booked either.
  auto kit_taker = Place(StockHold("h-3", "stk_2", 1));
  ASSERT_TRUE(kit_taker.ok());
  EXPECT_THAT(Place(TeamHold("h-4", "team_1", 20, 22)),
              Refused("not enough available stock on stock line stk_2: 1 available, 2 requested"));
  EXPECT_TRUE(BookedHolds("rsp_1").empty());
  EXPECT_EQ(Counters("stk_1").available(), 10);

  ASSERT_TRUE(Release("r-3", kit_taker->id()).ok());
  auto team = Place(TeamHold("h-5", "team_1", 20, 22));
  ASSERT_TRUE(team.ok()) << team.status();
  EXPECT_EQ(team->kind(), v1::HOLD_KIND_TEAM);
  EXPECT_EQ(team->organisation_id(), "org_2");
  EXPECT_THAT(team->member_ids(), ElementsAre("rsp_1", "rsp_2", "rsp_3"));
  ASSERT_EQ(team->stock_size(), 2);
  for (const char* rsp : {"rsp_1", "rsp_2", "rsp_3"}) {
    EXPECT_THAT(BookedHolds(rsp), ::testing::Contains(team->id())) << rsp;
  }
  EXPECT_EQ(Counters("stk_1").held(), 4);
  EXPECT_EQ(Counters("stk_2").held(), 2);
  const auto placed = Events().back();
  EXPECT_EQ(placed.type(), v1::EVENT_TYPE_HOLD_PLACED);
  EXPECT_EQ(placed.team_id(), "team_1");
  EXPECT_THAT(placed.responder_ids(), ElementsAre("rsp_1", "rsp_2", "rsp_3"));

  // Members and kit as they were: changing the team later does not change the hold.
  PutTeam("team_1", 6, {"rsp_1"});
  ASSERT_TRUE(Confirm("c-5", team->id()).ok());
  EXPECT_EQ(Counters("stk_1").committed(), 4);
  EXPECT_THAT(EndCommitment("e-5", team->id(), {{"stk_9", 1}}),
              IsStatus(absl::StatusCode::kInvalidArgument, "kit_used[stk_9]: "));
  auto ended = EndCommitment("e-6", team->id(), {{"stk_1", 3}});
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(Counters("stk_1").consumed(), 3);
  EXPECT_EQ(Counters("stk_1").available(), 7);
  EXPECT_EQ(Counters("stk_2").available(), 2);
  EXPECT_THAT(BookedHolds("rsp_3"), ElementsAre());
  ExpectInvariants();
}

TEST_F(HoldsTest, TeamHoldRefusesAnExpiredOrMissingKitLineAndAGoneMember) {
  PutResponder("rsp_1");
  OfferLine("stk_old", 5, clock_.Now() - absl::Hours(2));
  PutTeam("team_1", 1, {"rsp_1"}, {{"stk_old", 1}});
  EXPECT_THAT(Place(TeamHold("h-1", "team_1", 10, 12)), Refused("stock line stk_old expired on"));
  PutTeam("team_2", 1, {"rsp_1"}, {{"stk_none", 1}});
  EXPECT_THAT(Place(TeamHold("h-2", "team_2", 10, 12)),
              Refused("stock line stk_none of team team_2 no longer exists"));
  PutTeam("team_3", 1, {"rsp_1", "rsp_gone"});
  EXPECT_THAT(Place(TeamHold("h-3", "team_3", 10, 12)),
              Refused("responder rsp_gone no longer exists"));
  EXPECT_TRUE(BookedHolds("rsp_1").empty());
  ExpectInvariants();
}

// --- Batches ---

TEST_F(HoldsTest, BatchItemsSucceedOrFailOnTheirOwnAndRetriesReplay) {
  PutResponder("rsp_1");
  OfferLine("stk_1", 3);
  v1::HoldBatchRequest batch;
  batch.set_request_id("round-1");
  *batch.add_items() = ResponderHold("ignored", "rsp_1", 10, 12);
  *batch.add_items() = ResponderHold("", "rsp_1", 11, 12);
  *batch.add_items() = StockHold("", "stk_1", 2);
  *batch.add_items() = StockHold("", "stk_none", 2);
  v1::HoldBatchResponse response;
  ASSERT_TRUE(holds().HoldBatch(Caller(), batch, &response).ok());
  ASSERT_EQ(response.outcomes_size(), 4);
  EXPECT_EQ(response.outcomes(0).code(), 0);
  EXPECT_EQ(response.outcomes(0).hold().id(), "hld_000001");
  EXPECT_EQ(response.outcomes(1).code(), static_cast<int>(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(response.outcomes(1).message(), HasSubstr("(hold hld_000001)"));
  EXPECT_FALSE(response.outcomes(1).has_hold());
  EXPECT_EQ(response.outcomes(2).code(), 0);
  EXPECT_EQ(response.outcomes(3).code(), static_cast<int>(absl::StatusCode::kNotFound));
  const auto events = Events();

  // The retry replays every item: same holds, same refusals, nothing written.
  ASSERT_TRUE(Release("r-1", "hld_000001").ok());
  v1::HoldBatchResponse again;
  ASSERT_TRUE(holds().HoldBatch(Caller(), batch, &again).ok());
  ASSERT_EQ(again.outcomes_size(), 4);
  EXPECT_EQ(again.outcomes(0).hold().id(), "hld_000001");
  EXPECT_EQ(again.outcomes(0).hold().state(), v1::HOLD_STATE_RELEASED);  // as it is now
  EXPECT_EQ(again.outcomes(1).message(), response.outcomes(1).message());
  EXPECT_EQ(again.outcomes(2).hold().id(), response.outcomes(2).hold().id());
  EXPECT_EQ(Events().size(), events.size() + 1);  // the release only
  EXPECT_EQ(Counters("stk_1").held(), 2);

  // The same request id for another batch is refused before any item is placed.
  v1::HoldBatchRequest other = batch;
  other.mutable_items(3)->set_quantity(1);
  EXPECT_EQ(holds().HoldBatch(Caller(), other, &again).code(), absl::StatusCode::kInvalidArgument);
  // Invalid input fails the whole batch, naming the item.
  other.set_request_id("round-2");
  other.mutable_items(2)->set_quantity(0);
  absl::Status invalid = holds().HoldBatch(Caller(), other, &again);
  EXPECT_EQ(invalid.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(invalid.message()), ::testing::StartsWith("items[2].quantity: "));
  ExpectInvariants();
}

// --- Redis ---

TEST_F(HoldsTest, FunctionsComeBackAfterAFlush) {
  PutResponder("rsp_1");
  server_->Command({"FUNCTION", "FLUSH"});
  EXPECT_TRUE(Place(ResponderHold("h-1", "rsp_1", 10, 12)).ok());
  EXPECT_EQ(server_->Command({"FCALL", "relais_inventory_version", "0"}), "3");
}

TEST_F(HoldsTest, RedisStoppedIsUnavailable) {
  auto server = RedisServer::Start();
  Replica replica(server->port(), clock_, ids_);
  ASSERT_TRUE(replica.committer.LoadFunctions().ok());
  server->Stop();
  v1::Hold hold;
  EXPECT_EQ(replica.holds.Hold(Caller(), ResponderHold("h-1", "rsp_1", 10, 12), &hold).code(),
            absl::StatusCode::kUnavailable);
  v1::HoldBatchRequest batch;
  batch.set_request_id("b-1");
  *batch.add_items() = StockHold("", "stk_1", 1);
  v1::HoldBatchResponse response;
  EXPECT_EQ(replica.holds.HoldBatch(Caller(), batch, &response).code(),
            absl::StatusCode::kUnavailable);
  v1::GetHoldRequest get;
  get.set_hold_id("hld_1");
  EXPECT_EQ(replica.holds.GetHold(Caller(), get, &hold).code(), absl::StatusCode::kUnavailable);
  v1::ConfirmHoldRequest confirm;
  confirm.set_request_id("c-1");
  confirm.set_hold_id("hld_1");
  EXPECT_EQ(replica.holds.ConfirmHold(Caller(), confirm, &hold).code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(replica.holds.SweepDueHolds(clock_.Now(), 10).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(replica.ledger.GetStockLine("stk_1").status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(HoldsTest, NoPersonalDataLeavesTheResponderRecord) {
  PutResponder("rsp_1");
  PutResponder("rsp_2");
  PutTeam("team_1", 1, {"rsp_2"});
  auto held = Place(ResponderHold("h-1", "rsp_1", 10, 12));
  ASSERT_TRUE(held.ok());
  ASSERT_TRUE(Confirm("c-1", held->id()).ok());
  EXPECT_FALSE(Place(ResponderHold("h-2", "rsp_1", 11, 12)).ok());  // a stored refusal
  ASSERT_TRUE(Place(TeamHold("h-3", "team_1", 10, 12)).ok());
  std::string everything;
  std::string cursor = "0";
  do {
    auto scan = replica_->redis.Command({"SCAN", cursor, "COUNT", "1000"});
    ASSERT_TRUE(scan.ok());
    cursor = scan->elements()[0].str();
    for (const Reply& key : scan->elements()[1].elements()) {
      if (absl::StartsWith(key.str(), "inv:rsp:")) continue;
      everything += key.str();
      const std::string type = replica_->redis.Command({"TYPE", key.str()})->str();
      std::vector<std::string> read;
      if (type == "hash") read = {"HGETALL", key.str()};
      if (type == "zset") read = {"ZRANGE", key.str(), "0", "-1"};
      if (type == "stream") read = {"XRANGE", key.str(), "-", "+"};
      if (type == "string") read = {"GET", key.str()};
      if (read.empty()) continue;
      std::function<void(const Reply&)> append = [&](const Reply& r) {
        everything += r.str();
        for (const Reply& e : r.elements()) append(e);
      };
      append(*replica_->redis.Command(read));
    }
  } while (cursor != "0");
  EXPECT_FALSE(absl::StrContains(everything, kPrivateName));
  EXPECT_TRUE(absl::StrContains(everything, "rsp_1"));
}

// --- Races: many replicas at once; the outcome must be exactly what capacity allows ---

class HoldsRaceTest : public HoldsTest {
 protected:
  static constexpr int kThreads = 16;

  void SetUp() override {
    HoldsTest::SetUp();
    for (int t = 0; t < kThreads; ++t) replicas_.push_back(NewReplica(1));
  }

  // Runs `work(thread index, its replica)` on kThreads threads started together.
  void RunTogether(const std::function<void(int, Replica&)>& work) {
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        start.arrive_and_wait();
        work(t, *replicas_[t]);
      });
    }
    for (auto& thread : threads) thread.join();
  }

  std::vector<std::unique_ptr<Replica>> replicas_;
};

TEST_F(HoldsRaceTest, OneResponderOneWindowHasExactlyOneWinner) {
  for (int round = 0; round < 4; ++round) {
    const std::string responder = absl::StrCat("rsp_", round);
    PutResponder(responder);
    std::atomic<int> won{0};
    std::atomic<int> refused{0};
    RunTogether([&](int t, Replica& replica) {
      auto hold = Place(ResponderHold(absl::StrCat("r", round, "-t", t), responder, 10 + t % 3, 13),
                        &replica);
      if (hold.ok()) ++won;
      if (absl::IsFailedPrecondition(hold.status())) ++refused;
    });
    EXPECT_EQ(won.load(), 1) << responder;
    EXPECT_EQ(refused.load(), kThreads - 1) << responder;
    EXPECT_EQ(BookedHolds(responder).size(), 1u);
  }
  ExpectInvariants();
}

TEST_F(HoldsRaceTest, StockIsNeverHeldBeyondWhatIsAvailable) {
  OfferLine("stk_1", 10);
  std::atomic<int> next{0};
  std::atomic<int> won{0};
  std::atomic<int> other{0};
  RunTogether([&](int, Replica& replica) {
    for (int i = next++; i < 30; i = next++) {
      auto hold = Place(StockHold(absl::StrCat("s-", i), "stk_1", 1), &replica);
      if (hold.ok()) {
        ++won;
      } else if (!absl::IsFailedPrecondition(hold.status())) {
        ++other;
      }
    }
  });
  EXPECT_EQ(won.load(), 10);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(Counters("stk_1").available(), 0);
  EXPECT_EQ(Counters("stk_1").held(), 10);
  ExpectInvariants();
}

TEST_F(HoldsRaceTest, EverySlotIsPromisedExactlyOnce) {
  // 4 responders x 6 adjacent windows; every thread tries every slot in its own order.
  constexpr int kResponders = 4;
  constexpr int kSlots = 6;
  for (int r = 0; r < kResponders; ++r) PutResponder(absl::StrCat("rsp_", r));
  std::atomic<int> won{0};
  std::atomic<int> other{0};
  RunTogether([&](int t, Replica& replica) {
    std::vector<int> order(kResponders * kSlots);
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    std::shuffle(order.begin(), order.end(), std::mt19937(t));
    for (int slot : order) {
      const int r = slot / kSlots;
      const int s = slot % kSlots;
      auto hold = Place(
          ResponderHold(absl::StrCat("t", t, "-", slot), absl::StrCat("rsp_", r), 2 * s, 2 * s + 2),
          &replica);
      if (hold.ok()) {
        ++won;
      } else if (!absl::IsFailedPrecondition(hold.status())) {
        ++other;
      }
    }
  });
  EXPECT_EQ(won.load(), kResponders * kSlots);
  EXPECT_EQ(other.load(), 0);
  ExpectInvariants();
}

TEST_F(HoldsRaceTest, ATeamAndItsMembersAreNeverPromisedTwice) {
  for (int round = 0; round < 4; ++round) {
    const std::string a = absl::StrCat("rsp_a", round);
    const std::string b = absl::StrCat("rsp_b", round);
    const std::string team_id = absl::StrCat("team_", round);
    PutResponder(a);
    PutResponder(b);
    OfferLine(absl::StrCat("stk_", round), 1);
    PutTeam(team_id, 1, {a, b}, {{absl::StrCat("stk_", round), 1}});
    std::atomic<int> team_won{0};
    std::atomic<int> a_won{0};
    std::atomic<int> b_won{0};
    RunTogether([&](int t, Replica& replica) {
      const std::string id = absl::StrCat("r", round, "-t", t);
      switch (t % 3) {
        case 0:
          team_won += Place(TeamHold(id, team_id, 10, 12), &replica).ok() ? 1 : 0;
          break;
        case 1:
          a_won += Place(ResponderHold(id, a, 11, 13), &replica).ok() ? 1 : 0;
          break;
        default:
          b_won += Place(ResponderHold(id, b, 9, 11), &replica).ok() ? 1 : 0;
          break;
      }
    });
    // Either the team won (and neither member alone), or the team lost to a member; each
    // member is held at most once.
    EXPECT_LE(team_won.load(), 1);
    EXPECT_LE(a_won.load(), 1);
    EXPECT_LE(b_won.load(), 1);
    if (team_won.load() == 1) {
      EXPECT_EQ(a_won.load() + b_won.load(), 0);
    } else {
      EXPECT_EQ(a_won.load() + b_won.load(), 2) << "a member alone was refused for nothing";
    }
  }
  ExpectInvariants();
}

TEST_F(HoldsRaceTest, AMixOfEveryCallKeepsTheInvariants) {
  constexpr int kOpsPerThread = 100;
  const std::vector<std::string> responders = {"rsp_1", "rsp_2", "rsp_3", "rsp_4"};
  for (const auto& r : responders) PutResponder(r);
  PutTeam("team_1", 1, {"rsp_1", "rsp_2"}, {{"stk_1", 2}});
  PutTeam("team_2", 1, {"rsp_3", "rsp_4"}, {{"stk_2", 1}, {"stk_3", 1}});
  OfferLine("stk_1", 12);
  OfferLine("stk_2", 8);
  OfferLine("stk_3", 5);
  std::mutex mu;
  std::vector<std::string> hold_ids;  // every hold placed, for any thread to change
  std::atomic<int> unexpected{0};
  std::mutex errors_mu;
  std::vector<std::string> errors;

  RunTogether([&](int t, Replica& replica) {
    std::mt19937 random(1000 + t);
    auto pick = [&](int n) { return static_cast<int>(random() % n); };
    auto some_hold = [&]() -> std::string {
      std::lock_guard<std::mutex> lock(mu);
      return hold_ids.empty() ? "hld_000001" : hold_ids[random() % hold_ids.size()];
    };
    Principal caller = Caller(absl::StrCat("mob-", t));
    for (int op = 0; op < kOpsPerThread; ++op) {
      const std::string id = absl::StrCat("t", t, "-", op);
      const int from = pick(20);
      const int to = from + 1 + pick(4);
      absl::Status status;
      v1::Hold hold;
      switch (pick(9)) {
        case 0:
        case 1: {
          v1::HoldRequest request = ResponderHold(id, responders[pick(4)], from, to);
          request.mutable_ttl()->set_seconds(30 + pick(300));
          status = replica.holds.Hold(caller, request, &hold);
          break;
        }
        case 2: {
          v1::HoldRequest request = TeamHold(id, pick(2) ? "team_1" : "team_2", from, to);
          request.mutable_ttl()->set_seconds(30 + pick(300));
          status = replica.holds.Hold(caller, request, &hold);
          break;
        }
        case 3:
          status = replica.holds.Hold(
              caller, StockHold(id, absl::StrCat("stk_", 1 + pick(3)), 1 + pick(3)), &hold);
          break;
        case 4: {
          v1::ConfirmHoldRequest request;
          request.set_request_id(id);
          request.set_hold_id(some_hold());
          status = replica.holds.ConfirmHold(caller, request, &hold);
          break;
        }
        case 5: {
          v1::ReleaseHoldRequest request;
          request.set_request_id(id);
          request.set_hold_id(some_hold());
          status = replica.holds.ReleaseHold(caller, request, &hold);
          break;
        }
        case 6: {
          v1::ReleaseCommitmentRequest request;
          request.set_request_id(id);
          request.set_hold_id(some_hold());
          if (pick(2)) (*request.mutable_kit_used())["stk_1"] = pick(3);
          status = replica.holds.ReleaseCommitment(caller, request, &hold);
          break;
        }
        case 7: {
          v1::ExtendCommitmentRequest request;
          request.set_request_id(id);
          request.set_hold_id(some_hold());
          *request.mutable_new_end() = ToProtoTime(T(to + 3));
          status = replica.holds.ExtendCommitment(caller, request, &hold);
          break;
        }
        default: {
          if (t == 0) clock_.Advance(absl::Seconds(40));
          if (pick(2)) {
            status = replica.holds.SweepDueHolds(clock_.Now(), 5).status();
          } else {
            v1::ConsumeCommitmentRequest request;
            request.set_request_id(id);
            request.set_hold_id(some_hold());
            request.set_quantity_used(pick(3));
            status = replica.holds.ConsumeCommitment(caller, request, &hold);
          }
          break;
        }
      }
      if (status.ok() && !hold.id().empty()) {
        std::lock_guard<std::mutex> lock(mu);
        hold_ids.push_back(hold.id());
      }
      // Refusals, unknown holds, out-of-range kit or end, and lost races are all fair answers.
      if (!status.ok() && !absl::IsFailedPrecondition(status) && !absl::IsNotFound(status) &&
          !absl::IsInvalidArgument(status) && !absl::IsAborted(status)) {
        ++unexpected;
        std::lock_guard<std::mutex> lock(errors_mu);
        errors.push_back(status.ToString());
      }
    }
  });
  EXPECT_EQ(unexpected.load(), 0) << (errors.empty() ? "" : errors.front());
  auto report = CheckLedgerInvariants(replica_->redis);
  EXPECT_TRUE(report.ok()) << report.Describe();
  int holds_seen = 0;
  for (const auto& [state, n] : report.holds_by_state) holds_seen += n;
  EXPECT_GT(holds_seen, 0);

  // And after every hold has been swept or ended, everything is free again.
  clock_.Advance(absl::Hours(1));
  while (*holds().SweepDueHolds(clock_.Now(), 100) > 0) {
  }
  for (const std::string& id : hold_ids) {
    (void)EndCommitment("end-" + id, id);
  }
  report = CheckLedgerInvariants(replica_->redis);
  EXPECT_TRUE(report.ok()) << report.Describe();
  EXPECT_EQ(report.bookings, 0);
  EXPECT_EQ(Counters("stk_1").held() + Counters("stk_1").committed(), 0);
}

}  // namespace
}  // namespace relais::inventory
