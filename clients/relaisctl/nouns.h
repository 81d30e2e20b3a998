// Every noun of relaisctl registers its verbs with one function, defined in <noun>_noun.cc.
#pragma once

#include "clients/relaisctl/app.h"

namespace relais::cli {

// All nouns, in the order --help lists them.
void RegisterNouns(Cli& cli);

void RegisterCrisisNoun(Cli& cli);

// The nouns of the resource inventory, which all call one service (InventoryService()).
void RegisterOrgNoun(Cli& cli);
void RegisterResponderNoun(Cli& cli);
void RegisterAvailabilityNoun(Cli& cli);

// proto/relais/v1/inventory.proto: RELAIS_INVENTORY_ADDR, else 127.0.0.1:50052.
ServiceAddress InventoryService();

}  // namespace relais::cli
