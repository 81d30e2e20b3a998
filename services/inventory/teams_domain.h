// Teams' domain: what a valid team request is and how each call changes a team. Plain functions
// over the relais.v1 messages, like inventory_domain.h: no gRPC, no Redis, no clock. Whether the
// members and kit lines belong to the team's organisation needs the store: teams.h checks that.
//
// Errors: INVALID_ARGUMENT "<field path>: <problem>" ("team.member_ids[3]: duplicate ...").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "relais/v1/teams.pb.h"
#include "services/runtime/catalogue.h"

namespace relais::inventory {

// Limits from proto/relais/v1/teams.proto.
inline constexpr int kMinTeamNameChars = 2;
inline constexpr int kMaxTeamNameChars = 120;
inline constexpr int kMaxTeamMembers = 50;
inline constexpr int kMaxKitLines = 50;
inline constexpr int kMaxTeamDescriptionChars = 2000;
// A kit line's quantity; the same bound as the quantities of the stock search.
inline constexpr int64_t kMaxKitQuantity = 1'000'000;
// Every member who joins or leaves costs one key of the update's atomic commit (their reverse
// index entry), and a commit takes at most Committer::kMaxKeysPerCommit keys; the team record
// and its external_ref claims take the rest.
inline constexpr int kMaxMemberChangesPerUpdate = 60;

absl::Status ValidateOfferTeam(const relais::v1::OfferTeamRequest& request,
                               const Catalogue& catalogue);
absl::Status ValidateGetTeam(const relais::v1::GetTeamRequest& request);
// Request shape, update mask and the values of the masked fields ("team.name: ...").
absl::Status ValidateUpdateTeam(const relais::v1::UpdateTeamRequest& request,
                                const Catalogue& catalogue);
absl::Status ValidateListTeams(const relais::v1::ListTeamsRequest& request);
absl::Status ValidateRemoveTeam(const relais::v1::RemoveTeamRequest& request);

// A new team of `organisation_id` (the caller's) from a validated request: version 1,
// created_at = updated_at = now.
relais::v1::Team NewTeam(const relais::v1::OfferTeamRequest& request, std::string team_id,
                         std::string organisation_id, absl::Time now);
// Applies the masked fields of a validated request; version + 1.
relais::v1::Team ApplyUpdateTeam(const relais::v1::Team& current,
                                 const relais::v1::UpdateTeamRequest& request, absl::Time now);

// Who joins and who leaves between two versions of a team, each in the order of its list.
struct MemberChanges {
  std::vector<std::string> joined;
  std::vector<std::string> left;
};
MemberChanges ChangedMembers(const relais::v1::Team& before, const relais::v1::Team& after);
// FAILED_PRECONDITION when an update changes more than kMaxMemberChangesPerUpdate members.
absl::Status CheckMemberChanges(const MemberChanges& changes);

}  // namespace relais::inventory
