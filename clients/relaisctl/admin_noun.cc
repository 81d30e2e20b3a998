// relaisctl admin issue-token SUBJECT ROLE: signed tokens for the people and services that use
// Relais (services/runtime/tokens.h). Runs offline: it needs the signing key, not a server.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "absl/time/time.h"
#include "clients/relaisctl/flags.h"
#include "clients/relaisctl/nouns.h"
#include "clients/relaisctl/output.h"
#include "services/runtime/tokens.h"

namespace relais::cli {
namespace {

struct IssueFlags {
  std::string subject;
  std::string role;
  std::optional<std::string> key_file;
  std::optional<std::string> organisation_id;
  std::optional<std::string> responder_id;
  std::optional<absl::Duration> ttl;
  std::optional<std::string> out_file;
};

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

// Creates `path` readable by its owner only, before a byte of the token is in it; a missing
// folder (~/.relais) is made for the owner only too.
bool WritePrivateFile(const std::string& path, const std::string& content) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code error;
  if (!parent.empty() && !std::filesystem::exists(parent, error)) {
    if (!std::filesystem::create_directories(parent, error)) return false;
    std::filesystem::permissions(parent, std::filesystem::perms::owner_all, error);
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  ::fchmod(fd, 0600);  // an existing file keeps its mode through O_CREAT
  const std::string line = content + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  return ::close(fd) == 0 && written;
}

int IssueToken(Session& session, const IssueFlags& f) {
  const std::optional<std::string> env_key = session.Getenv("RELAIS_TOKEN_KEY");
  Principal principal;
  principal.id = f.subject;
  if (!ParseRole(f.role, &principal.role)) return session.UsageError(Say(Msg::kBadRole, f.role));
  principal.organisation_id = f.organisation_id.value_or("");
  principal.responder_id = f.responder_id.value_or("");
  const std::string key_path = f.key_file ? *f.key_file : env_key.value_or("");
  const std::optional<std::string> key = key_path.empty() ? std::nullopt : ReadFile(key_path);
  if (!key) return session.UsageError(Say(Msg::kBadKeyFile, key_path));
  const absl::Time now = session.Now();
  const absl::Duration ttl = f.ttl.value_or(absl::Hours(12));
  absl::StatusOr<std::string> token = relais::IssueToken(*key, principal, now, ttl, NewUuidV4());
  if (!token.ok()) return session.UsageError(std::string(token.status().message()));
  const std::string until = absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", now + ttl, absl::UTCTimeZone());
  if (f.out_file) {
    if (!WritePrivateFile(*f.out_file, *token)) {
      return session.UsageError(Say(Msg::kCannotWrite, *f.out_file));
    }
    session.err() << Say(Msg::kTokenWritten, principal.id, f.role, *f.out_file, until) << "\n";
    return kExitOk;
  }
  session.out() << *token << "\n";
  return kExitOk;
}

}  // namespace

void RegisterAdminNoun(Cli& cli) {
  // No server: the noun's footer names none.
  CLI::App* noun = cli.AddNoun("admin", Say(Msg::kHelpAdmin), InventoryService());
  noun->footer(Say(Msg::kHelpVerbFooter));
  auto f = std::make_shared<IssueFlags>();
  CLI::App* verb = cli.AddVerb(noun, "issue-token", Say(Msg::kHelpAdminIssueToken),
                               [f](Session& session) { return IssueToken(session, *f); });
  verb->add_option("subject", f->subject, Say(Msg::kHelpIssueSubject))->required();
  verb->add_option("role", f->role, Say(Msg::kHelpIssueRole))->required();
  AddTextFlag(verb, "--key", &f->key_file, Say(Msg::kHelpIssueKey))->type_name("FILE");
  AddTextFlag(verb, "--organisation-id", &f->organisation_id, Say(Msg::kHelpIssueOrganisation))
      ->type_name("ORG");
  AddTextFlag(verb, "--responder-id", &f->responder_id, Say(Msg::kHelpIssueResponder))
      ->type_name("RESPONDER");
  AddDurationFlag(verb, "--ttl", &f->ttl, Say(Msg::kHelpIssueTtl));
  AddTextFlag(verb, "--out", &f->out_file, Say(Msg::kHelpIssueOut))->type_name("FILE");
  verb->footer(Say(Msg::kHelpIssueTokenFooter) + "\n\n" + Say(Msg::kHelpVerbFooter));
}

}  // namespace relais::cli
