#include "services/runtime/tls.h"

#include <grpcpp/security/auth_context.h>
#include <grpcpp/server_context.h>

#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace relais {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  if (in) content << in.rdbuf();
  if (!in || content.str().find("-----BEGIN ") == std::string::npos) {
    return absl::FailedPreconditionError(
        absl::StrCat(what, ": cannot read a PEM file at '", path, "'"));
  }
  return content.str();
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const TlsFiles& files) {
  if (!files.enabled() && files.key.empty()) return grpc::InsecureServerCredentials();
  if (files.cert.empty() || files.key.empty()) {
    return absl::FailedPreconditionError("tls_cert and tls_key: a server needs both");
  }
  auto cert = ReadPem(files.cert, "tls_cert");
  if (!cert.ok()) return cert.status();
  auto key = ReadPem(files.key, "tls_key");
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions options(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  if (!files.ca.empty()) {
    auto ca = ReadPem(files.ca, "tls_ca");
    if (!ca.ok()) return ca.status();
    options.pem_root_certs = *ca;
    // Verified when presented; required only of the service role (token_auth.cc).
    options.client_certificate_request = GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  options.pem_key_cert_pairs.push_back({*key, *cert});
  return grpc::SslServerCredentials(options);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFor(
    const TlsFiles& files) {
  if (!files.enabled() && files.key.empty()) return grpc::InsecureChannelCredentials();
  if (files.ca.empty()) return absl::FailedPreconditionError("tls_ca: needed to verify servers");
  grpc::SslCredentialsOptions options;
  auto ca = ReadPem(files.ca, "tls_ca");
  if (!ca.ok()) return ca.status();
  options.pem_root_certs = *ca;
  if (!files.cert.empty() || !files.key.empty()) {
    auto cert = ReadPem(files.cert, "tls_cert");
    if (!cert.ok()) return cert.status();
    auto key = ReadPem(files.key, "tls_key");
    if (!key.ok()) return key.status();
    options.pem_cert_chain = *cert;
    options.pem_private_key = *key;
  }
  return grpc::SslCredentials(options);
}

bool PeerHasVerifiedCertificate(const grpc::ServerContextBase& context) {
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  // gRPC marks the peer authenticated only when its certificate chain verified against the CA.
  return auth != nullptr && auth->IsPeerAuthenticated();
}

}  // namespace relais
