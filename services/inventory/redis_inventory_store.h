// InventoryStore on Redis. Keys (all under the inventory's own prefix "inv:"):
//   inv:org:<id>                    hash {v, d: serialized relais.v1.Organisation}
//   inv:rsp:<id>                    hash {v, d: serialized relais.v1.Responder}
//   inv:avl:<responder id>          hash {v, d: serialized relais.v1.AvailabilityCalendar}
//   inv:xref:<org id>:<sha256 hex>  hash {v: 1, d: responder id}: the claim of an external_ref
//                                   within its organisation (the hash hides the reference)
//   inv:xref:org:<sha256 hex>       hash {v: 1, d: organisation id}: the claim of an
//                                   organisation's external_ref, unique across organisations
//                                   (organisation ids start with "org_", so no clash with the
//                                   above)
//   inv:idx:org:all                 sorted sets of organisations, members
//   inv:idx:org:k:<kind>            "<case-folded name>\0<id>" with score 0, so ZRANGE BYLEX walks
//   inv:idx:org:d:<domain>          them by name and a page token is the last member seen
//   inv:idx:org:c:<folded commune>  (exact, stable paging)
//   inv:idx:rsp:<org id>            sorted set of the organisation's responder ids (score 0; ids
//                                   are time-ordered, so lexical order is registration order)
//   inv:avl:due                     sorted set of responder ids, scored by when the first period
//                                   of their calendar ends (ms since the epoch); absent for an
//                                   empty calendar. What SweepCalendars visits.
// Read, never written, here: inv:bk:<responder id> (their live bookings, ledger.h) and
// inv:idx:rsp-team:<responder id> (their teams, redis_team_store.h), which must both be absent
// for the responder to be erased.
//   inv:idem:<sha256>               idempotency records (runtime Committer)
// No index key or member holds personal data: responders appear in indexes by id only.
#pragma once

#include <string>
#include <string_view>

#include "services/inventory/inventory_store.h"
#include "services/runtime/redis/committer.h"
#include "services/runtime/redis/redis_client.h"

namespace relais::inventory {

// SHA-256 hex of an organisation's own reference: what its claim keys hold instead of it.
std::string ExternalRefDigest(std::string_view external_ref);

class RedisInventoryStore final : public InventoryStore {
 public:
  RedisInventoryStore(RedisClient& redis, Committer& committer)
      : redis_(redis), committer_(committer) {}

  absl::StatusOr<std::optional<relais::v1::Organisation>> GetOrganisation(
      const std::string& organisation_id) override;
  absl::StatusOr<OrganisationPage> ListOrganisations(const OrganisationFilter& filter,
                                                     int page_size,
                                                     const std::string& page_token) override;
  absl::StatusOr<std::optional<std::string>> FindOrganisationByExternalRef(
      const std::string& external_ref) override;
  absl::StatusOr<CommitResult> SaveOrganisation(
      const std::optional<relais::v1::Organisation>& previous, const relais::v1::Organisation& next,
      const IdempotencyKey& idem, const relais::v1::Event& event,
      const relais::internal::StoredOutcome& outcome) override;

  absl::StatusOr<std::optional<relais::v1::Responder>> GetResponder(
      const std::string& responder_id) override;
  absl::StatusOr<std::vector<std::optional<relais::v1::Responder>>> GetResponders(
      const std::vector<std::string>& responder_ids) override;
  absl::StatusOr<std::optional<std::string>> FindByExternalRef(
      const std::string& organisation_id, const std::string& external_ref) override;
  absl::StatusOr<ResponderPage> ListResponders(const std::string& organisation_id, int page_size,
                                               const std::string& page_token) override;
  absl::StatusOr<CommitResult> SaveResponder(
      const std::optional<relais::v1::Responder>& previous, const relais::v1::Responder& next,
      const std::optional<relais::v1::AvailabilityCalendar>& calendar, const IdempotencyKey& idem,
      const relais::v1::Event& event, const relais::internal::StoredOutcome& outcome) override;
  absl::StatusOr<CommitResult> EraseResponder(
      const relais::v1::Responder& current, int64_t calendar_version, const IdempotencyKey& idem,
      const relais::v1::Event& event, const relais::internal::StoredOutcome& outcome) override;
  absl::Status CheckErasable(const std::string& responder_id) override;

  absl::StatusOr<std::optional<relais::v1::AvailabilityCalendar>> GetCalendar(
      const std::string& responder_id) override;
  absl::StatusOr<CommitResult> SaveCalendar(
      int64_t previous_version, const relais::v1::AvailabilityCalendar& next,
      const IdempotencyKey& idem, const relais::v1::Event& event,
      const relais::internal::StoredOutcome& outcome) override;
  absl::StatusOr<std::vector<std::string>> DueCalendars(absl::Time now, int limit) override;

  absl::StatusOr<CommitResult> Refuse(const IdempotencyKey& idem,
                                      const relais::internal::StoredOutcome& outcome) override;
  absl::StatusOr<std::optional<CommitResult>> FindOutcome(const IdempotencyKey& idem) override;

 private:
  // A ZRANGE BYLEX page of `key` after `after` ("" = from the start).
  absl::StatusOr<std::vector<std::string>> RangeAfter(const std::string& key,
                                                      const std::string& after, int count);

  RedisClient& redis_;
  Committer& committer_;
};

}  // namespace relais::inventory
