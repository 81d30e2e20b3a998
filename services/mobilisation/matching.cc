#include "services/mobilisation/matching.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace relais::mobilisation {
namespace v1 = relais::v1;
namespace {

int RecentOf(const std::map<std::string, int>& recent, const std::string& id) {
  auto it = recent.find(id);
  return it == recent.end() ? 0 : it->second;
}

void SortAndRank(std::vector<v1::Candidate>* candidates) {
  std::stable_sort(candidates->begin(), candidates->end(),
                   [](const v1::Candidate& a, const v1::Candidate& b) {
                     if (a.score() != b.score()) return a.score() > b.score();
                     const std::string& ia = a.responder_id() + a.team_id() + a.stock_line_id();
                     const std::string& ib = b.responder_id() + b.team_id() + b.stock_line_id();
                     return ia < ib;
                   });
  for (size_t i = 0; i < candidates->size(); ++i) {
    (*candidates)[i].set_rank(static_cast<int32_t>(i + 1));
  }
}

std::string RotationReason(int recent, int days) {
  if (recent == 0) return absl::StrCat("not requested in the last ", days, " days");
  return absl::StrCat("requested ", recent, recent == 1 ? " time" : " times", " in the last ", days,
                      " days (rotation)");
}

}  // namespace

double ResponderScore(const v1::ResponderMatch& match, int recent, bool abroad) {
  double score = 10.0 * match.level() + 4.0 * std::min(match.missions_of_kind(), 5);
  if (match.availability() == v1::AVAILABILITY_KIND_AVAILABLE) score += 3.0;
  score += abroad ? match.fit() / 20.0 : -match.distance_km() / 10.0;
  score -= 15.0 * recent;
  return score;
}

std::vector<v1::Candidate> RankResponders(const std::vector<v1::ResponderMatch>& matches,
                                          const std::map<std::string, int>& recent,
                                          const RankContext& context) {
  std::vector<v1::Candidate> out;
  out.reserve(matches.size());
  for (const v1::ResponderMatch& m : matches) {
    const int r = RecentOf(recent, m.responder_id());
    v1::Candidate c;
    c.set_kind(v1::CANDIDATE_KIND_RESPONDER);
    c.set_responder_id(m.responder_id());
    c.set_organisation_id(m.organisation_id());
    c.set_level(m.level());
    c.set_distance_km(m.distance_km());
    c.set_availability(m.availability());
    c.set_missions_of_kind(m.missions_of_kind());
    c.set_recent_requests(r);
    c.set_score(ResponderScore(m, r, context.abroad));
    c.add_reasons(absl::StrCat("level ", m.level(), " in ", context.skill_code));
    if (context.abroad) {
      c.add_reasons(absl::StrFormat("deployable from Lyon (fit %.0f, %.0f km from Lyon)", m.fit(),
                                    m.distance_km()));
    } else {
      c.add_reasons(absl::StrFormat("%.1f km away", m.distance_km()));
    }
    c.add_reasons(m.availability() == v1::AVAILABILITY_KIND_AVAILABLE
                      ? "available for the whole window"
                      : "on call for the whole window");
    if (m.missions_of_kind() > 0) {
      c.add_reasons(absl::StrCat(m.missions_of_kind(), " past ", context.kind_word,
                                 m.missions_of_kind() == 1 ? " mission" : " missions"));
    }
    c.add_reasons(RotationReason(r, context.rotation_days));
    out.push_back(std::move(c));
  }
  SortAndRank(&out);
  return out;
}

std::vector<v1::Candidate> RankTeams(const std::vector<v1::Team>& teams,
                                     const std::map<std::string, int>& recent,
                                     const RankContext& context) {
  std::vector<v1::Candidate> out;
  for (const v1::Team& t : teams) {
    const int r = RecentOf(recent, t.id());
    v1::Candidate c;
    c.set_kind(v1::CANDIDATE_KIND_TEAM);
    c.set_team_id(t.id());
    c.set_organisation_id(t.organisation_id());
    c.set_recent_requests(r);
    c.set_score(static_cast<double>(t.member_ids_size()) - 15.0 * r);
    c.add_reasons(absl::StrCat("team of type ", t.type_code(), ", ", t.member_ids_size(),
                               " members, ", t.kit_size(), " kit lines"));
    c.add_reasons(RotationReason(r, context.rotation_days));
    out.push_back(std::move(c));
  }
  SortAndRank(&out);
  return out;
}

std::vector<v1::Candidate> RankSupplies(const std::vector<v1::SupplyMatch>& matches) {
  std::vector<v1::Candidate> out;
  int rank = 0;
  for (const v1::SupplyMatch& m : matches) {
    v1::Candidate c;
    c.set_kind(v1::CANDIDATE_KIND_STOCK);
    c.set_stock_line_id(m.line().id());
    c.set_organisation_id(m.line().organisation_id());
    c.set_distance_km(m.distance_km());
    c.set_available_quantity(m.line().ledger().available());
    c.set_rank(++rank);
    c.set_score(-m.distance_km());
    c.add_reasons(absl::StrFormat("%d units available, %.1f km away",
                                  static_cast<long long>(m.line().ledger().available()),
                                  m.distance_km()));
    if (m.line().has_expires_at()) c.add_reasons("the first to expire among equally near lines");
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace relais::mobilisation
