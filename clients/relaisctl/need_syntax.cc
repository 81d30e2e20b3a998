#include "clients/relaisctl/need_syntax.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "clients/relaisctl/messages.h"
#include "clients/relaisctl/time_text.h"
#include "clients/relaisctl/words.h"

namespace relais::cli {
namespace {

namespace v1 = relais::v1;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Split(std::string_view s, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t end = s.find(separator, start);
    parts.push_back(s.substr(start, end == std::string_view::npos ? s.npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

absl::Status Bad(std::string message) { return absl::InvalidArgumentError(message); }

absl::StatusOr<int32_t> ParseCount(std::string_view key, std::string_view value) {
  int32_t number = 0;
  if (!absl::SimpleAtoi(absl::string_view(value.data(), value.size()), &number)) {
    return Bad(Say(Msg::kNeedNotANumber, std::string(key), std::string(value)));
  }
  return number;
}

absl::Status ParseCodes(std::string_view key, std::string_view value,
                        google::protobuf::RepeatedPtrField<std::string>* codes) {
  for (std::string_view code : Split(value, '+')) {
    code = Trim(code);
    if (code.empty()) return Bad(Say(Msg::kNeedEmptyCode, std::string(key), std::string(value)));
    codes->Add(std::string(code));
  }
  return absl::OkStatus();
}

// KIND:CODE=QUANTITY
absl::Status ParseHead(std::string_view head, v1::NeedSpec& need) {
  const size_t colon = head.find(':');
  if (colon == std::string_view::npos) return Bad(Say(Msg::kNeedNoKind, std::string(head)));
  const std::string_view kind = Trim(head.substr(0, colon));
  const std::optional<v1::ResourceKind> resource_kind = ResourceKinds().Parse(kind);
  if (!resource_kind) {
    return Bad(Say(Msg::kNeedBadKind, std::string(kind), ResourceKinds().List()));
  }
  std::string_view rest = head.substr(colon + 1);
  const size_t equals = rest.find('=');
  const std::string_view code = Trim(rest.substr(0, equals));
  if (code.empty()) return Bad(Say(Msg::kNeedNoCode, std::string(kind)));
  if (equals == std::string_view::npos) return Bad(Say(Msg::kNeedNoQuantity, std::string(code)));
  const std::string_view quantity = Trim(rest.substr(equals + 1));
  if (quantity.empty()) return Bad(Say(Msg::kNeedNoQuantity, std::string(code)));
  absl::StatusOr<int32_t> count = ParseCount(Text(Msg::kNeedQuantityName), quantity);
  if (!count.ok()) return count.status();

  need.mutable_resource()->set_kind(*resource_kind);
  need.mutable_resource()->set_code(std::string(code));
  need.set_quantity(*count);
  return absl::OkStatus();
}

absl::Status ParseOption(std::string_view key, std::string_view value, v1::NeedSpec& need) {
  if (key == "priority") {
    const std::optional<v1::NeedPriority> priority = NeedPriorities().Parse(value);
    if (!priority) {
      return Bad(Say(Msg::kNeedBadPriority, std::string(value), NeedPriorities().List()));
    }
    need.set_priority(*priority);
  } else if (key == "by") {
    const std::optional<absl::Time> by = ParseTime(value);
    if (!by) return Bad(Say(Msg::kNeedBadTime, std::string(value)));
    *need.mutable_needed_by() = ToTimestamp(*by);
  } else if (key == "days" || key == "level") {
    absl::StatusOr<int32_t> number = ParseCount(key, value);
    if (!number.ok()) return number.status();
    if (key == "days") {
      need.set_duration_days(*number);
    } else {
      need.set_min_level(*number);
    }
  } else if (key == "lang") {
    return ParseCodes(key, value, need.mutable_languages());
  } else if (key == "cert") {
    return ParseCodes(key, value, need.mutable_certifications());
  } else {
    return Bad(Say(Msg::kNeedUnknownKey, std::string(key)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::NeedSpec> ParseNeed(std::string_view text) {
  if (Trim(text).empty()) return Bad(std::string(Text(Msg::kNeedEmpty)));
  const std::vector<std::string_view> items = Split(text, ',');
  v1::NeedSpec need;
  if (absl::Status head = ParseHead(Trim(items[0]), need); !head.ok()) return head;

  std::set<std::string> seen;
  for (size_t i = 1; i < items.size(); ++i) {
    const std::string_view item = Trim(items[i]);
    if (item.empty()) return Bad(std::string(Text(Msg::kNeedEmptyItem)));
    const size_t equals = item.find('=');
    // Keys, like words, are case-insensitive.
    const std::string key = absl::AsciiStrToLower(std::string(Trim(item.substr(0, equals))));
    if (equals == std::string_view::npos) return Bad(Say(Msg::kNeedNoValue, key));
    const std::string_view value = Trim(item.substr(equals + 1));
    if (value.empty()) return Bad(Say(Msg::kNeedNoValue, key));
    if (!seen.insert(key).second) return Bad(Say(Msg::kNeedKeyTwice, key));
    if (absl::Status option = ParseOption(key, value, need); !option.ok()) return option;
  }
  return need;
}

}  // namespace relais::cli
