// Reads the event log that Committer appends to: one Redis Stream shared by every service. The
// audit log (committer.h) has entries of the same shape, read with ParseEventEntries.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "relais/v1/events.pb.h"
#include "services/runtime/redis/redis_client.h"

namespace relais {

// "<ms>-<seq>" or "<ms>", both parts decimal: what XADD returns.
bool IsEventCursor(const std::string& cursor);

// XRANGE/XREVRANGE entries ({id, {t, type, e, Event bytes...}}) as Events with their cursors;
// INTERNAL for an unreadable one (never skipped: a reader must not silently miss a change).
absl::StatusOr<std::vector<relais::v1::Event>> ParseEventEntries(const Reply& reply);

class EventLog {
 public:
  // `redis` must outlive the log.
  explicit EventLog(RedisClient& redis, std::string key = "relais:events");

  // Up to `max_count` events strictly after `cursor` ("" = from the oldest kept), in log order,
  // each with Event.cursor set. A cursor that is not a stream entry id -> INVALID_ARGUMENT; an
  // entry that does not hold a readable Event -> INTERNAL (never skipped: a reader must not
  // silently miss a change).
  absl::StatusOr<std::vector<relais::v1::Event>> ReadAfter(const std::string& cursor,
                                                           int max_count);
  absl::StatusOr<int64_t> Length();

  const std::string& key() const { return key_; }

 private:
  RedisClient& redis_;
  const std::string key_;
};

}  // namespace relais
