#include "services/inventory/redis_inventory_store.h"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/inventory/inventory_domain.h"
#include "services/inventory/ledger.h"
#include "services/inventory/redis_team_store.h"
#include "services/runtime/validation.h"

namespace relais::inventory {
namespace {

using relais::v1::AvailabilityCalendar;
using relais::v1::Organisation;
using relais::v1::Responder;

// A claim is created at version 1 and only ever deleted (never rewritten), so its version is 1
// for as long as it exists; releasing it checks that.
constexpr int64_t kClaimVersion = 1;
// ListOrganisations with filters the chosen index does not cover reads the index in chunks and
// skips what does not match; it stops after this many members and hands out a token to go on.
constexpr int kScanChunk = 100;
constexpr int kMaxScannedPerPage = 2000;

std::string OrganisationKey(const std::string& id) { return absl::StrCat(kKeyPrefix, ":org:", id); }
std::string ResponderKey(const std::string& id) { return absl::StrCat(kKeyPrefix, ":rsp:", id); }
std::string CalendarKey(const std::string& responder_id) {
  return absl::StrCat(kKeyPrefix, ":avl:", responder_id);
}

std::string ClaimKey(const std::string& organisation_id, const std::string& external_ref) {
  return absl::StrCat(kKeyPrefix, ":xref:", organisation_id, ":", Sha256Hex(external_ref));
}

// The claim of an organisation's own reference, across all organisations.
std::string OrganisationClaimKey(const std::string& external_ref) {
  return absl::StrCat(kKeyPrefix, ":xref:org:", Sha256Hex(external_ref));
}

std::string DueCalendarsKey() { return absl::StrCat(kKeyPrefix, ":avl:due"); }

// Files the calendar under the end of its first period, or takes it out when it has none.
IndexOp DueEntry(const AvailabilityCalendar& calendar) {
  const std::optional<int64_t> first_end = FirstEndMillis(calendar);
  if (!first_end) return {IndexOp::Kind::kRemove, DueCalendarsKey(), calendar.responder_id()};
  return {IndexOp::Kind::kAdd, DueCalendarsKey(), calendar.responder_id(),
          static_cast<double>(*first_end)};
}

absl::Status HasBookings(const std::string& responder_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("responder ", responder_id, " has an active hold or commitment"));
}

absl::Status InTeam(const std::string& responder_id, const std::string& team_id) {
  return absl::FailedPreconditionError(absl::StrCat("responder ", responder_id,
                                                    " is a member of team ", team_id,
                                                    "; remove them from the team first"));
}

std::string RespondersIndexKey(const std::string& organisation_id) {
  return absl::StrCat(kKeyPrefix, ":idx:rsp:", organisation_id);
}

std::string AllOrganisationsKey() { return absl::StrCat(kKeyPrefix, ":idx:org:all"); }
std::string KindKey(int kind) { return absl::StrCat(kKeyPrefix, ":idx:org:k:", kind); }
std::string DomainKey(int domain) { return absl::StrCat(kKeyPrefix, ":idx:org:d:", domain); }
std::string CommuneKey(std::string_view commune) {
  const std::string folded = FoldCase(commune);
  return absl::StrCat(kKeyPrefix, ":idx:org:c:", folded);
}

std::string OrganisationMember(const Organisation& org) {
  std::string member = FoldCase(org.name());
  member.push_back('\0');
  member.append(org.id());
  return member;
}

// The id in a member written by OrganisationMember; empty when it is not one.
std::string IdOfOrganisationMember(std::string_view member) {
  const size_t nul = member.find('\0');
  if (nul == std::string_view::npos || nul == 0) return "";
  const std::string_view name = member.substr(0, nul);
  const std::string_view id = member.substr(nul + 1);
  if (Utf8Length(name) < 0 || !CheckResourceId("id", id).ok()) return "";
  return std::string(id);
}

// Every (index, member) pair an organisation belongs to: the filters List can use.
std::set<std::pair<std::string, std::string>> IndexEntriesOf(const Organisation& org) {
  const std::string member = OrganisationMember(org);
  std::set<std::pair<std::string, std::string>> entries;
  entries.emplace(AllOrganisationsKey(), member);
  entries.emplace(KindKey(org.kind()), member);
  for (int domain : org.domains()) entries.emplace(DomainKey(domain), member);
  entries.emplace(CommuneKey(org.commune()), member);
  return entries;
}

bool Matches(const Organisation& org, const OrganisationFilter& filter) {
  if (filter.kind != relais::v1::ORGANISATION_KIND_UNSPECIFIED && org.kind() != filter.kind) {
    return false;
  }
  if (filter.domain != relais::v1::DOMAIN_UNSPECIFIED &&
      std::find(org.domains().begin(), org.domains().end(), filter.domain) == org.domains().end()) {
    return false;
  }
  return filter.commune.empty() || FoldCase(org.commune()) == FoldCase(filter.commune);
}

// The most selective index the filter names; the others are checked on the organisations read.
std::string IndexFor(const OrganisationFilter& filter) {
  if (!filter.commune.empty()) return CommuneKey(filter.commune);
  if (filter.domain != relais::v1::DOMAIN_UNSPECIFIED) return DomainKey(filter.domain);
  if (filter.kind != relais::v1::ORGANISATION_KIND_UNSPECIFIED) return KindKey(filter.kind);
  return AllOrganisationsKey();
}

// Entities of index members, all of which must exist: index and entity are written in one
// atomic step, so a dangling entry is a broken invariant.
template <class T>
absl::StatusOr<std::vector<T>> ReadIndexed(Committer& committer,
                                           const std::vector<std::string>& keys) {
  auto stored = committer.ReadMany(keys);
  if (!stored.ok()) return stored.status();
  std::vector<T> values;
  values.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!(*stored)[i].has_value()) {
      return absl::InternalError(absl::StrCat("index entry without its entity: ", keys[i]));
    }
    T value;
    if (!value.ParseFromString((*stored)[i]->value)) {
      return absl::InternalError(absl::StrCat("stored value is unreadable: ", keys[i]));
    }
    values.push_back(std::move(value));
  }
  return values;
}

absl::StatusOr<std::string> DecodeToken(const std::string& token) {
  std::string member;
  if (!absl::WebSafeBase64Unescape(token, &member) || member.empty()) {
    return absl::InvalidArgumentError("page_token: not a token this server issued");
  }
  return member;
}

}  // namespace

std::string ExternalRefDigest(std::string_view external_ref) { return Sha256Hex(external_ref); }

absl::StatusOr<std::vector<std::string>> RedisInventoryStore::RangeAfter(const std::string& key,
                                                                         const std::string& after,
                                                                         int count) {
  auto reply = redis_.Command({"ZRANGE", key, after.empty() ? "-" : "(" + after, "+", "BYLEX",
                               "LIMIT", "0", absl::StrCat(count)});
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) return ErrorReplyToStatus(*reply);
  std::vector<std::string> members;
  for (const auto& element : reply->elements()) members.push_back(element.str());
  return members;
}

// --- Organisations ---

absl::StatusOr<std::optional<Organisation>> RedisInventoryStore::GetOrganisation(
    const std::string& organisation_id) {
  return ReadMessage<Organisation>(committer_, OrganisationKey(organisation_id));
}

absl::StatusOr<OrganisationPage> RedisInventoryStore::ListOrganisations(
    const OrganisationFilter& filter, int page_size, const std::string& page_token) {
  std::string after;
  if (!page_token.empty()) {
    auto member = DecodeToken(page_token);
    if (!member.ok()) return member.status();
    if (IdOfOrganisationMember(*member).empty()) {
      return absl::InvalidArgumentError("page_token: not a token this server issued");
    }
    after = *std::move(member);
  }
  const std::string index = IndexFor(filter);
  // Matches found, with their members; one more than a page tells whether another page follows.
  std::vector<std::pair<Organisation, std::string>> found;
  std::string last_scanned;
  int scanned = 0;
  bool exhausted = false;
  while (static_cast<int>(found.size()) <= page_size && scanned < kMaxScannedPerPage) {
    const int chunk = std::max(page_size + 1, kScanChunk);
    auto members = RangeAfter(index, after, chunk);
    if (!members.ok()) return members.status();
    std::vector<std::string> keys;
    for (const auto& member : *members) {
      const std::string id = IdOfOrganisationMember(member);
      if (id.empty()) return absl::InternalError(absl::StrCat("bad index member in ", index));
      keys.push_back(OrganisationKey(id));
    }
    auto orgs = ReadIndexed<Organisation>(committer_, keys);
    if (!orgs.ok()) return orgs.status();
    for (size_t i = 0; i < members->size(); ++i) {
      ++scanned;
      last_scanned = (*members)[i];
      if (!Matches((*orgs)[i], filter)) continue;
      found.emplace_back(std::move((*orgs)[i]), (*members)[i]);
      if (static_cast<int>(found.size()) > page_size) break;
    }
    if (static_cast<int>(members->size()) < chunk) {
      exhausted = static_cast<int>(found.size()) <= page_size;
      break;
    }
    after = last_scanned;
  }

  OrganisationPage page;
  if (static_cast<int>(found.size()) > page_size) {
    found.resize(page_size);
    page.next_page_token = absl::WebSafeBase64Escape(found.back().second);
  } else if (!exhausted && !last_scanned.empty()) {
    // Stopped scanning before the end: go on from the last member looked at.
    page.next_page_token = absl::WebSafeBase64Escape(last_scanned);
  }
  for (auto& [org, member] : found) page.organisations.push_back(std::move(org));
  return page;
}

absl::StatusOr<std::optional<std::string>> RedisInventoryStore::FindOrganisationByExternalRef(
    const std::string& external_ref) {
  auto stored = committer_.Read(OrganisationClaimKey(external_ref));
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return std::nullopt;
  return std::optional<std::string>((*stored)->value);
}

absl::StatusOr<CommitResult> RedisInventoryStore::SaveOrganisation(
    const std::optional<Organisation>& previous, const Organisation& next,
    const IdempotencyKey& idem, const relais::v1::Event& event,
    const relais::internal::StoredOutcome& outcome) {
  CommitRequest request;
  request.idem = idem;
  request.writes.push_back(
      {OrganisationKey(next.id()), previous ? previous->version() : 0, next.SerializeAsString()});
  const std::string old_ref = previous ? previous->external_ref() : "";
  if (old_ref != next.external_ref()) {
    if (!old_ref.empty()) {
      // An empty value at the current version deletes the claim.
      request.writes.push_back({OrganisationClaimKey(old_ref), kClaimVersion, ""});
    }
    if (!next.external_ref().empty()) {
      // Create-if-absent: a concurrent claim of the same reference makes this commit ABORTED.
      request.writes.push_back({OrganisationClaimKey(next.external_ref()), 0, next.id()});
    }
  }
  const auto after = IndexEntriesOf(next);
  const auto before =
      previous ? IndexEntriesOf(*previous) : std::set<std::pair<std::string, std::string>>{};
  for (const auto& [key, member] : before) {
    if (!after.contains({key, member})) {
      request.index_ops.push_back({IndexOp::Kind::kRemove, key, member});
    }
  }
  for (const auto& [key, member] : after) {
    if (!before.contains({key, member})) {
      request.index_ops.push_back({IndexOp::Kind::kAdd, key, member});
    }
  }
  request.event = event;
  request.outcome = outcome;
  return committer_.Commit(request);
}

// --- Responders ---

absl::StatusOr<std::optional<Responder>> RedisInventoryStore::GetResponder(
    const std::string& responder_id) {
  return ReadMessage<Responder>(committer_, ResponderKey(responder_id));
}

absl::StatusOr<std::vector<std::optional<Responder>>> RedisInventoryStore::GetResponders(
    const std::vector<std::string>& responder_ids) {
  std::vector<std::string> keys;
  keys.reserve(responder_ids.size());
  for (const std::string& id : responder_ids) keys.push_back(ResponderKey(id));
  auto stored = committer_.ReadMany(keys);
  if (!stored.ok()) return stored.status();
  std::vector<std::optional<Responder>> responders;
  responders.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!(*stored)[i].has_value()) {
      responders.push_back(std::nullopt);
      continue;
    }
    Responder responder;
    if (!responder.ParseFromString((*stored)[i]->value)) {
      return absl::InternalError(absl::StrCat("stored value is unreadable: ", keys[i]));
    }
    responders.push_back(std::move(responder));
  }
  return responders;
}

absl::StatusOr<std::optional<std::string>> RedisInventoryStore::FindByExternalRef(
    const std::string& organisation_id, const std::string& external_ref) {
  auto stored = committer_.Read(ClaimKey(organisation_id, external_ref));
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return std::nullopt;
  return std::optional<std::string>((*stored)->value);
}

absl::StatusOr<ResponderPage> RedisInventoryStore::ListResponders(
    const std::string& organisation_id, int page_size, const std::string& page_token) {
  std::string after;
  if (!page_token.empty()) {
    auto member = DecodeToken(page_token);
    if (!member.ok()) return member.status();
    if (!CheckResourceId("id", *member).ok()) {
      return absl::InvalidArgumentError("page_token: not a token this server issued");
    }
    after = *std::move(member);
  }
  auto ids = RangeAfter(RespondersIndexKey(organisation_id), after, page_size + 1);
  if (!ids.ok()) return ids.status();
  const bool more = static_cast<int>(ids->size()) > page_size;
  if (more) ids->resize(page_size);
  std::vector<std::string> keys;
  for (const auto& id : *ids) keys.push_back(ResponderKey(id));
  auto responders = ReadIndexed<Responder>(committer_, keys);
  if (!responders.ok()) return responders.status();
  ResponderPage page;
  page.responders = *std::move(responders);
  if (more && !ids->empty()) page.next_page_token = absl::WebSafeBase64Escape(ids->back());
  return page;
}

absl::StatusOr<CommitResult> RedisInventoryStore::SaveResponder(
    const std::optional<Responder>& previous, const Responder& next,
    const std::optional<AvailabilityCalendar>& calendar, const IdempotencyKey& idem,
    const relais::v1::Event& event, const relais::internal::StoredOutcome& outcome) {
  CommitRequest request;
  request.idem = idem;
  request.writes.push_back(
      {ResponderKey(next.id()), previous ? previous->version() : 0, next.SerializeAsString()});
  if (!previous) {
    if (calendar) {
      request.writes.push_back({CalendarKey(next.id()), 0, calendar->SerializeAsString()});
      if (calendar->periods_size() > 0) request.index_ops.push_back(DueEntry(*calendar));
    }
    request.index_ops.push_back(
        {IndexOp::Kind::kAdd, RespondersIndexKey(next.organisation_id()), next.id()});
  }
  const std::string old_ref = previous ? previous->external_ref() : "";
  if (old_ref != next.external_ref()) {
    if (!old_ref.empty()) {
      // An empty value at the current version deletes the claim.
      request.writes.push_back({ClaimKey(previous->organisation_id(), old_ref), kClaimVersion, ""});
    }
    if (!next.external_ref().empty()) {
      // Create-if-absent: a concurrent claim of the same reference makes this commit ABORTED.
      request.writes.push_back(
          {ClaimKey(next.organisation_id(), next.external_ref()), 0, next.id()});
    }
  }
  request.event = event;
  request.outcome = outcome;
  return committer_.Commit(request);
}

absl::StatusOr<CommitResult> RedisInventoryStore::EraseResponder(
    const Responder& current, int64_t calendar_version, const IdempotencyKey& idem,
    const relais::v1::Event& event, const relais::internal::StoredOutcome& outcome) {
  CommitRequest request;
  request.idem = idem;
  // Empty values at the current versions: deletions.
  request.writes.push_back({ResponderKey(current.id()), current.version(), ""});
  request.writes.push_back({CalendarKey(current.id()), calendar_version, ""});
  if (!current.external_ref().empty()) {
    request.writes.push_back(
        {ClaimKey(current.organisation_id(), current.external_ref()), kClaimVersion, ""});
  }
  request.index_ops.push_back(
      {IndexOp::Kind::kRemove, RespondersIndexKey(current.organisation_id()), current.id()});
  request.index_ops.push_back({IndexOp::Kind::kRemove, DueCalendarsKey(), current.id()});
  // Checked in the same step as the erasure: a hold placed or a team formed since
  // CheckErasable looked would otherwise be left pointing at nobody. The order is the one of
  // the messages below.
  request.must_be_absent = {BookingsKey(current.id()), ResponderTeamsKey(current.id())};
  request.event = event;
  request.outcome = outcome;
  auto committed = committer_.Commit(request);
  if (!absl::IsFailedPrecondition(committed.status())) return committed;
  const std::string message(committed.status().message());
  if (message == "commit: precondition 0 failed") return HasBookings(current.id());
  if (message == "commit: precondition 1 failed") {
    // Read the team to name it. Gone again meanwhile: like a version conflict, the caller
    // reads again and tries again.
    absl::Status named = CheckErasable(current.id());
    if (absl::IsFailedPrecondition(named) || !named.ok()) return named;
    return absl::AbortedError("the responder's teams changed while they were being erased");
  }
  return committed;
}

absl::Status RedisInventoryStore::CheckErasable(const std::string& responder_id) {
  auto replies = redis_.Pipeline({{"EXISTS", BookingsKey(responder_id)},
                                  {"ZRANGE", ResponderTeamsKey(responder_id), "0", "0"}});
  if (!replies.ok()) return replies.status();
  if (replies->size() != 2) return absl::InternalError("erasure check: unexpected reply");
  const Reply& bookings = (*replies)[0];
  const Reply& teams = (*replies)[1];
  if (bookings.is_error()) return ErrorReplyToStatus(bookings);
  if (teams.is_error()) return ErrorReplyToStatus(teams);
  if (bookings.integer() > 0) return HasBookings(responder_id);
  if (!teams.elements().empty()) return InTeam(responder_id, teams.elements()[0].str());
  return absl::OkStatus();
}

// --- Availability ---

absl::StatusOr<std::optional<AvailabilityCalendar>> RedisInventoryStore::GetCalendar(
    const std::string& responder_id) {
  return ReadMessage<AvailabilityCalendar>(committer_, CalendarKey(responder_id));
}

absl::StatusOr<CommitResult> RedisInventoryStore::SaveCalendar(
    int64_t previous_version, const AvailabilityCalendar& next, const IdempotencyKey& idem,
    const relais::v1::Event& event, const relais::internal::StoredOutcome& outcome) {
  CommitRequest request;
  request.idem = idem;
  // previous_version > 0 always: a calendar is created with its responder, so a calendar erased
  // meanwhile (version 0 now) makes this commit ABORTED instead of bringing it back.
  request.writes.push_back(
      {CalendarKey(next.responder_id()), previous_version, next.SerializeAsString()});
  request.index_ops.push_back(DueEntry(next));
  request.event = event;
  request.outcome = outcome;
  return committer_.Commit(request);
}

absl::StatusOr<std::vector<std::string>> RedisInventoryStore::DueCalendars(absl::Time now,
                                                                           int limit) {
  auto reply =
      redis_.Command({"ZRANGE", DueCalendarsKey(), "-inf", absl::StrCat(absl::ToUnixMillis(now)),
                      "BYSCORE", "LIMIT", "0", absl::StrCat(limit)});
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) return ErrorReplyToStatus(*reply);
  std::vector<std::string> responder_ids;
  for (const auto& element : reply->elements()) responder_ids.push_back(element.str());
  return responder_ids;
}

// --- Idempotency ---

absl::StatusOr<CommitResult> RedisInventoryStore::Refuse(
    const IdempotencyKey& idem, const relais::internal::StoredOutcome& outcome) {
  return committer_.RecordRefusal(idem, outcome);
}

absl::StatusOr<std::optional<CommitResult>> RedisInventoryStore::FindOutcome(
    const IdempotencyKey& idem) {
  return committer_.Lookup(idem);
}

}  // namespace relais::inventory
