// How a need is mobilised: how many to ask now, and in what order. The default follows the
// need's MobilisationPolicy (ToAsk in mobilisation_domain.h, the ranking in matching.h). A
// simulator replaying a crisis on a FakeClock with simulated responders plugs in another one
// (MobilisationOptions::strategy) to compare policies; production uses the default.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "relais/v1/mobilisation.pb.h"
#include "services/mobilisation/matching.h"
#include "services/mobilisation/mobilisation_domain.h"

namespace relais::mobilisation {

class Strategy {
 public:
  virtual ~Strategy() = default;
  // Units to ask for now (0: none), given the need's progress and policy.
  virtual int64_t ToAsk(const v1::NeedProgress& progress) const = 0;
  // Responders, best first (ranks from 1), from the inventory's matches.
  virtual std::vector<v1::Candidate> RankResponders(const std::vector<v1::ResponderMatch>& matches,
                                                    const std::map<std::string, int>& recent,
                                                    const RankContext& context) const = 0;
};

class DefaultStrategy final : public Strategy {
 public:
  int64_t ToAsk(const v1::NeedProgress& progress) const override {
    return mobilisation::ToAsk(progress);
  }
  std::vector<v1::Candidate> RankResponders(const std::vector<v1::ResponderMatch>& matches,
                                            const std::map<std::string, int>& recent,
                                            const RankContext& context) const override {
    return mobilisation::RankResponders(matches, recent, context);
  }
};

}  // namespace relais::mobilisation
