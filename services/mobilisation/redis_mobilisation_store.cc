#include "services/mobilisation/redis_mobilisation_store.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace relais::mobilisation {
namespace v1 = relais::v1;

namespace keys {
std::string Need(const std::string& c, const std::string& n) {
  return absl::StrCat("mob:need:", c, ":", n);
}
std::string Request(const std::string& id) { return "mob:req:" + id; }
std::string Assignment(const std::string& id) { return "mob:asg:" + id; }
std::string RequestsOfCrisis(const std::string& c) { return "mob:idx:req:c:" + c; }
std::string RequestsOfNeed(const std::string& c, const std::string& n) {
  return absl::StrCat("mob:idx:req:n:", c, ":", n);
}
std::string RequestsOf(const std::string& t) { return "mob:idx:req:r:" + t; }
std::string AssignmentsOfCrisis(const std::string& c) { return "mob:idx:asg:c:" + c; }
std::string AssignmentsOfNeed(const std::string& c, const std::string& n) {
  return absl::StrCat("mob:idx:asg:n:", c, ":", n);
}
std::string AssignmentsOf(const std::string& t) { return "mob:idx:asg:r:" + t; }
std::string NeedsOfCrisis(const std::string& c) { return "mob:needs:c:" + c; }
std::string Rotation(const std::string& t) { return "mob:rot:" + t; }
}  // namespace keys

namespace {

absl::Status ReplyError(const Reply& reply) {
  if (reply.is_error()) return absl::InternalError("redis: " + reply.str());
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::optional<Stored<relais::internal::NeedState>>> MobilisationStore::ReadNeed(
    const std::string& crisis_id, const std::string& need_id) {
  auto stored = committer_.Read(keys::Need(crisis_id, need_id));
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return std::nullopt;
  Stored<relais::internal::NeedState> out;
  if (!out.value.ParseFromString((*stored)->value)) {
    return absl::InternalError("stored need state is unreadable");
  }
  out.version = (*stored)->version;
  out.value.mutable_progress()->set_version(out.version);
  return std::optional(std::move(out));
}

template <class M>
absl::StatusOr<std::vector<M>> MobilisationStore::ReadMany(const std::vector<std::string>& keys) {
  std::vector<M> out;
  if (keys.empty()) return out;
  auto stored = committer_.ReadMany(keys);
  if (!stored.ok()) return stored.status();
  out.reserve(keys.size());
  for (size_t i = 0; i < stored->size(); ++i) {
    if (!(*stored)[i].has_value()) continue;
    M value;
    if (!value.ParseFromString((*stored)[i]->value)) {
      return absl::InternalError("stored value is unreadable: " + keys[i]);
    }
    value.set_version((*stored)[i]->version);
    out.push_back(std::move(value));
  }
  return out;
}

absl::StatusOr<std::optional<v1::MobilisationRequest>> MobilisationStore::ReadRequest(
    const std::string& id) {
  auto many = ReadMany<v1::MobilisationRequest>({keys::Request(id)});
  if (!many.ok()) return many.status();
  if (many->empty()) return std::nullopt;
  return std::optional(std::move(many->front()));
}

absl::StatusOr<std::optional<v1::Assignment>> MobilisationStore::ReadAssignment(
    const std::string& id) {
  auto many = ReadMany<v1::Assignment>({keys::Assignment(id)});
  if (!many.ok()) return many.status();
  if (many->empty()) return std::nullopt;
  return std::optional(std::move(many->front()));
}

absl::StatusOr<std::vector<v1::MobilisationRequest>> MobilisationStore::ReadRequests(
    const std::vector<std::string>& ids) {
  std::vector<std::string> k;
  k.reserve(ids.size());
  for (const auto& id : ids) k.push_back(keys::Request(id));
  return ReadMany<v1::MobilisationRequest>(k);
}

absl::StatusOr<std::vector<v1::Assignment>> MobilisationStore::ReadAssignments(
    const std::vector<std::string>& ids) {
  std::vector<std::string> k;
  k.reserve(ids.size());
  for (const auto& id : ids) k.push_back(keys::Assignment(id));
  return ReadMany<v1::Assignment>(k);
}

absl::StatusOr<std::vector<std::string>> MobilisationStore::Page(const std::string& index_key,
                                                                 const std::string& after,
                                                                 int count) {
  auto reply = redis_.Command({"ZREVRANGEBYLEX", index_key, after.empty() ? "+" : "(" + after, "-",
                               "LIMIT", "0", absl::StrCat(count)});
  if (!reply.ok()) return reply.status();
  if (auto s = ReplyError(*reply); !s.ok()) return s;
  std::vector<std::string> out;
  for (const Reply& e : reply->elements()) out.push_back(e.str());
  return out;
}

absl::StatusOr<std::vector<std::string>> MobilisationStore::All(const std::string& index_key) {
  auto reply = redis_.Command({"ZRANGE", index_key, "0", "-1"});
  if (!reply.ok()) return reply.status();
  if (auto s = ReplyError(*reply); !s.ok()) return s;
  std::vector<std::string> out;
  for (const Reply& e : reply->elements()) out.push_back(e.str());
  return out;
}

absl::StatusOr<std::vector<std::string>> MobilisationStore::Due(const std::string& key,
                                                                absl::Time now, int limit) {
  auto reply = redis_.Command({"ZRANGE", key, "-inf", absl::StrCat(absl::ToUnixMillis(now)),
                               "BYSCORE", "LIMIT", "0", absl::StrCat(limit)});
  if (!reply.ok()) return reply.status();
  if (auto s = ReplyError(*reply); !s.ok()) return s;
  std::vector<std::string> out;
  for (const Reply& e : reply->elements()) out.push_back(e.str());
  return out;
}

absl::Status MobilisationStore::Reschedule(const std::string& member, absl::Time when) {
  // XX: only a step still listed is moved (one done meanwhile stays done).
  auto reply =
      redis_.Command({"ZADD", keys::kTodo, "XX", absl::StrCat(absl::ToUnixMillis(when)), member});
  if (!reply.ok()) return reply.status();
  return ReplyError(*reply);
}

absl::Status MobilisationStore::Done(const std::string& member) {
  auto reply = redis_.Command({"ZREM", keys::kTodo, member});
  if (!reply.ok()) return reply.status();
  return ReplyError(*reply);
}

absl::Status MobilisationStore::Schedule(const std::string& member, absl::Time when) {
  auto reply =
      redis_.Command({"ZADD", keys::kTodo, "NX", absl::StrCat(absl::ToUnixMillis(when)), member});
  if (!reply.ok()) return reply.status();
  return ReplyError(*reply);
}

absl::Status MobilisationStore::Unschedule(const std::string& key, const std::string& member) {
  auto reply = redis_.Command({"ZREM", key, member});
  if (!reply.ok()) return reply.status();
  return ReplyError(*reply);
}

absl::StatusOr<std::map<std::string, int>> MobilisationStore::RecentCounts(
    const std::vector<std::string>& targets, absl::Time since) {
  std::map<std::string, int> out;
  if (targets.empty()) return out;
  std::vector<std::vector<std::string>> cmds;
  cmds.reserve(targets.size());
  const std::string from = absl::StrCat(absl::ToUnixMillis(since));
  for (const auto& t : targets) cmds.push_back({"ZCOUNT", keys::Rotation(t), from, "+inf"});
  auto replies = redis_.Pipeline(cmds);
  if (!replies.ok()) return replies.status();
  for (size_t i = 0; i < targets.size(); ++i) {
    const Reply& r = (*replies)[i];
    if (auto s = ReplyError(r); !s.ok()) return s;
    if (r.integer() > 0) out[targets[i]] = static_cast<int>(r.integer());
  }
  return out;
}

absl::StatusOr<std::string> MobilisationStore::ReactorCursor() {
  auto reply = redis_.Command({"HGET", keys::kReactor, "cursor"});
  if (!reply.ok()) return reply.status();
  if (auto s = ReplyError(*reply); !s.ok()) return s;
  return reply->is_nil() ? std::string() : reply->str();
}

absl::Status MobilisationStore::SetReactorCursor(const std::string& cursor) {
  auto reply = redis_.Command({"HSET", keys::kReactor, "cursor", cursor});
  if (!reply.ok()) return reply.status();
  return ReplyError(*reply);
}

}  // namespace relais::mobilisation
