#include "services/runtime/tokens.h"

#include <jwt.h>

#include <cerrno>
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace relais {
namespace {

constexpr char kIssuer[] = "relais";
constexpr char kAudience[] = "relais";

struct JwtFree {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtFree>;

absl::Status CheckId(std::string_view value, const char* claim, bool required) {
  if (value.empty()) {
    if (!required) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat(claim, ": required"));
  }
  if (value.size() > 128) {
    return absl::InvalidArgumentError(absl::StrCat(claim, ": longer than 128 characters"));
  }
  if (!IsPrincipalId(value)) {
    return absl::InvalidArgumentError(
        absl::StrCat(claim, ": only letters, digits and . _ : - are allowed"));
  }
  return absl::OkStatus();
}

// A string claim, or "" when absent (libjwt returns NULL for a missing or non-string grant).
std::string Grant(jwt_t* jwt, const char* name) {
  const char* value = jwt_get_grant(jwt, name);
  return value == nullptr ? std::string() : std::string(value);
}

// A numeric claim; false when absent or not a number.
bool IntGrant(jwt_t* jwt, const char* name, long* out) {
  errno = 0;
  long value = jwt_get_grant_int(jwt, name);
  if (errno != 0) return false;
  *out = value;
  return true;
}

absl::Status Unauthenticated(const std::string& reason) {
  return absl::UnauthenticatedError(absl::StrCat("token: ", reason));
}

}  // namespace

absl::Status ValidateTokenSubject(const Principal& p) {
  if (auto s = CheckId(p.id, "sub", true); !s.ok()) return s;
  const bool needs_org = p.role == Role::kOsiAdmin || p.role == Role::kResponder;
  if (auto s = CheckId(p.organisation_id, "org", needs_org); !s.ok()) return s;
  if (auto s = CheckId(p.responder_id, "rsp", p.role == Role::kResponder); !s.ok()) return s;
  if (p.role != Role::kResponder && !p.responder_id.empty()) {
    return absl::InvalidArgumentError("rsp: only a responder's token names a responder");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> IssueToken(std::string_view private_key_pem, const Principal& principal,
                                       absl::Time now, absl::Duration lifetime,
                                       std::string_view token_id) {
  if (auto s = ValidateTokenSubject(principal); !s.ok()) return s;
  if (lifetime <= absl::ZeroDuration() || lifetime > kMaxTokenLifetime) {
    return absl::InvalidArgumentError(absl::StrCat("lifetime: must be more than 0 and at most ",
                                                   absl::FormatDuration(kMaxTokenLifetime),
                                                   ", got ", absl::FormatDuration(lifetime)));
  }
  if (auto s = CheckId(token_id, "jti", true); !s.ok()) return s;
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return absl::ResourceExhaustedError("token: out of memory");
  JwtPtr jwt(raw);
  const long iat = static_cast<long>(absl::ToUnixSeconds(now));
  const long exp = static_cast<long>(absl::ToUnixSeconds(now + lifetime));
  const std::string role(RoleName(principal.role));
  const std::string jti(token_id);
  int rc = 0;
  rc |= jwt_add_grant(jwt.get(), "iss", kIssuer);
  rc |= jwt_add_grant(jwt.get(), "aud", kAudience);
  rc |= jwt_add_grant(jwt.get(), "sub", principal.id.c_str());
  rc |= jwt_add_grant(jwt.get(), "role", role.c_str());
  if (!principal.organisation_id.empty()) {
    rc |= jwt_add_grant(jwt.get(), "org", principal.organisation_id.c_str());
  }
  if (!principal.responder_id.empty()) {
    rc |= jwt_add_grant(jwt.get(), "rsp", principal.responder_id.c_str());
  }
  rc |= jwt_add_grant_int(jwt.get(), "iat", iat);
  rc |= jwt_add_grant_int(jwt.get(), "exp", exp);
  rc |= jwt_add_grant(jwt.get(), "jti", jti.c_str());
  if (rc != 0) return absl::InternalError("token: cannot set its claims");
  const std::string key(private_key_pem);
  if (jwt_set_alg(jwt.get(), JWT_ALG_ES256, reinterpret_cast<const unsigned char*>(key.data()),
                  static_cast<int>(key.size())) != 0) {
    return absl::InternalError("token: cannot use the signing key");
  }
  char* encoded = jwt_encode_str(jwt.get());
  if (encoded == nullptr) {
    // libjwt reads the PEM only now: a bad key file shows here.
    return absl::InvalidArgumentError("key: not an EC P-256 private key in PEM");
  }
  std::string token(encoded);
  std::free(encoded);
  return token;
}

namespace {

// Three base64url parts, at most kMaxTokenBytes: anything else is refused before libjwt parses it.
absl::Status CheckShape(std::string_view token) {
  if (token.empty()) return Unauthenticated("missing");
  if (token.size() > kMaxTokenBytes) return Unauthenticated("longer than 4096 bytes");
  int dots = 0;
  for (char c : token) {
    if (c == '.') {
      ++dots;
    } else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_')) {
      return Unauthenticated("not a JWT (unexpected character)");
    }
  }
  if (dots != 2) return Unauthenticated("not a JWT (three parts expected)");
  return absl::OkStatus();
}

// sub, role, org, rsp.
absl::StatusOr<Principal> PrincipalOf(jwt_t* jwt) {
  Principal principal;
  principal.id = Grant(jwt, "sub");
  const std::string role = Grant(jwt, "role");
  if (!ParseRole(role, &principal.role)) return Unauthenticated("unknown role");
  principal.organisation_id = Grant(jwt, "org");
  principal.responder_id = Grant(jwt, "rsp");
  if (auto s = ValidateTokenSubject(principal); !s.ok()) {
    return Unauthenticated(std::string(s.message()));
  }
  return principal;
}

}  // namespace

absl::StatusOr<VerifiedToken> VerifyToken(std::string_view public_key_pem, std::string_view token,
                                          absl::Time now, absl::Duration leeway) {
  if (absl::Status shape = CheckShape(token); !shape.ok()) return shape;

  const std::string text(token);
  const std::string key(public_key_pem);
  jwt_t* raw = nullptr;
  // With a key, libjwt checks the signature with the algorithm the token names; which algorithm
  // that may be is our decision, checked right after.
  const int rc = jwt_decode(&raw, text.c_str(), reinterpret_cast<const unsigned char*>(key.data()),
                            static_cast<int>(key.size()));
  JwtPtr jwt(raw);
  if (rc != 0 || jwt == nullptr) return Unauthenticated("bad signature or malformed");
  if (jwt_get_alg(jwt.get()) != JWT_ALG_ES256) return Unauthenticated("algorithm must be ES256");
  if (Grant(jwt.get(), "iss") != kIssuer) return Unauthenticated("issuer is not relais");
  if (Grant(jwt.get(), "aud") != kAudience) return Unauthenticated("audience is not relais");
  long exp = 0;
  long iat = 0;
  if (!IntGrant(jwt.get(), "exp", &exp)) return Unauthenticated("no expiry (exp)");
  if (!IntGrant(jwt.get(), "iat", &iat)) return Unauthenticated("no issue time (iat)");
  const absl::Time expires = absl::FromUnixSeconds(exp);
  if (now >= expires + leeway) {
    return Unauthenticated(
        absl::StrCat("expired at ", absl::FormatTime(expires, absl::UTCTimeZone())));
  }
  if (absl::FromUnixSeconds(iat) > now + leeway) return Unauthenticated("issued in the future");

  VerifiedToken verified;
  verified.issued = absl::FromUnixSeconds(iat);
  verified.expires = expires;
  verified.token_id = Grant(jwt.get(), "jti");
  auto principal = PrincipalOf(jwt.get());
  if (!principal.ok()) return principal.status();
  verified.principal = *std::move(principal);
  return verified;
}

absl::StatusOr<Principal> ReadClaimsUnverified(std::string_view token) {
  absl::Status shape = CheckShape(token);
  if (!shape.ok()) return absl::InvalidArgumentError(shape.message());
  const std::string text(token);
  jwt_t* raw = nullptr;
  // No key: libjwt parses without checking the signature (the server checks it).
  const int rc = jwt_decode(&raw, text.c_str(), nullptr, 0);
  JwtPtr jwt(raw);
  if (rc != 0 || jwt == nullptr) return absl::InvalidArgumentError("token: malformed");
  auto principal = PrincipalOf(jwt.get());
  if (!principal.ok()) return absl::InvalidArgumentError(principal.status().message());
  return principal;
}

}  // namespace relais
