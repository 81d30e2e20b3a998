// FindResponders: who can go for a window, near a place (local) or from Lyon (abroad).
//
// A call validates the request, brings the index up to date with the event log (so a responder
// registered or a period set before the call is found), then walks the ranked candidates from
// the index after the page token, a batch at a time (kCandidatesPerMatch x page size), dropping
// those with a live booking overlapping the window (read from the ledger in one round trip per
// batch), until the page is full or the candidates run out. See responder_search.h for the
// filters and the ranking.
#pragma once

#include "absl/status/status.h"
#include "relais/v1/inventory.pb.h"
#include "services/inventory/ledger.h"
#include "services/inventory/responder_index.h"
#include "services/runtime/catalogue.h"
#include "services/runtime/clock.h"
#include "services/runtime/principal.h"

namespace relais::inventory {

class Finder {
 public:
  // Everything must outlive the finder.
  Finder(ResponderIndex& index, Ledger& ledger, const Catalogue& catalogue, const Clock& clock)
      : index_(index), ledger_(ledger), catalogue_(catalogue), clock_(clock) {}

  // Builds the index once at start-up (a full load: seconds at 100,000 responders). Not fatal
  // when Redis is down: the first search loads it then.
  absl::Status Start() { return index_.Load(); }

  // INVALID_ARGUMENT naming the field; UNAVAILABLE when Redis cannot be reached. Any principal
  // may search: matches carry ids, levels and distances, no personal data.
  absl::Status FindResponders(const Principal& caller,
                              const relais::v1::FindRespondersRequest& request,
                              relais::v1::FindRespondersResponse* out);

 private:
  ResponderIndex& index_;
  Ledger& ledger_;
  const Catalogue& catalogue_;
  const Clock& clock_;
};

}  // namespace relais::inventory
