// Bounded retries of one gRPC call. Writes are safe to retry because every attempt carries the
// same request_id; reads are safe anyway.
#pragma once

#include <grpcpp/support/status.h>

#include <functional>

#include "absl/time/time.h"

namespace relais::cli {

struct RetryPolicy {
  int max_attempts = 3;
  // Wait before the second attempt; doubled before each later one.
  absl::Duration first_backoff = absl::Milliseconds(250);
};

// The codes the gRPC docs call transient (the server may not have seen the call, or its answer was
// lost), and RESOURCE_EXHAUSTED: the server was busy or the caller over its rate budget, and did
// nothing. Every other code is the server's final word.
bool IsRetryable(grpc::StatusCode code);

// Runs `attempt` until it succeeds, fails with a code that is not retryable, or the policy's
// attempts are spent; returns the last status. `sleep` waits between attempts (tests record it).
grpc::Status CallWithRetry(const RetryPolicy& policy,
                           const std::function<void(absl::Duration)>& sleep,
                           const std::function<grpc::Status()>& attempt);

}  // namespace relais::cli
