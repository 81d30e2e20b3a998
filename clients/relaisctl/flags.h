// Flag helpers every noun uses, so that a word, a time or a number reads and fails the same
// way on every verb. Each binds to a std::optional that stays empty unless the flag is given.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>

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

// --expected-version, on every write.
CLI::Option* AddExpectedVersionFlag(CLI::App* app, int64_t* into);

}  // namespace relais::cli
