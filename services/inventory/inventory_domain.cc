#include "services/inventory/inventory_domain.h"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/runtime/proto_time.h"
#include "services/runtime/status_macros.h"
#include "services/runtime/validation.h"

// Local to this file: returns the first failed check.
namespace relais::inventory {
namespace {

using relais::v1::AvailabilityCalendar;
using relais::v1::AvailabilityPeriod;
using relais::v1::Organisation;
using relais::v1::Responder;

// --- Masks ---

const UpdateMaskRules& OrganisationMaskRules() {
  static const auto* const rules = new UpdateMaskRules{
      {"name", "kind", "domains", "commune", "location", "contact", "description", "external_ref"},
      {
          {"id", "it is set by the server"},
          {"version", "it is set by the server"},
          {"created_at", "it is set by the server"},
          {"updated_at", "it is set by the server"},
          {"location.lat", "update the whole 'location'"},
          {"location.lon", "update the whole 'location'"},
          {"contact.email", "update the whole 'contact'"},
          {"contact.phone", "update the whole 'contact'"},
          {"contact.website", "update the whole 'contact'"},
      }};
  return *rules;
}

const UpdateMaskRules& ResponderMaskRules() {
  static const auto* const rules = new UpdateMaskRules{
      {"external_ref", "display_name", "skills", "languages", "certifications", "travel",
       "home_base", "home_commune", "max_deployment_days", "contacts"},
      {
          {"id", "it is set by the server"},
          {"version", "it is set by the server"},
          {"organisation_id", "a responder stays with the organisation that registered them"},
          {"created_at", "it is set by the server"},
          {"updated_at", "it is set by the server"},
          {"experience", "it is changed by RecordExperience only"},
          {"home_base.lat", "update the whole 'home_base'"},
          {"home_base.lon", "update the whole 'home_base'"},
          {"travel.passport_valid_until", "update the whole 'travel'"},
          {"travel.passport_country", "update the whole 'travel'"},
      }};
  return *rules;
}

// --- Field checks ---

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c); }
bool HasSpace(std::string_view value) {
  return std::any_of(value.begin(), value.end(), [](char c) { return c == ' '; });
}

absl::Status CheckGeoPoint(const FieldPath& path, bool present, const relais::v1::GeoPoint& p) {
  RETURN_IF_ERROR(CheckPresent(path, present));
  RETURN_IF_ERROR(CheckDoubleRange(path.Field("lat"), p.lat(), -90, 90));
  return CheckDoubleRange(path.Field("lon"), p.lon(), -180, 180);
}

absl::Status CheckCommune(const FieldPath& path, std::string_view commune, bool required) {
  return required ? CheckRequiredText(path, commune, kMaxCommuneChars)
                  : CheckOptionalText(path, commune, kMaxCommuneChars);
}

// An e-mail address: one line, no spaces, something on both sides of one '@'.
absl::Status CheckEmail(const FieldPath& path, std::string_view value) {
  RETURN_IF_ERROR(CheckRequiredText(path, value, kMaxEmailChars));
  const size_t at = value.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == value.size() ||
      value.find('@', at + 1) != std::string_view::npos || HasSpace(value)) {
    return InvalidField(path, "is not an e-mail address (expected name@domain)");
  }
  return absl::OkStatus();
}

// E.164 style: '+' then 6 to 15 digits.
absl::Status CheckPhone(const FieldPath& path, std::string_view value) {
  if (value.empty()) return InvalidField(path, "is required");
  const std::string_view digits = value.substr(1);
  const bool well_formed = value[0] == '+' && digits.size() >= kMinPhoneDigits &&
                           digits.size() <= kMaxPhoneDigits &&
                           std::all_of(digits.begin(), digits.end(), IsDigit);
  if (!well_formed) {
    return InvalidField(path, absl::StrCat(Quoted(value),
                                           " is not an E.164 phone number ('+' then 6 to 15 "
                                           "digits, e.g. '+33478000000')"));
  }
  return absl::OkStatus();
}

absl::Status CheckWebsite(const FieldPath& path, std::string_view value) {
  RETURN_IF_ERROR(CheckRequiredText(path, value, kMaxWebsiteChars));
  constexpr std::string_view kScheme = "https://";
  if (value.substr(0, kScheme.size()) != kScheme || value.size() == kScheme.size() ||
      HasSpace(value)) {
    return InvalidField(path, "must be an https:// URL");
  }
  return absl::OkStatus();
}

absl::Status CheckPublicContact(const FieldPath& path, const relais::v1::PublicContact& contact) {
  if (!contact.email().empty()) RETURN_IF_ERROR(CheckEmail(path.Field("email"), contact.email()));
  if (!contact.phone().empty()) RETURN_IF_ERROR(CheckPhone(path.Field("phone"), contact.phone()));
  if (!contact.website().empty()) {
    RETURN_IF_ERROR(CheckWebsite(path.Field("website"), contact.website()));
  }
  return absl::OkStatus();
}

absl::Status CheckDomains(const FieldPath& path,
                          const google::protobuf::RepeatedField<int>& domains) {
  if (domains.empty()) return InvalidField(path, "must name at least one domain");
  RETURN_IF_ERROR(CheckMaxCount(path, domains.size(), kMaxDomains));
  for (int i = 0; i < domains.size(); ++i) {
    RETURN_IF_ERROR(CheckRequiredEnum(path.Index(i), domains[i], &relais::v1::Domain_IsValid));
    for (int j = 0; j < i; ++j) {
      if (domains[j] == domains[i]) {
        return InvalidField(path.Index(i),
                            absl::StrCat("duplicate ", relais::v1::Domain_Name(domains[i])));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status CheckOrganisationName(const FieldPath& path, std::string_view name) {
  return CheckText(path, name, kMinOrganisationNameChars, kMaxOrganisationNameChars);
}

absl::Status CheckOrganisationDescription(const FieldPath& path, std::string_view description) {
  return CheckOptionalText(path, description, kMaxOrganisationDescriptionChars,
                           TextKind::kMultiLine);
}

absl::Status CheckOrganisationId(const FieldPath& path, std::string_view id) {
  return CheckResourceId(path, id);
}

absl::Status CheckDisplayName(const FieldPath& path, std::string_view name) {
  return CheckText(path, name, kMinDisplayNameChars, kMaxDisplayNameChars);
}

absl::Status CheckSkills(const FieldPath& path,
                         const google::protobuf::RepeatedPtrField<relais::v1::SkillLevel>& skills,
                         const Catalogue& catalogue) {
  if (skills.empty()) return InvalidField(path, "must name at least one skill");
  RETURN_IF_ERROR(CheckMaxCount(path, skills.size(), kMaxSkills));
  for (int i = 0; i < skills.size(); ++i) {
    const FieldPath entry = path.Index(i);
    const std::string& code = skills[i].code();
    if (code.empty()) return InvalidField(entry.Field("code"), "is required");
    if (!catalogue.Has(relais::v1::RESOURCE_KIND_SKILL, code)) {
      return InvalidField(entry.Field("code"),
                          absl::StrCat(Quoted(code), " is not a skill in the catalogue"));
    }
    for (int j = 0; j < i; ++j) {
      if (skills[j].code() == code) {
        return InvalidField(entry.Field("code"), absl::StrCat("duplicate ", Quoted(code)));
      }
    }
    RETURN_IF_ERROR(CheckIntRange(entry.Field("level"), skills[i].level(), 1, kMaxLevel));
  }
  return absl::OkStatus();
}

absl::Status CheckLanguages(const FieldPath& path,
                            const google::protobuf::RepeatedPtrField<std::string>& languages) {
  RETURN_IF_ERROR(CheckMaxCount(path, languages.size(), kMaxLanguages));
  for (int i = 0; i < languages.size(); ++i) {
    RETURN_IF_ERROR(CheckLanguageCode(path.Index(i), languages[i]));
    for (int j = 0; j < i; ++j) {
      if (languages[j] == languages[i]) {
        return InvalidField(path.Index(i), absl::StrCat("duplicate ", Quoted(languages[i])));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status CheckCertifications(
    const FieldPath& path,
    const google::protobuf::RepeatedPtrField<relais::v1::HeldCertification>& certifications,
    const Catalogue& catalogue) {
  RETURN_IF_ERROR(CheckMaxCount(path, certifications.size(), kMaxCertifications));
  for (int i = 0; i < certifications.size(); ++i) {
    const FieldPath entry = path.Index(i);
    const std::string& code = certifications[i].code();
    if (code.empty()) return InvalidField(entry.Field("code"), "is required");
    if (!catalogue.HasCertification(code)) {
      return InvalidField(entry.Field("code"),
                          absl::StrCat(Quoted(code), " is not a certification in the catalogue"));
    }
    for (int j = 0; j < i; ++j) {
      if (certifications[j].code() == code) {
        return InvalidField(entry.Field("code"), absl::StrCat("duplicate ", Quoted(code)));
      }
    }
    if (certifications[i].has_valid_until()) {
      RETURN_IF_ERROR(CheckTimestamp(entry.Field("valid_until"), certifications[i].valid_until()));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckTravel(const FieldPath& path, const relais::v1::TravelReadiness& travel) {
  if (travel.has_passport_valid_until()) {
    RETURN_IF_ERROR(
        CheckTimestamp(path.Field("passport_valid_until"), travel.passport_valid_until()));
    return CheckCountryCode(path.Field("passport_country"), travel.passport_country());
  }
  if (!travel.passport_country().empty()) {
    return InvalidField(path.Field("passport_country"),
                        "must be empty when there is no passport (passport_valid_until unset)");
  }
  return absl::OkStatus();
}

absl::Status CheckMaxDeploymentDays(const FieldPath& path, int32_t days) {
  return CheckIntRange(path, days, 1, kMaxDeploymentDays);
}

absl::Status CheckContacts(
    const FieldPath& path,
    const google::protobuf::RepeatedPtrField<relais::v1::ContactChannel>& contacts) {
  if (contacts.empty()) return InvalidField(path, "must have at least one contact channel");
  RETURN_IF_ERROR(CheckMaxCount(path, contacts.size(), kMaxContacts));
  for (int i = 0; i < contacts.size(); ++i) {
    const FieldPath entry = path.Index(i);
    const relais::v1::ContactChannel& contact = contacts[i];
    RETURN_IF_ERROR(
        CheckRequiredEnum(entry.Field("kind"), contact.kind(), &relais::v1::ContactKind_IsValid));
    const FieldPath address = entry.Field("address");
    RETURN_IF_ERROR(CheckRequiredText(address, contact.address(), kMaxContactAddressChars));
    if (contact.kind() == relais::v1::CONTACT_KIND_EMAIL) {
      RETURN_IF_ERROR(CheckEmail(address, contact.address()));
    } else {
      RETURN_IF_ERROR(CheckPhone(address, contact.address()));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckResponderId(std::string_view id) { return CheckResourceId("responder_id", id); }

absl::Status CheckPageToken(std::string_view token) {
  return CheckOptionalText("page_token", token, kMaxPageTokenChars);
}

// --- Versions ---

template <class T>
T NextVersion(const T& current, absl::Time now) {
  T next = current;
  next.set_version(current.version() + 1);
  *next.mutable_updated_at() = ToProtoTime(now);
  return next;
}

// Periods by start, then end, then id (ids are time-ordered): a stable order for callers.
void SortPeriods(AvailabilityCalendar& calendar) {
  auto* periods = calendar.mutable_periods();
  std::sort(periods->begin(), periods->end(),
            [](const AvailabilityPeriod& a, const AvailabilityPeriod& b) {
              const auto key = [](const AvailabilityPeriod& p) {
                return std::make_tuple(p.from().seconds(), p.from().nanos(), p.until().seconds(),
                                       p.until().nanos());
              };
              if (key(a) != key(b)) return key(a) < key(b);
              return a.id() < b.id();
            });
}

void DropEnded(AvailabilityCalendar& calendar, absl::Time now) {
  auto* periods = calendar.mutable_periods();
  periods->erase(std::remove_if(periods->begin(), periods->end(),
                                [now](const AvailabilityPeriod& p) { return HasEnded(p, now); }),
                 periods->end());
}

// Appends the UTF-8 encoding of a code point below U+0800.
void AppendTwoByteOrAscii(std::string& out, int code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
    return;
  }
  out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
  out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
}

// Simple lower case of U+00C0..U+017F (Latin-1 Supplement letters and Latin Extended-A).
int LowerLatin(int cp) {
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 0x20;
  if (cp == 0x130) return 'i';
  if (cp == 0x178) return 0xFF;
  const bool even_upper = (cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177);
  const bool odd_upper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
  if ((even_upper && cp % 2 == 0) || (odd_upper && cp % 2 == 1)) return cp + 1;
  return cp;
}

}  // namespace

absl::Status CheckExternalRef(const FieldPath& path, std::string_view value) {
  if (value.empty()) return absl::OkStatus();
  bool well_formed = value.size() <= static_cast<size_t>(kMaxExternalRefChars);
  for (char c : value) {
    well_formed = well_formed &&
                  (IsAsciiAlnum(c) || c == '.' || c == '_' || c == ':' || c == '/' || c == '-');
  }
  if (!well_formed) {
    return InvalidField(path, "must be at most 64 characters from [A-Za-z0-9._:/-]");
  }
  return absl::OkStatus();
}

std::string FoldCase(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 'A' && byte <= 'Z') {
      out.push_back(static_cast<char>(byte - 'A' + 'a'));
    } else if ((byte == 0xC3 || byte == 0xC4 || byte == 0xC5) && i + 1 < text.size() &&
               (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) {
      const int cp = ((byte & 0x1F) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3F);
      AppendTwoByteOrAscii(out, LowerLatin(cp));
      ++i;
    } else {
      out.push_back(static_cast<char>(byte));
    }
  }
  return out;
}

// --- Organisations ---

absl::Status ValidateRegisterOrganisation(const relais::v1::RegisterOrganisationRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckPresent("organisation", request.has_organisation()));
  const Organisation& org = request.organisation();
  const FieldPath path("organisation");
  RETURN_IF_ERROR(CheckOrganisationName(path.Field("name"), org.name()));
  RETURN_IF_ERROR(
      CheckRequiredEnum(path.Field("kind"), org.kind(), &relais::v1::OrganisationKind_IsValid));
  RETURN_IF_ERROR(CheckDomains(path.Field("domains"), org.domains()));
  RETURN_IF_ERROR(CheckCommune(path.Field("commune"), org.commune(), /*required=*/true));
  RETURN_IF_ERROR(CheckGeoPoint(path.Field("location"), org.has_location(), org.location()));
  RETURN_IF_ERROR(CheckPublicContact(path.Field("contact"), org.contact()));
  RETURN_IF_ERROR(CheckExternalRef(path.Field("external_ref"), org.external_ref()));
  return CheckOrganisationDescription(path.Field("description"), org.description());
}

absl::Status ValidateGetOrganisation(const relais::v1::GetOrganisationRequest& request) {
  return CheckOrganisationId("organisation_id", request.organisation_id());
}

absl::Status ValidateUpdateOrganisation(const relais::v1::UpdateOrganisationRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckOrganisationId("organisation_id", request.organisation_id()));
  RETURN_IF_ERROR(CheckExpectedVersionField("expected_version", request.expected_version()));
  RETURN_IF_ERROR(CheckUpdateMask(request.update_mask(), OrganisationMaskRules()));
  const Organisation& value = request.organisation();
  const FieldPath org("organisation");
  for (const std::string& path : request.update_mask().paths()) {
    const FieldPath field = org.Field(path);
    absl::Status status;
    if (path == "name") {
      status = CheckOrganisationName(field, value.name());
    } else if (path == "kind") {
      status = CheckRequiredEnum(field, value.kind(), &relais::v1::OrganisationKind_IsValid);
    } else if (path == "domains") {
      status = CheckDomains(field, value.domains());
    } else if (path == "commune") {
      status = CheckCommune(field, value.commune(), /*required=*/true);
    } else if (path == "location") {
      status = CheckGeoPoint(field, value.has_location(), value.location());
    } else if (path == "contact") {
      status = CheckPublicContact(field, value.contact());
    } else if (path == "description") {
      status = CheckOrganisationDescription(field, value.description());
    } else if (path == "external_ref") {
      status = CheckExternalRef(field, value.external_ref());
    }
    RETURN_IF_ERROR(status);
  }
  return absl::OkStatus();
}

absl::Status ValidateListOrganisations(const relais::v1::ListOrganisationsRequest& request) {
  RETURN_IF_ERROR(CheckOptionalEnum("kind", request.kind(), &relais::v1::OrganisationKind_IsValid));
  RETURN_IF_ERROR(CheckOptionalEnum("domain", request.domain(), &relais::v1::Domain_IsValid));
  RETURN_IF_ERROR(CheckCommune("commune", request.commune(), /*required=*/false));
  RETURN_IF_ERROR(CheckPageSize(request.page_size()).status());
  return CheckPageToken(request.page_token());
}

Organisation NewOrganisation(const relais::v1::RegisterOrganisationRequest& request,
                             std::string organisation_id, absl::Time now) {
  Organisation org = request.organisation();
  org.set_id(std::move(organisation_id));
  org.set_version(1);
  *org.mutable_created_at() = ToProtoTime(now);
  *org.mutable_updated_at() = ToProtoTime(now);
  return org;
}

Organisation ApplyUpdateOrganisation(const Organisation& current,
                                     const relais::v1::UpdateOrganisationRequest& request,
                                     absl::Time now) {
  const Organisation& value = request.organisation();
  Organisation next = NextVersion(current, now);
  for (const std::string& path : request.update_mask().paths()) {
    if (path == "name") {
      next.set_name(value.name());
    } else if (path == "kind") {
      next.set_kind(value.kind());
    } else if (path == "domains") {
      *next.mutable_domains() = value.domains();
    } else if (path == "commune") {
      next.set_commune(value.commune());
    } else if (path == "location") {
      *next.mutable_location() = value.location();
    } else if (path == "contact") {
      if (value.has_contact()) {
        *next.mutable_contact() = value.contact();
      } else {
        next.clear_contact();
      }
    } else if (path == "description") {
      next.set_description(value.description());
    } else if (path == "external_ref") {
      next.set_external_ref(value.external_ref());
    }
  }
  return next;
}

// --- Responders ---

absl::Status ValidateRegisterResponder(const relais::v1::RegisterResponderRequest& request,
                                       const Catalogue& catalogue) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckPresent("responder", request.has_responder()));
  const Responder& r = request.responder();
  const FieldPath path("responder");
  RETURN_IF_ERROR(CheckExternalRef(path.Field("external_ref"), r.external_ref()));
  RETURN_IF_ERROR(CheckDisplayName(path.Field("display_name"), r.display_name()));
  RETURN_IF_ERROR(CheckSkills(path.Field("skills"), r.skills(), catalogue));
  RETURN_IF_ERROR(CheckLanguages(path.Field("languages"), r.languages()));
  RETURN_IF_ERROR(CheckCertifications(path.Field("certifications"), r.certifications(), catalogue));
  RETURN_IF_ERROR(CheckTravel(path.Field("travel"), r.travel()));
  RETURN_IF_ERROR(CheckGeoPoint(path.Field("home_base"), r.has_home_base(), r.home_base()));
  RETURN_IF_ERROR(CheckCommune(path.Field("home_commune"), r.home_commune(), /*required=*/false));
  RETURN_IF_ERROR(
      CheckMaxDeploymentDays(path.Field("max_deployment_days"), r.max_deployment_days()));
  return CheckContacts(path.Field("contacts"), r.contacts());
}

absl::Status ValidateGetResponder(const relais::v1::GetResponderRequest& request) {
  return CheckResponderId(request.responder_id());
}

absl::Status ValidateUpdateResponder(const relais::v1::UpdateResponderRequest& request,
                                     const Catalogue& catalogue) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckResponderId(request.responder_id()));
  RETURN_IF_ERROR(CheckExpectedVersionField("expected_version", request.expected_version()));
  RETURN_IF_ERROR(CheckUpdateMask(request.update_mask(), ResponderMaskRules()));
  const Responder& value = request.responder();
  const FieldPath responder("responder");
  for (const std::string& path : request.update_mask().paths()) {
    const FieldPath field = responder.Field(path);
    absl::Status status;
    if (path == "external_ref") {
      status = CheckExternalRef(field, value.external_ref());
    } else if (path == "display_name") {
      status = CheckDisplayName(field, value.display_name());
    } else if (path == "skills") {
      status = CheckSkills(field, value.skills(), catalogue);
    } else if (path == "languages") {
      status = CheckLanguages(field, value.languages());
    } else if (path == "certifications") {
      status = CheckCertifications(field, value.certifications(), catalogue);
    } else if (path == "travel") {
      status = CheckTravel(field, value.travel());
    } else if (path == "home_base") {
      status = CheckGeoPoint(field, value.has_home_base(), value.home_base());
    } else if (path == "home_commune") {
      status = CheckCommune(field, value.home_commune(), /*required=*/false);
    } else if (path == "max_deployment_days") {
      status = CheckMaxDeploymentDays(field, value.max_deployment_days());
    } else if (path == "contacts") {
      status = CheckContacts(field, value.contacts());
    }
    RETURN_IF_ERROR(status);
  }
  return absl::OkStatus();
}

absl::Status ValidateListResponders(const relais::v1::ListRespondersRequest& request) {
  RETURN_IF_ERROR(CheckOrganisationId("organisation_id", request.organisation_id()));
  RETURN_IF_ERROR(CheckPageSize(request.page_size()).status());
  return CheckPageToken(request.page_token());
}

absl::Status ValidateRemoveResponder(const relais::v1::RemoveResponderRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  return CheckResponderId(request.responder_id());
}

absl::StatusOr<std::string> CallerOrganisation(const Principal& caller) {
  if (caller.organisation_id.empty()) {
    return absl::FailedPreconditionError("caller acts for no organisation");
  }
  if (!CheckResourceId("organisation", caller.organisation_id).ok()) {
    return absl::FailedPreconditionError(
        "caller acts for no organisation (its organisation is not an id)");
  }
  return caller.organisation_id;
}

Responder NewResponder(const relais::v1::RegisterResponderRequest& request,
                       std::string responder_id, std::string organisation_id, absl::Time now) {
  Responder responder = request.responder();
  responder.set_id(std::move(responder_id));
  responder.set_version(1);
  responder.set_organisation_id(std::move(organisation_id));
  responder.clear_experience();
  *responder.mutable_created_at() = ToProtoTime(now);
  *responder.mutable_updated_at() = ToProtoTime(now);
  return responder;
}

Responder ApplyUpdateResponder(const Responder& current,
                               const relais::v1::UpdateResponderRequest& request, absl::Time now) {
  const Responder& value = request.responder();
  Responder next = NextVersion(current, now);
  for (const std::string& path : request.update_mask().paths()) {
    if (path == "external_ref") {
      next.set_external_ref(value.external_ref());
    } else if (path == "display_name") {
      next.set_display_name(value.display_name());
    } else if (path == "skills") {
      *next.mutable_skills() = value.skills();
    } else if (path == "languages") {
      *next.mutable_languages() = value.languages();
    } else if (path == "certifications") {
      *next.mutable_certifications() = value.certifications();
    } else if (path == "travel") {
      if (value.has_travel()) {
        *next.mutable_travel() = value.travel();
      } else {
        next.clear_travel();
      }
    } else if (path == "home_base") {
      *next.mutable_home_base() = value.home_base();
    } else if (path == "home_commune") {
      next.set_home_commune(value.home_commune());
    } else if (path == "max_deployment_days") {
      next.set_max_deployment_days(value.max_deployment_days());
    } else if (path == "contacts") {
      *next.mutable_contacts() = value.contacts();
    }
  }
  return next;
}

// --- Experience ---

absl::Status ValidateRecordExperience(const relais::v1::RecordExperienceRequest& request,
                                      const Catalogue& catalogue) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckResponderId(request.responder_id()));
  RETURN_IF_ERROR(CheckPresent("mission", request.has_mission()));
  const relais::v1::Mission& mission = request.mission();
  const FieldPath path("mission");
  RETURN_IF_ERROR(
      CheckRequiredEnum(path.Field("kind"), mission.kind(), &relais::v1::CrisisKind_IsValid));
  const FieldPath role = path.Field("role_code");
  if (mission.role_code().empty()) return InvalidField(role, "is required");
  if (!catalogue.Has(relais::v1::RESOURCE_KIND_SKILL, mission.role_code())) {
    return InvalidField(
        role, absl::StrCat(Quoted(mission.role_code()), " is not a skill in the catalogue"));
  }
  RETURN_IF_ERROR(CheckRequiredText(path.Field("place"), mission.place(), kMaxPlaceChars));
  RETURN_IF_ERROR(CheckPresent(path.Field("started_at"), mission.has_started_at()));
  RETURN_IF_ERROR(CheckTimestamp(path.Field("started_at"), mission.started_at()));
  const FieldPath ended = path.Field("ended_at");
  RETURN_IF_ERROR(CheckPresent(ended, mission.has_ended_at()));
  RETURN_IF_ERROR(CheckTimestamp(ended, mission.ended_at()));
  if (FromProtoTime(mission.ended_at()) <= FromProtoTime(mission.started_at())) {
    return InvalidField(ended, "must be after mission.started_at");
  }
  if (!mission.assignment_id().empty()) {
    // The mobilisation service's ids follow the request id alphabet.
    RETURN_IF_ERROR(CheckRequestId(mission.assignment_id(), path.Field("assignment_id")));
  }
  return absl::OkStatus();
}

std::optional<Responder> ApplyRecordExperience(const Responder& current,
                                               const relais::v1::RecordExperienceRequest& request,
                                               absl::Time now) {
  const relais::v1::Mission& mission = request.mission();
  if (!mission.assignment_id().empty()) {
    for (const relais::v1::Mission& recorded : current.experience()) {
      if (recorded.assignment_id() == mission.assignment_id()) return std::nullopt;
    }
  }
  Responder next = NextVersion(current, now);
  auto* experience = next.mutable_experience();
  // Oldest first by end: usually an append, but a late record of an older mission still lands
  // in its place, after the missions that ended no later than it.
  const absl::Time ended = FromProtoTime(mission.ended_at());
  int position = experience->size();
  while (position > 0 && FromProtoTime((*experience)[position - 1].ended_at()) > ended) {
    --position;
  }
  *experience->Add() = mission;
  for (int i = experience->size() - 1; i > position; --i) experience->SwapElements(i, i - 1);
  if (experience->size() > kMaxExperience) {
    experience->DeleteSubrange(0, experience->size() - kMaxExperience);
  }
  return next;
}

// --- Availability ---

absl::Status ValidateSetAvailability(const relais::v1::SetAvailabilityRequest& request,
                                     absl::Time now) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckResponderId(request.responder_id()));
  RETURN_IF_ERROR(CheckPresent("period", request.has_period()));
  const AvailabilityPeriod& period = request.period();
  const FieldPath path("period");
  RETURN_IF_ERROR(
      CheckRequiredEnum(path.Field("kind"), period.kind(), &relais::v1::AvailabilityKind_IsValid));
  RETURN_IF_ERROR(CheckPresent(path.Field("from"), period.has_from()));
  RETURN_IF_ERROR(CheckTimestamp(path.Field("from"), period.from()));
  const FieldPath until = path.Field("until");
  RETURN_IF_ERROR(CheckPresent(until, period.has_until()));
  RETURN_IF_ERROR(CheckTimestamp(until, period.until()));
  const absl::Time from_time = FromProtoTime(period.from());
  const absl::Time until_time = FromProtoTime(period.until());
  if (until_time <= from_time) return InvalidField(until, "must be after period.from");
  if (until_time - from_time > kMaxPeriodLength) {
    return InvalidField(until, "must be at most 400 days after period.from");
  }
  if (until_time <= now) {
    return InvalidField(
        until, absl::StrCat("the period has already ended (now is ",
                            absl::FormatTime(absl::RFC3339_sec, now, absl::UTCTimeZone()), ")"));
  }
  return CheckOptionalText(path.Field("note"), period.note(), kMaxNoteChars);
}

absl::Status ValidateClearAvailability(const relais::v1::ClearAvailabilityRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckResponderId(request.responder_id()));
  return CheckResourceId("period_id", request.period_id());
}

absl::Status ValidateGetAvailability(const relais::v1::GetAvailabilityRequest& request) {
  return CheckResponderId(request.responder_id());
}

AvailabilityCalendar NewCalendar(std::string responder_id) {
  AvailabilityCalendar calendar;
  calendar.set_responder_id(std::move(responder_id));
  calendar.set_version(1);
  return calendar;
}

bool HasEnded(const AvailabilityPeriod& period, absl::Time now) {
  return FromProtoTime(period.until()) <= now;
}

AvailabilityCalendar CurrentCalendar(const AvailabilityCalendar& stored, absl::Time now) {
  AvailabilityCalendar calendar = stored;
  DropEnded(calendar, now);
  return calendar;
}

std::optional<int64_t> FirstEndMillis(const AvailabilityCalendar& calendar) {
  std::optional<int64_t> first;
  for (const AvailabilityPeriod& period : calendar.periods()) {
    const int64_t nanos = absl::ToUnixNanos(FromProtoTime(period.until()));
    // Rounded up: the sweeper's "now" in whole milliseconds has then reached the end.
    const int64_t millis = nanos / 1'000'000 + (nanos % 1'000'000 > 0 ? 1 : 0);
    if (!first || millis < *first) first = millis;
  }
  return first;
}

absl::StatusOr<AvailabilityCalendar> ApplySetAvailability(
    const AvailabilityCalendar& current, const relais::v1::SetAvailabilityRequest& request,
    std::string period_id, absl::Time now) {
  AvailabilityCalendar next = current;
  next.set_version(current.version() + 1);
  DropEnded(next, now);
  if (next.periods_size() >= kMaxPeriods) {
    return absl::FailedPreconditionError(
        absl::StrCat("the calendar of responder ", current.responder_id(), " already holds ",
                     next.periods_size(), " periods, the most a calendar can hold"));
  }
  AvailabilityPeriod& period = *next.add_periods();
  period = request.period();
  period.set_id(std::move(period_id));
  SortPeriods(next);
  return next;
}

absl::StatusOr<AvailabilityCalendar> ApplyClearAvailability(
    const AvailabilityCalendar& current, const relais::v1::ClearAvailabilityRequest& request,
    absl::Time now) {
  AvailabilityCalendar next = current;
  next.set_version(current.version() + 1);
  DropEnded(next, now);
  auto* periods = next.mutable_periods();
  auto it = std::find_if(periods->begin(), periods->end(), [&](const AvailabilityPeriod& p) {
    return p.id() == request.period_id();
  });
  if (it == periods->end()) {
    return absl::NotFoundError(absl::StrCat("period_id: no period ", request.period_id(),
                                            " in the calendar of responder ",
                                            current.responder_id()));
  }
  periods->erase(it);
  return next;
}

std::string ShortDisplayName(std::string_view display_name) {
  std::vector<absl::string_view> words =
      absl::StrSplit(absl::string_view(display_name.data(), display_name.size()),
                     absl::ByAnyChar(" \t"), absl::SkipEmpty());
  if (words.empty()) return "";
  if (words.size() == 1) return std::string(words[0]);
  const absl::string_view last = words.back();
  // The initial is one whole UTF-8 character: its lead byte and the continuation bytes after it.
  size_t initial = 1;
  while (initial < last.size() && (static_cast<unsigned char>(last[initial]) & 0xC0) == 0x80) {
    ++initial;
  }
  return absl::StrCat(words[0], " ", last.substr(0, initial), ".");
}

void ReduceResponder(Responder* responder) {
  responder->set_display_name(ShortDisplayName(responder->display_name()));
  responder->clear_external_ref();
  responder->clear_contacts();
  responder->clear_travel();
  responder->clear_certifications();
  responder->clear_home_commune();
  responder->clear_experience();
  if (responder->has_home_base()) {
    auto coarse = [](double degrees) {
      return std::round(degrees / kReducedHomeBaseStep) * kReducedHomeBaseStep;
    };
    relais::v1::GeoPoint* base = responder->mutable_home_base();
    base->set_lat(coarse(base->lat()));
    base->set_lon(coarse(base->lon()));
  }
}

}  // namespace relais::inventory

#undef RETURN_IF_ERROR
