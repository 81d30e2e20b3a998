#include "tests/support/health_client.h"

#include <grpcpp/grpcpp.h>

#include <chrono>

#include "tests/support/health.grpc.pb.h"

namespace relais::testing {

int HealthStatus(const std::shared_ptr<grpc::Channel>& channel, const std::string& service) {
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub->Check(&ctx, request, &response);
  if (!status.ok()) return -static_cast<int>(status.error_code());
  return static_cast<int>(response.status());
}

}  // namespace relais::testing
