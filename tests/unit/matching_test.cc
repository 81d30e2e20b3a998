// Candidate ranking: level, past missions, availability, distance (local) or fit (abroad), and
// rotation, with the reasons in words; checked on hand-made cases and against the score formula
// on random inputs.
#include "services/mobilisation/matching.h"

#include <gtest/gtest.h>

#include <random>

namespace relais::mobilisation {
namespace {

namespace v1 = ::relais::v1;

v1::ResponderMatch Match(const std::string& id, int level, double km, int missions = 0,
                         bool available = true) {
  v1::ResponderMatch m;
  m.set_responder_id(id);
  m.set_organisation_id("org_1");
  m.set_level(level);
  m.set_distance_km(km);
  m.set_missions_of_kind(missions);
  m.set_availability(available ? v1::AVAILABILITY_KIND_AVAILABLE : v1::AVAILABILITY_KIND_ON_CALL);
  return m;
}

RankContext Local() {
  RankContext c;
  c.skill_code = "nurse";
  c.kind_word = "heatwave";
  return c;
}

TEST(RankResponders, NearerAndMoreExperiencedFirstWithReasons) {
  auto ranked = RankResponders({Match("far", 3, 40), Match("near", 3, 2), Match("senior", 5, 30)},
                               {}, Local());
  ASSERT_EQ(ranked.size(), 3u);
  EXPECT_EQ(ranked[0].responder_id(), "senior");  // 50 - 3 + 3 beats 30 - 0.2 + 3
  EXPECT_EQ(ranked[1].responder_id(), "near");
  EXPECT_EQ(ranked[2].responder_id(), "far");
  EXPECT_EQ(ranked[0].rank(), 1);
  EXPECT_EQ(ranked[2].rank(), 3);
  EXPECT_EQ(ranked[1].reasons(0), "level 3 in nurse");
  EXPECT_EQ(ranked[1].reasons(1), "2.0 km away");
  EXPECT_EQ(ranked[1].reasons(2), "available for the whole window");
}

TEST(RankResponders, RotationLowersThoseCalledRecently) {
  auto fresh = RankResponders({Match("a", 3, 1), Match("b", 3, 5)}, {}, Local());
  EXPECT_EQ(fresh[0].responder_id(), "a");
  auto rotated = RankResponders({Match("a", 3, 1), Match("b", 3, 5)}, {{"a", 2}}, Local());
  EXPECT_EQ(rotated[0].responder_id(), "b");
  EXPECT_EQ(rotated[1].recent_requests(), 2);
  EXPECT_EQ(rotated[1].reasons().rbegin()[0], "requested 2 times in the last 30 days (rotation)");
  EXPECT_EQ(rotated[0].reasons().rbegin()[0], "not requested in the last 30 days");
}

TEST(RankResponders, PastMissionsAndAvailabilityCount) {
  auto ranked = RankResponders(
      {Match("oncall", 3, 1, 0, false), Match("veteran", 3, 1, 3), Match("plain", 3, 1)}, {},
      Local());
  EXPECT_EQ(ranked[0].responder_id(), "veteran");
  EXPECT_EQ(ranked[1].responder_id(), "plain");
  EXPECT_EQ(ranked[2].responder_id(), "oncall");
  EXPECT_EQ(ranked[0].reasons(3), "3 past heatwave missions");
}

TEST(RankResponders, AbroadRanksByFitNotDistance) {
  RankContext abroad = Local();
  abroad.abroad = true;
  v1::ResponderMatch near = Match("near", 3, 1);
  near.set_fit(300);
  v1::ResponderMatch fit = Match("fit", 3, 400);
  fit.set_fit(340);
  auto ranked = RankResponders({near, fit}, {}, abroad);
  EXPECT_EQ(ranked[0].responder_id(), "fit");
}

TEST(RankResponders, MatchesTheScoreFormulaOnRandomInputs) {
  std::mt19937 rng(7);
  std::vector<v1::ResponderMatch> matches;
  std::map<std::string, int> recent;
  for (int i = 0; i < 500; ++i) {
    const std::string id = "r" + std::to_string(i);
    matches.push_back(Match(id, 1 + static_cast<int>(rng() % 5), (rng() % 5000) / 10.0,
                            static_cast<int>(rng() % 8), rng() % 3 != 0));
    if (rng() % 4 == 0) recent[id] = 1 + static_cast<int>(rng() % 3);
  }
  auto ranked = RankResponders(matches, recent, Local());
  ASSERT_EQ(ranked.size(), matches.size());
  for (size_t i = 1; i < ranked.size(); ++i) {
    EXPECT_GE(ranked[i - 1].score(), ranked[i].score());
    if (ranked[i - 1].score() == ranked[i].score()) {
      EXPECT_LT(ranked[i - 1].responder_id(), ranked[i].responder_id());
    }
  }
  for (const auto& c : ranked) {
    const int r = recent.count(c.responder_id()) ? recent.at(c.responder_id()) : 0;
    const double expected = 10.0 * c.level() + 4.0 * std::min(c.missions_of_kind(), 5) +
                            (c.availability() == v1::AVAILABILITY_KIND_AVAILABLE ? 3 : 0) -
                            c.distance_km() / 10.0 - 15.0 * r;
    EXPECT_DOUBLE_EQ(c.score(), expected) << c.responder_id();
  }
}

TEST(RankSupplies, KeepsTheInventoryOrder) {
  v1::SupplyMatch a;
  a.mutable_line()->set_id("stk_a");
  a.mutable_line()->mutable_ledger()->set_available(4);
  a.set_distance_km(3);
  v1::SupplyMatch b = a;
  b.mutable_line()->set_id("stk_b");
  b.set_distance_km(9);
  auto ranked = RankSupplies({a, b});
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].stock_line_id(), "stk_a");
  EXPECT_EQ(ranked[0].available_quantity(), 4);
  EXPECT_EQ(ranked[1].rank(), 2);
}

}  // namespace
}  // namespace relais::mobilisation
