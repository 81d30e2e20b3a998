#include "clients/relaisctl/flags.h"

#include "clients/relaisctl/time_text.h"

namespace relais::cli {

CLI::Option* AddTextFlag(CLI::App* app, const std::string& name, std::optional<std::string>* into,
                         const std::string& help) {
  return app
      ->add_option_function<std::string>(
          name, [into](const std::string& value) { *into = value; }, help)
      ->type_name("TEXT");
}

CLI::Option* AddTimeFlag(CLI::App* app, const std::string& name, std::optional<absl::Time>* into,
                         const std::string& help) {
  return app
      ->add_option_function<std::string>(
          name,
          [name, into](const std::string& text) {
            const std::optional<absl::Time> time = ParseTime(text);
            if (!time) throw CLI::ValidationError(name, Say(Msg::kBadTime, text));
            *into = *time;
          },
          help)
      ->type_name("TIME");
}

CLI::Option* AddDateFlag(CLI::App* app, const std::string& name, std::optional<absl::Time>* into,
                         const std::string& help) {
  return app
      ->add_option_function<std::string>(
          name,
          [name, into](const std::string& text) {
            const std::optional<absl::Time> date = ParseDate(text);
            if (!date) throw CLI::ValidationError(name, Say(Msg::kBadDate, text));
            *into = *date;
          },
          help)
      ->type_name("DATE");
}

CLI::Option* AddTextsFlag(CLI::App* app, const std::string& name,
                          std::optional<std::vector<std::string>>* into, const std::string& help) {
  return app
      ->add_option_function<std::vector<std::string>>(
          name,
          [name, into](const std::vector<std::string>& texts) {
            for (const std::string& text : texts) {
              if (text.find_first_not_of(" \t") == std::string::npos) {
                throw CLI::ValidationError(name, Say(Msg::kEmptyValue));
              }
            }
            *into = texts;
          },
          help + Say(Msg::kHelpRepeat))
      ->allow_extra_args(false)
      ->type_name("ID");
}

CLI::Option* AddDurationFlag(CLI::App* app, const std::string& name,
                             std::optional<absl::Duration>* into, const std::string& help) {
  return app
      ->add_option_function<std::string>(
          name,
          [name, into](const std::string& text) {
            // The same reading as --timeout: positive and finite.
            const std::optional<absl::Duration> duration = ParseTimeout(text);
            if (!duration) throw CLI::ValidationError(name, Say(Msg::kBadDuration, text));
            *into = *duration;
          },
          help)
      ->type_name("DURATION");
}

void AddPageFlags(CLI::App* app, PageFlags* into, Msg page_size_help) {
  AddNumberFlag(app, "--page-size", &into->page_size, Say(page_size_help))->type_name("N");
  AddTextFlag(app, "--page-token", &into->page_token, Say(Msg::kHelpPageToken))->type_name("TOKEN");
  app->add_flag("--all", into->all, Say(Msg::kHelpAll));
}

CLI::Option* AddExpectedVersionFlag(CLI::App* app, int64_t* into, Msg help) {
  return app->add_option("--expected-version", *into, Say(help))->type_name("VERSION");
}

}  // namespace relais::cli
