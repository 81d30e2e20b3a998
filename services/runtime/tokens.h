// Signed, expiring tokens that say who a caller is: JWTs signed with ES256 (ECDSA P-256), made and
// checked by Debian's libjwt. The administrator keeps the private key and issues tokens
// (`relaisctl admin issue-token`); services hold only the public key, so a leaked service
// configuration cannot mint identities.
//
// Claims: iss "relais", aud "relais", sub (principal id), role, org (organisation id; osi_admin
// and responder), rsp (responder id; responder), iat, exp, jti. Nothing else is trusted.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/runtime/principal.h"

namespace relais {

// The longest validity `IssueToken` accepts: long-lived tokens are for services, and even those
// are re-issued at each deployment.
inline constexpr absl::Duration kMaxTokenLifetime = absl::Hours(24 * 90);
// Longest token accepted on the wire (a real one is ~400 bytes).
inline constexpr size_t kMaxTokenBytes = 4096;

// INVALID_ARGUMENT naming the first bad claim: ids of 1-128 characters [A-Za-z0-9._:-], an
// osi_admin or responder without its organisation, a responder without its responder id.
absl::Status ValidateTokenSubject(const Principal& principal);

// A token for `principal`, valid from `now` for `lifetime` (in (0, kMaxTokenLifetime]).
// `private_key_pem` is an EC P-256 private key in PEM. `token_id` (jti) lets an audit trail tell
// tokens apart.
absl::StatusOr<std::string> IssueToken(std::string_view private_key_pem, const Principal& principal,
                                       absl::Time now, absl::Duration lifetime,
                                       std::string_view token_id);

// Checks signature (ES256 only: "none" and HMAC tokens are refused, so the public key can never
// be used as an HMAC secret), issuer, audience, expiry and issue time (with `leeway` for clock
// skew between machines) and the claims' shape. UNAUTHENTICATED with a reason that never
// contains the token.
struct VerifiedToken {
  Principal principal;
  absl::Time issued;
  absl::Time expires;
  std::string token_id;
};
absl::StatusOr<VerifiedToken> VerifyToken(std::string_view public_key_pem, std::string_view token,
                                          absl::Time now,
                                          absl::Duration leeway = absl::Seconds(30));

// The claims of a token WITHOUT checking its signature or expiry: for a client's own use (the CLI
// plans an import by its caller's role and organisation), never to decide access. INVALID_ARGUMENT
// when the token is not a JWT or its claims are malformed.
absl::StatusOr<Principal> ReadClaimsUnverified(std::string_view token);

}  // namespace relais
