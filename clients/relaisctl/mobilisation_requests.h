// From parsed command-line values to mobilisation service requests. Pure: no I/O, no clock.
// Every combination of flags the API cannot express is refused here as INVALID_ARGUMENT, whose
// message names the flags; the verbs show it as a usage error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "relais/v1/mobilisation.pb.h"

namespace relais::cli {

// The policy flags of need candidates and need mobilise; unset means "the server's default".
struct PolicyFields {
  std::optional<double> overbooking;
  std::optional<absl::Duration> response_time;
  std::optional<int32_t> rotation_days;
  bool manual_escalation = false;
  std::optional<int32_t> max_pending;
};

// Only the fields whose flags are given are set.
relais::v1::MobilisationPolicy BuildPolicy(const PolicyFields& fields);

relais::v1::ProposeCandidatesRequest BuildProposeCandidatesRequest(
    const std::string& crisis_id, const std::string& need_id, std::optional<int32_t> limit,
    std::optional<int32_t> rotation_days);

relais::v1::MobiliseRequest BuildMobiliseRequest(const std::string& crisis_id,
                                                 const std::string& need_id,
                                                 const PolicyFields& policy,
                                                 const std::string& request_id);

// Whose requests or assignments a list shows: a crisis (and maybe one of its needs), or a
// responder. Exactly one of them; without either, `own_responder` (the caller's --responder)
// when known.
struct ListScope {
  std::optional<std::string> crisis_id;
  std::optional<std::string> need_id;
  std::optional<std::string> responder_id;
};

// The crisis or responder a list is about, checked: exactly one, --need-id only with a crisis.
// `what` is "requests" or "assignments", for the message.
absl::Status CheckListScope(const ListScope& scope, const std::string& own_responder,
                            std::string_view what);

absl::StatusOr<relais::v1::ListRequestsRequest> BuildListRequestsRequest(
    const ListScope& scope, const std::string& own_responder,
    std::optional<relais::v1::RequestState> state);

absl::StatusOr<relais::v1::ListAssignmentsRequest> BuildListAssignmentsRequest(
    const ListScope& scope, const std::string& own_responder,
    std::optional<relais::v1::AssignmentState> state);

// request respond: exactly one of --accept, --decline, --provisional; --provisional needs
// --reason (what the yes depends on).
struct AnswerFields {
  bool accept = false;
  bool decline = false;
  bool provisional = false;
  std::optional<std::string> reason;
};

absl::StatusOr<relais::v1::RespondRequest> BuildRespondRequest(
    const std::string& mobilisation_request_id, const AnswerFields& fields,
    const std::string& request_id);

// request decide: exactly one of --confirm and --decline.
absl::StatusOr<relais::v1::DecideProvisionalRequest> BuildDecideRequest(
    const std::string& mobilisation_request_id, bool confirm, bool decline,
    const std::optional<std::string>& reason, const std::string& request_id);

// assignment status: exactly one status flag; --eta only with --en-route, --used only with
// --delivered; --at (when it happened) with any.
struct StatusFields {
  bool en_route = false;
  bool on_site = false;
  bool shipped = false;
  bool delivered = false;
  bool returned = false;
  std::optional<absl::Time> eta;
  std::optional<int64_t> used;
  std::optional<absl::Time> at;
};

absl::StatusOr<relais::v1::ReportStatusRequest> BuildReportStatusRequest(
    const std::string& assignment_id, const StatusFields& fields, const std::string& request_id);

// assignment extend: --until, and exactly one of --grant and --refuse.
absl::StatusOr<relais::v1::ExtendAssignmentRequest> BuildExtendAssignmentRequest(
    const std::string& assignment_id, absl::Time until, bool grant, bool refuse,
    const std::optional<std::string>& reason, const std::string& request_id);

// Event log cursors ("1764150000000-0") in log order: negative, zero or positive like strcmp.
// Texts that are not "<ms>-<seq>" compare as text, after those that are.
int CompareCursors(std::string_view a, std::string_view b);

}  // namespace relais::cli
