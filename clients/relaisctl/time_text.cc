#include "clients/relaisctl/time_text.h"

#include <cmath>

#include "absl/strings/numbers.h"

namespace relais::cli {

std::optional<absl::Time> ParseTime(std::string_view text) {
  const std::string input(text);
  absl::Time time;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, input, &time, &error)) return time;
  if (absl::ParseTime("%Y-%m-%dT%H:%M%Ez", input, &time, &error)) return time;
  return std::nullopt;
}

std::optional<absl::Time> ParseDate(std::string_view text) {
  absl::Time time;
  std::string error;
  // %Y alone would accept "30-1-1"; a date is exactly YYYY-MM-DD.
  if (text.size() == 10 &&
      absl::ParseTime("%Y-%m-%d", std::string(text), absl::UTCTimeZone(), &time, &error)) {
    return time;
  }
  return ParseTime(text);
}

std::string FormatDate(const google::protobuf::Timestamp& timestamp) {
  constexpr int64_t kSecondsPerDay = 24 * 60 * 60;
  if (timestamp.nanos() == 0 && timestamp.seconds() != 0 &&
      timestamp.seconds() % kSecondsPerDay == 0) {
    return absl::FormatTime("%Y-%m-%d", absl::FromUnixSeconds(timestamp.seconds()),
                            absl::UTCTimeZone());
  }
  return FormatTimestamp(timestamp);
}

std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return "-";
  const absl::Time time =
      absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
  return absl::FormatTime("%Y-%m-%dT%H:%MZ", time, absl::UTCTimeZone());
}

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  const int64_t seconds = absl::ToUnixSeconds(time);
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(
      static_cast<int32_t>(absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(seconds))));
  return timestamp;
}

google::protobuf::Duration ToDurationProto(absl::Duration duration) {
  const int64_t seconds = absl::IDivDuration(duration, absl::Seconds(1), &duration);
  google::protobuf::Duration proto;
  proto.set_seconds(seconds);
  proto.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(duration)));
  return proto;
}

std::optional<absl::Duration> ParseTimeout(std::string_view text) {
  const std::string input(text);
  absl::Duration duration;
  if (!absl::ParseDuration(input, &duration)) {
    double seconds = 0;
    if (!absl::SimpleAtod(input, &seconds) || !std::isfinite(seconds)) return std::nullopt;
    duration = absl::Seconds(seconds);
  }
  // absl accepts "0" and "inf": neither is a usable deadline.
  if (duration <= absl::ZeroDuration() || duration == absl::InfiniteDuration()) return std::nullopt;
  return duration;
}

}  // namespace relais::cli
