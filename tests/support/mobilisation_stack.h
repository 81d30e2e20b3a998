// The three services on one real redis-server, as deployed: crisis registry, inventory and
// mobilisation, each on port 0, one FakeClock, sequential ids, background work off (tests call
// SweepOnce). Plus the steps the mobilisation tests keep taking: an OSI with nurses, an active
// local crisis with a need, and a client per role. Header-only: linked by tests that link all
// three service libraries.
#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "relais/v1/crisis_registry.grpc.pb.h"
#include "relais/v1/inventory.grpc.pb.h"
#include "relais/v1/mobilisation.grpc.pb.h"
#include "services/crisis_registry/server.h"
#include "services/inventory/server.h"
#include "services/mobilisation/server.h"
#include "services/runtime/proto_time.h"
#include "tests/support/redis_server.h"
#include "tests/support/test_service.h"

namespace relais::testing {

namespace mv1 = ::relais::v1;

inline absl::Time DecemberDay(int day, int hour = 8) {
  return absl::FromCivil(absl::CivilHour(2026, 12, day, hour), absl::UTCTimeZone());
}

class MobilisationStack {
 public:
  // `sink`, when given, receives every service's log lines (tests that read them); else
  // they are dropped.
  explicit MobilisationStack(mobilisation::MobilisationOptions options = {},
                             std::shared_ptr<spdlog::sinks::sink> sink = nullptr)
      : log_sink(std::move(sink)) {
    clock.Set(DecemberDay(1));
    // Each service as its own Redis ACL user, as deployed.
    redis = RedisServer::StartWithServiceUsers();
    StartRegistry();
    StartInventory(0);
    mobilisation_options = std::move(options);
    mobilisation_options.background = false;
    StartMobilisation();
  }

  ServiceHostSeams Seams() const {
    ServiceHostSeams seams = QuietSeams();
    if (log_sink) seams.log_sink = log_sink;
    return seams;
  }

  void StartRegistry() {
    auto server = crisis::CrisisRegistryServer::Create(
        TestServiceOptions(*redis, "crisis_registry"), clock, ids, Seams());
    EXPECT_TRUE(server.ok()) << server.status();
    registry = *std::move(server);
    EXPECT_TRUE(registry->Start().ok());
    registry_stub = mv1::CrisisRegistry::NewStub(Channel(registry->port()));
  }

  // port 0: any; otherwise the port of an inventory that was stopped (a restart).
  void StartInventory(int port) {
    ServerOptions options = TestServiceOptions(*redis, "inventory");
    if (port != 0) options.listen_address = absl::StrCat("127.0.0.1:", port);
    auto server = inventory::InventoryServer::Create(options, clock, ids, Seams(),
                                                     inventory::SweeperOptions{.enabled = false});
    EXPECT_TRUE(server.ok()) << server.status();
    inventory = *std::move(server);
    EXPECT_TRUE(inventory->Start().ok());
    inventory_port = inventory->port();
    inventory_stub = mv1::ResourceInventory::NewStub(Channel(inventory_port));
  }

  void StartMobilisation() {
    mobilisation_options.peers.crisis_registry_address =
        absl::StrCat("127.0.0.1:", registry->port());
    mobilisation_options.peers.inventory_address = absl::StrCat("127.0.0.1:", inventory_port);
    mobilisation_options.peers.attempts = 1;
    mobilisation_options.peers.deadline = absl::Seconds(5);
    auto server = mobilisation::MobilisationServer::Create(
        TestServiceOptions(*redis, "mobilisation"), clock, ids, Seams(), mobilisation_options);
    EXPECT_TRUE(server.ok()) << server.status();
    mobilisation = *std::move(server);
    EXPECT_TRUE(mobilisation->Start().ok());
    stub = mv1::Mobilisation::NewStub(Channel(mobilisation->port()));
  }

  static std::shared_ptr<grpc::Channel> Channel(int port) {
    return grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                               grpc::InsecureChannelCredentials());
  }

  // A call context with the dev identity headers (docs/ARCHITECTURE.md, identity seam).
  static std::unique_ptr<grpc::ClientContext> As(const std::string& principal,
                                                 const std::string& role = "coordinator",
                                                 const std::string& organisation = "",
                                                 const std::string& responder = "") {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("x-relais-principal", principal);
    ctx->AddMetadata("x-relais-role", role);
    if (!organisation.empty()) ctx->AddMetadata("x-relais-organisation", organisation);
    if (!responder.empty()) ctx->AddMetadata("x-relais-responder", responder);
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return ctx;
  }
  static std::unique_ptr<grpc::ClientContext> Coordinator() { return As("coord-lyon"); }
  std::unique_ptr<grpc::ClientContext> Osi() { return As("osi-admin", "osi_admin", org); }
  static std::unique_ptr<grpc::ClientContext> Responder(const std::string& responder_id) {
    return As("person-" + responder_id, "responder", "", responder_id);
  }

  void RegisterOrganisation() {
    mv1::RegisterOrganisationRequest request;
    request.set_request_id("org-1");
    mv1::Organisation& o = *request.mutable_organisation();
    o.set_name("Croix-Rouge française - Rhône");
    o.set_kind(mv1::ORGANISATION_KIND_NGO);
    o.add_domains(mv1::DOMAIN_HUMANITARIAN_HEALTH);
    o.set_commune("Lyon 7e");
    o.mutable_location()->set_lat(45.745);
    o.mutable_location()->set_lon(4.842);
    mv1::Organisation out;
    grpc::Status status =
        inventory_stub->RegisterOrganisation(As("admin", "admin").get(), request, &out);
    ASSERT_TRUE(status.ok()) << status.error_message();
    org = out.id();
  }

  // A nurse `km_east` kilometres east of Lyon's centre (so ranks follow the order), available
  // all of December.
  std::string RegisterNurse(const std::string& ref, double km_east, int level = 3) {
    mv1::RegisterResponderRequest request;
    request.set_request_id("rsp-" + ref);
    mv1::Responder& r = *request.mutable_responder();
    r.set_display_name("Camille Exemple " + ref);
    auto* s = r.add_skills();
    s->set_code("nurse");
    s->set_level(level);
    r.add_languages("fr");
    r.mutable_home_base()->set_lat(45.764);
    r.mutable_home_base()->set_lon(4.8357 + km_east / 77.7);
    r.set_max_deployment_days(30);
    auto* contact = r.add_contacts();
    contact->set_kind(mv1::CONTACT_KIND_EMAIL);
    contact->set_address(ref + "@example.org");
    auto* sms = r.add_contacts();
    sms->set_kind(mv1::CONTACT_KIND_SMS);
    sms->set_address("+3361234" + std::to_string(1000 + nurses.size()));
    mv1::Responder out;
    grpc::Status status = inventory_stub->RegisterResponder(Osi().get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    mv1::SetAvailabilityRequest period;
    period.set_request_id("avl-" + ref);
    period.set_responder_id(out.id());
    period.mutable_period()->set_kind(mv1::AVAILABILITY_KIND_AVAILABLE);
    *period.mutable_period()->mutable_from() = ToProtoTime(DecemberDay(1, 0));
    *period.mutable_period()->mutable_until() = ToProtoTime(DecemberDay(31, 0));
    mv1::AvailabilityCalendar calendar;
    status = inventory_stub->SetAvailability(Osi().get(), period, &calendar);
    EXPECT_TRUE(status.ok()) << status.error_message();
    nurses.push_back(out.id());
    return out.id();
  }

  // An active local heatwave crisis in Lyon with one need of `quantity` nurses of level >= 2,
  // needed from December 3rd for 5 days.
  std::string DeclareHeatwave(int quantity, const std::string& ref = "heat") {
    mv1::DeclareCrisisRequest request;
    request.set_request_id("crisis-" + ref);
    request.set_title("Canicule - Lyon " + ref);
    request.set_kind(mv1::CRISIS_KIND_HEATWAVE);
    request.set_scope(mv1::CRISIS_SCOPE_LOCAL);
    request.set_severity(mv1::SEVERITY_SEVERE);
    request.set_urgency(mv1::URGENCY_EXPECTED);
    request.set_certainty(mv1::CERTAINTY_LIKELY);
    auto* area = request.mutable_area();
    area->mutable_center()->set_lat(45.764);
    area->mutable_center()->set_lon(4.8357);
    area->set_radius_km(15);
    area->set_description("Métropole de Lyon");
    area->set_country("FR");
    area->set_commune("Lyon");
    *request.mutable_starts_at() = ToProtoTime(DecemberDay(2));
    auto* need = request.add_needs();
    need->mutable_resource()->set_kind(mv1::RESOURCE_KIND_SKILL);
    need->mutable_resource()->set_code("nurse");
    need->set_quantity(quantity);
    need->set_priority(mv1::NEED_PRIORITY_HIGH);
    *need->mutable_needed_by() = ToProtoTime(DecemberDay(3));
    need->set_duration_days(5);
    need->set_min_level(2);
    mv1::Crisis crisis;
    grpc::Status status = registry_stub->DeclareCrisis(Coordinator().get(), request, &crisis);
    EXPECT_TRUE(status.ok()) << status.error_message();
    mv1::ActivateCrisisRequest activate;
    activate.set_request_id("activate-" + ref);
    activate.set_crisis_id(crisis.id());
    status = registry_stub->ActivateCrisis(Coordinator().get(), activate, &crisis);
    EXPECT_TRUE(status.ok()) << status.error_message();
    crisis_id = crisis.id();
    need_id = crisis.needs(0).id();
    return crisis.id();
  }

  mv1::MobiliseResponse Mobilise(const std::string& request_id, double overbooking) {
    mv1::MobiliseRequest request;
    request.set_request_id(request_id);
    request.set_crisis_id(crisis_id);
    request.set_need_id(need_id);
    request.mutable_policy()->set_overbooking_factor(overbooking);
    mv1::MobiliseResponse response;
    grpc::Status status = stub->Mobilise(Coordinator().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  grpc::Status Respond(const std::string& mobilisation_request_id, const std::string& responder,
                       mv1::Answer answer, mv1::MobilisationRequest* out,
                       const std::string& reason = "") {
    mv1::RespondRequest request;
    request.set_request_id("answer-" + mobilisation_request_id);
    request.set_mobilisation_request_id(mobilisation_request_id);
    request.set_answer(answer);
    request.set_reason(reason);
    return stub->Respond(Responder(responder).get(), request, out);
  }

  mv1::NeedProgress Progress() {
    mv1::GetNeedProgressRequest request;
    request.set_crisis_id(crisis_id);
    request.set_need_id(need_id);
    mv1::NeedProgress progress;
    grpc::Status status = stub->GetNeedProgress(Coordinator().get(), request, &progress);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return progress;
  }

  // Every request of the need, oldest first.
  std::vector<mv1::MobilisationRequest> Requests() {
    mv1::ListRequestsRequest request;
    request.set_crisis_id(crisis_id);
    request.set_need_id(need_id);
    request.set_page_size(200);
    mv1::ListRequestsResponse response;
    grpc::Status status = stub->ListRequests(Coordinator().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<mv1::MobilisationRequest> out(response.requests().rbegin(),
                                              response.requests().rend());
    return out;
  }

  mv1::MobilisationRequest RequestFor(const std::string& responder_id) {
    for (auto& r : Requests()) {
      if (r.responder_id() == responder_id) return r;
    }
    ADD_FAILURE() << "no request for " << responder_id;
    return {};
  }

  mv1::Hold HoldOf(const std::string& hold_id) {
    mv1::GetHoldRequest request;
    request.set_hold_id(hold_id);
    mv1::Hold hold;
    grpc::Status status = inventory_stub->GetHold(Coordinator().get(), request, &hold);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return hold;
  }

  // Background work until nothing is left to do now.
  void Settle() {
    for (int i = 0; i < 20; ++i) {
      auto more = mobilisation->SweepOnce();
      ASSERT_TRUE(more.ok()) << more.status();
      if (!*more) break;
    }
  }

  // The test's own connection to Redis, as the default user: checks that read every service's
  // keys (tests/support/mobilisation_invariants.h), which no service's Redis user may.
  RedisClient& Inspector() {
    if (inspector == nullptr) {
      RedisOptions options;
      options.port = redis->port();
      options.command_timeout = absl::Seconds(5);
      inspector = std::make_unique<RedisClient>(options, inspector_clock);
    }
    return *inspector;
  }

  // Declared first: the services hold it until they stop.
  std::shared_ptr<spdlog::sinks::sink> log_sink;
  FakeClock clock;
  SequentialIdGenerator ids;
  std::unique_ptr<RedisServer> redis;
  SystemClock inspector_clock;
  std::unique_ptr<RedisClient> inspector;
  std::unique_ptr<crisis::CrisisRegistryServer> registry;
  std::unique_ptr<inventory::InventoryServer> inventory;
  int inventory_port = 0;
  mobilisation::MobilisationOptions mobilisation_options;
  std::unique_ptr<mobilisation::MobilisationServer> mobilisation;
  std::unique_ptr<mv1::CrisisRegistry::Stub> registry_stub;
  std::unique_ptr<mv1::ResourceInventory::Stub> inventory_stub;
  std::unique_ptr<mv1::Mobilisation::Stub> stub;
  std::string org;
  std::vector<std::string> nurses;
  std::string crisis_id;
  std::string need_id;
};

}  // namespace relais::testing
