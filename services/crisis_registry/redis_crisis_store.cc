#include "services/crisis_registry/redis_crisis_store.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"

namespace relais::crisis {
namespace {

using relais::v1::Crisis;

constexpr int64_t kMaxMillis = 9'999'999'999'999;  // 13 digits: year 2286

std::string CrisisKey(const std::string& id) { return absl::StrCat(kKeyPrefix, ":c:", id); }

std::string IndexKey(const CrisisFilter& filter) {
  const int status = static_cast<int>(filter.status);
  const int kind = static_cast<int>(filter.kind);
  if (status != 0 && kind != 0) return absl::StrCat(kKeyPrefix, ":idx:sk:", status, ":", kind);
  if (status != 0) return absl::StrCat(kKeyPrefix, ":idx:s:", status);
  if (kind != 0) return absl::StrCat(kKeyPrefix, ":idx:k:", kind);
  return absl::StrCat(kKeyPrefix, ":idx:all");
}

// Every index a crisis belongs to: the same four filters List can ask for.
std::vector<std::string> IndexKeysOf(const Crisis& crisis) {
  std::vector<std::string> keys;
  for (auto status : {relais::v1::CRISIS_STATUS_UNSPECIFIED, crisis.status()}) {
    for (auto kind : {relais::v1::CRISIS_KIND_UNSPECIFIED, crisis.kind()}) {
      keys.push_back(IndexKey({status, kind}));
    }
  }
  return keys;
}

std::string IndexMember(const Crisis& crisis) {
  const int64_t millis =
      google::protobuf::util::TimeUtil::TimestampToMilliseconds(crisis.declared_at());
  return absl::StrFormat("%013d:%s", kMaxMillis - std::clamp<int64_t>(millis, 0, kMaxMillis),
                         crisis.id());
}

bool IsIndexMember(std::string_view member) {
  if (member.size() < 15 || member[13] != ':') return false;
  for (size_t i = 0; i < 13; ++i) {
    if (member[i] < '0' || member[i] > '9') return false;
  }
  for (char c : member.substr(14)) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return member.size() <= 14 + 64;
}

absl::StatusOr<Crisis> ParseCrisis(const std::string& bytes, const std::string& key) {
  Crisis crisis;
  if (!crisis.ParseFromString(bytes)) {
    return absl::InternalError(absl::StrCat("stored crisis is unreadable: ", key));
  }
  return crisis;
}

}  // namespace

absl::StatusOr<std::optional<Crisis>> RedisCrisisStore::Get(const std::string& crisis_id) {
  const std::string key = CrisisKey(crisis_id);
  auto stored = committer_.Read(key);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return std::nullopt;
  auto crisis = ParseCrisis((*stored)->value, key);
  if (!crisis.ok()) return crisis.status();
  return std::optional<Crisis>(*std::move(crisis));
}

absl::StatusOr<CrisisPage> RedisCrisisStore::List(const CrisisFilter& filter, int page_size,
                                                  const std::string& page_token) {
  std::string start = "-";
  if (!page_token.empty()) {
    std::string member;
    if (!absl::WebSafeBase64Unescape(page_token, &member) || !IsIndexMember(member)) {
      return absl::InvalidArgumentError("page_token: not a token this server issued");
    }
    start = "(" + member;
  }
  auto reply = redis_.Command(
      {"ZRANGE", IndexKey(filter), start, "+", "BYLEX", "LIMIT", "0", absl::StrCat(page_size + 1)});
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) return absl::InternalError("redis: " + reply->str());

  std::vector<std::string> members;
  for (const auto& element : reply->elements()) members.push_back(element.str());
  const bool more = static_cast<int>(members.size()) > page_size;
  if (more) members.resize(page_size);

  std::vector<std::string> keys;
  for (const auto& member : members) keys.push_back(CrisisKey(member.substr(14)));
  auto stored = committer_.ReadMany(keys);
  if (!stored.ok()) return stored.status();

  CrisisPage page;
  for (size_t i = 0; i < keys.size(); ++i) {
    // Index and crisis are written in one atomic step, so a dangling entry is a broken invariant.
    if (!(*stored)[i].has_value()) {
      return absl::InternalError(absl::StrCat("index entry without crisis: ", keys[i]));
    }
    auto crisis = ParseCrisis((*stored)[i]->value, keys[i]);
    if (!crisis.ok()) return crisis.status();
    page.crises.push_back(*std::move(crisis));
  }
  if (more && !members.empty()) page.next_page_token = absl::WebSafeBase64Escape(members.back());
  return page;
}

absl::StatusOr<CommitResult> RedisCrisisStore::Save(
    const std::optional<Crisis>& previous, const Crisis& next, const IdempotencyKey& idem,
    const relais::v1::Event& event, const relais::internal::StoredOutcome& outcome) {
  CommitRequest request;
  request.idem = idem;
  request.writes.push_back(
      {CrisisKey(next.id()), previous ? previous->version() : 0, next.SerializeAsString()});
  const std::string member = IndexMember(next);
  const std::vector<std::string> after = IndexKeysOf(next);
  const std::vector<std::string> before =
      previous ? IndexKeysOf(*previous) : std::vector<std::string>{};
  for (const auto& key : before) {
    if (std::find(after.begin(), after.end(), key) == after.end()) {
      request.index_ops.push_back({IndexOp::Kind::kRemove, key, member});
    }
  }
  for (const auto& key : after) {
    if (std::find(before.begin(), before.end(), key) == before.end()) {
      request.index_ops.push_back({IndexOp::Kind::kAdd, key, member});
    }
  }
  request.event = event;
  request.outcome = outcome;
  return committer_.Commit(request);
}

absl::StatusOr<CommitResult> RedisCrisisStore::Refuse(
    const IdempotencyKey& idem, const relais::internal::StoredOutcome& outcome) {
  return committer_.RecordRefusal(idem, outcome);
}

absl::StatusOr<std::optional<CommitResult>> RedisCrisisStore::FindOutcome(
    const IdempotencyKey& idem) {
  return committer_.Lookup(idem);
}

}  // namespace relais::crisis
