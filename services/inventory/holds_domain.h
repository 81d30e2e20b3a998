// Holds and commitments: what a valid request is and how each call moves a hold
// (proto/relais/v1/holds.proto). Plain functions: no gRPC, no Redis, no clock (the caller passes
// `now`). The application (holds.h) reads, applies one of these, and hands the change to the
// ledger, which keeps the bookings and the stock counters in step atomically.
//
// Error codes: INVALID_ARGUMENT "<field path>: <problem>" for bad input; FAILED_PRECONDITION when
// the hold's state forbids the change, with a text made of fixed words, ids, numbers and times
// only (refusals are stored and logged; no personal data).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "relais/v1/events.pb.h"
#include "relais/v1/holds.pb.h"
#include "relais/v1/stock.pb.h"
#include "relais/v1/teams.pb.h"
#include "services/runtime/principal.h"
#include "services/runtime/validation.h"

namespace relais::inventory {

// Limits from proto/relais/v1/holds.proto.
inline constexpr absl::Duration kDefaultHoldTtl = absl::Minutes(15);
inline constexpr absl::Duration kMinHoldTtl = absl::Seconds(1);
inline constexpr absl::Duration kMaxHoldTtl = absl::Hours(24 * 7);
inline constexpr absl::Duration kMaxHoldWindow = absl::Hours(24 * 400);
inline constexpr int kMaxHolderRefChars = 128;
inline constexpr int64_t kMaxHoldQuantity = 1'000'000;
inline constexpr int kMaxBatchItems = 100;
inline constexpr int kMaxReleaseReasonChars = 200;
// A team has at most 50 kit lines, so a release names at most that many.
inline constexpr int kMaxKitUsedLines = 50;

// --- Request validation (INVALID_ARGUMENT naming the field) ---

// A window must end after it starts, at most kMaxHoldWindow later, and not have ended at `now`.
absl::Status ValidateHold(const relais::v1::HoldRequest& request, absl::Time now);
// Every field of a batch item but its request_id (which the batch replaces), with paths under
// `path` ("items[2].window.end").
absl::Status ValidateHoldItem(const FieldPath& path, const relais::v1::HoldRequest& item,
                              absl::Time now);
absl::Status ValidateHoldBatch(const relais::v1::HoldBatchRequest& request, absl::Time now);
absl::Status ValidateGetHold(const relais::v1::GetHoldRequest& request);
absl::Status ValidateConfirmHold(const relais::v1::ConfirmHoldRequest& request);
absl::Status ValidateReleaseHold(const relais::v1::ReleaseHoldRequest& request);
absl::Status ValidateReleaseCommitment(const relais::v1::ReleaseCommitmentRequest& request);
absl::Status ValidateExtendCommitment(const relais::v1::ExtendCommitmentRequest& request);
absl::Status ValidateConsumeCommitment(const relais::v1::ConsumeCommitmentRequest& request);

// Item `index` of a batch as the Hold call it stands for: request_id "<batch request_id>/<index>"
// (a '/' no caller's own request id can hold, so no Hold call collides with a batch item).
relais::v1::HoldRequest BatchItem(const relais::v1::HoldBatchRequest& batch, int index);

// --- New holds (version 1, HELD, expiring at now + ttl) ---

// Windows and expiries are kept to the millisecond, the unit of the bookings in Redis: start,
// end and expires_at are truncated, so [a, b) and [b, c) stay adjacent.
relais::v1::Hold NewResponderHold(const relais::v1::HoldRequest& request, std::string hold_id,
                                  std::string organisation_id, absl::Time now);
// The team's members (duplicates dropped) and kit (quantities of a line named twice summed), as
// the team is now.
relais::v1::Hold NewTeamHold(const relais::v1::HoldRequest& request, std::string hold_id,
                             const relais::v1::Team& team, absl::Time now);
relais::v1::Hold NewStockHold(const relais::v1::HoldRequest& request, std::string hold_id,
                              const relais::v1::StockLine& line, absl::Time now);
// FAILED_PRECONDITION "stock line <id> expired on <date>" when its lot has expired at `now`.
absl::Status CheckStockLineUsable(const relais::v1::StockLine& line, absl::Time now);

// --- Changes (each returns the hold after the call: version + 1, updated_at = now) ---

// "HELD", "COMMITTED"...
const char* HoldStateName(relais::v1::HoldState state);
// True once a HELD hold's expires_at has come.
bool HasExpired(const relais::v1::Hold& hold, absl::Time now);

// HELD and not expired -> COMMITTED.
absl::StatusOr<relais::v1::Hold> ConfirmHold(const relais::v1::Hold& current, absl::Time now);
// HELD -> RELEASED (also when its ttl passed and the sweeper has not freed it yet).
absl::StatusOr<relais::v1::Hold> ReleaseHold(const relais::v1::Hold& current, absl::Time now);
// HELD and expired -> EXPIRED (the sweeper).
absl::StatusOr<relais::v1::Hold> ExpireHold(const relais::v1::Hold& current, absl::Time now);
// COMMITTED -> RELEASED with the reason and, for a team, the kit used (INVALID_ARGUMENT
// "kit_used[<line>]: ..." when it names a line the hold does not hold, or more than it holds).
absl::StatusOr<relais::v1::Hold> ReleaseCommitment(
    const relais::v1::Hold& current, const relais::v1::ReleaseCommitmentRequest& request,
    absl::Time now);
// COMMITTED responder or team hold -> COMMITTED with the later end (INVALID_ARGUMENT "new_end:
// ..." when it is not after the current end or too far from the start).
absl::StatusOr<relais::v1::Hold> ExtendCommitment(
    const relais::v1::Hold& current, const relais::v1::ExtendCommitmentRequest& request,
    absl::Time now);
// COMMITTED stock hold -> CONSUMED, `quantity_used` (0 = all) recorded as consumed.
absl::StatusOr<relais::v1::Hold> ConsumeCommitment(
    const relais::v1::Hold& current, const relais::v1::ConsumeCommitmentRequest& request,
    absl::Time now);

// --- Events ---

// The event of a change to `hold` (as it is after the change): ids only, never personal data.
relais::v1::Event HoldEvent(relais::v1::EventType type, const relais::v1::Hold& hold,
                            const Principal& caller, const std::string& request_id, absl::Time now);

}  // namespace relais::inventory
