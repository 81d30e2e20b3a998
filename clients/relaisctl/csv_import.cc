#include "clients/relaisctl/csv_import.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "clients/relaisctl/inventory_syntax.h"
#include "clients/relaisctl/messages.h"
#include "clients/relaisctl/time_text.h"
#include "clients/relaisctl/words.h"

namespace relais::cli {
namespace {

namespace v1 = relais::v1;

constexpr std::pair<ImportKind, const char*> kKindNames[] = {
    {ImportKind::kOrganisations, "organisations"},
    {ImportKind::kResponders, "responders"},
    {ImportKind::kWarehouses, "warehouses"},
    {ImportKind::kStock, "stock"},
    {ImportKind::kTeams, "teams"},
};

// Fills one record's fields from its row, collecting the problems of the line.
class RowReader {
 public:
  RowReader(const CsvRow& row, const ImportColumns& columns, std::vector<LineProblem>* problems)
      : row_(row), columns_(columns), problems_(problems) {}

  bool ok() const { return ok_; }
  bool Has(const std::string& column) const { return row_.Has(column); }

  void Problem(const std::string& column, std::string reason) {
    problems_->push_back({row_.line, column, std::move(reason)});
    ok_ = false;
  }

  // The trimmed cell; a required column's empty cell is a problem.
  std::string Text(const std::string& column) {
    const std::string value(absl::StripAsciiWhitespace(row_.Get(column)));
    if (value.empty() && columns_.required.contains(column)) {
      Problem(column, std::string(cli::Text(Msg::kImportRequired)));
    }
    return value;
  }

  std::optional<double> Number(const std::string& column) {
    const std::string text = Text(column);
    if (text.empty()) return std::nullopt;
    double value = 0;
    if (!absl::SimpleAtod(text, &value) || !std::isfinite(value)) {
      Problem(column, Say(Msg::kImportNotNumber, text));
      return std::nullopt;
    }
    return value;
  }

  template <typename Int>
  std::optional<Int> Whole(const std::string& column) {
    const std::string text = Text(column);
    if (text.empty()) return std::nullopt;
    Int value = 0;
    if (!absl::SimpleAtoi(text, &value)) {
      Problem(column, Say(Msg::kImportNotWholeNumber, text));
      return std::nullopt;
    }
    return value;
  }

  std::optional<absl::Time> Date(const std::string& column) {
    const std::string text = Text(column);
    if (text.empty()) return std::nullopt;
    const std::optional<absl::Time> date = ParseDate(text);
    if (!date) Problem(column, Say(Msg::kBadDate, text));
    return date;
  }

  // The ';'-separated items of a list cell, blanks dropped.
  std::vector<std::string> Items(const std::string& column) {
    std::vector<std::string> items;
    for (absl::string_view item : absl::StrSplit(Text(column), ';', absl::SkipWhitespace())) {
      items.emplace_back(absl::StripAsciiWhitespace(item));
    }
    return items;
  }

  // Each item through one of inventory_syntax.h's parsers.
  template <typename T>
  std::vector<T> Parsed(const std::string& column, absl::StatusOr<T> (*parse)(std::string_view)) {
    std::vector<T> values;
    for (const std::string& item : Items(column)) {
      absl::StatusOr<T> value = parse(item);
      if (!value.ok()) {
        Problem(column, Say(Msg::kValueInvalid, item, std::string(value.status().message())));
      } else {
        values.push_back(*std::move(value));
      }
    }
    return values;
  }

  template <typename Enum>
  std::optional<Enum> Word(const std::string& column, const Vocabulary<Enum>& vocabulary) {
    const std::string text = Text(column);
    if (text.empty()) return std::nullopt;
    const std::optional<Enum> value = vocabulary.Parse(text);
    if (!value) Problem(column, Say(Msg::kBadWord, text, vocabulary.List()));
    return value;
  }

  std::optional<v1::GeoPoint> Point() {
    const std::optional<double> lat = Number("lat");
    const std::optional<double> lon = Number("lon");
    if (!lat || !lon) return std::nullopt;
    v1::GeoPoint point;
    point.set_lat(*lat);
    point.set_lon(*lon);
    return point;
  }

 private:
  const CsvRow& row_;
  const ImportColumns& columns_;
  std::vector<LineProblem>* problems_;
  bool ok_ = true;
};

void ReadOrganisation(RowReader& in, ImportRecord& record) {
  v1::Organisation& org = record.organisation;
  record.external_ref = in.Text("external_ref");
  record.organisation_ref = record.external_ref;
  org.set_external_ref(record.external_ref);
  org.set_name(in.Text("name"));
  org.set_kind(in.Word("kind", OrganisationKinds()).value_or(v1::ORGANISATION_KIND_UNSPECIFIED));
  for (const std::string& item : in.Items("domains")) {
    const std::optional<v1::Domain> domain = Domains().Parse(item);
    if (!domain) {
      in.Problem("domains", Say(Msg::kBadWord, item, Domains().List()));
    } else {
      org.add_domains(*domain);
    }
  }
  if (org.domains().empty() && in.ok()) {
    in.Problem("domains", std::string(Text(Msg::kImportRequired)));
  }
  org.set_commune(in.Text("commune"));
  if (auto point = in.Point()) *org.mutable_location() = *point;
  record.paths = {"name", "kind", "domains", "commune", "location"};
  if (in.Has("email")) org.mutable_contact()->set_email(in.Text("email"));
  if (in.Has("phone")) org.mutable_contact()->set_phone(in.Text("phone"));
  if (in.Has("website")) org.mutable_contact()->set_website(in.Text("website"));
  if (in.Has("email") || in.Has("phone") || in.Has("website")) record.paths.push_back("contact");
  if (in.Has("description")) {
    org.set_description(in.Text("description"));
    record.paths.push_back("description");
  }
}

void ReadResponder(RowReader& in, ImportRecord& record) {
  v1::Responder& r = record.responder;
  record.organisation_ref = in.Text("organisation");
  record.external_ref = in.Text("external_ref");
  r.set_external_ref(record.external_ref);
  r.set_display_name(in.Text("name"));
  for (auto& skill : in.Parsed("skills", &ParseSkill)) *r.add_skills() = std::move(skill);
  if (r.skills().empty() && in.ok()) in.Problem("skills", std::string(Text(Msg::kImportRequired)));
  record.paths = {"display_name", "skills", "home_base", "max_deployment_days"};
  if (in.Has("languages")) {
    for (auto& language : in.Parsed("languages", &ParseLanguage)) r.add_languages(language);
    record.paths.push_back("languages");
  }
  if (in.Has("certifications")) {
    for (auto& cert : in.Parsed("certifications", &ParseCertification)) {
      *r.add_certifications() = std::move(cert);
    }
    record.paths.push_back("certifications");
  }
  if (in.Has("passport_until") || in.Has("passport_country")) {
    if (auto until = in.Date("passport_until")) {
      *r.mutable_travel()->mutable_passport_valid_until() = ToTimestamp(*until);
    }
    const std::string country = in.Text("passport_country");
    if (!country.empty()) r.mutable_travel()->set_passport_country(country);
    record.paths.push_back("travel");
  }
  if (auto point = in.Point()) *r.mutable_home_base() = *point;
  if (in.Has("commune")) {
    r.set_home_commune(in.Text("commune"));
    record.paths.push_back("home_commune");
  }
  r.set_max_deployment_days(in.Whole<int32_t>("max_days").value_or(0));
  if (in.Has("contacts")) {
    for (auto& contact : in.Parsed("contacts", &ParseContact)) *r.add_contacts() = contact;
    record.paths.push_back("contacts");
  }
}

void ReadWarehouse(RowReader& in, ImportRecord& record) {
  v1::Warehouse& w = record.warehouse;
  record.organisation_ref = in.Text("organisation");
  record.external_ref = in.Text("external_ref");
  w.set_external_ref(record.external_ref);
  w.set_name(in.Text("name"));
  w.set_commune(in.Text("commune"));
  if (auto point = in.Point()) *w.mutable_location() = *point;
  record.paths = {"name", "commune", "location"};
}

void ReadStock(RowReader& in, ImportRecord& record) {
  v1::StockLine& line = record.stock;
  record.organisation_ref = in.Text("organisation");
  record.warehouse_ref = in.Text("warehouse");
  record.external_ref = in.Text("external_ref");
  line.set_external_ref(record.external_ref);
  line.set_item_code(in.Text("item"));
  line.set_lot(in.Text("lot"));
  record.quantity = in.Whole<int64_t>("quantity").value_or(0);
  record.paths = {"warehouse_id", "item_code", "lot"};
  if (in.Has("expires")) {
    if (auto expires = in.Date("expires")) *line.mutable_expires_at() = ToTimestamp(*expires);
    record.paths.push_back("expires_at");
  }
}

void ReadTeam(RowReader& in, ImportRecord& record) {
  v1::Team& team = record.team;
  record.organisation_ref = in.Text("organisation");
  record.external_ref = in.Text("external_ref");
  team.set_external_ref(record.external_ref);
  team.set_name(in.Text("name"));
  team.set_type_code(in.Text("type"));
  record.member_refs = in.Items("members");
  if (record.member_refs.empty() && in.ok()) {
    in.Problem("members", std::string(Text(Msg::kImportRequired)));
  }
  record.paths = {"name", "type_code", "member_ids"};
  if (in.Has("kit")) {
    for (const v1::KitLine& line : in.Parsed("kit", &ParseKitLine)) {
      record.kit_refs.emplace_back(line.stock_line_id(), line.quantity());
    }
    record.paths.push_back("kit");
  }
  if (in.Has("description")) {
    team.set_description(in.Text("description"));
    record.paths.push_back("description");
  }
}

}  // namespace

std::optional<ImportKind> ParseImportKind(std::string_view word) {
  for (const auto& [kind, name] : kKindNames) {
    if (word == name) return kind;
  }
  return std::nullopt;
}

std::string ImportKindName(ImportKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "?";
}

std::string ImportKindList() {
  std::vector<std::string> names;
  for (const auto& entry : kKindNames) names.push_back(entry.second);
  return absl::StrJoin(names, ", ");
}

std::string ProblemText(const std::string& file, const LineProblem& problem) {
  std::string text = file;
  if (problem.line > 0) absl::StrAppend(&text, ":", problem.line);
  if (!problem.column.empty()) absl::StrAppend(&text, ": ", problem.column);
  absl::StrAppend(&text, ": ", problem.reason);
  return text;
}

const ImportColumns& ColumnsOf(ImportKind kind) {
  static const auto* const organisations =
      new ImportColumns{{"external_ref", "name", "kind", "domains", "commune", "lat", "lon",
                         "email", "phone", "website", "description"},
                        {"external_ref", "name", "kind", "domains", "commune", "lat", "lon"}};
  static const auto* const responders = new ImportColumns{
      {"organisation", "external_ref", "name", "skills", "languages", "certifications",
       "passport_until", "passport_country", "lat", "lon", "commune", "max_days", "contacts"},
      {"organisation", "external_ref", "name", "skills", "lat", "lon", "max_days"}};
  static const auto* const warehouses =
      new ImportColumns{{"organisation", "external_ref", "name", "commune", "lat", "lon"},
                        {"organisation", "external_ref", "name", "commune", "lat", "lon"}};
  static const auto* const stock = new ImportColumns{
      {"organisation", "warehouse", "external_ref", "item", "lot", "quantity", "expires"},
      {"organisation", "warehouse", "external_ref", "item", "lot", "quantity"}};
  static const auto* const teams = new ImportColumns{
      {"organisation", "external_ref", "name", "type", "members", "kit", "description"},
      {"organisation", "external_ref", "name", "type", "members"}};
  switch (kind) {
    case ImportKind::kOrganisations:
      return *organisations;
    case ImportKind::kResponders:
      return *responders;
    case ImportKind::kWarehouses:
      return *warehouses;
    case ImportKind::kStock:
      return *stock;
    case ImportKind::kTeams:
      return *teams;
  }
  return *organisations;
}

const std::string& CsvRow::Get(const std::string& column) const {
  static const auto* const empty = new std::string();
  auto it = cells.find(column);
  return it == cells.end() ? *empty : it->second;
}

ImportTable ToTable(ImportKind kind, const std::vector<CsvRecord>& records,
                    std::vector<LineProblem>* problems) {
  ImportTable table;
  if (records.empty()) {
    problems->push_back({0, "", std::string(Text(Msg::kImportNoHeader))});
    return table;
  }
  const ImportColumns& columns = ColumnsOf(kind);
  const CsvRecord& header = records.front();
  std::set<std::string> seen;
  bool header_ok = true;
  for (const std::string& raw : header.fields) {
    const std::string name(absl::StripAsciiWhitespace(raw));
    if (std::find(columns.all.begin(), columns.all.end(), name) == columns.all.end()) {
      problems->push_back(
          {header.line, name,
           Say(Msg::kImportUnknownColumn, ImportKindName(kind), absl::StrJoin(columns.all, ", "))});
      header_ok = false;
    } else if (!seen.insert(name).second) {
      problems->push_back({header.line, name, std::string(Text(Msg::kImportColumnTwice))});
      header_ok = false;
    }
    table.header.push_back(name);
  }
  for (const std::string& name : columns.all) {
    if (columns.required.contains(name) && !seen.contains(name)) {
      problems->push_back({header.line, name, std::string(Text(Msg::kImportMissingColumn))});
      header_ok = false;
    }
  }
  if (!header_ok) return table;
  for (size_t i = 1; i < records.size(); ++i) {
    const CsvRecord& record = records[i];
    if (record.fields.size() > table.header.size()) {
      problems->push_back(
          {record.line, "",
           Say(Msg::kImportTooManyCells, record.fields.size(), table.header.size())});
      continue;
    }
    CsvRow row;
    row.line = record.line;
    for (size_t c = 0; c < table.header.size(); ++c) {
      row.cells[table.header[c]] = c < record.fields.size() ? record.fields[c] : "";
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

std::optional<ImportRecord> ParseRow(ImportKind kind, const CsvRow& row,
                                     std::vector<LineProblem>* problems) {
  RowReader in(row, ColumnsOf(kind), problems);
  ImportRecord record;
  record.line = row.line;
  for (const auto& cell : row.cells) record.columns.insert(cell.first);
  switch (kind) {
    case ImportKind::kOrganisations:
      ReadOrganisation(in, record);
      break;
    case ImportKind::kResponders:
      ReadResponder(in, record);
      break;
    case ImportKind::kWarehouses:
      ReadWarehouse(in, record);
      break;
    case ImportKind::kStock:
      ReadStock(in, record);
      break;
    case ImportKind::kTeams:
      ReadTeam(in, record);
      break;
  }
  if (!in.ok()) return std::nullopt;
  return record;
}

std::vector<LineProblem> FindDuplicates(const std::vector<ImportRecord>& records) {
  std::vector<LineProblem> problems;
  std::map<std::pair<std::string, std::string>, int> first_line;
  for (const ImportRecord& record : records) {
    auto [it, inserted] = first_line.emplace(
        std::make_pair(record.organisation_ref, record.external_ref), record.line);
    if (!inserted) {
      problems.push_back({record.line, "external_ref",
                          Say(Msg::kImportDuplicateRef, record.external_ref, it->second)});
    }
  }
  return problems;
}

std::vector<std::string> ChangedPaths(const google::protobuf::Message& existing,
                                      const google::protobuf::Message& wanted,
                                      const std::vector<std::string>& paths) {
  std::vector<std::string> changed;
  const google::protobuf::Descriptor* descriptor = wanted.GetDescriptor();
  google::protobuf::util::MessageDifferencer differencer;
  for (const std::string& path : paths) {
    const google::protobuf::FieldDescriptor* field = descriptor->FindFieldByName(path);
    if (field == nullptr) continue;
    if (!differencer.CompareWithFields(existing, wanted, {field}, {field})) {
      changed.push_back(path);
    }
  }
  return changed;
}

std::string ImportRequestId(ImportKind kind, std::string_view verb,
                            const std::vector<std::string>& parts) {
  // FNV-1a, 64 bits: stable across runs and machines (unlike absl::Hash), and the request ids
  // it makes are only compared within one principal's own.
  uint64_t hash = 14695981039346656037ull;
  for (const std::string& part : parts) {
    for (const char c : part) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 1099511628211ull;
    }
    hash ^= 0x1f;  // a separator, so that ("ab", "c") and ("a", "bc") differ
    hash *= 1099511628211ull;
  }
  return absl::StrFormat("import:%s:%s:%016x", ImportKindName(kind), std::string(verb), hash);
}

std::string ColumnOfFieldPath(ImportKind kind, std::string_view path_text) {
  absl::string_view field_path(path_text.data(), path_text.size());
  for (absl::string_view prefix : {"organisation.", "responder.", "warehouse.", "line.", "team."}) {
    if (absl::ConsumePrefix(&field_path, prefix)) break;
  }
  const std::string head(field_path.substr(0, field_path.find_first_of(".[: ")));
  static const auto* const renamed = new std::map<std::string, std::string>{
      {"display_name", "name"},
      {"home_base", "lat"},
      {"location", "lat"},
      {"home_commune", "commune"},
      {"max_deployment_days", "max_days"},
      {"type_code", "type"},
      {"member_ids", "members"},
      {"item_code", "item"},
      {"expires_at", "expires"},
      {"warehouse_id", "warehouse"},
      {"email", "email"},
  };
  std::string column = head;
  if (auto it = renamed->find(head); it != renamed->end()) column = it->second;
  if (head == "travel") {
    column = absl::StrContains(field_path, "country") ? "passport_country" : "passport_until";
  }
  if (head == "contact") {
    const absl::string_view rest = field_path.substr(std::min(field_path.size(), head.size() + 1));
    column = std::string(rest.substr(0, rest.find_first_of(".[: ")));
  }
  const ImportColumns& columns = ColumnsOf(kind);
  if (std::find(columns.all.begin(), columns.all.end(), column) == columns.all.end()) return "";
  return column;
}

}  // namespace relais::cli
