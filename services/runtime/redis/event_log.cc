#include "services/runtime/redis/event_log.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace relais {

// Checked before a read so that a bad cursor is the caller's INVALID_ARGUMENT, not a Redis error.
bool IsEventCursor(const std::string& cursor) {
  std::vector<absl::string_view> parts = absl::StrSplit(cursor, '-');
  if (parts.empty() || parts.size() > 2) return false;
  for (absl::string_view part : parts) {
    uint64_t ignored = 0;
    if (part.empty() || part.size() > 20 || !absl::SimpleAtoi(part, &ignored)) return false;
    for (char c : part) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
    }
  }
  return true;
}

absl::StatusOr<std::vector<relais::v1::Event>> ParseEventEntries(const Reply& reply) {
  std::vector<relais::v1::Event> events;
  events.reserve(reply.elements().size());
  for (const Reply& entry : reply.elements()) {
    const auto& parts = entry.elements();
    if (parts.size() != 2 || !parts[0].is_string() || !parts[1].is_array()) {
      return absl::InternalError("event log: malformed entry");
    }
    const std::string& id = parts[0].str();
    const auto& fields = parts[1].elements();
    const Reply* payload = nullptr;
    for (size_t i = 0; i + 1 < fields.size(); i += 2) {
      if (fields[i].str() == "e") payload = &fields[i + 1];
    }
    relais::v1::Event event;
    if (payload == nullptr || !event.ParseFromString(payload->str())) {
      return absl::InternalError(absl::StrCat("event log: unreadable entry ", id));
    }
    event.set_cursor(id);
    events.push_back(std::move(event));
  }
  return events;
}

EventLog::EventLog(RedisClient& redis, std::string key) : redis_(redis), key_(std::move(key)) {}

absl::StatusOr<std::vector<relais::v1::Event>> EventLog::ReadAfter(const std::string& cursor,
                                                                   int max_count) {
  if (max_count <= 0) return absl::InvalidArgumentError("max_count: must be positive");
  if (!cursor.empty() && !IsEventCursor(cursor)) {
    return absl::InvalidArgumentError("cursor: not an event cursor");
  }
  const std::string start = cursor.empty() ? "-" : "(" + cursor;
  auto reply = redis_.Command({"XRANGE", key_, start, "+", "COUNT", absl::StrCat(max_count)});
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) {
    // The one cursor that passes IsStreamId yet has no successor: the largest possible id.
    if (absl::StrContains(reply->str(), "invalid start ID")) {
      return absl::InvalidArgumentError("cursor: not an event cursor");
    }
    return ErrorReplyToStatus(*reply);
  }
  return ParseEventEntries(*reply);
}

absl::StatusOr<int64_t> EventLog::Length() {
  auto reply = redis_.Command({"XLEN", key_});
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) return ErrorReplyToStatus(*reply);
  return reply->integer();
}

}  // namespace relais
