#include "services/runtime/token_auth.h"

#include <grpcpp/server_context.h>

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/runtime/tls.h"
#include "services/runtime/tokens.h"
#include "services/runtime/validation.h"

namespace relais {
namespace {

// Token verification allows this much clock skew; the cache keeps an entry as long.
constexpr absl::Duration kLeeway = absl::Seconds(30);

}  // namespace

TokenPrincipalResolver::TokenPrincipalResolver(std::string public_key_pem, const Clock& clock,
                                               bool services_need_certificate, size_t cache_size)
    : public_key_pem_(std::move(public_key_pem)),
      clock_(clock),
      services_need_certificate_(services_need_certificate),
      cache_size_(cache_size) {}

absl::StatusOr<Principal> TokenPrincipalResolver::Resolve(
    const grpc::ServerContextBase& context) const {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    return absl::UnauthenticatedError(
        "no token: send 'authorization: Bearer <token>' (relaisctl: --token-file or "
        "RELAIS_TOKEN_FILE)");
  }
  if (metadata.count("authorization") > 1) {
    return absl::UnauthenticatedError("authorization: sent more than once");
  }
  const std::string_view value(it->second.data(), it->second.size());
  constexpr std::string_view kScheme = "bearer ";
  if (value.size() <= kScheme.size() ||
      !absl::EqualsIgnoreCase(absl::string_view(value.data(), kScheme.size()),
                              absl::string_view(kScheme.data(), kScheme.size()))) {
    return absl::UnauthenticatedError("authorization: expected 'Bearer <token>'");
  }
  auto principal = ResolveToken(std::string(value.substr(kScheme.size())));
  if (!principal.ok()) return principal;
  if (principal->role == Role::kService && services_need_certificate_ &&
      !PeerHasVerifiedCertificate(context)) {
    return absl::UnauthenticatedError(
        "a service token is accepted only with the service's certificate (mutual TLS)");
  }
  if (absl::Status s = ReadOnBehalfOf(context, &*principal); !s.ok()) return s;
  return principal;
}

absl::StatusOr<Principal> TokenPrincipalResolver::ResolveToken(const std::string& token) const {
  const absl::Time now = clock_.Now();
  {
    absl::MutexLock lock(&mu_);
    auto hit = cache_.find(token);
    if (hit != cache_.end()) {
      if (now < hit->second.expires) return hit->second.principal;
      cache_.erase(hit);
    }
  }
  auto verified = VerifyToken(public_key_pem_, token, now, kLeeway);
  if (!verified.ok()) return verified.status();
  absl::MutexLock lock(&mu_);
  // Crude but bounded: a full cache starts again (tokens in use come back at once).
  if (cache_.size() >= cache_size_) cache_.clear();
  cache_[token] = Verified{verified->principal, verified->expires + kLeeway};
  return verified->principal;
}

absl::StatusOr<std::unique_ptr<PrincipalResolver>> MakePrincipalResolver(
    const ServerOptions& options, const Clock& clock) {
  if (!options.token_public_key_path.empty()) {
    auto key = ReadSecretFile(options.token_public_key_path);
    if (!key.ok()) {
      return absl::FailedPreconditionError(
          absl::StrCat("token_public_key: cannot read '", options.token_public_key_path, "'"));
    }
    if (!absl::StrContains(*key, "-----BEGIN PUBLIC KEY-----")) {
      return absl::FailedPreconditionError(
          absl::StrCat("token_public_key: '", options.token_public_key_path,
                       "' is not a PEM public key (make one with `openssl ec -pubout`)"));
    }
    return std::make_unique<TokenPrincipalResolver>(*std::move(key), clock,
                                                    /*services_need_certificate=*/
                                                    !options.tls_ca.empty());
  }
  if (options.insecure_dev_identity) return std::make_unique<DevHeaderPrincipalResolver>();
  return absl::FailedPreconditionError(
      "no way to authenticate callers: pass --token_public_key=<PEM file> (or, for development "
      "only, --insecure_dev_identity)");
}

}  // namespace relais
