#include "services/inventory/responder_index.h"

#include <algorithm>
#include <utility>

#include "absl/hash/hash.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "relais/v1/events.pb.h"
#include "relais/v1/inventory.pb.h"
#include "services/inventory/inventory_store.h"

namespace relais::inventory {
namespace {

using relais::v1::AvailabilityCalendar;
using relais::v1::Responder;

std::string ResponderKeyPrefix() { return absl::StrCat(kKeyPrefix, ":rsp:"); }
std::string CalendarKey(const std::string& id) { return absl::StrCat(kKeyPrefix, ":avl:", id); }

// The inventory events that change what a card holds; each names its responder.
bool ChangesACard(relais::v1::EventType type) {
  switch (type) {
    case relais::v1::EVENT_TYPE_RESPONDER_REGISTERED:
    case relais::v1::EVENT_TYPE_RESPONDER_UPDATED:
    case relais::v1::EVENT_TYPE_RESPONDER_REMOVED:
    case relais::v1::EVENT_TYPE_EXPERIENCE_RECORDED:
    case relais::v1::EVENT_TYPE_AVAILABILITY_SET:
    case relais::v1::EVENT_TYPE_AVAILABILITY_CLEARED:
    case relais::v1::EVENT_TYPE_AVAILABILITY_SWEPT:
      return true;
    default:
      return false;
  }
}

// "<ms>-<seq>" as a pair that sorts like the log; {0, 0} for anything else.
std::pair<uint64_t, uint64_t> StreamId(const std::string& id) {
  const size_t dash = id.find('-');
  uint64_t ms = 0;
  uint64_t seq = 0;
  if (dash == std::string::npos) {
    if (!absl::SimpleAtoi(id, &ms)) return {0, 0};
    return {ms, 0};
  }
  if (!absl::SimpleAtoi(id.substr(0, dash), &ms) || !absl::SimpleAtoi(id.substr(dash + 1), &seq)) {
    return {0, 0};
  }
  return {ms, seq};
}

// Each distinct skill of a card once (a stored responder has no duplicates, but a posting list
// must never hold a card twice).
std::vector<CodeId> DistinctSkills(const ResponderCard& card) {
  std::vector<CodeId> codes;
  for (const CardSkill& skill : card.skills) {
    if (skill.code == kNoCode) continue;
    if (std::find(codes.begin(), codes.end(), skill.code) == codes.end()) {
      codes.push_back(skill.code);
    }
  }
  return codes;
}

absl::Status ReplyError(const Reply& reply) {
  if (reply.is_error()) return ErrorReplyToStatus(reply);
  return absl::OkStatus();
}

}  // namespace

size_t ResponderIndex::CardHash::operator()(std::string_view id) const {
  return absl::Hash<absl::string_view>()(absl::string_view(id.data(), id.size()));
}

ResponderIndex::ResponderIndex(RedisClient& redis, std::string event_log_key)
    : redis_(redis), log_(redis, std::move(event_log_key)) {}

absl::Status ResponderIndex::Load() {
  absl::MutexLock lock(&refresh_mu_);
  const uint64_t covering = tickets_.load();
  absl::Status status = LoadLocked();
  if (status.ok()) covered_ = std::max(covered_, covering);
  return status;
}

absl::Status ResponderIndex::CatchUp() {
  const uint64_t ticket = tickets_.fetch_add(1) + 1;
  absl::MutexLock lock(&refresh_mu_);
  // Another caller's refresh started reading after this call began: it saw what we would see.
  if (covered_ >= ticket) return absl::OkStatus();
  const uint64_t covering = tickets_.load();
  absl::Status status = loaded_ ? CatchUpLocked() : LoadLocked();
  if (status.ok()) covered_ = std::max(covered_, covering);
  return status;
}

absl::StatusOr<std::string> ResponderIndex::LogPosition() {
  auto reply = redis_.Command({"XREVRANGE", log_.key(), "+", "-", "COUNT", "1"});
  if (!reply.ok()) return reply.status();
  if (auto status = ReplyError(*reply); !status.ok()) return status;
  if (reply->elements().empty()) return std::string("0-0");
  const Reply& entry = reply->elements()[0];
  if (entry.elements().empty() || !entry.elements()[0].is_string()) {
    return absl::InternalError("event log: malformed entry");
  }
  return entry.elements()[0].str();
}

absl::StatusOr<std::vector<ResponderIndex::Loaded>> ResponderIndex::ReadCards(
    const std::vector<std::string>& ids) {
  std::vector<Loaded> loaded;
  loaded.reserve(ids.size());
  const std::string prefix = ResponderKeyPrefix();
  for (size_t first = 0; first < ids.size(); first += kReadBatch) {
    const size_t last = std::min(ids.size(), first + kReadBatch);
    std::vector<std::vector<std::string>> commands;
    commands.reserve(2 * (last - first));
    for (size_t i = first; i < last; ++i) {
      commands.push_back({"HGET", prefix + ids[i], "d"});
      commands.push_back({"HGET", CalendarKey(ids[i]), "d"});
    }
    auto replies = redis_.Pipeline(commands);
    if (!replies.ok()) return replies.status();
    for (size_t i = first; i < last; ++i) {
      const Reply& record = (*replies)[2 * (i - first)];
      const Reply& calendar_record = (*replies)[2 * (i - first) + 1];
      if (auto status = ReplyError(record); !status.ok()) return status;
      if (auto status = ReplyError(calendar_record); !status.ok()) return status;
      Loaded entry{ids[i], nullptr};
      if (!record.is_nil()) {
        Responder responder;
        if (!responder.ParseFromString(record.str())) {
          return absl::InternalError(absl::StrCat("stored value is unreadable: ", prefix, ids[i]));
        }
        // Written with its responder in one step; absent only in the instant of an erasure,
        // whose event comes next.
        AvailabilityCalendar calendar;
        if (!calendar_record.is_nil() && !calendar.ParseFromString(calendar_record.str())) {
          return absl::InternalError(
              absl::StrCat("stored value is unreadable: ", CalendarKey(ids[i])));
        }
        entry.card = std::make_unique<ResponderCard>(CardFromResponder(responder, calendar));
      }
      loaded.push_back(std::move(entry));
    }
  }
  return loaded;
}

ResponderIndex::SkillLists ResponderIndex::BuildSkillLists(const CardSet& cards) {
  std::vector<const ResponderCard*> by_id;
  by_id.reserve(cards.size());
  for (const auto& card : cards) by_id.push_back(card.get());
  std::sort(by_id.begin(), by_id.end(),
            [](const ResponderCard* a, const ResponderCard* b) { return a->id < b->id; });
  SkillLists lists;
  for (const ResponderCard* card : by_id) {
    for (CodeId code : DistinctSkills(*card)) lists[code].push_back(PostingOf(*card, code));
  }
  return lists;
}

absl::Status ResponderIndex::LoadLocked() {
  // First the position: whatever changes during the build is logged after it and applied again.
  auto position = LogPosition();
  if (!position.ok()) return position.status();
  CardSet fresh;
  const std::string prefix = ResponderKeyPrefix();
  std::string scan = "0";
  do {
    auto reply =
        redis_.Command({"SCAN", scan, "MATCH", prefix + "*", "COUNT", absl::StrCat(kScanCount)});
    if (!reply.ok()) return reply.status();
    if (auto status = ReplyError(*reply); !status.ok()) return status;
    if (reply->elements().size() != 2) return absl::InternalError("SCAN: unexpected reply");
    scan = reply->elements()[0].str();
    std::vector<std::string> ids;
    for (const Reply& key : reply->elements()[1].elements()) {
      ids.push_back(key.str().substr(prefix.size()));
    }
    auto loaded = ReadCards(ids);
    if (!loaded.ok()) return loaded.status();
    for (Loaded& entry : *loaded) {
      if (entry.card == nullptr) continue;  // erased since SCAN saw it
      // SCAN may return a key twice.
      if (auto it = fresh.find(std::string_view(entry.id)); it != fresh.end()) fresh.erase(it);
      fresh.insert(std::move(entry.card));
    }
  } while (scan != "0");
  SkillLists lists = BuildSkillLists(fresh);
  {
    absl::MutexLock lock(&mu_);
    cards_.swap(fresh);
    by_skill_.swap(lists);
  }
  // The previous cards are freed here, outside the lock.
  cursor_ = *std::move(position);
  loaded_ = true;
  full_loads_.fetch_add(1);
  return absl::OkStatus();
}

absl::Status ResponderIndex::CatchUpLocked() {
  for (;;) {
    auto events = log_.ReadAfter(cursor_, kEventBatch);
    if (!events.ok()) return events.status();
    if (events->empty()) return absl::OkStatus();
    // The log is trimmed from its oldest end: when even its oldest entry is newer than the
    // cursor, entries after the cursor may be gone with their changes.
    auto oldest = log_.ReadAfter("", 1);
    if (!oldest.ok()) return oldest.status();
    if (!oldest->empty() && StreamId(cursor_) < StreamId(oldest->front().cursor())) {
      return LoadLocked();
    }
    std::vector<std::string> ids;
    absl::flat_hash_set<std::string> seen;
    for (const relais::v1::Event& event : *events) {
      if (!ChangesACard(event.type()) || event.responder_id().empty()) continue;
      if (seen.insert(event.responder_id()).second) ids.push_back(event.responder_id());
    }
    if (!ids.empty()) {
      auto loaded = ReadCards(ids);
      if (!loaded.ok()) return loaded.status();
      absl::MutexLock lock(&mu_);
      ApplyLocked(*std::move(loaded));
    }
    cursor_ = events->back().cursor();
    if (static_cast<int>(events->size()) < kEventBatch) return absl::OkStatus();
  }
}

void ResponderIndex::ApplyLocked(std::vector<Loaded> changes) {
  if (changes.size() > kRebuildThreshold) {
    for (Loaded& change : changes) {
      if (auto it = cards_.find(std::string_view(change.id)); it != cards_.end()) cards_.erase(it);
      if (change.card != nullptr) cards_.insert(std::move(change.card));
    }
    by_skill_ = BuildSkillLists(cards_);
    return;
  }
  for (Loaded& change : changes) {
    const ResponderCard* card = change.card.get();  // nullptr: erased
    const std::vector<CodeId> now = card != nullptr ? DistinctSkills(*card) : std::vector<CodeId>{};
    const auto has = [](const std::vector<CodeId>& codes, CodeId code) {
      return std::find(codes.begin(), codes.end(), code) != codes.end();
    };
    // Where the card of change.id is or belongs in `list`.
    const auto place = [&](std::vector<Posting>& list) {
      return std::lower_bound(
          list.begin(), list.end(), change.id,
          [](const Posting& p, const std::string& id) { return p.card->id < id; });
    };
    std::vector<CodeId> before;
    auto it = cards_.find(std::string_view(change.id));
    if (it != cards_.end()) {
      before = DistinctSkills(**it);
      for (CodeId code : before) {
        auto list = by_skill_.find(code);
        if (list == by_skill_.end()) continue;
        auto at = place(list->second);
        if (at == list->second.end() || at->card != it->get()) continue;
        if (has(now, code)) {
          *at = PostingOf(*card, code);  // same id, same place
        } else {
          list->second.erase(at);
        }
      }
    }
    for (CodeId code : now) {
      if (has(before, code)) continue;
      std::vector<Posting>& list = by_skill_[code];
      list.insert(place(list), PostingOf(*card, code));
    }
    // The old card is freed here, after its postings are gone.
    if (it != cards_.end()) cards_.erase(it);
    if (change.card != nullptr) cards_.insert(std::move(change.card));
  }
}

std::vector<Candidate> ResponderIndex::Search(const SearchQuery& query, size_t limit) const {
  absl::ReaderMutexLock lock(&mu_);
  auto list = by_skill_.find(query.skill);
  if (list == by_skill_.end()) return {};
  return SearchPostings(list->second, query, limit);
}

size_t ResponderIndex::size() const {
  absl::ReaderMutexLock lock(&mu_);
  return cards_.size();
}

std::string ResponderIndex::cursor() const {
  absl::MutexLock lock(&refresh_mu_);
  return cursor_;
}

}  // namespace relais::inventory
