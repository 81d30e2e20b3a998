#include "services/inventory/teams_domain.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/runtime/proto_time.h"

namespace relais::inventory {
namespace {

using relais::v1::OfferTeamRequest;
using relais::v1::Team;
using relais::v1::UpdateTeamRequest;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

MATCHER_P2(HasCodeAndPrefix, code, prefix, "") {
  *result_listener << "status is " << arg.ToString();
  return arg.code() == code && absl::StartsWith(arg.message(), prefix);
}

// INVALID_ARGUMENT whose message starts with "<path>: ".
auto IsInvalidAt(const std::string& path) {
  return HasCodeAndPrefix(absl::StatusCode::kInvalidArgument, path + ": ");
}

const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 11, 20, 8, 0, 0), absl::UTCTimeZone());

const Catalogue& TestCatalogue() {
  static const Catalogue* const catalogue = [] {
    auto parsed = Catalogue::Parse(R"pb(
      version: "test-1"
      skills {
        code: "nurse"
        label { en: "Nurse" fr: "Infirmier" }
      }
      team_types {
        code: "who-emt-type-1-mobile"
        label { en: "EMT Type 1 Mobile" fr: "EMT type 1 mobile" }
      }
      team_types {
        code: "ifrc-eru-wash-m15"
        label { en: "ERU WASH M15" fr: "ERU EHA M15" }
      }
    )pb");
    if (!parsed.ok()) std::abort();
    return new Catalogue(*std::move(parsed));
  }();
  return *catalogue;
}

OfferTeamRequest ValidOffer() {
  OfferTeamRequest request;
  request.set_request_id("r-1");
  Team& team = *request.mutable_team();
  team.set_external_ref("EMT/HI-1");
  team.set_name("EMT HI Lyon 1");
  team.set_type_code("who-emt-type-1-mobile");
  team.add_member_ids("rsp_000001");
  team.add_member_ids("rsp_000002");
  auto* kit = team.add_kit();
  kit->set_stock_line_id("stk_000001");
  kit->set_quantity(2);
  team.set_description("Équipe mobile.\nSoins ambulatoires.");
  return request;
}

TEST(TeamValidationTest, AValidOfferPasses) {
  EXPECT_TRUE(ValidateOfferTeam(ValidOffer(), TestCatalogue()).ok());
  OfferTeamRequest minimal = ValidOffer();
  minimal.mutable_team()->clear_external_ref();
  minimal.mutable_team()->clear_kit();
  minimal.mutable_team()->clear_description();
  EXPECT_TRUE(ValidateOfferTeam(minimal, TestCatalogue()).ok());
}

TEST(TeamValidationTest, EveryInvalidFieldIsNamedWithItsPath) {
  using R = OfferTeamRequest;
  struct Case {
    std::string path;
    std::function<void(R&)> spoil;
  };
  const auto team = [](R& r) { return r.mutable_team(); };
  const std::vector<Case> cases = {
      {"request_id", [](R& r) { r.clear_request_id(); }},
      {"request_id", [](R& r) { r.set_request_id("a b"); }},
      {"team", [](R& r) { r.clear_team(); }},
      {"team.external_ref", [&](R& r) { team(r)->set_external_ref("EMT 1"); }},
      {"team.external_ref", [&](R& r) { team(r)->set_external_ref(std::string(65, 'a')); }},
      {"team.name", [&](R& r) { team(r)->clear_name(); }},
      {"team.name", [&](R& r) { team(r)->set_name("E"); }},
      {"team.name", [&](R& r) { team(r)->set_name(std::string(121, 'x')); }},
      {"team.name", [&](R& r) { team(r)->set_name("EMT\nHI"); }},
      {"team.type_code", [&](R& r) { team(r)->clear_type_code(); }},
      {"team.type_code", [&](R& r) { team(r)->set_type_code("nurse"); }},  // a skill, not a type
      {"team.member_ids", [&](R& r) { team(r)->clear_member_ids(); }},
      {"team.member_ids",
       [&](R& r) {
         for (int i = 3; i <= 51; ++i) team(r)->add_member_ids(absl::StrCat("rsp_", i));
       }},
      {"team.member_ids[1]", [&](R& r) { team(r)->set_member_ids(1, ""); }},
      {"team.member_ids[1]", [&](R& r) { team(r)->set_member_ids(1, "rsp 2"); }},
      {"team.member_ids[1]", [&](R& r) { team(r)->set_member_ids(1, "rsp_000001"); }},
      {"team.kit",
       [&](R& r) {
         for (int i = 2; i <= 51; ++i) {
           auto* line = team(r)->add_kit();
           line->set_stock_line_id(absl::StrCat("stk_", i));
           line->set_quantity(1);
         }
       }},
      {"team.kit[0].stock_line_id", [&](R& r) { team(r)->mutable_kit(0)->clear_stock_line_id(); }},
      {"team.kit[0].stock_line_id",
       [&](R& r) { team(r)->mutable_kit(0)->set_stock_line_id("stk:1"); }},
      {"team.kit[1].stock_line_id", [&](R& r) { *team(r)->add_kit() = team(r)->kit(0); }},
      {"team.kit[0].quantity", [&](R& r) { team(r)->mutable_kit(0)->set_quantity(0); }},
      {"team.kit[0].quantity", [&](R& r) { team(r)->mutable_kit(0)->set_quantity(-3); }},
      {"team.kit[0].quantity",
       [&](R& r) { team(r)->mutable_kit(0)->set_quantity(kMaxKitQuantity + 1); }},
      {"team.description", [&](R& r) { team(r)->set_description(std::string(2001, 'd')); }},
      {"team.description", [&](R& r) { team(r)->set_description("bell\a"); }},
  };
  for (const Case& c : cases) {
    OfferTeamRequest request = ValidOffer();
    c.spoil(request);
    EXPECT_THAT(ValidateOfferTeam(request, TestCatalogue()), IsInvalidAt(c.path))
        << "expected an error at " << c.path;
  }
}

TEST(TeamValidationTest, AtTheLimitsIsStillValid) {
  OfferTeamRequest request = ValidOffer();
  Team& team = *request.mutable_team();
  team.set_name(std::string(120, 'n'));
  team.set_external_ref(std::string(64, 'r'));
  team.clear_member_ids();
  for (int i = 1; i <= kMaxTeamMembers; ++i) team.add_member_ids(absl::StrCat("rsp_", i));
  team.clear_kit();
  for (int i = 1; i <= kMaxKitLines; ++i) {
    auto* line = team.add_kit();
    line->set_stock_line_id(absl::StrCat("stk_", i));
    line->set_quantity(kMaxKitQuantity);
  }
  team.set_description(std::string(2000, 'd'));
  EXPECT_TRUE(ValidateOfferTeam(request, TestCatalogue()).ok());
}

TEST(TeamValidationTest, UnknownTypeIsNamedWithTheCode) {
  OfferTeamRequest request = ValidOffer();
  request.mutable_team()->set_type_code("astronaut-crew");
  EXPECT_THAT(ValidateOfferTeam(request, TestCatalogue()).message(),
              HasSubstr("'astronaut-crew' is not a team type in the catalogue"));
}

TEST(TeamTest, NewTeamBelongsToTheGivenOrganisationNotTheRequests) {
  OfferTeamRequest request = ValidOffer();
  request.mutable_team()->set_organisation_id("org_someone_else");
  request.mutable_team()->set_id("team_forged");
  request.mutable_team()->set_version(7);
  Team team = NewTeam(request, "team_000001", "org_000001", kNow);
  EXPECT_EQ(team.id(), "team_000001");
  EXPECT_EQ(team.organisation_id(), "org_000001");
  EXPECT_EQ(team.version(), 1);
  EXPECT_EQ(FromProtoTime(team.created_at()), kNow);
  EXPECT_EQ(FromProtoTime(team.updated_at()), kNow);
  EXPECT_THAT(team.member_ids(), ElementsAre("rsp_000001", "rsp_000002"));
}

UpdateTeamRequest TeamUpdate(std::vector<std::string> paths) {
  UpdateTeamRequest request;
  request.set_request_id("r-9");
  request.set_team_id("team_000001");
  for (const auto& path : paths) request.mutable_update_mask()->add_paths(path);
  return request;
}

TEST(TeamUpdateTest, RequestAndMaskAreChecked) {
  const Catalogue& cat = TestCatalogue();
  EXPECT_THAT(ValidateUpdateTeam(TeamUpdate({}), cat), IsInvalidAt("update_mask"));
  EXPECT_THAT(ValidateUpdateTeam(TeamUpdate({"colour"}), cat), IsInvalidAt("update_mask"));
  absl::Status moved = ValidateUpdateTeam(TeamUpdate({"organisation_id"}), cat);
  EXPECT_THAT(moved, IsInvalidAt("update_mask"));
  EXPECT_THAT(moved.message(), HasSubstr("stays with the organisation"));
  EXPECT_THAT(ValidateUpdateTeam(TeamUpdate({"name", "name"}), cat), IsInvalidAt("update_mask"));
  UpdateTeamRequest bad = TeamUpdate({"description"});
  bad.set_team_id("team/1");
  EXPECT_THAT(ValidateUpdateTeam(bad, cat), IsInvalidAt("team_id"));
  bad = TeamUpdate({"description"});
  bad.set_request_id("");
  EXPECT_THAT(ValidateUpdateTeam(bad, cat), IsInvalidAt("request_id"));
  bad = TeamUpdate({"description"});
  bad.set_expected_version(-1);
  EXPECT_THAT(ValidateUpdateTeam(bad, cat), IsInvalidAt("expected_version"));
}

TEST(TeamUpdateTest, MaskedValuesAreValidatedUnderTeam) {
  const Catalogue& cat = TestCatalogue();
  EXPECT_THAT(ValidateUpdateTeam(TeamUpdate({"name"}), cat), IsInvalidAt("team.name"));
  EXPECT_THAT(ValidateUpdateTeam(TeamUpdate({"type_code"}), cat), IsInvalidAt("team.type_code"));
  EXPECT_THAT(ValidateUpdateTeam(TeamUpdate({"member_ids"}), cat), IsInvalidAt("team.member_ids"));
  UpdateTeamRequest kit = TeamUpdate({"kit"});
  kit.mutable_team()->add_kit()->set_stock_line_id("stk_1");
  EXPECT_THAT(ValidateUpdateTeam(kit, cat), IsInvalidAt("team.kit[0].quantity"));
  UpdateTeamRequest ref = TeamUpdate({"external_ref"});
  ref.mutable_team()->set_external_ref("a b");
  EXPECT_THAT(ValidateUpdateTeam(ref, cat), IsInvalidAt("team.external_ref"));
  UpdateTeamRequest description = TeamUpdate({"description"});
  description.mutable_team()->set_description(std::string(2001, 'x'));
  EXPECT_THAT(ValidateUpdateTeam(description, cat), IsInvalidAt("team.description"));
  // Unmasked fields are not looked at; masked empty kit, ref and description clear them.
  EXPECT_TRUE(ValidateUpdateTeam(TeamUpdate({"kit", "external_ref", "description"}), cat).ok());
}

TEST(TeamUpdateTest, OnlyMaskedFieldsChange) {
  const Team current = NewTeam(ValidOffer(), "team_000001", "org_000001", kNow);
  UpdateTeamRequest request = TeamUpdate({"member_ids", "kit", "external_ref"});
  request.mutable_team()->add_member_ids("rsp_000003");
  request.mutable_team()->set_name("ignored: not masked");
  request.mutable_team()->set_organisation_id("org_forged");
  const Team next = ApplyUpdateTeam(current, request, kNow + absl::Minutes(2));
  EXPECT_THAT(next.member_ids(), ElementsAre("rsp_000003"));
  EXPECT_EQ(next.kit_size(), 0);
  EXPECT_EQ(next.external_ref(), "");
  EXPECT_EQ(next.name(), "EMT HI Lyon 1");
  EXPECT_EQ(next.organisation_id(), "org_000001");
  EXPECT_EQ(next.version(), 2);
  EXPECT_EQ(FromProtoTime(next.created_at()), kNow);
  EXPECT_EQ(FromProtoTime(next.updated_at()), kNow + absl::Minutes(2));
}

TEST(TeamUpdateTest, MemberChangesAreCountedAndBounded) {
  Team before;
  before.add_member_ids("rsp_1");
  before.add_member_ids("rsp_2");
  Team after;
  after.add_member_ids("rsp_2");
  after.add_member_ids("rsp_3");
  const MemberChanges changes = ChangedMembers(before, after);
  EXPECT_THAT(changes.joined, ElementsAre("rsp_3"));
  EXPECT_THAT(changes.left, ElementsAre("rsp_1"));
  EXPECT_TRUE(CheckMemberChanges(changes).ok());

  MemberChanges many;
  for (int i = 0; i < 50; ++i) many.joined.push_back(absl::StrCat("rsp_new_", i));
  for (int i = 0; i < 10; ++i) many.left.push_back(absl::StrCat("rsp_old_", i));
  EXPECT_TRUE(CheckMemberChanges(many).ok());
  many.left.push_back("rsp_old_10");
  absl::Status refused = CheckMemberChanges(many);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.message(), HasSubstr("team.member_ids: this update changes 61 members"));
}

TEST(TeamTest, GetListAndRemoveRequestsAreChecked) {
  relais::v1::GetTeamRequest get;
  EXPECT_THAT(ValidateGetTeam(get), IsInvalidAt("team_id"));
  get.set_team_id("team_000001");
  EXPECT_TRUE(ValidateGetTeam(get).ok());

  relais::v1::ListTeamsRequest list;
  EXPECT_THAT(ValidateListTeams(list), IsInvalidAt("organisation_id"));
  list.set_organisation_id("org_000001");
  EXPECT_TRUE(ValidateListTeams(list).ok());
  list.set_page_size(201);
  EXPECT_THAT(ValidateListTeams(list), IsInvalidAt("page_size"));
  list.set_page_size(0);
  list.set_page_token(std::string(1025, 'a'));
  EXPECT_THAT(ValidateListTeams(list), IsInvalidAt("page_token"));

  relais::v1::RemoveTeamRequest remove;
  remove.set_team_id("team_000001");
  EXPECT_THAT(ValidateRemoveTeam(remove), IsInvalidAt("request_id"));
  remove.set_request_id("r-1");
  EXPECT_TRUE(ValidateRemoveTeam(remove).ok());
  remove.set_team_id("");
  EXPECT_THAT(ValidateRemoveTeam(remove), IsInvalidAt("team_id"));
}

}  // namespace
}  // namespace relais::inventory
