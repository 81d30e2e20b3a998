// `relaisctl import`: the pure part. From a CSV file's records to the records an organisation
// wants in the inventory, line by line, and what an import must do with each (create, update the
// fields that differ, nothing). No I/O: import_noun.cc reads the file, looks up what exists and
// makes the calls.
//
// Columns are named by the header row (order free). A cell means exactly what the matching flag
// of `relaisctl <noun> register` means, read by the same parsers (inventory_syntax.h); lists
// inside a cell are separated by ';'.
#pragma once

#include <google/protobuf/message.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clients/relaisctl/csv_reader.h"
#include "relais/v1/inventory.pb.h"
#include "relais/v1/stock.pb.h"
#include "relais/v1/teams.pb.h"

namespace relais::cli {

enum class ImportKind { kOrganisations, kResponders, kWarehouses, kStock, kTeams };

// "organisations", "responders", "warehouses", "stock", "teams".
std::optional<ImportKind> ParseImportKind(std::string_view word);
std::string ImportKindName(ImportKind kind);
std::string ImportKindList();

// What is wrong with one line: shown as "<file>:<line>: <column>: <reason>". Line 0 is the file
// as a whole (no line number shown); column "" when no single column is at fault.
struct LineProblem {
  int line = 0;
  std::string column;
  std::string reason;
};
std::string ProblemText(const std::string& file, const LineProblem& problem);

// The columns of one kind: every one the header may name, and those it must name.
struct ImportColumns {
  std::vector<std::string> all;
  std::set<std::string> required;
};
const ImportColumns& ColumnsOf(ImportKind kind);

// One data line of the file, by column name (only the header's columns are there).
struct CsvRow {
  int line = 0;
  std::map<std::string, std::string> cells;
  bool Has(const std::string& column) const { return cells.contains(column); }
  // The cell, or "" when the column is not in the file.
  const std::string& Get(const std::string& column) const;
};

// The header checked against the kind's columns (an unknown or repeated column, a required one
// missing: a problem on line 1 naming it), then the data rows. A row with more cells than the
// header is a problem of its line.
struct ImportTable {
  std::vector<std::string> header;
  std::vector<CsvRow> rows;
};
ImportTable ToTable(ImportKind kind, const std::vector<CsvRecord>& records,
                    std::vector<LineProblem>* problems);

// One line as the record it asks for. References to other records stay the file's own words
// (external_refs) until import_noun.cc resolves them to ids.
struct ImportRecord {
  int line = 0;
  // The organisation's external_ref: the record itself (organisations) or its owner.
  std::string organisation_ref;
  std::string external_ref;
  // The update-mask paths the file's columns speak for; a field whose column is absent is left
  // as it is.
  std::vector<std::string> paths;
  // The optional columns the file has (a missing one leaves its field as it is).
  std::set<std::string> columns;
  // Exactly one of these is used, by kind.
  relais::v1::Organisation organisation;
  relais::v1::Responder responder;
  relais::v1::Warehouse warehouse;
  relais::v1::StockLine stock;
  int64_t quantity = 0;
  std::string warehouse_ref;
  relais::v1::Team team;
  std::vector<std::string> member_refs;
  std::vector<std::pair<std::string, int64_t>> kit_refs;
};

// Parses one row; appends its problems (each naming its column) and returns nullopt when it has
// any. The same record external_ref twice in one file (within one organisation) is checked by
// FindDuplicates.
std::optional<ImportRecord> ParseRow(ImportKind kind, const CsvRow& row,
                                     std::vector<LineProblem>* problems);

// The lines that repeat an (organisation, external_ref) of an earlier line: problems of theirs.
std::vector<LineProblem> FindDuplicates(const std::vector<ImportRecord>& records);

// The paths among `paths` whose field differs between the two messages (by proto field name;
// "external_ref" never, it is how they were matched).
std::vector<std::string> ChangedPaths(const google::protobuf::Message& existing,
                                      const google::protobuf::Message& wanted,
                                      const std::vector<std::string>& paths);

// The request id of one write of an import: "import:<kind>:<verb>:<16 hex digits>", the digits a
// hash of `parts` (organisation ref, record ref, the version written over, the content), so that
// a retried or interrupted import sends the same id and never applies a change twice.
std::string ImportRequestId(ImportKind kind, std::string_view verb,
                            const std::vector<std::string>& parts);

// The CSV column a server-side field path speaks of ("responder.skills[1].code" -> "skills"),
// "" when none does.
std::string ColumnOfFieldPath(ImportKind kind, std::string_view field_path);

}  // namespace relais::cli
