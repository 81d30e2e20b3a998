// Ranking of candidates for a need, with the reasons for each rank in words. Pure: the inventory's
// matches (already filtered on skill, level, availability, bookings, languages, certifications
// and, abroad, deployability) and the rotation counts come in as arguments.
//
// Score of a responder (higher is better):
//   10 x level in the skill
//   + 4 x past missions of the crisis's kind (at most 5 counted)
//   + 3 if AVAILABLE (not only ON_CALL)
//   - distance_km / 10 for a local crisis, + fit / 20 abroad (the inventory's deployability)
//   - 15 x requests and deployments within the rotation window (fairness: the same few are not
//     called every time)
// Ties are broken by id, so the ranking is deterministic.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "relais/v1/inventory.pb.h"
#include "relais/v1/mobilisation.pb.h"
#include "relais/v1/stock.pb.h"
#include "relais/v1/teams.pb.h"

namespace relais::mobilisation {

struct RankContext {
  // The skill asked for, for the reasons ("level 3 in nurse").
  std::string skill_code;
  // A crisis abroad ranks by deployability, a local one by distance.
  bool abroad = false;
  // "epidemic": the crisis kind in words, for the reasons.
  std::string kind_word;
  // Rotation window in days, for the reasons.
  int rotation_days = 30;
};

// Responders, best first, ranks from 1. `recent` maps responder id -> requests and deployments
// in the rotation window (absent = 0).
std::vector<relais::v1::Candidate> RankResponders(
    const std::vector<relais::v1::ResponderMatch>& matches,
    const std::map<std::string, int>& recent, const RankContext& context);

// Teams of the right type (free for the window), best first: fewer recent requests, then more
// members, then id.
std::vector<relais::v1::Candidate> RankTeams(const std::vector<relais::v1::Team>& teams,
                                             const std::map<std::string, int>& recent,
                                             const RankContext& context);

// Stock lines in the inventory's order (nearest, first to expire), each with what it can give.
std::vector<relais::v1::Candidate> RankSupplies(
    const std::vector<relais::v1::SupplyMatch>& matches);

double ResponderScore(const relais::v1::ResponderMatch& match, int recent, bool abroad);

}  // namespace relais::mobilisation
