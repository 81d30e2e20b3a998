// inventory_bench: the resource inventory at 100,000 responders, measured in one run and reported
// as ratios to floors measured in the same run (see docs/PERFORMANCE.md):
//   floor A  an empty unary gRPC call to the same server process (an Echo callback service on the
//            same ServiceHost that finishes inline, no executor hop), same channel and metadata;
//   floor B  a bare hiredis round trip from this process: HMGET of a responder's record, the first
//            read of SetAvailability and Hold.
// The service runs in this process exactly as main.cc wires it (InventoryServer, sweeper on), over
// a redis-server child started by the test harness (AOF on, appendfsync everysec).
//
// What it does, in order:
//   1. load: a few organisations, then N generated responders with 1-3 availability periods each,
//      through the service's own Registry called in-process from --load_threads threads (the bytes
//      stored are exactly the product's);
//   2. Redis memory per responder (INFO used_memory delta, MEMORY USAGE per key family);
//   3. the search index: a full Load() timed, with the heap and VmRSS it adds;
//   4. FindResponders over a fixed mix of local and abroad queries: Finder::FindResponders called
//      directly (the server time), the same split into its stages (CatchUp, index Search, bookings
//      round trips), and through gRPC; SLOWLOG over this phase;
//   5. SetAvailability and Hold through gRPC beside the floors, with stages that split them (the
//      service's RpcRunner alone, the runner calling the application layer, the application layer
//      called in-process), sequential in rounds; the index catch-up a search pays after those
//      writes; then closed-loop throughput with K client threads. SLOWLOG over this phase.
//
//   inventory_bench                  full run (about 4 minutes at 100,000 responders on 2 cores)
//   inventory_bench --smoke          2,000 responders, a few calls each; fails only if calls fail
//   inventory_bench --json           the JSON line only (it is always the last line of the output)
//   inventory_bench --only=find_responders_direct --only_seconds=15   one kind, for a profiler
// The server's own flags (--executor_threads, --redis_connections, ...) apply too.
#include <grpcpp/grpcpp.h>
#include <hiredis/hiredis.h>
#include <malloc.h>
#include <spdlog/sinks/null_sink.h>
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "relais/v1/inventory.grpc.pb.h"
#include "services/inventory/redis_ledger.h"
#include "services/inventory/responder_search.h"
#include "services/inventory/server.h"
#include "services/runtime/proto_time.h"
#include "tests/bench/bench_util.h"
#include "tests/support/echo.grpc.pb.h"
#include "tests/support/redis_server.h"

ABSL_FLAG(bool, smoke, false,
          "2,000 responders and a few calls per measurement (CI); asserts no speed");
ABSL_FLAG(bool, json, false, "print only the JSON line");
ABSL_FLAG(int, responders, 100000, "responders registered before measuring");
ABSL_FLAG(int, organisations, 12, "organisations the responders are spread over");
ABSL_FLAG(int, load_threads, 8, "threads calling the Registry in-process during the load");
ABSL_FLAG(uint64_t, seed, 20261126, "seed of the generated responders and queries");
ABSL_FLAG(int, queries, 4000,
          "FindResponders queries per measurement (direct, stages, gRPC), all rounds");
ABSL_FLAG(int, booked_every, 25,
          "before the queries, one responder in this many gets a hold inside the query horizon");
ABSL_FLAG(double, local_share, 0.7, "share of local queries (the others are abroad)");
ABSL_FLAG(int, latency_calls, 4000,
          "sequential calls per kind of the SetAvailability / Hold latency measurement");
ABSL_FLAG(int, rounds, 10,
          "measurements of all kinds are interleaved in this many rounds, so that bursts of load "
          "from other processes hit every kind alike");
ABSL_FLAG(int, warmup_calls, 300, "unmeasured sequential calls of each kind first");
ABSL_FLAG(double, throughput_seconds, 2.0, "measured seconds per throughput run");
ABSL_FLAG(int, throughput_calls, 0, "> 0: calls per client thread instead of a duration");
ABSL_FLAG(std::vector<std::string>, client_threads, std::vector<std::string>({"1", "4", "16"}),
          "concurrent client threads of the throughput runs (one channel each)");
ABSL_FLAG(std::string, only, "",
          "profiling mode: after the load, run only this kind sequentially (floor_a, floor_b, "
          "set_availability, hold, set_availability_direct, hold_direct, find_responders, "
          "find_responders_direct) for --only_seconds, print its latency, exit");
ABSL_FLAG(double, only_seconds, 10, "duration of the --only run");
ABSL_FLAG(bool, mutex_deadlock_detection, true,
          "leave absl::Mutex deadlock detection as the services run it (on with Debian's Abseil); "
          "false switches it off");

namespace relais::bench {
namespace {

namespace v1 = ::relais::v1;
using ::relais::inventory::InventoryServer;
using ::relais::testing::EchoReply;
using ::relais::testing::EchoRequest;

constexpr char kCoordinator[] = "coord-bench";
constexpr double kFindTargetP99Us = 5000;
constexpr double kLatencyTarget = 1.3;
constexpr double kThroughputTarget = 0.8;
constexpr double kBytesPerResponderTarget = 1024;

double Ratio(double a, double b) { return b > 0 ? a / b : 0; }

// Throughput of a call that costs one floor-A call plus one floor-B round trip of machine time.
double SerialFloor(double a_per_s, double b_per_s) {
  return a_per_s > 0 && b_per_s > 0 ? 1.0 / (1.0 / a_per_s + 1.0 / b_per_s) : 0;
}

double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Bytes the allocator has handed out and not had back (all arenas, mmapped blocks included).
int64_t HeapInUse() {
  const struct mallinfo2 info = mallinfo2();
  return static_cast<int64_t>(info.uordblks + info.hblkhd);
}

double Seconds(SteadyClock::time_point a, SteadyClock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// Keeps printable ASCII only (stored values are serialized protobufs), at most `max` characters.
std::string Printable(const std::string& text, size_t max = 48) {
  std::string out;
  for (char c : text.substr(0, max)) out += (c >= 0x20 && c <= 0x7e) ? c : '.';
  if (text.size() > max) out += "...";
  return out;
}

// --- Admin access to Redis (set-up and accounting, never measured) ---

// Through the service's own RedisClient: structured replies.
class Admin {
 public:
  explicit Admin(RedisClient& redis) : redis_(redis) {}

  Reply Run(const std::vector<std::string>& args) {
    auto reply = redis_.Command(args);
    if (!reply.ok()) {
      std::fprintf(stderr, "inventory_bench: %s: %s\n", args[0].c_str(),
                   reply.status().ToString().c_str());
      return Reply::Error(std::string(reply.status().message()));
    }
    return *std::move(reply);
  }
  int64_t Int(const std::vector<std::string>& args) {
    Reply r = Run(args);
    return r.is_integer() ? r.integer() : -1;
  }
  std::map<std::string, std::string> Info(const std::string& section) {
    return ParseInfo(Run({"INFO", section}).str());
  }
  int64_t InfoInt(const std::string& section, const std::string& field) {
    int64_t value = -1;
    if (!absl::SimpleAtoi(Info(section)[field], &value)) return -1;
    return value;
  }
  // Redis CPU seconds and commands processed so far (one INFO, itself counted as a command).
  std::pair<double, int64_t> Counters() {
    auto info = ParseInfo(Run({"INFO"}).str());
    double user = 0, sys = 0;
    int64_t commands = 0;
    if (!absl::SimpleAtod(info["used_cpu_user"], &user) ||
        !absl::SimpleAtod(info["used_cpu_sys"], &sys) ||
        !absl::SimpleAtoi(info["total_commands_processed"], &commands)) {
      return {0, 0};
    }
    return {user + sys, commands};
  }
  double CpuSeconds() { return Counters().first; }
  absl::StatusOr<std::vector<Reply>> Pipeline(const std::vector<std::vector<std::string>>& cmds) {
    return redis_.Pipeline(cmds);
  }

 private:
  RedisClient& redis_;
};

// Every entry of the slow log (SLOWLOG GET -1): duration, command name and its first arguments.
nlohmann::json SlowLog(Admin& admin) {
  nlohmann::json entries = nlohmann::json::array();
  Reply reply = admin.Run({"SLOWLOG", "GET", "-1"});
  for (const Reply& entry : reply.elements()) {
    if (entry.elements().size() < 4) continue;
    const auto& args = entry.elements()[3].elements();
    std::string name = args.empty() ? "?" : args[0].str();
    std::string detail;
    for (size_t i = 1; i < args.size() && i < 4; ++i) {
      absl::StrAppend(&detail, i > 1 ? " " : "", Printable(args[i].str(), 40));
    }
    entries.push_back({{"duration_us", entry.elements()[2].integer()},
                       {"command", name},
                       {"args", detail},
                       {"arg_count", args.size()}});
  }
  return entries;
}

nlohmann::json SlowLogSummary(const nlohmann::json& entries) {
  std::map<std::string, int> by_command;
  int64_t longest = 0;
  for (const auto& e : entries) {
    ++by_command[e["command"].get<std::string>()];
    longest = std::max<int64_t>(longest, e["duration_us"].get<int64_t>());
  }
  return {{"count", entries.size()},
          {"by_command", by_command},
          {"longest_us", longest},
          {"entries", entries}};
}

// --- Generated data ---

// What the generator draws from: the catalogue's codes, weighted by how common they are.
struct Vocabulary {
  std::vector<std::string> skills;
  std::vector<double> skill_weights;
  std::vector<std::string> certifications;
  std::vector<std::string> languages = {"en", "es", "ar", "de", "it", "pt",
                                        "ru", "uk", "wo", "ln", "sw", "fa"};
  std::vector<double> language_weights = {40, 14, 10, 6, 6, 5, 3, 3, 2, 2, 2, 2};
  std::vector<std::string> communes = {"Lyon",
                                       "Villeurbanne",
                                       "Vénissieux",
                                       "Vaulx-en-Velin",
                                       "Bron",
                                       "Caluire-et-Cuire",
                                       "Saint-Priest",
                                       "Oullins",
                                       "Décines-Charpieu",
                                       "Meyzieu",
                                       "Rillieux-la-Pape",
                                       "Écully",
                                       "Tassin-la-Demi-Lune",
                                       "Givors",
                                       "Villefranche-sur-Saône"};

  explicit Vocabulary(const Catalogue& catalogue) {
    // Rough shares of a Lyon-area humanitarian health roster: many nurses and first-aiders, few
    // surgeons. Codes not listed weigh 1.
    const std::map<std::string, double> common = {{"nurse", 20},
                                                  {"first-aider", 14},
                                                  {"physician-gp", 10},
                                                  {"community-health-worker", 8},
                                                  {"logistician", 8},
                                                  {"driver", 7},
                                                  {"emergency-physician", 5},
                                                  {"midwife", 4},
                                                  {"pharmacist", 4},
                                                  {"psychologist-mhpss", 4},
                                                  {"hygiene-promoter", 4},
                                                  {"interpreter", 4},
                                                  {"wash-engineer", 3},
                                                  {"cultural-mediator", 3},
                                                  {"project-coordinator", 3},
                                                  {"admin-hr-finance", 3},
                                                  {"paediatrician", 2},
                                                  {"lab-technician", 2},
                                                  {"nutritionist", 2},
                                                  {"epidemiologist", 2},
                                                  {"surgeon", 2},
                                                  {"physiotherapist-rehab", 2}};
    for (const auto& skill : catalogue.proto().skills()) {
      skills.push_back(skill.code());
      auto it = common.find(skill.code());
      skill_weights.push_back(it == common.end() ? 1.0 : it->second);
    }
    for (const auto& certification : catalogue.proto().certifications()) {
      certifications.push_back(certification.code());
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
  int Weighted(const std::vector<double>& weights) {
    return std::discrete_distribution<int>(weights.begin(), weights.end())(rng_);
  }
  // `count` distinct indexes drawn by weight.
  std::vector<int> Distinct(const std::vector<double>& weights, int count) {
    std::vector<int> picked;
    while (static_cast<int>(picked.size()) <
           std::min<int>(count, static_cast<int>(weights.size()))) {
      const int i = Weighted(weights);
      if (std::find(picked.begin(), picked.end(), i) == picked.end()) picked.push_back(i);
    }
    return picked;
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
  if (d.Chance(0.7)) r.set_external_ref(absl::StrCat("EMP-", 100000 + i));
  r.set_display_name(absl::StrCat("Bench Responder ", i));
  for (int s : d.Distinct(vocab.skill_weights, d.Int(1, 4))) {
    v1::SkillLevel* skill = r.add_skills();
    skill->set_code(vocab.skills[s]);
    skill->set_level(d.Int(1, 5));
  }
  std::vector<std::string> languages;
  if (d.Chance(0.95)) languages.push_back("fr");
  const int extra = d.Int(languages.empty() ? 1 : 0, 2);
  for (int l : d.Distinct(vocab.language_weights, extra)) languages.push_back(vocab.languages[l]);
  for (const auto& language : languages) r.add_languages(language);
  const int certifications = d.Chance(0.3) ? 0 : d.Int(1, 3);
  std::vector<double> flat(vocab.certifications.size(), 1.0);
  for (int c : d.Distinct(flat, certifications)) {
    v1::HeldCertification* held = r.add_certifications();
    held->set_code(vocab.certifications[c]);
    if (d.Chance(0.6)) {
      *held->mutable_valid_until() = ToProtoTime(now + absl::Hours(24 * d.Int(60, 3650)));
    }
  }
  if (d.Chance(0.4)) {
    *r.mutable_travel()->mutable_passport_valid_until() =
        ToProtoTime(now + absl::Hours(24 * d.Int(30, 3650)));
    r.mutable_travel()->set_passport_country(d.Chance(0.9) ? "FR" : "BE");
  }
  if (d.Chance(0.95)) {  // the Lyon area
    r.mutable_home_base()->set_lat(d.Uniform(45.55, 45.95));
    r.mutable_home_base()->set_lon(d.Uniform(4.6, 5.15));
    r.set_home_commune(vocab.communes[d.Int(0, static_cast<int>(vocab.communes.size()) - 1)]);
  } else {  // elsewhere in France
    r.mutable_home_base()->set_lat(d.Uniform(43.3, 49.0));
    r.mutable_home_base()->set_lon(d.Uniform(-1.5, 7.0));
  }
  r.set_max_deployment_days(d.Int(7, 180));
  v1::ContactChannel* sms = r.add_contacts();
  sms->set_kind(d.Chance(0.8) ? v1::CONTACT_KIND_SMS : v1::CONTACT_KIND_PHONE);
  sms->set_address(absl::StrFormat("+336%08d", (i * 7919 + 12345) % 100000000));
  if (d.Chance(0.5)) {
    v1::ContactChannel* email = r.add_contacts();
    email->set_kind(v1::CONTACT_KIND_EMAIL);
    email->set_address(absl::StrCat("responder", i, "@example.org"));
  }
  return request;
}

// 1-3 periods over the next 60 days.
std::vector<v1::SetAvailabilityRequest> MakePeriods(int i, const std::string& responder_id,
                                                    absl::Time now, uint64_t seed) {
  Draw d(SeedFor(seed, 2, static_cast<uint64_t>(i)));
  std::vector<v1::SetAvailabilityRequest> requests;
  const int count = d.Int(1, 3);
  for (int k = 0; k < count; ++k) {
    v1::SetAvailabilityRequest request;
    request.set_request_id(absl::StrCat("load-avl-", i, "-", k));
    request.set_responder_id(responder_id);
    v1::AvailabilityPeriod& p = *request.mutable_period();
    const double kind = d.Uniform(0, 1);
    p.set_kind(kind < 0.7    ? v1::AVAILABILITY_KIND_AVAILABLE
               : kind < 0.92 ? v1::AVAILABILITY_KIND_ON_CALL
                             : v1::AVAILABILITY_KIND_UNAVAILABLE);
    const absl::Time from = now + absl::Hours(d.Int(0, 55 * 24));
    const absl::Time until =
        std::min(from + absl::Hours(d.Int(2 * 24, 45 * 24)), now + absl::Hours(60 * 24));
    *p.mutable_from() = ToProtoTime(from);
    *p.mutable_until() = ToProtoTime(std::max(until, from + absl::Hours(24)));
    if (p.kind() == v1::AVAILABILITY_KIND_UNAVAILABLE && d.Chance(0.5)) p.set_note("congés");
    requests.push_back(std::move(request));
  }
  return requests;
}

// One query of the mix: local (a center in the Lyon metropolitan area, 5-30 km) or abroad; a skill
// weighted by how common it is, min level 0-3, a window starting within 30 days lasting 1-21 days,
// sometimes a language, page size 20.
v1::FindRespondersRequest MakeQuery(int i, const Vocabulary& vocab, absl::Time now,
                                    double local_share, uint64_t seed) {
  Draw d(SeedFor(seed, 3, static_cast<uint64_t>(i)));
  v1::FindRespondersRequest q;
  q.set_skill_code(vocab.skills[d.Weighted(vocab.skill_weights)]);
  q.set_min_level(d.Int(0, 3));
  const absl::Time start = now + absl::Minutes(d.Int(60, 30 * 24 * 60));
  *q.mutable_window()->mutable_start() = ToProtoTime(start);
  *q.mutable_window()->mutable_end() = ToProtoTime(start + absl::Hours(24 * d.Int(1, 21)));
  if (d.Chance(0.2)) q.add_languages(d.Chance(0.7) ? "en" : "es");
  if (d.Chance(local_share)) {
    q.mutable_local()->mutable_center()->set_lat(d.Uniform(45.65, 45.85));
    q.mutable_local()->mutable_center()->set_lon(d.Uniform(4.75, 5.0));
    q.mutable_local()->set_radius_km(d.Uniform(5, 30));
  } else {
    v1::AbroadSearch* abroad = q.mutable_abroad();
    if (d.Chance(0.25)) abroad->add_entry_certifications("yellow-fever-vaccination");
    q.set_mission_kind(static_cast<v1::CrisisKind>(d.Int(1, v1::CrisisKind_MAX)));
  }
  q.set_page_size(20);
  return q;
}

// The responders loaded, and who acts for their organisation.
struct Population {
  std::vector<std::string> org_ids;
  std::vector<std::string> responder_ids;  // "" when the registration failed
  std::vector<int> org_of;

  int64_t size() const { return static_cast<int64_t>(responder_ids.size()); }
  Principal OsiAdmin(int org) const {
    return Principal{absl::StrCat("osi-bench-", org), Role::kOsiAdmin, org_ids[org], ""};
  }
};

// Requests for the write measurements: every call gets its own request id and a target that makes
// it succeed (SetAvailability: a responder whose calendar is far from its 100 periods; Hold: a
// responder and a window nobody else holds).
class WriteRequests {
 public:
  WriteRequests(const Population& population, absl::Time base)
      : population_(population), base_(base) {}

  // Responder index of call `c` of a kind: scattered over all responders, each hit once per
  // population-size calls.
  int64_t Spread(int64_t c, int64_t offset) const {
    const int64_t n = population_.size();
    const int64_t stride = n % 7919 == 0 ? 1 : 7919;
    return (c * stride + offset) % n;
  }

  v1::SetAvailabilityRequest NextSetAvailability(int* org) {
    const int64_t c = set_availability_.fetch_add(1);
    const int64_t r = Spread(c, 0);
    *org = population_.org_of[r];
    v1::SetAvailabilityRequest request;
    request.set_request_id(absl::StrCat("bench-avl-", c));
    request.set_responder_id(population_.responder_ids[r]);
    v1::AvailabilityPeriod& p = *request.mutable_period();
    p.set_kind(c % 3 == 0 ? v1::AVAILABILITY_KIND_ON_CALL : v1::AVAILABILITY_KIND_AVAILABLE);
    const absl::Time from = base_ + absl::Hours(24 * 70 + 12 * (c % 60));
    *p.mutable_from() = ToProtoTime(from);
    *p.mutable_until() = ToProtoTime(from + absl::Hours(72));
    return request;
  }

  v1::HoldRequest NextHold() {
    const int64_t c = hold_.fetch_add(1);
    const int64_t r = Spread(c, population_.size() / 2);
    const int64_t slot = c / population_.size();  // a new window each time all were held
    v1::HoldRequest request;
    request.set_request_id(absl::StrCat("bench-hold-", c));
    request.set_responder_id(population_.responder_ids[r]);
    const absl::Time start = base_ + absl::Hours(24 * (120 + 2 * slot));
    *request.mutable_window()->mutable_start() = ToProtoTime(start);
    *request.mutable_window()->mutable_end() = ToProtoTime(start + absl::Hours(24));
    request.set_holder_ref(absl::StrCat("mob:bench-", c));
    return request;
  }

  const std::string& FloorBKey() const { return floor_b_key_; }
  void SetFloorBKey(std::string key) { floor_b_key_ = std::move(key); }

 private:
  const Population& population_;
  const absl::Time base_;
  std::atomic<int64_t> set_availability_{0};
  std::atomic<int64_t> hold_{0};
  std::string floor_b_key_;
};

// --- The gRPC side ---

// Floor A and the stages that split a gRPC write, by the request's text:
//   ""      finishes inline on the gRPC thread: floor A;
//   "hop"   the service's own RpcRunner doing nothing: executor hop, metrics, log line;
//   "avl"   the same runner calling Registry::SetAvailability with the next write request;
//   "hold"  the same runner calling Holds::Hold.
// "avl" and "hold" differ from the real calls only by the inventory handler and the request and
// response messages crossing gRPC.
class StageEcho final : public relais::testing::Echo::CallbackService {
 public:
  explicit StageEcho(InventoryServer& server) : server_(server) {}
  // Before any "avl" or "hold" call.
  void SetWrites(WriteRequests* writes, const Population* population) {
    writes_ = writes;
    population_ = population;
  }

  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* ctx, const EchoRequest* req,
                                 EchoReply* /*resp*/) override {
    if (req->text().empty()) {
      grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
      reactor->Finish(grpc::Status::OK);
      return reactor;
    }
    RpcRunner& runner = server_.host().runner();
    if (req->text() == "avl") {
      return runner.RunWithoutAccessCheck(ctx, "EchoSetAvailability", "", [this](const Principal&) {
        int org = 0;
        const v1::SetAvailabilityRequest request = writes_->NextSetAvailability(&org);
        v1::AvailabilityCalendar calendar;
        // The request's own organisation acts, as in the real call (ownership check).
        return server_.registry().SetAvailability(population_->OsiAdmin(org), request, &calendar);
      });
    }
    if (req->text() == "hold") {
      return runner.RunWithoutAccessCheck(ctx, "EchoHold", "", [this](const Principal& p) {
        const v1::HoldRequest request = writes_->NextHold();
        v1::Hold hold;
        return server_.holds().Hold(p, request, &hold);
      });
    }
    return runner.RunWithoutAccessCheck(ctx, "EchoHop", "",
                                        [](const Principal&) { return absl::OkStatus(); });
  }

 private:
  InventoryServer& server_;
  WriteRequests* writes_ = nullptr;
  const Population* population_ = nullptr;
};

std::shared_ptr<grpc::Channel> NewChannel(int port, int index) {
  grpc::ChannelArguments args;
  // A subchannel (TCP connection) of its own, not shared with the other channels.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt("relais.bench.inventory_channel", index);
  auto channel = grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", port),
                                           grpc::InsecureChannelCredentials(), args);
  channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return channel;
}

enum class Kind {
  kFloorA,
  kFloorB,
  kSetAvailability,
  kHold,
  kSetAvailabilityDirect,
  kHoldDirect,
  kFind,
  kFindDirect,
  kStageHop,
  kStageHopSetAvailability,
  kStageHopHold,
};

const char* KindName(Kind kind) {
  switch (kind) {
    case Kind::kFloorA:
      return "floor_a";
    case Kind::kFloorB:
      return "floor_b";
    case Kind::kSetAvailability:
      return "set_availability";
    case Kind::kHold:
      return "hold";
    case Kind::kSetAvailabilityDirect:
      return "set_availability_direct";
    case Kind::kHoldDirect:
      return "hold_direct";
    case Kind::kFind:
      return "find_responders";
    case Kind::kFindDirect:
      return "find_responders_direct";
    case Kind::kStageHop:
      return "stage_runner_hop";
    case Kind::kStageHopSetAvailability:
      return "stage_runner_set_availability";
    case Kind::kStageHopHold:
      return "stage_runner_hold";
  }
  return "?";
}

const char* KindLabel(Kind kind) {
  switch (kind) {
    case Kind::kFloorA:
      return "floor A: empty gRPC call";
    case Kind::kFloorB:
      return "floor B: bare hiredis HMGET";
    case Kind::kSetAvailability:
      return "SetAvailability (gRPC)";
    case Kind::kHold:
      return "Hold (gRPC)";
    case Kind::kSetAvailabilityDirect:
      return "Registry::SetAvailability (in-process)";
    case Kind::kHoldDirect:
      return "Holds::Hold (in-process)";
    case Kind::kFind:
      return "FindResponders (gRPC)";
    case Kind::kFindDirect:
      return "Finder::FindResponders (in-process)";
    case Kind::kStageHop:
      return "stage: Echo via the service's RpcRunner";
    case Kind::kStageHopSetAvailability:
      return "stage: RpcRunner + Registry::SetAvailability";
    case Kind::kStageHopHold:
      return "stage: RpcRunner + Holds::Hold";
  }
  return "?";
}

// What one client thread calls with: its own channel and stubs, its own hiredis connection.
class Client {
 public:
  Client(int port, int index, int redis_port, InventoryServer& server, WriteRequests& writes,
         const Population& population, const std::vector<v1::FindRespondersRequest>& queries)
      : channel_(NewChannel(port, index)),
        echo_(relais::testing::Echo::NewStub(channel_)),
        inventory_(v1::ResourceInventory::NewStub(channel_)),
        server_(server),
        writes_(writes),
        population_(population),
        queries_(queries),
        next_query_(static_cast<size_t>(index) * 7919) {
    const timeval timeout = {5, 0};
    redis_ = redisConnectWithTimeout("127.0.0.1", redis_port, timeout);
  }
  ~Client() {
    if (redis_ != nullptr) redisFree(redis_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool Call(Kind kind) {
    grpc::Status status;
    absl::Status direct;
    switch (kind) {
      case Kind::kFloorA:
        status = EchoCall("", population_.OsiAdmin(0));
        break;
      case Kind::kStageHop:
        status = EchoCall("hop", population_.OsiAdmin(0));
        break;
      case Kind::kStageHopSetAvailability:
        status = EchoCall("avl", population_.OsiAdmin(0));
        break;
      case Kind::kStageHopHold:
        status = EchoCall("hold", Coordinator());
        break;
      case Kind::kFloorB:
        return FloorB();
      case Kind::kSetAvailability: {
        int org = 0;
        const v1::SetAvailabilityRequest request = writes_.NextSetAvailability(&org);
        auto ctx = Context(population_.OsiAdmin(org));
        v1::AvailabilityCalendar calendar;
        status = inventory_->SetAvailability(ctx.get(), request, &calendar);
        break;
      }
      case Kind::kHold: {
        const v1::HoldRequest request = writes_.NextHold();
        auto ctx = Context(Coordinator());
        v1::Hold hold;
        status = inventory_->Hold(ctx.get(), request, &hold);
        break;
      }
      case Kind::kSetAvailabilityDirect: {
        int org = 0;
        const v1::SetAvailabilityRequest request = writes_.NextSetAvailability(&org);
        v1::AvailabilityCalendar calendar;
        direct = server_.registry().SetAvailability(population_.OsiAdmin(org), request, &calendar);
        break;
      }
      case Kind::kHoldDirect: {
        const v1::HoldRequest request = writes_.NextHold();
        v1::Hold hold;
        direct = server_.holds().Hold(Coordinator(), request, &hold);
        break;
      }
      case Kind::kFind: {
        v1::FindRespondersResponse response;
        status = Find(queries_[next_query_++ % queries_.size()], &response);
        break;
      }
      case Kind::kFindDirect: {
        v1::FindRespondersResponse response;
        direct = server_.finder().FindResponders(
            Coordinator(), queries_[next_query_++ % queries_.size()], &response);
        break;
      }
    }
    if (!status.ok() || !direct.ok()) {
      if (reported_errors_++ < 3) {
        std::fprintf(stderr, "%s failed: %s%s\n", KindName(kind), status.error_message().c_str(),
                     direct.ok() ? "" : direct.ToString().c_str());
      }
      return false;
    }
    return true;
  }

  grpc::Status EchoCall(const char* text, const Principal& who) {
    auto ctx = Context(who);
    EchoRequest request;
    request.set_text(text);
    EchoReply reply;
    return echo_->Echo(ctx.get(), request, &reply);
  }

  grpc::Status Find(const v1::FindRespondersRequest& request, v1::FindRespondersResponse* out) {
    auto ctx = Context(Coordinator());
    return inventory_->FindResponders(ctx.get(), request, out);
  }

 private:
  static Principal Coordinator() { return Principal{kCoordinator, Role::kCoordinator, "", ""}; }

  // The same three headers on every gRPC call, floor A included, and the same deadline.
  static std::unique_ptr<grpc::ClientContext> Context(const Principal& who) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("x-relais-principal", who.id);
    ctx->AddMetadata("x-relais-role", who.role == Role::kOsiAdmin ? "osi_admin" : "coordinator");
    ctx->AddMetadata("x-relais-organisation", who.organisation_id);
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return ctx;
  }

  bool FloorB() {
    if (redis_ == nullptr || redis_->err != 0) return false;
    const std::string& key = writes_.FloorBKey();
    const char* argv[] = {"HMGET", key.data(), "v", "d"};
    const size_t lens[] = {5, key.size(), 1, 1};
    auto* reply = static_cast<redisReply*>(redisCommandArgv(redis_, 4, argv, lens));
    const bool ok = reply != nullptr && reply->type == REDIS_REPLY_ARRAY && reply->elements == 2 &&
                    reply->element[1]->type == REDIS_REPLY_STRING;
    if (reply != nullptr) freeReplyObject(reply);
    return ok;
  }

  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<relais::testing::Echo::Stub> echo_;
  std::unique_ptr<v1::ResourceInventory::Stub> inventory_;
  InventoryServer& server_;
  WriteRequests& writes_;
  const Population& population_;
  const std::vector<v1::FindRespondersRequest>& queries_;
  size_t next_query_;
  redisContext* redis_ = nullptr;
  int reported_errors_ = 0;
};

// --- 1. Load ---

struct LoadOutcome {
  int64_t registered = 0;
  int64_t periods = 0;
  int64_t errors = 0;
  double seconds = 0;
  LatencyStats register_us;
  LatencyStats set_availability_us;
  // Responders holding each skill: the length of the index's posting list FindResponders scans.
  std::map<std::string, int64_t> skill_holders;
};

LoadOutcome LoadResponders(InventoryServer& server, const Vocabulary& vocab, Population& population,
                           int threads, absl::Time now, uint64_t seed, bool progress) {
  const int n = static_cast<int>(population.responder_ids.size());
  std::atomic<int64_t> done{0}, periods{0}, errors{0};
  std::atomic<int> finished{0};
  std::vector<std::vector<double>> register_us(threads), avl_us(threads);
  std::vector<std::map<std::string, int64_t>> holders(threads);
  auto body = [&](int t) {
    int reported = 0;
    auto fail = [&](const char* what, int i, const absl::Status& status) {
      errors.fetch_add(1);
      if (reported++ < 3) {
        std::fprintf(stderr, "load %s %d: %s\n", what, i, status.ToString().c_str());
      }
    };
    for (int i = t; i < n; i += threads) {
      const v1::RegisterResponderRequest request = MakeResponder(i, vocab, now, seed);
      const Principal caller = population.OsiAdmin(population.org_of[i]);
      v1::Responder responder;
      auto start = SteadyClock::now();
      absl::Status status = server.registry().RegisterResponder(caller, request, &responder);
      register_us[t].push_back(MicrosBetween(start, SteadyClock::now()));
      if (!status.ok()) {
        fail("RegisterResponder", i, status);
        done.fetch_add(1);
        continue;
      }
      population.responder_ids[i] = responder.id();
      for (const auto& skill : request.responder().skills()) ++holders[t][skill.code()];
      for (const auto& period : MakePeriods(i, responder.id(), now, seed)) {
        v1::AvailabilityCalendar calendar;
        start = SteadyClock::now();
        status = server.registry().SetAvailability(caller, period, &calendar);
        avl_us[t].push_back(MicrosBetween(start, SteadyClock::now()));
        if (status.ok()) {
          periods.fetch_add(1);
        } else {
          fail("SetAvailability", i, status);
        }
      }
      done.fetch_add(1);
    }
    finished.fetch_add(1);
  };
  const auto t0 = SteadyClock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) workers.emplace_back(body, t);
  auto last = t0;
  while (finished.load() < threads) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (progress && Seconds(last, SteadyClock::now()) >= 15) {
      last = SteadyClock::now();
      std::fprintf(stderr, "  loaded %ld / %d responders (%.0f s)\n", done.load(), n,
                   Seconds(t0, last));
    }
  }
  for (auto& w : workers) w.join();
  LoadOutcome out;
  out.seconds = Seconds(t0, SteadyClock::now());
  out.periods = periods.load();
  out.errors = errors.load();
  for (const auto& id : population.responder_ids) out.registered += id.empty() ? 0 : 1;
  std::vector<double> all_register, all_avl;
  for (int t = 0; t < threads; ++t) {
    all_register.insert(all_register.end(), register_us[t].begin(), register_us[t].end());
    all_avl.insert(all_avl.end(), avl_us[t].begin(), avl_us[t].end());
    for (const auto& [code, count] : holders[t]) out.skill_holders[code] += count;
  }
  out.register_us = Summarize(all_register);
  out.set_availability_us = Summarize(all_avl);
  return out;
}

// --- 2. Redis memory per key family ---

struct Family {
  const char* name;
  int64_t keys = 0;
  std::vector<std::string> sample;  // keys whose MEMORY USAGE is read
  int64_t sampled_bytes = 0;
  int64_t sampled = 0;
  // {v, d} hashes (records, calendars): the serialized message's bytes, HSTRLEN of d.
  int64_t value_bytes = 0;
  int64_t values = 0;
  // OBJECT ENCODING of the first key sampled (listpack, hashtable, skiplist, stream...).
  std::string encoding;
  double total_bytes() const {
    return sampled > 0 ? static_cast<double>(sampled_bytes) / static_cast<double>(sampled) *
                             static_cast<double>(keys)
                       : 0;
  }
};

// One SCAN over every key, classified by family; MEMORY USAGE (all of each value, SAMPLES 0) of up
// to `per_family` keys of each, scaled to the family's count.
std::map<std::string, Family> MemoryByFamily(Admin& admin, size_t per_family) {
  std::map<std::string, Family> families;
  auto family_of = [](const std::string& key) -> const char* {
    if (key == "inv:avl:due") return "inv:avl:due";
    if (key == "relais:events") return "relais:events";
    if (key == "relais:audit:log") return "relais:audit:log";
    // Few organisation indexes, each with many entries, against many small responder ones:
    // measured apart, or sampling would scale one by the other's count.
    if (key.rfind("relais:audit:of:responder:", 0) == 0) return "relais:audit:of:responder:*";
    if (key.rfind("relais:audit:of:", 0) == 0) return "relais:audit:of:(crisis|organisation):*";
    if (key.rfind("inv:rsp:", 0) == 0) return "inv:rsp:*";
    if (key.rfind("inv:avl:", 0) == 0) return "inv:avl:*";
    if (key.rfind("inv:idx:", 0) == 0) return "inv:idx:*";
    if (key.rfind("inv:xref:", 0) == 0) return "inv:xref:*";
    if (key.rfind("inv:idem:", 0) == 0) return "inv:idem:*";
    if (key.rfind("inv:org:", 0) == 0) return "inv:org:*";
    return "other";
  };
  std::string cursor = "0";
  do {
    Reply reply = admin.Run({"SCAN", cursor, "COUNT", "1000"});
    if (reply.elements().size() != 2) break;
    cursor = reply.elements()[0].str();
    for (const Reply& key : reply.elements()[1].elements()) {
      const char* name = family_of(key.str());
      Family& f = families[name];
      f.name = name;
      ++f.keys;
      if (f.sample.size() < per_family) f.sample.push_back(key.str());
    }
  } while (cursor != "0");
  for (auto& [name, f] : families) {
    for (size_t first = 0; first < f.sample.size(); first += 200) {
      std::vector<std::vector<std::string>> commands;
      for (size_t i = first; i < std::min(f.sample.size(), first + 200); ++i) {
        commands.push_back({"MEMORY", "USAGE", f.sample[i], "SAMPLES", "0"});
      }
      auto replies = admin.Pipeline(commands);
      if (!replies.ok()) continue;
      for (const Reply& r : *replies) {
        if (!r.is_integer()) continue;
        f.sampled_bytes += r.integer();
        ++f.sampled;
      }
    }
    if (!f.sample.empty()) f.encoding = admin.Run({"OBJECT", "ENCODING", f.sample[0]}).str();
    if (name != "inv:rsp:*" && name != "inv:avl:*") continue;
    std::vector<std::vector<std::string>> lengths;
    for (const std::string& key : f.sample) lengths.push_back({"HSTRLEN", key, "d"});
    auto replies = admin.Pipeline(lengths);
    if (!replies.ok()) continue;
    for (const Reply& r : *replies) {
      if (!r.is_integer()) continue;
      f.value_bytes += r.integer();
      ++f.values;
    }
  }
  return families;
}

// --- 4. FindResponders ---

// Finder::FindResponders redone step by step with a timer on each: PrepareQuery, the index's
// CatchUp (one XRANGE when nothing changed), the index Search calls and the bookings round trips
// FillPage makes. The same public pieces Finder is made of.
struct StageTimes {
  double prepare = 0, catch_up = 0, search = 0, bookings = 0, total = 0;
  int search_calls = 0, bookings_calls = 0;
  size_t candidates = 0;
};

absl::Status TimedFind(InventoryServer& server, inventory::Ledger& ledger,
                       const v1::FindRespondersRequest& request, StageTimes* t) {
  const auto t0 = SteadyClock::now();
  auto query = inventory::PrepareQuery(request, server.catalogue(), absl::Now());
  const auto t1 = SteadyClock::now();
  t->prepare = MicrosBetween(t0, t1);
  if (!query.ok()) return query.status();
  absl::Status caught_up = server.index().CatchUp();
  const auto t2 = SteadyClock::now();
  t->catch_up = MicrosBetween(t1, t2);
  if (!caught_up.ok()) return caught_up;
  const auto candidates = [&](const inventory::SearchQuery& q,
                              size_t limit) -> absl::StatusOr<std::vector<inventory::Candidate>> {
    const auto s = SteadyClock::now();
    std::vector<inventory::Candidate> found = server.index().Search(q, limit);
    t->search += MicrosBetween(s, SteadyClock::now());
    ++t->search_calls;
    t->candidates += found.size();
    return found;
  };
  const auto bookings = [&](const std::vector<std::string>& ids)
      -> absl::StatusOr<std::vector<std::vector<inventory::BookedRange>>> {
    const auto s = SteadyClock::now();
    auto booked = ledger.Bookings(ids);
    t->bookings += MicrosBetween(s, SteadyClock::now());
    ++t->bookings_calls;
    if (!booked.ok()) return booked.status();
    std::vector<std::vector<inventory::BookedRange>> ranges;
    ranges.reserve(booked->size());
    for (const auto& of_one : *booked) {
      auto& out = ranges.emplace_back();
      for (const inventory::Booking& b : of_one) {
        out.push_back({absl::ToUnixNanos(b.start), absl::ToUnixNanos(b.end)});
      }
    }
    return ranges;
  };
  v1::FindRespondersResponse response;
  absl::Status filled = inventory::FillPage(*query, candidates, bookings, &response);
  t->total = MicrosBetween(t0, SteadyClock::now());
  return filled;
}

nlohmann::json StatsJson(std::vector<double> us) {
  const LatencyStats s = Summarize(us);
  nlohmann::json j = ToJson(s);
  j["max_us"] = us.empty() ? 0.0 : us.back();
  return j;
}

int Main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  if (!absl::GetFlag(FLAGS_mutex_deadlock_detection)) {
    absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  }
  const bool smoke = absl::GetFlag(FLAGS_smoke);
  const bool text = !absl::GetFlag(FLAGS_json);
  int responders = absl::GetFlag(FLAGS_responders);
  int query_count = absl::GetFlag(FLAGS_queries);
  int latency_calls = absl::GetFlag(FLAGS_latency_calls);
  int rounds = std::max(1, absl::GetFlag(FLAGS_rounds));
  int warmup_calls = absl::GetFlag(FLAGS_warmup_calls);
  double throughput_seconds = absl::GetFlag(FLAGS_throughput_seconds);
  int throughput_calls = absl::GetFlag(FLAGS_throughput_calls);
  if (smoke) {
    responders = 2000;
    query_count = 90;
    latency_calls = 40;
    rounds = 2;
    warmup_calls = 5;
    throughput_calls = 5;
  }
  const int organisations = std::max(1, absl::GetFlag(FLAGS_organisations));
  const int load_threads = std::max(1, absl::GetFlag(FLAGS_load_threads));
  const uint64_t seed = absl::GetFlag(FLAGS_seed);
  const double local_share = absl::GetFlag(FLAGS_local_share);
  std::vector<int> thread_counts;
  for (const std::string& t : absl::GetFlag(FLAGS_client_threads)) {
    int k = 0;
    if (absl::SimpleAtoi(t, &k) && k > 0) thread_counts.push_back(k);
  }
  nlohmann::json out = {{"bench", "inventory_bench"}, {"smoke", smoke}, {"machine", MachineJson()}};
  int64_t failures = 0;

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
  auto created = InventoryServer::Create(options, clock, ids, std::move(seams));
  if (!created.ok()) {
    std::fprintf(stderr, "inventory_bench: %s\n", created.status().ToString().c_str());
    return 1;
  }
  std::unique_ptr<InventoryServer> server = *std::move(created);
  StageEcho echo(*server);
  server->host().AddService(&echo, relais::testing::Echo::service_full_name());
  if (absl::Status started = server->Start(); !started.ok()) {
    std::fprintf(stderr, "inventory_bench: %s\n", started.ToString().c_str());
    return 1;
  }
  const int port = server->port();
  const int redis_port = redis_server->port();
  Admin admin(server->redis());
  inventory::RedisLedger ledger(server->redis(), server->committer());
  out["config"] = {{"responders", responders},
                   {"organisations", organisations},
                   {"load_threads", load_threads},
                   {"seed", seed},
                   {"queries", query_count},
                   {"local_share", local_share},
                   {"latency_calls", latency_calls},
                   {"rounds", rounds},
                   {"throughput_seconds", throughput_calls > 0 ? 0.0 : throughput_seconds},
                   {"throughput_calls_per_thread", throughput_calls},
                   {"executor_threads", options.executor_threads},
                   {"redis_connections", options.redis.connections}};
  if (text) {
    std::printf(
        "inventory_bench%s: server in this process (executor_threads=%d, redis_connections=%d, "
        "sweeper on), redis-server child (AOF everysec), %ld cores, load average %.2f\n",
        smoke ? " --smoke" : "", options.executor_threads, options.redis.connections,
        sysconf(_SC_NPROCESSORS_ONLN), out["machine"]["loadavg_1m"].get<double>());
    std::fflush(stdout);
  }

  // --- 1. Load ---
  const Vocabulary vocab(server->catalogue());
  const absl::Time now = absl::Now();
  Population population;
  {
    const Principal admin_principal{"admin-bench", Role::kAdmin, "", ""};
    const std::vector<std::string> communes = {"Lyon", "Villeurbanne", "Vénissieux", "Bron"};
    for (int o = 0; o < organisations; ++o) {
      v1::RegisterOrganisationRequest request;
      request.set_request_id(absl::StrCat("load-org-", o));
      v1::Organisation& org = *request.mutable_organisation();
      org.set_name(absl::StrCat("Bench Organisation ", o));
      org.set_kind(o % 3 == 0 ? v1::ORGANISATION_KIND_HOSPITAL : v1::ORGANISATION_KIND_NGO);
      org.add_domains(v1::DOMAIN_HUMANITARIAN_HEALTH);
      if (o % 2 == 0) org.add_domains(v1::DOMAIN_EMERGENCY_RESPONSE);
      org.set_commune(communes[o % communes.size()]);
      org.mutable_location()->set_lat(45.70 + 0.01 * (o % 10));
      org.mutable_location()->set_lon(4.80 + 0.01 * (o % 7));
      org.mutable_contact()->set_email(absl::StrCat("contact", o, "@example.org"));
      v1::Organisation registered;
      absl::Status status =
          server->registry().RegisterOrganisation(admin_principal, request, &registered);
      if (!status.ok()) {
        std::fprintf(stderr, "inventory_bench: RegisterOrganisation: %s\n",
                     status.ToString().c_str());
        return 1;
      }
      population.org_ids.push_back(registered.id());
    }
  }
  population.responder_ids.assign(responders, "");
  population.org_of.resize(responders);
  for (int i = 0; i < responders; ++i) population.org_of[i] = i % organisations;

  const int64_t used_before = admin.InfoInt("memory", "used_memory");
  const int64_t rss_before_load = ProcStatusKb("VmRSS");
  if (text) {
    std::printf("loading %d responders through Registry (in-process, %d threads)...\n", responders,
                load_threads);
    std::fflush(stdout);
  }
  const LoadOutcome load =
      LoadResponders(*server, vocab, population, load_threads, now, seed, text && !smoke);
  failures += load.errors;
  const int64_t rss_after_load = ProcStatusKb("VmRSS");
  const int64_t used_after = admin.InfoInt("memory", "used_memory");
  // Every later phase needs loaded responders: keep only those (a failure is counted already).
  {
    Population kept;
    kept.org_ids = population.org_ids;
    for (int64_t i = 0; i < population.size(); ++i) {
      if (population.responder_ids[i].empty()) continue;
      kept.responder_ids.push_back(population.responder_ids[i]);
      kept.org_of.push_back(population.org_of[i]);
    }
    population = std::move(kept);
  }
  if (population.size() == 0) {
    std::fprintf(stderr, "inventory_bench: no responder could be registered\n");
    return 1;
  }
  const double writes = static_cast<double>(load.registered + load.periods);
  out["load"] = {{"responders_registered", load.registered},
                 {"periods_set", load.periods},
                 {"errors", load.errors},
                 {"seconds", load.seconds},
                 {"writes", writes},
                 {"writes_per_s", Ratio(writes, load.seconds)},
                 {"register_responder", ToJson(load.register_us)},
                 {"set_availability", ToJson(load.set_availability_us)},
                 {"skill_holders", load.skill_holders}};

  // --- 2. Redis memory ---
  {
    const int64_t n = load.registered;
    auto families = MemoryByFamily(admin, smoke ? 200 : 2000);
    nlohmann::json family_json;
    double entities = 0, all = 0;
    for (const auto& [name, f] : families) {
      family_json[name] = {{"keys", f.keys},
                           {"sampled_keys", f.sampled},
                           {"mean_bytes_per_key", Ratio(static_cast<double>(f.sampled_bytes),
                                                        static_cast<double>(f.sampled))},
                           {"total_bytes", f.total_bytes()},
                           {"encoding", f.encoding},
                           {"mean_stored_message_bytes", Ratio(static_cast<double>(f.value_bytes),
                                                               static_cast<double>(f.values))},
                           {"bytes_per_responder", Ratio(f.total_bytes(), static_cast<double>(n))}};
      all += f.total_bytes();
      if (name == "inv:rsp:*" || name == "inv:avl:*" || name == "inv:idx:*" ||
          name == "inv:xref:*" || name == "inv:avl:due") {
        entities += f.total_bytes();
      }
    }
    auto family_total = [&](const char* name) {
      auto it = families.find(name);
      return it == families.end() ? 0.0 : it->second.total_bytes();
    };
    const double delta = static_cast<double>(used_after - used_before);
    const double events = family_total("relais:events");
    const double idem = family_total("inv:idem:*");
    // The audit trail (one shared log, one index per crisis, organisation and responder) is kept
    // 400 days, like a log: reported apart, as the event log is.
    const double audit_log = family_total("relais:audit:log");
    const double audit_indexes = family_total("relais:audit:of:responder:*") +
                                 family_total("relais:audit:of:(crisis|organisation):*");
    const double audit = audit_log + audit_indexes;
    const double per_entities = Ratio(entities, static_cast<double>(n));
    // used_memory also holds what no key's MEMORY USAGE counts: the keyspace's hash tables, the
    // expiry table (idempotency records have a TTL), allocator fragmentation.
    const double per_delta_minus_logs_idem =
        Ratio(delta - events - idem - audit, static_cast<double>(n));
    out["redis_memory"] = {
        {"responders", n},
        {"used_memory_before", used_before},
        {"used_memory_after", used_after},
        {"used_memory_per_responder", Ratio(delta, static_cast<double>(n))},
        {"entities_and_indexes_per_responder", per_entities},
        {"used_memory_minus_logs_and_idem_per_responder", per_delta_minus_logs_idem},
        {"events_per_responder", Ratio(events, static_cast<double>(n))},
        {"audit_trail_per_responder", Ratio(audit, static_cast<double>(n))},
        {"audit_log_per_responder", Ratio(audit_log, static_cast<double>(n))},
        {"audit_indexes_per_responder", Ratio(audit_indexes, static_cast<double>(n))},
        {"idempotency_per_responder", Ratio(idem, static_cast<double>(n))},
        {"not_in_any_key_per_responder", Ratio(delta - all, static_cast<double>(n))},
        {"events_in_log", admin.Int({"XLEN", "relais:events"})},
        {"target_bytes_per_responder", kBytesPerResponderTarget},
        {"target_met", per_delta_minus_logs_idem <= kBytesPerResponderTarget},
        {"families", family_json}};
  }

  // --- 3. The search index: a full load, timed, with what it adds to the heap and to VmRSS ---
  {
    const int64_t rss0 = ProcStatusKb("VmRSS");
    const int64_t heap0 = HeapInUse();
    const auto t0 = SteadyClock::now();
    absl::Status loaded = server->index().Load();
    const double seconds = Seconds(t0, SteadyClock::now());
    const int64_t heap1 = HeapInUse();
    const int64_t rss1 = ProcStatusKb("VmRSS");
    if (!loaded.ok()) {
      std::fprintf(stderr, "index Load: %s\n", loaded.ToString().c_str());
      ++failures;
    }
    const auto cards = static_cast<double>(server->index().size());
    // Load replaces the index loaded empty at Start() (no search ran since): the heap grows by
    // the cards and their skill lists.
    out["index"] = {{"cards", server->index().size()},
                    {"load_seconds", seconds},
                    {"heap_delta_bytes", heap1 - heap0},
                    {"vmrss_delta_kb", rss1 - rss0},
                    {"process_vmrss_kb_before_load", rss_before_load},
                    {"process_vmrss_kb_after_load", rss_after_load},
                    {"process_vmrss_kb_after_index", rss1},
                    {"heap_bytes_per_card", Ratio(static_cast<double>(heap1 - heap0), cards)}};
  }

  // --- 4. FindResponders ---
  // Some responders are already held for windows inside the query horizon, so that the bookings
  // filter drops candidates as it would in a crisis (one in --booked_every, held for 3-14 days
  // within the next 30).
  {
    const Principal mobiliser{"mob-bench", Role::kCoordinator, "", ""};
    const int64_t every = std::max(1, absl::GetFlag(FLAGS_booked_every));
    const int64_t count = population.size() / every;
    const auto t0 = SteadyClock::now();
    int64_t placed = 0;
    for (int64_t i = 0; i < count; ++i) {
      Draw d(SeedFor(seed, 4, static_cast<uint64_t>(i)));
      v1::HoldRequest request;
      request.set_request_id(absl::StrCat("load-hold-", i));
      request.set_responder_id(
          population.responder_ids[(i * every + d.Int(0, every - 1)) % population.size()]);
      const absl::Time start = now + absl::Minutes(d.Int(60, 30 * 24 * 60));
      *request.mutable_window()->mutable_start() = ToProtoTime(start);
      *request.mutable_window()->mutable_end() =
          ToProtoTime(start + absl::Hours(24 * d.Int(3, 14)));
      request.set_holder_ref(absl::StrCat("mob:load-", i));
      request.mutable_ttl()->set_seconds(6 * 24 * 3600);
      v1::Hold hold;
      absl::Status status = server->holds().Hold(mobiliser, request, &hold);
      if (status.ok()) {
        ++placed;
      } else if (failures++ < 3) {
        std::fprintf(stderr, "load Hold %ld: %s\n", i, status.ToString().c_str());
      }
    }
    out["load"]["holds_placed"] = placed;
    out["load"]["holds_seconds"] = Seconds(t0, SteadyClock::now());
  }
  std::vector<v1::FindRespondersRequest> queries;
  for (int i = 0; i < query_count + 200; ++i) {
    queries.push_back(MakeQuery(i, vocab, absl::Now(), local_share, seed));
  }
  // The first 200 warm up; the measured ones follow.
  const std::vector<v1::FindRespondersRequest> warmup(queries.begin(), queries.begin() + 200);
  queries.erase(queries.begin(), queries.begin() + 200);

  WriteRequests write_requests(population, absl::Now());
  write_requests.SetFloorBKey(absl::StrCat("inv:rsp:", population.responder_ids[0]));
  echo.SetWrites(&write_requests, &population);
  int next_channel = 0;
  auto make_clients = [&](int n) {
    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < n; ++i) {
      clients.push_back(std::make_unique<Client>(port, next_channel++, redis_port, *server,
                                                 write_requests, population, queries));
    }
    return clients;
  };
  auto main_clients = make_clients(1);
  Client& one = *main_clients[0];

  if (const std::string only = absl::GetFlag(FLAGS_only); !only.empty()) {
    for (Kind kind :
         {Kind::kFloorA, Kind::kFloorB, Kind::kSetAvailability, Kind::kHold,
          Kind::kSetAvailabilityDirect, Kind::kHoldDirect, Kind::kFind, Kind::kFindDirect,
          Kind::kStageHop, Kind::kStageHopSetAvailability, Kind::kStageHopHold}) {
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
    std::fprintf(stderr, "inventory_bench: --only=%s is not a kind\n", only.c_str());
    return 2;
  }
  admin.Run({"CONFIG", "SET", "slowlog-log-slower-than", "1000"});
  admin.Run({"CONFIG", "SET", "slowlog-max-len", "10000"});
  const Principal coordinator{kCoordinator, Role::kCoordinator, "", ""};
  {
    // Warm-up: the direct path and the gRPC path (the server's index is the one searched by both).
    for (const auto& q : warmup) {
      v1::FindRespondersResponse response;
      (void)server->finder().FindResponders(coordinator, q, &response);
      (void)one.Find(q, &response);
    }
  }
  admin.Run({"SLOWLOG", "RESET"});
  const double find_cpu0 = ProcessCpuSeconds(), find_redis0 = admin.CpuSeconds();
  std::vector<double> direct_us, direct_local_us, direct_abroad_us, grpc_us;
  std::map<std::string, std::vector<double>> direct_by_skill;
  std::vector<double> st_prepare, st_catch_up, st_search, st_bookings, st_total;
  std::vector<double> matches, search_calls, bookings_calls;
  int64_t empty_pages = 0, full_pages = 0, find_errors = 0;
  std::vector<double> round_p99;
  {
    const size_t per_round = std::max<size_t>(1, queries.size() / static_cast<size_t>(rounds));
    for (size_t first = 0; first < queries.size(); first += per_round) {
      const size_t last = std::min(queries.size(), first + per_round);
      std::vector<double> this_round;
      for (size_t i = first; i < last; ++i) {
        v1::FindRespondersResponse response;
        const auto t0 = SteadyClock::now();
        absl::Status status = server->finder().FindResponders(coordinator, queries[i], &response);
        const double us = MicrosBetween(t0, SteadyClock::now());
        direct_us.push_back(us);
        this_round.push_back(us);
        (queries[i].has_local() ? direct_local_us : direct_abroad_us).push_back(us);
        direct_by_skill[queries[i].skill_code()].push_back(us);
        if (!status.ok()) {
          if (find_errors++ < 3) {
            std::fprintf(stderr, "FindResponders: %s\n", status.ToString().c_str());
          }
          continue;
        }
        matches.push_back(static_cast<double>(response.matches_size()));
        if (response.matches_size() == 0) ++empty_pages;
        if (response.matches_size() == queries[i].page_size()) ++full_pages;
      }
      round_p99.push_back(Summarize(this_round).p99);
      for (size_t i = first; i < last; ++i) {
        StageTimes t;
        absl::Status status = TimedFind(*server, ledger, queries[i], &t);
        if (!status.ok()) {
          if (find_errors++ < 3) std::fprintf(stderr, "stages: %s\n", status.ToString().c_str());
          continue;
        }
        st_prepare.push_back(t.prepare);
        st_catch_up.push_back(t.catch_up);
        st_search.push_back(t.search);
        st_bookings.push_back(t.bookings);
        st_total.push_back(t.total);
        search_calls.push_back(t.search_calls);
        bookings_calls.push_back(t.bookings_calls);
      }
      for (size_t i = first; i < last; ++i) {
        v1::FindRespondersResponse response;
        const auto t0 = SteadyClock::now();
        grpc::Status status = one.Find(queries[i], &response);
        grpc_us.push_back(MicrosBetween(t0, SteadyClock::now()));
        if (!status.ok() && find_errors++ < 3) {
          std::fprintf(stderr, "FindResponders (gRPC): %s\n", status.error_message().c_str());
        }
        if (!status.ok()) continue;
      }
    }
  }
  const double find_cpu = ProcessCpuSeconds() - find_cpu0;
  const double find_redis_cpu = admin.CpuSeconds() - find_redis0;
  const nlohmann::json find_slowlog = SlowLogSummary(SlowLog(admin));
  const int64_t events_after_find = admin.Int({"XLEN", "relais:events"});
  failures += find_errors;
  {
    const double calls = static_cast<double>(direct_us.size() + st_total.size() + grpc_us.size());
    nlohmann::json by_skill_json;
    for (auto& [code, us] : direct_by_skill) {
      by_skill_json[code] = StatsJson(us);
      auto held = load.skill_holders.find(code);
      by_skill_json[code]["holders"] = held == load.skill_holders.end() ? 0 : held->second;
    }
    const LatencyStats direct = Summarize(direct_us);
    const double mean_matches = matches.empty()
                                    ? 0
                                    : std::accumulate(matches.begin(), matches.end(), 0.0) /
                                          static_cast<double>(matches.size());
    out["find_responders"] = {
        {"mix",
         {{"local_share", local_share},
          {"local_queries", direct_local_us.size()},
          {"abroad_queries", direct_abroad_us.size()},
          {"page_size", 20},
          {"description",
           "local: center in the Lyon metropolitan area (45.65-45.85, 4.75-5.0), radius 5-30 km; "
           "abroad: from Lyon, 25% with yellow-fever entry certification, a mission kind; skill "
           "weighted by how common it is; min level 0-3; window starts within 30 days, lasts 1-21 "
           "days; 20% ask a language"}}},
        {"direct", StatsJson(direct_us)},
        {"direct_local", StatsJson(direct_local_us)},
        {"direct_abroad", StatsJson(direct_abroad_us)},
        {"direct_p99_per_round", round_p99},
        {"direct_by_skill", by_skill_json},
        {"grpc", StatsJson(grpc_us)},
        {"stages",
         {{"prepare_query", StatsJson(st_prepare)},
          {"catch_up", StatsJson(st_catch_up)},
          {"index_search", StatsJson(st_search)},
          {"bookings", StatsJson(st_bookings)},
          {"total", StatsJson(st_total)},
          {"search_calls_per_query", StatsJson(search_calls)},
          {"bookings_round_trips_per_query", StatsJson(bookings_calls)}}},
        {"matches_per_page_mean", mean_matches},
        {"empty_pages", empty_pages},
        {"full_pages", full_pages},
        {"errors", find_errors},
        {"process_cpu_us_per_call", Ratio(find_cpu * 1e6, calls)},
        {"redis_cpu_us_per_call", Ratio(find_redis_cpu * 1e6, calls)},
        {"target_p99_us", kFindTargetP99Us},
        {"target_met", direct.p99 <= kFindTargetP99Us},
        {"redis_commands_over_1ms", find_slowlog}};
  }

  // --- 5. SetAvailability and Hold beside the floors ---
  admin.Run({"SLOWLOG", "RESET"});
  const std::vector<Kind> kinds = {Kind::kFloorA,          Kind::kFloorB,
                                   Kind::kSetAvailability, Kind::kHold,
                                   Kind::kStageHop,        Kind::kStageHopSetAvailability,
                                   Kind::kStageHopHold,    Kind::kSetAvailabilityDirect,
                                   Kind::kHoldDirect};
  // Per kind: process CPU s, Redis CPU s, Redis commands, calls.
  std::map<Kind, std::array<double, 4>> cpu;
  auto sequential = [&](Kind kind, int calls) {
    LoadSpec spec;
    spec.threads = 1;
    spec.calls_per_thread = calls;
    const double cpu0 = ProcessCpuSeconds();
    const auto redis0 = admin.Counters();
    LoadResult r = RunLoad(spec, [&](int) { return one.Call(kind); });
    cpu[kind][0] += ProcessCpuSeconds() - cpu0;
    const auto redis1 = admin.Counters();
    cpu[kind][1] += redis1.first - redis0.first;
    cpu[kind][2] += static_cast<double>(redis1.second - redis0.second - 1);
    cpu[kind][3] += static_cast<double>(r.calls);
    failures += r.errors;
    return r;
  };
  for (Kind kind : kinds) sequential(kind, std::max(warmup_calls, 1));
  cpu.clear();
  std::map<Kind, std::vector<double>> pooled;
  std::vector<double> round_avl_ratio, round_hold_ratio;
  for (int round = 0; round < rounds; ++round) {
    std::map<Kind, double> p50;
    for (Kind kind : kinds) {
      LoadResult r = sequential(kind, std::max(latency_calls / rounds, 1));
      p50[kind] = r.latency.p50;
      pooled[kind].insert(pooled[kind].end(), r.samples.begin(), r.samples.end());
    }
    const double floors = p50[Kind::kFloorA] + p50[Kind::kFloorB];
    round_avl_ratio.push_back(Ratio(p50[Kind::kSetAvailability], floors));
    round_hold_ratio.push_back(Ratio(p50[Kind::kHold], floors));
  }
  std::map<Kind, LatencyStats> latency;
  nlohmann::json latency_json;
  for (Kind kind : kinds) {
    latency[kind] = Summarize(pooled[kind]);
    latency_json[KindName(kind)] = ToJson(latency[kind]);
    const double calls = std::max(cpu[kind][3], 1.0);
    latency_json[KindName(kind)]["process_cpu_us_per_call"] = cpu[kind][0] * 1e6 / calls;
    latency_json[KindName(kind)]["redis_cpu_us_per_call"] = cpu[kind][1] * 1e6 / calls;
    latency_json[KindName(kind)]["redis_commands_per_call"] = cpu[kind][2] / calls;
  }
  const double floors_p50 = latency[Kind::kFloorA].p50 + latency[Kind::kFloorB].p50;
  const double avl_ratio = Ratio(latency[Kind::kSetAvailability].p50, floors_p50);
  const double hold_ratio = Ratio(latency[Kind::kHold].p50, floors_p50);
  out["writes"]["latency"] = latency_json;
  out["writes"]["ratios"] = {{"set_availability_p50_over_floor_a_plus_b", avl_ratio},
                             {"hold_p50_over_floor_a_plus_b", hold_ratio},
                             {"set_availability_per_round", round_avl_ratio},
                             {"hold_per_round", round_hold_ratio},
                             {"target", kLatencyTarget},
                             {"set_availability_target_met", avl_ratio <= kLatencyTarget},
                             {"hold_target_met", hold_ratio <= kLatencyTarget}};

  // What the next search pays after the writes above: the index applies every event logged since
  // its cursor (reloading the cards the events name) before it searches.
  {
    const int64_t behind = admin.Int({"XLEN", "relais:events"}) - events_after_find;
    const auto t0 = SteadyClock::now();
    absl::Status caught_up = server->index().CatchUp();
    const double seconds = Seconds(t0, SteadyClock::now());
    if (!caught_up.ok()) ++failures;
    out["find_responders"]["catch_up_after_writes"] = {
        {"events", behind}, {"seconds", seconds}, {"full_loads", server->index().full_loads()}};
  }

  // Throughput with K client threads, closed loop, one channel each.
  struct Row {
    int threads;
    std::map<Kind, LoadResult> by_kind;
  };
  std::vector<Row> rows;
  const std::vector<Kind> load_kinds = {Kind::kFloorA, Kind::kFloorB, Kind::kSetAvailability,
                                        Kind::kHold, Kind::kFind};
  nlohmann::json throughput = nlohmann::json::array();
  for (int k : thread_counts) {
    auto clients = make_clients(k);
    Row row{k, {}};
    for (Kind kind : load_kinds) {
      LoadSpec spec;
      spec.threads = k;
      spec.calls_per_thread = throughput_calls;
      spec.seconds = throughput_seconds;
      spec.warmup_calls_per_thread = throughput_calls > 0 ? 2 : 0;
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
                           {"p99_us", r.latency.p99},
                           {"over_serial_floor", Ratio(r.calls_per_second, serial)}};
    }
    throughput.push_back(j);
    rows.push_back(std::move(row));
  }
  out["writes"]["throughput"] = throughput;
  if (!rows.empty()) {
    const Row& top = rows.back();
    const double serial = SerialFloor(top.by_kind.at(Kind::kFloorA).calls_per_second,
                                      top.by_kind.at(Kind::kFloorB).calls_per_second);
    const double avl = Ratio(top.by_kind.at(Kind::kSetAvailability).calls_per_second, serial);
    const double hold = Ratio(top.by_kind.at(Kind::kHold).calls_per_second, serial);
    out["writes"]["saturation"] = {{"threads", top.threads},
                                   {"set_availability_over_serial_floor", avl},
                                   {"hold_over_serial_floor", hold},
                                   {"target", kThroughputTarget},
                                   {"set_availability_target_met", avl >= kThroughputTarget},
                                   {"hold_target_met", hold >= kThroughputTarget}};
  }
  const nlohmann::json write_slowlog = SlowLogSummary(SlowLog(admin));
  out["writes"]["redis_commands_over_1ms"] = write_slowlog;
  out["process_vmrss_kb_end"] = ProcStatusKb("VmRSS");
  out["process_vmhwm_kb_end"] = ProcStatusKb("VmHWM");
  out["redis_used_memory_end"] = admin.InfoInt("memory", "used_memory");
  out["failed_calls"] = failures;
  out["machine"]["loadavg_1m_end"] = MachineJson()["loadavg_1m"];

  if (text) {
    const auto& l = out["load"];
    std::printf(
        "\nLoad: %ld responders (%d organisations), %ld periods, %.0f writes in %.1f s (%.0f "
        "writes/s, %d threads); in-process p50/p99 µs: RegisterResponder %.0f/%.0f, "
        "SetAvailability %.0f/%.0f; %ld errors\n",
        l["responders_registered"].get<int64_t>(), organisations, l["periods_set"].get<int64_t>(),
        writes, load.seconds, l["writes_per_s"].get<double>(), load_threads, load.register_us.p50,
        load.register_us.p99, load.set_availability_us.p50, load.set_availability_us.p99,
        load.errors);

    const auto& m = out["redis_memory"];
    std::printf(
        "\nRedis memory per responder (%ld): used_memory delta %.0f B, of which events %.0f, "
        "audit trail %.0f and idempotency records %.0f;\n  entities and indexes (MEMORY USAGE) "
        "%.0f B; used_memory minus events, audit trail and idempotency %.0f B (target <= %.0f: "
        "%s); not in any key %.0f B\n",
        m["responders"].get<int64_t>(), m["used_memory_per_responder"].get<double>(),
        m["events_per_responder"].get<double>(), m["audit_trail_per_responder"].get<double>(),
        m["idempotency_per_responder"].get<double>(),
        m["entities_and_indexes_per_responder"].get<double>(),
        m["used_memory_minus_logs_and_idem_per_responder"].get<double>(), kBytesPerResponderTarget,
        m["target_met"].get<bool>() ? "MET" : "NOT MET",
        m["not_in_any_key_per_responder"].get<double>());
    std::printf("  %-16s %9s %8s %12s %14s %10s %12s  %s\n", "family", "keys", "sampled",
                "bytes/key", "total bytes", "B/resp.", "message B", "encoding");
    for (const auto& [name, f] : m["families"].items()) {
      std::printf("  %-16s %9ld %8ld %12.1f %14.0f %10.1f %12.1f  %s\n", name.c_str(),
                  f["keys"].get<int64_t>(), f["sampled_keys"].get<int64_t>(),
                  f["mean_bytes_per_key"].get<double>(), f["total_bytes"].get<double>(),
                  f["bytes_per_responder"].get<double>(),
                  f["mean_stored_message_bytes"].get<double>(),
                  f["encoding"].get<std::string>().c_str());
    }

    const auto& ix = out["index"];
    std::printf(
        "\nSearch index: %ld cards, full Load() %.2f s; heap +%.1f MB (%.0f B per card), VmRSS "
        "%+ld kB; process VmRSS %ld kB before the load, %ld after it, %ld with the index\n",
        ix["cards"].get<int64_t>(), ix["load_seconds"].get<double>(),
        static_cast<double>(ix["heap_delta_bytes"].get<int64_t>()) / 1e6,
        ix["heap_bytes_per_card"].get<double>(), ix["vmrss_delta_kb"].get<int64_t>(),
        rss_before_load, rss_after_load, ix["process_vmrss_kb_after_index"].get<int64_t>());

    const auto& f = out["find_responders"];
    auto line = [](const char* label, const nlohmann::json& s) {
      std::printf("  %-44s %8.0f %8.0f %8.0f %8.0f %8.0f\n", label, s["p50_us"].get<double>(),
                  s["p90_us"].get<double>(), s["p99_us"].get<double>(), s["max_us"].get<double>(),
                  s["mean_us"].get<double>());
    };
    std::printf(
        "\nFindResponders, %zu queries per path (%zu local, %zu abroad), page size 20, "
        "sequential, in %d rounds; µs\n",
        direct_us.size(), direct_local_us.size(), direct_abroad_us.size(), rounds);
    std::printf("  %-44s %8s %8s %8s %8s %8s\n", "", "p50", "p90", "p99", "max", "mean");
    line("Finder::FindResponders (server time)", f["direct"]);
    line("  local", f["direct_local"]);
    line("  abroad", f["direct_abroad"]);
    line("through gRPC (client-side)", f["grpc"]);
    line("stages: total", f["stages"]["total"]);
    line("  PrepareQuery", f["stages"]["prepare_query"]);
    line("  index CatchUp (Redis round trip)", f["stages"]["catch_up"]);
    line("  index Search (in memory, all calls)", f["stages"]["index_search"]);
    line("  bookings (Redis round trips)", f["stages"]["bookings"]);
    std::printf(
        "  search calls per query: mean %.2f, max %.0f; bookings round trips per query: mean "
        "%.2f, max %.0f\n",
        f["stages"]["search_calls_per_query"]["mean_us"].get<double>(),
        f["stages"]["search_calls_per_query"]["max_us"].get<double>(),
        f["stages"]["bookings_round_trips_per_query"]["mean_us"].get<double>(),
        f["stages"]["bookings_round_trips_per_query"]["max_us"].get<double>());
    std::printf(
        "  matches per page: mean %.1f; empty pages %ld, full pages %ld; CPU per call: process "
        "%.0f µs, Redis %.0f µs\n",
        f["matches_per_page_mean"].get<double>(), empty_pages, full_pages,
        f["process_cpu_us_per_call"].get<double>(), f["redis_cpu_us_per_call"].get<double>());
    {
      std::vector<std::pair<int64_t, std::string>> common;
      for (const auto& [code, j] : f["direct_by_skill"].items()) {
        common.push_back({j["holders"].get<int64_t>(), code});
      }
      std::sort(common.rbegin(), common.rend());
      std::printf("  by skill (the most held first): holders, queries, p50/p99 µs:");
      for (size_t i = 0; i < common.size() && i < 6; ++i) {
        const auto& j = f["direct_by_skill"][common[i].second];
        std::printf("%s %s %ld, %ld, %.0f/%.0f", i == 0 ? "" : ";", common[i].second.c_str(),
                    common[i].first, j["n"].get<int64_t>(), j["p50_us"].get<double>(),
                    j["p99_us"].get<double>());
      }
      std::printf("\n");
    }
    std::printf("\n  KEY FIGURE FindResponders server p99 = %.0f µs (target <= %.0f: %s)\n",
                f["direct"]["p99_us"].get<double>(), kFindTargetP99Us,
                f["target_met"].get<bool>() ? "MET" : "NOT MET");
    std::printf("  Redis commands over 1 ms during the FindResponders phase: %ld\n",
                find_slowlog["count"].get<int64_t>());
    for (const auto& e : find_slowlog["entries"]) {
      std::printf("    %6ld µs  %s %s\n", e["duration_us"].get<int64_t>(),
                  e["command"].get<std::string>().c_str(), e["args"].get<std::string>().c_str());
    }

    const auto& cw = f["catch_up_after_writes"];
    std::printf("  index catch-up after the write phase: %ld events in %.3f s\n",
                cw["events"].get<int64_t>(), cw["seconds"].get<double>());
    std::printf("\nSequential latency, one client thread (%d calls per kind in %d rounds), µs\n",
                latency_calls, rounds);
    std::printf("  %-46s %8s %8s %8s %8s %10s %9s %9s %6s\n", "call", "p50", "p90", "p99", "mean",
                "p50/(A+B)", "cpu/call", "redis/call", "cmds");
    for (Kind kind : kinds) {
      const LatencyStats& s = latency[kind];
      const auto& j = latency_json[KindName(kind)];
      std::printf("  %-46s %8.1f %8.1f %8.1f %8.1f %10.2f %9.1f %9.1f %6.2f\n", KindLabel(kind),
                  s.p50, s.p90, s.p99, s.mean, Ratio(s.p50, floors_p50),
                  j["process_cpu_us_per_call"].get<double>(),
                  j["redis_cpu_us_per_call"].get<double>(),
                  j["redis_commands_per_call"].get<double>());
    }
    std::printf(
        "  (cpu/call: CPU µs of this process, client and server threads; redis/call: of "
        "redis-server; cmds: Redis commands per call, FCALL counts its inner calls)\n");
    const LatencyStats avl_rounds = Summarize(round_avl_ratio);
    const LatencyStats hold_rounds = Summarize(round_hold_ratio);
    std::printf(
        "\n  KEY RATIO SetAvailability p50 / (A + B) = %.2f (target <= %.2f: %s; per round min "
        "%.2f, median %.2f, max %.2f)\n",
        avl_ratio, kLatencyTarget, avl_ratio <= kLatencyTarget ? "MET" : "NOT MET",
        round_avl_ratio.front(), avl_rounds.p50, round_avl_ratio.back());
    std::printf(
        "  KEY RATIO Hold p50 / (A + B)            = %.2f (target <= %.2f: %s; per round min "
        "%.2f, median %.2f, max %.2f)\n",
        hold_ratio, kLatencyTarget, hold_ratio <= kLatencyTarget ? "MET" : "NOT MET",
        round_hold_ratio.front(), hold_rounds.p50, round_hold_ratio.back());

    std::printf("\nThroughput, closed loop, one channel per client thread, %s (calls/s)\n",
                throughput_calls > 0
                    ? absl::StrFormat("%d calls per thread", throughput_calls).c_str()
                    : absl::StrFormat("%.1f s per run", throughput_seconds).c_str());
    std::printf("  %3s %9s %9s %9s | %9s %6s %7s | %9s %6s %7s | %9s %7s\n", "K", "floor A",
                "floor B", "A+B ser.", "SetAvail", "/ser.", "p99 µs", "Hold", "/ser.", "p99 µs",
                "Find", "p99 µs");
    for (auto& row : rows) {
      const double a = row.by_kind[Kind::kFloorA].calls_per_second;
      const double b = row.by_kind[Kind::kFloorB].calls_per_second;
      const double serial = SerialFloor(a, b);
      const LoadResult& s = row.by_kind[Kind::kSetAvailability];
      const LoadResult& h = row.by_kind[Kind::kHold];
      const LoadResult& fr = row.by_kind[Kind::kFind];
      std::printf("  %3d %9.0f %9.0f %9.0f | %9.0f %6.2f %7.0f | %9.0f %6.2f %7.0f | %9.0f %7.0f\n",
                  row.threads, a, b, serial, s.calls_per_second, Ratio(s.calls_per_second, serial),
                  s.latency.p99, h.calls_per_second, Ratio(h.calls_per_second, serial),
                  h.latency.p99, fr.calls_per_second, fr.latency.p99);
    }
    if (out["writes"].contains("saturation")) {
      const auto& sat = out["writes"]["saturation"];
      std::printf(
          "\n  KEY RATIO at K = %d: SetAvailability %.2f, Hold %.2f of the serial floor (target >= "
          "%.2f: %s / %s)\n",
          sat["threads"].get<int>(), sat["set_availability_over_serial_floor"].get<double>(),
          sat["hold_over_serial_floor"].get<double>(), kThroughputTarget,
          sat["set_availability_target_met"].get<bool>() ? "MET" : "NOT MET",
          sat["hold_target_met"].get<bool>() ? "MET" : "NOT MET");
    }
    std::printf("  Redis commands over 1 ms during the write phase: %ld",
                write_slowlog["count"].get<int64_t>());
    for (const auto& [name, count] : write_slowlog["by_command"].items()) {
      std::printf(" %s x%d", name.c_str(), count.get<int>());
    }
    std::printf(" (longest %ld µs)\n", write_slowlog["longest_us"].get<int64_t>());
    std::printf(
        "\nprocess VmRSS at the end %ld kB (peak %ld kB); load average %.2f -> %.2f\n",
        out["process_vmrss_kb_end"].get<int64_t>(), out["process_vmhwm_kb_end"].get<int64_t>(),
        out["machine"]["loadavg_1m"].get<double>(), out["machine"]["loadavg_1m_end"].get<double>());
    std::printf("failed calls: %ld\n", failures);
  }
  std::printf("%s\n", out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  std::fflush(stdout);
  server->Shutdown();
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace relais::bench

int main(int argc, char** argv) { return relais::bench::Main(argc, argv); }
