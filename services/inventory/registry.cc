#include "services/inventory/registry.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/inventory/inventory_domain.h"
#include "services/runtime/access_policy.h"
#include "services/runtime/idempotency.h"
#include "services/runtime/proto_time.h"
#include "services/runtime/validation.h"

namespace relais::inventory {
namespace {

using relais::internal::StoredOutcome;
using relais::v1::AvailabilityCalendar;
using relais::v1::Organisation;
using relais::v1::Responder;

constexpr char kService[] = "inventory";
// The full gRPC names the ownership checks are made under (access_policy.h).
#define RELAIS_INVENTORY "/relais.v1.ResourceInventory/"
constexpr char kUpdateOrganisation[] = RELAIS_INVENTORY "UpdateOrganisation";
constexpr char kRegisterResponder[] = RELAIS_INVENTORY "RegisterResponder";
constexpr char kGetResponder[] = RELAIS_INVENTORY "GetResponder";
constexpr char kUpdateResponder[] = RELAIS_INVENTORY "UpdateResponder";
constexpr char kListResponders[] = RELAIS_INVENTORY "ListResponders";
constexpr char kRemoveResponder[] = RELAIS_INVENTORY "RemoveResponder";
constexpr char kGetAvailability[] = RELAIS_INVENTORY "GetAvailability";
constexpr char kRecordExperience[] = RELAIS_INVENTORY "RecordExperience";
#undef RELAIS_INVENTORY

// What a call about a responder acts on: their organisation and themselves.
access::Target TargetOf(const Responder& responder) {
  return {responder.organisation_id(), responder.id()};
}
// A read-modify-write that keeps losing to concurrent writers gives up with ABORTED.
constexpr int kMaxAttempts = 4;

StoredOutcome Success(const std::string& subject_id, int64_t version,
                      const std::string& child_id = "") {
  StoredOutcome outcome;
  outcome.set_code(0);
  outcome.set_subject_id(subject_id);
  outcome.set_subject_version(version);
  outcome.set_child_id(child_id);
  return outcome;
}

absl::Status OutcomeStatus(const StoredOutcome& outcome) {
  return absl::Status(static_cast<absl::StatusCode>(outcome.code()), outcome.message());
}

absl::Status NoOrganisation(const std::string& id) {
  return absl::NotFoundError(absl::StrCat("organisation_id: no organisation ", id));
}

absl::Status NoResponder(const std::string& id) {
  return absl::NotFoundError(absl::StrCat("responder_id: no responder ", id));
}

absl::Status StaleVersion(const char* what, const std::string& id, int64_t current,
                          int64_t expected) {
  return absl::AbortedError(absl::StrCat("expected_version: ", what, " ", id, " is at version ",
                                         current, ", not ", expected));
}

}  // namespace

relais::v1::Event Registry::MakeEvent(relais::v1::EventType type, const Principal& caller,
                                      const std::string& request_id, EventIds ids) const {
  relais::v1::Event event;
  event.set_type(type);
  *event.mutable_time() = ToProtoTime(clock_.Now());
  event.set_service(kService);
  event.set_principal_id(caller.id);
  event.set_on_behalf_of(OnBehalfOf(caller));
  event.set_request_id(request_id);
  event.set_subject_id(std::move(ids.subject_id));
  event.set_subject_version(ids.subject_version);
  event.set_organisation_id(std::move(ids.organisation_id));
  event.set_responder_id(std::move(ids.responder_id));
  return event;
}

absl::StatusOr<Organisation> Registry::ReplayOrganisation(const CommitResult& first) {
  if (first.outcome.code() != 0) return OutcomeStatus(first.outcome);
  auto org = store_.GetOrganisation(first.outcome.subject_id());
  if (!org.ok()) return org.status();
  if (!org->has_value()) {
    return absl::InternalError(
        absl::StrCat("organisation ", first.outcome.subject_id(), " vanished"));
  }
  return **std::move(org);
}

absl::StatusOr<Responder> Registry::ReplayResponder(const CommitResult& first) {
  if (first.outcome.code() != 0) return OutcomeStatus(first.outcome);
  auto responder = store_.GetResponder(first.outcome.subject_id());
  if (!responder.ok()) return responder.status();
  if (!responder->has_value()) {
    return absl::NotFoundError(absl::StrCat("responder ", first.outcome.subject_id(),
                                            " was removed after this request was answered"));
  }
  return **std::move(responder);
}

absl::StatusOr<AvailabilityCalendar> Registry::ReplayCalendar(const CommitResult& first) {
  if (first.outcome.code() != 0) return OutcomeStatus(first.outcome);
  auto calendar = store_.GetCalendar(first.outcome.subject_id());
  if (!calendar.ok()) return calendar.status();
  if (!calendar->has_value()) {
    return absl::NotFoundError(absl::StrCat("responder ", first.outcome.subject_id(),
                                            " was removed after this request was answered"));
  }
  return CurrentCalendar(**calendar, clock_.Now());
}

absl::StatusOr<CommitResult> Registry::StoreRefusal(const IdempotencyKey& idem,
                                                    const std::string& subject_id,
                                                    const absl::Status& refusal) {
  StoredOutcome outcome;
  outcome.set_code(static_cast<int>(absl::StatusCode::kFailedPrecondition));
  outcome.set_message(std::string(refusal.message()));
  outcome.set_subject_id(subject_id);
  return store_.Refuse(idem, outcome);
}

absl::StatusOr<std::optional<CommitResult>> Registry::EarlierOutcome(const IdempotencyKey& idem) {
  return store_.FindOutcome(idem);
}

absl::StatusOr<Responder> Registry::RefuseTakenRef(const IdempotencyKey& idem,
                                                   const std::string& holder) {
  auto first = EarlierOutcome(idem);
  if (!first.ok()) return first.status();
  if (first->has_value()) return ReplayResponder(**first);
  // The holder's id only: the reference itself is the organisation's, kept out of messages.
  return absl::AlreadyExistsError(absl::StrCat("external_ref: already used by responder ", holder));
}

absl::StatusOr<Organisation> Registry::RefuseTakenOrganisationRef(const IdempotencyKey& idem,
                                                                  const std::string& holder) {
  auto first = EarlierOutcome(idem);
  if (!first.ok()) return first.status();
  if (first->has_value()) return ReplayOrganisation(**first);
  return absl::AlreadyExistsError(
      absl::StrCat("external_ref: already used by organisation ", holder));
}

// --- Organisations ---

absl::Status Registry::RegisterOrganisation(const Principal& caller,
                                            const relais::v1::RegisterOrganisationRequest& request,
                                            Organisation* out) {
  if (auto status = ValidateRegisterOrganisation(request); !status.ok()) return status;
  const IdempotencyKey idem =
      MakeIdempotencyKey(kKeyPrefix, caller, "RegisterOrganisation", request);
  Organisation org = NewOrganisation(request, ids_.NewId("org"), clock_.Now());
  const std::string& ref = org.external_ref();
  for (int attempt = 1;; ++attempt) {
    if (!ref.empty()) {
      auto holder = store_.FindOrganisationByExternalRef(ref);
      if (!holder.ok()) return holder.status();
      if (holder->has_value()) {
        auto answer = RefuseTakenOrganisationRef(idem, **holder);
        if (!answer.ok()) return answer.status();
        *out = *std::move(answer);
        return absl::OkStatus();
      }
    }
    auto saved = store_.SaveOrganisation(
        std::nullopt, org, idem,
        MakeEvent(relais::v1::EVENT_TYPE_ORGANISATION_REGISTERED, caller, request.request_id(),
                  {org.id(), org.version(), org.id(), ""}),
        Success(org.id(), org.version()));
    if (saved.ok()) {
      if (saved->replayed) {
        auto first = ReplayOrganisation(*saved);
        if (!first.ok()) return first.status();
        org = *std::move(first);
      }
      *out = std::move(org);
      return absl::OkStatus();
    }
    // A new organisation can only conflict on its external_ref claim: read it again to name
    // the holder.
    if (!absl::IsAborted(saved.status()) || ref.empty() || attempt == kMaxAttempts) {
      return saved.status();
    }
  }
}

absl::Status Registry::GetOrganisation(const Principal& /*caller*/,
                                       const relais::v1::GetOrganisationRequest& request,
                                       Organisation* out) {
  if (auto status = ValidateGetOrganisation(request); !status.ok()) return status;
  auto org = store_.GetOrganisation(request.organisation_id());
  if (!org.ok()) return org.status();
  if (!org->has_value()) return NoOrganisation(request.organisation_id());
  *out = **std::move(org);
  return absl::OkStatus();
}

absl::Status Registry::UpdateOrganisation(const Principal& caller,
                                          const relais::v1::UpdateOrganisationRequest& request,
                                          Organisation* out) {
  if (auto status = ValidateUpdateOrganisation(request); !status.ok()) return status;
  // The organisation changed is the target: known from the request, checked before any read.
  if (auto allowed =
          access::AuthorizeTarget(caller, kUpdateOrganisation, {request.organisation_id(), ""});
      !allowed.ok()) {
    return allowed;
  }
  const IdempotencyKey idem = MakeIdempotencyKey(kKeyPrefix, caller, "UpdateOrganisation", request);
  const std::string& id = request.organisation_id();
  for (int attempt = 1;; ++attempt) {
    auto current = store_.GetOrganisation(id);
    if (!current.ok()) return current.status();
    if (!current->has_value()) return NoOrganisation(id);
    const Organisation& org = **current;
    if (request.expected_version() != 0 && org.version() != request.expected_version()) {
      auto first = EarlierOutcome(idem);
      if (!first.ok()) return first.status();
      if (!first->has_value()) {
        return StaleVersion("organisation", id, org.version(), request.expected_version());
      }
      auto replayed = ReplayOrganisation(**first);
      if (!replayed.ok()) return replayed.status();
      *out = *std::move(replayed);
      return absl::OkStatus();
    }
    Organisation next = ApplyUpdateOrganisation(org, request, clock_.Now());
    const std::string& ref = next.external_ref();
    if (!ref.empty() && ref != org.external_ref()) {
      auto holder = store_.FindOrganisationByExternalRef(ref);
      if (!holder.ok()) return holder.status();
      if (holder->has_value() && **holder != id) {
        auto answer = RefuseTakenOrganisationRef(idem, **holder);
        if (!answer.ok()) return answer.status();
        *out = *std::move(answer);
        return absl::OkStatus();
      }
    }
    auto saved =
        store_.SaveOrganisation(org, next, idem,
                                MakeEvent(relais::v1::EVENT_TYPE_ORGANISATION_UPDATED, caller,
                                          request.request_id(), {id, next.version(), id, ""}),
                                Success(id, next.version()));
    if (saved.ok()) {
      if (saved->replayed) {
        auto first = ReplayOrganisation(*saved);
        if (!first.ok()) return first.status();
        next = *std::move(first);
      }
      *out = std::move(next);
      return absl::OkStatus();
    }
    // A lost race is read again: a pinned expected_version then reports the new version.
    if (!absl::IsAborted(saved.status()) || attempt == kMaxAttempts) return saved.status();
  }
}

absl::Status Registry::ListOrganisations(const Principal& /*caller*/,
                                         const relais::v1::ListOrganisationsRequest& request,
                                         relais::v1::ListOrganisationsResponse* out) {
  if (auto status = ValidateListOrganisations(request); !status.ok()) return status;
  auto page =
      store_.ListOrganisations({request.kind(), request.domain(), request.commune()},
                               EffectivePageSize(request.page_size()), request.page_token());
  if (!page.ok()) return page.status();
  for (auto& org : page->organisations) *out->add_organisations() = std::move(org);
  out->set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

// --- Responders ---

absl::Status Registry::RegisterResponder(const Principal& caller,
                                         const relais::v1::RegisterResponderRequest& request,
                                         Responder* out) {
  if (auto status = ValidateRegisterResponder(request, catalogue_); !status.ok()) return status;
  auto organisation_id = CallerOrganisation(caller);
  if (!organisation_id.ok()) return organisation_id.status();
  if (auto allowed = access::AuthorizeTarget(caller, kRegisterResponder, {*organisation_id, ""});
      !allowed.ok()) {
    return allowed;
  }
  const IdempotencyKey idem = MakeIdempotencyKey(kKeyPrefix, caller, "RegisterResponder", request);

  auto org = store_.GetOrganisation(*organisation_id);
  if (!org.ok()) return org.status();
  if (!org->has_value()) {
    auto stored =
        StoreRefusal(idem, *organisation_id,
                     absl::FailedPreconditionError(absl::StrCat(
                         "caller's organisation ", *organisation_id, " is not in the directory")));
    if (!stored.ok()) return stored.status();
    auto first = ReplayResponder(*stored);
    if (!first.ok()) return first.status();
    *out = *std::move(first);
    return absl::OkStatus();
  }

  Responder responder = NewResponder(request, ids_.NewId("rsp"), *organisation_id, clock_.Now());
  const std::string& ref = responder.external_ref();
  for (int attempt = 1;; ++attempt) {
    if (!ref.empty()) {
      auto holder = store_.FindByExternalRef(*organisation_id, ref);
      if (!holder.ok()) return holder.status();
      if (holder->has_value()) {
        auto answer = RefuseTakenRef(idem, **holder);
        if (!answer.ok()) return answer.status();
        *out = *std::move(answer);
        return absl::OkStatus();
      }
    }
    auto saved = store_.SaveResponder(
        std::nullopt, responder, NewCalendar(responder.id()), idem,
        MakeEvent(relais::v1::EVENT_TYPE_RESPONDER_REGISTERED, caller, request.request_id(),
                  {responder.id(), responder.version(), *organisation_id, responder.id()}),
        Success(responder.id(), responder.version()));
    if (saved.ok()) {
      if (saved->replayed) {
        auto first = ReplayResponder(*saved);
        if (!first.ok()) return first.status();
        responder = *std::move(first);
      }
      *out = std::move(responder);
      return absl::OkStatus();
    }
    // The only version a new responder can conflict on is its external_ref claim: another
    // registration took it since it was read. Read it again to name the holder.
    if (!absl::IsAborted(saved.status()) || ref.empty() || attempt == kMaxAttempts) {
      return saved.status();
    }
  }
}

absl::Status Registry::GetResponder(const Principal& caller,
                                    const relais::v1::GetResponderRequest& request,
                                    Responder* out) {
  if (auto status = ValidateGetResponder(request); !status.ok()) return status;
  auto responder = store_.GetResponder(request.responder_id());
  if (!responder.ok()) return responder.status();
  if (!responder->has_value()) return NoResponder(request.responder_id());
  if (auto allowed = access::AuthorizeTarget(caller, kGetResponder, TargetOf(**responder));
      !allowed.ok()) {
    return allowed;
  }
  *out = **std::move(responder);
  if (access::Reduced(caller, kGetResponder)) ReduceResponder(out);
  return absl::OkStatus();
}

absl::Status Registry::UpdateResponder(const Principal& caller,
                                       const relais::v1::UpdateResponderRequest& request,
                                       Responder* out) {
  if (auto status = ValidateUpdateResponder(request, catalogue_); !status.ok()) return status;
  const IdempotencyKey idem = MakeIdempotencyKey(kKeyPrefix, caller, "UpdateResponder", request);
  const std::string& id = request.responder_id();
  // Answers with the first outcome when this request was answered already, else with `error`.
  const auto outcome_or = [&](absl::Status error) -> absl::Status {
    auto first = EarlierOutcome(idem);
    if (!first.ok()) return first.status();
    if (!first->has_value()) return error;
    auto replayed = ReplayResponder(**first);
    if (!replayed.ok()) return replayed.status();
    *out = *std::move(replayed);
    return absl::OkStatus();
  };
  for (int attempt = 1;; ++attempt) {
    auto current = store_.GetResponder(id);
    if (!current.ok()) return current.status();
    if (!current->has_value()) return outcome_or(NoResponder(id));
    const Responder& responder = **current;
    if (auto allowed = access::AuthorizeTarget(caller, kUpdateResponder, TargetOf(responder));
        !allowed.ok()) {
      return allowed;
    }
    if (request.expected_version() != 0 && responder.version() != request.expected_version()) {
      return outcome_or(
          StaleVersion("responder", id, responder.version(), request.expected_version()));
    }
    Responder next = ApplyUpdateResponder(responder, request, clock_.Now());
    const std::string& ref = next.external_ref();
    if (!ref.empty() && ref != responder.external_ref()) {
      auto holder = store_.FindByExternalRef(next.organisation_id(), ref);
      if (!holder.ok()) return holder.status();
      if (holder->has_value() && **holder != id) {
        auto answer = RefuseTakenRef(idem, **holder);
        if (!answer.ok()) return answer.status();
        *out = *std::move(answer);
        return absl::OkStatus();
      }
    }
    auto saved = store_.SaveResponder(
        responder, next, std::nullopt, idem,
        MakeEvent(relais::v1::EVENT_TYPE_RESPONDER_UPDATED, caller, request.request_id(),
                  {id, next.version(), next.organisation_id(), id}),
        Success(id, next.version()));
    if (saved.ok()) {
      if (saved->replayed) {
        auto first = ReplayResponder(*saved);
        if (!first.ok()) return first.status();
        next = *std::move(first);
      }
      *out = std::move(next);
      return absl::OkStatus();
    }
    // Lost a race on the responder or on the claim of its new external_ref: read both again.
    if (!absl::IsAborted(saved.status()) || attempt == kMaxAttempts) return saved.status();
  }
}

absl::Status Registry::ListResponders(const Principal& caller,
                                      const relais::v1::ListRespondersRequest& request,
                                      relais::v1::ListRespondersResponse* out) {
  if (auto status = ValidateListResponders(request); !status.ok()) return status;
  // An OSI lists its own organisation only: the filter must name it.
  if (auto allowed =
          access::AuthorizeFilter(caller, kListResponders, {request.organisation_id(), ""});
      !allowed.ok()) {
    return allowed;
  }
  auto org = store_.GetOrganisation(request.organisation_id());
  if (!org.ok()) return org.status();
  if (!org->has_value()) return NoOrganisation(request.organisation_id());
  auto page = store_.ListResponders(request.organisation_id(),
                                    EffectivePageSize(request.page_size()), request.page_token());
  if (!page.ok()) return page.status();
  const bool reduced = access::Reduced(caller, kListResponders);
  for (auto& responder : page->responders) {
    Responder& added = *out->add_responders();
    added = std::move(responder);
    if (reduced) ReduceResponder(&added);
  }
  out->set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

absl::Status Registry::RemoveResponder(const Principal& caller,
                                       const relais::v1::RemoveResponderRequest& request,
                                       relais::v1::RemoveResponderResponse* out) {
  if (auto status = ValidateRemoveResponder(request); !status.ok()) return status;
  const IdempotencyKey idem = MakeIdempotencyKey(kKeyPrefix, caller, "RemoveResponder", request);
  const std::string& id = request.responder_id();
  // The answer of a call made once already: only ids were stored, and the responder is gone.
  const auto answer = [&](const CommitResult& first) -> absl::Status {
    if (first.outcome.code() != 0) return OutcomeStatus(first.outcome);
    out->set_responder_id(first.outcome.subject_id());
    return absl::OkStatus();
  };
  for (int attempt = 1;; ++attempt) {
    auto current = store_.GetResponder(id);
    if (!current.ok()) return current.status();
    auto calendar = store_.GetCalendar(id);
    if (!calendar.ok()) return calendar.status();
    if (!current->has_value()) {
      // Gone: erased by this very request (a retry), or never there.
      auto first = EarlierOutcome(idem);
      if (!first.ok()) return first.status();
      if (first->has_value()) return answer(**first);
      return NoResponder(id);
    }
    if (auto allowed = access::AuthorizeTarget(caller, kRemoveResponder, TargetOf(**current));
        !allowed.ok()) {
      return allowed;
    }
    if (!calendar->has_value()) {
      // Erased by someone else between the two reads: read again.
      if (attempt == kMaxAttempts) return absl::AbortedError("responder changed while read");
      continue;
    }
    const Responder& responder = **current;

    // Refused while a hold, a commitment or a team still names them. The erasure checks again in
    // its own atomic step; this read gives the clear message first.
    const auto refuse = [&](const absl::Status& refusal) -> absl::Status {
      auto stored = StoreRefusal(idem, id, refusal);
      if (!stored.ok()) return stored.status();
      return answer(*stored);
    };
    if (absl::Status erasable = store_.CheckErasable(id); !erasable.ok()) {
      if (!absl::IsFailedPrecondition(erasable)) return erasable;
      return refuse(erasable);
    }

    auto saved = store_.EraseResponder(
        responder, (*calendar)->version(), idem,
        MakeEvent(relais::v1::EVENT_TYPE_RESPONDER_REMOVED, caller, request.request_id(),
                  {id, responder.version() + 1, responder.organisation_id(), id}),
        Success(id, responder.version() + 1));
    if (saved.ok()) return answer(*saved);
    if (absl::IsFailedPrecondition(saved.status())) return refuse(saved.status());
    if (!absl::IsAborted(saved.status()) || attempt == kMaxAttempts) return saved.status();
  }
}

absl::Status Registry::RecordExperience(const Principal& caller,
                                        const relais::v1::RecordExperienceRequest& request,
                                        Responder* out) {
  if (auto status = ValidateRecordExperience(request, catalogue_); !status.ok()) return status;
  const IdempotencyKey idem = MakeIdempotencyKey(kKeyPrefix, caller, "RecordExperience", request);
  const std::string& id = request.responder_id();
  for (int attempt = 1;; ++attempt) {
    auto current = store_.GetResponder(id);
    if (!current.ok()) return current.status();
    if (!current->has_value()) {
      auto first = EarlierOutcome(idem);
      if (!first.ok()) return first.status();
      if (!first->has_value()) return NoResponder(id);
      auto replayed = ReplayResponder(**first);
      if (!replayed.ok()) return replayed.status();
      *out = *std::move(replayed);
      return absl::OkStatus();
    }
    const Responder& responder = **current;
    if (auto allowed = access::AuthorizeTarget(caller, kRecordExperience, TargetOf(responder));
        !allowed.ok()) {
      return allowed;
    }
    std::optional<Responder> next = ApplyRecordExperience(responder, request, clock_.Now());
    if (!next) {
      // That assignment's mission is recorded already (by this request or another).
      *out = responder;
      return absl::OkStatus();
    }
    auto saved = store_.SaveResponder(
        responder, *next, std::nullopt, idem,
        MakeEvent(relais::v1::EVENT_TYPE_EXPERIENCE_RECORDED, caller, request.request_id(),
                  {id, next->version(), next->organisation_id(), id}),
        Success(id, next->version()));
    if (saved.ok()) {
      if (saved->replayed) {
        auto first = ReplayResponder(*saved);
        if (!first.ok()) return first.status();
        *out = *std::move(first);
      } else {
        *out = *std::move(next);
      }
      return absl::OkStatus();
    }
    if (!absl::IsAborted(saved.status()) || attempt == kMaxAttempts) return saved.status();
  }
}

// --- Availability ---

absl::StatusOr<AvailabilityCalendar> Registry::ChangeCalendar(
    const Principal& caller, std::string_view method, const google::protobuf::Message& request,
    const std::string& request_id, const std::string& responder_id, relais::v1::EventType type,
    const std::string& period_id, const CalendarChange& change) {
  const IdempotencyKey idem = MakeIdempotencyKey(kKeyPrefix, caller, method, request);
  const std::string full_method = "/relais.v1.ResourceInventory/" + std::string(method);
  const auto outcome_or = [&](absl::Status error) -> absl::StatusOr<AvailabilityCalendar> {
    auto first = EarlierOutcome(idem);
    if (!first.ok()) return first.status();
    if (!first->has_value()) return error;
    return ReplayCalendar(**first);
  };
  for (int attempt = 1;; ++attempt) {
    auto responder = store_.GetResponder(responder_id);
    if (!responder.ok()) return responder.status();
    auto calendar = store_.GetCalendar(responder_id);
    if (!calendar.ok()) return calendar.status();
    if (!responder->has_value() || !calendar->has_value()) {
      return outcome_or(NoResponder(responder_id));
    }
    // The responder's organisation (an OSI) or the responder themselves: refused before any
    // change, so a write by the wrong caller changes nothing.
    if (auto allowed = access::AuthorizeTarget(caller, full_method, TargetOf(**responder));
        !allowed.ok()) {
      return allowed;
    }
    auto next = change(**calendar);
    if (!next.ok()) {
      if (next.status().code() != absl::StatusCode::kFailedPrecondition) {
        return outcome_or(next.status());
      }
      auto stored = StoreRefusal(idem, responder_id, next.status());
      if (!stored.ok()) return stored.status();
      return ReplayCalendar(*stored);
    }
    auto saved = store_.SaveCalendar(
        (*calendar)->version(), *next, idem,
        MakeEvent(type, caller, request_id,
                  {period_id, next->version(), (*responder)->organisation_id(), responder_id}),
        Success(responder_id, next->version(), period_id));
    if (saved.ok()) {
      if (saved->replayed) return ReplayCalendar(*saved);
      return *std::move(next);
    }
    if (!absl::IsAborted(saved.status()) || attempt == kMaxAttempts) return saved.status();
  }
}

absl::Status Registry::SetAvailability(const Principal& caller,
                                       const relais::v1::SetAvailabilityRequest& request,
                                       AvailabilityCalendar* out) {
  if (auto status = ValidateSetAvailability(request, clock_.Now()); !status.ok()) return status;
  const std::string period_id = ids_.NewId("avl");
  auto calendar = ChangeCalendar(
      caller, "SetAvailability", request, request.request_id(), request.responder_id(),
      relais::v1::EVENT_TYPE_AVAILABILITY_SET, period_id, [&](const AvailabilityCalendar& current) {
        return ApplySetAvailability(current, request, period_id, clock_.Now());
      });
  if (!calendar.ok()) return calendar.status();
  *out = *std::move(calendar);
  return absl::OkStatus();
}

absl::Status Registry::ClearAvailability(const Principal& caller,
                                         const relais::v1::ClearAvailabilityRequest& request,
                                         AvailabilityCalendar* out) {
  if (auto status = ValidateClearAvailability(request); !status.ok()) return status;
  auto calendar =
      ChangeCalendar(caller, "ClearAvailability", request, request.request_id(),
                     request.responder_id(), relais::v1::EVENT_TYPE_AVAILABILITY_CLEARED,
                     request.period_id(), [&](const AvailabilityCalendar& current) {
                       return ApplyClearAvailability(current, request, clock_.Now());
                     });
  if (!calendar.ok()) return calendar.status();
  *out = *std::move(calendar);
  return absl::OkStatus();
}

absl::Status Registry::GetAvailability(const Principal& caller,
                                       const relais::v1::GetAvailabilityRequest& request,
                                       AvailabilityCalendar* out) {
  if (auto status = ValidateGetAvailability(request); !status.ok()) return status;
  // The calendar's owner is the responder's: read it for the ownership check.
  auto responder = store_.GetResponder(request.responder_id());
  if (!responder.ok()) return responder.status();
  if (!responder->has_value()) return NoResponder(request.responder_id());
  if (auto allowed = access::AuthorizeTarget(caller, kGetAvailability, TargetOf(**responder));
      !allowed.ok()) {
    return allowed;
  }
  auto calendar = store_.GetCalendar(request.responder_id());
  if (!calendar.ok()) return calendar.status();
  if (!calendar->has_value()) return NoResponder(request.responder_id());
  *out = CurrentCalendar(**calendar, clock_.Now());
  return absl::OkStatus();
}

absl::StatusOr<int> Registry::SweepCalendars(absl::Time now, int limit) {
  if (limit <= 0) return absl::InvalidArgumentError("limit: must be at least 1");
  auto due = store_.DueCalendars(now, limit);
  if (!due.ok()) return due.status();
  const Principal sweeper{std::string(kSweeperPrincipal), Role::kService, "", ""};
  int swept = 0;
  for (const std::string& responder_id : *due) {
    auto calendar = store_.GetCalendar(responder_id);
    if (!calendar.ok()) return calendar.status();
    auto responder = store_.GetResponder(responder_id);
    if (!responder.ok()) return responder.status();
    // Erased meanwhile (the erasure also takes them off the due list).
    if (!calendar->has_value() || !responder->has_value()) continue;
    const AvailabilityCalendar& stored = **calendar;
    AvailabilityCalendar next = CurrentCalendar(stored, now);
    if (next.periods_size() == stored.periods_size()) continue;  // nothing ended after all
    next.set_version(stored.version() + 1);

    // One request per calendar version: sweepers that meet the same calendar write it once.
    relais::v1::GetAvailabilityRequest what;
    what.set_responder_id(responder_id);
    const IdempotencyKey idem{kKeyPrefix, sweeper.id, "SweepCalendars",
                              absl::StrCat("sweep:", responder_id, ":", stored.version()),
                              RequestFingerprint(what)};
    auto saved = store_.SaveCalendar(
        stored.version(), next, idem,
        MakeEvent(relais::v1::EVENT_TYPE_AVAILABILITY_SWEPT, sweeper, idem.request_id,
                  {responder_id, next.version(), (*responder)->organisation_id(), responder_id}),
        Success(responder_id, next.version()));
    if (saved.ok()) {
      if (!saved->replayed) ++swept;
      continue;
    }
    // The calendar changed since it was read: whoever changed it dropped the ended periods too,
    // or the next sweep will.
    if (absl::IsAborted(saved.status())) continue;
    return saved.status();
  }
  return swept;
}

}  // namespace relais::inventory
