// Every noun of relaisctl registers its verbs with one function, defined in <noun>_noun.cc.
#pragma once

#include "clients/relaisctl/app.h"

namespace relais::cli {

// All nouns, in the order --help lists them.
void RegisterNouns(Cli& cli);

void RegisterCrisisNoun(Cli& cli);

// The nouns of the mobilisation service (MobilisationService()); crisis board, outreach and
// watch call it too.
void RegisterNeedNoun(Cli& cli);
void RegisterRequestNoun(Cli& cli);
void RegisterAssignmentNoun(Cli& cli);

// proto/relais/v1/mobilisation.proto: --mobilisation, else --server, else
// RELAIS_MOBILISATION_ADDR, else 127.0.0.1:50053.
ServiceAddress MobilisationService();

// The nouns of the resource inventory, which all call one service (InventoryService()).
void RegisterOrgNoun(Cli& cli);
void RegisterResponderNoun(Cli& cli);
void RegisterAvailabilityNoun(Cli& cli);
void RegisterTeamNoun(Cli& cli);
void RegisterWarehouseNoun(Cli& cli);
void RegisterStockNoun(Cli& cli);
void RegisterHoldNoun(Cli& cli);
// relaisctl import <kind> FILE.csv (import_noun.cc).
void RegisterImportNoun(Cli& cli);
// relaisctl audit crisis|organisation|responder (audit_noun.cc): the audit trail.
void RegisterAuditNoun(Cli& cli);
// relaisctl admin issue-token (admin_noun.cc): offline, with the signing key.
void RegisterAdminNoun(Cli& cli);

// proto/relais/v1/inventory.proto: RELAIS_INVENTORY_ADDR, else 127.0.0.1:50052.
ServiceAddress InventoryService();

// Whose list a list verb shows: its --organisation-id, else the caller's (--organisation,
// RELAIS_ORGANISATION); empty when neither is known.
std::string ListedOrganisation(const std::optional<std::string>& organisation_id,
                               const Session& session);

}  // namespace relais::cli
