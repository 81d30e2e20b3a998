// relais-redis-setup, the deployment step that prepares Redis for the services (issue #6): as an
// administrative Redis user, it loads every Relais Function library and creates or updates each
// service's ACL user (services/runtime/redis/redis_acl.h) with the password read from a file,
// optionally turns the default user off, and saves the users when Redis has an aclfile.
//
// Idempotent: a library whose code is already loaded is not loaded again, a user whose rules are
// already in place stays as it is, and nothing is saved when nothing changed. Services keep their
// connections while it runs (ACL SETUSER does not disconnect anyone).
//
// Passwords are read from files, sent to Redis only as SHA-256 ("#<hex>") and never printed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/runtime/redis/redis_client.h"

namespace relais::redis_setup {

struct SetupOptions {
  // Redis as the administrative user: allowed FUNCTION, ACL and CONFIG GET (e.g. the default
  // user of a fresh Redis, or a user with +@all). Empty password: no AUTH.
  RedisOptions admin;
  // A folder holding "<user>.password" for each service's user (e.g.
  // relais-crisis-registry.password); at least kMinPasswordLength characters each.
  std::string passwords_dir;
  // Turns Redis's default user off, so that only named users may connect. Refused when the
  // administrative user is the default user itself.
  bool disable_default_user = false;
};

inline constexpr size_t kMinPasswordLength = 16;

struct SetupReport {
  std::vector<std::string> libraries_loaded;  // new, or their code changed
  std::vector<std::string> libraries_unchanged;
  std::vector<std::string> users_created;
  std::vector<std::string> users_updated;
  std::vector<std::string> users_unchanged;
  bool default_user_turned_off = false;
  // Redis's aclfile ("" when it has none: the users then last until Redis restarts).
  std::string aclfile;
  // ACL SAVE ran: the aclfile was written because users changed.
  bool acl_saved = false;

  bool Changed() const;
};

// The Function library sources a deployment loads ("#!lua name=..." first line each):
// relais_runtime (every service's commit) and relais_inventory (the inventory's ledger).
std::vector<std::string_view> FunctionLibraries();

// Errors (nothing secret in any message): a password file missing or too short ->
// FAILED_PRECONDITION naming the file; Redis unreachable -> UNAVAILABLE; the administrative user
// refused at AUTH or for a command (NOPERM) -> PERMISSION_DENIED naming the user and command;
// disable_default_user while connected as the default user -> FAILED_PRECONDITION.
absl::StatusOr<SetupReport> RunSetup(const SetupOptions& options);

// A line of ACL LIST ("user <name> on #... ~crisis:* -@all +ping ... (+fcall ...)") without
// "user <name>" and with the rules sorted, root and each selector: Redis lists commands in the
// order they were granted, which ACL SAVE and a restart do not keep.
std::string CanonicalAclRules(std::string_view acl_list_line);

// What the run did, one line per fact, for the tool's output (no password).
std::string DescribeReport(const SetupReport& report);

}  // namespace relais::redis_setup
