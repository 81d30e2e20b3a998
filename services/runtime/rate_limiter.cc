#include "services/runtime/rate_limiter.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace relais {
namespace {

// Calls per second and burst, per role, at scale 1. A person at a keyboard makes a few calls a
// second; an import or a scenario script a few hundred in a burst; the dashboard gateway reads
// for every browser in the room as one principal.
constexpr std::array<RoleBudget, 6> kRoleBudgets = {{
    {50, 500},    // coordinator: boards, searches, mobilisations
    {100, 2000},  // osi_admin: imports of the organisation's lists
    {5, 50},      // responder: their own requests and assignments
    {200, 2000},  // dashboard: the gateway, for every browser at once
    {100, 2000},  // admin: imports of the whole directory
    {0, 0},       // service: not limited
}};

}  // namespace

RoleBudget BudgetOf(Role role) { return kRoleBudgets[static_cast<size_t>(role)]; }

RateLimiter::RateLimiter(double scale, const Clock& clock, size_t max_principals)
    : scale_(scale), clock_(clock), max_principals_(std::max<size_t>(max_principals, 1)) {}

absl::Status RateLimiter::Admit(const Principal& caller) {
  if (scale_ <= 0) return absl::OkStatus();
  const RoleBudget budget = BudgetOf(caller.role);
  if (budget.calls_per_second <= 0) return absl::OkStatus();
  const double rate = budget.calls_per_second * scale_;
  const double burst = std::max(budget.burst * scale_, 1.0);
  const absl::Time now = clock_.Now();
  const std::string role(RoleName(caller.role));
  const std::string key = absl::StrCat(role, "|", caller.id);

  absl::MutexLock lock(&mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_principals_) DropFullBuckets(now);
    it = buckets_.emplace(key, Bucket{burst, now, now}).first;
  }
  Bucket& bucket = it->second;
  const double elapsed = std::max(absl::ToDoubleSeconds(now - bucket.updated), 0.0);
  bucket.tokens = std::min(burst, bucket.tokens + elapsed * rate);
  bucket.updated = std::max(bucket.updated, now);
  const bool admitted = bucket.tokens >= 1;
  if (admitted) bucket.tokens -= 1;
  bucket.full_at = bucket.updated + absl::Seconds((burst - bucket.tokens) / rate);
  if (admitted) return absl::OkStatus();
  const int64_t wait_ms = static_cast<int64_t>(std::ceil((1 - bucket.tokens) / rate * 1000));
  return absl::ResourceExhaustedError(absl::StrCat("rate limit: role ", role, " may make ", rate,
                                                   " calls per second (bursts of ", burst,
                                                   "); retry in ", wait_ms, " ms"));
}

void RateLimiter::DropFullBuckets(absl::Time now) {
  // A bucket that has refilled is the same as no bucket.
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    if (it->second.full_at <= now) {
      buckets_.erase(it++);
    } else {
      ++it;
    }
  }
  // Still full (a flood of new principals): start again rather than grow without bound.
  if (buckets_.size() >= max_principals_) buckets_.clear();
}

}  // namespace relais
