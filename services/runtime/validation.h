// The validation toolkit: every service checks requests the same way before any write. Each check
// returns OK or INVALID_ARGUMENT whose message starts with the field path, e.g.
// "needs[2].quantity: must be between 1 and 10000 (got 0)" (the convention of common.proto).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace relais {

// A field path as callers see it in error messages: "needs[2].resource.code".
// Converts implicitly from text so that checks accept "title" as well as a built path.
class FieldPath {
 public:
  FieldPath() = default;
  FieldPath(std::string_view path) : path_(path) {}    // NOLINT: implicit on purpose
  FieldPath(const char* path) : path_(path) {}         // NOLINT: implicit on purpose
  FieldPath(const std::string& path) : path_(path) {}  // NOLINT: implicit on purpose

  // "a.b" from "a" and "b"; just "b" when this path is empty.
  FieldPath Field(std::string_view name) const;
  // "a[3]" from "a" and 3.
  FieldPath Index(int index) const;

  const std::string& str() const { return path_; }
  bool empty() const { return path_.empty(); }

 private:
  std::string path_;
};

// INVALID_ARGUMENT "<path>: <what>".
absl::Status InvalidField(const FieldPath& path, std::string_view what);

// A caller's value as a message shows it: 'quoted', one line (control characters as '?'), at
// most 40 bytes and then "...", never cut inside a character.
std::string Quoted(std::string_view value);

// --- Text ---

// Long free text (descriptions) may hold line breaks and tabs; every other text is one line.
enum class TextKind { kSingleLine, kMultiLine };

// A text of min_chars to max_chars characters (Unicode code points of valid UTF-8), without
// control characters (except "\n" and "\t" in kMultiLine text). A text made only of white space
// counts as empty: min_chars >= 1 makes the field required.
absl::Status CheckText(const FieldPath& path, std::string_view value, int min_chars, int max_chars,
                       TextKind kind = TextKind::kSingleLine);
// Required (not blank), at most max_chars characters.
absl::Status CheckRequiredText(const FieldPath& path, std::string_view value, int max_chars,
                               TextKind kind = TextKind::kSingleLine);
// Empty is fine; otherwise as CheckRequiredText.
absl::Status CheckOptionalText(const FieldPath& path, std::string_view value, int max_chars,
                               TextKind kind = TextKind::kSingleLine);

// Number of code points when `value` is valid UTF-8 (no overlong forms, no surrogates), -1 if not.
int64_t Utf8Length(std::string_view value);

// --- Numbers ---

// min <= value <= max.
absl::Status CheckIntRange(const FieldPath& path, int64_t value, int64_t min, int64_t max);
// min <= value <= max, finite (NaN and infinities are refused).
absl::Status CheckDoubleRange(const FieldPath& path, double value, double min, double max);
// min < value <= max, finite: "must be greater than 0 and at most 20000".
absl::Status CheckDoubleAboveAtMost(const FieldPath& path, double value, double min, double max);

// --- Enums and repeated fields ---

// A value the generated code knows (pass e.g. &relais::v1::Severity_IsValid) and not 0
// (UNSPECIFIED).
absl::Status CheckRequiredEnum(const FieldPath& path, int value, bool (*is_valid)(int));
// A value the generated code knows; 0 (UNSPECIFIED) allowed, e.g. for "all" in a list filter.
absl::Status CheckOptionalEnum(const FieldPath& path, int value, bool (*is_valid)(int));
// At most max entries.
absl::Status CheckMaxCount(const FieldPath& path, int count, int max);
// The presence of a message field: "<path>: is required" when absent.
absl::Status CheckPresent(const FieldPath& path, bool present);

// --- Identifiers and codes ---

// The caller's idempotency key: 1 to 128 characters from [A-Za-z0-9._:-].
absl::Status CheckRequestId(std::string_view value, const FieldPath& path = "request_id");
// A server-assigned id as callers send it back (crisis_id, need_id...): 1 to 64 characters from
// [A-Za-z0-9_-].
absl::Status CheckResourceId(const FieldPath& path, std::string_view value);
// ISO 3166-1 alpha-2 format: two capital letters ("FR"). Format only, not the assigned list.
absl::Status CheckCountryCode(const FieldPath& path, std::string_view value);
// ISO 639-1 format: two lower-case letters ("fr"). Format only, not the assigned list.
absl::Status CheckLanguageCode(const FieldPath& path, std::string_view value);
// Optional concurrency guard: 0 (skip) or a positive version.
absl::Status CheckExpectedVersionField(const FieldPath& path, int64_t expected_version);

// --- Time ---

// Seconds within the years 2000 to 2100 (UTC) and nanos in [0, 999999999].
absl::Status CheckTimestamp(const FieldPath& path, const google::protobuf::Timestamp& value);

// --- Lists ---

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 200;
// 0 means the default (50); 1 to 200 as given; anything else is INVALID_ARGUMENT.
absl::StatusOr<int> CheckPageSize(int32_t page_size, const FieldPath& path = "page_size");
// The page size to use for a page_size that passed CheckPageSize.
int EffectivePageSize(int32_t page_size);

// --- Update masks ---

// What an update mask may name. `allowed` paths may be updated; `refused` paths exist but are
// changed another way, each with a hint for the caller ("use ActivateCrisis..."). Any other path
// is unknown.
struct UpdateMaskRules {
  std::vector<std::string_view> allowed;
  std::vector<std::pair<std::string_view, std::string_view>> refused;
};
// At least one path; each allowed; none twice. Errors start with "update_mask: ".
absl::Status CheckUpdateMask(const google::protobuf::FieldMask& mask, const UpdateMaskRules& rules,
                             const FieldPath& path = "update_mask");
// True when `mask` names `field_path` exactly.
bool MaskHas(const google::protobuf::FieldMask& mask, std::string_view field_path);

}  // namespace relais
