// Committer against a real redis-server: the atomic commit, idempotent replays, version checks,
// refusals, index updates, erasure, races, and the Function library's life across restarts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "relais/v1/crisis_registry.pb.h"
#include "services/runtime/clock.h"
#include "services/runtime/redis/committer.h"
#include "tests/support/redis_server.h"

namespace relais {
namespace {

using ::relais::testing::RedisServer;
using ::testing::HasSubstr;

constexpr char kCrisisKey[] = "crisis:c:c-1";
constexpr char kIndexKey[] = "crisis:idx:all";

RedisOptions OptionsFor(const RedisServer& server) {
  RedisOptions options;
  options.host = server.host();
  options.port = server.port();
  options.command_timeout = absl::Seconds(2);
  return options;
}

IdempotencyKey Idem(const std::string& request_id, const std::string& fingerprint = "fp-1") {
  return {"crisis", "coord-lyon-1", "DeclareCrisis", request_id, fingerprint};
}

relais::internal::StoredOutcome Ok(const std::string& subject_id, int64_t version) {
  relais::internal::StoredOutcome outcome;
  outcome.set_code(0);
  outcome.set_subject_id(subject_id);
  outcome.set_subject_version(version);
  return outcome;
}

relais::v1::Event EventFor(const std::string& request_id, int64_t version) {
  relais::v1::Event event;
  event.set_type(relais::v1::EVENT_TYPE_CRISIS_DECLARED);
  event.mutable_time()->set_seconds(1'780'000'000);
  event.set_service("crisis_registry");
  event.set_principal_id("coord-lyon-1");
  event.set_request_id(request_id);
  event.set_crisis_id("c-1");
  event.set_subject_id("c-1");
  event.set_subject_version(version);
  return event;
}

// Writes kCrisisKey at `expected` + 1 and indexes it.
CommitRequest Write(const std::string& request_id, int64_t expected, const std::string& value,
                    const std::string& fingerprint = "fp-1") {
  CommitRequest request;
  request.idem = Idem(request_id, fingerprint);
  request.writes.push_back({kCrisisKey, expected, value});
  request.index_ops.push_back({IndexOp::Kind::kAdd, kIndexKey, "c-1", 0});
  request.event = EventFor(request_id, expected + 1);
  request.outcome = Ok("c-1", expected + 1);
  return request;
}

class CommitterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = RedisServer::Start().release(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    server_->FlushAll();
    server_->Command({"FUNCTION", "FLUSH"});
    redis_ = std::make_unique<RedisClient>(OptionsFor(*server_), clock_);
    committer_ = std::make_unique<Committer>(*redis_, CommitOptions{});
    ASSERT_TRUE(committer_->LoadFunctions().ok());
  }

  int64_t EventCount() const {
    int64_t n = -1;
    EXPECT_TRUE(absl::SimpleAtoi(server_->Command({"XLEN", "relais:events"}), &n));
    return n;
  }

  static RedisServer* server_;
  FakeClock clock_;
  std::unique_ptr<RedisClient> redis_;
  std::unique_ptr<Committer> committer_;
};

RedisServer* CommitterTest::server_ = nullptr;

TEST_F(CommitterTest, CreatesThenReadsBack) {
  auto result = committer_->Commit(Write("r-1", 0, "crisis bytes"));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(result->replayed);
  EXPECT_EQ(result->outcome.subject_id(), "c-1");
  EXPECT_EQ(result->outcome.subject_version(), 1);
  EXPECT_FALSE(result->event_cursor.empty());

  auto read = committer_->Read(kCrisisKey);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ((*read)->version, 1);
  EXPECT_EQ((*read)->value, "crisis bytes");

  auto absent = committer_->Read("crisis:c:nobody");
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());

  // The event went to the log with its type and crisis for readers that filter.
  EXPECT_EQ(EventCount(), 1);
  const std::string entry = server_->Command({"XRANGE", "relais:events", "-", "+"});
  EXPECT_THAT(entry, HasSubstr(result->event_cursor));
  EXPECT_THAT(entry, HasSubstr("\nt\n100\nc\nc-1\ne\n"));
  EXPECT_EQ(server_->Command({"ZSCORE", kIndexKey, "c-1"}), "0");

  // The idempotency record expires, and its key reveals nothing of the caller.
  const std::string idem_key = IdempotencyRedisKey(Idem("r-1"));
  EXPECT_TRUE(absl::StartsWith(idem_key, "crisis:idem:"));
  EXPECT_EQ(idem_key.size(), std::string("crisis:idem:").size() + 64);
  EXPECT_THAT(idem_key, ::testing::Not(HasSubstr("coord")));
  int64_t ttl_ms = 0;
  ASSERT_TRUE(absl::SimpleAtoi(server_->Command({"PTTL", idem_key}), &ttl_ms));
  EXPECT_GT(ttl_ms, absl::ToInt64Milliseconds(absl::Hours(24 * 7 - 1)));
}

TEST_F(CommitterTest, UpdatesBumpTheVersion) {
  ASSERT_TRUE(committer_->Commit(Write("r-1", 0, "v1")).ok());
  auto second = committer_->Commit(Write("r-2", 1, "v2"));
  ASSERT_TRUE(second.ok()) << second.status();
  auto read = committer_->Read(kCrisisKey);
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ((*read)->version, 2);
  EXPECT_EQ((*read)->value, "v2");
  EXPECT_EQ(EventCount(), 2);
}

TEST_F(CommitterTest, RetryReplaysTheFirstOutcomeAndWritesNothing) {
  auto first = committer_->Commit(Write("r-1", 0, "v1"));
  ASSERT_TRUE(first.ok()) << first.status();
  // The retry's own outcome would differ: the stored one must come back.
  CommitRequest retry = Write("r-1", 0, "v1");
  retry.outcome.set_subject_id("something-else");
  auto second = committer_->Commit(retry);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE(second->replayed);
  EXPECT_EQ(second->outcome.subject_id(), "c-1");
  EXPECT_EQ(second->outcome.subject_version(), 1);
  EXPECT_EQ(second->event_cursor, first->event_cursor);
  EXPECT_EQ(EventCount(), 1);
  EXPECT_EQ((*committer_->Read(kCrisisKey))->version, 1);

  auto looked_up = committer_->Lookup(Idem("r-1"));
  ASSERT_TRUE(looked_up.ok()) << looked_up.status();
  ASSERT_TRUE(looked_up->has_value());
  EXPECT_TRUE((*looked_up)->replayed);
  EXPECT_EQ((*looked_up)->event_cursor, first->event_cursor);
  auto unknown = committer_->Lookup(Idem("r-never"));
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->has_value());
}

TEST_F(CommitterTest, RequestIdReusedForAnotherRequestIsInvalidArgument) {
  ASSERT_TRUE(committer_->Commit(Write("r-1", 0, "v1")).ok());
  auto reused = committer_->Commit(Write("r-1", 1, "v2", "fp-other"));
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(reused.status().message()), HasSubstr("request_id"));
  EXPECT_EQ(EventCount(), 1);
  EXPECT_EQ(committer_->Lookup(Idem("r-1", "fp-other")).status().code(),
            absl::StatusCode::kInvalidArgument);
  // The same request id from another principal is another request.
  CommitRequest other_principal = Write("r-1", 1, "v2", "fp-other");
  other_principal.idem.principal_id = "coord-lyon-2";
  EXPECT_TRUE(committer_->Commit(other_principal).ok());
}

TEST_F(CommitterTest, ABookkeepingCommitWithoutEventTypeAppendsNothingToTheLog) {
  CommitRequest request = Write("r-1", 0, "v1");
  request.event.set_type(relais::v1::EVENT_TYPE_UNSPECIFIED);
  auto result = committer_->Commit(request);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->event_cursor.empty());
  EXPECT_EQ(EventCount(), 0);
  auto read = committer_->Read(kCrisisKey);
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ((*read)->version, 1);
  // Still idempotent: the retry replays.
  auto again = committer_->Commit(request);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
}

TEST_F(CommitterTest, StaleVersionIsAbortedAndWritesNothing) {
  ASSERT_TRUE(committer_->Commit(Write("r-1", 0, "v1")).ok());
  ASSERT_TRUE(committer_->Commit(Write("r-2", 1, "v2")).ok());
  const std::string index_before = server_->Command({"ZRANGE", kIndexKey, "0", "-1"});

  CommitRequest stale = Write("r-3", 1, "v-stale");
  stale.index_ops = {{IndexOp::Kind::kRemove, kIndexKey, "c-1"},
                     {IndexOp::Kind::kAdd, kIndexKey, "c-stale", 5}};
  auto result = committer_->Commit(stale);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kAborted);
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("version conflict"));
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("expected version 1, found 2"));
  EXPECT_THAT(std::string(result.status().message()), ::testing::Not(HasSubstr("crisis:c")));

  EXPECT_EQ(EventCount(), 2);
  EXPECT_EQ(server_->Command({"ZRANGE", kIndexKey, "0", "-1"}), index_before);
  EXPECT_EQ((*committer_->Read(kCrisisKey))->value, "v2");
  // Nothing remembered: the caller re-reads and retries the same request id.
  EXPECT_FALSE(committer_->Lookup(Idem("r-3"))->has_value());
  EXPECT_TRUE(committer_->Commit(Write("r-3", 2, "v3")).ok());
}

TEST_F(CommitterTest, ChecksEveryWriteBeforeWritingAny) {
  ASSERT_TRUE(server_->Command({"HSET", "crisis:c:c-2", "v", "4", "d", "x"}) == "2");
  CommitRequest request = Write("r-1", 0, "v1");
  // The first write is fine, the second is stale: the first must not happen either.
  request.writes.push_back({"crisis:c:c-2", 3, "y"});
  auto result = committer_->Commit(request);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kAborted);
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("write 2"));
  EXPECT_FALSE(committer_->Read(kCrisisKey)->has_value());
  EXPECT_EQ(server_->Command({"EXISTS", kIndexKey}), "0");
  EXPECT_EQ(server_->Command({"EXISTS", "relais:events"}), "0");
}

TEST_F(CommitterTest, CreateIfAbsentConflictsWithAnExistingEntity) {
  ASSERT_TRUE(committer_->Commit(Write("r-1", 0, "v1")).ok());
  auto again = committer_->Commit(Write("r-2", 0, "v1-again"));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAborted);
  EXPECT_THAT(std::string(again.status().message()), HasSubstr("expected version 0, found 1"));
  EXPECT_EQ((*committer_->Read(kCrisisKey))->value, "v1");
}

TEST_F(CommitterTest, RefusalIsStoredThenReplayed) {
  relais::internal::StoredOutcome refusal;
  refusal.set_code(9);
  refusal.set_message("crisis: closed");
  refusal.set_subject_id("c-1");
  auto first = committer_->RecordRefusal(Idem("r-1"), refusal);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->replayed);
  EXPECT_EQ(first->outcome.code(), 9);
  EXPECT_TRUE(first->event_cursor.empty());

  // A retry of the refused call gets the refusal back, even if the state changed since.
  auto retried = committer_->Commit(Write("r-1", 0, "v1"));
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_TRUE(retried->replayed);
  EXPECT_EQ(retried->outcome.code(), 9);
  EXPECT_EQ(retried->outcome.message(), "crisis: closed");
  EXPECT_FALSE(committer_->Read(kCrisisKey)->has_value());
  EXPECT_EQ(server_->Command({"EXISTS", "relais:events"}), "0");

  auto refused_again = committer_->RecordRefusal(Idem("r-1"), refusal);
  ASSERT_TRUE(refused_again.ok());
  EXPECT_TRUE(refused_again->replayed);
  EXPECT_EQ(committer_->RecordRefusal(Idem("r-1", "fp-other"), refusal).status().code(),
            absl::StatusCode::kInvalidArgument);

  // A request id that succeeded is not turned into a refusal.
  ASSERT_TRUE(committer_->Commit(Write("r-2", 0, "v1")).ok());
  auto late = committer_->RecordRefusal(Idem("r-2"), refusal);
  ASSERT_TRUE(late.ok());
  EXPECT_TRUE(late->replayed);
  EXPECT_EQ(late->outcome.code(), 0);
}

TEST_F(CommitterTest, IndexAddAndRemove) {
  CommitRequest create = Write("r-1", 0, "v1");
  create.index_ops = {{IndexOp::Kind::kAdd, "crisis:idx:s:1", "m-1", 1.5},
                      {IndexOp::Kind::kAdd, kIndexKey, "m-1", -2}};
  ASSERT_TRUE(committer_->Commit(create).ok());
  EXPECT_EQ(server_->Command({"ZSCORE", "crisis:idx:s:1", "m-1"}), "1.5");
  EXPECT_EQ(server_->Command({"ZSCORE", kIndexKey, "m-1"}), "-2");

  CommitRequest move = Write("r-2", 1, "v2");
  move.index_ops = {{IndexOp::Kind::kRemove, "crisis:idx:s:1", "m-1"},
                    {IndexOp::Kind::kAdd, "crisis:idx:s:2", "m-1", 1.5}};
  ASSERT_TRUE(committer_->Commit(move).ok());
  EXPECT_EQ(server_->Command({"EXISTS", "crisis:idx:s:1"}), "0");
  EXPECT_EQ(server_->Command({"ZSCORE", "crisis:idx:s:2", "m-1"}), "1.5");
  EXPECT_EQ(server_->Command({"ZSCORE", kIndexKey, "m-1"}), "-2");
}

TEST_F(CommitterTest, EmptyValueOnAnExistingEntityErasesIt) {
  ASSERT_TRUE(committer_->Commit(Write("r-1", 0, "personal data")).ok());
  CommitRequest erase = Write("r-2", 1, "");
  erase.index_ops = {{IndexOp::Kind::kRemove, kIndexKey, "c-1"}};
  auto result = committer_->Commit(erase);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(server_->Command({"EXISTS", kCrisisKey}), "0");
  EXPECT_FALSE(committer_->Read(kCrisisKey)->has_value());
  EXPECT_EQ(server_->Command({"EXISTS", kIndexKey}), "0");
  EXPECT_EQ(EventCount(), 2);
  // Erasing again with the old version is a conflict, not a silent success.
  EXPECT_EQ(committer_->Commit(Write("r-3", 1, "")).status().code(), absl::StatusCode::kAborted);
}

TEST_F(CommitterTest, KeysThatMustBeAbsentGuardTheWholeCommit) {
  ASSERT_EQ(server_->Command({"ZADD", "inv:bk:rsp-1", "1", "2:hld-1"}), "1");
  CommitRequest request = Write("r-1", 0, "v1");
  request.must_be_absent = {"inv:other", "inv:bk:rsp-1"};
  auto refused = committer_->Commit(request);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("precondition 1 failed"));
  EXPECT_EQ(server_->Command({"EXISTS", kCrisisKey}), "0");
  EXPECT_EQ(server_->Command({"EXISTS", kIndexKey}), "0");
  EXPECT_EQ(EventCount(), 0);
  // Once the guarded key is gone the same request goes through.
  ASSERT_EQ(server_->Command({"DEL", "inv:bk:rsp-1"}), "1");
  auto result = committer_->Commit(request);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(EventCount(), 1);
}

TEST_F(CommitterTest, ExtraFieldsAreWrittenWithTheEntityAndKeptByLaterWrites) {
  CommitRequest create = Write("r-1", 0, "line");
  create.writes[0].extra_fields = {{"o", "10"}, {"a", "10"}};
  ASSERT_TRUE(committer_->Commit(create).ok());
  EXPECT_EQ(server_->Command({"HGET", kCrisisKey, "o"}), "10");
  EXPECT_EQ(server_->Command({"HGET", kCrisisKey, "a"}), "10");
  ASSERT_EQ(server_->Command({"HSET", kCrisisKey, "a", "7"}), "0");  // as a ledger Function would
  ASSERT_TRUE(committer_->Commit(Write("r-2", 1, "line, renamed")).ok());
  EXPECT_EQ(server_->Command({"HGET", kCrisisKey, "a"}), "7");
  EXPECT_EQ(committer_->Read(kCrisisKey)->value().value, "line, renamed");
  CommitRequest bad = Write("r-3", 2, "x");
  bad.writes[0].extra_fields = {{"v", "99"}};
  EXPECT_EQ(committer_->Commit(bad).status().code(), absl::StatusCode::kInternal);
}

TEST_F(CommitterTest, LoadsAndReloadsAServiceLibraryWithItsOwn) {
  committer_ = std::make_unique<Committer>(*redis_, CommitOptions{.load_functions = true});
  committer_->AddLibrary(
      "#!lua name=relais_test_lib\n"
      "redis.register_function{function_name = 'relais_test_answer', "
      "callback = function() return 42 end, flags = {'no-writes'}}\n");
  ASSERT_TRUE(committer_->LoadFunctions().ok());
  ASSERT_EQ(server_->Command({"FUNCTION", "FLUSH"}), "OK");
  auto reply = committer_->Call({"FCALL", "relais_test_answer", "0"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->integer(), 42);
  EXPECT_THAT(server_->Command({"FUNCTION", "LIST"}), HasSubstr("relais_runtime"));
}

TEST_F(CommitterTest, ReadManyReadsInOneRoundTripInOrder) {
  ASSERT_TRUE(committer_->Commit(Write("r-1", 0, "v1")).ok());
  ASSERT_EQ(server_->Command({"HSET", "crisis:c:bad", "v", "not-a-number", "d", "x"}), "2");
  auto many = committer_->ReadMany({"crisis:c:absent", kCrisisKey});
  ASSERT_TRUE(many.ok()) << many.status();
  ASSERT_EQ(many->size(), 2u);
  EXPECT_FALSE((*many)[0].has_value());
  ASSERT_TRUE((*many)[1].has_value());
  EXPECT_EQ((*many)[1]->value, "v1");
  EXPECT_TRUE(committer_->ReadMany({})->empty());
  EXPECT_EQ(committer_->ReadMany({kCrisisKey, "crisis:c:bad"}).status().code(),
            absl::StatusCode::kInternal);
}

TEST_F(CommitterTest, RacingCreatesWithDifferentRequestIdsHaveExactlyOneWinner) {
  RedisOptions options = OptionsFor(*server_);
  options.connections = 4;
  RedisClient pool(options, clock_);
  Committer committer(pool, CommitOptions{});
  constexpr int kThreads = 8;
  std::atomic<int> wins{0};
  std::atomic<int> aborted{0};
  std::atomic<int> other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto result = committer.Commit(Write(absl::StrCat("r-", t), 0, absl::StrCat("by ", t)));
      if (result.ok()) {
        ++wins;
      } else if (result.status().code() == absl::StatusCode::kAborted) {
        ++aborted;
      } else {
        ++other;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(aborted.load(), kThreads - 1);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(EventCount(), 1);
  EXPECT_EQ((*committer.Read(kCrisisKey))->version, 1);
}

TEST_F(CommitterTest, ReloadsTheLibraryAfterFunctionFlush) {
  committer_ = std::make_unique<Committer>(*redis_, CommitOptions{.load_functions = true});
  EXPECT_EQ(server_->Command({"FCALL", "relais_runtime_version", "0"}),
            std::string(Committer::FunctionsVersion()));
  EXPECT_FALSE(Committer::FunctionsVersion().empty());
  ASSERT_EQ(server_->Command({"FUNCTION", "FLUSH"}), "OK");
  auto result = committer_->Commit(Write("r-1", 0, "v1"));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_THAT(server_->Command({"FUNCTION", "LIST"}), HasSubstr("relais_runtime"));
  server_->FlushAll();  // FLUSHALL keeps functions; FUNCTION FLUSH again for RecordRefusal
  ASSERT_EQ(server_->Command({"FUNCTION", "FLUSH"}), "OK");
  relais::internal::StoredOutcome refusal;
  refusal.set_code(9);
  EXPECT_TRUE(committer_->RecordRefusal(Idem("r-9"), refusal).ok());
}

TEST_F(CommitterTest, WithoutLoadFunctionsLostLibrariesAreUnavailableAndNamed) {
  committer_->AddLibrary(
      "#!lua name=relais_test_lib\n"
      "redis.register_function{function_name = 'relais_test_lib_version', "
      "callback = function() return '1' end, flags = {'no-writes'}}\n");
  EXPECT_EQ(committer_->LibraryNames(),
            (std::vector<std::string>{"relais_runtime", "relais_test_lib"}));
  // Only relais_runtime is loaded (SetUp): not ready, naming what is missing.
  absl::Status ready = committer_->CheckReady();
  EXPECT_EQ(ready.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(ready.message(), HasSubstr("relais_test_lib"));
  EXPECT_THAT(ready.message(), HasSubstr("run relais-redis-setup"));
  ASSERT_TRUE(committer_->LoadFunctions().ok());
  EXPECT_TRUE(committer_->CheckReady().ok());

  ASSERT_EQ(server_->Command({"FUNCTION", "FLUSH"}), "OK");
  auto lost = committer_->Commit(Write("r-1", 0, "v1"));
  EXPECT_EQ(lost.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(lost.status().message(), HasSubstr("relais_commit"));
  EXPECT_THAT(lost.status().message(), HasSubstr("run relais-redis-setup"));
  // Nothing loaded behind the deployment's back, nothing written.
  EXPECT_EQ(server_->Command({"FUNCTION", "LIST"}), "");
  EXPECT_EQ(committer_->CheckReady().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(EventCount(), 0);
}

TEST_F(CommitterTest, ReadinessLoadsMissingLibrariesWithLoadFunctions) {
  committer_ = std::make_unique<Committer>(*redis_, CommitOptions{.load_functions = true});
  ASSERT_EQ(server_->Command({"FUNCTION", "FLUSH"}), "OK");
  EXPECT_TRUE(committer_->CheckReady().ok());
  EXPECT_THAT(server_->Command({"FUNCTION", "LIST"}), HasSubstr("relais_runtime"));
}

TEST_F(CommitterTest, EachCommitIsOneSmallCall) {
  ASSERT_EQ(server_->Command({"CONFIG", "RESETSTAT"}), "OK");
  CommitRequest request = Write("r-1", 0, "v1");
  request.index_ops.push_back({IndexOp::Kind::kAdd, "crisis:idx:s:1", "c-1", 0});
  ASSERT_TRUE(committer_->Commit(request).ok());
  const std::string stats = server_->Command({"INFO", "commandstats"});
  std::map<std::string, int64_t> calls;
  for (absl::string_view line : absl::StrSplit(stats, absl::ByAnyChar("\r\n"))) {
    if (!absl::StartsWith(line, "cmdstat_")) continue;
    const size_t colon = line.find(':');
    const size_t from = line.find("calls=") + 6;
    int64_t n = 0;
    ASSERT_TRUE(absl::SimpleAtoi(line.substr(from, line.find(',', from) - from), &n)) << line;
    calls[std::string(line.substr(8, colon - 8))] = n;
  }
  EXPECT_EQ(calls["fcall"], 1);
  EXPECT_EQ(calls.count("keys"), 0u);
  EXPECT_EQ(calls.count("scan"), 0u);
  int64_t total = 0;
  for (const auto& [name, n] : calls) {
    if (name != "info" && name != "config|resetstat") total += n;
  }
  // FCALL + HMGET + HGET + 2 TYPE checks + TYPE of the log + HSET + 2 ZADD + XADD + HSET + PEXPIRE,
  // and for the crisis' audit trail TYPE of the log and of the index + XADD + XTRIM + ZADD +
  // ZREMRANGEBYLEX.
  EXPECT_LE(total, 18) << stats;
}

TEST_F(CommitterTest, RejectsCommitsThatAreNotSmall) {
  CommitRequest request = Write("r-1", 0, "v1");
  for (int i = 0; i < Committer::kMaxKeysPerCommit; ++i) {
    request.index_ops.push_back({IndexOp::Kind::kAdd, absl::StrCat("idx:", i), "m", 0});
  }
  EXPECT_EQ(committer_->Commit(request).status().code(), absl::StatusCode::kInternal);
  CommitRequest no_id = Write("", 0, "v1");
  EXPECT_EQ(committer_->Commit(no_id).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EventCount(), 0);
}

TEST(RequestFingerprint, IsStableAndTellsRequestsApart) {
  relais::v1::Event a;
  a.set_crisis_id("c-1");
  a.set_subject_version(3);
  relais::v1::Event b = a;
  const std::string fa = RequestFingerprint(a);
  EXPECT_EQ(fa.size(), 64u);
  EXPECT_EQ(fa, RequestFingerprint(b));
  b.set_subject_version(4);
  EXPECT_NE(fa, RequestFingerprint(b));
  // SHA-256 of the empty message's (empty) serialization.
  EXPECT_EQ(RequestFingerprint(relais::v1::Event()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(CommitterRestart, LibrarySurvivesAServerRestart) {
  auto server = RedisServer::Start();
  FakeClock clock;
  RedisClient redis(OptionsFor(*server), clock);
  Committer committer(redis, CommitOptions{});
  ASSERT_TRUE(committer.LoadFunctions().ok());
  ASSERT_TRUE(committer.Commit(Write("r-1", 0, "v1")).ok());

  server->Restart();
  // Loaded from the AOF, before any client asks for it.
  EXPECT_THAT(server->Command({"FUNCTION", "LIST", "LIBRARYNAME", "relais_runtime"}),
              HasSubstr("relais_commit"));
  // The pool's connections died with the old process: wait out the back-off on the fake clock.
  bool back = false;
  for (int i = 0; i < 5 && !back; ++i) {
    back = redis.Ping().ok();
    clock.Advance(absl::Seconds(5));
  }
  ASSERT_TRUE(back);
  auto replay = committer.Commit(Write("r-1", 0, "v1"));
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_TRUE(replay->replayed);
  auto next = committer.Commit(Write("r-2", 1, "v2"));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ((*committer.Read(kCrisisKey))->version, 2);
}

// --- The audit trail (issue #6): the event once in the audit log, indexed under each subject,
// in the same atomic step ---

int64_t Count(RedisServer& server, const char* command, const std::string& key) {
  int64_t n = -1;
  EXPECT_TRUE(absl::SimpleAtoi(server.Command({command, key}), &n)) << key;
  return n;
}

// A stream id as the audit indexes hold it (functions.lua index_member).
std::string IndexMember(int64_t ms, int64_t seq) { return absl::StrFormat("%015d-%010d", ms, seq); }

// An audit record written straight into the log and one subject's index, as if long ago.
void SeedRecord(RedisServer& server, const std::string& index, int64_t ms, int64_t seq,
                const std::string& request_id) {
  relais::v1::Event event;
  event.set_type(relais::v1::EVENT_TYPE_CRISIS_UPDATED);
  event.set_request_id(request_id);
  std::string bytes;
  ASSERT_TRUE(event.SerializeToString(&bytes));
  server.Command({"XADD", "relais:audit:log", absl::StrCat(ms, "-", seq), "t", "1", "e", bytes});
  server.Command({"ZADD", index, "0", IndexMember(ms, seq)});
}

TEST_F(CommitterTest, EveryEventGoesOnceToTheTrailOfEachSubjectItNames) {
  CommitRequest request = Write("r-audit", 0, "crisis bytes");
  request.event.set_organisation_id("o-1");
  request.event.set_responder_id("r-1");
  request.event.add_responder_ids("r-1");
  request.event.add_responder_ids("r-2");
  EXPECT_EQ(
      AuditIndexKeys(request.event, "relais:audit:"),
      (std::vector<std::string>{"relais:audit:of:crisis:c-1", "relais:audit:of:organisation:o-1",
                                "relais:audit:of:responder:r-1", "relais:audit:of:responder:r-2"}));
  auto written = committer_->Commit(request);
  ASSERT_TRUE(written.ok()) << written.status();
  // A retry of the same request writes nothing more anywhere.
  auto replay = committer_->Commit(request);
  ASSERT_TRUE(replay.ok());
  EXPECT_TRUE(replay->replayed);
  EXPECT_EQ(Count(*server_, "XLEN", "relais:audit:log"), 1) << "one record, however many subjects";
  for (const char* key : {"relais:audit:of:crisis:c-1", "relais:audit:of:organisation:o-1",
                          "relais:audit:of:responder:r-1", "relais:audit:of:responder:r-2"}) {
    EXPECT_EQ(Count(*server_, "ZCARD", key), 1) << key;
  }
  // Each subject's trail reads the event itself, as the live feed has it.
  for (const auto& [kind, id] : std::vector<std::pair<std::string, std::string>>{
           {"crisis", "c-1"}, {"organisation", "o-1"}, {"responder", "r-2"}}) {
    auto trail = committer_->ReadAuditTrail(kind, id, "", 10);
    ASSERT_TRUE(trail.ok()) << trail.status();
    ASSERT_EQ(trail->size(), 1u) << kind;
    EXPECT_EQ(trail->front().principal_id(), "coord-lyon-1");
    EXPECT_EQ(trail->front().request_id(), "r-audit");
    EXPECT_FALSE(trail->front().cursor().empty());
  }
  auto nobody = committer_->ReadAuditTrail("responder", "r-3", "", 10);
  ASSERT_TRUE(nobody.ok());
  EXPECT_TRUE(nobody->empty()) << "a subject the event does not name";
}

TEST_F(CommitterTest, BookkeepingWithoutAnEventLeavesNoTrail) {
  CommitRequest request = Write("r-quiet", 0, "crisis bytes");
  request.event.set_type(relais::v1::EVENT_TYPE_UNSPECIFIED);
  ASSERT_TRUE(committer_->Commit(request).ok());
  EXPECT_EQ(server_->Command({"EXISTS", "relais:audit:log", "relais:audit:of:crisis:c-1"}), "0");
  EXPECT_EQ(EventCount(), 0);
}

TEST_F(CommitterTest, ATrailIsReadNewestFirstPageByPage) {
  // Entries of one millisecond sort by their sequence as numbers (10 after 9), which the
  // padded index members keep; another crisis' records never show.
  const std::string index = "relais:audit:of:crisis:c-1";
  for (int k = 0; k < 12; ++k) {
    SeedRecord(*server_, index, 5000, 2 * k, absl::StrCat("c1-", k));
    SeedRecord(*server_, "relais:audit:of:crisis:c-2", 5000, 2 * k + 1, "c2");
  }
  SeedRecord(*server_, index, 6000, 0, "c1-latest");
  std::vector<std::string> cursors;
  std::string before;
  for (int page = 0; page < 10; ++page) {
    auto records = committer_->ReadAuditTrail("crisis", "c-1", before, 5);
    ASSERT_TRUE(records.ok()) << records.status();
    for (const relais::v1::Event& record : *records) {
      EXPECT_NE(record.request_id(), "c2");
      cursors.push_back(record.cursor());
    }
    if (records->size() < 5) break;
    before = records->back().cursor();
  }
  ASSERT_EQ(cursors.size(), 13u);
  EXPECT_EQ(cursors[0], "6000-0");
  for (int i = 1; i < 13; ++i) EXPECT_EQ(cursors[i], absl::StrCat("5000-", 2 * (12 - i)));

  for (const std::string bad : {"yesterday", "5000", "12345678901234567-0", "5000-12345678901"}) {
    EXPECT_TRUE(
        absl::IsInvalidArgument(committer_->ReadAuditTrail("crisis", "c-1", bad, 5).status()))
        << bad;
  }
}

TEST_F(CommitterTest, TheTrailForgetsWhatIsOlderThanItsRetentionAndOnlyThat) {
  // Stream ids are milliseconds of the server's clock, which trimming measures against: read it
  // from the server (TIME: seconds, then microseconds), not from this process.
  const std::vector<std::string> time = absl::StrSplit(server_->Command({"TIME"}), '\n');
  int64_t seconds = 0;
  ASSERT_TRUE(!time.empty() && absl::SimpleAtoi(time[0], &seconds));
  const int64_t day_ago = (seconds - 24 * 3600) * 1000;
  const std::string index = "relais:audit:of:crisis:c-1";
  // Two records written long ago: one in 1970, one a day ago.
  SeedRecord(*server_, index, 1000, 0, "ancient");
  SeedRecord(*server_, index, day_ago, 0, "yesterday");
  CommitOptions options;
  options.audit_retention = absl::Hours(2);
  Committer committer(*redis_, options);
  ASSERT_TRUE(committer.Commit(Write("r-trim", 0, "crisis bytes")).ok());
  // Both are older than two hours: gone from the log and the index; the new record stays.
  EXPECT_EQ(Count(*server_, "XLEN", "relais:audit:log"), 1);
  EXPECT_EQ(Count(*server_, "ZCARD", index), 1);

  // With the default retention (400 days), yesterday's record is kept.
  server_->Command({"DEL", "relais:audit:log", index});
  SeedRecord(*server_, index, day_ago, 0, "yesterday");
  ASSERT_TRUE(committer_->Commit(Write("r-keep", 1, "crisis bytes 2")).ok());
  EXPECT_EQ(Count(*server_, "XLEN", "relais:audit:log"), 2);
  EXPECT_EQ(Count(*server_, "ZCARD", index), 2);

  // A subject written to no more keeps index members whose records the log has since trimmed:
  // the reader skips them.
  server_->Command({"ZADD", "relais:audit:of:crisis:c-idle", "0", IndexMember(1000, 5)});
  auto idle = committer_->ReadAuditTrail("crisis", "c-idle", "", 10);
  ASSERT_TRUE(idle.ok()) << idle.status();
  EXPECT_TRUE(idle->empty());
}

}  // namespace
}  // namespace relais
