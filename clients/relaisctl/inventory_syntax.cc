#include "clients/relaisctl/inventory_syntax.h"

#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
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

absl::Status Bad(std::string message) { return absl::InvalidArgumentError(message); }

// "head:tail" split at the first colon (an RFC 3339 time in the tail has more of them).
struct Split {
  std::string head;
  std::string tail;
  bool has_colon = false;
};

Split SplitAtColon(std::string_view text) {
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos) return {.head = std::string(Trim(text))};
  return {.head = std::string(Trim(text.substr(0, colon))),
          .tail = std::string(Trim(text.substr(colon + 1))),
          .has_colon = true};
}

}  // namespace

absl::StatusOr<v1::SkillLevel> ParseSkill(std::string_view text) {
  if (Trim(text).empty()) return Bad(std::string(Text(Msg::kSkillEmpty)));
  const Split parts = SplitAtColon(text);
  if (parts.head.empty()) return Bad(std::string(Text(Msg::kSkillNoCode)));
  if (!parts.has_colon || parts.tail.empty()) return Bad(Say(Msg::kSkillNoLevel, parts.head));
  int32_t level = 0;
  if (!absl::SimpleAtoi(parts.tail, &level)) return Bad(Say(Msg::kSkillBadLevel, parts.tail));
  v1::SkillLevel skill;
  skill.set_code(parts.head);
  skill.set_level(level);
  return skill;
}

absl::StatusOr<v1::HeldCertification> ParseCertification(std::string_view text) {
  if (Trim(text).empty()) return Bad(std::string(Text(Msg::kCertEmpty)));
  const Split parts = SplitAtColon(text);
  if (parts.head.empty()) return Bad(std::string(Text(Msg::kCertNoCode)));
  v1::HeldCertification certification;
  certification.set_code(parts.head);
  if (parts.has_colon) {
    if (parts.tail.empty()) return Bad(Say(Msg::kCertNoDate, parts.head));
    const std::optional<absl::Time> until = ParseDate(parts.tail);
    if (!until) return Bad(Say(Msg::kBadDate, parts.tail));
    *certification.mutable_valid_until() = ToTimestamp(*until);
  }
  return certification;
}

absl::StatusOr<v1::ContactChannel> ParseContact(std::string_view text) {
  if (Trim(text).empty()) return Bad(std::string(Text(Msg::kContactEmpty)));
  const Split parts = SplitAtColon(text);
  if (!parts.has_colon) return Bad(Say(Msg::kContactNoKind, parts.head, ContactKinds().List()));
  const std::optional<v1::ContactKind> kind = ContactKinds().Parse(parts.head);
  if (!kind) return Bad(Say(Msg::kContactBadKind, parts.head, ContactKinds().List()));
  if (parts.tail.empty()) return Bad(Say(Msg::kContactNoAddress, parts.head));
  v1::ContactChannel contact;
  contact.set_kind(*kind);
  contact.set_address(parts.tail);
  return contact;
}

absl::StatusOr<std::string> ParseLanguage(std::string_view text) {
  const std::string_view code = Trim(text);
  if (code.empty()) return Bad(std::string(Text(Msg::kLanguageEmpty)));
  return std::string(code);
}

absl::StatusOr<v1::GeoPoint> ParsePoint(std::string_view text) {
  const size_t comma = text.find(',');
  if (comma == std::string_view::npos) return Bad(std::string(Text(Msg::kPointNoComma)));
  const std::string lat(Trim(text.substr(0, comma)));
  const std::string lon(Trim(text.substr(comma + 1)));
  v1::GeoPoint point;
  double value = 0;
  if (!absl::SimpleAtod(lat, &value) || !std::isfinite(value)) {
    return Bad(Say(Msg::kPointBadNumber, std::string(Text(Msg::kPointLatitude)), lat));
  }
  point.set_lat(value);
  if (!absl::SimpleAtod(lon, &value) || !std::isfinite(value)) {
    return Bad(Say(Msg::kPointBadNumber, std::string(Text(Msg::kPointLongitude)), lon));
  }
  point.set_lon(value);
  return point;
}

absl::StatusOr<v1::KitLine> ParseKitLine(std::string_view text) {
  if (Trim(text).empty()) return Bad(std::string(Text(Msg::kKitEmpty)));
  const size_t equals = text.find('=');
  const std::string line(Trim(text.substr(0, equals)));
  if (line.empty()) return Bad(std::string(Text(Msg::kKitNoLine)));
  if (equals == std::string_view::npos) return Bad(Say(Msg::kKitNoQuantity, line));
  const std::string quantity(Trim(text.substr(equals + 1)));
  if (quantity.empty()) return Bad(Say(Msg::kKitNoQuantity, line));
  int64_t units = 0;
  if (!absl::SimpleAtoi(quantity, &units)) return Bad(Say(Msg::kKitBadQuantity, quantity));
  v1::KitLine kit;
  kit.set_stock_line_id(line);
  kit.set_quantity(units);
  return kit;
}

std::string SkillText(const v1::SkillLevel& skill) {
  return absl::StrCat(skill.code(), ":", skill.level());
}

std::string ContactText(const v1::ContactChannel& contact) {
  return absl::StrCat(ContactKinds().Name(contact.kind()), ":", contact.address());
}

std::string KitLineText(const v1::KitLine& line) {
  return absl::StrCat(line.stock_line_id(), "=", line.quantity());
}

}  // namespace relais::cli
