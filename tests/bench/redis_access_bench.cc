// redis_access_bench: how should a handler thread that needs a Redis reply before it continues
// reach Redis? K caller threads (K = 1, 4, 16) each run HMGET <key> v d and wait for the reply,
// back to back, against a redis-server child (the test harness: AOF on, appendfsync everysec).
//   reference  one synchronous hiredis connection per caller: no sharing at all; at K = 1 this is
//              the bare synchronous round trip, the floor;
//   pool       our RedisClient: a pool of N (= 4) synchronous hiredis connections, the caller
//              blocks on its own socket read (the design in services/runtime/redis);
//   async      hiredis async on a libevent loop in one thread, one connection: callers queue the
//              command, wake the loop through a socketpair, and wait on a condition variable for
//              the reply callback (the alternative design; a measurement, not product code).
// Reports p50/p99 and calls/s per K, and the CPU time per call of this process and of Redis.
#include <hiredis/adapters/libevent.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/runtime/clock.h"
#include "services/runtime/redis/redis_client.h"
#include "tests/bench/bench_util.h"
#include "tests/support/redis_server.h"

ABSL_FLAG(bool, smoke, false, "a few hundred calls per measurement (CI); asserts no speed");
ABSL_FLAG(bool, json, false, "print only the JSON line");
ABSL_FLAG(double, seconds, 2.0, "measured seconds per variant and K (split over the rounds)");
ABSL_FLAG(int, rounds, 4,
          "the three variants alternate in this many rounds per K, so that bursts of load from "
          "other processes hit them alike");
ABSL_FLAG(int, calls, 0, "> 0: calls per caller thread instead of a duration");
ABSL_FLAG(std::vector<std::string>, client_threads, std::vector<std::string>({"1", "4", "16"}),
          "caller thread counts");
ABSL_FLAG(int, pool_connections, 4, "connections of the RedisClient pool");
ABSL_FLAG(int, value_bytes, 520, "size of the stored value (about a stored crisis)");
ABSL_FLAG(bool, mutex_deadlock_detection, true,
          "leave absl::Mutex deadlock detection as the services run it (Debian's Abseil is built "
          "without NDEBUG, so it is on); false switches it off to measure what it costs");

namespace relais::bench {
namespace {

constexpr char kKey[] = "bench:c:1";

// The alternative design, minimal: one thread owns a libevent base and one hiredis async
// connection; other threads hand it commands and block until their reply arrives.
class AsyncLoop {
 public:
  AsyncLoop(const std::string& host, int port) {
    base_ = event_base_new();
    if (base_ == nullptr || evutil_socketpair(AF_UNIX, SOCK_STREAM, 0, wake_fds_) != 0) {
      std::fprintf(stderr, "redis_access_bench: libevent set-up failed\n");
      std::abort();
    }
    evutil_make_socket_nonblocking(wake_fds_[0]);
    evutil_make_socket_nonblocking(wake_fds_[1]);
    wake_event_ = event_new(base_, wake_fds_[1], EV_READ | EV_PERSIST, &AsyncLoop::OnWake, this);
    event_add(wake_event_, nullptr);
    context_ = redisAsyncConnect(host.c_str(), port);
    if (context_ == nullptr || context_->err != 0) {
      std::fprintf(stderr, "redis_access_bench: async connect failed\n");
      std::abort();
    }
    redisLibeventAttach(context_, base_);
    // Everything above happens before the loop thread starts; afterwards only it touches them.
    thread_ = std::thread([this] { event_base_dispatch(base_); });
  }

  ~AsyncLoop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    Wake();
    thread_.join();
    event_free(wake_event_);
    event_base_free(base_);
    evutil_closesocket(wake_fds_[0]);
    evutil_closesocket(wake_fds_[1]);
  }

  AsyncLoop(const AsyncLoop&) = delete;
  AsyncLoop& operator=(const AsyncLoop&) = delete;

  // Blocks the calling thread until the reply (or a failure) arrives.
  absl::StatusOr<Reply> Command(const std::vector<std::string>& args) {
    Pending pending{&args};
    bool wake;
    {
      std::lock_guard<std::mutex> lock(mu_);
      wake = queue_.empty();  // the loop is woken once per empty -> non-empty transition
      queue_.push_back(&pending);
    }
    if (wake) Wake();
    std::unique_lock<std::mutex> lock(pending.mu);
    pending.cv.wait(lock, [&] { return pending.done; });
    if (pending.failed) return absl::UnavailableError("redis: async command failed");
    return std::move(pending.reply);
  }

 private:
  struct Pending {
    const std::vector<std::string>* args;
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    bool failed = false;
    Reply reply;
  };

  void Wake() {
    const char byte = 1;
    // A full socket buffer already guarantees a wake-up: the result can be ignored.
    [[maybe_unused]] ssize_t n = send(wake_fds_[0], &byte, 1, MSG_NOSIGNAL);
  }

  static void OnWake(evutil_socket_t fd, short /*events*/, void* arg) {
    auto* self = static_cast<AsyncLoop*>(arg);
    char drain[256];
    while (recv(fd, drain, sizeof drain, 0) > 0) {
    }
    std::vector<Pending*> batch;
    bool stopping;
    {
      std::lock_guard<std::mutex> lock(self->mu_);
      batch.swap(self->queue_);
      stopping = self->stopping_;
    }
    for (Pending* p : batch) {
      std::vector<const char*> argv;
      std::vector<size_t> lens;
      for (const std::string& a : *p->args) {
        argv.push_back(a.data());
        lens.push_back(a.size());
      }
      if (redisAsyncCommandArgv(self->context_, &AsyncLoop::OnReply, p,
                                static_cast<int>(argv.size()), argv.data(),
                                lens.data()) != REDIS_OK) {
        Complete(p, nullptr);
      }
    }
    if (stopping) {
      redisAsyncFree(self->context_);  // fails whatever is still pending
      event_base_loopbreak(self->base_);
    }
  }

  static void OnReply(redisAsyncContext* /*c*/, void* reply, void* privdata) {
    Complete(static_cast<Pending*>(privdata), static_cast<redisReply*>(reply));
  }

  static void Complete(Pending* p, const redisReply* reply) {
    std::lock_guard<std::mutex> lock(p->mu);
    if (reply != nullptr) {
      p->reply = Reply::FromHiredis(*reply);
    } else {
      p->failed = true;
    }
    p->done = true;
    // Under the lock: the waiter owns `p` and may destroy it as soon as it sees done.
    p->cv.notify_one();
  }

  event_base* base_ = nullptr;
  event* wake_event_ = nullptr;
  evutil_socket_t wake_fds_[2] = {-1, -1};
  redisAsyncContext* context_ = nullptr;
  std::thread thread_;
  std::mutex mu_;
  std::vector<Pending*> queue_;
  bool stopping_ = false;
};

bool GoodReply(const absl::StatusOr<Reply>& reply) {
  return reply.ok() && reply->is_array() && reply->elements().size() == 2 &&
         reply->elements()[1].is_string();
}

redisContext* Connect(int port) {
  const timeval timeout = {5, 0};
  redisContext* c = redisConnectWithTimeout("127.0.0.1", port, timeout);
  if (c == nullptr || c->err != 0) {
    std::fprintf(stderr, "redis_access_bench: cannot connect to redis\n");
    std::abort();
  }
  redisSetTimeout(c, timeout);
  return c;
}

bool SyncHmget(redisContext* c) {
  const char* argv[] = {"HMGET", kKey, "v", "d"};
  const size_t lens[] = {5, sizeof kKey - 1, 1, 1};
  auto* reply = static_cast<redisReply*>(redisCommandArgv(c, 4, argv, lens));
  const bool ok = reply != nullptr && reply->type == REDIS_REPLY_ARRAY && reply->elements == 2 &&
                  reply->element[1]->type == REDIS_REPLY_STRING;
  if (reply != nullptr) freeReplyObject(reply);
  return ok;
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double RedisCpuSeconds(redisContext* c) {
  auto* reply = static_cast<redisReply*>(redisCommand(c, "INFO cpu"));
  double total = 0;
  if (reply != nullptr && reply->type == REDIS_REPLY_STRING) {
    auto info = ParseInfo(std::string(reply->str, reply->len));
    double user = 0, sys = 0;
    if (absl::SimpleAtod(info["used_cpu_user"], &user) &&
        absl::SimpleAtod(info["used_cpu_sys"], &sys)) {
      total = user + sys;
    }
  }
  if (reply != nullptr) freeReplyObject(reply);
  return total;
}

// One variant at one K, accumulated over the rounds.
struct Measured {
  LoadResult load;
  double client_cpu_us_per_call = 0;
  double redis_cpu_us_per_call = 0;
  // Sums over the rounds.
  double client_cpu_seconds = 0;
  double redis_cpu_seconds = 0;
  int64_t all_calls = 0;  // warm-up included, for the CPU per call
};

// Runs `call` on K threads once more and adds the result to `m`.
template <class Call>
void Measure(const LoadSpec& spec, redisContext* admin, Measured& m, Call&& call) {
  std::atomic<int64_t> all_calls{0};
  const double cpu0 = CpuSeconds(), redis0 = RedisCpuSeconds(admin);
  LoadResult r = RunLoad(spec, [&](int t) {
    all_calls.fetch_add(1, std::memory_order_relaxed);
    return call(t);
  });
  m.client_cpu_seconds += CpuSeconds() - cpu0;
  m.redis_cpu_seconds += RedisCpuSeconds(admin) - redis0;
  m.all_calls += all_calls.load();
  m.load.threads = r.threads;
  m.load.calls += r.calls;
  m.load.errors += r.errors;
  m.load.seconds += r.seconds;
  m.load.samples.insert(m.load.samples.end(), r.samples.begin(), r.samples.end());
}

void Finalize(Measured& m) {
  const double n = static_cast<double>(std::max<int64_t>(m.all_calls, 1));
  m.client_cpu_us_per_call = m.client_cpu_seconds * 1e6 / n;
  m.redis_cpu_us_per_call = m.redis_cpu_seconds * 1e6 / n;
  m.load.calls_per_second =
      m.load.seconds > 0 ? static_cast<double>(m.load.calls) / m.load.seconds : 0;
  m.load.latency = Summarize(m.load.samples);
  m.load.samples.clear();
}

int Main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const bool deadlock_detection = absl::GetFlag(FLAGS_mutex_deadlock_detection);
  if (!deadlock_detection) absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  const bool smoke = absl::GetFlag(FLAGS_smoke);
  LoadSpec base;
  base.seconds = absl::GetFlag(FLAGS_seconds);
  base.calls_per_thread = absl::GetFlag(FLAGS_calls);
  int rounds = std::max(1, absl::GetFlag(FLAGS_rounds));
  if (smoke) {
    base.calls_per_thread = 50;
    rounds = 1;
  }
  if (base.calls_per_thread > 0) {
    base.calls_per_thread = std::max(1, base.calls_per_thread / rounds);
  } else {
    base.seconds /= rounds;
  }
  base.warmup_calls_per_thread = base.calls_per_thread > 0 ? 5 : 0;
  base.warmup_seconds = 0.15;
  std::vector<int> thread_counts;
  for (const std::string& t : absl::GetFlag(FLAGS_client_threads)) {
    int k = 0;
    if (absl::SimpleAtoi(t, &k) && k > 0) thread_counts.push_back(k);
  }
  const int pool_connections = std::max(1, absl::GetFlag(FLAGS_pool_connections));
  const int value_bytes = std::max(1, absl::GetFlag(FLAGS_value_bytes));

  auto redis_server = relais::testing::RedisServer::Start();
  const int port = redis_server->port();
  redisContext* admin = Connect(port);
  {
    std::string value(static_cast<size_t>(value_bytes), '\0');
    std::mt19937 random(42);
    for (char& c : value) c = static_cast<char>(random());
    auto* reply = static_cast<redisReply*>(
        redisCommand(admin, "HSET %s v 1 d %b", kKey, value.data(), value.size()));
    if (reply != nullptr) freeReplyObject(reply);
  }

  SystemClock clock;
  RedisOptions pool_options;
  pool_options.host = "127.0.0.1";
  pool_options.port = port;
  pool_options.connections = pool_connections;
  pool_options.command_timeout = absl::Seconds(5);
  RedisClient pool(pool_options, clock);
  AsyncLoop async("127.0.0.1", port);
  const std::vector<std::string> hmget = {"HMGET", kKey, "v", "d"};

  struct Row {
    int threads;
    Measured reference, pool, async;
  };
  std::vector<Row> rows;
  int64_t failures = 0;
  for (int k : thread_counts) {
    LoadSpec spec = base;
    spec.threads = k;
    std::vector<redisContext*> own;
    for (int i = 0; i < k; ++i) own.push_back(Connect(port));
    Row row{k, {}, {}, {}};
    for (int round = 0; round < rounds; ++round) {
      Measure(spec, admin, row.reference, [&](int t) { return SyncHmget(own[t]); });
      Measure(spec, admin, row.pool, [&](int) { return GoodReply(pool.Command(hmget)); });
      Measure(spec, admin, row.async, [&](int) { return GoodReply(async.Command(hmget)); });
    }
    for (Measured* m : {&row.reference, &row.pool, &row.async}) Finalize(*m);
    for (redisContext* c : own) redisFree(c);
    failures += row.reference.load.errors + row.pool.load.errors + row.async.load.errors;
    rows.push_back(row);
  }

  nlohmann::json out = {{"bench", "redis_access_bench"},
                        {"smoke", smoke},
                        {"machine", MachineJson()},
                        {"config",
                         {{"pool_connections", pool_connections},
                          {"value_bytes", value_bytes},
                          {"mutex_deadlock_detection", deadlock_detection},
                          {"rounds", rounds},
                          {"seconds", base.calls_per_thread > 0 ? 0.0 : base.seconds * rounds},
                          {"calls_per_thread", base.calls_per_thread * rounds}}}};
  const double floor_p50 = rows.empty() ? 0 : rows.front().reference.load.latency.p50;
  if (!rows.empty() && rows.front().threads == 1) {
    out["floor_sync_round_trip"] = ToJson(rows.front().reference.load.latency);
  }
  nlohmann::json json_rows = nlohmann::json::array();
  auto variant = [](const Measured& m) {
    return nlohmann::json{{"calls_per_s", m.load.calls_per_second},
                          {"calls", m.load.calls},
                          {"errors", m.load.errors},
                          {"p50_us", m.load.latency.p50},
                          {"p99_us", m.load.latency.p99},
                          {"mean_us", m.load.latency.mean},
                          {"client_cpu_us_per_call", m.client_cpu_us_per_call},
                          {"redis_cpu_us_per_call", m.redis_cpu_us_per_call}};
  };
  for (const Row& row : rows) {
    json_rows.push_back({{"threads", row.threads},
                         {"reference_sync_per_caller", variant(row.reference)},
                         {"pool_sync", variant(row.pool)},
                         {"async_libevent", variant(row.async)}});
  }
  out["rows"] = json_rows;
  out["failed_calls"] = failures;
  out["machine"]["loadavg_1m_end"] = MachineJson()["loadavg_1m"];

  if (!absl::GetFlag(FLAGS_json)) {
    std::printf(
        "redis_access_bench%s: HMGET of a %d-byte value, callers wait for each reply; "
        "pool = RedisClient with %d sync connections; async = hiredis async + libevent, "
        "1 connection, 1 loop thread; absl::Mutex deadlock detection %s\n",
        smoke ? " --smoke" : "", value_bytes, pool_connections, deadlock_detection ? "on" : "off");
    std::printf("floor: bare sync round trip p50 %.1f µs (reference at K=1)\n\n", floor_p50);
    std::printf("  %3s %-26s %10s %8s %8s %8s %9s %11s %11s\n", "K", "variant", "calls/s", "p50 µs",
                "p99 µs", "mean µs", "p50/floor", "cpu µs/call", "redis µs/call");
    for (const Row& row : rows) {
      for (const auto& [name, m] :
           {std::pair<const char*, const Measured*>{"reference (1 conn/caller)", &row.reference},
            {"pool (RedisClient)", &row.pool},
            {"async (libevent loop)", &row.async}}) {
        std::printf("  %3d %-26s %10.0f %8.1f %8.1f %8.1f %9.2f %11.1f %11.1f\n", row.threads, name,
                    m->load.calls_per_second, m->load.latency.p50, m->load.latency.p99,
                    m->load.latency.mean, floor_p50 > 0 ? m->load.latency.p50 / floor_p50 : 0,
                    m->client_cpu_us_per_call, m->redis_cpu_us_per_call);
      }
    }
    std::printf("\nfailed calls: %ld\n", failures);
  }
  std::printf("%s\n", out.dump().c_str());
  std::fflush(stdout);
  redisFree(admin);
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace relais::bench

int main(int argc, char** argv) { return relais::bench::Main(argc, argv); }
