// How a Relais process presents itself when it calls another Relais service (the mobilisation
// service calling the registry and the inventory, the gateway calling all three): the channel's
// TLS credentials (its own certificate as the client certificate: mutual TLS) and, on every call,
// its own token as `authorization: Bearer`, or, in development mode only, the x-relais-* headers.
#pragma once

#include <grpcpp/client_context.h>
#include <grpcpp/security/credentials.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "services/runtime/config.h"
#include "services/runtime/tls.h"

namespace relais {

// A token kept in a file, read again when the file changes (another inode, size or modification
// time: a rename into place or a rewrite), so a deployment renews a service's token by replacing
// the file (no restart). A token that cannot be read again keeps the last one
// read: the callee then says UNAUTHENTICATED once it expires, which the logs show.
class TokenFile {
 public:
  // FAILED_PRECONDITION naming the path when the file cannot be read or is empty.
  static absl::StatusOr<std::unique_ptr<TokenFile>> Open(std::string path);
  std::string Current() const;

  // What says the file changed.
  struct Stamp {
    uint64_t inode = 0;
    int64_t size = 0;
    int64_t seconds = 0;
    int64_t nanoseconds = 0;
    bool operator==(const Stamp&) const = default;
  };

 private:
  TokenFile(std::string path, std::string token, Stamp stamp);

  const std::string path_;
  mutable absl::Mutex mu_;
  mutable std::string token_ ABSL_GUARDED_BY(mu_);
  mutable Stamp stamp_ ABSL_GUARDED_BY(mu_);
};

class CallerIdentity {
 public:
  // From the process's options: TLS files, then --service_token, or (only with
  // --insecure_dev_identity) the development headers naming `dev_principal` in `dev_role`.
  // FAILED_PRECONDITION when neither is set or a file cannot be read.
  static absl::StatusOr<std::shared_ptr<const CallerIdentity>> FromOptions(
      const ServerOptions& options, std::string dev_principal, std::string dev_role);

  // Plaintext and the development headers (tests, benchmarks).
  static std::shared_ptr<const CallerIdentity> Development(std::string principal, std::string role);

  // For channels to other services.
  const std::shared_ptr<grpc::ChannelCredentials>& credentials() const { return credentials_; }
  // Adds the token (or the development headers) to a call, and the person the process acts for on
  // it (x-relais-on-behalf-of) when `on_behalf_of` is a principal id.
  void Identify(grpc::ClientContext& context, std::string_view on_behalf_of = {}) const;

 private:
  CallerIdentity() = default;

  std::shared_ptr<grpc::ChannelCredentials> credentials_;
  std::unique_ptr<TokenFile> token_;
  std::string dev_principal_;
  std::string dev_role_;
};

}  // namespace relais
