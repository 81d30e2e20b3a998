// From parsed command-line values to resource inventory requests. Pure: no I/O, no clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "relais/v1/inventory.pb.h"

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

}  // namespace relais::cli
