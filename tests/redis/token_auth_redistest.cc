// A service started with a token key: callers without a valid token get nothing, the token's
// subject is the principal of what they write, and relaisctl issues and sends tokens.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "clients/relaisctl/app.h"
#include "gmock/gmock.h"
#include "relais/v1/crisis_registry.grpc.pb.h"
#include "services/crisis_registry/server.h"
#include "services/runtime/clock.h"
#include "services/runtime/ids.h"
#include "services/runtime/redis/event_log.h"
#include "services/runtime/tokens.h"
#include "tests/support/crisis_requests.h"
#include "tests/support/redis_server.h"
#include "tests/support/test_keys.h"
#include "tests/support/test_service.h"

namespace relais {
namespace {

using ::testing::HasSubstr;
namespace v1 = ::relais::v1;

class TokenAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "relais_tokens_XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr) << std::strerror(errno);
    dir_ = pattern;
    keys_ = testing::MakeEcKeyPair();
    key_file_ = Write("admin-key.pem", keys_.private_pem);
    public_file_ = Write("token-public.pem", keys_.public_pem);

    redis_ = testing::RedisServer::Start();
    ServerOptions options = testing::TestServiceOptions(redis_->port());
    options.insecure_dev_identity = false;  // the default of a real deployment
    options.token_public_key_path = public_file_;
    auto server =
        crisis::CrisisRegistryServer::Create(options, clock_, ids_, testing::QuietSeams());
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    ASSERT_TRUE(server_->Start().ok());
    target_ = "127.0.0.1:" + std::to_string(server_->port());
    channel_ = grpc::CreateChannel(target_, grpc::InsecureChannelCredentials());
    stub_ = v1::CrisisRegistry::NewStub(channel_);

    env_.getenv = [this](const std::string& name) -> std::optional<std::string> {
      auto it = vars_.find(name);
      if (it == vars_.end()) return std::nullopt;
      return it->second;
    };
    env_.connect = [this](const std::string&) -> std::shared_ptr<grpc::ChannelInterface> {
      return channel_;
    };
    env_.now = [this] { return clock_.Now(); };
    env_.new_request_id = [] { return std::string("req-from-cli"); };
    env_.sleep = [](absl::Duration) {};
    env_.out = &out_;
    env_.err = &err_;
    vars_["RELAIS_CRISIS_ADDR"] = target_;
  }

  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& content) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << content;
    return path;
  }

  std::string Token(const Principal& principal, absl::Duration lifetime = absl::Hours(1)) {
    auto token = IssueToken(keys_.private_pem, principal, clock_.Now(), lifetime, "t-1");
    EXPECT_TRUE(token.ok()) << token.status();
    return token.value_or("");
  }

  std::unique_ptr<grpc::ClientContext> Context(const std::string& authorization) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    if (!authorization.empty()) ctx->AddMetadata("authorization", authorization);
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return ctx;
  }

  grpc::Status Declare(const std::string& authorization, const std::string& request_id,
                       v1::Crisis* out = nullptr) {
    v1::Crisis crisis;
    return stub_->DeclareCrisis(Context(authorization).get(),
                                testing::CholeraAbroad(request_id, clock_.Now()),
                                out ? out : &crisis);
  }

  int64_t EventCount() { return std::stoll(redis_->Command({"XLEN", "relais:events"})); }

  int Cli(const std::vector<std::string>& args) {
    out_.str("");
    err_.str("");
    return cli::Run(args, env_);
  }

  std::filesystem::path dir_;
  testing::KeyPair keys_;
  std::string key_file_;
  std::string public_file_;
  FakeClock clock_;
  SequentialIdGenerator ids_;
  std::unique_ptr<testing::RedisServer> redis_;
  std::unique_ptr<crisis::CrisisRegistryServer> server_;
  std::string target_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::CrisisRegistry::Stub> stub_;
  cli::Environment env_;
  std::map<std::string, std::string> vars_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(TokenAuthTest, WithoutAValidTokenACallerGetsNothingAndNothingIsWritten) {
  const Principal coordinator{"coord-7", Role::kCoordinator, "", ""};
  const std::string valid = Token(coordinator, absl::Minutes(5));
  auto forged = testing::MakeEcKeyPair();
  const std::string other_signer =
      *IssueToken(forged.private_pem, coordinator, clock_.Now(), absl::Hours(1), "t-2");
  const int64_t events_before = EventCount();

  for (const std::string& authorization :
       {std::string(), std::string("Bearer"), std::string("Basic Y29vcmQ6cGFzcw=="),
        std::string("Bearer not-a-token"), "Bearer " + other_signer}) {
    grpc::Status status = Declare(authorization, "r-" + std::to_string(authorization.size()));
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << authorization;
  }
  // The development headers mean nothing once tokens are on.
  auto ctx = Context("");
  ctx->AddMetadata("x-relais-principal", "coord-7");
  ctx->AddMetadata("x-relais-role", "coordinator");
  v1::Crisis crisis;
  EXPECT_EQ(stub_->DeclareCrisis(ctx.get(), testing::CholeraAbroad("r-dev", clock_.Now()), &crisis)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // Reads too.
  v1::ListCrisesResponse list;
  EXPECT_EQ(stub_->ListCrises(Context("").get(), v1::ListCrisesRequest(), &list).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(EventCount(), events_before);

  // The same token after its expiry (and the 30 s leeway) is refused, although it passed before.
  ASSERT_TRUE(Declare("Bearer " + valid, "r-valid").ok());
  clock_.Advance(absl::Minutes(5) + absl::Seconds(30));
  grpc::Status expired = Declare("Bearer " + valid, "r-late");
  EXPECT_EQ(expired.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(expired.error_message(), HasSubstr("expired"));
  EXPECT_THAT(expired.error_message(), ::testing::Not(HasSubstr(valid)));
}

TEST_F(TokenAuthTest, TheTokensSubjectIsWhoActedAndOwnsTheRequestId) {
  v1::Crisis first;
  ASSERT_TRUE(
      Declare("Bearer " + Token({"coord-7", Role::kCoordinator, "", ""}), "same-id", &first).ok());
  // Another coordinator reusing the request id gets their own crisis, not a replay of coord-7's.
  v1::Crisis second;
  ASSERT_TRUE(
      Declare("Bearer " + Token({"coord-8", Role::kCoordinator, "", ""}), "same-id", &second).ok());
  EXPECT_NE(first.id(), second.id());

  EventLog log(server_->redis());
  auto events = log.ReadAfter("", 100);
  ASSERT_TRUE(events.ok()) << events.status();
  std::vector<std::string> principals;
  for (const v1::Event& e : *events) principals.push_back(e.principal_id());
  EXPECT_THAT(principals, ::testing::ElementsAre("coord-7", "coord-8"));
}

TEST_F(TokenAuthTest, RelaisctlIssuesATokenAndSendsIt) {
  const std::string token_file = (dir_ / "coord.token").string();
  ASSERT_EQ(Cli({"admin", "issue-token", "coord-9", "coordinator", "--key", key_file_, "--ttl",
                 "2h", "--out", token_file}),
            0)
      << err_.str();
  EXPECT_THAT(err_.str(), HasSubstr("coord-9"));
  EXPECT_EQ(std::filesystem::status(token_file).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

  ASSERT_EQ(Cli({"--token-file", token_file, "crisis", "list", "--json"}), 0) << err_.str();
  // Without it: the server's refusal, not a crash, and a non-zero exit.
  EXPECT_NE(Cli({"crisis", "list"}), 0);
  EXPECT_THAT(err_.str(), HasSubstr("UNAUTHENTICATED"));
  // The environment variable works the same way as the flag.
  vars_["RELAIS_TOKEN_FILE"] = token_file;
  EXPECT_EQ(Cli({"crisis", "list"}), 0) << err_.str();

  // Printed on stdout without --out; a responder's token needs its organisation and responder.
  ASSERT_EQ(Cli({"admin", "issue-token", "rsp-user", "responder", "--key", key_file_,
                 "--organisation-id", "org_1", "--responder-id", "rsp_1"}),
            0)
      << err_.str();
  const std::string printed(absl::StripAsciiWhitespace(out_.str()));
  auto verified = VerifyToken(keys_.public_pem, printed, clock_.Now());
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->principal.responder_id, "rsp_1");
  EXPECT_EQ(Cli({"admin", "issue-token", "rsp-user", "responder", "--key", key_file_}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("org"));
  EXPECT_EQ(Cli({"admin", "issue-token", "x", "root", "--key", key_file_}), 2);
  EXPECT_EQ(Cli({"admin", "issue-token", "x", "admin", "--key", public_file_}), 2);
}

}  // namespace
}  // namespace relais
