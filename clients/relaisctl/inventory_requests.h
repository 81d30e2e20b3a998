// From parsed command-line values to resource inventory requests. Pure: no I/O, no clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "relais/v1/holds.pb.h"
#include "relais/v1/inventory.pb.h"
#include "relais/v1/stock.pb.h"
#include "relais/v1/teams.pb.h"

namespace relais::cli {

// The flags of org register and org update; unset means "not on the command line".
struct OrganisationFields {
  std::optional<std::string> name;
  std::optional<relais::v1::OrganisationKind> kind;
  std::optional<std::vector<relais::v1::Domain>> domains;
  std::optional<std::string> commune;
  std::optional<double> lat;
  std::optional<double> lon;
  std::optional<std::string> email;
  std::optional<std::string> phone;
  std::optional<std::string> website;
  std::optional<std::string> description;
  std::optional<std::string> external_ref;
};

relais::v1::RegisterOrganisationRequest BuildRegisterOrganisationRequest(
    const OrganisationFields& fields, const std::string& request_id);

// The update mask names exactly the flags given. --lat and --lon replace the location together
// (path "location"): one without the other would silently mean the equator or Greenwich.
// --email, --phone and --website replace the public contact as a whole (path "contact"), so they
// come together too ("" clears one). INVALID_ARGUMENT (a usage error) when nothing or half a
// location or contact is given.
absl::StatusOr<relais::v1::UpdateOrganisationRequest> BuildUpdateOrganisationRequest(
    const std::string& organisation_id, const OrganisationFields& fields, int64_t expected_version,
    const std::string& request_id);

// The flags of responder register and responder update.
struct ResponderFields {
  // --name: the display name.
  std::optional<std::string> name;
  std::optional<std::string> external_ref;
  std::optional<std::vector<relais::v1::SkillLevel>> skills;
  std::optional<std::vector<std::string>> languages;
  std::optional<std::vector<relais::v1::HeldCertification>> certifications;
  std::optional<absl::Time> passport_until;
  std::optional<std::string> passport_country;
  std::optional<double> lat;
  std::optional<double> lon;
  std::optional<std::string> commune;
  std::optional<int32_t> max_days;
  std::optional<std::vector<relais::v1::ContactChannel>> contacts;
  // Update only: empty the languages, the certifications, the travel readiness.
  bool no_languages = false;
  bool no_certifications = false;
  bool no_passport = false;
};

// The organisation is not in the request: the server takes the caller's.
relais::v1::RegisterResponderRequest BuildRegisterResponderRequest(const ResponderFields& fields,
                                                                   const std::string& request_id);

// The update mask names exactly the flags given; the repeated flags replace the whole list.
// --lat and --lon replace the home base together; --passport-until and --passport-country the
// travel readiness together (--no-passport empties it). INVALID_ARGUMENT (a usage error) when
// nothing or half a pair is given.
absl::StatusOr<relais::v1::UpdateResponderRequest> BuildUpdateResponderRequest(
    const std::string& responder_id, const ResponderFields& fields, int64_t expected_version,
    const std::string& request_id);

// The flags of availability set; all but the note are required on the command line.
struct PeriodFields {
  relais::v1::AvailabilityKind kind = relais::v1::AVAILABILITY_KIND_UNSPECIFIED;
  absl::Time from;
  absl::Time until;
  std::optional<std::string> note;
};

relais::v1::SetAvailabilityRequest BuildSetAvailabilityRequest(const std::string& responder_id,
                                                               const PeriodFields& fields,
                                                               const std::string& request_id);

// The flags of responder experience; all but the assignment are required on the command line.
struct MissionFields {
  relais::v1::CrisisKind kind = relais::v1::CRISIS_KIND_UNSPECIFIED;
  std::string role_code;
  std::string place;
  absl::Time from;
  absl::Time until;
  std::optional<std::string> assignment_id;
};

relais::v1::RecordExperienceRequest BuildRecordExperienceRequest(const std::string& responder_id,
                                                                 const MissionFields& fields,
                                                                 const std::string& request_id);

// The flags of responder find. Exactly one mode: --near with --radius-km (local), or --abroad
// (with its --entry-certification).
struct ResponderSearch {
  std::string skill_code;
  std::optional<int32_t> min_level;
  absl::Time from;
  absl::Time until;
  std::optional<std::vector<std::string>> languages;
  std::optional<std::vector<std::string>> certifications;
  std::optional<std::vector<std::string>> exclude;
  std::optional<relais::v1::CrisisKind> mission_kind;
  std::optional<relais::v1::GeoPoint> near;
  std::optional<double> radius_km;
  bool abroad = false;
  std::optional<std::vector<std::string>> entry_certifications;
  std::optional<int32_t> page_size;
  std::optional<std::string> page_token;
};

// INVALID_ARGUMENT (a usage error) when the mode is missing, half given or both.
absl::StatusOr<relais::v1::FindRespondersRequest> BuildFindRespondersRequest(
    const ResponderSearch& search);

// The flags of team offer and team update; unset means "not on the command line".
struct TeamFields {
  std::optional<std::string> name;
  std::optional<std::string> type_code;
  std::optional<std::vector<std::string>> members;
  std::optional<std::vector<relais::v1::KitLine>> kit;
  std::optional<std::string> description;
  std::optional<std::string> external_ref;
  // Update only: the team travels without kit.
  bool no_kit = false;
};

// The organisation is not in the request: the server takes the caller's.
relais::v1::OfferTeamRequest BuildOfferTeamRequest(const TeamFields& fields,
                                                   const std::string& request_id);

// The update mask names exactly the flags given; --member and --kit replace the whole list
// (--no-kit empties the kit). INVALID_ARGUMENT (a usage error) when nothing is given.
absl::StatusOr<relais::v1::UpdateTeamRequest> BuildUpdateTeamRequest(const std::string& team_id,
                                                                     const TeamFields& fields,
                                                                     int64_t expected_version,
                                                                     const std::string& request_id);

// The flags of warehouse register.
struct WarehouseFields {
  std::optional<std::string> name;
  std::optional<std::string> commune;
  std::optional<double> lat;
  std::optional<double> lon;
  std::optional<std::string> external_ref;
};

relais::v1::RegisterWarehouseRequest BuildRegisterWarehouseRequest(const WarehouseFields& fields,
                                                                   const std::string& request_id);

// The flags of stock offer.
struct SupplyFields {
  std::optional<std::string> warehouse_id;
  std::optional<std::string> item_code;
  std::optional<std::string> lot;
  std::optional<int64_t> quantity;
  std::optional<absl::Time> expires;
  std::optional<std::string> external_ref;
};

relais::v1::OfferSuppliesRequest BuildOfferSuppliesRequest(const SupplyFields& fields,
                                                           const std::string& request_id);

relais::v1::AdjustStockRequest BuildAdjustStockRequest(const std::string& stock_line_id,
                                                       int64_t delta,
                                                       relais::v1::AdjustmentReason reason,
                                                       const std::optional<std::string>& note,
                                                       const std::string& request_id);

// The flags of stock list: one warehouse, or every warehouse of an organisation (--organisation-id,
// else `caller_organisation`). INVALID_ARGUMENT (a usage error) when neither is known.
struct StockFilter {
  std::optional<std::string> warehouse_id;
  std::optional<std::string> organisation_id;
  std::optional<std::string> item_code;
};

absl::StatusOr<relais::v1::ListStockRequest> BuildListStockRequest(
    const StockFilter& filter, const std::string& caller_organisation);

// The flags of stock find; item, place and quantity are required on the command line.
struct SupplySearch {
  std::string item_code;
  relais::v1::GeoPoint near;
  int64_t quantity = 0;
  std::optional<absl::Time> not_expiring_before;
  std::optional<std::vector<std::string>> exclude;
  std::optional<int32_t> page_size;
};

relais::v1::FindSuppliesRequest BuildFindSuppliesRequest(const SupplySearch& search);

// The flags of hold place: exactly one of the three targets; a window (--from with --until) for
// a responder or a team, a --quantity for stock.
struct HoldFields {
  std::optional<std::string> responder_id;
  std::optional<std::string> team_id;
  std::optional<std::string> stock_line_id;
  std::optional<absl::Time> from;
  std::optional<absl::Time> until;
  std::optional<int64_t> quantity;
  std::string holder_ref;
  std::optional<absl::Duration> ttl;
};

// INVALID_ARGUMENT (a usage error) naming the flags when the combination is not one the API takes.
absl::StatusOr<relais::v1::HoldRequest> BuildHoldRequest(const HoldFields& fields,
                                                         const std::string& request_id);

// --kit-used lines become the kit_used map; a line given twice is INVALID_ARGUMENT.
absl::StatusOr<relais::v1::ReleaseCommitmentRequest> BuildReleaseCommitmentRequest(
    const std::string& hold_id, const std::optional<std::string>& reason,
    const std::optional<std::vector<relais::v1::KitLine>>& kit_used, const std::string& request_id);

}  // namespace relais::cli
