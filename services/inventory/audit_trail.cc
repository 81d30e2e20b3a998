#include "services/inventory/audit_trail.h"

#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/runtime/access_policy.h"
#include "services/runtime/status_macros.h"
#include "services/runtime/validation.h"

namespace relais::inventory {
namespace {

constexpr char kListAuditRecords[] = "/relais.v1.ResourceInventory/ListAuditRecords";

using relais::v1::ListAuditRecordsRequest;

// The subject's field name, its id, and its index's kind (committer.cc AuditIndexKeys).
struct Subject {
  std::string_view field;
  const char* kind;
  const std::string& id;
};

absl::StatusOr<Subject> SubjectOf(const ListAuditRecordsRequest& request) {
  switch (request.subject_case()) {
    case ListAuditRecordsRequest::kCrisisId:
      return Subject{"crisis_id", "crisis", request.crisis_id()};
    case ListAuditRecordsRequest::kOrganisationId:
      return Subject{"organisation_id", "organisation", request.organisation_id()};
    case ListAuditRecordsRequest::kResponderId:
      return Subject{"responder_id", "responder", request.responder_id()};
    case ListAuditRecordsRequest::SUBJECT_NOT_SET:
      break;
  }
  return InvalidField("subject", "one of crisis_id, organisation_id or responder_id is required");
}

}  // namespace

absl::Status AuditTrail::ListAuditRecords(const Principal& caller,
                                          const ListAuditRecordsRequest& request,
                                          relais::v1::ListAuditRecordsResponse* out) {
  auto subject = SubjectOf(request);
  if (!subject.ok()) return subject.status();
  RETURN_IF_ERROR(CheckResourceId(subject->field, subject->id));
  auto page_size = CheckPageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  RETURN_IF_ERROR(CheckOptionalText("page_token", request.page_token(), 64));

  // Whose trail it is. A crisis has no owner (only roles that read any trail see it); a responder
  // belongs to their organisation while the directory still knows them.
  access::Target target;
  std::string responder_organisation;
  if (request.has_organisation_id()) {
    target.organisation_id = request.organisation_id();
  } else if (request.has_responder_id()) {
    auto responder = directory_.GetResponder(request.responder_id());
    if (!responder.ok()) return responder.status();
    if (responder->has_value()) {
      responder_organisation = (*responder)->organisation_id();
    } else {
      // Erased: the trail's newest record (their removal) still says whose responder it was.
      auto newest = committer_.ReadAuditTrail(subject->kind, subject->id, "", 1);
      if (!newest.ok()) return newest.status();
      if (!newest->empty()) responder_organisation = newest->front().organisation_id();
    }
    target = {responder_organisation, request.responder_id()};
  }
  RETURN_IF_ERROR(access::AuthorizeTarget(caller, kListAuditRecords, target));

  // One more than asked for tells whether another page follows.
  auto records =
      committer_.ReadAuditTrail(subject->kind, subject->id, request.page_token(), *page_size + 1);
  if (!records.ok()) {
    if (absl::IsInvalidArgument(records.status())) {
      return InvalidField("page_token", "not a page token of this trail");
    }
    return records.status();
  }
  const bool more = static_cast<int>(records->size()) > *page_size;
  if (more) records->resize(*page_size);
  for (relais::v1::Event& record : *records) *out->add_records() = std::move(record);
  if (more) out->set_next_page_token(out->records(out->records_size() - 1).cursor());
  out->set_retention_days(
      static_cast<int32_t>(committer_.options().audit_retention / absl::Hours(24)));
  return absl::OkStatus();
}

}  // namespace relais::inventory
