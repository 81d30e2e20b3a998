#include "services/runtime/catalogue.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "absl/strings/match.h"

namespace relais::testing {
namespace {

using relais::v1::RESOURCE_KIND_SKILL;
using relais::v1::RESOURCE_KIND_SUPPLY_ITEM;
using relais::v1::RESOURCE_KIND_TEAM_TYPE;
using relais::v1::RESOURCE_KIND_UNSPECIFIED;
using ::testing::HasSubstr;

std::string RealCataloguePath() {
  return std::string(RELAIS_SOURCE_DIR) + "/deploy/catalogue.textproto";
}

class RealCatalogueTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = Catalogue::LoadFile(RealCataloguePath());
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    catalogue_ = new Catalogue(*std::move(loaded));
  }
  static void TearDownTestSuite() {
    delete catalogue_;
    catalogue_ = nullptr;
  }
  static const Catalogue* catalogue_;
};
const Catalogue* RealCatalogueTest::catalogue_ = nullptr;

TEST_F(RealCatalogueTest, HasItsVersion) { EXPECT_EQ(catalogue_->version(), "2026.11.1"); }

TEST_F(RealCatalogueTest, HasTheSkillsCoordinatorsAskFor) {
  for (const char* code : {"physician-gp",
                           "physician-specialist",
                           "surgeon",
                           "anaesthetist",
                           "nurse",
                           "midwife",
                           "pharmacist",
                           "psychologist-mhpss",
                           "physiotherapist-rehab",
                           "logistician",
                           "wash-engineer",
                           "hygiene-promoter",
                           "project-coordinator",
                           "admin-hr-finance",
                           "it-telecom",
                           "nutritionist",
                           "epidemiologist",
                           "lab-technician",
                           "community-health-worker",
                           "interpreter",
                           "driver"}) {
    EXPECT_TRUE(catalogue_->Has(RESOURCE_KIND_SKILL, code)) << code;
  }
}

TEST_F(RealCatalogueTest, HasTheStandardKits) {
  for (const char* code :
       {"iehk-2017-basic-unit", "iehk-2017-supplementary-unit", "iehk-2017-complete",
        "iddk-complete", "iddk-module", "who-cholera-kit-central", "who-cholera-kit-periphery",
        "who-cholera-kit-community", "who-cholera-kit-investigation", "ors-sachet",
        "water-purification-tablets", "family-tent", "family-hygiene-kit"}) {
    EXPECT_TRUE(catalogue_->Has(RESOURCE_KIND_SUPPLY_ITEM, code)) << code;
  }
  bool found = false;
  for (const auto& item : catalogue_->proto().supply_items()) {
    if (item.code() != "iehk-2017-complete") continue;
    found = true;
    EXPECT_DOUBLE_EQ(item.mass_kg(), 1250);
    EXPECT_DOUBLE_EQ(item.volume_m3(), 7.15);
    EXPECT_THAT(item.covers().en(), HasSubstr("10,000 people"));
  }
  EXPECT_TRUE(found);
}

TEST_F(RealCatalogueTest, HasEmtAndEruTeamTypes) {
  for (const char* code :
       {"who-emt-type-1-mobile", "who-emt-type-1-fixed", "who-emt-type-2", "who-emt-type-3",
        "who-emt-specialised-care-cell", "ifrc-eru-emergency-hospital", "ifrc-eru-emergency-clinic",
        "ifrc-eru-wash-m15", "ifrc-eru-wash-msm20", "ifrc-eru-wash-m40",
        "ifrc-eru-cholera-case-management", "ifrc-eru-safe-dignified-burials",
        "ifrc-eru-community-surveillance", "ifrc-eru-outpatient-module", "ifrc-eru-mhpss",
        "ifrc-eru-logistics", "ifrc-eru-it-telecom"}) {
    EXPECT_TRUE(catalogue_->Has(RESOURCE_KIND_TEAM_TYPE, code)) << code;
  }
}

TEST_F(RealCatalogueTest, HasCertifications) {
  for (const char* code : {"bioforce-diploma", "who-emt-training", "ifrc-eru-training",
                           "yellow-fever-vaccination", "cholera-vaccination", "driving-licence-b",
                           "driving-licence-c", "first-aid-psc1", "security-training-hest"}) {
    EXPECT_TRUE(catalogue_->HasCertification(code)) << code;
  }
  EXPECT_FALSE(catalogue_->HasCertification("nurse"));
}

TEST_F(RealCatalogueTest, LooksUpWithinTheRightListOnly) {
  EXPECT_FALSE(catalogue_->Has(RESOURCE_KIND_SKILL, "iehk-2017-basic-unit"));
  EXPECT_FALSE(catalogue_->Has(RESOURCE_KIND_SUPPLY_ITEM, "nurse"));
  EXPECT_FALSE(catalogue_->Has(RESOURCE_KIND_TEAM_TYPE, "nurse"));
  EXPECT_FALSE(catalogue_->Has(RESOURCE_KIND_UNSPECIFIED, "nurse"));
  EXPECT_FALSE(catalogue_->Has(RESOURCE_KIND_SKILL, "Nurse"));
  EXPECT_FALSE(catalogue_->Has(RESOURCE_KIND_SKILL, ""));
}

TEST(CatalogueLoadFile, MissingFileIsNotFound) {
  auto loaded = Catalogue::LoadFile(::testing::TempDir() + "/no-such-catalogue.textproto");
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(loaded.status().message()), HasSubstr("no-such-catalogue.textproto"));
}

TEST(CatalogueLoadFile, NamesTheFileAndTheEntry) {
  const std::string path = ::testing::TempDir() + "/broken-catalogue.textproto";
  {
    std::ofstream out(path);
    out << "version: \"t\"\nskills { code: \"Nurse\" label { en: \"Nurse\" fr: \"Infirmier\" } }\n";
  }
  auto loaded = Catalogue::LoadFile(path);
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(loaded.status().message()),
            path + ": skills[0].code: 'Nurse' must match [a-z0-9][a-z0-9-]{1,63}");
}

TEST(CatalogueParse, AcceptsAMinimalCatalogue) {
  auto catalogue = Catalogue::Parse(R"pb(
    version: "test-1"
    skills {
      code: "nurse"
      label { en: "Nurse" fr: "Infirmier" }
    }
    supply_items {
      code: "ors-sachet"
      label { en: "ORS" fr: "SRO" }
      unit { en: "box" fr: "boîte" }
    }
    team_types {
      code: "nurse"
      label { en: "Nurse team" fr: "Équipe infirmière" }
    }
    certifications {
      code: "b2"
      label { en: "B2" fr: "B2" }
    }
  )pb");
  ASSERT_TRUE(catalogue.ok()) << catalogue.status();
  EXPECT_EQ(catalogue->version(), "test-1");
  // The same code may appear in two lists: uniqueness is per list.
  EXPECT_TRUE(catalogue->Has(RESOURCE_KIND_SKILL, "nurse"));
  EXPECT_TRUE(catalogue->Has(RESOURCE_KIND_TEAM_TYPE, "nurse"));
  EXPECT_TRUE(catalogue->Has(RESOURCE_KIND_SUPPLY_ITEM, "ors-sachet"));
  EXPECT_TRUE(catalogue->HasCertification("b2"));
  EXPECT_EQ(catalogue->proto().skills_size(), 1);
}

struct BrokenCase {
  std::string name;
  std::string text;
  std::string message_prefix;
};

// Names the case instead of dumping its bytes in test listings.
void PrintTo(const BrokenCase& c, std::ostream* os) { *os << c.name; }

class BrokenCatalogueTest : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(BrokenCatalogueTest, IsRefusedNamingTheEntry) {
  auto catalogue = Catalogue::Parse(GetParam().text);
  ASSERT_FALSE(catalogue.ok());
  EXPECT_EQ(catalogue.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(catalogue.status().message(), GetParam().message_prefix))
      << catalogue.status();
}

constexpr char kNurse[] = R"(skills { code: "nurse" label { en: "Nurse" fr: "Infirmier" } } )";

INSTANTIATE_TEST_SUITE_P(
    Variants, BrokenCatalogueTest,
    ::testing::Values(
        BrokenCase{"SyntaxError", "version: \"1\"\nskills { code: }", "line 2, column "},
        BrokenCase{"UnknownField", "version: \"1\"\ncolour: \"red\"", "line 2, column "},
        BrokenCase{"MissingVersion", kNurse, "version: is required"},
        BrokenCase{"EmptyCode", R"(version: "1" skills { label { en: "a" fr: "b" } })",
                   "skills[0].code: is required"},
        BrokenCase{"UpperCaseCode",
                   R"(version: "1" skills { code: "Nurse" label { en: "a" fr: "b" } })",
                   "skills[0].code: 'Nurse' must match"},
        BrokenCase{"UnderscoreInCode",
                   R"(version: "1" skills { code: "wash_engineer" label { en: "a" fr: "b" } })",
                   "skills[0].code: 'wash_engineer' must match"},
        BrokenCase{"LeadingDash",
                   R"(version: "1" skills { code: "-nurse" label { en: "a" fr: "b" } })",
                   "skills[0].code: '-nurse' must match"},
        BrokenCase{"OneCharacterCode",
                   R"(version: "1" skills { code: "n" label { en: "a" fr: "b" } })",
                   "skills[0].code: 'n' must match"},
        BrokenCase{"CodeOf65Characters",
                   R"(version: "1" skills { code: ")" + std::string(65, 'a') +
                       R"(" label { en: "a" fr: "b" } })",
                   "skills[0].code: 'aaaa"},
        BrokenCase{"DuplicateSkill",
                   std::string(R"(version: "1" )") + kNurse +
                       R"(skills { code: "midwife" label { en: "a" fr: "b" } } )" + kNurse,
                   "skills[2].code: duplicate 'nurse'"},
        BrokenCase{"MissingLabel", R"(version: "1" skills { code: "nurse" })",
                   "skills[0].label: is required"},
        BrokenCase{"MissingFrenchLabel",
                   R"(version: "1" skills { code: "nurse" label { en: "Nurse" } })",
                   "skills[0].label.fr: is required"},
        BrokenCase{"BlankEnglishLabel",
                   R"(version: "1" skills { code: "nurse" label { en: "  " fr: "x" } })",
                   "skills[0].label.en: is required"},
        BrokenCase{"SupplyWithoutUnit",
                   R"(version: "1" supply_items { code: "ors" label { en: "a" fr: "b" } })",
                   "supply_items[0].unit: is required"},
        BrokenCase{"CoversInEnglishOnly",
                   R"(version: "1" supply_items { code: "ors" label { en: "a" fr: "b" }
                      unit { en: "box" fr: "boîte" } covers { en: "100 L" } })",
                   "supply_items[0].covers.fr: is required"},
        BrokenCase{"NegativeMass",
                   R"(version: "1" supply_items { code: "ors" label { en: "a" fr: "b" }
                      unit { en: "box" fr: "boîte" } mass_kg: -1 })",
                   "supply_items[0].mass_kg: must be between 0"},
        BrokenCase{"NanVolume",
                   R"(version: "1" supply_items { code: "ors" label { en: "a" fr: "b" }
                      unit { en: "box" fr: "boîte" } volume_m3: nan })",
                   "supply_items[0].volume_m3: must be a finite number"},
        BrokenCase{"DuplicateTeamType",
                   R"(version: "1"
                      team_types { code: "who-emt-type-2" label { en: "a" fr: "b" } }
                      team_types { code: "who-emt-type-2" label { en: "a" fr: "b" } })",
                   "team_types[1].code: duplicate 'who-emt-type-2'"},
        BrokenCase{"CertificationWithoutEnglish",
                   R"(version: "1" certifications { code: "psc1" label { fr: "PSC1" } })",
                   "certifications[0].label.en: is required"},
        BrokenCase{"ControlCharacterInSource",
                   R"(version: "1" skills { code: "nurse" label { en: "a" fr: "b" }
                      source: "WHO\x01" })",
                   "skills[0].source: must not contain control characters"}),
    [](const ::testing::TestParamInfo<BrokenCase>& info) { return info.param.name; });

}  // namespace
}  // namespace relais::testing
