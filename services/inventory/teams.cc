#include "services/inventory/teams.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/inventory/inventory_domain.h"
#include "services/inventory/teams_domain.h"
#include "services/runtime/access_policy.h"
#include "services/runtime/idempotency.h"
#include "services/runtime/proto_time.h"
#include "services/runtime/validation.h"

namespace relais::inventory {
namespace {

using relais::internal::StoredOutcome;
using relais::v1::Team;

constexpr char kService[] = "inventory";
// The full gRPC names the ownership checks are made under (access_policy.h).
constexpr char kOfferTeam[] = "/relais.v1.ResourceInventory/OfferTeam";
constexpr char kUpdateTeam[] = "/relais.v1.ResourceInventory/UpdateTeam";
constexpr char kGetTeam[] = "/relais.v1.ResourceInventory/GetTeam";
constexpr char kListTeams[] = "/relais.v1.ResourceInventory/ListTeams";
constexpr char kRemoveTeam[] = "/relais.v1.ResourceInventory/RemoveTeam";
// A read-modify-write that keeps losing to concurrent writers gives up with ABORTED.
constexpr int kMaxAttempts = 4;

StoredOutcome Success(const std::string& subject_id, int64_t version) {
  StoredOutcome outcome;
  outcome.set_code(0);
  outcome.set_subject_id(subject_id);
  outcome.set_subject_version(version);
  return outcome;
}

absl::Status OutcomeStatus(const StoredOutcome& outcome) {
  return absl::Status(static_cast<absl::StatusCode>(outcome.code()), outcome.message());
}

absl::Status NoTeam(const std::string& id) {
  return absl::NotFoundError(absl::StrCat("team_id: no team ", id));
}

absl::Status TakenRef(const std::string& holder) {
  // The holder's id only: the reference itself is the organisation's, kept out of messages.
  return absl::AlreadyExistsError(absl::StrCat("external_ref: already used by team ", holder));
}

}  // namespace

relais::v1::Event Teams::MakeEvent(relais::v1::EventType type, const Principal& caller,
                                   const std::string& request_id, const Team& team,
                                   int64_t version) const {
  relais::v1::Event event;
  event.set_type(type);
  *event.mutable_time() = ToProtoTime(clock_.Now());
  event.set_service(kService);
  event.set_principal_id(caller.id);
  event.set_on_behalf_of(OnBehalfOf(caller));
  event.set_request_id(request_id);
  event.set_subject_id(team.id());
  event.set_subject_version(version);
  event.set_organisation_id(team.organisation_id());
  event.set_team_id(team.id());
  return event;
}

absl::StatusOr<Team> Teams::ReplayTeam(const CommitResult& first) {
  if (first.outcome.code() != 0) return OutcomeStatus(first.outcome);
  auto team = teams_.GetTeam(first.outcome.subject_id());
  if (!team.ok()) return team.status();
  if (!team->has_value()) {
    return absl::NotFoundError(absl::StrCat("team ", first.outcome.subject_id(),
                                            " was removed after this request was answered"));
  }
  return **std::move(team);
}

absl::StatusOr<Team> Teams::Refuse(const IdempotencyKey& idem, const std::string& subject_id,
                                   const absl::Status& refusal) {
  StoredOutcome outcome;
  outcome.set_code(static_cast<int>(absl::StatusCode::kFailedPrecondition));
  outcome.set_message(std::string(refusal.message()));
  outcome.set_subject_id(subject_id);
  auto stored = inventory_.Refuse(idem, outcome);
  if (!stored.ok()) return stored.status();
  return ReplayTeam(*stored);
}

absl::StatusOr<Team> Teams::EarlierAnswerOr(const IdempotencyKey& idem, absl::Status error) {
  auto first = inventory_.FindOutcome(idem);
  if (!first.ok()) return first.status();
  if (!first->has_value()) return error;
  return ReplayTeam(**first);
}

absl::Status Teams::CheckBelongings(const std::string& organisation_id, const Team& team) {
  const std::vector<std::string> member_ids(team.member_ids().begin(), team.member_ids().end());
  auto responders = inventory_.GetResponders(member_ids);
  if (!responders.ok()) return responders.status();
  for (size_t i = 0; i < member_ids.size(); ++i) {
    const auto& responder = (*responders)[i];
    if (!responder.has_value() || responder->organisation_id() != organisation_id) {
      return absl::FailedPreconditionError(absl::StrCat("team.member_ids[", i, "]: no responder ",
                                                        member_ids[i], " in organisation ",
                                                        organisation_id));
    }
  }
  std::vector<std::string> line_ids;
  for (const auto& line : team.kit()) line_ids.push_back(line.stock_line_id());
  if (line_ids.empty()) return absl::OkStatus();
  auto owners = teams_.StockLineOrganisations(line_ids);
  if (!owners.ok()) return owners.status();
  for (size_t i = 0; i < line_ids.size(); ++i) {
    if ((*owners)[i] != organisation_id) {
      return absl::FailedPreconditionError(
          absl::StrCat("team.kit[", i, "].stock_line_id: no stock line ", line_ids[i],
                       " in organisation ", organisation_id));
    }
  }
  return absl::OkStatus();
}

absl::Status Teams::OfferTeam(const Principal& caller, const relais::v1::OfferTeamRequest& request,
                              Team* out) {
  if (auto status = ValidateOfferTeam(request, catalogue_); !status.ok()) return status;
  auto organisation_id = CallerOrganisation(caller);
  if (!organisation_id.ok()) return organisation_id.status();
  if (auto allowed = access::AuthorizeTarget(caller, kOfferTeam, {*organisation_id, ""});
      !allowed.ok()) {
    return allowed;
  }
  const IdempotencyKey idem = MakeIdempotencyKey(kKeyPrefix, caller, "OfferTeam", request);
  const auto answer = [&](absl::StatusOr<Team> team) -> absl::Status {
    if (!team.ok()) return team.status();
    *out = *std::move(team);
    return absl::OkStatus();
  };

  auto org = inventory_.GetOrganisation(*organisation_id);
  if (!org.ok()) return org.status();
  if (!org->has_value()) {
    return answer(
        Refuse(idem, *organisation_id,
               absl::FailedPreconditionError(absl::StrCat(
                   "caller's organisation ", *organisation_id, " is not in the directory"))));
  }

  Team team = NewTeam(request, ids_.NewId("team"), *organisation_id, clock_.Now());
  if (auto belongs = CheckBelongings(*organisation_id, team); !belongs.ok()) {
    if (!absl::IsFailedPrecondition(belongs)) return belongs;
    return answer(Refuse(idem, *organisation_id, belongs));
  }
  const std::string& ref = team.external_ref();
  for (int attempt = 1;; ++attempt) {
    if (!ref.empty()) {
      auto holder = teams_.FindTeamByExternalRef(*organisation_id, ref);
      if (!holder.ok()) return holder.status();
      if (holder->has_value()) return answer(EarlierAnswerOr(idem, TakenRef(**holder)));
    }
    auto saved = teams_.SaveTeam(std::nullopt, team, idem,
                                 MakeEvent(relais::v1::EVENT_TYPE_TEAM_OFFERED, caller,
                                           request.request_id(), team, team.version()),
                                 Success(team.id(), team.version()));
    if (saved.ok()) {
      if (saved->replayed) return answer(ReplayTeam(*saved));
      *out = std::move(team);
      return absl::OkStatus();
    }
    // A new team can only conflict on its external_ref claim: read it again to name the holder.
    if (!absl::IsAborted(saved.status()) || ref.empty() || attempt == kMaxAttempts) {
      return saved.status();
    }
  }
}

absl::Status Teams::GetTeam(const Principal& caller, const relais::v1::GetTeamRequest& request,
                            Team* out) {
  if (auto status = ValidateGetTeam(request); !status.ok()) return status;
  auto team = teams_.GetTeam(request.team_id());
  if (!team.ok()) return team.status();
  if (!team->has_value()) return NoTeam(request.team_id());
  // A responder reads their own organisation's teams (the kAny roles read every team).
  if (auto allowed = access::AuthorizeTarget(caller, kGetTeam, {(*team)->organisation_id(), ""});
      !allowed.ok()) {
    return allowed;
  }
  *out = **std::move(team);
  return absl::OkStatus();
}

absl::Status Teams::UpdateTeam(const Principal& caller,
                               const relais::v1::UpdateTeamRequest& request, Team* out) {
  if (auto status = ValidateUpdateTeam(request, catalogue_); !status.ok()) return status;
  const IdempotencyKey idem = MakeIdempotencyKey(kKeyPrefix, caller, "UpdateTeam", request);
  const std::string& id = request.team_id();
  const auto answer = [&](absl::StatusOr<Team> team) -> absl::Status {
    if (!team.ok()) return team.status();
    *out = *std::move(team);
    return absl::OkStatus();
  };
  for (int attempt = 1;; ++attempt) {
    auto current = teams_.GetTeam(id);
    if (!current.ok()) return current.status();
    if (!current->has_value()) return answer(EarlierAnswerOr(idem, NoTeam(id)));
    const Team& team = **current;
    if (auto owner = access::AuthorizeTarget(caller, kUpdateTeam, {team.organisation_id(), ""});
        !owner.ok()) {
      return owner;
    }
    if (request.expected_version() != 0 && team.version() != request.expected_version()) {
      return answer(EarlierAnswerOr(
          idem,
          absl::AbortedError(absl::StrCat("expected_version: team ", id, " is at version ",
                                          team.version(), ", not ", request.expected_version()))));
    }
    Team next = ApplyUpdateTeam(team, request, clock_.Now());
    if (MaskHas(request.update_mask(), "member_ids") || MaskHas(request.update_mask(), "kit")) {
      absl::Status refusal = CheckMemberChanges(ChangedMembers(team, next));
      if (refusal.ok()) refusal = CheckBelongings(team.organisation_id(), next);
      if (!refusal.ok()) {
        if (!absl::IsFailedPrecondition(refusal)) return refusal;
        return answer(Refuse(idem, id, refusal));
      }
    }
    const std::string& ref = next.external_ref();
    if (!ref.empty() && ref != team.external_ref()) {
      auto holder = teams_.FindTeamByExternalRef(next.organisation_id(), ref);
      if (!holder.ok()) return holder.status();
      if (holder->has_value() && **holder != id) {
        return answer(EarlierAnswerOr(idem, TakenRef(**holder)));
      }
    }
    auto saved = teams_.SaveTeam(team, next, idem,
                                 MakeEvent(relais::v1::EVENT_TYPE_TEAM_UPDATED, caller,
                                           request.request_id(), next, next.version()),
                                 Success(id, next.version()));
    if (saved.ok()) {
      if (saved->replayed) return answer(ReplayTeam(*saved));
      *out = std::move(next);
      return absl::OkStatus();
    }
    // Lost a race on the team or on the claim of its new external_ref: read both again.
    if (!absl::IsAborted(saved.status()) || attempt == kMaxAttempts) return saved.status();
  }
}

absl::Status Teams::ListTeams(const Principal& caller, const relais::v1::ListTeamsRequest& request,
                              relais::v1::ListTeamsResponse* out) {
  if (auto status = ValidateListTeams(request); !status.ok()) return status;
  // A responder lists their own organisation's teams: the filter (required) must name it.
  if (auto allowed = access::AuthorizeFilter(caller, kListTeams, {request.organisation_id(), ""});
      !allowed.ok()) {
    return allowed;
  }
  auto org = inventory_.GetOrganisation(request.organisation_id());
  if (!org.ok()) return org.status();
  if (!org->has_value()) {
    return absl::NotFoundError(
        absl::StrCat("organisation_id: no organisation ", request.organisation_id()));
  }
  auto page = teams_.ListTeams(request.organisation_id(), EffectivePageSize(request.page_size()),
                               request.page_token());
  if (!page.ok()) return page.status();
  for (auto& team : page->teams) *out->add_teams() = std::move(team);
  out->set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

absl::Status Teams::RemoveTeam(const Principal& caller,
                               const relais::v1::RemoveTeamRequest& request,
                               relais::v1::RemoveTeamResponse* out) {
  if (auto status = ValidateRemoveTeam(request); !status.ok()) return status;
  const IdempotencyKey idem = MakeIdempotencyKey(kKeyPrefix, caller, "RemoveTeam", request);
  const std::string& id = request.team_id();
  // Only ids were stored, and the team is gone: the answer is its id.
  const auto answer = [&](const CommitResult& first) -> absl::Status {
    if (first.outcome.code() != 0) return OutcomeStatus(first.outcome);
    out->set_team_id(first.outcome.subject_id());
    return absl::OkStatus();
  };
  for (int attempt = 1;; ++attempt) {
    auto current = teams_.GetTeam(id);
    if (!current.ok()) return current.status();
    if (!current->has_value()) {
      // Gone: removed by this very request (a retry), or never there.
      auto first = inventory_.FindOutcome(idem);
      if (!first.ok()) return first.status();
      if (first->has_value()) return answer(**first);
      return NoTeam(id);
    }
    const Team& team = **current;
    if (auto owner = access::AuthorizeTarget(caller, kRemoveTeam, {team.organisation_id(), ""});
        !owner.ok()) {
      return owner;
    }
    auto saved = teams_.EraseTeam(team, idem,
                                  MakeEvent(relais::v1::EVENT_TYPE_TEAM_REMOVED, caller,
                                            request.request_id(), team, team.version() + 1),
                                  Success(id, team.version() + 1));
    if (saved.ok()) return answer(*saved);
    if (!absl::IsAborted(saved.status()) || attempt == kMaxAttempts) return saved.status();
  }
}

}  // namespace relais::inventory
