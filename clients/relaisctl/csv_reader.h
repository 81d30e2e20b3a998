// Reading the CSV files OSIs keep their lists in (RFC 4180: quoted fields, commas and line breaks
// inside quotes, "" for a quote), with Debian's libcsv. Each record keeps the physical line it
// starts on, so that a problem can be shown as "<file>:<line>".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace relais::cli {

struct CsvRecord {
  // The file's physical line the record starts on, the first line being 1.
  int line = 0;
  std::vector<std::string> fields;
};

// Every record of `content`, the header included. A UTF-8 byte order mark is skipped; CRLF, LF and
// CR (old Mac files) line ends are all fine; empty lines (and lines of blanks only) are skipped;
// blanks around an unquoted field are dropped. INVALID_ARGUMENT "line N: ..." for a malformed file
// (a quote inside an unquoted field, a quoted field never closed) or a field that is not valid
// UTF-8.
absl::StatusOr<std::vector<CsvRecord>> ReadCsv(std::string_view content);

// True when `text` is well-formed UTF-8.
bool IsValidUtf8(std::string_view text);

}  // namespace relais::cli
