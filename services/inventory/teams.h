// Teams (teams.proto): an organisation offers a team of a catalogue type made of its own
// responders and its own kit. The application layer validates (teams_domain.h), checks that the
// members and kit lines belong to the organisation, and saves through TeamStore with the team's
// event, safely retried like the registry (registry.h). Knows nothing of gRPC.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "relais/internal/outcome.pb.h"
#include "relais/v1/events.pb.h"
#include "relais/v1/teams.pb.h"
#include "services/inventory/inventory_store.h"
#include "services/runtime/catalogue.h"
#include "services/runtime/clock.h"
#include "services/runtime/ids.h"
#include "services/runtime/principal.h"
#include "services/runtime/redis/committer.h"

namespace relais::inventory {

struct TeamPage {
  std::vector<relais::v1::Team> teams;
  std::string next_page_token;  // empty on the last page
};

// Where teams live; RedisTeamStore implements it. Idempotency records (refusals, earlier
// outcomes) are the inventory's, read and written through InventoryStore.
class TeamStore {
 public:
  virtual ~TeamStore() = default;

  virtual absl::StatusOr<std::optional<relais::v1::Team>> GetTeam(const std::string& team_id) = 0;
  // The team of `organisation_id` holding `external_ref`, if any.
  virtual absl::StatusOr<std::optional<std::string>> FindTeamByExternalRef(
      const std::string& organisation_id, const std::string& external_ref) = 0;
  // In the order they were offered. INVALID_ARGUMENT "page_token: ..." for a token it did not
  // issue.
  virtual absl::StatusOr<TeamPage> ListTeams(const std::string& organisation_id, int page_size,
                                             const std::string& page_token) = 0;
  // The organisation of each stock line, in the order of `line_ids`; nullopt for a line that
  // does not exist.
  virtual absl::StatusOr<std::vector<std::optional<std::string>>> StockLineOrganisations(
      const std::vector<std::string>& line_ids) = 0;
  // Writes `next` over `previous` (absent for a new team, which also gets its place in the
  // organisation's list) with its external_ref claim and the members' reverse index entries,
  // `event` and `outcome` under `idem`, atomically. ABORTED when the team moved since it was
  // read or the new external_ref was claimed meanwhile; a replay returns the first outcome.
  virtual absl::StatusOr<CommitResult> SaveTeam(const std::optional<relais::v1::Team>& previous,
                                                const relais::v1::Team& next,
                                                const IdempotencyKey& idem,
                                                const relais::v1::Event& event,
                                                const relais::internal::StoredOutcome& outcome) = 0;
  // Deletes `current` (as read) with its claim and index entries in one step.
  virtual absl::StatusOr<CommitResult> EraseTeam(
      const relais::v1::Team& current, const IdempotencyKey& idem, const relais::v1::Event& event,
      const relais::internal::StoredOutcome& outcome) = 0;
};

class Teams {
 public:
  // `inventory` is read for organisations and responders and keeps the idempotency records.
  Teams(TeamStore& teams, InventoryStore& inventory, const Catalogue& catalogue, const Clock& clock,
        IdGenerator& ids)
      : teams_(teams), inventory_(inventory), catalogue_(catalogue), clock_(clock), ids_(ids) {}

  // For the caller's organisation (FAILED_PRECONDITION when it acts for none, or for one not in
  // the directory). Members and kit lines of another organisation, or that do not exist, are
  // FAILED_PRECONDITION naming them; ALREADY_EXISTS "external_ref: already used by team <id>".
  absl::Status OfferTeam(const Principal& caller, const relais::v1::OfferTeamRequest& request,
                         relais::v1::Team* out);
  absl::Status GetTeam(const Principal& caller, const relais::v1::GetTeamRequest& request,
                       relais::v1::Team* out);
  // Only for the team's own organisation, or the admin (access_policy.h; PERMISSION_DENIED
  // otherwise, nothing changed). ABORTED for a stale expected_version.
  absl::Status UpdateTeam(const Principal& caller, const relais::v1::UpdateTeamRequest& request,
                          relais::v1::Team* out);
  absl::Status ListTeams(const Principal& caller, const relais::v1::ListTeamsRequest& request,
                         relais::v1::ListTeamsResponse* out);
  // Only for the team's own organisation, or the admin. Holds already placed keep their members
  // and kit.
  absl::Status RemoveTeam(const Principal& caller, const relais::v1::RemoveTeamRequest& request,
                          relais::v1::RemoveTeamResponse* out);

 private:
  relais::v1::Event MakeEvent(relais::v1::EventType type, const Principal& caller,
                              const std::string& request_id, const relais::v1::Team& team,
                              int64_t version) const;
  // The answer to a call answered once already: its first outcome, with today's team.
  absl::StatusOr<relais::v1::Team> ReplayTeam(const CommitResult& first);
  // Stores a FAILED_PRECONDITION refusal; returns what this call (and every retry) answers.
  absl::StatusOr<relais::v1::Team> Refuse(const IdempotencyKey& idem, const std::string& subject_id,
                                          const absl::Status& refusal);
  // `error`, unless this very request was answered already: then its first answer.
  absl::StatusOr<relais::v1::Team> EarlierAnswerOr(const IdempotencyKey& idem, absl::Status error);
  // OK when every member is a responder and every kit line a stock line of `organisation_id`;
  // FAILED_PRECONDITION naming the first that is not.
  absl::Status CheckBelongings(const std::string& organisation_id, const relais::v1::Team& team);

  TeamStore& teams_;
  InventoryStore& inventory_;
  const Catalogue& catalogue_;
  const Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace relais::inventory
