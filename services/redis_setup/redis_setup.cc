#include "services/redis_setup/redis_setup.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/inventory/inventory_functions.h"
#include "services/runtime/clock.h"
#include "services/runtime/config.h"
#include "services/runtime/redis/committer.h"
#include "services/runtime/redis/functions_lua.h"
#include "services/runtime/redis/redis_acl.h"

namespace relais::redis_setup {
namespace {

struct UserPassword {
  const ServiceRedisAcl* acl = nullptr;
  std::string sha256_hex;
};

absl::StatusOr<std::vector<UserPassword>> ReadPasswords(const std::string& dir) {
  if (dir.empty()) {
    return absl::FailedPreconditionError(
        "passwords_dir: required (a folder holding <user>.password for each service's user)");
  }
  std::vector<UserPassword> out;
  for (const ServiceRedisAcl& acl : ServiceRedisAcls()) {
    const std::string path = absl::StrCat(dir, "/", acl.user, ".password");
    auto password = ReadSecretFile(path);
    if (!password.ok()) {
      return absl::FailedPreconditionError(
          absl::StrCat("passwords_dir: ", password.status().message()));
    }
    if (password->size() < kMinPasswordLength) {
      return absl::FailedPreconditionError(absl::StrCat(
          "passwords_dir: '", path, "' must hold at least ", kMinPasswordLength, " characters"));
    }
    out.push_back({&acl, Sha256Hex(*password)});
  }
  return out;
}

// The administrative connection: every command's refusal becomes a status that names the user
// and the command (never its arguments: they may carry a password's hash or a library's code).
class Admin {
 public:
  explicit Admin(const RedisOptions& options)
      : redis_(options, clock_),
        user_(options.username.empty() ? "default" : options.username),
        where_(absl::StrCat(options.host, ":", options.port)) {}

  absl::StatusOr<Reply> Run(const std::vector<std::string>& args, const std::string& what) {
    auto reply = redis_.Command(args);
    if (!reply.ok()) {
      const std::string message(reply.status().message());
      if (absl::StrContains(message, "AUTH refused")) {
        return absl::PermissionDeniedError(absl::StrCat(
            "Redis at ", where_, " refused the administrative user '", user_, "': ", message));
      }
      return absl::UnavailableError(
          absl::StrCat("cannot reach Redis at ", where_, " as '", user_, "': ", message));
    }
    if (reply->is_error()) {
      const std::string& text = reply->str();
      if (absl::StartsWith(text, "NOPERM") || absl::StartsWith(text, "NOAUTH") ||
          absl::StartsWith(text, "WRONGPASS")) {
        return absl::PermissionDeniedError(absl::StrCat(
            "Redis refused ", what, " to the administrative user '", user_, "': ", text));
      }
      return absl::InternalError(absl::StrCat(what, ": ", text));
    }
    return reply;
  }

  const std::string& user() const { return user_; }

 private:
  SystemClock clock_;
  RedisClient redis_;
  const std::string user_;
  const std::string where_;
};

// ACL LIST: user name -> its line ("user <name> on #... ~crisis:* ...").
absl::StatusOr<std::map<std::string, std::string>> AclLines(Admin& admin) {
  auto reply = admin.Run({"ACL", "LIST"}, "ACL LIST");
  if (!reply.ok()) return reply.status();
  std::map<std::string, std::string> lines;
  for (const Reply& line : reply->elements()) {
    std::vector<std::string> words = absl::StrSplit(line.str(), absl::MaxSplits(' ', 2));
    if (words.size() >= 2 && words[0] == "user") lines[words[1]] = line.str();
  }
  return lines;
}

// The code of the loaded library `name`; "" when it is not loaded.
absl::StatusOr<std::string> LoadedCode(Admin& admin, const std::string& name) {
  auto reply = admin.Run({"FUNCTION", "LIST", "LIBRARYNAME", name, "WITHCODE"}, "FUNCTION LIST");
  if (!reply.ok()) return reply.status();
  for (const Reply& library : reply->elements()) {
    std::map<std::string, const Reply*> fields;
    const auto& e = library.elements();
    for (size_t i = 0; i + 1 < e.size(); i += 2) fields[e[i].str()] = &e[i + 1];
    // LIBRARYNAME is a pattern: keep the exact name only.
    if (fields.count("library_name") && fields["library_name"]->str() == name &&
        fields.count("library_code")) {
      return fields["library_code"]->str();
    }
  }
  return std::string();
}

// Splits on spaces, keeping "( ... )" selectors as one token each.
std::vector<std::string> AclTokens(std::string_view line) {
  std::vector<std::string> tokens;
  std::string current;
  int depth = 0;
  for (char c : line) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ' ' && depth == 0) {
      if (!current.empty()) tokens.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) tokens.push_back(std::move(current));
  return tokens;
}

bool IsOff(const std::string& acl_line) {
  for (absl::string_view word : absl::StrSplit(acl_line, ' ')) {
    if (word == "off") return true;
    if (word == "on") return false;
  }
  return false;
}

}  // namespace

std::string CanonicalAclRules(std::string_view acl_list_line) {
  std::vector<std::string> tokens = AclTokens(acl_list_line);
  std::vector<std::string> root;
  std::vector<std::string> selectors;
  for (size_t i = 2; i < tokens.size(); ++i) {  // after "user <name>"
    const std::string& t = tokens[i];
    if (t.size() >= 2 && t.front() == '(' && t.back() == ')') {
      std::vector<std::string> inner = AclTokens(std::string_view(t).substr(1, t.size() - 2));
      std::sort(inner.begin(), inner.end());
      selectors.push_back(absl::StrCat("(", absl::StrJoin(inner, " "), ")"));
    } else {
      root.push_back(t);
    }
  }
  std::sort(root.begin(), root.end());
  std::sort(selectors.begin(), selectors.end());
  root.insert(root.end(), selectors.begin(), selectors.end());
  return absl::StrJoin(root, " ");
}

bool SetupReport::Changed() const {
  return !libraries_loaded.empty() || !users_created.empty() || !users_updated.empty() ||
         default_user_turned_off || acl_saved;
}

std::vector<std::string_view> FunctionLibraries() {
  return {RelaisFunctionsSource(), InventoryFunctionsSource()};
}

absl::StatusOr<SetupReport> RunSetup(const SetupOptions& options) {
  // Every password first: a missing one changes nothing in Redis.
  auto passwords = ReadPasswords(options.passwords_dir);
  if (!passwords.ok()) return passwords.status();

  RedisOptions connection = options.admin;
  connection.connections = 1;
  Admin admin(connection);
  auto whoami = admin.Run({"ACL", "WHOAMI"}, "ACL WHOAMI");
  if (!whoami.ok()) return whoami.status();
  if (options.disable_default_user && whoami->str() == "default") {
    return absl::FailedPreconditionError(
        "disable_default_user: connected as the default user, which would lock this tool out "
        "next time: connect as an administrative user (--redis_username)");
  }

  SetupReport report;
  for (std::string_view source : FunctionLibraries()) {
    const std::string name = FunctionLibraryName(source);
    auto loaded = LoadedCode(admin, name);
    if (!loaded.ok()) return loaded.status();
    if (*loaded == source) {
      report.libraries_unchanged.push_back(name);
      continue;
    }
    auto reply = admin.Run({"FUNCTION", "LOAD", "REPLACE", std::string(source)},
                           absl::StrCat("FUNCTION LOAD of ", name));
    if (!reply.ok()) return reply.status();
    report.libraries_loaded.push_back(name);
  }

  auto before = AclLines(admin);
  if (!before.ok()) return before.status();
  for (const UserPassword& p : *passwords) {
    std::vector<std::string> command = {"ACL", "SETUSER", p.acl->user};
    for (std::string& rule : AclSetUserRules(*p.acl, p.sha256_hex)) {
      command.push_back(std::move(rule));
    }
    auto reply = admin.Run(command, absl::StrCat("ACL SETUSER ", p.acl->user));
    if (!reply.ok()) return reply.status();
  }
  if (options.disable_default_user) {
    auto it = before->find("default");
    if (it == before->end() || !IsOff(it->second)) {
      auto reply = admin.Run({"ACL", "SETUSER", "default", "off"}, "ACL SETUSER default");
      if (!reply.ok()) return reply.status();
      report.default_user_turned_off = true;
    }
  }
  auto after = AclLines(admin);
  if (!after.ok()) return after.status();
  for (const UserPassword& p : *passwords) {
    const std::string& user = p.acl->user;
    auto was = before->find(user);
    if (was == before->end()) {
      report.users_created.push_back(user);
    } else if (CanonicalAclRules(was->second) != CanonicalAclRules((*after)[user])) {
      report.users_updated.push_back(user);
    } else {
      report.users_unchanged.push_back(user);
    }
  }

  auto aclfile = admin.Run({"CONFIG", "GET", "aclfile"}, "CONFIG GET aclfile");
  if (!aclfile.ok()) return aclfile.status();
  if (aclfile->elements().size() == 2) report.aclfile = aclfile->elements()[1].str();
  const bool users_changed = !report.users_created.empty() || !report.users_updated.empty() ||
                             report.default_user_turned_off;
  if (!report.aclfile.empty() && users_changed) {
    auto saved = admin.Run({"ACL", "SAVE"}, "ACL SAVE");
    if (!saved.ok()) return saved.status();
    report.acl_saved = true;
  }
  return report;
}

std::string DescribeReport(const SetupReport& r) {
  std::vector<std::string> lines;
  for (const auto& name : r.libraries_loaded) lines.push_back("functions " + name + ": loaded");
  for (const auto& name : r.libraries_unchanged) {
    lines.push_back("functions " + name + ": unchanged");
  }
  for (const auto& user : r.users_created) lines.push_back("user " + user + ": created");
  for (const auto& user : r.users_updated) lines.push_back("user " + user + ": updated");
  for (const auto& user : r.users_unchanged) lines.push_back("user " + user + ": unchanged");
  if (r.default_user_turned_off) lines.push_back("user default: turned off");
  if (r.aclfile.empty()) {
    lines.push_back("no aclfile: the users last until Redis restarts (run this again then)");
  } else {
    lines.push_back("aclfile " + r.aclfile + (r.acl_saved ? ": saved" : ": unchanged"));
  }
  return absl::StrJoin(lines, "\n");
}

}  // namespace relais::redis_setup
