// EventLog reading back what Committer appended, against a real redis-server.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/runtime/clock.h"
#include "services/runtime/redis/committer.h"
#include "services/runtime/redis/event_log.h"
#include "tests/support/redis_server.h"

namespace relais {
namespace {

using ::relais::testing::RedisServer;
using ::testing::HasSubstr;

class EventLogTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = RedisServer::Start().release(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    server_->FlushAll();
    RedisOptions options;
    options.host = server_->host();
    options.port = server_->port();
    options.command_timeout = absl::Seconds(2);
    redis_ = std::make_unique<RedisClient>(options, clock_);
    committer_ = std::make_unique<Committer>(*redis_, CommitOptions{});
    ASSERT_TRUE(committer_->LoadFunctions().ok());
    log_ = std::make_unique<EventLog>(*redis_);
  }

  // One crisis declared per call, each with its own event.
  std::string Declare(int n) {
    CommitRequest request;
    const std::string id = absl::StrCat("c-", n);
    request.idem = {"crisis", "coord-lyon-1", "DeclareCrisis", absl::StrCat("r-", n), "fp"};
    request.writes.push_back({"crisis:c:" + id, 0, "bytes"});
    request.event.set_type(relais::v1::EVENT_TYPE_CRISIS_DECLARED);
    request.event.mutable_time()->set_seconds(1'780'000'000 + n);
    request.event.set_service("crisis_registry");
    request.event.set_request_id(absl::StrCat("r-", n));
    request.event.set_crisis_id(id);
    request.event.set_subject_id(id);
    request.event.set_subject_version(1);
    request.event.set_cursor("writer-must-not-set-this");
    request.outcome.set_subject_id(id);
    auto result = committer_->Commit(request);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? result->event_cursor : "";
  }

  static RedisServer* server_;
  FakeClock clock_;
  std::unique_ptr<RedisClient> redis_;
  std::unique_ptr<Committer> committer_;
  std::unique_ptr<EventLog> log_;
};

RedisServer* EventLogTest::server_ = nullptr;

TEST_F(EventLogTest, ReadsEventsInOrderWithTheirCursors) {
  const std::string c1 = Declare(1);
  const std::string c2 = Declare(2);
  const std::string c3 = Declare(3);

  auto all = log_->ReadAfter("", 10);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].cursor(), c1);
  EXPECT_EQ((*all)[1].cursor(), c2);
  EXPECT_EQ((*all)[2].cursor(), c3);
  EXPECT_EQ((*all)[0].crisis_id(), "c-1");
  EXPECT_EQ((*all)[2].type(), relais::v1::EVENT_TYPE_CRISIS_DECLARED);
  EXPECT_EQ((*all)[2].time().seconds(), 1'780'000'003);
  EXPECT_EQ((*all)[2].request_id(), "r-3");

  // Strictly after the cursor, at most max_count.
  auto after_first = log_->ReadAfter(c1, 10);
  ASSERT_TRUE(after_first.ok());
  ASSERT_EQ(after_first->size(), 2u);
  EXPECT_EQ((*after_first)[0].crisis_id(), "c-2");
  auto one = log_->ReadAfter(c1, 1);
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].cursor(), c2);
  auto none = log_->ReadAfter(c3, 10);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  auto length = log_->Length();
  ASSERT_TRUE(length.ok());
  EXPECT_EQ(*length, 3);
}

TEST_F(EventLogTest, EmptyLogReadsNothing) {
  auto events = log_->ReadAfter("", 10);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_TRUE(events->empty());
  EXPECT_EQ(*log_->Length(), 0);
  // A cursor in the future is fine too: nothing after it yet.
  EXPECT_TRUE(log_->ReadAfter("99999999999999-0", 10)->empty());
}

TEST_F(EventLogTest, CorruptEntryIsInternalNotSkipped) {
  Declare(1);
  ASSERT_NE(server_->Command({"XADD", "relais:events", "*", "t", "100", "c", "c-x", "e",
                              std::string("\x0a\x05"
                                          "ab",
                                          4)}),
            "");
  Declare(2);
  auto events = log_->ReadAfter("", 10);
  EXPECT_EQ(events.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(events.status().message()), HasSubstr("unreadable entry"));

  server_->FlushAll();
  server_->Command({"XADD", "relais:events", "*", "t", "100"});  // no payload at all
  EXPECT_EQ(log_->ReadAfter("", 10).status().code(), absl::StatusCode::kInternal);
}

TEST_F(EventLogTest, BadArgumentsAreInvalidArgument) {
  Declare(1);
  for (const std::string cursor :
       {"abc", "1-2-3", "-1", "1-", "(1-0", "1-0 +", "18446744073709551615-18446744073709551615"}) {
    EXPECT_EQ(log_->ReadAfter(cursor, 10).status().code(), absl::StatusCode::kInvalidArgument)
        << cursor;
  }
  EXPECT_EQ(log_->ReadAfter("", 0).status().code(), absl::StatusCode::kInvalidArgument);
  // A bare millisecond cursor is a valid stream id.
  EXPECT_TRUE(log_->ReadAfter("0", 10).ok());
}

TEST_F(EventLogTest, LogIsCappedByMaxLen) {
  CommitOptions options;
  options.event_log_max_len = 10;
  Committer small(*redis_, options);
  for (int n = 0; n < 250; ++n) {
    CommitRequest request;
    request.idem = {"crisis", "coord-lyon-1", "Update", absl::StrCat("r-", n), "fp"};
    request.event.set_type(relais::v1::EVENT_TYPE_CRISIS_UPDATED);
    request.event.set_subject_version(n);
    ASSERT_TRUE(small.Commit(request).ok());
  }
  // MAXLEN ~ trims whole stream nodes (100 entries each): approximate, but bounded.
  auto length = log_->Length();
  ASSERT_TRUE(length.ok());
  EXPECT_LT(*length, 250);
  auto events = log_->ReadAfter("", 1000);
  ASSERT_TRUE(events.ok());
  ASSERT_FALSE(events->empty());
  EXPECT_EQ(events->back().subject_version(), 249);
}

}  // namespace
}  // namespace relais
