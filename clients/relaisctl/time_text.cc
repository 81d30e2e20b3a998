#include "clients/relaisctl/time_text.h"

#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"

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
  std::string input(text);
  absl::Duration duration;
  // absl knows no days: "1d12h" is 1 day, then what absl reads in "12h".
  if (const size_t d = input.find('d'); d != std::string::npos) {
    double days = 0;
    if (!absl::SimpleAtod(input.substr(0, d), &days) || !std::isfinite(days) || days < 0) {
      return std::nullopt;
    }
    const std::string rest = input.substr(d + 1);
    absl::Duration more;
    if (rest.empty()) {
      more = absl::ZeroDuration();
    } else if (rest.front() == '-' || rest.front() == '+' || !absl::ParseDuration(rest, &more)) {
      return std::nullopt;
    }
    duration = absl::Hours(24 * days) + more;
  } else if (!absl::ParseDuration(input, &duration)) {
    double seconds = 0;
    if (!absl::SimpleAtod(input, &seconds) || !std::isfinite(seconds)) return std::nullopt;
    duration = absl::Seconds(seconds);
  }
  // absl accepts "0" and "inf": neither is a usable deadline.
  if (duration <= absl::ZeroDuration() || duration == absl::InfiniteDuration()) return std::nullopt;
  return duration;
}

std::string FormatSpan(absl::Duration duration) {
  if (duration <= absl::ZeroDuration()) return "0m";
  if (duration < absl::Minutes(1)) return "<1m";
  // Rounded up: "1m" until the very end.
  const int64_t minutes = absl::ToInt64Minutes(duration + absl::Minutes(1) - absl::Nanoseconds(1));
  if (minutes < 60) return absl::StrFormat("%dm", minutes);
  if (minutes < 48 * 60) {
    return minutes % 60 == 0 ? absl::StrFormat("%dh", minutes / 60)
                             : absl::StrFormat("%dh%02dm", minutes / 60, minutes % 60);
  }
  const int64_t hours = minutes / 60;
  return hours % 24 == 0 ? absl::StrFormat("%dd", hours / 24)
                         : absl::StrFormat("%dd%02dh", hours / 24, hours % 24);
}

std::string FormatSecond(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return "-";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", FromTimestamp(timestamp), absl::UTCTimeZone());
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

absl::Duration FromDurationProto(const google::protobuf::Duration& duration) {
  return absl::Seconds(duration.seconds()) + absl::Nanoseconds(duration.nanos());
}

}  // namespace relais::cli
