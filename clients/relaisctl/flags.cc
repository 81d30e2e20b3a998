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

CLI::Option* AddExpectedVersionFlag(CLI::App* app, int64_t* into, Msg help) {
  return app->add_option("--expected-version", *into, Say(help))->type_name("VERSION");
}

}  // namespace relais::cli
