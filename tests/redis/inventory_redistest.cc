// The resource inventory end to end: a gRPC client against the real service (port 0) over a real
// redis-server. Time comes from a FakeClock, ids from a SequentialIdGenerator.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "relais/v1/inventory.grpc.pb.h"
#include "services/inventory/inventory_domain.h"
#include "services/inventory/redis_inventory_store.h"
#include "services/inventory/redis_team_store.h"
#include "services/inventory/registry.h"
#include "services/inventory/server.h"
#include "services/inventory/teams.h"
#include "services/runtime/proto_time.h"
#include "services/runtime/redis/event_log.h"
#include "tests/support/health_client.h"
#include "tests/support/redis_dump.h"
#include "tests/support/redis_server.h"
#include "tests/support/test_service.h"

namespace relais::inventory {
namespace {

using ::relais::testing::RedisServer;
namespace v1 = ::relais::v1;

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

class InventoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_ = RedisServer::StartWithServiceUsers();  // as its own ACL user, as deployed
    StartService();
  }

  void StartService() {
    // The sweeper's thread stays off: tests sweep themselves, at FakeClock times they choose.
    auto server =
        InventoryServer::Create(testing::TestServiceOptions(*redis_, "inventory", 8), clock_, ids_,
                                testing::QuietSeams(), SweeperOptions{.enabled = false});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    ASSERT_TRUE(server_->Start().ok());
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::ResourceInventory::NewStub(channel_);
  }

  // A client context acting as `principal`: an OSI of `organisation`, or without one the
  // directory's admin (who registers organisations); with a deadline so no test can hang.
  static std::unique_ptr<grpc::ClientContext> Context(const std::string& organisation = "",
                                                      const std::string& principal = "osi-1") {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("x-relais-principal", principal);
    ctx->AddMetadata("x-relais-role", organisation.empty() ? "admin" : "osi_admin");
    if (!organisation.empty()) ctx->AddMetadata("x-relais-organisation", organisation);
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    return ctx;
  }

  static v1::RegisterOrganisationRequest OrgRequest(
      const std::string& request_id, const std::string& name, const std::string& commune,
      v1::OrganisationKind kind = v1::ORGANISATION_KIND_NGO,
      std::vector<v1::Domain> domains = {v1::DOMAIN_HUMANITARIAN_HEALTH}) {
    v1::RegisterOrganisationRequest request;
    request.set_request_id(request_id);
    v1::Organisation& org = *request.mutable_organisation();
    org.set_name(name);
    org.set_kind(kind);
    for (auto domain : domains) org.add_domains(domain);
    org.set_commune(commune);
    org.mutable_location()->set_lat(45.75);
    org.mutable_location()->set_lon(4.85);
    org.mutable_contact()->set_email("contact@example.org");
    org.set_description("Une organisation du milieu lyonnais.");
    return request;
  }

  v1::Organisation RegisterOrg(const v1::RegisterOrganisationRequest& request) {
    v1::Organisation org;
    grpc::Status status = stub_->RegisterOrganisation(Context().get(), request, &org);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return org;
  }

  // The default organisation most tests register responders for.
  std::string Org() {
    if (org_id_.empty()) {
      org_id_ = RegisterOrg(OrgRequest("r-org", "Croix-Rouge française - Rhône", "Lyon")).id();
    }
    return org_id_;
  }

  static v1::RegisterResponderRequest ResponderRequest(const std::string& request_id,
                                                       const std::string& external_ref = "") {
    v1::RegisterResponderRequest request;
    request.set_request_id(request_id);
    v1::Responder& r = *request.mutable_responder();
    r.set_external_ref(external_ref);
    r.set_display_name("Infirmière de garde");
    auto* skill = r.add_skills();
    skill->set_code("nurse");
    skill->set_level(3);
    r.add_languages("fr");
    r.add_certifications()->set_code("first-aid-pse2");
    r.mutable_home_base()->set_lat(45.76);
    r.mutable_home_base()->set_lon(4.84);
    r.set_home_commune("Lyon");
    r.set_max_deployment_days(14);
    auto* contact = r.add_contacts();
    contact->set_kind(v1::CONTACT_KIND_SMS);
    contact->set_address("+33600000000");
    return request;
  }

  grpc::Status RegisterResponder(const std::string& organisation,
                                 const v1::RegisterResponderRequest& request, v1::Responder* out) {
    return stub_->RegisterResponder(Context(organisation).get(), request, out);
  }

  v1::Responder NewResponder(const std::string& request_id, const std::string& ref = "") {
    v1::Responder responder;
    grpc::Status status = RegisterResponder(Org(), ResponderRequest(request_id, ref), &responder);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return responder;
  }

  grpc::Status SetPeriod(const std::string& responder_id, const std::string& request_id,
                         absl::Time from, absl::Time until, v1::AvailabilityCalendar* out,
                         const std::string& note = "") {
    v1::SetAvailabilityRequest request;
    request.set_request_id(request_id);
    request.set_responder_id(responder_id);
    request.mutable_period()->set_kind(v1::AVAILABILITY_KIND_AVAILABLE);
    *request.mutable_period()->mutable_from() = ToProtoTime(from);
    *request.mutable_period()->mutable_until() = ToProtoTime(until);
    request.mutable_period()->set_note(note);
    return stub_->SetAvailability(Context(Org()).get(), request, out);
  }

  grpc::Status Remove(const std::string& responder_id, const std::string& request_id,
                      v1::RemoveResponderResponse* out) {
    v1::RemoveResponderRequest request;
    request.set_request_id(request_id);
    request.set_responder_id(responder_id);
    return stub_->RemoveResponder(Context(Org()).get(), request, out);
  }

  std::vector<std::string> ListAllOrgIds(v1::ListOrganisationsRequest request, int* pages) {
    std::vector<std::string> ids;
    *pages = 0;
    do {
      v1::ListOrganisationsResponse page;
      grpc::Status status = stub_->ListOrganisations(Context().get(), request, &page);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      for (const auto& org : page.organisations()) ids.push_back(org.id());
      request.set_page_token(page.next_page_token());
      ++*pages;
    } while (!request.page_token().empty() && *pages < 50);
    return ids;
  }

  int64_t EventCount() { return std::stoll(redis_->Command({"XLEN", "relais:events"})); }

  std::vector<v1::Event> Events() {
    EventLog log(server_->redis());
    auto events = log.ReadAfter("", 1000);
    EXPECT_TRUE(events.ok()) << events.status();
    return events.ok() ? *events : std::vector<v1::Event>{};
  }

  // The test's own connection, as the default user: it reads every key, of every service, with
  // commands the inventory's Redis user is not allowed (HGETALL...).
  RedisClient& Inspector() {
    if (inspector_ == nullptr) {
      RedisOptions options;
      options.port = redis_->port();
      inspector_ = std::make_unique<RedisClient>(options, inspector_clock_);
    }
    return *inspector_;
  }

  std::vector<std::string> Keys(const std::string& pattern) {
    return testing::RedisKeys(Inspector(), pattern);
  }
  std::string DumpEverything() { return testing::DumpEverything(Inspector()); }

  // The calendar as stored, before the read filter.
  v1::AvailabilityCalendar StoredCalendar(const std::string& responder_id) {
    auto stored = server_->committer().Read("inv:avl:" + responder_id);
    EXPECT_TRUE(stored.ok() && stored->has_value());
    v1::AvailabilityCalendar calendar;
    if (stored.ok() && stored->has_value()) {
      EXPECT_TRUE(calendar.ParseFromString((*stored)->value));
    }
    return calendar;
  }

  FakeClock clock_;
  SequentialIdGenerator ids_;
  std::unique_ptr<RedisServer> redis_;
  SystemClock inspector_clock_;
  std::unique_ptr<RedisClient> inspector_;
  std::unique_ptr<InventoryServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ResourceInventory::Stub> stub_;
  std::string org_id_;
};

// --- Organisations ---

TEST_F(InventoryTest, OrganisationIsRegisteredReadAndUpdated) {
  v1::Organisation org =
      RegisterOrg(OrgRequest("r-1", "Institut Bioforce", "Vénissieux",
                             v1::ORGANISATION_KIND_TRAINING_INSTITUTE, {v1::DOMAIN_TRAINING}));
  EXPECT_EQ(org.id(), "org_000001");
  EXPECT_EQ(org.version(), 1);
  EXPECT_EQ(FromProtoTime(org.created_at()), clock_.Now());

  v1::GetOrganisationRequest get;
  get.set_organisation_id(org.id());
  v1::Organisation fetched;
  ASSERT_TRUE(stub_->GetOrganisation(Context().get(), get, &fetched).ok());
  EXPECT_EQ(fetched.SerializeAsString(), org.SerializeAsString());

  clock_.Advance(absl::Minutes(3));
  v1::UpdateOrganisationRequest update;
  update.set_request_id("r-2");
  update.set_organisation_id(org.id());
  update.mutable_organisation()->set_description("Formations aux métiers de l'humanitaire.");
  update.mutable_organisation()->add_domains(v1::DOMAIN_TRAINING);
  update.mutable_organisation()->add_domains(v1::DOMAIN_LOGISTICS);
  update.mutable_update_mask()->add_paths("description");
  update.mutable_update_mask()->add_paths("domains");
  update.set_expected_version(1);
  v1::Organisation updated;
  ASSERT_TRUE(stub_->UpdateOrganisation(Context().get(), update, &updated).ok());
  EXPECT_EQ(updated.version(), 2);
  EXPECT_EQ(updated.description(), "Formations aux métiers de l'humanitaire.");
  EXPECT_EQ(updated.domains_size(), 2);
  EXPECT_EQ(updated.name(), "Institut Bioforce");
  EXPECT_EQ(FromProtoTime(updated.updated_at()), clock_.Now());

  get.set_organisation_id("org_nope");
  grpc::Status missing = stub_->GetOrganisation(Context().get(), get, &fetched);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(StartsWith(missing.error_message(), "organisation_id: ")) << missing.error_message();

  std::vector<v1::Event> events = Events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type(), v1::EVENT_TYPE_ORGANISATION_REGISTERED);
  EXPECT_EQ(events[0].organisation_id(), org.id());
  EXPECT_EQ(events[0].subject_id(), org.id());
  EXPECT_EQ(events[0].service(), "inventory");
  EXPECT_EQ(events[0].principal_id(), "osi-1");
  EXPECT_EQ(events[0].request_id(), "r-1");
  EXPECT_EQ(events[1].type(), v1::EVENT_TYPE_ORGANISATION_UPDATED);
  EXPECT_EQ(events[1].subject_version(), 2);
}

TEST_F(InventoryTest, ListOrganisationsFiltersAndPagesExactlyByName) {
  // Registered out of name order.
  const std::string hi =
      RegisterOrg(OrgRequest("r-1", "Handicap International", "Lyon", v1::ORGANISATION_KIND_NGO,
                             {v1::DOMAIN_REHABILITATION, v1::DOMAIN_HUMANITARIAN_HEALTH}))
          .id();
  const std::string bioforce =
      RegisterOrg(OrgRequest("r-2", "Bioforce", "Vénissieux",
                             v1::ORGANISATION_KIND_TRAINING_INSTITUTE, {v1::DOMAIN_TRAINING}))
          .id();
  const std::string sdmis =
      RegisterOrg(OrgRequest("r-3", "SDMIS", "Lyon", v1::ORGANISATION_KIND_EMERGENCY_SERVICE,
                             {v1::DOMAIN_EMERGENCY_RESPONSE}))
          .id();
  const std::string psf = RegisterOrg(OrgRequest("r-4", "pharmaciens sans frontières", "LYON",
                                                 v1::ORGANISATION_KIND_NGO, {v1::DOMAIN_PHARMACY}))
                              .id();
  const std::string forum =
      RegisterOrg(OrgRequest("r-5", "Forum Réfugiés", "Villeurbanne", v1::ORGANISATION_KIND_NGO,
                             {v1::DOMAIN_REFUGEE_RECEPTION, v1::DOMAIN_HUMANITARIAN_HEALTH}))
          .id();
  const std::string minguettes =
      RegisterOrg(OrgRequest("r-6", "Centre de santé des Minguettes", "VÉNISSIEUX",
                             v1::ORGANISATION_KIND_HOSPITAL, {v1::DOMAIN_HUMANITARIAN_HEALTH}))
          .id();

  // All, two at a time, by case-folded name: Bioforce, Centre, Forum | Handicap, pharmaciens,
  // SDMIS.
  v1::ListOrganisationsRequest all;
  all.set_page_size(2);
  int pages = 0;
  EXPECT_EQ(ListAllOrgIds(all, &pages),
            (std::vector<std::string>{bioforce, minguettes, forum, hi, psf, sdmis}));
  EXPECT_EQ(pages, 3);

  v1::ListOrganisationsRequest ngos;
  ngos.set_kind(v1::ORGANISATION_KIND_NGO);
  EXPECT_EQ(ListAllOrgIds(ngos, &pages), (std::vector<std::string>{forum, hi, psf}));

  v1::ListOrganisationsRequest health;
  health.set_domain(v1::DOMAIN_HUMANITARIAN_HEALTH);
  EXPECT_EQ(ListAllOrgIds(health, &pages), (std::vector<std::string>{minguettes, forum, hi}));

  // Communes match whatever their case.
  v1::ListOrganisationsRequest venissieux;
  venissieux.set_commune("vénissieux");
  EXPECT_EQ(ListAllOrgIds(venissieux, &pages), (std::vector<std::string>{bioforce, minguettes}));

  // Filters combine with AND, and pages stay exact when the index holds non-matching entries.
  v1::ListOrganisationsRequest lyon_ngos;
  lyon_ngos.set_commune("Lyon");
  lyon_ngos.set_kind(v1::ORGANISATION_KIND_NGO);
  lyon_ngos.set_page_size(1);
  EXPECT_EQ(ListAllOrgIds(lyon_ngos, &pages), (std::vector<std::string>{hi, psf}));
  EXPECT_EQ(pages, 2);
  v1::ListOrganisationsRequest lyon_ngo_health = lyon_ngos;
  lyon_ngo_health.set_domain(v1::DOMAIN_HUMANITARIAN_HEALTH);
  EXPECT_EQ(ListAllOrgIds(lyon_ngo_health, &pages), (std::vector<std::string>{hi}));
  v1::ListOrganisationsRequest nobody;
  nobody.set_commune("Bron");
  EXPECT_TRUE(ListAllOrgIds(nobody, &pages).empty());

  // Updates move an organisation between indexes.
  v1::UpdateOrganisationRequest move;
  move.set_request_id("r-move");
  move.set_organisation_id(sdmis);
  move.mutable_organisation()->set_commune("Villeurbanne");
  move.mutable_organisation()->set_name("Aa SDMIS");
  move.mutable_update_mask()->add_paths("commune");
  move.mutable_update_mask()->add_paths("name");
  v1::Organisation moved;
  ASSERT_TRUE(stub_->UpdateOrganisation(Context().get(), move, &moved).ok());
  v1::ListOrganisationsRequest lyon;
  lyon.set_commune("lyon");
  EXPECT_EQ(ListAllOrgIds(lyon, &pages), (std::vector<std::string>{hi, psf}));
  v1::ListOrganisationsRequest villeurbanne;
  villeurbanne.set_commune("Villeurbanne");
  EXPECT_EQ(ListAllOrgIds(villeurbanne, &pages), (std::vector<std::string>{sdmis, forum}));
  EXPECT_EQ(redis_->Command({"ZCARD", "inv:idx:org:all"}), "6");

  v1::ListOrganisationsRequest bad;
  bad.set_page_token("not-a-token!");
  v1::ListOrganisationsResponse page;
  grpc::Status status = stub_->ListOrganisations(Context().get(), bad, &page);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(StartsWith(status.error_message(), "page_token: ")) << status.error_message();
  bad.set_page_token("");
  bad.set_kind(static_cast<v1::OrganisationKind>(42));
  status = stub_->ListOrganisations(Context().get(), bad, &page);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(StartsWith(status.error_message(), "kind: ")) << status.error_message();
}

// --- Validation, idempotency, versions ---

TEST_F(InventoryTest, InvalidInputsAreRefusedByFieldAndWriteNothing) {
  const std::string org = Org();
  v1::Responder responder = NewResponder("r-rsp");
  const std::vector<std::string> keys_before = Keys("*");
  const int64_t events_before = EventCount();

  const auto expect_invalid = [](const grpc::Status& status, const std::string& field) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << field;
    EXPECT_TRUE(StartsWith(status.error_message(), field + ": "))
        << "expected the message to name " << field << ", got: " << status.error_message();
  };

  v1::Organisation org_out;
  auto bad_org = OrgRequest("r-bad-1", "X", "Lyon");
  expect_invalid(stub_->RegisterOrganisation(Context().get(), bad_org, &org_out),
                 "organisation.name");
  bad_org = OrgRequest("r-bad-1", "Bioforce", "Lyon");
  bad_org.mutable_organisation()->mutable_location()->set_lat(123);
  expect_invalid(stub_->RegisterOrganisation(Context().get(), bad_org, &org_out),
                 "organisation.location.lat");

  struct Case {
    std::string field;
    std::function<void(v1::RegisterResponderRequest&)> spoil;
  };
  const std::vector<Case> cases = {
      {"request_id", [](auto& r) { r.clear_request_id(); }},
      {"responder.display_name", [](auto& r) { r.mutable_responder()->clear_display_name(); }},
      {"responder.external_ref", [](auto& r) { r.mutable_responder()->set_external_ref("réf 1"); }},
      {"responder.skills[0].code",
       [](auto& r) { r.mutable_responder()->mutable_skills(0)->set_code("astronaut"); }},
      {"responder.skills[1].level",
       [](auto& r) {
         auto* skill = r.mutable_responder()->add_skills();
         skill->set_code("logistician");
         skill->set_level(9);
       }},
      {"responder.languages[0]", [](auto& r) { r.mutable_responder()->set_languages(0, "fra"); }},
      {"responder.certifications[0].code",
       [](auto& r) { r.mutable_responder()->mutable_certifications(0)->set_code("jedi"); }},
      {"responder.home_base", [](auto& r) { r.mutable_responder()->clear_home_base(); }},
      {"responder.max_deployment_days",
       [](auto& r) { r.mutable_responder()->set_max_deployment_days(400); }},
      {"responder.contacts[0].address",
       [](auto& r) { r.mutable_responder()->mutable_contacts(0)->set_address("0600000000"); }},
  };
  for (const auto& c : cases) {
    auto request = ResponderRequest("r-bad-2");
    c.spoil(request);
    v1::Responder out;
    expect_invalid(RegisterResponder(org, request, &out), c.field);
  }

  v1::UpdateResponderRequest update;
  update.set_request_id("r-bad-3");
  update.set_responder_id(responder.id());
  update.mutable_update_mask()->add_paths("organisation_id");
  v1::Responder out;
  expect_invalid(stub_->UpdateResponder(Context(org).get(), update, &out), "update_mask");
  update.mutable_update_mask()->Clear();
  update.mutable_update_mask()->add_paths("skills");
  expect_invalid(stub_->UpdateResponder(Context(org).get(), update, &out), "responder.skills");

  v1::AvailabilityCalendar calendar;
  expect_invalid(SetPeriod(responder.id(), "r-bad-4", clock_.Now(), clock_.Now(), &calendar),
                 "period.until");
  expect_invalid(SetPeriod(responder.id(), "r-bad-4", clock_.Now() - absl::Hours(5),
                           clock_.Now() - absl::Hours(1), &calendar),
                 "period.until");
  expect_invalid(SetPeriod(responder.id(), "r-bad-4", clock_.Now(),
                           clock_.Now() + absl::Hours(24 * 401), &calendar),
                 "period.until");
  v1::ClearAvailabilityRequest clear;
  clear.set_request_id("r-bad-5");
  clear.set_responder_id(responder.id());
  expect_invalid(stub_->ClearAvailability(Context(org).get(), clear, &calendar), "period_id");
  v1::RemoveResponderResponse removed;
  expect_invalid(Remove("", "r-bad-6", &removed), "responder_id");
  v1::ListRespondersRequest list;
  v1::ListRespondersResponse listed;
  expect_invalid(stub_->ListResponders(Context().get(), list, &listed), "organisation_id");

  // Nothing was written: the same keys, no idempotency record, no event.
  EXPECT_EQ(Keys("*"), keys_before);
  EXPECT_EQ(EventCount(), events_before);
}

TEST_F(InventoryTest, RetriesReturnTheFirstOutcomeWithOneEventEach) {
  const std::string org = Org();
  v1::Organisation again =
      RegisterOrg(OrgRequest("r-org", "Croix-Rouge française - Rhône", "Lyon"));
  EXPECT_EQ(again.id(), org);

  v1::Responder first = NewResponder("r-1", "CRF-001");
  v1::Responder second = NewResponder("r-1", "CRF-001");
  EXPECT_EQ(second.id(), first.id());

  v1::AvailabilityCalendar set_first;
  v1::AvailabilityCalendar set_again;
  const absl::Time now = clock_.Now();
  ASSERT_TRUE(SetPeriod(first.id(), "r-2", now, now + absl::Hours(24), &set_first).ok());
  ASSERT_TRUE(SetPeriod(first.id(), "r-2", now, now + absl::Hours(24), &set_again).ok());
  EXPECT_EQ(set_again.SerializeAsString(), set_first.SerializeAsString());
  EXPECT_EQ(set_again.periods_size(), 1);

  v1::ClearAvailabilityRequest clear;
  clear.set_request_id("r-3");
  clear.set_responder_id(first.id());
  clear.set_period_id(set_first.periods(0).id());
  v1::AvailabilityCalendar cleared;
  ASSERT_TRUE(stub_->ClearAvailability(Context(org).get(), clear, &cleared).ok());
  EXPECT_EQ(cleared.periods_size(), 0);
  // The period is gone, yet the retry gets the first answer, not NOT_FOUND.
  ASSERT_TRUE(stub_->ClearAvailability(Context(org).get(), clear, &cleared).ok());
  EXPECT_EQ(cleared.version(), 3);

  v1::RemoveResponderResponse removed;
  ASSERT_TRUE(Remove(first.id(), "r-4", &removed).ok());
  EXPECT_EQ(removed.responder_id(), first.id());
  v1::RemoveResponderResponse removed_again;
  ASSERT_TRUE(Remove(first.id(), "r-4", &removed_again).ok());
  EXPECT_EQ(removed_again.responder_id(), first.id());
  // A new request to remove them finds nobody.
  EXPECT_EQ(Remove(first.id(), "r-5", &removed).error_code(), grpc::StatusCode::NOT_FOUND);

  std::vector<v1::Event> events = Events();
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[1].type(), v1::EVENT_TYPE_RESPONDER_REGISTERED);
  EXPECT_EQ(events[1].responder_id(), first.id());
  EXPECT_EQ(events[1].organisation_id(), org);
  EXPECT_EQ(events[2].type(), v1::EVENT_TYPE_AVAILABILITY_SET);
  EXPECT_EQ(events[2].responder_id(), first.id());
  EXPECT_EQ(events[2].organisation_id(), org);
  EXPECT_EQ(events[2].subject_id(), set_first.periods(0).id());
  EXPECT_EQ(events[2].subject_version(), 2);
  EXPECT_EQ(events[3].type(), v1::EVENT_TYPE_AVAILABILITY_CLEARED);
  EXPECT_EQ(events[4].type(), v1::EVENT_TYPE_RESPONDER_REMOVED);
  EXPECT_EQ(events[4].responder_id(), first.id());
  EXPECT_EQ(events[4].organisation_id(), org);
}

TEST_F(InventoryTest, ARequestIdReusedForAnotherRequestIsInvalidArgument) {
  const std::string org = Org();
  NewResponder("r-1");
  auto other = ResponderRequest("r-1");
  other.mutable_responder()->set_display_name("Quelqu'un d'autre");
  v1::Responder out;
  grpc::Status status = RegisterResponder(org, other, &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(StartsWith(status.error_message(), "request_id")) << status.error_message();

  v1::Organisation org_out;
  status =
      stub_->RegisterOrganisation(Context().get(), OrgRequest("r-org", "Autre", "Bron"), &org_out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(StartsWith(status.error_message(), "request_id")) << status.error_message();
  EXPECT_EQ(EventCount(), 2);
}

TEST_F(InventoryTest, StaleExpectedVersionIsAbortedAndChangesNothing) {
  const std::string org = Org();
  v1::Responder responder = NewResponder("r-1");

  v1::UpdateResponderRequest update;
  update.set_request_id("r-2");
  update.set_responder_id(responder.id());
  update.mutable_responder()->set_max_deployment_days(30);
  update.mutable_update_mask()->add_paths("max_deployment_days");
  update.set_expected_version(1);
  v1::Responder updated;
  ASSERT_TRUE(stub_->UpdateResponder(Context(org).get(), update, &updated).ok());
  EXPECT_EQ(updated.version(), 2);
  EXPECT_EQ(updated.max_deployment_days(), 30);

  update.set_request_id("r-3");
  update.mutable_responder()->set_max_deployment_days(7);
  grpc::Status status = stub_->UpdateResponder(Context(org).get(), update, &updated);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED) << status.error_message();
  EXPECT_TRUE(StartsWith(status.error_message(), "expected_version: ")) << status.error_message();
  // The retry of the call that succeeded still gets its outcome.
  update.set_request_id("r-2");
  update.mutable_responder()->set_max_deployment_days(30);
  ASSERT_TRUE(stub_->UpdateResponder(Context(org).get(), update, &updated).ok());

  v1::UpdateOrganisationRequest org_update;
  org_update.set_request_id("r-4");
  org_update.set_organisation_id(org);
  org_update.mutable_organisation()->set_description("Vue périmée");
  org_update.mutable_update_mask()->add_paths("description");
  org_update.set_expected_version(7);
  v1::Organisation org_out;
  EXPECT_EQ(stub_->UpdateOrganisation(Context().get(), org_update, &org_out).error_code(),
            grpc::StatusCode::ABORTED);

  v1::GetResponderRequest get;
  get.set_responder_id(responder.id());
  v1::Responder now;
  ASSERT_TRUE(stub_->GetResponder(Context().get(), get, &now).ok());
  EXPECT_EQ(now.max_deployment_days(), 30);
  EXPECT_EQ(now.version(), 2);
  EXPECT_EQ(EventCount(), 3);
}

// --- Responders ---

TEST_F(InventoryTest, RespondersBelongToTheCallersOrganisation) {
  const std::string org = Org();
  auto request = ResponderRequest("r-1");
  request.mutable_responder()->set_organisation_id("org_someone_else");
  v1::Responder responder;
  ASSERT_TRUE(RegisterResponder(org, request, &responder).ok());
  EXPECT_EQ(responder.organisation_id(), org);
  EXPECT_EQ(responder.version(), 1);

  // A caller acting for no organisation, or for one not in the directory, is refused.
  v1::Responder out;
  grpc::Status none = RegisterResponder("", ResponderRequest("r-2"), &out);
  EXPECT_EQ(none.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(none.error_message(), "caller acts for no organisation");
  grpc::Status unknown = RegisterResponder("org_ghost", ResponderRequest("r-3"), &out);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(unknown.error_message(), "org_ghost")) << unknown.error_message();
  // The refusal is remembered.
  EXPECT_EQ(RegisterResponder("org_ghost", ResponderRequest("r-3"), &out).error_message(),
            unknown.error_message());
  EXPECT_EQ(EventCount(), 2);

  v1::GetResponderRequest get;
  get.set_responder_id("rsp_nope");
  grpc::Status missing = stub_->GetResponder(Context().get(), get, &out);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(StartsWith(missing.error_message(), "responder_id: ")) << missing.error_message();
}

TEST_F(InventoryTest, UpdateResponderAppliesTheMaskAndEmitsOneEvent) {
  const std::string org = Org();
  v1::Responder responder = NewResponder("r-1", "CRF-001");
  clock_.Advance(absl::Minutes(1));
  v1::UpdateResponderRequest update;
  update.set_request_id("r-2");
  update.set_responder_id(responder.id());
  auto* skill = update.mutable_responder()->add_skills();
  skill->set_code("emergency-physician");
  skill->set_level(5);
  update.mutable_responder()->set_display_name("ignoré");
  update.mutable_update_mask()->add_paths("skills");
  v1::Responder updated;
  ASSERT_TRUE(stub_->UpdateResponder(Context(org).get(), update, &updated).ok());
  ASSERT_EQ(updated.skills_size(), 1);
  EXPECT_EQ(updated.skills(0).code(), "emergency-physician");
  EXPECT_EQ(updated.display_name(), "Infirmière de garde");
  EXPECT_EQ(updated.external_ref(), "CRF-001");
  EXPECT_EQ(updated.version(), 2);
  EXPECT_EQ(FromProtoTime(updated.updated_at()), clock_.Now());

  v1::UpdateResponderRequest missing = update;
  missing.set_request_id("r-3");
  missing.set_responder_id("rsp_nope");
  grpc::Status status = stub_->UpdateResponder(Context(org).get(), missing, &updated);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);

  std::vector<v1::Event> events = Events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].type(), v1::EVENT_TYPE_RESPONDER_UPDATED);
  EXPECT_EQ(events[2].responder_id(), responder.id());
  EXPECT_EQ(events[2].organisation_id(), org);
  EXPECT_EQ(events[2].subject_version(), 2);
}

TEST_F(InventoryTest, ListRespondersIsInRegistrationOrderAndPagedExactly) {
  const std::string org = Org();
  const std::string other =
      RegisterOrg(OrgRequest("r-other", "Pharmaciens Sans Frontières", "Lyon")).id();
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(NewResponder("r-" + std::to_string(i)).id());
  v1::Responder elsewhere;
  ASSERT_TRUE(RegisterResponder(other, ResponderRequest("r-x"), &elsewhere).ok());
  v1::RemoveResponderResponse removed;
  ASSERT_TRUE(Remove(ids[2], "r-rm", &removed).ok());
  ids.erase(ids.begin() + 2);

  std::vector<std::string> seen;
  v1::ListRespondersRequest list;
  list.set_organisation_id(org);
  list.set_page_size(2);
  int pages = 0;
  do {
    v1::ListRespondersResponse page;
    ASSERT_TRUE(stub_->ListResponders(Context().get(), list, &page).ok());
    for (const auto& r : page.responders()) seen.push_back(r.id());
    list.set_page_token(page.next_page_token());
    ++pages;
  } while (!list.page_token().empty() && pages < 10);
  EXPECT_EQ(seen, ids);
  EXPECT_EQ(pages, 2);

  list.set_organisation_id("org_ghost");
  list.set_page_token("");
  v1::ListRespondersResponse page;
  EXPECT_EQ(stub_->ListResponders(Context().get(), list, &page).error_code(),
            grpc::StatusCode::NOT_FOUND);
  list.set_organisation_id(org);
  list.set_page_token("!!");
  EXPECT_EQ(stub_->ListResponders(Context().get(), list, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(InventoryTest, AnExternalRefIsUniqueWithinItsOrganisation) {
  const std::string org = Org();
  v1::Responder first = NewResponder("r-1", "CRF-042");

  v1::Responder out;
  grpc::Status duplicate = RegisterResponder(org, ResponderRequest("r-2", "CRF-042"), &out);
  EXPECT_EQ(duplicate.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(duplicate.error_message(), "external_ref: already used by responder " + first.id());

  // Another organisation has references of its own.
  const std::string other = RegisterOrg(OrgRequest("r-other", "Bioforce", "Vénissieux")).id();
  ASSERT_TRUE(RegisterResponder(other, ResponderRequest("r-3", "CRF-042"), &out).ok());

  // Taking a used reference by update is refused too; moving to a free one frees the old one.
  v1::Responder second = NewResponder("r-4", "CRF-043");
  v1::UpdateResponderRequest update;
  update.set_request_id("r-5");
  update.set_responder_id(second.id());
  update.mutable_responder()->set_external_ref("CRF-042");
  update.mutable_update_mask()->add_paths("external_ref");
  grpc::Status taken = stub_->UpdateResponder(Context(org).get(), update, &out);
  EXPECT_EQ(taken.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(taken.error_message(), "external_ref: already used by responder " + first.id());

  update.set_request_id("r-6");
  update.set_responder_id(first.id());
  update.mutable_responder()->set_external_ref("CRF-100");
  ASSERT_TRUE(stub_->UpdateResponder(Context(org).get(), update, &out).ok());
  EXPECT_EQ(out.external_ref(), "CRF-100");
  v1::Responder reuse;
  ASSERT_TRUE(RegisterResponder(org, ResponderRequest("r-7", "CRF-042"), &reuse).ok());

  // Clearing a reference frees it as well.
  update.set_request_id("r-8");
  update.mutable_responder()->clear_external_ref();
  ASSERT_TRUE(stub_->UpdateResponder(Context(org).get(), update, &out).ok());
  EXPECT_EQ(out.external_ref(), "");
  ASSERT_TRUE(RegisterResponder(org, ResponderRequest("r-9", "CRF-100"), &out).ok());
  // Claims in this organisation: CRF-043, CRF-042 (reused), CRF-100 (reused).
  EXPECT_EQ(Keys("inv:xref:" + org + ":*").size(), 3u);
}

TEST_F(InventoryTest, AnOrganisationsExternalRefIsUniqueAcrossOrganisations) {
  auto request = OrgRequest("o-1", "Croix-Rouge française - Rhône", "Lyon");
  request.mutable_organisation()->set_external_ref("CRF-RHONE");
  const v1::Organisation first = RegisterOrg(request);
  EXPECT_EQ(first.external_ref(), "CRF-RHONE");
  v1::Organisation read;
  v1::GetOrganisationRequest get;
  get.set_organisation_id(first.id());
  ASSERT_TRUE(stub_->GetOrganisation(Context().get(), get, &read).ok());
  EXPECT_EQ(read.external_ref(), "CRF-RHONE");
  const int64_t events = EventCount();

  // A second organisation with the same reference: ALREADY_EXISTS naming the first, nothing
  // written; its retry gets the same answer.
  auto duplicate = OrgRequest("o-2", "Croix-Rouge bis", "Bron");
  duplicate.mutable_organisation()->set_external_ref("CRF-RHONE");
  v1::Organisation out;
  for (int attempt = 0; attempt < 2; ++attempt) {
    grpc::Status status = stub_->RegisterOrganisation(Context().get(), duplicate, &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
    EXPECT_EQ(status.error_message(), "external_ref: already used by organisation " + first.id());
  }
  EXPECT_EQ(EventCount(), events);
  EXPECT_EQ(redis_->Command({"ZCARD", "inv:idx:org:all"}), "1");
  // A retry of the first registration is still its first outcome.
  ASSERT_TRUE(stub_->RegisterOrganisation(Context().get(), request, &out).ok());
  EXPECT_EQ(out.id(), first.id());

  // Another organisation, then an update to a taken reference: refused; to a free one: the old
  // claim is released and can be taken by someone else.
  auto second_request = OrgRequest("o-3", "Bioforce", "Vénissieux");
  second_request.mutable_organisation()->set_external_ref("BIOFORCE");
  const v1::Organisation second = RegisterOrg(second_request);
  v1::UpdateOrganisationRequest update;
  update.set_request_id("o-4");
  update.set_organisation_id(second.id());
  update.mutable_organisation()->set_external_ref("CRF-RHONE");
  update.mutable_update_mask()->add_paths("external_ref");
  grpc::Status taken = stub_->UpdateOrganisation(Context().get(), update, &out);
  EXPECT_EQ(taken.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(taken.error_message(), "external_ref: already used by organisation " + first.id());

  update.set_request_id("o-5");
  update.set_organisation_id(first.id());
  update.mutable_organisation()->set_external_ref("CRF-69");
  ASSERT_TRUE(stub_->UpdateOrganisation(Context().get(), update, &out).ok());
  EXPECT_EQ(out.external_ref(), "CRF-69");
  EXPECT_EQ(out.version(), 2);
  update.set_request_id("o-6");
  update.set_organisation_id(second.id());
  update.mutable_organisation()->set_external_ref("CRF-RHONE");
  ASSERT_TRUE(stub_->UpdateOrganisation(Context().get(), update, &out).ok());
  EXPECT_EQ(out.external_ref(), "CRF-RHONE");

  // Updating an organisation to its own reference is no conflict.
  update.set_request_id("o-7");
  ASSERT_TRUE(stub_->UpdateOrganisation(Context().get(), update, &out).ok());

  // Clearing frees the reference too; claims left: CRF-69 (first).
  update.set_request_id("o-8");
  update.mutable_organisation()->clear_external_ref();
  ASSERT_TRUE(stub_->UpdateOrganisation(Context().get(), update, &out).ok());
  EXPECT_EQ(out.external_ref(), "");
  EXPECT_EQ(Keys("inv:xref:org:*").size(), 1u);
  auto third = OrgRequest("o-9", "Médecins du Monde", "Lyon");
  third.mutable_organisation()->set_external_ref("CRF-RHONE");
  ASSERT_TRUE(stub_->RegisterOrganisation(Context().get(), third, &out).ok());
  EXPECT_EQ(Keys("inv:xref:org:*").size(), 2u);

  // A malformed reference is INVALID_ARGUMENT naming the field.
  auto bad = OrgRequest("o-10", "Mal formée", "Lyon");
  bad.mutable_organisation()->set_external_ref("réf 1");
  grpc::Status invalid = stub_->RegisterOrganisation(Context().get(), bad, &out);
  EXPECT_EQ(invalid.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(StartsWith(invalid.error_message(), "organisation.external_ref:"))
      << invalid.error_message();
}

TEST_F(InventoryTest, ConcurrentRegistrationsOfOneOrganisationRefCreateExactlyOne) {
  constexpr int kThreads = 6;
  std::vector<std::thread> threads;
  std::vector<grpc::Status> statuses(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto request = OrgRequest("c-" + std::to_string(t), "Secours populaire", "Lyon");
      request.mutable_organisation()->set_external_ref("SPF-69");
      v1::Organisation out;
      statuses[t] = stub_->RegisterOrganisation(Context().get(), request, &out);
    });
  }
  for (auto& thread : threads) thread.join();
  int created = 0;
  for (const auto& status : statuses) {
    if (status.ok()) {
      ++created;
    } else {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS) << status.error_message();
    }
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(redis_->Command({"ZCARD", "inv:idx:org:all"}), "1");
  EXPECT_EQ(Keys("inv:xref:org:*").size(), 1u);
}

TEST_F(InventoryTest, ConcurrentImportsOfOneExternalRefCreateExactlyOneResponder) {
  const std::string org = Org();
  constexpr int kThreads = 8;
  std::vector<std::thread> threads;
  std::vector<grpc::Status> statuses(kThreads);
  std::vector<v1::Responder> results(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      statuses[t] = RegisterResponder(org, ResponderRequest("r-" + std::to_string(t), "IMPORT-7"),
                                      &results[t]);
    });
  }
  for (auto& thread : threads) thread.join();

  std::string winner;
  int created = 0;
  for (int t = 0; t < kThreads; ++t) {
    if (statuses[t].ok()) {
      ++created;
      winner = results[t].id();
    }
  }
  ASSERT_EQ(created, 1);
  for (int t = 0; t < kThreads; ++t) {
    if (statuses[t].ok()) continue;
    EXPECT_EQ(statuses[t].error_code(), grpc::StatusCode::ALREADY_EXISTS)
        << statuses[t].error_message();
    EXPECT_EQ(statuses[t].error_message(), "external_ref: already used by responder " + winner);
  }
  // One responder, one calendar, one claim, one index entry, one registration event.
  EXPECT_EQ(Keys("inv:rsp:*"), std::vector<std::string>{"inv:rsp:" + winner});
  EXPECT_EQ(Keys("inv:avl:*"), std::vector<std::string>{"inv:avl:" + winner});
  EXPECT_EQ(Keys("inv:xref:*").size(), 1u);
  EXPECT_EQ(redis_->Command({"ZRANGE", "inv:idx:rsp:" + org, "0", "-1"}), winner);
  EXPECT_EQ(EventCount(), 2);
}

TEST_F(InventoryTest, RemovingAResponderErasesEveryPersonalDatum) {
  const std::string org = Org();
  // Distinctive strings, so that any copy left anywhere is found.
  const std::vector<std::string> personal = {"Zéphyrine Quatremare-Lumbroso",
                                             "zephyrine.quatremare@exemple-unique.fr",
                                             "+33799887766",
                                             "Quincieux-Les-Tilleuls-Xyz",
                                             "ZQL-7781-UNIQ",
                                             "Zéphyrine Q. (renommée)",
                                             "ZQL-9902-UNIQ",
                                             "congés de Zéphyrine à Tombouctou"};
  auto request = ResponderRequest("r-1", personal[4]);
  v1::Responder& r = *request.mutable_responder();
  r.set_display_name(personal[0]);
  r.clear_contacts();
  auto* email = r.add_contacts();
  email->set_kind(v1::CONTACT_KIND_EMAIL);
  email->set_address(personal[1]);
  auto* phone = r.add_contacts();
  phone->set_kind(v1::CONTACT_KIND_PHONE);
  phone->set_address(personal[2]);
  r.set_home_commune(personal[3]);
  r.mutable_home_base()->set_lat(45.8643217);
  r.mutable_home_base()->set_lon(4.7719873);
  v1::Responder responder;
  ASSERT_TRUE(RegisterResponder(org, request, &responder).ok());
  // A neighbour who stays: their data must survive the erasure.
  v1::Responder neighbour = NewResponder("r-2", "KEEP-1");

  // Renamed, re-referenced, with a calendar entry: old and new values must all go.
  v1::UpdateResponderRequest update;
  update.set_request_id("r-3");
  update.set_responder_id(responder.id());
  update.mutable_responder()->set_display_name(personal[5]);
  update.mutable_responder()->set_external_ref(personal[6]);
  update.mutable_update_mask()->add_paths("display_name");
  update.mutable_update_mask()->add_paths("external_ref");
  v1::Responder updated;
  ASSERT_TRUE(stub_->UpdateResponder(Context(org).get(), update, &updated).ok());
  v1::AvailabilityCalendar calendar;
  ASSERT_TRUE(SetPeriod(responder.id(), "r-4", clock_.Now(), clock_.Now() + absl::Hours(48),
                        &calendar, personal[7])
                  .ok());

  // Before: the data is there (so the scan below can see it).
  const std::string before = DumpEverything();
  EXPECT_TRUE(absl::StrContains(before, personal[5]));
  EXPECT_TRUE(absl::StrContains(before, personal[7]));

  v1::RemoveResponderResponse removed;
  ASSERT_TRUE(Remove(responder.id(), "r-5", &removed).ok());
  EXPECT_EQ(removed.responder_id(), responder.id());

  const std::string after = DumpEverything();
  for (const std::string& datum : personal) {
    EXPECT_FALSE(absl::StrContains(after, datum)) << "still stored: " << datum;
    EXPECT_FALSE(absl::StrContains(after, FoldCase(datum))) << "still stored: " << datum;
  }
  // The home base is stored as binary doubles: look for their encoding.
  EXPECT_TRUE(absl::StrContains(before, r.home_base().SerializeAsString()));
  EXPECT_FALSE(absl::StrContains(after, r.home_base().SerializeAsString()));
  // The responder's keys are gone; only ids remain, in the event log and outcomes.
  EXPECT_EQ(Keys("inv:*" + responder.id() + "*"), std::vector<std::string>{});
  EXPECT_EQ(Keys("inv:xref:*").size(), 1u);  // the neighbour's
  EXPECT_TRUE(absl::StrContains(after, responder.id()));
  EXPECT_TRUE(absl::StrContains(after, "KEEP"));  // not everything was wiped

  std::vector<v1::Event> events = Events();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().type(), v1::EVENT_TYPE_RESPONDER_REMOVED);
  EXPECT_EQ(events.back().responder_id(), responder.id());

  v1::GetResponderRequest get;
  get.set_responder_id(responder.id());
  v1::Responder out;
  EXPECT_EQ(stub_->GetResponder(Context().get(), get, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::GetAvailabilityRequest get_calendar;
  get_calendar.set_responder_id(responder.id());
  EXPECT_EQ(stub_->GetAvailability(Context().get(), get_calendar, &calendar).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // A retried registration of the erased responder does not bring them back.
  EXPECT_EQ(RegisterResponder(org, request, &out).error_code(), grpc::StatusCode::NOT_FOUND);
  get.set_responder_id(neighbour.id());
  ASSERT_TRUE(stub_->GetResponder(Context().get(), get, &out).ok());
  EXPECT_EQ(out.external_ref(), "KEEP-1");
}

// --- Availability ---

TEST_F(InventoryTest, CalendarPeriodsAreSetClearedAndDroppedOnceEnded) {
  const std::string org = Org();
  v1::Responder responder = NewResponder("r-1");
  const absl::Time t0 = clock_.Now();

  v1::GetAvailabilityRequest get;
  get.set_responder_id(responder.id());
  v1::AvailabilityCalendar calendar;
  ASSERT_TRUE(stub_->GetAvailability(Context().get(), get, &calendar).ok());
  EXPECT_EQ(calendar.responder_id(), responder.id());
  EXPECT_EQ(calendar.version(), 1);
  EXPECT_EQ(calendar.periods_size(), 0);

  // Three periods, set out of order: [t0+2d, t0+5d), [t0, t0+1d), [t0+1h, t0+3h).
  ASSERT_TRUE(SetPeriod(responder.id(), "r-2", t0 + absl::Hours(48), t0 + absl::Hours(120),
                        &calendar, "mission possible")
                  .ok());
  ASSERT_TRUE(SetPeriod(responder.id(), "r-3", t0, t0 + absl::Hours(24), &calendar).ok());
  ASSERT_TRUE(
      SetPeriod(responder.id(), "r-4", t0 + absl::Hours(1), t0 + absl::Hours(3), &calendar).ok());
  ASSERT_EQ(calendar.periods_size(), 3);
  EXPECT_EQ(calendar.version(), 4);
  const std::string long_id = calendar.periods(2).id();
  const std::string day_id = calendar.periods(0).id();
  const std::string short_id = calendar.periods(1).id();
  EXPECT_EQ(FromProtoTime(calendar.periods(0).from()), t0);
  EXPECT_EQ(calendar.periods(2).note(), "mission possible");

  v1::ClearAvailabilityRequest clear;
  clear.set_request_id("r-5");
  clear.set_responder_id(responder.id());
  clear.set_period_id(short_id);
  ASSERT_TRUE(stub_->ClearAvailability(Context(org).get(), clear, &calendar).ok());
  ASSERT_EQ(calendar.periods_size(), 2);
  EXPECT_EQ(calendar.periods(0).id(), day_id);
  EXPECT_EQ(calendar.periods(1).id(), long_id);
  clear.set_request_id("r-6");
  grpc::Status gone = stub_->ClearAvailability(Context(org).get(), clear, &calendar);
  EXPECT_EQ(gone.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(StartsWith(gone.error_message(), "period_id: ")) << gone.error_message();

  // A day on, the first period has ended: filtered on read, still stored until the next write.
  clock_.Advance(absl::Hours(24));
  ASSERT_TRUE(stub_->GetAvailability(Context().get(), get, &calendar).ok());
  ASSERT_EQ(calendar.periods_size(), 1);
  EXPECT_EQ(calendar.periods(0).id(), long_id);
  EXPECT_EQ(StoredCalendar(responder.id()).periods_size(), 2);
  const absl::Time t1 = clock_.Now();
  ASSERT_TRUE(SetPeriod(responder.id(), "r-7", t1, t1 + absl::Hours(1), &calendar).ok());
  ASSERT_EQ(calendar.periods_size(), 2);
  v1::AvailabilityCalendar stored = StoredCalendar(responder.id());
  ASSERT_EQ(stored.periods_size(), 2);
  EXPECT_NE(stored.periods(0).id(), day_id);
  EXPECT_NE(stored.periods(1).id(), day_id);
  EXPECT_EQ(stored.version(), calendar.version());

  // Clearing an ended period is NOT_FOUND too.
  clock_.Advance(absl::Hours(200));
  clear.set_request_id("r-8");
  clear.set_period_id(long_id);
  EXPECT_EQ(stub_->ClearAvailability(Context(org).get(), clear, &calendar).error_code(),
            grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(stub_->GetAvailability(Context().get(), get, &calendar).ok());
  EXPECT_EQ(calendar.periods_size(), 0);

  // Unknown responders have no calendar.
  EXPECT_EQ(SetPeriod("rsp_nope", "r-9", clock_.Now(), clock_.Now() + absl::Hours(1), &calendar)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(InventoryTest, AFullCalendarIsAFailedPrecondition) {
  v1::Responder responder = NewResponder("r-1");
  const absl::Time t0 = clock_.Now();
  for (int i = 0; i < kMaxPeriods; ++i) {
    v1::AvailabilityCalendar calendar;
    ASSERT_TRUE(
        SetPeriod(responder.id(), "r-p" + std::to_string(i), t0, t0 + absl::Hours(1 + i), &calendar)
            .ok())
        << i;
  }
  v1::AvailabilityCalendar calendar;
  grpc::Status full = SetPeriod(responder.id(), "r-full", t0, t0 + absl::Hours(500), &calendar);
  EXPECT_EQ(full.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  // Refusals are remembered: the retry after periods ended still gets it.
  clock_.Advance(absl::Hours(5));
  grpc::Status retried = SetPeriod(responder.id(), "r-full", t0, t0 + absl::Hours(500), &calendar);
  EXPECT_EQ(retried.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(retried.error_message(), full.error_message());
  // A new request finds room.
  ASSERT_TRUE(SetPeriod(responder.id(), "r-room", t0, t0 + absl::Hours(500), &calendar).ok());
  EXPECT_EQ(calendar.periods_size(), kMaxPeriods - 5 + 1);
}

// --- Redis outage ---

TEST_F(InventoryTest, RedisDownIsUnavailableAndTheServiceRecovers) {
  const std::string name(v1::ResourceInventory::service_full_name());
  const std::string org = Org();
  EXPECT_EQ(testing::HealthStatus(channel_, name), 1);  // SERVING
  redis_->Stop();
  server_->host().ProbeNow();
  EXPECT_EQ(testing::HealthStatus(channel_, name), 2);  // NOT_SERVING

  v1::GetOrganisationRequest get;
  get.set_organisation_id(org);
  v1::Organisation out;
  EXPECT_EQ(stub_->GetOrganisation(Context().get(), get, &out).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  v1::Responder responder;
  EXPECT_EQ(RegisterResponder(org, ResponderRequest("r-1", "X-1"), &responder).error_code(),
            grpc::StatusCode::UNAVAILABLE);

  redis_->Restart();
  clock_.Advance(absl::Seconds(10));  // past the reconnect back-off
  server_->host().ProbeNow();
  EXPECT_EQ(testing::HealthStatus(channel_, name), 1);
  ASSERT_TRUE(stub_->GetOrganisation(Context().get(), get, &out).ok());
  // The write that failed is retried with the same request id and now lands, once.
  ASSERT_TRUE(RegisterResponder(org, ResponderRequest("r-1", "X-1"), &responder).ok());
  ASSERT_TRUE(RegisterResponder(org, ResponderRequest("r-1", "X-1"), &responder).ok());
  EXPECT_EQ(EventCount(), 2);
}

// --- Erasure guards, experience and calendar sweeping (issue #3) ---
// RecordExperience and SweepCalendars are called on the application layer directly (the sweeper
// has no RPC), on the same Redis as the running service.

// The application layer over the service's Redis: what the tests below call directly.
struct Direct {
  Direct(InventoryServer& server, const Clock& clock, IdGenerator& ids)
      : store(server.redis(), server.committer()),
        team_store(server.redis(), server.committer()),
        registry(store, server.catalogue(), clock, ids),
        teams(team_store, store, server.catalogue(), clock, ids) {}
  RedisInventoryStore store;
  RedisTeamStore team_store;
  Registry registry;
  Teams teams;
};

Principal OsiAdmin(const std::string& organisation) {
  return Principal{"osi-1", Role::kOsiAdmin, organisation, ""};
}

v1::OfferTeamRequest OneMemberTeam(const std::string& request_id, const std::string& member) {
  v1::OfferTeamRequest request;
  request.set_request_id(request_id);
  request.mutable_team()->set_name("Équipe WASH Rhône");
  request.mutable_team()->set_type_code("ifrc-eru-wash-m15");
  request.mutable_team()->add_member_ids(member);
  return request;
}

TEST_F(InventoryTest, RemovingAResponderIsRefusedWhileBookedOrInATeam) {
  Direct direct(*server_, clock_, ids_);
  const std::string org = Org();
  const v1::Responder responder = NewResponder("r-1");
  const std::string id = responder.id();
  const int64_t start_ms = absl::ToUnixMillis(clock_.Now() + absl::Hours(1));
  const int64_t end_ms = absl::ToUnixMillis(clock_.Now() + absl::Hours(24));
  // A live booking as the holds ledger keeps it (ledger.h: member "<end ms>:<hold id>", score the
  // start), written here directly so that this test does not depend on the holds engine.
  redis_->Command(
      {"ZADD", "inv:bk:" + id, std::to_string(start_ms), std::to_string(end_ms) + ":hld_test"});
  const int64_t events = EventCount();

  v1::RemoveResponderResponse removed;
  grpc::Status booked = Remove(id, "r-2", &removed);
  EXPECT_EQ(booked.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(booked.error_message(), "responder " + id + " has an active hold or commitment");
  // The booking ends; a retry of the refused request is still refused (stored), a new one is not
  // refused for that reason any more.
  redis_->Command({"DEL", "inv:bk:" + id});
  EXPECT_EQ(Remove(id, "r-2", &removed).error_message(), booked.error_message());

  v1::Team team;
  ASSERT_TRUE(direct.teams.OfferTeam(OsiAdmin(org), OneMemberTeam("r-3", id), &team).ok());
  grpc::Status member = Remove(id, "r-4", &removed);
  EXPECT_EQ(member.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(member.error_message(), "responder " + id + " is a member of team " + team.id() +
                                        "; remove them from the team first");
  EXPECT_EQ(EventCount(), events + 1);  // the team's offer only

  v1::RemoveTeamRequest remove_team;
  remove_team.set_request_id("r-5");
  remove_team.set_team_id(team.id());
  v1::RemoveTeamResponse team_removed;
  ASSERT_TRUE(direct.teams.RemoveTeam(OsiAdmin(org), remove_team, &team_removed).ok());
  ASSERT_TRUE(Remove(id, "r-6", &removed).ok());
  EXPECT_EQ(removed.responder_id(), id);
  EXPECT_EQ(Keys("inv:*" + id + "*"), std::vector<std::string>{});
}

TEST_F(InventoryTest, TheErasureChecksBookingsAndTeamsInItsOwnStep) {
  Direct direct(*server_, clock_, ids_);
  const std::string org = Org();
  const v1::Responder responder = NewResponder("r-1");
  const std::string id = responder.id();
  // What a hold placed or a team formed after the erasure's first check looks like: the erasure
  // itself must see it (CommitRequest.must_be_absent), with the same message.
  const auto erase = [&](const std::string& request_id) {
    IdempotencyKey idem{"inv", "osi-1", "RemoveResponder", request_id, "fp-" + request_id};
    v1::Event event;
    event.set_type(v1::EVENT_TYPE_RESPONDER_REMOVED);
    relais::internal::StoredOutcome outcome;
    outcome.set_subject_id(id);
    return direct.store.EraseResponder(responder, StoredCalendar(id).version(), idem, event,
                                       outcome);
  };
  redis_->Command({"ZADD", "inv:bk:" + id, "1", "2:hld_test"});  // a booking, as in ledger.h
  const int64_t events = EventCount();
  auto booked = erase("e-1");
  EXPECT_EQ(booked.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(booked.status().message(), "responder " + id + " has an active hold or commitment");

  redis_->Command({"DEL", "inv:bk:" + id});
  v1::Team team;
  ASSERT_TRUE(direct.teams.OfferTeam(OsiAdmin(org), OneMemberTeam("r-2", id), &team).ok());
  auto member = erase("e-2");
  EXPECT_EQ(member.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(member.status().message(), "responder " + id + " is a member of team " + team.id() +
                                           "; remove them from the team first");
  // Nothing was erased.
  EXPECT_EQ(EventCount(), events + 1);  // the team's offer only
  v1::Responder out;
  v1::GetResponderRequest get;
  get.set_responder_id(id);
  EXPECT_TRUE(stub_->GetResponder(Context().get(), get, &out).ok());
}

v1::RecordExperienceRequest Experience(const std::string& request_id,
                                       const std::string& responder_id, absl::Time ended,
                                       const std::string& assignment_id) {
  v1::RecordExperienceRequest request;
  request.set_request_id(request_id);
  request.set_responder_id(responder_id);
  v1::Mission& mission = *request.mutable_mission();
  mission.set_kind(v1::CRISIS_KIND_FLOOD);
  mission.set_role_code("wash-engineer");
  mission.set_place("Vaulx-en-Velin");
  *mission.mutable_started_at() = ToProtoTime(ended - absl::Hours(24 * 7));
  *mission.mutable_ended_at() = ToProtoTime(ended);
  mission.set_assignment_id(assignment_id);
  return request;
}

TEST_F(InventoryTest, RecordExperienceAppendsOnceAndKeepsTheNewestFifty) {
  Direct direct(*server_, clock_, ids_);
  const std::string org = Org();
  // Experience sent with a registration is the caller's invention: dropped.
  v1::RegisterResponderRequest register_request = ResponderRequest("r-1");
  *register_request.mutable_responder()->add_experience() =
      Experience("x", "x", clock_.Now() - absl::Hours(24), "asg_forged").mission();
  v1::Responder responder;
  ASSERT_TRUE(RegisterResponder(org, register_request, &responder).ok());
  EXPECT_EQ(responder.experience_size(), 0);
  const std::string id = responder.id();
  const Principal mobilisation{"svc-mobilisation", Role::kAdmin, "", ""};
  const absl::Time t0 = clock_.Now() - absl::Hours(24 * 900);

  const v1::RecordExperienceRequest first = Experience("x-1", id, t0, "asg_1");
  v1::Responder out;
  ASSERT_TRUE(direct.registry.RecordExperience(mobilisation, first, &out).ok());
  EXPECT_EQ(out.version(), 2);
  ASSERT_EQ(out.experience_size(), 1);
  EXPECT_EQ(out.experience(0).SerializeAsString(), first.mission().SerializeAsString());
  std::vector<v1::Event> events = Events();
  EXPECT_EQ(events.back().type(), v1::EVENT_TYPE_EXPERIENCE_RECORDED);
  EXPECT_EQ(events.back().responder_id(), id);
  EXPECT_EQ(events.back().subject_id(), id);
  EXPECT_EQ(events.back().subject_version(), 2);
  EXPECT_EQ(events.back().organisation_id(), org);
  const int64_t count = EventCount();

  // A retry, and another record of the same assignment: nothing changes.
  ASSERT_TRUE(direct.registry.RecordExperience(mobilisation, first, &out).ok());
  EXPECT_EQ(out.version(), 2);
  ASSERT_TRUE(
      direct.registry
          .RecordExperience(mobilisation, Experience("x-2", id, t0 + absl::Hours(1), "asg_1"), &out)
          .ok());
  EXPECT_EQ(out.version(), 2);
  EXPECT_EQ(out.experience_size(), 1);
  EXPECT_EQ(EventCount(), count);

  // 55 more: the oldest go.
  for (int i = 2; i <= 56; ++i) {
    ASSERT_TRUE(
        direct.registry
            .RecordExperience(mobilisation,
                              Experience(absl::StrCat("x-", i + 1), id,
                                         t0 + absl::Hours(24 * 10 * i), absl::StrCat("asg_", i)),
                              &out)
            .ok());
  }
  v1::GetResponderRequest get;
  get.set_responder_id(id);
  ASSERT_TRUE(stub_->GetResponder(Context().get(), get, &out).ok());
  ASSERT_EQ(out.experience_size(), kMaxExperience);
  EXPECT_EQ(out.experience(0).assignment_id(), "asg_7");
  EXPECT_EQ(out.experience(kMaxExperience - 1).assignment_id(), "asg_56");
  EXPECT_EQ(EventCount(), count + 55);

  // Updates leave it alone.
  v1::UpdateResponderRequest update;
  update.set_request_id("r-2");
  update.set_responder_id(id);
  update.mutable_responder()->set_max_deployment_days(30);
  update.mutable_update_mask()->add_paths("max_deployment_days");
  v1::Responder updated;
  ASSERT_TRUE(stub_->UpdateResponder(Context(org).get(), update, &updated).ok());
  EXPECT_EQ(updated.experience_size(), kMaxExperience);

  EXPECT_EQ(
      direct.registry.RecordExperience(mobilisation, Experience("x-99", "rsp_nope", t0, ""), &out)
          .code(),
      absl::StatusCode::kNotFound);
  v1::RecordExperienceRequest bad = Experience("x-98", id, t0, "");
  bad.mutable_mission()->set_role_code("astronaut");
  absl::Status invalid = direct.registry.RecordExperience(mobilisation, bad, &out);
  EXPECT_EQ(invalid.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(StartsWith(std::string(invalid.message()), "mission.role_code: "));
}

TEST_F(InventoryTest, SweepingDropsEndedPeriodsOnceAndKeepsTheDueListCurrent) {
  Direct direct(*server_, clock_, ids_);
  const std::string org = Org();
  const v1::Responder responder = NewResponder("r-1");
  const std::string id = responder.id();
  const absl::Time t0 = clock_.Now();
  v1::AvailabilityCalendar calendar;
  ASSERT_TRUE(SetPeriod(id, "r-2", t0, t0 + absl::Hours(5), &calendar).ok());
  ASSERT_TRUE(SetPeriod(id, "r-3", t0, t0 + absl::Hours(1), &calendar).ok());
  ASSERT_TRUE(SetPeriod(id, "r-4", t0 + absl::Hours(2), t0 + absl::Hours(48), &calendar).ok());
  const auto due_at = [&] { return redis_->Command({"ZSCORE", "inv:avl:due", id}); };
  EXPECT_EQ(due_at(), std::to_string(absl::ToUnixMillis(t0 + absl::Hours(1))));

  auto swept = direct.registry.SweepCalendars(clock_.Now(), 100);
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(*swept, 0);

  clock_.Advance(absl::Hours(1));
  const int64_t before = EventCount();
  swept = direct.registry.SweepCalendars(clock_.Now(), 100);
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(*swept, 1);
  v1::AvailabilityCalendar stored = StoredCalendar(id);
  EXPECT_EQ(stored.version(), 5);
  ASSERT_EQ(stored.periods_size(), 2);
  EXPECT_EQ(FromProtoTime(stored.periods(0).until()), t0 + absl::Hours(5));
  EXPECT_EQ(due_at(), std::to_string(absl::ToUnixMillis(t0 + absl::Hours(5))));
  std::vector<v1::Event> events = Events();
  ASSERT_EQ(EventCount(), before + 1);
  const v1::Event& event = events.back();
  EXPECT_EQ(event.type(), v1::EVENT_TYPE_AVAILABILITY_SWEPT);
  EXPECT_EQ(event.responder_id(), id);
  EXPECT_EQ(event.organisation_id(), org);
  EXPECT_EQ(event.principal_id(), "system:sweeper");
  EXPECT_EQ(event.request_id(), "sweep:" + id + ":4");
  EXPECT_EQ(event.subject_version(), 5);
  EXPECT_EQ(FromProtoTime(event.time()), clock_.Now());

  // Nothing more ended: nothing written.
  swept = direct.registry.SweepCalendars(clock_.Now(), 100);
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(*swept, 0);
  EXPECT_EQ(EventCount(), before + 1);

  // The last period ends: the calendar is empty and off the due list.
  clock_.Advance(absl::Hours(47));
  swept = direct.registry.SweepCalendars(clock_.Now(), 100);
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(*swept, 1);
  EXPECT_EQ(StoredCalendar(id).periods_size(), 0);
  EXPECT_EQ(redis_->Command({"ZCARD", "inv:avl:due"}), "0");

  // Clearing a calendar's periods and erasing a responder take them off the list too.
  ASSERT_TRUE(SetPeriod(id, "r-5", clock_.Now(), clock_.Now() + absl::Hours(3), &calendar).ok());
  EXPECT_EQ(redis_->Command({"ZCARD", "inv:avl:due"}), "1");
  v1::ClearAvailabilityRequest clear;
  clear.set_request_id("r-6");
  clear.set_responder_id(id);
  clear.set_period_id(calendar.periods(0).id());
  ASSERT_TRUE(stub_->ClearAvailability(Context(org).get(), clear, &calendar).ok());
  EXPECT_EQ(redis_->Command({"ZCARD", "inv:avl:due"}), "0");
  ASSERT_TRUE(SetPeriod(id, "r-7", clock_.Now(), clock_.Now() + absl::Hours(3), &calendar).ok());
  v1::RemoveResponderResponse removed;
  ASSERT_TRUE(Remove(id, "r-8", &removed).ok());
  EXPECT_EQ(redis_->Command({"ZCARD", "inv:avl:due"}), "0");

  EXPECT_EQ(direct.registry.SweepCalendars(clock_.Now(), 0).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(InventoryTest, TwoSweepersNeverWriteACalendarTwice) {
  Direct first(*server_, clock_, ids_);
  Direct second(*server_, clock_, ids_);
  const absl::Time t0 = clock_.Now();
  std::vector<std::string> responders;
  for (int i = 0; i < 20; ++i) {
    const std::string id = NewResponder(absl::StrCat("r-", i)).id();
    v1::AvailabilityCalendar calendar;
    ASSERT_TRUE(SetPeriod(id, absl::StrCat("p-", i), t0, t0 + absl::Hours(1), &calendar).ok());
    responders.push_back(id);
  }
  clock_.Advance(absl::Hours(1));
  const int64_t before = EventCount();
  // However the two interleave, each calendar version is swept under one request id.
  absl::StatusOr<int> a = 0, b = 0;
  std::thread other([&] { b = second.registry.SweepCalendars(clock_.Now(), 100); });
  a = first.registry.SweepCalendars(clock_.Now(), 100);
  other.join();
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(*a + *b, 20);
  EXPECT_EQ(EventCount(), before + 20);
  for (const std::string& id : responders) {
    const v1::AvailabilityCalendar stored = StoredCalendar(id);
    EXPECT_EQ(stored.version(), 3) << id;
    EXPECT_EQ(stored.periods_size(), 0) << id;
  }
  EXPECT_EQ(redis_->Command({"ZCARD", "inv:avl:due"}), "0");
}

}  // namespace
}  // namespace relais::inventory
