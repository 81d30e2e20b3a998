// The generic atomic commit every service uses for its writes: one FCALL of the Redis Function
// library in functions.lua checks the request id, checks the versions the caller read, writes the
// entities and their indexes, appends the event and remembers the outcome, all or nothing.
//
// Storage layout it owns:
//   <scope>:idem:<sha256 hex>  hash {f: fingerprint, o: StoredOutcome bytes, c: event cursor},
//                              expiring after CommitOptions::idempotency_ttl;
//   <entity key>               hash {v: version (1 after creation), d: value bytes};
//   <event_log_key>            stream of {t: EventType number, c: crisis id, e: Event bytes};
//   <audit_key_prefix>log      the audit trail: stream of {t, e}, every event that names a subject,
//                              trimmed after audit_retention;
//   <audit_key_prefix>of:<kind>:<id>  sorted set indexing one subject's entries in it (crisis,
//                              organisation, responder): members "<ms:15>-<seq:10>", score 0.
//
// Errors: a request id reused for another request -> INVALID_ARGUMENT; a version that moved
// since the caller read it -> ABORTED (re-read and retry the whole call); Redis unreachable ->
// UNAVAILABLE (the commit may or may not have happened: retry with the same request id).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "relais/internal/outcome.pb.h"
#include "relais/v1/events.pb.h"
#include "services/runtime/redis/redis_client.h"

namespace google::protobuf {
class Message;
}

namespace relais {

struct IdempotencyKey {
  // The service's key prefix, e.g. "crisis".
  std::string scope;
  std::string principal_id;
  std::string method;
  std::string request_id;
  // RequestFingerprint() of the request with its request_id cleared.
  std::string fingerprint;
};

// Lower-case hex SHA-256 of `data` (64 characters).
std::string Sha256Hex(std::string_view data);

// The name of a Function library, from its source's first line "#!lua name=<name>".
std::string FunctionLibraryName(std::string_view source);

// SHA-256 hex of the deterministic serialization of `request_without_id`.
std::string RequestFingerprint(const google::protobuf::Message& request_without_id);

// The Redis key of an idempotency record: "<scope>:idem:" + SHA-256 hex of
// principal_id \0 method \0 request_id (fixed length, reveals nothing).
std::string IdempotencyRedisKey(const IdempotencyKey& idem);

struct EntityWrite {
  std::string key;
  // The version the caller read; 0 = the key must not exist yet.
  int64_t expected_version = 0;
  // Stored as hash fields v (= expected_version + 1) and d (= value). An empty value with
  // expected_version > 0 deletes the key (erasure).
  std::string value;
  // More hash fields written with v and d, e.g. the counters of a new stock line's ledger that
  // a service's own Functions update later. Names must not be "v" or "d".
  std::vector<std::pair<std::string, std::string>> extra_fields;
};

// One sorted-set update (ZADD or ZREM) in the same atomic step.
struct IndexOp {
  enum class Kind { kAdd, kRemove };
  Kind kind = Kind::kAdd;
  std::string key;
  std::string member;
  double score = 0;
};

struct CommitRequest {
  IdempotencyKey idem;
  std::vector<EntityWrite> writes;
  std::vector<IndexOp> index_ops;
  // Keys that must not exist, checked with the versions: e.g. a responder's bookings, which must
  // be gone before the responder is erased. The first that exists fails the commit with
  // FAILED_PRECONDITION "commit: precondition <i> failed" (i counts from 0), and nothing is
  // written.
  std::vector<std::string> must_be_absent;
  // Appended to the event log; its cursor is set by the log, never by the writer. An event of
  // type UNSPECIFIED is not appended (bookkeeping, e.g. a notification's delivery attempt) and
  // the result's event_cursor is then empty.
  relais::v1::Event event;
  // What this call and every retry of it return.
  relais::internal::StoredOutcome outcome;
};

struct CommitResult {
  // True when this request id was already handled: nothing was written this time.
  bool replayed = false;
  relais::internal::StoredOutcome outcome;
  // The event's position in the log; empty for a refusal.
  std::string event_cursor;
};

struct CommitOptions {
  absl::Duration idempotency_ttl = absl::Hours(24 * 7);
  std::string event_log_key = "relais:events";
  // Approximate cap (XADD MAXLEN ~): older events are trimmed.
  int64_t event_log_max_len = 500000;
  // The audit trail (audit_trail.h reads it): every event that names a subject also goes, in the
  // same atomic step, to the audit log and each subject's index, where it is kept this long (by
  // time, not by count: the trail outlives the live feed).
  std::string audit_key_prefix = "relais:audit:";
  absl::Duration audit_retention = absl::Hours(24 * 400);
  // Development and tests: the committer loads the Function libraries itself when they are
  // missing (a call finds them gone, or the readiness check does). Off in a deployment, where
  // relais-redis-setup loads them as an administrative user and the service's Redis user may
  // not run FUNCTION: a call then gets UNAVAILABLE saying so.
  bool load_functions = false;
};

// The audit log: "<prefix>log".
std::string AuditLogKey(const std::string& prefix);
// One subject's index: "<prefix>of:<kind>:<id>", kind crisis, organisation or responder.
std::string AuditIndexKey(const std::string& prefix, std::string_view kind, std::string_view id);
// The audit indexes of `event`: its crisis, its organisation, then each responder in its
// responder_id and responder_ids (once each, in id order); none for an UNSPECIFIED
// (bookkeeping) event.
std::vector<std::string> AuditIndexKeys(const relais::v1::Event& event, const std::string& prefix);

// Ends a write FCALL with the audit tail every write Function takes off first (functions.lua
// take_audit): the audit log and the event's indexes after the call's keys (numkeys updated;
// nothing when the event names no subject), then retention_ms and the number of indexes after
// its arguments.
void AppendAuditTail(std::vector<std::string>& fcall, const relais::v1::Event& event,
                     const CommitOptions& options);

struct VersionedValue {
  int64_t version = 0;
  std::string value;
};

class Committer {
 public:
  // Upper bound on writes + index ops in one commit, so that every call stays O(small).
  static constexpr int kMaxKeysPerCommit = 64;

  // `redis` must outlive the committer.
  Committer(RedisClient& redis, CommitOptions options);

  // Adds a service's own Function library (its "#!lua name=..." source, which registers a
  // no-writes "<name>_version" function), used with the runtime's. Call before the first
  // command, from one thread (server assembly).
  void AddLibrary(std::string_view source);
  // Loads (or replaces) the Function libraries (FUNCTION LOAD REPLACE: needs a Redis user allowed
  // FUNCTION, i.e. the default user of a development Redis). With options().load_functions,
  // calls also load them once by themselves when Redis lost them (FUNCTION FLUSH, a fresh
  // replica after failover).
  absl::Status LoadFunctions();
  // Readiness (the service's health): OK when Redis answers and every library this committer
  // calls is loaded (one pipelined PING + FCALL_RO <library>_version per library). A missing
  // library is loaded when options().load_functions; otherwise UNAVAILABLE naming it and saying
  // to run relais-redis-setup.
  absl::Status CheckReady();
  // The names of the libraries this committer calls ("relais_runtime", then AddLibrary's).
  std::vector<std::string> LibraryNames() const;
  // The version string of the embedded library (what FCALL relais_runtime_version returns).
  static std::string_view FunctionsVersion();

  absl::StatusOr<CommitResult> Commit(const CommitRequest& request);
  // Remembers a refusal (outcome code FAILED_PRECONDITION) so that a retry gets the same answer;
  // replays the stored outcome when the request id was already handled.
  absl::StatusOr<CommitResult> RecordRefusal(const IdempotencyKey& idem,
                                             const relais::internal::StoredOutcome& outcome);
  // The stored outcome of an earlier call with this request id, if any (replayed = true).
  absl::StatusOr<std::optional<CommitResult>> Lookup(const IdempotencyKey& idem);

  // An entity as written by Commit; nullopt when absent.
  absl::StatusOr<std::optional<VersionedValue>> Read(const std::string& key);
  // Several entities in one round trip, in the order of `keys`.
  absl::StatusOr<std::vector<std::optional<VersionedValue>>> ReadMany(
      const std::vector<std::string>& keys);

  // An FCALL (or FCALL_RO) of any loaded library. When Redis lost the libraries: one
  // reload-and-retry with options().load_functions, else UNAVAILABLE ("... run
  // relais-redis-setup"). Other error replies are returned as replies, for the caller to map.
  absl::StatusOr<Reply> Call(const std::vector<std::string>& fcall);
  // Call() of a write Function that appends `event`: with the audit tail (AppendAuditTail).
  absl::StatusOr<Reply> CallWrite(std::vector<std::string> fcall, const relais::v1::Event& event);

  // One subject's audit trail (kind "crisis", "organisation" or "responder"), read with
  // relais_audit_page in one round trip: up to `max_count` records (1 to 1,000) strictly before
  // `cursor` ("" = the newest), newest first, each with its cursor. INVALID_ARGUMENT for a cursor
  // that cannot be a record's.
  absl::StatusOr<std::vector<relais::v1::Event>> ReadAuditTrail(std::string_view kind,
                                                                std::string_view id,
                                                                const std::string& cursor,
                                                                int max_count);

  const CommitOptions& options() const { return options_; }

 private:
  RedisClient& redis_;
  const CommitOptions options_;
  // Service libraries added by AddLibrary (before any call; read-only afterwards).
  std::vector<std::string> libraries_;
};

// An entity written by Commit, parsed as `M`; nullopt when absent, INTERNAL when unreadable.
template <class M>
absl::StatusOr<std::optional<M>> ReadMessage(Committer& committer, const std::string& key) {
  auto stored = committer.Read(key);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return std::nullopt;
  M value;
  if (!value.ParseFromString((*stored)->value)) {
    return absl::InternalError("stored value is unreadable: " + key);
  }
  return std::optional<M>(std::move(value));
}

}  // namespace relais
