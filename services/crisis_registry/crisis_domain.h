// The crisis registry's domain: what a valid request is, the crisis lifecycle, and how each call
// changes a crisis. Plain functions over the relais.v1 messages: no gRPC, no Redis, no clock (the
// caller passes `now`). The registry (registry.h) reads, applies one of these, and saves.
//
// Error codes: INVALID_ARGUMENT "<field path>: <problem>" for bad input; FAILED_PRECONDITION when
// the crisis' state forbids the change (its message holds fixed texts and ids only, since refusals
// are stored); NOT_FOUND "need_id: ..." for an unknown need. The expected_version check (ABORTED)
// belongs to the caller, which compares it with the version it read.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "relais/v1/crisis_registry.pb.h"
#include "relais/v1/events.pb.h"
#include "services/runtime/catalogue.h"
#include "services/runtime/principal.h"

namespace relais::crisis {

// Limits from proto/relais/v1/crisis_registry.proto and common.proto.
inline constexpr int kMaxNeeds = 100;
inline constexpr int kMinTitleChars = 3;
inline constexpr int kMaxTitleChars = 200;
inline constexpr int kMaxDescriptionChars = 4000;
inline constexpr int kMaxAreaDescriptionChars = 500;
inline constexpr int kMaxCommuneChars = 100;
inline constexpr int kMaxReasonChars = 500;
inline constexpr double kMaxRadiusKm = 20000;
inline constexpr int kMaxQuantity = 10000;
inline constexpr int kMaxDurationDays = 365;
inline constexpr int kMaxLevel = 5;
inline constexpr int kMaxLanguages = 10;
inline constexpr int kMaxCertifications = 10;
inline constexpr int kMaxPageTokenChars = 1024;
// How early a need may be wanted before its crisis starts (pre-positioning).
inline constexpr absl::Duration kNeededByLeadTime = absl::Hours(24);

// A LOCAL crisis lies within this distance of Lyon (place Bellecour).
inline constexpr double kLyonLat = 45.7640;
inline constexpr double kLyonLon = 4.8357;
inline constexpr double kLocalRadiusKm = 40;
inline constexpr double kEarthRadiusKm = 6371.0088;  // IUGG mean radius

// Great-circle distance in kilometres (haversine).
double DistanceKm(double lat1, double lon1, double lat2, double lon2);

// "ACTIVE" for CRISIS_STATUS_ACTIVE: for messages.
std::string StatusName(relais::v1::CrisisStatus status);

// --- Request validation (INVALID_ARGUMENT naming the field) ---

// starts_at is optional: a crisis declared without it starts `now` (so that a retried command
// line, which cannot know the first call's "now", is still the same request).
absl::Status ValidateDeclare(const relais::v1::DeclareCrisisRequest& request,
                             const Catalogue& catalogue, absl::Time now);
// One need as written by a coordinator, reported under `path` ("needs[2]", "need").
// `crisis_starts_at` enables the needed_by rule; pass absl::InfinitePast() when it is not known
// yet (ApplyAddNeed checks it against the stored crisis).
absl::Status ValidateNeedSpec(const relais::v1::NeedSpec& spec, const Catalogue& catalogue,
                              std::string_view path, absl::Time crisis_starts_at);
absl::Status ValidateGetCrisis(const relais::v1::GetCrisisRequest& request);
absl::Status ValidateListCrises(const relais::v1::ListCrisesRequest& request);
// Request shape, update mask and the values of the masked fields ("crisis.title: ...").
absl::Status ValidateUpdateCrisis(const relais::v1::UpdateCrisisRequest& request,
                                  const Catalogue& catalogue);
absl::Status ValidateAddNeed(const relais::v1::AddNeedRequest& request, const Catalogue& catalogue);
absl::Status ValidateUpdateNeed(const relais::v1::UpdateNeedRequest& request,
                                const Catalogue& catalogue);
absl::Status ValidateActivate(const relais::v1::ActivateCrisisRequest& request);
absl::Status ValidatePause(const relais::v1::PauseCrisisRequest& request);
absl::Status ValidateClose(const relais::v1::CloseCrisisRequest& request);

// --- Changes (each returns the crisis after the call, version + 1) ---

// A new crisis from a validated request: DECLARED, version 1, needs OPEN with `need_ids` (one per
// request need, in order), starts_at defaulting to `now` and needed_by to starts_at.
relais::v1::Crisis NewCrisis(const relais::v1::DeclareCrisisRequest& request, std::string crisis_id,
                             const std::vector<std::string>& need_ids, const Principal& declared_by,
                             absl::Time now);

// The lifecycle: DECLARED -> ACTIVE, ACTIVE <-> PAUSED, DECLARED | ACTIVE | PAUSED -> CLOSED.
// Anything else is FAILED_PRECONDITION ("crisis is CLOSED; it cannot become ACTIVE").
absl::Status CheckTransition(relais::v1::CrisisStatus from, relais::v1::CrisisStatus to);
// The crisis in status `to`, with status_reason = `reason` (empty on activation: the reason of
// the last pause no longer applies).
absl::StatusOr<relais::v1::Crisis> ApplyTransition(const relais::v1::Crisis& crisis,
                                                   relais::v1::CrisisStatus to, std::string reason,
                                                   absl::Time now);

// Applies the masked fields of a validated request. FAILED_PRECONDITION for a CLOSED crisis;
// INVALID_ARGUMENT when the result breaks a rule across fields (a LOCAL crisis away from Lyon).
absl::StatusOr<relais::v1::Crisis> ApplyUpdateCrisis(const relais::v1::Crisis& current,
                                                     const relais::v1::UpdateCrisisRequest& request,
                                                     absl::Time now);

// Appends the validated request's need as OPEN with `need_id`. FAILED_PRECONDITION for a CLOSED
// crisis or one that already has kMaxNeeds needs; INVALID_ARGUMENT "need.needed_by: ..." when
// the need is wanted more than a day before the crisis starts.
absl::StatusOr<relais::v1::Crisis> ApplyAddNeed(const relais::v1::Crisis& current,
                                                const relais::v1::AddNeedRequest& request,
                                                std::string need_id, absl::Time now);

// Applies the masked fields of a validated request to one need. NOT_FOUND "need_id: ..." for an
// unknown need; FAILED_PRECONDITION for a CLOSED crisis or a CANCELLED need; INVALID_ARGUMENT
// "need.spec...." when the resulting need breaks a rule (e.g. a duration for a supply item).
absl::StatusOr<relais::v1::Crisis> ApplyUpdateNeed(const relais::v1::Crisis& current,
                                                   const relais::v1::UpdateNeedRequest& request,
                                                   absl::Time now);

// --- Events ---

enum class Operation {
  kDeclare,
  kUpdate,
  kActivate,
  kPause,
  kClose,
  kAddNeed,
  kUpdateNeed,
  kCancelNeed,
};

relais::v1::EventType EventTypeFor(Operation operation);
// kCancelNeed when the request's mask changes the status (only CANCELLED is accepted), else
// kUpdateNeed. Decided by the mask, not by need.status, which is ignored unless masked.
Operation UpdateNeedOperation(const relais::v1::UpdateNeedRequest& request);

}  // namespace relais::crisis
