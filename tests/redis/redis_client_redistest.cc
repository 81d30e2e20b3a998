// RedisClient against a real redis-server: replies, binary safety, pool bound under concurrency,
// outages with back-off on a fake clock, timeouts and AUTH.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "services/runtime/clock.h"
#include "services/runtime/redis/redis_client.h"
#include "tests/support/redis_server.h"

namespace relais {
namespace {

using ::relais::testing::RedisServer;
using ::testing::HasSubstr;

class CountingObserver : public RedisObserver {
 public:
  void OnCommandError(std::string_view kind) override {
    absl::MutexLock lock(&mu_);
    errors_.emplace_back(kind);
  }
  void OnReconnect() override { ++reconnects_; }

  std::vector<std::string> errors() {
    absl::MutexLock lock(&mu_);
    return errors_;
  }
  int reconnects() const { return reconnects_.load(); }

 private:
  absl::Mutex mu_;
  std::vector<std::string> errors_ ABSL_GUARDED_BY(mu_);
  std::atomic<int> reconnects_{0};
};

RedisOptions OptionsFor(const RedisServer& server) {
  RedisOptions options;
  options.host = server.host();
  options.port = server.port();
  return options;
}

// The value of one field of INFO, e.g. InfoField(server, "clients", "connected_clients").
int64_t InfoField(const RedisServer& server, const std::string& section, const std::string& name) {
  const std::string info = server.Command({"INFO", section});
  for (absl::string_view line : absl::StrSplit(info, absl::ByAnyChar("\r\n"))) {
    if (absl::StartsWith(line, name + ":")) {
      int64_t value = 0;
      if (absl::SimpleAtoi(line.substr(name.size() + 1), &value)) return value;
    }
  }
  return -1;
}

class RedisClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = RedisServer::Start().release(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { server_->FlushAll(); }

  static RedisServer* server_;
  FakeClock clock_;
};

RedisServer* RedisClientTest::server_ = nullptr;

TEST_F(RedisClientTest, ConvertsEveryReplyType) {
  RedisClient client(OptionsFor(*server_), clock_);

  auto status = client.Command({"SET", "k", "v"});
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_TRUE(status->is_status());
  EXPECT_EQ(status->str(), "OK");

  auto integer = client.Command({"INCRBY", "n", "41"});
  ASSERT_TRUE(integer.ok());
  EXPECT_TRUE(integer->is_integer());
  EXPECT_EQ(integer->integer(), 41);

  auto nil = client.Command({"GET", "absent"});
  ASSERT_TRUE(nil.ok());
  EXPECT_TRUE(nil->is_nil());

  ASSERT_TRUE(client.Command({"RPUSH", "l", "a", "b"}).ok());
  auto array = client.Command({"LRANGE", "l", "0", "-1"});
  ASSERT_TRUE(array.ok());
  ASSERT_TRUE(array->is_array());
  ASSERT_EQ(array->elements().size(), 2u);
  EXPECT_EQ(array->elements()[0].str(), "a");
  EXPECT_EQ(array->elements()[1].str(), "b");

  // An error reply is an answer, not a transport failure.
  auto error = client.Command({"NOSUCHCOMMAND"});
  ASSERT_TRUE(error.ok()) << error.status();
  EXPECT_TRUE(error->is_error());
  EXPECT_THAT(error->str(), HasSubstr("unknown command"));
}

TEST_F(RedisClientTest, ArgumentsAndValuesAreBinarySafe) {
  RedisClient client(OptionsFor(*server_), clock_);
  const std::string key("k\0ey", 4);
  const std::string value("a\0b\r\n\xff", 6);
  ASSERT_TRUE(client.Command({"SET", key, value}).ok());
  auto got = client.Command({"GET", key});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->str(), value);
  EXPECT_EQ(got->str().size(), 6u);
  // A key cut at the NUL is another key.
  EXPECT_TRUE(client.Command({"GET", "k"})->is_nil());
}

TEST_F(RedisClientTest, PipelineAnswersInOrderWithErrorsInPlace) {
  RedisClient client(OptionsFor(*server_), clock_);
  auto replies =
      client.Pipeline({{"SET", "a", "1"}, {"INCR", "a"}, {"HGET", "a", "f"}, {"GET", "a"}});
  ASSERT_TRUE(replies.ok()) << replies.status();
  ASSERT_EQ(replies->size(), 4u);
  EXPECT_EQ((*replies)[0].str(), "OK");
  EXPECT_EQ((*replies)[1].integer(), 2);
  EXPECT_TRUE((*replies)[2].is_error());
  EXPECT_THAT((*replies)[2].str(), HasSubstr("WRONGTYPE"));
  EXPECT_EQ((*replies)[3].str(), "2");

  auto empty = client.Pipeline({});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  EXPECT_EQ(client.Command({}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(RedisClientTest, ConcurrentCallersShareABoundedPoolAndLoseNoIncrement) {
  RedisOptions options = OptionsFor(*server_);
  options.connections = 2;
  options.command_timeout = absl::Seconds(5);  // a loaded 2-core machine must not flake
  RedisClient client(options, clock_);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 400;
  std::atomic<int> failures{0};
  std::atomic<int64_t> max_clients{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        if (i % 100 == 0 && t == 0) {
          // Our pool plus this probe's own connection.
          const int64_t clients = InfoField(*server_, "clients", "connected_clients");
          int64_t seen = max_clients.load();
          while (clients > seen && !max_clients.compare_exchange_weak(seen, clients)) {
          }
        }
        auto reply = client.Command({"INCR", "counter"});
        if (!reply.ok() || !reply->is_integer()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(server_->Command({"GET", "counter"}), std::to_string(kThreads * kPerThread));
  EXPECT_GE(max_clients.load(), 1);
  EXPECT_LE(max_clients.load(), 3);
  EXPECT_LE(InfoField(*server_, "clients", "connected_clients"), 3);
}

TEST(RedisClientOutage, FailsFastDuringBackoffAndRecoversOnlyAfterTheClockPassesIt) {
  auto server = RedisServer::Start();
  FakeClock clock;
  CountingObserver observer;
  RedisOptions options = OptionsFor(*server);
  options.backoff_min = absl::Milliseconds(50);
  options.backoff_max = absl::Milliseconds(150);
  RedisClient client(options, clock, &observer);
  ASSERT_TRUE(client.Ping().ok());
  EXPECT_EQ(observer.reconnects(), 0);  // a first connection is not a reconnection

  server->Stop();
  absl::Status down = client.Ping();
  EXPECT_EQ(down.code(), absl::StatusCode::kUnavailable) << down;
  EXPECT_TRUE(absl::StartsWith(down.message(), "redis: ")) << down;

  // In back-off: fails fast, no connection attempt.
  absl::Status fast = client.Ping();
  EXPECT_EQ(fast.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(fast.message(), "redis: reconnecting");

  // Back-off passed: one attempt, refused; the next back-off is twice as long.
  clock.Advance(absl::Milliseconds(50));
  absl::Status refused = client.Ping();
  EXPECT_EQ(refused.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(refused.message()), HasSubstr("cannot connect"));
  clock.Advance(absl::Milliseconds(99));
  EXPECT_EQ(client.Ping().message(), "redis: reconnecting");

  server->Restart();
  // The server is back, but the client waits for its back-off on the injected clock.
  EXPECT_EQ(client.Ping().message(), "redis: reconnecting");
  EXPECT_EQ(observer.reconnects(), 0);
  clock.Advance(absl::Milliseconds(1));
  EXPECT_TRUE(client.Ping().ok());
  EXPECT_EQ(observer.reconnects(), 1);
  EXPECT_TRUE(client.Command({"SET", "after", "restart"}).ok());

  // A successful reconnect resets the back-off to its minimum.
  server->Stop();
  EXPECT_FALSE(client.Ping().ok());
  clock.Advance(absl::Milliseconds(50));
  EXPECT_THAT(std::string(client.Ping().message()), HasSubstr("cannot connect"));

  const std::vector<std::string> errors = observer.errors();
  EXPECT_THAT(errors, ::testing::Contains("reconnecting"));
  EXPECT_THAT(errors, ::testing::Contains("connect"));
}

TEST(RedisClientOutage, BackoffDoublesUpToItsMaximum) {
  auto server = RedisServer::Start();
  FakeClock clock;
  RedisOptions options = OptionsFor(*server);
  options.backoff_min = absl::Milliseconds(50);
  options.backoff_max = absl::Milliseconds(200);
  RedisClient client(options, clock);
  server->Stop();
  ASSERT_FALSE(client.Ping().ok());  // back-off 50 ms
  for (absl::Duration wait : {absl::Milliseconds(50), absl::Milliseconds(100),
                              absl::Milliseconds(200), absl::Milliseconds(200)}) {
    clock.Advance(wait - absl::Milliseconds(1));
    EXPECT_EQ(client.Ping().message(), "redis: reconnecting") << wait;
    clock.Advance(absl::Milliseconds(1));
    EXPECT_THAT(std::string(client.Ping().message()), HasSubstr("cannot connect")) << wait;
  }
}

TEST(RedisClientTimeout, ASlowServerIsUnavailableWithinTheTimeoutThenRecovers) {
  auto server = RedisServer::Start();
  FakeClock clock;
  CountingObserver observer;
  RedisOptions options = OptionsFor(*server);
  options.command_timeout = absl::Milliseconds(100);
  RedisClient client(options, clock, &observer);
  ASSERT_TRUE(client.Ping().ok());

  // Every client's commands wait for 600 ms; the pausing command itself returns at once.
  ASSERT_EQ(server->Command({"CLIENT", "PAUSE", "600", "ALL"}), "OK");
  const absl::Time start = absl::Now();
  auto reply = client.Command({"INCR", "slow"});
  const absl::Duration took = absl::Now() - start;
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(reply.status().message(), "redis: timeout");
  EXPECT_LT(took, absl::Milliseconds(450));
  EXPECT_THAT(observer.errors(), ::testing::Contains("timeout"));

  // Waits for the pause to end (the harness connection blocks until then, bounded by 5 s).
  ASSERT_EQ(server->Command({"PING"}), "PONG");

  EXPECT_EQ(client.Ping().message(), "redis: reconnecting");
  clock.Advance(options.backoff_min);
  EXPECT_TRUE(client.Ping().ok());
  EXPECT_EQ(observer.reconnects(), 1);
}

TEST(RedisClientAuth, AuthenticatesWithPasswordOrAclUser) {
  auto server = RedisServer::Start();
  ASSERT_EQ(server->Command({"ACL", "SETUSER", "relais", "on", ">s3cret-user", "~*", "+@all"}),
            "OK");
  FakeClock clock;

  RedisOptions acl = OptionsFor(*server);
  acl.username = "relais";
  acl.password = "s3cret-user";
  RedisClient acl_client(acl, clock);
  auto whoami = acl_client.Command({"ACL", "WHOAMI"});
  ASSERT_TRUE(whoami.ok()) << whoami.status();
  EXPECT_EQ(whoami->str(), "relais");

  ASSERT_EQ(server->Command({"CONFIG", "SET", "requirepass", "s3cret"}), "OK");
  RedisOptions with_password = OptionsFor(*server);
  with_password.password = "s3cret";
  RedisClient good(with_password, clock);
  EXPECT_TRUE(good.Ping().ok());

  RedisOptions wrong = with_password;
  wrong.password = "not-it";
  RedisClient bad(wrong, clock);
  absl::Status refused = bad.Ping();
  EXPECT_EQ(refused.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(refused.message()), HasSubstr("AUTH refused"));
  EXPECT_THAT(std::string(refused.message()), ::testing::Not(HasSubstr("not-it")));

  RedisClient anonymous(OptionsFor(*server), clock);
  absl::Status noauth = anonymous.Ping();
  EXPECT_EQ(noauth.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(noauth.message()), HasSubstr("NOAUTH"));
}

TEST(RedisClientErrors, UnexpectedErrorRepliesMapToTransientOrInternal) {
  EXPECT_EQ(ErrorReplyToStatus(Reply::Error("LOADING Redis is loading the dataset")).code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(ErrorReplyToStatus(Reply::Error("READONLY You can't write against a replica.")).code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(ErrorReplyToStatus(Reply::Error("WRONGTYPE Operation against a key")).code(),
            absl::StatusCode::kInternal);
}

TEST(RedisClientErrors, NothingListeningIsUnavailableNotACrash) {
  FakeClock clock;
  RedisOptions options;
  options.port = relais::testing::FreeLoopbackPort();
  RedisClient client(options, clock);
  auto reply = client.Command({"PING"});
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(reply.status().message()), HasSubstr("cannot connect"));
  EXPECT_EQ(client.Pipeline({{"PING"}}).status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace relais
