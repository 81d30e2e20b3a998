#include "services/inventory/holds.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "relais/v1/inventory.pb.h"
#include "relais/v1/teams.pb.h"
#include "services/inventory/inventory_store.h"
#include "services/runtime/access_policy.h"
#include "services/runtime/idempotency.h"
#include "services/runtime/validation.h"

namespace relais::inventory {
namespace {

namespace v1 = relais::v1;
using relais::internal::StoredOutcome;

// A change that keeps losing to concurrent writers gives up with ABORTED.
constexpr int kMaxAttempts = 4;
// Who the sweeper's expiries are attributed to in the event log.
constexpr char kSweeperPrincipal[] = "inventory-sweeper";
// teams.proto's limits.
constexpr int kMaxTeamMembers = 50;
constexpr int kMaxTeamKitLines = 50;

StoredOutcome Success(const v1::Hold& hold) {
  StoredOutcome outcome;
  outcome.set_code(0);
  outcome.set_subject_id(hold.id());
  outcome.set_subject_version(hold.version());
  return outcome;
}

// An entity written by the generic commit ({v, d}), parsed; nullopt when absent.
template <typename Message>
absl::StatusOr<std::optional<Message>> ReadEntity(Committer& committer, const std::string& key) {
  auto value = committer.Read(key);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return std::nullopt;
  Message message;
  if (!message.ParseFromString((*value)->value)) {
    return absl::InternalError(absl::StrCat("stored record is unreadable: ", key));
  }
  message.set_version((*value)->version);
  return message;
}

}  // namespace

// --- Answers to calls already answered ---

absl::StatusOr<v1::Hold> Holds::Replay(const CommitResult& first) {
  if (first.outcome.code() != 0) {
    return absl::Status(static_cast<absl::StatusCode>(first.outcome.code()),
                        first.outcome.message());
  }
  auto hold = ledger_.GetHold(first.outcome.subject_id());
  if (!hold.ok()) return hold.status();
  if (!hold->has_value()) {
    return absl::InternalError(absl::StrCat("hold ", first.outcome.subject_id(), " vanished"));
  }
  return **std::move(hold);
}

absl::StatusOr<v1::Hold> Holds::Refuse(const IdempotencyKey& idem, const absl::Status& refusal) {
  StoredOutcome outcome;
  outcome.set_code(static_cast<int>(absl::StatusCode::kFailedPrecondition));
  outcome.set_message(std::string(refusal.message()));
  auto stored = committer_.RecordRefusal(idem, outcome);
  if (!stored.ok()) return stored.status();
  return Replay(*stored);
}

absl::StatusOr<v1::Hold> Holds::EarlierOutcomeOr(const IdempotencyKey& idem, absl::Status error) {
  auto first = committer_.Lookup(idem);
  if (!first.ok()) return first.status();
  if (!first->has_value()) return error;
  return Replay(**first);
}

// --- Placing holds ---

absl::StatusOr<v1::Hold> Holds::Place(const Principal& caller, const v1::HoldRequest& request,
                                      const IdempotencyKey& idem) {
  for (int attempt = 1;; ++attempt) {
    const absl::Time now = clock_.Now();
    v1::Hold hold;
    int64_t team_version = 0;
    switch (request.target_case()) {
      case v1::HoldRequest::kResponderId: {
        const std::string& id = request.responder_id();
        auto responder =
            ReadEntity<v1::Responder>(committer_, absl::StrCat(kKeyPrefix, ":rsp:", id));
        if (!responder.ok()) return responder.status();
        if (!responder->has_value()) {
          return EarlierOutcomeOr(
              idem, absl::NotFoundError(absl::StrCat("responder_id: no responder ", id)));
        }
        hold = NewResponderHold(request, ids_.NewId("hld"), (*responder)->organisation_id(), now);
        break;
      }
      case v1::HoldRequest::kTeamId: {
        const std::string& id = request.team_id();
        auto team = ReadEntity<v1::Team>(committer_, TeamKey(id));
        if (!team.ok()) return team.status();
        if (!team->has_value()) {
          return EarlierOutcomeOr(idem, absl::NotFoundError(absl::StrCat("team_id: no team ", id)));
        }
        team_version = (*team)->version();
        hold = NewTeamHold(request, ids_.NewId("hld"), **team, now);
        // Teams are validated to these sizes; the bound keeps one ledger call small whatever
        // was stored.
        if (hold.member_ids_size() > kMaxTeamMembers || hold.stock_size() > kMaxTeamKitLines) {
          return Refuse(idem, absl::FailedPreconditionError(
                                  absl::StrCat("team ", id, " has more than ", kMaxTeamMembers,
                                               " members or ", kMaxTeamKitLines, " kit lines")));
        }
        std::vector<std::string> line_ids;
        for (const auto& stock : hold.stock()) line_ids.push_back(stock.stock_line_id());
        auto lines = ledger_.GetStockLines(line_ids);
        if (!lines.ok()) return lines.status();
        for (size_t i = 0; i < line_ids.size(); ++i) {
          const auto& line = (*lines)[i];
          absl::Status usable =
              line.has_value()
                  ? CheckStockLineUsable(*line, now)
                  : absl::FailedPreconditionError(absl::StrCat(
                        "stock line ", line_ids[i], " of team ", id, " no longer exists"));
          if (!usable.ok()) return Refuse(idem, usable);
        }
        break;
      }
      case v1::HoldRequest::kStockLineId: {
        const std::string& id = request.stock_line_id();
        auto line = ledger_.GetStockLine(id);
        if (!line.ok()) return line.status();
        if (!line->has_value()) {
          return EarlierOutcomeOr(
              idem, absl::NotFoundError(absl::StrCat("stock_line_id: no stock line ", id)));
        }
        if (absl::Status usable = CheckStockLineUsable(**line, now); !usable.ok()) {
          return Refuse(idem, usable);
        }
        hold = NewStockHold(request, ids_.NewId("hld"), **line, now);
        break;
      }
      case v1::HoldRequest::TARGET_NOT_SET:
        return absl::InvalidArgumentError(
            "target: one of responder_id, team_id or stock_line_id is required");
    }

    LedgerWrite write{idem,
                      HoldEvent(v1::EVENT_TYPE_HOLD_PLACED, hold, caller, idem.request_id, now),
                      Success(hold)};
    auto placed = ledger_.PlaceHold(hold, team_version, write);
    if (placed.ok()) {
      if (placed->replayed) return Replay(*placed);
      return hold;
    }
    if (absl::IsFailedPrecondition(placed.status())) return Refuse(idem, placed.status());
    // Only a team hold can lose a race (the team changed since it was read): read it again.
    if (!absl::IsAborted(placed.status()) || attempt == kMaxAttempts) return placed.status();
  }
}

absl::Status Holds::Hold(const Principal& caller, const v1::HoldRequest& request, v1::Hold* out) {
  if (absl::Status status = ValidateHold(request, clock_.Now()); !status.ok()) return status;
  auto hold = Place(caller, request, MakeIdempotencyKey(kKeyPrefix, caller, "Hold", request));
  if (!hold.ok()) return hold.status();
  *out = *std::move(hold);
  return absl::OkStatus();
}

absl::Status Holds::HoldBatch(const Principal& caller, const v1::HoldBatchRequest& request,
                              v1::HoldBatchResponse* out) {
  if (absl::Status status = ValidateHoldBatch(request, clock_.Now()); !status.ok()) return status;
  // Claims the batch's request id before any item is placed, so that an id reused for another
  // batch is refused as a whole instead of mixing the two batches' items. Stored like a refusal
  // (no write but the record), with an OK code: a retry of the same batch goes through.
  StoredOutcome claim;
  claim.set_code(0);
  auto claimed =
      committer_.RecordRefusal(MakeIdempotencyKey(kKeyPrefix, caller, "HoldBatch", request), claim);
  if (!claimed.ok()) return claimed.status();

  v1::HoldBatchResponse response;
  for (int i = 0; i < request.items_size(); ++i) {
    const v1::HoldRequest item = BatchItem(request, i);
    auto hold = Place(caller, item, MakeIdempotencyKey(kKeyPrefix, caller, "Hold", item));
    if (absl::IsUnavailable(hold.status())) return hold.status();
    v1::HoldOutcome* outcome = response.add_outcomes();
    if (hold.ok()) {
      outcome->set_code(0);
      *outcome->mutable_hold() = *std::move(hold);
    } else {
      outcome->set_code(static_cast<int>(hold.status().code()));
      outcome->set_message(std::string(hold.status().message()));
    }
  }
  *out = std::move(response);
  return absl::OkStatus();
}

absl::Status Holds::GetHold(const Principal& caller, const v1::GetHoldRequest& request,
                            v1::Hold* out) {
  if (absl::Status status = ValidateGetHold(request); !status.ok()) return status;
  auto hold = ledger_.GetHold(request.hold_id());
  if (!hold.ok()) return hold.status();
  if (!hold->has_value()) {
    return absl::NotFoundError(absl::StrCat("hold_id: no hold ", request.hold_id()));
  }
  // An OSI reads the holds on its own people, teams and stock.
  if (absl::Status allowed = access::AuthorizeTarget(caller, "/relais.v1.ResourceInventory/GetHold",
                                                     {(*hold)->organisation_id(), ""});
      !allowed.ok()) {
    return allowed;
  }
  *out = **std::move(hold);
  return absl::OkStatus();
}

// --- Changing holds ---

absl::StatusOr<v1::Hold> Holds::Change(const Principal& caller, std::string_view method,
                                       const google::protobuf::Message& request,
                                       const std::string& request_id, const std::string& hold_id,
                                       v1::EventType type, const Transition& transition) {
  const IdempotencyKey idem = MakeIdempotencyKey(kKeyPrefix, caller, method, request);
  for (int attempt = 1;; ++attempt) {
    auto current = ledger_.GetHold(hold_id);
    if (!current.ok()) return current.status();
    if (!current->has_value()) {
      return EarlierOutcomeOr(idem,
                              absl::NotFoundError(absl::StrCat("hold_id: no hold ", hold_id)));
    }
    auto next = transition(**current);
    if (!next.ok()) {
      // A retry of a call that succeeded meets the state its success made: answer as the first
      // time. Refusals are stored (Refuse answers a retry's first outcome itself).
      if (absl::IsFailedPrecondition(next.status())) return Refuse(idem, next.status());
      return EarlierOutcomeOr(idem, next.status());
    }
    LedgerWrite write{idem, HoldEvent(type, *next, caller, request_id, clock_.Now()),
                      Success(*next)};
    auto changed = ledger_.ChangeHold(**current, *next, write);
    if (changed.ok()) {
      if (changed->replayed) return Replay(*changed);
      return *std::move(next);
    }
    // An extension that would overlap another booking.
    if (absl::IsFailedPrecondition(changed.status())) return Refuse(idem, changed.status());
    if (!absl::IsAborted(changed.status()) || attempt == kMaxAttempts) return changed.status();
  }
}

namespace {

absl::Status Deliver(absl::StatusOr<v1::Hold> hold, v1::Hold* out) {
  if (!hold.ok()) return hold.status();
  *out = *std::move(hold);
  return absl::OkStatus();
}

}  // namespace

absl::Status Holds::ConfirmHold(const Principal& caller, const v1::ConfirmHoldRequest& request,
                                v1::Hold* out) {
  if (absl::Status status = ValidateConfirmHold(request); !status.ok()) return status;
  return Deliver(Change(caller, "ConfirmHold", request, request.request_id(), request.hold_id(),
                        v1::EVENT_TYPE_HOLD_CONFIRMED,
                        [&](const v1::Hold& current) {
                          return inventory::ConfirmHold(current, clock_.Now());
                        }),
                 out);
}

absl::Status Holds::ReleaseHold(const Principal& caller, const v1::ReleaseHoldRequest& request,
                                v1::Hold* out) {
  if (absl::Status status = ValidateReleaseHold(request); !status.ok()) return status;
  return Deliver(Change(caller, "ReleaseHold", request, request.request_id(), request.hold_id(),
                        v1::EVENT_TYPE_HOLD_RELEASED,
                        [&](const v1::Hold& current) {
                          return inventory::ReleaseHold(current, clock_.Now());
                        }),
                 out);
}

absl::Status Holds::ReleaseCommitment(const Principal& caller,
                                      const v1::ReleaseCommitmentRequest& request, v1::Hold* out) {
  if (absl::Status status = ValidateReleaseCommitment(request); !status.ok()) return status;
  return Deliver(Change(caller, "ReleaseCommitment", request, request.request_id(),
                        request.hold_id(), v1::EVENT_TYPE_COMMITMENT_RELEASED,
                        [&](const v1::Hold& current) {
                          return inventory::ReleaseCommitment(current, request, clock_.Now());
                        }),
                 out);
}

absl::Status Holds::ExtendCommitment(const Principal& caller,
                                     const v1::ExtendCommitmentRequest& request, v1::Hold* out) {
  if (absl::Status status = ValidateExtendCommitment(request); !status.ok()) return status;
  return Deliver(Change(caller, "ExtendCommitment", request, request.request_id(),
                        request.hold_id(), v1::EVENT_TYPE_COMMITMENT_EXTENDED,
                        [&](const v1::Hold& current) {
                          return inventory::ExtendCommitment(current, request, clock_.Now());
                        }),
                 out);
}

absl::Status Holds::ConsumeCommitment(const Principal& caller,
                                      const v1::ConsumeCommitmentRequest& request, v1::Hold* out) {
  if (absl::Status status = ValidateConsumeCommitment(request); !status.ok()) return status;
  return Deliver(Change(caller, "ConsumeCommitment", request, request.request_id(),
                        request.hold_id(), v1::EVENT_TYPE_COMMITMENT_CONSUMED,
                        [&](const v1::Hold& current) {
                          return inventory::ConsumeCommitment(current, request, clock_.Now());
                        }),
                 out);
}

// --- The sweeper ---

absl::StatusOr<int> Holds::SweepDueHolds(absl::Time now, int limit) {
  auto due = ledger_.DueHolds(now, limit);
  if (!due.ok()) return due.status();
  Principal sweeper;
  sweeper.id = kSweeperPrincipal;
  sweeper.role = Role::kService;
  int expired = 0;
  for (const std::string& hold_id : *due) {
    auto current = ledger_.GetHold(hold_id);
    if (!current.ok()) return current.status();
    if (!current->has_value()) continue;
    // Confirmed or released since it was listed, or not due after all: nothing to do.
    auto next = inventory::ExpireHold(**current, now);
    if (!next.ok()) continue;
    // One key per hold version: every sweeper that read this version writes under the same
    // key, so at most one writes and the others replay (or lose on the version) and do not count.
    v1::GetHoldRequest subject;
    subject.set_hold_id(hold_id);
    IdempotencyKey idem;
    idem.scope = kKeyPrefix;
    idem.principal_id = sweeper.id;
    idem.method = "ExpireHold";
    idem.request_id = absl::StrCat(hold_id, ":", (*current)->version());
    idem.fingerprint = RequestFingerprint(subject);
    LedgerWrite write{idem,
                      HoldEvent(v1::EVENT_TYPE_HOLD_EXPIRED, *next, sweeper, idem.request_id, now),
                      Success(*next)};
    auto changed = ledger_.ChangeHold(**current, *next, write);
    if (changed.ok()) {
      if (!changed->replayed) ++expired;
      continue;
    }
    if (absl::IsAborted(changed.status())) continue;
    return changed.status();
  }
  return expired;
}

}  // namespace relais::inventory
