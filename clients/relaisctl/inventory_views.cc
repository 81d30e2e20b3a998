#include "clients/relaisctl/inventory_views.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "clients/relaisctl/inventory_syntax.h"
#include "clients/relaisctl/messages.h"
#include "clients/relaisctl/table.h"
#include "clients/relaisctl/time_text.h"
#include "clients/relaisctl/words.h"

namespace relais::cli {
namespace {

namespace v1 = relais::v1;

std::string Label(Msg id) { return std::string(Text(id)); }

std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

std::string Point(const v1::GeoPoint& point) {
  return absl::StrFormat("%.5f, %.5f", point.lat(), point.lon());
}

std::string DomainList(const google::protobuf::RepeatedField<int>& domains) {
  std::vector<std::string> words;
  for (int domain : domains) words.push_back(Domains().Name(static_cast<v1::Domain>(domain)));
  return absl::StrJoin(words, ", ");
}

absl::Time ToTime(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

bool Lapsed(const google::protobuf::Timestamp& valid_until, absl::Time now) {
  return valid_until.seconds() != 0 && ToTime(valid_until) <= now;
}

std::string Passport(const v1::TravelReadiness& travel, absl::Time now) {
  if (!travel.has_passport_valid_until()) return std::string(Text(Msg::kPassportNone));
  const std::string country = OrDash(travel.passport_country());
  const std::string date = FormatDate(travel.passport_valid_until());
  if (Lapsed(travel.passport_valid_until(), now)) {
    return Say(Msg::kPassportLapsed, country, date);
  }
  return Say(Msg::kPassportValid, country, date);
}

// A section under a detail view: its title and table, or a sentence when it is empty.
std::string Section(Msg title, Msg none, int count, const std::string& table) {
  if (count == 0) return "\n" + Say(none) + "\n";
  return "\n" + Say(title, count) + "\n" + table;
}

std::string Skills(const v1::Responder& responder) {
  const std::vector<Column> columns = {
      {.header = Label(Msg::kColSkill), .flexible = true},
      {.header = Label(Msg::kColLevel), .align = Align::kRight},
  };
  std::vector<Row> rows;
  for (const v1::SkillLevel& skill : responder.skills()) {
    rows.push_back({.cells = {skill.code(), absl::StrCat(skill.level())}});
  }
  return RenderTable(columns, rows);
}

std::string Certifications(const v1::Responder& responder, absl::Time now) {
  const std::vector<Column> columns = {
      {.header = Label(Msg::kColCertification), .flexible = true},
      {.header = Label(Msg::kColValidUntil)},
      {.header = Label(Msg::kColState)},
  };
  std::vector<Row> rows;
  for (const v1::HeldCertification& cert : responder.certifications()) {
    const bool expires = cert.has_valid_until();
    rows.push_back(
        {.cells = {cert.code(), expires ? FormatDate(cert.valid_until()) : Label(Msg::kNoExpiry),
                   Label(Lapsed(cert.valid_until(), now) ? Msg::kStateLapsed : Msg::kStateValid)}});
  }
  return RenderTable(columns, rows);
}

std::string Contacts(const v1::Responder& responder) {
  const std::vector<Column> columns = {
      {.header = Label(Msg::kColContactKind)},
      {.header = Label(Msg::kColAddress), .flexible = true},
  };
  std::vector<Row> rows;
  for (const v1::ContactChannel& contact : responder.contacts()) {
    rows.push_back({.cells = {ContactKinds().Name(contact.kind()), contact.address()}});
  }
  return RenderTable(columns, rows);
}

std::string Missions(const v1::Responder& responder) {
  const std::vector<Column> columns = {
      {.header = Label(Msg::kColKind)},
      {.header = Label(Msg::kColRole), .flexible = true},
      {.header = Label(Msg::kColPlace), .flexible = true},
      {.header = Label(Msg::kColFrom)},
      {.header = Label(Msg::kColUntil)},
      {.header = Label(Msg::kColAssignment)},
  };
  std::vector<Row> rows;
  for (const v1::Mission& mission : responder.experience()) {
    rows.push_back({.cells = {CrisisKinds().Name(mission.kind()), mission.role_code(),
                              mission.place(), FormatDate(mission.started_at()),
                              FormatDate(mission.ended_at()), OrDash(mission.assignment_id())}});
  }
  return RenderTable(columns, rows);
}

std::string Number(int64_t n) { return absl::StrCat(n); }

std::string Kit(const google::protobuf::RepeatedPtrField<v1::KitLine>& kit) {
  const std::vector<Column> columns = {
      {.header = Label(Msg::kColStockLine), .keep = true},
      {.header = Label(Msg::kColQuantity), .align = Align::kRight},
  };
  std::vector<Row> rows;
  for (const v1::KitLine& line : kit) {
    rows.push_back({.cells = {line.stock_line_id(), Number(line.quantity())}});
  }
  return RenderTable(columns, rows);
}

std::string HeldStockTable(const google::protobuf::RepeatedPtrField<v1::HeldStock>& stock) {
  const std::vector<Column> columns = {
      {.header = Label(Msg::kColStockLine), .keep = true},
      {.header = Label(Msg::kColQuantity), .align = Align::kRight},
      {.header = Label(Msg::kColConsumed), .align = Align::kRight},
  };
  std::vector<Row> rows;
  for (const v1::HeldStock& held : stock) {
    rows.push_back(
        {.cells = {held.stock_line_id(), Number(held.quantity()), Number(held.consumed())}});
  }
  return RenderTable(columns, rows);
}

std::string Window(const v1::TimeWindow& window) {
  return Say(Msg::kWindow, FormatTimestamp(window.start()), FormatTimestamp(window.end()));
}

// A hold's expiry and, while it is held, how long it has left.
std::string Expiry(const v1::Hold& hold, absl::Time now) {
  const std::string at = FormatTimestamp(hold.expires_at());
  if (hold.state() != v1::HOLD_STATE_HELD || !hold.has_expires_at()) return at;
  const absl::Duration left = ToTime(hold.expires_at()) - now;
  if (left <= absl::ZeroDuration()) return Say(Msg::kHoldExpiryPassed, at);
  // Rounded up: "in 1 min" until the very end.
  const int64_t minutes = absl::ToInt64Minutes(left + absl::Minutes(1) - absl::Nanoseconds(1));
  return Say(Msg::kHoldExpiryIn, at, minutes);
}

// The columns both stock tables share; `distance` adds the distance from the search's place.
std::vector<Column> StockColumns(bool distance) {
  std::vector<Column> columns = {
      {.header = Label(Msg::kColStockLine), .keep = true},
      {.header = Label(Msg::kColItem), .flexible = true},
      {.header = Label(Msg::kColLot), .flexible = true},
      {.header = Label(Msg::kColExpires)},
      {.header = Label(Msg::kColAvailable), .align = Align::kRight},
      {.header = Label(Msg::kColHeld), .align = Align::kRight},
      {.header = Label(Msg::kColCommitted), .align = Align::kRight},
  };
  if (distance) columns.push_back({.header = Label(Msg::kColDistance), .align = Align::kRight});
  return columns;
}

Row StockRow(const v1::StockLine& line) {
  const v1::StockLedger& ledger = line.ledger();
  return {.cells = {line.id(), line.item_code(), OrDash(line.lot()), FormatDate(line.expires_at()),
                    Number(ledger.available()), Number(ledger.held()), Number(ledger.committed())},
          .note = Say(Msg::kStockLineNote, line.warehouse_id())};
}

std::string Kilometres(double km) { return absl::StrFormat("%.1f", km); }

}  // namespace

std::string OrganisationDetail(const v1::Organisation& organisation) {
  const v1::PublicContact& contact = organisation.contact();
  std::vector<Field> fields = {
      {Label(Msg::kFieldOrganisation), organisation.id()},
      {Label(Msg::kFieldName), organisation.name()},
      {Label(Msg::kFieldVersion), absl::StrCat(organisation.version())},
      {Label(Msg::kFieldExternalRef), OrDash(organisation.external_ref())},
      {Label(Msg::kFieldKind), OrganisationKinds().Name(organisation.kind())},
      {Label(Msg::kFieldDomains), OrDash(DomainList(organisation.domains())), true},
      {Label(Msg::kFieldCommune), OrDash(organisation.commune())},
      {Label(Msg::kFieldLocation), Point(organisation.location())},
      {Label(Msg::kFieldEmail), OrDash(contact.email())},
      {Label(Msg::kFieldPhone), OrDash(contact.phone())},
      {Label(Msg::kFieldWebsite), OrDash(contact.website())},
      {Label(Msg::kFieldCreated), FormatTimestamp(organisation.created_at())},
      {Label(Msg::kFieldUpdated), FormatTimestamp(organisation.updated_at())},
      {Label(Msg::kFieldDescription), OrDash(organisation.description()), true},
  };
  return RenderFields(fields);
}

std::string OrganisationTable(
    const google::protobuf::RepeatedPtrField<v1::Organisation>& organisations) {
  if (organisations.empty()) return Say(Msg::kNoOrganisations) + "\n";
  const std::vector<Column> columns = {
      {.header = Label(Msg::kColOrganisationId), .keep = true},
      {.header = Label(Msg::kColExternalRef), .flexible = true},
      {.header = Label(Msg::kColKind)},
      {.header = Label(Msg::kColCommune), .flexible = true},
      {.header = Label(Msg::kColName), .flexible = true},
  };
  std::vector<Row> rows;
  for (const v1::Organisation& organisation : organisations) {
    rows.push_back({.cells = {organisation.id(), OrDash(organisation.external_ref()),
                              OrganisationKinds().Name(organisation.kind()),
                              OrDash(organisation.commune()), organisation.name()}});
  }
  return RenderTable(columns, rows);
}

std::string ResponderDetail(const v1::Responder& responder, absl::Time now) {
  std::vector<Field> fields = {
      {Label(Msg::kFieldResponder), responder.id()},
      {Label(Msg::kFieldName), responder.display_name()},
      {Label(Msg::kFieldVersion), absl::StrCat(responder.version())},
      {Label(Msg::kFieldOrganisation), OrDash(responder.organisation_id())},
      {Label(Msg::kFieldExternalRef), OrDash(responder.external_ref())},
      {Label(Msg::kFieldHomeBase), Point(responder.home_base())},
      {Label(Msg::kFieldHomeCommune), OrDash(responder.home_commune())},
      {Label(Msg::kFieldMaxDeployment), Say(Msg::kDays, responder.max_deployment_days())},
      {Label(Msg::kFieldLanguages), OrDash(absl::StrJoin(responder.languages(), ", "))},
      {Label(Msg::kFieldPassport), Passport(responder.travel(), now)},
      {Label(Msg::kFieldCreated), FormatTimestamp(responder.created_at())},
      {Label(Msg::kFieldUpdated), FormatTimestamp(responder.updated_at())},
  };
  std::string out = RenderFields(fields);
  out += Section(Msg::kSkillsTitle, Msg::kNoSkills, responder.skills_size(), Skills(responder));
  out += Section(Msg::kCertificationsTitle, Msg::kNoCertifications, responder.certifications_size(),
                 Certifications(responder, now));
  out += Section(Msg::kContactsTitle, Msg::kNoContacts, responder.contacts_size(),
                 Contacts(responder));
  out += Section(Msg::kMissionsTitle, Msg::kNoMissions, responder.experience_size(),
                 Missions(responder));
  return out;
}

std::string TopSkills(const v1::Responder& responder, int count) {
  std::vector<const v1::SkillLevel*> skills;
  for (const v1::SkillLevel& skill : responder.skills()) skills.push_back(&skill);
  std::stable_sort(skills.begin(), skills.end(),
                   [](const auto* a, const auto* b) { return a->level() > b->level(); });
  std::vector<std::string> words;
  for (size_t i = 0; i < skills.size() && static_cast<int>(i) < count; ++i) {
    words.push_back(SkillText(*skills[i]));
  }
  if (static_cast<int>(skills.size()) > count) {
    words.push_back(Say(Msg::kMoreSkills, static_cast<int>(skills.size()) - count));
  }
  return absl::StrJoin(words, " ");
}

std::string ResponderTable(const google::protobuf::RepeatedPtrField<v1::Responder>& responders) {
  if (responders.empty()) return Say(Msg::kNoResponders) + "\n";
  const std::vector<Column> columns = {
      {.header = Label(Msg::kColResponderId), .keep = true},
      {.header = Label(Msg::kColName), .flexible = true},
      {.header = Label(Msg::kColExternalRef)},
      {.header = Label(Msg::kColTopSkills), .flexible = true},
      {.header = Label(Msg::kColCommune), .flexible = true},
  };
  std::vector<Row> rows;
  for (const v1::Responder& responder : responders) {
    rows.push_back(
        {.cells = {responder.id(), responder.display_name(), OrDash(responder.external_ref()),
                   TopSkills(responder, 2), OrDash(responder.home_commune())}});
  }
  return RenderTable(columns, rows);
}

std::string CalendarView(const v1::AvailabilityCalendar& calendar) {
  std::string out = Say(Msg::kCalendarTitle, calendar.responder_id(), calendar.version()) + "\n";
  if (calendar.periods().empty()) return out + Say(Msg::kNoPeriods) + "\n";
  const std::vector<Column> columns = {
      {.header = Label(Msg::kColPeriodId), .keep = true},
      {.header = Label(Msg::kColKind)},
      {.header = Label(Msg::kColFrom)},
      {.header = Label(Msg::kColUntil)},
      {.header = Label(Msg::kColNote), .flexible = true},
  };
  std::vector<Row> rows;
  for (const v1::AvailabilityPeriod& period : calendar.periods()) {
    rows.push_back({.cells = {period.id(), AvailabilityKinds().Name(period.kind()),
                              FormatTimestamp(period.from()), FormatTimestamp(period.until()),
                              period.note()}});
  }
  return out + RenderTable(columns, rows);
}

std::string RemovedView(const v1::RemoveResponderResponse& response) {
  return Say(Msg::kResponderErased, response.responder_id()) + "\n";
}

std::string WithNextPage(std::string table, const std::string& next_page_token) {
  if (!next_page_token.empty()) table += Say(Msg::kNextPage, next_page_token) + "\n";
  return table;
}

std::string ResponderMatchTable(const v1::FindRespondersResponse& response) {
  if (response.matches().empty()) {
    return WithNextPage(Say(Msg::kNoMatches) + "\n", response.next_page_token());
  }
  const std::vector<Column> columns = {
      {.header = Label(Msg::kColResponderId), .keep = true},
      {.header = Label(Msg::kColLevel), .align = Align::kRight},
      {.header = Label(Msg::kColDistance), .align = Align::kRight},
      {.header = Label(Msg::kColAvailability)},
      {.header = Label(Msg::kColMissions), .align = Align::kRight},
      {.header = Label(Msg::kColFit), .align = Align::kRight},
  };
  std::vector<Row> rows;
  for (const v1::ResponderMatch& match : response.matches()) {
    // A local search ranks by distance: it has no fit to show.
    const std::string fit = match.fit() == 0 ? "-" : absl::StrFormat("%.2f", match.fit());
    rows.push_back(
        {.cells = {match.responder_id(), absl::StrCat(match.level()),
                   Kilometres(match.distance_km()), AvailabilityKinds().Name(match.availability()),
                   absl::StrCat(match.missions_of_kind()), fit},
         // Under the row: two whole ids and the rest would not fit in 100 columns.
         .note = Say(Msg::kMatchNote, OrDash(match.organisation_id()))});
  }
  return WithNextPage(RenderTable(columns, rows), response.next_page_token());
}

std::string TeamDetail(const v1::Team& team) {
  std::vector<Field> fields = {
      {Label(Msg::kFieldTeam), team.id()},
      {Label(Msg::kFieldName), team.name()},
      {Label(Msg::kFieldVersion), absl::StrCat(team.version())},
      {Label(Msg::kFieldOrganisation), OrDash(team.organisation_id())},
      {Label(Msg::kFieldTeamType), OrDash(team.type_code())},
      {Label(Msg::kFieldExternalRef), OrDash(team.external_ref())},
      {Label(Msg::kFieldMembers), OrDash(absl::StrJoin(team.member_ids(), ", ")), true},
      {Label(Msg::kFieldCreated), FormatTimestamp(team.created_at())},
      {Label(Msg::kFieldUpdated), FormatTimestamp(team.updated_at())},
      {Label(Msg::kFieldDescription), OrDash(team.description()), true},
  };
  return RenderFields(fields) +
         Section(Msg::kKitTitle, Msg::kNoKit, team.kit_size(), Kit(team.kit()));
}

std::string TeamTable(const google::protobuf::RepeatedPtrField<v1::Team>& teams) {
  if (teams.empty()) return Say(Msg::kNoTeams) + "\n";
  const std::vector<Column> columns = {
      {.header = Label(Msg::kColTeamId), .keep = true},
      {.header = Label(Msg::kColTeamType), .flexible = true},
      {.header = Label(Msg::kColMembers), .align = Align::kRight},
      {.header = Label(Msg::kColKitLines), .align = Align::kRight},
      {.header = Label(Msg::kColName), .flexible = true},
  };
  std::vector<Row> rows;
  for (const v1::Team& team : teams) {
    rows.push_back({.cells = {team.id(), team.type_code(), absl::StrCat(team.member_ids_size()),
                              absl::StrCat(team.kit_size()), team.name()}});
  }
  return RenderTable(columns, rows);
}

std::string TeamRemovedView(const v1::RemoveTeamResponse& response) {
  return Say(Msg::kTeamRemoved, response.team_id()) + "\n";
}

std::string WarehouseDetail(const v1::Warehouse& warehouse) {
  std::vector<Field> fields = {
      {Label(Msg::kFieldWarehouse), warehouse.id()},
      {Label(Msg::kFieldName), warehouse.name()},
      {Label(Msg::kFieldVersion), absl::StrCat(warehouse.version())},
      {Label(Msg::kFieldOrganisation), OrDash(warehouse.organisation_id())},
      {Label(Msg::kFieldExternalRef), OrDash(warehouse.external_ref())},
      {Label(Msg::kFieldCommune), OrDash(warehouse.commune())},
      {Label(Msg::kFieldLocation), Point(warehouse.location())},
      {Label(Msg::kFieldCreated), FormatTimestamp(warehouse.created_at())},
  };
  return RenderFields(fields);
}

std::string WarehouseTable(const google::protobuf::RepeatedPtrField<v1::Warehouse>& warehouses) {
  if (warehouses.empty()) return Say(Msg::kNoWarehouses) + "\n";
  const std::vector<Column> columns = {
      {.header = Label(Msg::kColWarehouseId), .keep = true},
      {.header = Label(Msg::kColCommune), .flexible = true},
      {.header = Label(Msg::kColName), .flexible = true},
      {.header = Label(Msg::kColExternalRef)},
  };
  std::vector<Row> rows;
  for (const v1::Warehouse& warehouse : warehouses) {
    rows.push_back({.cells = {warehouse.id(), OrDash(warehouse.commune()), warehouse.name(),
                              OrDash(warehouse.external_ref())}});
  }
  return RenderTable(columns, rows);
}

std::string StockLineDetail(const v1::StockLine& line, absl::Time now) {
  const v1::StockLedger& ledger = line.ledger();
  std::string expires = Label(Msg::kNoExpiry);
  if (line.has_expires_at()) {
    expires = Say(Lapsed(line.expires_at(), now) ? Msg::kLotExpired : Msg::kLotValid,
                  FormatDate(line.expires_at()));
  }
  std::vector<Field> fields = {
      {Label(Msg::kFieldStockLine), line.id()},
      {Label(Msg::kFieldItem), line.item_code()},
      {Label(Msg::kFieldVersion), absl::StrCat(line.version())},
      {Label(Msg::kFieldLot), OrDash(line.lot())},
      {Label(Msg::kFieldExpires), expires},
      {Label(Msg::kFieldUnits),
       Say(Msg::kStockUnits, ledger.available(), ledger.held(), ledger.committed(),
           ledger.consumed()),
       true},
      {Label(Msg::kFieldLedger), Say(Msg::kStockLedger, ledger.offered(), ledger.adjusted())},
      {Label(Msg::kFieldWarehouse), OrDash(line.warehouse_id())},
      {Label(Msg::kFieldOrganisation), OrDash(line.organisation_id())},
      {Label(Msg::kFieldLocation), Point(line.location())},
      {Label(Msg::kFieldExternalRef), OrDash(line.external_ref())},
      {Label(Msg::kFieldCreated), FormatTimestamp(line.created_at())},
  };
  return RenderFields(fields);
}

std::string StockTable(const google::protobuf::RepeatedPtrField<v1::StockLine>& lines) {
  if (lines.empty()) return Say(Msg::kNoStock) + "\n";
  std::vector<Row> rows;
  for (const v1::StockLine& line : lines) rows.push_back(StockRow(line));
  return RenderTable(StockColumns(/*distance=*/false), rows);
}

std::string SupplyMatchesView(const v1::FindSuppliesResponse& response, int64_t quantity) {
  std::string out;
  if (response.matches().empty()) {
    out = Say(Msg::kNoSupplies) + "\n";
  } else {
    std::vector<Row> rows;
    for (const v1::SupplyMatch& match : response.matches()) {
      Row row = StockRow(match.line());
      row.cells.push_back(Kilometres(match.distance_km()));
      rows.push_back(std::move(row));
    }
    out = RenderTable(StockColumns(/*distance=*/true), rows);
  }
  if (response.covered()) {
    return out +
           Say(Msg::kSuppliesCovered, response.total_available(), response.matches_size(),
               quantity) +
           "\n";
  }
  return out +
         Say(Msg::kSuppliesShort, response.total_available(), response.matches_size(),
             quantity - response.total_available(), quantity) +
         "\n";
}

std::string HoldDetail(const v1::Hold& hold, absl::Time now) {
  std::vector<Field> fields = {
      {Label(Msg::kFieldHold), hold.id()},
      {Label(Msg::kFieldState), HoldStates().Name(hold.state())},
      {Label(Msg::kFieldVersion), absl::StrCat(hold.version())},
      {Label(Msg::kFieldKind), HoldKinds().Name(hold.kind())},
      {Label(Msg::kFieldOrganisation), OrDash(hold.organisation_id())},
  };
  if (!hold.responder_id().empty()) {
    fields.push_back({Label(Msg::kFieldResponder), hold.responder_id()});
  }
  if (!hold.team_id().empty()) fields.push_back({Label(Msg::kFieldTeam), hold.team_id()});
  if (hold.has_window()) fields.push_back({Label(Msg::kFieldWindow), Window(hold.window())});
  if (!hold.member_ids().empty()) {
    fields.push_back({Label(Msg::kFieldMembers), absl::StrJoin(hold.member_ids(), ", "), true});
  }
  fields.push_back({Label(Msg::kFieldHolder), OrDash(hold.holder_ref())});
  fields.push_back({Label(Msg::kFieldExpires), Expiry(hold, now)});
  fields.push_back({Label(Msg::kFieldCreated), FormatTimestamp(hold.created_at())});
  fields.push_back({Label(Msg::kFieldUpdated), FormatTimestamp(hold.updated_at())});
  if (!hold.release_reason().empty()) {
    fields.push_back({Label(Msg::kFieldReleaseReason), hold.release_reason(), true});
  }
  std::string out = RenderFields(fields);
  if (!hold.stock().empty()) {
    out +=
        Section(Msg::kHeldStockTitle, Msg::kNoKit, hold.stock_size(), HeldStockTable(hold.stock()));
  }
  return out;
}

}  // namespace relais::cli
