// crisis_bench: the crisis registry's GetCrisis and DeclareCrisis, measured in one run beside two
// floors, and reported as ratios to them (see docs/PERFORMANCE.md):
//   floor A  an empty unary gRPC call to the same server process (an Echo callback service on the
//            same ServiceHost that finishes inline, no executor hop), same channel setup;
//   floor B  a bare hiredis round trip from this process: HMGET of the crisis key GetCrisis reads.
// The service runs in this process exactly as main.cc wires it (CrisisRegistryServer), over a
// redis-server child started by the test harness (AOF on, appendfsync everysec).
//
//   crisis_bench            full run (~40 s on 2 cores)
//   crisis_bench --smoke    a few hundred calls per measurement; fails only if calls fail
//   crisis_bench --json     the JSON line only (it is always the last line of the output)
// The server's own flags (--executor_threads, --redis_connections, ...) apply too.
#include <grpcpp/grpcpp.h>
#include <hiredis/hiredis.h>
#include <spdlog/sinks/null_sink.h>
#include <sys/resource.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "relais/v1/crisis_registry.grpc.pb.h"
#include "services/crisis_registry/server.h"
#include "services/runtime/executor.h"
#include "services/runtime/metrics.h"
#include "services/runtime/proto_time.h"
#include "tests/bench/bench_util.h"
#include "tests/support/crisis_requests.h"
#include "tests/support/echo.grpc.pb.h"
#include "tests/support/redis_server.h"

ABSL_FLAG(bool, smoke, false, "a few hundred calls per measurement (CI); asserts no speed");
ABSL_FLAG(bool, json, false, "print only the JSON line");
ABSL_FLAG(int, latency_calls, 12000, "sequential calls per latency measurement (all rounds)");
ABSL_FLAG(int, rounds, 20,
          "latency measurements of all kinds are interleaved in this many rounds, so that bursts "
          "of load from other processes hit every kind alike");
ABSL_FLAG(int, warmup_calls, 1000, "unmeasured sequential calls of each kind first");
ABSL_FLAG(double, throughput_seconds, 2.0, "measured seconds per throughput run");
ABSL_FLAG(int, throughput_calls, 0, "> 0: calls per client thread instead of a duration");
ABSL_FLAG(std::vector<std::string>, client_threads, std::vector<std::string>({"1", "4", "16"}),
          "concurrent client threads of the throughput runs");
ABSL_FLAG(bool, shared_channel, false,
          "all client threads share one channel (default: one channel, so one TCP connection, "
          "per client thread)");
ABSL_FLAG(int, crises, 10000, "crises declared for the memory figures");
ABSL_FLAG(bool, stages, true, "also time the stage variants that split the GetCrisis gap");
ABSL_FLAG(std::string, only, "",
          "profiling mode: after the warm-up, run only this kind sequentially (floor_a, floor_b, "
          "get_crisis, declare_crisis, stage_...) for --only_seconds, print its latency, exit");
ABSL_FLAG(double, only_seconds, 10, "duration of the --only run");
ABSL_FLAG(bool, mutex_deadlock_detection, true,
          "leave absl::Mutex deadlock detection as the services run it (Debian's Abseil is built "
          "without NDEBUG, so it is on); false switches it off to measure what it costs");

namespace relais::bench {
namespace {

namespace v1 = ::relais::v1;
using ::relais::testing::EchoReply;
using ::relais::testing::EchoRequest;

constexpr char kPrincipal[] = "coord-bench";

// Floor A and the stage variants that split GetCrisis into steps, by the request's text:
//   ""            finishes inline on the gRPC thread: floor A;
//   "exec"        finishes from a thread of a bare Executor: the thread hop alone;
//   "bare"        an RpcRunner of our own (same resolver, no metrics, no log line): the hop plus
//                 principal resolution and the runner's plumbing;
//   "bare_hmget"  the same plus GetCrisis's HMGET through the service's RedisClient;
//   "hop"         the service's own RpcRunner, doing nothing: adds metrics and the log line;
//   "hmget"       the same plus the HMGET. The key comes in request_id; answers are empty.
class StageEcho final : public relais::testing::Echo::CallbackService {
 public:
  StageEcho(RpcRunner& runner, RedisClient& redis, int executor_threads)
      : runner_(runner),
        redis_(redis),
        executor_(executor_threads, 1000),
        bare_runner_(executor_, resolver_, no_observer_) {}

  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* ctx, const EchoRequest* req,
                                 EchoReply* /*resp*/) override {
    if (req->text().empty()) {
      grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
      reactor->Finish(grpc::Status::OK);
      return reactor;
    }
    if (req->text() == "exec") {
      grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
      if (!executor_.Submit([reactor] { reactor->Finish(grpc::Status::OK); })) {
        reactor->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "busy"));
      }
      return reactor;
    }
    if (req->text() == "bare") {
      return bare_runner_.RunWithoutAccessCheck(ctx, "EchoBare", "",
                                                [](const Principal&) { return absl::OkStatus(); });
    }
    if (req->text() == "bare_hmget") {
      return bare_runner_.RunWithoutAccessCheck(
          ctx, "EchoBareHmget", "",
          [this, req](const Principal&) { return Hmget(req->request_id()); });
    }
    if (req->text() == "hop") {
      return runner_.RunWithoutAccessCheck(ctx, "EchoHop", "",
                                           [](const Principal&) { return absl::OkStatus(); });
    }
    return runner_.RunWithoutAccessCheck(
        ctx, "EchoHmget", "", [this, req](const Principal&) { return Hmget(req->request_id()); });
  }

 private:
  // The read of GetCrisis. The bytes stay here: EchoReply.text is a UTF-8 string field, and the
  // response's size is part of what the GetCrisis stage adds.
  absl::Status Hmget(const std::string& key) {
    auto reply = redis_.Command({"HMGET", key, "v", "d"});
    if (!reply.ok()) return reply.status();
    if (reply->elements().size() != 2 || !reply->elements()[1].is_string()) {
      return absl::InternalError("unexpected HMGET reply");
    }
    return absl::OkStatus();
  }

  class NoObserver final : public RpcObserver {
   public:
    void OnRpcStart() override {}
    void OnRpcDone(const RpcRecord&) override {}
  };

  RpcRunner& runner_;
  RedisClient& redis_;
  Executor executor_;
  DevHeaderPrincipalResolver resolver_;
  NoObserver no_observer_;
  RpcRunner bare_runner_;
};

enum class Kind {
  kFloorA,
  kFloorB,
  kGet,
  kDeclare,
  kExec,
  kBareRunner,
  kBareHmget,
  kHop,
  kHopHmget,
  kRedisClient
};

const char* KindName(Kind kind) {
  switch (kind) {
    case Kind::kFloorA:
      return "floor_a";
    case Kind::kFloorB:
      return "floor_b";
    case Kind::kGet:
      return "get_crisis";
    case Kind::kDeclare:
      return "declare_crisis";
    case Kind::kExec:
      return "stage_echo_via_executor";
    case Kind::kBareRunner:
      return "stage_echo_via_runner_no_metrics";
    case Kind::kBareHmget:
      return "stage_echo_via_runner_no_metrics_hmget";
    case Kind::kHop:
      return "stage_echo_via_runner";
    case Kind::kHopHmget:
      return "stage_echo_via_runner_hmget";
    case Kind::kRedisClient:
      return "stage_redisclient_hmget";
  }
  return "?";
}

const char* KindLabel(Kind kind) {
  switch (kind) {
    case Kind::kFloorA:
      return "floor A: empty gRPC call";
    case Kind::kFloorB:
      return "floor B: bare hiredis HMGET";
    case Kind::kGet:
      return "GetCrisis";
    case Kind::kDeclare:
      return "DeclareCrisis";
    case Kind::kExec:
      return "stage: Echo via bare Executor";
    case Kind::kBareRunner:
      return "stage: Echo via RpcRunner, no metrics/log";
    case Kind::kBareHmget:
      return "stage: ... no metrics/log + HMGET";
    case Kind::kHop:
      return "stage: Echo via RpcRunner";
    case Kind::kHopHmget:
      return "stage: Echo via RpcRunner + HMGET";
    case Kind::kRedisClient:
      return "stage: RedisClient HMGET (no gRPC)";
  }
  return "?";
}

v1::DeclareCrisisRequest DeclareTemplate() {
  return relais::testing::CholeraAbroad("", absl::Now());
}

std::shared_ptr<grpc::Channel> MakeChannel(int port, int index) {
  grpc::ChannelArguments args;
  // Without these, channels to the same target share one subchannel (one TCP connection).
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt("relais.bench.channel", index);
  auto channel = grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port),
                                           grpc::InsecureChannelCredentials(), args);
  channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return channel;
}

// What one client thread calls with: its stubs, its own hiredis connection (floor B).
class Client {
 public:
  Client(std::shared_ptr<grpc::Channel> channel, int redis_port, RedisClient& server_redis,
         std::atomic<int64_t>& next_request)
      : channel_(std::move(channel)),
        echo_(relais::testing::Echo::NewStub(channel_)),
        crises_(v1::CrisisRegistry::NewStub(channel_)),
        server_redis_(server_redis),
        next_request_(next_request),
        declare_(DeclareTemplate()) {
    const timeval timeout = {5, 0};
    redis_ = redisConnectWithTimeout("127.0.0.1", redis_port, timeout);
    if (redis_ == nullptr || redis_->err != 0) {
      std::fprintf(stderr, "crisis_bench: cannot connect to redis\n");
      std::abort();
    }
    redisSetTimeout(redis_, timeout);
  }
  ~Client() { redisFree(redis_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  void SetCrisis(const std::string& id, const std::string& key) {
    get_.set_crisis_id(id);
    key_ = key;
  }

  bool Call(Kind kind) {
    switch (kind) {
      case Kind::kFloorA:
        return EchoCall("", "");
      case Kind::kExec:
        return EchoCall("exec", "");
      case Kind::kBareRunner:
        return EchoCall("bare", "");
      case Kind::kBareHmget:
        return EchoCall("bare_hmget", key_);
      case Kind::kHop:
        return EchoCall("hop", "");
      case Kind::kHopHmget:
        return EchoCall("hmget", key_);
      case Kind::kFloorB:
        return BareHmget();
      case Kind::kRedisClient: {
        auto reply = server_redis_.Command({"HMGET", key_, "v", "d"});
        return reply.ok() && reply->elements().size() == 2 && reply->elements()[1].is_string();
      }
      case Kind::kGet: {
        auto ctx = Context();
        v1::Crisis crisis;
        return crises_->GetCrisis(ctx.get(), get_, &crisis).ok();
      }
      case Kind::kDeclare: {
        auto ctx = Context();
        declare_.set_request_id(absl::StrCat("bench-", next_request_.fetch_add(1)));
        v1::Crisis crisis;
        grpc::Status status = crises_->DeclareCrisis(ctx.get(), declare_, &crisis);
        if (!status.ok() && ++reported_errors_ <= 3) {
          std::fprintf(stderr, "DeclareCrisis: %s\n", status.error_message().c_str());
        }
        return status.ok();
      }
    }
    return false;
  }

  absl::StatusOr<v1::Crisis> Declare() {
    auto ctx = Context();
    declare_.set_request_id(absl::StrCat("bench-", next_request_.fetch_add(1)));
    v1::Crisis crisis;
    grpc::Status status = crises_->DeclareCrisis(ctx.get(), declare_, &crisis);
    if (!status.ok()) return absl::InternalError(status.error_message());
    return crisis;
  }

 private:
  // The same metadata and deadline on every gRPC call, floors included.
  static std::unique_ptr<grpc::ClientContext> Context() {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("x-relais-principal", kPrincipal);
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return ctx;
  }

  bool EchoCall(const char* text, const std::string& request_id) {
    auto ctx = Context();
    EchoRequest request;
    request.set_text(text);
    request.set_request_id(request_id);
    EchoReply reply;
    return echo_->Echo(ctx.get(), request, &reply).ok();
  }

  bool BareHmget() {
    const char* argv[] = {"HMGET", key_.data(), "v", "d"};
    const size_t lens[] = {5, key_.size(), 1, 1};
    auto* reply = static_cast<redisReply*>(redisCommandArgv(redis_, 4, argv, lens));
    const bool ok = reply != nullptr && reply->type == REDIS_REPLY_ARRAY && reply->elements == 2 &&
                    reply->element[1]->type == REDIS_REPLY_STRING;
    if (reply != nullptr) freeReplyObject(reply);
    return ok;
  }

  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<relais::testing::Echo::Stub> echo_;
  std::unique_ptr<v1::CrisisRegistry::Stub> crises_;
  RedisClient& server_redis_;
  std::atomic<int64_t>& next_request_;
  redisContext* redis_ = nullptr;
  v1::DeclareCrisisRequest declare_;
  v1::GetCrisisRequest get_;
  std::string key_;
  int reported_errors_ = 0;
};

std::string RedisText(int port, const std::vector<std::string>& args) {
  const timeval timeout = {5, 0};
  redisContext* c = redisConnectWithTimeout("127.0.0.1", port, timeout);
  std::string out;
  if (c != nullptr && c->err == 0) {
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (const auto& a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    auto* r = static_cast<redisReply*>(
        redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data()));
    if (r != nullptr) {
      if (r->type == REDIS_REPLY_INTEGER) {
        out = std::to_string(r->integer);
      } else if (r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
                 r->element[1]->type == REDIS_REPLY_ARRAY) {  // SCAN: the first key found
        if (r->element[1]->elements > 0) {
          out.assign(r->element[1]->element[0]->str, r->element[1]->element[0]->len);
        }
      } else if (r->str != nullptr) {
        out.assign(r->str, r->len);
      }
      freeReplyObject(r);
    }
  }
  redisFree(c);
  return out;
}

int64_t RedisInt(int port, const std::vector<std::string>& args) {
  int64_t value = -1;
  if (!absl::SimpleAtoi(RedisText(port, args), &value)) return -1;
  return value;
}

int64_t UsedMemory(int port, const char* field) {
  auto info = ParseInfo(RedisText(port, {"INFO", "memory"}));
  int64_t value = -1;
  if (!absl::SimpleAtoi(info[field], &value)) return -1;
  return value;
}

double Ratio(double a, double b) { return b > 0 ? a / b : 0; }

// CPU time of this process (client and server threads), in seconds.
double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double RedisCpuSeconds(int port) {
  auto info = ParseInfo(RedisText(port, {"INFO", "cpu"}));
  double user = 0, sys = 0;
  if (!absl::SimpleAtod(info["used_cpu_user"], &user) ||
      !absl::SimpleAtod(info["used_cpu_sys"], &sys)) {
    return 0;
  }
  return user + sys;
}

// Mean µs per iteration of `fn`, on this thread.
template <class Fn>
double MicrosPerCall(int iterations, Fn&& fn) {
  const auto start = SteadyClock::now();
  for (int i = 0; i < iterations; ++i) fn();
  return MicrosBetween(start, SteadyClock::now()) / iterations;
}

// CPU costs inside one GetCrisis that no floor pays, timed alone on one thread.
nlohmann::json MicroCosts(const v1::Crisis& sample, int iterations) {
  auto sink = std::make_shared<spdlog::sinks::null_sink_mt>();
  JsonLog log("bench", sink);
  Metrics with_log("bench", &log);
  Metrics without_log("bench", nullptr);
  const RpcRecord record{"GetCrisis", absl::StatusCode::kOk, 120, "", kPrincipal};
  const std::string bytes = sample.SerializeAsString();
  v1::Crisis parsed;
  std::string out;
  nlohmann::json costs;
  costs["rpc_bookkeeping_metrics_and_log_us"] = MicrosPerCall(iterations, [&] {
    with_log.OnRpcStart();
    with_log.OnRpcDone(record);
  });
  costs["rpc_metrics_only_us"] = MicrosPerCall(iterations, [&] {
    without_log.OnRpcStart();
    without_log.OnRpcDone(record);
  });
  costs["rpc_json_log_line_only_us"] = MicrosPerCall(iterations, [&] { log.Rpc(record); });
  costs["crisis_parse_us"] = MicrosPerCall(iterations, [&] { parsed.ParseFromString(bytes); });
  costs["crisis_serialize_us"] = MicrosPerCall(iterations, [&] { sample.SerializeToString(&out); });
  return costs;
}

// Throughput of a call that costs one floor-A call plus one floor-B round trip of machine time.
double SerialFloor(double a_per_s, double b_per_s) {
  return a_per_s > 0 && b_per_s > 0 ? 1.0 / (1.0 / a_per_s + 1.0 / b_per_s) : 0;
}

int Main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  if (!absl::GetFlag(FLAGS_mutex_deadlock_detection)) {
    absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  }
  const bool smoke = absl::GetFlag(FLAGS_smoke);
  int latency_calls = absl::GetFlag(FLAGS_latency_calls);
  int rounds = std::max(1, absl::GetFlag(FLAGS_rounds));
  int warmup_calls = absl::GetFlag(FLAGS_warmup_calls);
  double throughput_seconds = absl::GetFlag(FLAGS_throughput_seconds);
  int throughput_calls = absl::GetFlag(FLAGS_throughput_calls);
  int crises = absl::GetFlag(FLAGS_crises);
  if (smoke) {
    latency_calls = 200;
    rounds = 1;
    warmup_calls = 20;
    throughput_calls = 20;
    crises = 200;
  }
  std::vector<int> thread_counts;
  for (const std::string& t : absl::GetFlag(FLAGS_client_threads)) {
    int k = 0;
    if (absl::SimpleAtoi(t, &k) && k > 0) thread_counts.push_back(k);
  }
  const bool shared_channel = absl::GetFlag(FLAGS_shared_channel);
  const bool text = !absl::GetFlag(FLAGS_json);
  nlohmann::json out = {{"bench", "crisis_bench"}, {"smoke", smoke}, {"machine", MachineJson()}};
  out["mutex_deadlock_detection"] = absl::GetFlag(FLAGS_mutex_deadlock_detection);

  // The service, wired as in main.cc, plus floor A's Echo on the same host.
  auto redis_server = relais::testing::RedisServer::Start();
  ServerOptions options = ServerOptionsFromFlags();
  options.listen_address = "127.0.0.1:0";
  options.metrics_address = "";
  options.redis.host = "127.0.0.1";
  options.redis.port = redis_server->port();
  options.redis.password_file = "";
  options.redis.load_functions = true;   // no relais-redis-setup: the service loads them
  options.insecure_dev_identity = true;  // callers named by headers: the cost measured is ours
  // A few principals make thousands of calls a second here: the capacity measured is the
  // service's, not one principal's budget (rate_limiter.h).
  options.rate_limit_scale = 0;
  options.catalogue_path = RELAIS_SOURCE_DIR "/deploy/catalogue.textproto";
  SystemClock clock;
  RandomIdGenerator ids(clock);
  ServiceHostSeams seams;
  seams.log_sink = std::make_shared<spdlog::sinks::null_sink_mt>();
  auto created = crisis::CrisisRegistryServer::Create(options, clock, ids, std::move(seams));
  if (!created.ok()) {
    std::fprintf(stderr, "crisis_bench: %s\n", created.status().ToString().c_str());
    return 1;
  }
  std::unique_ptr<crisis::CrisisRegistryServer> server = *std::move(created);
  StageEcho echo(server->host().runner(), server->redis(), options.executor_threads);
  server->host().AddService(&echo, relais::testing::Echo::service_full_name());
  if (absl::Status started = server->Start(); !started.ok()) {
    std::fprintf(stderr, "crisis_bench: %s\n", started.ToString().c_str());
    return 1;
  }
  const int port = server->port();
  const int redis_port = redis_server->port();
  // Redis serves everyone on one thread: no single command may take over 1 ms. The slow log
  // records every command above that for the whole run.
  RedisText(redis_port, {"CONFIG", "SET", "slowlog-log-slower-than", "1000"});
  RedisText(redis_port, {"SLOWLOG", "RESET"});
  out["config"] = {{"executor_threads", options.executor_threads},
                   {"redis_connections", options.redis.connections},
                   {"channels", shared_channel ? "one shared" : "one per client thread"},
                   {"latency_calls", latency_calls},
                   {"rounds", rounds},
                   {"warmup_calls", warmup_calls},
                   {"throughput_seconds", throughput_calls > 0 ? 0.0 : throughput_seconds},
                   {"throughput_calls_per_thread", throughput_calls},
                   {"crises_for_memory", crises}};

  std::atomic<int64_t> next_request{1};
  int next_channel = 0;
  std::shared_ptr<grpc::Channel> shared;
  auto make_clients = [&](int n) {
    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < n; ++i) {
      std::shared_ptr<grpc::Channel> channel;
      if (shared_channel) {
        if (shared == nullptr) shared = MakeChannel(port, next_channel++);
        channel = shared;
      } else {
        channel = MakeChannel(port, next_channel++);
      }
      clients.push_back(
          std::make_unique<Client>(channel, redis_port, server->redis(), next_request));
    }
    return clients;
  };

  // The crisis every read targets; its stored value is what floor B fetches too.
  auto main_clients = make_clients(1);
  Client& one = *main_clients[0];
  auto sample = one.Declare();
  if (!sample.ok()) {
    std::fprintf(stderr, "crisis_bench: DeclareCrisis failed: %s\n",
                 sample.status().ToString().c_str());
    return 1;
  }
  const std::string crisis_key = absl::StrCat("crisis:c:", sample->id());
  const int64_t stored_bytes = RedisInt(redis_port, {"HSTRLEN", crisis_key, "d"});
  one.SetCrisis(sample->id(), crisis_key);
  out["payload"] = {{"stored_value_bytes", stored_bytes},
                    {"get_response_bytes", sample->ByteSizeLong()},
                    {"declare_request_bytes", DeclareTemplate().ByteSizeLong()}};

  std::vector<Kind> kinds = {Kind::kFloorA, Kind::kFloorB, Kind::kGet, Kind::kDeclare};
  if (absl::GetFlag(FLAGS_stages)) {
    kinds.insert(kinds.end(), {Kind::kExec, Kind::kBareRunner, Kind::kBareHmget, Kind::kHop,
                               Kind::kHopHmget, Kind::kRedisClient});
  }
  int64_t failures = 0;
  // CPU seconds and calls of the sequential measurements, per kind: this process, Redis, calls.
  std::map<Kind, std::array<double, 3>> cpu;
  auto sequential = [&](Kind kind, int calls) {
    LoadSpec spec;
    spec.threads = 1;
    spec.calls_per_thread = calls;
    const double cpu0 = ProcessCpuSeconds(), redis0 = RedisCpuSeconds(redis_port);
    LoadResult r = RunLoad(spec, [&](int) { return one.Call(kind); });
    cpu[kind][0] += ProcessCpuSeconds() - cpu0;
    cpu[kind][1] += RedisCpuSeconds(redis_port) - redis0;
    cpu[kind][2] += static_cast<double>(r.calls);
    failures += r.errors;
    return r;
  };

  // Warm-up: connections, executor threads, allocator, Redis Functions loaded.
  for (Kind kind : kinds) {
    LoadResult r = sequential(kind, std::max(warmup_calls, 1));
    if (r.errors > 0) std::fprintf(stderr, "warm-up %s: %ld errors\n", KindName(kind), r.errors);
  }
  cpu.clear();

  if (const std::string only = absl::GetFlag(FLAGS_only); !only.empty()) {
    for (Kind kind : kinds) {
      if (only != KindName(kind)) continue;
      LoadSpec spec;
      spec.seconds = absl::GetFlag(FLAGS_only_seconds);
      LoadResult r = RunLoad(spec, [&](int) { return one.Call(kind); });
      nlohmann::json result = {
          {"only", only}, {"calls", r.calls}, {"errors", r.errors}, {"latency", ToJson(r.latency)}};
      std::printf("%s\n", result.dump().c_str());
      server->Shutdown();
      return r.errors == 0 ? 0 : 1;
    }
    std::fprintf(stderr, "crisis_bench: --only=%s is not a kind\n", only.c_str());
    return 2;
  }

  // Memory: N crises stored through the service (4 client threads).
  {
    const int64_t rss_before = ProcStatusKb("VmRSS"), hwm_before = ProcStatusKb("VmHWM");
    const int64_t used_before = UsedMemory(redis_port, "used_memory");
    const int64_t dataset_before = UsedMemory(redis_port, "used_memory_dataset");
    const int64_t keys_before = RedisInt(redis_port, {"DBSIZE"});
    auto writers = make_clients(4);
    LoadSpec spec;
    spec.threads = 4;
    spec.calls_per_thread = (crises + 3) / 4;
    LoadResult r = RunLoad(spec, [&](int t) { return writers[t]->Call(Kind::kDeclare); });
    failures += r.errors;
    const int64_t stored = r.calls - r.errors;
    writers.clear();
    const int64_t used_after = UsedMemory(redis_port, "used_memory");
    const int64_t dataset_after = UsedMemory(redis_port, "used_memory_dataset");
    const int64_t total = RedisInt(redis_port, {"ZCARD", "crisis:idx:all"});
    auto usage = [&](const std::string& key) {
      return key.empty() ? -1 : RedisInt(redis_port, {"MEMORY", "USAGE", key, "SAMPLES", "0"});
    };
    const std::string idem_key =
        RedisText(redis_port, {"SCAN", "0", "MATCH", "crisis:idem:*", "COUNT", "1000"});
    int64_t index_bytes = 0;
    // The four indexes this crisis is in (status DECLARED and kind EPIDEMIC, alone and crossed).
    for (const std::string& key :
         {std::string("crisis:idx:all"),
          absl::StrCat("crisis:idx:s:", static_cast<int>(sample->status())),
          absl::StrCat("crisis:idx:k:", static_cast<int>(sample->kind())),
          absl::StrCat("crisis:idx:sk:", static_cast<int>(sample->status()), ":",
                       static_cast<int>(sample->kind()))}) {
      index_bytes += std::max<int64_t>(usage(key), 0);
    }
    const int64_t events = RedisInt(redis_port, {"XLEN", "relais:events"});
    const double per_crisis = Ratio(static_cast<double>(used_after - used_before), stored);
    out["memory"] = {
        {"crises_declared", stored},
        {"crises_stored_total", total},
        {"process_vmrss_kb_before", rss_before},
        {"process_vmrss_kb_after", ProcStatusKb("VmRSS")},
        {"process_vmhwm_kb_before", hwm_before},
        {"process_vmhwm_kb_after", ProcStatusKb("VmHWM")},
        {"redis_keys_added", RedisInt(redis_port, {"DBSIZE"}) - keys_before},
        {"redis_used_memory_before", used_before},
        {"redis_used_memory_after", used_after},
        {"redis_used_memory_per_crisis_bytes", per_crisis},
        {"redis_dataset_per_crisis_bytes",
         Ratio(static_cast<double>(dataset_after - dataset_before), stored)},
        {"breakdown_bytes",
         {{"crisis_hash", usage(crisis_key)},
          {"idempotency_record", usage(idem_key)},
          {"four_index_entries", Ratio(static_cast<double>(index_bytes), total)},
          {"event_stream_entry",
           Ratio(static_cast<double>(std::max<int64_t>(usage("relais:events"), 0)), events)}}}};
  }

  // Sequential latency, interleaved in rounds so that a burst of load from other processes on
  // the shared cores hits every kind alike.
  std::map<Kind, std::vector<double>> pooled;
  std::vector<double> round_get_ratio, round_declare_ratio;
  for (int round = 0; round < rounds; ++round) {
    std::map<Kind, double> p50;
    for (Kind kind : kinds) {
      LoadResult r = sequential(kind, std::max(latency_calls / rounds, 1));
      p50[kind] = r.latency.p50;
      pooled[kind].insert(pooled[kind].end(), r.samples.begin(), r.samples.end());
    }
    const double floors = p50[Kind::kFloorA] + p50[Kind::kFloorB];
    round_get_ratio.push_back(Ratio(p50[Kind::kGet], floors));
    round_declare_ratio.push_back(Ratio(p50[Kind::kDeclare], floors));
  }
  std::map<Kind, LatencyStats> latency;
  nlohmann::json latency_json;
  for (Kind kind : kinds) {
    latency[kind] = Summarize(pooled[kind]);
    latency_json[KindName(kind)] = ToJson(latency[kind]);
    const double calls = std::max(cpu[kind][2], 1.0);
    latency_json[KindName(kind)]["process_cpu_us_per_call"] = cpu[kind][0] * 1e6 / calls;
    latency_json[KindName(kind)]["redis_cpu_us_per_call"] = cpu[kind][1] * 1e6 / calls;
  }
  const double floors_p50 = latency[Kind::kFloorA].p50 + latency[Kind::kFloorB].p50;
  const double get_ratio = Ratio(latency[Kind::kGet].p50, floors_p50);
  const double declare_ratio = Ratio(latency[Kind::kDeclare].p50, floors_p50);
  out["latency"] = latency_json;
  out["ratios"] = {{"get_p50_over_floor_a_plus_b", get_ratio},
                   {"get_target", 1.3},
                   {"get_target_met", get_ratio <= 1.3},
                   {"get_per_round", round_get_ratio},
                   {"declare_p50_over_floor_a_plus_b", declare_ratio},
                   {"declare_per_round", round_declare_ratio}};

  // Throughput with K concurrent client threads, closed loop.
  nlohmann::json throughput = nlohmann::json::array();
  struct Row {
    int threads;
    std::map<Kind, LoadResult> by_kind;
  };
  std::vector<Row> rows;
  const std::vector<Kind> load_kinds = {Kind::kFloorA, Kind::kFloorB, Kind::kGet, Kind::kDeclare};
  for (int k : thread_counts) {
    auto clients = make_clients(k);
    for (auto& c : clients) c->SetCrisis(sample->id(), crisis_key);
    Row row{k, {}};
    for (Kind kind : load_kinds) {
      LoadSpec spec;
      spec.threads = k;
      spec.calls_per_thread = throughput_calls;
      spec.seconds = throughput_seconds;
      spec.warmup_calls_per_thread = throughput_calls > 0 ? 5 : 0;
      spec.warmup_seconds = 0.3;
      LoadResult r = RunLoad(spec, [&](int t) { return clients[t]->Call(kind); });
      failures += r.errors;
      r.samples.clear();
      row.by_kind[kind] = std::move(r);
    }
    const double a = row.by_kind[Kind::kFloorA].calls_per_second;
    const double b = row.by_kind[Kind::kFloorB].calls_per_second;
    const double serial = SerialFloor(a, b);
    nlohmann::json j = {{"threads", k}, {"serial_floor_calls_per_s", serial}};
    for (Kind kind : load_kinds) {
      const LoadResult& r = row.by_kind[kind];
      j[KindName(kind)] = {{"calls_per_s", r.calls_per_second},
                           {"calls", r.calls},
                           {"errors", r.errors},
                           {"p50_us", r.latency.p50},
                           {"p99_us", r.latency.p99}};
      if (kind == Kind::kGet || kind == Kind::kDeclare) {
        j[KindName(kind)]["over_floor_a"] = Ratio(r.calls_per_second, a);
        j[KindName(kind)]["over_floor_b"] = Ratio(r.calls_per_second, b);
        j[KindName(kind)]["over_serial_floor"] = Ratio(r.calls_per_second, serial);
      }
    }
    throughput.push_back(j);
    rows.push_back(std::move(row));
  }
  out["throughput"] = throughput;
  out["micro_costs"] = MicroCosts(*sample, smoke ? 1000 : 50000);
  out["process_vmhwm_kb_end"] = ProcStatusKb("VmHWM");
  out["failed_calls"] = failures;
  const int64_t slow_commands = RedisInt(redis_port, {"SLOWLOG", "LEN"});
  out["redis_commands_over_1ms"] = slow_commands;
  // Each entry flattened: id, start time, duration in µs, the command and its arguments, client.
  // Arguments hold serialized protobufs: keep printable ASCII only, so the JSON line stays valid.
  std::string slowest = redis_server->Command({"SLOWLOG", "GET", "10"});
  for (char& c : slowest) {
    if ((c < 0x20 && c != '\n') || c > 0x7e) c = '.';
  }
  out["redis_slowest_commands"] = slowest;
  out["machine"]["loadavg_1m_end"] = MachineJson()["loadavg_1m"];

  if (text) {
    std::printf(
        "crisis_bench%s: server in this process (executor_threads=%d, "
        "redis_connections=%d), redis-server child (AOF everysec), %ld cores\n",
        smoke ? " --smoke" : "", options.executor_threads, options.redis.connections,
        sysconf(_SC_NPROCESSORS_ONLN));
    std::printf("payload: stored crisis %ld bytes, GetCrisis response %zu bytes\n\n", stored_bytes,
                sample->ByteSizeLong());
    std::printf("Sequential latency, one client thread (%d calls per kind in %d rounds), µs\n",
                latency_calls, rounds);
    std::printf("  %-42s %8s %8s %8s %8s %10s %9s %9s\n", "call", "p50", "p90", "p99", "mean",
                "p50/(A+B)", "cpu/call", "redis/call");
    for (Kind kind : kinds) {
      const LatencyStats& s = latency[kind];
      const auto& j = latency_json[KindName(kind)];
      std::printf("  %-42s %8.1f %8.1f %8.1f %8.1f %10.2f %9.1f %9.1f\n", KindLabel(kind), s.p50,
                  s.p90, s.p99, s.mean, Ratio(s.p50, floors_p50),
                  j["process_cpu_us_per_call"].get<double>(),
                  j["redis_cpu_us_per_call"].get<double>());
    }
    std::printf(
        "  (cpu/call: CPU µs of this process, client and server threads; redis/call: of "
        "redis-server)\n");
    const LatencyStats get_rounds = Summarize(round_get_ratio);
    const LatencyStats declare_rounds = Summarize(round_declare_ratio);
    std::printf(
        "\n  KEY RATIO GetCrisis p50 / (A p50 + B p50) = %.2f  (target <= 1.30: %s; the same "
        "ratio per round: min %.2f, median %.2f, max %.2f)\n",
        get_ratio, get_ratio <= 1.3 ? "MET" : "NOT MET", round_get_ratio.front(), get_rounds.p50,
        round_get_ratio.back());
    std::printf(
        "  DeclareCrisis p50 / (A p50 + B p50) = %.2f  (per round: min %.2f, median %.2f, max "
        "%.2f)\n\n",
        declare_ratio, round_declare_ratio.front(), declare_rounds.p50, round_declare_ratio.back());

    std::printf("Throughput, closed loop, %s, %s (calls/s; ratio to floors)\n",
                shared_channel ? "one shared channel" : "one channel per client thread",
                throughput_calls > 0
                    ? absl::StrFormat("%d calls per thread", throughput_calls).c_str()
                    : absl::StrFormat("%.1f s per run", throughput_seconds).c_str());
    std::printf("  %3s %9s %9s %9s | %9s %6s %6s %6s %7s | %9s %6s %6s %7s\n", "K", "floor A",
                "floor B", "A+B ser.", "GetCrisis", "/A", "/B", "/ser.", "p99 µs", "Declare", "/A",
                "/ser.", "p99 µs");
    for (auto& row : rows) {
      const double a = row.by_kind[Kind::kFloorA].calls_per_second;
      const double b = row.by_kind[Kind::kFloorB].calls_per_second;
      const double serial = SerialFloor(a, b);
      const LoadResult& g = row.by_kind[Kind::kGet];
      const LoadResult& d = row.by_kind[Kind::kDeclare];
      std::printf(
          "  %3d %9.0f %9.0f %9.0f | %9.0f %6.2f %6.2f %6.2f %7.0f | %9.0f %6.2f %6.2f %7.0f\n",
          row.threads, a, b, serial, g.calls_per_second, Ratio(g.calls_per_second, a),
          Ratio(g.calls_per_second, b), Ratio(g.calls_per_second, serial), g.latency.p99,
          d.calls_per_second, Ratio(d.calls_per_second, a), Ratio(d.calls_per_second, serial),
          d.latency.p99);
    }
    const auto& m = out["memory"];
    std::printf("\nMemory with %ld more crises stored (%ld in all)\n",
                m["crises_declared"].get<int64_t>(), m["crises_stored_total"].get<int64_t>());
    std::printf(
        "  this process (client + server): VmRSS %ld -> %ld kB, VmHWM %ld -> %ld kB "
        "(%ld kB at the end)\n",
        m["process_vmrss_kb_before"].get<int64_t>(), m["process_vmrss_kb_after"].get<int64_t>(),
        m["process_vmhwm_kb_before"].get<int64_t>(), m["process_vmhwm_kb_after"].get<int64_t>(),
        out["process_vmhwm_kb_end"].get<int64_t>());
    const auto& bd = m["breakdown_bytes"];
    std::printf(
        "  redis used_memory per crisis: %.0f bytes (dataset %.0f); MEMORY USAGE: crisis "
        "hash %ld, idempotency record %ld, 4 index entries %.0f, event %.0f\n",
        m["redis_used_memory_per_crisis_bytes"].get<double>(),
        m["redis_dataset_per_crisis_bytes"].get<double>(), bd["crisis_hash"].get<int64_t>(),
        bd["idempotency_record"].get<int64_t>(), bd["four_index_entries"].get<double>(),
        bd["event_stream_entry"].get<double>());
    const auto& mc = out["micro_costs"];
    std::printf(
        "\nCPU costs inside GetCrisis, timed alone (µs per call): metrics + JSON log line "
        "%.2f (metrics %.2f, log line %.2f); Crisis parse %.2f, serialize %.2f\n",
        mc["rpc_bookkeeping_metrics_and_log_us"].get<double>(),
        mc["rpc_metrics_only_us"].get<double>(), mc["rpc_json_log_line_only_us"].get<double>(),
        mc["crisis_parse_us"].get<double>(), mc["crisis_serialize_us"].get<double>());
    std::printf("\nRedis commands over 1 ms during the run (SLOWLOG): %ld%s\n", slow_commands,
                slow_commands == 0 ? "" : " -- see redis_slowest_commands in the JSON line");
    std::printf("failed calls: %ld\n", failures);
  }
  std::printf("%s\n", out.dump().c_str());
  std::fflush(stdout);
  server->Shutdown();
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace relais::bench

int main(int argc, char** argv) { return relais::bench::Main(argc, argv); }
