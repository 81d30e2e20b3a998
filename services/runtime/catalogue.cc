#include "services/runtime/catalogue.h"

#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "services/runtime/validation.h"

namespace relais {
namespace {

using relais::v1::ResourceKind;

constexpr int kMaxLabelChars = 200;
constexpr int kMaxSourceChars = 100;
constexpr int kMaxVersionChars = 64;
constexpr size_t kMinCodeLength = 2;
constexpr size_t kMaxCodeLength = 64;
// Generous bounds that still catch a unit mistake (grams for kilograms, litres for m3).
constexpr double kMaxMassKg = 100'000;
constexpr double kMaxVolumeM3 = 1'000;

// Keeps the first syntax error of the text format parser, with a 1-based position.
class FirstError final : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (first_.empty()) {
      first_ = absl::StrCat("line ", line + 1, ", column ", column + 1, ": ", message);
    }
  }
  const std::string& first() const { return first_; }

 private:
  std::string first_;
};

bool IsWellFormedCode(std::string_view code) {
  if (code.size() < kMinCodeLength || code.size() > kMaxCodeLength) return false;
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || c != '-')) return false;
  }
  return true;
}

absl::Status CheckLabels(const FieldPath& path, bool present, const relais::v1::Labels& labels) {
  if (!present) return InvalidField(path, "is required (en and fr)");
  if (auto s = CheckRequiredText(path.Field("en"), labels.en(), kMaxLabelChars); !s.ok()) return s;
  return CheckRequiredText(path.Field("fr"), labels.fr(), kMaxLabelChars);
}

// Checks the code and label every kind of entry has, and records the code.
template <typename Entry, typename Set>
absl::Status CheckEntries(std::string_view list_name,
                          const google::protobuf::RepeatedPtrField<Entry>& entries, Set* codes) {
  for (int i = 0; i < entries.size(); ++i) {
    const Entry& entry = entries.Get(i);
    const FieldPath path = FieldPath(list_name).Index(i);
    const std::string& code = entry.code();
    if (code.empty()) return InvalidField(path.Field("code"), "is required");
    if (!IsWellFormedCode(code)) {
      return InvalidField(path.Field("code"),
                          absl::StrCat("'", code, "' must match [a-z0-9][a-z0-9-]{1,63}"));
    }
    if (!codes->insert(code).second) {
      return InvalidField(path.Field("code"), absl::StrCat("duplicate '", code, "'"));
    }
    if (auto s = CheckLabels(path.Field("label"), entry.has_label(), entry.label()); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

template <typename Entry>
absl::Status CheckSources(std::string_view list_name,
                          const google::protobuf::RepeatedPtrField<Entry>& entries) {
  for (int i = 0; i < entries.size(); ++i) {
    const FieldPath path = FieldPath(list_name).Index(i).Field("source");
    if (auto s = CheckOptionalText(path, entries.Get(i).source(), kMaxSourceChars); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status CheckSupplyDetails(
    const google::protobuf::RepeatedPtrField<relais::v1::SupplyItemEntry>& items) {
  for (int i = 0; i < items.size(); ++i) {
    const relais::v1::SupplyItemEntry& item = items.Get(i);
    const FieldPath path = FieldPath("supply_items").Index(i);
    if (auto s = CheckLabels(path.Field("unit"), item.has_unit(), item.unit()); !s.ok()) return s;
    // What a unit covers is optional, but when given it is given in both languages.
    if (item.has_covers()) {
      if (auto s = CheckLabels(path.Field("covers"), true, item.covers()); !s.ok()) return s;
    }
    if (auto s = CheckDoubleRange(path.Field("mass_kg"), item.mass_kg(), 0, kMaxMassKg); !s.ok()) {
      return s;
    }
    if (auto s = CheckDoubleRange(path.Field("volume_m3"), item.volume_m3(), 0, kMaxVolumeM3);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string_view ResourceKindNoun(ResourceKind kind) {
  switch (kind) {
    case relais::v1::RESOURCE_KIND_SKILL:
      return "skill";
    case relais::v1::RESOURCE_KIND_SUPPLY_ITEM:
      return "supply item";
    case relais::v1::RESOURCE_KIND_TEAM_TYPE:
      return "team type";
    default:
      return "resource";
  }
}

absl::StatusOr<Catalogue> Catalogue::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("catalogue ", path, ": cannot be read"));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return absl::NotFoundError(absl::StrCat("catalogue ", path, ": cannot be read"));
  absl::StatusOr<Catalogue> catalogue = Parse(text.str());
  if (!catalogue.ok()) {
    return absl::Status(catalogue.status().code(),
                        absl::StrCat(path, ": ", catalogue.status().message()));
  }
  return catalogue;
}

absl::StatusOr<Catalogue> Catalogue::Parse(std::string_view textproto) {
  relais::v1::Catalogue proto;
  google::protobuf::TextFormat::Parser parser;
  FirstError errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(std::string(textproto), &proto)) {
    return absl::InvalidArgumentError(errors.first().empty() ? "not a text-format catalogue"
                                                             : errors.first());
  }
  return FromProto(std::move(proto));
}

absl::StatusOr<Catalogue> Catalogue::FromProto(relais::v1::Catalogue proto) {
  Catalogue catalogue;
  if (auto s = CheckRequiredText("version", proto.version(), kMaxVersionChars); !s.ok()) return s;
  if (auto s = CheckEntries("skills", proto.skills(), &catalogue.skills_); !s.ok()) return s;
  if (auto s = CheckSources("skills", proto.skills()); !s.ok()) return s;
  if (auto s = CheckEntries("supply_items", proto.supply_items(), &catalogue.supply_items_);
      !s.ok()) {
    return s;
  }
  if (auto s = CheckSupplyDetails(proto.supply_items()); !s.ok()) return s;
  if (auto s = CheckEntries("team_types", proto.team_types(), &catalogue.team_types_); !s.ok()) {
    return s;
  }
  if (auto s = CheckSources("team_types", proto.team_types()); !s.ok()) return s;
  if (auto s = CheckEntries("certifications", proto.certifications(), &catalogue.certifications_);
      !s.ok()) {
    return s;
  }
  catalogue.proto_ = std::move(proto);
  return catalogue;
}

bool Catalogue::Has(ResourceKind kind, std::string_view code) const {
  switch (kind) {
    case relais::v1::RESOURCE_KIND_SKILL:
      return skills_.find(code) != skills_.end();
    case relais::v1::RESOURCE_KIND_SUPPLY_ITEM:
      return supply_items_.find(code) != supply_items_.end();
    case relais::v1::RESOURCE_KIND_TEAM_TYPE:
      return team_types_.find(code) != team_types_.end();
    default:
      return false;
  }
}

bool Catalogue::HasCertification(std::string_view code) const {
  return certifications_.find(code) != certifications_.end();
}

}  // namespace relais
