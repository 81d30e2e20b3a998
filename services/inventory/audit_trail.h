// The audit trail's reading side: who changed what about a crisis, an organisation or a
// responder, and on whose behalf, newest first. The writing side is every commit itself
// (services/runtime/redis/committer.h): an event also lands in the audit stream of each subject
// it names, in the same atomic step, and stays there for the retention period.
//
// Served by the inventory because ownership needs the directory: an OSI reads the trail of its
// organisation and of its responders, a responder their own (access_policy.cc,
// ListAuditRecords). A trail outlives its subject: an erased responder's trail still answers,
// with ids only, and their organisation is then the one their last record names.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "relais/v1/inventory.pb.h"
#include "services/inventory/inventory_store.h"
#include "services/runtime/principal.h"
#include "services/runtime/redis/redis_client.h"

namespace relais::inventory {

class AuditTrail {
 public:
  // `redis` and `directory` must outlive the trail. `key_prefix` and `retention` are the
  // committer's (CommitOptions::audit_key_prefix, audit_retention).
  AuditTrail(RedisClient& redis, InventoryStore& directory, std::string key_prefix,
             absl::Duration retention)
      : redis_(redis),
        directory_(directory),
        key_prefix_(std::move(key_prefix)),
        retention_(retention) {}

  // INVALID_ARGUMENT naming the field (no subject, a malformed id, page_size, page_token);
  // PERMISSION_DENIED for a trail the caller may not read.
  absl::Status ListAuditRecords(const Principal& caller,
                                const relais::v1::ListAuditRecordsRequest& request,
                                relais::v1::ListAuditRecordsResponse* out);

 private:
  RedisClient& redis_;
  InventoryStore& directory_;
  const std::string key_prefix_;
  const absl::Duration retention_;
};

}  // namespace relais::inventory
