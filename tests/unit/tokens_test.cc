// Signed tokens: what is accepted, and every way a token must be refused (forged, expired,
// wrongly signed, "none" and HMAC algorithms, missing claims).
#include "services/runtime/tokens.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <jwt.h>

#include <cstdlib>
#include <string>

#include "absl/strings/str_split.h"
#include "services/runtime/clock.h"
#include "services/runtime/token_auth.h"
#include "tests/support/test_keys.h"

namespace relais {
namespace {

using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1798000000);  // 2026-12-23

Principal OsiAdmin() { return Principal{"osi-hi-1", Role::kOsiAdmin, "org_000002", ""}; }

class TokensTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    keys_ = new testing::KeyPair(testing::MakeEcKeyPair());
    other_keys_ = new testing::KeyPair(testing::MakeEcKeyPair());
  }
  static void TearDownTestSuite() {
    delete keys_;
    delete other_keys_;
  }

  std::string Issue(const Principal& p, absl::Duration lifetime = absl::Hours(12)) {
    auto token = IssueToken(keys_->private_pem, p, kNow, lifetime, "tok-1");
    EXPECT_TRUE(token.ok()) << token.status();
    return token.ok() ? *token : "";
  }

  // A token signed by hand with libjwt: `alg` and `key` chosen by the attacker.
  static std::string Forge(jwt_alg_t alg, const std::string& key, const std::string& claims_json) {
    jwt_t* jwt = nullptr;
    jwt_new(&jwt);
    jwt_add_grants_json(jwt, claims_json.c_str());
    jwt_set_alg(jwt, alg,
                key.empty() ? nullptr : reinterpret_cast<const unsigned char*>(key.data()),
                static_cast<int>(key.size()));
    char* text = jwt_encode_str(jwt);
    std::string token = text == nullptr ? "" : text;
    std::free(text);
    jwt_free(jwt);
    return token;
  }

  static std::string Claims(const std::string& role = "admin") {
    return R"({"iss":"relais","aud":"relais","sub":"mallory","role":")" + role +
           R"(","iat":1797990000,"exp":1798090000,"jti":"x"})";
  }

  static testing::KeyPair* keys_;
  static testing::KeyPair* other_keys_;
};

testing::KeyPair* TokensTest::keys_ = nullptr;
testing::KeyPair* TokensTest::other_keys_ = nullptr;

TEST_F(TokensTest, AnIssuedTokenNamesItsPrincipal) {
  const std::string token = Issue(Principal{"resp-7", Role::kResponder, "org_000001", "rsp_42"});
  auto verified = VerifyToken(keys_->public_pem, token, kNow + absl::Hours(1));
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->principal.id, "resp-7");
  EXPECT_EQ(verified->principal.role, Role::kResponder);
  EXPECT_EQ(verified->principal.organisation_id, "org_000001");
  EXPECT_EQ(verified->principal.responder_id, "rsp_42");
  EXPECT_EQ(verified->expires, kNow + absl::Hours(12));
  EXPECT_EQ(verified->token_id, "tok-1");
}

TEST_F(TokensTest, ExpiredIsRefusedAfterTheLeewayOnly) {
  const std::string token = Issue(OsiAdmin(), absl::Hours(1));
  EXPECT_TRUE(
      VerifyToken(keys_->public_pem, token, kNow + absl::Hours(1) + absl::Seconds(29)).ok());
  auto late = VerifyToken(keys_->public_pem, token, kNow + absl::Hours(1) + absl::Seconds(30));
  EXPECT_EQ(late.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(late.status().message()), HasSubstr("expired"));
}

TEST_F(TokensTest, IssuedInTheFutureIsRefused) {
  const std::string token = Issue(OsiAdmin());
  auto early = VerifyToken(keys_->public_pem, token, kNow - absl::Minutes(5));
  EXPECT_EQ(early.status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(TokensTest, AnotherKeysSignatureIsRefused) {
  const std::string token = Issue(OsiAdmin());
  auto verified = VerifyToken(other_keys_->public_pem, token, kNow);
  EXPECT_EQ(verified.status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(TokensTest, ATamperedPayloadIsRefused) {
  const std::string token = Issue(OsiAdmin());
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  ASSERT_EQ(parts.size(), 3u);
  // The payload of an admin token with the original signature.
  const std::string admin = Issue(Principal{"osi-hi-1", Role::kAdmin, "org_000002", ""});
  std::vector<std::string> admin_parts = absl::StrSplit(admin, '.');
  const std::string spliced = parts[0] + "." + admin_parts[1] + "." + parts[2];
  EXPECT_EQ(VerifyToken(keys_->public_pem, spliced, kNow).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(TokensTest, TheNoneAlgorithmIsRefused) {
  const std::string token = Forge(JWT_ALG_NONE, "", Claims());
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(VerifyToken(keys_->public_pem, token, kNow).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(TokensTest, AnHmacTokenKeyedWithThePublicKeyIsRefused) {
  // The classic confusion: the public key is public, so an HS256 token "signed" with it must
  // never pass.
  const std::string token = Forge(JWT_ALG_HS256, keys_->public_pem, Claims());
  ASSERT_FALSE(token.empty());
  auto verified = VerifyToken(keys_->public_pem, token, kNow);
  EXPECT_EQ(verified.status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(TokensTest, MissingOrWrongClaimsAreRefused) {
  for (
      const std::string& claims : {
          std::string(
              R"({"iss":"relais","aud":"relais","sub":"m","role":"admin","iat":1797990000,"jti":"x"})"),
          std::string(
              R"({"iss":"relais","aud":"relais","sub":"m","role":"admin","exp":1798090000,"jti":"x"})"),
          std::string(
              R"({"iss":"other","aud":"relais","sub":"m","role":"admin","iat":1797990000,"exp":1798090000})"),
          std::string(
              R"({"iss":"relais","aud":"other","sub":"m","role":"admin","iat":1797990000,"exp":1798090000})"),
          std::string(
              R"({"iss":"relais","aud":"relais","sub":"m","role":"root","iat":1797990000,"exp":1798090000})"),
          std::string(
              R"({"iss":"relais","aud":"relais","role":"admin","iat":1797990000,"exp":1798090000})"),
          std::string(
              R"({"iss":"relais","aud":"relais","sub":"m","role":"responder","org":"o","iat":1797990000,"exp":1798090000})"),
          std::string(
              R"({"iss":"relais","aud":"relais","sub":"m n","role":"admin","iat":1797990000,"exp":1798090000})"),
      }) {
    const std::string token = Forge(JWT_ALG_ES256, keys_->private_pem, claims);
    ASSERT_FALSE(token.empty()) << claims;
    EXPECT_EQ(VerifyToken(keys_->public_pem, token, kNow).status().code(),
              absl::StatusCode::kUnauthenticated)
        << claims;
  }
  // The same signer with well-formed claims passes: the refusals above are about the claims.
  EXPECT_TRUE(
      VerifyToken(keys_->public_pem, Forge(JWT_ALG_ES256, keys_->private_pem, Claims()), kNow)
          .ok());
}

TEST_F(TokensTest, GarbageIsRefusedWithoutEchoingIt) {
  for (const std::string& token :
       {std::string(""), std::string("abc"), std::string("a.b.c"), std::string("a.b.c.d"),
        std::string("secret$$.x.y"), std::string(5000, 'a')}) {
    auto verified = VerifyToken(keys_->public_pem, token, kNow);
    EXPECT_EQ(verified.status().code(), absl::StatusCode::kUnauthenticated) << token;
    if (token.size() > 3) {
      EXPECT_THAT(std::string(verified.status().message()), ::testing::Not(HasSubstr(token)));
    }
  }
}

TEST_F(TokensTest, IssuingChecksTheSubjectAndTheLifetime) {
  auto no_org = IssueToken(keys_->private_pem, Principal{"r", Role::kResponder, "", "rsp_1"}, kNow,
                           absl::Hours(1), "t");
  EXPECT_EQ(no_org.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(no_org.status().message()), HasSubstr("org"));
  auto no_rsp = IssueToken(keys_->private_pem, Principal{"r", Role::kResponder, "org_1", ""}, kNow,
                           absl::Hours(1), "t");
  EXPECT_THAT(std::string(no_rsp.status().message()), HasSubstr("rsp"));
  auto too_long = IssueToken(keys_->private_pem, OsiAdmin(), kNow, absl::Hours(24 * 91), "t");
  EXPECT_THAT(std::string(too_long.status().message()), HasSubstr("lifetime"));
  auto bad_key = IssueToken(keys_->public_pem, OsiAdmin(), kNow, absl::Hours(1), "t");
  EXPECT_EQ(bad_key.status().code(), absl::StatusCode::kInvalidArgument);
}

class FixedClock final : public Clock {
 public:
  absl::Time Now() const override { return now; }
  absl::Time now = kNow;
};

TEST_F(TokensTest, TheResolverRemembersATokenOnlyUntilItExpires) {
  FixedClock clock;
  TokenPrincipalResolver resolver(keys_->public_pem, clock, false, /*cache_size=*/2);
  const std::string token = Issue(OsiAdmin(), absl::Minutes(10));
  ASSERT_TRUE(resolver.ResolveToken(token).ok());
  ASSERT_TRUE(resolver.ResolveToken(token).ok());  // from the cache
  clock.now = kNow + absl::Minutes(11);
  EXPECT_EQ(resolver.ResolveToken(token).status().code(), absl::StatusCode::kUnauthenticated);
  // Three distinct tokens through a cache of two: all still verified correctly.
  clock.now = kNow;
  for (int i = 0; i < 3; ++i) {
    auto p = resolver.ResolveToken(
        Issue(Principal{"c-" + std::to_string(i), Role::kCoordinator, "", ""}));
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->id, "c-" + std::to_string(i));
  }
}

TEST(MakePrincipalResolver, RefusesToStartWithoutAWayToAuthenticate) {
  FixedClock clock;
  ServerOptions options;
  auto none = MakePrincipalResolver(options, clock);
  EXPECT_EQ(none.status().code(), absl::StatusCode::kFailedPrecondition);
  options.token_public_key_path = "/nonexistent/key.pem";
  EXPECT_EQ(MakePrincipalResolver(options, clock).status().code(),
            absl::StatusCode::kFailedPrecondition);
  options.token_public_key_path.clear();
  options.insecure_dev_identity = true;
  auto dev = MakePrincipalResolver(options, clock);
  ASSERT_TRUE(dev.ok());
  EXPECT_NE(dynamic_cast<DevHeaderPrincipalResolver*>(dev->get()), nullptr);
}

}  // namespace
}  // namespace relais
