#include "services/runtime/validation.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace relais {
namespace {

// 2000-01-01T00:00:00Z and 2101-01-01T00:00:00Z: the years 2000 to 2100 inclusive.
constexpr int64_t kMinTimestampSeconds = 946'684'800;
constexpr int64_t kEndTimestampSeconds = 4'133'980'800;
constexpr int32_t kMaxNanos = 999'999'999;

constexpr size_t kMaxRequestIdLength = 128;
constexpr size_t kMaxResourceIdLength = 64;

// absl::string_view is not std::string_view in this Abseil build.
absl::string_view Av(std::string_view s) { return absl::string_view(s.data(), s.size()); }

std::string JoinPaths(const std::vector<std::string_view>& paths) {
  return absl::StrJoin(paths, ", ", [](std::string* out, std::string_view p) { out->append(p); });
}

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Decodes one UTF-8 sequence at value[*pos]; returns the code point or -1 when malformed.
int32_t DecodeUtf8(std::string_view value, size_t* pos) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(value[i]); };
  const unsigned char lead = byte(*pos);
  int length;
  int32_t code_point;
  int32_t min_code_point;
  if (lead < 0x80) {
    *pos += 1;
    return lead;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2;
    code_point = lead & 0x1F;
    min_code_point = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    code_point = lead & 0x0F;
    min_code_point = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    code_point = lead & 0x07;
    min_code_point = 0x10000;
  } else {
    return -1;
  }
  if (*pos + length > value.size()) return -1;
  for (int i = 1; i < length; ++i) {
    const unsigned char next = byte(*pos + i);
    if ((next & 0xC0) != 0x80) return -1;
    code_point = (code_point << 6) | (next & 0x3F);
  }
  // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
  if (code_point < min_code_point || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return -1;
  }
  *pos += length;
  return code_point;
}

// Unicode general category Cc: C0, DEL and C1.
bool IsControl(int32_t code_point) {
  return code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F);
}

bool IsBlank(std::string_view value) {
  for (char c : value) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

}  // namespace

std::string Quoted(std::string_view value) {
  // Keep messages short and printable whatever the caller sent.
  constexpr size_t kMaxShown = 40;
  size_t cut = std::min(value.size(), kMaxShown);
  // Never in the middle of a character: the message must stay valid UTF-8 (found by tests/fuzz).
  while (cut > 0 && cut < value.size() && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  std::string shown;
  for (char c : value.substr(0, cut)) {
    const auto u = static_cast<unsigned char>(c);
    shown += (u < 0x20 || u == 0x7F) ? '?' : c;
  }
  if (value.size() > cut) shown += "...";
  return absl::StrCat("'", shown, "'");
}

FieldPath FieldPath::Field(std::string_view name) const {
  if (path_.empty()) return FieldPath(name);
  return FieldPath(absl::StrCat(path_, ".", Av(name)));
}

FieldPath FieldPath::Index(int index) const {
  return FieldPath(absl::StrCat(path_, "[", index, "]"));
}

absl::Status InvalidField(const FieldPath& path, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(path.str(), ": ", Av(what)));
}

int64_t Utf8Length(std::string_view value) {
  int64_t count = 0;
  size_t pos = 0;
  while (pos < value.size()) {
    if (DecodeUtf8(value, &pos) < 0) return -1;
    ++count;
  }
  return count;
}

absl::Status CheckText(const FieldPath& path, std::string_view value, int min_chars, int max_chars,
                       TextKind kind) {
  if (min_chars > 0 && IsBlank(value)) return InvalidField(path, "is required");
  int64_t count = 0;
  size_t pos = 0;
  while (pos < value.size()) {
    const int32_t code_point = DecodeUtf8(value, &pos);
    if (code_point < 0) return InvalidField(path, "must be valid UTF-8");
    ++count;
    const bool allowed_break =
        kind == TextKind::kMultiLine && (code_point == '\n' || code_point == '\t');
    if (IsControl(code_point) && !allowed_break) {
      return InvalidField(path, absl::StrFormat("must not contain control characters (U+%04X at "
                                                "character %d)",
                                                code_point, count));
    }
  }
  if (count > max_chars) {
    return InvalidField(
        path, absl::StrCat("must be at most ", max_chars, " characters (got ", count, ")"));
  }
  if (count < min_chars) {
    return InvalidField(
        path, absl::StrCat("must be at least ", min_chars, " characters (got ", count, ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckRequiredText(const FieldPath& path, std::string_view value, int max_chars,
                               TextKind kind) {
  return CheckText(path, value, 1, max_chars, kind);
}

absl::Status CheckOptionalText(const FieldPath& path, std::string_view value, int max_chars,
                               TextKind kind) {
  if (value.empty()) return absl::OkStatus();
  return CheckText(path, value, 0, max_chars, kind);
}

absl::Status CheckIntRange(const FieldPath& path, int64_t value, int64_t min, int64_t max) {
  if (value < min || value > max) {
    return InvalidField(path,
                        absl::StrCat("must be between ", min, " and ", max, " (got ", value, ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckDoubleRange(const FieldPath& path, double value, double min, double max) {
  if (!std::isfinite(value)) return InvalidField(path, "must be a finite number");
  if (value < min || value > max) {
    return InvalidField(path,
                        absl::StrCat("must be between ", min, " and ", max, " (got ", value, ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckDoubleAboveAtMost(const FieldPath& path, double value, double min, double max) {
  if (!std::isfinite(value)) return InvalidField(path, "must be a finite number");
  if (value <= min || value > max) {
    return InvalidField(path, absl::StrCat("must be greater than ", min, " and at most ", max,
                                           " (got ", value, ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckRequiredEnum(const FieldPath& path, int value, bool (*is_valid)(int)) {
  if (value == 0) return InvalidField(path, "is required");
  if (!is_valid(value)) return InvalidField(path, absl::StrCat("unknown value ", value));
  return absl::OkStatus();
}

absl::Status CheckOptionalEnum(const FieldPath& path, int value, bool (*is_valid)(int)) {
  if (!is_valid(value)) return InvalidField(path, absl::StrCat("unknown value ", value));
  return absl::OkStatus();
}

absl::Status CheckMaxCount(const FieldPath& path, int count, int max) {
  if (count > max) {
    return InvalidField(path,
                        absl::StrCat("must have at most ", max, " entries (got ", count, ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckPresent(const FieldPath& path, bool present) {
  return present ? absl::OkStatus() : InvalidField(path, "is required");
}

absl::Status CheckRequestId(std::string_view value, const FieldPath& path) {
  if (value.empty()) return InvalidField(path, "is required");
  bool well_formed = value.size() <= kMaxRequestIdLength;
  for (char c : value) {
    well_formed = well_formed && (IsAsciiAlnum(c) || c == '.' || c == '_' || c == ':' || c == '-');
  }
  if (!well_formed) {
    return InvalidField(path, "must be 1 to 128 characters from [A-Za-z0-9._:-]");
  }
  return absl::OkStatus();
}

absl::Status CheckResourceId(const FieldPath& path, std::string_view value) {
  if (value.empty()) return InvalidField(path, "is required");
  bool well_formed = value.size() <= kMaxResourceIdLength;
  for (char c : value) well_formed = well_formed && (IsAsciiAlnum(c) || c == '_' || c == '-');
  if (!well_formed) {
    return InvalidField(path, absl::StrCat(Quoted(value),
                                           " is not an id (1 to 64 characters from "
                                           "[A-Za-z0-9_-])"));
  }
  return absl::OkStatus();
}

absl::Status CheckCountryCode(const FieldPath& path, std::string_view value) {
  if (value.empty()) return InvalidField(path, "is required");
  if (value.size() != 2 || value[0] < 'A' || value[0] > 'Z' || value[1] < 'A' || value[1] > 'Z') {
    return InvalidField(path, absl::StrCat(Quoted(value),
                                           " is not an ISO 3166-1 alpha-2 code (two capital "
                                           "letters, e.g. 'FR')"));
  }
  return absl::OkStatus();
}

absl::Status CheckLanguageCode(const FieldPath& path, std::string_view value) {
  if (value.empty()) return InvalidField(path, "is required");
  if (value.size() != 2 || value[0] < 'a' || value[0] > 'z' || value[1] < 'a' || value[1] > 'z') {
    return InvalidField(path, absl::StrCat(Quoted(value),
                                           " is not an ISO 639-1 code (two lower-case letters, "
                                           "e.g. 'fr')"));
  }
  return absl::OkStatus();
}

absl::Status CheckExpectedVersionField(const FieldPath& path, int64_t expected_version) {
  if (expected_version < 0) {
    return InvalidField(
        path, absl::StrCat("must be 0 (no check) or a version (got ", expected_version, ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckTimestamp(const FieldPath& path, const google::protobuf::Timestamp& value) {
  if (value.nanos() < 0 || value.nanos() > kMaxNanos) {
    return InvalidField(
        path, absl::StrCat("nanos must be between 0 and 999999999 (got ", value.nanos(), ")"));
  }
  if (value.seconds() < kMinTimestampSeconds || value.seconds() >= kEndTimestampSeconds) {
    return InvalidField(path, absl::StrCat("must be within the years 2000 to 2100 (got ",
                                           value.seconds(), " seconds since 1970)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<int> CheckPageSize(int32_t page_size, const FieldPath& path) {
  if (page_size == 0) return kDefaultPageSize;
  if (page_size < 1 || page_size > kMaxPageSize) {
    return InvalidField(
        path, absl::StrCat("must be between 1 and ", kMaxPageSize, ", or 0 for the default of ",
                           kDefaultPageSize, " (got ", page_size, ")"));
  }
  return page_size;
}

int EffectivePageSize(int32_t page_size) { return page_size == 0 ? kDefaultPageSize : page_size; }

absl::Status CheckUpdateMask(const google::protobuf::FieldMask& mask, const UpdateMaskRules& rules,
                             const FieldPath& path) {
  if (mask.paths_size() == 0) {
    return InvalidField(
        path, absl::StrCat("must name at least one field of: ", JoinPaths(rules.allowed)));
  }
  for (int i = 0; i < mask.paths_size(); ++i) {
    const std::string& entry = mask.paths(i);
    bool allowed = false;
    for (std::string_view candidate : rules.allowed) allowed = allowed || candidate == entry;
    if (!allowed) {
      for (const auto& [refused, hint] : rules.refused) {
        if (refused == entry) {
          return InvalidField(path,
                              absl::StrCat(Quoted(entry), " cannot be updated here; ", Av(hint)));
        }
      }
      return InvalidField(path, absl::StrCat("unknown path ", Quoted(entry),
                                             "; allowed: ", JoinPaths(rules.allowed)));
    }
    for (int j = 0; j < i; ++j) {
      if (mask.paths(j) == entry) {
        return InvalidField(path, absl::StrCat(Quoted(entry), " is named twice"));
      }
    }
  }
  return absl::OkStatus();
}

bool MaskHas(const google::protobuf::FieldMask& mask, std::string_view field_path) {
  for (const std::string& entry : mask.paths()) {
    if (entry == field_path) return true;
  }
  return false;
}

}  // namespace relais
