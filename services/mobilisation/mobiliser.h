// The mobilisation service's application layer: matching, mobilisation rounds, answers, the
// assignment lifecycle, and the chain steps that keep the inventory's holds and commitments in
// step with the requests and assignments. Knows nothing of gRPC.
//
// Every change of a request or an assignment is one commit (Committer) with the need's state
// (version-checked, so counts never drift and two acceptances can't both take the last place),
// its event, its idempotency record, and the chain steps it implies, written to mob:todo in the
// same step: release a hold, confirm one, ask the next candidates, cancel the surplus. The caller's
// thread then runs those steps at once; a step that fails (the inventory unreachable, a crash)
// stays in mob:todo and RunSteps() finishes it later, on any replica. Each step calls the other
// services with request ids derived from the request or assignment it serves, so running it
// twice does nothing twice.
//
// Deadlines live in mob:due (score = respond_by). SweepDeadlines() claims each passed one with a
// version-checked commit: with several replicas and across restarts each expiry is processed
// exactly once.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "relais/internal/mobilisation_state.pb.h"
#include "relais/v1/mobilisation.pb.h"
#include "services/mobilisation/peers.h"
#include "services/mobilisation/redis_mobilisation_store.h"
#include "services/mobilisation/strategy.h"
#include "services/runtime/clock.h"
#include "services/runtime/ids.h"
#include "services/runtime/principal.h"
#include "services/runtime/redis/committer.h"
#include "services/runtime/redis/event_log.h"

namespace relais::mobilisation {

struct MobiliserOptions {
  // Channels a notification is written for, per request sent or cancelled (those configured).
  std::vector<v1::NotificationChannel> channels;
  // A chain step that failed is tried again after this long.
  absl::Duration step_retry = absl::Seconds(30);
  // At most this many rounds in one Mobilise call (a round may come back short when some holds
  // are refused: someone else booked the candidate meanwhile).
  int rounds_per_call = 3;
  // Local crises: responders within the crisis area plus this radius.
  double local_reach_km = 50;
  // How many to ask and in what order; null: DefaultStrategy (the need's policy). Borrowed.
  const Strategy* strategy = nullptr;
};

// Notification rows for one commit (the outbox's writes), given the notification.
using NotificationWriter =
    std::function<void(const v1::Notification&, std::vector<EntityWrite>*, std::vector<IndexOp>*)>;

class Mobiliser {
 public:
  // All borrowed; they must outlive the Mobiliser.
  Mobiliser(Committer& committer, MobilisationStore& store, CrisisDirectory& crises,
            InventoryPort& inventory, const Clock& clock, IdGenerator& ids,
            MobiliserOptions options, NotificationWriter notifications = nullptr);

  absl::Status ProposeCandidates(const Principal& caller,
                                 const v1::ProposeCandidatesRequest& request,
                                 v1::ProposeCandidatesResponse* out);
  absl::Status Mobilise(const Principal& caller, const v1::MobiliseRequest& request,
                        v1::MobiliseResponse* out);
  absl::Status GetNeedProgress(const Principal& caller, const v1::GetNeedProgressRequest& request,
                               v1::NeedProgress* out);

  absl::Status GetRequest(const Principal& caller, const v1::GetRequestRequest& request,
                          v1::MobilisationRequest* out);
  absl::Status ListRequests(const Principal& caller, const v1::ListRequestsRequest& request,
                            v1::ListRequestsResponse* out);
  absl::Status Respond(const Principal& caller, const v1::RespondRequest& request,
                       v1::MobilisationRequest* out);
  absl::Status Acknowledge(const Principal& caller, const v1::AcknowledgeRequestRequest& request,
                           v1::MobilisationRequest* out);
  absl::Status DecideProvisional(const Principal& caller,
                                 const v1::DecideProvisionalRequest& request,
                                 v1::MobilisationRequest* out);

  absl::Status GetAssignment(const Principal& caller, const v1::GetAssignmentRequest& request,
                             v1::Assignment* out);
  absl::Status ListAssignments(const Principal& caller, const v1::ListAssignmentsRequest& request,
                               v1::ListAssignmentsResponse* out);
  absl::Status Withdraw(const Principal& caller, const v1::WithdrawRequest& request,
                        v1::Assignment* out);
  absl::Status ReportStatus(const Principal& caller, const v1::ReportStatusRequest& request,
                            v1::Assignment* out);
  absl::Status Demobilise(const Principal& caller, const v1::DemobiliseRequest& request,
                          v1::Assignment* out);
  absl::Status ExtendAssignment(const Principal& caller, const v1::ExtendAssignmentRequest& request,
                                v1::Assignment* out);

  // --- Background work (a PeriodicTask in the server; tests call these on a FakeClock) --------

  // Expires pending requests whose respond_by has passed, at most `limit`; returns how many this
  // caller expired (a replica that lost the race for one does not count it).
  absl::StatusOr<int> SweepDeadlines(int limit);
  // Runs chain steps that are due, at most `limit`; returns how many finished.
  absl::StatusOr<int> RunSteps(int limit);
  // Reads the event log after its stored cursor for closed crises and cancelled needs, and
  // schedules the cancellation of their pending requests. Returns the events read.
  absl::StatusOr<int> ReactToEvents(EventLog& log, int limit);

 private:
  struct Round;
  // One read-modify-write of a need's state and whatever else `build` adds, retried on a
  // version conflict; `build` returns the commit to make (or a refusal).
  using Builder = std::function<absl::StatusOr<CommitRequest>(
      const std::optional<Stored<relais::internal::NeedState>>& need)>;

  absl::StatusOr<v1::Crisis> CrisisOf(const std::string& crisis_id);
  // Remembers a refusal (FAILED_PRECONDITION) under the caller's request id, so a retry gets the
  // same answer; returns it.
  absl::Status Refuse(const IdempotencyKey& idem, const absl::Status& refusal);
  absl::StatusOr<std::vector<v1::Candidate>> FindCandidates(
      const v1::Crisis& crisis, const v1::Need& need, const relais::internal::NeedState& state,
      int64_t wanted, const v1::MobilisationPolicy& policy);
  // Plans, holds and writes rounds until the need has as many pending as it should, or nobody is
  // left. `actor` is who the events name (the coordinator, or the service when escalating).
  absl::StatusOr<std::vector<std::string>> RunRounds(const v1::Crisis& crisis,
                                                     const std::string& need_id,
                                                     const v1::MobilisationPolicy& given,
                                                     const Principal& actor);
  // Holds and writes the need's pending round, if any. Returns the request ids written.
  absl::StatusOr<std::vector<std::string>> FinishRound(const v1::Crisis& crisis,
                                                       const std::string& need_id);

  // A request's answer or decision (ACCEPTED, DECLINED, PROVISIONAL).
  absl::Status AnswerRequest(
      const Principal& caller, const IdempotencyKey& idem, const std::string& request_id,
      std::string_view reason,
      const std::function<absl::StatusOr<v1::RequestState>(const v1::MobilisationRequest&)>&
          transition,
      v1::MobilisationRequest* out);
  // An assignment moving to `to` (with `edit` for the fields the move sets). `caller` (null for
  // the service's own steps) must pass the ownership check of `method` on the assignment, before
  // anything else is looked at.
  absl::Status MoveAssignment(const Principal* caller, std::string_view method,
                              const IdempotencyKey& idem, const std::string& assignment_id,
                              v1::AssignmentState to,
                              const std::function<absl::Status(v1::Assignment*)>& check_and_edit,
                              v1::Assignment* out);
  // Cancels every pending request of a need (need covered, cancelled, crisis closed).
  // `actor`: who closed the need or crisis (empty when it was covered).
  absl::Status CancelPending(const std::string& crisis_id, const std::string& need_id,
                             const std::string& reason, bool mark_cancelled,
                             const std::string& actor);

  absl::Status RunStep(const std::string& step);
  void RunStepsNow(const std::vector<std::string>& steps);

  absl::StatusOr<CommitResult> CommitNeed(const std::string& crisis_id, const std::string& need_id,
                                          const Builder& build);

  void AddNotification(const v1::MobilisationRequest& request, v1::EventType about,
                       const std::string& subject, const std::string& body, CommitRequest* commit);
  IdempotencyKey StepKey(std::string_view method, const std::string& request_id) const;
  v1::Event NewEvent(v1::EventType type, const Principal& caller, const std::string& request_id,
                     const std::string& crisis_id, const std::string& need_id) const;

  Committer& committer_;
  MobilisationStore& store_;
  CrisisDirectory& crises_;
  InventoryPort& inventory_;
  const Clock& clock_;
  IdGenerator& ids_;
  const MobiliserOptions options_;
  NotificationWriter notifications_;
  const DefaultStrategy default_strategy_{};
  const Strategy& strategy_;
};

// Chain step members of mob:todo ("<kind>|<id>[|<id>]").
namespace steps {
// Each step may name the person whose action it carries out (`actor`, a principal id): the
// inventory's calls then say so (InventoryPort's on_behalf_of). A step written before actors
// were recorded simply names nobody.
std::string Round(const std::string& crisis_id, const std::string& need_id);
std::string Escalate(const std::string& crisis_id, const std::string& need_id);
std::string Cover(const std::string& crisis_id, const std::string& need_id);
std::string Cancel(const std::string& crisis_id, const std::string& need_id,
                   std::string_view actor = {});
std::string Free(const std::string& request_id, std::string_view actor = {});
std::string Confirm(const std::string& assignment_id, std::string_view actor = {});
std::string Release(const std::string& assignment_id, std::string_view actor = {});
std::string Consume(const std::string& assignment_id, std::string_view actor = {});
}  // namespace steps

}  // namespace relais::mobilisation
