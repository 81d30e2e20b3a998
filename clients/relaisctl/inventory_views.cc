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

}  // namespace

std::string OrganisationDetail(const v1::Organisation& organisation) {
  const v1::PublicContact& contact = organisation.contact();
  std::vector<Field> fields = {
      {Label(Msg::kFieldOrganisation), organisation.id()},
      {Label(Msg::kFieldName), organisation.name()},
      {Label(Msg::kFieldVersion), absl::StrCat(organisation.version())},
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
      {.header = Label(Msg::kColKind)},
      {.header = Label(Msg::kColCommune), .flexible = true},
      {.header = Label(Msg::kColName), .flexible = true},
  };
  std::vector<Row> rows;
  for (const v1::Organisation& organisation : organisations) {
    rows.push_back({.cells = {organisation.id(), OrganisationKinds().Name(organisation.kind()),
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

}  // namespace relais::cli
