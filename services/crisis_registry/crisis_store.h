// Where crises live. The registry talks to this small interface; RedisCrisisStore implements it.
// Every write goes with its event and its idempotency record in one atomic step.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "relais/internal/outcome.pb.h"
#include "relais/v1/crisis_registry.pb.h"
#include "relais/v1/events.pb.h"
#include "services/runtime/redis/committer.h"

namespace relais::crisis {

// The registry's own key prefix in Redis; it also scopes its idempotency records.
inline constexpr char kKeyPrefix[] = "crisis";

struct CrisisFilter {
  relais::v1::CrisisStatus status = relais::v1::CRISIS_STATUS_UNSPECIFIED;  // any
  relais::v1::CrisisKind kind = relais::v1::CRISIS_KIND_UNSPECIFIED;        // any
};

struct CrisisPage {
  std::vector<relais::v1::Crisis> crises;
  std::string next_page_token;  // empty on the last page
};

class CrisisStore {
 public:
  virtual ~CrisisStore() = default;

  virtual absl::StatusOr<std::optional<relais::v1::Crisis>> Get(const std::string& crisis_id) = 0;

  // Newest declared first. INVALID_ARGUMENT "page_token: ..." for a token it did not issue.
  virtual absl::StatusOr<CrisisPage> List(const CrisisFilter& filter, int page_size,
                                          const std::string& page_token) = 0;

  // Writes `next` over `previous` (absent for a new crisis), with `event` and `outcome` under
  // `idem`, atomically. ABORTED when the stored version is no longer previous' version; a replay
  // (same idempotency key and request) returns the first outcome and writes nothing.
  virtual absl::StatusOr<CommitResult> Save(const std::optional<relais::v1::Crisis>& previous,
                                            const relais::v1::Crisis& next,
                                            const IdempotencyKey& idem,
                                            const relais::v1::Event& event,
                                            const relais::internal::StoredOutcome& outcome) = 0;

  // Records a refusal (FAILED_PRECONDITION) so that a retry gets the same answer; returns the
  // outcome stored first when the request was already answered.
  virtual absl::StatusOr<CommitResult> Refuse(const IdempotencyKey& idem,
                                              const relais::internal::StoredOutcome& outcome) = 0;

  // The stored outcome of an earlier call with this key, if any.
  virtual absl::StatusOr<std::optional<CommitResult>> FindOutcome(const IdempotencyKey& idem) = 0;
};

}  // namespace relais::crisis
