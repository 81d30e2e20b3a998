// relaisctl responder export: everything Relais holds about one responder, as one JSON document
// (GDPR right of access, issue #6). Gathered through the ordinary RPCs as the caller, so the
// access table decides who may export whom: the record first (PERMISSION_DENIED or NOT_FOUND
// there ends the export), then each section the caller's role may read.
#pragma once

#include <grpcpp/support/status.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "clients/relaisctl/session.h"
#include "relais/v1/inventory.pb.h"
#include "relais/v1/mobilisation.pb.h"

namespace relais::cli {

// What was gathered. A section the caller's role may not read is in `withheld` (section name ->
// the server's message) instead of being silently empty.
struct ResponderExport {
  std::string responder_id;
  absl::Time generated_at;
  std::string principal;
  std::string role;
  relais::v1::Responder responder;
  std::optional<relais::v1::AvailabilityCalendar> availability;
  std::optional<std::vector<relais::v1::Team>> teams;
  std::optional<std::vector<relais::v1::MobilisationRequest>> requests;
  std::optional<std::vector<relais::v1::Assignment>> assignments;
  // The notifications sent to them (ListNotifications), newest first, with every attempt.
  std::optional<std::vector<relais::v1::Notification>> notifications;
  // Their audit trail (ListAuditRecords), newest first, every page.
  std::optional<std::vector<relais::v1::Event>> audit_trail;
  std::map<std::string, std::string> withheld;
};

// Reads every section: `inventory` and `mobilisation` call those services as the same caller.
// Any error but PERMISSION_DENIED on a section after the record fails the whole export: a
// partial export must say so, never look complete.
grpc::Status GatherResponderExport(Session& inventory, Session& mobilisation,
                                   const std::string& responder_id, ResponderExport* out);

// The document: metadata, the sections, what was withheld and what no RPC returns.
nlohmann::json ResponderExportDocument(const ResponderExport& data);

// How an export file is written: created with mode 600 (personal data); an existing file is
// replaced only with `force` (through a new file renamed over it, so it never keeps a wider
// mode). Returns an error message naming --out, or nullopt.
std::optional<std::string> WriteExportFile(const std::string& path, const std::string& content,
                                           bool force);

}  // namespace relais::cli
