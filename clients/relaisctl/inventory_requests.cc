#include "clients/relaisctl/inventory_requests.h"

#include "absl/strings/str_join.h"
#include "clients/relaisctl/messages.h"
#include "clients/relaisctl/time_text.h"

namespace relais::cli {
namespace {

namespace v1 = relais::v1;

void CopyFields(const OrganisationFields& f, v1::Organisation& o) {
  if (f.name) o.set_name(*f.name);
  if (f.kind) o.set_kind(*f.kind);
  if (f.domains) {
    for (v1::Domain domain : *f.domains) o.add_domains(domain);
  }
  if (f.commune) o.set_commune(*f.commune);
  if (f.lat) o.mutable_location()->set_lat(*f.lat);
  if (f.lon) o.mutable_location()->set_lon(*f.lon);
  if (f.email) o.mutable_contact()->set_email(*f.email);
  if (f.phone) o.mutable_contact()->set_phone(*f.phone);
  if (f.website) o.mutable_contact()->set_website(*f.website);
  if (f.description) o.set_description(*f.description);
}

void CopyFields(const ResponderFields& f, v1::Responder& r) {
  if (f.external_ref) r.set_external_ref(*f.external_ref);
  if (f.name) r.set_display_name(*f.name);
  if (f.skills) {
    for (const v1::SkillLevel& skill : *f.skills) *r.add_skills() = skill;
  }
  if (f.languages) {
    for (const std::string& language : *f.languages) r.add_languages(language);
  }
  if (f.certifications) {
    for (const v1::HeldCertification& cert : *f.certifications) *r.add_certifications() = cert;
  }
  if (f.passport_until) {
    *r.mutable_travel()->mutable_passport_valid_until() = ToTimestamp(*f.passport_until);
  }
  if (f.passport_country) r.mutable_travel()->set_passport_country(*f.passport_country);
  if (f.lat) r.mutable_home_base()->set_lat(*f.lat);
  if (f.lon) r.mutable_home_base()->set_lon(*f.lon);
  if (f.commune) r.set_home_commune(*f.commune);
  if (f.max_days) r.set_max_deployment_days(*f.max_days);
  if (f.contacts) {
    for (const v1::ContactChannel& contact : *f.contacts) *r.add_contacts() = contact;
  }
}

// The flags of a group that replaces one field as a whole: all given, or none. Returns the
// missing ones when some but not all are given.
struct Flag {
  const char* name;
  bool given;
};

std::vector<std::string> Missing(std::initializer_list<Flag> group) {
  std::vector<std::string> missing;
  bool any = false;
  for (const Flag& flag : group) {
    any = any || flag.given;
    if (!flag.given) missing.push_back(flag.name);
  }
  return any ? missing : std::vector<std::string>();
}

bool AnyGiven(std::initializer_list<Flag> group) {
  for (const Flag& flag : group) {
    if (flag.given) return true;
  }
  return false;
}

}  // namespace

v1::RegisterOrganisationRequest BuildRegisterOrganisationRequest(const OrganisationFields& fields,
                                                                 const std::string& request_id) {
  v1::RegisterOrganisationRequest request;
  request.set_request_id(request_id);
  CopyFields(fields, *request.mutable_organisation());
  return request;
}

absl::StatusOr<v1::UpdateOrganisationRequest> BuildUpdateOrganisationRequest(
    const std::string& organisation_id, const OrganisationFields& f, int64_t expected_version,
    const std::string& request_id) {
  v1::UpdateOrganisationRequest request;
  request.set_request_id(request_id);
  request.set_organisation_id(organisation_id);
  request.set_expected_version(expected_version);
  CopyFields(f, *request.mutable_organisation());

  const std::initializer_list<Flag> location = {{"--lat", f.lat.has_value()},
                                                {"--lon", f.lon.has_value()}};
  if (const std::vector<std::string> missing = Missing(location); !missing.empty()) {
    return absl::InvalidArgumentError(
        Say(Msg::kUpdateLocationIncomplete, absl::StrJoin(missing, " ")));
  }
  const std::initializer_list<Flag> contact = {{"--email", f.email.has_value()},
                                               {"--phone", f.phone.has_value()},
                                               {"--website", f.website.has_value()}};
  if (const std::vector<std::string> missing = Missing(contact); !missing.empty()) {
    return absl::InvalidArgumentError(
        Say(Msg::kUpdateContactIncomplete, absl::StrJoin(missing, " ")));
  }

  auto& mask = *request.mutable_update_mask();
  if (f.name) mask.add_paths("name");
  if (f.kind) mask.add_paths("kind");
  if (f.domains) mask.add_paths("domains");
  if (f.commune) mask.add_paths("commune");
  if (AnyGiven(location)) mask.add_paths("location");
  if (AnyGiven(contact)) mask.add_paths("contact");
  if (f.description) mask.add_paths("description");
  if (mask.paths().empty()) {
    return absl::InvalidArgumentError(std::string(Text(Msg::kUpdateOrganisationNothing)));
  }
  return request;
}

v1::RegisterResponderRequest BuildRegisterResponderRequest(const ResponderFields& fields,
                                                           const std::string& request_id) {
  v1::RegisterResponderRequest request;
  request.set_request_id(request_id);
  CopyFields(fields, *request.mutable_responder());
  return request;
}

absl::StatusOr<v1::UpdateResponderRequest> BuildUpdateResponderRequest(
    const std::string& responder_id, const ResponderFields& f, int64_t expected_version,
    const std::string& request_id) {
  v1::UpdateResponderRequest request;
  request.set_request_id(request_id);
  request.set_responder_id(responder_id);
  request.set_expected_version(expected_version);
  CopyFields(f, *request.mutable_responder());

  const std::initializer_list<Flag> home_base = {{"--lat", f.lat.has_value()},
                                                 {"--lon", f.lon.has_value()}};
  if (const std::vector<std::string> missing = Missing(home_base); !missing.empty()) {
    return absl::InvalidArgumentError(
        Say(Msg::kUpdateHomeBaseIncomplete, absl::StrJoin(missing, " ")));
  }
  const std::initializer_list<Flag> travel = {
      {"--passport-until", f.passport_until.has_value()},
      {"--passport-country", f.passport_country.has_value()}};
  if (const std::vector<std::string> missing = Missing(travel); !missing.empty()) {
    return absl::InvalidArgumentError(
        Say(Msg::kUpdateTravelIncomplete, absl::StrJoin(missing, " ")));
  }

  auto& mask = *request.mutable_update_mask();
  if (f.external_ref) mask.add_paths("external_ref");
  if (f.name) mask.add_paths("display_name");
  if (f.skills) mask.add_paths("skills");
  if (f.languages || f.no_languages) mask.add_paths("languages");
  if (f.certifications || f.no_certifications) mask.add_paths("certifications");
  if (AnyGiven(travel) || f.no_passport) mask.add_paths("travel");
  if (AnyGiven(home_base)) mask.add_paths("home_base");
  if (f.commune) mask.add_paths("home_commune");
  if (f.max_days) mask.add_paths("max_deployment_days");
  if (f.contacts) mask.add_paths("contacts");
  if (mask.paths().empty()) {
    return absl::InvalidArgumentError(std::string(Text(Msg::kUpdateResponderNothing)));
  }
  return request;
}

v1::SetAvailabilityRequest BuildSetAvailabilityRequest(const std::string& responder_id,
                                                       const PeriodFields& fields,
                                                       const std::string& request_id) {
  v1::SetAvailabilityRequest request;
  request.set_request_id(request_id);
  request.set_responder_id(responder_id);
  v1::AvailabilityPeriod& period = *request.mutable_period();
  period.set_kind(fields.kind);
  *period.mutable_from() = ToTimestamp(fields.from);
  *period.mutable_until() = ToTimestamp(fields.until);
  if (fields.note) period.set_note(*fields.note);
  return request;
}

}  // namespace relais::cli
