// The dashboard gateway against the three real services (MobilisationStack: one redis-server,
// FakeClock). Over plain HTTP in development mode: the page, the JSON snapshots, the places map
// without contact details, the SSE feed with resume, read-only methods, errors, a service down,
// and 200 open streams. Over HTTPS with sign-in (GatewayHttpsTest): the handshake with the dev CA,
// plain HTTP refused, 401 without a session, refused tokens, the cookie, sign-out, expiry, a
// bounded session table.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "nlohmann/json.hpp"
#include "services/gateway/server.h"
#include "services/gateway/test_http_client.h"
#include "services/runtime/tokens.h"
#include "tests/support/mobilisation_stack.h"
#include "tests/support/test_keys.h"

namespace relais::gateway {
namespace {

using ::relais::gateway::testing::HttpGet;
using ::relais::gateway::testing::HttpRequest;
using ::relais::gateway::testing::HttpResponse;
using ::relais::gateway::testing::HttpsRequest;
using ::relais::gateway::testing::ParseSse;
using ::relais::gateway::testing::SseStream;
using ::relais::testing::MobilisationStack;
using json = nlohmann::json;
using std::chrono::milliseconds;

constexpr milliseconds kWait(10000);

// Polls `condition` until it holds or `timeout` passes.
template <class F>
bool WaitUntil(F condition, absl::Duration timeout = absl::Seconds(10)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!condition()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(2));
  }
  return true;
}

// "<ms>-<seq>" as a comparable pair.
std::pair<uint64_t, uint64_t> CursorKey(const std::string& cursor) {
  std::vector<std::string> parts = absl::StrSplit(cursor, '-');
  std::pair<uint64_t, uint64_t> key{0, 0};
  if (parts.size() == 2) {
    (void)absl::SimpleAtoi(parts[0], &key.first);
    (void)absl::SimpleAtoi(parts[1], &key.second);
  }
  return key;
}

std::vector<std::string> EventIds(const std::string& body) {
  std::vector<std::string> ids;
  for (const auto& e : ParseSse(body)) {
    if (e.event == "event") ids.push_back(e.id);
  }
  return ids;
}

// A ring of 2 recent events, so that resuming reads the backlog from Redis (and sees a trim).
mobilisation::MobilisationOptions SmallRing() {
  mobilisation::MobilisationOptions options;
  options.feed.ring_size = 2;
  return options;
}

class GatewayTest : public ::testing::Test {
 protected:
  GatewayTest() : stack_(SmallRing()) {}

  void SetUp() override {
    stack_.RegisterOrganisation();
    stack_.RegisterNurse("n1", 1);
    stack_.RegisterNurse("n2", 2);
    stack_.DeclareHeatwave(1);
    StartGateway();
  }

  void StartGateway() {
    GatewayOptions options;
    options.http_address = "127.0.0.1:0";
    options.backend.crisis_registry_address = absl::StrCat("127.0.0.1:", stack_.registry->port());
    options.backend.inventory_address = absl::StrCat("127.0.0.1:", stack_.inventory_port);
    options.backend.mobilisation_address = absl::StrCat("127.0.0.1:", stack_.mobilisation->port());
    options.backend.identity = CallerIdentity::Development("svc-gateway", "dashboard");
    // Plain HTTP and no sign-in: development mode (GatewayHttpsTest covers the secure one).
    options.browser.insecure_dev = true;
    // Short, so a browser that left is noticed quickly by the next keep-alive write.
    options.keepalive_interval = absl::Milliseconds(100);
    options.handler = handler_options_;
    auto gateway = GatewayServer::Start(options);
    ASSERT_TRUE(gateway.ok()) << gateway.status();
    gateway_ = *std::move(gateway);
    port_ = gateway_->http_port();
    ASSERT_GT(port_, 0);
  }

  json GetJson(const std::string& path, int want_status = 200) {
    HttpResponse r = HttpGet(port_, path);
    EXPECT_EQ(r.status, want_status) << path << ": " << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/json") << path;
    EXPECT_EQ(r.Header("cache-control"), "no-store") << path;
    return json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  }

  std::string BoardCursor() {
    json board = GetJson("/api/crises/" + stack_.crisis_id + "/board");
    return board.value("cursor", "");
  }

  MobilisationStack stack_;
  HandlerOptions handler_options_;
  std::unique_ptr<GatewayServer> gateway_;
  int port_ = 0;
};

TEST_F(GatewayTest, ServesThePageAndItsAssets) {
  HttpResponse page = HttpGet(port_, "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_TRUE(absl::StrContains(page.body, "<html") || absl::StrContains(page.body, "<!doctype") ||
              absl::StrContains(page.body, "<!DOCTYPE"))
      << page.body;
  EXPECT_TRUE(absl::StrContains(page.Header("content-security-policy"), "script-src 'self'"));
  HttpResponse missing = HttpGet(port_, "/assets/missing.js");
  EXPECT_EQ(missing.status, 404);
  EXPECT_TRUE(absl::StrContains(missing.body, "NOT_FOUND"));
  EXPECT_EQ(HttpGet(port_, "/assets/../CMakeLists.txt").status, 404);
  HttpResponse head = HttpRequest(port_, "HEAD", "/");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
}

TEST_F(GatewayTest, ListsCrisesAndServesOneWithProtobufJson) {
  json list = GetJson("/api/crises");
  ASSERT_TRUE(list.contains("crises")) << list.dump();
  ASSERT_EQ(list["crises"].size(), 1u);
  EXPECT_EQ(list["crises"][0]["id"], stack_.crisis_id);
  EXPECT_EQ(list["crises"][0]["status"], "CRISIS_STATUS_ACTIVE");
  json crisis = GetJson("/api/crises/" + stack_.crisis_id);
  EXPECT_EQ(crisis["title"], "Canicule - Lyon heat");
  EXPECT_EQ(crisis["scope"], "CRISIS_SCOPE_LOCAL");
  EXPECT_EQ(crisis["area"]["radiusKm"], 15);
}

TEST_F(GatewayTest, BoardOutreachAndAssignmentsAfterAMobilisation) {
  v1::MobiliseResponse sent = stack_.Mobilise("m-1", 2.0);
  ASSERT_EQ(sent.requests_size(), 2);
  json board = GetJson("/api/crises/" + stack_.crisis_id + "/board");
  ASSERT_EQ(board["needs"].size(), 1u) << board.dump();
  const json& progress = board["needs"][0]["progress"];
  EXPECT_EQ(progress["needId"], stack_.need_id);
  EXPECT_EQ(progress["required"], "1");  // int64: a JSON string
  EXPECT_EQ(progress["requested"], "2");
  EXPECT_EQ(board["needs"][0]["pending"].size(), 2u);
  EXPECT_FALSE(board["cursor"].get<std::string>().empty());

  json outreach = GetJson("/api/crises/" + stack_.crisis_id + "/outreach");
  EXPECT_EQ(outreach["unreached"].size() + outreach["unanswered"].size(), 2u) << outreach.dump();

  v1::MobilisationRequest answered;
  ASSERT_TRUE(stack_
                  .Respond(sent.requests(0).id(), sent.requests(0).responder_id(),
                           v1::ANSWER_ACCEPT, &answered)
                  .ok());
  json assignments = GetJson("/api/crises/" + stack_.crisis_id + "/assignments");
  ASSERT_EQ(assignments["assignments"].size(), 1u) << assignments.dump();
  EXPECT_EQ(assignments["assignments"][0]["responderId"], sent.requests(0).responder_id());
}

TEST_F(GatewayTest, PlacesHavePeopleWithDistancesAndNoContactDetails) {
  stack_.Mobilise("m-1", 2.0);
  HttpResponse r = HttpGet(port_, "/api/crises/" + stack_.crisis_id + "/places");
  ASSERT_EQ(r.status, 200) << r.body;
  json places = json::parse(r.body);
  EXPECT_EQ(places["scope"], "SCOPE_LOCAL");
  EXPECT_DOUBLE_EQ(places["center"]["latitude"].get<double>(), 45.764);
  ASSERT_EQ(places["people"].size(), 2u) << r.body;
  // The nurses live 1 and 2 km east of the crisis centre; a dashboard gets their home base
  // rounded to 0.01 degree (about 1 km) and a short name (access_policy.h, kReduced).
  EXPECT_NEAR(places["people"][0]["distanceKm"].get<double>(), 1.0, 0.6);
  EXPECT_NEAR(places["people"][1]["distanceKm"].get<double>(), 2.0, 0.6);
  EXPECT_NEAR(places["people"][0]["bearingDeg"].get<double>(), 90, 30);
  EXPECT_THAT(places["people"][0]["displayName"].get<std::string>(),
              ::testing::MatchesRegex("Camille [a-zA-Z][.]"));
  EXPECT_FALSE(absl::StrContains(r.body, "Camille Exemple")) << r.body;
  ASSERT_EQ(places["organisations"].size(), 1u);
  EXPECT_EQ(places["organisations"][0]["commune"], "Lyon 7e");
  for (const char* secret : {"contacts", "email", "example.org", "+3361234", "homeBase"}) {
    EXPECT_FALSE(absl::StrContains(r.body, secret)) << secret << " in " << r.body;
  }
}

TEST_F(GatewayTest, StreamDeliversAnAnswerMadeAfterItOpened) {
  v1::MobiliseResponse sent = stack_.Mobilise("m-1", 2.0);
  SseStream stream;
  ASSERT_TRUE(
      stream.Open(port_, "/api/crises/" + stack_.crisis_id + "/events?cursor=" + BoardCursor()));
  ASSERT_TRUE(stream.WaitFor(": open\n\n", kWait));
  HttpResponse head = stream.head();
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("content-type"), "text/event-stream");
  EXPECT_EQ(head.Header("cache-control"), "no-store");
  EXPECT_EQ(head.Header("x-accel-buffering"), "no");
  EXPECT_TRUE(absl::StartsWith(stream.body(), "retry: 2000\n\n: open\n\n"));
  ASSERT_TRUE(WaitUntil([&] { return gateway_->open_streams() == 1; }));

  v1::MobilisationRequest answered;
  ASSERT_TRUE(stack_
                  .Respond(sent.requests(0).id(), sent.requests(0).responder_id(),
                           v1::ANSWER_ACCEPT, &answered)
                  .ok());
  ASSERT_TRUE(stream.WaitFor("EVENT_TYPE_REQUEST_ACCEPTED", kWait)) << stream.body();
  auto events = ParseSse(stream.body());
  ASSERT_FALSE(events.empty());
  // Only what happened after the board's cursor: the requests were sent before it.
  for (const auto& e : events) {
    if (e.event != "event") continue;
    json event = json::parse(e.data);
    EXPECT_EQ(event["cursor"], e.id);
    EXPECT_NE(event["type"], "EVENT_TYPE_REQUESTS_SENT") << e.data;
  }

  // The browser leaves: the gateway notices and frees the stream (and its gRPC call).
  stream.Close();
  EXPECT_TRUE(WaitUntil([&] { return gateway_->open_streams() == 0; }));
}

TEST_F(GatewayTest, LastEventIdResumesWithNothingTwiceAndNothingLost) {
  v1::MobiliseResponse sent = stack_.Mobilise("m-1", 2.0);
  ASSERT_EQ(sent.requests_size(), 2);
  const std::string start = BoardCursor();
  SseStream first;
  ASSERT_TRUE(first.Open(port_, "/api/crises/" + stack_.crisis_id + "/events?cursor=" + start));
  ASSERT_TRUE(first.WaitFor(": open\n\n", kWait));
  v1::MobilisationRequest out;
  ASSERT_TRUE(stack_
                  .Respond(sent.requests(1).id(), sent.requests(1).responder_id(),
                           v1::ANSWER_DECLINE, &out, "en congé")
                  .ok());
  ASSERT_TRUE(first.WaitFor("EVENT_TYPE_REQUEST_DECLINED", kWait)) << first.body();
  const std::vector<std::string> before = EventIds(first.body());
  ASSERT_FALSE(before.empty());
  const std::string resume_from = before.front();

  // The connection drops; meanwhile the other nurse accepts.
  first.Close();
  ASSERT_TRUE(
      stack_
          .Respond(sent.requests(0).id(), sent.requests(0).responder_id(), v1::ANSWER_ACCEPT, &out)
          .ok());
  SseStream resumed;
  // The header wins over the query parameter, as EventSource sends it after a drop.
  ASSERT_TRUE(resumed.Open(port_, "/api/crises/" + stack_.crisis_id + "/events?cursor=" + start,
                           resume_from));
  ASSERT_TRUE(resumed.WaitFor("EVENT_TYPE_REQUEST_ACCEPTED", kWait)) << resumed.body();
  // A third stream from the start sees everything: the resumed one must see exactly its tail.
  SseStream all;
  ASSERT_TRUE(all.Open(port_, "/api/crises/" + stack_.crisis_id + "/events?cursor=" + start));
  ASSERT_TRUE(all.WaitFor("EVENT_TYPE_REQUEST_ACCEPTED", kWait));
  std::vector<std::string> expected, got;
  EXPECT_TRUE(WaitUntil([&] {
    all.Poll(milliseconds(5));
    resumed.Poll(milliseconds(5));
    std::vector<std::string> every = EventIds(all.body());
    auto from = std::find(every.begin(), every.end(), resume_from);
    if (from == every.end()) return false;
    expected.assign(from + 1, every.end());
    got = EventIds(resumed.body());
    return got == expected;
  })) << "resumed:\n"
      << resumed.body() << "\nall:\n"
      << all.body();
  ASSERT_FALSE(got.empty());
  std::set<std::string> unique(got.begin(), got.end());
  EXPECT_EQ(unique.size(), got.size());
  EXPECT_GT(CursorKey(got.front()), CursorKey(resume_from));
}

TEST_F(GatewayTest, AStreamThatFallsBehindIsClosedAndResumes) {
  // Any unsent byte counts as falling behind here, so the first event closes the stream.
  gateway_.reset();
  handler_options_.max_stream_backlog_bytes = 1;
  StartGateway();
  v1::MobiliseResponse sent = stack_.Mobilise("m-1", 2.0);
  const std::string cursor = BoardCursor();
  SseStream stream;
  ASSERT_TRUE(stream.Open(port_, "/api/crises/" + stack_.crisis_id + "/events?cursor=" + cursor));
  ASSERT_TRUE(WaitUntil([&] { return gateway_->open_streams() == 1; }));
  v1::MobilisationRequest out;
  ASSERT_TRUE(
      stack_
          .Respond(sent.requests(0).id(), sent.requests(0).responder_id(), v1::ANSWER_ACCEPT, &out)
          .ok());
  EXPECT_TRUE(stream.WaitForEnd(kWait));
  EXPECT_TRUE(WaitUntil([&] { return gateway_->open_streams() == 0; }));
  // The gateway serves on.
  EXPECT_EQ(HttpGet(port_, "/api/crises/" + stack_.crisis_id + "/board").status, 200);
}

TEST_F(GatewayTest, StopsCleanlyWithStreamsOpen) {
  std::vector<std::unique_ptr<SseStream>> streams;
  for (int i = 0; i < 5; ++i) {
    streams.push_back(std::make_unique<SseStream>());
    ASSERT_TRUE(streams.back()->Open(port_, "/api/events"));
  }
  ASSERT_TRUE(WaitUntil([&] { return gateway_->open_streams() == 5; }));
  gateway_->Stop();
  for (auto& s : streams) EXPECT_TRUE(s->WaitForEnd(kWait));
  EXPECT_EQ(gateway_->open_streams(), 0);
}

TEST_F(GatewayTest, ResetFrameWhenTheCursorIsOlderThanTheLog) {
  // Trim the log so that the start of time is gone.
  stack_.Mobilise("m-1", 2.0);
  ASSERT_TRUE(stack_.redis->Command({"XTRIM", "relais:events", "MAXLEN", "1"}).size() > 0);
  SseStream stream;
  ASSERT_TRUE(stream.Open(port_, "/api/crises/" + stack_.crisis_id + "/events?cursor=1-0"));
  ASSERT_TRUE(stream.WaitFor("event: reset\n", kWait)) << stream.body();
  EXPECT_TRUE(stream.WaitFor("OUT_OF_RANGE", kWait));
  EXPECT_TRUE(stream.WaitForEnd(kWait));
  EXPECT_TRUE(WaitUntil([&] { return gateway_->open_streams() == 0; }));
}

TEST_F(GatewayTest, OnlyGetAndHeadAndNothingChanges) {
  for (const char* method : {"POST", "PUT", "DELETE", "PATCH"}) {
    HttpResponse r = HttpRequest(port_, method, "/api/crises");
    EXPECT_EQ(r.status, 405) << method;
    EXPECT_EQ(r.Header("allow"), "GET, HEAD") << method;
  }
  HttpResponse post = HttpRequest(port_, "POST", "/api/crises/" + stack_.crisis_id + "/board");
  EXPECT_EQ(post.status, 405);
  // Development mode has no sign-in: the forms lead back to the open boards.
  HttpResponse sign_in = HttpGet(port_, "/signin");
  EXPECT_EQ(sign_in.status, 303);
  EXPECT_EQ(sign_in.Header("location"), "/");
  EXPECT_EQ(HttpRequest(port_, "POST", "/signout").status, 303);
  HttpResponse get_sign_out = HttpRequest(port_, "GET", "/signout");
  EXPECT_EQ(get_sign_out.status, 405);
  EXPECT_EQ(get_sign_out.Header("allow"), "POST");
  EXPECT_THAT(get_sign_out.body, ::testing::HasSubstr("this path takes POST only"));
  json board = GetJson("/api/crises/" + stack_.crisis_id + "/board");
  EXPECT_EQ(board["needs"][0]["progress"]["requested"], "0");
  EXPECT_EQ(GetJson("/api/crises")["crises"].size(), 1u);
}

TEST_F(GatewayTest, ErrorsAreJsonWithTheGrpcCode) {
  json missing = GetJson("/api/crises/crs_nope", 404);
  EXPECT_EQ(missing["code"], "NOT_FOUND");
  EXPECT_FALSE(missing["message"].get<std::string>().empty());
  EXPECT_EQ(GetJson("/api/crises/crs_nope/places", 404)["code"], "NOT_FOUND");
  EXPECT_EQ(GetJson("/api/crises/bad%21id/board", 400)["code"], "INVALID_ARGUMENT");
  EXPECT_EQ(GetJson("/api/nothing", 404)["code"], "NOT_FOUND");
  EXPECT_EQ(GetJson("/api/crises/" + stack_.crisis_id + "/events?cursor=x", 400)["code"],
            "INVALID_ARGUMENT");
}

TEST_F(GatewayTest, MobilisationDownIs503AndThePageStillServes) {
  HttpResponse healthy = HttpGet(port_, "/healthz");
  EXPECT_EQ(healthy.status, 200) << healthy.body;
  EXPECT_EQ(healthy.body, R"({"status":"SERVING"})");
  stack_.mobilisation.reset();
  json board = GetJson("/api/crises/" + stack_.crisis_id + "/board", 503);
  EXPECT_EQ(board["code"], "UNAVAILABLE");
  EXPECT_EQ(HttpGet(port_, "/").status, 200);
  EXPECT_EQ(HttpGet(port_, "/healthz").status, 503);
  // The registry still answers.
  EXPECT_EQ(GetJson("/api/crises")["crises"].size(), 1u);
}

TEST_F(GatewayTest, TwoHundredOpenStreamsDoNotStarveSnapshots) {
  v1::MobiliseResponse sent = stack_.Mobilise("m-1", 2.0);
  const std::string cursor = BoardCursor();
  std::vector<std::unique_ptr<SseStream>> streams;
  for (int i = 0; i < 200; ++i) {
    auto s = std::make_unique<SseStream>();
    ASSERT_TRUE(s->Open(port_, "/api/crises/" + stack_.crisis_id + "/events?cursor=" + cursor));
    streams.push_back(std::move(s));
  }
  ASSERT_TRUE(WaitUntil([&] { return gateway_->open_streams() == 200; }))
      << gateway_->open_streams();
  HttpResponse board = HttpGet(port_, "/api/crises/" + stack_.crisis_id + "/board");
  EXPECT_EQ(board.status, 200);
  v1::MobilisationRequest out;
  ASSERT_TRUE(
      stack_
          .Respond(sent.requests(0).id(), sent.requests(0).responder_id(), v1::ANSWER_ACCEPT, &out)
          .ok());
  for (auto& s : streams) {
    ASSERT_TRUE(s->WaitFor("EVENT_TYPE_REQUEST_ACCEPTED", kWait));
  }
  EXPECT_EQ(HttpGet(port_, "/api/crises/" + stack_.crisis_id + "/board").status, 200);
  for (auto& s : streams) s->Close();
  EXPECT_TRUE(WaitUntil([&] { return gateway_->open_streams() == 0; }));
}

// The gateway as deployed: HTTPS with a certificate of the dev CA (deploy/local/dev-ca.sh, as in
// the local stack) and sign-in with tokens of a fresh signing key. Sessions run on their own
// FakeClock, so expiry is a clock move, not a wait.
class GatewayHttpsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "relais_gateway_tls_XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr) << std::strerror(errno);
    dir_ = pattern;
    for (const char* ca : {"relais", "stranger"}) {
      const std::string command = absl::StrCat("bash " RELAIS_SOURCE_DIR "/deploy/local/dev-ca.sh ",
                                               (dir_ / ca).string(), " gateway >/dev/null 2>&1");
      ASSERT_EQ(std::system(command.c_str()), 0) << command;
    }
    ca_ = (dir_ / "relais" / "ca.pem").string();
    stack_.RegisterOrganisation();
    stack_.DeclareHeatwave(1);
    StartGateway();
  }

  void TearDown() override {
    gateway_.reset();
    std::filesystem::remove_all(dir_);
  }

  GatewayOptions Options() {
    GatewayOptions options;
    options.http_address = "127.0.0.1:0";
    options.backend.crisis_registry_address = absl::StrCat("127.0.0.1:", stack_.registry->port());
    options.backend.inventory_address = absl::StrCat("127.0.0.1:", stack_.inventory_port);
    options.backend.mobilisation_address = absl::StrCat("127.0.0.1:", stack_.mobilisation->port());
    options.backend.identity = CallerIdentity::Development("svc-gateway", "dashboard");
    options.browser.tls.cert_path = (dir_ / "relais" / "gateway.pem").string();
    options.browser.tls.key_path = (dir_ / "relais" / "gateway-key.pem").string();
    options.browser.token_public_key_pem = keys_.public_pem;
    options.browser.sessions = sessions_;
    options.browser.clock = &clock_;
    options.keepalive_interval = absl::Milliseconds(100);
    return options;
  }

  void StartGateway() {
    auto gateway = GatewayServer::Start(Options());
    ASSERT_TRUE(gateway.ok()) << gateway.status();
    gateway_ = *std::move(gateway);
    port_ = gateway_->http_port();
  }

  std::string Token(Role role, absl::Duration lifetime = absl::Hours(1),
                    const relais::testing::KeyPair* keys = nullptr) {
    Principal principal;
    principal.id = "viewer-1";
    principal.role = role;
    if (role == Role::kResponder) {
      principal.organisation_id = "org-1";
      principal.responder_id = "rsp-1";
    }
    auto token = IssueToken((keys != nullptr ? *keys : keys_).private_pem, principal, clock_.Now(),
                            lifetime, "t-1");
    EXPECT_TRUE(token.ok()) << token.status();
    return token.value_or("");
  }

  HttpResponse Get(const std::string& path, const std::string& cookie = "",
                   milliseconds timeout = kWait) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!cookie.empty()) headers.emplace_back("Cookie", cookie);
    return HttpsRequest(port_, ca_, "GET", path, headers, "", timeout);
  }

  HttpResponse Post(const std::string& path, const std::string& body,
                    const std::string& cookie = "", const std::string& origin = "") {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Content-Type", "application/x-www-form-urlencoded"}};
    if (!cookie.empty()) headers.emplace_back("Cookie", cookie);
    if (!origin.empty()) headers.emplace_back("Origin", origin);
    return HttpsRequest(port_, ca_, "POST", path, headers, body);
  }

  // Signs in with `token`; returns the Cookie header to send ("" when refused).
  std::string SignIn(const std::string& token) {
    HttpResponse r = Post("/signin", "token=" + token);
    EXPECT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(r.Header("location"), "/");
    const std::string set_cookie = r.Header("set-cookie");
    return set_cookie.substr(0, set_cookie.find(';'));
  }

  MobilisationStack stack_;
  std::filesystem::path dir_;
  std::string ca_;
  relais::testing::KeyPair keys_ = relais::testing::MakeEcKeyPair();
  FakeClock clock_;
  SessionOptions sessions_;
  std::unique_ptr<GatewayServer> gateway_;
  int port_ = 0;
};

TEST_F(GatewayHttpsTest, HandshakeWithTheCaAndHealthStaysOpen) {
  ASSERT_TRUE(gateway_->https());
  HttpResponse health = Get("/healthz");
  EXPECT_EQ(health.status, 200) << health.error << health.body;
  EXPECT_EQ(health.Header("strict-transport-security"), "max-age=31536000");
  // A client that trusts another CA refuses the gateway's certificate.
  HttpResponse stranger =
      HttpsRequest(port_, (dir_ / "stranger" / "ca.pem").string(), "GET", "/healthz");
  EXPECT_EQ(stranger.status, 0);
  EXPECT_THAT(stranger.error, ::testing::HasSubstr("certificate verify failed"));
}

TEST_F(GatewayHttpsTest, PlainHttpToTheHttpsPortGetsNoAnswer) {
  HttpResponse plain = HttpRequest(port_, "GET", "/healthz", {}, milliseconds(3000));
  EXPECT_EQ(plain.status, 0);
  EXPECT_TRUE(plain.headers.empty());
  // The gateway still serves TLS clients afterwards.
  EXPECT_EQ(Get("/healthz").status, 200);
}

TEST_F(GatewayHttpsTest, WithoutASessionTheApiSays401AndThePageSendsToSignIn) {
  for (const std::string& path :
       std::vector<std::string>{"/api/crises", "/api/crises/" + stack_.crisis_id + "/board",
                                "/api/events", "/api/crises/" + stack_.crisis_id + "/events"}) {
    HttpResponse r = Get(path);
    EXPECT_EQ(r.status, 401) << path;
    EXPECT_EQ(r.Header("content-type"), "application/json") << path;
    json body = json::parse(r.body, nullptr, false);
    EXPECT_EQ(body.value("code", ""), "UNAUTHENTICATED") << path << ": " << r.body;
  }
  // A cookie the gateway never issued counts for nothing.
  EXPECT_EQ(Get("/api/crises", "__Host-relais_session=" + std::string(64, 'a')).status, 401);
  HttpResponse page = Get("/");
  EXPECT_EQ(page.status, 303);
  EXPECT_EQ(page.Header("location"), "/signin");
  HttpResponse form = Get("/signin");
  EXPECT_EQ(form.status, 200);
  EXPECT_THAT(form.body, ::testing::HasSubstr("<form method=\"post\" action=\"/signin\""));
  EXPECT_EQ(Get("/assets/app.css").status, 200) << "the sign-in page needs its style";
}

TEST_F(GatewayHttpsTest, BadExpiredForgedOrWrongRoleTokensAreRefused) {
  const relais::testing::KeyPair stranger = relais::testing::MakeEcKeyPair();
  const std::string expired = Token(Role::kDashboard, absl::Minutes(1));
  clock_.Advance(absl::Minutes(2));
  struct Case {
    std::string body;
    int status;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"token=", 400, "paste your Relais token"},
      {"nothing=here", 400, "paste your Relais token"},
      {"token=not.a.jwt", 401, "Sign-in refused"},
      {"token=" + expired, 401, "Sign-in refused"},
      {"token=" + Token(Role::kDashboard, absl::Hours(1), &stranger), 401, "Sign-in refused"},
      {"token=" + Token(Role::kResponder), 403, "role responder may not see the boards"},
  };
  for (const Case& c : cases) {
    HttpResponse r = Post("/signin", c.body);
    EXPECT_EQ(r.status, c.status) << c.body.substr(0, 40);
    EXPECT_EQ(r.Header("set-cookie"), "") << c.body.substr(0, 40);
    EXPECT_THAT(r.body, ::testing::HasSubstr(c.says)) << c.body.substr(0, 40);
    EXPECT_THAT(r.body, ::testing::HasSubstr("data-testid=\"signin-error\""));
  }
  // A good token posted from another site's page (login CSRF) is refused too.
  HttpResponse cross =
      Post("/signin", "token=" + Token(Role::kDashboard), "", "https://evil.example");
  EXPECT_EQ(cross.status, 403);
  EXPECT_EQ(cross.Header("set-cookie"), "");
  // "null": a sandboxed frame, or another site's page with no-referrer.
  EXPECT_EQ(Post("/signin", "token=" + Token(Role::kDashboard), "", "null").status, 403);
  EXPECT_EQ(gateway_->sign_in()->sessions().size(), 0u);
  // Sign-in takes a form POST, nothing else.
  EXPECT_EQ(HttpsRequest(port_, ca_, "PUT", "/signin").status, 405);
}

TEST_F(GatewayHttpsTest, AGoodTokenGivesACookieThatOpensTheApiUntilSignOut) {
  HttpResponse r = Post("/signin", "token=" + Token(Role::kCoordinator), "", "https://127.0.0.1");
  ASSERT_EQ(r.status, 303) << r.body;
  const std::string set_cookie = r.Header("set-cookie");
  EXPECT_THAT(set_cookie, ::testing::StartsWith("__Host-relais_session="));
  for (const char* attribute : {"HttpOnly", "Secure", "SameSite=Strict", "Path=/"}) {
    EXPECT_THAT(set_cookie, ::testing::HasSubstr(attribute));
  }
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));

  HttpResponse crises = Get("/api/crises", cookie);
  ASSERT_EQ(crises.status, 200) << crises.body;
  json list = json::parse(crises.body, nullptr, false);
  ASSERT_EQ(list["crises"].size(), 1u);
  EXPECT_EQ(list["crises"][0]["id"], stack_.crisis_id);
  EXPECT_EQ(Get("/", cookie).status, 200);
  EXPECT_EQ(Get("/signin", cookie).status, 303) << "signed in: straight to the boards";
  // The feed opens too (read for a moment: a stream never ends by itself).
  HttpResponse feed = Get("/api/events", cookie, milliseconds(500));
  EXPECT_EQ(feed.status, 200);
  EXPECT_EQ(feed.Header("content-type"), "text/event-stream");
  EXPECT_THAT(feed.body, ::testing::HasSubstr("retry: 2000"));

  HttpResponse out = Post("/signout", "", cookie);
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(out.Header("location"), "/signin");
  EXPECT_THAT(out.Header("set-cookie"), ::testing::HasSubstr("Max-Age=0"));
  EXPECT_EQ(Get("/api/crises", cookie).status, 401);
  EXPECT_EQ(Get("/", cookie).status, 303);
}

TEST_F(GatewayHttpsTest, ASessionEndsWithItsToken) {
  const std::string cookie = SignIn(Token(Role::kDashboard, absl::Minutes(10)));
  EXPECT_EQ(Get("/api/crises", cookie).status, 200);
  clock_.Advance(absl::Minutes(10));
  EXPECT_EQ(Get("/api/crises", cookie).status, 401);
}

TEST_F(GatewayHttpsTest, AnOpenFeedEndsAtSignOut) {
  const std::string cookie = SignIn(Token(Role::kDashboard));
  HttpResponse feed;
  std::thread reader([&] { feed = Get("/api/events", cookie, milliseconds(20000)); });
  ASSERT_TRUE(WaitUntil([&] { return gateway_->open_streams() == 1; }));
  const absl::Time signed_out = absl::Now();
  EXPECT_EQ(Post("/signout", "", cookie).status, 303);
  reader.join();
  // Ended by the next keep-alive tick (100 ms here), long before the reader's 20 s.
  EXPECT_LT(absl::Now() - signed_out, absl::Seconds(10));
  EXPECT_EQ(feed.status, 200);
  EXPECT_EQ(gateway_->open_streams(), 0);
}

TEST_F(GatewayHttpsTest, TheSessionTableIsBounded) {
  gateway_.reset();
  sessions_.max_sessions = 2;
  StartGateway();
  const std::string first = SignIn(Token(Role::kDashboard));
  const std::string second = SignIn(Token(Role::kDashboard));
  const std::string third = SignIn(Token(Role::kDashboard));
  EXPECT_EQ(gateway_->sign_in()->sessions().size(), 2u);
  EXPECT_EQ(Get("/api/crises", first).status, 401) << "the oldest session made room";
  EXPECT_EQ(Get("/api/crises", second).status, 200);
  EXPECT_EQ(Get("/api/crises", third).status, 200);
}

TEST_F(GatewayHttpsTest, RefusesToStartInsecureOutsideDevelopment) {
  GatewayOptions plain = Options();
  plain.browser.tls = {};
  auto refused = GatewayServer::Start(plain);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), ::testing::HasSubstr("--http_tls_cert"));

  GatewayOptions open = Options();
  open.browser.token_public_key_pem.clear();
  refused = GatewayServer::Start(open);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), ::testing::HasSubstr("--token_public_key"));

  GatewayOptions half = Options();
  half.browser.tls.key_path.clear();
  refused = GatewayServer::Start(half);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);

  GatewayOptions wrong_key = Options();
  wrong_key.browser.tls.key_path = (dir_ / "stranger" / "gateway-key.pem").string();
  refused = GatewayServer::Start(wrong_key);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(), ::testing::HasSubstr("http_tls_key"));
}

}  // namespace
}  // namespace relais::gateway
