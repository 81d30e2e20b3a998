// mobilisation_bench: the mobilisation service with the crisis registry and the inventory, all
// three in this process on one redis-server, reported as ratios to floors measured in the same run
// (see docs/PERFORMANCE.md):
//   floor A  an empty unary gRPC call to the mobilisation service's host (an Echo callback service
//            on the same ServiceHost that finishes inline, no executor hop), same channel and
//            metadata as the Mobilise calls;
//   floor B  a bare hiredis round trip from this process: HMGET of a need's state
//            (mob:need:<crisis>:<need>), the mobilisation service's most frequent read.
// floor = A p50 + B p50.
//
// The services run as their main.cc wires them (SystemClock, RandomIdGenerator, the server flags),
// except that background work is off (the inventory's sweeper, the mobilisation service's
// deadlines, chain steps, outbox and heartbeats), as in tests/support/mobilisation_stack.h.
//
// What it measures, in order:
//   1. Mobilise: N generated responders (default 100,000) loaded through the inventory's Registry
//      in-process; then per iteration and per overbooking factor (1.0: 20 requests, 1.5: 30) a new
//      local crisis near Lyon with one need of 20 nurses of level >= 2 is declared and activated
//      (untimed), and Mobilise is timed through gRPC; a second crisis is mobilised by a Mobiliser
//      built here on the service's own store and committer with timed peers (the same code without
//      the gRPC front), which splits the call into its peer calls (GetCrisis, FindResponders,
//      HoldBatch) and the rest. The holds are released after each call (untimed) so that every
//      iteration finds the same free population. Floors are measured between the iterations.
//   2. Fan-out: --subscribers WatchMobilisation streams opened by a second process (this binary
//      with --subscriber_client; a few gRPC callback threads serve all the streams); then --events
//      events XADDed to relais:events one at a time, each timed from just before the XADD to its
//      delivery to the last subscriber (CLOCK_MONOTONIC is shared by both processes).
//   3. Idle subscribers: --idle_subscribers streams opened the same way; this process's VmRSS
//      before and after (the server's: the subscribers live in the other process), then
//      --idle_events events to all of them, one at a time.
//
//   mobilisation_bench            full run (1-2.5 minutes on 2 shared cores)
//   mobilisation_bench --smoke    2,000 responders, a few calls of each kind; fails only if a call
//                                 fails or an event is not delivered to every subscriber
//   mobilisation_bench --json     the JSON line only (it is always the last line of the output)
// The servers' own flags (--executor_threads, --redis_connections, ...) apply to all three.
#include <fcntl.h>
#include <grpcpp/grpcpp.h>
#include <hiredis/hiredis.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <spdlog/sinks/null_sink.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "relais/v1/crisis_registry.grpc.pb.h"
#include "relais/v1/inventory.grpc.pb.h"
#include "relais/v1/mobilisation.grpc.pb.h"
#include "services/crisis_registry/server.h"
#include "services/inventory/server.h"
#include "services/mobilisation/mobiliser.h"
#include "services/mobilisation/peers.h"
#include "services/mobilisation/redis_mobilisation_store.h"
#include "services/mobilisation/server.h"
#include "services/runtime/proto_time.h"
#include "tests/bench/bench_util.h"
#include "tests/support/echo.grpc.pb.h"
#include "tests/support/redis_server.h"

extern char** environ;

ABSL_FLAG(bool, smoke, false,
          "2,000 responders, a few calls of each kind (CI); checks that every call succeeds and "
          "every event reaches every subscriber, nothing about speed");
ABSL_FLAG(bool, json, false, "print only the JSON line");
ABSL_FLAG(int, responders, 100000, "responders registered before measuring");
ABSL_FLAG(int, organisations, 12, "organisations the responders are spread over");
ABSL_FLAG(int, load_threads, 8, "threads calling the inventory's Registry in-process to load");
ABSL_FLAG(uint64_t, seed, 20261127, "seed of the generated responders and crises");
ABSL_FLAG(int, iterations, 200,
          "measured iterations; each mobilises one new crisis per overbooking factor through gRPC "
          "and one in-process (stages)");
ABSL_FLAG(int, warmup_iterations, 5, "unmeasured iterations first");
ABSL_FLAG(int, need_quantity, 20, "people the need asks for");
ABSL_FLAG(std::vector<std::string>, overbooking, std::vector<std::string>({"1.0", "1.5"}),
          "overbooking factors measured (requests sent = ceil(need x factor))");
ABSL_FLAG(bool, stages, true,
          "also mobilise through an in-process Mobiliser with timed peers (the stage split)");
ABSL_FLAG(bool, release_holds, true,
          "release the holds of each Mobilise after it (untimed); false lets them accumulate");
ABSL_FLAG(int, floor_calls, 20, "calls of each floor between two iterations");
ABSL_FLAG(int, subscribers, 1000, "concurrent WatchMobilisation streams of the fan-out; 0: skip");
ABSL_FLAG(int, events, 200, "events written one at a time to the fan-out's subscribers");
ABSL_FLAG(int, event_gap_ms, 2, "pause between two events of the fan-out");
ABSL_FLAG(int, idle_subscribers, 10000, "idle streams of the memory measurement; 0: skip");
ABSL_FLAG(int, idle_events, 3,
          "events sent one at a time to the idle subscribers once all are open");
ABSL_FLAG(int, streams_per_channel, 50,
          "streams per client channel (each channel is one TCP connection)");
ABSL_FLAG(std::string, subscriber_client, "",
          "internal: run as the subscribers' process, <port>:<streams>:<per channel>:<crisis id>");
ABSL_FLAG(bool, mutex_deadlock_detection, true,
          "leave absl::Mutex deadlock detection on (Debian's Abseil; the benchmarks keep it on); "
          "false switches it off as the services' main() does");

namespace relais::bench {
namespace {

namespace v1 = ::relais::v1;
using ::relais::testing::EchoReply;
using ::relais::testing::EchoRequest;

constexpr char kCoordinator[] = "coord-bench";
constexpr char kFeedCrisis[] = "crs_bench_feed";
constexpr double kMobiliseTargetP99Us = 10000;
constexpr double kFanOutTargetP99Us = 50000;
constexpr int64_t kIdleTargetKb = 512 * 1024;

double Ratio(double a, double b) { return b > 0 ? a / b : 0; }

double Seconds(SteadyClock::time_point a, SteadyClock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

int64_t MonotonicNanos(SteadyClock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Soft RLIMIT_NOFILE up to the hard limit: thousands of streams share a few hundred sockets, but
// nothing else should run short either.
int64_t RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return -1;
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
  getrlimit(RLIMIT_NOFILE, &limit);
  return static_cast<int64_t>(limit.rlim_cur);
}

nlohmann::json StatsJson(std::vector<double> us) {
  const LatencyStats s = Summarize(us);
  nlohmann::json j = ToJson(s);
  j["max_us"] = us.empty() ? 0.0 : us.back();
  return j;
}

// A call context with the dev identity headers (docs/ARCHITECTURE.md, identity seam).
std::unique_ptr<grpc::ClientContext> As(const std::string& principal, const std::string& role,
                                        const std::string& organisation = "") {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("x-relais-principal", principal);
  ctx->AddMetadata("x-relais-role", role);
  if (!organisation.empty()) ctx->AddMetadata("x-relais-organisation", organisation);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return ctx;
}

std::shared_ptr<grpc::Channel> NewChannel(int port, int index) {
  grpc::ChannelArguments args;
  // A subchannel (TCP connection) of its own, not shared with the other channels.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt("relais.bench.mobilisation_channel", index);
  return grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port),
                                   grpc::InsecureChannelCredentials(), args);
}

// ---------------------------------------------------------------------------------------------
// The subscribers' process (--subscriber_client). Opens the streams with the callback API (gRPC's
// own few threads serve all of them) and reports on stdout, one line each:
//   ready <subscribed> <failed>                 every stream has its headers (or failed)
//   event <cursor> <count> <first ns> <last ns> an event reached every stream (or, after 10 s
//                                               without, the streams it reached)
//   ended <index> <code> <message>              a stream ended before it was told to
//   bye <VmRSS kB>                              after stdin closed and every stream ended
// Times are CLOCK_MONOTONIC nanoseconds, comparable with the parent's.

class SubscriberSet {
 public:
  SubscriberSet(int port, int streams, int per_channel, std::string crisis_id)
      : port_(port),
        streams_(streams),
        per_channel_(std::max(1, per_channel)),
        crisis_id_(std::move(crisis_id)) {}

  int Run();

 private:
  class Reader final : public grpc::ClientReadReactor<v1::MobilisationUpdate> {
   public:
    Reader(SubscriberSet& set, int index) : set_(set), index_(index) {}

    void Start(v1::Mobilisation::Stub* stub, const std::string& crisis_id) {
      ctx_.AddMetadata("x-relais-principal", absl::StrCat("dash-bench-", index_));
      ctx_.AddMetadata("x-relais-role", "dashboard");
      request_.add_crisis_ids(crisis_id);
      stub->async()->WatchMobilisation(&ctx_, &request_, this);
      StartRead(&update_);
      StartCall();
    }
    void Cancel() { ctx_.TryCancel(); }

    void OnReadInitialMetadataDone(bool ok) override { set_.Subscribed(ok); }
    void OnReadDone(bool ok) override {
      if (!ok) return;  // the stream is ending: OnDone follows
      const auto now = SteadyClock::now();
      if (update_.has_event()) set_.Delivered(update_.event().cursor(), now);
      StartRead(&update_);
    }
    void OnDone(const grpc::Status& status) override { set_.Ended(index_, status); }

   private:
    SubscriberSet& set_;
    const int index_;
    grpc::ClientContext ctx_;
    v1::WatchMobilisationRequest request_;
    v1::MobilisationUpdate update_;
  };

  struct Arrival {
    int count = 0;
    int64_t first_ns = 0;
    int64_t last_ns = 0;
  };

  void Subscribed(bool ok) {
    absl::MutexLock lock(&mu_);
    ++(ok ? subscribed_ : failed_);
  }
  void Delivered(const std::string& cursor, SteadyClock::time_point at) {
    const int64_t ns = MonotonicNanos(at);
    absl::MutexLock lock(&mu_);
    if (reported_.contains(cursor)) return;
    Arrival& a = arrivals_[cursor];
    if (a.count == 0 || ns < a.first_ns) a.first_ns = ns;
    a.last_ns = std::max(a.last_ns, ns);
    ++a.count;
    if (a.count >= subscribed_ - done_) news_ = true;
  }
  void Ended(int index, const grpc::Status& status) {
    absl::MutexLock lock(&mu_);
    ++done_;
    if (!quit_) {
      std::printf("ended %d %d %s\n", index, static_cast<int>(status.error_code()),
                  status.error_message().c_str());
      std::fflush(stdout);
    }
  }

  const int port_;
  const int streams_;
  const int per_channel_;
  const std::string crisis_id_;

  absl::Mutex mu_;
  int subscribed_ ABSL_GUARDED_BY(mu_) = 0;
  int failed_ ABSL_GUARDED_BY(mu_) = 0;
  int done_ ABSL_GUARDED_BY(mu_) = 0;
  bool quit_ ABSL_GUARDED_BY(mu_) = false;
  // An event has reached every open stream.
  bool news_ ABSL_GUARDED_BY(mu_) = false;
  std::map<std::string, Arrival> arrivals_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> reported_ ABSL_GUARDED_BY(mu_);
};

int SubscriberSet::Run() {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  std::vector<std::unique_ptr<v1::Mobilisation::Stub>> stubs;
  const int channel_count = (streams_ + per_channel_ - 1) / per_channel_;
  for (int c = 0; c < channel_count; ++c) {
    channels.push_back(NewChannel(port_, c));
    stubs.push_back(v1::Mobilisation::NewStub(channels.back()));
  }
  std::vector<std::unique_ptr<Reader>> readers;
  readers.reserve(streams_);
  for (int i = 0; i < streams_; ++i) {
    readers.push_back(std::make_unique<Reader>(*this, i));
    readers.back()->Start(stubs[i / per_channel_].get(), crisis_id_);
  }
  {
    absl::MutexLock lock(&mu_);
    auto all_answered = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return subscribed_ + failed_ >= streams_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&all_answered), absl::Seconds(240));
    std::printf("ready %d %d\n", subscribed_, failed_);
    std::fflush(stdout);
  }
  // stdin closed (or "quit"): end every stream and leave.
  std::thread input([this] {
    char line[256];
    while (std::fgets(line, sizeof line, stdin) != nullptr) {
      if (std::string(line).rfind("quit", 0) == 0) break;
    }
    absl::MutexLock lock(&mu_);
    quit_ = true;
  });
  auto woken = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return news_ || quit_; };
  for (;;) {
    absl::MutexLock lock(&mu_);
    // Woken by a complete event; otherwise looks for stale ones every 100 ms.
    mu_.AwaitWithTimeout(absl::Condition(&woken), absl::Milliseconds(100));
    news_ = false;
    if (quit_) break;
    const int64_t now = MonotonicNanos(SteadyClock::now());
    const int expected = subscribed_ - done_;
    for (auto it = arrivals_.begin(); it != arrivals_.end();) {
      const Arrival& a = it->second;
      if (a.count >= expected || now - a.first_ns > 10'000'000'000) {
        std::printf("event %s %d %ld %ld\n", it->first.c_str(), a.count, a.first_ns, a.last_ns);
        std::fflush(stdout);
        reported_.insert(it->first);
        it = arrivals_.erase(it);
      } else {
        ++it;
      }
    }
  }
  input.join();
  for (auto& reader : readers) reader->Cancel();
  {
    absl::MutexLock lock(&mu_);
    auto all_done = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return done_ >= streams_; };
    mu_.AwaitWithTimeout(absl::Condition(&all_done), absl::Seconds(60));
    std::printf("bye %ld\n", ProcStatusKb("VmRSS"));
    std::fflush(stdout);
    if (done_ < streams_) std::_Exit(3);  // streams still open: do not wait for them
  }
  readers.clear();
  return 0;
}

int RunSubscriberClient(const std::string& spec) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  RaiseFileLimit();
  std::vector<std::string> parts = absl::StrSplit(spec, ':');
  int port = 0, streams = 0, per_channel = 0;
  if (parts.size() != 4 || !absl::SimpleAtoi(parts[0], &port) ||
      !absl::SimpleAtoi(parts[1], &streams) || !absl::SimpleAtoi(parts[2], &per_channel)) {
    std::fprintf(stderr, "--subscriber_client=<port>:<streams>:<per channel>:<crisis id>\n");
    return 2;
  }
  SubscriberSet set(port, streams, per_channel, parts[3]);
  return set.Run();
}

// The parent's side: the child process, its stdin and stdout.
class ChildProcess {
 public:
  static std::unique_ptr<ChildProcess> Spawn(const std::vector<std::string>& args) {
    int to_child[2], from_child[2];
    if (pipe2(to_child, O_CLOEXEC) != 0) return nullptr;
    if (pipe2(from_child, O_CLOEXEC) != 0) {
      close(to_child[0]);
      close(to_child[1]);
      return nullptr;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, to_child[0], 0);
    posix_spawn_file_actions_adddup2(&actions, from_child[1], 1);
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, args[0].c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(to_child[0]);
    close(from_child[1]);
    if (rc != 0) {
      close(to_child[1]);
      close(from_child[0]);
      return nullptr;
    }
    return std::unique_ptr<ChildProcess>(new ChildProcess(pid, to_child[1], from_child[0]));
  }
  ~ChildProcess() {
    CloseInput();
    if (out_ >= 0) close(out_);
    if (pid_ > 0) Wait(absl::Seconds(5));
  }

  // The next line of its stdout; nullopt at EOF or after `timeout`.
  std::optional<std::string> ReadLine(absl::Duration timeout) {
    const absl::Time until = absl::Now() + timeout;
    for (;;) {
      const size_t newline = buffer_.find('\n');
      if (newline != std::string::npos) {
        std::string line = buffer_.substr(0, newline);
        buffer_.erase(0, newline + 1);
        return line;
      }
      const int64_t left = absl::ToInt64Milliseconds(until - absl::Now());
      if (left <= 0 || out_ < 0) return std::nullopt;
      pollfd p{out_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(std::min<int64_t>(left, 1000))) <= 0) continue;
      char chunk[4096];
      const ssize_t n = read(out_, chunk, sizeof chunk);
      if (n <= 0) {
        close(out_);
        out_ = -1;
        continue;
      }
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }
  void CloseInput() {
    if (in_ >= 0) close(in_);
    in_ = -1;
  }
  // Its exit status (-1 when it had to be killed).
  int Wait(absl::Duration timeout) {
    if (pid_ <= 0) return -1;
    const absl::Time until = absl::Now() + timeout;
    int status = 0;
    for (;;) {
      const pid_t r = waitpid(pid_, &status, WNOHANG);
      if (r == pid_) break;
      if (r < 0) {
        pid_ = -1;
        return -1;
      }
      if (absl::Now() > until) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        pid_ = -1;
        return -1;
      }
      absl::SleepFor(absl::Milliseconds(20));
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  ChildProcess(pid_t pid, int in, int out) : pid_(pid), in_(in), out_(out) {}
  pid_t pid_;
  int in_;
  int out_;
  std::string buffer_;
};

// ---------------------------------------------------------------------------------------------
// Redis from the benchmark itself: the floor, the events of the fan-out, INFO and SLOWLOG.

class BareRedis {
 public:
  explicit BareRedis(int port) {
    const timeval timeout = {10, 0};
    c_ = redisConnectWithTimeout("127.0.0.1", port, timeout);
  }
  ~BareRedis() {
    if (c_ != nullptr) redisFree(c_);
  }
  BareRedis(const BareRedis&) = delete;
  BareRedis& operator=(const BareRedis&) = delete;

  using ReplyPtr = std::unique_ptr<redisReply, void (*)(void*)>;
  ReplyPtr Command(const std::vector<std::string>& args) {
    if (c_ == nullptr || c_->err != 0) return ReplyPtr(nullptr, freeReplyObject);
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (const std::string& a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    return ReplyPtr(static_cast<redisReply*>(redisCommandArgv(c_, static_cast<int>(args.size()),
                                                              argv.data(), lens.data())),
                    freeReplyObject);
  }
  std::string String(const std::vector<std::string>& args) {
    ReplyPtr r = Command(args);
    if (r == nullptr || (r->type != REDIS_REPLY_STRING && r->type != REDIS_REPLY_STATUS)) {
      return "";
    }
    return std::string(r->str, r->len);
  }
  // Redis CPU seconds and commands processed so far.
  std::pair<double, int64_t> Counters() {
    auto info = ParseInfo(String({"INFO"}));
    double user = 0, sys = 0;
    int64_t commands = 0;
    if (!absl::SimpleAtod(info["used_cpu_user"], &user) ||
        !absl::SimpleAtod(info["used_cpu_sys"], &sys) ||
        !absl::SimpleAtoi(info["total_commands_processed"], &commands)) {
      return {0, 0};
    }
    return {user + sys, commands};
  }
  // INFO commandstats: calls and µs of Redis time by command (commands inside a Function count).
  std::map<std::string, std::pair<int64_t, double>> CommandStats() {
    std::map<std::string, std::pair<int64_t, double>> out;
    for (const auto& [key, value] : ParseInfo(String({"INFO", "commandstats"}))) {
      if (key.rfind("cmdstat_", 0) != 0) continue;
      int64_t calls = 0;
      double usec = 0;
      for (absl::string_view part : absl::StrSplit(value, ',')) {
        if (absl::ConsumePrefix(&part, "calls=")) {
          if (!absl::SimpleAtoi(part, &calls)) calls = 0;
        } else if (absl::ConsumePrefix(&part, "usec=")) {
          if (!absl::SimpleAtod(part, &usec)) usec = 0;
        }
      }
      out[key.substr(8)] = {calls, usec};
    }
    return out;
  }
  // Floor B: HMGET <key> v d of a stored {v, d} hash.
  bool FloorB(const std::string& key) {
    ReplyPtr r = Command({"HMGET", key, "v", "d"});
    return r != nullptr && r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
           r->element[1]->type == REDIS_REPLY_STRING;
  }
  // The slow log's entries (SLOWLOG GET -1), summarised: count, by command, longest.
  nlohmann::json SlowLog() {
    std::map<std::string, int> by_command;
    int64_t longest = 0;
    int count = 0;
    ReplyPtr r = Command({"SLOWLOG", "GET", "-1"});
    if (r != nullptr && r->type == REDIS_REPLY_ARRAY) {
      for (size_t i = 0; i < r->elements; ++i) {
        const redisReply* e = r->element[i];
        if (e->type != REDIS_REPLY_ARRAY || e->elements < 4) continue;
        const redisReply* args = e->element[3];
        const std::string name = args->elements > 0 && args->element[0]->type == REDIS_REPLY_STRING
                                     ? std::string(args->element[0]->str, args->element[0]->len)
                                     : "?";
        ++by_command[name];
        ++count;
        longest = std::max<int64_t>(longest, e->element[2]->integer);
      }
    }
    return {{"count", count}, {"by_command", by_command}, {"longest_us", longest}};
  }

 private:
  redisContext* c_ = nullptr;
};

// ---------------------------------------------------------------------------------------------
// Generated responders: skills weighted as a Lyon-area health roster, homes over the metropolitan
// area, availability mostly covering the next weeks.

struct Vocabulary {
  std::vector<std::string> skills;
  std::vector<double> weights;
  std::vector<std::string> communes = {"Lyon",    "Villeurbanne", "Vénissieux",       "Bron",
                                       "Oullins", "Saint-Priest", "Caluire-et-Cuire", "Meyzieu"};

  explicit Vocabulary(const Catalogue& catalogue) {
    const std::map<std::string, double> common = {
        {"nurse", 20},      {"first-aider", 14},  {"physician-gp", 10},
        {"logistician", 8}, {"driver", 7},        {"emergency-physician", 5},
        {"midwife", 4},     {"pharmacist", 4},    {"psychologist-mhpss", 4},
        {"interpreter", 4}, {"wash-engineer", 3}, {"project-coordinator", 3}};
    for (const auto& skill : catalogue.proto().skills()) {
      skills.push_back(skill.code());
      auto it = common.find(skill.code());
      weights.push_back(it == common.end() ? 1.0 : it->second);
    }
  }
};

class Draw {
 public:
  explicit Draw(uint64_t seed) : rng_(seed) {}
  double Uniform(double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng_);
  }
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(double p) { return Uniform(0, 1) < p; }
  int Weighted(const std::vector<double>& w) {
    return std::discrete_distribution<int>(w.begin(), w.end())(rng_);
  }

 private:
  std::mt19937_64 rng_;
};

uint64_t SeedFor(uint64_t seed, uint64_t salt, uint64_t i) {
  return seed ^ (salt * 0x9E3779B97F4A7C15ULL) ^ (i * 0xBF58476D1CE4E5B9ULL);
}

v1::RegisterResponderRequest MakeResponder(int i, const Vocabulary& vocab, absl::Time now,
                                           uint64_t seed) {
  Draw d(SeedFor(seed, 1, static_cast<uint64_t>(i)));
  v1::RegisterResponderRequest request;
  request.set_request_id(absl::StrCat("load-rsp-", i));
  v1::Responder& r = *request.mutable_responder();
  if (d.Chance(0.6)) r.set_external_ref(absl::StrCat("MB-", 200000 + i));
  r.set_display_name(absl::StrCat("Bench Responder ", i));
  std::vector<int> picked;
  const int count = d.Int(1, 4);
  while (static_cast<int>(picked.size()) < count) {
    const int s = d.Weighted(vocab.weights);
    if (std::find(picked.begin(), picked.end(), s) != picked.end()) continue;
    picked.push_back(s);
    v1::SkillLevel* skill = r.add_skills();
    skill->set_code(vocab.skills[s]);
    skill->set_level(d.Int(1, 5));
  }
  r.add_languages("fr");
  if (d.Chance(0.4)) r.add_languages("en");
  if (d.Chance(0.3)) {
    *r.mutable_travel()->mutable_passport_valid_until() =
        ToProtoTime(now + absl::Hours(24 * d.Int(60, 3650)));
    r.mutable_travel()->set_passport_country("FR");
  }
  if (d.Chance(0.95)) {  // the Lyon area
    r.mutable_home_base()->set_lat(d.Uniform(45.55, 45.95));
    r.mutable_home_base()->set_lon(d.Uniform(4.6, 5.15));
    r.set_home_commune(vocab.communes[d.Int(0, static_cast<int>(vocab.communes.size()) - 1)]);
  } else {  // elsewhere in France
    r.mutable_home_base()->set_lat(d.Uniform(43.3, 49.0));
    r.mutable_home_base()->set_lon(d.Uniform(-1.5, 7.0));
  }
  r.set_max_deployment_days(d.Int(7, 120));
  v1::ContactChannel* sms = r.add_contacts();
  sms->set_kind(v1::CONTACT_KIND_SMS);
  sms->set_address(absl::StrFormat("+336%08d", (i * 7919 + 4242) % 100000000));
  if (d.Chance(0.5)) {
    v1::ContactChannel* email = r.add_contacts();
    email->set_kind(v1::CONTACT_KIND_EMAIL);
    email->set_address(absl::StrCat("mresponder", i, "@example.org"));
  }
  return request;
}

// 55% available and 15% on call from now for 20-60 days; the others 1-2 periods somewhere in the
// next 60 days; one in ten also away for 2-10 days within the next 20.
std::vector<v1::SetAvailabilityRequest> MakePeriods(int i, const std::string& responder_id,
                                                    absl::Time now, uint64_t seed) {
  Draw d(SeedFor(seed, 2, static_cast<uint64_t>(i)));
  std::vector<v1::SetAvailabilityRequest> requests;
  const absl::Time horizon = now + absl::Hours(24 * 60);
  auto add = [&](v1::AvailabilityKind kind, absl::Time from, absl::Time until) {
    v1::SetAvailabilityRequest& request = requests.emplace_back();
    request.set_request_id(absl::StrCat("load-avl-", i, "-", requests.size()));
    request.set_responder_id(responder_id);
    v1::AvailabilityPeriod& p = *request.mutable_period();
    p.set_kind(kind);
    *p.mutable_from() = ToProtoTime(from);
    *p.mutable_until() = ToProtoTime(std::min(until, horizon));
    if (kind == v1::AVAILABILITY_KIND_UNAVAILABLE) p.set_note("congés");
  };
  const double x = d.Uniform(0, 1);
  if (x < 0.70) {
    add(x < 0.55 ? v1::AVAILABILITY_KIND_AVAILABLE : v1::AVAILABILITY_KIND_ON_CALL,
        now + absl::Hours(1), now + absl::Hours(24 * d.Int(20, 60)));
  } else {
    const int count = d.Int(1, 2);
    for (int k = 0; k < count; ++k) {
      const absl::Time from = now + absl::Hours(d.Int(1, 40 * 24));
      add(d.Chance(0.7) ? v1::AVAILABILITY_KIND_AVAILABLE : v1::AVAILABILITY_KIND_ON_CALL, from,
          from + absl::Hours(24 * d.Int(2, 20)));
    }
  }
  if (d.Chance(0.1)) {
    const absl::Time from = now + absl::Hours(d.Int(1, 20 * 24));
    add(v1::AVAILABILITY_KIND_UNAVAILABLE, from, from + absl::Hours(24 * d.Int(2, 10)));
  }
  return requests;
}

struct LoadOutcome {
  int64_t registered = 0;
  int64_t periods = 0;
  int64_t errors = 0;
  int64_t nurses_level2 = 0;
  double seconds = 0;
};

LoadOutcome LoadResponders(inventory::InventoryServer& server, const Vocabulary& vocab,
                           const std::vector<std::string>& org_ids, int n, int threads,
                           absl::Time now, uint64_t seed, bool progress) {
  std::atomic<int64_t> done{0}, registered{0}, periods{0}, errors{0}, nurses{0};
  std::atomic<int> finished{0};
  auto body = [&](int t) {
    int reported = 0;
    auto fail = [&](const char* what, int i, const absl::Status& status) {
      errors.fetch_add(1);
      if (reported++ < 3) {
        std::fprintf(stderr, "load %s %d: %s\n", what, i, status.ToString().c_str());
      }
    };
    for (int i = t; i < n; i += threads) {
      const int org = i % static_cast<int>(org_ids.size());
      const Principal caller{absl::StrCat("osi-bench-", org), Role::kOsiAdmin, org_ids[org], ""};
      const v1::RegisterResponderRequest request = MakeResponder(i, vocab, now, seed);
      v1::Responder responder;
      absl::Status status = server.registry().RegisterResponder(caller, request, &responder);
      done.fetch_add(1);
      if (!status.ok()) {
        fail("RegisterResponder", i, status);
        continue;
      }
      registered.fetch_add(1);
      for (const auto& s : request.responder().skills()) {
        if (s.code() == "nurse" && s.level() >= 2) nurses.fetch_add(1);
      }
      for (const auto& period : MakePeriods(i, responder.id(), now, seed)) {
        v1::AvailabilityCalendar calendar;
        status = server.registry().SetAvailability(caller, period, &calendar);
        if (status.ok()) {
          periods.fetch_add(1);
        } else {
          fail("SetAvailability", i, status);
        }
      }
    }
    finished.fetch_add(1);
  };
  const auto t0 = SteadyClock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) workers.emplace_back(body, t);
  auto last = t0;
  while (finished.load() < threads) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (progress && Seconds(last, SteadyClock::now()) >= 15) {
      last = SteadyClock::now();
      std::fprintf(stderr, "  loaded %ld / %d responders (%.0f s)\n", done.load(), n,
                   Seconds(t0, last));
    }
  }
  for (auto& w : workers) w.join();
  LoadOutcome out;
  out.seconds = Seconds(t0, SteadyClock::now());
  out.registered = registered.load();
  out.periods = periods.load();
  out.errors = errors.load();
  out.nurses_level2 = nurses.load();
  return out;
}

// ---------------------------------------------------------------------------------------------
// Floor A: an empty Echo finished inline on the gRPC thread of the mobilisation service's host.

class FloorEcho final : public relais::testing::Echo::CallbackService {
 public:
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* ctx, const EchoRequest* /*req*/,
                                 EchoReply* /*resp*/) override {
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

// The peers the stage Mobiliser calls: the same gRPC peers as the service's, each call timed.
class TimedPeers final : public mobilisation::CrisisDirectory, public mobilisation::InventoryPort {
 public:
  struct Times {
    double get_crisis_us = 0, find_us = 0, hold_batch_us = 0, other_us = 0;
    int get_crisis_calls = 0, find_calls = 0, hold_batch_calls = 0, other_calls = 0;
  };

  explicit TimedPeers(const mobilisation::PeerOptions& options) : inner_(options) {}

  Times Take() {
    absl::MutexLock lock(&mu_);
    Times t = times_;
    times_ = {};
    return t;
  }

  absl::StatusOr<v1::Crisis> GetCrisis(const std::string& id) override {
    return Timed(&Times::get_crisis_us, &Times::get_crisis_calls,
                 [&] { return inner_.GetCrisis(id); });
  }
  absl::StatusOr<v1::FindRespondersResponse> FindResponders(
      const v1::FindRespondersRequest& r) override {
    return Timed(&Times::find_us, &Times::find_calls, [&] { return inner_.FindResponders(r); });
  }
  absl::StatusOr<v1::HoldBatchResponse> HoldBatch(const v1::HoldBatchRequest& r,
                                                  std::string_view who) override {
    return Timed(&Times::hold_batch_us, &Times::hold_batch_calls,
                 [&] { return inner_.HoldBatch(r, who); });
  }
  absl::StatusOr<v1::FindSuppliesResponse> FindSupplies(const v1::FindSuppliesRequest& r) override {
    return Other([&] { return inner_.FindSupplies(r); });
  }
  absl::StatusOr<std::vector<v1::Team>> TeamsOfType(const std::string& code) override {
    return Other([&] { return inner_.TeamsOfType(code); });
  }
  absl::StatusOr<v1::Hold> GetHold(const std::string& id) override {
    return Other([&] { return inner_.GetHold(id); });
  }
  absl::StatusOr<v1::Hold> ConfirmHold(const v1::ConfirmHoldRequest& r,
                                       std::string_view who) override {
    return Other([&] { return inner_.ConfirmHold(r, who); });
  }
  absl::StatusOr<v1::Hold> ReleaseHold(const v1::ReleaseHoldRequest& r,
                                       std::string_view who) override {
    return Other([&] { return inner_.ReleaseHold(r, who); });
  }
  absl::StatusOr<v1::Hold> ReleaseCommitment(const v1::ReleaseCommitmentRequest& r,
                                             std::string_view who) override {
    return Other([&] { return inner_.ReleaseCommitment(r, who); });
  }
  absl::StatusOr<v1::Hold> ExtendCommitment(const v1::ExtendCommitmentRequest& r,
                                            std::string_view who) override {
    return Other([&] { return inner_.ExtendCommitment(r, who); });
  }
  absl::StatusOr<v1::Hold> ConsumeCommitment(const v1::ConsumeCommitmentRequest& r,
                                             std::string_view who) override {
    return Other([&] { return inner_.ConsumeCommitment(r, who); });
  }
  absl::StatusOr<v1::Responder> RecordExperience(const v1::RecordExperienceRequest& r,
                                                 std::string_view who) override {
    return Other([&] { return inner_.RecordExperience(r, who); });
  }
  absl::StatusOr<v1::Responder> GetResponder(const std::string& id) override {
    return Other([&] { return inner_.GetResponder(id); });
  }

 private:
  template <class Fn>
  auto Timed(double Times::*us, int Times::*calls, Fn&& fn) -> decltype(fn()) {
    const auto t0 = SteadyClock::now();
    auto result = fn();
    const double spent = MicrosBetween(t0, SteadyClock::now());
    absl::MutexLock lock(&mu_);
    times_.*us += spent;
    ++(times_.*calls);
    return result;
  }
  template <class Fn>
  auto Other(Fn&& fn) -> decltype(fn()) {
    return Timed(&Times::other_us, &Times::other_calls, std::forward<Fn>(fn));
  }

  mobilisation::GrpcPeers inner_;
  absl::Mutex mu_;
  Times times_ ABSL_GUARDED_BY(mu_);
};

// One overbooking factor's samples (µs).
struct MobiliseSamples {
  double overbooking = 1.0;
  int expected_requests = 0;
  std::vector<double> grpc_us;
  std::vector<double> direct_us, get_crisis_us, find_us, hold_batch_us, rest_us;
  std::vector<double> get_crisis_calls, find_calls, hold_batch_calls;
  std::vector<double> redis_commands;  // all three services, per gRPC Mobilise
  double process_cpu_s = 0, redis_cpu_s = 0;
  int64_t short_calls = 0;
};

// Fan-out of events through a subscriber process: open, write one at a time, close.
struct FanOut {
  bool ok = true;
  std::string error;
  int opened = 0;
  double open_seconds = 0;
  int64_t server_subscribers = 0;
  std::vector<double> last_us, first_us;
  int64_t incomplete = 0;  // events that did not reach every subscriber
  int64_t child_rss_kb = -1;
  int64_t ended_early = 0;
};

class FanOutRun {
 public:
  FanOutRun(std::string exe, int port, mobilisation::FeedHub& feed, BareRedis& redis,
            int per_channel)
      : exe_(std::move(exe)), port_(port), feed_(feed), redis_(redis), per_channel_(per_channel) {}

  // Spawns the subscribers and waits until the server has them all.
  bool Open(int streams, FanOut* out) {
    streams_ = streams;
    const auto t0 = SteadyClock::now();
    child_ = ChildProcess::Spawn({exe_, absl::StrCat("--subscriber_client=", port_, ":", streams,
                                                     ":", per_channel_, ":", kFeedCrisis)});
    if (child_ == nullptr) return Fail(out, "cannot start the subscriber process");
    for (;;) {
      auto line = child_->ReadLine(absl::Seconds(300));
      if (!line) return Fail(out, "the subscriber process did not report ready");
      if (!Note(*line, out)) continue;
      std::vector<std::string> parts = absl::StrSplit(*line, ' ');
      if (parts[0] != "ready" || parts.size() != 3) continue;
      absl::SimpleAtoi(parts[1], &out->opened);
      break;
    }
    const absl::Time until = absl::Now() + absl::Seconds(60);
    while (feed_.subscribers() < streams && absl::Now() < until) {
      absl::SleepFor(absl::Milliseconds(5));
    }
    out->open_seconds = Seconds(t0, SteadyClock::now());
    out->server_subscribers = feed_.subscribers();
    if (out->opened != streams || out->server_subscribers != streams) {
      return Fail(out, absl::StrCat(out->opened, " streams opened, the server counts ",
                                    out->server_subscribers, " of ", streams));
    }
    return true;
  }

  // One event: XADD (timed from just before it) to its delivery to the last subscriber.
  bool Event(int k, FanOut* out) {
    v1::Event event;
    event.set_type(v1::EVENT_TYPE_REQUESTS_SENT);
    *event.mutable_time() = ToProtoTime(absl::Now());
    event.set_service("mobilisation");
    event.set_principal_id("svc-mobilisation");
    event.set_crisis_id(kFeedCrisis);
    event.set_need_id("need_bench_feed");
    event.set_subject_id("need_bench_feed");
    for (int i = 0; i < 20; ++i) {
      event.add_responder_ids(absl::StrFormat("rsp_01BENCH%016d", k * 20 + i));
      event.add_subject_ids(absl::StrFormat("mrq_01BENCH%016d", k * 20 + i));
    }
    event.set_quantity(20);
    const std::string bytes = event.SerializeAsString();
    const auto t0 = SteadyClock::now();
    const std::string cursor =
        redis_.String({"XADD", "relais:events", "MAXLEN", "~", "500000", "*", "t",
                       absl::StrCat(static_cast<int>(event.type())), "c", kFeedCrisis, "e", bytes});
    if (cursor.empty()) return Fail(out, "XADD failed");
    const int64_t t0_ns = MonotonicNanos(t0);
    for (;;) {
      auto line = child_->ReadLine(absl::Seconds(30));
      if (!line) return Fail(out, absl::StrCat("event ", cursor, " never reported"));
      if (!Note(*line, out)) continue;
      std::vector<std::string> parts = absl::StrSplit(*line, ' ');
      if (parts[0] != "event" || parts.size() != 5) continue;
      if (parts[1] != cursor) continue;  // an event written by someone else
      int count = 0;
      int64_t first_ns = 0, last_ns = 0;
      if (!absl::SimpleAtoi(parts[2], &count) || !absl::SimpleAtoi(parts[3], &first_ns) ||
          !absl::SimpleAtoi(parts[4], &last_ns)) {
        return Fail(out, "bad event line: " + *line);
      }
      if (count != streams_) ++out->incomplete;
      out->first_us.push_back(static_cast<double>(first_ns - t0_ns) / 1000.0);
      out->last_us.push_back(static_cast<double>(last_ns - t0_ns) / 1000.0);
      return count == streams_ ? true
                               : Fail(out, absl::StrCat("event ", cursor, " reached ", count,
                                                        " of ", streams_, " subscribers"));
    }
  }

  // Ends the streams and the process; waits until the server has let them go.
  void Close(FanOut* out) {
    if (child_ == nullptr) return;
    child_->CloseInput();
    for (;;) {
      auto line = child_->ReadLine(absl::Seconds(90));
      if (!line) break;
      std::vector<std::string> parts = absl::StrSplit(*line, ' ');
      if (parts[0] == "bye" && parts.size() == 2) {
        absl::SimpleAtoi(parts[1], &out->child_rss_kb);
        break;
      }
    }
    const int status = child_->Wait(absl::Seconds(30));
    if (status != 0) Fail(out, absl::StrCat("the subscriber process exited with ", status));
    child_.reset();
    const absl::Time until = absl::Now() + absl::Seconds(30);
    while (feed_.subscribers() > 0 && absl::Now() < until) absl::SleepFor(absl::Milliseconds(10));
  }

 private:
  bool Fail(FanOut* out, const std::string& error) {
    out->ok = false;
    if (out->error.empty()) out->error = error;
    return false;
  }
  // False for lines that are not answers (a stream that ended early is noted as a failure).
  bool Note(const std::string& line, FanOut* out) {
    if (line.rfind("ended ", 0) == 0) {
      ++out->ended_early;
      Fail(out, "a stream ended early: " + line);
      return false;
    }
    return true;
  }

  const std::string exe_;
  const int port_;
  mobilisation::FeedHub& feed_;
  BareRedis& redis_;
  const int per_channel_;
  int streams_ = 0;
  std::unique_ptr<ChildProcess> child_;
};

std::string SelfExe() {
  char path[4096];
  const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0) return "";
  return std::string(path, static_cast<size_t>(n));
}

int Main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  // The subscribers' process: before anything of gRPC exists in it.
  if (const std::string spec = absl::GetFlag(FLAGS_subscriber_client); !spec.empty()) {
    return RunSubscriberClient(spec);
  }
  const int64_t open_files = RaiseFileLimit();
  if (!absl::GetFlag(FLAGS_mutex_deadlock_detection)) {
    absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  }
  const bool smoke = absl::GetFlag(FLAGS_smoke);
  const bool text = !absl::GetFlag(FLAGS_json);
  int responders = absl::GetFlag(FLAGS_responders);
  int iterations = absl::GetFlag(FLAGS_iterations);
  int warmup = absl::GetFlag(FLAGS_warmup_iterations);
  int floor_calls = absl::GetFlag(FLAGS_floor_calls);
  int subscribers = absl::GetFlag(FLAGS_subscribers);
  int events = absl::GetFlag(FLAGS_events);
  int idle_subscribers = absl::GetFlag(FLAGS_idle_subscribers);
  int idle_events = absl::GetFlag(FLAGS_idle_events);
  if (smoke) {
    responders = 2000;
    iterations = 3;
    warmup = 1;
    floor_calls = 10;
    subscribers = 50;
    events = 5;
    idle_subscribers = 300;
    idle_events = 2;
  }
  const int organisations = std::max(1, absl::GetFlag(FLAGS_organisations));
  const int load_threads = std::max(1, absl::GetFlag(FLAGS_load_threads));
  const uint64_t seed = absl::GetFlag(FLAGS_seed);
  const int need_quantity = std::max(1, absl::GetFlag(FLAGS_need_quantity));
  const bool stages = absl::GetFlag(FLAGS_stages);
  const bool release_holds = absl::GetFlag(FLAGS_release_holds);
  const int per_channel = std::max(1, absl::GetFlag(FLAGS_streams_per_channel));
  std::vector<double> factors;
  for (const std::string& f : absl::GetFlag(FLAGS_overbooking)) {
    double x = 0;
    if (absl::SimpleAtod(f, &x) && x >= 1.0 && x <= 3.0) factors.push_back(x);
  }
  nlohmann::json out = {
      {"bench", "mobilisation_bench"}, {"smoke", smoke}, {"machine", MachineJson()}};
  out["machine"]["open_files_limit"] = open_files;
  int64_t failures = 0;
  const std::string exe = SelfExe();

  // --- The three services on one redis-server ---
  auto redis_server = relais::testing::RedisServer::Start();
  const int redis_port = redis_server->port();
  ServerOptions options = ServerOptionsFromFlags();
  options.listen_address = "127.0.0.1:0";
  options.metrics_address = "";
  options.redis.host = "127.0.0.1";
  options.redis.port = redis_port;
  options.redis.password_file = "";
  options.redis.load_functions = true;   // no relais-redis-setup: the service loads them
  options.insecure_dev_identity = true;  // callers named by headers: the cost measured is ours
  // A few principals make thousands of calls a second here: the capacity measured is the
  // service's, not one principal's budget (rate_limiter.h).
  options.rate_limit_scale = 0;
  options.catalogue_path = RELAIS_SOURCE_DIR "/deploy/catalogue.textproto";
  auto quiet = [] {
    ServiceHostSeams seams;
    seams.log_sink = std::make_shared<spdlog::sinks::null_sink_mt>();
    return seams;
  };
  SystemClock clock;
  RandomIdGenerator registry_ids(clock), inventory_ids(clock), mobilisation_ids(clock),
      stage_ids(clock);
  auto registry_or = crisis::CrisisRegistryServer::Create(options, clock, registry_ids, quiet());
  if (!registry_or.ok()) {
    std::fprintf(stderr, "mobilisation_bench: %s\n", registry_or.status().ToString().c_str());
    return 1;
  }
  std::unique_ptr<crisis::CrisisRegistryServer> registry = *std::move(registry_or);
  auto inventory_or = inventory::InventoryServer::Create(
      options, clock, inventory_ids, quiet(), inventory::SweeperOptions{.enabled = false});
  if (!inventory_or.ok()) {
    std::fprintf(stderr, "mobilisation_bench: %s\n", inventory_or.status().ToString().c_str());
    return 1;
  }
  std::unique_ptr<inventory::InventoryServer> inventory = *std::move(inventory_or);
  if (absl::Status s = registry->Start(); !s.ok()) {
    std::fprintf(stderr, "mobilisation_bench: registry: %s\n", s.ToString().c_str());
    return 1;
  }
  if (absl::Status s = inventory->Start(); !s.ok()) {
    std::fprintf(stderr, "mobilisation_bench: inventory: %s\n", s.ToString().c_str());
    return 1;
  }
  mobilisation::MobilisationOptions mob_options;
  mob_options.background = false;
  mob_options.peers.crisis_registry_address = absl::StrCat("127.0.0.1:", registry->port());
  mob_options.peers.inventory_address = absl::StrCat("127.0.0.1:", inventory->port());
  // The bench's own TimedPeers calls as the service does (development headers: see `options`).
  mob_options.peers.identity = CallerIdentity::Development("svc-mobilisation", "service");
  auto mobilisation_or = mobilisation::MobilisationServer::Create(options, clock, mobilisation_ids,
                                                                  quiet(), mob_options);
  if (!mobilisation_or.ok()) {
    std::fprintf(stderr, "mobilisation_bench: %s\n", mobilisation_or.status().ToString().c_str());
    return 1;
  }
  std::unique_ptr<mobilisation::MobilisationServer> mob = *std::move(mobilisation_or);
  FloorEcho echo;
  mob->host().AddService(&echo, relais::testing::Echo::service_full_name());
  if (absl::Status s = mob->Start(); !s.ok()) {
    std::fprintf(stderr, "mobilisation_bench: mobilisation: %s\n", s.ToString().c_str());
    return 1;
  }
  const int64_t rss_at_start = ProcStatusKb("VmRSS");
  BareRedis bare(redis_port);
  out["config"] = {{"responders", responders},
                   {"organisations", organisations},
                   {"iterations", iterations},
                   {"warmup_iterations", warmup},
                   {"need_quantity", need_quantity},
                   {"overbooking", factors},
                   {"stages", stages},
                   {"release_holds", release_holds},
                   {"floor_calls_per_iteration", floor_calls},
                   {"subscribers", subscribers},
                   {"events", events},
                   {"idle_subscribers", idle_subscribers},
                   {"idle_events", idle_events},
                   {"streams_per_channel", per_channel},
                   {"executor_threads", options.executor_threads},
                   {"redis_connections", options.redis.connections},
                   {"seed", seed}};
  if (text) {
    std::printf(
        "mobilisation_bench%s: registry, inventory and mobilisation in this process "
        "(executor_threads=%d, redis_connections=%d each, background work off), one redis-server "
        "child (AOF everysec); %ld cores, load average %.2f; open files limit %ld\n",
        smoke ? " --smoke" : "", options.executor_threads, options.redis.connections,
        sysconf(_SC_NPROCESSORS_ONLN), out["machine"]["loadavg_1m"].get<double>(), open_files);
    std::fflush(stdout);
  }

  // --- Load ---
  const Vocabulary vocab(inventory->catalogue());
  const absl::Time now = absl::Now();
  std::vector<std::string> org_ids;
  {
    const Principal admin{"admin-bench", Role::kAdmin, "", ""};
    for (int o = 0; o < organisations; ++o) {
      v1::RegisterOrganisationRequest request;
      request.set_request_id(absl::StrCat("load-org-", o));
      v1::Organisation& org = *request.mutable_organisation();
      org.set_name(absl::StrCat("Bench Organisation ", o));
      org.set_kind(o % 3 == 0 ? v1::ORGANISATION_KIND_HOSPITAL : v1::ORGANISATION_KIND_NGO);
      org.add_domains(v1::DOMAIN_HUMANITARIAN_HEALTH);
      org.set_commune(vocab.communes[o % vocab.communes.size()]);
      org.mutable_location()->set_lat(45.70 + 0.01 * (o % 10));
      org.mutable_location()->set_lon(4.80 + 0.01 * (o % 7));
      org.mutable_contact()->set_email(absl::StrCat("contact", o, "@example.org"));
      v1::Organisation registered;
      absl::Status status = inventory->registry().RegisterOrganisation(admin, request, &registered);
      if (!status.ok()) {
        std::fprintf(stderr, "mobilisation_bench: RegisterOrganisation: %s\n",
                     status.ToString().c_str());
        return 1;
      }
      org_ids.push_back(registered.id());
    }
  }
  if (text) {
    std::printf("loading %d responders through the inventory's Registry (%d threads)...\n",
                responders, load_threads);
    std::fflush(stdout);
  }
  const LoadOutcome load = LoadResponders(*inventory, vocab, org_ids, responders, load_threads, now,
                                          seed, text && !smoke);
  failures += load.errors;
  double index_seconds = 0;
  {
    const auto t0 = SteadyClock::now();
    if (absl::Status loaded = inventory->index().Load(); !loaded.ok()) {
      std::fprintf(stderr, "index Load: %s\n", loaded.ToString().c_str());
      ++failures;
    }
    index_seconds = Seconds(t0, SteadyClock::now());
  }
  const int64_t rss_after_load = ProcStatusKb("VmRSS");
  out["load"] = {{"responders_registered", load.registered},
                 {"periods_set", load.periods},
                 {"errors", load.errors},
                 {"nurses_level_2_or_more", load.nurses_level2},
                 {"seconds", load.seconds},
                 {"index_load_seconds", index_seconds},
                 {"process_vmrss_kb_at_start", rss_at_start},
                 {"process_vmrss_kb_after_load", rss_after_load}};
  if (text) {
    std::printf(
        "  %ld responders (%ld nurses of level >= 2), %ld periods in %.1f s, %ld errors; index "
        "loaded in %.2f s; VmRSS %ld kB at start, %ld kB after the load\n",
        load.registered, load.nurses_level2, load.periods, load.seconds, load.errors, index_seconds,
        rss_at_start, rss_after_load);
    std::fflush(stdout);
  }

  // --- 1. Mobilise ---
  auto channel = NewChannel(mob->port(), 0);
  channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto mob_stub = v1::Mobilisation::NewStub(channel);
  auto echo_stub = relais::testing::Echo::NewStub(channel);
  auto registry_stub = v1::CrisisRegistry::NewStub(NewChannel(registry->port(), 1));
  TimedPeers timed_peers(mob_options.peers);
  mobilisation::Mobiliser stage_mobiliser(mob->committer(), mob->store(), timed_peers, timed_peers,
                                          clock, stage_ids, mobilisation::MobiliserOptions{});
  const Principal coordinator{kCoordinator, Role::kCoordinator, "", ""};
  const Principal service{"svc-mobilisation", Role::kAdmin, "", ""};
  int64_t crisis_count = 0;
  int reported_errors = 0;
  auto report = [&](const std::string& what) {
    ++failures;
    if (reported_errors++ < 5) std::fprintf(stderr, "mobilisation_bench: %s\n", what.c_str());
  };

  // A new active local crisis near Lyon with one need of `need_quantity` nurses of level >= 2.
  auto declare = [&](std::string* crisis_id, std::string* need_id) {
    const int64_t k = crisis_count++;
    Draw d(SeedFor(seed, 5, static_cast<uint64_t>(k)));
    const v1::CrisisKind kinds[] = {v1::CRISIS_KIND_HEATWAVE, v1::CRISIS_KIND_FLOOD,
                                    v1::CRISIS_KIND_INDUSTRIAL_ACCIDENT, v1::CRISIS_KIND_EPIDEMIC};
    v1::DeclareCrisisRequest request;
    request.set_request_id(absl::StrCat("bench-crisis-", k));
    request.set_title(absl::StrCat("Crise locale ", k, " - Lyon"));
    request.set_kind(kinds[k % 4]);
    request.set_scope(v1::CRISIS_SCOPE_LOCAL);
    request.set_severity(v1::SEVERITY_SEVERE);
    request.set_urgency(v1::URGENCY_EXPECTED);
    request.set_certainty(v1::CERTAINTY_LIKELY);
    auto* area = request.mutable_area();
    area->mutable_center()->set_lat(d.Uniform(45.70, 45.82));
    area->mutable_center()->set_lon(d.Uniform(4.78, 4.95));
    area->set_radius_km(d.Uniform(5, 15));
    area->set_description("Métropole de Lyon");
    area->set_country("FR");
    area->set_commune("Lyon");
    *request.mutable_starts_at() = ToProtoTime(absl::Now());
    auto* need = request.add_needs();
    need->mutable_resource()->set_kind(v1::RESOURCE_KIND_SKILL);
    need->mutable_resource()->set_code("nurse");
    need->set_quantity(need_quantity);
    need->set_priority(v1::NEED_PRIORITY_HIGH);
    *need->mutable_needed_by() = ToProtoTime(now + absl::Hours(48));
    need->set_duration_days(5);
    need->set_min_level(2);
    v1::Crisis crisis;
    grpc::Status status =
        registry_stub->DeclareCrisis(As(kCoordinator, "coordinator").get(), request, &crisis);
    if (!status.ok()) {
      report("DeclareCrisis: " + status.error_message());
      return false;
    }
    v1::ActivateCrisisRequest activate;
    activate.set_request_id(absl::StrCat("bench-activate-", k));
    activate.set_crisis_id(crisis.id());
    status =
        registry_stub->ActivateCrisis(As(kCoordinator, "coordinator").get(), activate, &crisis);
    if (!status.ok()) {
      report("ActivateCrisis: " + status.error_message());
      return false;
    }
    *crisis_id = crisis.id();
    *need_id = crisis.needs(0).id();
    return true;
  };
  auto release = [&](const v1::MobiliseResponse& response) {
    if (!release_holds) return;
    for (const auto& r : response.requests()) {
      v1::ReleaseHoldRequest request;
      request.set_request_id("bench-free-" + r.hold_id());
      request.set_hold_id(r.hold_id());
      v1::Hold hold;
      if (absl::Status s = inventory->holds().ReleaseHold(service, request, &hold); !s.ok()) {
        report("ReleaseHold: " + s.ToString());
      }
    }
  };
  auto mobilise_request = [&](const std::string& crisis_id, const std::string& need_id,
                              double factor) {
    v1::MobiliseRequest request;
    request.set_request_id(absl::StrCat("bench-mob-", crisis_id));
    request.set_crisis_id(crisis_id);
    request.set_need_id(need_id);
    request.mutable_policy()->set_overbooking_factor(factor);
    return request;
  };
  std::vector<double> floor_a_us, floor_b_us;
  std::string floor_b_key;
  auto floors = [&](bool measured) {
    for (int i = 0; i < floor_calls; ++i) {
      auto ctx = As(kCoordinator, "coordinator");
      EchoRequest request;
      EchoReply reply;
      const auto t0 = SteadyClock::now();
      grpc::Status status = echo_stub->Echo(ctx.get(), request, &reply);
      const double a = MicrosBetween(t0, SteadyClock::now());
      const auto t1 = SteadyClock::now();
      const bool b_ok = bare.FloorB(floor_b_key);
      const double b = MicrosBetween(t1, SteadyClock::now());
      if (!status.ok()) report("floor A: " + status.error_message());
      if (!b_ok) report("floor B: HMGET " + floor_b_key);
      if (measured) {
        floor_a_us.push_back(a);
        floor_b_us.push_back(b);
      }
    }
  };
  std::vector<MobiliseSamples> samples;
  for (double f : factors) {
    MobiliseSamples s;
    s.overbooking = f;
    s.expected_requests = static_cast<int>(std::ceil(need_quantity * f - 1e-9));
    samples.push_back(std::move(s));
  }
  // One Mobilise through gRPC, timed from the client.
  // With `by_command`: the Redis commands the call caused (INFO commandstats before and after).
  auto grpc_mobilise = [&](MobiliseSamples& s, bool measured,
                           nlohmann::json* by_command = nullptr) {
    std::string crisis_id, need_id;
    if (!declare(&crisis_id, &need_id)) return;
    const v1::MobiliseRequest request = mobilise_request(crisis_id, need_id, s.overbooking);
    auto ctx = As(kCoordinator, "coordinator");
    v1::MobiliseResponse response;
    std::map<std::string, std::pair<int64_t, double>> stats0;
    if (by_command != nullptr) stats0 = bare.CommandStats();
    const auto [redis_cpu0, commands0] = bare.Counters();
    const double cpu0 = ProcessCpuSeconds();
    const auto t0 = SteadyClock::now();
    grpc::Status status = mob_stub->Mobilise(ctx.get(), request, &response);
    const double us = MicrosBetween(t0, SteadyClock::now());
    const double cpu1 = ProcessCpuSeconds();
    const auto [redis_cpu1, commands1] = bare.Counters();
    if (by_command != nullptr) {
      std::vector<std::tuple<double, int64_t, std::string>> delta;
      for (const auto& [name, after] : bare.CommandStats()) {
        const auto before = stats0[name];
        if (name == "info" || after.first == before.first) continue;
        delta.emplace_back(after.second - before.second, after.first - before.first, name);
      }
      std::sort(delta.rbegin(), delta.rend());
      *by_command = nlohmann::json::array();
      for (const auto& [usec, calls, name] : delta) {
        by_command->push_back({{"command", name}, {"calls", calls}, {"redis_us", usec}});
      }
    }
    if (!status.ok()) {
      report("Mobilise: " + status.error_message());
      return;
    }
    if (response.requests_size() != s.expected_requests) {
      ++s.short_calls;
      report(absl::StrCat("Mobilise sent ", response.requests_size(), " requests, not ",
                          s.expected_requests));
    }
    floor_b_key = mobilisation::keys::Need(crisis_id, need_id);
    if (measured) {
      s.grpc_us.push_back(us);
      s.process_cpu_s += cpu1 - cpu0;
      s.redis_cpu_s += redis_cpu1 - redis_cpu0;
      // INFO itself is one of the commands counted.
      s.redis_commands.push_back(static_cast<double>(commands1 - commands0 - 1));
    }
    release(response);
  };
  // One Mobilise through the stage Mobiliser (in-process, timed peers).
  auto stage_mobilise = [&](MobiliseSamples& s, bool measured) {
    std::string crisis_id, need_id;
    if (!declare(&crisis_id, &need_id)) return;
    const v1::MobiliseRequest request = mobilise_request(crisis_id, need_id, s.overbooking);
    v1::MobiliseResponse response;
    timed_peers.Take();
    const auto t0 = SteadyClock::now();
    absl::Status status = stage_mobiliser.Mobilise(coordinator, request, &response);
    const double us = MicrosBetween(t0, SteadyClock::now());
    const TimedPeers::Times t = timed_peers.Take();
    if (!status.ok()) {
      report("Mobiliser::Mobilise: " + status.ToString());
      return;
    }
    if (response.requests_size() != s.expected_requests) {
      ++s.short_calls;
      report(absl::StrCat("Mobiliser::Mobilise sent ", response.requests_size(), " requests, not ",
                          s.expected_requests));
    }
    if (measured) {
      s.direct_us.push_back(us);
      s.get_crisis_us.push_back(t.get_crisis_us);
      s.find_us.push_back(t.find_us);
      s.hold_batch_us.push_back(t.hold_batch_us);
      s.rest_us.push_back(us - t.get_crisis_us - t.find_us - t.hold_batch_us - t.other_us);
      s.get_crisis_calls.push_back(t.get_crisis_calls);
      s.find_calls.push_back(t.find_calls);
      s.hold_batch_calls.push_back(t.hold_batch_calls);
    }
    release(response);
  };
  auto iteration = [&](int i, bool measured) {
    for (MobiliseSamples& s : samples) {
      if (i % 2 == 0 || !stages) {
        grpc_mobilise(s, measured);
        if (stages) stage_mobilise(s, measured);
      } else {
        stage_mobilise(s, measured);
        grpc_mobilise(s, measured);
      }
      floors(measured);
    }
  };
  if (text) {
    std::printf("mobilising: %d warm-up and %d measured iterations...\n", warmup, iterations);
    std::fflush(stdout);
  }
  for (int i = 0; i < warmup; ++i) iteration(i, false);
  bare.Command({"CONFIG", "SET", "slowlog-log-slower-than", "1000"});
  bare.Command({"CONFIG", "SET", "slowlog-max-len", "10000"});
  bare.Command({"SLOWLOG", "RESET"});
  const auto mobilise_t0 = SteadyClock::now();
  for (int i = 0; i < iterations; ++i) iteration(i, true);
  const double mobilise_seconds = Seconds(mobilise_t0, SteadyClock::now());
  const nlohmann::json mobilise_slowlog = bare.SlowLog();
  // One more call per factor, unmeasured, for the Redis commands it causes by name.
  std::vector<nlohmann::json> commands_of_one(samples.size());
  for (size_t i = 0; i < samples.size(); ++i) {
    grpc_mobilise(samples[i], false, &commands_of_one[i]);
  }

  const nlohmann::json floor_a = StatsJson(floor_a_us);
  const nlohmann::json floor_b = StatsJson(floor_b_us);
  const double floor = floor_a["p50_us"].get<double>() + floor_b["p50_us"].get<double>();
  const double floor_p99 = floor_a["p99_us"].get<double>() + floor_b["p99_us"].get<double>();
  nlohmann::json mobilise_json = {{"floor_a", floor_a},
                                  {"floor_b", floor_b},
                                  {"floor_us", floor},
                                  {"floor_p99_sum_us", floor_p99},
                                  {"seconds", mobilise_seconds},
                                  {"target_p99_us", kMobiliseTargetP99Us},
                                  {"redis_commands_over_1ms", mobilise_slowlog},
                                  {"by_overbooking", nlohmann::json::array()}};
  auto line = [](const char* label, const nlohmann::json& s, double ratio_base) {
    std::printf("  %-50s %8.0f %8.0f %8.0f %8.0f %8.0f", label, s["p50_us"].get<double>(),
                s["p90_us"].get<double>(), s["p99_us"].get<double>(), s["max_us"].get<double>(),
                s["mean_us"].get<double>());
    if (ratio_base > 0) {
      std::printf(" %9.1f %9.1f", s["p50_us"].get<double>() / ratio_base,
                  s["p99_us"].get<double>() / ratio_base);
    }
    std::printf("\n");
  };
  if (text) {
    std::printf(
        "\nMobilise, a need of %d nurses among %ld responders, %d calls per kind (µs; floor = A "
        "p50 + B p50 = %.1f)\n",
        need_quantity, load.registered, iterations, floor);
    std::printf("  %-50s %8s %8s %8s %8s %8s %9s %9s\n", "", "p50", "p90", "p99", "max", "mean",
                "p50/floor", "p99/floor");
    line("floor A: empty gRPC call (mobilisation host)", floor_a, floor);
    line("floor B: bare HMGET of a need's state", floor_b, floor);
  }
  for (MobiliseSamples& s : samples) {
    nlohmann::json grpc_stats = StatsJson(s.grpc_us);
    const double p50 = grpc_stats["p50_us"].get<double>();
    const double p99 = grpc_stats["p99_us"].get<double>();
    const double n = static_cast<double>(std::max<size_t>(1, s.grpc_us.size()));
    nlohmann::json j = {{"overbooking", s.overbooking},
                        {"requests_per_call", s.expected_requests},
                        {"short_calls", s.short_calls},
                        {"grpc", grpc_stats},
                        {"p50_over_floor", Ratio(p50, floor)},
                        {"p99_over_floor", Ratio(p99, floor)},
                        {"p99_over_floor_p99_sum", Ratio(p99, floor_p99)},
                        {"target_met", !s.grpc_us.empty() && p99 < kMobiliseTargetP99Us},
                        {"process_cpu_us_per_call", s.process_cpu_s * 1e6 / n},
                        {"redis_cpu_us_per_call", s.redis_cpu_s * 1e6 / n},
                        {"redis_commands_per_call", StatsJson(s.redis_commands)},
                        {"redis_commands_of_one_call", commands_of_one[&s - samples.data()]}};
    if (stages) {
      j["stages"] = {{"in_process_total", StatsJson(s.direct_us)},
                     {"get_crisis", StatsJson(s.get_crisis_us)},
                     {"find_responders", StatsJson(s.find_us)},
                     {"hold_batch", StatsJson(s.hold_batch_us)},
                     {"rest", StatsJson(s.rest_us)},
                     {"get_crisis_calls", StatsJson(s.get_crisis_calls)},
                     {"find_responders_calls", StatsJson(s.find_calls)},
                     {"hold_batch_calls", StatsJson(s.hold_batch_calls)}};
    }
    if (text) {
      line(absl::StrFormat("Mobilise (gRPC), overbooking %.1f: %d requests", s.overbooking,
                           s.expected_requests)
               .c_str(),
           grpc_stats, floor);
      if (stages) {
        const auto& st = j["stages"];
        line("  in-process Mobiliser, timed peers: total", st["in_process_total"], floor);
        line(absl::StrFormat("    GetCrisis (registry, gRPC; %.0f calls)",
                             st["get_crisis_calls"]["mean_us"].get<double>())
                 .c_str(),
             st["get_crisis"], floor);
        line(absl::StrFormat("    FindResponders (inventory, gRPC; %.0f call)",
                             st["find_responders_calls"]["mean_us"].get<double>())
                 .c_str(),
             st["find_responders"], floor);
        line("    HoldBatch (inventory, gRPC)", st["hold_batch"], floor);
        line("    the rest: own Redis reads, commits, CPU", st["rest"], floor);
      }
      std::printf(
          "    CPU per gRPC call: this process %.0f µs, Redis %.0f µs; Redis commands per call "
          "(all three services, FCALL counts its inner calls) %.0f\n",
          j["process_cpu_us_per_call"].get<double>(), j["redis_cpu_us_per_call"].get<double>(),
          j["redis_commands_per_call"]["p50_us"].get<double>());
      std::printf("    Redis commands of one call, by Redis time (calls, µs):");
      int shown = 0;
      for (const auto& c : j["redis_commands_of_one_call"]) {
        if (shown++ == 10) break;
        std::printf(" %s %ld %.0f;", c["command"].get<std::string>().c_str(),
                    c["calls"].get<int64_t>(), c["redis_us"].get<double>());
      }
      std::printf("\n");
      std::printf(
          "    KEY FIGURE p99 %.2f ms (target < %.0f ms: %s); p50 / floor %.1f, p99 / "
          "floor %.1f\n",
          p99 / 1000, kMobiliseTargetP99Us / 1000, j["target_met"].get<bool>() ? "MET" : "NOT MET",
          Ratio(p50, floor), Ratio(p99, floor));
    }
    mobilise_json["by_overbooking"].push_back(j);
  }
  out["mobilise"] = mobilise_json;
  if (text) {
    std::printf("  Redis commands over 1 ms during the Mobilise phase: %d",
                mobilise_slowlog["count"].get<int>());
    for (const auto& [name, count] : mobilise_slowlog["by_command"].items()) {
      std::printf(" %s x%d", name.c_str(), count.get<int>());
    }
    std::printf(" (longest %ld µs)\n", mobilise_slowlog["longest_us"].get<int64_t>());
    std::fflush(stdout);
  }

  // --- 2. One event to many subscribers ---
  FanOutRun fan_out(exe, mob->port(), mob->feed(), bare, per_channel);
  if (subscribers > 0) {
    if (text) {
      std::printf("\nopening %d WatchMobilisation streams from a second process...\n", subscribers);
      std::fflush(stdout);
    }
    FanOut result;
    if (fan_out.Open(subscribers, &result)) {
      for (int k = 0; k < events; ++k) {
        if (!fan_out.Event(k, &result)) break;
        absl::SleepFor(absl::Milliseconds(absl::GetFlag(FLAGS_event_gap_ms)));
      }
    }
    fan_out.Close(&result);
    if (!result.ok) report("fan-out: " + result.error);
    nlohmann::json last = StatsJson(result.last_us);
    const double p99 = last["p99_us"].get<double>();
    out["fan_out"] = {{"subscribers", subscribers},
                      {"channels", (subscribers + per_channel - 1) / per_channel},
                      {"events", result.last_us.size()},
                      {"ok", result.ok},
                      {"error", result.error},
                      {"open_seconds", result.open_seconds},
                      {"server_subscribers", result.server_subscribers},
                      {"write_to_last_delivery", last},
                      {"write_to_first_delivery", StatsJson(result.first_us)},
                      {"incomplete_events", result.incomplete},
                      {"streams_ended_early", result.ended_early},
                      {"p50_over_floor", Ratio(last["p50_us"].get<double>(), floor)},
                      {"p99_over_floor", Ratio(p99, floor)},
                      {"target_p99_us", kFanOutTargetP99Us},
                      {"target_met", result.ok && p99 < kFanOutTargetP99Us}};
    if (text) {
      std::printf(
          "\nOne event to %d subscribers (%d channels, a second process), %zu events one at a "
          "time; µs from just before the XADD\n",
          subscribers, (subscribers + per_channel - 1) / per_channel, result.last_us.size());
      std::printf("  %-50s %8s %8s %8s %8s %8s %9s %9s\n", "", "p50", "p90", "p99", "max", "mean",
                  "p50/floor", "p99/floor");
      line("to the first subscriber", out["fan_out"]["write_to_first_delivery"], floor);
      line("to the last subscriber", last, floor);
      std::printf(
          "    all %d open in %.2f s; KEY FIGURE p99 to the last %.2f ms (target < %.0f "
          "ms: %s)%s%s\n",
          subscribers, result.open_seconds, p99 / 1000, kFanOutTargetP99Us / 1000,
          out["fan_out"]["target_met"].get<bool>() ? "MET" : "NOT MET",
          result.ok ? "" : "; FAILED: ", result.error.c_str());
      std::fflush(stdout);
    }
  }

  // --- 3. Idle subscribers: the server's memory ---
  if (idle_subscribers > 0) {
    if (text) {
      std::printf("\nopening %d idle WatchMobilisation streams from a second process...\n",
                  idle_subscribers);
      std::fflush(stdout);
    }
    FanOutRun idle(exe, mob->port(), mob->feed(), bare, per_channel);
    FanOut result;
    const int64_t rss_before = ProcStatusKb("VmRSS");
    const int64_t hwm_before = ProcStatusKb("VmHWM");
    int64_t rss_open = -1, rss_after_event = -1;
    if (idle.Open(idle_subscribers, &result)) {
      absl::SleepFor(absl::Seconds(1));  // idle: let the opening's transient buffers go
      rss_open = ProcStatusKb("VmRSS");
      for (int k = 0; k < idle_events; ++k) {
        if (k > 0) absl::SleepFor(absl::Milliseconds(absl::GetFlag(FLAGS_event_gap_ms)));
        if (!idle.Event(1000000 + k, &result)) break;
      }
      rss_after_event = ProcStatusKb("VmRSS");
    }
    idle.Close(&result);
    if (!result.ok) report("idle subscribers: " + result.error);
    const int64_t delta = rss_open >= 0 ? rss_open - rss_before : -1;
    const double per = Ratio(static_cast<double>(delta) * 1024, idle_subscribers);
    // The mobilisation service alone: the three idle services at start (an upper bound of one
    // idle mobilisation process) plus what the streams added.
    const int64_t alone = delta >= 0 ? rss_at_start + delta : -1;
    out["idle"] = {{"subscribers", idle_subscribers},
                   {"channels", (idle_subscribers + per_channel - 1) / per_channel},
                   {"ok", result.ok},
                   {"error", result.error},
                   {"open_seconds", result.open_seconds},
                   {"server_subscribers", result.server_subscribers},
                   {"process_vmrss_kb_before", rss_before},
                   {"process_vmrss_kb_open", rss_open},
                   {"process_vmrss_kb_after_event", rss_after_event},
                   {"process_vmhwm_kb_before", hwm_before},
                   {"process_vmhwm_kb_end", ProcStatusKb("VmHWM")},
                   {"delta_kb", delta},
                   {"bytes_per_subscriber", per},
                   {"mobilisation_alone_estimate_kb", alone},
                   {"subscriber_process_vmrss_kb", result.child_rss_kb},
                   {"event_to_last_delivery", StatsJson(result.last_us)},
                   {"events_to_first_us", result.first_us},
                   {"events_to_last_us", result.last_us},
                   {"event_to_first_delivery", StatsJson(result.first_us)},
                   {"target_kb", kIdleTargetKb},
                   {"target_met", result.ok && rss_open >= 0 && rss_open <= kIdleTargetKb}};
    if (text) {
      std::printf(
          "\n%d idle subscribers (%d channels): all open in %.2f s; this process's VmRSS %ld kB "
          "before, %ld kB with them open (+%ld kB, %.0f B per subscriber), %ld kB after the "
          "event\n",
          idle_subscribers, (idle_subscribers + per_channel - 1) / per_channel, result.open_seconds,
          rss_before, rss_open, delta, per, rss_after_event);
      std::printf(
          "    KEY FIGURE VmRSS %.1f MiB with %d subscribers, all three services and the index of "
          "%ld responders included (target <= 512 MiB: %s); the mobilisation service alone "
          "about %.1f MiB\n",
          static_cast<double>(rss_open) / 1024, idle_subscribers, load.registered,
          out["idle"]["target_met"].get<bool>() ? "MET" : "NOT MET",
          static_cast<double>(alone) / 1024);
      if (!result.last_us.empty()) {
        std::printf("    events to all %d, one at a time, ms to the first / the last subscriber:",
                    idle_subscribers);
        for (size_t k = 0; k < result.last_us.size(); ++k) {
          std::printf(" %.1f / %.1f;", result.first_us[k] / 1000, result.last_us[k] / 1000);
        }
        std::printf("%s%s\n", result.ok ? "" : " FAILED: ", result.error.c_str());
      } else {
        std::printf("    FAILED: %s\n", result.error.c_str());
      }
      std::fflush(stdout);
    }
  }

  out["failed_calls"] = failures;
  out["process_vmrss_kb_end"] = ProcStatusKb("VmRSS");
  out["process_vmhwm_kb_end"] = ProcStatusKb("VmHWM");
  out["machine"]["loadavg_1m_end"] = MachineJson()["loadavg_1m"];
  if (text) {
    std::printf("\nload average %.2f -> %.2f; failed calls: %ld\n",
                out["machine"]["loadavg_1m"].get<double>(),
                out["machine"]["loadavg_1m_end"].get<double>(), failures);
  }
  std::printf("%s\n", out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  std::fflush(stdout);
  mob->Shutdown();
  inventory->Shutdown();
  registry->Shutdown();
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace relais::bench

int main(int argc, char** argv) { return relais::bench::Main(argc, argv); }
