// TLS for every gRPC endpoint, mutual between services. Files are PEM paths; a deployment makes
// them with its own CA (deploy/local/dev-ca.sh makes a development one).
//
// Servers present their certificate and, when they have the CA, ask callers for theirs and
// verify it if one is presented: people's clients (relaisctl) authenticate with a token only;
// services present a certificate signed by the CA, and a token of the `service` role is accepted
// only on such a connection (token_auth.h), so a stolen service token is useless off the
// services' own machines.
#pragma once

#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace grpc {
class ServerContextBase;
}

namespace relais {

struct TlsFiles {
  std::string ca;    // the CA that signs every Relais certificate
  std::string cert;  // this process's certificate chain
  std::string key;   // its private key

  bool enabled() const { return !cert.empty() || !ca.empty(); }
};

// Plaintext when `files` are all empty (development and tests); FAILED_PRECONDITION naming the
// file when one cannot be read or cert and key do not come together.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const TlsFiles& files);

// For calling a server: TLS when `files.ca` is set (cert and key, when given, are presented as
// the client certificate), plaintext when all are empty.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFor(
    const TlsFiles& files);

// Whether the caller presented a certificate the server verified against its CA.
bool PeerHasVerifiedCertificate(const grpc::ServerContextBase& context);

}  // namespace relais
