// Per-principal rate limits, so one client (a runaway script, a stuck retry loop, a stolen token)
// cannot starve the others: each principal has a token bucket sized by its role, refilled on the
// injected clock. A call over its budget is refused with RESOURCE_EXHAUSTED before any work, and
// relaisctl retries it after a back-off (the write's request id makes the retry safe).
//
// Budgets are people-sized, one table (kRoleBudgets in rate_limiter.cc), all scaled by
// --rate_limit_scale (0: off). The service role is not limited: the mobilisation service's calls
// follow from people's calls that were limited already.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/runtime/clock.h"
#include "services/runtime/principal.h"

namespace relais {

struct RoleBudget {
  double calls_per_second = 0;  // sustained
  double burst = 0;             // calls at once after a quiet spell
};

// The budget of `role` at scale 1 (calls_per_second 0: not limited).
RoleBudget BudgetOf(Role role);

class RateLimiter {
 public:
  // `scale` multiplies every budget (0 or less: nothing is limited). At most `max_principals`
  // buckets are kept; beyond that, full buckets (principals quiet long enough) are dropped first.
  RateLimiter(double scale, const Clock& clock, size_t max_principals = 100000);

  // OK, or RESOURCE_EXHAUSTED saying how long to wait. Takes one call from the caller's bucket.
  absl::Status Admit(const Principal& caller);

  bool enabled() const { return scale_ > 0; }

 private:
  struct Bucket {
    double tokens = 0;
    absl::Time updated;
    absl::Time full_at;  // when it will have refilled to its burst: then it is as good as none
  };

  void DropFullBuckets(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const double scale_;
  const Clock& clock_;
  const size_t max_principals_;
  absl::Mutex mu_;
  // Keyed by role and principal id: a principal id is unique per person, the role is part of
  // the budget.
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace relais
