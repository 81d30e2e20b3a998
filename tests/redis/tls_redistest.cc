// A service with TLS on (the local stack's setting): a client must trust the Relais CA, plaintext
// gets nothing, a service token counts only with a service certificate signed by that CA (mutual
// TLS), and only the admin may act on behalf of an organisation. Certificates come from
// deploy/local/dev-ca.sh, as in the local stack.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "relais/v1/crisis_registry.grpc.pb.h"
#include "services/crisis_registry/server.h"
#include "services/runtime/clock.h"
#include "services/runtime/ids.h"
#include "services/runtime/tls.h"
#include "services/runtime/tokens.h"
#include "tests/support/redis_server.h"
#include "tests/support/test_keys.h"
#include "tests/support/test_service.h"

namespace relais {
namespace {

using ::testing::HasSubstr;
namespace v1 = ::relais::v1;

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "relais_tls_XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr) << std::strerror(errno);
    dir_ = pattern;
    // The Relais CA, and a stranger's CA that signs a look-alike "mobilisation" certificate.
    for (const char* ca : {"relais", "stranger"}) {
      const std::string command =
          absl::StrCat("bash " RELAIS_SOURCE_DIR "/deploy/local/dev-ca.sh ", (dir_ / ca).string(),
                       " crisis-registry mobilisation >/dev/null 2>&1");
      ASSERT_EQ(std::system(command.c_str()), 0) << command;
    }
    keys_ = testing::MakeEcKeyPair();
    const std::string public_key = (dir_ / "token-public.pem").string();
    std::ofstream(public_key) << keys_.public_pem;

    redis_ = testing::RedisServer::Start();
    ServerOptions options = testing::TestServiceOptions(redis_->port());
    options.insecure_dev_identity = false;
    options.token_public_key_path = public_key;
    options.tls_ca = File("relais", "ca.pem");
    options.tls_cert = File("relais", "crisis-registry.pem");
    options.tls_key = File("relais", "crisis-registry-key.pem");
    auto server =
        crisis::CrisisRegistryServer::Create(options, clock_, ids_, testing::QuietSeams());
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    ASSERT_TRUE(server_->Start().ok());
    target_ = absl::StrCat("127.0.0.1:", server_->port());
  }

  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string File(const char* ca, const char* name) { return (dir_ / ca / name).string(); }

  std::string Bearer(const Principal& principal) {
    auto token = IssueToken(keys_.private_pem, principal, clock_.Now(), absl::Hours(1), "t-1");
    EXPECT_TRUE(token.ok()) << token.status();
    return absl::StrCat("Bearer ", token.value_or(""));
  }

  // ListCrises over `credentials` with `authorization` (and an x-relais-on-behalf-of, if any).
  grpc::Status List(const std::shared_ptr<grpc::ChannelCredentials>& credentials,
                    const std::string& authorization, const std::string& on_behalf_of = "") {
    auto stub = v1::CrisisRegistry::NewStub(grpc::CreateChannel(target_, credentials));
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    ctx.AddMetadata("authorization", authorization);
    if (!on_behalf_of.empty()) ctx.AddMetadata("x-relais-on-behalf-of", on_behalf_of);
    v1::ListCrisesResponse response;
    return stub->ListCrises(&ctx, v1::ListCrisesRequest(), &response);
  }

  std::shared_ptr<grpc::ChannelCredentials> Tls(const char* ca, const char* client = nullptr,
                                                const char* client_ca = nullptr) {
    TlsFiles files{.ca = File(ca, "ca.pem")};
    if (client != nullptr) {
      files.cert = File(client_ca, absl::StrCat(client, ".pem").c_str());
      files.key = File(client_ca, absl::StrCat(client, "-key.pem").c_str());
    }
    auto credentials = ChannelCredentialsFor(files);
    EXPECT_TRUE(credentials.ok()) << credentials.status();
    return credentials.value_or(nullptr);
  }

  std::filesystem::path dir_;
  testing::KeyPair keys_;
  FakeClock clock_;
  SequentialIdGenerator ids_;
  std::unique_ptr<testing::RedisServer> redis_;
  std::unique_ptr<crisis::CrisisRegistryServer> server_;
  std::string target_;
};

TEST_F(TlsTest, OnlyClientsThatTrustTheRelaisCaGetInAndPlaintextGetsNothing) {
  const std::string coordinator = Bearer({"coord-1", Role::kCoordinator, "", ""});
  EXPECT_TRUE(List(Tls("relais"), coordinator).ok());
  // Plaintext to a TLS port: no handshake, no call.
  EXPECT_EQ(List(grpc::InsecureChannelCredentials(), coordinator).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  // A client that trusts another CA refuses the server's certificate.
  EXPECT_EQ(List(Tls("stranger"), coordinator).error_code(), grpc::StatusCode::UNAVAILABLE);
  // TLS is not a way in by itself: no token, no call.
  EXPECT_EQ(List(Tls("relais"), "").error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(TlsTest, AServiceTokenCountsOnlyWithAServiceCertificateOfTheRelaisCa) {
  const std::string service = Bearer({"svc-mobilisation", Role::kService, "", ""});
  // Without a client certificate (a stolen token used from elsewhere): refused.
  grpc::Status no_certificate = List(Tls("relais"), service);
  EXPECT_EQ(no_certificate.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(no_certificate.error_message(), HasSubstr("mutual TLS"));
  // With the mobilisation service's certificate: accepted.
  EXPECT_TRUE(List(Tls("relais", "mobilisation", "relais"), service).ok());
  // A look-alike certificate from another CA fails the handshake.
  EXPECT_EQ(List(Tls("relais", "mobilisation", "stranger"), service).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(TlsTest, OnlyTheAdminAndServicesActOnAnothersBehalf) {
  const auto tls = Tls("relais");
  EXPECT_TRUE(
      List(tls, Bearer({"admin-1", Role::kAdmin, "", ""}), "org_01HZX0000000000000000000").ok());
  grpc::Status osi =
      List(tls, Bearer({"osi-1", Role::kOsiAdmin, "org_01HZX0000000000000000001", ""}),
           "org_01HZX0000000000000000000");
  EXPECT_EQ(osi.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(osi.error_message(), HasSubstr("not osi_admin"));
  grpc::Status bad = List(tls, Bearer({"admin-1", Role::kAdmin, "", ""}), "not an id");
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad.error_message(), HasSubstr("x-relais-on-behalf-of"));
  // A service names the person it acts for (a principal id); it may not name garbage.
  const std::string service = Bearer({"svc-mobilisation", Role::kService, "", ""});
  const auto mutual = Tls("relais", "mobilisation", "relais");
  EXPECT_TRUE(List(mutual, service, "coord-lyon-1").ok());
  grpc::Status garbage = List(mutual, service, "coord|lyon");
  EXPECT_EQ(garbage.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(garbage.error_message(), HasSubstr("principal id"));
  // Coordinators and responders act for themselves only.
  grpc::Status coordinator =
      List(tls, Bearer({"coord-lyon-1", Role::kCoordinator, "", ""}), "coord-lyon-2");
  EXPECT_EQ(coordinator.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace relais
