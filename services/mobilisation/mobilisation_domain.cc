#include "services/mobilisation/mobilisation_domain.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/runtime/proto_time.h"
#include "services/runtime/validation.h"

namespace relais::mobilisation {
namespace {

constexpr double kDefaultOverbooking = 1.5;
constexpr int kDefaultMaxPending = 50;
constexpr int kMaxReasonChars = 500;

absl::Duration FromProtoDuration(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

absl::Status CheckDurationRange(const FieldPath& path, const google::protobuf::Duration& d,
                                absl::Duration min, absl::Duration max, std::string_view range) {
  const absl::Duration value = FromProtoDuration(d);
  if (value < min || value > max)
    return InvalidField(path, absl::StrCat("must be ", std::string(range)));
  return absl::OkStatus();
}

absl::Status CheckId(const FieldPath& path, std::string_view id) {
  if (id.empty()) return InvalidField(path, "required");
  return CheckResourceId(path, id);
}

absl::Status CheckReason(std::string_view reason) {
  return CheckOptionalText("reason", reason, kMaxReasonChars, TextKind::kMultiLine);
}

// Exactly one of crisis_id and responder_id; need_id only with crisis_id.
absl::Status CheckListScope(std::string_view crisis_id, std::string_view need_id,
                            std::string_view responder_id, int32_t page_size) {
  if (crisis_id.empty() == responder_id.empty()) {
    return InvalidField("crisis_id", "give exactly one of crisis_id and responder_id");
  }
  if (!crisis_id.empty()) {
    if (auto s = CheckResourceId("crisis_id", crisis_id); !s.ok()) return s;
  }
  if (!responder_id.empty()) {
    if (auto s = CheckResourceId("responder_id", responder_id); !s.ok()) return s;
  }
  if (!need_id.empty()) {
    if (crisis_id.empty()) return InvalidField("need_id", "only with crisis_id");
    if (auto s = CheckResourceId("need_id", need_id); !s.ok()) return s;
  }
  return CheckPageSize(page_size).status();
}

}  // namespace

// --- Policy ---------------------------------------------------------------------------------

absl::Status ValidatePolicy(const v1::MobilisationPolicy& policy, std::string_view path) {
  const FieldPath base(path);
  if (policy.overbooking_factor() != 0) {
    if (auto s = CheckDoubleRange(base.Field("overbooking_factor"), policy.overbooking_factor(),
                                  1.0, 3.0);
        !s.ok()) {
      return s;
    }
  }
  if (policy.has_response_time()) {
    if (auto s = CheckDurationRange(base.Field("response_time"), policy.response_time(),
                                    absl::Minutes(1), absl::Hours(24 * 7), "1 minute to 7 days");
        !s.ok()) {
      return s;
    }
  }
  if (policy.has_rotation_window()) {
    if (auto s = CheckDurationRange(base.Field("rotation_window"), policy.rotation_window(),
                                    absl::Hours(24), absl::Hours(24 * 365), "1 to 365 days");
        !s.ok()) {
      return s;
    }
  }
  if (policy.max_pending() != 0) {
    if (auto s = CheckIntRange(base.Field("max_pending"), policy.max_pending(), 1, 200); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

v1::MobilisationPolicy MergePolicy(const v1::MobilisationPolicy& stored,
                                   const v1::MobilisationPolicy& given) {
  v1::MobilisationPolicy merged = stored;
  if (given.overbooking_factor() != 0) merged.set_overbooking_factor(given.overbooking_factor());
  if (given.has_response_time()) *merged.mutable_response_time() = given.response_time();
  if (given.has_rotation_window()) *merged.mutable_rotation_window() = given.rotation_window();
  if (given.manual_escalation()) merged.set_manual_escalation(true);
  if (given.max_pending() != 0) merged.set_max_pending(given.max_pending());
  return merged;
}

double OverbookingFactor(const v1::MobilisationPolicy& policy) {
  return policy.overbooking_factor() == 0 ? kDefaultOverbooking : policy.overbooking_factor();
}

int MaxPending(const v1::MobilisationPolicy& policy) {
  return policy.max_pending() == 0 ? kDefaultMaxPending : policy.max_pending();
}

absl::Duration RotationWindow(const v1::MobilisationPolicy& policy) {
  return policy.has_rotation_window() ? FromProtoDuration(policy.rotation_window())
                                      : absl::Hours(24 * 30);
}

absl::Duration ResponseTime(const v1::MobilisationPolicy& policy, v1::Urgency urgency) {
  if (policy.has_response_time()) return FromProtoDuration(policy.response_time());
  switch (urgency) {
    case v1::URGENCY_IMMEDIATE:
      return absl::Minutes(30);
    case v1::URGENCY_FUTURE:
      return absl::Hours(24);
    default:
      return absl::Hours(2);
  }
}

absl::Duration HoldTtl(absl::Duration response_time) {
  return response_time + std::max(absl::Minutes(10), response_time / 4);
}

// --- Needs ----------------------------------------------------------------------------------

v1::TimeWindow NeedWindow(const v1::NeedSpec& spec, absl::Time now) {
  absl::Time start = spec.has_needed_by() ? FromProtoTime(spec.needed_by()) : now;
  if (start < now) start = now;
  const int days = std::max(1, spec.duration_days());
  v1::TimeWindow window;
  *window.mutable_start() = ToProtoTime(start);
  *window.mutable_end() = ToProtoTime(start + absl::Hours(24) * days);
  return window;
}

v1::CandidateKind KindFor(const v1::ResourceRef& resource) {
  switch (resource.kind()) {
    case v1::RESOURCE_KIND_SKILL:
      return v1::CANDIDATE_KIND_RESPONDER;
    case v1::RESOURCE_KIND_TEAM_TYPE:
      return v1::CANDIDATE_KIND_TEAM;
    case v1::RESOURCE_KIND_SUPPLY_ITEM:
      return v1::CANDIDATE_KIND_STOCK;
    default:
      return v1::CANDIDATE_KIND_UNSPECIFIED;
  }
}

v1::NeedProgress NewProgress(const std::string& crisis_id, const v1::Need& need,
                             const v1::MobilisationPolicy& policy) {
  v1::NeedProgress progress;
  progress.set_crisis_id(crisis_id);
  progress.set_need_id(need.id());
  *progress.mutable_resource() = need.spec().resource();
  progress.set_required(need.spec().quantity());
  progress.set_coverage(v1::COVERAGE_OPEN);
  *progress.mutable_policy() = policy;
  return progress;
}

int64_t ToAsk(const v1::NeedProgress& progress) {
  if (progress.coverage() == v1::COVERAGE_CANCELLED ||
      progress.coverage() == v1::COVERAGE_COVERED) {
    return 0;
  }
  const int64_t missing = progress.required() - progress.accepted();
  if (missing <= 0) return 0;
  // Units of supplies are not overbooked: a held unit is a unit nobody else can have.
  const bool supplies = progress.resource().kind() == v1::RESOURCE_KIND_SUPPLY_ITEM;
  const double factor = supplies ? 1.0 : OverbookingFactor(progress.policy());
  const auto wanted = static_cast<int64_t>(std::ceil(static_cast<double>(missing) * factor - 1e-9));
  // max_pending caps requests, i.e. people or teams; for supplies `requested` counts units, and
  // 2,000 sachets are a handful of requests (one per stock line), not 2,000.
  if (supplies) return std::max<int64_t>(0, wanted - progress.requested());
  const int64_t room = MaxPending(progress.policy()) - progress.requested();
  return std::max<int64_t>(0, std::min(wanted - progress.requested(), room));
}

void UpdateCoverage(v1::NeedProgress* progress) {
  if (progress->coverage() == v1::COVERAGE_CANCELLED) return;
  if (progress->accepted() >= progress->required()) {
    progress->set_coverage(v1::COVERAGE_COVERED);
    progress->clear_uncoverable_reason();
  } else if (progress->coverage() == v1::COVERAGE_COVERED) {
    progress->set_coverage(v1::COVERAGE_OPEN);
  }
}

absl::Status CheckMobilisable(const v1::Crisis& crisis, const v1::Need& need) {
  if (crisis.status() != v1::CRISIS_STATUS_ACTIVE) {
    return absl::FailedPreconditionError(
        absl::StrCat("crisis ", crisis.id(), " is ", v1::CrisisStatus_Name(crisis.status()),
                     ", not ACTIVE: activate it before mobilising"));
  }
  if (need.status() != v1::NEED_STATUS_OPEN) {
    return absl::FailedPreconditionError(
        absl::StrCat("need ", need.id(), " is ", v1::NeedStatus_Name(need.status())));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Need> FindNeed(const v1::Crisis& crisis, std::string_view need_id) {
  for (const v1::Need& need : crisis.needs()) {
    if (need.id() == need_id) return need;
  }
  return absl::NotFoundError(
      absl::StrCat("need ", std::string(need_id), " not found in crisis ", crisis.id()));
}

// --- Requests -------------------------------------------------------------------------------

bool IsPending(v1::RequestState state) {
  return state == v1::REQUEST_STATE_REQUESTED || state == v1::REQUEST_STATE_PROVISIONAL;
}

namespace {

absl::Status CheckStillOpen(const v1::MobilisationRequest& request, absl::Time now) {
  if (!IsPending(request.state())) {
    return absl::FailedPreconditionError(absl::StrCat("mobilisation request ", request.id(), " is ",
                                                      RequestStateName(request.state()),
                                                      ": it no longer waits for an answer"));
  }
  const absl::Time deadline = FromProtoTime(request.respond_by());
  if (now > deadline) {
    return absl::FailedPreconditionError(
        absl::StrCat("mobilisation request ", request.id(), ": too late, the answer was due by ",
                     absl::FormatTime(absl::RFC3339_sec, deadline, absl::UTCTimeZone())));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::RequestState> AnswerTransition(const v1::MobilisationRequest& request,
                                                  v1::Answer answer, absl::Time now) {
  if (auto s = CheckStillOpen(request, now); !s.ok()) return s;
  if (request.state() == v1::REQUEST_STATE_PROVISIONAL) {
    return absl::FailedPreconditionError(
        absl::StrCat("mobilisation request ", request.id(),
                     " has a provisional answer: the coordinator decides it now"));
  }
  switch (answer) {
    case v1::ANSWER_ACCEPT:
      return v1::REQUEST_STATE_ACCEPTED;
    case v1::ANSWER_DECLINE:
      return v1::REQUEST_STATE_DECLINED;
    case v1::ANSWER_PROVISIONAL:
      return v1::REQUEST_STATE_PROVISIONAL;
    default:
      return absl::InvalidArgumentError("answer: required");
  }
}

absl::StatusOr<v1::RequestState> DecisionTransition(const v1::MobilisationRequest& request,
                                                    bool confirm, absl::Time now) {
  if (auto s = CheckStillOpen(request, now); !s.ok()) return s;
  if (request.state() != v1::REQUEST_STATE_PROVISIONAL) {
    return absl::FailedPreconditionError(absl::StrCat("mobilisation request ", request.id(), " is ",
                                                      RequestStateName(request.state()),
                                                      ", not PROVISIONAL"));
  }
  return confirm ? v1::REQUEST_STATE_ACCEPTED : v1::REQUEST_STATE_DECLINED;
}

void CountRequestChange(v1::NeedProgress* progress, int64_t quantity, v1::RequestState from,
                        v1::RequestState to) {
  if (IsPending(from) && !IsPending(to)) progress->set_requested(progress->requested() - quantity);
  if (!IsPending(from) && IsPending(to)) progress->set_requested(progress->requested() + quantity);
  switch (to) {
    case v1::REQUEST_STATE_DECLINED:
      progress->set_declined(progress->declined() + quantity);
      break;
    case v1::REQUEST_STATE_EXPIRED:
      progress->set_expired(progress->expired() + quantity);
      break;
    default:
      break;
  }
  // ACCEPTED is counted by the assignment created with it (CountAssignmentChange).
}

// --- Assignments ----------------------------------------------------------------------------

v1::AssignmentState FirstAssignmentState(v1::CandidateKind kind) {
  return kind == v1::CANDIDATE_KIND_STOCK ? v1::ASSIGNMENT_STATE_COMMITTED
                                          : v1::ASSIGNMENT_STATE_ACCEPTED;
}

absl::Status CheckAssignmentTransition(v1::CandidateKind kind, v1::AssignmentState from,
                                       v1::AssignmentState to) {
  using S = v1::AssignmentState;
  bool legal = false;
  if (kind == v1::CANDIDATE_KIND_STOCK) {
    legal = (from == S::ASSIGNMENT_STATE_COMMITTED && to == S::ASSIGNMENT_STATE_SHIPPED) ||
            (from == S::ASSIGNMENT_STATE_SHIPPED && to == S::ASSIGNMENT_STATE_DELIVERED) ||
            ((from == S::ASSIGNMENT_STATE_COMMITTED || from == S::ASSIGNMENT_STATE_SHIPPED) &&
             to == S::ASSIGNMENT_STATE_RETURNED);
  } else {
    legal = (from == S::ASSIGNMENT_STATE_ACCEPTED && to == S::ASSIGNMENT_STATE_WITHDRAWN) ||
            (from == S::ASSIGNMENT_STATE_ACCEPTED && to == S::ASSIGNMENT_STATE_EN_ROUTE) ||
            (from == S::ASSIGNMENT_STATE_EN_ROUTE && to == S::ASSIGNMENT_STATE_ON_SITE) ||
            ((from == S::ASSIGNMENT_STATE_ACCEPTED || from == S::ASSIGNMENT_STATE_EN_ROUTE ||
              from == S::ASSIGNMENT_STATE_ON_SITE) &&
             to == S::ASSIGNMENT_STATE_RELEASED);
  }
  if (legal) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "assignment cannot go from ", AssignmentStateName(from), " to ", AssignmentStateName(to)));
}

bool IsDeployed(v1::AssignmentState state) {
  return state == v1::ASSIGNMENT_STATE_EN_ROUTE || state == v1::ASSIGNMENT_STATE_ON_SITE ||
         state == v1::ASSIGNMENT_STATE_SHIPPED || state == v1::ASSIGNMENT_STATE_DELIVERED;
}

bool IsFinished(v1::AssignmentState state) {
  return state == v1::ASSIGNMENT_STATE_WITHDRAWN || state == v1::ASSIGNMENT_STATE_RELEASED ||
         state == v1::ASSIGNMENT_STATE_RETURNED;
}

void CountAssignmentChange(v1::NeedProgress* progress, int64_t quantity, v1::AssignmentState from,
                           v1::AssignmentState to) {
  if (from == v1::ASSIGNMENT_STATE_UNSPECIFIED) {
    progress->set_accepted(progress->accepted() + quantity);
  }
  if (IsDeployed(from) && !IsDeployed(to)) progress->set_deployed(progress->deployed() - quantity);
  if (!IsDeployed(from) && IsDeployed(to)) progress->set_deployed(progress->deployed() + quantity);
  if (to == v1::ASSIGNMENT_STATE_WITHDRAWN || to == v1::ASSIGNMENT_STATE_RETURNED) {
    // No longer counts as accepted: the need is uncovered by as much.
    progress->set_accepted(progress->accepted() - quantity);
    progress->set_withdrawn(progress->withdrawn() + quantity);
  }
  if (to == v1::ASSIGNMENT_STATE_RELEASED) progress->set_released(progress->released() + quantity);
  UpdateCoverage(progress);
}

// --- Validation -----------------------------------------------------------------------------

absl::Status ValidatePropose(const v1::ProposeCandidatesRequest& request) {
  if (auto s = CheckId("crisis_id", request.crisis_id()); !s.ok()) return s;
  if (auto s = CheckId("need_id", request.need_id()); !s.ok()) return s;
  if (request.limit() != 0) {
    if (auto s = CheckIntRange("limit", request.limit(), 1, 200); !s.ok()) return s;
  }
  return ValidatePolicy(request.policy(), "policy");
}

absl::Status ValidateMobilise(const v1::MobiliseRequest& request) {
  if (auto s = CheckRequestId(request.request_id()); !s.ok()) return s;
  if (auto s = CheckId("crisis_id", request.crisis_id()); !s.ok()) return s;
  if (auto s = CheckId("need_id", request.need_id()); !s.ok()) return s;
  return ValidatePolicy(request.policy(), "policy");
}

absl::Status ValidateRespond(const v1::RespondRequest& request) {
  if (auto s = CheckRequestId(request.request_id()); !s.ok()) return s;
  if (auto s = CheckId("mobilisation_request_id", request.mobilisation_request_id()); !s.ok()) {
    return s;
  }
  if (auto s = CheckRequiredEnum("answer", request.answer(), v1::Answer_IsValid); !s.ok()) {
    return s;
  }
  if (request.answer() == v1::ANSWER_PROVISIONAL) {
    return CheckRequiredText("reason", request.reason(), kMaxReasonChars, TextKind::kMultiLine);
  }
  return CheckReason(request.reason());
}

absl::Status ValidateAcknowledge(const v1::AcknowledgeRequestRequest& request) {
  if (auto s = CheckRequestId(request.request_id()); !s.ok()) return s;
  return CheckId("mobilisation_request_id", request.mobilisation_request_id());
}

absl::Status ValidateDecide(const v1::DecideProvisionalRequest& request) {
  if (auto s = CheckRequestId(request.request_id()); !s.ok()) return s;
  if (auto s = CheckId("mobilisation_request_id", request.mobilisation_request_id()); !s.ok()) {
    return s;
  }
  return CheckReason(request.reason());
}

absl::Status ValidateWithdraw(const v1::WithdrawRequest& request) {
  if (auto s = CheckRequestId(request.request_id()); !s.ok()) return s;
  if (auto s = CheckId("assignment_id", request.assignment_id()); !s.ok()) return s;
  return CheckRequiredText("reason", request.reason(), kMaxReasonChars, TextKind::kMultiLine);
}

absl::Status ValidateReportStatus(const v1::ReportStatusRequest& request, absl::Time now) {
  if (auto s = CheckRequestId(request.request_id()); !s.ok()) return s;
  if (auto s = CheckId("assignment_id", request.assignment_id()); !s.ok()) return s;
  switch (request.status()) {
    case v1::ASSIGNMENT_STATE_EN_ROUTE:
    case v1::ASSIGNMENT_STATE_ON_SITE:
    case v1::ASSIGNMENT_STATE_SHIPPED:
    case v1::ASSIGNMENT_STATE_DELIVERED:
    case v1::ASSIGNMENT_STATE_RETURNED:
      break;
    default:
      return InvalidField("status", "must be EN_ROUTE, ON_SITE, SHIPPED, DELIVERED or RETURNED");
  }
  if (request.has_actual_at()) {
    if (auto s = CheckTimestamp("actual_at", request.actual_at()); !s.ok()) return s;
    if (FromProtoTime(request.actual_at()) > now + absl::Minutes(5)) {
      return InvalidField("actual_at", "must not be in the future");
    }
  }
  if (request.has_estimated_arrival()) {
    if (request.status() != v1::ASSIGNMENT_STATE_EN_ROUTE) {
      return InvalidField("estimated_arrival", "only with status EN_ROUTE");
    }
    if (auto s = CheckTimestamp("estimated_arrival", request.estimated_arrival()); !s.ok()) {
      return s;
    }
  }
  if (request.quantity_used() != 0 && request.status() != v1::ASSIGNMENT_STATE_DELIVERED) {
    return InvalidField("quantity_used", "only with status DELIVERED");
  }
  return CheckIntRange("quantity_used", request.quantity_used(), 0, 1'000'000);
}

absl::Status ValidateDemobilise(const v1::DemobiliseRequest& request) {
  if (auto s = CheckRequestId(request.request_id()); !s.ok()) return s;
  if (auto s = CheckId("assignment_id", request.assignment_id()); !s.ok()) return s;
  return CheckReason(request.reason());
}

absl::Status ValidateExtend(const v1::ExtendAssignmentRequest& request) {
  if (auto s = CheckRequestId(request.request_id()); !s.ok()) return s;
  if (auto s = CheckId("assignment_id", request.assignment_id()); !s.ok()) return s;
  if (request.grant()) {
    if (auto s = CheckPresent("new_end", request.has_new_end()); !s.ok()) return s;
  }
  if (request.has_new_end()) {
    if (auto s = CheckTimestamp("new_end", request.new_end()); !s.ok()) return s;
  }
  return CheckReason(request.reason());
}

absl::Status ValidateListRequests(const v1::ListRequestsRequest& request) {
  if (auto s = CheckOptionalEnum("state", request.state(), v1::RequestState_IsValid); !s.ok()) {
    return s;
  }
  return CheckListScope(request.crisis_id(), request.need_id(), request.responder_id(),
                        request.page_size());
}

absl::Status ValidateListAssignments(const v1::ListAssignmentsRequest& request) {
  if (auto s = CheckOptionalEnum("state", request.state(), v1::AssignmentState_IsValid); !s.ok()) {
    return s;
  }
  return CheckListScope(request.crisis_id(), request.need_id(), request.responder_id(),
                        request.page_size());
}

absl::Status ValidateListNotifications(const v1::ListNotificationsRequest& request) {
  if (request.responder_id().empty()) return InvalidField("responder_id", "required");
  if (auto s = CheckResourceId("responder_id", request.responder_id()); !s.ok()) return s;
  if (auto s = CheckPageSize(request.page_size()); !s.ok()) return s.status();
  if (!request.page_token().empty()) {
    // A page token is the id of the last notification of the previous page.
    if (auto s = CheckResourceId("page_token", request.page_token()); !s.ok()) return s;
  }
  return absl::OkStatus();
}

v1::EventType AssignmentEventType(v1::AssignmentState to) {
  switch (to) {
    case v1::ASSIGNMENT_STATE_WITHDRAWN:
      return v1::EVENT_TYPE_ASSIGNMENT_WITHDRAWN;
    case v1::ASSIGNMENT_STATE_EN_ROUTE:
      return v1::EVENT_TYPE_ASSIGNMENT_EN_ROUTE;
    case v1::ASSIGNMENT_STATE_ON_SITE:
      return v1::EVENT_TYPE_ASSIGNMENT_ON_SITE;
    case v1::ASSIGNMENT_STATE_RELEASED:
      return v1::EVENT_TYPE_ASSIGNMENT_RELEASED;
    case v1::ASSIGNMENT_STATE_SHIPPED:
      return v1::EVENT_TYPE_SUPPLY_SHIPPED;
    case v1::ASSIGNMENT_STATE_DELIVERED:
      return v1::EVENT_TYPE_SUPPLY_DELIVERED;
    case v1::ASSIGNMENT_STATE_RETURNED:
      return v1::EVENT_TYPE_SUPPLY_RETURNED;
    default:
      return v1::EVENT_TYPE_UNSPECIFIED;
  }
}

std::string RequestStateName(v1::RequestState state) {
  static constexpr std::string_view kPrefix = "REQUEST_STATE_";
  const std::string& name = v1::RequestState_Name(state);
  return name.substr(name.size() > kPrefix.size() ? kPrefix.size() : 0);
}

std::string AssignmentStateName(v1::AssignmentState state) {
  static constexpr std::string_view kPrefix = "ASSIGNMENT_STATE_";
  const std::string& name = v1::AssignmentState_Name(state);
  return name.substr(name.size() > kPrefix.size() ? kPrefix.size() : 0);
}

}  // namespace relais::mobilisation
