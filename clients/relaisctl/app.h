// The relaisctl command tree: global flags, then `relaisctl <noun> <verb> [flags]`. Each noun
// lives in its own file and registers its verbs here (see nouns.h); a verb is a set of flags and
// an action that runs once the whole command line is parsed.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "clients/relaisctl/messages.h"
#include "clients/relaisctl/session.h"

namespace relais::cli {

// Where a noun's (or a verb's) service listens unless --server says otherwise.
struct ServiceAddress {
  // e.g. "RELAIS_CRISIS_ADDR".
  std::string env_var;
  std::string default_target;
  // A global flag naming this service alone, e.g. "--mobilisation"; it wins over --server.
  // Empty: only --server.
  std::string flag;
};

// Runs the chosen verb; returns the process exit code (see output.h).
using Action = std::function<int(Session&)>;

class Cli {
 public:
  explicit Cli(const Environment& env);
  Cli(const Cli&) = delete;
  Cli& operator=(const Cli&) = delete;

  // Adds a noun such as "crisis"; its verbs are added with AddVerb.
  CLI::App* AddNoun(const std::string& name, const std::string& description,
                    ServiceAddress service);

  // Adds a verb to a noun. The verb's flags are added to the returned app by the caller; the
  // action reads them when it runs. `service`, when given, is where this verb calls instead of
  // its noun's service (crisis board calls the mobilisation service).
  CLI::App* AddVerb(CLI::App* noun, const std::string& name, const std::string& description,
                    Action action, std::optional<ServiceAddress> service = std::nullopt);

  // `args` without the program name. Prints help, usage errors, results and server errors.
  int Run(const std::vector<std::string>& args);

 private:
  struct Verb {
    CLI::App* app;
    CLI::App* noun;
    Action action;
    std::optional<ServiceAddress> service;
  };

  CallSettings Resolve(const Verb& verb) const;
  // Its --<service> flag, else --server, else its environment variable, else its default.
  std::string TargetOf(const ServiceAddress& service) const;

  const Environment& env_;
  CLI::App app_;
  std::map<CLI::App*, ServiceAddress> services_;
  std::vector<Verb> verbs_;

  // Global flags.
  std::string server_;
  std::string principal_;
  std::string token_file_;
  std::string tls_ca_;
  std::string role_;
  std::string organisation_;
  std::string responder_;
  bool json_ = false;
  std::string timeout_ = "10s";
  std::string request_id_;
  std::string lang_;
  // The values of the services' own address flags (ServiceAddress::flag), by flag name.
  std::map<std::string, std::string> service_flags_;
};

// The language of a run: --lang, else RELAIS_LANG, else the locale (messages.h).
Language ChooseLanguage(const std::vector<std::string>& args, const Environment& env);

// What main runs: the language chosen, every noun registered, then Cli::Run.
int Run(const std::vector<std::string>& args, const Environment& env);

}  // namespace relais::cli
