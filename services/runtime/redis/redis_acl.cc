#include "services/runtime/redis/redis_acl.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace relais {
namespace {

// What relais_commit and relais_refuse (functions.lua) run as the caller: every service commits.
const std::vector<std::string>& CommitFunctionCommands() {
  static const auto* commands = new std::vector<std::string>{
      "+hmget", "+hget", "+type", "+exists", "+del", "+hset", "+zadd", "+zrem", "+pexpire"};
  return *commands;
}

std::vector<std::string> Join(std::vector<std::string> first,
                              const std::vector<std::string>& second) {
  for (const std::string& c : second) {
    bool seen = false;
    for (const std::string& f : first) seen = seen || f == c;
    if (!seen) first.push_back(c);
  }
  return first;
}

// An FCALL names the service's keys, the event log and the audit trail's keys together (and an
// FCALL_RO of relais_audit_page the audit trail's alone).
RedisAclSelector FcallSelector(const std::string& own_keys) {
  return {{"+fcall", "+fcall_ro"},
          {own_keys, absl::StrCat("~", kEventLogKey), absl::StrCat("~", kAuditKeyPrefix, "*")}};
}

// The event log: XADD (the Functions append as the caller) and TYPE (they check the log is a
// stream), plus the reads the service does itself.
RedisAclSelector EventLogSelector(std::vector<std::string> reads) {
  return {Join({"+xadd", "+type"}, reads), {absl::StrCat("~", kEventLogKey)}};
}

// The audit trail: XADD and XTRIM of its log, ZADD and ZREMRANGEBYLEX of the subjects' indexes
// (the Functions append and trim by age as the caller), TYPE (they check the keys' types), plus
// the reads the service does itself.
RedisAclSelector AuditSelector(std::vector<std::string> reads) {
  return {Join({"+xadd", "+xtrim", "+zadd", "+zremrangebylex", "+type"}, reads),
          {absl::StrCat("~", kAuditKeyPrefix, "*")}};
}

std::vector<ServiceRedisAcl> MakeAcls() {
  std::vector<ServiceRedisAcl> acls;

  ServiceRedisAcl registry;
  registry.service = "crisis_registry";
  registry.user = "relais-crisis-registry";
  // PING: health. HMGET: reads of a crisis and of an idempotency record. ZRANGE: ListCrises.
  // FCALL_RO: the readiness check (relais_runtime_version).
  registry.commands =
      Join({"+ping", "+fcall", "+fcall_ro", "+hmget", "+zrange"}, CommitFunctionCommands());
  registry.key_patterns = {"~crisis:*"};
  registry.selectors = {FcallSelector("~crisis:*"), EventLogSelector({}), AuditSelector({})};
  acls.push_back(std::move(registry));

  ServiceRedisAcl inventory;
  inventory.service = "inventory";
  inventory.user = "relais-inventory";
  // Direct: HMGET/HGET (records, stock lines, the search index's loads), EXISTS (a responder's
  // bookings), ZRANGE/ZRANGEBYSCORE (indexes, due holds and calendars), SCAN (the search index's
  // start-up load of inv:rsp:*). Inside relais_inventory (inventory_functions.lua):
  // ZREVRANGEBYSCORE (the booking that may clash) and HINCRBY (stock counters).
  inventory.commands = Join({"+ping", "+fcall", "+fcall_ro", "+hmget", "+hget", "+exists",
                             "+zrange", "+zrangebyscore", "+scan", "+zrevrangebyscore", "+hincrby"},
                            CommitFunctionCommands());
  inventory.key_patterns = {"~inv:*"};
  // The search index follows the log (XRANGE after its cursor, XREVRANGE for the latest).
  // It serves the audit trail too (relais_audit_page: ZREVRANGEBYLEX of a subject's index, XRANGE
  // of the log).
  inventory.selectors = {FcallSelector("~inv:*"), EventLogSelector({"+xrange", "+xrevrange"}),
                         AuditSelector({"+xrange", "+zrevrangebylex"})};
  acls.push_back(std::move(inventory));

  ServiceRedisAcl mobilisation;
  mobilisation.service = "mobilisation";
  mobilisation.user = "relais-mobilisation";
  // Direct: HMGET/HGET/HSET (records, the reactor's cursor), ZRANGE/ZREVRANGEBYLEX/ZCOUNT
  // (indexes, due items, rotation), ZADD/ZREM (chain steps in mob:todo, stale due entries).
  // The registry and the inventory are reached over gRPC only: no inv:* or crisis:* key.
  mobilisation.commands = Join({"+ping", "+fcall", "+fcall_ro", "+hmget", "+hget", "+hset",
                                "+zrange", "+zrevrangebylex", "+zcount", "+zadd", "+zrem"},
                               CommitFunctionCommands());
  mobilisation.key_patterns = {"~mob:*"};
  // The live feeds and the board read the log: XREAD BLOCK, XRANGE pages, XREVRANGE for the
  // latest position, XINFO STREAM for what was trimmed.
  mobilisation.selectors = {FcallSelector("~mob:*"),
                            EventLogSelector({"+xread", "+xrange", "+xrevrange", "+xinfo|stream"}),
                            AuditSelector({})};
  acls.push_back(std::move(mobilisation));

  return acls;
}

}  // namespace

const std::vector<ServiceRedisAcl>& ServiceRedisAcls() {
  static const auto* acls = new std::vector<ServiceRedisAcl>(MakeAcls());
  return *acls;
}

const ServiceRedisAcl* FindServiceRedisAcl(std::string_view service) {
  for (const ServiceRedisAcl& acl : ServiceRedisAcls()) {
    if (acl.service == service) return &acl;
  }
  return nullptr;
}

namespace {

std::vector<std::string> PermissionRules(const ServiceRedisAcl& acl) {
  std::vector<std::string> rules = {"-@all"};
  rules.insert(rules.end(), acl.commands.begin(), acl.commands.end());
  rules.insert(rules.end(), acl.key_patterns.begin(), acl.key_patterns.end());
  for (const RedisAclSelector& s : acl.selectors) {
    rules.push_back(absl::StrCat("(", absl::StrJoin(s.commands, " "), " ",
                                 absl::StrJoin(s.key_patterns, " "), ")"));
  }
  return rules;
}

}  // namespace

std::vector<std::string> AclSetUserRules(const ServiceRedisAcl& acl,
                                         const std::string& password_sha256_hex) {
  // reset: nothing from an earlier version of the table survives (no password, no key, no
  // channel, no selector), so applying the rules twice gives the same user.
  std::vector<std::string> rules = {"reset", "on", absl::StrCat("#", password_sha256_hex)};
  for (std::string& r : PermissionRules(acl)) rules.push_back(std::move(r));
  return rules;
}

std::string AclRulesText(const ServiceRedisAcl& acl) {
  return absl::StrJoin(PermissionRules(acl), " ");
}

}  // namespace relais
