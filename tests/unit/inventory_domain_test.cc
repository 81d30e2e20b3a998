#include "services/inventory/inventory_domain.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/runtime/proto_time.h"

namespace relais::inventory {
namespace {

using relais::v1::AvailabilityCalendar;
using relais::v1::ClearAvailabilityRequest;
using relais::v1::Organisation;
using relais::v1::RegisterOrganisationRequest;
using relais::v1::RegisterResponderRequest;
using relais::v1::Responder;
using relais::v1::SetAvailabilityRequest;
using relais::v1::UpdateOrganisationRequest;
using relais::v1::UpdateResponderRequest;
using ::testing::HasSubstr;

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

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
      skills {
        code: "logistician"
        label { en: "Logistician" fr: "Logisticien" }
      }
      supply_items {
        code: "iehk-2017-basic-unit"
        label { en: "IEHK basic unit" fr: "KSUI unité de base" }
        unit { en: "unit" fr: "unité" }
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

RegisterOrganisationRequest ValidOrganisation() {
  RegisterOrganisationRequest request;
  request.set_request_id("r-1");
  Organisation& org = *request.mutable_organisation();
  org.set_name("Handicap International - Humanity & Inclusion");
  org.set_kind(relais::v1::ORGANISATION_KIND_NGO);
  org.add_domains(relais::v1::DOMAIN_REHABILITATION);
  org.add_domains(relais::v1::DOMAIN_HUMANITARIAN_HEALTH);
  org.set_commune("Lyon");
  org.mutable_location()->set_lat(45.7375);
  org.mutable_location()->set_lon(4.8686);
  org.mutable_contact()->set_email("contact@hi.org");
  org.mutable_contact()->set_phone("+33478697979");
  org.mutable_contact()->set_website("https://www.hi.org");
  org.set_description("Réadaptation et inclusion.\nDepuis 1982.");
  return request;
}

RegisterResponderRequest ValidResponder() {
  RegisterResponderRequest request;
  request.set_request_id("r-2");
  Responder& r = *request.mutable_responder();
  r.set_external_ref("HI/2026:0042");
  r.set_display_name("Camille M.");
  auto* nurse = r.add_skills();
  nurse->set_code("nurse");
  nurse->set_level(4);
  auto* logistician = r.add_skills();
  logistician->set_code("logistician");
  logistician->set_level(2);
  r.add_languages("fr");
  r.add_languages("en");
  auto* cert = r.add_certifications();
  cert->set_code("yellow-fever-vaccination");
  *cert->mutable_valid_until() = ToProtoTime(kNow + absl::Hours(24 * 3000));
  r.add_certifications()->set_code("bioforce-diploma");
  *r.mutable_travel()->mutable_passport_valid_until() = ToProtoTime(kNow + absl::Hours(24 * 900));
  r.mutable_travel()->set_passport_country("FR");
  r.mutable_home_base()->set_lat(45.70);
  r.mutable_home_base()->set_lon(4.88);
  r.set_home_commune("Vénissieux");
  r.set_max_deployment_days(21);
  auto* email = r.add_contacts();
  email->set_kind(relais::v1::CONTACT_KIND_EMAIL);
  email->set_address("camille@example.org");
  auto* sms = r.add_contacts();
  sms->set_kind(relais::v1::CONTACT_KIND_SMS);
  sms->set_address("+33612345678");
  return request;
}

SetAvailabilityRequest Period(
    absl::Time from, absl::Time until,
    relais::v1::AvailabilityKind kind = relais::v1::AVAILABILITY_KIND_AVAILABLE) {
  SetAvailabilityRequest request;
  request.set_request_id("r-3");
  request.set_responder_id("rsp_000001");
  request.mutable_period()->set_kind(kind);
  *request.mutable_period()->mutable_from() = ToProtoTime(from);
  *request.mutable_period()->mutable_until() = ToProtoTime(until);
  request.mutable_period()->set_note("astreinte");
  return request;
}

// --- Case folding ---

TEST(FoldCaseTest, LowersAsciiAndLatinLetters) {
  EXPECT_EQ(FoldCase("Vénissieux"), "vénissieux");
  EXPECT_EQ(FoldCase("VÉNISSIEUX"), "vénissieux");
  EXPECT_EQ(FoldCase("SAINT-PRIEST"), "saint-priest");
  EXPECT_EQ(FoldCase("ŒUVRE ÇA À L'ÎLE"), "œuvre ça à l'île");
  EXPECT_EQ(FoldCase("ŸŁŚ"), "ÿłś");
  // Not letters to fold: the multiplication sign, digits, punctuation, other scripts.
  EXPECT_EQ(FoldCase("×7 Ωmega"), "×7 Ωmega");
}

// --- Organisations ---

TEST(OrganisationValidationTest, AValidRequestPasses) {
  EXPECT_TRUE(ValidateRegisterOrganisation(ValidOrganisation()).ok());
  // Contact and description are optional.
  RegisterOrganisationRequest minimal = ValidOrganisation();
  minimal.mutable_organisation()->clear_contact();
  minimal.mutable_organisation()->clear_description();
  EXPECT_TRUE(ValidateRegisterOrganisation(minimal).ok());
}

TEST(OrganisationValidationTest, EveryInvalidFieldIsNamed) {
  struct Case {
    std::string path;
    std::function<void(RegisterOrganisationRequest&)> spoil;
  };
  const std::vector<Case> cases = {
      {"request_id", [](auto& r) { r.clear_request_id(); }},
      {"request_id", [](auto& r) { r.set_request_id(std::string(129, 'a')); }},
      {"organisation", [](auto& r) { r.clear_organisation(); }},
      {"organisation.name", [](auto& r) { r.mutable_organisation()->set_name("H"); }},
      {"organisation.name", [](auto& r) { r.mutable_organisation()->set_name("   "); }},
      {"organisation.name",
       [](auto& r) { r.mutable_organisation()->set_name(std::string(201, 'x')); }},
      {"organisation.name", [](auto& r) { r.mutable_organisation()->set_name("HI\nHI"); }},
      {"organisation.kind",
       [](auto& r) {
         r.mutable_organisation()->set_kind(relais::v1::ORGANISATION_KIND_UNSPECIFIED);
       }},
      {"organisation.kind",
       [](auto& r) {
         r.mutable_organisation()->set_kind(static_cast<relais::v1::OrganisationKind>(99));
       }},
      {"organisation.domains", [](auto& r) { r.mutable_organisation()->clear_domains(); }},
      {"organisation.domains",
       [](auto& r) {
         for (int d = 1; d <= 12; ++d)
           r.mutable_organisation()->add_domains(static_cast<relais::v1::Domain>(d));
       }},
      {"organisation.domains[1]",
       [](auto& r) { r.mutable_organisation()->set_domains(1, relais::v1::DOMAIN_UNSPECIFIED); }},
      {"organisation.domains[2]",
       [](auto& r) { r.mutable_organisation()->add_domains(relais::v1::DOMAIN_REHABILITATION); }},
      {"organisation.domains[0]",
       [](auto& r) {
         r.mutable_organisation()->set_domains(0, static_cast<relais::v1::Domain>(77));
       }},
      {"organisation.commune", [](auto& r) { r.mutable_organisation()->clear_commune(); }},
      {"organisation.commune",
       [](auto& r) { r.mutable_organisation()->set_commune(std::string(101, 'x')); }},
      {"organisation.location", [](auto& r) { r.mutable_organisation()->clear_location(); }},
      {"organisation.location.lat",
       [](auto& r) { r.mutable_organisation()->mutable_location()->set_lat(90.5); }},
      {"organisation.location.lon",
       [](auto& r) { r.mutable_organisation()->mutable_location()->set_lon(kNan); }},
      {"organisation.contact.email",
       [](auto& r) { r.mutable_organisation()->mutable_contact()->set_email("contact.hi.org"); }},
      {"organisation.contact.email",
       [](auto& r) {
         r.mutable_organisation()->mutable_contact()->set_email(std::string(250, 'a') + "@hi.org");
       }},
      {"organisation.contact.phone",
       [](auto& r) { r.mutable_organisation()->mutable_contact()->set_phone("04 78 69 79 79"); }},
      {"organisation.contact.phone",
       [](auto& r) { r.mutable_organisation()->mutable_contact()->set_phone("+12345"); }},
      {"organisation.contact.phone",
       [](auto& r) {
         r.mutable_organisation()->mutable_contact()->set_phone("+1234567890123456");
       }},
      {"organisation.contact.website",
       [](auto& r) { r.mutable_organisation()->mutable_contact()->set_website("http://hi.org"); }},
      {"organisation.contact.website",
       [](auto& r) {
         r.mutable_organisation()->mutable_contact()->set_website("https://" +
                                                                  std::string(300, 'a'));
       }},
      {"organisation.description",
       [](auto& r) { r.mutable_organisation()->set_description(std::string(2001, 'x')); }},
      {"organisation.external_ref",
       [](auto& r) { r.mutable_organisation()->set_external_ref("CRF RHONE"); }},
      {"organisation.external_ref",
       [](auto& r) { r.mutable_organisation()->set_external_ref(std::string(65, 'x')); }},
  };
  for (const auto& c : cases) {
    RegisterOrganisationRequest request = ValidOrganisation();
    c.spoil(request);
    EXPECT_THAT(ValidateRegisterOrganisation(request), IsInvalidAt(c.path));
  }
}

TEST(OrganisationValidationTest, NewOrganisationTakesIdVersionAndTimes) {
  RegisterOrganisationRequest request = ValidOrganisation();
  request.mutable_organisation()->set_id("org_forged");
  request.mutable_organisation()->set_version(42);
  Organisation org = NewOrganisation(request, "org_000001", kNow);
  EXPECT_EQ(org.id(), "org_000001");
  EXPECT_EQ(org.version(), 1);
  EXPECT_EQ(FromProtoTime(org.created_at()), kNow);
  EXPECT_EQ(FromProtoTime(org.updated_at()), kNow);
  EXPECT_EQ(org.name(), request.organisation().name());
  EXPECT_EQ(org.domains_size(), 2);
}

UpdateOrganisationRequest OrganisationUpdate(std::vector<std::string> paths) {
  UpdateOrganisationRequest request;
  request.set_request_id("r-9");
  request.set_organisation_id("org_000001");
  for (const auto& path : paths) request.mutable_update_mask()->add_paths(path);
  return request;
}

TEST(OrganisationUpdateTest, MaskIsCheckedAgainstTheAllowList) {
  EXPECT_THAT(ValidateUpdateOrganisation(OrganisationUpdate({})), IsInvalidAt("update_mask"));
  EXPECT_THAT(ValidateUpdateOrganisation(OrganisationUpdate({"colour"})),
              IsInvalidAt("update_mask"));
  absl::Status refused = ValidateUpdateOrganisation(OrganisationUpdate({"id"}));
  EXPECT_THAT(refused, IsInvalidAt("update_mask"));
  EXPECT_THAT(refused.message(), HasSubstr("set by the server"));
  EXPECT_THAT(ValidateUpdateOrganisation(OrganisationUpdate({"location.lat"})).message(),
              HasSubstr("update the whole 'location'"));
  EXPECT_THAT(ValidateUpdateOrganisation(OrganisationUpdate({"contact.email"})).message(),
              HasSubstr("update the whole 'contact'"));
  UpdateOrganisationRequest twice = OrganisationUpdate({"description", "description"});
  EXPECT_THAT(ValidateUpdateOrganisation(twice), IsInvalidAt("update_mask"));

  UpdateOrganisationRequest bad_id = OrganisationUpdate({"description"});
  bad_id.set_organisation_id("org 1");
  EXPECT_THAT(ValidateUpdateOrganisation(bad_id), IsInvalidAt("organisation_id"));
  UpdateOrganisationRequest bad_version = OrganisationUpdate({"description"});
  bad_version.set_expected_version(-1);
  EXPECT_THAT(ValidateUpdateOrganisation(bad_version), IsInvalidAt("expected_version"));
}

TEST(OrganisationUpdateTest, OnlyMaskedValuesAreValidatedAndApplied) {
  Organisation current = NewOrganisation(ValidOrganisation(), "org_000001", kNow);

  UpdateOrganisationRequest request = OrganisationUpdate({"name", "domains"});
  request.mutable_organisation()->set_name("HI - Lyon");
  request.mutable_organisation()->add_domains(relais::v1::DOMAIN_MHPSS);
  // Not masked: neither checked nor applied.
  request.mutable_organisation()->set_commune("");
  request.mutable_organisation()->set_kind(static_cast<relais::v1::OrganisationKind>(99));
  ASSERT_TRUE(ValidateUpdateOrganisation(request).ok());
  Organisation next = ApplyUpdateOrganisation(current, request, kNow + absl::Hours(1));
  EXPECT_EQ(next.name(), "HI - Lyon");
  ASSERT_EQ(next.domains_size(), 1);
  EXPECT_EQ(next.domains(0), relais::v1::DOMAIN_MHPSS);
  EXPECT_EQ(next.commune(), "Lyon");
  EXPECT_EQ(next.kind(), relais::v1::ORGANISATION_KIND_NGO);
  EXPECT_EQ(next.version(), 2);
  EXPECT_EQ(FromProtoTime(next.updated_at()), kNow + absl::Hours(1));
  EXPECT_EQ(FromProtoTime(next.created_at()), kNow);

  // Masked values follow the registration rules, under "organisation.".
  UpdateOrganisationRequest empty_name = OrganisationUpdate({"name"});
  EXPECT_THAT(ValidateUpdateOrganisation(empty_name), IsInvalidAt("organisation.name"));
  UpdateOrganisationRequest no_location = OrganisationUpdate({"location"});
  EXPECT_THAT(ValidateUpdateOrganisation(no_location), IsInvalidAt("organisation.location"));
  UpdateOrganisationRequest no_domains = OrganisationUpdate({"domains"});
  EXPECT_THAT(ValidateUpdateOrganisation(no_domains), IsInvalidAt("organisation.domains"));
  UpdateOrganisationRequest bad_phone = OrganisationUpdate({"contact"});
  bad_phone.mutable_organisation()->mutable_contact()->set_phone("0478");
  EXPECT_THAT(ValidateUpdateOrganisation(bad_phone), IsInvalidAt("organisation.contact.phone"));

  // A masked contact left unset clears it.
  UpdateOrganisationRequest clear_contact = OrganisationUpdate({"contact"});
  ASSERT_TRUE(ValidateUpdateOrganisation(clear_contact).ok());
  EXPECT_FALSE(ApplyUpdateOrganisation(current, clear_contact, kNow).has_contact());
}

TEST(OrganisationUpdateTest, ExternalRefIsOptionalCheckedAndApplied) {
  RegisterOrganisationRequest with_ref = ValidOrganisation();
  with_ref.mutable_organisation()->set_external_ref("CRF-RHONE/69:2026_a.b");
  ASSERT_TRUE(ValidateRegisterOrganisation(with_ref).ok());
  Organisation current = NewOrganisation(with_ref, "org_000001", kNow);
  EXPECT_EQ(current.external_ref(), "CRF-RHONE/69:2026_a.b");

  UpdateOrganisationRequest change = OrganisationUpdate({"external_ref"});
  change.mutable_organisation()->set_external_ref("CRF-69");
  ASSERT_TRUE(ValidateUpdateOrganisation(change).ok());
  Organisation next = ApplyUpdateOrganisation(current, change, kNow);
  EXPECT_EQ(next.external_ref(), "CRF-69");
  EXPECT_EQ(next.version(), 2);

  // Masked and empty clears it; not masked leaves it.
  UpdateOrganisationRequest clear = OrganisationUpdate({"external_ref"});
  ASSERT_TRUE(ValidateUpdateOrganisation(clear).ok());
  EXPECT_EQ(ApplyUpdateOrganisation(current, clear, kNow).external_ref(), "");
  UpdateOrganisationRequest other = OrganisationUpdate({"description"});
  other.mutable_organisation()->set_external_ref("IGNORED");
  EXPECT_EQ(ApplyUpdateOrganisation(current, other, kNow).external_ref(), "CRF-RHONE/69:2026_a.b");

  UpdateOrganisationRequest bad = OrganisationUpdate({"external_ref"});
  bad.mutable_organisation()->set_external_ref("réf");
  EXPECT_THAT(ValidateUpdateOrganisation(bad), IsInvalidAt("organisation.external_ref"));
}

TEST(OrganisationListTest, FiltersAndPagingAreChecked) {
  relais::v1::ListOrganisationsRequest request;
  EXPECT_TRUE(ValidateListOrganisations(request).ok());
  request.set_kind(static_cast<relais::v1::OrganisationKind>(99));
  EXPECT_THAT(ValidateListOrganisations(request), IsInvalidAt("kind"));
  request.clear_kind();
  request.set_domain(static_cast<relais::v1::Domain>(99));
  EXPECT_THAT(ValidateListOrganisations(request), IsInvalidAt("domain"));
  request.clear_domain();
  request.set_commune(std::string(101, 'x'));
  EXPECT_THAT(ValidateListOrganisations(request), IsInvalidAt("commune"));
  request.clear_commune();
  request.set_page_size(201);
  EXPECT_THAT(ValidateListOrganisations(request), IsInvalidAt("page_size"));
  request.set_page_size(-1);
  EXPECT_THAT(ValidateListOrganisations(request), IsInvalidAt("page_size"));
  request.set_page_size(200);
  request.set_page_token(std::string(1025, 'a'));
  EXPECT_THAT(ValidateListOrganisations(request), IsInvalidAt("page_token"));

  relais::v1::GetOrganisationRequest get;
  EXPECT_THAT(ValidateGetOrganisation(get), IsInvalidAt("organisation_id"));
}

// --- Responders ---

TEST(ResponderValidationTest, AValidRequestPasses) {
  EXPECT_TRUE(ValidateRegisterResponder(ValidResponder(), TestCatalogue()).ok());
  RegisterResponderRequest minimal = ValidResponder();
  Responder& r = *minimal.mutable_responder();
  r.clear_external_ref();
  r.clear_languages();
  r.clear_certifications();
  r.clear_travel();
  r.clear_home_commune();
  r.mutable_contacts()->RemoveLast();
  EXPECT_TRUE(ValidateRegisterResponder(minimal, TestCatalogue()).ok());
}

TEST(ResponderValidationTest, EveryInvalidFieldIsNamedWithItsPath) {
  using R = RegisterResponderRequest;
  struct Case {
    std::string path;
    std::function<void(R&)> spoil;
  };
  const auto rsp = [](R& r) { return r.mutable_responder(); };
  const std::vector<Case> cases = {
      {"request_id", [](R& r) { r.set_request_id("a b"); }},
      {"responder", [](R& r) { r.clear_responder(); }},
      {"responder.external_ref", [&](R& r) { rsp(r)->set_external_ref("HI 42"); }},
      {"responder.external_ref", [&](R& r) { rsp(r)->set_external_ref(std::string(65, 'a')); }},
      {"responder.display_name", [&](R& r) { rsp(r)->set_display_name("C"); }},
      {"responder.display_name", [&](R& r) { rsp(r)->set_display_name(std::string(121, 'x')); }},
      {"responder.display_name", [&](R& r) { rsp(r)->set_display_name("Cam\x01ille"); }},
      {"responder.skills", [&](R& r) { rsp(r)->clear_skills(); }},
      {"responder.skills",
       [&](R& r) {
         for (int i = 0; i < 19; ++i) *rsp(r)->add_skills() = rsp(r)->skills(0);
       }},
      {"responder.skills[1].code", [&](R& r) { rsp(r)->mutable_skills(1)->set_code("astronaut"); }},
      {"responder.skills[1].code", [&](R& r) { rsp(r)->mutable_skills(1)->clear_code(); }},
      // A supply item is not a skill.
      {"responder.skills[0].code",
       [&](R& r) { rsp(r)->mutable_skills(0)->set_code("iehk-2017-basic-unit"); }},
      {"responder.skills[1].code", [&](R& r) { rsp(r)->mutable_skills(1)->set_code("nurse"); }},
      {"responder.skills[1].level", [&](R& r) { rsp(r)->mutable_skills(1)->set_level(0); }},
      {"responder.skills[0].level", [&](R& r) { rsp(r)->mutable_skills(0)->set_level(6); }},
      {"responder.languages[1]", [&](R& r) { rsp(r)->set_languages(1, "EN"); }},
      {"responder.languages[2]", [&](R& r) { rsp(r)->add_languages("fr"); }},
      {"responder.languages",
       [&](R& r) {
         for (const char* l : {"de", "es", "it", "ar", "pt", "ru", "zh", "sw", "ln"}) {
           rsp(r)->add_languages(l);
         }
       }},
      {"responder.certifications[0].code",
       [&](R& r) { rsp(r)->mutable_certifications(0)->set_code("jedi-knight"); }},
      {"responder.certifications[1].code",
       [&](R& r) { rsp(r)->mutable_certifications(1)->set_code("yellow-fever-vaccination"); }},
      {"responder.certifications[0].valid_until",
       [&](R& r) { rsp(r)->mutable_certifications(0)->mutable_valid_until()->set_nanos(-1); }},
      {"responder.certifications",
       [&](R& r) {
         for (int i = 0; i < 29; ++i) *rsp(r)->add_certifications() = rsp(r)->certifications(1);
       }},
      {"responder.travel.passport_valid_until",
       [&](R& r) { rsp(r)->mutable_travel()->mutable_passport_valid_until()->set_seconds(1); }},
      {"responder.travel.passport_country",
       [&](R& r) { rsp(r)->mutable_travel()->set_passport_country("fra"); }},
      {"responder.travel.passport_country",
       [&](R& r) { rsp(r)->mutable_travel()->clear_passport_country(); }},
      {"responder.travel.passport_country",
       [&](R& r) { rsp(r)->mutable_travel()->clear_passport_valid_until(); }},
      {"responder.home_base", [&](R& r) { rsp(r)->clear_home_base(); }},
      {"responder.home_base.lat", [&](R& r) { rsp(r)->mutable_home_base()->set_lat(-91); }},
      {"responder.home_base.lon", [&](R& r) { rsp(r)->mutable_home_base()->set_lon(181); }},
      {"responder.home_commune", [&](R& r) { rsp(r)->set_home_commune(std::string(101, 'x')); }},
      {"responder.max_deployment_days", [&](R& r) { rsp(r)->set_max_deployment_days(0); }},
      {"responder.max_deployment_days", [&](R& r) { rsp(r)->set_max_deployment_days(366); }},
      {"responder.contacts", [&](R& r) { rsp(r)->clear_contacts(); }},
      {"responder.contacts",
       [&](R& r) {
         for (int i = 0; i < 4; ++i) *rsp(r)->add_contacts() = rsp(r)->contacts(0);
       }},
      {"responder.contacts[1].kind",
       [&](R& r) { rsp(r)->mutable_contacts(1)->set_kind(relais::v1::CONTACT_KIND_UNSPECIFIED); }},
      {"responder.contacts[0].address",
       [&](R& r) { rsp(r)->mutable_contacts(0)->clear_address(); }},
      {"responder.contacts[0].address",
       [&](R& r) { rsp(r)->mutable_contacts(0)->set_address("camille.example.org"); }},
      {"responder.contacts[0].address",
       [&](R& r) { rsp(r)->mutable_contacts(0)->set_address(std::string(250, 'c') + "@ex.org"); }},
      {"responder.contacts[1].address",
       [&](R& r) { rsp(r)->mutable_contacts(1)->set_address("06 12 34 56 78"); }},
      {"responder.contacts[1].address",
       [&](R& r) {
         rsp(r)->mutable_contacts(1)->set_kind(relais::v1::CONTACT_KIND_PHONE);
         rsp(r)->mutable_contacts(1)->set_address("camille@example.org");
       }},
  };
  for (const auto& c : cases) {
    RegisterResponderRequest request = ValidResponder();
    c.spoil(request);
    EXPECT_THAT(ValidateRegisterResponder(request, TestCatalogue()), IsInvalidAt(c.path));
  }
}

TEST(ResponderValidationTest, AtTheLimitsIsStillValid) {
  RegisterResponderRequest request = ValidResponder();
  Responder& r = *request.mutable_responder();
  r.set_external_ref(std::string(63, 'a') + "/");
  r.set_display_name(std::string(120, 'x'));
  r.set_max_deployment_days(365);
  r.mutable_skills(0)->set_level(5);
  r.mutable_skills(1)->set_level(1);
  for (int i = 0; i < 3; ++i) *r.add_contacts() = r.contacts(0);
  EXPECT_EQ(r.contacts_size(), kMaxContacts);
  EXPECT_TRUE(ValidateRegisterResponder(request, TestCatalogue()).ok());
}

TEST(ResponderTest, NewResponderBelongsToTheGivenOrganisationNotTheRequests) {
  RegisterResponderRequest request = ValidResponder();
  request.mutable_responder()->set_organisation_id("org_someone_else");
  request.mutable_responder()->set_id("rsp_forged");
  Responder responder = NewResponder(request, "rsp_000001", "org_000001", kNow);
  EXPECT_EQ(responder.id(), "rsp_000001");
  EXPECT_EQ(responder.organisation_id(), "org_000001");
  EXPECT_EQ(responder.version(), 1);
  EXPECT_EQ(FromProtoTime(responder.created_at()), kNow);
  EXPECT_EQ(responder.display_name(), "Camille M.");
}

TEST(ResponderTest, CallerMustActForAnOrganisation) {
  Principal caller;
  caller.id = "osi-admin-1";
  auto none = CallerOrganisation(caller);
  EXPECT_EQ(none.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(none.status().message(), "caller acts for no organisation");
  caller.organisation_id = "org with spaces";
  EXPECT_EQ(CallerOrganisation(caller).status().code(), absl::StatusCode::kFailedPrecondition);
  caller.organisation_id = "org_000001";
  ASSERT_TRUE(CallerOrganisation(caller).ok());
  EXPECT_EQ(*CallerOrganisation(caller), "org_000001");
}

UpdateResponderRequest ResponderUpdate(std::vector<std::string> paths) {
  UpdateResponderRequest request;
  request.set_request_id("r-9");
  request.set_responder_id("rsp_000001");
  for (const auto& path : paths) request.mutable_update_mask()->add_paths(path);
  return request;
}

TEST(ResponderUpdateTest, MaskIsCheckedAgainstTheAllowList) {
  const Catalogue& cat = TestCatalogue();
  EXPECT_THAT(ValidateUpdateResponder(ResponderUpdate({}), cat), IsInvalidAt("update_mask"));
  EXPECT_THAT(ValidateUpdateResponder(ResponderUpdate({"nickname"}), cat),
              IsInvalidAt("update_mask"));
  absl::Status moved = ValidateUpdateResponder(ResponderUpdate({"organisation_id"}), cat);
  EXPECT_THAT(moved, IsInvalidAt("update_mask"));
  EXPECT_THAT(moved.message(), HasSubstr("stays with the organisation"));
  EXPECT_THAT(ValidateUpdateResponder(ResponderUpdate({"version"}), cat),
              IsInvalidAt("update_mask"));
  EXPECT_THAT(ValidateUpdateResponder(ResponderUpdate({"travel.passport_country"}), cat).message(),
              HasSubstr("update the whole 'travel'"));
  EXPECT_THAT(ValidateUpdateResponder(ResponderUpdate({"skills", "skills"}), cat),
              IsInvalidAt("update_mask"));
  UpdateResponderRequest bad_id = ResponderUpdate({"languages"});
  bad_id.set_responder_id("");
  EXPECT_THAT(ValidateUpdateResponder(bad_id, cat), IsInvalidAt("responder_id"));
}

TEST(ResponderUpdateTest, MaskedValuesAreValidatedUnderResponderAndApplied) {
  const Catalogue& cat = TestCatalogue();
  UpdateResponderRequest bad_skill = ResponderUpdate({"skills"});
  bad_skill.mutable_responder()->add_skills()->set_code("nurse");
  bad_skill.mutable_responder()->mutable_skills(0)->set_level(3);
  bad_skill.mutable_responder()->add_skills()->set_code("nurse");
  EXPECT_THAT(ValidateUpdateResponder(bad_skill, cat), IsInvalidAt("responder.skills[1].code"));
  bad_skill.mutable_responder()->mutable_skills(1)->set_code("logistician");
  EXPECT_THAT(ValidateUpdateResponder(bad_skill, cat), IsInvalidAt("responder.skills[1].level"));
  EXPECT_THAT(ValidateUpdateResponder(ResponderUpdate({"contacts"}), cat),
              IsInvalidAt("responder.contacts"));
  EXPECT_THAT(ValidateUpdateResponder(ResponderUpdate({"display_name"}), cat),
              IsInvalidAt("responder.display_name"));
  EXPECT_THAT(ValidateUpdateResponder(ResponderUpdate({"home_base"}), cat),
              IsInvalidAt("responder.home_base"));
  EXPECT_THAT(ValidateUpdateResponder(ResponderUpdate({"max_deployment_days"}), cat),
              IsInvalidAt("responder.max_deployment_days"));

  Responder current = NewResponder(ValidResponder(), "rsp_000001", "org_000001", kNow);
  UpdateResponderRequest request =
      ResponderUpdate({"external_ref", "travel", "max_deployment_days", "languages"});
  request.mutable_responder()->set_max_deployment_days(14);
  request.mutable_responder()->add_languages("ar");
  request.mutable_responder()->set_display_name("ignored: not masked");
  // external_ref and travel masked and left empty: cleared.
  ASSERT_TRUE(ValidateUpdateResponder(request, cat).ok());
  Responder next = ApplyUpdateResponder(current, request, kNow + absl::Minutes(5));
  EXPECT_EQ(next.external_ref(), "");
  EXPECT_FALSE(next.has_travel());
  EXPECT_EQ(next.max_deployment_days(), 14);
  ASSERT_EQ(next.languages_size(), 1);
  EXPECT_EQ(next.languages(0), "ar");
  EXPECT_EQ(next.display_name(), "Camille M.");
  EXPECT_EQ(next.organisation_id(), "org_000001");
  EXPECT_EQ(next.version(), 2);
  EXPECT_EQ(FromProtoTime(next.updated_at()), kNow + absl::Minutes(5));
}

TEST(ResponderTest, ListGetAndRemoveRequestsAreChecked) {
  relais::v1::ListRespondersRequest list;
  EXPECT_THAT(ValidateListResponders(list), IsInvalidAt("organisation_id"));
  list.set_organisation_id("org_000001");
  EXPECT_TRUE(ValidateListResponders(list).ok());
  list.set_page_size(500);
  EXPECT_THAT(ValidateListResponders(list), IsInvalidAt("page_size"));

  relais::v1::GetResponderRequest get;
  get.set_responder_id("rsp/1");
  EXPECT_THAT(ValidateGetResponder(get), IsInvalidAt("responder_id"));

  relais::v1::RemoveResponderRequest remove;
  remove.set_responder_id("rsp_000001");
  EXPECT_THAT(ValidateRemoveResponder(remove), IsInvalidAt("request_id"));
  remove.set_request_id("r-1");
  EXPECT_TRUE(ValidateRemoveResponder(remove).ok());
}

// --- Availability ---

TEST(AvailabilityValidationTest, PeriodRules) {
  EXPECT_TRUE(ValidateSetAvailability(Period(kNow, kNow + absl::Hours(24)), kNow).ok());
  // Started already but not ended: fine.
  EXPECT_TRUE(
      ValidateSetAvailability(Period(kNow - absl::Hours(24), kNow + absl::Seconds(1)), kNow).ok());
  // Exactly 400 days is the longest.
  EXPECT_TRUE(ValidateSetAvailability(Period(kNow, kNow + kMaxPeriodLength), kNow).ok());

  EXPECT_THAT(ValidateSetAvailability(Period(kNow, kNow), kNow), IsInvalidAt("period.until"));
  EXPECT_THAT(ValidateSetAvailability(Period(kNow + absl::Hours(2), kNow + absl::Hours(1)), kNow),
              IsInvalidAt("period.until"));
  absl::Status too_long =
      ValidateSetAvailability(Period(kNow, kNow + kMaxPeriodLength + absl::Seconds(1)), kNow);
  EXPECT_THAT(too_long, IsInvalidAt("period.until"));
  EXPECT_THAT(too_long.message(), HasSubstr("400 days"));
  absl::Status ended =
      ValidateSetAvailability(Period(kNow - absl::Hours(48), kNow - absl::Hours(24)), kNow);
  EXPECT_THAT(ended, IsInvalidAt("period.until"));
  EXPECT_THAT(ended.message(), HasSubstr("already ended"));
  // [from, until) ends at until: a period ending now has ended.
  EXPECT_THAT(ValidateSetAvailability(Period(kNow - absl::Hours(1), kNow), kNow),
              IsInvalidAt("period.until"));
}

TEST(AvailabilityValidationTest, EveryInvalidFieldIsNamed) {
  struct Case {
    std::string path;
    std::function<void(SetAvailabilityRequest&)> spoil;
  };
  const std::vector<Case> cases = {
      {"request_id", [](auto& r) { r.clear_request_id(); }},
      {"responder_id", [](auto& r) { r.clear_responder_id(); }},
      {"period", [](auto& r) { r.clear_period(); }},
      {"period.kind",
       [](auto& r) { r.mutable_period()->set_kind(relais::v1::AVAILABILITY_KIND_UNSPECIFIED); }},
      {"period.kind",
       [](auto& r) { r.mutable_period()->set_kind(static_cast<relais::v1::AvailabilityKind>(9)); }},
      {"period.from", [](auto& r) { r.mutable_period()->clear_from(); }},
      {"period.from", [](auto& r) { r.mutable_period()->mutable_from()->set_seconds(0); }},
      {"period.until", [](auto& r) { r.mutable_period()->clear_until(); }},
      {"period.until",
       [](auto& r) { r.mutable_period()->mutable_until()->set_nanos(1'000'000'000); }},
      {"period.note", [](auto& r) { r.mutable_period()->set_note(std::string(201, 'x')); }},
  };
  for (const auto& c : cases) {
    SetAvailabilityRequest request = Period(kNow, kNow + absl::Hours(24));
    c.spoil(request);
    EXPECT_THAT(ValidateSetAvailability(request, kNow), IsInvalidAt(c.path));
  }

  ClearAvailabilityRequest clear;
  clear.set_request_id("r-1");
  clear.set_responder_id("rsp_000001");
  EXPECT_THAT(ValidateClearAvailability(clear), IsInvalidAt("period_id"));
  relais::v1::GetAvailabilityRequest get;
  EXPECT_THAT(ValidateGetAvailability(get), IsInvalidAt("responder_id"));
}

TEST(CalendarTest, PeriodsAreOrderedByStartAndEndedOnesDropped) {
  AvailabilityCalendar calendar = NewCalendar("rsp_000001");
  EXPECT_EQ(calendar.version(), 1);
  EXPECT_EQ(calendar.periods_size(), 0);

  auto late = ApplySetAvailability(calendar, Period(kNow + absl::Hours(48), kNow + absl::Hours(72)),
                                   "avl_000001", kNow);
  ASSERT_TRUE(late.ok());
  auto early = ApplySetAvailability(
      *late, Period(kNow, kNow + absl::Hours(2), relais::v1::AVAILABILITY_KIND_UNAVAILABLE),
      "avl_000002", kNow);
  ASSERT_TRUE(early.ok());
  ASSERT_EQ(early->periods_size(), 2);
  EXPECT_EQ(early->version(), 3);
  EXPECT_EQ(early->periods(0).id(), "avl_000002");
  EXPECT_EQ(early->periods(0).kind(), relais::v1::AVAILABILITY_KIND_UNAVAILABLE);
  EXPECT_EQ(early->periods(0).note(), "astreinte");
  EXPECT_EQ(early->periods(1).id(), "avl_000001");

  // Read three hours later: the early period has ended and is filtered, the stored one kept.
  const absl::Time later = kNow + absl::Hours(3);
  EXPECT_FALSE(HasEnded(early->periods(0), kNow + absl::Hours(2) - absl::Nanoseconds(1)));
  EXPECT_TRUE(HasEnded(early->periods(0), kNow + absl::Hours(2)));
  AvailabilityCalendar seen = CurrentCalendar(*early, later);
  ASSERT_EQ(seen.periods_size(), 1);
  EXPECT_EQ(seen.periods(0).id(), "avl_000001");
  EXPECT_EQ(seen.version(), 3);
  EXPECT_EQ(early->periods_size(), 2);

  // The next write drops it for good.
  auto third =
      ApplySetAvailability(*early, Period(later, later + absl::Hours(1)), "avl_000003", later);
  ASSERT_TRUE(third.ok());
  ASSERT_EQ(third->periods_size(), 2);
  EXPECT_EQ(third->periods(0).id(), "avl_000003");
  EXPECT_EQ(third->periods(1).id(), "avl_000001");
}

TEST(CalendarTest, AFullCalendarRefusesAnotherPeriodUntilSomeEnd) {
  AvailabilityCalendar calendar = NewCalendar("rsp_000001");
  for (int i = 0; i < kMaxPeriods; ++i) {
    auto next = ApplySetAvailability(calendar, Period(kNow, kNow + absl::Hours(1 + i)),
                                     "avl_" + std::to_string(100000 + i), kNow);
    ASSERT_TRUE(next.ok()) << i;
    calendar = *std::move(next);
  }
  auto full =
      ApplySetAvailability(calendar, Period(kNow, kNow + absl::Hours(500)), "avl_200000", kNow);
  EXPECT_EQ(full.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(full.status().message(), HasSubstr("rsp_000001"));
  EXPECT_THAT(full.status().message(), HasSubstr("100"));
  // Two hours on, the two shortest periods have ended: room again.
  const absl::Time later = kNow + absl::Hours(2);
  auto room =
      ApplySetAvailability(calendar, Period(later, later + absl::Hours(500)), "avl_200000", later);
  ASSERT_TRUE(room.ok()) << room.status();
  EXPECT_EQ(room->periods_size(), kMaxPeriods - 1);
}

TEST(CalendarTest, ClearRemovesOnePeriodAndUnknownOnesAreNotFound) {
  AvailabilityCalendar calendar = NewCalendar("rsp_000001");
  calendar = *ApplySetAvailability(calendar, Period(kNow, kNow + absl::Hours(1)), "avl_1", kNow);
  calendar = *ApplySetAvailability(calendar, Period(kNow, kNow + absl::Hours(5)), "avl_2", kNow);

  ClearAvailabilityRequest clear;
  clear.set_request_id("r-1");
  clear.set_responder_id("rsp_000001");
  clear.set_period_id("avl_2");
  auto cleared = ApplyClearAvailability(calendar, clear, kNow);
  ASSERT_TRUE(cleared.ok());
  ASSERT_EQ(cleared->periods_size(), 1);
  EXPECT_EQ(cleared->periods(0).id(), "avl_1");
  EXPECT_EQ(cleared->version(), calendar.version() + 1);

  clear.set_period_id("avl_9");
  EXPECT_THAT(ApplyClearAvailability(calendar, clear, kNow).status(),
              HasCodeAndPrefix(absl::StatusCode::kNotFound, "period_id: "));
  // A period that has ended is no longer in the calendar.
  clear.set_period_id("avl_1");
  EXPECT_THAT(ApplyClearAvailability(calendar, clear, kNow + absl::Hours(1)).status(),
              HasCodeAndPrefix(absl::StatusCode::kNotFound, "period_id: "));
}

TEST(CalendarTest, FirstEndIsTheSoonestUntilRoundedUpToTheMillisecond) {
  AvailabilityCalendar calendar = NewCalendar("rsp_000001");
  EXPECT_EQ(FirstEndMillis(calendar), std::nullopt);
  calendar = *ApplySetAvailability(calendar, Period(kNow, kNow + absl::Hours(5)), "avl_1", kNow);
  calendar = *ApplySetAvailability(
      calendar, Period(kNow, kNow + absl::Hours(1) + absl::Microseconds(1)), "avl_2", kNow);
  // One microsecond past a millisecond: due at the next one, when it has really ended.
  EXPECT_EQ(FirstEndMillis(calendar), absl::ToUnixMillis(kNow + absl::Hours(1)) + 1);
}

// --- Experience ---

relais::v1::RecordExperienceRequest Mission(absl::Time started, absl::Time ended,
                                            const std::string& assignment_id = "") {
  relais::v1::RecordExperienceRequest request;
  request.set_request_id("r-5");
  request.set_responder_id("rsp_000001");
  relais::v1::Mission& mission = *request.mutable_mission();
  mission.set_kind(relais::v1::CRISIS_KIND_EPIDEMIC);
  mission.set_role_code("nurse");
  mission.set_place("CD");
  *mission.mutable_started_at() = ToProtoTime(started);
  *mission.mutable_ended_at() = ToProtoTime(ended);
  mission.set_assignment_id(assignment_id);
  return request;
}

TEST(ExperienceValidationTest, EveryInvalidFieldIsNamed) {
  using R = relais::v1::RecordExperienceRequest;
  struct Case {
    std::string path;
    std::function<void(R&)> spoil;
  };
  const auto m = [](R& r) { return r.mutable_mission(); };
  const std::vector<Case> cases = {
      {"request_id", [](R& r) { r.clear_request_id(); }},
      {"responder_id", [](R& r) { r.set_responder_id("rsp 1"); }},
      {"mission", [](R& r) { r.clear_mission(); }},
      {"mission.kind", [&](R& r) { m(r)->set_kind(relais::v1::CRISIS_KIND_UNSPECIFIED); }},
      {"mission.kind", [&](R& r) { m(r)->set_kind(static_cast<relais::v1::CrisisKind>(999)); }},
      {"mission.role_code", [&](R& r) { m(r)->clear_role_code(); }},
      {"mission.role_code", [&](R& r) { m(r)->set_role_code("astronaut"); }},
      {"mission.place", [&](R& r) { m(r)->clear_place(); }},
      {"mission.place", [&](R& r) { m(r)->set_place("   "); }},
      {"mission.place", [&](R& r) { m(r)->set_place(std::string(101, 'p')); }},
      {"mission.started_at", [&](R& r) { m(r)->clear_started_at(); }},
      {"mission.started_at", [&](R& r) { m(r)->mutable_started_at()->set_nanos(-1); }},
      {"mission.ended_at", [&](R& r) { m(r)->clear_ended_at(); }},
      {"mission.ended_at", [&](R& r) { *m(r)->mutable_ended_at() = m(r)->started_at(); }},
      {"mission.ended_at",
       [&](R& r) { *m(r)->mutable_ended_at() = ToProtoTime(kNow - absl::Hours(24 * 400)); }},
      {"mission.assignment_id", [&](R& r) { m(r)->set_assignment_id("asg 1"); }},
      {"mission.assignment_id", [&](R& r) { m(r)->set_assignment_id(std::string(129, 'a')); }},
  };
  const R valid = Mission(kNow - absl::Hours(24 * 30), kNow - absl::Hours(24), "asg_01:x-1.2");
  ASSERT_TRUE(ValidateRecordExperience(valid, TestCatalogue()).ok());
  for (const Case& c : cases) {
    R request = valid;
    c.spoil(request);
    EXPECT_THAT(ValidateRecordExperience(request, TestCatalogue()), IsInvalidAt(c.path))
        << "expected an error at " << c.path;
  }
  R at_limits = valid;
  at_limits.mutable_mission()->set_place(std::string(100, 'p'));
  at_limits.mutable_mission()->set_assignment_id(std::string(128, 'a'));
  EXPECT_TRUE(ValidateRecordExperience(at_limits, TestCatalogue()).ok());
}

TEST(ExperienceTest, MissionsAreAddedOldestFirstAndAnAssignmentOnlyOnce) {
  Responder responder = NewResponder(ValidResponder(), "rsp_000001", "org_000001", kNow);
  const absl::Time t0 = kNow - absl::Hours(24 * 100);
  auto next = ApplyRecordExperience(responder, Mission(t0, t0 + absl::Hours(24 * 10), "asg_1"),
                                    kNow + absl::Minutes(1));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->version(), 2);
  EXPECT_EQ(FromProtoTime(next->updated_at()), kNow + absl::Minutes(1));
  ASSERT_EQ(next->experience_size(), 1);
  EXPECT_EQ(next->experience(0).assignment_id(), "asg_1");

  // The same assignment again: nothing to change.
  EXPECT_FALSE(
      ApplyRecordExperience(*next, Mission(t0, t0 + absl::Hours(1), "asg_1"), kNow).has_value());
  // Without an assignment id, each record is a mission of its own.
  next = ApplyRecordExperience(*next, Mission(t0 + absl::Hours(24 * 20), t0 + absl::Hours(24 * 30)),
                               kNow);
  next = ApplyRecordExperience(*next, Mission(t0 + absl::Hours(24 * 20), t0 + absl::Hours(24 * 30)),
                               kNow);
  ASSERT_EQ(next->experience_size(), 3);
  // Recorded late, an older mission takes its place among them.
  next = ApplyRecordExperience(*next, Mission(t0 - absl::Hours(48), t0 - absl::Hours(24), "asg_0"),
                               kNow);
  ASSERT_EQ(next->experience_size(), 4);
  EXPECT_EQ(next->experience(0).assignment_id(), "asg_0");
  EXPECT_EQ(next->experience(1).assignment_id(), "asg_1");
  EXPECT_EQ(next->version(), 5);
}

TEST(ExperienceTest, TheNewestFiftyAreKept) {
  Responder responder = NewResponder(ValidResponder(), "rsp_000001", "org_000001", kNow);
  const absl::Time t0 = kNow - absl::Hours(24 * 1000);
  for (int i = 0; i < kMaxExperience + 5; ++i) {
    const absl::Time start = t0 + absl::Hours(24 * 10 * i);
    responder = *ApplyRecordExperience(
        responder, Mission(start, start + absl::Hours(24), absl::StrCat("asg_", i)), kNow);
  }
  ASSERT_EQ(responder.experience_size(), kMaxExperience);
  EXPECT_EQ(responder.experience(0).assignment_id(), "asg_5");
  EXPECT_EQ(responder.experience(kMaxExperience - 1).assignment_id(), "asg_54");
}

TEST(ExperienceTest, RegisterAndUpdateLeaveTheExperienceToTheServer) {
  RegisterResponderRequest request = ValidResponder();
  *request.mutable_responder()->add_experience() =
      Mission(kNow - absl::Hours(48), kNow - absl::Hours(24)).mission();
  ASSERT_TRUE(ValidateRegisterResponder(request, TestCatalogue()).ok());
  Responder responder = NewResponder(request, "rsp_000001", "org_000001", kNow);
  EXPECT_EQ(responder.experience_size(), 0);

  absl::Status masked = ValidateUpdateResponder(ResponderUpdate({"experience"}), TestCatalogue());
  EXPECT_THAT(masked, IsInvalidAt("update_mask"));
  EXPECT_THAT(masked.message(), HasSubstr("RecordExperience"));

  responder = *ApplyRecordExperience(
      responder, Mission(kNow - absl::Hours(48), kNow - absl::Hours(24), "asg_1"), kNow);
  UpdateResponderRequest update = ResponderUpdate({"max_deployment_days"});
  update.mutable_responder()->set_max_deployment_days(30);
  update.mutable_responder()->clear_experience();
  Responder updated = ApplyUpdateResponder(responder, update, kNow);
  ASSERT_EQ(updated.experience_size(), 1);
  EXPECT_EQ(updated.experience(0).assignment_id(), "asg_1");
}

TEST(ShortDisplayNameTest, FirstWordAndTheInitialOfTheLast) {
  EXPECT_EQ(ShortDisplayName("Léa Martin"), "Léa M.");
  EXPECT_EQ(ShortDisplayName("Jean-Pierre de La Tour"), "Jean-Pierre T.");
  EXPECT_EQ(ShortDisplayName("  Zoé   Élise  Écuyer "), "Zoé É.");  // a two-byte initial
  EXPECT_EQ(ShortDisplayName("Amina"), "Amina");
  EXPECT_EQ(ShortDisplayName("   "), "");
  EXPECT_EQ(ShortDisplayName(""), "");
}

// What a dashboard sees of a responder (access_policy.h, kReduced): enough for a crisis room.
TEST(ReduceResponderTest, KeepsSkillsAndARoundedHomeBaseClearsPersonalData) {
  Responder r;
  r.set_id("rsp_1");
  r.set_version(3);
  r.set_organisation_id("org_1");
  r.set_external_ref("CRF-0042");
  r.set_display_name("Camille Exemple");
  auto* skill = r.add_skills();
  skill->set_code("nurse");
  skill->set_level(3);
  r.add_languages("fr");
  r.add_certifications()->set_code("yellow-fever-vaccination");
  r.mutable_travel()->set_passport_country("FR");
  r.mutable_home_base()->set_lat(45.76441);
  r.mutable_home_base()->set_lon(4.83567);
  r.set_home_commune("Lyon 3e");
  r.set_max_deployment_days(14);
  auto* contact = r.add_contacts();
  contact->set_kind(relais::v1::CONTACT_KIND_EMAIL);
  contact->set_address("camille@example.org");
  r.add_experience()->set_place("Kalemie");

  ReduceResponder(&r);
  EXPECT_EQ(r.id(), "rsp_1");
  EXPECT_EQ(r.version(), 3);
  EXPECT_EQ(r.organisation_id(), "org_1");
  ASSERT_EQ(r.skills_size(), 1);
  EXPECT_EQ(r.skills(0).code(), "nurse");
  EXPECT_EQ(r.languages_size(), 1);
  EXPECT_EQ(r.max_deployment_days(), 14);
  EXPECT_NEAR(r.home_base().lat(), 45.76, 1e-9);
  EXPECT_NEAR(r.home_base().lon(), 4.84, 1e-9);
  EXPECT_EQ(r.display_name(), "Camille E.");
  EXPECT_EQ(r.external_ref(), "");
  EXPECT_EQ(r.contacts_size(), 0);
  EXPECT_EQ(r.certifications_size(), 0);
  EXPECT_FALSE(r.has_travel());
  EXPECT_EQ(r.home_commune(), "");
  EXPECT_EQ(r.experience_size(), 0);
  // Nothing else of the personal strings is left anywhere in the message (the family name only as
  // its initial).
  const std::string bytes = r.SerializeAsString();
  for (const char* secret : {"Exemple", "camille@", "CRF-0042", "Lyon 3e", "Kalemie", "yellow"}) {
    EXPECT_FALSE(absl::StrContains(bytes, secret)) << secret;
  }
}

}  // namespace
}  // namespace relais::inventory
