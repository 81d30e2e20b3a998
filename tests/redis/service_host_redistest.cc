// The server runtime end to end: a ServiceHost serving the Echo test service through RpcRunner,
// with its health tied to a real redis-server, reflection, metrics over HTTP, JSON logs, load
// shedding and a graceful drain.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <signal.h>
#include <spdlog/sinks/base_sink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/runtime/service_host.h"
#include "tests/support/echo.grpc.pb.h"
#include "tests/support/health_client.h"
#include "tests/support/redis_server.h"

namespace relais::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Bound on every wait for a condition; tests never sleep to let time pass.
constexpr absl::Duration kPatience = absl::Seconds(10);

// Keeps every log line (the payload: our JSON) for assertions.
class CapturingSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::vector<nlohmann::json> Lines() const {
    absl::MutexLock lock(&mu_);
    std::vector<nlohmann::json> lines;
    for (const std::string& raw : raw_) lines.push_back(nlohmann::json::parse(raw));
    return lines;
  }
  std::vector<nlohmann::json> LinesWithMsg(const std::string& msg) const {
    std::vector<nlohmann::json> found;
    for (nlohmann::json& line : Lines()) {
      if (line.value("msg", "") == msg) found.push_back(std::move(line));
    }
    return found;
  }
  std::string All() const {
    absl::MutexLock lock(&mu_);
    std::string all;
    for (const std::string& raw : raw_) all += raw + "\n";
    return all;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    absl::MutexLock lock(&mu_);
    raw_.emplace_back(msg.payload.data(), msg.payload.size());
  }
  void flush_() override {}

 private:
  mutable absl::Mutex mu_;
  std::vector<std::string> raw_ ABSL_GUARDED_BY(mu_);
};

// Echo through the runner. The text "block" parks the call until `release` is notified;
// "unavailable" fails the way a Redis outage would.
class EchoService final : public relais::testing::Echo::CallbackService {
 public:
  explicit EchoService(RpcRunner& runner) : runner_(runner) {}

  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* ctx, const EchoRequest* req,
                                 EchoReply* resp) override {
    // Through the access check: "Echo" has no row in the access table, so it is refused.
    if (req->text() == "policed") {
      return runner_.Run(ctx, "/relais.testing.Echo/Echo", req->request_id(),
                         [](const Principal&) { return absl::OkStatus(); });
    }
    return runner_.RunWithoutAccessCheck(ctx, "Echo", req->request_id(),
                                         [=, this](const Principal& p) {
                                           if (req->text() == "block") {
                                             blocked.fetch_add(1);
                                             release.WaitForNotification();
                                           }
                                           if (req->text() == "unavailable")
                                             return absl::UnavailableError("redis down");
                                           resp->set_text(req->text());
                                           resp->set_principal(p.id);
                                           return absl::OkStatus();
                                         });
  }

  absl::Notification release;
  std::atomic<int> blocked{0};

 private:
  RpcRunner& runner_;
};

absl::Status PingRedis(int port) {
  const timeval timeout = {1, 0};
  redisContext* c = redisConnectWithTimeout("127.0.0.1", port, timeout);
  if (c == nullptr || c->err != 0) {
    std::string error = c != nullptr ? c->errstr : "out of memory";
    redisFree(c);
    return absl::UnavailableError("redis: " + error);
  }
  redisSetTimeout(c, timeout);
  auto* reply = static_cast<redisReply*>(redisCommand(c, "PING"));
  const bool pong = reply != nullptr && reply->type == REDIS_REPLY_STATUS &&
                    std::string(reply->str, reply->len) == "PONG";
  if (reply != nullptr) freeReplyObject(reply);
  redisFree(c);
  return pong ? absl::OkStatus() : absl::UnavailableError("redis: no PONG");
}

// Waits until `condition` holds, up to kPatience.
template <class Condition>
bool Eventually(Condition condition) {
  const absl::Time deadline = absl::Now() + kPatience;
  while (!condition()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(1));
  }
  return true;
}

// One round trip on a completion queue, bounded by the context deadline.
bool NextEvent(grpc::CompletionQueue& cq, void* expected) {
  void* tag = nullptr;
  bool ok = false;
  return cq.Next(&tag, &ok) && ok && tag == expected;
}

std::string ToString(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  for (const grpc::Slice& s : slices)
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

grpc::ByteBuffer ToByteBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

class ServiceHostTest : public ::testing::Test {
 protected:
  void SetUp() override { redis_ = RedisServer::Start(); }

  ServerOptions Options() {
    ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    // Off unless a test looks at it: civetweb takes up to 2 s to stop.
    options.metrics_address = "";
    options.executor_threads = 2;
    options.executor_queue_size = 8;
    // Tests drive the probe with ProbeNow().
    options.health_probe_interval = absl::Hours(1);
    return options;
  }

  void StartHost(ServerOptions options) {
    ServiceHostSeams seams;
    seams.log_sink = sink_;
    const int redis_port = redis_->port();
    host_ = std::make_unique<ServiceHost>(
        std::move(options), "echo_test", [redis_port] { return PingRedis(redis_port); },
        std::move(seams));
    echo_ = std::make_unique<EchoService>(host_->runner());
    host_->AddService(echo_.get(), relais::testing::Echo::service_full_name());
    ASSERT_TRUE(host_->Start().ok());
    ASSERT_GT(host_->port(), 0);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(host_->port()),
                                   grpc::InsecureChannelCredentials());
    stub_ = relais::testing::Echo::NewStub(channel_);
  }

  void TearDown() override {
    if (echo_ != nullptr && !echo_->release.HasBeenNotified()) echo_->release.Notify();
    host_.reset();  // shuts down before the service it serves is destroyed
  }

  grpc::Status Call(const std::string& text, const std::string& request_id, EchoReply* reply,
                    const std::string& principal = "") {
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(absl::Now() + kPatience));
    if (!principal.empty()) ctx.AddMetadata("x-relais-principal", principal);
    EchoRequest request;
    request.set_text(text);
    request.set_request_id(request_id);
    return stub_->Echo(&ctx, request, reply);
  }

  // An Echo call left running; `done` is notified with its status.
  struct PendingCall {
    grpc::ClientContext ctx;
    EchoRequest request;
    EchoReply reply;
    grpc::Status status;
    absl::Notification done;
  };
  std::unique_ptr<PendingCall> StartCall(const std::string& text) {
    auto call = std::make_unique<PendingCall>();
    call->ctx.set_deadline(absl::ToChronoTime(absl::Now() + kPatience));
    call->request.set_text(text);
    PendingCall* raw = call.get();
    stub_->async()->Echo(&raw->ctx, &raw->request, &raw->reply, [raw](grpc::Status status) {
      raw->status = std::move(status);
      raw->done.Notify();
    });
    return call;
  }

  int HealthStatus(const std::string& service) {
    return relais::testing::HealthStatus(channel_, service);
  }

  std::unique_ptr<RedisServer> redis_;
  std::shared_ptr<CapturingSink> sink_ = std::make_shared<CapturingSink>();
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<EchoService> echo_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<relais::testing::Echo::Stub> stub_;
};

TEST_F(ServiceHostTest, EchoAnswersThroughTheRunnerWithTheCallersPrincipal) {
  StartHost(Options());
  EchoReply reply;
  grpc::Status status = Call("bonjour", "r-1", &reply, "coord-lyon-1");
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(reply.text(), "bonjour");
  EXPECT_EQ(reply.principal(), "coord-lyon-1");

  ASSERT_TRUE(Call("salut", "r-2", &reply).ok());
  EXPECT_EQ(reply.principal(), "anonymous");
}

TEST_F(ServiceHostTest, UnacceptableIdentityIsRefusedBeforeTheHandlerRuns) {
  StartHost(Options());
  grpc::ClientContext ctx;
  ctx.AddMetadata("x-relais-role", "emperor");
  EchoRequest request;
  request.set_text("block");  // would park the call if the handler ran
  request.set_request_id("r-bad-role");
  EchoReply reply;
  grpc::Status status = stub_->Echo(&ctx, request, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(echo_->blocked.load(), 0);
  std::vector<nlohmann::json> rpcs = sink_->LinesWithMsg("rpc");
  ASSERT_EQ(rpcs.size(), 1u);
  EXPECT_EQ(rpcs[0]["code"], "UNAUTHENTICATED");
  EXPECT_EQ(rpcs[0]["request_id"], "r-bad-role");
}

TEST_F(ServiceHostTest, AMethodWithoutARowInTheAccessTableIsRefused) {
  StartHost(Options());
  EchoReply reply;
  grpc::Status status = Call("policed", "r-policed", &reply, "coord-lyon-1");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(), "Echo: not in the access table");
  // Logged under its short name, like every call.
  std::vector<nlohmann::json> rpcs = sink_->LinesWithMsg("rpc");
  ASSERT_EQ(rpcs.size(), 1u);
  EXPECT_EQ(rpcs[0]["method"], "Echo");
  EXPECT_EQ(rpcs[0]["code"], "PERMISSION_DENIED");
}

TEST_F(ServiceHostTest, OneJsonLogLinePerRpcWithoutThePayload) {
  StartHost(Options());
  EchoReply reply;
  ASSERT_TRUE(Call("Jeanne Martin, +33 6 12 34 56 78", "r-ok", &reply, "coord-lyon-1").ok());
  EXPECT_EQ(Call("unavailable", "r-down", &reply).error_code(), grpc::StatusCode::UNAVAILABLE);

  std::vector<nlohmann::json> rpcs = sink_->LinesWithMsg("rpc");
  ASSERT_EQ(rpcs.size(), 2u) << sink_->All();
  EXPECT_EQ(rpcs[0]["service"], "echo_test");
  EXPECT_EQ(rpcs[0]["method"], "Echo");
  EXPECT_EQ(rpcs[0]["code"], "OK");
  EXPECT_EQ(rpcs[0]["request_id"], "r-ok");
  EXPECT_EQ(rpcs[0]["principal"], "coord-lyon-1");
  EXPECT_EQ(rpcs[0]["level"], "info");
  EXPECT_TRUE(rpcs[0]["latency_us"].is_number_integer());
  EXPECT_GE(rpcs[0]["latency_us"].get<int64_t>(), 0);
  EXPECT_TRUE(rpcs[0]["ts"].is_string());
  EXPECT_EQ(rpcs[1]["code"], "UNAVAILABLE");
  EXPECT_EQ(rpcs[1]["request_id"], "r-down");
  EXPECT_EQ(rpcs[1]["level"], "warning");
  // Personal data in a request never reaches the log.
  EXPECT_THAT(sink_->All(), Not(HasSubstr("Jeanne")));
  EXPECT_EQ(sink_->LinesWithMsg("start").size(), 1u);
}

TEST_F(ServiceHostTest, HealthFollowsRedis) {
  StartHost(Options());
  const std::string echo_name = relais::testing::Echo::service_full_name();
  EXPECT_EQ(HealthStatus(""), 1);
  EXPECT_EQ(HealthStatus(echo_name), 1);

  redis_->Stop();
  host_->ProbeNow();
  EXPECT_EQ(HealthStatus(""), 2);
  EXPECT_EQ(HealthStatus(echo_name), 2);

  redis_->Restart();
  host_->ProbeNow();
  EXPECT_EQ(HealthStatus(""), 1);
  EXPECT_EQ(HealthStatus(echo_name), 1);

  std::vector<nlohmann::json> health = sink_->LinesWithMsg("health");
  ASSERT_EQ(health.size(), 3u) << sink_->All();
  EXPECT_EQ(health[1]["status"], "NOT_SERVING");
  EXPECT_EQ(health[2]["status"], "SERVING");
}

TEST_F(ServiceHostTest, NotServingWhenRedisIsDownAtStart) {
  redis_->Stop();
  StartHost(Options());
  EXPECT_EQ(HealthStatus(""), 2);
}

TEST_F(ServiceHostTest, ReflectionListsTheServices) {
  StartHost(Options());
  // libgrpc++_reflection registers its messages in the generated pool; Debian ships no header.
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  const google::protobuf::Descriptor* request_type =
      pool->FindMessageTypeByName("grpc.reflection.v1alpha.ServerReflectionRequest");
  const google::protobuf::Descriptor* response_type =
      pool->FindMessageTypeByName("grpc.reflection.v1alpha.ServerReflectionResponse");
  ASSERT_NE(request_type, nullptr);
  ASSERT_NE(response_type, nullptr);
  google::protobuf::DynamicMessageFactory factory;
  std::unique_ptr<google::protobuf::Message> request(factory.GetPrototype(request_type)->New());
  request->GetReflection()->SetString(request.get(), request_type->FindFieldByName("list_services"),
                                      "*");

  grpc::GenericStub stub(channel_);
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + kPatience));
  grpc::CompletionQueue cq;
  auto stream =
      stub.PrepareCall(&ctx, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
  int tags[5];
  stream->StartCall(&tags[0]);
  ASSERT_TRUE(NextEvent(cq, &tags[0]));
  stream->Write(ToByteBuffer(request->SerializeAsString()), &tags[1]);
  ASSERT_TRUE(NextEvent(cq, &tags[1]));
  stream->WritesDone(&tags[2]);
  ASSERT_TRUE(NextEvent(cq, &tags[2]));
  grpc::ByteBuffer answer;
  stream->Read(&answer, &tags[3]);
  ASSERT_TRUE(NextEvent(cq, &tags[3]));
  grpc::Status status;
  stream->Finish(&status, &tags[4]);
  ASSERT_TRUE(NextEvent(cq, &tags[4]));
  cq.Shutdown();
  ASSERT_TRUE(status.ok()) << status.error_message();

  std::unique_ptr<google::protobuf::Message> response(factory.GetPrototype(response_type)->New());
  ASSERT_TRUE(response->ParseFromString(ToString(answer)));
  // list_services_response.service[*].name
  const auto* list_field = response_type->FindFieldByName("list_services_response");
  const google::protobuf::Message& list =
      response->GetReflection()->GetMessage(*response, list_field);
  const auto* service_field = list.GetDescriptor()->FindFieldByName("service");
  std::vector<std::string> names;
  for (int i = 0; i < list.GetReflection()->FieldSize(list, service_field); ++i) {
    const google::protobuf::Message& service =
        list.GetReflection()->GetRepeatedMessage(list, service_field, i);
    names.push_back(service.GetReflection()->GetString(
        service, service.GetDescriptor()->FindFieldByName("name")));
  }
  EXPECT_THAT(names, ::testing::IsSupersetOf({"relais.testing.Echo", "grpc.health.v1.Health"}));
}

TEST_F(ServiceHostTest, ShutdownLetsTheInFlightCallFinishAndRefusesNewOnes) {
  StartHost(Options());
  std::unique_ptr<PendingCall> parked = StartCall("block");
  ASSERT_TRUE(Eventually([&] { return echo_->blocked.load() == 1; }));
  EXPECT_EQ(host_->runner().in_flight(), 1);

  absl::Notification shut_down;
  std::thread stopper([&] {
    host_->Shutdown();
    shut_down.Notify();
  });
  // Draining: the server no longer takes calls, and waits for the parked one.
  EchoReply reply;
  ASSERT_TRUE(Eventually([&] { return !Call("ping", "", &reply).ok(); }));
  EXPECT_FALSE(shut_down.HasBeenNotified());
  EXPECT_FALSE(parked->done.HasBeenNotified());

  echo_->release.Notify();
  ASSERT_TRUE(parked->done.WaitForNotificationWithTimeout(kPatience));
  EXPECT_TRUE(parked->status.ok()) << parked->status.error_message();
  EXPECT_EQ(parked->reply.text(), "block");
  EXPECT_TRUE(shut_down.WaitForNotificationWithTimeout(kPatience));
  stopper.join();

  EXPECT_EQ(host_->runner().in_flight(), 0);
  EXPECT_EQ(Call("after", "", &reply).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(sink_->LinesWithMsg("stopped").size(), 1u);
}

TEST_F(ServiceHostTest, CallsBeyondTheQueueGetResourceExhausted) {
  ServerOptions options = Options();
  options.executor_threads = 1;
  options.executor_queue_size = 1;
  StartHost(options);
  std::unique_ptr<PendingCall> running = StartCall("block");
  ASSERT_TRUE(Eventually([&] { return echo_->blocked.load() == 1; }));
  std::unique_ptr<PendingCall> queued = StartCall("queued");
  ASSERT_TRUE(Eventually([&] { return host_->runner().in_flight() == 2; }));

  EchoReply reply;
  grpc::Status status = Call("one too many", "r-busy", &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(status.error_message(), "server busy");

  echo_->release.Notify();
  ASSERT_TRUE(running->done.WaitForNotificationWithTimeout(kPatience));
  ASSERT_TRUE(queued->done.WaitForNotificationWithTimeout(kPatience));
  EXPECT_TRUE(running->status.ok());
  EXPECT_TRUE(queued->status.ok());
  EXPECT_EQ(queued->reply.text(), "queued");
}

// A bare HTTP/1.0 GET: the server closes the connection after the body.
std::string HttpGet(int port, const std::string& path) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  timeval timeout = {10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    const std::string request = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    if (write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
      char buffer[4096];
      ssize_t n;
      while ((n = read(fd, buffer, sizeof(buffer))) > 0) response.append(buffer, n);
    }
  }
  close(fd);
  return response;
}

// The value of the first sample of `name` whose labels contain every one of `labels`.
std::string Sample(const std::string& scrape, const std::string& name,
                   const std::vector<std::string>& labels) {
  std::istringstream lines(scrape);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(name + "{", 0) != 0 && line.rfind(name + " ", 0) != 0) continue;
    bool all = true;
    for (const std::string& label : labels) all = all && line.find(label) != std::string::npos;
    if (all) return line.substr(line.rfind(' ') + 1);
  }
  return "absent";
}

TEST_F(ServiceHostTest, MetricsAreServedOverHttp) {
  ServerOptions options = Options();
  options.metrics_address = "127.0.0.1:0";
  StartHost(options);
  ASSERT_GT(host_->metrics().port(), 0);
  EchoReply reply;
  ASSERT_TRUE(Call("hello", "r-m1", &reply).ok());
  ASSERT_EQ(Call("unavailable", "r-m2", &reply).error_code(), grpc::StatusCode::UNAVAILABLE);
  host_->metrics().OnRedisCommandError("timeout");
  host_->metrics().OnRedisReconnect();

  const std::string scrape = HttpGet(host_->metrics().port(), "/metrics");
  ASSERT_THAT(scrape, HasSubstr("200 OK"));
  const std::string service = "service=\"echo_test\"";
  EXPECT_EQ(Sample(scrape, "relais_rpc_total", {service, "method=\"Echo\"", "code=\"OK\""}), "1");
  EXPECT_EQ(
      Sample(scrape, "relais_rpc_total", {service, "method=\"Echo\"", "code=\"UNAVAILABLE\""}),
      "1");
  EXPECT_EQ(Sample(scrape, "relais_rpc_duration_seconds_count", {service, "method=\"Echo\""}), "2");
  EXPECT_EQ(Sample(scrape, "relais_rpc_duration_seconds_bucket", {"le=\"0.0001\""}) == "absent",
            false);
  EXPECT_EQ(Sample(scrape, "relais_rpc_in_flight", {service}), "0");
  EXPECT_EQ(Sample(scrape, "relais_redis_errors_total", {service, "kind=\"timeout\""}), "1");
  EXPECT_EQ(Sample(scrape, "relais_redis_reconnects_total", {service}), "1");
}

TEST_F(ServiceHostTest, StartFailsWhenTheAddressIsTaken) {
  StartHost(Options());
  ServerOptions options = Options();
  options.listen_address = "127.0.0.1:" + std::to_string(host_->port());
  ServiceHost second(
      options, "echo_test_2", [] { return absl::OkStatus(); },
      ServiceHostSeams{.log_sink = sink_, .principal_resolver = nullptr});
  EXPECT_EQ(second.Start().code(), absl::StatusCode::kUnavailable);
}

// The production path: SIGTERM, blocked before any thread starts, reaches
// WaitForTerminationSignal, which drains and returns 0. Runs in a fresh process (threadsafe death
// test) so that the signal mask and gRPC start clean.
TEST(ServiceHostSignalTest, SigtermShutsDownAndExitsZero) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        BlockTerminationSignals();
        ServerOptions options;
        options.listen_address = "127.0.0.1:0";
        options.metrics_address = "";
        ServiceHost host(options, "signal_test", [] { return absl::OkStatus(); });
        if (!host.Start().ok()) std::exit(3);
        kill(getpid(), SIGTERM);  // stays pending until sigwait takes it
        std::exit(host.WaitForTerminationSignal());
      },
      ::testing::ExitedWithCode(0), "\"signal\":\"SIGTERM\".*\"msg\":\"stopped\"");
}

}  // namespace
}  // namespace relais::testing
