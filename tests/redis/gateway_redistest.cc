// The dashboard gateway against the three real services (MobilisationStack: one redis-server,
// FakeClock) over plain HTTP: the page, the JSON snapshots, the places map without contact
// details, the SSE feed with resume, read-only methods, errors, a service down, and 200 open
// streams.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <set>
#include <string>
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
#include "tests/support/mobilisation_stack.h"

namespace relais::gateway {
namespace {

using ::relais::gateway::testing::HttpGet;
using ::relais::gateway::testing::HttpRequest;
using ::relais::gateway::testing::HttpResponse;
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

}  // namespace
}  // namespace relais::gateway
