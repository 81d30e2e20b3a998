// The mobilisation service's pure rules: policy defaults and validation, how many to ask, the
// request and assignment lifecycles, and how each change moves a need's counts.
#include "services/mobilisation/mobilisation_domain.h"

#include <gtest/gtest.h>

#include "services/runtime/proto_time.h"

namespace relais::mobilisation {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'780'000'000);

v1::NeedProgress Progress(int64_t required, int64_t accepted, int64_t requested, double factor = 0,
                          int max_pending = 0) {
  v1::NeedProgress p;
  p.mutable_resource()->set_kind(v1::RESOURCE_KIND_SKILL);
  p.set_required(required);
  p.set_accepted(accepted);
  p.set_requested(requested);
  p.set_coverage(v1::COVERAGE_OPEN);
  p.mutable_policy()->set_overbooking_factor(factor);
  p.mutable_policy()->set_max_pending(max_pending);
  return p;
}

v1::MobilisationRequest Pending(v1::RequestState state, absl::Time respond_by) {
  v1::MobilisationRequest r;
  r.set_id("mrq_1");
  r.set_state(state);
  *r.mutable_respond_by() = ToProtoTime(respond_by);
  return r;
}

TEST(Policy, DefaultsAndMerge) {
  v1::MobilisationPolicy none;
  EXPECT_DOUBLE_EQ(OverbookingFactor(none), 1.5);
  EXPECT_EQ(MaxPending(none), 50);
  EXPECT_EQ(RotationWindow(none), absl::Hours(24 * 30));
  EXPECT_EQ(ResponseTime(none, v1::URGENCY_IMMEDIATE), absl::Minutes(30));
  EXPECT_EQ(ResponseTime(none, v1::URGENCY_EXPECTED), absl::Hours(2));
  EXPECT_EQ(ResponseTime(none, v1::URGENCY_FUTURE), absl::Hours(24));
  EXPECT_EQ(ResponseTime(none, v1::URGENCY_UNKNOWN), absl::Hours(2));
  v1::MobilisationPolicy given;
  given.mutable_response_time()->set_seconds(600);
  EXPECT_EQ(ResponseTime(given, v1::URGENCY_IMMEDIATE), absl::Minutes(10));
  // The hold outlives the deadline, so the deadline sweeper ends it, not the inventory.
  EXPECT_GT(HoldTtl(absl::Minutes(10)), absl::Minutes(10));
  v1::MobilisationPolicy stored;
  stored.set_overbooking_factor(2);
  stored.set_max_pending(7);
  v1::MobilisationPolicy merged = MergePolicy(stored, given);
  EXPECT_DOUBLE_EQ(merged.overbooking_factor(), 2);
  EXPECT_EQ(merged.max_pending(), 7);
  EXPECT_EQ(merged.response_time().seconds(), 600);
}

TEST(Policy, ValidationNamesTheField) {
  v1::MobilisationPolicy p;
  EXPECT_TRUE(ValidatePolicy(p, "policy").ok());
  p.set_overbooking_factor(0.5);
  EXPECT_EQ(ValidatePolicy(p, "policy").message().rfind("policy.overbooking_factor", 0), 0u);
  p.set_overbooking_factor(3.5);
  EXPECT_FALSE(ValidatePolicy(p, "policy").ok());
  p.set_overbooking_factor(3);
  EXPECT_TRUE(ValidatePolicy(p, "policy").ok());
  p.mutable_response_time()->set_seconds(30);
  EXPECT_EQ(ValidatePolicy(p, "policy").message().rfind("policy.response_time", 0), 0u);
  p.mutable_response_time()->set_seconds(8 * 24 * 3600);
  EXPECT_FALSE(ValidatePolicy(p, "policy").ok());
  p.clear_response_time();
  p.mutable_rotation_window()->set_seconds(3600);
  EXPECT_EQ(ValidatePolicy(p, "policy").message().rfind("policy.rotation_window", 0), 0u);
  p.clear_rotation_window();
  p.set_max_pending(201);
  EXPECT_EQ(ValidatePolicy(p, "policy").message().rfind("policy.max_pending", 0), 0u);
}

TEST(ToAsk, OverbooksMissingPeopleWithinTheCap) {
  EXPECT_EQ(ToAsk(Progress(4, 0, 0)), 6);  // ceil(4 x 1.5)
  EXPECT_EQ(ToAsk(Progress(4, 0, 0, 1.0)), 4);
  EXPECT_EQ(ToAsk(Progress(4, 1, 2)), 3);              // ceil(3 x 1.5) - 2 pending
  EXPECT_EQ(ToAsk(Progress(4, 1, 5)), 0);              // enough pending
  EXPECT_EQ(ToAsk(Progress(4, 4, 0)), 0);              // covered
  EXPECT_EQ(ToAsk(Progress(100, 0, 0, 2.0, 10)), 10);  // max_pending
  EXPECT_EQ(ToAsk(Progress(3, 0, 0, 1.1)), 4);         // ceil(3.3)
  EXPECT_EQ(ToAsk(Progress(2, 0, 0, 1.5)), 3);
  v1::NeedProgress supplies = Progress(10, 0, 0, 2.0);
  supplies.mutable_resource()->set_kind(v1::RESOURCE_KIND_SUPPLY_ITEM);
  EXPECT_EQ(ToAsk(supplies), 10);  // units are not overbooked
  // max_pending caps requests, not units: 2,000 sachets are asked for at once.
  v1::NeedProgress sachets = Progress(2000, 0, 0, 1.5, 50);
  sachets.mutable_resource()->set_kind(v1::RESOURCE_KIND_SUPPLY_ITEM);
  EXPECT_EQ(ToAsk(sachets), 2000);
  sachets.set_requested(800);
  EXPECT_EQ(ToAsk(sachets), 1200);
  v1::NeedProgress cancelled = Progress(4, 0, 0);
  cancelled.set_coverage(v1::COVERAGE_CANCELLED);
  EXPECT_EQ(ToAsk(cancelled), 0);
}

TEST(Requests, AnswersAndDeadlines) {
  const auto open = Pending(v1::REQUEST_STATE_REQUESTED, kNow + absl::Minutes(5));
  EXPECT_EQ(*AnswerTransition(open, v1::ANSWER_ACCEPT, kNow), v1::REQUEST_STATE_ACCEPTED);
  EXPECT_EQ(*AnswerTransition(open, v1::ANSWER_DECLINE, kNow), v1::REQUEST_STATE_DECLINED);
  EXPECT_EQ(*AnswerTransition(open, v1::ANSWER_PROVISIONAL, kNow), v1::REQUEST_STATE_PROVISIONAL);
  // Exactly at the deadline is still in time; a second later is too late.
  EXPECT_TRUE(AnswerTransition(open, v1::ANSWER_ACCEPT, kNow + absl::Minutes(5)).ok());
  auto late = AnswerTransition(open, v1::ANSWER_ACCEPT, kNow + absl::Minutes(5) + absl::Seconds(1));
  EXPECT_TRUE(absl::IsFailedPrecondition(late.status()));
  EXPECT_NE(late.status().message().find("too late"), std::string::npos);
  for (auto ended : {v1::REQUEST_STATE_ACCEPTED, v1::REQUEST_STATE_DECLINED,
                     v1::REQUEST_STATE_EXPIRED, v1::REQUEST_STATE_CANCELLED}) {
    EXPECT_TRUE(absl::IsFailedPrecondition(
        AnswerTransition(Pending(ended, kNow + absl::Hours(1)), v1::ANSWER_ACCEPT, kNow).status()));
  }
  // A provisional answer is the coordinator's to decide.
  const auto provisional = Pending(v1::REQUEST_STATE_PROVISIONAL, kNow + absl::Hours(1));
  EXPECT_FALSE(AnswerTransition(provisional, v1::ANSWER_ACCEPT, kNow).ok());
  EXPECT_EQ(*DecisionTransition(provisional, true, kNow), v1::REQUEST_STATE_ACCEPTED);
  EXPECT_EQ(*DecisionTransition(provisional, false, kNow), v1::REQUEST_STATE_DECLINED);
  EXPECT_FALSE(DecisionTransition(open, true, kNow).ok());
}

TEST(Requests, CountsFollowEveryChange) {
  v1::NeedProgress p = Progress(2, 0, 3);
  CountRequestChange(&p, 1, v1::REQUEST_STATE_REQUESTED, v1::REQUEST_STATE_DECLINED);
  EXPECT_EQ(p.requested(), 2);
  EXPECT_EQ(p.declined(), 1);
  CountRequestChange(&p, 1, v1::REQUEST_STATE_REQUESTED, v1::REQUEST_STATE_PROVISIONAL);
  EXPECT_EQ(p.requested(), 2);  // still pending
  CountRequestChange(&p, 1, v1::REQUEST_STATE_PROVISIONAL, v1::REQUEST_STATE_EXPIRED);
  EXPECT_EQ(p.requested(), 1);
  EXPECT_EQ(p.expired(), 1);
  CountRequestChange(&p, 1, v1::REQUEST_STATE_REQUESTED, v1::REQUEST_STATE_ACCEPTED);
  CountAssignmentChange(&p, 1, v1::ASSIGNMENT_STATE_UNSPECIFIED, v1::ASSIGNMENT_STATE_ACCEPTED);
  EXPECT_EQ(p.requested(), 0);
  EXPECT_EQ(p.accepted(), 1);
  EXPECT_EQ(p.coverage(), v1::COVERAGE_OPEN);
  CountAssignmentChange(&p, 1, v1::ASSIGNMENT_STATE_UNSPECIFIED, v1::ASSIGNMENT_STATE_ACCEPTED);
  EXPECT_EQ(p.coverage(), v1::COVERAGE_COVERED);
  CountAssignmentChange(&p, 1, v1::ASSIGNMENT_STATE_ACCEPTED, v1::ASSIGNMENT_STATE_WITHDRAWN);
  EXPECT_EQ(p.accepted(), 1);
  EXPECT_EQ(p.withdrawn(), 1);
  EXPECT_EQ(p.coverage(), v1::COVERAGE_OPEN);  // uncovered again
  CountAssignmentChange(&p, 1, v1::ASSIGNMENT_STATE_ACCEPTED, v1::ASSIGNMENT_STATE_EN_ROUTE);
  EXPECT_EQ(p.deployed(), 1);
  CountAssignmentChange(&p, 1, v1::ASSIGNMENT_STATE_EN_ROUTE, v1::ASSIGNMENT_STATE_ON_SITE);
  EXPECT_EQ(p.deployed(), 1);
  CountAssignmentChange(&p, 1, v1::ASSIGNMENT_STATE_ON_SITE, v1::ASSIGNMENT_STATE_RELEASED);
  EXPECT_EQ(p.deployed(), 0);
  EXPECT_EQ(p.released(), 1);
  EXPECT_EQ(p.accepted(), 1);  // a released person did cover the need
}

TEST(Assignments, TheLifecycleTable) {
  using S = v1::AssignmentState;
  const auto person = v1::CANDIDATE_KIND_RESPONDER;
  const auto stock = v1::CANDIDATE_KIND_STOCK;
  struct Move {
    v1::CandidateKind kind;
    S from, to;
    bool legal;
  };
  const Move moves[] = {
      {person, S::ASSIGNMENT_STATE_ACCEPTED, S::ASSIGNMENT_STATE_EN_ROUTE, true},
      {person, S::ASSIGNMENT_STATE_ACCEPTED, S::ASSIGNMENT_STATE_WITHDRAWN, true},
      {person, S::ASSIGNMENT_STATE_EN_ROUTE, S::ASSIGNMENT_STATE_ON_SITE, true},
      {person, S::ASSIGNMENT_STATE_ON_SITE, S::ASSIGNMENT_STATE_RELEASED, true},
      {person, S::ASSIGNMENT_STATE_EN_ROUTE, S::ASSIGNMENT_STATE_RELEASED, true},
      {person, S::ASSIGNMENT_STATE_ACCEPTED, S::ASSIGNMENT_STATE_RELEASED, true},
      {person, S::ASSIGNMENT_STATE_EN_ROUTE, S::ASSIGNMENT_STATE_WITHDRAWN, false},
      {person, S::ASSIGNMENT_STATE_ACCEPTED, S::ASSIGNMENT_STATE_ON_SITE, false},
      {person, S::ASSIGNMENT_STATE_RELEASED, S::ASSIGNMENT_STATE_ON_SITE, false},
      {person, S::ASSIGNMENT_STATE_WITHDRAWN, S::ASSIGNMENT_STATE_EN_ROUTE, false},
      {person, S::ASSIGNMENT_STATE_ACCEPTED, S::ASSIGNMENT_STATE_SHIPPED, false},
      {stock, S::ASSIGNMENT_STATE_COMMITTED, S::ASSIGNMENT_STATE_SHIPPED, true},
      {stock, S::ASSIGNMENT_STATE_SHIPPED, S::ASSIGNMENT_STATE_DELIVERED, true},
      {stock, S::ASSIGNMENT_STATE_COMMITTED, S::ASSIGNMENT_STATE_RETURNED, true},
      {stock, S::ASSIGNMENT_STATE_SHIPPED, S::ASSIGNMENT_STATE_RETURNED, true},
      {stock, S::ASSIGNMENT_STATE_COMMITTED, S::ASSIGNMENT_STATE_DELIVERED, false},
      {stock, S::ASSIGNMENT_STATE_DELIVERED, S::ASSIGNMENT_STATE_RETURNED, false},
      {stock, S::ASSIGNMENT_STATE_COMMITTED, S::ASSIGNMENT_STATE_EN_ROUTE, false},
  };
  for (const Move& m : moves) {
    absl::Status s = CheckAssignmentTransition(m.kind, m.from, m.to);
    EXPECT_EQ(s.ok(), m.legal) << AssignmentStateName(m.from) << " -> "
                               << AssignmentStateName(m.to);
    if (!m.legal) {
      EXPECT_TRUE(absl::IsFailedPrecondition(s));
    }
  }
  EXPECT_EQ(FirstAssignmentState(stock), S::ASSIGNMENT_STATE_COMMITTED);
  EXPECT_EQ(FirstAssignmentState(v1::CANDIDATE_KIND_TEAM), S::ASSIGNMENT_STATE_ACCEPTED);
}

TEST(Needs, WindowAndMobilisable) {
  v1::NeedSpec spec;
  *spec.mutable_needed_by() = ToProtoTime(kNow + absl::Hours(48));
  spec.set_duration_days(5);
  v1::TimeWindow w = NeedWindow(spec, kNow);
  EXPECT_EQ(FromProtoTime(w.start()), kNow + absl::Hours(48));
  EXPECT_EQ(FromProtoTime(w.end()), kNow + absl::Hours(48 + 5 * 24));
  // A needed_by already past starts now.
  w = NeedWindow(spec, kNow + absl::Hours(72));
  EXPECT_EQ(FromProtoTime(w.start()), kNow + absl::Hours(72));
  v1::Crisis crisis;
  crisis.set_id("crs_1");
  crisis.set_status(v1::CRISIS_STATUS_DECLARED);
  v1::Need need;
  need.set_id("need_1");
  need.set_status(v1::NEED_STATUS_OPEN);
  *crisis.add_needs() = need;
  EXPECT_TRUE(absl::IsFailedPrecondition(CheckMobilisable(crisis, need)));
  crisis.set_status(v1::CRISIS_STATUS_ACTIVE);
  EXPECT_TRUE(CheckMobilisable(crisis, need).ok());
  need.set_status(v1::NEED_STATUS_CANCELLED);
  EXPECT_FALSE(CheckMobilisable(crisis, need).ok());
  EXPECT_TRUE(FindNeed(crisis, "need_1").ok());
  EXPECT_TRUE(absl::IsNotFound(FindNeed(crisis, "need_2").status()));
}

TEST(Validation, ReportStatusAndLists) {
  v1::ReportStatusRequest report;
  report.set_request_id("r");
  report.set_assignment_id("asg_1");
  report.set_status(v1::ASSIGNMENT_STATE_ON_SITE);
  EXPECT_TRUE(ValidateReportStatus(report, kNow).ok());
  report.set_quantity_used(3);
  EXPECT_EQ(ValidateReportStatus(report, kNow).message().rfind("quantity_used", 0), 0u);
  report.set_quantity_used(0);
  *report.mutable_estimated_arrival() = ToProtoTime(kNow);
  EXPECT_EQ(ValidateReportStatus(report, kNow).message().rfind("estimated_arrival", 0), 0u);
  v1::ListAssignmentsRequest list;
  EXPECT_EQ(ValidateListAssignments(list).message().rfind("crisis_id", 0), 0u);
  list.set_responder_id("rsp_1");
  EXPECT_TRUE(ValidateListAssignments(list).ok());
  list.set_need_id("need_1");
  EXPECT_EQ(ValidateListAssignments(list).message().rfind("need_id", 0), 0u);
}

}  // namespace
}  // namespace relais::mobilisation
