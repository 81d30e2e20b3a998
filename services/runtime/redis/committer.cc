#include "services/runtime/redis/committer.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/message.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/runtime/redis/event_log.h"
#include "services/runtime/redis/functions_lua.h"

namespace relais {
namespace {

constexpr std::string_view kIdempotencyMismatch = "RELAIS_IDEMPOTENCY_MISMATCH";
constexpr std::string_view kVersionConflict = "RELAIS_VERSION_CONFLICT";
constexpr std::string_view kPrecondition = "RELAIS_PRECONDITION";

bool StartsWith(const std::string& text, std::string_view prefix) {
  return absl::StartsWith(text, absl::string_view(prefix.data(), prefix.size()));
}

bool IsFunctionMissing(const Reply& reply) {
  return reply.is_error() && absl::StrContains(reply.str(), "Function not found");
}

// Without load_functions the service's Redis user may not load them: say who does.
absl::Status FunctionsNotLoaded(const std::string& what) {
  return absl::UnavailableError(absl::StrCat("redis: the Relais Functions are not loaded (", what,
                                             " is missing): run relais-redis-setup to load them"));
}

// Maps the error replies of functions.lua; the messages carry versions and positions only.
absl::Status CommitErrorToStatus(const Reply& error) {
  // Redis prefixes "ERR " to an error without a code; tolerate it.
  std::string text = error.str();
  if (StartsWith(text, "ERR ")) text.erase(0, 4);
  if (StartsWith(text, kIdempotencyMismatch)) {
    return absl::InvalidArgumentError("request_id: already used for a different request");
  }
  if (StartsWith(text, kVersionConflict)) {
    std::vector<std::string> parts = absl::StrSplit(text, ' ');
    if (parts.size() == 4) {
      return absl::AbortedError(absl::StrCat("version conflict: changed since it was read (write ",
                                             parts[1], ": expected version ", parts[2], ", found ",
                                             parts[3], ")"));
    }
    return absl::AbortedError("version conflict: changed since it was read");
  }
  if (StartsWith(text, kPrecondition)) {
    std::vector<std::string> parts = absl::StrSplit(text, ' ');
    return absl::FailedPreconditionError(
        absl::StrCat("commit: precondition ", parts.size() == 2 ? parts[1] : "?", " failed"));
  }
  return ErrorReplyToStatus(error);
}

absl::StatusOr<CommitResult> ParseCommitReply(const Reply& reply,
                                              const relais::internal::StoredOutcome& fresh) {
  if (reply.is_error()) return CommitErrorToStatus(reply);
  const auto& e = reply.elements();
  if (!reply.is_array() || e.size() != 3 || !e[0].is_integer() || !e[1].is_string() ||
      !e[2].is_string()) {
    return absl::InternalError("commit: unexpected reply from relais_runtime functions");
  }
  CommitResult result;
  result.replayed = e[0].integer() == 1;
  result.event_cursor = e[2].str();
  if (!result.replayed) {
    result.outcome = fresh;
  } else if (!result.outcome.ParseFromString(e[1].str())) {
    return absl::InternalError("commit: stored outcome is unreadable");
  }
  return result;
}

std::string ScoreText(double score) { return absl::StrFormat("%.17g", score); }

}  // namespace

std::string FunctionLibraryName(std::string_view source) {
  const std::string_view first = source.substr(0, source.find('\n'));
  constexpr std::string_view kName = "name=";
  const size_t at = first.find(kName);
  if (at == std::string_view::npos) return std::string(first);
  const std::string_view rest = first.substr(at + kName.size());
  return std::string(rest.substr(0, rest.find(' ')));
}

std::string AuditLogKey(const std::string& prefix) { return absl::StrCat(prefix, "log"); }

std::string AuditIndexKey(const std::string& prefix, std::string_view kind, std::string_view id) {
  return absl::StrCat(prefix, "of:", absl::string_view(kind.data(), kind.size()), ":",
                      absl::string_view(id.data(), id.size()));
}

std::vector<std::string> AuditIndexKeys(const relais::v1::Event& event, const std::string& prefix) {
  std::vector<std::string> keys;
  if (event.type() == relais::v1::EVENT_TYPE_UNSPECIFIED) return keys;
  if (!event.crisis_id().empty())
    keys.push_back(AuditIndexKey(prefix, "crisis", event.crisis_id()));
  if (!event.organisation_id().empty()) {
    keys.push_back(AuditIndexKey(prefix, "organisation", event.organisation_id()));
  }
  // A round of requests or a hold names several responders: each one's trail gets it.
  std::set<std::string_view> responders;
  if (!event.responder_id().empty()) responders.insert(event.responder_id());
  for (const std::string& id : event.responder_ids()) {
    if (!id.empty()) responders.insert(id);
  }
  for (std::string_view id : responders) keys.push_back(AuditIndexKey(prefix, "responder", id));
  return keys;
}

void AppendAuditTail(std::vector<std::string>& fcall, const relais::v1::Event& event,
                     const CommitOptions& options) {
  // fcall is {"FCALL", function, numkeys, keys..., args...}.
  int64_t n_keys = 0;
  if (fcall.size() < 3 || !absl::SimpleAtoi(fcall[2], &n_keys) || n_keys < 0 ||
      static_cast<size_t>(n_keys) > fcall.size() - 3) {
    return;  // not a well-formed FCALL: Redis will refuse it as it stands
  }
  const std::vector<std::string> indexes = AuditIndexKeys(event, options.audit_key_prefix);
  std::vector<std::string> tail;
  if (!indexes.empty()) {
    tail.push_back(AuditLogKey(options.audit_key_prefix));
    tail.insert(tail.end(), indexes.begin(), indexes.end());
  }
  fcall.insert(fcall.begin() + 3 + n_keys, tail.begin(), tail.end());
  fcall[2] = absl::StrCat(n_keys + static_cast<int64_t>(tail.size()));
  fcall.push_back(
      absl::StrCat(std::max<int64_t>(0, absl::ToInt64Milliseconds(options.audit_retention))));
  fcall.push_back(absl::StrCat(indexes.size()));
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    // Only on an OpenSSL set-up so broken that no digest can be trusted.
    std::abort();
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

std::string RequestFingerprint(const google::protobuf::Message& request_without_id) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    // Map fields otherwise serialize in an unspecified order.
    coded.SetSerializationDeterministic(true);
    request_without_id.SerializePartialToCodedStream(&coded);
  }
  return Sha256Hex(bytes);
}

std::string IdempotencyRedisKey(const IdempotencyKey& idem) {
  std::string material;
  material.reserve(idem.principal_id.size() + idem.method.size() + idem.request_id.size() + 2);
  material.append(idem.principal_id);
  material.push_back('\0');
  material.append(idem.method);
  material.push_back('\0');
  material.append(idem.request_id);
  return absl::StrCat(idem.scope, ":idem:", Sha256Hex(material));
}

Committer::Committer(RedisClient& redis, CommitOptions options)
    : redis_(redis), options_(std::move(options)) {}

std::string_view Committer::FunctionsVersion() {
  static const std::string version = [] {
    const std::string_view source = RelaisFunctionsSource();
    constexpr std::string_view kMarker = "local VERSION = '";
    const size_t start = source.find(kMarker);
    if (start == std::string_view::npos) return std::string();
    const size_t from = start + kMarker.size();
    const size_t end = source.find('\'', from);
    if (end == std::string_view::npos) return std::string();
    return std::string(source.substr(from, end - from));
  }();
  return version;
}

void Committer::AddLibrary(std::string_view source) { libraries_.emplace_back(source); }

absl::Status Committer::LoadFunctions() {
  std::vector<std::string_view> sources = {RelaisFunctionsSource()};
  for (const std::string& library : libraries_) sources.push_back(library);
  for (std::string_view source : sources) {
    auto reply = redis_.Command({"FUNCTION", "LOAD", "REPLACE", std::string(source)});
    if (!reply.ok()) return reply.status();
    if (reply->is_error()) {
      absl::Status status = ErrorReplyToStatus(*reply);
      const std::string first_line(source.substr(0, source.find('\n')));
      return absl::Status(status.code(), absl::StrCat("loading Redis functions (", first_line,
                                                      "): ", std::string(status.message())));
    }
  }
  return absl::OkStatus();
}

std::vector<std::string> Committer::LibraryNames() const {
  std::vector<std::string> names = {FunctionLibraryName(RelaisFunctionsSource())};
  for (const std::string& library : libraries_) names.push_back(FunctionLibraryName(library));
  return names;
}

absl::Status Committer::CheckReady() {
  const std::vector<std::string> names = LibraryNames();
  std::vector<std::vector<std::string>> commands = {{"PING"}};
  for (const std::string& name : names) {
    commands.push_back({"FCALL_RO", absl::StrCat(name, "_version"), "0"});
  }
  auto replies = redis_.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  const Reply& pong = (*replies)[0];
  if (pong.is_error() || pong.str() != "PONG") {
    return absl::UnavailableError(absl::StrCat("redis: PING: ", pong.str()));
  }
  std::vector<std::string> missing;
  for (size_t i = 0; i < names.size(); ++i) {
    const Reply& reply = (*replies)[i + 1];
    if (IsFunctionMissing(reply)) {
      missing.push_back(names[i]);
    } else if (reply.is_error()) {
      // E.g. NOPERM: the service's Redis user is not the one its ACL describes.
      return absl::UnavailableError(absl::StrCat("redis: ", names[i], "_version: ", reply.str()));
    }
  }
  if (missing.empty()) return absl::OkStatus();
  if (!options_.load_functions) return FunctionsNotLoaded(absl::StrJoin(missing, ", "));
  return LoadFunctions();
}

absl::StatusOr<Reply> Committer::CallWrite(std::vector<std::string> fcall,
                                           const relais::v1::Event& event) {
  AppendAuditTail(fcall, event, options_);
  return Call(fcall);
}

absl::StatusOr<Reply> Committer::Call(const std::vector<std::string>& fcall) {
  auto reply = redis_.Command(fcall);
  if (!reply.ok() || !IsFunctionMissing(*reply)) return reply;
  // Lost after FLUSHALL, FUNCTION FLUSH or a failover to a replica that never got it.
  if (!options_.load_functions) return FunctionsNotLoaded(fcall.size() > 1 ? fcall[1] : "?");
  if (absl::Status loaded = LoadFunctions(); !loaded.ok()) return loaded;
  return redis_.Command(fcall);
}

absl::StatusOr<std::vector<relais::v1::Event>> Committer::ReadAuditTrail(std::string_view kind,
                                                                         std::string_view id,
                                                                         const std::string& cursor,
                                                                         int max_count) {
  if (max_count < 1 || max_count > 1000) {
    return absl::InvalidArgumentError("max_count: 1 to 1000");
  }
  // A record's cursor is "<ms>-<seq>"; the index pads them to 15 and 10 digits.
  const size_t dash = cursor.find('-');
  if (!cursor.empty() && (!IsEventCursor(cursor) || dash == std::string::npos || dash > 15 ||
                          cursor.size() - dash - 1 > 10)) {
    return absl::InvalidArgumentError("cursor: not an audit record's cursor");
  }
  auto reply =
      Call({"FCALL_RO", "relais_audit_page", "2", AuditLogKey(options_.audit_key_prefix),
            AuditIndexKey(options_.audit_key_prefix, kind, id), cursor, absl::StrCat(max_count)});
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) return ErrorReplyToStatus(*reply);
  return ParseEventEntries(*reply);
}

absl::StatusOr<CommitResult> Committer::Commit(const CommitRequest& request) {
  const IdempotencyKey& idem = request.idem;
  if (idem.request_id.empty()) return absl::InvalidArgumentError("request_id: required");
  const size_t n_keys =
      request.writes.size() + request.index_ops.size() + request.must_be_absent.size();
  if (n_keys > static_cast<size_t>(kMaxKeysPerCommit)) {
    return absl::InternalError("commit: too many writes in one call");
  }
  std::set<std::string_view> written;
  for (const EntityWrite& w : request.writes) {
    if (w.key.empty() || w.expected_version < 0 || !written.insert(w.key).second) {
      return absl::InternalError("commit: bad entity write");
    }
    for (const auto& [field, value] : w.extra_fields) {
      if (field.empty() || field == "v" || field == "d") {
        return absl::InternalError("commit: bad extra field");
      }
    }
  }
  for (const IndexOp& op : request.index_ops) {
    if (op.key.empty() || std::isnan(op.score)) return absl::InternalError("commit: bad index op");
  }

  relais::v1::Event event = request.event;
  event.clear_cursor();

  std::vector<std::string> fcall;
  fcall.reserve(3 + 2 + n_keys + 9 + 2 * request.writes.size() + 3 * request.index_ops.size());
  fcall.push_back("FCALL");
  fcall.push_back("relais_commit");
  fcall.push_back(absl::StrCat(2 + n_keys));
  fcall.push_back(IdempotencyRedisKey(idem));
  fcall.push_back(options_.event_log_key);
  for (const EntityWrite& w : request.writes) fcall.push_back(w.key);
  for (const IndexOp& op : request.index_ops) fcall.push_back(op.key);
  for (const std::string& key : request.must_be_absent) fcall.push_back(key);
  fcall.push_back(idem.fingerprint);
  fcall.push_back(request.outcome.SerializeAsString());
  fcall.push_back(
      absl::StrCat(std::max<int64_t>(1, absl::ToInt64Milliseconds(options_.idempotency_ttl))));
  fcall.push_back(absl::StrCat(options_.event_log_max_len));
  fcall.push_back(absl::StrCat(request.writes.size()));
  fcall.push_back(absl::StrCat(request.index_ops.size()));
  fcall.push_back(absl::StrCat(static_cast<int>(event.type())));
  fcall.push_back(event.crisis_id());
  fcall.push_back(event.SerializeAsString());
  fcall.push_back(absl::StrCat(request.must_be_absent.size()));
  for (const EntityWrite& w : request.writes) {
    fcall.push_back(absl::StrCat(w.expected_version));
    fcall.push_back(w.value);
    fcall.push_back(absl::StrCat(w.extra_fields.size()));
    for (const auto& [field, value] : w.extra_fields) {
      fcall.push_back(field);
      fcall.push_back(value);
    }
  }
  for (const IndexOp& op : request.index_ops) {
    fcall.push_back(op.kind == IndexOp::Kind::kAdd ? "a" : "r");
    fcall.push_back(op.member);
    fcall.push_back(ScoreText(op.score));
  }

  auto reply = CallWrite(std::move(fcall), event);
  if (!reply.ok()) return reply.status();
  return ParseCommitReply(*reply, request.outcome);
}

absl::StatusOr<CommitResult> Committer::RecordRefusal(
    const IdempotencyKey& idem, const relais::internal::StoredOutcome& outcome) {
  if (idem.request_id.empty()) return absl::InvalidArgumentError("request_id: required");
  auto reply = Call(
      {"FCALL", "relais_refuse", "1", IdempotencyRedisKey(idem), idem.fingerprint,
       outcome.SerializeAsString(),
       absl::StrCat(std::max<int64_t>(1, absl::ToInt64Milliseconds(options_.idempotency_ttl)))});
  if (!reply.ok()) return reply.status();
  return ParseCommitReply(*reply, outcome);
}

absl::StatusOr<std::optional<CommitResult>> Committer::Lookup(const IdempotencyKey& idem) {
  auto reply = redis_.Command({"HMGET", IdempotencyRedisKey(idem), "f", "o", "c"});
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) return ErrorReplyToStatus(*reply);
  const auto& e = reply->elements();
  if (e.size() != 3) return absl::InternalError("idempotency record: unexpected reply");
  if (e[0].is_nil()) return std::nullopt;
  if (e[0].str() != idem.fingerprint) {
    return absl::InvalidArgumentError("request_id: already used for a different request");
  }
  CommitResult result;
  result.replayed = true;
  if (!result.outcome.ParseFromString(e[1].str())) {
    return absl::InternalError("idempotency record: stored outcome is unreadable");
  }
  result.event_cursor = e[2].str();
  return result;
}

namespace {

absl::StatusOr<std::optional<VersionedValue>> ParseVersioned(const Reply& reply,
                                                             const std::string& key) {
  if (reply.is_error()) return ErrorReplyToStatus(reply);
  const auto& e = reply.elements();
  if (e.size() != 2) return absl::InternalError("stored entity: unexpected reply");
  if (e[0].is_nil()) return std::nullopt;
  VersionedValue value;
  if (!absl::SimpleAtoi(e[0].str(), &value.version) || value.version <= 0) {
    return absl::InternalError(absl::StrCat("stored entity has a bad version: ", key));
  }
  value.value = e[1].str();
  return value;
}

}  // namespace

absl::StatusOr<std::optional<VersionedValue>> Committer::Read(const std::string& key) {
  auto reply = redis_.Command({"HMGET", key, "v", "d"});
  if (!reply.ok()) return reply.status();
  return ParseVersioned(*reply, key);
}

absl::StatusOr<std::vector<std::optional<VersionedValue>>> Committer::ReadMany(
    const std::vector<std::string>& keys) {
  std::vector<std::vector<std::string>> commands;
  commands.reserve(keys.size());
  for (const std::string& key : keys) commands.push_back({"HMGET", key, "v", "d"});
  auto replies = redis_.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  std::vector<std::optional<VersionedValue>> values;
  values.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    auto value = ParseVersioned((*replies)[i], keys[i]);
    if (!value.ok()) return value.status();
    values.push_back(*std::move(value));
  }
  return values;
}

}  // namespace relais
