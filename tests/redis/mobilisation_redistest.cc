// The mobilisation service's rules one at a time, over gRPC with the three services on a real
// redis-server: validation, retries, races for the last place, deadlines claimed exactly once by
// two replicas, the crisis board and the live feed from its cursor, notifications to local SMTP
// and HTTP sinks (one failing, then recovering) and the outreach view, Redis down.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "services/runtime/redis/event_log.h"
#include "tests/support/http_sink.h"
#include "tests/support/mobilisation_invariants.h"
#include "tests/support/mobilisation_stack.h"
#include "tests/support/smtp_sink.h"

namespace relais::mobilisation {
namespace {

namespace v1 = ::relais::v1;
using ::relais::testing::MobilisationStack;

int CountEvents(RedisClient& redis, v1::EventType type) {
  EventLog log(redis);
  auto events = log.ReadAfter("", 100000);
  EXPECT_TRUE(events.ok());
  int n = 0;
  for (const auto& e : *events) n += e.type() == type ? 1 : 0;
  return n;
}

class MobilisationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_.RegisterOrganisation();
    for (int i = 1; i <= 6; ++i) stack_.RegisterNurse("n" + std::to_string(i), i);
    stack_.DeclareHeatwave(1);
  }
  MobilisationStack stack_;
};

TEST_F(MobilisationTest, BadInputIsRefusedNamingTheFieldAndWritesNothing) {
  auto coordinator = [] { return MobilisationStack::Coordinator(); };
  // Answers and withdrawals are the responder's (access_policy.h).
  auto responder = [this] { return MobilisationStack::Responder(stack_.nurses[0]); };
  v1::MobiliseRequest mobilise;
  mobilise.set_request_id("m1");
  mobilise.set_crisis_id(stack_.crisis_id);
  mobilise.set_need_id(stack_.need_id);
  mobilise.mutable_policy()->set_overbooking_factor(5);
  v1::MobiliseResponse mobilised;
  grpc::Status status = stack_.stub->Mobilise(coordinator().get(), mobilise, &mobilised);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("policy.overbooking_factor", 0), 0u)
      << status.error_message();
  mobilise.mutable_policy()->set_overbooking_factor(0);
  mobilise.mutable_policy()->mutable_response_time()->set_seconds(5);
  status = stack_.stub->Mobilise(coordinator().get(), mobilise, &mobilised);
  EXPECT_EQ(status.error_message().rfind("policy.response_time", 0), 0u) << status.error_message();

  v1::RespondRequest respond;
  respond.set_request_id("r1");
  respond.set_mobilisation_request_id("mrq_000001");
  respond.set_answer(v1::ANSWER_PROVISIONAL);
  v1::MobilisationRequest answered;
  status = stack_.stub->Respond(responder().get(), respond, &answered);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("reason", 0), 0u) << status.error_message();
  respond.set_answer(v1::ANSWER_UNSPECIFIED);
  status = stack_.stub->Respond(responder().get(), respond, &answered);
  EXPECT_EQ(status.error_message().rfind("answer", 0), 0u) << status.error_message();
  respond.set_answer(v1::ANSWER_ACCEPT);
  status = stack_.stub->Respond(responder().get(), respond, &answered);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);

  v1::ReportStatusRequest report;
  report.set_request_id("s1");
  report.set_assignment_id("asg_000001");
  report.set_status(v1::ASSIGNMENT_STATE_RELEASED);
  v1::Assignment assignment;
  status = stack_.stub->ReportStatus(coordinator().get(), report, &assignment);
  EXPECT_EQ(status.error_message().rfind("status", 0), 0u) << status.error_message();
  report.set_status(v1::ASSIGNMENT_STATE_ON_SITE);
  *report.mutable_actual_at() = ToProtoTime(stack_.clock.Now() + absl::Hours(3));
  status = stack_.stub->ReportStatus(coordinator().get(), report, &assignment);
  EXPECT_EQ(status.error_message().rfind("actual_at", 0), 0u) << status.error_message();

  v1::ListRequestsRequest list;
  list.set_crisis_id(stack_.crisis_id);
  list.set_responder_id(stack_.nurses[0]);
  v1::ListRequestsResponse listed;
  status = stack_.stub->ListRequests(coordinator().get(), list, &listed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::WithdrawRequest withdraw;
  withdraw.set_request_id("w1");
  withdraw.set_assignment_id("asg_1");
  status = stack_.stub->Withdraw(responder().get(), withdraw, &assignment);
  EXPECT_EQ(status.error_message().rfind("reason", 0), 0u) << status.error_message();

  EXPECT_EQ(CountEvents(stack_.Inspector(), v1::EVENT_TYPE_ROUND_PLANNED), 0);
  EXPECT_TRUE(stack_.Requests().empty());
}

TEST_F(MobilisationTest, AnAnswerRetriedIsAnsweredOnceAndAReusedIdIsRefused) {
  v1::MobiliseResponse sent = stack_.Mobilise("m", 2.0);
  ASSERT_EQ(sent.requests_size(), 2);
  const v1::MobilisationRequest& first = sent.requests(0);
  v1::MobilisationRequest a, b;
  ASSERT_TRUE(stack_.Respond(first.id(), first.responder_id(), v1::ANSWER_ACCEPT, &a).ok());
  ASSERT_TRUE(stack_.Respond(first.id(), first.responder_id(), v1::ANSWER_ACCEPT, &b).ok());
  EXPECT_EQ(a.assignment_id(), b.assignment_id());
  EXPECT_EQ(a.version(), b.version());
  EXPECT_EQ(CountEvents(stack_.Inspector(), v1::EVENT_TYPE_REQUEST_ACCEPTED), 1);
  // The same request id for another answer.
  grpc::Status reused =
      stack_.Respond(first.id(), first.responder_id(), v1::ANSWER_DECLINE, &b, "non");
  EXPECT_EQ(reused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(reused.error_message().rfind("request_id", 0), 0u);
  // Acknowledging twice keeps the first time.
  v1::AcknowledgeRequestRequest ack;
  ack.set_request_id("ack-1");
  ack.set_mobilisation_request_id(sent.requests(1).id());
  v1::MobilisationRequest acked;
  const std::string second = sent.requests(1).responder_id();
  ASSERT_TRUE(
      stack_.stub->AcknowledgeRequest(MobilisationStack::Responder(second).get(), ack, &acked)
          .ok());
  const auto first_ack = acked.acknowledged_at();
  stack_.clock.Advance(absl::Minutes(1));
  ack.set_request_id("ack-2");
  ASSERT_TRUE(
      stack_.stub->AcknowledgeRequest(MobilisationStack::Responder(second).get(), ack, &acked)
          .ok());
  EXPECT_EQ(acked.acknowledged_at().seconds(), first_ack.seconds());
}

TEST_F(MobilisationTest, OnlyAsManyAcceptAsNeededWhenAllAnswerAtOnce) {
  // One nurse needed, three asked; all three accept at the same moment.
  v1::MobiliseResponse sent = stack_.Mobilise("m", 3.0);
  ASSERT_EQ(sent.requests_size(), 3);
  std::atomic<int> accepted{0}, refused{0};
  std::vector<std::thread> threads;
  for (const auto& r : sent.requests()) {
    threads.emplace_back([&, r] {
      v1::MobilisationRequest out;
      grpc::Status s = stack_.Respond(r.id(), r.responder_id(), v1::ANSWER_ACCEPT, &out);
      if (s.ok()) {
        ++accepted;
      } else {
        EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
        ++refused;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted.load(), 1);
  EXPECT_EQ(refused.load(), 2);
  v1::NeedProgress progress = stack_.Progress();
  EXPECT_EQ(progress.accepted(), 1);
  EXPECT_EQ(progress.requested(), 0);
  relais::testing::ExpectHoldsMatchAssignments(stack_.Inspector());
}

TEST_F(MobilisationTest, TwoReplicasExpireEachDeadlineExactlyOnce) {
  // Six nurses needed so that every candidate is asked and none are left to escalate to.
  stack_.DeclareHeatwave(6, "big");
  v1::MobiliseResponse sent = stack_.Mobilise("m-big", 1.0);
  ASSERT_EQ(sent.requests_size(), 6);
  // A second replica of the mobilisation service on the same Redis.
  mobilisation::MobilisationOptions options = stack_.mobilisation_options;
  auto second =
      MobilisationServer::Create(testing::TestServiceOptions(*stack_.redis, "mobilisation"),
                                 stack_.clock, stack_.ids, testing::QuietSeams(), options);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_TRUE((*second)->Start().ok());
  stack_.clock.Advance(absl::Hours(3));
  std::atomic<int> expired{0};
  std::thread other([&] {
    auto n = (*second)->mobiliser().SweepDeadlines(100);
    ASSERT_TRUE(n.ok()) << n.status();
    expired += *n;
  });
  auto n = stack_.mobilisation->mobiliser().SweepDeadlines(100);
  ASSERT_TRUE(n.ok()) << n.status();
  expired += *n;
  other.join();
  EXPECT_EQ(expired.load(), 6);
  EXPECT_EQ(CountEvents(stack_.Inspector(), v1::EVENT_TYPE_REQUEST_EXPIRED), 6);
  // Nobody left to ask: the need says why.
  stack_.Settle();
  v1::NeedProgress progress = stack_.Progress();
  EXPECT_EQ(progress.expired(), 6);
  EXPECT_EQ(progress.coverage(), v1::COVERAGE_UNCOVERABLE);
  EXPECT_NE(progress.uncoverable_reason().find("nobody left to ask"), std::string::npos);
  EXPECT_EQ(CountEvents(stack_.Inspector(), v1::EVENT_TYPE_NEED_UNCOVERABLE), 1);
  relais::testing::ExpectHoldsMatchAssignments(stack_.Inspector());
  // Sweeping again finds nothing.
  auto again = stack_.mobilisation->mobiliser().SweepDeadlines(100);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
}

TEST_F(MobilisationTest, TheBoardShowsProgressAndTheFeedContinuesFromItsCursor) {
  v1::MobiliseResponse sent = stack_.Mobilise("m", 2.0);
  ASSERT_EQ(sent.requests_size(), 2);
  v1::GetCrisisBoardRequest get;
  get.set_crisis_id(stack_.crisis_id);
  v1::CrisisBoard board;
  ASSERT_TRUE(
      stack_.stub->GetCrisisBoard(MobilisationStack::Coordinator().get(), get, &board).ok());
  EXPECT_EQ(board.status(), "ACTIVE");
  ASSERT_EQ(board.needs_size(), 1);
  EXPECT_EQ(board.needs(0).progress().requested(), 2);
  ASSERT_EQ(board.needs(0).pending_size(), 2);
  EXPECT_EQ(board.needs(0).pending(0).time_left().seconds(), 2 * 3600);
  EXPECT_EQ(board.unreached(), 2);  // no notifier configured, nobody acknowledged
  EXPECT_FALSE(board.cursor().empty());
  ASSERT_FALSE(board.recent_events().empty());
  EXPECT_EQ(board.recent_events().rbegin()->type(), v1::EVENT_TYPE_REQUESTS_SENT);

  // A dashboard watches from the board's cursor: the next change arrives, nothing before it.
  grpc::ClientContext ctx;
  ctx.AddMetadata("x-relais-principal", "dashboard-1");
  ctx.AddMetadata("x-relais-role", "dashboard");
  v1::WatchMobilisationRequest watch;
  watch.add_crisis_ids(stack_.crisis_id);
  watch.set_cursor(board.cursor());
  auto reader = stack_.stub->WatchMobilisation(&ctx, watch);
  v1::MobilisationRequest answered;
  ASSERT_TRUE(stack_
                  .Respond(sent.requests(0).id(), sent.requests(0).responder_id(),
                           v1::ANSWER_ACCEPT, &answered)
                  .ok());
  v1::MobilisationUpdate update;
  std::vector<v1::EventType> seen;
  while (reader->Read(&update)) {
    if (!update.has_event()) continue;
    seen.push_back(update.event().type());
    if (update.event().type() == v1::EVENT_TYPE_NEED_COVERED) break;
  }
  ctx.TryCancel();
  ASSERT_GE(seen.size(), 2u);
  EXPECT_EQ(seen.front(), v1::EVENT_TYPE_REQUEST_ACCEPTED);
}

TEST(MobilisationNotifications, RequestsReachPeopleByMailAndSmsAndFailuresAreVisible) {
  relais::testing::SmtpSink smtp;
  relais::testing::HttpSink sms;
  MobilisationOptions options;
  options.smtp_url = smtp.url();
  options.smtp_from = "relais@example.org";
  options.webhook_url = sms.url();
  MobilisationStack stack(options);
  stack.RegisterOrganisation();
  for (int i = 1; i <= 3; ++i) stack.RegisterNurse("n" + std::to_string(i), i);
  stack.DeclareHeatwave(1);
  // The SMS gateway is down for the first two messages.
  sms.FailNext(2);
  v1::MobiliseResponse sent = stack.Mobilise("m", 2.0);
  ASSERT_EQ(sent.requests_size(), 2);
  stack.Settle();
  ASSERT_TRUE(smtp.WaitFor(2, absl::Seconds(5)));
  const auto mails = smtp.Messages();
  EXPECT_NE(mails[0].data.find("Canicule"), std::string::npos);
  EXPECT_EQ(mails[0].rcpt.at(0), "n1@example.org");
  EXPECT_EQ(sms.Count(), 0u);

  // Outreach: e-mail delivered, so both were reached; the SMS attempts failed and are recorded.
  v1::GetOutreachRequest get;
  get.set_crisis_id(stack.crisis_id);
  v1::Outreach outreach;
  ASSERT_TRUE(stack.stub->GetOutreach(MobilisationStack::Coordinator().get(), get, &outreach).ok());
  EXPECT_EQ(outreach.unreached_size(), 0);
  ASSERT_EQ(outreach.unanswered_size(), 2);
  int failed_attempts = 0;
  for (const auto& line : outreach.unanswered()) {
    EXPECT_TRUE(line.reached());
    for (const auto& n : line.notifications()) {
      if (n.channel() == v1::NOTIFICATION_CHANNEL_WEBHOOK) {
        EXPECT_EQ(n.state(), v1::DELIVERY_STATE_PENDING);
        ASSERT_EQ(n.attempts_size(), 1);
        EXPECT_FALSE(n.attempts(0).ok());
        ++failed_attempts;
      }
    }
  }
  EXPECT_EQ(failed_attempts, 2);

  // The gateway recovers; the retry after the back-off delivers both SMS.
  stack.clock.Advance(absl::Seconds(31));
  stack.Settle();
  ASSERT_TRUE(sms.WaitFor(2, absl::Seconds(5)));
  ASSERT_TRUE(stack.stub->GetOutreach(MobilisationStack::Coordinator().get(), get, &outreach).ok());
  for (const auto& line : outreach.unanswered()) {
    for (const auto& n : line.notifications()) {
      EXPECT_EQ(n.state(), v1::DELIVERY_STATE_DELIVERED) << n.id();
    }
  }
  // No address is kept by the mobilisation service.
  auto keys = stack.Inspector().Command({"KEYS", "mob:*"});
  ASSERT_TRUE(keys.ok());
  for (const auto& key : keys->elements()) {
    auto dump = stack.Inspector().Command({"DUMP", key.str()});
    ASSERT_TRUE(dump.ok());
    EXPECT_EQ(dump->str().find("@example.org"), std::string::npos) << key.str();
  }
}

// A simulator's strategy: one at a time, the farthest first.
class OneAtATimeFarthestFirst final : public Strategy {
 public:
  int64_t ToAsk(const v1::NeedProgress& progress) const override {
    return progress.requested() == 0 && progress.accepted() < progress.required() ? 1 : 0;
  }
  std::vector<v1::Candidate> RankResponders(const std::vector<v1::ResponderMatch>& matches,
                                            const std::map<std::string, int>& recent,
                                            const RankContext& context) const override {
    auto ranked = mobilisation::RankResponders(matches, recent, context);
    std::reverse(ranked.begin(), ranked.end());
    return ranked;
  }
};

TEST(MobilisationStrategy, APluggedStrategyDecidesHowManyAndWhoFirst) {
  OneAtATimeFarthestFirst strategy;
  MobilisationOptions options;
  options.strategy = &strategy;
  MobilisationStack stack(options);
  stack.RegisterOrganisation();
  for (int i = 1; i <= 4; ++i) stack.RegisterNurse("n" + std::to_string(i), i);
  stack.DeclareHeatwave(2);
  v1::MobiliseResponse sent = stack.Mobilise("m", 2.0);
  ASSERT_EQ(sent.requests_size(), 1);
  EXPECT_EQ(sent.requests(0).responder_id(), stack.nurses[3]);
  // A decline asks the next one, still one at a time.
  v1::MobilisationRequest answered;
  ASSERT_TRUE(
      stack.Respond(sent.requests(0).id(), stack.nurses[3], v1::ANSWER_DECLINE, &answered).ok());
  std::vector<v1::MobilisationRequest> requests = stack.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].responder_id(), stack.nurses[2]);
  EXPECT_EQ(stack.Progress().requested(), 1);
}

TEST_F(MobilisationTest, RedisDownIsUnavailableNotACrash) {
  stack_.redis->Stop();
  v1::MobiliseRequest request;
  request.set_request_id("m-down");
  request.set_crisis_id(stack_.crisis_id);
  request.set_need_id(stack_.need_id);
  v1::MobiliseResponse response;
  grpc::Status status =
      stack_.stub->Mobilise(MobilisationStack::Coordinator().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  auto swept = stack_.mobilisation->SweepOnce();
  EXPECT_TRUE(absl::IsUnavailable(swept.status())) << swept.status();
  stack_.redis->Restart();
}

}  // namespace
}  // namespace relais::mobilisation
