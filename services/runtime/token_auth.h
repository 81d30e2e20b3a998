// Callers authenticated by their token (tokens.h), sent as gRPC metadata
// `authorization: Bearer <token>`, and the choice of resolver a service makes at start-up.
#pragma once

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/runtime/clock.h"
#include "services/runtime/config.h"
#include "services/runtime/principal.h"

namespace relais {

// Verifies the bearer token of every call with the public key. A verified token is remembered
// until it expires (at most `cache_size` of them), so a client reusing its token (a service, the
// gateway, a CLI session) pays the ECDSA verification once, not per call.
class TokenPrincipalResolver final : public PrincipalResolver {
 public:
  // With `services_need_certificate`, a token of the service role is accepted only from a caller
  // that presented a certificate the server verified (mutual TLS).
  TokenPrincipalResolver(std::string public_key_pem, const Clock& clock,
                         bool services_need_certificate = false, size_t cache_size = 10000);

  // UNAUTHENTICATED: no authorization metadata, not "Bearer <token>", or the token is refused
  // (forged, expired, wrongly signed, unknown role...).
  absl::StatusOr<Principal> Resolve(const grpc::ServerContextBase& context) const override;

  // The same check on a bare token (the gateway and tests use it).
  absl::StatusOr<Principal> ResolveToken(const std::string& token) const;

 private:
  struct Verified {
    Principal principal;
    absl::Time expires;
  };

  const std::string public_key_pem_;
  const Clock& clock_;
  const bool services_need_certificate_;
  const size_t cache_size_;
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<std::string, Verified> cache_ ABSL_GUARDED_BY(mu_);
};

// The resolver `options` ask for: tokens verified with --token_public_key, or (only when
// --insecure_dev_identity is set) the development headers. FAILED_PRECONDITION when neither is
// set or the key cannot be read: a service never starts without a way to authenticate callers.
absl::StatusOr<std::unique_ptr<PrincipalResolver>> MakePrincipalResolver(
    const ServerOptions& options, const Clock& clock);

}  // namespace relais
