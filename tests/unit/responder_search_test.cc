// The pure rules of FindResponders: calendar coverage, each filter, the rankings, paging with
// bookings, page tokens, validation of every field, and both modes against a brute force on
// random data.
#include "services/inventory/responder_search.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/runtime/proto_time.h"

namespace relais::inventory {
namespace {

namespace v1 = ::relais::v1;
using v1::AVAILABILITY_KIND_AVAILABLE;
using v1::AVAILABILITY_KIND_ON_CALL;
using v1::AVAILABILITY_KIND_UNAVAILABLE;

constexpr int64_t kHour = int64_t{3600} * 1'000'000'000;
constexpr int64_t kDay = 24 * kHour;
// The FakeClock's default start.
const absl::Time kNow = absl::FromUnixSeconds(1'780'000'000);
const int64_t kT0 = absl::ToUnixNanos(kNow);

constexpr char kCatalogue[] = R"pb(
  version: "test"
  skills {
    code: "nurse"
    label { en: "Nurse" fr: "Infirmier" }
  }
  skills {
    code: "midwife"
    label { en: "Midwife" fr: "Sage-femme" }
  }
  skills {
    code: "logistician"
    label { en: "Logistician" fr: "Logisticien" }
  }
  skills {
    code: "driver"
    label { en: "Driver" fr: "Chauffeur" }
  }
  certifications {
    code: "first-aid-pse2"
    label { en: "PSE2" fr: "PSE2" }
  }
  certifications {
    code: "yellow-fever-vaccination"
    label { en: "Yellow fever" fr: "Fièvre jaune" }
  }
  certifications {
    code: "driving-licence-b"
    label { en: "Licence B" fr: "Permis B" }
  }
)pb";

const Catalogue& TestCatalogue() {
  static const Catalogue* const catalogue = [] {
    auto parsed = Catalogue::Parse(kCatalogue);
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    return new Catalogue(*std::move(parsed));
  }();
  return *catalogue;
}

google::protobuf::Timestamp Ts(int64_t nanos) { return ToProtoTime(absl::FromUnixNanos(nanos)); }

// --- Building responders ---

struct Person {
  std::string id;
  std::string org = "org_1";
  std::vector<std::pair<std::string, int>> skills = {{"nurse", 3}};
  std::vector<std::string> languages = {"fr"};
  // code -> valid_until (0 = does not lapse)
  std::vector<std::pair<std::string, int64_t>> certifications;
  double lat = 45.76;
  double lon = 4.84;
  int64_t passport_until = 0;  // 0 = no passport
  int max_days = 30;
  std::vector<v1::CrisisKind> missions;
  std::vector<CardPeriod> periods = {{kT0, kT0 + 60 * kDay, AVAILABILITY_KIND_AVAILABLE}};
};

v1::Responder ResponderOf(const Person& p) {
  v1::Responder r;
  r.set_id(p.id);
  r.set_organisation_id(p.org);
  for (const auto& [code, level] : p.skills) {
    auto* s = r.add_skills();
    s->set_code(code);
    s->set_level(level);
  }
  for (const auto& l : p.languages) r.add_languages(l);
  for (const auto& [code, until] : p.certifications) {
    auto* c = r.add_certifications();
    c->set_code(code);
    if (until != 0) *c->mutable_valid_until() = Ts(until);
  }
  r.mutable_home_base()->set_lat(p.lat);
  r.mutable_home_base()->set_lon(p.lon);
  if (p.passport_until != 0) {
    *r.mutable_travel()->mutable_passport_valid_until() = Ts(p.passport_until);
  }
  r.set_max_deployment_days(p.max_days);
  for (auto kind : p.missions) r.add_experience()->set_kind(kind);
  return r;
}

v1::AvailabilityCalendar CalendarOf(const Person& p) {
  v1::AvailabilityCalendar calendar;
  calendar.set_responder_id(p.id);
  int n = 0;
  for (const CardPeriod& period : p.periods) {
    auto* out = calendar.add_periods();
    out->set_id(absl::StrCat("avl_", ++n));
    out->set_kind(period.kind);
    *out->mutable_from() = Ts(period.from);
    *out->mutable_until() = Ts(period.until);
  }
  return calendar;
}

std::vector<ResponderCard> Cards(const std::vector<Person>& people) {
  std::vector<ResponderCard> cards;
  for (const Person& p : people) cards.push_back(CardFromResponder(ResponderOf(p), CalendarOf(p)));
  return cards;
}

std::vector<const ResponderCard*> Pointers(const std::vector<ResponderCard>& cards) {
  std::vector<const ResponderCard*> pointers;
  for (const auto& card : cards) pointers.push_back(&card);
  return pointers;
}

// --- Building requests ---

v1::FindRespondersRequest LocalRequest(double radius_km = 50) {
  v1::FindRespondersRequest request;
  request.set_skill_code("nurse");
  *request.mutable_window()->mutable_start() = Ts(kT0 + kDay);
  *request.mutable_window()->mutable_end() = Ts(kT0 + 3 * kDay);
  request.mutable_local()->mutable_center()->set_lat(45.7640);
  request.mutable_local()->mutable_center()->set_lon(4.8357);
  request.mutable_local()->set_radius_km(radius_km);
  return request;
}

v1::FindRespondersRequest AbroadRequest() {
  v1::FindRespondersRequest request = LocalRequest();
  request.mutable_abroad();
  return request;
}

SearchQuery Query(const v1::FindRespondersRequest& request) {
  auto query = PrepareQuery(request, TestCatalogue(), kNow);
  EXPECT_TRUE(query.ok()) << query.status();
  return query.ok() ? *query : SearchQuery{};
}

// The ids Search keeps, in order (all of them).
std::vector<std::string> Found(const std::vector<Person>& people,
                               const v1::FindRespondersRequest& request) {
  const auto cards = Cards(people);
  std::vector<std::string> ids;
  for (const auto& c : Search(Pointers(cards), Query(request), cards.size())) {
    ids.push_back(c.key.id);
  }
  return ids;
}

using Ids = std::vector<std::string>;

// --- CoversWindow ---

CardPeriod P(int64_t from_h, int64_t until_h, v1::AvailabilityKind kind) {
  return {kT0 + from_h * kHour, kT0 + until_h * kHour, kind};
}

std::optional<v1::AvailabilityKind> Covers(std::vector<CardPeriod> periods, int64_t start_h,
                                           int64_t end_h) {
  return CoversWindow(periods, kT0 + start_h * kHour, kT0 + end_h * kHour);
}

TEST(CoversWindowTest, OnePeriodCoveringTheWindow) {
  EXPECT_EQ(Covers({P(0, 10, AVAILABILITY_KIND_AVAILABLE)}, 2, 5), AVAILABILITY_KIND_AVAILABLE);
  EXPECT_EQ(Covers({P(2, 5, AVAILABILITY_KIND_AVAILABLE)}, 2, 5), AVAILABILITY_KIND_AVAILABLE);
}

TEST(CoversWindowTest, NothingOrTooShortIsNotCovered) {
  EXPECT_EQ(Covers({}, 2, 5), std::nullopt);
  EXPECT_EQ(Covers({P(0, 4, AVAILABILITY_KIND_AVAILABLE)}, 2, 5), std::nullopt);
  EXPECT_EQ(Covers({P(3, 10, AVAILABILITY_KIND_AVAILABLE)}, 2, 5), std::nullopt);
  EXPECT_EQ(Covers({P(0, 2, AVAILABILITY_KIND_AVAILABLE)}, 2, 5), std::nullopt);  // ends at start
  EXPECT_EQ(Covers({P(0, 10, v1::AVAILABILITY_KIND_UNSPECIFIED)}, 2, 5), std::nullopt);
}

TEST(CoversWindowTest, AGapBetweenPeriodsIsNotCovered) {
  EXPECT_EQ(
      Covers({P(0, 3, AVAILABILITY_KIND_AVAILABLE), P(4, 10, AVAILABILITY_KIND_AVAILABLE)}, 2, 5),
      std::nullopt);
}

TEST(CoversWindowTest, AdjacentAndOverlappingPeriodsJoin) {
  EXPECT_EQ(
      Covers({P(3, 10, AVAILABILITY_KIND_AVAILABLE), P(0, 3, AVAILABILITY_KIND_AVAILABLE)}, 2, 5),
      AVAILABILITY_KIND_AVAILABLE);
  EXPECT_EQ(Covers({P(2, 3, AVAILABILITY_KIND_AVAILABLE), P(3, 4, AVAILABILITY_KIND_AVAILABLE),
                    P(1, 6, AVAILABILITY_KIND_AVAILABLE)},
                   2, 5),
            AVAILABILITY_KIND_AVAILABLE);
  EXPECT_EQ(
      Covers({P(0, 8, AVAILABILITY_KIND_AVAILABLE), P(1, 3, AVAILABILITY_KIND_AVAILABLE)}, 2, 5),
      AVAILABILITY_KIND_AVAILABLE);
}

TEST(CoversWindowTest, UnavailableOverridesWhereItOverlaps) {
  EXPECT_EQ(
      Covers({P(0, 10, AVAILABILITY_KIND_AVAILABLE), P(4, 5, AVAILABILITY_KIND_UNAVAILABLE)}, 2, 5),
      std::nullopt);
  EXPECT_EQ(
      Covers({P(0, 10, AVAILABILITY_KIND_AVAILABLE), P(1, 3, AVAILABILITY_KIND_UNAVAILABLE)}, 2, 5),
      std::nullopt);
  // Touching the window's edges is not overlapping it.
  EXPECT_EQ(Covers({P(0, 10, AVAILABILITY_KIND_AVAILABLE), P(0, 2, AVAILABILITY_KIND_UNAVAILABLE),
                    P(5, 9, AVAILABILITY_KIND_UNAVAILABLE)},
                   2, 5),
            AVAILABILITY_KIND_AVAILABLE);
}

TEST(CoversWindowTest, OnCallWhenAnOnCallPeriodIsNeeded) {
  EXPECT_EQ(Covers({P(0, 10, AVAILABILITY_KIND_ON_CALL)}, 2, 5), AVAILABILITY_KIND_ON_CALL);
  EXPECT_EQ(
      Covers({P(0, 3, AVAILABILITY_KIND_AVAILABLE), P(3, 10, AVAILABILITY_KIND_ON_CALL)}, 2, 5),
      AVAILABILITY_KIND_ON_CALL);
  // Not needed: AVAILABLE alone covers.
  EXPECT_EQ(
      Covers({P(0, 10, AVAILABILITY_KIND_AVAILABLE), P(3, 4, AVAILABILITY_KIND_ON_CALL)}, 2, 5),
      AVAILABILITY_KIND_AVAILABLE);
  // An ON_CALL period does not fill a gap it does not reach.
  EXPECT_EQ(
      Covers({P(0, 3, AVAILABILITY_KIND_AVAILABLE), P(4, 10, AVAILABILITY_KIND_ON_CALL)}, 2, 5),
      std::nullopt);
  EXPECT_EQ(
      Covers({P(0, 10, AVAILABILITY_KIND_ON_CALL), P(3, 4, AVAILABILITY_KIND_UNAVAILABLE)}, 2, 5),
      std::nullopt);
}

// --- Small pieces ---

TEST(DistanceTest, KnownDistances) {
  EXPECT_EQ(DistanceKm(45.764, 4.8357, 45.764, 4.8357), 0);
  // Lyon - Paris (Notre-Dame), about 392 km as the crow flies.
  EXPECT_NEAR(DistanceKm(45.764, 4.8357, 48.8530, 2.3499), 392, 2);
  EXPECT_DOUBLE_EQ(DistanceKm(45.764, 4.8357, 48.8530, 2.3499),
                   DistanceKm(48.8530, 2.3499, 45.764, 4.8357));
  // A quarter of a meridian.
  EXPECT_NEAR(DistanceKm(0, 0, 90, 0), 10007.5, 1);
  // Across the antimeridian.
  EXPECT_NEAR(DistanceKm(0, 179.5, 0, -179.5), 111.2, 0.1);
}

TEST(FitScoreTest, LevelThenMissionsThenAvailable) {
  EXPECT_EQ(FitScore(3, 0, AVAILABILITY_KIND_ON_CALL), 300);
  EXPECT_EQ(FitScore(3, 2, AVAILABILITY_KIND_AVAILABLE), 321);
  EXPECT_EQ(FitScore(3, 9, AVAILABILITY_KIND_ON_CALL), 350);  // counted up to 5
  EXPECT_GT(FitScore(4, 0, AVAILABILITY_KIND_ON_CALL),
            FitScore(3, 50, AVAILABILITY_KIND_AVAILABLE));
  EXPECT_GT(FitScore(3, 1, AVAILABILITY_KIND_ON_CALL), FitScore(3, 0, AVAILABILITY_KIND_AVAILABLE));
}

TEST(CardTest, HoldsWhatTheFiltersNeed) {
  Person p{.id = "rsp_1"};
  p.skills = {{"nurse", 4}, {"driver", 2}};
  p.languages = {"fr", "en"};
  p.certifications = {{"first-aid-pse2", 0}, {"yellow-fever-vaccination", kT0 + kDay}};
  p.passport_until = kT0 + 100 * kDay;
  p.missions = {v1::CRISIS_KIND_FLOOD, v1::CRISIS_KIND_FLOOD, v1::CRISIS_KIND_EPIDEMIC};
  const ResponderCard card = CardFromResponder(ResponderOf(p), CalendarOf(p));
  EXPECT_EQ(card.id, "rsp_1");
  EXPECT_EQ(card.organisation_id, "org_1");
  EXPECT_EQ(LevelOf(card, FindCode("nurse")), 4);
  EXPECT_EQ(LevelOf(card, FindCode("driver")), 2);
  EXPECT_EQ(LevelOf(card, InternCode("midwife")), 0);
  EXPECT_EQ(card.languages, (std::vector<uint16_t>{PackLanguage("fr"), PackLanguage("en")}));
  ASSERT_EQ(card.certifications.size(), 2u);
  EXPECT_EQ(card.certifications[0].valid_until, kNever);
  EXPECT_EQ(card.certifications[1].valid_until, kT0 + kDay);
  EXPECT_EQ(card.passport_valid_until, kT0 + 100 * kDay);
  EXPECT_EQ(card.missions[v1::CRISIS_KIND_FLOOD], 2);
  EXPECT_EQ(card.missions[v1::CRISIS_KIND_EPIDEMIC], 1);
  ASSERT_EQ(card.periods.size(), 1u);
  EXPECT_EQ(card.periods[0].until, kT0 + 60 * kDay);
  EXPECT_EQ(PackLanguage("FR"), 0);
  EXPECT_EQ(PackLanguage("fra"), 0);
}

// --- Posting lists ---

TEST(PostingTest, HoldsTheInlineFilters) {
  Person p{.id = "rsp_1", .passport_until = kT0 + 100 * kDay, .max_days = 12};
  p.skills = {{"nurse", 4}, {"driver", 2}};
  p.missions.assign(7, v1::CRISIS_KIND_FLOOD);
  p.missions.push_back(v1::CRISIS_KIND_EPIDEMIC);
  const ResponderCard card = CardFromResponder(ResponderOf(p), CalendarOf(p));
  const Posting nurse = PostingOf(card, FindCode("nurse"));
  EXPECT_EQ(nurse.card, &card);
  EXPECT_EQ(nurse.level, 4);
  EXPECT_EQ(PostingOf(card, FindCode("driver")).level, 2);
  EXPECT_EQ(PostingOf(card, InternCode("midwife")).level, 0);
  EXPECT_EQ(PostingOf(card, kNoCode).level, 0);
  EXPECT_EQ(nurse.passport_valid_until, kT0 + 100 * kDay);
  EXPECT_EQ(nurse.max_days, 12);
  EXPECT_EQ(PostedMissions(nurse, v1::CRISIS_KIND_FLOOD), 5);  // counted up to 5
  EXPECT_EQ(PostedMissions(nurse, v1::CRISIS_KIND_EPIDEMIC), 1);
  EXPECT_EQ(PostedMissions(nurse, v1::CRISIS_KIND_STORM), 0);
  EXPECT_EQ(PostedMissions(nurse, static_cast<v1::CrisisKind>(99)), 0);
  const auto unit = UnitVector(p.lat, p.lon);
  EXPECT_FLOAT_EQ(nurse.x, unit[0]);
  EXPECT_FLOAT_EQ(nurse.y, unit[1]);
  EXPECT_FLOAT_EQ(nurse.z, unit[2]);
  EXPECT_NEAR(unit[0] * unit[0] + unit[1] * unit[1] + unit[2] * unit[2], 1, 1e-15);
  EXPECT_EQ(sizeof(Posting), 40u);
}

// The squared chord SearchPostings computes: float coordinates, exact center.
double Chord2(const Posting& p, double lat, double lon) {
  const auto c = UnitVector(lat, lon);
  const double dx = double{p.x} - c[0];
  const double dy = double{p.y} - c[1];
  const double dz = double{p.z} - c[2];
  return dx * dx + dy * dy + dz * dz;
}

TEST(ChordBoundTest, ALowerBoundOfDistanceKmWithinMetres) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<> unit(0, 1);
  for (int i = 0; i < 200000; ++i) {
    const double lat = -89 + 178 * unit(rng);
    const double lon = -180 + 360 * unit(rng);
    // Mostly near (down to the same place), sometimes far, across the antimeridian too.
    const double spread = i % 4 == 0 ? 6 : (i % 4 == 1 ? 0.3 : (i % 4 == 2 ? 1e-4 : 0));
    const double lat2 = std::clamp(lat + spread * (unit(rng) - 0.5), -90.0, 90.0);
    double lon2 = lon + spread * (unit(rng) - 0.5);
    if (lon2 > 180) lon2 -= 360;
    Person person{.id = "rsp_1", .lat = lat2, .lon = lon2};
    const ResponderCard card = CardFromResponder(ResponderOf(person), CalendarOf(person));
    const Posting posting = PostingOf(card, FindCode("nurse"));
    const double exact = DistanceKm(lat, lon, lat2, lon2);
    const double chord2 = Chord2(posting, lat, lon);
    // As the search rounds the key: a float.
    const double lower = ChordLowerBoundKm(static_cast<float>(chord2));
    ASSERT_LE(lower, exact) << lat << "," << lon << " " << lat2 << "," << lon2;
    ASSERT_GE(lower, exact - 0.01 - exact * 1e-5)
        << lat << "," << lon << " " << lat2 << "," << lon2;
    // Within the radius by DistanceKm: within the chord bound SearchPostings filters on.
    ASSERT_LE(chord2, ChordSquaredOfKm((exact + 0.005) * (1 + 2e-6)));
  }
}

TEST(ChordBoundTest, MonotonicAndInverse) {
  double previous_chord2 = -1;
  double previous_lower = -1e9;
  for (double km = 0; km <= 20000; km += 0.37) {  // up to half the circumference
    const double chord2 = ChordSquaredOfKm(km);
    EXPECT_GE(chord2, previous_chord2) << km;
    const double lower = ChordLowerBoundKm(chord2);
    EXPECT_GE(lower, previous_lower) << km;
    EXPECT_LE(lower, km) << km;
    EXPECT_NEAR(lower, km, 0.006 + km * 2e-6) << km;
    previous_chord2 = chord2;
    previous_lower = lower;
  }
  EXPECT_EQ(ChordSquaredOfKm(-3), 0);
  EXPECT_NEAR(ChordSquaredOfKm(1e9), 4, 1e-12);  // antipodes at most
}

// An independent reading of the rules over every card: all the candidates, ranked.
std::vector<SortKey> RankAll(const std::vector<ResponderCard>& cards, const SearchQuery& q) {
  std::vector<SortKey> out;
  for (const ResponderCard& card : cards) {
    const int level = LevelOf(card, q.skill);
    if (level == 0 || level < q.min_level) continue;
    bool ok = !q.excluded.contains(card.id);
    for (uint16_t l : q.languages) {
      ok &= std::count(card.languages.begin(), card.languages.end(), l) > 0;
    }
    const auto through_end = [&](CodeId code) {
      for (const auto& c : card.certifications) {
        if (c.code == code) return c.valid_until >= q.end;
      }
      return false;
    };
    for (CodeId c : q.certifications) ok &= through_end(c);
    const auto cover = CoversWindow(card.periods, q.start, q.end);
    if (!ok || !cover) continue;
    if (q.abroad) {
      if (card.passport_valid_until < q.end) continue;
      if (int64_t{card.max_deployment_days} * kDay < q.end - q.start) continue;
      for (CodeId c : q.entry_certifications) ok &= through_end(c);
      if (!ok) continue;
      out.push_back(
          {-static_cast<double>(FitScore(level, card.missions[q.mission_kind], *cover)), card.id});
    } else {
      const double d = DistanceKm(q.center_lat, q.center_lon, card.home_lat, card.home_lon);
      if (d <= q.radius_km) out.push_back({d, card.id});
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(SearchPostingsTest, EveryLimitAndStartingPointMatchesTheFullRanking) {
  std::mt19937 rng(20261127);
  const auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<>(lo, hi)(rng); };
  const auto real = [&](double lo, double hi) {
    return std::uniform_real_distribution<>(lo, hi)(rng);
  };
  const std::vector<std::string> skills = {"nurse", "midwife", "logistician", "driver"};
  std::vector<std::pair<double, double>> bases;  // shared home bases: distance ties
  for (int i = 0; i < 200; ++i) bases.emplace_back(real(45.55, 45.95), real(4.6, 5.15));
  constexpr int kResponders = 30000;
  std::vector<ResponderCard> cards;
  cards.reserve(kResponders);
  for (int i = 0; i < kResponders; ++i) {
    Person p{.id = absl::StrFormat("rsp_%06d", (i * 7919) % 1000000)};
    p.skills.clear();
    for (const auto& s : skills) {
      if (uniform(0, 1) == 0) p.skills.emplace_back(s, uniform(1, 5));
    }
    if (p.skills.empty()) p.skills.emplace_back("nurse", uniform(1, 5));
    p.languages =
        uniform(0, 3) == 0 ? std::vector<std::string>{"fr", "en"} : std::vector<std::string>{"fr"};
    if (uniform(0, 2) == 0) {
      p.certifications.emplace_back("yellow-fever-vaccination", kT0 + uniform(0, 60) * kDay);
    }
    if (uniform(0, 2) == 0) {
      std::tie(p.lat, p.lon) = bases[uniform(0, 199)];
    } else if (uniform(0, 19) == 0) {
      p.lat = real(43.3, 49.0);
      p.lon = real(-1.5, 7.0);
    } else {
      p.lat = real(45.55, 45.95);
      p.lon = real(4.6, 5.15);
    }
    if (uniform(0, 4) < 2) p.passport_until = kT0 + uniform(0, 90) * kDay;
    p.max_days = uniform(1, 30);
    for (int m = uniform(0, 3) == 0 ? uniform(1, 9) : 0; m > 0; --m) {
      p.missions.push_back(v1::CrisisKind(uniform(1, 3)));
    }
    p.periods.clear();
    for (int n = uniform(1, 3); n > 0; --n) {
      const int64_t from = kT0 + uniform(0, 40 * 24) * kHour;
      const int kind = uniform(0, 9);
      p.periods.push_back({from, from + uniform(24, 30 * 24) * kHour,
                           kind < 7   ? AVAILABILITY_KIND_AVAILABLE
                           : kind < 9 ? AVAILABILITY_KIND_ON_CALL
                                      : AVAILABILITY_KIND_UNAVAILABLE});
    }
    cards.push_back(CardFromResponder(ResponderOf(p), CalendarOf(p)));
  }
  // Each skill's posting list, as the index keeps it.
  std::map<CodeId, std::vector<Posting>> lists;
  for (const ResponderCard& card : cards) {
    for (const CardSkill& skill : card.skills)
      lists[skill.code].push_back(PostingOf(card, skill.code));
  }
  for (auto& [code, list] : lists) std::sort(list.begin(), list.end(), PostingBefore);

  int compared = 0;
  for (int n = 0; n < 40; ++n) {
    v1::FindRespondersRequest request;
    request.set_skill_code(skills[uniform(0, 3)]);
    request.set_min_level(uniform(0, 3));
    const int64_t start = kT0 + uniform(1, 30 * 24) * kHour;
    *request.mutable_window()->mutable_start() = Ts(start);
    *request.mutable_window()->mutable_end() = Ts(start + uniform(1, 10 * 24) * kHour);
    if (uniform(0, 4) == 0) request.add_languages("en");
    request.set_mission_kind(v1::CrisisKind(uniform(0, 3)));
    if (n % 2 == 1) {
      auto* abroad = request.mutable_abroad();
      if (uniform(0, 3) == 0) abroad->add_entry_certifications("yellow-fever-vaccination");
    } else {
      auto* local = request.mutable_local();
      local->mutable_center()->set_lat(real(45.65, 45.85));
      local->mutable_center()->set_lon(real(4.75, 5.0));
      local->set_radius_km(n % 10 == 0 ? real(100, 500) : real(1, 30));
    }
    SearchQuery query = Query(request);
    const std::vector<SortKey> all = RankAll(cards, query);
    // From the start, from ranked keys (ties included), and from keys between them.
    for (int trial = 0; trial < 12; ++trial) {
      const size_t limit = std::vector<size_t>{1, 5, 20, 40, 200, 1000}[uniform(0, 5)];
      size_t first = 0;
      query.after.reset();
      if (trial > 0 && !all.empty()) {
        const size_t at = static_cast<size_t>(uniform(0, static_cast<int>(all.size()) - 1));
        SortKey after = all[at];
        first = at + 1;
        if (trial % 3 == 0) {
          after.id += "0";  // between all[at] and the next one with another id
        } else if (trial % 3 == 1 && at > 0 && all[at - 1].rank < after.rank) {
          after.id = "rsp_";  // before every id of this rank
          first = at;
        }
        query.after = after;
      }
      const std::vector<Candidate> got = SearchPostings(lists[query.skill], query, limit);
      const size_t expected = std::min(limit, all.size() - std::min(first, all.size()));
      ASSERT_EQ(got.size(), expected) << "query " << n << " trial " << trial;
      for (size_t i = 0; i < got.size(); ++i) {
        ASSERT_EQ(got[i].key, all[first + i]) << "query " << n << " trial " << trial << " #" << i;
      }
      compared += static_cast<int>(got.size());
    }
  }
  EXPECT_GT(compared, 10000);
}

// --- Filters ---

TEST(FilterTest, SkillAndLevel) {
  std::vector<Person> people = {{.id = "rsp_a"}, {.id = "rsp_b"}, {.id = "rsp_c"}};
  people[1].skills = {{"midwife", 5}};
  people[2].skills = {{"midwife", 5}, {"nurse", 1}};
  auto request = LocalRequest();
  EXPECT_EQ(Found(people, request), (Ids{"rsp_a", "rsp_c"}));
  request.set_min_level(2);
  EXPECT_EQ(Found(people, request), (Ids{"rsp_a"}));
  request.set_min_level(3);
  EXPECT_EQ(Found(people, request), (Ids{"rsp_a"}));
  request.set_min_level(4);
  EXPECT_EQ(Found(people, request), (Ids{}));
}

TEST(FilterTest, EveryLanguageAsked) {
  std::vector<Person> people = {{.id = "rsp_a"}, {.id = "rsp_b"}};
  people[1].languages = {"en", "fr", "ar"};
  auto request = LocalRequest();
  request.add_languages("fr");
  EXPECT_EQ(Found(people, request), (Ids{"rsp_a", "rsp_b"}));
  request.add_languages("ar");
  EXPECT_EQ(Found(people, request), (Ids{"rsp_b"}));
  request.add_languages("es");
  EXPECT_EQ(Found(people, request), (Ids{}));
}

TEST(FilterTest, CertificationsValidThroughTheWindowsEnd) {
  const int64_t end = kT0 + 3 * kDay;  // LocalRequest's window end
  std::vector<Person> people = {{.id = "rsp_none"},
                                {.id = "rsp_forever"},
                                {.id = "rsp_until_end"},
                                {.id = "rsp_lapses_before"}};
  people[1].certifications = {{"first-aid-pse2", 0}};
  people[2].certifications = {{"first-aid-pse2", end}};
  people[3].certifications = {{"first-aid-pse2", end - 1}};
  auto request = LocalRequest();
  request.add_certifications("first-aid-pse2");
  EXPECT_EQ(Found(people, request), (Ids{"rsp_forever", "rsp_until_end"}));
  request.add_certifications("driving-licence-b");
  EXPECT_EQ(Found(people, request), (Ids{}));
}

TEST(FilterTest, ExcludedResponders) {
  std::vector<Person> people = {{.id = "rsp_a"}, {.id = "rsp_b"}, {.id = "rsp_c"}};
  auto request = LocalRequest();
  request.add_exclude_responder_ids("rsp_b");
  request.add_exclude_responder_ids("rsp_zzz");
  EXPECT_EQ(Found(people, request), (Ids{"rsp_a", "rsp_c"}));
}

TEST(FilterTest, LocalRadius) {
  std::vector<Person> people = {{.id = "rsp_lyon"}, {.id = "rsp_grenoble"}, {.id = "rsp_paris"}};
  people[1].lat = 45.1885;  // ~95 km from Lyon
  people[1].lon = 5.7245;
  people[2].lat = 48.8566;
  people[2].lon = 2.3522;
  EXPECT_EQ(Found(people, LocalRequest(50)), (Ids{"rsp_lyon"}));
  EXPECT_EQ(Found(people, LocalRequest(100)), (Ids{"rsp_lyon", "rsp_grenoble"}));
  EXPECT_EQ(Found(people, LocalRequest(500)), (Ids{"rsp_lyon", "rsp_grenoble", "rsp_paris"}));
  // Exactly on the circle is in.
  const double d = DistanceKm(45.7640, 4.8357, 45.1885, 5.7245);
  EXPECT_EQ(Found(people, LocalRequest(d)), (Ids{"rsp_lyon", "rsp_grenoble"}));
}

TEST(FilterTest, AvailabilityCoversTheWindow) {
  std::vector<Person> people = {
      {.id = "rsp_free"}, {.id = "rsp_gap"}, {.id = "rsp_off"}, {.id = "rsp_on_call"}};
  const int64_t start = kT0 + kDay;
  const int64_t end = kT0 + 3 * kDay;
  people[1].periods = {{kT0, start + kHour, AVAILABILITY_KIND_AVAILABLE},
                       {start + 2 * kHour, end, AVAILABILITY_KIND_AVAILABLE}};
  people[2].periods.push_back({start + kHour, start + 2 * kHour, AVAILABILITY_KIND_UNAVAILABLE});
  people[3].periods = {{kT0, start + kHour, AVAILABILITY_KIND_AVAILABLE},
                       {start + kHour, end, AVAILABILITY_KIND_ON_CALL}};
  const auto cards = Cards(people);
  const auto found = Search(Pointers(cards), Query(LocalRequest()), 10);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].key.id, "rsp_free");
  EXPECT_EQ(found[0].match.availability(), AVAILABILITY_KIND_AVAILABLE);
  EXPECT_EQ(found[1].key.id, "rsp_on_call");
  EXPECT_EQ(found[1].match.availability(), AVAILABILITY_KIND_ON_CALL);
}

TEST(FilterTest, AbroadNeedsPassportLengthAndEntryCertifications) {
  const int64_t end = kT0 + 3 * kDay;  // a two-day window
  Person ok{.id = "rsp_ok", .passport_until = end, .max_days = 2};
  ok.certifications = {{"yellow-fever-vaccination", 0}};
  Person no_passport = ok;
  no_passport.id = "rsp_no_passport";
  no_passport.passport_until = 0;
  Person passport_lapses = ok;
  passport_lapses.id = "rsp_passport_lapses";
  passport_lapses.passport_until = end - 1;
  Person too_short = ok;
  too_short.id = "rsp_too_short";
  too_short.max_days = 1;
  Person no_vaccine = ok;
  no_vaccine.id = "rsp_no_vaccine";
  no_vaccine.certifications = {{"yellow-fever-vaccination", end - kDay}};
  Person far = ok;  // distance does not matter abroad
  far.id = "rsp_far";
  far.lat = -21.1;
  far.lon = 55.5;
  const std::vector<Person> people = {ok, no_passport, passport_lapses, too_short, no_vaccine, far};
  auto request = AbroadRequest();
  EXPECT_EQ(Found(people, request), (Ids{"rsp_far", "rsp_no_vaccine", "rsp_ok"}));
  request.mutable_abroad()->add_entry_certifications("yellow-fever-vaccination");
  EXPECT_EQ(Found(people, request), (Ids{"rsp_far", "rsp_ok"}));
}

// --- Ranking ---

TEST(RankingTest, LocalNearestFirstThenById) {
  std::vector<Person> people = {{.id = "rsp_d", .lat = 45.80},
                                {.id = "rsp_b", .lat = 45.7640, .lon = 4.8357},
                                {.id = "rsp_c", .lat = 45.70},
                                {.id = "rsp_a", .lat = 45.80}};
  people[2].lon = 4.8357;
  people[0].lon = people[3].lon = 4.8357;
  const auto cards = Cards(people);
  const auto found = Search(Pointers(cards), Query(LocalRequest()), 10);
  Ids ids;
  for (const auto& c : found) ids.push_back(c.key.id);
  EXPECT_EQ(ids, (Ids{"rsp_b", "rsp_a", "rsp_d", "rsp_c"}));  // 45.80 is nearer than 45.70
  EXPECT_EQ(found[0].match.distance_km(), 0);
  EXPECT_EQ(found[0].match.fit(), 0);
  EXPECT_EQ(found[0].match.organisation_id(), "org_1");
  EXPECT_EQ(found[0].match.level(), 3);
}

TEST(RankingTest, AbroadByFitThenById) {
  const int64_t passport = kT0 + 365 * kDay;
  std::vector<Person> people = {
      {.id = "rsp_l3_flood2", .passport_until = passport},
      {.id = "rsp_l4", .passport_until = passport},
      {.id = "rsp_l3_on_call", .passport_until = passport},
      {.id = "rsp_l3_flood2_b", .passport_until = passport},
      {.id = "rsp_l3_epidemic9", .passport_until = passport},
  };
  people[0].missions = {v1::CRISIS_KIND_FLOOD, v1::CRISIS_KIND_FLOOD};
  people[1].skills = {{"nurse", 4}};
  people[2].periods = {{kT0, kT0 + 60 * kDay, AVAILABILITY_KIND_ON_CALL}};
  people[3].missions = {v1::CRISIS_KIND_FLOOD, v1::CRISIS_KIND_EPIDEMIC, v1::CRISIS_KIND_FLOOD};
  people[4].missions.assign(9, v1::CRISIS_KIND_EPIDEMIC);
  auto request = AbroadRequest();
  request.set_mission_kind(v1::CRISIS_KIND_FLOOD);
  const auto cards = Cards(people);
  const auto found = Search(Pointers(cards), Query(request), 10);
  ASSERT_EQ(found.size(), 5u);
  EXPECT_EQ(found[0].key.id, "rsp_l4");
  EXPECT_EQ(found[0].match.fit(), 401);
  EXPECT_EQ(found[1].key.id, "rsp_l3_flood2");
  EXPECT_EQ(found[1].match.fit(), 321);
  EXPECT_EQ(found[1].match.missions_of_kind(), 2);
  EXPECT_EQ(found[2].key.id, "rsp_l3_flood2_b");
  EXPECT_EQ(found[3].key.id, "rsp_l3_epidemic9");
  EXPECT_EQ(found[3].match.missions_of_kind(), 0);
  EXPECT_EQ(found[3].match.fit(), 301);
  EXPECT_EQ(found[4].key.id, "rsp_l3_on_call");
  EXPECT_EQ(found[4].match.fit(), 300);
  EXPECT_NEAR(found[0].match.distance_km(), DistanceKm(45.76, 4.84, kLyonLat, kLyonLon), 1e-9);

  request.set_mission_kind(v1::CRISIS_KIND_EPIDEMIC);
  const auto epidemic = Search(Pointers(cards), Query(request), 10);
  EXPECT_EQ(epidemic[1].key.id, "rsp_l3_epidemic9");
  EXPECT_EQ(epidemic[1].match.fit(), 351);
}

// --- Pages ---

using BookingMap = std::map<std::string, std::vector<BookedRange>>;

// Every page of `request` through FillPage, as the Finder does it.
absl::StatusOr<std::vector<v1::ResponderMatch>> AllPages(const std::vector<ResponderCard>& cards,
                                                         v1::FindRespondersRequest request,
                                                         const BookingMap& booked,
                                                         int* pages = nullptr) {
  const auto pointers = Pointers(cards);
  std::vector<v1::ResponderMatch> all;
  int count = 0;
  do {
    auto query = PrepareQuery(request, TestCatalogue(), kNow);
    if (!query.ok()) return query.status();
    v1::FindRespondersResponse page;
    auto status = FillPage(
        *query,
        [&](const SearchQuery& q, size_t limit) -> absl::StatusOr<std::vector<Candidate>> {
          return Search(pointers, q, limit);
        },
        [&](const std::vector<std::string>& ids)
            -> absl::StatusOr<std::vector<std::vector<BookedRange>>> {
          std::vector<std::vector<BookedRange>> out;
          for (const auto& id : ids) {
            auto it = booked.find(id);
            out.push_back(it == booked.end() ? std::vector<BookedRange>{} : it->second);
          }
          return out;
        },
        &page);
    if (!status.ok()) return status;
    EXPECT_LE(page.matches_size(), query->page_size);
    for (const auto& m : page.matches()) all.push_back(m);
    request.set_page_token(page.next_page_token());
    ++count;
  } while (!request.page_token().empty() && count < 10000);
  if (pages != nullptr) *pages = count;
  return all;
}

Ids IdsOf(const std::vector<v1::ResponderMatch>& matches) {
  Ids ids;
  for (const auto& m : matches) ids.push_back(m.responder_id());
  return ids;
}

std::vector<Person> Crowd(int n) {
  std::vector<Person> people;
  for (int i = 0; i < n; ++i) {
    Person p{.id = absl::StrCat("rsp_", 1000 + i)};
    p.lat = 45.7640 + 0.001 * (i % 7);  // many ties
    p.lon = 4.8357;
    p.passport_until = kT0 + 365 * kDay;
    p.skills = {{"nurse", 1 + i % 5}};
    people.push_back(p);
  }
  return people;
}

TEST(PagingTest, AllPagesEqualTheFullRankedList) {
  const auto cards = Cards(Crowd(37));
  for (bool abroad : {false, true}) {
    auto request = abroad ? AbroadRequest() : LocalRequest();
    Ids full;
    for (const auto& c : Search(Pointers(cards), Query(request), 1000)) full.push_back(c.key.id);
    ASSERT_EQ(full.size(), 37u);
    for (int page_size : {1, 2, 3, 7, 36, 37, 38, 200}) {
      request.set_page_size(page_size);
      int pages = 0;
      auto all = AllPages(cards, request, {}, &pages);
      ASSERT_TRUE(all.ok()) << all.status();
      EXPECT_EQ(IdsOf(*all), full) << "page_size " << page_size;
      // No empty last page: the last one knows no candidate follows.
      EXPECT_EQ(pages, (37 + page_size - 1) / page_size) << "page_size " << page_size;
    }
  }
}

TEST(PagingTest, OverlappingBookingsHideAdjacentOnesDoNot) {
  const auto cards = Cards(Crowd(10));
  const int64_t start = kT0 + kDay;
  const int64_t end = kT0 + 3 * kDay;
  BookingMap booked;
  booked["rsp_1001"] = {{start - kHour, start + kHour}};         // overlaps the start
  booked["rsp_1002"] = {{end - 1, end + kDay}};                  // overlaps the end
  booked["rsp_1003"] = {{start - kDay, start}};                  // ends when the window starts
  booked["rsp_1004"] = {{end, end + kDay}, {kT0, kT0 + kHour}};  // starts when it ends
  booked["rsp_1005"] = {{start + kHour, start + 2 * kHour}};     // inside
  auto request = LocalRequest();
  request.set_page_size(2);
  auto all = AllPages(cards, request, booked);
  ASSERT_TRUE(all.ok()) << all.status();
  Ids ids = IdsOf(*all);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (Ids{"rsp_1000", "rsp_1003", "rsp_1004", "rsp_1006", "rsp_1007", "rsp_1008",
                      "rsp_1009"}));
}

TEST(PagingTest, APageOfBookedCandidatesStillMovesOn) {
  // Everyone booked: each page examines at most kMaxBatchesPerPage batches, then hands a token.
  const auto cards = Cards(Crowd(100));
  BookingMap booked;
  for (const auto& card : cards) booked[card.id] = {{kT0, kT0 + 10 * kDay}};
  auto request = LocalRequest();
  request.set_page_size(1);
  int pages = 0;
  auto all = AllPages(cards, request, booked, &pages);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_TRUE(all->empty());
  EXPECT_EQ(pages, (100 + kMaxBatchesPerPage * kCandidatesPerMatch - 1) /
                       (kMaxBatchesPerPage * kCandidatesPerMatch));
}

TEST(PagingTest, TokenOfAnotherQueryOrForgedIsRefused) {
  const auto cards = Cards(Crowd(5));
  auto request = LocalRequest();
  request.set_page_size(2);
  auto query = Query(request);
  v1::FindRespondersResponse page;
  ASSERT_TRUE(
      FillPage(
          query,
          [&](const SearchQuery& q, size_t limit) -> absl::StatusOr<std::vector<Candidate>> {
            return Search(Pointers(cards), q, limit);
          },
          [&](const std::vector<std::string>& ids)
              -> absl::StatusOr<std::vector<std::vector<BookedRange>>> {
            return std::vector<std::vector<BookedRange>>(ids.size());
          },
          &page)
          .ok());
  ASSERT_FALSE(page.next_page_token().empty());

  // Another page size is the same query.
  auto same = request;
  same.set_page_size(3);
  same.set_page_token(page.next_page_token());
  EXPECT_TRUE(PrepareQuery(same, TestCatalogue(), kNow).ok());

  auto other = request;
  other.set_min_level(2);
  other.set_page_token(page.next_page_token());
  auto refused = PrepareQuery(other, TestCatalogue(), kNow);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(refused.status().message(), "page_token: ")) << refused.status();

  for (const std::string& forged :
       {std::string("garbage!"), std::string("Zm9v"),
        absl::WebSafeBase64Escape("1:0123456789abcdef:rsp_1"),
        absl::WebSafeBase64Escape("2:" + query.digest + ":0000000000000000:rsp_1"),
        EncodePageToken(query.digest, SortKey{0, "not an id!"}),
        EncodePageToken(query.digest, SortKey{std::numeric_limits<double>::infinity(), "rsp_1"}),
        std::string(kMaxPageTokenChars + 1, 'A')}) {
    auto bad = request;
    bad.set_page_token(forged);
    auto status = PrepareQuery(bad, TestCatalogue(), kNow).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << forged;
    EXPECT_TRUE(absl::StartsWith(status.message(), "page_token: ")) << status;
  }
  // A token continues strictly after its key.
  const SortKey key{1.5, "rsp_7"};
  auto decoded = DecodePageToken(EncodePageToken(query.digest, key), query.digest);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, key);
}

// --- Validation ---

TEST(ValidationTest, EveryFieldIsChecked) {
  using Edit = std::function<void(v1::FindRespondersRequest&)>;
  const std::vector<std::pair<std::string, Edit>> cases = {
      {"skill_code: is required", [](auto& r) { r.clear_skill_code(); }},
      {"skill_code: 'astronaut' is not a skill", [](auto& r) { r.set_skill_code("astronaut"); }},
      {"min_level: ", [](auto& r) { r.set_min_level(6); }},
      {"min_level: ", [](auto& r) { r.set_min_level(-1); }},
      {"window: is required", [](auto& r) { r.clear_window(); }},
      {"window.start: is required", [](auto& r) { r.mutable_window()->clear_start(); }},
      {"window.end: is required", [](auto& r) { r.mutable_window()->clear_end(); }},
      {"window.start: ",
       [](auto& r) { r.mutable_window()->mutable_start()->set_seconds(-5'000'000'000); }},
      {"window.end: must be after window.start",
       [](auto& r) { *r.mutable_window()->mutable_end() = r.window().start(); }},
      {"window.end: must be at most 400 days",
       [](auto& r) { *r.mutable_window()->mutable_end() = Ts(kT0 + kDay + 401 * kDay); }},
      {"window.end: the window has already ended",
       [](auto& r) {
         *r.mutable_window()->mutable_start() = Ts(kT0 - 2 * kDay);
         *r.mutable_window()->mutable_end() = Ts(kT0);
       }},
      {"languages[1]: ",
       [](auto& r) {
         r.add_languages("fr");
         r.add_languages("FR");
       }},
      {"languages: ",
       [](auto& r) {
         for (int i = 0; i < 11; ++i) r.add_languages("fr");
       }},
      {"certifications[0]: 'parachute' is not a certification",
       [](auto& r) { r.add_certifications("parachute"); }},
      {"certifications: ",
       [](auto& r) {
         for (int i = 0; i < 11; ++i) r.add_certifications("first-aid-pse2");
       }},
      {"exclude_responder_ids[0]: ", [](auto& r) { r.add_exclude_responder_ids("no spaces"); }},
      {"exclude_responder_ids: ",
       [](auto& r) {
         for (int i = 0; i < 1001; ++i) r.add_exclude_responder_ids(absl::StrCat("rsp_", i));
       }},
      {"mission_kind: ", [](auto& r) { r.set_mission_kind(static_cast<v1::CrisisKind>(99)); }},
      {"mode: ", [](auto& r) { r.clear_mode(); }},
      {"local.center: is required", [](auto& r) { r.mutable_local()->clear_center(); }},
      {"local.center.lat: ", [](auto& r) { r.mutable_local()->mutable_center()->set_lat(91); }},
      {"local.center.lon: ", [](auto& r) { r.mutable_local()->mutable_center()->set_lon(-181); }},
      {"local.center.lat: ",
       [](auto& r) { r.mutable_local()->mutable_center()->set_lat(std::nan("")); }},
      {"local.radius_km: ", [](auto& r) { r.mutable_local()->set_radius_km(0); }},
      {"local.radius_km: ", [](auto& r) { r.mutable_local()->set_radius_km(500.001); }},
      {"abroad.entry_certifications[0]: 'x-ray' is not a certification",
       [](auto& r) { r.mutable_abroad()->add_entry_certifications("x-ray"); }},
      {"abroad.entry_certifications: ",
       [](auto& r) {
         for (int i = 0; i < 11; ++i) {
           r.mutable_abroad()->add_entry_certifications("yellow-fever-vaccination");
         }
       }},
      {"page_size: ", [](auto& r) { r.set_page_size(201); }},
      {"page_size: ", [](auto& r) { r.set_page_size(-1); }},
      {"page_token: at most 1024", [](auto& r) { r.set_page_token(std::string(1025, 'A')); }},
      {"page_token: not a token", [](auto& r) { r.set_page_token("nope"); }},
  };
  for (const auto& [expected, edit] : cases) {
    auto request = LocalRequest();
    edit(request);
    auto status = PrepareQuery(request, TestCatalogue(), kNow).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << expected;
    EXPECT_TRUE(absl::StartsWith(status.message(), expected))
        << "expected '" << expected << "', got: " << status;
  }
}

TEST(ValidationTest, LimitsThatPass) {
  auto request = LocalRequest(500);
  request.set_min_level(5);
  *request.mutable_window()->mutable_start() = Ts(kT0 - kDay);  // started, not ended
  *request.mutable_window()->mutable_end() = Ts(kT0 - kDay + 400 * kDay);
  for (int i = 0; i < 10; ++i) request.add_languages("fr");
  for (int i = 0; i < 1000; ++i) request.add_exclude_responder_ids(absl::StrCat("rsp_", i));
  request.set_page_size(200);
  auto query = PrepareQuery(request, TestCatalogue(), kNow);
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_EQ(query->page_size, 200);
  request.set_page_size(0);
  EXPECT_EQ(PrepareQuery(request, TestCatalogue(), kNow)->page_size, 50);
  auto abroad = AbroadRequest();
  abroad.mutable_abroad()->add_entry_certifications("yellow-fever-vaccination");
  EXPECT_TRUE(PrepareQuery(abroad, TestCatalogue(), kNow).ok());
}

// --- Against a brute force on random data ---

// The naive, independent reading of the rules, straight from the protos.
struct Expected {
  std::string id;
  double rank;
  v1::AvailabilityKind availability;
  int level;
};

std::optional<v1::AvailabilityKind> NaiveCover(const v1::AvailabilityCalendar& calendar,
                                               absl::Time start, absl::Time end) {
  std::vector<absl::Time> points = {start};
  for (const auto& p : calendar.periods()) {
    const absl::Time from = FromProtoTime(p.from());
    const absl::Time until = FromProtoTime(p.until());
    if (p.kind() == AVAILABILITY_KIND_UNAVAILABLE && from < end && until > start) {
      return std::nullopt;
    }
    for (absl::Time t : {from, until}) {
      if (t > start && t < end) points.push_back(t);
    }
  }
  // Between two consecutive points nothing changes: look at each piece's first instant.
  bool needs_on_call = false;
  for (absl::Time t : points) {
    bool available = false;
    bool on_call = false;
    for (const auto& p : calendar.periods()) {
      if (FromProtoTime(p.from()) <= t && t < FromProtoTime(p.until())) {
        available |= p.kind() == AVAILABILITY_KIND_AVAILABLE;
        on_call |= p.kind() == AVAILABILITY_KIND_ON_CALL;
      }
    }
    if (!available && !on_call) return std::nullopt;
    if (!available) needs_on_call = true;
  }
  return needs_on_call ? AVAILABILITY_KIND_ON_CALL : AVAILABILITY_KIND_AVAILABLE;
}

std::vector<Expected> BruteForce(const std::vector<v1::Responder>& responders,
                                 const std::vector<v1::AvailabilityCalendar>& calendars,
                                 const BookingMap& booked, const v1::FindRespondersRequest& q) {
  const absl::Time start = FromProtoTime(q.window().start());
  const absl::Time end = FromProtoTime(q.window().end());
  const auto valid_through_end = [&](const v1::Responder& r, const std::string& code) {
    for (const auto& c : r.certifications()) {
      if (c.code() == code) return !c.has_valid_until() || FromProtoTime(c.valid_until()) >= end;
    }
    return false;
  };
  std::vector<Expected> out;
  for (size_t i = 0; i < responders.size(); ++i) {
    const v1::Responder& r = responders[i];
    int level = 0;
    for (const auto& s : r.skills()) {
      if (s.code() == q.skill_code()) level = s.level();
    }
    if (level == 0 || level < q.min_level()) continue;
    bool ok = true;
    for (const auto& l : q.languages()) {
      ok &= std::count(r.languages().begin(), r.languages().end(), l) > 0;
    }
    for (const auto& c : q.certifications()) ok &= valid_through_end(r, c);
    ok &=
        std::count(q.exclude_responder_ids().begin(), q.exclude_responder_ids().end(), r.id()) == 0;
    if (!ok) continue;
    double rank = 0;
    auto cover = NaiveCover(calendars[i], start, end);
    if (!cover) continue;
    if (q.has_local()) {
      const double d = DistanceKm(q.local().center().lat(), q.local().center().lon(),
                                  r.home_base().lat(), r.home_base().lon());
      if (d > q.local().radius_km()) continue;
      rank = d;
    } else {
      if (!r.travel().has_passport_valid_until() ||
          FromProtoTime(r.travel().passport_valid_until()) < end) {
        continue;
      }
      if (absl::Hours(24) * r.max_deployment_days() < end - start) continue;
      for (const auto& c : q.abroad().entry_certifications()) ok &= valid_through_end(r, c);
      if (!ok) continue;
      int missions = 0;
      for (const auto& m : r.experience()) missions += m.kind() == q.mission_kind();
      rank = -(100.0 * level + 10.0 * std::min(missions, 5) +
               (*cover == AVAILABILITY_KIND_AVAILABLE ? 1 : 0));
    }
    if (auto it = booked.find(r.id()); it != booked.end()) {
      for (const BookedRange& b : it->second) {
        ok &= !(absl::FromUnixNanos(b.start) < end && start < absl::FromUnixNanos(b.end));
      }
    }
    if (!ok) continue;
    out.push_back({r.id(), rank, *cover, level});
  }
  std::sort(out.begin(), out.end(), [](const Expected& a, const Expected& b) {
    return a.rank != b.rank ? a.rank < b.rank : a.id < b.id;
  });
  return out;
}

TEST(BruteForceTest, BothModesAcrossPagesMatchANaiveSearch) {
  std::mt19937 rng(20261126);
  const auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<>(lo, hi)(rng); };
  const auto real = [&](double lo, double hi) {
    return std::uniform_real_distribution<>(lo, hi)(rng);
  };
  const std::vector<std::string> skills = {"nurse", "midwife", "logistician", "driver"};
  const std::vector<std::string> languages = {"fr", "en", "es", "ar", "de"};
  const std::vector<std::string> certs = {"first-aid-pse2", "yellow-fever-vaccination",
                                          "driving-licence-b"};
  // Shared home bases make distance ties, broken by id.
  std::vector<std::pair<double, double>> bases;
  for (int i = 0; i < 40; ++i) bases.emplace_back(real(44.8, 46.7), real(3.6, 6.1));

  constexpr int kResponders = 4000;
  std::vector<v1::Responder> responders;
  std::vector<v1::AvailabilityCalendar> calendars;
  BookingMap booked;
  for (int i = 0; i < kResponders; ++i) {
    Person p{.id = absl::StrFormat("rsp_%05d", (i * 7919) % 100000)};
    p.org = absl::StrCat("org_", uniform(1, 20));
    p.skills.clear();
    for (const auto& s : skills) {
      if (uniform(0, 2) == 0) p.skills.emplace_back(s, uniform(1, 5));
    }
    if (p.skills.empty()) p.skills.emplace_back(skills[uniform(0, 3)], uniform(1, 5));
    p.languages.clear();
    for (const auto& l : languages) {
      if (uniform(0, 2) == 0) p.languages.push_back(l);
    }
    for (const auto& c : certs) {
      const int pick = uniform(0, 3);
      if (pick == 1) p.certifications.emplace_back(c, 0);
      if (pick >= 2) p.certifications.emplace_back(c, kT0 + uniform(0, 60 * 24) * kHour);
    }
    if (uniform(0, 3) == 0) {
      std::tie(p.lat, p.lon) = bases[uniform(0, 39)];
    } else {
      p.lat = real(44.8, 46.7);
      p.lon = real(3.6, 6.1);
    }
    if (uniform(0, 2) > 0) p.passport_until = kT0 + uniform(0, 90) * kDay;
    p.max_days = uniform(1, 30);
    for (int m = uniform(0, 8); m > 0; --m) p.missions.push_back(v1::CrisisKind(uniform(1, 8)));
    p.periods.clear();
    for (int n = uniform(0, 5); n > 0; --n) {
      const int64_t from = kT0 + uniform(-48, 40 * 24) * kHour;
      const int kind = uniform(0, 9);
      p.periods.push_back({from, from + uniform(1, 20 * 24) * kHour,
                           kind < 6   ? AVAILABILITY_KIND_AVAILABLE
                           : kind < 8 ? AVAILABILITY_KIND_ON_CALL
                                      : AVAILABILITY_KIND_UNAVAILABLE});
    }
    if (uniform(0, 4) == 0) {
      const int64_t from = kT0 + uniform(0, 40 * 24) * kHour;
      booked[p.id].push_back({from, from + uniform(1, 10 * 24) * kHour});
    }
    responders.push_back(ResponderOf(p));
    calendars.push_back(CalendarOf(p));
  }
  std::vector<ResponderCard> cards;
  for (int i = 0; i < kResponders; ++i) {
    cards.push_back(CardFromResponder(responders[i], calendars[i]));
  }

  int non_empty = 0;
  for (int n = 0; n < 60; ++n) {
    v1::FindRespondersRequest request;
    request.set_skill_code(skills[uniform(0, 3)]);
    request.set_min_level(uniform(0, 3));
    const int64_t start = kT0 + uniform(0, 30 * 24) * kHour;
    *request.mutable_window()->mutable_start() = Ts(start);
    *request.mutable_window()->mutable_end() = Ts(start + uniform(1, 8 * 24) * kHour);
    for (int l = uniform(0, 2); l > 0; --l) request.add_languages(languages[uniform(0, 1)]);
    if (uniform(0, 3) == 0) request.add_certifications(certs[uniform(0, 2)]);
    for (int e = uniform(0, 20); e > 0; --e) {
      request.add_exclude_responder_ids(responders[uniform(0, kResponders - 1)].id());
    }
    request.set_mission_kind(v1::CrisisKind(uniform(0, 8)));
    if (n % 3 == 2) {
      auto* abroad = request.mutable_abroad();
      if (uniform(0, 2) == 0) abroad->add_entry_certifications(certs[uniform(0, 2)]);
    } else {
      auto* local = request.mutable_local();
      local->mutable_center()->set_lat(real(45.0, 46.5));
      local->mutable_center()->set_lon(real(4.0, 5.7));
      local->set_radius_km(real(5, 150));
    }
    request.set_page_size(uniform(1, 40));

    const auto expected = BruteForce(responders, calendars, booked, request);
    auto all = AllPages(cards, request, booked);
    ASSERT_TRUE(all.ok()) << all.status();
    ASSERT_EQ(all->size(), expected.size()) << request.DebugString();
    for (size_t i = 0; i < expected.size(); ++i) {
      const auto& got = (*all)[i];
      ASSERT_EQ(got.responder_id(), expected[i].id) << "rank " << i << " of query " << n;
      EXPECT_EQ(got.availability(), expected[i].availability) << got.responder_id();
      EXPECT_EQ(got.level(), expected[i].level) << got.responder_id();
      if (request.has_local()) {
        EXPECT_EQ(got.distance_km(), expected[i].rank);
      } else {
        EXPECT_EQ(got.fit(), -expected[i].rank);
      }
    }
    non_empty += expected.empty() ? 0 : 1;
  }
  // The random queries must exercise something.
  EXPECT_GT(non_empty, 30);
}

}  // namespace
}  // namespace relais::inventory
