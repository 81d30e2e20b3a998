// The dashboard gateway's pure parts: SSE framing, routes and path checks, the HTTP status of
// each gRPC code, content types, and the places map (distances, bearings, no contact details).
#include <gtest/gtest.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "services/gateway/assets.h"
#include "services/gateway/dashboard_handler.h"
#include "services/gateway/places.h"
#include "services/gateway/routes.h"
#include "services/gateway/sse.h"

namespace relais::gateway {
namespace {

TEST(GatewaySse, FrameHasIdEventAndData) {
  EXPECT_EQ(SseFrame("1764576000000-0", "event", R"({"type":"X"})"),
            "id: 1764576000000-0\nevent: event\ndata: {\"type\":\"X\"}\n\n");
}

TEST(GatewaySse, MultiLineDataBecomesOneDataLinePerLine) {
  EXPECT_EQ(SseFrame("", "reset", "a\nb\r\nc"), "event: reset\ndata: a\ndata: b\ndata: c\n\n");
}

TEST(GatewaySse, NewlinesInIdOrEventCannotBreakTheFraming) {
  EXPECT_EQ(SseFrame("1-0\nevent: evil", "x\ny", "d"),
            "id: 1-0event: evil\nevent: xy\ndata: d\n\n");
  EXPECT_EQ(SseComment("a\nb"), ": ab\n\n");
}

TEST(GatewaySse, OpeningSetsTheReconnectDelay) {
  EXPECT_EQ(SseOpening(), "retry: 2000\n\n: open\n\n");
}

TEST(GatewayRoutes, KnownPaths) {
  auto board = ParseRoute("/api/crises/crs_01ABC/board");
  ASSERT_TRUE(board.ok()) << board.status();
  EXPECT_EQ(board->kind, RouteKind::kBoard);
  EXPECT_EQ(board->crisis_id, "crs_01ABC");
  EXPECT_EQ(ParseRoute("/")->kind, RouteKind::kIndex);
  EXPECT_EQ(ParseRoute("/healthz")->kind, RouteKind::kHealth);
  EXPECT_EQ(ParseRoute("/api/crises")->kind, RouteKind::kCrises);
  EXPECT_EQ(ParseRoute("/api/crises/c-1")->kind, RouteKind::kCrisis);
  EXPECT_EQ(ParseRoute("/api/crises/c-1/outreach")->kind, RouteKind::kOutreach);
  EXPECT_EQ(ParseRoute("/api/crises/c-1/assignments")->kind, RouteKind::kAssignments);
  EXPECT_EQ(ParseRoute("/api/crises/c-1/places")->kind, RouteKind::kPlaces);
  EXPECT_EQ(ParseRoute("/api/crises/c-1/events")->kind, RouteKind::kCrisisEvents);
  EXPECT_EQ(ParseRoute("/api/events")->kind, RouteKind::kAllEvents);
  auto asset = ParseRoute("/assets/app.js");
  ASSERT_TRUE(asset.ok());
  EXPECT_EQ(asset->kind, RouteKind::kAsset);
  EXPECT_EQ(asset->asset_name, "app.js");
}

TEST(GatewayRoutes, IdWithBadCharactersIsInvalidArgumentNamingTheField) {
  for (const char* path : {"/api/crises/a%20b/board", "/api/crises/<script>", "/api/crises/a\"b"}) {
    auto route = ParseRoute(path);
    ASSERT_FALSE(route.ok()) << path;
    EXPECT_EQ(route.status().code(), absl::StatusCode::kInvalidArgument) << path;
    EXPECT_TRUE(absl::StrContains(route.status().message(), "crisis_id")) << path;
    EXPECT_EQ(HttpStatusFor(route.status().code()), 400);
  }
  EXPECT_FALSE(ParseRoute("/api/crises/" + std::string(129, 'a')).ok());
}

TEST(GatewayRoutes, UnknownPathsAreNotFound) {
  for (const char* path : {"/api", "/api/crises/c-1/nope", "/api/crises/c-1/board/x",
                           "/assets/../secret", "/assets/.hidden.js", "/assets/noext",
                           "/assets/a.exe", "/etc/passwd", "/api/crises/c-1/"}) {
    auto route = ParseRoute(path);
    ASSERT_FALSE(route.ok()) << path;
    EXPECT_EQ(route.status().code(), absl::StatusCode::kNotFound) << path;
  }
}

TEST(GatewayRoutes, OnlyGetAndHeadExceptSignInAndOut) {
  EXPECT_TRUE(IsAllowedMethod(RouteKind::kBoard, "GET"));
  EXPECT_TRUE(IsAllowedMethod(RouteKind::kBoard, "HEAD"));
  for (const char* m : {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
    EXPECT_FALSE(IsAllowedMethod(RouteKind::kBoard, m));
    EXPECT_FALSE(IsAllowedMethod(RouteKind::kIndex, m));
  }
  EXPECT_TRUE(IsAllowedMethod(RouteKind::kSignIn, "POST"));
  EXPECT_TRUE(IsAllowedMethod(RouteKind::kSignIn, "GET"));
  EXPECT_FALSE(IsAllowedMethod(RouteKind::kSignIn, "PUT"));
  EXPECT_TRUE(IsAllowedMethod(RouteKind::kSignOut, "POST"));
  EXPECT_FALSE(IsAllowedMethod(RouteKind::kSignOut, "GET"));
  EXPECT_EQ(AllowedMethods(RouteKind::kSignOut), "POST");
  EXPECT_EQ(AllowedMethods(RouteKind::kCrises), "GET, HEAD");
}

TEST(GatewayRoutes, SignInAndOutAreNotApi) {
  auto in = ParseRoute("/signin");
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in->kind, RouteKind::kSignIn);
  EXPECT_FALSE(IsApi(in->kind));
  auto out = ParseRoute("/signout");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->kind, RouteKind::kSignOut);
}

TEST(GatewayRoutes, StatusMapping) {
  using C = absl::StatusCode;
  EXPECT_EQ(HttpStatusFor(C::kOk), 200);
  EXPECT_EQ(HttpStatusFor(C::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(C::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(C::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusFor(C::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusFor(C::kFailedPrecondition), 409);
  EXPECT_EQ(HttpStatusFor(C::kResourceExhausted), 429);
  EXPECT_EQ(HttpStatusFor(C::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(C::kDeadlineExceeded), 503);
  EXPECT_EQ(HttpStatusFor(C::kInternal), 500);
  EXPECT_EQ(HttpStatusFor(C::kAborted), 500);
}

TEST(GatewayRoutes, ErrorBodyUsesTheGrpcCodeName) {
  EXPECT_EQ(ErrorJson(absl::NotFoundError("crisis c-1 \"x\"")),
            R"({"code":"NOT_FOUND","message":"crisis c-1 \"x\""})");
  EXPECT_EQ(ErrorJson(absl::InvalidArgumentError("a")),
            R"({"code":"INVALID_ARGUMENT","message":"a"})");
  EXPECT_EQ(ErrorJson(absl::OutOfRangeError("old")), R"({"code":"OUT_OF_RANGE","message":"old"})");
  EXPECT_EQ(ErrorJson(absl::DeadlineExceededError("t")),
            R"({"code":"DEADLINE_EXCEEDED","message":"t"})");
}

TEST(GatewayRoutes, ResumeCursorPrefersLastEventId) {
  EXPECT_EQ(*ResumeCursor("5-1", "3-0"), "5-1");
  EXPECT_EQ(*ResumeCursor("", "3-0"), "3-0");
  EXPECT_EQ(*ResumeCursor("", ""), "");
  auto bad = ResumeCursor("", "3-0; DROP");
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(absl::StrContains(bad.status().message(), "cursor"));
  EXPECT_FALSE(ResumeCursor("abc", "").ok());
  // Each number fits in 64 bits, as the mobilisation service reads it (found with tests/fuzz).
  EXPECT_TRUE(ResumeCursor("18446744073709551615-18446744073709551615", "").ok());
  EXPECT_FALSE(ResumeCursor("18446744073709551616-0", "").ok());
  EXPECT_FALSE(ResumeCursor("", "0-99999999999999999999").ok());
}

TEST(GatewayRoutes, QueryValueDecodesOneParameter) {
  EXPECT_EQ(QueryValue("cursor=5-1&x=y", "cursor"), "5-1");
  EXPECT_EQ(QueryValue("x=y&cursor=5%2D1", "cursor"), "5-1");
  EXPECT_EQ(QueryValue("x=y", "cursor"), "");
  EXPECT_EQ(QueryValue("", "cursor"), "");
  // libevent refuses a query with a parameter without '=' as a whole.
  EXPECT_EQ(QueryValue("flag&cursor=5-1", "cursor"), "");
}

TEST(GatewayRoutes, ContentTypes) {
  EXPECT_EQ(ContentTypeFor("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("app.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("logo.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("a.png"), "image/png");
  EXPECT_EQ(ContentTypeFor("fr.json"), "application/json");
  EXPECT_EQ(ContentTypeFor("favicon.ico"), "image/x-icon");
  EXPECT_EQ(ContentTypeFor("font.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("x.exe"), "");
  EXPECT_EQ(ContentTypeFor("Makefile"), "");
}

TEST(GatewayAssets, IndexIsEmbedded) {
  const Asset* index = FindAsset("index.html");
  ASSERT_NE(index, nullptr);
  EXPECT_NE(index->data.find("<"), std::string_view::npos);
  EXPECT_EQ(FindAsset("missing.js"), nullptr);
}

TEST(GatewayJson, ProtobufMappingWithEveryField) {
  v1::DashboardPlaces places;
  places.set_crisis_id("c-1");
  places.set_scope(v1::SCOPE_LOCAL);
  std::string json = ToJson(places);
  EXPECT_TRUE(absl::StrContains(json, R"("crisisId":"c-1")")) << json;
  EXPECT_TRUE(absl::StrContains(json, R"("scope":"SCOPE_LOCAL")")) << json;
  EXPECT_TRUE(absl::StrContains(json, R"("radiusKm":0)")) << json;
}

// Lyon (place Bellecour) and Villeurbanne's centre.
constexpr double kLyonLat = 45.7578, kLyonLon = 4.8320;
constexpr double kVilleurbanneLat = 45.7719, kVilleurbanneLon = 4.8902;

TEST(GatewayPlaces, DistanceLyonToVilleurbanneIsAboutFiveKm) {
  double km = DistanceKm(kLyonLat, kLyonLon, kVilleurbanneLat, kVilleurbanneLon);
  EXPECT_NEAR(km, 4.8, 0.3);
  EXPECT_NEAR(DistanceKm(kLyonLat, kLyonLon, kLyonLat, kLyonLon), 0.0, 1e-9);
  // Lyon -> Paris (Notre-Dame), about 392 km.
  EXPECT_NEAR(DistanceKm(kLyonLat, kLyonLon, 48.8530, 2.3499), 392, 5);
}

TEST(GatewayPlaces, Bearing) {
  // Villeurbanne lies east-north-east of Bellecour.
  double bearing = BearingDeg(kLyonLat, kLyonLon, kVilleurbanneLat, kVilleurbanneLon);
  EXPECT_GT(bearing, 60);
  EXPECT_LT(bearing, 80);
  EXPECT_NEAR(BearingDeg(45, 4, 46, 4), 0, 1e-6);    // north
  EXPECT_NEAR(BearingDeg(45, 4, 44, 4), 180, 1e-6);  // south
  EXPECT_NEAR(BearingDeg(0, 4, 0, 3), 270, 1e-6);    // west
  double west_north = BearingDeg(45, 4, 45.1, 3.9);
  EXPECT_GT(west_north, 270);
  EXPECT_LT(west_north, 360);
}

TEST(GatewayPlaces, ComposesPeopleNearestFirstWithoutContacts) {
  PlacesInput in;
  in.crisis.set_id("c-1");
  in.crisis.set_scope(v1::CRISIS_SCOPE_LOCAL);
  in.crisis.mutable_area()->mutable_center()->set_lat(kLyonLat);
  in.crisis.mutable_area()->mutable_center()->set_lon(kLyonLon);
  in.crisis.mutable_area()->set_radius_km(15);

  v1::MobilisationRequest near, far, team, line;
  near.set_responder_id("rsp-near");
  near.set_organisation_id("org-1");
  far.set_responder_id("rsp-far");
  far.set_organisation_id("org-1");
  team.set_team_id("team-1");
  team.set_organisation_id("org-2");
  line.set_stock_line_id("stk-1");
  line.set_organisation_id("org-2");
  v1::Assignment assigned;
  assigned.set_responder_id("rsp-far");
  in.wanted = WantedFor({near, far, team, line}, {assigned});
  EXPECT_EQ(in.wanted.responder_ids.size(), 2u);
  EXPECT_EQ(in.wanted.organisation_ids.size(), 2u);

  v1::Responder r_far;
  r_far.set_id("rsp-far");
  r_far.set_display_name("Loin");
  r_far.set_organisation_id("org-1");
  r_far.mutable_home_base()->set_lat(45.0);
  r_far.mutable_home_base()->set_lon(4.8);
  r_far.add_contacts()->set_address("far@example.org");
  v1::Responder r_near = r_far;
  r_near.set_id("rsp-near");
  r_near.set_display_name("Près");
  r_near.mutable_home_base()->set_lat(kVilleurbanneLat);
  r_near.mutable_home_base()->set_lon(kVilleurbanneLon);
  v1::Responder stranger = r_near;
  stranger.set_id("rsp-stranger");  // not asked in this crisis: left out
  in.responders = {r_far, r_near, stranger};

  v1::Organisation o1, o3;
  o1.set_id("org-1");
  o1.set_name("Croix-Rouge");
  o1.set_commune("Lyon 7e");
  o3.set_id("org-3");
  in.organisations = {o1, o3};
  v1::Warehouse w;
  w.set_id("whs-1");
  w.set_organisation_id("org-2");
  w.mutable_location()->set_lat(kVilleurbanneLat);
  w.mutable_location()->set_lon(kVilleurbanneLon);
  v1::Warehouse other = w;
  other.set_id("whs-other");
  other.set_organisation_id("org-3");
  in.warehouses = {w, other};
  v1::Team t;
  t.set_id("team-1");
  t.set_name("Équipe 1");
  t.set_organisation_id("org-2");
  in.teams = {t};
  v1::StockLine l1, l2;
  l1.set_id("stk-1");
  l1.set_item_code("water-1l");
  l1.set_lot("L1");
  l1.set_warehouse_id("whs-1");
  l1.set_organisation_id("org-2");
  l2 = l1;
  l2.set_id("stk-2");
  in.stock_lines = {l1, l2};

  v1::DashboardPlaces places = ComposePlaces(in);
  EXPECT_EQ(places.scope(), v1::SCOPE_LOCAL);
  EXPECT_DOUBLE_EQ(places.center().latitude(), kLyonLat);
  EXPECT_DOUBLE_EQ(places.radius_km(), 15);
  ASSERT_EQ(places.people_size(), 2);
  EXPECT_EQ(places.people(0).responder_id(), "rsp-near");
  EXPECT_NEAR(places.people(0).distance_km(), 4.8, 0.3);
  EXPECT_GT(places.people(0).bearing_deg(), 60);
  EXPECT_EQ(places.people(1).responder_id(), "rsp-far");
  EXPECT_NEAR(places.people(1).bearing_deg(), 180, 5);
  ASSERT_EQ(places.organisations_size(), 1);
  EXPECT_EQ(places.organisations(0).commune(), "Lyon 7e");
  ASSERT_EQ(places.warehouses_size(), 1);
  EXPECT_EQ(places.warehouses(0).id(), "whs-1");
  EXPECT_NEAR(places.warehouses(0).distance_km(), 4.8, 0.3);
  ASSERT_EQ(places.teams_size(), 1);
  ASSERT_EQ(places.stock_lines_size(), 1);
  EXPECT_EQ(places.stock_lines(0).stock_line_id(), "stk-1");
  const std::string json = ToJson(places);
  EXPECT_FALSE(absl::StrContains(json, "example.org")) << json;
  EXPECT_FALSE(absl::StrContains(json, "contacts")) << json;
  EXPECT_FALSE(absl::StrContains(json, "homeBase")) << json;
}

}  // namespace
}  // namespace relais::gateway
