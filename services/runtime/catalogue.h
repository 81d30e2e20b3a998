// The resource catalogue (proto/relais/v1/catalogue.proto) loaded and checked once at start-up,
// with fast look-ups for validating needs, responders and stock.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>

#include "absl/status/statusor.h"
#include "relais/v1/catalogue.pb.h"
#include "relais/v1/common.pb.h"

namespace relais {

class Catalogue {
 public:
  // Reads and parses a text-format relais.v1.Catalogue. NOT_FOUND when the file cannot be read;
  // INVALID_ARGUMENT "<path>: <entry>: <problem>" when its content is wrong.
  static absl::StatusOr<Catalogue> LoadFile(const std::string& path);
  // Parses and checks: version present; every code matches [a-z0-9][a-z0-9-]{1,63} and is unique
  // within its list; every label (and a supply item's unit) has both en and fr. Errors name the
  // entry, e.g. "skills[3].code: duplicate 'nurse'".
  static absl::StatusOr<Catalogue> Parse(std::string_view textproto);

  // True when `code` is in the list of that kind (skills, supply items, team types).
  bool Has(relais::v1::ResourceKind kind, std::string_view code) const;
  bool HasCertification(std::string_view code) const;

  const relais::v1::Catalogue& proto() const { return proto_; }
  std::string_view version() const { return proto_.version(); }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  using CodeSet = std::unordered_set<std::string, Hash, std::equal_to<>>;

  static absl::StatusOr<Catalogue> FromProto(relais::v1::Catalogue proto);

  relais::v1::Catalogue proto_;
  CodeSet skills_;
  CodeSet supply_items_;
  CodeSet team_types_;
  CodeSet certifications_;
};

// "skill", "supply item", "team type": for messages about a ResourceKind.
std::string_view ResourceKindNoun(relais::v1::ResourceKind kind);

}  // namespace relais
