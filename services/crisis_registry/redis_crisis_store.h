// CrisisStore on Redis. Keys (all under the registry's own prefix "crisis:"):
//   crisis:c:<id>               hash {v: version, d: serialized relais.v1.Crisis}
//   crisis:idx:all              sorted set, every crisis
//   crisis:idx:s:<status>       sorted set, crises in that status
//   crisis:idx:k:<kind>         sorted set, crises of that kind
//   crisis:idx:sk:<status>:<kind>
//   crisis:idem:<sha256>        idempotency records (runtime Committer)
// Index members are "<inverted declared-at ms, 13 digits>:<id>" with score 0, so ZRANGE BYLEX
// walks newest first and a page token is simply the last member seen (exact, stable paging).
#pragma once

#include "services/crisis_registry/crisis_store.h"
#include "services/runtime/redis/committer.h"
#include "services/runtime/redis/redis_client.h"

namespace relais::crisis {

class RedisCrisisStore final : public CrisisStore {
 public:
  RedisCrisisStore(RedisClient& redis, Committer& committer)
      : redis_(redis), committer_(committer) {}

  absl::StatusOr<std::optional<relais::v1::Crisis>> Get(const std::string& crisis_id) override;
  absl::StatusOr<CrisisPage> List(const CrisisFilter& filter, int page_size,
                                  const std::string& page_token) override;
  absl::StatusOr<CommitResult> Save(const std::optional<relais::v1::Crisis>& previous,
                                    const relais::v1::Crisis& next, const IdempotencyKey& idem,
                                    const relais::v1::Event& event,
                                    const relais::internal::StoredOutcome& outcome) override;
  absl::StatusOr<CommitResult> Refuse(const IdempotencyKey& idem,
                                      const relais::internal::StoredOutcome& outcome) override;
  absl::StatusOr<std::optional<CommitResult>> FindOutcome(const IdempotencyKey& idem) override;

 private:
  RedisClient& redis_;
  Committer& committer_;
};

}  // namespace relais::crisis
