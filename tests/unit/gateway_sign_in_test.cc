// The dashboard's browser sign-in without a server: the session table (random ids, expiry with
// the token, sign-out, a bounded table) and the token check (forged, expired, wrong role), all on
// a FakeClock: time moves by Advance(), never by sleeping.
#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "services/gateway/sessions.h"
#include "services/gateway/sign_in.h"
#include "services/runtime/clock.h"
#include "services/runtime/tokens.h"
#include "tests/support/test_keys.h"

namespace relais::gateway {
namespace {

Principal Viewer(Role role = Role::kDashboard) {
  Principal p;
  p.id = "wall-screen-1";
  p.role = role;
  if (role == Role::kResponder || role == Role::kOsiAdmin) p.organisation_id = "org-1";
  if (role == Role::kResponder) p.responder_id = "rsp-1";
  return p;
}

TEST(GatewaySessions, IdsAre256BitHexAndNeverRepeat) {
  FakeClock clock;
  SessionTable table(clock);
  std::set<std::string> ids;
  for (int i = 0; i < 100; ++i) {
    auto id = table.Create(Viewer(), clock.Now() + absl::Hours(1));
    ASSERT_TRUE(id.ok()) << id.status();
    EXPECT_TRUE(IsSessionId(*id)) << *id;
    ids.insert(*id);
  }
  EXPECT_EQ(ids.size(), 100u);
  EXPECT_EQ(table.size(), 100u);
}

TEST(GatewaySessions, FindsItsSessionUntilTheTokenExpires) {
  FakeClock clock;
  SessionTable table(clock);
  auto id = table.Create(Viewer(), clock.Now() + absl::Minutes(10));
  ASSERT_TRUE(id.ok());
  auto found = table.Find(*id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->principal.id, "wall-screen-1");
  EXPECT_EQ(found->expires, clock.Now() + absl::Minutes(10));
  clock.Advance(absl::Minutes(10) - absl::Seconds(1));
  EXPECT_TRUE(table.Find(*id).has_value());
  clock.Advance(absl::Seconds(1));
  EXPECT_FALSE(table.Find(*id).has_value());
  EXPECT_EQ(table.size(), 0u) << "an expired session is forgotten when seen";
}

TEST(GatewaySessions, ALongTokenGivesAtMostTheMaximumLifetime) {
  FakeClock clock;
  SessionTable table(clock, {.max_sessions = 10, .max_lifetime = absl::Hours(12)});
  auto id = table.Create(Viewer(), clock.Now() + absl::Hours(24 * 30));
  ASSERT_TRUE(id.ok());
  clock.Advance(absl::Hours(12));
  EXPECT_FALSE(table.Find(*id).has_value());
}

TEST(GatewaySessions, AnExpiredTokenOpensNoSession) {
  FakeClock clock;
  SessionTable table(clock);
  auto id = table.Create(Viewer(), clock.Now());
  EXPECT_EQ(id.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(table.size(), 0u);
}

TEST(GatewaySessions, SignOutEndsOnlyThatSession) {
  FakeClock clock;
  SessionTable table(clock);
  auto a = table.Create(Viewer(), clock.Now() + absl::Hours(1));
  auto b = table.Create(Viewer(), clock.Now() + absl::Hours(1));
  ASSERT_TRUE(a.ok() && b.ok());
  table.End(*a);
  EXPECT_FALSE(table.Find(*a).has_value());
  EXPECT_TRUE(table.Find(*b).has_value());
  table.End("not-a-session");  // nothing happens
  EXPECT_EQ(table.size(), 1u);
}

TEST(GatewaySessions, UnknownOrMalformedIdsFindNothing) {
  FakeClock clock;
  SessionTable table(clock);
  auto id = table.Create(Viewer(), clock.Now() + absl::Hours(1));
  ASSERT_TRUE(id.ok());
  std::string other = *id;
  other[0] = other[0] == 'a' ? 'b' : 'a';
  EXPECT_FALSE(table.Find(other).has_value());
  EXPECT_FALSE(table.Find("").has_value());
  EXPECT_FALSE(table.Find(id->substr(0, 63)).has_value());
  std::string upper = *id;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper != *id) {
    EXPECT_FALSE(table.Find(upper).has_value());
  }
}

TEST(GatewaySessions, AFullTableDropsExpiredThenOldestSessions) {
  FakeClock clock;
  SessionTable table(clock, {.max_sessions = 3, .max_lifetime = absl::Hours(12)});
  auto short_lived = table.Create(Viewer(), clock.Now() + absl::Minutes(1));
  auto first = table.Create(Viewer(), clock.Now() + absl::Hours(1));
  auto second = table.Create(Viewer(), clock.Now() + absl::Hours(1));
  ASSERT_TRUE(short_lived.ok() && first.ok() && second.ok());
  clock.Advance(absl::Minutes(2));
  // Full: the expired one goes, the live ones stay.
  auto third = table.Create(Viewer(), clock.Now() + absl::Hours(1));
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(table.size(), 3u);
  EXPECT_TRUE(table.Find(*first).has_value());
  // Full of live sessions: the oldest goes.
  auto fourth = table.Create(Viewer(), clock.Now() + absl::Hours(1));
  ASSERT_TRUE(fourth.ok());
  EXPECT_EQ(table.size(), 3u);
  EXPECT_FALSE(table.Find(*first).has_value());
  EXPECT_TRUE(table.Find(*second).has_value());
  EXPECT_TRUE(table.Find(*third).has_value());
  EXPECT_TRUE(table.Find(*fourth).has_value());
  for (int i = 0; i < 50; ++i)
    ASSERT_TRUE(table.Create(Viewer(), clock.Now() + absl::Hours(1)).ok());
  EXPECT_EQ(table.size(), 3u);
}

class GatewaySignIn : public ::testing::Test {
 protected:
  std::string Token(const Principal& principal, absl::Duration lifetime = absl::Hours(1),
                    const testing::KeyPair* keys = nullptr) {
    auto token = IssueToken((keys != nullptr ? *keys : keys_).private_pem, principal, clock_.Now(),
                            lifetime, "t-1");
    EXPECT_TRUE(token.ok()) << token.status();
    return token.value_or("");
  }

  testing::KeyPair keys_ = testing::MakeEcKeyPair();
  FakeClock clock_;
  BrowserSignIn sign_in_{keys_.public_pem, clock_, /*secure=*/true};
};

TEST_F(GatewaySignIn, AGoodTokenGivesAStrictHttpOnlySecureCookie) {
  auto cookie = sign_in_.SignIn(Token(Viewer(), absl::Minutes(30)));
  ASSERT_TRUE(cookie.ok()) << cookie.status();
  EXPECT_TRUE(absl::StartsWith(*cookie, "__Host-relais_session=")) << *cookie;
  for (const char* attribute :
       {"; Path=/", "; HttpOnly", "; SameSite=Strict", "; Secure", "; Max-Age=1800"}) {
    EXPECT_TRUE(absl::StrContains(*cookie, attribute)) << attribute << " in " << *cookie;
  }
  const std::string header = "theme=dark; " + cookie->substr(0, cookie->find(';'));
  auto session = sign_in_.SessionOf(header);
  ASSERT_TRUE(session.has_value());
  EXPECT_EQ(session->principal.role, Role::kDashboard);
}

TEST_F(GatewaySignIn, CoordinatorsAndAdminsMaySignInOtherRolesMayNot) {
  EXPECT_TRUE(sign_in_.SignIn(Token(Viewer(Role::kCoordinator))).ok());
  EXPECT_TRUE(sign_in_.SignIn(Token(Viewer(Role::kAdmin))).ok());
  for (Role role : {Role::kResponder, Role::kOsiAdmin, Role::kService}) {
    auto refused = sign_in_.SignIn(Token(Viewer(role)));
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied) << RoleName(role);
    EXPECT_TRUE(absl::StrContains(refused.status().message(), std::string(RoleName(role))));
  }
  EXPECT_EQ(sign_in_.sessions().size(), 2u);
}

TEST_F(GatewaySignIn, ExpiredForgedAndMalformedTokensAreRefused) {
  const std::string expired = Token(Viewer(), absl::Minutes(5));
  clock_.Advance(absl::Minutes(10));
  auto late = sign_in_.SignIn(expired);
  EXPECT_EQ(late.status().code(), absl::StatusCode::kUnauthenticated) << late.status();

  const testing::KeyPair stranger = testing::MakeEcKeyPair();
  auto forged = sign_in_.SignIn(Token(Viewer(), absl::Hours(1), &stranger));
  EXPECT_EQ(forged.status().code(), absl::StatusCode::kUnauthenticated) << forged.status();

  std::string tampered = Token(Viewer());
  tampered[tampered.find('.') + 3] ^= 1;  // one bit of the claims
  EXPECT_EQ(sign_in_.SignIn(tampered).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(sign_in_.SignIn("not.a.token").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(sign_in_.SignIn("  \r\n").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(sign_in_.SignIn(std::string(kMaxTokenBytes + 1, 'a')).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(sign_in_.sessions().size(), 0u);
}

TEST_F(GatewaySignIn, ATokenPastedWithSpacesStillWorks) {
  EXPECT_TRUE(sign_in_.SignIn("\r\n  " + Token(Viewer()) + "\r\n").ok());
}

TEST_F(GatewaySignIn, SignOutEndsTheSessionAndClearsTheCookie) {
  auto cookie = sign_in_.SignIn(Token(Viewer()));
  ASSERT_TRUE(cookie.ok());
  const std::string header = cookie->substr(0, cookie->find(';'));
  const std::string cleared = sign_in_.SignOut(header);
  EXPECT_TRUE(absl::StartsWith(cleared, "__Host-relais_session=;")) << cleared;
  EXPECT_TRUE(absl::StrContains(cleared, "Max-Age=0")) << cleared;
  EXPECT_FALSE(sign_in_.SessionOf(header).has_value());
}

TEST(GatewaySignInPlain, WithoutHttpsTheCookieIsNotSecure) {
  testing::KeyPair keys = testing::MakeEcKeyPair();
  FakeClock clock;
  BrowserSignIn sign_in(keys.public_pem, clock, /*secure=*/false);
  auto token = IssueToken(keys.private_pem, Viewer(), clock.Now(), absl::Hours(1), "t-1");
  ASSERT_TRUE(token.ok());
  auto cookie = sign_in.SignIn(*token);
  ASSERT_TRUE(cookie.ok());
  EXPECT_TRUE(absl::StartsWith(*cookie, "relais_session=")) << *cookie;
  EXPECT_FALSE(absl::StrContains(*cookie, "Secure")) << *cookie;
}

TEST(GatewaySignInParts, CookieValueFindsItsCookieOnly) {
  EXPECT_EQ(CookieValue("a=1; relais_session=abc; b=2", "relais_session"), "abc");
  EXPECT_EQ(CookieValue("xrelais_session=abc", "relais_session"), "");
  EXPECT_EQ(CookieValue("", "relais_session"), "");
  EXPECT_EQ(CookieValue("relais_session", "relais_session"), "");
}

TEST(GatewaySignInParts, SameOriginOnlyForThisHost) {
  EXPECT_TRUE(IsSameOrigin("", "127.0.0.1:8443", true));
  EXPECT_TRUE(IsSameOrigin("https://127.0.0.1:8443", "127.0.0.1:8443", true));
  EXPECT_FALSE(IsSameOrigin("http://127.0.0.1:8443", "127.0.0.1:8443", true));
  EXPECT_FALSE(IsSameOrigin("https://evil.example", "127.0.0.1:8443", true));
  EXPECT_FALSE(IsSameOrigin("null", "127.0.0.1:8443", true));
}

TEST(GatewaySignInParts, ThePageEscapesItsMessage) {
  const std::string page = SignInPage("<script>alert(1)</script>");
  EXPECT_TRUE(absl::StrContains(page, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_FALSE(absl::StrContains(page, "<script>alert"));
  EXPECT_TRUE(absl::StrContains(page, "action=\"/signin\""));
  EXPECT_FALSE(absl::StrContains(SignInPage(""), "signin-error"));
}

}  // namespace
}  // namespace relais::gateway
