// Flag helpers every noun uses, so that a word, a time or a number reads and fails the same
// way on every verb. Each binds to a std::optional that stays empty unless the flag is given.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clients/relaisctl/messages.h"
#include "clients/relaisctl/words.h"

namespace relais::cli {

CLI::Option* AddTextFlag(CLI::App* app, const std::string& name, std::optional<std::string>* into,
                         const std::string& help);

// RFC 3339 (see time_text.h).
CLI::Option* AddTimeFlag(CLI::App* app, const std::string& name, std::optional<absl::Time>* into,
                         const std::string& help);

template <typename Number>
CLI::Option* AddNumberFlag(CLI::App* app, const std::string& name, std::optional<Number>* into,
                           const std::string& help) {
  return app->add_option_function<Number>(
      name, [into](const Number& value) { *into = value; }, help);
}

// One of the vocabulary's words; the help lists them.
template <typename Enum>
CLI::Option* AddWordFlag(CLI::App* app, const std::string& name, const Vocabulary<Enum>& vocabulary,
                         std::optional<Enum>* into, const std::string& help) {
  return app
      ->add_option_function<std::string>(
          name,
          [name, into, &vocabulary](const std::string& text) {
            const std::optional<Enum> value = vocabulary.Parse(text);
            if (!value)
              throw CLI::ValidationError(name, Say(Msg::kBadWord, text, vocabulary.List()));
            *into = *value;
          },
          help + " (" + vocabulary.List() + ")")
      ->type_name("WORD");
}

// A repeatable word flag (--domain wash --domain logistics): every value, in order. One value
// per flag, so a positional after it stays one.
template <typename Enum>
CLI::Option* AddWordsFlag(CLI::App* app, const std::string& name,
                          const Vocabulary<Enum>& vocabulary,
                          std::optional<std::vector<Enum>>* into, const std::string& help) {
  return app
      ->add_option_function<std::vector<std::string>>(
          name,
          [name, into, &vocabulary](const std::vector<std::string>& texts) {
            std::vector<Enum> values;
            for (const std::string& text : texts) {
              const std::optional<Enum> value = vocabulary.Parse(text);
              if (!value)
                throw CLI::ValidationError(name, Say(Msg::kBadWord, text, vocabulary.List()));
              values.push_back(*value);
            }
            *into = std::move(values);
          },
          help + " (" + vocabulary.List() + "); repeat the flag for more")
      ->allow_extra_args(false)
      ->type_name("WORD");
}

// A repeatable flag with a mini-syntax (inventory_syntax.h): every value goes through `parse`,
// whose error is shown after the value.
template <typename T>
CLI::Option* AddSyntaxFlag(CLI::App* app, const std::string& name,
                           std::optional<std::vector<T>>* into,
                           absl::StatusOr<T> (*parse)(std::string_view), const std::string& help) {
  return app
      ->add_option_function<std::vector<std::string>>(
          name,
          [name, into, parse](const std::vector<std::string>& texts) {
            std::vector<T> values;
            for (const std::string& text : texts) {
              absl::StatusOr<T> value = parse(text);
              if (!value.ok()) {
                throw CLI::ValidationError(
                    name, Say(Msg::kValueInvalid, text, std::string(value.status().message())));
              }
              values.push_back(*std::move(value));
            }
            *into = std::move(values);
          },
          help)
      ->allow_extra_args(false);
}

// A single value with a mini-syntax (inventory_syntax.h), e.g. --near LAT,LON.
template <typename T>
CLI::Option* AddParsedFlag(CLI::App* app, const std::string& name, std::optional<T>* into,
                           absl::StatusOr<T> (*parse)(std::string_view), const std::string& help) {
  return app->add_option_function<std::string>(
      name,
      [name, into, parse](const std::string& text) {
        absl::StatusOr<T> value = parse(text);
        if (!value.ok()) {
          throw CLI::ValidationError(
              name, Say(Msg::kValueInvalid, text, std::string(value.status().message())));
        }
        *into = *std::move(value);
      },
      help);
}

// A repeatable flag of ids or codes (--member rsp_1 --member rsp_2): every value, in order, none
// empty. One value per flag, so a positional after it stays one.
CLI::Option* AddTextsFlag(CLI::App* app, const std::string& name,
                          std::optional<std::vector<std::string>>* into, const std::string& help);

// A positive duration such as 15m, 90s or 1h30m (a bare number is seconds).
CLI::Option* AddDurationFlag(CLI::App* app, const std::string& name,
                             std::optional<absl::Duration>* into, const std::string& help);

// --page-size, --page-token and --all of a list; `page_size_help` says how many per page.
struct PageFlags {
  std::optional<int32_t> page_size;
  std::optional<std::string> page_token;
  bool all = false;
};
void AddPageFlags(CLI::App* app, PageFlags* into, Msg page_size_help);

// A calendar date, YYYY-MM-DD (see ParseDate in time_text.h).
CLI::Option* AddDateFlag(CLI::App* app, const std::string& name, std::optional<absl::Time>* into,
                         const std::string& help);

// --expected-version, on every write; `help` names what has the version.
CLI::Option* AddExpectedVersionFlag(CLI::App* app, int64_t* into,
                                    Msg help = Msg::kHelpExpectedVersion);

}  // namespace relais::cli
