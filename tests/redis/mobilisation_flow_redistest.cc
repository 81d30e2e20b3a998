// The mobilisation journey end to end over gRPC, all three services on one real redis-server:
// a coordinator declares a heatwave with a need for nurses, proposes candidates, mobilises; some
// accept, one declines, one never answers, one withdraws; escalation fills the need, the surplus
// is cancelled, deadlines pass on the FakeClock, people go on site and are released with their
// experience recorded. After each step the inventory's holds and commitments match the requests
// and assignments exactly; also after the mobilisation service is killed mid-chain.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "services/runtime/redis/event_log.h"
#include "tests/support/mobilisation_invariants.h"
#include "tests/support/mobilisation_stack.h"

namespace relais::mobilisation {
namespace {

namespace v1 = ::relais::v1;
using ::relais::testing::DecemberDay;
using ::relais::testing::MobilisationStack;

std::vector<std::string> TargetsOf(const v1::MobiliseResponse& response) {
  std::vector<std::string> out;
  for (const auto& r : response.requests()) out.push_back(r.responder_id());
  return out;
}

class MobilisationFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_.RegisterOrganisation();
    // Eight nurses, 1 km, 2 km, ... east of Lyon's centre: the ranking follows that order.
    for (int i = 1; i <= 8; ++i) stack_.RegisterNurse("n" + std::to_string(i), i);
    stack_.DeclareHeatwave(2);
  }

  void CheckInvariants() {
    stack_.Settle();
    relais::testing::ExpectHoldsMatchAssignments(stack_.Inspector());
  }

  std::vector<v1::EventType> EventTypesSince(const std::string& cursor) {
    EventLog log(stack_.Inspector());
    auto events = log.ReadAfter(cursor, 1000);
    EXPECT_TRUE(events.ok());
    std::vector<v1::EventType> out;
    for (const auto& e : *events) out.push_back(e.type());
    return out;
  }

  MobilisationStack stack_;
};

TEST_F(MobilisationFlowTest, FromNeedToReleaseWithEscalationAndSurplus) {
  const auto& n = stack_.nurses;

  // Candidates, ranked with reasons: nearest first, none asked yet.
  v1::ProposeCandidatesRequest propose;
  propose.set_crisis_id(stack_.crisis_id);
  propose.set_need_id(stack_.need_id);
  propose.set_limit(5);
  v1::ProposeCandidatesResponse candidates;
  ASSERT_TRUE(
      stack_.stub->ProposeCandidates(MobilisationStack::Coordinator().get(), propose, &candidates)
          .ok());
  ASSERT_EQ(candidates.candidates_size(), 5);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(candidates.candidates(i).responder_id(), n[i]);
    EXPECT_EQ(candidates.candidates(i).rank(), i + 1);
  }
  EXPECT_EQ(candidates.candidates(0).reasons(0), "level 3 in nurse");
  EXPECT_EQ(candidates.already_asked(), 0);

  // Mobilise 2 nurses, asking twice as many: the four nearest are held and asked.
  v1::MobiliseResponse sent = stack_.Mobilise("mobilise-1", 2.0);
  EXPECT_EQ(TargetsOf(sent), (std::vector<std::string>{n[0], n[1], n[2], n[3]}));
  EXPECT_EQ(sent.progress().requested(), 4);
  for (const auto& r : sent.requests()) {
    EXPECT_EQ(r.state(), v1::REQUEST_STATE_REQUESTED);
    EXPECT_EQ(stack_.HoldOf(r.hold_id()).state(), v1::HOLD_STATE_HELD);
    // EXPECTED urgency: two hours to answer.
    EXPECT_EQ(FromProtoTime(r.respond_by()), stack_.clock.Now() + absl::Hours(2));
  }
  // A retry of the same call sends nothing more.
  v1::MobiliseResponse again = stack_.Mobilise("mobilise-1", 2.0);
  EXPECT_EQ(TargetsOf(again), TargetsOf(sent));
  EXPECT_EQ(stack_.Requests().size(), 4u);
  CheckInvariants();

  // n1 accepts: an assignment, the hold becomes a commitment.
  v1::MobilisationRequest answered;
  ASSERT_TRUE(stack_.Respond(sent.requests(0).id(), n[0], v1::ANSWER_ACCEPT, &answered).ok());
  EXPECT_EQ(answered.state(), v1::REQUEST_STATE_ACCEPTED);
  ASSERT_FALSE(answered.assignment_id().empty());
  EXPECT_EQ(stack_.HoldOf(answered.hold_id()).state(), v1::HOLD_STATE_COMMITTED);
  // Someone else cannot answer for n2.
  grpc::Status denied = stack_.Respond(sent.requests(1).id(), n[0], v1::ANSWER_ACCEPT, &answered);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // n2 declines: the hold is released; 1 accepted + 2 pending already cover 1 x 2, so nobody
  // new is asked.
  ASSERT_TRUE(
      stack_.Respond(sent.requests(1).id(), n[1], v1::ANSWER_DECLINE, &answered, "en congé").ok());
  EXPECT_EQ(answered.state(), v1::REQUEST_STATE_DECLINED);
  EXPECT_EQ(stack_.HoldOf(answered.hold_id()).state(), v1::HOLD_STATE_RELEASED);
  EXPECT_EQ(stack_.Requests().size(), 4u);
  CheckInvariants();

  // n3 never answers. n4 accepts: the need is covered, n3's request is cancelled as surplus.
  ASSERT_TRUE(stack_.Respond(sent.requests(3).id(), n[3], v1::ANSWER_ACCEPT, &answered).ok());
  v1::NeedProgress progress = stack_.Progress();
  EXPECT_EQ(progress.accepted(), 2);
  EXPECT_EQ(progress.requested(), 0);
  EXPECT_EQ(progress.coverage(), v1::COVERAGE_COVERED);
  v1::MobilisationRequest surplus = stack_.RequestFor(n[2]);
  EXPECT_EQ(surplus.state(), v1::REQUEST_STATE_CANCELLED);
  EXPECT_EQ(stack_.HoldOf(surplus.hold_id()).state(), v1::HOLD_STATE_RELEASED);
  // Answering after the cancellation is refused.
  grpc::Status late = stack_.Respond(surplus.id(), n[2], v1::ANSWER_ACCEPT, &answered);
  EXPECT_EQ(late.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  CheckInvariants();

  // n1 withdraws before departure: escalation asks the next two (n5, n6).
  const std::string n1_assignment = stack_.RequestFor(n[0]).assignment_id();
  v1::WithdrawRequest withdraw;
  withdraw.set_request_id("withdraw-n1");
  withdraw.set_assignment_id(n1_assignment);
  withdraw.set_reason("malade");
  v1::Assignment assignment;
  ASSERT_TRUE(
      stack_.stub->Withdraw(MobilisationStack::Responder(n[0]).get(), withdraw, &assignment).ok());
  EXPECT_EQ(assignment.state(), v1::ASSIGNMENT_STATE_WITHDRAWN);
  EXPECT_EQ(stack_.HoldOf(assignment.hold_id()).state(), v1::HOLD_STATE_RELEASED);
  progress = stack_.Progress();
  EXPECT_EQ(progress.accepted(), 1);
  EXPECT_EQ(progress.requested(), 2);
  EXPECT_EQ(progress.rounds(), 2);
  EXPECT_EQ(stack_.RequestFor(n[4]).state(), v1::REQUEST_STATE_REQUESTED);
  EXPECT_EQ(stack_.RequestFor(n[5]).state(), v1::REQUEST_STATE_REQUESTED);
  CheckInvariants();

  // Nobody answers in time: both expire, and the next two (n7, n8) are asked.
  const std::string before_expiry = stack_.mobilisation->feed().live_position();
  stack_.clock.Advance(absl::Hours(2) + absl::Seconds(1));
  auto expired = stack_.mobilisation->mobiliser().SweepDeadlines(100);
  ASSERT_TRUE(expired.ok()) << expired.status();
  EXPECT_EQ(*expired, 2);
  EXPECT_EQ(stack_.RequestFor(n[4]).state(), v1::REQUEST_STATE_EXPIRED);
  EXPECT_EQ(stack_.RequestFor(n[6]).state(), v1::REQUEST_STATE_REQUESTED);
  EXPECT_EQ(stack_.RequestFor(n[7]).state(), v1::REQUEST_STATE_REQUESTED);
  // Too late for n5 now.
  late = stack_.Respond(stack_.RequestFor(n[4]).id(), n[4], v1::ANSWER_ACCEPT, &answered);
  EXPECT_EQ(late.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  CheckInvariants();

  // n7 answers provisionally; the coordinator confirms: covered again, n8 cancelled.
  ASSERT_TRUE(stack_
                  .Respond(stack_.RequestFor(n[6]).id(), n[6], v1::ANSWER_PROVISIONAL, &answered,
                           "si je peux partir à 10h")
                  .ok());
  EXPECT_EQ(answered.state(), v1::REQUEST_STATE_PROVISIONAL);
  v1::DecideProvisionalRequest decide;
  decide.set_request_id("decide-n7");
  decide.set_mobilisation_request_id(answered.id());
  decide.set_confirm(true);
  ASSERT_TRUE(
      stack_.stub->DecideProvisional(MobilisationStack::Coordinator().get(), decide, &answered)
          .ok());
  EXPECT_EQ(answered.state(), v1::REQUEST_STATE_ACCEPTED);
  EXPECT_EQ(stack_.RequestFor(n[7]).state(), v1::REQUEST_STATE_CANCELLED);
  EXPECT_EQ(stack_.Progress().coverage(), v1::COVERAGE_COVERED);
  CheckInvariants();

  // n4 goes: en route, on site, released by the coordinator; the mission is in their experience.
  const std::string n4_assignment = stack_.RequestFor(n[3]).assignment_id();
  v1::ReportStatusRequest report;
  report.set_request_id("n4-en-route");
  report.set_assignment_id(n4_assignment);
  report.set_status(v1::ASSIGNMENT_STATE_EN_ROUTE);
  *report.mutable_estimated_arrival() = ToProtoTime(stack_.clock.Now() + absl::Hours(1));
  ASSERT_TRUE(
      stack_.stub->ReportStatus(MobilisationStack::Responder(n[3]).get(), report, &assignment)
          .ok());
  EXPECT_EQ(assignment.state(), v1::ASSIGNMENT_STATE_EN_ROUTE);
  // Reporting ON_SITE twice: the second is an illegal transition.
  report.set_request_id("n4-on-site");
  report.set_status(v1::ASSIGNMENT_STATE_ON_SITE);
  report.clear_estimated_arrival();
  stack_.clock.Advance(absl::Hours(1));
  ASSERT_TRUE(
      stack_.stub->ReportStatus(MobilisationStack::Responder(n[3]).get(), report, &assignment)
          .ok());
  EXPECT_EQ(stack_.Progress().deployed(), 1);
  report.set_request_id("n4-on-site-again");
  grpc::Status twice =
      stack_.stub->ReportStatus(MobilisationStack::Responder(n[3]).get(), report, &assignment);
  EXPECT_EQ(twice.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  // The coordinator grants a two-day extension (the inventory extends the commitment).
  v1::ExtendAssignmentRequest extend;
  extend.set_request_id("extend-n4");
  extend.set_assignment_id(n4_assignment);
  extend.set_grant(true);
  *extend.mutable_new_end() = ToProtoTime(DecemberDay(10));
  ASSERT_TRUE(
      stack_.stub->ExtendAssignment(MobilisationStack::Coordinator().get(), extend, &assignment)
          .ok());
  EXPECT_EQ(FromProtoTime(assignment.window().end()), DecemberDay(10));
  EXPECT_EQ(FromProtoTime(stack_.HoldOf(assignment.hold_id()).window().end()), DecemberDay(10));
  stack_.clock.Advance(absl::Hours(24 * 3));
  v1::DemobiliseRequest demobilise;
  demobilise.set_request_id("demobilise-n4");
  demobilise.set_assignment_id(n4_assignment);
  ASSERT_TRUE(
      stack_.stub->Demobilise(MobilisationStack::Coordinator().get(), demobilise, &assignment)
          .ok());
  EXPECT_EQ(assignment.state(), v1::ASSIGNMENT_STATE_RELEASED);
  EXPECT_EQ(stack_.HoldOf(assignment.hold_id()).state(), v1::HOLD_STATE_RELEASED);
  v1::GetResponderRequest get;
  get.set_responder_id(n[3]);
  v1::Responder n4;
  ASSERT_TRUE(stack_.inventory_stub->GetResponder(stack_.Osi().get(), get, &n4).ok());
  ASSERT_EQ(n4.experience_size(), 1);
  EXPECT_EQ(n4.experience(0).kind(), v1::CRISIS_KIND_HEATWAVE);
  EXPECT_EQ(n4.experience(0).role_code(), "nurse");
  EXPECT_EQ(n4.experience(0).assignment_id(), n4_assignment);
  progress = stack_.Progress();
  EXPECT_EQ(progress.released(), 1);
  EXPECT_EQ(progress.deployed(), 0);
  CheckInvariants();

  // The log tells the whole story of the expiry step, in order.
  std::vector<v1::EventType> types = EventTypesSince(before_expiry);
  ASSERT_GE(types.size(), 2u);
  EXPECT_EQ(types[0], v1::EVENT_TYPE_REQUEST_EXPIRED);
}

TEST_F(MobilisationFlowTest, MobiliseIsRefusedUnlessTheCrisisIsActive) {
  v1::PauseCrisisRequest pause;
  pause.set_request_id("pause");
  pause.set_crisis_id(stack_.crisis_id);
  pause.set_reason("attente de la préfecture");
  v1::Crisis crisis;
  ASSERT_TRUE(
      stack_.registry_stub->PauseCrisis(MobilisationStack::Coordinator().get(), pause, &crisis)
          .ok());
  v1::MobiliseRequest request;
  request.set_request_id("m-paused");
  request.set_crisis_id(stack_.crisis_id);
  request.set_need_id(stack_.need_id);
  v1::MobiliseResponse response;
  grpc::Status status =
      stack_.stub->Mobilise(MobilisationStack::Coordinator().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("not ACTIVE"), std::string::npos);
  request.set_need_id("need_nope");
  request.set_request_id("m-nope");
  status = stack_.stub->Mobilise(MobilisationStack::Coordinator().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  request.set_request_id("");
  status = stack_.stub->Mobilise(MobilisationStack::Coordinator().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("request_id", 0), 0u);
  // A responder may not mobilise.
  request.set_request_id("m-responder");
  request.set_need_id(stack_.need_id);
  status = stack_.stub->Mobilise(MobilisationStack::Responder(stack_.nurses[0]).get(), request,
                                 &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(stack_.Requests().empty());
}

TEST_F(MobilisationFlowTest, ClosingTheCrisisCancelsPendingRequestsAndReleasesHolds) {
  v1::MobiliseResponse sent = stack_.Mobilise("mobilise-close", 1.5);
  ASSERT_EQ(sent.requests_size(), 3);
  v1::MobilisationRequest answered;
  ASSERT_TRUE(
      stack_.Respond(sent.requests(0).id(), stack_.nurses[0], v1::ANSWER_ACCEPT, &answered).ok());
  v1::CloseCrisisRequest close;
  close.set_request_id("close");
  close.set_crisis_id(stack_.crisis_id);
  close.set_reason("fin de l'alerte canicule");
  v1::Crisis crisis;
  ASSERT_TRUE(
      stack_.registry_stub->CloseCrisis(MobilisationStack::Coordinator().get(), close, &crisis)
          .ok());
  stack_.Settle();  // the reactor reads CRISIS_CLOSED and cancels what is pending
  for (const auto& r : stack_.Requests()) {
    if (r.id() == sent.requests(0).id()) {
      EXPECT_EQ(r.state(), v1::REQUEST_STATE_ACCEPTED);
    } else {
      EXPECT_EQ(r.state(), v1::REQUEST_STATE_CANCELLED) << r.id();
      EXPECT_EQ(stack_.HoldOf(r.hold_id()).state(), v1::HOLD_STATE_RELEASED);
    }
  }
  EXPECT_EQ(stack_.Progress().coverage(), v1::COVERAGE_CANCELLED);
  relais::testing::ExpectHoldsMatchAssignments(stack_.Inspector());
}

TEST_F(MobilisationFlowTest, AChainLeftHalfDoneByACrashIsFinishedAfterARestart) {
  const auto& n = stack_.nurses;
  v1::MobiliseResponse sent = stack_.Mobilise("mobilise-crash", 2.0);
  ASSERT_EQ(sent.requests_size(), 4);
  // The inventory goes away. n1 accepts and n2 declines: both answers are recorded (one commit
  // each, with the chain steps they imply), but the hold cannot be confirmed nor released yet.
  const int inventory_port = stack_.inventory_port;
  stack_.inventory.reset();
  v1::MobilisationRequest answered;
  ASSERT_TRUE(stack_.Respond(sent.requests(0).id(), n[0], v1::ANSWER_ACCEPT, &answered).ok());
  EXPECT_EQ(answered.state(), v1::REQUEST_STATE_ACCEPTED);
  ASSERT_TRUE(stack_.Respond(sent.requests(1).id(), n[1], v1::ANSWER_DECLINE, &answered).ok());
  auto todo = stack_.redis->Command({"ZCARD", "mob:todo"});
  EXPECT_NE(todo, "0");
  // The mobilisation service dies; the inventory comes back; a new mobilisation process starts
  // and its background work finishes the chains once their retry time has come.
  stack_.mobilisation.reset();
  stack_.StartInventory(inventory_port);
  stack_.StartMobilisation();
  EXPECT_EQ(stack_.HoldOf(sent.requests(0).hold_id()).state(), v1::HOLD_STATE_HELD);
  stack_.clock.Advance(absl::Seconds(31));
  stack_.Settle();
  EXPECT_EQ(stack_.HoldOf(sent.requests(0).hold_id()).state(), v1::HOLD_STATE_COMMITTED);
  EXPECT_EQ(stack_.HoldOf(sent.requests(1).hold_id()).state(), v1::HOLD_STATE_RELEASED);
  EXPECT_EQ(stack_.redis->Command({"ZCARD", "mob:todo"}), "0");
  relais::testing::ExpectHoldsMatchAssignments(stack_.Inspector());
}

TEST(MobilisationKinds, ATeamNeedHoldsAWholeTeamAndASupplyNeedIsShippedAndConsumed) {
  MobilisationStack stack;
  stack.RegisterOrganisation();
  const std::string a = stack.RegisterNurse("t1", 1);
  const std::string b = stack.RegisterNurse("t2", 2);
  // A warehouse with six cholera kits, and a mobile EMT of two with one kit.
  v1::RegisterWarehouseRequest warehouse_request;
  warehouse_request.set_request_id("whs-1");
  warehouse_request.mutable_warehouse()->set_name("Bioport - Vaulx-en-Velin");
  warehouse_request.mutable_warehouse()->set_commune("Vaulx-en-Velin");
  warehouse_request.mutable_warehouse()->mutable_location()->set_lat(45.778);
  warehouse_request.mutable_warehouse()->mutable_location()->set_lon(4.921);
  v1::Warehouse warehouse;
  ASSERT_TRUE(
      stack.inventory_stub->RegisterWarehouse(stack.Osi().get(), warehouse_request, &warehouse)
          .ok());
  v1::OfferSuppliesRequest offer;
  offer.set_request_id("stk-1");
  offer.mutable_line()->set_warehouse_id(warehouse.id());
  offer.mutable_line()->set_item_code("who-cholera-kit-periphery");
  offer.mutable_line()->set_lot("CK-041");
  *offer.mutable_line()->mutable_expires_at() = ToProtoTime(DecemberDay(1) + absl::Hours(24 * 700));
  offer.set_quantity(6);
  v1::StockLine line;
  ASSERT_TRUE(stack.inventory_stub->OfferSupplies(stack.Osi().get(), offer, &line).ok());
  v1::OfferTeamRequest team_request;
  team_request.set_request_id("team-1");
  v1::Team& t = *team_request.mutable_team();
  t.set_name("EMT 1 mobile Lyon");
  t.set_type_code("who-emt-type-1-mobile");
  t.add_member_ids(a);
  t.add_member_ids(b);
  v1::Team team;
  grpc::Status offered = stack.inventory_stub->OfferTeam(stack.Osi().get(), team_request, &team);
  ASSERT_TRUE(offered.ok()) << offered.error_message();

  // A crisis with a team need and a supply need.
  v1::DeclareCrisisRequest declare;
  declare.set_request_id("crisis-kinds");
  declare.set_title("Choléra - Vénissieux");
  declare.set_kind(v1::CRISIS_KIND_EPIDEMIC);
  declare.set_scope(v1::CRISIS_SCOPE_LOCAL);
  declare.set_severity(v1::SEVERITY_SEVERE);
  declare.set_urgency(v1::URGENCY_IMMEDIATE);
  declare.set_certainty(v1::CERTAINTY_OBSERVED);
  declare.mutable_area()->mutable_center()->set_lat(45.697);
  declare.mutable_area()->mutable_center()->set_lon(4.886);
  declare.mutable_area()->set_radius_km(5);
  declare.mutable_area()->set_description("Vénissieux");
  declare.mutable_area()->set_country("FR");
  auto* team_need = declare.add_needs();
  team_need->mutable_resource()->set_kind(v1::RESOURCE_KIND_TEAM_TYPE);
  team_need->mutable_resource()->set_code("who-emt-type-1-mobile");
  team_need->set_quantity(1);
  team_need->set_priority(v1::NEED_PRIORITY_CRITICAL);
  team_need->set_duration_days(3);
  auto* kit_need = declare.add_needs();
  kit_need->mutable_resource()->set_kind(v1::RESOURCE_KIND_SUPPLY_ITEM);
  kit_need->mutable_resource()->set_code("who-cholera-kit-periphery");
  kit_need->set_quantity(4);
  kit_need->set_priority(v1::NEED_PRIORITY_CRITICAL);
  v1::Crisis crisis;
  ASSERT_TRUE(
      stack.registry_stub->DeclareCrisis(MobilisationStack::Coordinator().get(), declare, &crisis)
          .ok());
  v1::ActivateCrisisRequest activate;
  activate.set_request_id("activate-kinds");
  activate.set_crisis_id(crisis.id());
  ASSERT_TRUE(
      stack.registry_stub->ActivateCrisis(MobilisationStack::Coordinator().get(), activate, &crisis)
          .ok());
  stack.crisis_id = crisis.id();

  // The team: held whole (both members booked), accepted by its organisation, deployed, released.
  stack.need_id = crisis.needs(0).id();
  v1::MobiliseResponse sent = stack.Mobilise("m-team", 1.0);
  ASSERT_EQ(sent.requests_size(), 1);
  EXPECT_EQ(sent.requests(0).team_id(), team.id());
  v1::Hold team_hold = stack.HoldOf(sent.requests(0).hold_id());
  EXPECT_EQ(team_hold.kind(), v1::HOLD_KIND_TEAM);
  EXPECT_EQ(team_hold.member_ids_size(), 2);
  v1::RespondRequest respond;
  respond.set_request_id("team-yes");
  respond.set_mobilisation_request_id(sent.requests(0).id());
  respond.set_answer(v1::ANSWER_ACCEPT);
  v1::MobilisationRequest answered;
  // A member cannot answer for the team; its organisation can.
  EXPECT_EQ(
      stack.stub->Respond(MobilisationStack::Responder(a).get(), respond, &answered).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(stack.stub->Respond(stack.Osi().get(), respond, &answered).ok());
  EXPECT_EQ(stack.HoldOf(answered.hold_id()).state(), v1::HOLD_STATE_COMMITTED);
  relais::testing::ExpectHoldsMatchAssignments(stack.Inspector());

  // The kits: 4 of the line's 6 held, committed, shipped, delivered with 3 used (1 goes back).
  stack.need_id = crisis.needs(1).id();
  sent = stack.Mobilise("m-kits", 1.0);
  ASSERT_EQ(sent.requests_size(), 1);
  EXPECT_EQ(sent.requests(0).stock_line_id(), line.id());
  EXPECT_EQ(sent.requests(0).quantity(), 4);
  respond.set_request_id("kits-yes");
  respond.set_mobilisation_request_id(sent.requests(0).id());
  ASSERT_TRUE(stack.stub->Respond(stack.Osi().get(), respond, &answered).ok());
  v1::Assignment kits;
  v1::GetAssignmentRequest get;
  get.set_assignment_id(answered.assignment_id());
  ASSERT_TRUE(stack.stub->GetAssignment(stack.Osi().get(), get, &kits).ok());
  EXPECT_EQ(kits.state(), v1::ASSIGNMENT_STATE_COMMITTED);
  v1::ReportStatusRequest report;
  report.set_assignment_id(kits.id());
  report.set_request_id("kits-on-site");
  report.set_status(v1::ASSIGNMENT_STATE_ON_SITE);
  EXPECT_EQ(stack.stub->ReportStatus(stack.Osi().get(), report, &kits).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);  // not a supply state
  report.set_request_id("kits-shipped");
  report.set_status(v1::ASSIGNMENT_STATE_SHIPPED);
  ASSERT_TRUE(stack.stub->ReportStatus(stack.Osi().get(), report, &kits).ok());
  EXPECT_EQ(stack.Progress().deployed(), 4);
  report.set_request_id("kits-delivered");
  report.set_status(v1::ASSIGNMENT_STATE_DELIVERED);
  report.set_quantity_used(3);
  ASSERT_TRUE(stack.stub->ReportStatus(stack.Osi().get(), report, &kits).ok());
  EXPECT_EQ(kits.state(), v1::ASSIGNMENT_STATE_DELIVERED);
  v1::Hold consumed = stack.HoldOf(kits.hold_id());
  EXPECT_EQ(consumed.state(), v1::HOLD_STATE_CONSUMED);
  v1::ListStockRequest list;
  list.set_organisation_id(stack.org);
  v1::ListStockResponse stock;
  ASSERT_TRUE(stack.inventory_stub->ListStock(stack.Osi().get(), list, &stock).ok());
  ASSERT_EQ(stock.lines_size(), 1);
  EXPECT_EQ(stock.lines(0).ledger().consumed(), 3);
  EXPECT_EQ(stock.lines(0).ledger().available(), 3);  // 2 never held + 1 returned
  stack.Settle();
  relais::testing::ExpectHoldsMatchAssignments(stack.Inspector());
}

}  // namespace
}  // namespace relais::mobilisation
