// The harness itself: a private server that keeps its data across a restart (AOF on).
#include <gtest/gtest.h>

#include "tests/support/redis_server.h"

namespace relais::testing {
namespace {

TEST(RedisHarness, StartsOnAFreePortAndKeepsDataAcrossRestart) {
  auto redis = RedisServer::Start();
  EXPECT_GT(redis->port(), 0);
  EXPECT_EQ(redis->Command({"SET", "k", "v"}), "OK");
  redis->Stop();
  EXPECT_FALSE(redis->running());
  EXPECT_NE(redis->Command({"PING"}), "PONG");
  redis->Restart();
  EXPECT_EQ(redis->Command({"GET", "k"}), "v");
}

}  // namespace
}  // namespace relais::testing
