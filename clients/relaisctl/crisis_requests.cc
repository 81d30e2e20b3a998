#include "clients/relaisctl/crisis_requests.h"

#include "absl/strings/str_join.h"
#include "clients/relaisctl/messages.h"
#include "clients/relaisctl/time_text.h"

namespace relais::cli {
namespace {

namespace v1 = relais::v1;

// Copies the given fields into `m`: a Crisis or a DeclareCrisisRequest, which name these fields
// alike.
template <typename Message>
void CopyFields(const CrisisFields& f, Message& m) {
  if (f.title) m.set_title(*f.title);
  if (f.kind) m.set_kind(*f.kind);
  if (f.scope) m.set_scope(*f.scope);
  if (f.severity) m.set_severity(*f.severity);
  if (f.urgency) m.set_urgency(*f.urgency);
  if (f.certainty) m.set_certainty(*f.certainty);
  if (f.lat) m.mutable_area()->mutable_center()->set_lat(*f.lat);
  if (f.lon) m.mutable_area()->mutable_center()->set_lon(*f.lon);
  if (f.radius_km) m.mutable_area()->set_radius_km(*f.radius_km);
  if (f.area) m.mutable_area()->set_description(*f.area);
  if (f.country) m.mutable_area()->set_country(*f.country);
  if (f.commune) m.mutable_area()->set_commune(*f.commune);
  if (f.starts) *m.mutable_starts_at() = ToTimestamp(*f.starts);
  if (f.description) m.set_description(*f.description);
}

}  // namespace

v1::DeclareCrisisRequest BuildDeclareRequest(const CrisisFields& fields,
                                             const std::vector<v1::NeedSpec>& needs,
                                             const std::string& request_id) {
  v1::DeclareCrisisRequest request;
  request.set_request_id(request_id);
  CopyFields(fields, request);
  for (const v1::NeedSpec& need : needs) *request.add_needs() = need;
  return request;
}

absl::StatusOr<v1::UpdateCrisisRequest> BuildUpdateRequest(const std::string& crisis_id,
                                                           const CrisisFields& f,
                                                           int64_t expected_version,
                                                           const std::string& request_id) {
  v1::UpdateCrisisRequest request;
  request.set_request_id(request_id);
  request.set_crisis_id(crisis_id);
  request.set_expected_version(expected_version);
  CopyFields(f, *request.mutable_crisis());

  auto& mask = *request.mutable_update_mask();
  if (f.title) mask.add_paths("title");
  if (f.kind) mask.add_paths("kind");
  if (f.scope) mask.add_paths("scope");
  if (f.severity) mask.add_paths("severity");
  if (f.urgency) mask.add_paths("urgency");
  if (f.certainty) mask.add_paths("certainty");
  if (f.lat || f.lon || f.radius_km || f.country) {
    std::vector<std::string> missing;
    if (!f.lat) missing.push_back("--lat");
    if (!f.lon) missing.push_back("--lon");
    if (!f.radius_km) missing.push_back("--radius-km");
    if (!f.country) missing.push_back("--country");
    if (!f.area) missing.push_back("--area");
    if (!missing.empty()) {
      return absl::InvalidArgumentError(
          Say(Msg::kUpdateAreaIncomplete, absl::StrJoin(missing, " ")));
    }
    mask.add_paths("area");
  } else {
    if (f.area) mask.add_paths("area.description");
    if (f.commune) mask.add_paths("area.commune");
  }
  if (f.starts) mask.add_paths("starts_at");
  if (f.description) mask.add_paths("description");
  if (mask.paths().empty()) {
    return absl::InvalidArgumentError(std::string(Text(Msg::kUpdateCrisisNothing)));
  }
  return request;
}

absl::StatusOr<v1::UpdateNeedRequest> BuildUpdateNeedRequest(const std::string& crisis_id,
                                                             const std::string& need_id,
                                                             const NeedChanges& c,
                                                             int64_t expected_version,
                                                             const std::string& request_id) {
  v1::UpdateNeedRequest request;
  request.set_request_id(request_id);
  request.set_crisis_id(crisis_id);
  request.set_need_id(need_id);
  request.set_expected_version(expected_version);
  v1::Need& need = *request.mutable_need();
  auto& mask = *request.mutable_update_mask();
  if (c.quantity) {
    need.mutable_spec()->set_quantity(*c.quantity);
    mask.add_paths("spec.quantity");
  }
  if (c.priority) {
    need.mutable_spec()->set_priority(*c.priority);
    mask.add_paths("spec.priority");
  }
  if (c.by) {
    *need.mutable_spec()->mutable_needed_by() = ToTimestamp(*c.by);
    mask.add_paths("spec.needed_by");
  }
  if (c.days) {
    need.mutable_spec()->set_duration_days(*c.days);
    mask.add_paths("spec.duration_days");
  }
  if (c.cancel) {
    need.set_status(v1::NEED_STATUS_CANCELLED);
    mask.add_paths("status");
  }
  if (c.reason) {
    need.set_cancel_reason(*c.reason);
    mask.add_paths("cancel_reason");
  }
  if (mask.paths().empty()) {
    return absl::InvalidArgumentError(std::string(Text(Msg::kUpdateNeedNothing)));
  }
  return request;
}

}  // namespace relais::cli
