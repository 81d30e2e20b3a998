// FindResponders against a real redis-server: responders, organisations and calendars written by
// the Registry (as the service does), the index loaded from Redis and kept current from the event
// log, bookings read by RedisLedger from inv:bk:<responder>. Time comes from a FakeClock; no
// sleeps.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/inventory/finder.h"
#include "services/inventory/redis_inventory_store.h"
#include "services/inventory/redis_ledger.h"
#include "services/inventory/registry.h"
#include "services/inventory/responder_index.h"
#include "services/runtime/catalogue.h"
#include "services/runtime/clock.h"
#include "services/runtime/ids.h"
#include "services/runtime/proto_time.h"
#include "services/runtime/redis/committer.h"
#include "services/runtime/redis/redis_client.h"
#include "tests/support/redis_server.h"

namespace relais::inventory {
namespace {

namespace v1 = ::relais::v1;
using ::relais::testing::RedisServer;

// Places around Lyon.
struct Place {
  double lat;
  double lon;
};
constexpr Place kBellecour{45.7578, 4.8320};
constexpr Place kVilleurbanne{45.7719, 4.8902};  // ~5 km
constexpr Place kVienne{45.5253, 4.8745};        // ~26 km
constexpr Place kGrenoble{45.1885, 5.7245};      // ~95 km

class FindRespondersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_ = RedisServer::Start();
    RedisOptions options;
    options.port = redis_->port();
    client_ = std::make_unique<RedisClient>(options, clock_);
    committer_ = std::make_unique<Committer>(*client_, CommitOptions{});
    ASSERT_TRUE(committer_->LoadFunctions().ok());
    auto catalogue = Catalogue::LoadFile(RELAIS_SOURCE_DIR "/deploy/catalogue.textproto");
    ASSERT_TRUE(catalogue.ok()) << catalogue.status();
    catalogue_ = std::make_unique<Catalogue>(*std::move(catalogue));
    store_ = std::make_unique<RedisInventoryStore>(*client_, *committer_);
    registry_ = std::make_unique<Registry>(*store_, *catalogue_, clock_, ids_);
    ledger_ = std::make_unique<RedisLedger>(*client_, *committer_);
    index_ = std::make_unique<ResponderIndex>(*client_);
    finder_ = std::make_unique<Finder>(*index_, *ledger_, *catalogue_, clock_);

    v1::RegisterOrganisationRequest org_request;
    org_request.set_request_id("org-1");
    auto& org = *org_request.mutable_organisation();
    org.set_name("Croix-Rouge française - Rhône");
    org.set_kind(v1::ORGANISATION_KIND_NGO);
    org.add_domains(v1::DOMAIN_HUMANITARIAN_HEALTH);
    org.set_commune("Lyon");
    org.mutable_location()->set_lat(45.75);
    org.mutable_location()->set_lon(4.85);
    v1::Organisation saved;
    ASSERT_TRUE(registry_->RegisterOrganisation(Osi(), org_request, &saved).ok());
    org_id_ = saved.id();
  }

  Principal Osi() const {
    return Principal{.id = "osi-1", .role = Role::kOsiAdmin, .organisation_id = org_id_};
  }

  // A nurse (level 3, French) at `place`, with a passport for a year when `passport`.
  std::string Register(const std::string& request_id, Place place, bool passport = true,
                       const std::string& skill = "nurse", int level = 3) {
    v1::RegisterResponderRequest request;
    request.set_request_id(request_id);
    auto& r = *request.mutable_responder();
    r.set_display_name("Infirmière de garde " + request_id);
    auto* s = r.add_skills();
    s->set_code(skill);
    s->set_level(level);
    r.add_languages("fr");
    r.mutable_home_base()->set_lat(place.lat);
    r.mutable_home_base()->set_lon(place.lon);
    r.set_home_commune("Lyon");
    r.set_max_deployment_days(30);
    if (passport) {
      *r.mutable_travel()->mutable_passport_valid_until() =
          ToProtoTime(clock_.Now() + absl::Hours(24 * 365));
      r.mutable_travel()->set_passport_country("FR");
    }
    auto* contact = r.add_contacts();
    contact->set_kind(v1::CONTACT_KIND_SMS);
    contact->set_address("+33600000000");
    v1::Responder out;
    auto status = registry_->RegisterResponder(Osi(), request, &out);
    EXPECT_TRUE(status.ok()) << status;
    return out.id();
  }

  // An AVAILABLE (or other kind) period of `days` days from now.
  void SetAvailable(const std::string& responder_id, const std::string& request_id,
                    v1::AvailabilityKind kind = v1::AVAILABILITY_KIND_AVAILABLE, int days = 30) {
    v1::SetAvailabilityRequest request;
    request.set_request_id(request_id);
    request.set_responder_id(responder_id);
    request.mutable_period()->set_kind(kind);
    *request.mutable_period()->mutable_from() = ToProtoTime(clock_.Now());
    *request.mutable_period()->mutable_until() = ToProtoTime(clock_.Now() + absl::Hours(24 * days));
    v1::AvailabilityCalendar out;
    auto status = registry_->SetAvailability(Osi(), request, &out);
    EXPECT_TRUE(status.ok()) << status;
  }

  std::string RegisterAvailable(const std::string& name, Place place, bool passport = true) {
    const std::string id = Register("r-" + name, place, passport);
    SetAvailable(id, "a-" + name);
    return id;
  }

  absl::Time WindowStart() const { return clock_.Now() + absl::Hours(24); }
  absl::Time WindowEnd() const { return clock_.Now() + absl::Hours(72); }

  v1::FindRespondersRequest Local(double radius_km = 50) const {
    v1::FindRespondersRequest request;
    request.set_skill_code("nurse");
    *request.mutable_window()->mutable_start() = ToProtoTime(WindowStart());
    *request.mutable_window()->mutable_end() = ToProtoTime(WindowEnd());
    request.mutable_local()->mutable_center()->set_lat(kBellecour.lat);
    request.mutable_local()->mutable_center()->set_lon(kBellecour.lon);
    request.mutable_local()->set_radius_km(radius_km);
    return request;
  }

  v1::FindRespondersRequest Abroad() const {
    v1::FindRespondersRequest request = Local();
    request.mutable_abroad();
    return request;
  }

  absl::StatusOr<v1::FindRespondersResponse> Find(const v1::FindRespondersRequest& request) {
    v1::FindRespondersResponse response;
    auto status = finder_->FindResponders(Osi(), request, &response);
    if (!status.ok()) return status;
    return response;
  }

  // Every page's ids.
  std::vector<std::string> FindAll(v1::FindRespondersRequest request) {
    std::vector<std::string> ids;
    for (int pages = 0; pages < 100; ++pages) {
      auto page = Find(request);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (const auto& m : page->matches()) ids.push_back(m.responder_id());
      if (page->next_page_token().empty()) break;
      request.set_page_token(page->next_page_token());
    }
    return ids;
  }

  // A live booking as ledger.h lays it out (member "<end ms>:<hold id>", score the start in ms),
  // written directly: placing real holds is the holds tests' business; here only what the search
  // reads matters.
  void Book(const std::string& responder_id, const std::string& hold_id, absl::Time start,
            absl::Time end) {
    redis_->Command({"ZADD", "inv:bk:" + responder_id, absl::StrCat(absl::ToUnixMillis(start)),
                     absl::StrCat(absl::ToUnixMillis(end), ":", hold_id)});
  }

  FakeClock clock_;
  SequentialIdGenerator ids_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<RedisClient> client_;
  std::unique_ptr<Committer> committer_;
  std::unique_ptr<Catalogue> catalogue_;
  std::unique_ptr<RedisInventoryStore> store_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<RedisLedger> ledger_;
  std::unique_ptr<ResponderIndex> index_;
  std::unique_ptr<Finder> finder_;
  std::string org_id_;
};

using Ids = std::vector<std::string>;

TEST_F(FindRespondersTest, FindsRespondersNearAPlaceAndDeployableFromLyon) {
  const std::string vienne = RegisterAvailable("vienne", kVienne);
  const std::string bellecour = RegisterAvailable("bellecour", kBellecour, /*passport=*/false);
  const std::string villeurbanne = RegisterAvailable("villeurbanne", kVilleurbanne);
  const std::string grenoble = RegisterAvailable("grenoble", kGrenoble);
  Register("r-no-calendar", kBellecour);  // no period: never found
  const std::string midwife = Register("r-midwife", kBellecour, true, "midwife");
  SetAvailable(midwife, "a-midwife");
  ASSERT_TRUE(finder_->Start().ok());

  auto local = Find(Local(50));
  ASSERT_TRUE(local.ok()) << local.status();
  ASSERT_EQ(local->matches_size(), 3);
  EXPECT_EQ(local->matches(0).responder_id(), bellecour);
  EXPECT_EQ(local->matches(1).responder_id(), villeurbanne);
  EXPECT_EQ(local->matches(2).responder_id(), vienne);
  EXPECT_EQ(local->matches(0).organisation_id(), org_id_);
  EXPECT_EQ(local->matches(0).level(), 3);
  EXPECT_EQ(local->matches(0).availability(), v1::AVAILABILITY_KIND_AVAILABLE);
  EXPECT_NEAR(local->matches(1).distance_km(), 4.9, 0.5);
  EXPECT_TRUE(local->next_page_token().empty());

  // Abroad: the passport matters, distance does not (all have the same fit: by id).
  auto abroad = Find(Abroad());
  ASSERT_TRUE(abroad.ok()) << abroad.status();
  Ids ids;
  for (const auto& m : abroad->matches()) ids.push_back(m.responder_id());
  Ids expected = {vienne, villeurbanne, grenoble};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(ids, expected);
  EXPECT_EQ(abroad->matches(0).fit(), 301);
  EXPECT_NEAR(abroad->matches(0).distance_km(),
              DistanceKm(kVienne.lat, kVienne.lon, kLyonLat, kLyonLon), 1e-6);

  // Pages of one.
  auto paged = Local(500);
  paged.set_page_size(1);
  EXPECT_EQ(FindAll(paged), (Ids{bellecour, villeurbanne, vienne, grenoble}));
}

TEST_F(FindRespondersTest, AnOverlappingBookingHidesAResponderAnAdjacentOneDoesNot) {
  const std::string a = RegisterAvailable("a", kBellecour);
  const std::string b = RegisterAvailable("b", kVilleurbanne);
  const std::string c = RegisterAvailable("c", kVienne);
  Book(a, "hld_1", WindowStart() - absl::Hours(24), WindowStart());  // ends as the window starts
  Book(a, "hld_2", WindowEnd(), WindowEnd() + absl::Hours(24));      // starts as it ends
  Book(b, "hld_3", WindowEnd() - absl::Hours(1), WindowEnd() + absl::Hours(1));
  EXPECT_EQ(FindAll(Local()), (Ids{a, c}));
  // Paging around the hidden one.
  auto paged = Local();
  paged.set_page_size(1);
  EXPECT_EQ(FindAll(paged), (Ids{a, c}));
}

TEST_F(FindRespondersTest, TheNextSearchSeesEveryChange) {
  const std::string moving = RegisterAvailable("moving", kVilleurbanne);
  const std::string leaving = RegisterAvailable("leaving", kVienne);
  const std::string later = Register("r-later", kBellecour);  // no calendar yet
  ASSERT_TRUE(index_->Load().ok());
  EXPECT_EQ(FindAll(Local()), (Ids{moving, leaving}));
  const std::string cursor = index_->cursor();

  // Update: moves away.
  v1::UpdateResponderRequest update;
  update.set_request_id("u-moving");
  update.set_responder_id(moving);
  update.mutable_responder()->mutable_home_base()->set_lat(kGrenoble.lat);
  update.mutable_responder()->mutable_home_base()->set_lon(kGrenoble.lon);
  update.mutable_update_mask()->add_paths("home_base");
  v1::Responder updated;
  ASSERT_TRUE(registry_->UpdateResponder(Osi(), update, &updated).ok());
  EXPECT_EQ(FindAll(Local()), (Ids{leaving}));

  // Removal.
  v1::RemoveResponderRequest remove;
  remove.set_request_id("x-leaving");
  remove.set_responder_id(leaving);
  v1::RemoveResponderResponse removed;
  ASSERT_TRUE(registry_->RemoveResponder(Osi(), remove, &removed).ok());
  EXPECT_EQ(FindAll(Local()), (Ids{}));

  // New availability, then an UNAVAILABLE period over it.
  SetAvailable(later, "a-later");
  EXPECT_EQ(FindAll(Local()), (Ids{later}));
  SetAvailable(later, "a-later-off", v1::AVAILABILITY_KIND_UNAVAILABLE, 2);
  EXPECT_EQ(FindAll(Local()), (Ids{}));

  // A new responder.
  const std::string fresh = RegisterAvailable("fresh", kVienne);
  EXPECT_EQ(FindAll(Local()), (Ids{fresh}));
  EXPECT_EQ(FindAll(Local(500)), (Ids{fresh, moving}));

  // All of it by catching up, not by reloading.
  EXPECT_EQ(index_->full_loads(), 1);
  EXPECT_NE(index_->cursor(), cursor);
  EXPECT_EQ(index_->size(), 3u);

  // A fresh index loads the same from Redis.
  ResponderIndex other(*client_);
  ASSERT_TRUE(other.Load().ok());
  EXPECT_EQ(other.size(), 3u);
  EXPECT_EQ(other.cursor(), index_->cursor());
  Finder other_finder(other, *ledger_, *catalogue_, clock_);
  v1::FindRespondersResponse response;
  ASSERT_TRUE(other_finder.FindResponders(Osi(), Local(500), &response).ok());
  ASSERT_EQ(response.matches_size(), 2);
  EXPECT_EQ(response.matches(0).responder_id(), fresh);
  EXPECT_EQ(response.matches(1).responder_id(), moving);
}

TEST_F(FindRespondersTest, CatchingUpKeepsTheSkillListsAsAFreshLoadBuildsThem) {
  // Skills gained, lost and re-levelled, moves, removals and new responders, over more events
  // than one XRANGE reads: the caught-up index answers exactly as one loaded afresh (abroad ties
  // are broken by id, which the lists' order serves).
  std::vector<std::string> ids;
  for (int i = 0; i < 40; ++i) {
    ids.push_back(RegisterAvailable(absl::StrCat("s", i), Place{45.70 + 0.002 * (i % 9), 4.83}));
  }
  ASSERT_TRUE(index_->Load().ok());
  const std::string cursor = index_->cursor();
  // New ones first (their ids come after every earlier one), so that the skills gained below are
  // inserted before them: more than ResponderIndex::kEventBatch events in all.
  for (int i = 0; i < ResponderIndex::kEventBatch / 2 + 10; ++i) {
    const std::string id =
        Register(absl::StrCat("r-late", i), Place{45.70 + 0.002 * (i % 11), 4.84}, true,
                 i % 3 == 0 ? "midwife" : "nurse", 1 + i % 5);
    SetAvailable(id, absl::StrCat("a-late", i),
                 i % 4 == 0 ? v1::AVAILABILITY_KIND_ON_CALL : v1::AVAILABILITY_KIND_AVAILABLE);
  }

  for (int i = 0; i < 40; i += 3) {
    v1::UpdateResponderRequest update;
    update.set_request_id(absl::StrCat("u-skills-", i));
    update.set_responder_id(ids[i]);
    auto* skill = update.mutable_responder()->add_skills();
    skill->set_code(i % 2 == 0 ? "midwife" : "nurse");  // loses nurse, or changes its level
    skill->set_level(1 + i % 5);
    if (i % 4 == 0) {
      auto* second = update.mutable_responder()->add_skills();
      second->set_code("nurse");
      second->set_level(5);
    }
    update.mutable_update_mask()->add_paths("skills");
    v1::Responder updated;
    ASSERT_TRUE(registry_->UpdateResponder(Osi(), update, &updated).ok()) << i;
  }
  for (int i = 1; i < 40; i += 7) {
    v1::RemoveResponderRequest remove;
    remove.set_request_id(absl::StrCat("x-", i));
    remove.set_responder_id(ids[i]);
    v1::RemoveResponderResponse removed;
    ASSERT_TRUE(registry_->RemoveResponder(Osi(), remove, &removed).ok()) << i;
  }
  ResponderIndex fresh(*client_);
  ASSERT_TRUE(fresh.Load().ok());
  Finder fresh_finder(fresh, *ledger_, *catalogue_, clock_);
  for (const std::string skill : {"nurse", "midwife"}) {
    for (bool abroad : {false, true}) {
      for (int min_level : {0, 3}) {
        auto request = abroad ? Abroad() : Local(20);
        request.set_skill_code(skill);
        request.set_min_level(min_level);
        request.set_page_size(7);
        const Ids caught_up = FindAll(request);  // the first call catches up
        Ids loaded;
        for (int pages = 0; pages < 100; ++pages) {
          v1::FindRespondersResponse page;
          ASSERT_TRUE(fresh_finder.FindResponders(Osi(), request, &page).ok());
          for (const auto& m : page.matches()) loaded.push_back(m.responder_id());
          if (page.next_page_token().empty()) break;
          request.set_page_token(page.next_page_token());
        }
        EXPECT_FALSE(loaded.empty()) << skill << " " << abroad << " " << min_level;
        EXPECT_EQ(caught_up, loaded) << skill << " " << abroad << " " << min_level;
      }
    }
  }
  EXPECT_EQ(index_->full_loads(), 1);
  EXPECT_NE(index_->cursor(), cursor);
  EXPECT_EQ(index_->size(), fresh.size());
}

TEST_F(FindRespondersTest, TheFirstSearchLoadsTheIndex) {
  const std::string a = RegisterAvailable("a", kBellecour);
  EXPECT_EQ(index_->full_loads(), 0);
  EXPECT_EQ(FindAll(Local()), (Ids{a}));
  EXPECT_EQ(index_->full_loads(), 1);
}

TEST_F(FindRespondersTest, ACursorTrimmedFromTheLogReloadsEverything) {
  const std::string a = RegisterAvailable("a", kBellecour);
  ASSERT_TRUE(index_->Load().ok());
  const std::string b = RegisterAvailable("b", kVilleurbanne);
  const std::string c = RegisterAvailable("c", kVienne);
  // Keep only the newest entry: the registrations of b and c are gone from the log.
  redis_->Command({"XTRIM", "relais:events", "MAXLEN", "1"});
  EXPECT_EQ(FindAll(Local()), (Ids{a, b, c}));
  EXPECT_EQ(index_->full_loads(), 2);
  // And catching up works again from the new position.
  const std::string d = RegisterAvailable("d", kGrenoble);
  EXPECT_EQ(FindAll(Local(500)), (Ids{a, b, c, d}));
  EXPECT_EQ(index_->full_loads(), 2);
}

TEST_F(FindRespondersTest, ManyRespondersLoadInBatchesAndPage) {
  // More than one SCAN step and one read pipeline.
  constexpr int kCount = 1200;
  for (int i = 0; i < kCount; ++i) {
    RegisterAvailable(absl::StrCat("n", i), Place{45.7 + 0.0001 * (i % 50), 4.83});
  }
  ASSERT_TRUE(index_->Load().ok());
  EXPECT_EQ(index_->size(), static_cast<size_t>(kCount));
  auto request = Local(100);
  request.set_page_size(200);
  const Ids all = FindAll(request);
  EXPECT_EQ(all.size(), static_cast<size_t>(kCount));
  const std::set<std::string> distinct(all.begin(), all.end());
  EXPECT_EQ(distinct.size(), all.size());
}

TEST_F(FindRespondersTest, EachCallerFindsWhatItWroteWhileOthersSearch) {
  ASSERT_TRUE(index_->Load().ok());
  constexpr int kThreads = 4;
  constexpr int kRounds = 15;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      for (int round = 0; round < kRounds; ++round) {
        const std::string id = RegisterAvailable(absl::StrCat("t", t, "-", round), kVienne);
        const Ids found = FindAll(Local(500));
        EXPECT_TRUE(std::find(found.begin(), found.end(), id) != found.end()) << id;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(index_->size(), static_cast<size_t>(kThreads * kRounds));
  EXPECT_EQ(index_->full_loads(), 1);
}

TEST_F(FindRespondersTest, BadRequestsNameTheField) {
  auto request = Local();
  request.mutable_local()->set_radius_km(501);
  auto status = Find(request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(status.message(), "local.radius_km: ")) << status;
  request = Local();
  request.set_page_token("bm90IG1pbmU");
  status = Find(request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(status.message(), "page_token: ")) << status;
}

TEST_F(FindRespondersTest, RedisDownIsUnavailable) {
  RegisterAvailable("a", kBellecour);
  ASSERT_TRUE(index_->Load().ok());
  redis_->Stop();
  auto status = Find(Local()).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  ResponderIndex cold(*client_);
  EXPECT_EQ(cold.Load().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace relais::inventory
