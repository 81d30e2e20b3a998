// Every noun of relaisctl registers its verbs with one function, defined in <noun>_noun.cc.
#pragma once

#include "clients/relaisctl/app.h"

namespace relais::cli {

// All nouns, in the order --help lists them.
void RegisterNouns(Cli& cli);

void RegisterCrisisNoun(Cli& cli);

}  // namespace relais::cli
