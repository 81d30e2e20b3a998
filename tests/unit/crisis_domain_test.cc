#include "services/crisis_registry/crisis_domain.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <numbers>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/runtime/proto_time.h"

namespace relais::crisis {
namespace {

using relais::v1::AddNeedRequest;
using relais::v1::Crisis;
using relais::v1::CrisisStatus;
using relais::v1::DeclareCrisisRequest;
using relais::v1::NeedSpec;
using relais::v1::UpdateCrisisRequest;
using relais::v1::UpdateNeedRequest;
using ::testing::HasSubstr;

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

MATCHER_P2(HasCodeAndPrefix, code, prefix, "") {
  *result_listener << "status is " << arg.ToString();
  return arg.code() == code && absl::StartsWith(arg.message(), prefix);
}

// INVALID_ARGUMENT whose message starts with "<path>: ".
auto IsInvalidAt(const std::string& path) {
  return HasCodeAndPrefix(absl::StatusCode::kInvalidArgument, path + ": ");
}

const absl::Time kStart =
    absl::FromCivil(absl::CivilSecond(2026, 11, 20, 8, 0, 0), absl::UTCTimeZone());
const absl::Time kNow = kStart + absl::Hours(2);

const Catalogue& TestCatalogue() {
  static const Catalogue* const catalogue = [] {
    auto parsed = Catalogue::Parse(R"pb(
      version: "test-1"
      skills {
        code: "nurse"
        label { en: "Nurse" fr: "Infirmier" }
      }
      skills {
        code: "physician-gp"
        label { en: "GP" fr: "Médecin généraliste" }
      }
      supply_items {
        code: "iehk-2017-basic-unit"
        label { en: "IEHK basic unit" fr: "KSUI unité de base" }
        unit { en: "unit" fr: "unité" }
      }
      team_types {
        code: "who-emt-type-2"
        label { en: "EMT 2" fr: "EMT 2" }
      }
      certifications {
        code: "bioforce-diploma"
        label { en: "Bioforce" fr: "Bioforce" }
      }
      certifications {
        code: "yellow-fever-vaccination"
        label { en: "YF" fr: "FJ" }
      }
    )pb");
    if (!parsed.ok()) std::abort();
    return new Catalogue(*std::move(parsed));
  }();
  return *catalogue;
}

NeedSpec NurseNeed() {
  NeedSpec spec;
  spec.mutable_resource()->set_kind(relais::v1::RESOURCE_KIND_SKILL);
  spec.mutable_resource()->set_code("nurse");
  spec.set_quantity(4);
  spec.set_priority(relais::v1::NEED_PRIORITY_HIGH);
  spec.set_duration_days(14);
  spec.set_min_level(2);
  spec.add_languages("fr");
  spec.add_languages("ar");
  spec.add_certifications("bioforce-diploma");
  *spec.mutable_needed_by() = ToProtoTime(kStart + absl::Hours(12));
  return spec;
}

NeedSpec KitNeed() {
  NeedSpec spec;
  spec.mutable_resource()->set_kind(relais::v1::RESOURCE_KIND_SUPPLY_ITEM);
  spec.mutable_resource()->set_code("iehk-2017-basic-unit");
  spec.set_quantity(2);
  spec.set_priority(relais::v1::NEED_PRIORITY_CRITICAL);
  return spec;
}

NeedSpec TeamNeed() {
  NeedSpec spec;
  spec.mutable_resource()->set_kind(relais::v1::RESOURCE_KIND_TEAM_TYPE);
  spec.mutable_resource()->set_code("who-emt-type-2");
  spec.set_quantity(1);
  spec.set_priority(relais::v1::NEED_PRIORITY_MEDIUM);
  spec.set_duration_days(30);
  return spec;
}

// A cholera outbreak in Vaulx-en-Velin, about 7 km from the centre of Lyon.
DeclareCrisisRequest ValidDeclare() {
  DeclareCrisisRequest request;
  request.set_request_id("3f2b8c1e-6d0a-4e55-9b7c-2a1d5e8f9c10");
  request.set_title("Choléra - Vaulx-en-Velin");
  request.set_kind(relais::v1::CRISIS_KIND_EPIDEMIC);
  request.set_scope(relais::v1::CRISIS_SCOPE_LOCAL);
  request.set_severity(relais::v1::SEVERITY_SEVERE);
  request.set_urgency(relais::v1::URGENCY_IMMEDIATE);
  request.set_certainty(relais::v1::CERTAINTY_OBSERVED);
  auto* area = request.mutable_area();
  area->mutable_center()->set_lat(45.7785);
  area->mutable_center()->set_lon(4.9225);
  area->set_radius_km(3);
  area->set_description("Vaulx-en-Velin, quartier du Mas du Taureau");
  area->set_country("FR");
  area->set_commune("Vaulx-en-Velin");
  *request.mutable_starts_at() = ToProtoTime(kStart);
  request.set_description("Cas confirmés au centre de santé.\nOuverture d'un CTC prévue.");
  *request.add_needs() = NurseNeed();
  *request.add_needs() = KitNeed();
  *request.add_needs() = TeamNeed();
  return request;
}

Crisis DeclaredCrisis(CrisisStatus status = relais::v1::CRISIS_STATUS_DECLARED) {
  Crisis crisis = NewCrisis(ValidDeclare(), "crs_1", {"need_1", "need_2", "need_3"},
                            Principal{.id = "coord-lyon-1"}, kStart);
  crisis.set_status(status);
  return crisis;
}

// The point `km` kilometres due north of Lyon.
double LatNorthOfLyon(double km) {
  return kLyonLat + km / kEarthRadiusKm * 180.0 / std::numbers::pi;
}

// --- DeclareCrisis ---

TEST(ValidateDeclare, AcceptsAValidRequest) {
  EXPECT_TRUE(ValidateDeclare(ValidDeclare(), TestCatalogue(), kNow).ok());
}

TEST(ValidateDeclare, AcceptsAnAbroadCrisisAnywhere) {
  DeclareCrisisRequest request = ValidDeclare();
  request.set_scope(relais::v1::CRISIS_SCOPE_ABROAD);
  request.mutable_area()->mutable_center()->set_lat(-5.9475);  // Kalemie, DRC
  request.mutable_area()->mutable_center()->set_lon(29.1947);
  request.mutable_area()->set_country("CD");
  request.mutable_area()->clear_commune();
  EXPECT_TRUE(ValidateDeclare(request, TestCatalogue(), kNow).ok());
}

TEST(ValidateDeclare, AcceptsTheLimits) {
  DeclareCrisisRequest request = ValidDeclare();
  request.set_title(std::string(200, 'x'));
  request.set_description(std::string(4000, 'x'));
  request.mutable_area()->set_radius_km(0.01);
  request.mutable_area()->set_description(std::string(500, 'x'));
  request.mutable_area()->set_commune(std::string(100, 'x'));
  request.clear_needs();
  for (int i = 0; i < kMaxNeeds; ++i) *request.add_needs() = KitNeed();
  EXPECT_TRUE(ValidateDeclare(request, TestCatalogue(), kNow).ok());

  request = ValidDeclare();
  request.set_title("abc");
  request.clear_description();
  request.clear_needs();  // needs can come later
  *request.add_needs() = NurseNeed();
  *request.mutable_needs(0)->mutable_needed_by() = ToProtoTime(kStart - absl::Hours(24));
  request.mutable_needs(0)->set_quantity(10000);
  request.mutable_needs(0)->set_duration_days(365);
  request.mutable_needs(0)->set_min_level(5);
  EXPECT_TRUE(ValidateDeclare(request, TestCatalogue(), kNow).ok());
}

TEST(ValidateDeclare, LocalMeansWithin40KmOfLyon) {
  DeclareCrisisRequest request = ValidDeclare();
  request.mutable_area()->mutable_center()->set_lon(kLyonLon);
  request.mutable_area()->mutable_center()->set_lat(LatNorthOfLyon(39.9));
  EXPECT_TRUE(ValidateDeclare(request, TestCatalogue(), kNow).ok());
  request.mutable_area()->mutable_center()->set_lat(LatNorthOfLyon(40.1));
  const absl::Status status = ValidateDeclare(request, TestCatalogue(), kNow);
  EXPECT_THAT(status, IsInvalidAt("area.center"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("40.1 km"));
}

struct DeclareCase {
  std::string name;
  std::function<void(DeclareCrisisRequest&)> change;
  std::string path;
};
void PrintTo(const DeclareCase& c, std::ostream* os) { *os << c.name; }

class InvalidDeclareTest : public ::testing::TestWithParam<DeclareCase> {};

TEST_P(InvalidDeclareTest, NamesTheField) {
  DeclareCrisisRequest request = ValidDeclare();
  GetParam().change(request);
  EXPECT_THAT(ValidateDeclare(request, TestCatalogue(), kNow), IsInvalidAt(GetParam().path));
}

using R = DeclareCrisisRequest;

INSTANTIATE_TEST_SUITE_P(
    Fields, InvalidDeclareTest,
    ::testing::Values(
        DeclareCase{"NoRequestId", [](R& r) { r.clear_request_id(); }, "request_id"},
        DeclareCase{"RequestIdWithSpace", [](R& r) { r.set_request_id("a b"); }, "request_id"},
        DeclareCase{"RequestIdTooLong", [](R& r) { r.set_request_id(std::string(129, 'a')); },
                    "request_id"},
        DeclareCase{"NoTitle", [](R& r) { r.clear_title(); }, "title"},
        DeclareCase{"BlankTitle", [](R& r) { r.set_title("     "); }, "title"},
        DeclareCase{"TitleTooShort", [](R& r) { r.set_title("ab"); }, "title"},
        DeclareCase{"TitleTooLong", [](R& r) { r.set_title(std::string(201, 'x')); }, "title"},
        DeclareCase{"TitleWithNewline", [](R& r) { r.set_title("Choléra\nKalemie"); }, "title"},
        DeclareCase{"TitleNotUtf8", [](R& r) { r.set_title("Chol\xe9ra"); }, "title"},
        DeclareCase{"NoKind", [](R& r) { r.clear_kind(); }, "kind"},
        DeclareCase{"UnknownKind",
                    [](R& r) { r.set_kind(static_cast<relais::v1::CrisisKind>(99)); }, "kind"},
        DeclareCase{"NoScope", [](R& r) { r.clear_scope(); }, "scope"},
        DeclareCase{"NoSeverity", [](R& r) { r.clear_severity(); }, "severity"},
        DeclareCase{"NoUrgency", [](R& r) { r.clear_urgency(); }, "urgency"},
        DeclareCase{"NoCertainty", [](R& r) { r.clear_certainty(); }, "certainty"},
        DeclareCase{"NoArea", [](R& r) { r.clear_area(); }, "area"},
        DeclareCase{"NoCenter", [](R& r) { r.mutable_area()->clear_center(); }, "area.center"},
        DeclareCase{"LatAbove90", [](R& r) { r.mutable_area()->mutable_center()->set_lat(90.5); },
                    "area.center.lat"},
        DeclareCase{"LatBelowMinus90",
                    [](R& r) { r.mutable_area()->mutable_center()->set_lat(-91); },
                    "area.center.lat"},
        DeclareCase{"LatNan", [](R& r) { r.mutable_area()->mutable_center()->set_lat(kNan); },
                    "area.center.lat"},
        DeclareCase{"LonAbove180", [](R& r) { r.mutable_area()->mutable_center()->set_lon(181); },
                    "area.center.lon"},
        DeclareCase{"LonInfinite", [](R& r) { r.mutable_area()->mutable_center()->set_lon(kInf); },
                    "area.center.lon"},
        DeclareCase{"RadiusZero", [](R& r) { r.mutable_area()->set_radius_km(0); },
                    "area.radius_km"},
        DeclareCase{"RadiusNegative", [](R& r) { r.mutable_area()->set_radius_km(-3); },
                    "area.radius_km"},
        DeclareCase{"RadiusTooLarge", [](R& r) { r.mutable_area()->set_radius_km(20000.1); },
                    "area.radius_km"},
        DeclareCase{"RadiusNan", [](R& r) { r.mutable_area()->set_radius_km(kNan); },
                    "area.radius_km"},
        DeclareCase{"NoAreaDescription", [](R& r) { r.mutable_area()->clear_description(); },
                    "area.description"},
        DeclareCase{"AreaDescriptionTooLong",
                    [](R& r) { r.mutable_area()->set_description(std::string(501, 'x')); },
                    "area.description"},
        DeclareCase{"NoCountry", [](R& r) { r.mutable_area()->clear_country(); }, "area.country"},
        DeclareCase{"LowerCaseCountry", [](R& r) { r.mutable_area()->set_country("fr"); },
                    "area.country"},
        DeclareCase{"Alpha3Country", [](R& r) { r.mutable_area()->set_country("FRA"); },
                    "area.country"},
        DeclareCase{"CommuneTooLong",
                    [](R& r) { r.mutable_area()->set_commune(std::string(101, 'x')); },
                    "area.commune"},
        DeclareCase{"LocalAbroad", [](R& r) { r.mutable_area()->set_country("HT"); },
                    "area.country"},
        DeclareCase{"LocalInSaintEtienne",
                    [](R& r) {
                      r.mutable_area()->mutable_center()->set_lat(45.4397);
                      r.mutable_area()->mutable_center()->set_lon(4.3872);
                    },
                    "area.center"},
        DeclareCase{"StartsIn1999",
                    [](R& r) { r.mutable_starts_at()->set_seconds(946'684'799); }, "starts_at"},
        DeclareCase{"StartsAfter2100",
                    [](R& r) { r.mutable_starts_at()->set_seconds(4'133'980'800); }, "starts_at"},
        DeclareCase{"StartsWithBadNanos", [](R& r) { r.mutable_starts_at()->set_nanos(-5); },
                    "starts_at"},
        DeclareCase{"DescriptionTooLong",
                    [](R& r) { r.set_description(std::string(4001, 'x')); }, "description"},
        DeclareCase{"DescriptionWithBell", [](R& r) { r.set_description("alert\a"); },
                    "description"},
        DeclareCase{"TooManyNeeds",
                    [](R& r) {
                      while (r.needs_size() <= kMaxNeeds) *r.add_needs() = KitNeed();
                    },
                    "needs"},
        DeclareCase{"NeedWithoutResource", [](R& r) { r.mutable_needs(1)->clear_resource(); },
                    "needs[1].resource"},
        DeclareCase{"NeedWithoutKind",
                    [](R& r) { r.mutable_needs(0)->mutable_resource()->clear_kind(); },
                    "needs[0].resource.kind"},
        DeclareCase{"NeedWithoutCode",
                    [](R& r) { r.mutable_needs(0)->mutable_resource()->clear_code(); },
                    "needs[0].resource.code"},
        DeclareCase{"NeedOutsideCatalogue",
                    [](R& r) { r.mutable_needs(2)->mutable_resource()->set_code("astronaut"); },
                    "needs[2].resource.code"},
        DeclareCase{"NeedOfTheWrongKind",
                    [](R& r) {
                      r.mutable_needs(0)->mutable_resource()->set_kind(
                          relais::v1::RESOURCE_KIND_TEAM_TYPE);
                    },
                    "needs[0].resource.code"},
        DeclareCase{"QuantityZero", [](R& r) { r.mutable_needs(0)->set_quantity(0); },
                    "needs[0].quantity"},
        DeclareCase{"QuantityTooLarge", [](R& r) { r.mutable_needs(1)->set_quantity(10001); },
                    "needs[1].quantity"},
        DeclareCase{"NoPriority", [](R& r) { r.mutable_needs(0)->clear_priority(); },
                    "needs[0].priority"},
        DeclareCase{"NeededByBadTimestamp",
                    [](R& r) { r.mutable_needs(0)->mutable_needed_by()->set_seconds(5); },
                    "needs[0].needed_by"},
        DeclareCase{"NeededTooEarly",
                    [](R& r) {
                      *r.mutable_needs(0)->mutable_needed_by() =
                          ToProtoTime(kStart - absl::Hours(24) - absl::Seconds(1));
                    },
                    "needs[0].needed_by"},
        DeclareCase{"PeopleForZeroDays", [](R& r) { r.mutable_needs(0)->set_duration_days(0); },
                    "needs[0].duration_days"},
        DeclareCase{"PeopleForTooLong", [](R& r) { r.mutable_needs(0)->set_duration_days(366); },
                    "needs[0].duration_days"},
        DeclareCase{"TeamForZeroDays", [](R& r) { r.mutable_needs(2)->set_duration_days(0); },
                    "needs[2].duration_days"},
        DeclareCase{"SupplyWithDuration", [](R& r) { r.mutable_needs(1)->set_duration_days(5); },
                    "needs[1].duration_days"},
        DeclareCase{"LevelTooHigh", [](R& r) { r.mutable_needs(0)->set_min_level(6); },
                    "needs[0].min_level"},
        DeclareCase{"LevelNegative", [](R& r) { r.mutable_needs(2)->set_min_level(-1); },
                    "needs[2].min_level"},
        DeclareCase{"SupplyWithLevel", [](R& r) { r.mutable_needs(1)->set_min_level(1); },
                    "needs[1].min_level"},
        DeclareCase{"TooManyLanguages",
                    [](R& r) {
                      r.mutable_needs(0)->clear_languages();
                      for (char c = 'a'; c <= 'k'; ++c) {
                        r.mutable_needs(0)->add_languages(std::string(2, c));
                      }
                    },
                    "needs[0].languages"},
        DeclareCase{"UpperCaseLanguage",
                    [](R& r) { r.mutable_needs(0)->set_languages(1, "AR"); },
                    "needs[0].languages[1]"},
        DeclareCase{"DuplicateLanguage", [](R& r) { r.mutable_needs(0)->add_languages("fr"); },
                    "needs[0].languages[2]"},
        DeclareCase{"TooManyCertifications",
                    [](R& r) {
                      for (int i = 0; i < 10; ++i) {
                        r.mutable_needs(0)->add_certifications("yellow-fever-vaccination");
                      }
                    },
                    "needs[0].certifications"},
        DeclareCase{"UnknownCertification",
                    [](R& r) { r.mutable_needs(0)->add_certifications("pilot-licence"); },
                    "needs[0].certifications[1]"},
        DeclareCase{"DuplicateCertification",
                    [](R& r) { r.mutable_needs(0)->add_certifications("bioforce-diploma"); },
                    "needs[0].certifications[1]"},
        DeclareCase{"SupplyWithLanguages", [](R& r) { r.mutable_needs(1)->add_languages("fr"); },
                    "needs[1].languages"},
        DeclareCase{"SupplyWithCertifications",
                    [](R& r) { r.mutable_needs(1)->add_certifications("bioforce-diploma"); },
                    "needs[1].certifications"}),
    [](const ::testing::TestParamInfo<DeclareCase>& info) { return info.param.name; });

TEST(ValidateNeedSpec, ChecksNeededByOnlyWhenTheStartIsKnown) {
  NeedSpec spec = NurseNeed();
  *spec.mutable_needed_by() = ToProtoTime(kStart - absl::Hours(48));
  EXPECT_TRUE(ValidateNeedSpec(spec, TestCatalogue(), "need", absl::InfinitePast()).ok());
  EXPECT_THAT(ValidateNeedSpec(spec, TestCatalogue(), "need", kStart),
              IsInvalidAt("need.needed_by"));
}

TEST(ValidateNeedSpec, ReportsUnknownCodesWithTheCatalogueVersion) {
  NeedSpec spec = KitNeed();
  spec.mutable_resource()->set_code("iehk-2011");
  const absl::Status status = ValidateNeedSpec(spec, TestCatalogue(), "needs[4]", kStart);
  EXPECT_EQ(std::string(status.message()),
            "needs[4].resource.code: 'iehk-2011' is not a supply item of catalogue test-1");
}

TEST(NewCrisisTest, WithoutStartsAtTheCrisisStartsWhenDeclared) {
  DeclareCrisisRequest request = ValidDeclare();
  request.clear_starts_at();
  for (auto& need : *request.mutable_needs()) need.clear_needed_by();
  ASSERT_TRUE(ValidateDeclare(request, TestCatalogue(), kNow).ok());
  const Crisis crisis = NewCrisis(request, "crs_1", {"need_a", "need_b", "need_c"},
                                  Principal{.id = "coord-lyon-1"}, kNow);
  EXPECT_EQ(FromProtoTime(crisis.starts_at()), kNow);
  EXPECT_EQ(FromProtoTime(crisis.needs(0).spec().needed_by()), kNow);

  // The needed_by rule then counts from the declaration time.
  *request.mutable_needs(0)->mutable_needed_by() = ToProtoTime(kNow - absl::Hours(25));
  EXPECT_THAT(ValidateDeclare(request, TestCatalogue(), kNow), IsInvalidAt("needs[0].needed_by"));
}

TEST(NewCrisis, IsDeclaredAtVersionOneWithOpenNeeds) {
  const Crisis crisis = NewCrisis(ValidDeclare(), "crs_1", {"need_a", "need_b", "need_c"},
                                  Principal{.id = "coord-lyon-1"}, kNow);
  EXPECT_EQ(crisis.id(), "crs_1");
  EXPECT_EQ(crisis.version(), 1);
  EXPECT_EQ(crisis.status(), relais::v1::CRISIS_STATUS_DECLARED);
  EXPECT_EQ(crisis.title(), "Choléra - Vaulx-en-Velin");
  EXPECT_EQ(crisis.kind(), relais::v1::CRISIS_KIND_EPIDEMIC);
  EXPECT_EQ(crisis.scope(), relais::v1::CRISIS_SCOPE_LOCAL);
  EXPECT_EQ(crisis.severity(), relais::v1::SEVERITY_SEVERE);
  EXPECT_EQ(crisis.urgency(), relais::v1::URGENCY_IMMEDIATE);
  EXPECT_EQ(crisis.certainty(), relais::v1::CERTAINTY_OBSERVED);
  EXPECT_EQ(crisis.area().commune(), "Vaulx-en-Velin");
  EXPECT_EQ(FromProtoTime(crisis.starts_at()), kStart);
  EXPECT_EQ(FromProtoTime(crisis.declared_at()), kNow);
  EXPECT_EQ(FromProtoTime(crisis.updated_at()), kNow);
  EXPECT_EQ(crisis.declared_by(), "coord-lyon-1");
  EXPECT_TRUE(crisis.status_reason().empty());
  ASSERT_EQ(crisis.needs_size(), 3);
  const std::vector<std::string> ids = {"need_a", "need_b", "need_c"};
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(crisis.needs(i).id(), ids[i]);
    EXPECT_EQ(crisis.needs(i).crisis_id(), "crs_1");
    EXPECT_EQ(crisis.needs(i).status(), relais::v1::NEED_STATUS_OPEN);
    EXPECT_EQ(FromProtoTime(crisis.needs(i).created_at()), kNow);
  }
  EXPECT_EQ(crisis.needs(0).spec().resource().code(), "nurse");
  // Given needed_by is kept; a missing one becomes the crisis' start.
  EXPECT_EQ(FromProtoTime(crisis.needs(0).spec().needed_by()), kStart + absl::Hours(12));
  EXPECT_EQ(FromProtoTime(crisis.needs(1).spec().needed_by()), kStart);
}

// --- Lifecycle ---

using relais::v1::CRISIS_STATUS_ACTIVE;
using relais::v1::CRISIS_STATUS_CLOSED;
using relais::v1::CRISIS_STATUS_DECLARED;
using relais::v1::CRISIS_STATUS_PAUSED;

struct TransitionCase {
  CrisisStatus from;
  CrisisStatus to;
  bool allowed;
};
void PrintTo(const TransitionCase& c, std::ostream* os) {
  *os << StatusName(c.from) << "->" << StatusName(c.to);
}

class LifecycleTest : public ::testing::TestWithParam<TransitionCase> {};

TEST_P(LifecycleTest, FollowsTheTable) {
  const auto& [from, to, allowed] = GetParam();
  const absl::Status status = CheckTransition(from, to);
  if (allowed) {
    EXPECT_TRUE(status.ok()) << status;
  } else {
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
    EXPECT_THAT(std::string(status.message()), HasSubstr(StatusName(from)));
  }
  const Crisis crisis = DeclaredCrisis(from);
  auto next = ApplyTransition(crisis, to, "reason", kNow);
  EXPECT_EQ(next.ok(), allowed);
  if (next.ok()) {
    EXPECT_EQ(next->status(), to);
    EXPECT_EQ(next->version(), crisis.version() + 1);
  }
}

INSTANTIATE_TEST_SUITE_P(
    AllPairs, LifecycleTest,
    ::testing::Values(TransitionCase{CRISIS_STATUS_DECLARED, CRISIS_STATUS_DECLARED, false},
                      TransitionCase{CRISIS_STATUS_DECLARED, CRISIS_STATUS_ACTIVE, true},
                      TransitionCase{CRISIS_STATUS_DECLARED, CRISIS_STATUS_PAUSED, false},
                      TransitionCase{CRISIS_STATUS_DECLARED, CRISIS_STATUS_CLOSED, true},
                      TransitionCase{CRISIS_STATUS_ACTIVE, CRISIS_STATUS_DECLARED, false},
                      TransitionCase{CRISIS_STATUS_ACTIVE, CRISIS_STATUS_ACTIVE, false},
                      TransitionCase{CRISIS_STATUS_ACTIVE, CRISIS_STATUS_PAUSED, true},
                      TransitionCase{CRISIS_STATUS_ACTIVE, CRISIS_STATUS_CLOSED, true},
                      TransitionCase{CRISIS_STATUS_PAUSED, CRISIS_STATUS_DECLARED, false},
                      TransitionCase{CRISIS_STATUS_PAUSED, CRISIS_STATUS_ACTIVE, true},
                      TransitionCase{CRISIS_STATUS_PAUSED, CRISIS_STATUS_PAUSED, false},
                      TransitionCase{CRISIS_STATUS_PAUSED, CRISIS_STATUS_CLOSED, true},
                      TransitionCase{CRISIS_STATUS_CLOSED, CRISIS_STATUS_DECLARED, false},
                      TransitionCase{CRISIS_STATUS_CLOSED, CRISIS_STATUS_ACTIVE, false},
                      TransitionCase{CRISIS_STATUS_CLOSED, CRISIS_STATUS_PAUSED, false},
                      TransitionCase{CRISIS_STATUS_CLOSED, CRISIS_STATUS_CLOSED, false}));

TEST(CheckTransition, SaysWhyInWords) {
  EXPECT_EQ(std::string(CheckTransition(CRISIS_STATUS_CLOSED, CRISIS_STATUS_ACTIVE).message()),
            "crisis is CLOSED; it cannot become ACTIVE");
  EXPECT_EQ(std::string(CheckTransition(CRISIS_STATUS_ACTIVE, CRISIS_STATUS_ACTIVE).message()),
            "crisis is already ACTIVE");
  EXPECT_EQ(CheckTransition(CRISIS_STATUS_ACTIVE, relais::v1::CRISIS_STATUS_UNSPECIFIED).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(ApplyTransition, RecordsTheReasonAndTime) {
  const Crisis active = DeclaredCrisis(CRISIS_STATUS_ACTIVE);
  auto paused = ApplyTransition(active, CRISIS_STATUS_PAUSED, "Accès coupé par la crue", kNow);
  ASSERT_TRUE(paused.ok()) << paused.status();
  EXPECT_EQ(paused->status_reason(), "Accès coupé par la crue");
  EXPECT_EQ(FromProtoTime(paused->updated_at()), kNow);
  EXPECT_EQ(FromProtoTime(paused->declared_at()), kStart);
  EXPECT_EQ(paused->needs_size(), active.needs_size());
  // Resuming clears the pause reason: it no longer applies.
  auto resumed = ApplyTransition(*paused, CRISIS_STATUS_ACTIVE, "", kNow + absl::Minutes(5));
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_EQ(resumed->version(), active.version() + 2);
  EXPECT_TRUE(resumed->status_reason().empty());
}

TEST(ValidateTransitions, CheckTheirRequests) {
  relais::v1::ActivateCrisisRequest activate;
  activate.set_request_id("r1");
  activate.set_crisis_id("crs_1");
  EXPECT_TRUE(ValidateActivate(activate).ok());
  activate.set_expected_version(-1);
  EXPECT_THAT(ValidateActivate(activate), IsInvalidAt("expected_version"));
  activate.set_expected_version(3);
  activate.set_crisis_id("crs 1");
  EXPECT_THAT(ValidateActivate(activate), IsInvalidAt("crisis_id"));
  activate.set_crisis_id(std::string(65, 'c'));
  EXPECT_THAT(ValidateActivate(activate), IsInvalidAt("crisis_id"));
  activate.set_crisis_id("crs_1");
  activate.clear_request_id();
  EXPECT_THAT(ValidateActivate(activate), IsInvalidAt("request_id"));

  relais::v1::PauseCrisisRequest pause;
  pause.set_request_id("r2");
  pause.set_crisis_id("crs_1");
  EXPECT_THAT(ValidatePause(pause), IsInvalidAt("reason"));
  pause.set_reason(std::string(501, 'x'));
  EXPECT_THAT(ValidatePause(pause), IsInvalidAt("reason"));
  pause.set_reason(std::string(500, 'x'));
  EXPECT_TRUE(ValidatePause(pause).ok());
  pause.clear_crisis_id();
  EXPECT_THAT(ValidatePause(pause), IsInvalidAt("crisis_id"));
  pause.set_crisis_id("crs_1");
  pause.set_expected_version(-2);
  EXPECT_THAT(ValidatePause(pause), IsInvalidAt("expected_version"));

  relais::v1::CloseCrisisRequest close;
  close.set_request_id("r3");
  close.set_crisis_id("crs_1");
  EXPECT_THAT(ValidateClose(close), IsInvalidAt("reason"));
  close.set_reason("Fin de l'épidémie déclarée par l'ARS");
  EXPECT_TRUE(ValidateClose(close).ok());
  close.set_reason("x\x01");
  EXPECT_THAT(ValidateClose(close), IsInvalidAt("reason"));
  close.set_reason("done");
  close.set_request_id("r/3");
  EXPECT_THAT(ValidateClose(close), IsInvalidAt("request_id"));
}

// --- Get and List ---

TEST(ValidateGetCrisis, ChecksTheId) {
  relais::v1::GetCrisisRequest request;
  EXPECT_THAT(ValidateGetCrisis(request), IsInvalidAt("crisis_id"));
  request.set_crisis_id("crs_01KZ8Q0ZQ5V3XG7M4A2B6C9D1E");
  EXPECT_TRUE(ValidateGetCrisis(request).ok());
  request.set_crisis_id("crs_1;DROP");
  EXPECT_THAT(ValidateGetCrisis(request), IsInvalidAt("crisis_id"));
}

TEST(ValidateListCrises, ChecksFiltersAndPaging) {
  relais::v1::ListCrisesRequest request;
  EXPECT_TRUE(ValidateListCrises(request).ok());
  request.set_status(CRISIS_STATUS_ACTIVE);
  request.set_kind(relais::v1::CRISIS_KIND_FLOOD);
  request.set_page_size(200);
  request.set_page_token("abc");
  EXPECT_TRUE(ValidateListCrises(request).ok());
  request.set_page_size(201);
  EXPECT_THAT(ValidateListCrises(request), IsInvalidAt("page_size"));
  request.set_page_size(-1);
  EXPECT_THAT(ValidateListCrises(request), IsInvalidAt("page_size"));
  request.set_page_size(10);
  request.set_status(static_cast<CrisisStatus>(9));
  EXPECT_THAT(ValidateListCrises(request), IsInvalidAt("status"));
  request.clear_status();
  request.set_kind(static_cast<relais::v1::CrisisKind>(-3));
  EXPECT_THAT(ValidateListCrises(request), IsInvalidAt("kind"));
  request.clear_kind();
  request.set_page_token(std::string(1025, 't'));
  EXPECT_THAT(ValidateListCrises(request), IsInvalidAt("page_token"));
}

// --- UpdateCrisis ---

UpdateCrisisRequest Update(std::initializer_list<const char*> paths) {
  UpdateCrisisRequest request;
  request.set_request_id("upd-1");
  request.set_crisis_id("crs_1");
  for (const char* path : paths) request.mutable_update_mask()->add_paths(path);
  return request;
}

TEST(ValidateUpdateCrisis, AcceptsEveryAllowedPath) {
  UpdateCrisisRequest request =
      Update({"title", "kind", "scope", "severity", "urgency", "certainty", "area",
              "area.description", "area.commune", "starts_at", "description"});
  const DeclareCrisisRequest values = ValidDeclare();
  Crisis& crisis = *request.mutable_crisis();
  crisis.set_title(values.title());
  crisis.set_kind(values.kind());
  crisis.set_scope(values.scope());
  crisis.set_severity(values.severity());
  crisis.set_urgency(values.urgency());
  crisis.set_certainty(values.certainty());
  *crisis.mutable_area() = values.area();
  *crisis.mutable_starts_at() = values.starts_at();
  crisis.clear_description();
  EXPECT_TRUE(ValidateUpdateCrisis(request, TestCatalogue()).ok());
}

struct UpdateCrisisCase {
  std::string name;
  std::function<void(UpdateCrisisRequest&)> change;
  std::string path;
};
void PrintTo(const UpdateCrisisCase& c, std::ostream* os) { *os << c.name; }

class InvalidUpdateCrisisTest : public ::testing::TestWithParam<UpdateCrisisCase> {};

TEST_P(InvalidUpdateCrisisTest, NamesTheField) {
  UpdateCrisisRequest request = Update({"title"});
  request.mutable_crisis()->set_title("Choléra - Vaulx-en-Velin, phase 2");
  ASSERT_TRUE(ValidateUpdateCrisis(request, TestCatalogue()).ok());
  GetParam().change(request);
  EXPECT_THAT(ValidateUpdateCrisis(request, TestCatalogue()), IsInvalidAt(GetParam().path));
}

using U = UpdateCrisisRequest;
void MaskOnly(U& r, const char* path) {
  r.mutable_update_mask()->clear_paths();
  r.mutable_update_mask()->add_paths(path);
}

INSTANTIATE_TEST_SUITE_P(
    Fields, InvalidUpdateCrisisTest,
    ::testing::Values(
        UpdateCrisisCase{"NoRequestId", [](U& r) { r.clear_request_id(); }, "request_id"},
        UpdateCrisisCase{"NoCrisisId", [](U& r) { r.clear_crisis_id(); }, "crisis_id"},
        UpdateCrisisCase{"NegativeExpectedVersion", [](U& r) { r.set_expected_version(-1); },
                         "expected_version"},
        UpdateCrisisCase{"EmptyMask", [](U& r) { r.clear_update_mask(); }, "update_mask"},
        UpdateCrisisCase{"MaskStatus", [](U& r) { MaskOnly(r, "status"); }, "update_mask"},
        UpdateCrisisCase{"MaskNeeds", [](U& r) { MaskOnly(r, "needs"); }, "update_mask"},
        UpdateCrisisCase{"MaskId", [](U& r) { MaskOnly(r, "id"); }, "update_mask"},
        UpdateCrisisCase{"MaskVersion", [](U& r) { MaskOnly(r, "version"); }, "update_mask"},
        UpdateCrisisCase{"MaskDeclaredBy", [](U& r) { MaskOnly(r, "declared_by"); }, "update_mask"},
        UpdateCrisisCase{"MaskAreaCenterAlone", [](U& r) { MaskOnly(r, "area.center"); },
                         "update_mask"},
        UpdateCrisisCase{"MaskUnknownPath", [](U& r) { MaskOnly(r, "colour"); }, "update_mask"},
        UpdateCrisisCase{"MaskTwice", [](U& r) { r.mutable_update_mask()->add_paths("title"); },
                         "update_mask"},
        UpdateCrisisCase{"ShortTitle", [](U& r) { r.mutable_crisis()->set_title("ab"); },
                         "crisis.title"},
        UpdateCrisisCase{"NoKind", [](U& r) { MaskOnly(r, "kind"); }, "crisis.kind"},
        UpdateCrisisCase{"NoScope", [](U& r) { MaskOnly(r, "scope"); }, "crisis.scope"},
        UpdateCrisisCase{"NoSeverity", [](U& r) { MaskOnly(r, "severity"); }, "crisis.severity"},
        UpdateCrisisCase{"NoUrgency", [](U& r) { MaskOnly(r, "urgency"); }, "crisis.urgency"},
        UpdateCrisisCase{"NoCertainty", [](U& r) { MaskOnly(r, "certainty"); }, "crisis.certainty"},
        UpdateCrisisCase{"NoArea", [](U& r) { MaskOnly(r, "area"); }, "crisis.area"},
        UpdateCrisisCase{"AreaWithZeroRadius",
                         [](U& r) {
                           MaskOnly(r, "area");
                           *r.mutable_crisis()->mutable_area() = ValidDeclare().area();
                           r.mutable_crisis()->mutable_area()->set_radius_km(0);
                         },
                         "crisis.area.radius_km"},
        UpdateCrisisCase{"EmptyAreaDescription", [](U& r) { MaskOnly(r, "area.description"); },
                         "crisis.area.description"},
        UpdateCrisisCase{"LongCommune",
                         [](U& r) {
                           MaskOnly(r, "area.commune");
                           r.mutable_crisis()->mutable_area()->set_commune(std::string(101, 'x'));
                         },
                         "crisis.area.commune"},
        UpdateCrisisCase{"NoStartsAt", [](U& r) { MaskOnly(r, "starts_at"); }, "crisis.starts_at"},
        UpdateCrisisCase{"LongDescription",
                         [](U& r) {
                           MaskOnly(r, "description");
                           r.mutable_crisis()->set_description(std::string(4001, 'x'));
                         },
                         "crisis.description"}),
    [](const ::testing::TestParamInfo<UpdateCrisisCase>& info) { return info.param.name; });

TEST(ValidateUpdateCrisis, ExplainsWhereStatusChanges) {
  const absl::Status status = ValidateUpdateCrisis(Update({"status"}), TestCatalogue());
  EXPECT_THAT(std::string(status.message()), HasSubstr("ActivateCrisis"));
}

TEST(ApplyUpdateCrisis, ChangesOnlyTheMaskedFields) {
  const Crisis current = DeclaredCrisis(CRISIS_STATUS_ACTIVE);
  UpdateCrisisRequest request = Update({"title", "area.commune"});
  request.mutable_crisis()->set_title("Choléra - Vaulx-en-Velin et Villeurbanne");
  request.mutable_crisis()->mutable_area()->set_commune("Villeurbanne");
  request.mutable_crisis()->set_kind(relais::v1::CRISIS_KIND_FLOOD);  // not masked
  request.mutable_crisis()->set_status(CRISIS_STATUS_CLOSED);         // not masked
  auto next = ApplyUpdateCrisis(current, request, kNow);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->title(), "Choléra - Vaulx-en-Velin et Villeurbanne");
  EXPECT_EQ(next->area().commune(), "Villeurbanne");
  EXPECT_EQ(next->area().description(), current.area().description());
  EXPECT_EQ(next->area().radius_km(), current.area().radius_km());
  EXPECT_EQ(next->kind(), relais::v1::CRISIS_KIND_EPIDEMIC);
  EXPECT_EQ(next->status(), CRISIS_STATUS_ACTIVE);
  EXPECT_EQ(next->version(), current.version() + 1);
  EXPECT_EQ(FromProtoTime(next->updated_at()), kNow);
  EXPECT_EQ(next->needs_size(), 3);
}

TEST(ApplyUpdateCrisis, ReplacesTheWholeAreaOrClearsOptionalFields) {
  const Crisis current = DeclaredCrisis();
  UpdateCrisisRequest request = Update({"area", "description"});
  auto* area = request.mutable_crisis()->mutable_area();
  area->mutable_center()->set_lat(45.7719);  // Villeurbanne
  area->mutable_center()->set_lon(4.8902);
  area->set_radius_km(2);
  area->set_description("Villeurbanne, Gratte-Ciel");
  area->set_country("FR");
  auto next = ApplyUpdateCrisis(current, request, kNow);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->area().description(), "Villeurbanne, Gratte-Ciel");
  EXPECT_TRUE(next->area().commune().empty());
  EXPECT_TRUE(next->description().empty());
}

TEST(ApplyUpdateCrisis, RefusesAClosedCrisis) {
  UpdateCrisisRequest request = Update({"title"});
  request.mutable_crisis()->set_title("Nouveau titre");
  auto next = ApplyUpdateCrisis(DeclaredCrisis(CRISIS_STATUS_CLOSED), request, kNow);
  EXPECT_THAT(next.status(), HasCodeAndPrefix(absl::StatusCode::kFailedPrecondition, "crisis"));
}

TEST(ApplyUpdateCrisis, KeepsALocalCrisisNearLyon) {
  const Crisis local = DeclaredCrisis();
  // Moving the area of a LOCAL crisis to Paris blames the area.
  UpdateCrisisRequest move = Update({"area"});
  *move.mutable_crisis()->mutable_area() = local.area();
  move.mutable_crisis()->mutable_area()->mutable_center()->set_lat(48.8566);
  move.mutable_crisis()->mutable_area()->mutable_center()->set_lon(2.3522);
  ASSERT_TRUE(ValidateUpdateCrisis(move, TestCatalogue()).ok());
  EXPECT_THAT(ApplyUpdateCrisis(local, move, kNow).status(), IsInvalidAt("crisis.area.center"));
  move.mutable_crisis()->mutable_area()->set_country("BE");
  EXPECT_THAT(ApplyUpdateCrisis(local, move, kNow).status(), IsInvalidAt("crisis.area.country"));

  // Making a crisis in Haiti LOCAL blames the scope.
  Crisis abroad = local;
  abroad.set_scope(relais::v1::CRISIS_SCOPE_ABROAD);
  abroad.mutable_area()->mutable_center()->set_lat(18.5944);
  abroad.mutable_area()->mutable_center()->set_lon(-72.3074);
  abroad.mutable_area()->set_country("HT");
  UpdateCrisisRequest rescope = Update({"scope"});
  rescope.mutable_crisis()->set_scope(relais::v1::CRISIS_SCOPE_LOCAL);
  EXPECT_THAT(ApplyUpdateCrisis(abroad, rescope, kNow).status(), IsInvalidAt("crisis.scope"));
  // The other way round is fine.
  rescope.mutable_crisis()->set_scope(relais::v1::CRISIS_SCOPE_ABROAD);
  EXPECT_TRUE(ApplyUpdateCrisis(local, rescope, kNow).ok());
}

// --- AddNeed ---

AddNeedRequest AddNeed(const NeedSpec& spec) {
  AddNeedRequest request;
  request.set_request_id("add-1");
  request.set_crisis_id("crs_1");
  *request.mutable_need() = spec;
  return request;
}

TEST(ValidateAddNeed, ChecksTheRequestAndTheNeed) {
  EXPECT_TRUE(ValidateAddNeed(AddNeed(NurseNeed()), TestCatalogue()).ok());
  AddNeedRequest request = AddNeed(NurseNeed());
  request.clear_request_id();
  EXPECT_THAT(ValidateAddNeed(request, TestCatalogue()), IsInvalidAt("request_id"));
  request = AddNeed(NurseNeed());
  request.set_crisis_id("");
  EXPECT_THAT(ValidateAddNeed(request, TestCatalogue()), IsInvalidAt("crisis_id"));
  request = AddNeed(NurseNeed());
  request.set_expected_version(-1);
  EXPECT_THAT(ValidateAddNeed(request, TestCatalogue()), IsInvalidAt("expected_version"));
  request = AddNeed(NurseNeed());
  request.clear_need();
  EXPECT_THAT(ValidateAddNeed(request, TestCatalogue()), IsInvalidAt("need"));
  request = AddNeed(NurseNeed());
  request.mutable_need()->set_quantity(0);
  EXPECT_THAT(ValidateAddNeed(request, TestCatalogue()), IsInvalidAt("need.quantity"));
  request = AddNeed(NurseNeed());
  request.mutable_need()->mutable_resource()->set_code("astronaut");
  EXPECT_THAT(ValidateAddNeed(request, TestCatalogue()), IsInvalidAt("need.resource.code"));
  request = AddNeed(KitNeed());
  request.mutable_need()->set_duration_days(3);
  EXPECT_THAT(ValidateAddNeed(request, TestCatalogue()), IsInvalidAt("need.duration_days"));
}

TEST(ApplyAddNeed, AppendsAnOpenNeed) {
  const Crisis current = DeclaredCrisis(CRISIS_STATUS_PAUSED);
  auto next = ApplyAddNeed(current, AddNeed(TeamNeed()), "need_4", kNow);
  ASSERT_TRUE(next.ok()) << next.status();
  ASSERT_EQ(next->needs_size(), 4);
  const auto& need = next->needs(3);
  EXPECT_EQ(need.id(), "need_4");
  EXPECT_EQ(need.crisis_id(), "crs_1");
  EXPECT_EQ(need.status(), relais::v1::NEED_STATUS_OPEN);
  EXPECT_EQ(need.spec().resource().code(), "who-emt-type-2");
  EXPECT_EQ(FromProtoTime(need.spec().needed_by()), kStart);
  EXPECT_EQ(FromProtoTime(need.created_at()), kNow);
  EXPECT_EQ(next->version(), current.version() + 1);
  EXPECT_EQ(FromProtoTime(next->updated_at()), kNow);
}

TEST(ApplyAddNeed, RefusesAClosedCrisis) {
  auto next = ApplyAddNeed(DeclaredCrisis(CRISIS_STATUS_CLOSED), AddNeed(KitNeed()), "n", kNow);
  EXPECT_EQ(next.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(ApplyAddNeed, StopsAt100Needs) {
  Crisis crisis = DeclaredCrisis();
  for (int i = crisis.needs_size(); i < kMaxNeeds; ++i) {
    auto next = ApplyAddNeed(crisis, AddNeed(KitNeed()), "need_" + std::to_string(i), kNow);
    ASSERT_TRUE(next.ok()) << next.status();
    crisis = *std::move(next);
  }
  EXPECT_EQ(crisis.needs_size(), kMaxNeeds);
  auto refused = ApplyAddNeed(crisis, AddNeed(KitNeed()), "need_x", kNow);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("100 needs"));
}

TEST(ApplyAddNeed, ChecksNeededByAgainstTheCrisisStart) {
  NeedSpec early = NurseNeed();
  *early.mutable_needed_by() = ToProtoTime(kStart - absl::Hours(25));
  EXPECT_THAT(ApplyAddNeed(DeclaredCrisis(), AddNeed(early), "n", kNow).status(),
              IsInvalidAt("need.needed_by"));
  *early.mutable_needed_by() = ToProtoTime(kStart - absl::Hours(24));
  EXPECT_TRUE(ApplyAddNeed(DeclaredCrisis(), AddNeed(early), "n", kNow).ok());
}

// --- UpdateNeed ---

UpdateNeedRequest UpdateNeed(const std::string& need_id, std::initializer_list<const char*> paths) {
  UpdateNeedRequest request;
  request.set_request_id("un-1");
  request.set_crisis_id("crs_1");
  request.set_need_id(need_id);
  for (const char* path : paths) request.mutable_update_mask()->add_paths(path);
  return request;
}

UpdateNeedRequest Cancel(const std::string& need_id) {
  UpdateNeedRequest request = UpdateNeed(need_id, {"status", "cancel_reason"});
  request.mutable_need()->set_status(relais::v1::NEED_STATUS_CANCELLED);
  request.mutable_need()->set_cancel_reason("Pris en charge par l'ARS");
  return request;
}

struct UpdateNeedCase {
  std::string name;
  std::function<void(UpdateNeedRequest&)> change;
  std::string path;
};
void PrintTo(const UpdateNeedCase& c, std::ostream* os) { *os << c.name; }

class InvalidUpdateNeedTest : public ::testing::TestWithParam<UpdateNeedCase> {};

TEST_P(InvalidUpdateNeedTest, NamesTheField) {
  UpdateNeedRequest request = UpdateNeed("need_1", {"spec.quantity"});
  request.mutable_need()->mutable_spec()->set_quantity(6);
  ASSERT_TRUE(ValidateUpdateNeed(request, TestCatalogue()).ok());
  GetParam().change(request);
  EXPECT_THAT(ValidateUpdateNeed(request, TestCatalogue()), IsInvalidAt(GetParam().path));
}

using N = UpdateNeedRequest;
void NeedMaskOnly(N& r, std::initializer_list<const char*> paths) {
  r.mutable_update_mask()->clear_paths();
  for (const char* path : paths) r.mutable_update_mask()->add_paths(path);
}

INSTANTIATE_TEST_SUITE_P(
    Fields, InvalidUpdateNeedTest,
    ::testing::Values(
        UpdateNeedCase{"NoRequestId", [](N& r) { r.clear_request_id(); }, "request_id"},
        UpdateNeedCase{"NoCrisisId", [](N& r) { r.clear_crisis_id(); }, "crisis_id"},
        UpdateNeedCase{"NoNeedId", [](N& r) { r.clear_need_id(); }, "need_id"},
        UpdateNeedCase{"BadNeedId", [](N& r) { r.set_need_id("need 1"); }, "need_id"},
        UpdateNeedCase{"NegativeExpectedVersion", [](N& r) { r.set_expected_version(-4); },
                       "expected_version"},
        UpdateNeedCase{"EmptyMask", [](N& r) { NeedMaskOnly(r, {}); }, "update_mask"},
        UpdateNeedCase{"MaskWholeSpec", [](N& r) { NeedMaskOnly(r, {"spec"}); }, "update_mask"},
        UpdateNeedCase{"MaskResource", [](N& r) { NeedMaskOnly(r, {"spec.resource"}); },
                       "update_mask"},
        UpdateNeedCase{"MaskLanguages", [](N& r) { NeedMaskOnly(r, {"spec.languages"}); },
                       "update_mask"},
        UpdateNeedCase{"MaskId", [](N& r) { NeedMaskOnly(r, {"id"}); }, "update_mask"},
        UpdateNeedCase{"MaskUnknown", [](N& r) { NeedMaskOnly(r, {"spec.colour"}); },
                       "update_mask"},
        UpdateNeedCase{"ReasonWithoutStatus",
                       [](N& r) {
                         NeedMaskOnly(r, {"cancel_reason"});
                         r.mutable_need()->set_cancel_reason("x");
                       },
                       "update_mask"},
        UpdateNeedCase{"QuantityZero",
                       [](N& r) { r.mutable_need()->mutable_spec()->set_quantity(0); },
                       "need.spec.quantity"},
        UpdateNeedCase{"NoPriority", [](N& r) { NeedMaskOnly(r, {"spec.priority"}); },
                       "need.spec.priority"},
        UpdateNeedCase{"BadNeededBy",
                       [](N& r) {
                         NeedMaskOnly(r, {"spec.needed_by"});
                         r.mutable_need()->mutable_spec()->mutable_needed_by()->set_seconds(1);
                       },
                       "need.spec.needed_by"},
        UpdateNeedCase{"DurationTooLong",
                       [](N& r) {
                         NeedMaskOnly(r, {"spec.duration_days"});
                         r.mutable_need()->mutable_spec()->set_duration_days(366);
                       },
                       "need.spec.duration_days"},
        UpdateNeedCase{"StatusBackToOpen",
                       [](N& r) {
                         NeedMaskOnly(r, {"status"});
                         r.mutable_need()->set_status(relais::v1::NEED_STATUS_OPEN);
                         r.mutable_need()->set_cancel_reason("x");
                       },
                       "need.status"},
        UpdateNeedCase{"CancelWithoutReason",
                       [](N& r) {
                         NeedMaskOnly(r, {"status"});
                         r.mutable_need()->set_status(relais::v1::NEED_STATUS_CANCELLED);
                       },
                       "need.cancel_reason"},
        UpdateNeedCase{"CancelWithLongReason",
                       [](N& r) {
                         NeedMaskOnly(r, {"status", "cancel_reason"});
                         r.mutable_need()->set_status(relais::v1::NEED_STATUS_CANCELLED);
                         r.mutable_need()->set_cancel_reason(std::string(501, 'x'));
                       },
                       "need.cancel_reason"}),
    [](const ::testing::TestParamInfo<UpdateNeedCase>& info) { return info.param.name; });

TEST(ValidateUpdateNeed, AcceptsACancellation) {
  EXPECT_TRUE(ValidateUpdateNeed(Cancel("need_1"), TestCatalogue()).ok());
}

TEST(ApplyUpdateNeed, ChangesOnlyTheMaskedFieldsOfThatNeed) {
  const Crisis current = DeclaredCrisis(CRISIS_STATUS_ACTIVE);
  UpdateNeedRequest request = UpdateNeed("need_1", {"spec.quantity", "spec.priority"});
  request.mutable_need()->mutable_spec()->set_quantity(8);
  request.mutable_need()->mutable_spec()->set_priority(relais::v1::NEED_PRIORITY_CRITICAL);
  request.mutable_need()->mutable_spec()->set_duration_days(99);  // not masked
  auto next = ApplyUpdateNeed(current, request, kNow);
  ASSERT_TRUE(next.ok()) << next.status();
  const auto& need = next->needs(0);
  EXPECT_EQ(need.spec().quantity(), 8);
  EXPECT_EQ(need.spec().priority(), relais::v1::NEED_PRIORITY_CRITICAL);
  EXPECT_EQ(need.spec().duration_days(), 14);
  EXPECT_EQ(need.spec().languages_size(), 2);
  EXPECT_EQ(FromProtoTime(need.updated_at()), kNow);
  EXPECT_EQ(FromProtoTime(need.created_at()), kStart);
  EXPECT_EQ(next->version(), current.version() + 1);
  EXPECT_EQ(FromProtoTime(next->updated_at()), kNow);
  EXPECT_EQ(next->needs(1).SerializeAsString(), current.needs(1).SerializeAsString());
}

TEST(ApplyUpdateNeed, CancelsWithTheReason) {
  auto next = ApplyUpdateNeed(DeclaredCrisis(), Cancel("need_2"), kNow);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->needs(1).status(), relais::v1::NEED_STATUS_CANCELLED);
  EXPECT_EQ(next->needs(1).cancel_reason(), "Pris en charge par l'ARS");
  // A cancelled need is final.
  UpdateNeedRequest again = UpdateNeed("need_2", {"spec.quantity"});
  again.mutable_need()->mutable_spec()->set_quantity(1);
  EXPECT_THAT(ApplyUpdateNeed(*next, again, kNow).status(),
              HasCodeAndPrefix(absl::StatusCode::kFailedPrecondition, "need need_2"));
}

TEST(ApplyUpdateNeed, UnknownNeedIsNotFound) {
  EXPECT_THAT(ApplyUpdateNeed(DeclaredCrisis(), Cancel("need_9"), kNow).status(),
              HasCodeAndPrefix(absl::StatusCode::kNotFound, "need_id: "));
}

TEST(ApplyUpdateNeed, RefusesAClosedCrisis) {
  EXPECT_EQ(
      ApplyUpdateNeed(DeclaredCrisis(CRISIS_STATUS_CLOSED), Cancel("need_1"), kNow).status().code(),
      absl::StatusCode::kFailedPrecondition);
}

TEST(ApplyUpdateNeed, UnsetNeededByGoesBackToTheCrisisStart) {
  UpdateNeedRequest request = UpdateNeed("need_1", {"spec.needed_by"});
  auto next = ApplyUpdateNeed(DeclaredCrisis(), request, kNow);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(FromProtoTime(next->needs(0).spec().needed_by()), kStart);
}

TEST(ApplyUpdateNeed, RevalidatesTheResultingNeed) {
  UpdateNeedRequest early = UpdateNeed("need_1", {"spec.needed_by"});
  *early.mutable_need()->mutable_spec()->mutable_needed_by() =
      ToProtoTime(kStart - absl::Hours(30));
  ASSERT_TRUE(ValidateUpdateNeed(early, TestCatalogue()).ok());
  EXPECT_THAT(ApplyUpdateNeed(DeclaredCrisis(), early, kNow).status(),
              IsInvalidAt("need.spec.needed_by"));

  // Supplies have no duration; people need one.
  UpdateNeedRequest duration = UpdateNeed("need_2", {"spec.duration_days"});
  duration.mutable_need()->mutable_spec()->set_duration_days(7);
  ASSERT_TRUE(ValidateUpdateNeed(duration, TestCatalogue()).ok());
  EXPECT_THAT(ApplyUpdateNeed(DeclaredCrisis(), duration, kNow).status(),
              IsInvalidAt("need.spec.duration_days"));
  duration.set_need_id("need_1");
  duration.mutable_need()->mutable_spec()->set_duration_days(0);
  EXPECT_THAT(ApplyUpdateNeed(DeclaredCrisis(), duration, kNow).status(),
              IsInvalidAt("need.spec.duration_days"));
  duration.mutable_need()->mutable_spec()->set_duration_days(7);
  EXPECT_TRUE(ApplyUpdateNeed(DeclaredCrisis(), duration, kNow).ok());
}

// --- Events and geography ---

TEST(EventTypeFor, MapsEveryOperation) {
  EXPECT_EQ(EventTypeFor(Operation::kDeclare), relais::v1::EVENT_TYPE_CRISIS_DECLARED);
  EXPECT_EQ(EventTypeFor(Operation::kUpdate), relais::v1::EVENT_TYPE_CRISIS_UPDATED);
  EXPECT_EQ(EventTypeFor(Operation::kActivate), relais::v1::EVENT_TYPE_CRISIS_ACTIVATED);
  EXPECT_EQ(EventTypeFor(Operation::kPause), relais::v1::EVENT_TYPE_CRISIS_PAUSED);
  EXPECT_EQ(EventTypeFor(Operation::kClose), relais::v1::EVENT_TYPE_CRISIS_CLOSED);
  EXPECT_EQ(EventTypeFor(Operation::kAddNeed), relais::v1::EVENT_TYPE_NEED_ADDED);
  EXPECT_EQ(EventTypeFor(Operation::kUpdateNeed), relais::v1::EVENT_TYPE_NEED_UPDATED);
  EXPECT_EQ(EventTypeFor(Operation::kCancelNeed), relais::v1::EVENT_TYPE_NEED_CANCELLED);
}

TEST(UpdateNeedOperation, FollowsTheMaskNotTheValue) {
  EXPECT_EQ(UpdateNeedOperation(Cancel("need_1")), Operation::kCancelNeed);
  UpdateNeedRequest quantity = UpdateNeed("need_1", {"spec.quantity"});
  quantity.mutable_need()->set_status(relais::v1::NEED_STATUS_CANCELLED);  // ignored: not masked
  EXPECT_EQ(UpdateNeedOperation(quantity), Operation::kUpdateNeed);
}

TEST(DistanceKm, MatchesKnownDistances) {
  EXPECT_DOUBLE_EQ(DistanceKm(kLyonLat, kLyonLon, kLyonLat, kLyonLon), 0);
  EXPECT_NEAR(DistanceKm(kLyonLat, kLyonLon, 48.8566, 2.3522), 392, 3);  // Paris
  EXPECT_NEAR(DistanceKm(kLyonLat, kLyonLon, 45.4397, 4.3872), 50, 2);   // Saint-Étienne
  EXPECT_NEAR(DistanceKm(kLyonLat, kLyonLon, LatNorthOfLyon(40), kLyonLon), 40, 1e-9);
  EXPECT_NEAR(DistanceKm(0, 0, 0, 180), std::numbers::pi * kEarthRadiusKm, 1e-6);  // antipodes
}

}  // namespace
}  // namespace relais::crisis
