// Teams against a real redis-server, through the application layer (Teams over RedisTeamStore,
// the registry for the organisations and responders they are made of). Time is a FakeClock, ids
// are sequential.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "relais/v1/stock.pb.h"
#include "services/inventory/redis_inventory_store.h"
#include "services/inventory/redis_team_store.h"
#include "services/inventory/registry.h"
#include "services/inventory/teams.h"
#include "services/runtime/proto_time.h"
#include "services/runtime/redis/committer.h"
#include "services/runtime/redis/event_log.h"
#include "tests/support/redis_server.h"

namespace relais::inventory {
namespace {

using ::relais::testing::RedisServer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
namespace v1 = ::relais::v1;

class TeamsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = RedisServer::Start().release(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    server_->FlushAll();
    auto catalogue = Catalogue::LoadFile(RELAIS_SOURCE_DIR "/deploy/catalogue.textproto");
    ASSERT_TRUE(catalogue.ok()) << catalogue.status();
    catalogue_ = std::make_unique<Catalogue>(*std::move(catalogue));
    RedisOptions options;
    options.host = server_->host();
    options.port = server_->port();
    options.command_timeout = absl::Seconds(2);
    redis_ = std::make_unique<RedisClient>(options, clock_);
    committer_ = std::make_unique<Committer>(*redis_, CommitOptions{});
    ASSERT_TRUE(committer_->LoadFunctions().ok());
    inventory_ = std::make_unique<RedisInventoryStore>(*redis_, *committer_);
    team_store_ = std::make_unique<RedisTeamStore>(*redis_, *committer_);
    registry_ = std::make_unique<Registry>(*inventory_, *catalogue_, clock_, ids_);
    teams_ = std::make_unique<Teams>(*team_store_, *inventory_, *catalogue_, clock_, ids_);
  }

  static Principal Admin(const std::string& organisation, const std::string& id = "osi-1") {
    return Principal{id, Role::kOsiAdmin, organisation, ""};
  }

  std::string NewOrg(const std::string& request_id, const std::string& name) {
    v1::RegisterOrganisationRequest request;
    request.set_request_id(request_id);
    v1::Organisation& org = *request.mutable_organisation();
    org.set_name(name);
    org.set_kind(v1::ORGANISATION_KIND_NGO);
    org.add_domains(v1::DOMAIN_HUMANITARIAN_HEALTH);
    org.set_commune("Lyon");
    org.mutable_location()->set_lat(45.75);
    org.mutable_location()->set_lon(4.85);
    v1::Organisation out;
    EXPECT_TRUE(registry_->RegisterOrganisation(Admin(""), request, &out).ok());
    return out.id();
  }

  std::string NewResponder(const std::string& organisation, const std::string& request_id) {
    v1::RegisterResponderRequest request;
    request.set_request_id(request_id);
    v1::Responder& r = *request.mutable_responder();
    r.set_display_name("Infirmier d'astreinte");
    auto* skill = r.add_skills();
    skill->set_code("nurse");
    skill->set_level(3);
    r.mutable_home_base()->set_lat(45.76);
    r.mutable_home_base()->set_lon(4.84);
    r.set_max_deployment_days(14);
    auto* contact = r.add_contacts();
    contact->set_kind(v1::CONTACT_KIND_SMS);
    contact->set_address("+33600000000");
    v1::Responder out;
    absl::Status status = registry_->RegisterResponder(Admin(organisation), request, &out);
    EXPECT_TRUE(status.ok()) << status;
    return out.id();
  }

  // A stock line as the stock part of the inventory stores it (ledger.h: inv:stk:<id>, a hash
  // {v, d: StockLine}); written directly so that these tests do not depend on OfferSupplies.
  void PutStockLine(const std::string& id, const std::string& organisation) {
    v1::StockLine line;
    line.set_id(id);
    line.set_organisation_id(organisation);
    server_->Command({"HSET", "inv:stk:" + id, "v", "1", "d", line.SerializeAsString()});
  }

  static v1::OfferTeamRequest Offer(const std::string& request_id,
                                    const std::vector<std::string>& members,
                                    const std::string& external_ref = "") {
    v1::OfferTeamRequest request;
    request.set_request_id(request_id);
    v1::Team& team = *request.mutable_team();
    team.set_external_ref(external_ref);
    team.set_name("EMT HI Lyon 1");
    team.set_type_code("who-emt-type-1-mobile");
    for (const auto& id : members) team.add_member_ids(id);
    team.set_description("Équipe mobile de soins ambulatoires.");
    return request;
  }

  static v1::UpdateTeamRequest Update(const std::string& request_id, const std::string& team_id,
                                      std::vector<std::string> paths) {
    v1::UpdateTeamRequest request;
    request.set_request_id(request_id);
    request.set_team_id(team_id);
    for (const auto& path : paths) request.mutable_update_mask()->add_paths(path);
    return request;
  }

  static v1::RemoveTeamRequest Remove(const std::string& request_id, const std::string& team_id) {
    v1::RemoveTeamRequest request;
    request.set_request_id(request_id);
    request.set_team_id(team_id);
    return request;
  }

  std::vector<std::string> Range(const std::string& key) {
    auto reply = redis_->Command({"ZRANGE", key, "0", "-1"});
    EXPECT_TRUE(reply.ok());
    std::vector<std::string> members;
    if (reply.ok()) {
      for (const auto& element : reply->elements()) members.push_back(element.str());
    }
    return members;
  }

  std::vector<v1::Event> TeamEvents() {
    EventLog log(*redis_);
    auto events = log.ReadAfter("", 1000);
    EXPECT_TRUE(events.ok()) << events.status();
    std::vector<v1::Event> teams;
    if (!events.ok()) return teams;
    for (const auto& event : *events) {
      if (!event.team_id().empty()) teams.push_back(event);
    }
    return teams;
  }

  size_t KeyCount(const std::string& pattern) {
    auto reply = redis_->Command({"KEYS", pattern});
    EXPECT_TRUE(reply.ok());
    return reply.ok() ? reply->elements().size() : 0;
  }

  bool Exists(const std::string& key) { return server_->Command({"EXISTS", key}) == "1"; }

  static RedisServer* server_;
  FakeClock clock_;
  SequentialIdGenerator ids_;
  std::unique_ptr<Catalogue> catalogue_;
  std::unique_ptr<RedisClient> redis_;
  std::unique_ptr<Committer> committer_;
  std::unique_ptr<RedisInventoryStore> inventory_;
  std::unique_ptr<RedisTeamStore> team_store_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<Teams> teams_;
};

RedisServer* TeamsTest::server_ = nullptr;

TEST_F(TeamsTest, ATeamIsOfferedReadUpdatedAndRemoved) {
  const std::string org = NewOrg("r-org", "Handicap International");
  const std::string a = NewResponder(org, "r-a");
  const std::string b = NewResponder(org, "r-b");
  const std::string c = NewResponder(org, "r-c");
  PutStockLine("stk_1", org);

  v1::OfferTeamRequest offer = Offer("r-1", {a, b}, "EMT/HI-1");
  auto* kit = offer.mutable_team()->add_kit();
  kit->set_stock_line_id("stk_1");
  kit->set_quantity(2);
  offer.mutable_team()->set_organisation_id("org_forged");
  v1::Team team;
  ASSERT_TRUE(teams_->OfferTeam(Admin(org), offer, &team).ok());
  EXPECT_EQ(team.id(), "team_000001");
  EXPECT_EQ(team.organisation_id(), org);
  EXPECT_EQ(team.version(), 1);
  EXPECT_EQ(FromProtoTime(team.created_at()), clock_.Now());
  EXPECT_THAT(team.member_ids(), ElementsAre(a, b));
  EXPECT_THAT(Range("inv:idx:team:" + org), ElementsAre(team.id()));
  EXPECT_THAT(Range("inv:idx:rsp-team:" + a), ElementsAre(team.id()));
  EXPECT_THAT(Range("inv:idx:rsp-team:" + b), ElementsAre(team.id()));
  EXPECT_FALSE(Exists("inv:idx:rsp-team:" + c));
  // The record the holds engine reads: {v, d}.
  EXPECT_EQ(server_->Command({"HGET", "inv:team:" + team.id(), "v"}), "1");

  v1::GetTeamRequest get;
  get.set_team_id(team.id());
  v1::Team read;
  ASSERT_TRUE(teams_->GetTeam(Admin(""), get, &read).ok());
  EXPECT_EQ(read.SerializeAsString(), team.SerializeAsString());

  // b leaves, c joins; the reverse index follows in the same step.
  clock_.Advance(absl::Minutes(5));
  v1::UpdateTeamRequest update = Update("r-2", team.id(), {"member_ids", "name"});
  update.mutable_team()->add_member_ids(a);
  update.mutable_team()->add_member_ids(c);
  update.mutable_team()->set_name("EMT HI Lyon 1 (bis)");
  update.set_expected_version(1);
  v1::Team updated;
  ASSERT_TRUE(teams_->UpdateTeam(Admin(org), update, &updated).ok());
  EXPECT_EQ(updated.version(), 2);
  EXPECT_EQ(updated.name(), "EMT HI Lyon 1 (bis)");
  EXPECT_EQ(updated.kit_size(), 1);
  EXPECT_EQ(FromProtoTime(updated.updated_at()), clock_.Now());
  EXPECT_THAT(Range("inv:idx:rsp-team:" + a), ElementsAre(team.id()));
  EXPECT_FALSE(Exists("inv:idx:rsp-team:" + b));
  EXPECT_THAT(Range("inv:idx:rsp-team:" + c), ElementsAre(team.id()));

  // A stale expected_version changes nothing.
  v1::UpdateTeamRequest stale = Update("r-3", team.id(), {"description"});
  stale.set_expected_version(1);
  absl::Status aborted = teams_->UpdateTeam(Admin(org), stale, &updated);
  EXPECT_EQ(aborted.code(), absl::StatusCode::kAborted);
  EXPECT_THAT(aborted.message(), HasSubstr("expected_version: team team_000001 is at version 2"));

  // Only the team's organisation changes it.
  const std::string other = NewOrg("r-org-2", "Médecins du Monde");
  EXPECT_EQ(
      teams_->UpdateTeam(Admin(other, "osi-2"), Update("r-4", team.id(), {"description"}), &updated)
          .code(),
      absl::StatusCode::kPermissionDenied);
  v1::RemoveTeamResponse removed;
  EXPECT_EQ(teams_->RemoveTeam(Admin(other, "osi-2"), Remove("r-5", team.id()), &removed).code(),
            absl::StatusCode::kPermissionDenied);

  ASSERT_TRUE(teams_->RemoveTeam(Admin(org), Remove("r-6", team.id()), &removed).ok());
  EXPECT_EQ(removed.team_id(), team.id());
  EXPECT_FALSE(Exists("inv:team:" + team.id()));
  EXPECT_FALSE(Exists("inv:idx:team:" + org));
  EXPECT_FALSE(Exists("inv:idx:rsp-team:" + a));
  EXPECT_FALSE(Exists("inv:idx:rsp-team:" + c));
  EXPECT_EQ(server_->Command({"KEYS", "inv:xref:*:team:*"}), "");
  EXPECT_EQ(teams_->GetTeam(Admin(""), get, &read).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(teams_->RemoveTeam(Admin(org), Remove("r-7", team.id()), &removed).code(),
            absl::StatusCode::kNotFound);

  const std::vector<v1::Event> events = TeamEvents();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].type(), v1::EVENT_TYPE_TEAM_OFFERED);
  EXPECT_EQ(events[1].type(), v1::EVENT_TYPE_TEAM_UPDATED);
  EXPECT_EQ(events[2].type(), v1::EVENT_TYPE_TEAM_REMOVED);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(events[i].team_id(), team.id());
    EXPECT_EQ(events[i].subject_id(), team.id());
    EXPECT_EQ(events[i].subject_version(), i + 1);
    EXPECT_EQ(events[i].organisation_id(), org);
    EXPECT_EQ(events[i].principal_id(), "osi-1");
  }
}

TEST_F(TeamsTest, ListTeamsPagesInOfferOrder) {
  const std::string org = NewOrg("r-org", "Croix-Rouge française");
  const std::string other = NewOrg("r-org-2", "Secours populaire");
  const std::string member = NewResponder(org, "r-a");
  const std::string outsider = NewResponder(other, "r-b");
  std::vector<std::string> offered;
  for (int i = 0; i < 5; ++i) {
    v1::Team team;
    ASSERT_TRUE(teams_->OfferTeam(Admin(org), Offer(absl::StrCat("r-", i), {member}), &team).ok());
    offered.push_back(team.id());
  }
  v1::Team theirs;
  ASSERT_TRUE(teams_->OfferTeam(Admin(other), Offer("r-x", {outsider}), &theirs).ok());
  // One responder may be in several teams.
  EXPECT_EQ(Range("inv:idx:rsp-team:" + member), offered);

  v1::ListTeamsRequest request;
  request.set_organisation_id(org);
  request.set_page_size(2);
  std::vector<std::string> listed;
  int pages = 0;
  do {
    v1::ListTeamsResponse page;
    ASSERT_TRUE(teams_->ListTeams(Admin(""), request, &page).ok());
    for (const auto& team : page.teams()) listed.push_back(team.id());
    request.set_page_token(page.next_page_token());
    ++pages;
  } while (!request.page_token().empty() && pages < 10);
  EXPECT_EQ(listed, offered);
  EXPECT_EQ(pages, 3);

  request.set_page_token("not-a-token!");
  v1::ListTeamsResponse page;
  EXPECT_EQ(teams_->ListTeams(Admin(""), request, &page).code(),
            absl::StatusCode::kInvalidArgument);
  request.set_page_token("");
  request.set_organisation_id("org_nope");
  EXPECT_EQ(teams_->ListTeams(Admin(""), request, &page).code(), absl::StatusCode::kNotFound);
}

TEST_F(TeamsTest, AnExternalRefIsUniqueAmongTheOrganisationsTeams) {
  const std::string org = NewOrg("r-org", "Handicap International");
  const std::string other = NewOrg("r-org-2", "Médecins du Monde");
  const std::string a = NewResponder(org, "r-a");
  const std::string b = NewResponder(other, "r-b");
  v1::Team first;
  ASSERT_TRUE(teams_->OfferTeam(Admin(org), Offer("r-1", {a}, "EMT-1"), &first).ok());

  v1::Team second;
  absl::Status taken = teams_->OfferTeam(Admin(org), Offer("r-2", {a}, "EMT-1"), &second);
  EXPECT_EQ(taken.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(taken.message(), "external_ref: already used by team " + first.id());
  // Another organisation's reference space is its own.
  ASSERT_TRUE(teams_->OfferTeam(Admin(other), Offer("r-3", {b}, "EMT-1"), &second).ok());

  // An update to a taken reference is refused the same way; to its own reference is fine.
  v1::Team third;
  ASSERT_TRUE(teams_->OfferTeam(Admin(org), Offer("r-4", {a}, "EMT-2"), &third).ok());
  v1::UpdateTeamRequest update = Update("r-5", third.id(), {"external_ref"});
  update.mutable_team()->set_external_ref("EMT-1");
  v1::Team updated;
  EXPECT_EQ(teams_->UpdateTeam(Admin(org), update, &updated).code(),
            absl::StatusCode::kAlreadyExists);
  update.set_request_id("r-6");
  update.mutable_team()->set_external_ref("EMT-2");
  ASSERT_TRUE(teams_->UpdateTeam(Admin(org), update, &updated).ok());
  // Renamed: the old reference is free again.
  update.set_request_id("r-7");
  update.mutable_team()->set_external_ref("EMT-3");
  ASSERT_TRUE(teams_->UpdateTeam(Admin(org), update, &updated).ok());
  ASSERT_TRUE(teams_->OfferTeam(Admin(org), Offer("r-8", {a}, "EMT-2"), &second).ok());
  EXPECT_EQ(KeyCount("inv:xref:" + org + ":team:*"), 3u);  // EMT-1, EMT-3, EMT-2
  EXPECT_EQ(KeyCount("inv:xref:" + other + ":team:*"), 1u);
}

TEST_F(TeamsTest, MembersAndKitMustBeTheOrganisations) {
  const std::string org = NewOrg("r-org", "Handicap International");
  const std::string other = NewOrg("r-org-2", "Médecins du Monde");
  const std::string ours = NewResponder(org, "r-a");
  const std::string theirs = NewResponder(other, "r-b");
  PutStockLine("stk_ours", org);
  PutStockLine("stk_theirs", other);

  v1::Team team;
  absl::Status refused = teams_->OfferTeam(Admin(org), Offer("r-1", {ours, theirs}), &team);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(refused.message(),
            absl::StrCat("team.member_ids[1]: no responder ", theirs, " in organisation ", org));
  // Stored: the same request is refused again even once it would pass.
  EXPECT_EQ(teams_->OfferTeam(Admin(org), Offer("r-1", {ours, theirs}), &team).message(),
            refused.message());
  EXPECT_EQ(teams_->OfferTeam(Admin(org), Offer("r-2", {ours, "rsp_nobody"}), &team).code(),
            absl::StatusCode::kFailedPrecondition);

  v1::OfferTeamRequest with_kit = Offer("r-3", {ours});
  auto* line = with_kit.mutable_team()->add_kit();
  line->set_stock_line_id("stk_ours");
  line->set_quantity(1);
  line = with_kit.mutable_team()->add_kit();
  line->set_stock_line_id("stk_theirs");
  line->set_quantity(1);
  refused = teams_->OfferTeam(Admin(org), with_kit, &team);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(
      refused.message(),
      absl::StrCat("team.kit[1].stock_line_id: no stock line stk_theirs in organisation ", org));
  with_kit.set_request_id("r-4");
  with_kit.mutable_team()->mutable_kit(1)->set_stock_line_id("stk_missing");
  EXPECT_EQ(teams_->OfferTeam(Admin(org), with_kit, &team).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(TeamEvents(), IsEmpty());
  EXPECT_FALSE(Exists("inv:idx:team:" + org));

  // Updates are held to the same rule.
  ASSERT_TRUE(teams_->OfferTeam(Admin(org), Offer("r-5", {ours}), &team).ok());
  v1::UpdateTeamRequest update = Update("r-6", team.id(), {"member_ids"});
  update.mutable_team()->add_member_ids(theirs);
  v1::Team updated;
  EXPECT_EQ(teams_->UpdateTeam(Admin(org), update, &updated).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(Exists("inv:idx:rsp-team:" + theirs));

  // A caller without an organisation, or with one not in the directory, offers nothing.
  EXPECT_EQ(teams_->OfferTeam(Admin(""), Offer("r-7", {ours}), &team).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(teams_->OfferTeam(Admin("org_unknown"), Offer("r-8", {ours}), &team).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(TeamsTest, RetriesReplayTheFirstAnswer) {
  const std::string org = NewOrg("r-org", "Handicap International");
  const std::string a = NewResponder(org, "r-a");
  const std::string b = NewResponder(org, "r-b");
  v1::Team first;
  ASSERT_TRUE(teams_->OfferTeam(Admin(org), Offer("r-1", {a}, "EMT-1"), &first).ok());
  v1::Team again;
  ASSERT_TRUE(teams_->OfferTeam(Admin(org), Offer("r-1", {a}, "EMT-1"), &again).ok());
  EXPECT_EQ(again.id(), first.id());
  EXPECT_EQ(Range("inv:idx:team:" + org), std::vector<std::string>{first.id()});
  // The same request id for another request.
  EXPECT_EQ(teams_->OfferTeam(Admin(org), Offer("r-1", {a, b}), &again).code(),
            absl::StatusCode::kInvalidArgument);

  v1::UpdateTeamRequest update = Update("r-2", first.id(), {"member_ids"});
  update.mutable_team()->add_member_ids(b);
  update.set_expected_version(1);
  v1::Team updated;
  ASSERT_TRUE(teams_->UpdateTeam(Admin(org), update, &updated).ok());
  // The retry meets version 2, which its own success made: it answers as the first time.
  ASSERT_TRUE(teams_->UpdateTeam(Admin(org), update, &again).ok());
  EXPECT_EQ(again.version(), 2);
  EXPECT_THAT(Range("inv:idx:rsp-team:" + b), ElementsAre(first.id()));

  v1::RemoveTeamResponse removed;
  ASSERT_TRUE(teams_->RemoveTeam(Admin(org), Remove("r-3", first.id()), &removed).ok());
  removed.Clear();
  ASSERT_TRUE(teams_->RemoveTeam(Admin(org), Remove("r-3", first.id()), &removed).ok());
  EXPECT_EQ(removed.team_id(), first.id());

  const std::vector<v1::Event> events = TeamEvents();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].request_id(), "r-1");
  EXPECT_EQ(events[1].request_id(), "r-2");
  EXPECT_EQ(events[2].request_id(), "r-3");
}

TEST_F(TeamsTest, AnUpdateChangesAtMostSixtyMembersInOneStep) {
  const std::string org = NewOrg("r-org", "Croix-Rouge française");
  std::vector<std::string> responders;
  for (int i = 0; i < 100; ++i) responders.push_back(NewResponder(org, absl::StrCat("r-", i)));
  const std::vector<std::string> first_fifty(responders.begin(), responders.begin() + 50);
  v1::Team team;
  ASSERT_TRUE(teams_->OfferTeam(Admin(org), Offer("r-offer", first_fifty), &team).ok());

  // Fifty out, fifty in: too many for one atomic step.
  v1::UpdateTeamRequest update = Update("r-all", team.id(), {"member_ids"});
  for (int i = 50; i < 100; ++i) update.mutable_team()->add_member_ids(responders[i]);
  v1::Team updated;
  absl::Status refused = teams_->UpdateTeam(Admin(org), update, &updated);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.message(), HasSubstr("team.member_ids: this update changes 100 members"));

  // Thirty out, thirty in: done, and every reverse entry follows.
  update = Update("r-half", team.id(), {"member_ids"});
  for (int i = 30; i < 80; ++i) update.mutable_team()->add_member_ids(responders[i]);
  ASSERT_TRUE(teams_->UpdateTeam(Admin(org), update, &updated).ok());
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(Exists("inv:idx:rsp-team:" + responders[i]), i >= 30 && i < 80) << i;
  }

  v1::RemoveTeamResponse removed;
  ASSERT_TRUE(teams_->RemoveTeam(Admin(org), Remove("r-remove", team.id()), &removed).ok());
  EXPECT_EQ(server_->Command({"KEYS", "inv:idx:rsp-team:*"}), "");
}

}  // namespace
}  // namespace relais::inventory
