// The crisis registry end to end: a gRPC client against the real service (port 0) over a real
// redis-server. Time comes from a FakeClock, ids from a SequentialIdGenerator.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "absl/synchronization/notification.h"
#include "relais/v1/crisis_registry.grpc.pb.h"
#include "services/crisis_registry/server.h"
#include "services/runtime/proto_time.h"
#include "services/runtime/redis/event_log.h"
#include "tests/support/crisis_requests.h"
#include "tests/support/health_client.h"
#include "tests/support/redis_server.h"
#include "tests/support/test_service.h"

namespace relais::crisis {
namespace {

using ::relais::testing::RedisServer;
namespace v1 = ::relais::v1;

class CrisisRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_ = RedisServer::StartWithServiceUsers();  // as its own ACL user, as deployed
    StartService();
  }

  void StartService() {
    auto server =
        CrisisRegistryServer::Create(testing::TestServiceOptions(*redis_, "crisis_registry"),
                                     clock_, ids_, testing::QuietSeams());
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    ASSERT_TRUE(server_->Start().ok());
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::CrisisRegistry::NewStub(channel_);
  }

  // A client context acting as `principal`, with a deadline so no test can hang.
  static std::unique_ptr<grpc::ClientContext> Context(const std::string& principal = "coord-1") {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("x-relais-principal", principal);
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return ctx;
  }

  v1::DeclareCrisisRequest CholeraAbroad(const std::string& request_id) {
    return testing::CholeraAbroad(request_id, clock_.Now());
  }

  v1::Crisis Declare(const v1::DeclareCrisisRequest& request) {
    v1::Crisis crisis;
    grpc::Status status = stub_->DeclareCrisis(Context().get(), request, &crisis);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return crisis;
  }

  grpc::Status Activate(const std::string& id, const std::string& request_id,
                        v1::Crisis* out = nullptr, int64_t expected_version = 0) {
    v1::ActivateCrisisRequest request;
    request.set_request_id(request_id);
    request.set_crisis_id(id);
    request.set_expected_version(expected_version);
    v1::Crisis crisis;
    return stub_->ActivateCrisis(Context().get(), request, out ? out : &crisis);
  }

  int64_t EventCount() { return std::stoll(redis_->Command({"XLEN", "relais:events"})); }

  std::vector<v1::Event> Events() {
    // The test's own connection, as the default user: the registry's Redis user never reads the
    // log.
    RedisOptions options;
    options.port = redis_->port();
    RedisClient redis(options, clock_);
    EventLog log(redis);
    auto events = log.ReadAfter("", 1000);
    EXPECT_TRUE(events.ok()) << events.status();
    return events.ok() ? *events : std::vector<v1::Event>{};
  }

  FakeClock clock_;
  SequentialIdGenerator ids_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<CrisisRegistryServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::CrisisRegistry::Stub> stub_;
};

TEST_F(CrisisRegistryTest, DeclareThenGetReturnsTheStoredCrisisWithItsNeeds) {
  v1::Crisis declared = Declare(CholeraAbroad("r-1"));
  EXPECT_FALSE(declared.id().empty());
  EXPECT_EQ(declared.version(), 1);
  EXPECT_EQ(declared.status(), v1::CRISIS_STATUS_DECLARED);
  EXPECT_EQ(declared.declared_by(), "coord-1");
  ASSERT_EQ(declared.needs_size(), 2);
  EXPECT_EQ(declared.needs(0).crisis_id(), declared.id());
  EXPECT_EQ(declared.needs(0).status(), v1::NEED_STATUS_OPEN);
  // needed_by defaults to the crisis start.
  EXPECT_EQ(declared.needs(1).spec().needed_by().seconds(), declared.starts_at().seconds());

  v1::GetCrisisRequest get;
  get.set_crisis_id(declared.id());
  v1::Crisis fetched;
  ASSERT_TRUE(stub_->GetCrisis(Context().get(), get, &fetched).ok());
  EXPECT_EQ(fetched.SerializeAsString(), declared.SerializeAsString());

  std::vector<v1::Event> events = Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type(), v1::EVENT_TYPE_CRISIS_DECLARED);
  EXPECT_EQ(events[0].crisis_id(), declared.id());
  EXPECT_EQ(events[0].principal_id(), "coord-1");
  EXPECT_EQ(events[0].request_id(), "r-1");
  EXPECT_EQ(events[0].service(), "crisis_registry");
  EXPECT_EQ(events[0].time().seconds(), absl::ToUnixSeconds(clock_.Now()));
  EXPECT_FALSE(events[0].cursor().empty());
}

TEST_F(CrisisRegistryTest, GetUnknownCrisisIsNotFound) {
  v1::GetCrisisRequest get;
  get.set_crisis_id("crs_nope");
  v1::Crisis crisis;
  grpc::Status status = stub_->GetCrisis(Context().get(), get, &crisis);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message().rfind("crisis_id:", 0), 0u) << status.error_message();
}

TEST_F(CrisisRegistryTest, EveryInvalidFieldIsRefusedByNameAndWritesNothing) {
  struct Case {
    std::string field;
    std::function<void(v1::DeclareCrisisRequest&)> spoil;
  };
  const std::vector<Case> cases = {
      {"request_id", [](auto& r) { r.clear_request_id(); }},
      {"request_id", [](auto& r) { r.set_request_id("has space"); }},
      {"title", [](auto& r) { r.set_title("ab"); }},
      {"title", [](auto& r) { r.set_title(std::string(201, 'x')); }},
      {"kind", [](auto& r) { r.set_kind(v1::CRISIS_KIND_UNSPECIFIED); }},
      {"scope", [](auto& r) { r.set_scope(v1::CRISIS_SCOPE_UNSPECIFIED); }},
      {"severity", [](auto& r) { r.set_severity(static_cast<v1::Severity>(42)); }},
      {"urgency", [](auto& r) { r.set_urgency(v1::URGENCY_UNSPECIFIED); }},
      {"certainty", [](auto& r) { r.set_certainty(v1::CERTAINTY_UNSPECIFIED); }},
      {"area", [](auto& r) { r.clear_area(); }},
      {"area.center.lat", [](auto& r) { r.mutable_area()->mutable_center()->set_lat(91); }},
      {"area.center.lon", [](auto& r) { r.mutable_area()->mutable_center()->set_lon(-181); }},
      {"area.radius_km", [](auto& r) { r.mutable_area()->set_radius_km(0); }},
      {"area.radius_km", [](auto& r) { r.mutable_area()->set_radius_km(NAN); }},
      {"area.description", [](auto& r) { r.mutable_area()->clear_description(); }},
      {"area.country", [](auto& r) { r.mutable_area()->set_country("cd"); }},
      {"area.country", [](auto& r) { r.set_scope(v1::CRISIS_SCOPE_LOCAL); }},
      // LOCAL means the Lyon metropolitan area: Kalemie is not.
      {"area.center",
       [](auto& r) {
         r.set_scope(v1::CRISIS_SCOPE_LOCAL);
         r.mutable_area()->set_country("FR");
       }},
      {"starts_at", [](auto& r) { r.mutable_starts_at()->set_nanos(-1); }},
      {"description", [](auto& r) { r.set_description(std::string(4001, 'x')); }},
      {"needs[0].resource.code",
       [](auto& r) { r.mutable_needs(0)->mutable_resource()->set_code("astronaut"); }},
      {"needs[0].quantity", [](auto& r) { r.mutable_needs(0)->set_quantity(0); }},
      {"needs[1].quantity", [](auto& r) { r.mutable_needs(1)->set_quantity(10001); }},
      {"needs[0].priority",
       [](auto& r) { r.mutable_needs(0)->set_priority(v1::NEED_PRIORITY_UNSPECIFIED); }},
      {"needs[0].duration_days", [](auto& r) { r.mutable_needs(0)->set_duration_days(0); }},
      {"needs[1].duration_days", [](auto& r) { r.mutable_needs(1)->set_duration_days(3); }},
      {"needs[0].languages[0]", [](auto& r) { r.mutable_needs(0)->set_languages(0, "FRA"); }},
      {"needs[0].certifications[0]",
       [](auto& r) { r.mutable_needs(0)->add_certifications("jedi-knight"); }},
  };
  for (const auto& c : cases) {
    v1::DeclareCrisisRequest request = CholeraAbroad("r-invalid");
    c.spoil(request);
    v1::Crisis crisis;
    grpc::Status status = stub_->DeclareCrisis(Context().get(), request, &crisis);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.field;
    EXPECT_EQ(status.error_message().rfind(c.field, 0), 0u)
        << "expected the message to name " << c.field << ", got: " << status.error_message();
  }
  // Nothing was written: no crisis, no index, no idempotency record, no event.
  EXPECT_EQ(redis_->Command({"KEYS", "crisis:*"}), "");
  EXPECT_EQ(redis_->Command({"EXISTS", "relais:events"}), "0");
}

TEST_F(CrisisRegistryTest, RetryWithTheSameRequestIdReturnsTheFirstOutcomeAndOneEvent) {
  v1::Crisis first = Declare(CholeraAbroad("r-retry"));
  v1::Crisis second = Declare(CholeraAbroad("r-retry"));
  EXPECT_EQ(second.id(), first.id());
  EXPECT_EQ(EventCount(), 1);

  v1::ListCrisesRequest list;
  v1::ListCrisesResponse page;
  ASSERT_TRUE(stub_->ListCrises(Context().get(), list, &page).ok());
  EXPECT_EQ(page.crises_size(), 1);

  // A retried transition replays too, even though the crisis has moved on since.
  ASSERT_TRUE(Activate(first.id(), "r-activate").ok());
  v1::Crisis again;
  ASSERT_TRUE(Activate(first.id(), "r-activate", &again).ok());
  EXPECT_EQ(again.status(), v1::CRISIS_STATUS_ACTIVE);
  EXPECT_EQ(again.version(), 2);
  EXPECT_EQ(EventCount(), 2);
}

TEST_F(CrisisRegistryTest, RequestIdsAreScopedToTheirPrincipal) {
  v1::Crisis mine = Declare(CholeraAbroad("r-shared"));
  v1::Crisis theirs;
  ASSERT_TRUE(
      stub_->DeclareCrisis(Context("coord-2").get(), CholeraAbroad("r-shared"), &theirs).ok());
  EXPECT_NE(theirs.id(), mine.id());
  EXPECT_EQ(EventCount(), 2);
}

TEST_F(CrisisRegistryTest, SameRequestIdForADifferentRequestIsInvalidArgument) {
  Declare(CholeraAbroad("r-reused"));
  v1::DeclareCrisisRequest other = CholeraAbroad("r-reused");
  other.set_title("Autre crise");
  v1::Crisis crisis;
  grpc::Status status = stub_->DeclareCrisis(Context().get(), other, &crisis);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("request_id", 0), 0u) << status.error_message();
  EXPECT_EQ(EventCount(), 1);
}

TEST_F(CrisisRegistryTest, StaleExpectedVersionIsAbortedAndChangesNothing) {
  v1::Crisis crisis = Declare(CholeraAbroad("r-1"));
  v1::UpdateCrisisRequest update;
  update.set_request_id("r-2");
  update.set_crisis_id(crisis.id());
  update.mutable_crisis()->set_title("Choléra - Kalemie et environs");
  update.mutable_update_mask()->add_paths("title");
  update.set_expected_version(1);
  v1::Crisis updated;
  ASSERT_TRUE(stub_->UpdateCrisis(Context().get(), update, &updated).ok());
  EXPECT_EQ(updated.version(), 2);
  EXPECT_EQ(updated.title(), "Choléra - Kalemie et environs");

  update.set_request_id("r-3");
  update.mutable_crisis()->set_title("Écrasé par une vue périmée");
  grpc::Status status = stub_->UpdateCrisis(Context().get(), update, &updated);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED) << status.error_message();

  v1::GetCrisisRequest get;
  get.set_crisis_id(crisis.id());
  v1::Crisis now;
  ASSERT_TRUE(stub_->GetCrisis(Context().get(), get, &now).ok());
  EXPECT_EQ(now.title(), "Choléra - Kalemie et environs");
  EXPECT_EQ(now.version(), 2);
  EXPECT_EQ(EventCount(), 2);
}

TEST_F(CrisisRegistryTest, LifecycleFollowsTheTableAndRefusalsAreRemembered) {
  v1::Crisis crisis = Declare(CholeraAbroad("r-1"));
  v1::Crisis out;
  ASSERT_TRUE(Activate(crisis.id(), "r-2", &out).ok());
  EXPECT_EQ(out.status(), v1::CRISIS_STATUS_ACTIVE);

  v1::PauseCrisisRequest pause;
  pause.set_request_id("r-3");
  pause.set_crisis_id(crisis.id());
  pause.set_reason("Accès au camp suspendu par les autorités");
  ASSERT_TRUE(stub_->PauseCrisis(Context().get(), pause, &out).ok());
  EXPECT_EQ(out.status(), v1::CRISIS_STATUS_PAUSED);
  EXPECT_EQ(out.status_reason(), "Accès au camp suspendu par les autorités");

  // PAUSED -> PAUSED is not a transition.
  pause.set_request_id("r-4");
  EXPECT_EQ(stub_->PauseCrisis(Context().get(), pause, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  v1::CloseCrisisRequest close;
  close.set_request_id("r-5");
  close.set_crisis_id(crisis.id());
  close.set_reason("Épidémie maîtrisée");
  ASSERT_TRUE(stub_->CloseCrisis(Context().get(), close, &out).ok());
  EXPECT_EQ(out.status(), v1::CRISIS_STATUS_CLOSED);

  // CLOSED is final, and the refusal is what a retry gets.
  grpc::Status refused = Activate(crisis.id(), "r-6");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  grpc::Status retried = Activate(crisis.id(), "r-6");
  EXPECT_EQ(retried.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(retried.error_message(), refused.error_message());

  // Declared, activated, paused, closed: one event each, none for refusals.
  std::vector<v1::Event> events = Events();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[1].type(), v1::EVENT_TYPE_CRISIS_ACTIVATED);
  EXPECT_EQ(events[2].type(), v1::EVENT_TYPE_CRISIS_PAUSED);
  EXPECT_EQ(events[3].type(), v1::EVENT_TYPE_CRISIS_CLOSED);
  EXPECT_EQ(events[3].subject_version(), 4);
}

TEST_F(CrisisRegistryTest, NeedsAreAddedUpdatedAndCancelled) {
  v1::Crisis crisis = Declare(CholeraAbroad("r-1"));

  v1::AddNeedRequest add;
  add.set_request_id("r-2");
  add.set_crisis_id(crisis.id());
  add.mutable_need()->mutable_resource()->set_kind(v1::RESOURCE_KIND_SKILL);
  add.mutable_need()->mutable_resource()->set_code("wash-engineer");
  add.mutable_need()->set_quantity(2);
  add.mutable_need()->set_priority(v1::NEED_PRIORITY_HIGH);
  add.mutable_need()->set_duration_days(21);
  v1::Need added;
  ASSERT_TRUE(stub_->AddNeed(Context().get(), add, &added).ok());
  EXPECT_EQ(added.crisis_id(), crisis.id());
  EXPECT_EQ(added.spec().resource().code(), "wash-engineer");
  // The retry answers with the same need, not a second one.
  v1::Need replayed;
  ASSERT_TRUE(stub_->AddNeed(Context().get(), add, &replayed).ok());
  EXPECT_EQ(replayed.id(), added.id());

  v1::UpdateNeedRequest update;
  update.set_request_id("r-3");
  update.set_crisis_id(crisis.id());
  update.set_need_id(added.id());
  update.mutable_need()->mutable_spec()->set_quantity(3);
  update.mutable_update_mask()->add_paths("spec.quantity");
  v1::Need updated;
  ASSERT_TRUE(stub_->UpdateNeed(Context().get(), update, &updated).ok());
  EXPECT_EQ(updated.spec().quantity(), 3);

  v1::UpdateNeedRequest cancel;
  cancel.set_request_id("r-4");
  cancel.set_crisis_id(crisis.id());
  cancel.set_need_id(added.id());
  cancel.mutable_need()->set_status(v1::NEED_STATUS_CANCELLED);
  cancel.mutable_need()->set_cancel_reason("Pris en charge par une autre ONG");
  cancel.mutable_update_mask()->add_paths("status");
  cancel.mutable_update_mask()->add_paths("cancel_reason");
  v1::Need cancelled;
  ASSERT_TRUE(stub_->UpdateNeed(Context().get(), cancel, &cancelled).ok());
  EXPECT_EQ(cancelled.status(), v1::NEED_STATUS_CANCELLED);

  // A cancelled need is final.
  update.set_request_id("r-5");
  EXPECT_EQ(stub_->UpdateNeed(Context().get(), update, &updated).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  v1::GetCrisisRequest get;
  get.set_crisis_id(crisis.id());
  v1::Crisis now;
  ASSERT_TRUE(stub_->GetCrisis(Context().get(), get, &now).ok());
  EXPECT_EQ(now.needs_size(), 3);
  EXPECT_EQ(now.version(), 4);
  std::vector<v1::Event> events = Events();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[1].type(), v1::EVENT_TYPE_NEED_ADDED);
  EXPECT_EQ(events[1].need_id(), added.id());
  EXPECT_EQ(events[2].type(), v1::EVENT_TYPE_NEED_UPDATED);
  EXPECT_EQ(events[3].type(), v1::EVENT_TYPE_NEED_CANCELLED);
}

TEST_F(CrisisRegistryTest, ListIsNewestFirstFilteredAndPagedExactly) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    v1::DeclareCrisisRequest request = CholeraAbroad("r-list-" + std::to_string(i));
    if (i % 2 == 1) request.set_kind(v1::CRISIS_KIND_FLOOD);
    ids.push_back(Declare(request).id());
    clock_.Advance(absl::Minutes(1));
  }
  ASSERT_TRUE(Activate(ids[3], "r-act").ok());

  // All, two at a time: 4 3 | 2 1 | 0.
  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    v1::ListCrisesRequest list;
    list.set_page_size(2);
    list.set_page_token(token);
    v1::ListCrisesResponse page;
    ASSERT_TRUE(stub_->ListCrises(Context().get(), list, &page).ok());
    for (const auto& c : page.crises()) seen.push_back(c.id());
    token = page.next_page_token();
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (std::vector<std::string>{ids[4], ids[3], ids[2], ids[1], ids[0]}));

  v1::ListCrisesRequest floods;
  floods.set_kind(v1::CRISIS_KIND_FLOOD);
  v1::ListCrisesResponse page;
  ASSERT_TRUE(stub_->ListCrises(Context().get(), floods, &page).ok());
  ASSERT_EQ(page.crises_size(), 2);
  EXPECT_EQ(page.crises(0).id(), ids[3]);
  EXPECT_EQ(page.crises(1).id(), ids[1]);

  v1::ListCrisesRequest active_floods;
  active_floods.set_kind(v1::CRISIS_KIND_FLOOD);
  active_floods.set_status(v1::CRISIS_STATUS_ACTIVE);
  ASSERT_TRUE(stub_->ListCrises(Context().get(), active_floods, &page).ok());
  ASSERT_EQ(page.crises_size(), 1);
  EXPECT_EQ(page.crises(0).id(), ids[3]);

  v1::ListCrisesRequest declared;
  declared.set_status(v1::CRISIS_STATUS_DECLARED);
  ASSERT_TRUE(stub_->ListCrises(Context().get(), declared, &page).ok());
  EXPECT_EQ(page.crises_size(), 4);

  v1::ListCrisesRequest bad;
  bad.set_page_token("not-a-token!");
  grpc::Status status = stub_->ListCrises(Context().get(), bad, &page);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("page_token", 0), 0u) << status.error_message();
  bad.set_page_token("");
  bad.set_page_size(201);
  status = stub_->ListCrises(Context().get(), bad, &page);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("page_size", 0), 0u) << status.error_message();
}

TEST_F(CrisisRegistryTest, ConcurrentDeclaresAllLandOnceEach) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 10;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        v1::Crisis crisis;
        auto request = CholeraAbroad("r-" + std::to_string(t) + "-" + std::to_string(i));
        if (!stub_->DeclareCrisis(Context().get(), request, &crisis).ok()) ++failures;
        // Every other one is retried at once, as a client that lost the answer would.
        if (i % 2 == 0 && !stub_->DeclareCrisis(Context().get(), request, &crisis).ok()) {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(EventCount(), kThreads * kPerThread);
  EXPECT_EQ(redis_->Command({"ZCARD", "crisis:idx:all"}), std::to_string(kThreads * kPerThread));

  std::set<std::string> ids;
  std::string token;
  do {
    v1::ListCrisesRequest list;
    list.set_page_size(200);
    list.set_page_token(token);
    v1::ListCrisesResponse page;
    ASSERT_TRUE(stub_->ListCrises(Context().get(), list, &page).ok());
    for (const auto& c : page.crises()) ids.insert(c.id());
    token = page.next_page_token();
  } while (!token.empty());
  EXPECT_EQ(ids.size(), static_cast<size_t>(kThreads * kPerThread));
}

TEST_F(CrisisRegistryTest, ConcurrentUpdatesOfOneCrisisAreAllApplied) {
  v1::Crisis crisis = Declare(CholeraAbroad("r-1"));
  constexpr int kThreads = 4;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      v1::AddNeedRequest add;
      add.set_request_id("r-add-" + std::to_string(t));
      add.set_crisis_id(crisis.id());
      add.mutable_need()->mutable_resource()->set_kind(v1::RESOURCE_KIND_SKILL);
      add.mutable_need()->mutable_resource()->set_code("logistician");
      add.mutable_need()->set_quantity(1 + t);
      add.mutable_need()->set_priority(v1::NEED_PRIORITY_MEDIUM);
      add.mutable_need()->set_duration_days(14);
      v1::Need need;
      grpc::Status status = stub_->AddNeed(Context().get(), add, &need);
      // Losing the optimistic race is retried inside the service; a pinned version is not.
      if (status.ok())
        ++ok;
      else
        EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED) << status.error_message();
    });
  }
  for (auto& thread : threads) thread.join();
  v1::GetCrisisRequest get;
  get.set_crisis_id(crisis.id());
  v1::Crisis now;
  ASSERT_TRUE(stub_->GetCrisis(Context().get(), get, &now).ok());
  // Whatever succeeded is there, exactly once, and the version counts every change.
  EXPECT_EQ(now.needs_size(), 2 + ok.load());
  EXPECT_EQ(now.version(), 1 + ok.load());
  EXPECT_EQ(EventCount(), 1 + ok.load());
  EXPECT_GE(ok.load(), 1);
}

TEST_F(CrisisRegistryTest, RedisDownIsUnavailableAndTheServiceRecovers) {
  const std::string name(v1::CrisisRegistry::service_full_name());
  v1::Crisis crisis = Declare(CholeraAbroad("r-1"));
  EXPECT_EQ(testing::HealthStatus(channel_, name), 1);  // SERVING
  redis_->Stop();
  server_->host().ProbeNow();
  EXPECT_EQ(testing::HealthStatus(channel_, name), 2);  // NOT_SERVING
  EXPECT_EQ(testing::HealthStatus(channel_, ""), 2);

  v1::GetCrisisRequest get;
  get.set_crisis_id(crisis.id());
  v1::Crisis out;
  EXPECT_EQ(stub_->GetCrisis(Context().get(), get, &out).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(stub_->DeclareCrisis(Context().get(), CholeraAbroad("r-2"), &out).error_code(),
            grpc::StatusCode::UNAVAILABLE);

  redis_->Restart();
  clock_.Advance(absl::Seconds(10));  // past the reconnect back-off
  server_->host().ProbeNow();
  EXPECT_EQ(testing::HealthStatus(channel_, name), 1);
  ASSERT_TRUE(stub_->GetCrisis(Context().get(), get, &out).ok());
  EXPECT_EQ(out.id(), crisis.id());  // AOF kept it
  // The write that failed is retried with the same request id and now lands, once.
  ASSERT_TRUE(stub_->DeclareCrisis(Context().get(), CholeraAbroad("r-2"), &out).ok());
  EXPECT_EQ(EventCount(), 2);
}

TEST_F(CrisisRegistryTest, LostFunctionsAreUnavailableUntilTheSetupLoadsThemAgain) {
  const std::string name(v1::CrisisRegistry::service_full_name());
  Declare(CholeraAbroad("r-1"));
  ASSERT_EQ(redis_->Command({"FUNCTION", "FLUSH"}), "OK");
  // The service's Redis user may not load them (no FUNCTION in its ACL): it says who does.
  v1::Crisis out;
  grpc::Status lost = stub_->DeclareCrisis(Context().get(), CholeraAbroad("r-2"), &out);
  EXPECT_EQ(lost.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(lost.error_message().find("run relais-redis-setup"), std::string::npos)
      << lost.error_message();
  server_->host().ProbeNow();
  EXPECT_EQ(testing::HealthStatus(channel_, name), 2);  // NOT_SERVING
  EXPECT_EQ(redis_->Command({"FUNCTION", "LIST"}), "");

  ASSERT_TRUE(redis_->SetUpServiceUsers().ok());
  server_->host().ProbeNow();
  EXPECT_EQ(testing::HealthStatus(channel_, name), 1);  // SERVING
  // The call that failed is retried with the same request id and lands, once.
  ASSERT_TRUE(stub_->DeclareCrisis(Context().get(), CholeraAbroad("r-2"), &out).ok());
  EXPECT_EQ(EventCount(), 2);
}

TEST_F(CrisisRegistryTest, InDevelopmentTheServiceReloadsLostFunctionsItself) {
  // --redis_load_functions, as the default user: no relais-redis-setup needed.
  auto dev = CrisisRegistryServer::Create(testing::TestServiceOptions(redis_->port()), clock_, ids_,
                                          testing::QuietSeams());
  ASSERT_TRUE(dev.ok()) << dev.status();
  ASSERT_TRUE((*dev)->Start().ok());
  auto dev_channel = grpc::CreateChannel("127.0.0.1:" + std::to_string((*dev)->port()),
                                         grpc::InsecureChannelCredentials());
  auto dev_stub = v1::CrisisRegistry::NewStub(dev_channel);
  ASSERT_EQ(redis_->Command({"FUNCTION", "FLUSH"}), "OK");
  (*dev)->host().ProbeNow();  // the readiness check loads them again
  EXPECT_EQ(testing::HealthStatus(dev_channel, ""), 1);
  ASSERT_EQ(redis_->Command({"FUNCTION", "FLUSH"}), "OK");
  v1::Crisis out;
  ASSERT_TRUE(dev_stub->DeclareCrisis(Context().get(), CholeraAbroad("r-1"), &out).ok());
  EXPECT_NE(redis_->Command({"FUNCTION", "LIST"}).find("relais_runtime"), std::string::npos);
  EXPECT_EQ(EventCount(), 1);
}

TEST_F(CrisisRegistryTest, ShutdownLetsAnInFlightCallFinish) {
  // Hold writes inside Redis so the call is still in flight when shutdown starts.
  ASSERT_EQ(redis_->Command({"CLIENT", "PAUSE", "10000", "WRITE"}), "OK");
  v1::DeclareCrisisRequest request = CholeraAbroad("r-inflight");
  v1::Crisis crisis;
  grpc::Status status;
  absl::Notification done;
  auto ctx = Context();
  stub_->async()->DeclareCrisis(ctx.get(), &request, &crisis, [&](grpc::Status s) {
    status = std::move(s);
    done.Notify();
  });
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (server_->host().runner().in_flight() == 0 && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(1));  // waiting for a condition, bounded
  }
  ASSERT_EQ(server_->host().runner().in_flight(), 1);

  std::thread shutdown([&] { server_->Shutdown(); });
  // New calls are refused while draining; then Redis lets the held write through.
  ASSERT_EQ(redis_->Command({"CLIENT", "UNPAUSE"}), "OK");
  shutdown.join();
  ASSERT_TRUE(done.WaitForNotificationWithTimeout(absl::Seconds(10)));
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(crisis.id().empty());
  EXPECT_EQ(EventCount(), 1);
}

}  // namespace
}  // namespace relais::crisis
