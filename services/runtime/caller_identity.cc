#include "services/runtime/caller_identity.h"

#include <sys/stat.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/runtime/config.h"
#include "services/runtime/principal.h"

namespace relais {
namespace {

absl::StatusOr<std::string> ReadToken(const std::string& path) {
  auto content = ReadSecretFile(path);
  std::string token(absl::StripAsciiWhitespace(content.ok() ? *content : std::string()));
  if (token.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("service_token: cannot read a token at '", path, "'"));
  }
  return token;
}

TokenFile::Stamp StampOf(const std::string& path) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) return {};
  return {info.st_ino, info.st_size, info.st_mtim.tv_sec, info.st_mtim.tv_nsec};
}

}  // namespace

TokenFile::TokenFile(std::string path, std::string token, Stamp stamp)
    : path_(std::move(path)), token_(std::move(token)), stamp_(stamp) {}

absl::StatusOr<std::unique_ptr<TokenFile>> TokenFile::Open(std::string path) {
  const Stamp modified = StampOf(path);
  auto token = ReadToken(path);
  if (!token.ok()) return token.status();
  return std::unique_ptr<TokenFile>(new TokenFile(std::move(path), *std::move(token), modified));
}

std::string TokenFile::Current() const {
  // One stat per call (a microsecond) against a token that may be renewed at any time.
  const Stamp stamp = StampOf(path_);
  absl::MutexLock lock(&mu_);
  if (stamp != stamp_) {
    stamp_ = stamp;
    if (auto token = ReadToken(path_); token.ok()) token_ = *std::move(token);
  }
  return token_;
}

absl::StatusOr<std::shared_ptr<const CallerIdentity>> CallerIdentity::FromOptions(
    const ServerOptions& options, std::string dev_principal, std::string dev_role) {
  std::shared_ptr<CallerIdentity> identity(new CallerIdentity());
  auto credentials = ChannelCredentialsFor(
      TlsFiles{.ca = options.tls_ca, .cert = options.tls_cert, .key = options.tls_key});
  if (!credentials.ok()) return credentials.status();
  identity->credentials_ = *std::move(credentials);
  if (!options.service_token_path.empty()) {
    auto token = TokenFile::Open(options.service_token_path);
    if (!token.ok()) return token.status();
    identity->token_ = *std::move(token);
  } else if (options.insecure_dev_identity) {
    identity->dev_principal_ = std::move(dev_principal);
    identity->dev_role_ = std::move(dev_role);
  } else {
    return absl::FailedPreconditionError(
        "service_token: this process calls other Relais services and needs its own token "
        "(--service_token), or --insecure_dev_identity in development");
  }
  return std::shared_ptr<const CallerIdentity>(std::move(identity));
}

std::shared_ptr<const CallerIdentity> CallerIdentity::Development(std::string principal,
                                                                  std::string role) {
  std::shared_ptr<CallerIdentity> identity(new CallerIdentity());
  identity->credentials_ = grpc::InsecureChannelCredentials();
  identity->dev_principal_ = std::move(principal);
  identity->dev_role_ = std::move(role);
  return identity;
}

void CallerIdentity::Identify(grpc::ClientContext& context, std::string_view on_behalf_of) const {
  if (IsPrincipalId(on_behalf_of)) context.AddMetadata(kOnBehalfOf, std::string(on_behalf_of));
  if (token_ != nullptr) {
    context.AddMetadata("authorization", absl::StrCat("Bearer ", token_->Current()));
    return;
  }
  context.AddMetadata("x-relais-principal", dev_principal_);
  context.AddMetadata("x-relais-role", dev_role_);
}

}  // namespace relais
