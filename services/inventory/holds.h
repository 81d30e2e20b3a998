// Holds and commitments, the application layer: validates (holds_domain.h), reads what a hold
// concerns (responder, team, stock lines), and hands each change to the Ledger, which books and
// counts atomically with the change's event and idempotency record. Knows nothing of gRPC.
//
// Retries: every write is keyed by (caller, method, request_id). A retry returns the first
// outcome with the hold as it is now; a FAILED_PRECONDITION refusal is stored and given again.
// A change that keeps losing races to other writers of the same hold (or team) gives up with
// ABORTED after 4 attempts.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "relais/v1/holds.pb.h"
#include "services/inventory/holds_domain.h"
#include "services/inventory/ledger.h"
#include "services/runtime/catalogue.h"
#include "services/runtime/clock.h"
#include "services/runtime/ids.h"
#include "services/runtime/principal.h"
#include "services/runtime/redis/committer.h"

namespace relais::inventory {

class Holds {
 public:
  // All must outlive the Holds. `committer` must have the relais_inventory library added.
  Holds(Ledger& ledger, Committer& committer, const Catalogue& catalogue, const Clock& clock,
        IdGenerator& ids)
      : ledger_(ledger), committer_(committer), catalogue_(catalogue), clock_(clock), ids_(ids) {}

  absl::Status Hold(const Principal& caller, const relais::v1::HoldRequest& request,
                    relais::v1::Hold* out);
  // Item i is the Hold call with request_id "<request_id>/<i>": a retried batch replays each
  // item. Fails as a whole only for invalid input, a reused request id or UNAVAILABLE.
  absl::Status HoldBatch(const Principal& caller, const relais::v1::HoldBatchRequest& request,
                         relais::v1::HoldBatchResponse* out);
  absl::Status GetHold(const Principal& caller, const relais::v1::GetHoldRequest& request,
                       relais::v1::Hold* out);
  absl::Status ConfirmHold(const Principal& caller, const relais::v1::ConfirmHoldRequest& request,
                           relais::v1::Hold* out);
  absl::Status ReleaseHold(const Principal& caller, const relais::v1::ReleaseHoldRequest& request,
                           relais::v1::Hold* out);
  absl::Status ReleaseCommitment(const Principal& caller,
                                 const relais::v1::ReleaseCommitmentRequest& request,
                                 relais::v1::Hold* out);
  absl::Status ExtendCommitment(const Principal& caller,
                                const relais::v1::ExtendCommitmentRequest& request,
                                relais::v1::Hold* out);
  absl::Status ConsumeCommitment(const Principal& caller,
                                 const relais::v1::ConsumeCommitmentRequest& request,
                                 relais::v1::Hold* out);

  // The sweeper: frees HELD holds whose expires_at <= now (state EXPIRED, event HOLD_EXPIRED), at
  // most `limit`; returns how many it expired. Safe with several replicas sweeping at once: each
  // expiry is keyed by the hold and its version, so the loser of a race writes nothing and does
  // not count it.
  absl::StatusOr<int> SweepDueHolds(absl::Time now, int limit);

 private:
  // Computes the next state of the hold read, or refuses (a non-OK status).
  using Transition = std::function<absl::StatusOr<relais::v1::Hold>(const relais::v1::Hold&)>;

  // Places a validated Hold request (a batch item too) under `idem`.
  absl::StatusOr<relais::v1::Hold> Place(const Principal& caller,
                                         const relais::v1::HoldRequest& request,
                                         const IdempotencyKey& idem);
  // Read-modify-write of one hold: `transition` on the hold as read, saved with its event.
  absl::StatusOr<relais::v1::Hold> Change(const Principal& caller, std::string_view method,
                                          const google::protobuf::Message& request,
                                          const std::string& request_id, const std::string& hold_id,
                                          relais::v1::EventType type, const Transition& transition);

  // The answer to a call answered once already: its refusal, or the hold as it is now.
  absl::StatusOr<relais::v1::Hold> Replay(const CommitResult& first);
  // Stores a FAILED_PRECONDITION refusal (a retry gets it again) and returns what the request
  // gets: the refusal, or the first outcome when this request id was already answered.
  absl::StatusOr<relais::v1::Hold> Refuse(const IdempotencyKey& idem, const absl::Status& refusal);
  // For an error that is not stored (NOT_FOUND...): the first outcome if this request was
  // answered already (its success may be what made the state change), else `error`.
  absl::StatusOr<relais::v1::Hold> EarlierOutcomeOr(const IdempotencyKey& idem, absl::Status error);

  Ledger& ledger_;
  Committer& committer_;
  [[maybe_unused]] const Catalogue& catalogue_;
  const Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace relais::inventory
