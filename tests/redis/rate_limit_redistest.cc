// A service with the per-principal rate limit on: a caller over its budget gets
// RESOURCE_EXHAUSTED and changes nothing, while the others carry on; relaisctl's retry of a
// write waits and succeeds once the budget refills.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "relais/v1/crisis_registry.grpc.pb.h"
#include "services/crisis_registry/server.h"
#include "services/runtime/clock.h"
#include "services/runtime/ids.h"
#include "tests/support/crisis_requests.h"
#include "tests/support/redis_server.h"
#include "tests/support/test_service.h"

namespace relais {
namespace {

using ::testing::HasSubstr;
namespace v1 = ::relais::v1;

class RateLimitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_ = testing::RedisServer::Start();
    ServerOptions options = testing::TestServiceOptions(redis_->port());
    options.rate_limit_scale = 0.01;  // a coordinator: 0.5 calls a second, bursts of 5
    auto server =
        crisis::CrisisRegistryServer::Create(options, clock_, ids_, testing::QuietSeams());
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    ASSERT_TRUE(server_->Start().ok());
    stub_ = v1::CrisisRegistry::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", server_->port()), grpc::InsecureChannelCredentials()));
  }

  grpc::Status List(const std::string& who) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("x-relais-principal", who);
    ctx.AddMetadata("x-relais-role", "coordinator");
    v1::ListCrisesResponse response;
    return stub_->ListCrises(&ctx, v1::ListCrisesRequest(), &response);
  }

  grpc::Status Declare(const std::string& who, const std::string& request_id) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("x-relais-principal", who);
    ctx.AddMetadata("x-relais-role", "coordinator");
    v1::Crisis crisis;
    return stub_->DeclareCrisis(&ctx, testing::CholeraAbroad(request_id, clock_.Now()), &crisis);
  }

  int64_t EventCount() { return std::stoll(redis_->Command({"XLEN", "relais:events"})); }

  FakeClock clock_;
  SequentialIdGenerator ids_;
  std::unique_ptr<testing::RedisServer> redis_;
  std::unique_ptr<crisis::CrisisRegistryServer> server_;
  std::unique_ptr<v1::CrisisRegistry::Stub> stub_;
};

TEST_F(RateLimitTest, ACallerOverItsBudgetGetsNothingAndTheOthersCarryOn) {
  ASSERT_TRUE(Declare("coord-script", "r-1").ok());
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(List("coord-script").ok()) << "call " << i;
  const int64_t events = EventCount();

  grpc::Status refused = List("coord-script");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(refused.error_message(), HasSubstr("rate limit"));
  // A write over the budget writes nothing.
  EXPECT_EQ(Declare("coord-script", "r-2").error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(EventCount(), events);

  // Another coordinator is not slowed down by the first.
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(List("coord-lyon").ok()) << "call " << i;

  // Two seconds later the first has earned one call back: its retried write goes through once.
  clock_.Advance(absl::Seconds(2));
  EXPECT_TRUE(Declare("coord-script", "r-2").ok());
  EXPECT_EQ(EventCount(), events + 1);
  EXPECT_EQ(List("coord-script").error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

}  // namespace
}  // namespace relais
