#include "clients/relaisctl/retry.h"

namespace relais::cli {

bool IsRetryable(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::DEADLINE_EXCEEDED ||
         code == grpc::StatusCode::RESOURCE_EXHAUSTED;
}

grpc::Status CallWithRetry(const RetryPolicy& policy,
                           const std::function<void(absl::Duration)>& sleep,
                           const std::function<grpc::Status()>& attempt) {
  absl::Duration backoff = policy.first_backoff;
  grpc::Status status;
  for (int i = 1;; ++i) {
    status = attempt();
    if (status.ok() || !IsRetryable(status.error_code()) || i >= policy.max_attempts) {
      return status;
    }
    sleep(backoff);
    backoff *= 2;
  }
}

}  // namespace relais::cli
