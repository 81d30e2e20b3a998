// From parsed command-line values to crisis registry requests. Pure: no I/O, no clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "relais/v1/crisis_registry.pb.h"

namespace relais::cli {

// The descriptive flags that declare and update share; unset means "not on the command line".
struct CrisisFields {
  std::optional<std::string> title;
  std::optional<relais::v1::CrisisKind> kind;
  std::optional<relais::v1::CrisisScope> scope;
  std::optional<relais::v1::Severity> severity;
  std::optional<relais::v1::Urgency> urgency;
  std::optional<relais::v1::Certainty> certainty;
  std::optional<double> lat;
  std::optional<double> lon;
  std::optional<double> radius_km;
  // --area: the area's description.
  std::optional<std::string> area;
  std::optional<std::string> country;
  std::optional<std::string> commune;
  std::optional<absl::Time> starts;
  std::optional<std::string> description;
};

// Without --starts, starts_at stays unset: the server starts the crisis when it declares it.
relais::v1::DeclareCrisisRequest BuildDeclareRequest(const CrisisFields& fields,
                                                     const std::vector<relais::v1::NeedSpec>& needs,
                                                     const std::string& request_id);

// The update mask names exactly the flags given. --lat, --lon, --radius-km and --country
// replace the area as a whole (path "area"), so they need each other and --area: a missing
// --lat would otherwise silently move the crisis to the equator. --area or --commune alone
// change just that part. INVALID_ARGUMENT (a usage error) when nothing or half an area is given.
absl::StatusOr<relais::v1::UpdateCrisisRequest> BuildUpdateRequest(const std::string& crisis_id,
                                                                   const CrisisFields& fields,
                                                                   int64_t expected_version,
                                                                   const std::string& request_id);

// The flags of update-need.
struct NeedChanges {
  std::optional<int32_t> quantity;
  std::optional<relais::v1::NeedPriority> priority;
  std::optional<absl::Time> by;
  std::optional<int32_t> days;
  bool cancel = false;
  std::optional<std::string> reason;
};

// INVALID_ARGUMENT (a usage error) when no change is given.
absl::StatusOr<relais::v1::UpdateNeedRequest> BuildUpdateNeedRequest(const std::string& crisis_id,
                                                                     const std::string& need_id,
                                                                     const NeedChanges& changes,
                                                                     int64_t expected_version,
                                                                     const std::string& request_id);

}  // namespace relais::cli
