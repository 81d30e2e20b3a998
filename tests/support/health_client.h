// Asks a server's grpc.health.v1 service how it is.
#pragma once

#include <grpcpp/channel.h>

#include <memory>
#include <string>

namespace relais::testing {

// The ServingStatus number (1 SERVING, 2 NOT_SERVING, 3 SERVICE_UNKNOWN) or -(gRPC code) when
// the call itself fails.
int HealthStatus(const std::shared_ptr<grpc::Channel>& channel, const std::string& service);

}  // namespace relais::testing
