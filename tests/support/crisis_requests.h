// Requests the crisis registry's tests and benchmark send: one realistic crisis abroad.
#pragma once

#include <string>

#include "absl/time/time.h"
#include "relais/v1/crisis_registry.pb.h"

namespace relais::testing {

// A cholera outbreak at a partner's site abroad (Kalemie), with a nurse need and a supply need.
relais::v1::DeclareCrisisRequest CholeraAbroad(const std::string& request_id, absl::Time starts_at);

}  // namespace relais::testing
