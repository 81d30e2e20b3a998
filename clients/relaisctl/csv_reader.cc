#include "clients/relaisctl/csv_reader.h"

#include <csv.h>

#include <memory>

#include "clients/relaisctl/messages.h"

namespace relais::cli {
namespace {

// What libcsv's callbacks fill in while the bytes are fed one at a time.
struct Reading {
  std::vector<CsvRecord> records;
  CsvRecord current;
  // The line of the byte being fed; where the record being read started.
  int line = 1;
  int record_line = 1;
  bool between_records = true;
};

void EndField(void* data, size_t size, void* state) {
  auto* reading = static_cast<Reading*>(state);
  reading->current.fields.emplace_back(data == nullptr ? "" : static_cast<const char*>(data), size);
}

void EndRecord(int /*terminator*/, void* state) {
  auto* reading = static_cast<Reading*>(state);
  bool blank = true;
  for (const std::string& field : reading->current.fields) blank = blank && field.empty();
  if (!blank) {
    reading->current.line = reading->record_line;
    reading->records.push_back(std::move(reading->current));
  }
  reading->current = CsvRecord();
  reading->between_records = true;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    int extra = 0;
    if (byte < 0x80) {
      extra = 0;
    } else if (byte >= 0xC2 && byte <= 0xDF) {
      extra = 1;
    } else if (byte >= 0xE0 && byte <= 0xEF) {
      extra = 2;
    } else if (byte >= 0xF0 && byte <= 0xF4) {
      extra = 3;
    } else {
      return false;
    }
    if (extra > 0 && i + extra >= text.size()) return false;
    for (int k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += extra + 1;
  }
  return true;
}

absl::StatusOr<std::vector<CsvRecord>> ReadCsv(std::string_view content) {
  if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
    return absl::InternalError("libcsv could not start");
  }
  const std::unique_ptr<csv_parser, void (*)(csv_parser*)> cleanup(&parser, &csv_free);
  Reading reading;
  char previous = '\0';
  // One byte at a time: cheap for lists of thousands of lines, and the only way to know which
  // physical line a record starts on.
  for (const char c : content) {
    // A CR alone ends a line too (libcsv ends a record there): old Mac files have no LF at all.
    if (previous == '\r' && c != '\n') ++reading.line;
    previous = c;
    // Blanks alone do not start a record (libcsv skips a line of blanks without a callback).
    if (reading.between_records && c != '\r' && c != '\n' && c != ' ' && c != '\t') {
      reading.between_records = false;
      reading.record_line = reading.line;
    }
    if (csv_parse(&parser, &c, 1, &EndField, &EndRecord, &reading) != 1) {
      return absl::InvalidArgumentError(
          Say(Msg::kCsvMalformed, reading.line, csv_strerror(csv_error(&parser))));
    }
    if (c == '\n') ++reading.line;
  }
  if (csv_fini(&parser, &EndField, &EndRecord, &reading) != 0) {
    return absl::InvalidArgumentError(
        Say(Msg::kCsvMalformed, reading.record_line, csv_strerror(csv_error(&parser))));
  }
  for (const CsvRecord& record : reading.records) {
    for (const std::string& field : record.fields) {
      if (!IsValidUtf8(field))
        return absl::InvalidArgumentError(Say(Msg::kCsvNotUtf8, record.line));
    }
  }
  return std::move(reading.records);
}

}  // namespace relais::cli
