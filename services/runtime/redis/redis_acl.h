// The Redis ACL of each Relais service (issue #6): one Redis user per service, allowed only the
// commands it sends and the key patterns it owns, plus the event log. relais-redis-setup
// (services/redis_setup/) creates the users from this table; tests/redis/redis_acl_redistest.cc
// checks that Redis refuses everything else.
//
// How a rule set is shaped (Redis 7.0 ACL, with selectors):
//   root      -@all, the commands the service runs on its own keys (directly, or inside the
//             Relais Functions: Redis checks the caller's ACL for every command a Function
//             runs), `~<prefix>:*`;
//   selector  (+fcall ~<prefix>:* ~relais:events): an FCALL declares its own keys and the event
//             log together, and one selector must allow all the keys of a command;
//   selector  (+xadd +type [+xrange ...] ~relais:events): the event log. XADD is there because
//             the Functions append the event as the caller; DEL, XTRIM, XDEL, HSET... on the log
//             are refused, and so are the log reads a service does not do.
// Never FUNCTION, FLUSHALL, CONFIG, KEYS, DEBUG, ACL, MONITOR...: -@all first, then only these.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace relais {

// A Redis ACL selector: commands ("+xadd") and key patterns ("~relais:events").
struct RedisAclSelector {
  std::vector<std::string> commands;
  std::vector<std::string> key_patterns;
};

struct ServiceRedisAcl {
  // The service's name as in logs and metrics: "crisis_registry", "inventory", "mobilisation".
  std::string service;
  // The Redis user, e.g. "relais-crisis-registry".
  std::string user;
  // Root permissions: commands ("+hmget") and key patterns ("~crisis:*").
  std::vector<std::string> commands;
  std::vector<std::string> key_patterns;
  std::vector<RedisAclSelector> selectors;
};

// The Redis key every service appends its events to.
inline constexpr char kEventLogKey[] = "relais:events";
// The audit trail's log and indexes (CommitOptions::audit_key_prefix).
inline constexpr char kAuditKeyPrefix[] = "relais:audit:";

// Every service that talks to Redis (the dashboard gateway does not), in a fixed order.
const std::vector<ServiceRedisAcl>& ServiceRedisAcls();
// The ACL of `service` ("inventory"); nullptr for a service without Redis access.
const ServiceRedisAcl* FindServiceRedisAcl(std::string_view service);

// The rules after the user name, as ACL SETUSER takes them, each one argument: "reset", "on",
// the password as its SHA-256 ("#<hex>", so that the password itself never travels to Redis nor
// sits in its aclfile), "-@all", the commands, the key patterns, then each selector as
// "(+fcall ~crisis:* ~relais:events)".
std::vector<std::string> AclSetUserRules(const ServiceRedisAcl& acl,
                                         const std::string& password_sha256_hex);

// The rules without the password, for documentation and messages: "-@all +ping ... ~crisis:*
// (+fcall ...)".
std::string AclRulesText(const ServiceRedisAcl& acl);

}  // namespace relais
