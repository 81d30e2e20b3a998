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
  if (f.external_ref) o.set_external_ref(*f.external_ref);
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
  if (f.external_ref) mask.add_paths("external_ref");
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

v1::RecordExperienceRequest BuildRecordExperienceRequest(const std::string& responder_id,
                                                         const MissionFields& fields,
                                                         const std::string& request_id) {
  v1::RecordExperienceRequest request;
  request.set_request_id(request_id);
  request.set_responder_id(responder_id);
  v1::Mission& mission = *request.mutable_mission();
  mission.set_kind(fields.kind);
  mission.set_role_code(fields.role_code);
  mission.set_place(fields.place);
  *mission.mutable_started_at() = ToTimestamp(fields.from);
  *mission.mutable_ended_at() = ToTimestamp(fields.until);
  if (fields.assignment_id) mission.set_assignment_id(*fields.assignment_id);
  return request;
}

absl::StatusOr<v1::FindRespondersRequest> BuildFindRespondersRequest(const ResponderSearch& s) {
  const bool local = s.near.has_value() || s.radius_km.has_value();
  if (local && s.abroad) {
    return absl::InvalidArgumentError(std::string(Text(Msg::kFindBothModes)));
  }
  if (!local && !s.abroad) {
    return absl::InvalidArgumentError(std::string(Text(Msg::kFindNoMode)));
  }
  if (const std::vector<std::string> missing =
          Missing({{"--near", s.near.has_value()}, {"--radius-km", s.radius_km.has_value()}});
      !missing.empty()) {
    return absl::InvalidArgumentError(Say(Msg::kFindLocalIncomplete, absl::StrJoin(missing, " ")));
  }
  if (s.entry_certifications && !s.abroad) {
    return absl::InvalidArgumentError(std::string(Text(Msg::kFindEntryNeedsAbroad)));
  }

  v1::FindRespondersRequest request;
  request.set_skill_code(s.skill_code);
  request.set_min_level(s.min_level.value_or(0));
  *request.mutable_window()->mutable_start() = ToTimestamp(s.from);
  *request.mutable_window()->mutable_end() = ToTimestamp(s.until);
  for (const std::string& language : s.languages.value_or(std::vector<std::string>())) {
    request.add_languages(language);
  }
  for (const std::string& code : s.certifications.value_or(std::vector<std::string>())) {
    request.add_certifications(code);
  }
  for (const std::string& id : s.exclude.value_or(std::vector<std::string>())) {
    request.add_exclude_responder_ids(id);
  }
  request.set_mission_kind(s.mission_kind.value_or(v1::CRISIS_KIND_UNSPECIFIED));
  if (s.abroad) {
    v1::AbroadSearch& abroad = *request.mutable_abroad();
    for (const std::string& code : s.entry_certifications.value_or(std::vector<std::string>())) {
      abroad.add_entry_certifications(code);
    }
  } else {
    *request.mutable_local()->mutable_center() = *s.near;
    request.mutable_local()->set_radius_km(*s.radius_km);
  }
  request.set_page_size(s.page_size.value_or(0));
  request.set_page_token(s.page_token.value_or(""));
  return request;
}

namespace {

void CopyFields(const TeamFields& f, v1::Team& t) {
  if (f.external_ref) t.set_external_ref(*f.external_ref);
  if (f.name) t.set_name(*f.name);
  if (f.type_code) t.set_type_code(*f.type_code);
  if (f.members) {
    for (const std::string& id : *f.members) t.add_member_ids(id);
  }
  if (f.kit) {
    for (const v1::KitLine& line : *f.kit) *t.add_kit() = line;
  }
  if (f.description) t.set_description(*f.description);
}

}  // namespace

v1::OfferTeamRequest BuildOfferTeamRequest(const TeamFields& fields,
                                           const std::string& request_id) {
  v1::OfferTeamRequest request;
  request.set_request_id(request_id);
  CopyFields(fields, *request.mutable_team());
  return request;
}

absl::StatusOr<v1::UpdateTeamRequest> BuildUpdateTeamRequest(const std::string& team_id,
                                                             const TeamFields& f,
                                                             int64_t expected_version,
                                                             const std::string& request_id) {
  v1::UpdateTeamRequest request;
  request.set_request_id(request_id);
  request.set_team_id(team_id);
  request.set_expected_version(expected_version);
  CopyFields(f, *request.mutable_team());
  auto& mask = *request.mutable_update_mask();
  if (f.external_ref) mask.add_paths("external_ref");
  if (f.name) mask.add_paths("name");
  if (f.type_code) mask.add_paths("type_code");
  if (f.members) mask.add_paths("member_ids");
  if (f.kit || f.no_kit) mask.add_paths("kit");
  if (f.description) mask.add_paths("description");
  if (mask.paths().empty()) {
    return absl::InvalidArgumentError(std::string(Text(Msg::kUpdateTeamNothing)));
  }
  return request;
}

v1::RegisterWarehouseRequest BuildRegisterWarehouseRequest(const WarehouseFields& f,
                                                           const std::string& request_id) {
  v1::RegisterWarehouseRequest request;
  request.set_request_id(request_id);
  v1::Warehouse& warehouse = *request.mutable_warehouse();
  if (f.external_ref) warehouse.set_external_ref(*f.external_ref);
  if (f.name) warehouse.set_name(*f.name);
  if (f.commune) warehouse.set_commune(*f.commune);
  if (f.lat) warehouse.mutable_location()->set_lat(*f.lat);
  if (f.lon) warehouse.mutable_location()->set_lon(*f.lon);
  return request;
}

v1::OfferSuppliesRequest BuildOfferSuppliesRequest(const SupplyFields& f,
                                                   const std::string& request_id) {
  v1::OfferSuppliesRequest request;
  request.set_request_id(request_id);
  v1::StockLine& line = *request.mutable_line();
  if (f.warehouse_id) line.set_warehouse_id(*f.warehouse_id);
  if (f.external_ref) line.set_external_ref(*f.external_ref);
  if (f.item_code) line.set_item_code(*f.item_code);
  if (f.lot) line.set_lot(*f.lot);
  if (f.expires) *line.mutable_expires_at() = ToTimestamp(*f.expires);
  request.set_quantity(f.quantity.value_or(0));
  return request;
}

v1::AdjustStockRequest BuildAdjustStockRequest(const std::string& stock_line_id, int64_t delta,
                                               v1::AdjustmentReason reason,
                                               const std::optional<std::string>& note,
                                               const std::string& request_id) {
  v1::AdjustStockRequest request;
  request.set_request_id(request_id);
  request.set_stock_line_id(stock_line_id);
  request.set_delta(delta);
  request.set_reason(reason);
  if (note) request.set_note(*note);
  return request;
}

absl::StatusOr<v1::ListStockRequest> BuildListStockRequest(const StockFilter& filter,
                                                           const std::string& caller_organisation) {
  v1::ListStockRequest request;
  if (filter.warehouse_id && filter.organisation_id) {
    return absl::InvalidArgumentError(std::string(Text(Msg::kListStockBoth)));
  }
  if (filter.warehouse_id) {
    request.set_warehouse_id(*filter.warehouse_id);
  } else {
    // Without --warehouse and --organisation-id: every warehouse of the caller's organisation.
    const std::string organisation = filter.organisation_id.value_or(caller_organisation);
    if (organisation.empty()) {
      return absl::InvalidArgumentError(std::string(Text(Msg::kListStockNoOwner)));
    }
    request.set_organisation_id(organisation);
  }
  if (filter.item_code) request.set_item_code(*filter.item_code);
  return request;
}

v1::FindSuppliesRequest BuildFindSuppliesRequest(const SupplySearch& search) {
  v1::FindSuppliesRequest request;
  request.set_item_code(search.item_code);
  *request.mutable_near() = search.near;
  request.set_quantity(search.quantity);
  if (search.not_expiring_before) {
    *request.mutable_not_expiring_before() = ToTimestamp(*search.not_expiring_before);
  }
  for (const std::string& id : search.exclude.value_or(std::vector<std::string>())) {
    request.add_exclude_line_ids(id);
  }
  request.set_page_size(search.page_size.value_or(0));
  return request;
}

absl::StatusOr<v1::HoldRequest> BuildHoldRequest(const HoldFields& f,
                                                 const std::string& request_id) {
  const std::initializer_list<Flag> targets = {{"--responder-id", f.responder_id.has_value()},
                                               {"--team-id", f.team_id.has_value()},
                                               {"--stock-line-id", f.stock_line_id.has_value()}};
  std::vector<std::string> given;
  for (const Flag& flag : targets) {
    if (flag.given) given.push_back(flag.name);
  }
  if (given.empty()) return absl::InvalidArgumentError(std::string(Text(Msg::kHoldNoTarget)));
  if (given.size() > 1) {
    return absl::InvalidArgumentError(Say(Msg::kHoldTwoTargets, absl::StrJoin(given, " ")));
  }
  const std::initializer_list<Flag> window = {{"--from", f.from.has_value()},
                                              {"--until", f.until.has_value()}};
  if (const std::vector<std::string> missing = Missing(window); !missing.empty()) {
    return absl::InvalidArgumentError(Say(Msg::kHoldWindowIncomplete, absl::StrJoin(missing, " ")));
  }

  v1::HoldRequest request;
  request.set_request_id(request_id);
  if (f.stock_line_id) {
    if (AnyGiven(window)) {
      return absl::InvalidArgumentError(std::string(Text(Msg::kHoldStockNoWindow)));
    }
    if (!f.quantity) return absl::InvalidArgumentError(std::string(Text(Msg::kHoldStockQuantity)));
    request.set_stock_line_id(*f.stock_line_id);
    request.set_quantity(*f.quantity);
  } else {
    if (f.quantity) return absl::InvalidArgumentError(std::string(Text(Msg::kHoldQuantityStock)));
    if (!AnyGiven(window)) {
      return absl::InvalidArgumentError(std::string(Text(Msg::kHoldPeopleWindow)));
    }
    if (f.responder_id) request.set_responder_id(*f.responder_id);
    if (f.team_id) request.set_team_id(*f.team_id);
    *request.mutable_window()->mutable_start() = ToTimestamp(*f.from);
    *request.mutable_window()->mutable_end() = ToTimestamp(*f.until);
  }
  request.set_holder_ref(f.holder_ref);
  if (f.ttl) *request.mutable_ttl() = ToDurationProto(*f.ttl);
  return request;
}

absl::StatusOr<v1::ReleaseCommitmentRequest> BuildReleaseCommitmentRequest(
    const std::string& hold_id, const std::optional<std::string>& reason,
    const std::optional<std::vector<v1::KitLine>>& kit_used, const std::string& request_id) {
  v1::ReleaseCommitmentRequest request;
  request.set_request_id(request_id);
  request.set_hold_id(hold_id);
  if (reason) request.set_reason(*reason);
  for (const v1::KitLine& line : kit_used.value_or(std::vector<v1::KitLine>())) {
    if (!request.mutable_kit_used()->insert({line.stock_line_id(), line.quantity()}).second) {
      return absl::InvalidArgumentError(Say(Msg::kKitUsedTwice, line.stock_line_id()));
    }
  }
  return request;
}

}  // namespace relais::cli
