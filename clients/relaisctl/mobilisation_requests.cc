#include "clients/relaisctl/mobilisation_requests.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "clients/relaisctl/messages.h"
#include "clients/relaisctl/time_text.h"

namespace relais::cli {
namespace {

namespace v1 = relais::v1;

absl::Status Usage(const std::string& message) { return absl::InvalidArgumentError(message); }

// The names of the flags that are set, e.g. {"--accept", "--decline"}.
std::vector<std::string> Given(std::initializer_list<std::pair<bool, const char*>> flags) {
  std::vector<std::string> names;
  for (const auto& [given, name] : flags) {
    if (given) names.emplace_back(name);
  }
  return names;
}

google::protobuf::Duration Days(int32_t days) {
  return ToDurationProto(absl::Hours(24) * static_cast<int64_t>(days));
}

// Parses "<ms>-<seq>"; false for anything else.
bool SplitCursor(std::string_view cursor, uint64_t* ms, uint64_t* seq) {
  const size_t dash = cursor.find('-');
  if (dash == std::string_view::npos) return false;
  // absl's string_view is not std's in this Abseil build.
  const std::string head(cursor.substr(0, dash));
  const std::string tail(cursor.substr(dash + 1));
  return absl::SimpleAtoi(head, ms) && absl::SimpleAtoi(tail, seq);
}

}  // namespace

v1::MobilisationPolicy BuildPolicy(const PolicyFields& fields) {
  v1::MobilisationPolicy policy;
  if (fields.overbooking) policy.set_overbooking_factor(*fields.overbooking);
  if (fields.response_time)
    *policy.mutable_response_time() = ToDurationProto(*fields.response_time);
  if (fields.rotation_days) *policy.mutable_rotation_window() = Days(*fields.rotation_days);
  policy.set_manual_escalation(fields.manual_escalation);
  if (fields.max_pending) policy.set_max_pending(*fields.max_pending);
  return policy;
}

v1::ProposeCandidatesRequest BuildProposeCandidatesRequest(const std::string& crisis_id,
                                                           const std::string& need_id,
                                                           std::optional<int32_t> limit,
                                                           std::optional<int32_t> rotation_days) {
  v1::ProposeCandidatesRequest request;
  request.set_crisis_id(crisis_id);
  request.set_need_id(need_id);
  request.set_limit(limit.value_or(0));
  if (rotation_days) *request.mutable_policy()->mutable_rotation_window() = Days(*rotation_days);
  return request;
}

v1::MobiliseRequest BuildMobiliseRequest(const std::string& crisis_id, const std::string& need_id,
                                         const PolicyFields& policy,
                                         const std::string& request_id) {
  v1::MobiliseRequest request;
  request.set_request_id(request_id);
  request.set_crisis_id(crisis_id);
  request.set_need_id(need_id);
  *request.mutable_policy() = BuildPolicy(policy);
  return request;
}

absl::Status CheckListScope(const ListScope& scope, const std::string& own_responder,
                            std::string_view what) {
  if (scope.crisis_id && scope.responder_id) return Usage(Say(Msg::kListBothScopes));
  if (scope.need_id && !scope.crisis_id) return Usage(Say(Msg::kListNeedWithoutCrisis));
  if (!scope.crisis_id && !scope.responder_id && own_responder.empty()) {
    return Usage(Say(Msg::kListNoScope, std::string(what)));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ListRequestsRequest> BuildListRequestsRequest(
    const ListScope& scope, const std::string& own_responder,
    std::optional<v1::RequestState> state) {
  if (absl::Status ok = CheckListScope(scope, own_responder, "requests"); !ok.ok()) return ok;
  v1::ListRequestsRequest request;
  if (scope.crisis_id) {
    request.set_crisis_id(*scope.crisis_id);
    request.set_need_id(scope.need_id.value_or(""));
  } else {
    request.set_responder_id(scope.responder_id.value_or(own_responder));
  }
  request.set_state(state.value_or(v1::REQUEST_STATE_UNSPECIFIED));
  return request;
}

absl::StatusOr<v1::ListAssignmentsRequest> BuildListAssignmentsRequest(
    const ListScope& scope, const std::string& own_responder,
    std::optional<v1::AssignmentState> state) {
  if (absl::Status ok = CheckListScope(scope, own_responder, "assignments"); !ok.ok()) return ok;
  v1::ListAssignmentsRequest request;
  if (scope.crisis_id) {
    request.set_crisis_id(*scope.crisis_id);
    request.set_need_id(scope.need_id.value_or(""));
  } else {
    request.set_responder_id(scope.responder_id.value_or(own_responder));
  }
  request.set_state(state.value_or(v1::ASSIGNMENT_STATE_UNSPECIFIED));
  return request;
}

absl::StatusOr<v1::RespondRequest> BuildRespondRequest(const std::string& mobilisation_request_id,
                                                       const AnswerFields& fields,
                                                       const std::string& request_id) {
  const std::vector<std::string> given = Given({{fields.accept, "--accept"},
                                                {fields.decline, "--decline"},
                                                {fields.provisional, "--provisional"}});
  if (given.empty()) return Usage(Say(Msg::kAnswerNone));
  if (given.size() > 1) return Usage(Say(Msg::kOnlyOneOf, absl::StrJoin(given, " ")));
  if (fields.provisional &&
      fields.reason.value_or("").find_first_not_of(" \t") == std::string::npos) {
    return Usage(Say(Msg::kProvisionalNoReason));
  }
  v1::RespondRequest request;
  request.set_request_id(request_id);
  request.set_mobilisation_request_id(mobilisation_request_id);
  request.set_answer(fields.accept    ? v1::ANSWER_ACCEPT
                     : fields.decline ? v1::ANSWER_DECLINE
                                      : v1::ANSWER_PROVISIONAL);
  request.set_reason(fields.reason.value_or(""));
  return request;
}

absl::StatusOr<v1::DecideProvisionalRequest> BuildDecideRequest(
    const std::string& mobilisation_request_id, bool confirm, bool decline,
    const std::optional<std::string>& reason, const std::string& request_id) {
  if (confirm == decline) return Usage(Say(Msg::kDecideOne));
  v1::DecideProvisionalRequest request;
  request.set_request_id(request_id);
  request.set_mobilisation_request_id(mobilisation_request_id);
  request.set_confirm(confirm);
  request.set_reason(reason.value_or(""));
  return request;
}

absl::StatusOr<v1::ReportStatusRequest> BuildReportStatusRequest(const std::string& assignment_id,
                                                                 const StatusFields& fields,
                                                                 const std::string& request_id) {
  const std::vector<std::string> given = Given({{fields.en_route, "--en-route"},
                                                {fields.on_site, "--on-site"},
                                                {fields.shipped, "--shipped"},
                                                {fields.delivered, "--delivered"},
                                                {fields.returned, "--returned"}});
  if (given.empty()) return Usage(Say(Msg::kStatusNone));
  if (given.size() > 1) return Usage(Say(Msg::kOnlyOneOf, absl::StrJoin(given, " ")));
  if (fields.eta && !fields.en_route) return Usage(Say(Msg::kStatusEtaEnRoute));
  if (fields.used && !fields.delivered) return Usage(Say(Msg::kStatusUsedDelivered));
  v1::ReportStatusRequest request;
  request.set_request_id(request_id);
  request.set_assignment_id(assignment_id);
  request.set_status(fields.en_route    ? v1::ASSIGNMENT_STATE_EN_ROUTE
                     : fields.on_site   ? v1::ASSIGNMENT_STATE_ON_SITE
                     : fields.shipped   ? v1::ASSIGNMENT_STATE_SHIPPED
                     : fields.delivered ? v1::ASSIGNMENT_STATE_DELIVERED
                                        : v1::ASSIGNMENT_STATE_RETURNED);
  if (fields.at) *request.mutable_actual_at() = ToTimestamp(*fields.at);
  if (fields.eta) *request.mutable_estimated_arrival() = ToTimestamp(*fields.eta);
  request.set_quantity_used(fields.used.value_or(0));
  return request;
}

absl::StatusOr<v1::ExtendAssignmentRequest> BuildExtendAssignmentRequest(
    const std::string& assignment_id, absl::Time until, bool grant, bool refuse,
    const std::optional<std::string>& reason, const std::string& request_id) {
  if (grant == refuse) return Usage(Say(Msg::kExtendOne));
  v1::ExtendAssignmentRequest request;
  request.set_request_id(request_id);
  request.set_assignment_id(assignment_id);
  *request.mutable_new_end() = ToTimestamp(until);
  request.set_grant(grant);
  request.set_reason(reason.value_or(""));
  return request;
}

int CompareCursors(std::string_view a, std::string_view b) {
  uint64_t a_ms = 0, a_seq = 0, b_ms = 0, b_seq = 0;
  const bool a_ok = SplitCursor(a, &a_ms, &a_seq);
  const bool b_ok = SplitCursor(b, &b_ms, &b_seq);
  if (a_ok && b_ok) {
    if (a_ms != b_ms) return a_ms < b_ms ? -1 : 1;
    if (a_seq != b_seq) return a_seq < b_seq ? -1 : 1;
    return 0;
  }
  if (a_ok != b_ok) return a_ok ? -1 : 1;
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

}  // namespace relais::cli
