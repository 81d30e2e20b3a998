#include "services/runtime/ids.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "services/runtime/clock.h"

namespace relais::testing {
namespace {

using ::testing::MatchesRegex;

constexpr char kIdPattern[] = "crs_[0-9A-HJKMNP-TV-Z]{26}";

TEST(EncodeUlid, UsesCrockfordBase32WithTimeFirst) {
  EXPECT_EQ(EncodeUlid(0, 0, 0), std::string(26, '0'));
  // The time example of the ULID specification.
  EXPECT_EQ(EncodeUlid(1469918176385, 0, 0).substr(0, 10), "01ARYZ6S41");
  // 48 bits of time then 80 bits of randomness fill 128 of the 130 bits: the top two are 0.
  EXPECT_EQ(EncodeUlid((uint64_t{1} << 48) - 1, 0xFFFF, ~uint64_t{0}),
            "7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
  // The last character holds the lowest 5 random bits; the 16 high bits start at character 10.
  EXPECT_EQ(EncodeUlid(0, 0, 31).substr(10), "000000000000000Z");
  EXPECT_EQ(EncodeUlid(0, 0x8000, 0).substr(10), "G000000000000000");
  EXPECT_EQ(EncodeUlid(0, 1, 0).substr(10), "000G000000000000");
}

TEST(RandomIdGenerator, MakesPrefixedUlids) {
  FakeClock clock;
  RandomIdGenerator ids(clock);
  const std::string id = ids.NewId("crs");
  EXPECT_THAT(id, MatchesRegex(kIdPattern));
  const uint64_t ms = static_cast<uint64_t>(absl::ToUnixMillis(clock.Now()));
  EXPECT_EQ(id.substr(4, 10), EncodeUlid(ms, 0, 0).substr(0, 10));
  EXPECT_THAT(ids.NewId("need"), MatchesRegex("need_[0-9A-HJKMNP-TV-Z]{26}"));
}

TEST(RandomIdGenerator, IdsSortByCreationAcrossMilliseconds) {
  FakeClock clock;
  RandomIdGenerator ids(clock);
  std::vector<std::string> made;
  for (int i = 0; i < 50; ++i) {
    made.push_back(ids.NewId("crs"));
    clock.Advance(absl::Milliseconds(1 + i % 3));
  }
  EXPECT_TRUE(std::is_sorted(made.begin(), made.end()));
  EXPECT_EQ(std::set<std::string>(made.begin(), made.end()).size(), made.size());
}

TEST(RandomIdGenerator, IdsSortByCreationWithinOneMillisecond) {
  FakeClock clock;
  RandomIdGenerator ids(clock);
  std::vector<std::string> made;
  for (int i = 0; i < 1000; ++i) made.push_back(ids.NewId("crs"));
  EXPECT_TRUE(std::is_sorted(made.begin(), made.end()));
  EXPECT_EQ(std::set<std::string>(made.begin(), made.end()).size(), made.size());
  // Same time part throughout.
  for (const std::string& id : made) EXPECT_EQ(id.substr(0, 14), made.front().substr(0, 14));
}

TEST(RandomIdGenerator, KeepsOrderWhenTheClockStepsBack) {
  FakeClock clock;
  RandomIdGenerator ids(clock);
  const std::string before = ids.NewId("crs");
  clock.Advance(-absl::Seconds(5));
  const std::string after = ids.NewId("crs");
  EXPECT_LT(before, after);
}

TEST(RandomIdGenerator, TwoGeneratorsAtTheSameTimeDiffer) {
  FakeClock clock;
  RandomIdGenerator a(clock);
  RandomIdGenerator b(clock);
  const std::string from_a = a.NewId("crs");
  const std::string from_b = b.NewId("crs");
  EXPECT_EQ(from_a.substr(0, 14), from_b.substr(0, 14));
  EXPECT_NE(from_a, from_b);
}

TEST(RandomIdGenerator, IsSafeToShareBetweenThreads) {
  FakeClock clock;
  RandomIdGenerator ids(clock);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 2000;
  std::vector<std::vector<std::string>> made(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) made[t].push_back(ids.NewId("crs"));
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> all;
  for (const auto& mine : made) {
    EXPECT_TRUE(std::is_sorted(mine.begin(), mine.end()));
    all.insert(mine.begin(), mine.end());
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kPerThread));
}

TEST(SequentialIdGenerator, CountsPerPrefix) {
  SequentialIdGenerator ids;
  EXPECT_EQ(ids.NewId("crs"), "crs_000001");
  EXPECT_EQ(ids.NewId("crs"), "crs_000002");
  EXPECT_EQ(ids.NewId("need"), "need_000001");
  EXPECT_EQ(ids.NewId("crs"), "crs_000003");
}

TEST(SequentialIdGenerator, IsSafeToShareBetweenThreads) {
  SequentialIdGenerator ids;
  std::vector<std::thread> threads;
  std::vector<std::vector<std::string>> made(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) made[t].push_back(ids.NewId("need"));
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> all;
  for (const auto& mine : made) all.insert(mine.begin(), mine.end());
  EXPECT_EQ(all.size(), 2000u);
  EXPECT_EQ(*all.rbegin(), "need_002000");
}

}  // namespace
}  // namespace relais::testing
