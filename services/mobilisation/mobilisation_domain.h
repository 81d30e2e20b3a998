// The mobilisation service's rules as plain functions: validation of every call, the policy's
// defaults, how many to ask, the lifecycles of requests and assignments, and how each change
// moves a need's progress. No gRPC, no Redis, no clock: times come in as arguments.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "relais/internal/mobilisation_state.pb.h"
#include "relais/v1/common.pb.h"
#include "relais/v1/crisis_registry.pb.h"
#include "relais/v1/mobilisation.pb.h"

namespace relais::mobilisation {

namespace v1 = relais::v1;

// --- Policy ---------------------------------------------------------------------------------

// INVALID_ARGUMENT naming the field under `path` (e.g. "policy.overbooking_factor").
absl::Status ValidatePolicy(const v1::MobilisationPolicy& policy, std::string_view path);
// `stored` with every field set in `given` replacing it (a Mobilise may change the policy).
v1::MobilisationPolicy MergePolicy(const v1::MobilisationPolicy& stored,
                                   const v1::MobilisationPolicy& given);
double OverbookingFactor(const v1::MobilisationPolicy& policy);
int MaxPending(const v1::MobilisationPolicy& policy);
absl::Duration RotationWindow(const v1::MobilisationPolicy& policy);
// The policy's response time, or the default for the crisis's urgency.
absl::Duration ResponseTime(const v1::MobilisationPolicy& policy, v1::Urgency urgency);
// How long the inventory keeps a request's hold: the response time plus a margin, so the hold
// outlives the deadline and the deadline sweeper (not the inventory) ends it.
absl::Duration HoldTtl(absl::Duration response_time);

// --- Needs ----------------------------------------------------------------------------------

// needed_by (or `now` when unset or past) to that plus duration_days (at least one day).
v1::TimeWindow NeedWindow(const v1::NeedSpec& spec, absl::Time now);
// What kind of candidate fills the need.
v1::CandidateKind KindFor(const v1::ResourceRef& resource);
// A fresh progress for a need (coverage OPEN, counts 0).
v1::NeedProgress NewProgress(const std::string& crisis_id, const v1::Need& need,
                             const v1::MobilisationPolicy& policy);
// Units still to ask for now: ceil((required - accepted) x overbooking) - pending, within
// max_pending; 0 when covered or cancelled.
int64_t ToAsk(const v1::NeedProgress& progress);
// COVERED when accepted >= required; back to OPEN when a withdrawal uncovers it. UNCOVERABLE and
// CANCELLED are set by the caller and stay.
void UpdateCoverage(v1::NeedProgress* progress);

// Mobilise is possible only for an ACTIVE crisis and an OPEN need (FAILED_PRECONDITION).
absl::Status CheckMobilisable(const v1::Crisis& crisis, const v1::Need& need);
// The need of a crisis, NOT_FOUND naming it.
absl::StatusOr<v1::Need> FindNeed(const v1::Crisis& crisis, std::string_view need_id);

// --- Requests -------------------------------------------------------------------------------

bool IsPending(v1::RequestState state);
// The state an answer leads to from `from` at `now`; FAILED_PRECONDITION for an answer after
// respond_by ("too late") or to a request no longer waiting.
absl::StatusOr<v1::RequestState> AnswerTransition(const v1::MobilisationRequest& request,
                                                  v1::Answer answer, absl::Time now);
// The coordinator's decision on a PROVISIONAL answer.
absl::StatusOr<v1::RequestState> DecisionTransition(const v1::MobilisationRequest& request,
                                                    bool confirm, absl::Time now);
// Moves the counts of `progress` for a request of `quantity` going from `from` to `to`.
void CountRequestChange(v1::NeedProgress* progress, int64_t quantity, v1::RequestState from,
                        v1::RequestState to);

// --- Assignments ----------------------------------------------------------------------------

// The first state of an assignment of this kind (ACCEPTED; COMMITTED for supplies).
v1::AssignmentState FirstAssignmentState(v1::CandidateKind kind);
// OK when `from` -> `to` is a legal move for an assignment of `kind`; FAILED_PRECONDITION naming
// both states otherwise.
absl::Status CheckAssignmentTransition(v1::CandidateKind kind, v1::AssignmentState from,
                                       v1::AssignmentState to);
bool IsDeployed(v1::AssignmentState state);
bool IsFinished(v1::AssignmentState state);
// Moves the counts of `progress` for an assignment of `quantity` going from `from` to `to`
// (from UNSPECIFIED: created).
void CountAssignmentChange(v1::NeedProgress* progress, int64_t quantity, v1::AssignmentState from,
                           v1::AssignmentState to);

// --- Validation of calls (INVALID_ARGUMENT naming the field, before anything is read) --------

absl::Status ValidatePropose(const v1::ProposeCandidatesRequest& request);
absl::Status ValidateMobilise(const v1::MobiliseRequest& request);
absl::Status ValidateRespond(const v1::RespondRequest& request);
absl::Status ValidateAcknowledge(const v1::AcknowledgeRequestRequest& request);
absl::Status ValidateDecide(const v1::DecideProvisionalRequest& request);
absl::Status ValidateWithdraw(const v1::WithdrawRequest& request);
// `now` bounds actual_at (not in the future).
absl::Status ValidateReportStatus(const v1::ReportStatusRequest& request, absl::Time now);
absl::Status ValidateDemobilise(const v1::DemobiliseRequest& request);
absl::Status ValidateExtend(const v1::ExtendAssignmentRequest& request);
absl::Status ValidateListRequests(const v1::ListRequestsRequest& request);
absl::Status ValidateListAssignments(const v1::ListAssignmentsRequest& request);
// responder_id required; page_size 0..200; page_token empty or a notification id.
absl::Status ValidateListNotifications(const v1::ListNotificationsRequest& request);

// The event type of an assignment reaching `to`.
v1::EventType AssignmentEventType(v1::AssignmentState to);
// "REQUESTED", "ON_SITE"...: for messages.
std::string RequestStateName(v1::RequestState state);
std::string AssignmentStateName(v1::AssignmentState state);

}  // namespace relais::mobilisation
