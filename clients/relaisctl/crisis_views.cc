#include "clients/relaisctl/crisis_views.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "clients/relaisctl/messages.h"
#include "clients/relaisctl/table.h"
#include "clients/relaisctl/time_text.h"
#include "clients/relaisctl/words.h"

namespace relais::cli {
namespace {

namespace v1 = relais::v1;

std::string Label(Msg id) { return std::string(Text(id)); }

std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

std::string Codes(const google::protobuf::RepeatedPtrField<std::string>& codes) {
  return absl::StrJoin(codes, "+");
}

std::string Place(const v1::Area& area) {
  return Say(Msg::kAreaCircle, absl::StrFormat("%.5f", area.center().lat()),
             absl::StrFormat("%.5f", area.center().lon()), absl::StrFormat("%g", area.radius_km()));
}

// What a need asks of people beyond its skill: level, languages, certifications.
std::string Requirements(const v1::NeedSpec& spec) {
  std::vector<std::string> parts;
  if (spec.min_level() > 0) parts.push_back(Say(Msg::kNoteLevel, spec.min_level()));
  if (!spec.languages().empty()) parts.push_back(Say(Msg::kNoteLanguages, Codes(spec.languages())));
  if (!spec.certifications().empty()) {
    parts.push_back(Say(Msg::kNoteCertifications, Codes(spec.certifications())));
  }
  return absl::StrJoin(parts, "; ");
}

std::string Days(const v1::NeedSpec& spec) {
  return spec.duration_days() > 0 ? absl::StrCat(spec.duration_days()) : "-";
}

std::string OpenNeeds(const std::vector<const v1::Need*>& needs) {
  const std::vector<Column> columns = {
      {.header = Label(Msg::kColNeedId), .keep = true},
      {.header = Label(Msg::kColWhat), .flexible = true},
      {.header = Label(Msg::kColQuantity), .align = Align::kRight},
      {.header = Label(Msg::kColPriority)},
      {.header = Label(Msg::kColNeededBy)},
      {.header = Label(Msg::kColDays), .align = Align::kRight},
  };
  std::vector<Row> rows;
  for (const v1::Need* need : needs) {
    const v1::NeedSpec& spec = need->spec();
    rows.push_back({.cells = {need->id(), NeedWhat(spec), absl::StrCat(spec.quantity()),
                              NeedPriorities().Name(spec.priority()),
                              FormatTimestamp(spec.needed_by()), Days(spec)},
                    .note = Requirements(spec)});
  }
  return RenderTable(columns, rows);
}

std::string CancelledNeeds(const std::vector<const v1::Need*>& needs) {
  const std::vector<Column> columns = {
      {.header = Label(Msg::kColNeedId), .keep = true},
      {.header = Label(Msg::kColWhat), .flexible = true},
      {.header = Label(Msg::kColQuantity), .align = Align::kRight},
      {.header = Label(Msg::kColReason), .flexible = true},
  };
  std::vector<Row> rows;
  for (const v1::Need* need : needs) {
    rows.push_back({.cells = {need->id(), NeedWhat(need->spec()),
                              absl::StrCat(need->spec().quantity()), need->cancel_reason()}});
  }
  return RenderTable(columns, rows);
}

}  // namespace

std::string NeedWhat(const v1::NeedSpec& spec) {
  return absl::StrCat(ResourceKinds().Name(spec.resource().kind()), ":", spec.resource().code());
}

std::string CrisisDetail(const v1::Crisis& crisis) {
  std::vector<Field> fields = {
      {Label(Msg::kFieldCrisis), crisis.id()},
      {Label(Msg::kFieldTitle), crisis.title()},
      {Label(Msg::kFieldStatus), CrisisStatuses().Name(crisis.status())},
      {Label(Msg::kFieldVersion), absl::StrCat(crisis.version())},
      {Label(Msg::kFieldKind), CrisisKinds().Name(crisis.kind())},
      {Label(Msg::kFieldScope), CrisisScopes().Name(crisis.scope())},
      {Label(Msg::kFieldSeverity), Severities().Name(crisis.severity())},
      {Label(Msg::kFieldUrgency), Urgencies().Name(crisis.urgency())},
      {Label(Msg::kFieldCertainty), Certainties().Name(crisis.certainty())},
      {Label(Msg::kFieldArea), Place(crisis.area())},
      {Label(Msg::kFieldAreaDescription), OrDash(crisis.area().description())},
      {Label(Msg::kFieldCountry), OrDash(crisis.area().country())},
      {Label(Msg::kFieldCommune), OrDash(crisis.area().commune())},
      {Label(Msg::kFieldStarts), FormatTimestamp(crisis.starts_at())},
      {Label(Msg::kFieldDeclared), FormatTimestamp(crisis.declared_at())},
      {Label(Msg::kFieldDeclaredBy), OrDash(crisis.declared_by())},
      {Label(Msg::kFieldUpdated), FormatTimestamp(crisis.updated_at())},
  };
  if (!crisis.status_reason().empty()) {
    fields.push_back({Label(Msg::kFieldStatusReason), crisis.status_reason(), true});
  }
  fields.push_back({Label(Msg::kFieldDescription), OrDash(crisis.description()), true});
  std::string out = RenderFields(fields);

  std::vector<const v1::Need*> open;
  std::vector<const v1::Need*> cancelled;
  for (const v1::Need& need : crisis.needs()) {
    (need.status() == v1::NEED_STATUS_CANCELLED ? cancelled : open).push_back(&need);
  }
  out += "\n";
  if (open.empty()) {
    out += Say(Msg::kNoOpenNeeds) + "\n";
  } else {
    out += Say(Msg::kOpenNeedsTitle, static_cast<int>(open.size())) + "\n" + OpenNeeds(open);
  }
  if (!cancelled.empty()) {
    out += "\n" + Say(Msg::kCancelledNeedsTitle, static_cast<int>(cancelled.size())) + "\n" +
           CancelledNeeds(cancelled);
  }
  return out;
}

std::string CrisisTable(const google::protobuf::RepeatedPtrField<v1::Crisis>& crises) {
  if (crises.empty()) return Say(Msg::kNoCrises) + "\n";
  const std::vector<Column> columns = {
      {.header = Label(Msg::kColCrisisId), .keep = true},
      {.header = Label(Msg::kColStatus)},
      {.header = Label(Msg::kColKind), .flexible = true},
      {.header = Label(Msg::kColSeverity)},
      {.header = Label(Msg::kColStarts)},
      {.header = Label(Msg::kColTitle), .flexible = true},
  };
  std::vector<Row> rows;
  for (const v1::Crisis& crisis : crises) {
    rows.push_back(
        {.cells = {crisis.id(), CrisisStatuses().Name(crisis.status()),
                   CrisisKinds().Name(crisis.kind()), Severities().Name(crisis.severity()),
                   FormatTimestamp(crisis.starts_at()), crisis.title()}});
  }
  return RenderTable(columns, rows);
}

std::string NeedDetail(const v1::Need& need) {
  const v1::NeedSpec& spec = need.spec();
  std::vector<Field> fields = {
      {Label(Msg::kFieldNeed), need.id()},
      {Label(Msg::kFieldCrisis), OrDash(need.crisis_id())},
      {Label(Msg::kFieldWhat), NeedWhat(spec)},
      {Label(Msg::kFieldQuantity), absl::StrCat(spec.quantity())},
      {Label(Msg::kFieldPriority), NeedPriorities().Name(spec.priority())},
      {Label(Msg::kFieldNeededBy), FormatTimestamp(spec.needed_by())},
      {Label(Msg::kFieldDays), Days(spec)},
      {Label(Msg::kFieldMinLevel), absl::StrCat(spec.min_level())},
      {Label(Msg::kFieldLanguages), OrDash(Codes(spec.languages()))},
      {Label(Msg::kFieldCertifications), OrDash(Codes(spec.certifications()))},
      {Label(Msg::kFieldStatus), NeedStatuses().Name(need.status())},
  };
  if (!need.cancel_reason().empty()) {
    fields.push_back({Label(Msg::kFieldCancelReason), need.cancel_reason(), true});
  }
  fields.push_back({Label(Msg::kFieldCreated), FormatTimestamp(need.created_at())});
  fields.push_back({Label(Msg::kFieldUpdated), FormatTimestamp(need.updated_at())});
  return RenderFields(fields);
}

}  // namespace relais::cli
