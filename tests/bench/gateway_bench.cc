// gateway_bench: the dashboard gateway (the real `gateway` binary, in its own process so that its
// threads and memory are its own) in front of the three services (in this process, on one
// redis-server, as in tests/support/mobilisation_stack.h). Figures are ratios to floors measured
// in the same run (docs/PERFORMANCE.md, "Gateway"):
//   floor (a)  GET /api/crises/{id}/board with no stream open: HTTP + JSON + one GetCrisisBoard;
//   floor (b)  one SSE subscriber: an event XADDed to relais:events (timed from just before the
//              XADD) until its frame arrives on the stream.
// Then --streams SSE streams are opened (default 200: "200 open dashboards on one gateway must
// not starve it"); with them open: board GET p50/p99 as a ratio to (a), and per event the time
// until every stream has its frame, as a ratio to (b). The gateway's threads and VmRSS before and
// with the streams open.
//
//   gateway_bench            full run (about a minute on 2 shared cores)
//   gateway_bench --smoke    20 streams, a few calls; fails only if a call or a delivery fails
//   gateway_bench --json     the JSON line only (always the last line of the output)
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "services/gateway/test_http_client.h"
#include "services/runtime/proto_time.h"
#include "tests/bench/bench_util.h"
#include "tests/support/mobilisation_stack.h"

ABSL_FLAG(bool, smoke, false, "a short run that checks every call and delivery");
ABSL_FLAG(bool, json, false, "print only the JSON line");
ABSL_FLAG(int, streams, 200, "SSE streams open during the loaded measurements");
ABSL_FLAG(int, board_calls, 400, "board GETs per measurement");
ABSL_FLAG(int, events, 100, "events per measurement, one at a time");

namespace relais::bench {
namespace {

namespace v1 = ::relais::v1;
using gateway::testing::ConnectLoopback;
using gateway::testing::HttpGet;
using gateway::testing::HttpResponse;
using gateway::testing::SendAll;

bool quiet = false;
void Say(const std::string& line) {
  if (!quiet) std::printf("%s\n", line.c_str());
}
int Fail(const std::string& why) {
  std::fprintf(stderr, "gateway_bench: %s\n", why.c_str());
  return 1;
}

// A "kB" or count field of /proc/<pid>/status; -1 when absent.
int64_t ProcField(pid_t pid, const std::string& field) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::atoll(line.c_str() + field.size() + 1);
  }
  return -1;
}

// The gateway binary as a child process; its start line gives the port.
struct GatewayProcess {
  pid_t pid = -1;
  int port = 0;

  bool Start(const testing::MobilisationStack& stack) {
    int out[2];
    if (pipe(out) != 0) return false;
    pid = fork();
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive the benchmark
      dup2(out[1], 1);
      close(out[0]);
      const std::string registry =
          absl::StrCat("--crisis_registry_address=127.0.0.1:", stack.registry->port());
      const std::string inventory =
          absl::StrCat("--inventory_address=127.0.0.1:", stack.inventory_port);
      const std::string mobilisation =
          absl::StrCat("--mobilisation_address=127.0.0.1:", stack.mobilisation->port());
      execl(GATEWAY_BINARY, GATEWAY_BINARY, "--http_address=127.0.0.1:0",
            "--metrics_address=", "--insecure_dev_identity", registry.c_str(), inventory.c_str(),
            mobilisation.c_str(), nullptr);
      _exit(127);
    }
    close(out[1]);
    FILE* lines = fdopen(out[0], "r");
    char buffer[4096];
    if (lines == nullptr || std::fgets(buffer, sizeof(buffer), lines) == nullptr) return false;
    nlohmann::json start = nlohmann::json::parse(buffer, nullptr, false);
    port = start.value("http_port", 0);
    // Keep reading its stdout in the background so it never blocks on a full pipe.
    std::thread([lines] {
      char drain[4096];
      while (std::fgets(drain, sizeof(drain), lines) != nullptr) {
      }
      std::fclose(lines);
    }).detach();
    return port > 0;
  }

  // SIGTERM; the exit status (0 = clean).
  int Stop() {
    if (pid <= 0) return -1;
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
};

// Many SSE streams read by one thread with poll(): the raw bytes of each.
class Streams {
 public:
  bool Open(int port, const std::string& path, int n) {
    for (int i = 0; i < n; ++i) {
      int fd = ConnectLoopback(port);
      if (fd < 0) return false;
      if (!SendAll(fd, gateway::testing::RequestText("GET", path, {}, false))) return false;
      fds_.push_back({fd, POLLIN, 0});
      raw_.emplace_back();
      scan_.push_back(0);
    }
    return true;
  }
  ~Streams() {
    for (auto& p : fds_) close(p.fd);
  }

  // Waits until every stream holds `text` (after what was already matched); the time when the
  // last one got it, or nullopt at the deadline.
  std::optional<SteadyClock::time_point> WaitAll(const std::string& text,
                                                 std::chrono::milliseconds timeout) {
    const auto deadline = SteadyClock::now() + timeout;
    std::vector<bool> done(fds_.size(), false);
    size_t left = fds_.size();
    SteadyClock::time_point last{};
    char buffer[65536];
    while (left > 0) {
      const auto now = SteadyClock::now();
      if (now > deadline) return std::nullopt;
      for (auto& p : fds_) p.revents = 0;
      int ready = poll(fds_.data(), fds_.size(), 100);
      if (ready < 0) return std::nullopt;
      for (size_t i = 0; i < fds_.size(); ++i) {
        if (done[i] || (fds_[i].revents & (POLLIN | POLLHUP)) == 0) continue;
        ssize_t n = recv(fds_[i].fd, buffer, sizeof(buffer), 0);
        if (n <= 0) return std::nullopt;  // a stream ended
        raw_[i].append(buffer, static_cast<size_t>(n));
        size_t at = raw_[i].find(text, scan_[i]);
        if (at != std::string::npos) {
          done[i] = true;
          scan_[i] = at + text.size();
          --left;
          last = SteadyClock::now();
        }
      }
    }
    // Streams that already had it before this call count at the time of the check.
    return last == SteadyClock::time_point{} ? SteadyClock::now() : last;
  }

  size_t size() const { return fds_.size(); }

 private:
  std::vector<pollfd> fds_;
  std::vector<std::string> raw_;
  std::vector<size_t> scan_;
};

int Run() {
  const bool smoke = absl::GetFlag(FLAGS_smoke);
  quiet = absl::GetFlag(FLAGS_json);
  const int stream_count = smoke ? 20 : absl::GetFlag(FLAGS_streams);
  const int board_calls = smoke ? 20 : absl::GetFlag(FLAGS_board_calls);
  const int events = smoke ? 5 : absl::GetFlag(FLAGS_events);
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  testing::MobilisationStack stack;
  stack.RegisterOrganisation();
  for (int i = 0; i < 10; ++i) stack.RegisterNurse(absl::StrCat("b", i), 1 + i);
  stack.DeclareHeatwave(5);
  v1::MobiliseResponse sent = stack.Mobilise("bench-m", 2.0);
  if (sent.requests_size() == 0) return Fail("Mobilise sent no request");

  GatewayProcess gateway;
  if (!gateway.Start(stack)) return Fail("the gateway did not start");
  const std::string board_path = "/api/crises/" + stack.crisis_id + "/board";

  auto board_run = [&](std::vector<double>* us) {
    for (int i = 0; i < board_calls; ++i) {
      const auto t0 = SteadyClock::now();
      HttpResponse r = HttpGet(gateway.port, board_path);
      const auto t1 = SteadyClock::now();
      if (r.status != 200) return false;
      us->push_back(MicrosBetween(t0, t1));
    }
    return true;
  };
  // One event for the crisis, as the services write them; returns its cursor.
  int written = 0;
  auto xadd = [&]() {
    v1::Event event;
    event.set_type(v1::EVENT_TYPE_REQUESTS_SENT);
    *event.mutable_time() = ToProtoTime(absl::Now());
    event.set_service("mobilisation");
    event.set_principal_id("svc-mobilisation");
    event.set_crisis_id(stack.crisis_id);
    event.set_need_id(stack.need_id);
    event.set_subject_id(absl::StrCat("bench-", ++written));
    return stack.redis->Command({"XADD", "relais:events", "*", "t",
                                 absl::StrCat(static_cast<int>(event.type())), "c", stack.crisis_id,
                                 "e", event.SerializeAsString()});
  };
  auto event_run = [&](Streams& streams, std::vector<double>* us) {
    for (int i = 0; i < events; ++i) {
      const auto t0 = SteadyClock::now();
      const std::string cursor = xadd();
      auto t1 = streams.WaitAll("id: " + cursor + "\n", std::chrono::seconds(30));
      if (!t1) return false;
      us->push_back(MicrosBetween(t0, *t1));
    }
    return true;
  };
  // Streams watch from the board's cursor, so no event written after it can be missed while the
  // gateway's gRPC watch is still being set up.
  auto events_path = [&] {
    HttpResponse board = HttpGet(gateway.port, board_path);
    nlohmann::json j = nlohmann::json::parse(board.body, nullptr, false);
    const std::string cursor = j.is_object() ? j.value("cursor", "") : "";
    return "/api/crises/" + stack.crisis_id + "/events?cursor=" + cursor;
  };

  // Warm-up (channels connected, code paged in), then the floors.
  std::vector<double> warm;
  if (!board_run(&warm)) return Fail("board GET failed (warm-up)");
  // Where the board's time goes: the same read straight from the service over gRPC.
  std::vector<double> direct_board;
  for (int i = 0; i < board_calls; ++i) {
    v1::GetCrisisBoardRequest request;
    request.set_crisis_id(stack.crisis_id);
    v1::CrisisBoard board;
    auto context = testing::MobilisationStack::As("svc-gateway", "dashboard");
    const auto t0 = SteadyClock::now();
    grpc::Status status = stack.stub->GetCrisisBoard(context.get(), request, &board);
    const auto t1 = SteadyClock::now();
    if (!status.ok()) return Fail("GetCrisisBoard failed: " + status.error_message());
    direct_board.push_back(MicrosBetween(t0, t1));
  }
  std::vector<double> floor_board, floor_event;
  if (!board_run(&floor_board)) return Fail("board GET failed (floor)");
  const int64_t threads_idle = ProcField(gateway.pid, "Threads");
  const int64_t rss_idle = ProcField(gateway.pid, "VmRSS");
  {
    Streams one;
    if (!one.Open(gateway.port, events_path(), 1) ||
        !one.WaitAll(": open\n\n", std::chrono::seconds(10))) {
      return Fail("one stream did not open");
    }
    // The gateway's gRPC watch is open once an event gets through.
    if (!one.WaitAll("id: " + xadd() + "\n", std::chrono::seconds(10))) {
      return Fail("no first event");
    }
    if (!event_run(one, &floor_event)) return Fail("an event did not arrive (floor)");
  }

  // Loaded: N streams open.
  Streams many;
  if (!many.Open(gateway.port, events_path(), stream_count) ||
      !many.WaitAll(": open\n\n", std::chrono::seconds(30))) {
    return Fail("the streams did not open");
  }
  if (!many.WaitAll("id: " + xadd() + "\n", std::chrono::seconds(30))) {
    return Fail("a stream missed the first event");
  }
  std::vector<double> loaded_board, loaded_event;
  if (!board_run(&loaded_board)) return Fail("board GET failed (streams open)");
  if (!event_run(many, &loaded_event)) return Fail("an event did not reach every stream");
  const int64_t threads_loaded = ProcField(gateway.pid, "Threads");
  const int64_t rss_loaded = ProcField(gateway.pid, "VmRSS");
  const int exit_code = gateway.Stop();
  if (exit_code != 0) return Fail(absl::StrCat("the gateway exited with ", exit_code));

  LatencyStats a = Summarize(floor_board), b = Summarize(floor_event);
  LatencyStats direct = Summarize(direct_board);
  LatencyStats la = Summarize(loaded_board), lb = Summarize(loaded_event);
  auto ratio = [](double x, double y) { return y > 0 ? x / y : 0; };
  Say(absl::StrCat("floor (a) board GET, no stream: p50 ", a.p50, " us, p99 ", a.p99,
                   " us (n=", a.n, ")"));
  Say(absl::StrCat("  of which GetCrisisBoard over gRPC, straight: p50 ", direct.p50, " us, p99 ",
                   direct.p99, " us"));
  Say(absl::StrCat("floor (b) one subscriber, XADD -> frame: p50 ", b.p50, " us, p99 ", b.p99,
                   " us (n=", b.n, ")"));
  Say(absl::StrCat("with ", stream_count, " streams: board GET p50 ", la.p50, " us (",
                   ratio(la.p50, a.p50), "x floor a), p99 ", la.p99, " us (", ratio(la.p99, a.p99),
                   "x)"));
  Say(absl::StrCat("with ", stream_count, " streams: all have the event p50 ", lb.p50, " us (",
                   ratio(lb.p50, b.p50), "x floor b), p99 ", lb.p99, " us (", ratio(lb.p99, b.p99),
                   "x)"));
  Say(absl::StrCat("gateway threads ", threads_idle, " -> ", threads_loaded, ", VmRSS ", rss_idle,
                   " kB -> ", rss_loaded, " kB (", stream_count, " streams)"));
  nlohmann::json out = {
      {"bench", "gateway"},
      {"smoke", smoke},
      {"streams", stream_count},
      {"floor_board", ToJson(a)},
      {"floor_event", ToJson(b)},
      {"direct_grpc_board", ToJson(direct)},
      {"loaded_board", ToJson(la)},
      {"loaded_event_all", ToJson(lb)},
      {"board_p50_ratio", ratio(la.p50, a.p50)},
      {"board_p99_ratio", ratio(la.p99, a.p99)},
      {"event_p50_ratio", ratio(lb.p50, b.p50)},
      {"event_p99_ratio", ratio(lb.p99, b.p99)},
      {"gateway_threads", {{"idle", threads_idle}, {"loaded", threads_loaded}}},
      {"gateway_rss_kb", {{"idle", rss_idle}, {"loaded", rss_loaded}}},
      {"machine", MachineJson()},
  };
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace
}  // namespace relais::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return relais::bench::Run();
}
