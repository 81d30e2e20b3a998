// The live feed (FeedHub) against a real redis-server, over gRPC: a test-only service serves the
// hub's two raw callback methods on port 0 and clients read with the generated stub. Events are
// appended with XADD in the shape relais_commit writes (fields t, c, e). Time is a FakeClock; the
// tests never sleep for time to pass, they wait (bounded) for what they expect to arrive.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <prometheus/metric_family.h>
#include <prometheus/metric_type.h>
#include <prometheus/registry.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "relais/v1/mobilisation.grpc.pb.h"
#include "services/mobilisation/feed_hub.h"
#include "services/runtime/clock.h"
#include "services/runtime/proto_time.h"
#include "services/runtime/redis/redis_acl.h"
#include "services/runtime/redis/redis_client.h"
#include "tests/support/redis_server.h"

namespace relais::mobilisation {
namespace {

using ::relais::testing::RedisServer;

// Bound on every wait for something expected; tests never sleep to let time pass.
constexpr absl::Duration kPatience = absl::Seconds(10);
constexpr char kKey[] = "relais:events";
constexpr char kTrimmed[] = "cursor: older than the retained event log; take a new snapshot";

template <class Condition>
bool Eventually(Condition condition) {
  const absl::Time deadline = absl::Now() + kPatience;
  while (!condition()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(1));
  }
  return true;
}

// The service's handler reduced to the two feed methods: the caller from the development headers
// (no headers: a coordinator), as the runner would admit it.
class FeedService final : public v1::Mobilisation::WithRawCallbackMethod_WatchMobilisation<
                              v1::Mobilisation::WithRawCallbackMethod_WatchMyAssignments<
                                  v1::Mobilisation::CallbackService>> {
 public:
  explicit FeedService(FeedHub& hub) : hub_(hub) {}
  grpc::ServerWriteReactor<grpc::ByteBuffer>* WatchMobilisation(
      grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request) override {
    return hub_.WatchMobilisation(ctx, request, resolver_.Resolve(*ctx));
  }
  grpc::ServerWriteReactor<grpc::ByteBuffer>* WatchMyAssignments(
      grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request) override {
    return hub_.WatchMyAssignments(ctx, request, resolver_.Resolve(*ctx));
  }

 private:
  FeedHub& hub_;
  DevHeaderPrincipalResolver resolver_;
};

// A hub and the gRPC server in front of it, shut down in the lead's order: hub, then server.
class Feed {
 public:
  // Reads the log as the mobilisation service's Redis user, as deployed.
  Feed(const RedisServer& redis, const Clock& clock, FeedOptions options) {
    RedisSettings settings;
    settings.port = redis.port();
    const ServiceRedisAcl* acl = FindServiceRedisAcl("mobilisation");
    settings.username = acl->user;
    settings.password_file = redis.PasswordFile(acl->user);
    hub_ = std::make_unique<FeedHub>(settings, clock, std::move(options), &registry_);
    EXPECT_TRUE(hub_->Start().ok());
    service_ = std::make_unique<FeedService>(*hub_);
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    EXPECT_GT(port_, 0);
  }
  ~Feed() {
    if (hub_ != nullptr) hub_->Stop();
    server_->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(2)));
  }

  FeedHub& hub() { return *hub_; }
  int port() const { return port_; }
  // Destroys the hub before the server: streams still open in gRPC must not touch it.
  void DestroyHub() { hub_.reset(); }

  double Metric(const std::string& name) {
    for (const prometheus::MetricFamily& family : registry_.Collect()) {
      if (family.name != name || family.metric.empty()) continue;
      return family.type == prometheus::MetricType::Counter ? family.metric[0].counter.value
                                                            : family.metric[0].gauge.value;
    }
    return -1;
  }

 private:
  prometheus::Registry registry_;
  std::unique_ptr<FeedHub> hub_;
  std::unique_ptr<FeedService> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

std::shared_ptr<grpc::Channel> OwnChannel(int port, grpc::ChannelArguments args = {}) {
  // A connection of its own, so one client's flow control never holds up another's.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port),
                                   grpc::InsecureChannelCredentials(), args);
}

// One client stream, read on its own thread: what it received and how it ended. The constructor
// returns once the server has sent the headers (the subscription is established) or ended it.
class Watcher {
 public:
  using Reader = grpc::ClientReader<v1::MobilisationUpdate>;
  using Opener =
      std::function<std::unique_ptr<Reader>(v1::Mobilisation::Stub&, grpc::ClientContext*)>;

  Watcher(int port, const Opener& open) : stub_(v1::Mobilisation::NewStub(OwnChannel(port))) {
    context_.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
    reader_ = open(*stub_, &context_);
    reader_->WaitForInitialMetadata();
    thread_ = std::thread([this] { Loop(); });
  }
  ~Watcher() {
    context_.TryCancel();
    thread_.join();
  }

  static std::unique_ptr<Watcher> All(int port, const std::string& cursor = "",
                                      const std::vector<std::string>& crisis_ids = {}) {
    v1::WatchMobilisationRequest request;
    request.set_cursor(cursor);
    for (const std::string& id : crisis_ids) request.add_crisis_ids(id);
    return std::make_unique<Watcher>(
        port, [request](auto& stub, auto* ctx) { return stub.WatchMobilisation(ctx, request); });
  }
  static std::unique_ptr<Watcher> Mine(int port, const std::string& responder_id,
                                       const std::string& cursor = "") {
    v1::WatchMyAssignmentsRequest request;
    request.set_responder_id(responder_id);
    request.set_cursor(cursor);
    // The responder watches their own.
    return std::make_unique<Watcher>(port, [request](auto& stub, grpc::ClientContext* ctx) {
      ctx->AddMetadata("x-relais-role", "responder");
      ctx->AddMetadata("x-relais-responder", request.responder_id());
      return stub.WatchMyAssignments(ctx, request);
    });
  }

  bool WaitForEvents(size_t n) {
    absl::MutexLock lock(&mu_);
    auto ready = [this, n]()
                     ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return events_.size() >= n || done_; };
    mu_.AwaitWithTimeout(absl::Condition(&ready), kPatience);
    return events_.size() >= n;
  }
  bool WaitForHeartbeats(size_t n) {
    absl::MutexLock lock(&mu_);
    auto ready = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return heartbeats_.size() >= n || done_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&ready), kPatience);
    return heartbeats_.size() >= n;
  }
  // How the call ended; nullopt if it is still open after kPatience.
  std::optional<grpc::Status> WaitDone() {
    absl::MutexLock lock(&mu_);
    if (!mu_.AwaitWithTimeout(absl::Condition(&done_), kPatience)) return std::nullopt;
    return status_;
  }
  // Cancels the call and waits for it to end.
  void Cancel() {
    context_.TryCancel();
    WaitDone();
  }

  std::vector<v1::Event> events() const {
    absl::MutexLock lock(&mu_);
    return events_;
  }
  std::vector<v1::Heartbeat> heartbeats() const {
    absl::MutexLock lock(&mu_);
    return heartbeats_;
  }

 private:
  void Loop() {
    v1::MobilisationUpdate update;
    while (reader_->Read(&update)) {
      absl::MutexLock lock(&mu_);
      if (update.has_event()) events_.push_back(update.event());
      if (update.has_heartbeat()) heartbeats_.push_back(update.heartbeat());
    }
    grpc::Status status = reader_->Finish();
    absl::MutexLock lock(&mu_);
    status_ = std::move(status);
    done_ = true;
  }

  std::unique_ptr<v1::Mobilisation::Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<Reader> reader_;
  std::thread thread_;
  mutable absl::Mutex mu_;
  std::vector<v1::Event> events_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::Heartbeat> heartbeats_ ABSL_GUARDED_BY(mu_);
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
  bool done_ ABSL_GUARDED_BY(mu_) = false;
};

std::vector<std::string> Cursors(const std::vector<v1::Event>& events) {
  std::vector<std::string> cursors;
  for (const v1::Event& event : events) cursors.push_back(event.cursor());
  return cursors;
}

// Elements from..to of `ids` (both included, 1-based as the tests count events).
std::vector<std::string> Range(const std::vector<std::string>& ids, size_t from, size_t to) {
  return std::vector<std::string>(ids.begin() + static_cast<long>(from - 1),
                                  ids.begin() + static_cast<long>(to));
}

v1::Event MakeEvent(const std::string& crisis_id, int n, size_t padding = 0) {
  v1::Event event;
  event.set_type(v1::EVENT_TYPE_NEED_UPDATED);
  event.mutable_time()->set_seconds(1'780'000'000 + n);
  event.set_service("crisis_registry");
  event.set_principal_id(std::string(padding, 'p'));
  event.set_request_id(absl::StrCat("r-", n));
  event.set_crisis_id(crisis_id);
  event.set_subject_id(absl::StrCat("need-", n));
  return event;
}

class FeedTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = RedisServer::StartWithServiceUsers().release(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    server_->FlushAll();
    RedisOptions options;
    options.host = server_->host();
    options.port = server_->port();
    options.connections = 2;
    options.command_timeout = absl::Seconds(2);
    options.backoff_max = absl::Milliseconds(100);
    redis_ = std::make_unique<RedisClient>(options, system_clock_);
  }

  FeedOptions Options() {
    FeedOptions options;
    options.block = absl::Milliseconds(100);  // Stop() within 100 ms
    return options;
  }
  std::unique_ptr<Feed> StartFeed(FeedOptions options) {
    return std::make_unique<Feed>(*server_, clock_, std::move(options));
  }

  // XADD as relais_commit does it; retries while Redis is coming back.
  std::string Append(const v1::Event& event) {
    const std::string bytes = event.SerializeAsString();
    const absl::Time deadline = absl::Now() + kPatience;
    while (true) {
      auto reply = redis_->Command({"XADD", kKey, "MAXLEN", "~", "100000", "*", "t",
                                    absl::StrCat(static_cast<int>(event.type())), "c",
                                    event.crisis_id(), "e", bytes});
      if (reply.ok() && reply->is_string()) return reply->str();
      if (absl::Now() > deadline) {
        ADD_FAILURE() << "XADD failed: " << (reply.ok() ? reply->str() : reply.status().ToString());
        return "";
      }
      absl::SleepFor(absl::Milliseconds(5));  // Redis restarting: try again
    }
  }
  // `count` events over the crises, returns their cursors.
  std::vector<std::string> AppendMany(size_t count, const std::vector<std::string>& crises,
                                      size_t padding = 0) {
    std::vector<std::string> ids;
    for (size_t i = 0; i < count; ++i) {
      ids.push_back(Append(MakeEvent(crises[i % crises.size()], static_cast<int>(i), padding)));
    }
    return ids;
  }
  // Every entry id after `after` ("" = all).
  std::vector<std::string> LogIdsAfter(const std::string& after) {
    auto reply = redis_->Command({"XRANGE", kKey, after.empty() ? "-" : "(" + after, "+"});
    std::vector<std::string> ids;
    if (!reply.ok()) return ids;
    for (const Reply& entry : reply->elements()) ids.push_back(entry.elements()[0].str());
    return ids;
  }
  bool WaitForLive(FeedHub& hub, const std::string& id) {
    return Eventually([&] { return hub.live_position() == id; });
  }
  // Once a heartbeat arrives after `watcher` got `n` events, nothing else was queued for it.
  void ExpectNothingMore(FeedHub& hub, Watcher& watcher, size_t events) {
    const size_t before = watcher.heartbeats().size();
    hub.SendHeartbeats();
    ASSERT_TRUE(watcher.WaitForHeartbeats(before + 1));
    EXPECT_EQ(watcher.events().size(), events);
  }

  static RedisServer* server_;
  SystemClock system_clock_;
  FakeClock clock_;
  std::unique_ptr<RedisClient> redis_;
};

RedisServer* FeedTest::server_ = nullptr;

// 1. Live events, for every crisis and for some.
TEST_F(FeedTest, LiveEventsForEveryCrisisAndForChosenOnes) {
  auto feed = StartFeed(Options());
  const std::vector<std::string> before = AppendMany(3, {"c-a"});
  ASSERT_TRUE(WaitForLive(feed->hub(), before.back()));

  auto all = Watcher::All(feed->port());
  auto only_b = Watcher::All(feed->port(), "", {"c-b"});
  auto a_and_c = Watcher::All(feed->port(), "", {"c-c", "c-a"});
  ASSERT_TRUE(Eventually([&] { return feed->hub().subscribers() == 3; }));
  EXPECT_EQ(feed->Metric("relais_feed_subscribers"), 3);

  const std::vector<std::string> ids = AppendMany(9, {"c-a", "c-b", "c-c"});
  ASSERT_TRUE(all->WaitForEvents(9));
  ASSERT_TRUE(only_b->WaitForEvents(3));
  ASSERT_TRUE(a_and_c->WaitForEvents(6));
  // From now: nothing appended before the subscription.
  EXPECT_EQ(Cursors(all->events()), ids);
  EXPECT_EQ(Cursors(only_b->events()), (std::vector<std::string>{ids[1], ids[4], ids[7]}));
  EXPECT_EQ(Cursors(a_and_c->events()),
            (std::vector<std::string>{ids[0], ids[2], ids[3], ids[5], ids[6], ids[8]}));
  // The whole event, with its cursor.
  const v1::Event first = all->events()[0];
  EXPECT_EQ(first.crisis_id(), "c-a");
  EXPECT_EQ(first.request_id(), "r-0");
  EXPECT_EQ(first.type(), v1::EVENT_TYPE_NEED_UPDATED);
  EXPECT_EQ(first.time().seconds(), 1'780'000'000);
  for (const v1::Event& event : only_b->events()) EXPECT_EQ(event.crisis_id(), "c-b");
  ExpectNothingMore(feed->hub(), *all, 9);
  ExpectNothingMore(feed->hub(), *only_b, 3);
}

TEST_F(FeedTest, MyAssignmentsFollowResponderIdAndResponderIds) {
  auto feed = StartFeed(Options());
  ASSERT_TRUE(WaitForLive(feed->hub(), "0-0"));
  auto mine = Watcher::Mine(feed->port(), "rsp-1");
  auto other = Watcher::Mine(feed->port(), "rsp-2");

  v1::Event direct = MakeEvent("c-a", 1);
  direct.set_type(v1::EVENT_TYPE_REQUEST_ACCEPTED);
  direct.set_responder_id("rsp-1");
  v1::Event team_hold = MakeEvent("c-a", 2);
  team_hold.set_type(v1::EVENT_TYPE_HOLD_PLACED);
  team_hold.add_responder_ids("rsp-3");
  team_hold.add_responder_ids("rsp-1");
  v1::Event someone_else = MakeEvent("c-a", 3);
  someone_else.set_responder_id("rsp-2");
  v1::Event nobody = MakeEvent("c-b", 4);
  const std::string id1 = Append(direct);
  const std::string id2 = Append(team_hold);
  const std::string id3 = Append(someone_else);
  const std::string id4 = Append(nobody);

  ASSERT_TRUE(mine->WaitForEvents(2));
  ASSERT_TRUE(other->WaitForEvents(1));
  ASSERT_TRUE(WaitForLive(feed->hub(), id4));
  EXPECT_EQ(Cursors(mine->events()), (std::vector<std::string>{id1, id2}));
  EXPECT_EQ(mine->events()[1].responder_ids_size(), 2);
  EXPECT_EQ(Cursors(other->events()), std::vector<std::string>{id3});
  ExpectNothingMore(feed->hub(), *mine, 2);

  // The same filter from a cursor.
  auto resumed = Watcher::Mine(feed->port(), "rsp-1", id1);
  ASSERT_TRUE(resumed->WaitForEvents(1));
  ExpectNothingMore(feed->hub(), *resumed, 1);
  EXPECT_EQ(Cursors(resumed->events()), std::vector<std::string>{id2});
}

// An entry whose event does not parse still arrives (cursor, type and crisis from the entry's
// fields): a reader never silently misses that something happened.
TEST_F(FeedTest, UnreadableEntryStillArrivesWithItsCursor) {
  auto feed = StartFeed(Options());
  ASSERT_TRUE(WaitForLive(feed->hub(), "0-0"));
  auto watcher = Watcher::All(feed->port(), "", {"c-x"});
  // A field that says 5 bytes follow, then only 2.
  const std::string unreadable = std::string("\x0a\x05") + "ab";
  const std::string bad =
      server_->Command({"XADD", kKey, "*", "t", "110", "c", "c-x", "e", unreadable});
  const std::string good = Append(MakeEvent("c-x", 2));
  ASSERT_TRUE(watcher->WaitForEvents(2));
  const std::vector<v1::Event> events = watcher->events();
  EXPECT_EQ(events[0].cursor(), bad);
  EXPECT_EQ(events[0].type(), v1::EVENT_TYPE_NEED_ADDED);
  EXPECT_EQ(events[0].crisis_id(), "c-x");
  EXPECT_EQ(events[1].cursor(), good);
  EXPECT_EQ(events[1].request_id(), "r-2");
}

// 2. Disconnecting anywhere and resuming from the last cursor received: every event exactly
// once, in log order, while another thread appends.
TEST_F(FeedTest, ResumingFromTheLastCursorMissesNothingAndRepeatsNothing) {
  FeedOptions options = Options();
  options.ring_size = 50;  // resumes also read older events from Redis
  options.backlog_page = 37;
  auto feed = StartFeed(options);
  const std::string seed = Append(MakeEvent("c-0", -1));
  ASSERT_TRUE(WaitForLive(feed->hub(), seed));

  constexpr size_t kEvents = 2000;
  std::thread writer([this] { AppendMany(kEvents, {"c-0", "c-1", "c-2", "c-3", "c-4"}); });

  std::mt19937 rng(20251);
  std::uniform_int_distribution<size_t> read_count(1, 150);
  std::vector<std::string> received;
  std::string cursor = seed;
  for (int reconnects = 0; received.size() < kEvents; ++reconnects) {
    auto watcher = Watcher::All(feed->port(), cursor);
    const size_t target = reconnects < 20 ? std::min(read_count(rng), kEvents - received.size())
                                          : kEvents - received.size();
    if (!watcher->WaitForEvents(target)) {
      // Fell more than queue_limit behind the writer (a busy machine): the client's answer is
      // the same, resume from the last cursor.
      auto status = watcher->WaitDone();
      ASSERT_TRUE(status.has_value()) << "reconnect " << reconnects;
      ASSERT_EQ(status->error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
          << "reconnect " << reconnects;
    }
    watcher->Cancel();
    for (const std::string& id : Cursors(watcher->events())) received.push_back(id);
    if (!received.empty()) cursor = received.back();
    ASSERT_LE(reconnects, 100);
  }
  writer.join();
  EXPECT_EQ(received, LogIdsAfter(seed));
  EXPECT_TRUE(Eventually([&] { return feed->hub().subscribers() == 0; }));
}

// 3. Cursors are stream ids: a new hub on the same Redis resumes exactly where the old one was.
TEST_F(FeedTest, ResumesAcrossARestartOfTheService) {
  std::vector<std::string> ids;
  {
    auto feed = StartFeed(Options());
    ASSERT_TRUE(WaitForLive(feed->hub(), "0-0"));
    auto watcher = Watcher::All(feed->port());
    ids = AppendMany(10, {"c-a"});
    ASSERT_TRUE(watcher->WaitForEvents(10));
    EXPECT_EQ(Cursors(watcher->events()), ids);
    // The hub goes first, the stream still open: the client is told, gRPC ends the call later.
    feed->DestroyHub();
    auto status = watcher->WaitDone();
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(status->error_code(), grpc::StatusCode::UNAVAILABLE);
    EXPECT_EQ(status->error_message(), "server shutting down");
  }
  // Written while no feed runs.
  for (const std::string& id : AppendMany(10, {"c-a", "c-b"})) ids.push_back(id);

  auto feed = StartFeed(Options());
  auto resumed = Watcher::All(feed->port(), ids[3]);
  ASSERT_TRUE(resumed->WaitForEvents(16));
  for (const std::string& id : AppendMany(5, {"c-c"})) ids.push_back(id);
  ASSERT_TRUE(resumed->WaitForEvents(21));
  ExpectNothingMore(feed->hub(), *resumed, 21);
  EXPECT_EQ(Cursors(resumed->events()), Range(ids, 5, 25));
}

// 4. A backlog older than the ring comes from Redis, then the ring, then live events: no gap,
// no duplicate at either handoff.
TEST_F(FeedTest, BacklogOlderThanTheRingThenLive) {
  FeedOptions options = Options();
  options.ring_size = 10;
  options.backlog_page = 7;
  options.queue_limit = 16;
  auto feed = StartFeed(options);
  ASSERT_TRUE(WaitForLive(feed->hub(), "0-0"));
  std::vector<std::string> ids = AppendMany(300, {"c-1", "c-2", "c-3"});
  ASSERT_TRUE(WaitForLive(feed->hub(), ids.back()));

  auto all = Watcher::All(feed->port(), ids[4]);
  auto one = Watcher::All(feed->port(), ids[4], {"c-1"});
  ASSERT_TRUE(all->WaitForEvents(295));
  ASSERT_TRUE(one->WaitForEvents(98));
  // Live now: in bursts smaller than the queue (a bigger burst may cut a live subscriber off).
  for (size_t burst = 1; burst <= 2; ++burst) {
    for (const std::string& id : AppendMany(10, {"c-1", "c-2"})) ids.push_back(id);
    ASSERT_TRUE(all->WaitForEvents(295 + 10 * burst));
    ASSERT_TRUE(one->WaitForEvents(98 + 5 * burst));
  }
  ExpectNothingMore(feed->hub(), *all, 315);
  EXPECT_EQ(Cursors(all->events()), Range(ids, 6, 320));

  // c-1: every third of the first 300 and every other of the last 20.
  std::vector<std::string> expected;
  for (size_t i = 5; i < 300; ++i) {
    if (i % 3 == 0) expected.push_back(ids[i]);
  }
  for (size_t i = 300; i < 320; i += 2) expected.push_back(ids[i]);
  ASSERT_TRUE(one->WaitForEvents(expected.size()));
  ExpectNothingMore(feed->hub(), *one, expected.size());
  EXPECT_EQ(Cursors(one->events()), expected);
  for (const v1::Event& event : one->events()) EXPECT_EQ(event.crisis_id(), "c-1");
}

// 5. Trimmed history is OUT_OF_RANGE; a cursor at the first entry retained is still complete.
TEST_F(FeedTest, CursorOlderThanTheRetainedLogIsOutOfRange) {
  FeedOptions options = Options();
  options.ring_size = 2;  // the cursors below are checked against Redis, not the ring
  auto feed = StartFeed(options);
  ASSERT_TRUE(WaitForLive(feed->hub(), "0-0"));
  const std::vector<std::string> ids = AppendMany(50, {"c-a"});
  ASSERT_TRUE(WaitForLive(feed->hub(), ids.back()));
  ASSERT_EQ(server_->Command({"XTRIM", kKey, "MAXLEN", "5"}), "45");  // keeps events 46..50

  // Events 2 and 44 (and the start of the log): event 45 after them is gone.
  for (const std::string& cursor : {ids[1], ids[43], std::string("0-0")}) {
    auto old = Watcher::All(feed->port(), cursor);
    auto status = old->WaitDone();
    ASSERT_TRUE(status.has_value()) << cursor;
    EXPECT_EQ(status->error_code(), grpc::StatusCode::OUT_OF_RANGE) << cursor;
    EXPECT_EQ(status->error_message(), kTrimmed);
    EXPECT_TRUE(old->events().empty());
  }
  auto mine = Watcher::Mine(feed->port(), "rsp-1", ids[2]);
  auto status = mine->WaitDone();
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->error_code(), grpc::StatusCode::OUT_OF_RANGE);
  EXPECT_EQ(feed->hub().subscribers(), 0);

  // Event 46 is the first one kept: everything after it is there (from Redis, then the ring).
  auto at_first_kept = Watcher::All(feed->port(), ids[45]);
  ASSERT_TRUE(at_first_kept->WaitForEvents(4));
  ExpectNothingMore(feed->hub(), *at_first_kept, 4);
  EXPECT_EQ(Cursors(at_first_kept->events()), Range(ids, 47, 50));
}

TEST_F(FeedTest, BadRequestsAreInvalidArgumentNamingTheField) {
  auto feed = StartFeed(Options());
  const std::string last = Append(MakeEvent("c-a", 1));
  ASSERT_TRUE(WaitForLive(feed->hub(), last));

  const auto expect_invalid = [](Watcher& watcher, const std::string& prefix) {
    auto status = watcher.WaitDone();
    ASSERT_TRUE(status.has_value()) << prefix;
    EXPECT_EQ(status->error_code(), grpc::StatusCode::INVALID_ARGUMENT) << prefix;
    EXPECT_EQ(status->error_message().rfind(prefix, 0), 0u) << status->error_message();
  };
  for (const std::string cursor :
       {"abc", "12", "1-2-3", "-1-0", "1-x", "1-", "-", "18446744073709551616-0", " 1-0"}) {
    expect_invalid(*Watcher::All(feed->port(), cursor), "cursor: not a log position");
    expect_invalid(*Watcher::Mine(feed->port(), "rsp-1", cursor), "cursor: not a log position");
  }
  // A well-formed id the log has not reached.
  expect_invalid(*Watcher::All(feed->port(), "99999999999999-0"),
                 "cursor: after the end of the event log");
  std::vector<std::string> too_many;
  for (int i = 0; i < 101; ++i) too_many.push_back(absl::StrCat("c-", i));
  expect_invalid(*Watcher::All(feed->port(), "", too_many), "crisis_ids: ");
  too_many.pop_back();
  auto hundred = Watcher::All(feed->port(), "", too_many);
  expect_invalid(*Watcher::All(feed->port(), "", {"c-a", "not an id"}), "crisis_ids[1]: ");
  expect_invalid(*Watcher::Mine(feed->port(), ""), "responder_id: is required");
  expect_invalid(*Watcher::Mine(feed->port(), "rsp/1"), "responder_id: ");
  EXPECT_EQ(feed->hub().subscribers(), 1);  // only the one with 100 crisis ids
}

// 6. A client that stops reading fills its queue and is cut off; the others get everything. A
// slow reader of a long backlog is paced instead.
TEST_F(FeedTest, StalledSubscriberIsCutOffAndOthersKeepUp) {
  FeedOptions options = Options();
  options.queue_limit = 8;
  options.ring_size = 16;
  auto feed = StartFeed(options);
  const std::string seed = Append(MakeEvent("c-a", -1));
  ASSERT_TRUE(WaitForLive(feed->hub(), seed));

  // No BDP probing: the transport buffers one 64 KiB window, not megabytes.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  auto stalled_stub = v1::Mobilisation::NewStub(OwnChannel(feed->port(), args));
  grpc::ClientContext stalled_ctx;
  stalled_ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  auto stalled = stalled_stub->WatchMobilisation(&stalled_ctx, v1::WatchMobilisationRequest());
  stalled->WaitForInitialMetadata();
  auto fast = Watcher::All(feed->port());
  ASSERT_TRUE(Eventually([&] { return feed->hub().subscribers() == 2; }));

  // In bursts of 4 that the fast client reads before the next: it never has more than 4 queued,
  // the stalled one's queue (8) overflows once the transport's window is full.
  constexpr size_t kPadding = 16 * 1024;
  std::vector<std::string> ids;
  const auto append_paced = [&](size_t count) {
    while (count > 0) {
      const size_t burst = std::min<size_t>(4, count);
      for (const std::string& id : AppendMany(burst, {"c-a"}, kPadding)) ids.push_back(id);
      count -= burst;
      if (!fast->WaitForEvents(ids.size())) return false;
    }
    return true;
  };
  ASSERT_TRUE(append_paced(200));
  ASSERT_TRUE(Eventually([&] { return feed->hub().subscribers() == 1; }));
  EXPECT_EQ(feed->Metric("relais_feed_cut_off_total"), 1);
  EXPECT_EQ(Cursors(fast->events()), ids);

  // What reached the stalled client before the cut is a prefix of the log, then the status.
  std::vector<std::string> got;
  v1::MobilisationUpdate update;
  while (stalled->Read(&update)) got.push_back(update.event().cursor());
  const grpc::Status cut = stalled->Finish();
  EXPECT_EQ(cut.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(cut.error_message(), "subscriber fell behind; resume from your last cursor");
  ASSERT_LT(got.size(), 200u);
  EXPECT_EQ(got, Range(ids, 1, got.size()));

  // Resuming from a cursor with a long backlog and not reading: paced by its queue, never cut
  // off, even while live events go on.
  grpc::ClientContext slow_ctx;
  slow_ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  v1::WatchMobilisationRequest from_seed;
  from_seed.set_cursor(seed);
  auto slow = stalled_stub->WatchMobilisation(&slow_ctx, from_seed);
  slow->WaitForInitialMetadata();
  ASSERT_TRUE(Eventually([&] { return feed->hub().subscribers() == 2; }));
  ASSERT_TRUE(append_paced(30));
  EXPECT_EQ(feed->hub().subscribers(), 2);
  got.clear();
  while (got.size() < ids.size() && slow->Read(&update)) {
    if (update.has_event()) got.push_back(update.event().cursor());
  }
  EXPECT_EQ(got, ids);
  EXPECT_EQ(feed->Metric("relais_feed_cut_off_total"), 1);
  slow_ctx.TryCancel();
  slow->Finish();
}

// 7. Heartbeats say how far the stream has passed, also over events it filtered out.
TEST_F(FeedTest, HeartbeatsCarryThePositionPastFilteredEvents) {
  auto feed = StartFeed(Options());
  ASSERT_TRUE(WaitForLive(feed->hub(), "0-0"));
  auto quiet = Watcher::All(feed->port(), "", {"c-quiet"});
  auto mine = Watcher::Mine(feed->port(), "rsp-quiet");
  const std::vector<std::string> loud = AppendMany(5, {"c-loud"});
  ASSERT_TRUE(WaitForLive(feed->hub(), loud.back()));

  feed->hub().SendHeartbeats();
  ASSERT_TRUE(quiet->WaitForHeartbeats(1));
  ASSERT_TRUE(mine->WaitForHeartbeats(1));
  EXPECT_EQ(quiet->heartbeats()[0].cursor(), loud.back());
  EXPECT_EQ(mine->heartbeats()[0].cursor(), loud.back());
  EXPECT_EQ(FromProtoTime(quiet->heartbeats()[0].time()), clock_.Now());

  clock_.Advance(absl::Seconds(15));
  feed->hub().SendHeartbeats();
  ASSERT_TRUE(quiet->WaitForHeartbeats(2));
  EXPECT_EQ(FromProtoTime(quiet->heartbeats()[1].time()), clock_.Now());
  EXPECT_EQ(quiet->heartbeats()[1].cursor(), loud.back());
  EXPECT_TRUE(quiet->events().empty());
  EXPECT_TRUE(mine->events().empty());

  // The heartbeat's cursor is a good place to resume from.
  quiet->Cancel();
  auto resumed = Watcher::All(feed->port(), quiet->heartbeats()[1].cursor(), {"c-quiet"});
  AppendMany(3, {"c-loud"});
  const std::string wanted = Append(MakeEvent("c-quiet", 9));
  ASSERT_TRUE(resumed->WaitForEvents(1));
  ExpectNothingMore(feed->hub(), *resumed, 1);
  EXPECT_EQ(Cursors(resumed->events()), std::vector<std::string>{wanted});
  EXPECT_EQ(resumed->heartbeats().back().cursor(), wanted);
}

// 8. Redis stopped and restarted under a connected subscriber: heartbeats go on, then events
// continue where they were; a backlog asked for during the outage is served once Redis is back.
TEST_F(FeedTest, RedisOutageKeepsSubscribersAndLosesNothing) {
  FeedOptions options = Options();
  options.ring_size = 5;
  auto feed = StartFeed(options);
  ASSERT_TRUE(WaitForLive(feed->hub(), "0-0"));
  auto live = Watcher::All(feed->port());
  std::vector<std::string> ids = AppendMany(10, {"c-a", "c-b"});
  ASSERT_TRUE(live->WaitForEvents(10));

  server_->Stop();
  feed->hub().SendHeartbeats();
  ASSERT_TRUE(live->WaitForHeartbeats(1));
  EXPECT_EQ(live->heartbeats()[0].cursor(), ids.back());
  // Older than the ring: needs Redis, which is down. It waits, connected.
  auto backlog = Watcher::All(feed->port(), ids[1]);
  feed->hub().SendHeartbeats();
  ASSERT_TRUE(backlog->WaitForHeartbeats(1));
  EXPECT_EQ(backlog->heartbeats()[0].cursor(), ids[1]);
  EXPECT_EQ(feed->hub().subscribers(), 2);

  server_->Restart();
  for (const std::string& id : AppendMany(10, {"c-a", "c-b"})) ids.push_back(id);
  ASSERT_TRUE(live->WaitForEvents(20));
  ASSERT_TRUE(backlog->WaitForEvents(18));
  ExpectNothingMore(feed->hub(), *live, 20);
  ExpectNothingMore(feed->hub(), *backlog, 18);
  EXPECT_EQ(Cursors(live->events()), ids);
  EXPECT_EQ(Cursors(backlog->events()), Range(ids, 3, 20));
}

// 9. At most max_subscribers streams; a cancelled client frees its place at once.
TEST_F(FeedTest, SubscribersBeyondTheLimitAreRefused) {
  FeedOptions options = Options();
  options.max_subscribers = 2;
  auto feed = StartFeed(options);
  auto first = Watcher::All(feed->port());
  auto second = Watcher::Mine(feed->port(), "rsp-1");
  ASSERT_EQ(feed->hub().subscribers(), 2);

  auto third = Watcher::All(feed->port());
  auto status = third->WaitDone();
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);

  first->Cancel();
  ASSERT_TRUE(Eventually([&] { return feed->hub().subscribers() == 1; }));
  EXPECT_EQ(feed->Metric("relais_feed_subscribers"), 1);
  auto fourth = Watcher::All(feed->port());
  EXPECT_EQ(feed->hub().subscribers(), 2);

  // Stop ends every open stream, and refuses new ones.
  feed->hub().Stop();
  for (Watcher* watcher : {second.get(), fourth.get()}) {
    auto ended = watcher->WaitDone();
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->error_code(), grpc::StatusCode::UNAVAILABLE);
  }
  EXPECT_EQ(feed->hub().subscribers(), 0);
  auto late = Watcher::All(feed->port());
  auto refused = late->WaitDone();
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->error_code(), grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace relais::mobilisation
