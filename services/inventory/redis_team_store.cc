#include "services/inventory/redis_team_store.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "relais/v1/stock.pb.h"
#include "services/inventory/redis_inventory_store.h"
#include "services/inventory/teams_domain.h"
#include "services/runtime/validation.h"

namespace relais::inventory {
namespace {

using relais::v1::Team;

// Claims are created at version 1 and only ever deleted, as the responders' are.
constexpr int64_t kClaimVersion = 1;

std::string TeamsIndexKey(const std::string& organisation_id) {
  return absl::StrCat(kKeyPrefix, ":idx:team:", organisation_id);
}

std::string TeamClaimKey(const std::string& organisation_id, const std::string& external_ref) {
  return absl::StrCat(kKeyPrefix, ":xref:", organisation_id,
                      ":team:", ExternalRefDigest(external_ref));
}

// Written by the stock part of the inventory (ledger.h): {v, d: StockLine, ledger counters}.
std::string StockLineKey(const std::string& line_id) {
  return absl::StrCat(kKeyPrefix, ":stk:", line_id);
}

absl::StatusOr<Team> ParseTeam(const VersionedValue& stored, const std::string& key) {
  Team team;
  if (!team.ParseFromString(stored.value)) {
    return absl::InternalError(absl::StrCat("stored value is unreadable: ", key));
  }
  return team;
}

// The claim and index changes between two versions of a team (`previous` absent: a new team;
// `next` absent: a removed one), added to `request`.
void AddTeamKeys(const std::optional<Team>& previous, const std::optional<Team>& next,
                 CommitRequest& request) {
  const Team& any = next ? *next : *previous;
  const std::string old_ref = previous ? previous->external_ref() : "";
  const std::string new_ref = next ? next->external_ref() : "";
  if (old_ref != new_ref) {
    if (!old_ref.empty()) {
      // An empty value at the current version deletes the claim.
      request.writes.push_back({TeamClaimKey(any.organisation_id(), old_ref), kClaimVersion, ""});
    }
    if (!new_ref.empty()) {
      // Create-if-absent: a concurrent claim of the same reference makes the commit ABORTED.
      request.writes.push_back({TeamClaimKey(any.organisation_id(), new_ref), 0, any.id()});
    }
  }
  if (!previous) {
    request.index_ops.push_back(
        {IndexOp::Kind::kAdd, TeamsIndexKey(any.organisation_id()), any.id()});
  } else if (!next) {
    request.index_ops.push_back(
        {IndexOp::Kind::kRemove, TeamsIndexKey(any.organisation_id()), any.id()});
  }
  const MemberChanges changes = ChangedMembers(previous.value_or(Team()), next.value_or(Team()));
  for (const std::string& id : changes.left) {
    request.index_ops.push_back({IndexOp::Kind::kRemove, ResponderTeamsKey(id), any.id()});
  }
  for (const std::string& id : changes.joined) {
    request.index_ops.push_back({IndexOp::Kind::kAdd, ResponderTeamsKey(id), any.id()});
  }
}

}  // namespace

std::string TeamKey(const std::string& team_id) {
  return absl::StrCat(kKeyPrefix, ":team:", team_id);
}

std::string ResponderTeamsKey(const std::string& responder_id) {
  return absl::StrCat(kKeyPrefix, ":idx:rsp-team:", responder_id);
}

absl::StatusOr<std::optional<Team>> RedisTeamStore::GetTeam(const std::string& team_id) {
  const std::string key = TeamKey(team_id);
  auto stored = committer_.Read(key);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return std::nullopt;
  auto team = ParseTeam(**stored, key);
  if (!team.ok()) return team.status();
  return std::optional<Team>(*std::move(team));
}

absl::StatusOr<std::optional<std::string>> RedisTeamStore::FindTeamByExternalRef(
    const std::string& organisation_id, const std::string& external_ref) {
  auto stored = committer_.Read(TeamClaimKey(organisation_id, external_ref));
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return std::nullopt;
  return std::optional<std::string>((*stored)->value);
}

absl::StatusOr<TeamPage> RedisTeamStore::ListTeams(const std::string& organisation_id,
                                                   int page_size, const std::string& page_token) {
  std::string after;
  if (!page_token.empty()) {
    if (!absl::WebSafeBase64Unescape(page_token, &after) || !CheckResourceId("id", after).ok()) {
      return absl::InvalidArgumentError("page_token: not a token this server issued");
    }
  }
  auto reply =
      redis_.Command({"ZRANGE", TeamsIndexKey(organisation_id), after.empty() ? "-" : "(" + after,
                      "+", "BYLEX", "LIMIT", "0", absl::StrCat(page_size + 1)});
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) return ErrorReplyToStatus(*reply);
  std::vector<std::string> ids;
  for (const auto& element : reply->elements()) ids.push_back(element.str());
  const bool more = static_cast<int>(ids.size()) > page_size;
  if (more) ids.resize(page_size);
  std::vector<std::string> keys;
  for (const std::string& id : ids) keys.push_back(TeamKey(id));
  auto stored = committer_.ReadMany(keys);
  if (!stored.ok()) return stored.status();
  TeamPage page;
  for (size_t i = 0; i < keys.size(); ++i) {
    // Index and record change in one commit: a dangling entry is a broken invariant.
    if (!(*stored)[i].has_value()) {
      return absl::InternalError(absl::StrCat("index entry without its entity: ", keys[i]));
    }
    auto team = ParseTeam(*(*stored)[i], keys[i]);
    if (!team.ok()) return team.status();
    page.teams.push_back(*std::move(team));
  }
  if (more && !ids.empty()) page.next_page_token = absl::WebSafeBase64Escape(ids.back());
  return page;
}

absl::StatusOr<std::vector<std::optional<std::string>>> RedisTeamStore::StockLineOrganisations(
    const std::vector<std::string>& line_ids) {
  std::vector<std::string> keys;
  for (const std::string& id : line_ids) keys.push_back(StockLineKey(id));
  auto stored = committer_.ReadMany(keys);
  if (!stored.ok()) return stored.status();
  std::vector<std::optional<std::string>> owners;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!(*stored)[i].has_value()) {
      owners.push_back(std::nullopt);
      continue;
    }
    relais::v1::StockLine line;
    if (!line.ParseFromString((*stored)[i]->value)) {
      return absl::InternalError(absl::StrCat("stored value is unreadable: ", keys[i]));
    }
    owners.push_back(line.organisation_id());
  }
  return owners;
}

absl::StatusOr<CommitResult> RedisTeamStore::SaveTeam(
    const std::optional<Team>& previous, const Team& next, const IdempotencyKey& idem,
    const relais::v1::Event& event, const relais::internal::StoredOutcome& outcome) {
  CommitRequest request;
  request.idem = idem;
  request.writes.push_back(
      {TeamKey(next.id()), previous ? previous->version() : 0, next.SerializeAsString()});
  AddTeamKeys(previous, next, request);
  request.event = event;
  request.outcome = outcome;
  return committer_.Commit(request);
}

absl::StatusOr<CommitResult> RedisTeamStore::EraseTeam(
    const Team& current, const IdempotencyKey& idem, const relais::v1::Event& event,
    const relais::internal::StoredOutcome& outcome) {
  CommitRequest request;
  request.idem = idem;
  // An empty value at the current version: deletion.
  request.writes.push_back({TeamKey(current.id()), current.version(), ""});
  AddTeamKeys(current, std::nullopt, request);
  request.event = event;
  request.outcome = outcome;
  return committer_.Commit(request);
}

}  // namespace relais::inventory
