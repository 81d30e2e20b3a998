// Times as people type and read them on the command line.
#pragma once

#include <google/protobuf/duration.pb.h>
#include <google/protobuf/timestamp.pb.h>

#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"

namespace relais::cli {

// RFC 3339 with any offset, e.g. "2026-12-01T08:00:00Z" or "2026-12-01T10:00:00+02:00"; the
// minute form this tool prints ("2026-12-01T08:00Z") is accepted too so output can be pasted
// back. nullopt when `text` is neither.
std::optional<absl::Time> ParseTime(std::string_view text);

// A calendar date such as "2030-01-01", taken as 00:00 UTC that day (so a document "valid until"
// that date is not counted on for the day itself), or an RFC 3339 time as ParseTime reads it.
std::optional<absl::Time> ParseDate(std::string_view text);

// "2026-12-01T08:00Z": UTC, to the minute. "-" when the timestamp is unset.
std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp);

// "2030-01-01" for 00:00 UTC (what ParseDate makes of a date), else as FormatTimestamp.
std::string FormatDate(const google::protobuf::Timestamp& timestamp);

google::protobuf::Timestamp ToTimestamp(absl::Time time);

google::protobuf::Duration ToDurationProto(absl::Duration duration);

// A call deadline or a span of time: "10s", "500ms", "1m30s", "2h", days with "1d" or "1d12h",
// or a bare number of seconds. nullopt unless > 0.
std::optional<absl::Duration> ParseTimeout(std::string_view text);

// A span of time people read at a glance, rounded up to the minute: "<1m" under a minute,
// "15m", "2h05m", "3d04h". "0m" for zero or less.
std::string FormatSpan(absl::Duration duration);

// "2026-12-01T08:00:05Z": UTC, to the second, for live event lines. "-" when unset.
std::string FormatSecond(const google::protobuf::Timestamp& timestamp);

absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp);

absl::Duration FromDurationProto(const google::protobuf::Duration& duration);

}  // namespace relais::cli
