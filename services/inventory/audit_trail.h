// The audit trail's reading side: who changed what about a crisis, an organisation or a
// responder, and on whose behalf, newest first. The writing side is every commit itself
// (services/runtime/redis/committer.h): an event also lands in the audit log, indexed under each
// subject it names, in the same atomic step, and stays there for the retention period.
//
// Served by the inventory because ownership needs the directory: an OSI reads the trail of its
// organisation and of its responders, a responder their own (access_policy.cc,
// ListAuditRecords). A trail outlives its subject: an erased responder's trail still answers,
// with ids only, and their organisation is then the one their last record names.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "relais/v1/inventory.pb.h"
#include "services/inventory/inventory_store.h"
#include "services/runtime/principal.h"
#include "services/runtime/redis/committer.h"

namespace relais::inventory {

class AuditTrail {
 public:
  // `committer` (which writes the trail and knows its layout) and `directory` must outlive it.
  AuditTrail(Committer& committer, InventoryStore& directory)
      : committer_(committer), directory_(directory) {}

  // INVALID_ARGUMENT naming the field (no subject, a malformed id, page_size, page_token);
  // PERMISSION_DENIED for a trail the caller may not read.
  absl::Status ListAuditRecords(const Principal& caller,
                                const relais::v1::ListAuditRecordsRequest& request,
                                relais::v1::ListAuditRecordsResponse* out);

 private:
  Committer& committer_;
  InventoryStore& directory_;
};

}  // namespace relais::inventory
