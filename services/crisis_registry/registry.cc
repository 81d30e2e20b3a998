#include "services/crisis_registry/registry.h"

#include "absl/strings/str_cat.h"
#include "services/crisis_registry/crisis_domain.h"
#include "services/runtime/idempotency.h"
#include "services/runtime/proto_time.h"
#include "services/runtime/validation.h"

namespace relais::crisis {
namespace {

using relais::internal::StoredOutcome;
using relais::v1::Crisis;
using relais::v1::Need;

constexpr char kService[] = "crisis_registry";
// A read-modify-write that keeps losing to concurrent writers gives up with ABORTED.
constexpr int kMaxAttempts = 4;

StoredOutcome Success(const Crisis& crisis, const std::string& child_id = "") {
  StoredOutcome outcome;
  outcome.set_code(0);
  outcome.set_subject_id(crisis.id());
  outcome.set_subject_version(crisis.version());
  outcome.set_child_id(child_id);
  return outcome;
}

absl::Status FindNeed(const Crisis& crisis, const std::string& need_id, Need* out) {
  for (const auto& need : crisis.needs()) {
    if (need.id() == need_id) {
      *out = need;
      return absl::OkStatus();
    }
  }
  return absl::InternalError(absl::StrCat("need ", need_id, " missing from its crisis"));
}

}  // namespace

relais::v1::Event Registry::MakeEvent(relais::v1::EventType type, const Principal& caller,
                                      const std::string& request_id, const Crisis& crisis,
                                      const std::string& need_id) const {
  relais::v1::Event event;
  event.set_type(type);
  *event.mutable_time() = ToProtoTime(clock_.Now());
  event.set_service(kService);
  event.set_principal_id(caller.id);
  event.set_on_behalf_of(OnBehalfOf(caller));
  event.set_request_id(request_id);
  event.set_crisis_id(crisis.id());
  event.set_need_id(need_id);
  event.set_subject_id(need_id.empty() ? crisis.id() : need_id);
  event.set_subject_version(crisis.version());
  return event;
}

absl::StatusOr<Registry::Changed> Registry::Replay(const CommitResult& first) {
  const StoredOutcome& outcome = first.outcome;
  if (outcome.code() != 0) {
    return absl::Status(static_cast<absl::StatusCode>(outcome.code()), outcome.message());
  }
  auto crisis = store_.Get(outcome.subject_id());
  if (!crisis.ok()) return crisis.status();
  if (!crisis->has_value()) {
    return absl::InternalError(absl::StrCat("crisis ", outcome.subject_id(), " vanished"));
  }
  return Changed{**std::move(crisis), outcome.child_id()};
}

absl::Status Registry::Declare(const Principal& caller,
                               const relais::v1::DeclareCrisisRequest& request, Crisis* out) {
  if (auto status = ValidateDeclare(request, catalogue_, clock_.Now()); !status.ok()) return status;
  const IdempotencyKey idem = MakeIdempotencyKey(kKeyPrefix, caller, "DeclareCrisis", request);

  std::vector<std::string> need_ids;
  for (int i = 0; i < request.needs_size(); ++i) need_ids.push_back(ids_.NewId("need"));
  Crisis crisis = NewCrisis(request, ids_.NewId("crs"), need_ids, caller, clock_.Now());

  auto result = store_.Save(
      std::nullopt, crisis, idem,
      MakeEvent(relais::v1::EVENT_TYPE_CRISIS_DECLARED, caller, request.request_id(), crisis, ""),
      Success(crisis));
  if (!result.ok()) return result.status();
  if (result->replayed) {
    auto first = Replay(*result);
    if (!first.ok()) return first.status();
    *out = std::move(first->crisis);
    return absl::OkStatus();
  }
  *out = std::move(crisis);
  return absl::OkStatus();
}

absl::Status Registry::Get(const Principal& /*caller*/, const relais::v1::GetCrisisRequest& request,
                           Crisis* out) {
  if (auto status = ValidateGetCrisis(request); !status.ok()) return status;
  auto crisis = store_.Get(request.crisis_id());
  if (!crisis.ok()) return crisis.status();
  if (!crisis->has_value()) {
    return absl::NotFoundError(absl::StrCat("crisis_id: no crisis ", request.crisis_id()));
  }
  *out = **std::move(crisis);
  return absl::OkStatus();
}

absl::Status Registry::List(const Principal& /*caller*/,
                            const relais::v1::ListCrisesRequest& request,
                            relais::v1::ListCrisesResponse* out) {
  if (auto status = ValidateListCrises(request); !status.ok()) return status;
  auto page = store_.List({request.status(), request.kind()},
                          EffectivePageSize(request.page_size()), request.page_token());
  if (!page.ok()) return page.status();
  for (auto& crisis : page->crises) *out->add_crises() = std::move(crisis);
  out->set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

absl::StatusOr<Registry::Changed> Registry::Change(
    const Principal& caller, std::string_view method, const google::protobuf::Message& request,
    const std::string& request_id, const std::string& crisis_id, int64_t expected_version,
    relais::v1::EventType type, const std::string& need_id, const Apply& apply) {
  const IdempotencyKey idem = MakeIdempotencyKey(kKeyPrefix, caller, method, request);
  for (int attempt = 1;; ++attempt) {
    auto current = store_.Get(crisis_id);
    if (!current.ok()) return current.status();
    if (!current->has_value()) {
      return absl::NotFoundError(absl::StrCat("crisis_id: no crisis ", crisis_id));
    }
    const Crisis& crisis = **current;

    if (expected_version != 0 && crisis.version() != expected_version) {
      // A retry of a call that succeeded (and so moved the version) still gets its outcome.
      auto first = store_.FindOutcome(idem);
      if (!first.ok()) return first.status();
      if (first->has_value()) return Replay(**first);
      return absl::AbortedError(absl::StrCat("expected_version: crisis ", crisis_id,
                                             " is at version ", crisis.version(), ", not ",
                                             expected_version));
    }

    auto next = apply(crisis);
    if (!next.ok()) {
      if (next.status().code() != absl::StatusCode::kFailedPrecondition) return next.status();
      // Refusals are remembered, so a retry gets the same answer even if the state moves on.
      StoredOutcome refusal;
      refusal.set_code(static_cast<int>(absl::StatusCode::kFailedPrecondition));
      refusal.set_message(std::string(next.status().message()));
      refusal.set_subject_id(crisis_id);
      auto stored = store_.Refuse(idem, refusal);
      if (!stored.ok()) return stored.status();
      return Replay(*stored);
    }

    auto saved =
        store_.Save(crisis, *next, idem, MakeEvent(type, caller, request_id, *next, need_id),
                    Success(*next, need_id));
    if (saved.ok()) {
      if (saved->replayed) return Replay(*saved);
      return Changed{*std::move(next), need_id};
    }
    const bool lost_race = saved.status().code() == absl::StatusCode::kAborted;
    if (!lost_race || expected_version != 0 || attempt == kMaxAttempts) return saved.status();
  }
}

absl::Status Registry::Update(const Principal& caller,
                              const relais::v1::UpdateCrisisRequest& request, Crisis* out) {
  if (auto status = ValidateUpdateCrisis(request, catalogue_); !status.ok()) return status;
  auto crisis = Change(
      caller, "UpdateCrisis", request, request.request_id(), request.crisis_id(),
      request.expected_version(), relais::v1::EVENT_TYPE_CRISIS_UPDATED, "",
      [&](const Crisis& current) { return ApplyUpdateCrisis(current, request, clock_.Now()); });
  if (!crisis.ok()) return crisis.status();
  *out = std::move(crisis->crisis);
  return absl::OkStatus();
}

absl::Status Registry::AddNeed(const Principal& caller, const relais::v1::AddNeedRequest& request,
                               Need* out) {
  if (auto status = ValidateAddNeed(request, catalogue_); !status.ok()) return status;
  const std::string need_id = ids_.NewId("need");
  auto crisis = Change(
      caller, "AddNeed", request, request.request_id(), request.crisis_id(),
      request.expected_version(), relais::v1::EVENT_TYPE_NEED_ADDED, need_id,
      [&](const Crisis& current) { return ApplyAddNeed(current, request, need_id, clock_.Now()); });
  if (!crisis.ok()) return crisis.status();
  return FindNeed(crisis->crisis, crisis->need_id, out);
}

absl::Status Registry::UpdateNeed(const Principal& caller,
                                  const relais::v1::UpdateNeedRequest& request, Need* out) {
  if (auto status = ValidateUpdateNeed(request, catalogue_); !status.ok()) return status;
  auto crisis = Change(
      caller, "UpdateNeed", request, request.request_id(), request.crisis_id(),
      request.expected_version(), EventTypeFor(UpdateNeedOperation(request)), request.need_id(),
      [&](const Crisis& current) { return ApplyUpdateNeed(current, request, clock_.Now()); });
  if (!crisis.ok()) return crisis.status();
  return FindNeed(crisis->crisis, request.need_id(), out);
}

absl::Status Registry::Activate(const Principal& caller,
                                const relais::v1::ActivateCrisisRequest& request, Crisis* out) {
  if (auto status = ValidateActivate(request); !status.ok()) return status;
  auto crisis =
      Change(caller, "ActivateCrisis", request, request.request_id(), request.crisis_id(),
             request.expected_version(), relais::v1::EVENT_TYPE_CRISIS_ACTIVATED, "",
             [&](const Crisis& current) {
               return ApplyTransition(current, relais::v1::CRISIS_STATUS_ACTIVE, "", clock_.Now());
             });
  if (!crisis.ok()) return crisis.status();
  *out = std::move(crisis->crisis);
  return absl::OkStatus();
}

absl::Status Registry::Pause(const Principal& caller, const relais::v1::PauseCrisisRequest& request,
                             Crisis* out) {
  if (auto status = ValidatePause(request); !status.ok()) return status;
  auto crisis = Change(caller, "PauseCrisis", request, request.request_id(), request.crisis_id(),
                       request.expected_version(), relais::v1::EVENT_TYPE_CRISIS_PAUSED, "",
                       [&](const Crisis& current) {
                         return ApplyTransition(current, relais::v1::CRISIS_STATUS_PAUSED,
                                                request.reason(), clock_.Now());
                       });
  if (!crisis.ok()) return crisis.status();
  *out = std::move(crisis->crisis);
  return absl::OkStatus();
}

absl::Status Registry::Close(const Principal& caller, const relais::v1::CloseCrisisRequest& request,
                             Crisis* out) {
  if (auto status = ValidateClose(request); !status.ok()) return status;
  auto crisis = Change(caller, "CloseCrisis", request, request.request_id(), request.crisis_id(),
                       request.expected_version(), relais::v1::EVENT_TYPE_CRISIS_CLOSED, "",
                       [&](const Crisis& current) {
                         return ApplyTransition(current, relais::v1::CRISIS_STATUS_CLOSED,
                                                request.reason(), clock_.Now());
                       });
  if (!crisis.ok()) return crisis.status();
  *out = std::move(crisis->crisis);
  return absl::OkStatus();
}

}  // namespace relais::crisis
