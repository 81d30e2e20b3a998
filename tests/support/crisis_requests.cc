#include "tests/support/crisis_requests.h"

#include "services/runtime/proto_time.h"

namespace relais::testing {

namespace v1 = ::relais::v1;

v1::DeclareCrisisRequest CholeraAbroad(const std::string& request_id, absl::Time starts_at) {
  v1::DeclareCrisisRequest request;
  request.set_request_id(request_id);
  request.set_title("Choléra - camp de Kalemie");
  request.set_kind(v1::CRISIS_KIND_EPIDEMIC);
  request.set_scope(v1::CRISIS_SCOPE_ABROAD);
  request.set_severity(v1::SEVERITY_SEVERE);
  request.set_urgency(v1::URGENCY_IMMEDIATE);
  request.set_certainty(v1::CERTAINTY_OBSERVED);
  auto* area = request.mutable_area();
  area->mutable_center()->set_lat(-5.93);
  area->mutable_center()->set_lon(29.19);
  area->set_radius_km(30);
  area->set_description("Kalemie, Tanganyika");
  area->set_country("CD");
  *request.mutable_starts_at() = ToProtoTime(starts_at);
  request.set_description("Flambée de choléra dans le camp de déplacés.");
  auto* nurses = request.add_needs();
  nurses->mutable_resource()->set_kind(v1::RESOURCE_KIND_SKILL);
  nurses->mutable_resource()->set_code("nurse");
  nurses->set_quantity(4);
  nurses->set_priority(v1::NEED_PRIORITY_HIGH);
  nurses->set_duration_days(14);
  nurses->add_languages("fr");
  auto* kits = request.add_needs();
  kits->mutable_resource()->set_kind(v1::RESOURCE_KIND_SUPPLY_ITEM);
  kits->mutable_resource()->set_code("iehk-2017-basic-unit");
  kits->set_quantity(2);
  kits->set_priority(v1::NEED_PRIORITY_CRITICAL);
  return request;
}

}  // namespace relais::testing
