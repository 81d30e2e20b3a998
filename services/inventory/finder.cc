#include "services/inventory/finder.h"

#include <utility>
#include <vector>

#include "services/inventory/responder_search.h"

namespace relais::inventory {

absl::Status Finder::FindResponders(const Principal& /*caller*/,
                                    const relais::v1::FindRespondersRequest& request,
                                    relais::v1::FindRespondersResponse* out) {
  auto query = PrepareQuery(request, catalogue_, clock_.Now());
  if (!query.ok()) return query.status();
  // Read-your-writes: whatever was acknowledged before this call is in the log already.
  if (absl::Status status = index_.CatchUp(); !status.ok()) return status;

  const auto candidates = [&](const SearchQuery& q,
                              size_t limit) -> absl::StatusOr<std::vector<Candidate>> {
    return index_.Search(q, limit);
  };
  const auto bookings = [&](const std::vector<std::string>& ids)
      -> absl::StatusOr<std::vector<std::vector<BookedRange>>> {
    auto booked = ledger_.Bookings(ids);
    if (!booked.ok()) return booked.status();
    std::vector<std::vector<BookedRange>> ranges(booked->size());
    for (size_t i = 0; i < booked->size(); ++i) {
      for (const Booking& b : (*booked)[i]) {
        ranges[i].push_back({absl::ToUnixNanos(b.start), absl::ToUnixNanos(b.end)});
      }
    }
    return ranges;
  };
  return FillPage(*query, candidates, bookings, out);
}

}  // namespace relais::inventory
