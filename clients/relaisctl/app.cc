#include "clients/relaisctl/app.h"

#include <fstream>
#include <memory>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "clients/relaisctl/messages.h"
#include "clients/relaisctl/nouns.h"
#include "clients/relaisctl/output.h"
#include "clients/relaisctl/table.h"
#include "clients/relaisctl/time_text.h"
#include "services/runtime/tokens.h"

namespace relais::cli {
namespace {

// "relaisctl crisis update": the deepest command the user reached, for usage hints.
std::string CommandPath(const CLI::App* app) {
  std::string path = app->get_name();
  for (const CLI::App* at = app;;) {
    const std::vector<CLI::App*> chosen = at->get_subcommands();
    if (chosen.empty()) return path;
    at = chosen.front();
    path += " " + at->get_name();
  }
}

// CLI11 does not wrap descriptions; ours fit in kMaxWidth columns like everything we print.
class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_option_desc(const CLI::Option* option) const override {
    return WrapDescription(CLI::Formatter::make_option_desc(option));
  }
  std::string make_subcommand(const CLI::App* sub) const override {
    std::stringstream out;
    CLI::detail::format_help(out, sub->get_display_name(true),
                             WrapDescription(sub->get_description()), get_column_width());
    return out.str();
  }

 private:
  std::string WrapDescription(const std::string& text) const {
    const int width = kMaxWidth - static_cast<int>(get_column_width());
    return absl::StrJoin(Wrap(text, width), "\n");
  }
};

std::string FirstGiven(const std::string& flag, const std::optional<std::string>& env,
                       const std::string& fallback) {
  if (!flag.empty()) return flag;
  if (env) return *env;
  return fallback;
}

// The token in `path` without surrounding white space; nullopt when unreadable or empty.
std::optional<std::string> ReadToken(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream content;
  content << in.rdbuf();
  std::string token(absl::StripAsciiWhitespace(content.str()));
  if (token.empty()) return std::nullopt;
  return token;
}

}  // namespace

Cli::Cli(const Environment& env) : env_(env), app_(Say(Msg::kHelpApp), "relaisctl") {
  auto formatter = std::make_shared<HelpFormatter>();
  if (CurrentLanguage() == Language::kFrench) {
    // CLI11's own words in its help layout.
    formatter->label("Usage", "Utilisation");
    formatter->label("OPTIONS", "OPTIONS");
    formatter->label("SUBCOMMAND", "COMMANDE");
    formatter->label("SUBCOMMANDS", "COMMANDES");
    formatter->label("REQUIRED", "OBLIGATOIRE");
    formatter->label("Positionals", "Arguments");
  }
  app_.formatter(formatter);                             // before the nouns: they copy it
  app_.set_help_flag("-h,--help", Say(Msg::kHelpHelp));  // the nouns and verbs copy it
  app_.require_subcommand(1);
  app_.footer(Say(Msg::kHelpAppFooter));
  app_.failure_message([](const CLI::App* app, const CLI::Error& e) {
    return Say(Msg::kUsageLine, e.what()) + "\n" + Say(Msg::kUsageHint, CommandPath(app)) + "\n";
  });

  app_.add_option("--server", server_, Say(Msg::kHelpServer))->type_name("HOST:PORT");
  app_.add_option("--token-file", token_file_, Say(Msg::kHelpTokenFile))->type_name("FILE");
  app_.add_option("--tls-ca", tls_ca_, Say(Msg::kHelpTlsCa))->type_name("FILE");
  app_.add_option("--principal", principal_, Say(Msg::kHelpPrincipal))->type_name("ID");
  app_.add_option("--role", role_, Say(Msg::kHelpRole))->type_name("ROLE");
  app_.add_option("--organisation", organisation_, Say(Msg::kHelpOrganisationFlag))
      ->type_name("ID");
  app_.add_option("--responder", responder_, Say(Msg::kHelpResponderFlag))->type_name("ID");
  app_.add_flag("--json", json_, Say(Msg::kHelpJson));
  app_.add_option("--timeout", timeout_, Say(Msg::kHelpTimeout))
      ->type_name("DURATION")
      ->check(CLI::Validator(
          [](std::string& text) {
            return ParseTimeout(text) ? std::string() : Say(Msg::kBadTimeout, text);
          },
          ""));
  app_.add_option("--request-id", request_id_, Say(Msg::kHelpRequestId))->type_name("ID");
  // Read by Run before the tree is built (ChooseLanguage); declared here for --help and checks.
  app_.add_option("--lang", lang_, Say(Msg::kHelpLang))
      ->type_name("fr|en")
      ->check(CLI::Validator(
          [](std::string& text) {
            return LanguageFromWord(text) ? std::string() : Say(Msg::kBadLang, text);
          },
          ""));
  // std::map nodes stay where they are: the option may keep a reference to the value.
  const ServiceAddress mobilisation = MobilisationService();
  app_.add_option(
          mobilisation.flag, service_flags_[mobilisation.flag],
          Say(Msg::kHelpMobilisationFlag, mobilisation.env_var, mobilisation.default_target))
      ->type_name("HOST:PORT");
}

CLI::App* Cli::AddNoun(const std::string& name, const std::string& description,
                       ServiceAddress service) {
  CLI::App* noun = app_.add_subcommand(name, description);
  noun->require_subcommand(1);
  noun->fallthrough();  // global flags may come anywhere on the line
  noun->footer(
      service.flag.empty()
          ? Say(Msg::kHelpNounFooter, service.env_var, service.default_target)
          : Say(Msg::kHelpNounFlagFooter, service.flag, service.env_var, service.default_target));
  services_[noun] = std::move(service);
  return noun;
}

CLI::App* Cli::AddVerb(CLI::App* noun, const std::string& name, const std::string& description,
                       Action action, std::optional<ServiceAddress> service) {
  CLI::App* verb = noun->add_subcommand(name, description);
  verb->fallthrough();
  verb->footer(service ? Say(Msg::kHelpVerbServiceFooter, service->flag, service->env_var,
                             service->default_target) +
                             "\n" + Say(Msg::kHelpVerbFooter)
                       : Say(Msg::kHelpVerbFooter));
  verbs_.push_back({verb, noun, std::move(action), std::move(service)});
  return verb;
}

std::string Cli::TargetOf(const ServiceAddress& service) const {
  std::string flag_value;
  if (auto it = service_flags_.find(service.flag);
      !service.flag.empty() && it != service_flags_.end()) {
    flag_value = it->second;
  }
  return FirstGiven(flag_value.empty() ? server_ : flag_value, env_.getenv(service.env_var),
                    service.default_target);
}

CallSettings Cli::Resolve(const Verb& verb) const {
  const ServiceAddress& service = verb.service ? *verb.service : services_.at(verb.noun);
  CallSettings settings;
  settings.target = TargetOf(service);
  for (const auto& [noun, known] : services_) settings.targets[known.env_var] = TargetOf(known);
  settings.targets[service.env_var] = settings.target;
  settings.principal = FirstGiven(principal_, env_.getenv("RELAIS_PRINCIPAL"), "");
  settings.role = FirstGiven(role_, env_.getenv("RELAIS_ROLE"), "");
  settings.organisation = FirstGiven(organisation_, env_.getenv("RELAIS_ORGANISATION"), "");
  settings.responder = FirstGiven(responder_, env_.getenv("RELAIS_RESPONDER"), "");
  settings.timeout = *ParseTimeout(timeout_);  // checked while parsing
  settings.request_id = request_id_.empty() ? env_.new_request_id() : request_id_;
  settings.json = json_;
  return settings;
}

int Cli::Run(const std::vector<std::string>& args) {
  // CLI11 takes its arguments last first.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app_.parse(reversed);
  } catch (const CLI::ParseError& e) {
    // --help is a ParseError too, with exit code 0.
    return app_.exit(e, *env_.out, *env_.err) == 0 ? kExitOk : kExitUsage;
  }
  for (const Verb& verb : verbs_) {
    if (!verb.app->parsed()) continue;
    CallSettings settings = Resolve(verb);
    const std::string token_file = FirstGiven(token_file_, env_.getenv("RELAIS_TOKEN_FILE"), "");
    std::optional<std::string> token;
    if (!token_file.empty()) {
      token = ReadToken(token_file);
      if (!token) {
        Session session(env_, std::move(settings), CommandPath(&app_));
        return session.UsageError(Say(Msg::kBadTokenFile, token_file));
      }
    } else {
      token = env_.getenv("RELAIS_TOKEN");
    }
    settings.token = token.value_or("");
    // The token's own claims say who is calling (only the client's planning uses them, e.g. an
    // import's "your organisation only"; the server verifies the token and decides).
    if (!settings.token.empty()) {
      if (auto claims = relais::ReadClaimsUnverified(settings.token); claims.ok()) {
        settings.principal = claims->id;
        settings.role = std::string(relais::RoleName(claims->role));
        settings.organisation = claims->organisation_id;
        settings.responder = claims->responder_id;
      }
    }
    settings.tls_ca = FirstGiven(tls_ca_, env_.getenv("RELAIS_TLS_CA"), "");
    if (!settings.tls_ca.empty() && !std::ifstream(settings.tls_ca)) {
      Session session(env_, std::move(settings), CommandPath(&app_));
      return session.UsageError(Say(Msg::kBadTlsCa, session.settings().tls_ca));
    }
    Session session(env_, std::move(settings), CommandPath(&app_));
    return verb.action(session);
  }
  return kExitUsage;  // unreachable: every level requires a subcommand
}

Language ChooseLanguage(const std::vector<std::string>& args, const Environment& env) {
  // --lang wins, then RELAIS_LANG, then the locale. A bad --lang is reported by CLI11 later.
  // The responder verbs have a --lang of their own (a language spoken): there, only a --lang
  // before the noun is the global one.
  bool noun_seen = false;
  bool own_lang = false;
  for (size_t i = 0; i < args.size(); ++i) {
    if (!noun_seen && !args[i].empty() && args[i][0] != '-') {
      const bool value_of_flag = i > 0 && args[i - 1].rfind("--", 0) == 0 &&
                                 args[i - 1].find('=') == std::string::npos &&
                                 args[i - 1] != "--json";
      if (!value_of_flag) {
        noun_seen = true;
        own_lang = args[i] == "responder";
      }
    }
    if (noun_seen && own_lang) continue;
    std::optional<Language> chosen;
    if (args[i] == "--lang" && i + 1 < args.size()) chosen = LanguageFromWord(args[i + 1]);
    if (args[i].rfind("--lang=", 0) == 0) chosen = LanguageFromWord(args[i].substr(7));
    if (chosen) return *chosen;
  }
  if (const std::optional<std::string> lang = env.getenv("RELAIS_LANG")) {
    if (const std::optional<Language> chosen = LanguageFromWord(*lang)) return *chosen;
  }
  return LanguageFromLocale(env.getenv);
}

int Run(const std::vector<std::string>& args, const Environment& env) {
  SetLanguage(ChooseLanguage(args, env));
  Cli cli(env);
  RegisterNouns(cli);
  return cli.Run(args);
}

}  // namespace relais::cli
