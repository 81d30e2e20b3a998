// TeamStore on Redis. Keys (under the inventory's prefix "inv:"):
//   inv:team:<id>                        hash {v, d: serialized relais.v1.Team}; the holds engine
//                                        reads it and checks its version (ledger.h)
//   inv:idx:team:<org id>                sorted set of the organisation's team ids (score 0;
//                                        ids are time-ordered, so lexical order is offer order)
//   inv:xref:<org id>:team:<sha256 hex>  hash {v: 1, d: team id}: the claim of a team's
//                                        external_ref within its organisation, apart from the
//                                        responders' claims
//   inv:idx:rsp-team:<responder id>      sorted set of the teams a responder is a member of
//                                        (score 0); RemoveResponder requires it absent
// A team's record, claim and index entries always change in one commit.
#pragma once

#include <string>

#include "services/inventory/teams.h"
#include "services/runtime/redis/committer.h"
#include "services/runtime/redis/redis_client.h"

namespace relais::inventory {

std::string TeamKey(const std::string& team_id);
// The teams `responder_id` is a member of (a sorted set of team ids).
std::string ResponderTeamsKey(const std::string& responder_id);

class RedisTeamStore final : public TeamStore {
 public:
  RedisTeamStore(RedisClient& redis, Committer& committer) : redis_(redis), committer_(committer) {}

  absl::StatusOr<std::optional<relais::v1::Team>> GetTeam(const std::string& team_id) override;
  absl::StatusOr<std::optional<std::string>> FindTeamByExternalRef(
      const std::string& organisation_id, const std::string& external_ref) override;
  absl::StatusOr<TeamPage> ListTeams(const std::string& organisation_id, int page_size,
                                     const std::string& page_token) override;
  absl::StatusOr<std::vector<std::optional<std::string>>> StockLineOrganisations(
      const std::vector<std::string>& line_ids) override;
  absl::StatusOr<CommitResult> SaveTeam(const std::optional<relais::v1::Team>& previous,
                                        const relais::v1::Team& next, const IdempotencyKey& idem,
                                        const relais::v1::Event& event,
                                        const relais::internal::StoredOutcome& outcome) override;
  absl::StatusOr<CommitResult> EraseTeam(const relais::v1::Team& current,
                                         const IdempotencyKey& idem, const relais::v1::Event& event,
                                         const relais::internal::StoredOutcome& outcome) override;

 private:
  RedisClient& redis_;
  Committer& committer_;
};

}  // namespace relais::inventory
