// The resource inventory's whole journey over gRPC, as the service is wired in main.cc: an OSI
// registers itself, responders, availability, a warehouse with stock and a team; a coordinator
// finds who and what can go (local and abroad), holds, confirms, is refused a double booking,
// lets holds expire (the sweeper on a FakeClock), releases, records experience and erases.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "relais/v1/inventory.grpc.pb.h"
#include "services/inventory/server.h"
#include "services/runtime/proto_time.h"
#include "services/runtime/redis/event_log.h"
#include "tests/support/redis_server.h"
#include "tests/support/test_service.h"

namespace relais::inventory {
namespace {

namespace v1 = ::relais::v1;
using ::relais::testing::RedisServer;

absl::Time Day(int day, int hour = 8) {
  return absl::FromCivil(absl::CivilHour(2026, 12, day, hour), absl::UTCTimeZone());
}

v1::TimeWindow Window(absl::Time start, absl::Time end) {
  v1::TimeWindow window;
  *window.mutable_start() = ToProtoTime(start);
  *window.mutable_end() = ToProtoTime(end);
  return window;
}

class InventoryFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_.Set(Day(1));
    redis_ = RedisServer::StartWithServiceUsers();  // as its own ACL user, as deployed
    auto server =
        InventoryServer::Create(testing::TestServiceOptions(*redis_, "inventory", 4), clock_, ids_,
                                testing::QuietSeams(), SweeperOptions{.enabled = false});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    ASSERT_TRUE(server_->Start().ok());
    stub_ = v1::ResourceInventory::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(server_->port()), grpc::InsecureChannelCredentials()));
  }

  std::unique_ptr<grpc::ClientContext> As(const std::string& principal,
                                          const std::string& organisation = "",
                                          const std::string& role = "coordinator") {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("x-relais-principal", principal);
    ctx->AddMetadata("x-relais-role", role);
    if (!organisation.empty()) ctx->AddMetadata("x-relais-organisation", organisation);
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    return ctx;
  }
  std::unique_ptr<grpc::ClientContext> Osi() { return As("osi-hi", org_, "osi_admin"); }
  std::unique_ptr<grpc::ClientContext> Coordinator() { return As("coord-lyon"); }

  std::string RegisterResponder(const std::string& request_id, const std::string& skill, int level,
                                double lat, double lon, bool passport) {
    v1::RegisterResponderRequest request;
    request.set_request_id(request_id);
    v1::Responder& r = *request.mutable_responder();
    r.set_display_name("Camille Exemple " + request_id);
    auto* s = r.add_skills();
    s->set_code(skill);
    s->set_level(level);
    r.add_languages("fr");
    r.mutable_home_base()->set_lat(lat);
    r.mutable_home_base()->set_lon(lon);
    r.set_max_deployment_days(30);
    if (passport) {
      *r.mutable_travel()->mutable_passport_valid_until() =
          ToProtoTime(absl::FromCivil(absl::CivilDay(2029, 1, 1), absl::UTCTimeZone()));
      r.mutable_travel()->set_passport_country("FR");
      auto* vaccine = r.add_certifications();
      vaccine->set_code("yellow-fever-vaccination");
    }
    auto* contact = r.add_contacts();
    contact->set_kind(v1::CONTACT_KIND_EMAIL);
    contact->set_address(request_id + "@example.org");
    v1::Responder out;
    grpc::Status status = stub_->RegisterResponder(Osi().get(), request, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    v1::SetAvailabilityRequest period;
    period.set_request_id(request_id + "-avl");
    period.set_responder_id(out.id());
    period.mutable_period()->set_kind(v1::AVAILABILITY_KIND_AVAILABLE);
    *period.mutable_period()->mutable_from() = ToProtoTime(Day(1));
    *period.mutable_period()->mutable_until() = ToProtoTime(Day(31));
    v1::AvailabilityCalendar calendar;
    status = stub_->SetAvailability(Osi().get(), period, &calendar);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out.id();
  }

  std::vector<std::string> FindLocal(const std::string& skill, absl::Time start, absl::Time end) {
    v1::FindRespondersRequest request;
    request.set_skill_code(skill);
    *request.mutable_window() = Window(start, end);
    request.mutable_local()->mutable_center()->set_lat(45.7640);
    request.mutable_local()->mutable_center()->set_lon(4.8357);
    request.mutable_local()->set_radius_km(50);
    v1::FindRespondersResponse response;
    grpc::Status status = stub_->FindResponders(Coordinator().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::string> ids;
    for (const auto& match : response.matches()) ids.push_back(match.responder_id());
    return ids;
  }

  grpc::Status Hold(v1::HoldRequest request, v1::Hold* out) {
    request.set_holder_ref("mob:test");
    request.mutable_ttl()->set_seconds(600);
    return stub_->Hold(Coordinator().get(), request, out);
  }

  v1::StockLine Line(const std::string& id) {
    v1::ListStockRequest request;
    request.set_organisation_id(org_);
    v1::ListStockResponse response;
    EXPECT_TRUE(stub_->ListStock(Osi().get(), request, &response).ok());
    for (const auto& line : response.lines()) {
      if (line.id() == id) return line;
    }
    ADD_FAILURE() << "no stock line " << id;
    return {};
  }

  FakeClock clock_;
  SequentialIdGenerator ids_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<InventoryServer> server_;
  std::unique_ptr<v1::ResourceInventory::Stub> stub_;
  std::string org_;
};

TEST_F(InventoryFlowTest, FromRegistrationToHoldsSweepingAndErasure) {
  // The OSI registers itself (Handicap International, Lyon 8e) and its people.
  v1::RegisterOrganisationRequest org_request;
  org_request.set_request_id("org-hi");
  v1::Organisation& o = *org_request.mutable_organisation();
  o.set_name("Handicap International - Humanity & Inclusion");
  o.set_kind(v1::ORGANISATION_KIND_NGO);
  o.add_domains(v1::DOMAIN_HUMANITARIAN_HEALTH);
  o.set_commune("Lyon 8e");
  o.mutable_location()->set_lat(45.734);
  o.mutable_location()->set_lon(4.869);
  v1::Organisation org;
  ASSERT_TRUE(stub_->RegisterOrganisation(As("admin", "", "admin").get(), org_request, &org).ok());
  org_ = org.id();
  const std::string near_nurse = RegisterResponder("rsp-1", "nurse", 3, 45.76, 4.84, false);
  const std::string far_nurse = RegisterResponder("rsp-2", "nurse", 2, 45.99, 4.72, true);
  const std::string wash = RegisterResponder("rsp-3", "wash-engineer", 4, 45.70, 4.88, true);

  // Local search: both nurses, nearest first.
  EXPECT_EQ(FindLocal("nurse", Day(3), Day(5)), (std::vector<std::string>{near_nurse, far_nurse}));
  // Abroad: the WASH engineer, whose passport and vaccination cover the window.
  v1::FindRespondersRequest abroad;
  abroad.set_skill_code("wash-engineer");
  *abroad.mutable_window() = Window(Day(5), Day(19));
  abroad.mutable_abroad()->add_entry_certifications("yellow-fever-vaccination");
  v1::FindRespondersResponse found;
  ASSERT_TRUE(stub_->FindResponders(Coordinator().get(), abroad, &found).ok());
  ASSERT_EQ(found.matches_size(), 1);
  EXPECT_EQ(found.matches(0).responder_id(), wash);

  // Stock: a warehouse in Vaulx-en-Velin with ten cholera kits.
  v1::RegisterWarehouseRequest warehouse_request;
  warehouse_request.set_request_id("whs-1");
  warehouse_request.mutable_warehouse()->set_name("Bioport - Vaulx-en-Velin");
  warehouse_request.mutable_warehouse()->set_commune("Vaulx-en-Velin");
  warehouse_request.mutable_warehouse()->mutable_location()->set_lat(45.778);
  warehouse_request.mutable_warehouse()->mutable_location()->set_lon(4.921);
  v1::Warehouse warehouse;
  ASSERT_TRUE(stub_->RegisterWarehouse(Osi().get(), warehouse_request, &warehouse).ok());
  v1::OfferSuppliesRequest offer;
  offer.set_request_id("stk-1");
  offer.mutable_line()->set_warehouse_id(warehouse.id());
  offer.mutable_line()->set_item_code("who-cholera-kit-central");
  offer.mutable_line()->set_lot("LOT-2026-117");
  *offer.mutable_line()->mutable_expires_at() =
      ToProtoTime(absl::FromCivil(absl::CivilDay(2028, 6, 30), absl::UTCTimeZone()));
  offer.set_quantity(10);
  v1::StockLine line;
  ASSERT_TRUE(stub_->OfferSupplies(Osi().get(), offer, &line).ok());
  EXPECT_EQ(line.ledger().available(), 10);
  v1::FindSuppliesRequest find_supplies;
  find_supplies.set_item_code("who-cholera-kit-central");
  find_supplies.mutable_near()->set_lat(45.764);
  find_supplies.mutable_near()->set_lon(4.836);
  find_supplies.set_quantity(4);
  v1::FindSuppliesResponse supplies;
  ASSERT_TRUE(stub_->FindSupplies(Coordinator().get(), find_supplies, &supplies).ok());
  ASSERT_EQ(supplies.matches_size(), 1);
  EXPECT_TRUE(supplies.covered());

  // A WASH team: the engineer and the far nurse, with two kits.
  v1::OfferTeamRequest team_request;
  team_request.set_request_id("team-1");
  team_request.mutable_team()->set_name("ERU WASH HI Lyon");
  team_request.mutable_team()->set_type_code("ifrc-eru-wash-m15");
  team_request.mutable_team()->add_member_ids(wash);
  team_request.mutable_team()->add_member_ids(far_nurse);
  auto* kit = team_request.mutable_team()->add_kit();
  kit->set_stock_line_id(line.id());
  kit->set_quantity(2);
  v1::Team team;
  grpc::Status status = stub_->OfferTeam(Osi().get(), team_request, &team);
  ASSERT_TRUE(status.ok()) << status.error_message();

  // Holds: the near nurse, then the whole team (members and kit at once).
  v1::HoldRequest hold_nurse;
  hold_nurse.set_request_id("hold-1");
  hold_nurse.set_responder_id(near_nurse);
  *hold_nurse.mutable_window() = Window(Day(3), Day(5));
  v1::Hold nurse_hold;
  status = Hold(hold_nurse, &nurse_hold);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(nurse_hold.state(), v1::HOLD_STATE_HELD);
  // Held for the window: gone from the search, back for a window after it.
  EXPECT_EQ(FindLocal("nurse", Day(4), Day(6)), (std::vector<std::string>{far_nurse}));
  EXPECT_EQ(FindLocal("nurse", Day(5), Day(7)), (std::vector<std::string>{near_nurse, far_nurse}));

  v1::HoldRequest hold_team;
  hold_team.set_request_id("hold-2");
  hold_team.set_team_id(team.id());
  *hold_team.mutable_window() = Window(Day(4), Day(6));
  v1::Hold team_hold;
  status = Hold(hold_team, &team_hold);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(team_hold.member_ids_size(), 2);
  EXPECT_EQ(Line(line.id()).ledger().held(), 2);

  // A batch: the nurse again for an overlapping window (refused) and three kits (held).
  v1::HoldBatchRequest batch;
  batch.set_request_id("batch-1");
  v1::HoldRequest* again = batch.add_items();
  again->set_responder_id(near_nurse);
  *again->mutable_window() = Window(Day(4), Day(6));
  again->set_holder_ref("mob:test");
  v1::HoldRequest* kits = batch.add_items();
  kits->set_stock_line_id(line.id());
  kits->set_quantity(3);
  kits->set_holder_ref("mob:test");
  kits->mutable_ttl()->set_seconds(600);
  v1::HoldBatchResponse outcomes;
  status = stub_->HoldBatch(Coordinator().get(), batch, &outcomes);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(outcomes.outcomes_size(), 2);
  EXPECT_EQ(outcomes.outcomes(0).code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(outcomes.outcomes(1).code(), grpc::StatusCode::OK);
  EXPECT_EQ(Line(line.id()).ledger().available(), 5);

  // The nurse accepts: the hold becomes a commitment; erasing her is refused meanwhile.
  v1::ConfirmHoldRequest confirm;
  confirm.set_request_id("confirm-1");
  confirm.set_hold_id(nurse_hold.id());
  v1::Hold committed;
  ASSERT_TRUE(stub_->ConfirmHold(Coordinator().get(), confirm, &committed).ok());
  EXPECT_EQ(committed.state(), v1::HOLD_STATE_COMMITTED);
  v1::RemoveResponderRequest remove;
  remove.set_request_id("remove-1");
  remove.set_responder_id(near_nurse);
  v1::RemoveResponderResponse removed;
  EXPECT_EQ(stub_->RemoveResponder(Osi().get(), remove, &removed).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // Nobody confirms the team or the kits: eleven minutes later the sweeper frees them.
  clock_.Advance(absl::Minutes(11));
  auto swept = server_->SweepOnce();
  ASSERT_TRUE(swept.ok()) << swept.status();
  v1::GetHoldRequest get_team_hold;
  get_team_hold.set_hold_id(team_hold.id());
  v1::Hold expired;
  ASSERT_TRUE(stub_->GetHold(Coordinator().get(), get_team_hold, &expired).ok());
  EXPECT_EQ(expired.state(), v1::HOLD_STATE_EXPIRED);
  EXPECT_EQ(Line(line.id()).ledger().available(), 10);
  EXPECT_EQ(Line(line.id()).ledger().held(), 0);
  // The commitment is not a hold: the sweeper leaves it alone.
  v1::GetHoldRequest get_nurse_hold;
  get_nurse_hold.set_hold_id(nurse_hold.id());
  v1::Hold still;
  ASSERT_TRUE(stub_->GetHold(Coordinator().get(), get_nurse_hold, &still).ok());
  EXPECT_EQ(still.state(), v1::HOLD_STATE_COMMITTED);

  // Mission over: released, experience recorded; she leaves the team... she is in none, so the
  // OSI can now erase her.
  v1::ReleaseCommitmentRequest release;
  release.set_request_id("release-1");
  release.set_hold_id(nurse_hold.id());
  release.set_reason("demobilised");
  v1::Hold released;
  ASSERT_TRUE(stub_->ReleaseCommitment(Coordinator().get(), release, &released).ok());
  EXPECT_EQ(released.state(), v1::HOLD_STATE_RELEASED);
  v1::RecordExperienceRequest experience;
  experience.set_request_id("exp-1");
  experience.set_responder_id(near_nurse);
  experience.mutable_mission()->set_kind(v1::CRISIS_KIND_HEATWAVE);
  experience.mutable_mission()->set_role_code("nurse");
  experience.mutable_mission()->set_place("Lyon");
  *experience.mutable_mission()->mutable_started_at() = ToProtoTime(Day(3));
  *experience.mutable_mission()->mutable_ended_at() = ToProtoTime(Day(5));
  v1::Responder with_experience;
  // The mobilisation service records it when it releases an assignment.
  status = stub_->RecordExperience(As("svc-mobilisation", "", "service").get(), experience,
                                   &with_experience);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(with_experience.experience_size(), 1);
  status = stub_->RemoveResponder(Osi().get(), remove, &removed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << "a retry of a refused erasure replays the refusal";
  remove.set_request_id("remove-2");
  status = stub_->RemoveResponder(Osi().get(), remove, &removed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(FindLocal("nurse", Day(5), Day(7)), (std::vector<std::string>{far_nurse}));

  // Every step left its event, in order.
  EventLog log(server_->redis());
  auto events = log.ReadAfter("", 1000);
  ASSERT_TRUE(events.ok()) << events.status();
  std::vector<v1::EventType> holds;
  for (const auto& event : *events) {
    if (event.type() >= 260 && event.type() < 270) holds.push_back(event.type());
  }
  EXPECT_EQ(holds,
            (std::vector<v1::EventType>{v1::EVENT_TYPE_HOLD_PLACED, v1::EVENT_TYPE_HOLD_PLACED,
                                        v1::EVENT_TYPE_HOLD_PLACED, v1::EVENT_TYPE_HOLD_CONFIRMED,
                                        v1::EVENT_TYPE_HOLD_EXPIRED, v1::EVENT_TYPE_HOLD_EXPIRED,
                                        v1::EVENT_TYPE_COMMITMENT_RELEASED}));
}

}  // namespace
}  // namespace relais::inventory
