#include "services/inventory/holds_domain.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/runtime/proto_time.h"

namespace relais::inventory {
namespace {

namespace v1 = ::relais::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const absl::Status& StatusOf(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& value) {
  return value.status();
}

MATCHER_P2(HasCodeAndPrefix, code, prefix, "") {
  const absl::Status& status = StatusOf(arg);
  *result_listener << "status is " << status.ToString();
  return status.code() == code && absl::StartsWith(status.message(), prefix);
}

// INVALID_ARGUMENT whose message starts with "<path>: ".
auto IsInvalidAt(const std::string& path) {
  return HasCodeAndPrefix(absl::StatusCode::kInvalidArgument, path + ": ");
}

MATCHER_P(IsRefusal, text, "") {
  const absl::Status& status = StatusOf(arg);
  *result_listener << "status is " << status.ToString();
  return status.code() == absl::StatusCode::kFailedPrecondition && status.message() == text;
}

const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 11, 20, 8, 0, 0), absl::UTCTimeZone());

void SetWindow(v1::TimeWindow* window, absl::Time start, absl::Time end) {
  *window->mutable_start() = ToProtoTime(start);
  *window->mutable_end() = ToProtoTime(end);
}

v1::HoldRequest ResponderRequest() {
  v1::HoldRequest request;
  request.set_request_id("req-1");
  request.set_responder_id("rsp_1");
  SetWindow(request.mutable_window(), kNow + absl::Hours(2), kNow + absl::Hours(26));
  request.set_holder_ref("mob:req_01/a");
  return request;
}

v1::HoldRequest StockRequest() {
  v1::HoldRequest request;
  request.set_request_id("req-2");
  request.set_stock_line_id("stk_1");
  request.set_quantity(5);
  request.set_holder_ref("mob:req_02");
  return request;
}

// Each case breaks one field of a valid request and names the path it must report.
struct FieldCase {
  std::string path;
  std::function<void(v1::HoldRequest&)> breaks;
};

TEST(ValidateHoldTest, ValidRequestsPass) {
  EXPECT_TRUE(ValidateHold(ResponderRequest(), kNow).ok());
  EXPECT_TRUE(ValidateHold(StockRequest(), kNow).ok());
  v1::HoldRequest team = ResponderRequest();
  team.set_team_id("team_1");
  team.mutable_ttl()->set_seconds(7 * 24 * 3600);
  EXPECT_TRUE(ValidateHold(team, kNow).ok());
  // A window that started already but has not ended can be held.
  v1::HoldRequest started = ResponderRequest();
  SetWindow(started.mutable_window(), kNow - absl::Hours(1), kNow + absl::Minutes(1));
  EXPECT_TRUE(ValidateHold(started, kNow).ok());
  v1::HoldRequest short_ttl = StockRequest();
  short_ttl.mutable_ttl()->set_seconds(1);
  EXPECT_TRUE(ValidateHold(short_ttl, kNow).ok());
}

TEST(ValidateHoldTest, EveryInvalidFieldIsNamed) {
  const std::vector<FieldCase> responder_cases = {
      {"request_id", [](auto& r) { r.clear_request_id(); }},
      {"request_id", [](auto& r) { r.set_request_id("has space"); }},
      {"request_id", [](auto& r) { r.set_request_id("a/b"); }},
      {"request_id", [](auto& r) { r.set_request_id(std::string(129, 'a')); }},
      {"target", [](auto& r) { r.clear_target(); }},
      {"responder_id", [](auto& r) { r.set_responder_id(""); }},
      {"responder_id", [](auto& r) { r.set_responder_id("rsp 1"); }},
      {"team_id", [](auto& r) { r.set_team_id("team/1"); }},
      {"window", [](auto& r) { r.clear_window(); }},
      {"window.start", [](auto& r) { r.mutable_window()->clear_start(); }},
      {"window.end", [](auto& r) { r.mutable_window()->clear_end(); }},
      {"window.start", [](auto& r) { r.mutable_window()->mutable_start()->set_seconds(5); }},
      {"window.start", [](auto& r) { r.mutable_window()->mutable_start()->set_nanos(-1); }},
      {"window.end",
       [](auto& r) { r.mutable_window()->mutable_end()->set_seconds(9'000'000'000); }},
      {"window.end", [](auto& r) { *r.mutable_window()->mutable_end() = r.window().start(); }},
      {"window.end",
       [](auto& r) {
         SetWindow(r.mutable_window(), kNow + absl::Hours(3), kNow + absl::Hours(2));
       }},
      {"window.end",
       [](auto& r) {
         SetWindow(r.mutable_window(), kNow, kNow + absl::Hours(24 * 400) + absl::Seconds(1));
       }},
      {"window.end", [](auto& r) { SetWindow(r.mutable_window(), kNow - absl::Hours(3), kNow); }},
      // Below a millisecond, the window is empty once truncated to what is booked.
      {"window.end",
       [](auto& r) {
         SetWindow(r.mutable_window(), kNow + absl::Hours(1),
                   kNow + absl::Hours(1) + absl::Microseconds(300));
       }},
      {"quantity", [](auto& r) { r.set_quantity(3); }},
      {"holder_ref", [](auto& r) { r.clear_holder_ref(); }},
      {"holder_ref", [](auto& r) { r.set_holder_ref("mob req"); }},
      {"holder_ref", [](auto& r) { r.set_holder_ref(std::string(129, 'x')); }},
      {"ttl", [](auto& r) { r.mutable_ttl()->set_nanos(999'000'000); }},
      {"ttl", [](auto& r) { r.mutable_ttl()->set_seconds(7 * 24 * 3600 + 1); }},
      {"ttl", [](auto& r) { r.mutable_ttl()->set_seconds(-5); }},
      {"ttl",
       [](auto& r) {
         r.mutable_ttl()->set_seconds(10);
         r.mutable_ttl()->set_nanos(-5);
       }},
  };
  for (const FieldCase& c : responder_cases) {
    v1::HoldRequest request = ResponderRequest();
    c.breaks(request);
    EXPECT_THAT(ValidateHold(request, kNow), IsInvalidAt(c.path)) << c.path;
  }
  const std::vector<FieldCase> stock_cases = {
      {"stock_line_id", [](auto& r) { r.set_stock_line_id(std::string(65, 's')); }},
      {"window", [](auto& r) { SetWindow(r.mutable_window(), kNow, kNow + absl::Hours(1)); }},
      {"quantity", [](auto& r) { r.set_quantity(0); }},
      {"quantity", [](auto& r) { r.set_quantity(-1); }},
      {"quantity", [](auto& r) { r.set_quantity(1'000'001); }},
  };
  for (const FieldCase& c : stock_cases) {
    v1::HoldRequest request = StockRequest();
    c.breaks(request);
    EXPECT_THAT(ValidateHold(request, kNow), IsInvalidAt(c.path)) << c.path;
  }
}

TEST(ValidateHoldBatchTest, NamesTheItemAndIgnoresItsRequestId) {
  v1::HoldBatchRequest batch;
  batch.set_request_id("batch-1");
  EXPECT_THAT(ValidateHoldBatch(batch, kNow), IsInvalidAt("items"));
  *batch.add_items() = ResponderRequest();
  *batch.add_items() = StockRequest();
  batch.mutable_items(1)->set_request_id("not an id, ignored");
  EXPECT_TRUE(ValidateHoldBatch(batch, kNow).ok());

  batch.mutable_items(1)->set_quantity(0);
  EXPECT_THAT(ValidateHoldBatch(batch, kNow), IsInvalidAt("items[1].quantity"));
  batch.mutable_items(1)->set_quantity(2);
  batch.mutable_items(0)->mutable_window()->clear_end();
  EXPECT_THAT(ValidateHoldBatch(batch, kNow), IsInvalidAt("items[0].window.end"));
  batch.mutable_items(0)->clear_target();
  EXPECT_THAT(ValidateHoldBatch(batch, kNow), IsInvalidAt("items[0].target"));

  v1::HoldBatchRequest too_many;
  too_many.set_request_id("batch-2");
  for (int i = 0; i < kMaxBatchItems + 1; ++i) *too_many.add_items() = StockRequest();
  EXPECT_THAT(ValidateHoldBatch(too_many, kNow), IsInvalidAt("items"));
  too_many.clear_request_id();
  EXPECT_THAT(ValidateHoldBatch(too_many, kNow), IsInvalidAt("request_id"));
}

TEST(ValidateHoldBatchTest, BatchItemCarriesTheDerivedRequestId) {
  v1::HoldBatchRequest batch;
  batch.set_request_id("round-7");
  *batch.add_items() = ResponderRequest();
  *batch.add_items() = StockRequest();
  EXPECT_EQ(BatchItem(batch, 1).request_id(), "round-7/1");
  EXPECT_EQ(BatchItem(batch, 1).stock_line_id(), "stk_1");
  EXPECT_EQ(BatchItem(batch, 0).request_id(), "round-7/0");
}

TEST(ValidateOtherRequestsTest, EveryInvalidFieldIsNamed) {
  v1::GetHoldRequest get;
  EXPECT_THAT(ValidateGetHold(get), IsInvalidAt("hold_id"));
  get.set_hold_id("hld_1");
  EXPECT_TRUE(ValidateGetHold(get).ok());

  v1::ConfirmHoldRequest confirm;
  confirm.set_hold_id("hld_1");
  EXPECT_THAT(ValidateConfirmHold(confirm), IsInvalidAt("request_id"));
  confirm.set_request_id("c-1");
  EXPECT_TRUE(ValidateConfirmHold(confirm).ok());
  confirm.set_hold_id("hld 1");
  EXPECT_THAT(ValidateConfirmHold(confirm), IsInvalidAt("hold_id"));

  v1::ReleaseHoldRequest release;
  release.set_request_id("r-1");
  EXPECT_THAT(ValidateReleaseHold(release), IsInvalidAt("hold_id"));
  release.set_hold_id("hld_1");
  EXPECT_TRUE(ValidateReleaseHold(release).ok());
  release.set_request_id("");
  EXPECT_THAT(ValidateReleaseHold(release), IsInvalidAt("request_id"));

  v1::ReleaseCommitmentRequest end;
  end.set_request_id("e-1");
  end.set_hold_id("hld_1");
  end.set_reason("demobilised");
  (*end.mutable_kit_used())["stk_1"] = 3;
  EXPECT_TRUE(ValidateReleaseCommitment(end).ok());
  end.set_reason(std::string(201, 'r'));
  EXPECT_THAT(ValidateReleaseCommitment(end), IsInvalidAt("reason"));
  end.set_reason("line\nbreak");
  EXPECT_THAT(ValidateReleaseCommitment(end), IsInvalidAt("reason"));
  end.clear_reason();
  (*end.mutable_kit_used())["stk_1"] = -1;
  EXPECT_THAT(ValidateReleaseCommitment(end), IsInvalidAt("kit_used[stk_1]"));
  end.mutable_kit_used()->clear();
  // A key that is not an id is quoted in the message, never made part of the path: it could
  // hold a line break (found by tests/fuzz).
  (*end.mutable_kit_used())["stk 2"] = 1;
  EXPECT_THAT(ValidateReleaseCommitment(end), IsInvalidAt("kit_used"));
  end.mutable_kit_used()->clear();
  (*end.mutable_kit_used())["stk\n3"] = 1;
  EXPECT_THAT(ValidateReleaseCommitment(end), IsInvalidAt("kit_used"));
  EXPECT_FALSE(absl::StrContains(ValidateReleaseCommitment(end).message(), "\n"));
  end.mutable_kit_used()->clear();
  for (int i = 0; i < kMaxKitUsedLines + 1; ++i) {
    (*end.mutable_kit_used())["stk_" + std::to_string(i)] = 1;
  }
  EXPECT_THAT(ValidateReleaseCommitment(end), IsInvalidAt("kit_used"));
  end.mutable_kit_used()->clear();
  end.clear_hold_id();
  EXPECT_THAT(ValidateReleaseCommitment(end), IsInvalidAt("hold_id"));

  v1::ExtendCommitmentRequest extend;
  extend.set_request_id("x-1");
  extend.set_hold_id("hld_1");
  EXPECT_THAT(ValidateExtendCommitment(extend), IsInvalidAt("new_end"));
  extend.mutable_new_end()->set_seconds(12);
  EXPECT_THAT(ValidateExtendCommitment(extend), IsInvalidAt("new_end"));
  *extend.mutable_new_end() = ToProtoTime(kNow + absl::Hours(48));
  EXPECT_TRUE(ValidateExtendCommitment(extend).ok());
  extend.set_hold_id("");
  EXPECT_THAT(ValidateExtendCommitment(extend), IsInvalidAt("hold_id"));

  v1::ConsumeCommitmentRequest consume;
  consume.set_request_id("u-1");
  consume.set_hold_id("hld_1");
  EXPECT_TRUE(ValidateConsumeCommitment(consume).ok());  // 0 = all of it
  consume.set_quantity_used(-2);
  EXPECT_THAT(ValidateConsumeCommitment(consume), IsInvalidAt("quantity_used"));
  consume.set_quantity_used(2);
  consume.set_request_id("bad id");
  EXPECT_THAT(ValidateConsumeCommitment(consume), IsInvalidAt("request_id"));
}

// --- New holds ---

TEST(NewHoldTest, ResponderHoldIsHeldForItsWindowToTheMillisecond) {
  v1::HoldRequest request = ResponderRequest();
  const absl::Time start = kNow + absl::Hours(2) + absl::Microseconds(1500);
  SetWindow(request.mutable_window(), start, kNow + absl::Hours(26) + absl::Nanoseconds(999));
  const absl::Time now = kNow + absl::Nanoseconds(123);
  v1::Hold hold = NewResponderHold(request, "hld_1", "org_1", now);
  EXPECT_EQ(hold.id(), "hld_1");
  EXPECT_EQ(hold.version(), 1);
  EXPECT_EQ(hold.kind(), v1::HOLD_KIND_RESPONDER);
  EXPECT_EQ(hold.state(), v1::HOLD_STATE_HELD);
  EXPECT_EQ(hold.organisation_id(), "org_1");
  EXPECT_EQ(hold.responder_id(), "rsp_1");
  EXPECT_THAT(hold.member_ids(), ElementsAre("rsp_1"));
  EXPECT_EQ(hold.stock_size(), 0);
  EXPECT_EQ(FromProtoTime(hold.window().start()), kNow + absl::Hours(2) + absl::Milliseconds(1));
  EXPECT_EQ(FromProtoTime(hold.window().end()), kNow + absl::Hours(26));
  EXPECT_EQ(hold.holder_ref(), "mob:req_01/a");
  EXPECT_EQ(FromProtoTime(hold.expires_at()), kNow + absl::Minutes(15));  // default ttl
  EXPECT_EQ(FromProtoTime(hold.created_at()), now);
  EXPECT_EQ(FromProtoTime(hold.updated_at()), now);

  request.mutable_ttl()->set_seconds(90);
  EXPECT_EQ(FromProtoTime(NewResponderHold(request, "hld_2", "org_1", kNow).expires_at()),
            kNow + absl::Seconds(90));
}

TEST(NewHoldTest, TeamHoldTakesMembersAndKitAsTheyAre) {
  v1::Team team;
  team.set_id("team_1");
  team.set_version(4);
  team.set_organisation_id("org_2");
  team.add_member_ids("rsp_1");
  team.add_member_ids("rsp_2");
  team.add_member_ids("rsp_1");
  auto* kit = team.add_kit();
  kit->set_stock_line_id("stk_1");
  kit->set_quantity(2);
  kit = team.add_kit();
  kit->set_stock_line_id("stk_2");
  kit->set_quantity(1);
  kit = team.add_kit();
  kit->set_stock_line_id("stk_1");
  kit->set_quantity(3);
  v1::HoldRequest request = ResponderRequest();
  request.set_team_id("team_1");
  v1::Hold hold = NewTeamHold(request, "hld_3", team, kNow);
  EXPECT_EQ(hold.kind(), v1::HOLD_KIND_TEAM);
  EXPECT_EQ(hold.team_id(), "team_1");
  EXPECT_EQ(hold.responder_id(), "");
  EXPECT_EQ(hold.organisation_id(), "org_2");
  EXPECT_THAT(hold.member_ids(), ElementsAre("rsp_1", "rsp_2"));
  ASSERT_EQ(hold.stock_size(), 2);
  EXPECT_EQ(hold.stock(0).stock_line_id(), "stk_1");
  EXPECT_EQ(hold.stock(0).quantity(), 5);
  EXPECT_EQ(hold.stock(1).stock_line_id(), "stk_2");
  EXPECT_EQ(hold.stock(1).quantity(), 1);
  EXPECT_TRUE(hold.has_window());
}

TEST(NewHoldTest, StockHoldHasNoWindow) {
  v1::StockLine line;
  line.set_id("stk_1");
  line.set_organisation_id("org_3");
  v1::Hold hold = NewStockHold(StockRequest(), "hld_4", line, kNow);
  EXPECT_EQ(hold.kind(), v1::HOLD_KIND_STOCK);
  EXPECT_EQ(hold.organisation_id(), "org_3");
  EXPECT_FALSE(hold.has_window());
  EXPECT_EQ(hold.member_ids_size(), 0);
  ASSERT_EQ(hold.stock_size(), 1);
  EXPECT_EQ(hold.stock(0).stock_line_id(), "stk_1");
  EXPECT_EQ(hold.stock(0).quantity(), 5);
  EXPECT_EQ(hold.stock(0).consumed(), 0);
}

TEST(NewHoldTest, ExpiredStockLinesAreRefused) {
  v1::StockLine line;
  line.set_id("stk_9");
  EXPECT_TRUE(CheckStockLineUsable(line, kNow).ok());  // does not expire
  *line.mutable_expires_at() = ToProtoTime(kNow + absl::Hours(1));
  EXPECT_TRUE(CheckStockLineUsable(line, kNow).ok());
  *line.mutable_expires_at() = ToProtoTime(kNow - absl::Hours(24));
  EXPECT_THAT(CheckStockLineUsable(line, kNow),
              IsRefusal("stock line stk_9 expired on 2026-11-19T08:00:00Z"));
}

// --- Transitions ---

v1::Hold Held(v1::HoldKind kind = v1::HOLD_KIND_RESPONDER) {
  v1::HoldRequest request = ResponderRequest();
  if (kind == v1::HOLD_KIND_STOCK)
    return NewStockHold(
        StockRequest(), "hld_x",
        [] {
          v1::StockLine line;
          line.set_id("stk_1");
          line.set_organisation_id("org_1");
          return line;
        }(),
        kNow);
  if (kind == v1::HOLD_KIND_TEAM) {
    v1::Team team;
    team.set_id("team_1");
    team.set_organisation_id("org_1");
    team.add_member_ids("rsp_1");
    team.add_member_ids("rsp_2");
    auto* kit = team.add_kit();
    kit->set_stock_line_id("stk_1");
    kit->set_quantity(4);
    return NewTeamHold(request, "hld_x", team, kNow);
  }
  return NewResponderHold(request, "hld_x", "org_1", kNow);
}

v1::Hold Committed(v1::HoldKind kind = v1::HOLD_KIND_RESPONDER) {
  auto hold = ConfirmHold(Held(kind), kNow + absl::Minutes(1));
  EXPECT_TRUE(hold.ok()) << hold.status();
  return *hold;
}

TEST(TransitionTest, ConfirmTurnsAHeldHoldIntoACommitment) {
  const absl::Time later = kNow + absl::Minutes(14);
  auto next = ConfirmHold(Held(), later);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->state(), v1::HOLD_STATE_COMMITTED);
  EXPECT_EQ(next->version(), 2);
  EXPECT_EQ(FromProtoTime(next->updated_at()), later);
  EXPECT_FALSE(next->has_expires_at());
  EXPECT_EQ(next->window().end().seconds(), Held().window().end().seconds());

  EXPECT_THAT(ConfirmHold(*next, later), IsRefusal("hold hld_x is COMMITTED, not HELD"));
  EXPECT_THAT(ConfirmHold(Held(), kNow + absl::Minutes(15)),
              IsRefusal("hold hld_x expired at 2026-11-20T08:15:00Z; place a new hold"));
}

TEST(TransitionTest, ReleaseAndExpireFreeOnlyHeldHolds) {
  auto released = ReleaseHold(Held(), kNow + absl::Hours(1));  // even past its ttl
  ASSERT_TRUE(released.ok());
  EXPECT_EQ(released->state(), v1::HOLD_STATE_RELEASED);
  EXPECT_EQ(released->version(), 2);
  EXPECT_THAT(ReleaseHold(*released, kNow), IsRefusal("hold hld_x is RELEASED, not HELD"));
  EXPECT_THAT(ReleaseHold(Committed(), kNow), IsRefusal("hold hld_x is COMMITTED, not HELD"));

  EXPECT_EQ(ExpireHold(Held(), kNow + absl::Minutes(14)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  auto expired = ExpireHold(Held(), kNow + absl::Minutes(15));
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(expired->state(), v1::HOLD_STATE_EXPIRED);
  EXPECT_THAT(ExpireHold(Committed(), kNow + absl::Hours(1)),
              IsRefusal("hold hld_x is COMMITTED, not HELD"));
  EXPECT_TRUE(HasExpired(Held(), kNow + absl::Minutes(15)));
  EXPECT_FALSE(HasExpired(Committed(), kNow + absl::Hours(100)));
}

TEST(TransitionTest, ReleaseCommitmentRecordsReasonAndKitUsed) {
  v1::ReleaseCommitmentRequest request;
  request.set_reason("demobilised");
  auto released = ReleaseCommitment(Committed(), request, kNow);
  ASSERT_TRUE(released.ok());
  EXPECT_EQ(released->state(), v1::HOLD_STATE_RELEASED);
  EXPECT_EQ(released->release_reason(), "demobilised");
  EXPECT_EQ(released->version(), 3);
  EXPECT_THAT(ReleaseCommitment(Held(), request, kNow),
              IsRefusal("hold hld_x is HELD, not COMMITTED"));

  (*request.mutable_kit_used())["stk_1"] = 3;
  EXPECT_THAT(ReleaseCommitment(Committed(), request, kNow), IsInvalidAt("kit_used"));
  EXPECT_THAT(ReleaseCommitment(Committed(v1::HOLD_KIND_STOCK), request, kNow),
              IsInvalidAt("kit_used"));
  auto team = ReleaseCommitment(Committed(v1::HOLD_KIND_TEAM), request, kNow);
  ASSERT_TRUE(team.ok()) << team.status();
  EXPECT_EQ(team->stock(0).consumed(), 3);
  (*request.mutable_kit_used())["stk_1"] = 5;
  EXPECT_THAT(ReleaseCommitment(Committed(v1::HOLD_KIND_TEAM), request, kNow),
              IsInvalidAt("kit_used[stk_1]"));
  request.mutable_kit_used()->clear();
  (*request.mutable_kit_used())["stk_7"] = 1;
  EXPECT_THAT(ReleaseCommitment(Committed(v1::HOLD_KIND_TEAM), request, kNow),
              IsInvalidAt("kit_used[stk_7]"));
}

TEST(TransitionTest, ExtendMovesOnlyTheEndOfAResponderCommitment) {
  const v1::Hold current = Committed();
  const absl::Time end = FromProtoTime(current.window().end());
  v1::ExtendCommitmentRequest request;
  *request.mutable_new_end() = ToProtoTime(end + absl::Hours(24) + absl::Microseconds(10));
  auto next = ExtendCommitment(current, request, kNow);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->state(), v1::HOLD_STATE_COMMITTED);
  EXPECT_EQ(next->version(), current.version() + 1);
  EXPECT_EQ(FromProtoTime(next->window().end()), end + absl::Hours(24));
  EXPECT_EQ(next->window().start().seconds(), current.window().start().seconds());

  *request.mutable_new_end() = ToProtoTime(end);
  EXPECT_THAT(ExtendCommitment(current, request, kNow), IsInvalidAt("new_end"));
  *request.mutable_new_end() =
      ToProtoTime(FromProtoTime(current.window().start()) + absl::Hours(24 * 400 + 1));
  EXPECT_THAT(ExtendCommitment(current, request, kNow), IsInvalidAt("new_end"));
  *request.mutable_new_end() = ToProtoTime(end + absl::Hours(1));
  EXPECT_THAT(ExtendCommitment(Held(), request, kNow),
              IsRefusal("hold hld_x is HELD, not COMMITTED"));
  EXPECT_EQ(ExtendCommitment(Committed(v1::HOLD_KIND_STOCK), request, kNow).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(ExtendCommitment(Committed(v1::HOLD_KIND_TEAM), request, kNow).ok());
}

TEST(TransitionTest, ConsumeRecordsWhatWasUsed) {
  v1::ConsumeCommitmentRequest request;
  request.set_quantity_used(2);
  auto partial = ConsumeCommitment(Committed(v1::HOLD_KIND_STOCK), request, kNow);
  ASSERT_TRUE(partial.ok()) << partial.status();
  EXPECT_EQ(partial->state(), v1::HOLD_STATE_CONSUMED);
  EXPECT_EQ(partial->stock(0).quantity(), 5);
  EXPECT_EQ(partial->stock(0).consumed(), 2);

  request.set_quantity_used(0);
  auto all = ConsumeCommitment(Committed(v1::HOLD_KIND_STOCK), request, kNow);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->stock(0).consumed(), 5);

  request.set_quantity_used(6);
  EXPECT_THAT(ConsumeCommitment(Committed(v1::HOLD_KIND_STOCK), request, kNow),
              IsInvalidAt("quantity_used"));
  request.set_quantity_used(1);
  EXPECT_THAT(ConsumeCommitment(Held(v1::HOLD_KIND_STOCK), request, kNow),
              IsRefusal("hold hld_x is HELD, not COMMITTED"));
  EXPECT_THAT(ConsumeCommitment(Committed(), request, kNow),
              IsRefusal("hold hld_x is not a stock commitment"));
  EXPECT_THAT(ConsumeCommitment(*partial, request, kNow),
              IsRefusal("hold hld_x is CONSUMED, not COMMITTED"));
}

TEST(HoldEventTest, CarriesIdsOnly) {
  Principal caller;
  caller.id = "mob-1";
  const v1::Hold team = Held(v1::HOLD_KIND_TEAM);
  v1::Event event = HoldEvent(v1::EVENT_TYPE_HOLD_PLACED, team, caller, "req-1", kNow);
  EXPECT_EQ(event.type(), v1::EVENT_TYPE_HOLD_PLACED);
  EXPECT_EQ(event.service(), "inventory");
  EXPECT_EQ(event.principal_id(), "mob-1");
  EXPECT_EQ(event.request_id(), "req-1");
  EXPECT_EQ(event.subject_id(), "hld_x");
  EXPECT_EQ(event.hold_id(), "hld_x");
  EXPECT_EQ(event.subject_version(), 1);
  EXPECT_EQ(event.organisation_id(), "org_1");
  EXPECT_EQ(event.team_id(), "team_1");
  EXPECT_EQ(event.responder_id(), "");
  EXPECT_THAT(event.responder_ids(), ElementsAre("rsp_1", "rsp_2"));
  EXPECT_EQ(event.stock_line_id(), "");
  EXPECT_EQ(FromProtoTime(event.time()), kNow);

  event = HoldEvent(v1::EVENT_TYPE_HOLD_CONFIRMED, Committed(), caller, "req-2", kNow);
  EXPECT_EQ(event.responder_id(), "rsp_1");
  EXPECT_THAT(event.responder_ids(), ElementsAre("rsp_1"));
  EXPECT_EQ(event.subject_version(), 2);

  v1::ConsumeCommitmentRequest consume;
  consume.set_quantity_used(2);
  auto consumed = ConsumeCommitment(Committed(v1::HOLD_KIND_STOCK), consume, kNow);
  ASSERT_TRUE(consumed.ok());
  event = HoldEvent(v1::EVENT_TYPE_COMMITMENT_CONSUMED, *consumed, caller, "req-3", kNow);
  EXPECT_EQ(event.stock_line_id(), "stk_1");
  EXPECT_EQ(event.quantity(), 2);
  event = HoldEvent(v1::EVENT_TYPE_HOLD_PLACED, Held(v1::HOLD_KIND_STOCK), caller, "req-4", kNow);
  EXPECT_EQ(event.quantity(), 5);
  EXPECT_EQ(event.responder_ids_size(), 0);
}

}  // namespace
}  // namespace relais::inventory
