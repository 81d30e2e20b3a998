// relaisctl import organisations|responders|warehouses|stock|teams FILE.csv: the lists OSIs keep
// in spreadsheets, brought into the inventory line by line. Every line is checked first (its
// cells, then the records it names); good lines are written one call each, matched by
// external_ref so that an import run twice writes nothing the second time.
#include <google/protobuf/struct.pb.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clients/relaisctl/call.h"
#include "clients/relaisctl/csv_import.h"
#include "clients/relaisctl/csv_reader.h"
#include "clients/relaisctl/messages.h"
#include "clients/relaisctl/nouns.h"
#include "clients/relaisctl/output.h"
#include "clients/relaisctl/table.h"
#include "relais/v1/inventory.grpc.pb.h"

namespace relais::cli {
namespace {

namespace v1 = relais::v1;
using Stub = v1::ResourceInventory::Stub;

struct ImportFlags {
  std::string file;
  bool dry_run = false;
  bool all_or_nothing = false;
};

enum class Outcome { kCreated, kUpdated, kUnchanged };

// What to do with one good line: the write (none when the record is already as the file says),
// sent for the organisation that owns the record.
struct Step {
  const ImportRecord* record = nullptr;
  std::string organisation_id;
  Outcome outcome = Outcome::kUnchanged;
  std::function<grpc::Status(Stub&, grpc::ClientContext&)> write;
};

template <typename Message>
std::map<std::string, Message> ByExternalRef(const std::vector<Message>& items) {
  std::map<std::string, Message> by_ref;
  for (const Message& item : items) {
    if (!item.external_ref().empty()) by_ref.emplace(item.external_ref(), item);
  }
  return by_ref;
}

class Importer {
 public:
  Importer(Session& session, ImportKind kind, const ImportFlags& flags)
      : session_(session), stub_(session.Channel()), kind_(kind), flags_(flags) {}

  int Run();

 private:
  // The directory's administrator writes for every organisation (access_policy.cc); everyone
  // else only for their own.
  bool ActsForAnyOrganisation() const { return session_.settings().role == "admin"; }
  void Problem(int line, std::string column, std::string reason) {
    problems_.push_back({line, std::move(column), std::move(reason)});
  }
  // The id of the record's organisation when the caller may write for it.
  std::optional<std::string> OwnerOf(const ImportRecord& record);
  // What exists in one organisation, read once.
  grpc::Status Load(const std::string& organisation_id);
  std::optional<Step> Plan(const ImportRecord& record);
  std::optional<Step> PlanOrganisation(const ImportRecord& record);
  std::optional<Step> PlanResponder(const ImportRecord& record, const std::string& owner);
  std::optional<Step> PlanWarehouse(const ImportRecord& record, const std::string& owner);
  std::optional<Step> PlanStock(const ImportRecord& record, const std::string& owner);
  std::optional<Step> PlanTeam(const ImportRecord& record, const std::string& owner);
  int Report(const std::map<Outcome, int>& counts, bool written);
  int Failed(const grpc::Status& status);

  Session& session_;
  Stub stub_;
  ImportKind kind_;
  const ImportFlags& flags_;
  std::vector<LineProblem> problems_;
  // --all-or-nothing kept every write back because of a bad line.
  bool blocked_ = false;
  std::map<std::string, v1::Organisation> organisations_;  // by external_ref
  std::set<std::string> loaded_;
  std::map<std::string, std::map<std::string, v1::Responder>> responders_;  // org id -> ref ->
  std::map<std::string, std::map<std::string, v1::Warehouse>> warehouses_;
  std::map<std::string, std::map<std::string, v1::StockLine>> stock_;
  std::map<std::string, std::map<std::string, v1::Team>> teams_;
};

std::optional<std::string> Importer::OwnerOf(const ImportRecord& record) {
  auto it = organisations_.find(record.organisation_ref);
  if (it == organisations_.end()) {
    Problem(record.line, "organisation", Say(Msg::kImportNoOrganisation, record.organisation_ref));
    return std::nullopt;
  }
  const std::string& id = it->second.id();
  if (!ActsForAnyOrganisation() && id != session_.settings().organisation) {
    Problem(record.line, "organisation",
            Say(Msg::kImportNotYourOrganisation, record.organisation_ref, id));
    return std::nullopt;
  }
  return id;
}

grpc::Status Importer::Load(const std::string& organisation_id) {
  if (!loaded_.insert(organisation_id).second) return grpc::Status::OK;
  const bool need_responders = kind_ == ImportKind::kResponders || kind_ == ImportKind::kTeams;
  const bool need_warehouses = kind_ == ImportKind::kWarehouses || kind_ == ImportKind::kStock;
  const bool need_stock = kind_ == ImportKind::kStock || kind_ == ImportKind::kTeams;
  if (need_responders) {
    v1::ListRespondersRequest request;
    request.set_organisation_id(organisation_id);
    std::vector<v1::Responder> items;
    auto status = ListEveryPage(session_, stub_, request, &Stub::ListResponders,
                                &v1::ListRespondersResponse::responders, &items);
    if (!status.ok()) return status;
    responders_[organisation_id] = ByExternalRef(items);
  }
  if (need_warehouses) {
    v1::ListWarehousesRequest request;
    request.set_organisation_id(organisation_id);
    std::vector<v1::Warehouse> items;
    auto status = ListEveryPage(session_, stub_, request, &Stub::ListWarehouses,
                                &v1::ListWarehousesResponse::warehouses, &items);
    if (!status.ok()) return status;
    warehouses_[organisation_id] = ByExternalRef(items);
  }
  if (need_stock) {
    v1::ListStockRequest request;
    request.set_organisation_id(organisation_id);
    std::vector<v1::StockLine> items;
    auto status = ListEveryPage(session_, stub_, request, &Stub::ListStock,
                                &v1::ListStockResponse::lines, &items);
    if (!status.ok()) return status;
    stock_[organisation_id] = ByExternalRef(items);
  }
  if (kind_ == ImportKind::kTeams) {
    v1::ListTeamsRequest request;
    request.set_organisation_id(organisation_id);
    std::vector<v1::Team> items;
    auto status = ListEveryPage(session_, stub_, request, &Stub::ListTeams,
                                &v1::ListTeamsResponse::teams, &items);
    if (!status.ok()) return status;
    teams_[organisation_id] = ByExternalRef(items);
  }
  return grpc::Status::OK;
}

// The content part of a request id: the request without its own id.
template <typename Request>
std::string Content(Request request) {
  request.clear_request_id();
  return request.SerializeAsString();
}

// The calls that register and update one kind of record, for PlanRegisterOrUpdate.
template <typename Message>
struct Writes;

template <>
struct Writes<v1::Organisation> {
  using Register = v1::RegisterOrganisationRequest;
  using Update = v1::UpdateOrganisationRequest;
  static constexpr char kRegisterVerb[] = "register";
  static v1::Organisation* Field(Register& r) { return r.mutable_organisation(); }
  static v1::Organisation* Field(Update& r) { return r.mutable_organisation(); }
  static void SetId(Update& r, const std::string& id) { r.set_organisation_id(id); }
  static constexpr auto kRegister = &Stub::RegisterOrganisation;
  static constexpr auto kUpdate = &Stub::UpdateOrganisation;
};

template <>
struct Writes<v1::Responder> {
  using Register = v1::RegisterResponderRequest;
  using Update = v1::UpdateResponderRequest;
  static constexpr char kRegisterVerb[] = "register";
  static v1::Responder* Field(Register& r) { return r.mutable_responder(); }
  static v1::Responder* Field(Update& r) { return r.mutable_responder(); }
  static void SetId(Update& r, const std::string& id) { r.set_responder_id(id); }
  static constexpr auto kRegister = &Stub::RegisterResponder;
  static constexpr auto kUpdate = &Stub::UpdateResponder;
};

template <>
struct Writes<v1::Team> {
  using Register = v1::OfferTeamRequest;
  using Update = v1::UpdateTeamRequest;
  static constexpr char kRegisterVerb[] = "offer";
  static v1::Team* Field(Register& r) { return r.mutable_team(); }
  static v1::Team* Field(Update& r) { return r.mutable_team(); }
  static void SetId(Update& r, const std::string& id) { r.set_team_id(id); }
  static constexpr auto kRegister = &Stub::OfferTeam;
  static constexpr auto kUpdate = &Stub::UpdateTeam;
};

// A write of `request` with `method`, for a Step; the answer is not needed.
template <typename Message, typename Request>
std::function<grpc::Status(Stub&, grpc::ClientContext&)> WriteOf(
    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Message*), Request request) {
  return [method, request = std::move(request)](Stub& stub, grpc::ClientContext& context) {
    Message out;
    return (stub.*method)(&context, request, &out);
  };
}

// Organisations, responders and teams alike: a record not found by its external_ref
// (`current` null) is registered as `wanted`; one found is updated with the fields that differ,
// at the version read, or left as it is. `keys` name the record in its request ids.
template <typename Message>
Step PlanRegisterOrUpdate(Step step, ImportKind kind, const Message* current, const Message& wanted,
                          const std::vector<std::string>& keys) {
  using W = Writes<Message>;
  std::vector<std::string> id_parts = keys;
  if (current == nullptr) {
    typename W::Register request;
    *W::Field(request) = wanted;
    id_parts.push_back(Content(request));
    request.set_request_id(ImportRequestId(kind, W::kRegisterVerb, id_parts));
    step.outcome = Outcome::kCreated;
    step.write = WriteOf(W::kRegister, std::move(request));
    return step;
  }
  const std::vector<std::string> changed = ChangedPaths(*current, wanted, step.record->paths);
  if (changed.empty()) return step;
  typename W::Update request;
  W::SetId(request, current->id());
  *W::Field(request) = wanted;
  for (const std::string& path : changed) request.mutable_update_mask()->add_paths(path);
  request.set_expected_version(current->version());
  id_parts.push_back(Content(request));
  request.set_request_id(ImportRequestId(kind, "update", id_parts));
  step.outcome = Outcome::kUpdated;
  step.write = WriteOf(W::kUpdate, std::move(request));
  return step;
}

std::optional<Step> Importer::PlanOrganisation(const ImportRecord& record) {
  Step step{.record = &record, .organisation_id = session_.settings().organisation};
  auto existing = organisations_.find(record.external_ref);
  if (existing == organisations_.end()) {
    return PlanRegisterOrUpdate<v1::Organisation>(step, kind_, nullptr, record.organisation,
                                                  {record.external_ref});
  }
  const v1::Organisation& current = existing->second;
  v1::Organisation wanted = record.organisation;
  // A contact column the file does not have keeps its value.
  if (wanted.has_contact()) {
    if (!record.columns.contains("email")) {
      wanted.mutable_contact()->set_email(current.contact().email());
    }
    if (!record.columns.contains("phone")) {
      wanted.mutable_contact()->set_phone(current.contact().phone());
    }
    if (!record.columns.contains("website")) {
      wanted.mutable_contact()->set_website(current.contact().website());
    }
  }
  return PlanRegisterOrUpdate(step, kind_, &current, wanted, {record.external_ref});
}

std::optional<Step> Importer::PlanResponder(const ImportRecord& record, const std::string& owner) {
  Step step{.record = &record, .organisation_id = owner};
  const std::vector<std::string> keys = {record.organisation_ref, record.external_ref};
  const auto& existing = responders_[owner];
  auto found = existing.find(record.external_ref);
  if (found == existing.end()) {
    return PlanRegisterOrUpdate<v1::Responder>(step, kind_, nullptr, record.responder, keys);
  }
  const v1::Responder& current = found->second;
  v1::Responder wanted = record.responder;
  // Half a passport in the file: the other half stays as it is.
  if (!record.columns.contains("passport_until") && current.travel().has_passport_valid_until()) {
    *wanted.mutable_travel()->mutable_passport_valid_until() =
        current.travel().passport_valid_until();
  }
  if (!record.columns.contains("passport_country") &&
      !current.travel().passport_country().empty()) {
    wanted.mutable_travel()->set_passport_country(current.travel().passport_country());
  }
  return PlanRegisterOrUpdate(step, kind_, &current, wanted, keys);
}

std::optional<Step> Importer::PlanWarehouse(const ImportRecord& record, const std::string& owner) {
  Step step{.record = &record, .organisation_id = owner};
  const auto& existing = warehouses_[owner];
  auto found = existing.find(record.external_ref);
  if (found == existing.end()) {
    v1::RegisterWarehouseRequest request;
    *request.mutable_warehouse() = record.warehouse;
    request.set_request_id(ImportRequestId(
        kind_, "register", {record.organisation_ref, record.external_ref, Content(request)}));
    step.outcome = Outcome::kCreated;
    step.write = [request](Stub& stub, grpc::ClientContext& context) {
      v1::Warehouse out;
      return stub.RegisterWarehouse(&context, request, &out);
    };
    return step;
  }
  // The API has no UpdateWarehouse: a warehouse that differs is pointed out, not changed.
  const std::vector<std::string> changed =
      ChangedPaths(found->second, record.warehouse, record.paths);
  if (!changed.empty()) {
    Problem(record.line, ColumnOfFieldPath(kind_, changed.front()),
            Say(Msg::kImportWarehouseFixed, found->second.id()));
    return std::nullopt;
  }
  return step;
}

std::optional<Step> Importer::PlanStock(const ImportRecord& record, const std::string& owner) {
  Step step{.record = &record, .organisation_id = owner};
  const auto& warehouses = warehouses_[owner];
  auto warehouse = warehouses.find(record.warehouse_ref);
  if (warehouse == warehouses.end()) {
    Problem(record.line, "warehouse",
            Say(Msg::kImportNoWarehouse, record.warehouse_ref, record.organisation_ref));
    return std::nullopt;
  }
  v1::StockLine wanted = record.stock;
  wanted.set_warehouse_id(warehouse->second.id());
  const auto& existing = stock_[owner];
  auto found = existing.find(record.external_ref);
  if (found == existing.end()) {
    v1::OfferSuppliesRequest request;
    *request.mutable_line() = wanted;
    request.set_quantity(record.quantity);
    request.set_request_id(ImportRequestId(
        kind_, "offer", {record.organisation_ref, record.external_ref, Content(request)}));
    step.outcome = Outcome::kCreated;
    step.write = [request](Stub& stub, grpc::ClientContext& context) {
      v1::StockLine out;
      return stub.OfferSupplies(&context, request, &out);
    };
    return step;
  }
  const v1::StockLine& current = found->second;
  // A line's description cannot change (no UpdateStockLine); its count can, by an adjustment.
  const std::vector<std::string> changed = ChangedPaths(current, wanted, record.paths);
  if (!changed.empty()) {
    Problem(record.line, ColumnOfFieldPath(kind_, changed.front()),
            Say(Msg::kImportStockFixed, current.id()));
    return std::nullopt;
  }
  const int64_t counted = current.ledger().offered() + current.ledger().adjusted();
  if (counted == record.quantity) return step;
  v1::AdjustStockRequest request;
  request.set_stock_line_id(current.id());
  request.set_delta(record.quantity - counted);
  request.set_reason(v1::ADJUSTMENT_REASON_COUNT);
  request.set_note("relaisctl import");
  // The count it was read at is part of the id: the same file again finds nothing to adjust.
  request.set_request_id(ImportRequestId(
      kind_, "adjust",
      {record.organisation_ref, record.external_ref, absl::StrCat(counted), Content(request)}));
  step.outcome = Outcome::kUpdated;
  step.write = [request](Stub& stub, grpc::ClientContext& context) {
    v1::StockLine out;
    return stub.AdjustStock(&context, request, &out);
  };
  return step;
}

std::optional<Step> Importer::PlanTeam(const ImportRecord& record, const std::string& owner) {
  Step step{.record = &record, .organisation_id = owner};
  v1::Team wanted = record.team;
  bool ok = true;
  const auto& responders = responders_[owner];
  for (const std::string& ref : record.member_refs) {
    auto member = responders.find(ref);
    if (member == responders.end()) {
      Problem(record.line, "members", Say(Msg::kImportNoResponder, ref, record.organisation_ref));
      ok = false;
    } else {
      wanted.add_member_ids(member->second.id());
    }
  }
  const auto& lines = stock_[owner];
  for (const auto& [ref, quantity] : record.kit_refs) {
    auto line = lines.find(ref);
    if (line == lines.end()) {
      Problem(record.line, "kit", Say(Msg::kImportNoStockLine, ref, record.organisation_ref));
      ok = false;
    } else {
      v1::KitLine& kit = *wanted.add_kit();
      kit.set_stock_line_id(line->second.id());
      kit.set_quantity(quantity);
    }
  }
  if (!ok) return std::nullopt;
  const auto& existing = teams_[owner];
  auto found = existing.find(record.external_ref);
  return PlanRegisterOrUpdate(step, kind_, found == existing.end() ? nullptr : &found->second,
                              wanted, {record.organisation_ref, record.external_ref});
}

std::optional<Step> Importer::Plan(const ImportRecord& record) {
  if (kind_ == ImportKind::kOrganisations) return PlanOrganisation(record);
  const std::optional<std::string> owner = OwnerOf(record);
  if (!owner) return std::nullopt;
  switch (kind_) {
    case ImportKind::kResponders:
      return PlanResponder(record, *owner);
    case ImportKind::kWarehouses:
      return PlanWarehouse(record, *owner);
    case ImportKind::kStock:
      return PlanStock(record, *owner);
    case ImportKind::kTeams:
      return PlanTeam(record, *owner);
    case ImportKind::kOrganisations:
      break;
  }
  return std::nullopt;
}

int Importer::Failed(const grpc::Status& status) {
  return session_.Finish(
      status, google::protobuf::Struct(), [] { return std::string(); }, CallKind::kRead);
}

int Importer::Run() {
  if (kind_ == ImportKind::kOrganisations && !ActsForAnyOrganisation()) {
    return session_.UsageError(std::string(Text(Msg::kImportOrganisationsAdminOnly)));
  }
  std::ifstream in(flags_.file, std::ios::binary);
  if (!in) return session_.UsageError(Say(Msg::kImportCannotRead, flags_.file));
  std::stringstream content;
  content << in.rdbuf();

  std::vector<ImportRecord> records;
  absl::StatusOr<std::vector<CsvRecord>> csv = ReadCsv(content.str());
  if (!csv.ok()) {
    Problem(0, "", std::string(csv.status().message()));
    return Report({}, false);
  }
  const ImportTable table = ToTable(kind_, *csv, &problems_);
  if (!problems_.empty() && table.rows.empty()) return Report({}, false);
  for (const CsvRow& row : table.rows) {
    if (auto record = ParseRow(kind_, row, &problems_)) records.push_back(*std::move(record));
  }
  std::set<int> duplicates;
  for (LineProblem& problem : FindDuplicates(records)) {
    duplicates.insert(problem.line);
    problems_.push_back(std::move(problem));
  }

  // What exists: every organisation (they are matched by external_ref), then what each
  // organisation named in the file already has.
  std::vector<v1::Organisation> organisations;
  if (auto status =
          ListEveryPage(session_, stub_, v1::ListOrganisationsRequest(), &Stub::ListOrganisations,
                        &v1::ListOrganisationsResponse::organisations, &organisations);
      !status.ok()) {
    return Failed(status);
  }
  organisations_ = ByExternalRef(organisations);
  std::vector<Step> steps;
  for (const ImportRecord& record : records) {
    if (duplicates.contains(record.line)) continue;
    if (kind_ != ImportKind::kOrganisations) {
      // Only what the caller may write is read: an OSI may not list another's records.
      auto owner = organisations_.find(record.organisation_ref);
      if (owner != organisations_.end() &&
          (ActsForAnyOrganisation() || owner->second.id() == session_.settings().organisation)) {
        if (auto status = Load(owner->second.id()); !status.ok()) return Failed(status);
      }
    }
    if (auto step = Plan(record)) steps.push_back(*std::move(step));
  }

  std::map<Outcome, int> counts;
  const bool write = !flags_.dry_run && !(flags_.all_or_nothing && !problems_.empty());
  blocked_ = !flags_.dry_run && !write;
  const bool progress = write && !session_.settings().json && session_.ErrIsTerminal();
  int done = 0;
  for (const Step& step : steps) {
    if (write && step.write) {
      const grpc::Status status = session_.CallFor(
          step.organisation_id,
          [&](grpc::ClientContext& context) { return step.write(stub_, context); });
      if (!status.ok()) {
        Problem(step.record->line, ColumnOfFieldPath(kind_, status.error_message()),
                Say(Msg::kImportRefusedByServer, StatusCodeName(status.error_code()),
                    status.error_message()));
        continue;
      }
    }
    if (write || flags_.dry_run) ++counts[step.outcome];
    if (progress) {
      session_.err() << "\r"
                     << Say(Msg::kImportProgress, ImportKindName(kind_), ++done, steps.size())
                     << std::flush;
    }
  }
  if (progress) session_.err() << "\n";
  if (!write && !flags_.dry_run) {
    // --all-or-nothing with bad lines: only what needed no write is as the file says.
    counts.clear();
    for (const Step& step : steps) {
      if (!step.write) ++counts[Outcome::kUnchanged];
    }
  }
  return Report(counts, write);
}

int Importer::Report(const std::map<Outcome, int>& counts, bool written) {
  std::sort(problems_.begin(), problems_.end(),
            [](const LineProblem& a, const LineProblem& b) { return a.line < b.line; });
  std::set<int> refused_lines;
  for (const LineProblem& problem : problems_) refused_lines.insert(problem.line);
  const auto count = [&](Outcome outcome) {
    auto it = counts.find(outcome);
    return it == counts.end() ? 0 : it->second;
  };
  const int refused = static_cast<int>(refused_lines.size());
  if (session_.settings().json) {
    google::protobuf::Struct report;
    auto& fields = *report.mutable_fields();
    fields["file"].set_string_value(flags_.file);
    fields["kind"].set_string_value(ImportKindName(kind_));
    fields["dry_run"].set_bool_value(flags_.dry_run);
    fields["written"].set_bool_value(written);
    fields["created"].set_number_value(count(Outcome::kCreated));
    fields["updated"].set_number_value(count(Outcome::kUpdated));
    fields["unchanged"].set_number_value(count(Outcome::kUnchanged));
    fields["refused"].set_number_value(refused);
    auto& list = *fields["problems"].mutable_list_value();
    for (const LineProblem& problem : problems_) {
      auto& item = *list.add_values()->mutable_struct_value()->mutable_fields();
      item["line"].set_number_value(problem.line);
      item["column"].set_string_value(problem.column);
      item["reason"].set_string_value(problem.reason);
      item["text"].set_string_value(ProblemText(flags_.file, problem));
    }
    session_.out() << ToJson(report);
  } else {
    const std::vector<Column> columns = {
        {.header = std::string(Text(Msg::kColImportKind))},
        {.header = std::string(Text(Msg::kColCreated)), .align = Align::kRight},
        {.header = std::string(Text(Msg::kColUpdated)), .align = Align::kRight},
        {.header = std::string(Text(Msg::kColUnchanged)), .align = Align::kRight},
        {.header = std::string(Text(Msg::kColRefused)), .align = Align::kRight},
    };
    const std::vector<Row> rows = {
        {.cells = {ImportKindName(kind_), absl::StrCat(count(Outcome::kCreated)),
                   absl::StrCat(count(Outcome::kUpdated)), absl::StrCat(count(Outcome::kUnchanged)),
                   absl::StrCat(refused)}}};
    std::string out;
    if (flags_.dry_run) out += Say(Msg::kImportDryRun) + "\n";
    out += RenderTable(columns, rows);
    if (blocked_) {
      out += Say(Msg::kImportNothingWritten) + "\n";
    }
    session_.out() << out;
    for (const LineProblem& problem : problems_) {
      session_.err() << ProblemText(flags_.file, problem) << "\n";
    }
  }
  return problems_.empty() ? kExitOk : kExitServerError;
}

void AddImportVerb(Cli& cli, CLI::App* noun, ImportKind kind, Msg help) {
  auto flags = std::make_shared<ImportFlags>();
  CLI::App* verb =
      cli.AddVerb(noun, ImportKindName(kind), Say(help), [flags, kind](Session& session) {
        Importer importer(session, kind, *flags);
        return importer.Run();
      });
  verb->add_option("file", flags->file, Say(Msg::kHelpImportFile))->required()->type_name("FILE");
  verb->add_flag("--dry-run", flags->dry_run, Say(Msg::kHelpImportDryRun));
  verb->add_flag("--all-or-nothing", flags->all_or_nothing, Say(Msg::kHelpImportAllOrNothing));
  verb->footer(Say(Msg::kHelpImportFooter) + "\n\n" + Say(Msg::kHelpVerbFooter));
}

}  // namespace

void RegisterImportNoun(Cli& cli) {
  CLI::App* noun = cli.AddNoun("import", Say(Msg::kHelpImport), InventoryService());
  AddImportVerb(cli, noun, ImportKind::kOrganisations, Msg::kHelpImportOrganisations);
  AddImportVerb(cli, noun, ImportKind::kResponders, Msg::kHelpImportResponders);
  AddImportVerb(cli, noun, ImportKind::kWarehouses, Msg::kHelpImportWarehouses);
  AddImportVerb(cli, noun, ImportKind::kStock, Msg::kHelpImportStock);
  AddImportVerb(cli, noun, ImportKind::kTeams, Msg::kHelpImportTeams);
}

}  // namespace relais::cli
