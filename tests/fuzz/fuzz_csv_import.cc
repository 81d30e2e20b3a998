// Fuzz target: `relaisctl import`. The bytes are a CSV file; it goes through what the import does
// before its first gRPC call (import_noun.cc, Importer::Run), once for each import kind: ReadCsv,
// ToTable, ParseRow, FindDuplicates, then the requests each good line would send (ChangedPaths
// against an empty record, ImportRequestId, ColumnOfFieldPath).
//
// What must hold, whatever the bytes:
//   - no crash, no sanitizer report;
//   - records start on increasing physical lines of the file, their fields are valid UTF-8;
//   - every problem names line 0 (the file) or a line of the file, and says something;
//   - a line accepted has its external_ref (and its organisation's), its timestamps are valid
//     protobuf Timestamps, and the request it makes serialises and parses back as it was (a
//     message that does not would be refused by the server's gRPC parser, not by our checks);
//   - a request id is "import:<kind>:<verb>:<16 hex digits>".
#include <google/protobuf/message.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clients/relaisctl/csv_import.h"
#include "clients/relaisctl/csv_reader.h"

namespace relais::cli {
namespace {

namespace v1 = relais::v1;

void Require(bool ok, std::string_view what, std::string_view detail = "") {
  if (ok) return;
  std::fprintf(stderr, "fuzz_csv_import: %.*s (%.*s)\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

void CheckTimestamp(const google::protobuf::Timestamp& time, std::string_view what) {
  Require(time.nanos() >= 0 && time.nanos() <= 999'999'999, "a timestamp's nanos are out of range",
          what);
}

// The message a good line becomes, as it would be sent.
void CheckRequest(const google::protobuf::Message& message) {
  std::string bytes;
  Require(message.SerializeToString(&bytes), "a record does not serialise", message.GetTypeName());
  std::unique_ptr<google::protobuf::Message> parsed(message.New());
  Require(parsed->ParseFromString(bytes), "a record does not parse back", message.GetTypeName());
  Require(google::protobuf::util::MessageDifferencer::Equals(message, *parsed),
          "a record changed in a round trip", message.GetTypeName());
}

const google::protobuf::Message& MessageOf(ImportKind kind, const ImportRecord& record) {
  switch (kind) {
    case ImportKind::kOrganisations:
      return record.organisation;
    case ImportKind::kResponders:
      return record.responder;
    case ImportKind::kWarehouses:
      return record.warehouse;
    case ImportKind::kStock:
      return record.stock;
    case ImportKind::kTeams:
      return record.team;
  }
  return record.organisation;
}

void CheckRecord(ImportKind kind, const ImportRecord& record) {
  Require(!record.external_ref.empty(), "a good line without external_ref");
  Require(!record.organisation_ref.empty(), "a good line without its organisation");
  const google::protobuf::Message& message = MessageOf(kind, record);
  CheckRequest(message);
  for (const v1::HeldCertification& cert : record.responder.certifications()) {
    CheckTimestamp(cert.valid_until(), "certifications");
  }
  CheckTimestamp(record.responder.travel().passport_valid_until(), "passport_until");
  CheckTimestamp(record.stock.expires_at(), "expires");

  // What Importer::Plan* does with it, short of the call: a creation's id, the paths an update
  // would name, the column a server's complaint about each path would point at.
  std::unique_ptr<google::protobuf::Message> existing(message.New());
  const std::vector<std::string> changed = ChangedPaths(*existing, message, record.paths);
  for (const std::string& path : changed) {
    Require(std::find(record.paths.begin(), record.paths.end(), path) != record.paths.end(),
            "a changed path the record does not speak for", path);
  }
  const std::string id =
      ImportRequestId(kind, "register",
                      {record.organisation_ref, record.external_ref, message.SerializeAsString()});
  const std::string prefix = "import:" + ImportKindName(kind) + ":register:";
  Require(id.size() == prefix.size() + 16 && id.compare(0, prefix.size(), prefix) == 0,
          "a malformed request id", id);
  const std::vector<std::string>& columns = ColumnsOf(kind).all;
  for (const std::string& path : record.paths) {
    const std::string column = ColumnOfFieldPath(kind, path);
    Require(column.empty() || std::find(columns.begin(), columns.end(), column) != columns.end(),
            "a path maps to a column the kind does not have", path);
  }
}

void Import(ImportKind kind, const std::vector<CsvRecord>& records, int file_lines) {
  std::vector<LineProblem> problems;
  const ImportTable table = ToTable(kind, records, &problems);
  std::vector<ImportRecord> good;
  for (const CsvRow& row : table.rows) {
    const size_t before = problems.size();
    std::optional<ImportRecord> record = ParseRow(kind, row, &problems);
    Require(record.has_value() == (problems.size() == before),
            "a line is refused without a problem, or accepted with one");
    if (record) {
      Require(record->line == row.line, "a record moved lines");
      CheckRecord(kind, *record);
      good.push_back(*std::move(record));
    }
  }
  for (LineProblem& problem : FindDuplicates(good)) problems.push_back(std::move(problem));
  for (const LineProblem& problem : problems) {
    Require(problem.line >= 0 && problem.line <= file_lines, "a problem on a line the file lacks",
            ProblemText("fuzz.csv", problem));
    Require(!problem.reason.empty(), "a problem without a reason");
    (void)ProblemText("fuzz.csv", problem);
  }
}

}  // namespace
}  // namespace relais::cli

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace relais::cli;  // NOLINT
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  // Physical lines end with LF, CRLF or a CR alone.
  int file_lines = 1;
  for (size_t i = 0; i < content.size(); ++i) {
    if (content[i] == '\n' ||
        (content[i] == '\r' && (i + 1 == content.size() || content[i + 1] != '\n'))) {
      ++file_lines;
    }
  }
  absl::StatusOr<std::vector<CsvRecord>> records = ReadCsv(content);
  if (!records.ok()) {
    Require(records.status().code() == absl::StatusCode::kInvalidArgument,
            "a bad file is not INVALID_ARGUMENT", records.status().ToString());
    return 0;
  }
  int previous = 0;
  for (const CsvRecord& record : *records) {
    Require(record.line > previous && record.line <= file_lines,
            "records are not on increasing lines of the file");
    previous = record.line;
    for (const std::string& field : record.fields) {
      Require(IsValidUtf8(field), "a field is not valid UTF-8");
    }
  }
  for (ImportKind kind : {ImportKind::kOrganisations, ImportKind::kResponders,
                          ImportKind::kWarehouses, ImportKind::kStock, ImportKind::kTeams}) {
    Import(kind, *records, file_lines);
  }
  return 0;
}
