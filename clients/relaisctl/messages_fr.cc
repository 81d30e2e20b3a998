// The French texts of relaisctl (messages.h): the same switch as English in messages.cc, in
// the humanitarian milieu's words (intervenant, besoin, demande, affectation, mobilisation).
// Enum words, flag names, status codes and JSON keys stay as they are: scripts rely on them.
#include "clients/relaisctl/messages.h"

namespace relais::cli {

// The compiler (-Wswitch, -Werror) refuses a missing text here too.
std::string_view French(Msg id) {
  switch (id) {
    case Msg::kUsageLine:
      return "relaisctl : $0";
    case Msg::kUsageHint:
      return "Lancez « $0 --help » pour l'aide.";
    case Msg::kErrorLine:
      return "relaisctl : $0 : $1";
    case Msg::kErrorServerHint:
      return " (serveur $0)";
    case Msg::kErrorRetryHint:
      return " (issue inconnue : relancez avec $0, la demande ne s'appliquera pas deux fois)";
    case Msg::kBadWord:
      return "« $0 » n'est pas l'un de : $1";
    case Msg::kBadTime:
      return "« $0 » n'est pas une heure RFC 3339 comme 2026-12-01T08:00:00Z";
    case Msg::kBadTimeout:
      return "« $0 » n'est pas une durée comme 10s, 500ms ou 1m30s";
    case Msg::kNeedInvalid:
      return "« $0 » : $1";
    case Msg::kNeedEmpty:
      return "besoin vide : attendu TYPE:CODE=QUANTITÉ[,CLÉ=VALEUR...], p. ex. skill:nurse=4";
    case Msg::kNeedNoKind:
      return "« $0 » ne commence pas par TYPE:CODE=QUANTITÉ, p. ex. skill:nurse=4";
    case Msg::kNeedBadKind:
      return "le type « $0 » n'est pas l'un de : $1";
    case Msg::kNeedNoCode:
      return "pas de code du catalogue après « $0: »";
    case Msg::kNeedNoQuantity:
      return "pas de quantité : écrivez $0=<nombre>";
    case Msg::kNeedQuantityName:
      return "quantité";
    case Msg::kNeedNotANumber:
      return "$0 : « $1 » n'est pas un nombre entier";
    case Msg::kNeedEmptyCode:
      return "$0 : code vide dans « $1 » (séparez les codes par +)";
    case Msg::kNeedBadPriority:
      return "priority : « $0 » n'est pas l'un de : $1";
    case Msg::kNeedBadTime:
      return "by : « $0 » n'est pas une heure RFC 3339 comme 2026-12-01T08:00:00Z";
    case Msg::kNeedUnknownKey:
      return "clé inconnue « $0 » (connues : priority, by, days, level, lang, cert)";
    case Msg::kNeedEmptyItem:
      return "élément vide entre deux virgules";
    case Msg::kNeedNoValue:
      return "« $0 » n'a pas de valeur : écrivez $0=...";
    case Msg::kNeedKeyTwice:
      return "« $0 » est donné deux fois";
    case Msg::kUpdateAreaIncomplete:
      return "--lat, --lon, --radius-km et --country remplacent toute la zone, avec --area : il "
             "manque $0";
    case Msg::kUpdateCrisisNothing:
      return "rien à modifier : donnez au moins une des options de la crise (voir --help)";
    case Msg::kUpdateNeedNothing:
      return "rien à modifier : donnez --quantity, --priority, --by, --days, --cancel ou --reason";
    case Msg::kValueInvalid:
      return "« $0 » : $1";
    case Msg::kBadDate:
      return "« $0 » n'est pas une date comme 2030-01-01 (ni une heure RFC 3339)";
    case Msg::kSkillEmpty:
      return "compétence vide : attendu CODE:NIVEAU, p. ex. nurse:3";
    case Msg::kSkillNoCode:
      return "pas de code de compétence avant « : » : attendu CODE:NIVEAU, p. ex. nurse:3";
    case Msg::kSkillNoLevel:
      return "pas de niveau : écrivez $0:<1-5>";
    case Msg::kSkillBadLevel:
      return "niveau : « $0 » n'est pas un nombre entier";
    case Msg::kCertEmpty:
      return "certification vide : attendu CODE[:DATE], p. ex. yellow-fever-vaccination:2030-01-01";
    case Msg::kCertNoCode:
      return "pas de code de certification avant « : » : attendu CODE[:DATE]";
    case Msg::kCertNoDate:
      return "pas de date après « $0: » : écrivez $0:AAAA-MM-JJ, ou $0 seul si elle n'expire pas";
    case Msg::kContactEmpty:
      return "contact vide : attendu TYPE:ADRESSE, p. ex. email:amina@example.org";
    case Msg::kContactNoKind:
      return "« $0 » ne commence pas par TYPE: ($1), p. ex. email:amina@example.org";
    case Msg::kContactBadKind:
      return "le type « $0 » n'est pas l'un de : $1";
    case Msg::kContactNoAddress:
      return "pas d'adresse après « $0: »";
    case Msg::kLanguageEmpty:
      return "code de langue vide : attendu p. ex. fr";
    case Msg::kUpdateLocationIncomplete:
      return "--lat et --lon remplacent ensemble l'emplacement : il manque $0";
    case Msg::kUpdateContactIncomplete:
      return "--email, --phone et --website remplacent tout le contact : donnez les trois (\"\" en "
             "efface un) : il manque $0";
    case Msg::kUpdateOrganisationNothing:
      return "rien à modifier : donnez au moins une des options de l'organisation (voir --help)";
    case Msg::kUpdateHomeBaseIncomplete:
      return "--lat et --lon remplacent ensemble le lieu de départ : il manque $0";
    case Msg::kUpdateTravelIncomplete:
      return "--passport-until et --passport-country remplacent ensemble l'aptitude au départ à "
             "l'étranger (--no-passport la vide) : il manque $0";
    case Msg::kUpdateResponderNothing:
      return "rien à modifier : donnez au moins une des options de l'intervenant (voir --help)";
    case Msg::kListRespondersNoOrganisation:
      return "les intervenants de qui ? donnez --organisation-id, ou --organisation "
             "(RELAIS_ORGANISATION) pour les vôtres";
    case Msg::kEmptyValue:
      return "valeur vide";
    case Msg::kBadDuration:
      return "« $0 » n'est pas une durée comme 15m, 90s ou 1h30m";
    case Msg::kPointNoComma:
      return "attendu LAT,LON en degrés décimaux, p. ex. 45.7578,4.8320";
    case Msg::kPointBadNumber:
      return "$0 : « $1 » n'est pas un nombre";
    case Msg::kPointLatitude:
      return "latitude";
    case Msg::kPointLongitude:
      return "longitude";
    case Msg::kKitEmpty:
      return "ligne de lot vide : attendu LIGNE=QUANTITÉ, p. ex. stk_01M8...=2";
    case Msg::kKitNoLine:
      return "pas de ligne de stock avant « = » : attendu LIGNE=QUANTITÉ";
    case Msg::kKitNoQuantity:
      return "pas de quantité : écrivez $0=<unités>";
    case Msg::kKitBadQuantity:
      return "quantité : « $0 » n'est pas un nombre entier";
    case Msg::kKitUsedTwice:
      return "--kit-used : $0 est donné deux fois";
    case Msg::kFindNoMode:
      return "où ? donnez --near LAT,LON avec --radius-km, ou --abroad";
    case Msg::kFindBothModes:
      return "--near et --radius-km cherchent près d'un lieu, --abroad au départ de Lyon : donnez "
             "l'un ou l'autre";
    case Msg::kFindLocalIncomplete:
      return "--near et --radius-km vont ensemble : il manque $0";
    case Msg::kFindEntryNeedsAbroad:
      return "--entry-certification ne sert qu'aux recherches --abroad";
    case Msg::kUpdateTeamNothing:
      return "rien à modifier : donnez au moins une des options de l'équipe (voir --help)";
    case Msg::kListStockBoth:
      return "--warehouse et --organisation-id : donnez l'un ou l'autre";
    case Msg::kListStockNoOwner:
      return "le stock de qui ? donnez --warehouse ou --organisation-id, ou --organisation "
             "(RELAIS_ORGANISATION) pour le vôtre";
    case Msg::kListTeamsNoOrganisation:
      return "les équipes de qui ? donnez --organisation-id, ou --organisation "
             "(RELAIS_ORGANISATION) pour les vôtres";
    case Msg::kListWarehousesNoOrganisation:
      return "les entrepôts de qui ? donnez --organisation-id, ou --organisation "
             "(RELAIS_ORGANISATION) pour les vôtres";
    case Msg::kHoldNoTarget:
      return "que réserver ? donnez l'un de --responder-id, --team-id, --stock-line-id";
    case Msg::kHoldTwoTargets:
      return "une réservation porte sur une seule chose : donnez un seul de $0";
    case Msg::kHoldWindowIncomplete:
      return "--from et --until donnent ensemble la période : il manque $0";
    case Msg::kHoldStockNoWindow:
      return "le stock se réserve sans période : omettez --from et --until avec --stock-line-id";
    case Msg::kHoldStockQuantity:
      return "combien d'unités ? donnez --quantity avec --stock-line-id";
    case Msg::kHoldQuantityStock:
      return "--quantity sert à --stock-line-id : le lot d'une équipe se réserve en entier";
    case Msg::kHoldPeopleWindow:
      return "pour quand ? donnez --from et --until avec --responder-id ou --team-id";
    case Msg::kEllipsis:
      return "…";
    case Msg::kAreaCircle:
      return "$0, $1, rayon $2 km";
    case Msg::kNoCrises:
      return "Aucune crise.";
    case Msg::kNextPage:
      return "Suite : ajoutez --page-token $0";
    case Msg::kNoOpenNeeds:
      return "Aucun besoin ouvert.";
    case Msg::kOpenNeedsTitle:
      return "Besoins ($0 ouverts)";
    case Msg::kCancelledNeedsTitle:
      return "Besoins annulés ($0)";
    case Msg::kNoteLevel:
      return "niveau $0+";
    case Msg::kNoteLanguages:
      return "parle $0";
    case Msg::kNoteCertifications:
      return "détient $0";
    case Msg::kColCrisisId:
      return "CRISE";
    case Msg::kColStatus:
      return "STATUT";
    case Msg::kColKind:
      return "TYPE";
    case Msg::kColSeverity:
      return "GRAVITÉ";
    case Msg::kColStarts:
      return "DÉBUT";
    case Msg::kColTitle:
      return "TITRE";
    case Msg::kColNeedId:
      return "BESOIN";
    case Msg::kColWhat:
      return "QUOI";
    case Msg::kColQuantity:
      return "QTÉ";
    case Msg::kColPriority:
      return "PRIORITÉ";
    case Msg::kColNeededBy:
      return "POUR LE";
    case Msg::kColDays:
      return "JOURS";
    case Msg::kColReason:
      return "MOTIF";
    case Msg::kFieldCrisis:
      return "Crise";
    case Msg::kFieldTitle:
      return "Titre";
    case Msg::kFieldStatus:
      return "Statut";
    case Msg::kFieldVersion:
      return "Version";
    case Msg::kFieldKind:
      return "Type";
    case Msg::kFieldScope:
      return "Portée";
    case Msg::kFieldSeverity:
      return "Gravité";
    case Msg::kFieldUrgency:
      return "Urgence";
    case Msg::kFieldCertainty:
      return "Certitude";
    case Msg::kFieldArea:
      return "Zone";
    case Msg::kFieldAreaDescription:
      return "Nom de la zone";
    case Msg::kFieldCountry:
      return "Pays";
    case Msg::kFieldCommune:
      return "Commune";
    case Msg::kFieldStarts:
      return "Début";
    case Msg::kFieldDeclared:
      return "Déclarée";
    case Msg::kFieldDeclaredBy:
      return "Déclarée par";
    case Msg::kFieldUpdated:
      return "Modifié";
    case Msg::kFieldStatusReason:
      return "Motif du statut";
    case Msg::kFieldDescription:
      return "Description";
    case Msg::kFieldNeed:
      return "Besoin";
    case Msg::kFieldWhat:
      return "Quoi";
    case Msg::kFieldQuantity:
      return "Quantité";
    case Msg::kFieldPriority:
      return "Priorité";
    case Msg::kFieldNeededBy:
      return "Pour le";
    case Msg::kFieldDays:
      return "Jours";
    case Msg::kFieldMinLevel:
      return "Niveau minimum";
    case Msg::kFieldLanguages:
      return "Langues";
    case Msg::kFieldCertifications:
      return "Certifications";
    case Msg::kFieldCancelReason:
      return "Annulé parce que";
    case Msg::kFieldCreated:
      return "Créé";
    case Msg::kNoOrganisations:
      return "Aucune organisation.";
    case Msg::kNoResponders:
      return "Aucun intervenant.";
    case Msg::kSkillsTitle:
      return "Compétences ($0)";
    case Msg::kNoSkills:
      return "Aucune compétence.";
    case Msg::kCertificationsTitle:
      return "Certifications ($0)";
    case Msg::kNoCertifications:
      return "Aucune certification.";
    case Msg::kContactsTitle:
      return "Contacts ($0)";
    case Msg::kNoContacts:
      return "Aucun contact.";
    case Msg::kMoreSkills:
      return "+$0";
    case Msg::kDays:
      return "$0 jours";
    case Msg::kPassportNone:
      return "aucun";
    case Msg::kPassportValid:
      return "$0, valide jusqu'au $1";
    case Msg::kPassportLapsed:
      return "$0, EXPIRÉ le $1";
    case Msg::kNoExpiry:
      return "sans expiration";
    case Msg::kStateValid:
      return "valide";
    case Msg::kStateLapsed:
      return "EXPIRÉ";
    case Msg::kCalendarTitle:
      return "Disponibilités de $0 (version du calendrier $1)";
    case Msg::kNoPeriods:
      return "Aucune période à venir.";
    case Msg::kResponderErased:
      return "Intervenant $0 effacé : nom, contacts, lieu de départ et documents de voyage sont "
             "supprimés partout ; le journal d'événements ne garde que l'identifiant.";
    case Msg::kColOrganisationId:
      return "ORGANISATION";
    case Msg::kColCommune:
      return "COMMUNE";
    case Msg::kColName:
      return "NOM";
    case Msg::kColResponderId:
      return "INTERVENANT";
    case Msg::kColExternalRef:
      return "RÉF. EXTERNE";
    case Msg::kColTopSkills:
      return "COMPÉTENCES PRINCIPALES";
    case Msg::kColSkill:
      return "COMPÉTENCE";
    case Msg::kColLevel:
      return "NIVEAU";
    case Msg::kColCertification:
      return "CERTIFICATION";
    case Msg::kColValidUntil:
      return "VALIDE JUSQU'AU";
    case Msg::kColState:
      return "ÉTAT";
    case Msg::kColContactKind:
      return "CANAL";
    case Msg::kColAddress:
      return "ADRESSE";
    case Msg::kColPeriodId:
      return "PÉRIODE";
    case Msg::kColFrom:
      return "DU";
    case Msg::kColUntil:
      return "AU";
    case Msg::kColNote:
      return "NOTE";
    case Msg::kFieldOrganisation:
      return "Organisation";
    case Msg::kFieldName:
      return "Nom";
    case Msg::kFieldDomains:
      return "Domaines";
    case Msg::kFieldLocation:
      return "Emplacement";
    case Msg::kFieldEmail:
      return "Courriel";
    case Msg::kFieldPhone:
      return "Téléphone";
    case Msg::kFieldWebsite:
      return "Site web";
    case Msg::kFieldResponder:
      return "Intervenant";
    case Msg::kFieldExternalRef:
      return "Réf. externe";
    case Msg::kFieldHomeBase:
      return "Lieu de départ";
    case Msg::kFieldHomeCommune:
      return "Commune de départ";
    case Msg::kFieldMaxDeployment:
      return "Part jusqu'à";
    case Msg::kFieldPassport:
      return "Passeport";
    case Msg::kNoMatches:
      return "Personne ne correspond.";
    case Msg::kMissionsTitle:
      return "Missions passées ($0)";
    case Msg::kNoMissions:
      return "Aucune mission passée.";
    case Msg::kKitTitle:
      return "Lot ($0 lignes)";
    case Msg::kNoKit:
      return "Aucun lot.";
    case Msg::kNoTeams:
      return "Aucune équipe.";
    case Msg::kTeamRemoved:
      return "Équipe $0 retirée ; ses réservations et engagements ne sont pas touchés.";
    case Msg::kNoWarehouses:
      return "Aucun entrepôt.";
    case Msg::kNoStock:
      return "Aucune ligne de stock.";
    case Msg::kNoSupplies:
      return "Aucune ligne de stock ne peut le fournir.";
    case Msg::kSuppliesCovered:
      return "$0 unités disponibles sur $1 lignes : couvre les $2 demandées.";
    case Msg::kSuppliesShort:
      return "$0 unités disponibles sur $1 lignes : il en manque $2 sur les $3 demandées.";
    case Msg::kStockLineNote:
      return "dans $0";
    case Msg::kMatchNote:
      return "de $0";
    case Msg::kStockUnits:
      return "$0 disponibles, $1 réservées, $2 engagées, $3 consommées";
    case Msg::kStockLedger:
      return "offertes $0, ajustées $1";
    case Msg::kLotValid:
      return "$0";
    case Msg::kLotExpired:
      return "$0, PÉRIMÉ";
    case Msg::kWindow:
      return "du $0 au $1";
    case Msg::kHoldExpiryIn:
      return "$0 (dans $1 min sauf confirmation)";
    case Msg::kHoldExpiryPassed:
      return "$0 (dépassée)";
    case Msg::kHeldStockTitle:
      return "Stock ($0 lignes)";
    case Msg::kColRole:
      return "RÔLE";
    case Msg::kColPlace:
      return "LIEU";
    case Msg::kColAssignment:
      return "AFFECTATION";
    case Msg::kColStockLine:
      return "LIGNE";
    case Msg::kColConsumed:
      return "CONSOMMÉ";
    case Msg::kColItem:
      return "ARTICLE";
    case Msg::kColLot:
      return "LOT";
    case Msg::kColExpires:
      return "PÉREMPTION";
    case Msg::kColAvailable:
      return "DISPO";
    case Msg::kColHeld:
      return "RÉSERVÉ";
    case Msg::kColCommitted:
      return "ENGAGÉ";
    case Msg::kColDistance:
      return "KM";
    case Msg::kColAvailability:
      return "DISPONIBILITÉ";
    case Msg::kColMissions:
      return "MISSIONS";
    case Msg::kColFit:
      return "ADÉQUATION";
    case Msg::kColTeamId:
      return "ÉQUIPE";
    case Msg::kColTeamType:
      return "TYPE";
    case Msg::kColMembers:
      return "MEMBRES";
    case Msg::kColKitLines:
      return "LOT";
    case Msg::kColWarehouseId:
      return "ENTREPÔT";
    case Msg::kFieldTeam:
      return "Équipe";
    case Msg::kFieldTeamType:
      return "Type";
    case Msg::kFieldMembers:
      return "Membres";
    case Msg::kFieldWarehouse:
      return "Entrepôt";
    case Msg::kFieldStockLine:
      return "Ligne de stock";
    case Msg::kFieldItem:
      return "Article";
    case Msg::kFieldLot:
      return "Lot";
    case Msg::kFieldExpires:
      return "Péremption";
    case Msg::kFieldUnits:
      return "Unités";
    case Msg::kFieldLedger:
      return "Registre";
    case Msg::kFieldHold:
      return "Réservation";
    case Msg::kFieldState:
      return "État";
    case Msg::kFieldWindow:
      return "Période";
    case Msg::kFieldHolder:
      return "Pour";
    case Msg::kFieldReleaseReason:
      return "Libéré parce que";
    case Msg::kHelpApp:
      return "relaisctl : la ligne de commande de Relais pour les coordinateurs, les OSI et les "
             "intervenants.";
    case Msg::kHelpAppFooter:
      return "Les options globales peuvent figurer n'importe où sur la ligne. RELAIS_PRINCIPAL, "
             "RELAIS_ROLE,\nRELAIS_ORGANISATION, RELAIS_RESPONDER et la variable d'adresse de "
             "chaque service\n(RELAIS_CRISIS_ADDR, RELAIS_INVENTORY_ADDR, "
             "RELAIS_MOBILISATION_ADDR) remplacent les options\nabsentes. Langue : --lang, sinon "
             "RELAIS_LANG, sinon la locale (LC_ALL, LC_MESSAGES, LANG).\nCodes de sortie : 0 fait "
             "; 1 refus du serveur (stderr : 'relaisctl : CODE : message') ;\n2 erreur "
             "d'utilisation ; 3 serveur injoignable après nouvelles tentatives.";
    case Msg::kHelpNounFooter:
      return "Adresse du service : --server, sinon $0, sinon $1.\nOptions globales (--server "
             "--token-file --tls-ca --principal --role --organisation --responder\n--json "
             "--timeout "
             "--request-id --lang) "
             ": voir relaisctl --help.";
    case Msg::kHelpVerbFooter:
      return "Options globales (--server --token-file --tls-ca --principal --role --organisation "
             "--responder\n"
             "--json --timeout --request-id --lang) : voir relaisctl --help.";
    case Msg::kHelpServer:
      return "Adresse du service du nom (par défaut : son RELAIS_<SERVICE>_ADDR, sinon son port "
             "local habituel)";
    case Msg::kHelpPrincipal:
      return "Qui vous êtes, envoyé en x-relais-principal (env RELAIS_PRINCIPAL ; développement "
             "seulement)";
    case Msg::kHelpRole:
      return "coordinator, osi_admin, responder, dashboard ou admin, envoyé en x-relais-role (env "
             "RELAIS_ROLE)";
    case Msg::kHelpJson:
      return "Afficher la réponse en un document JSON avec les noms de champs du proto";
    case Msg::kHelpTimeout:
      return "Délai de chaque tentative, p. ex. 10s, 500ms, 1m (10s par défaut)";
    case Msg::kHelpRequestId:
      return "Clé d'idempotence de l'écriture (par défaut : un UUID aléatoire) ; redonnez la même "
             "pour relancer une écriture sans risque";
    case Msg::kHelpExpectedVersion:
      return "Refuser (ABORTED) sauf si la crise est à cette version ; 0 saute la vérification";
    case Msg::kHelpOrganisationFlag:
      return "Votre organisation, envoyée en x-relais-organisation (env RELAIS_ORGANISATION ; "
             "développement seulement)";
    case Msg::kHelpResponderFlag:
      return "Votre identifiant d'intervenant si vous en êtes un, envoyé en x-relais-responder "
             "(env RELAIS_RESPONDER ; développement seulement)";
    case Msg::kHelpExpectedVersionOrganisation:
      return "Refuser (ABORTED) sauf si l'organisation est à cette version ; 0 saute la "
             "vérification";
    case Msg::kHelpExpectedVersionResponder:
      return "Refuser (ABORTED) sauf si l'intervenant est à cette version ; 0 saute la "
             "vérification";
    case Msg::kHelpCrisis:
      return "Déclarer des crises, dire ce dont elles ont besoin, les suivre et les clore";
    case Msg::kHelpDeclare:
      return "Déclarer une nouvelle crise (statut declared) avec ses premiers besoins";
    case Msg::kHelpGet:
      return "Afficher une crise et ses besoins";
    case Msg::kHelpList:
      return "Lister les crises, les plus récemment déclarées d'abord";
    case Msg::kHelpUpdate:
      return "Modifier la description d'une crise : seulement les champs dont les options sont "
             "données";
    case Msg::kHelpUpdateFooter:
      return "--lat, --lon, --radius-km et --country remplacent toute la zone : donnez-les "
             "ensemble\navec --area (et --commune, sinon elle est effacée). --area ou --commune "
             "seules ne changent\nque cette partie. Le statut et les besoins ont leurs propres "
             "verbes.";
    case Msg::kHelpAddNeed:
      return "Ajouter un besoin à une crise qui n'est pas close";
    case Msg::kHelpUpdateNeed:
      return "Modifier la quantité, la priorité, la date ou la durée d'un besoin, ou l'annuler";
    case Msg::kHelpActivate:
      return "Activer une crise déclarée ou en pause : la mobilisation peut commencer";
    case Msg::kHelpPause:
      return "Mettre en pause une crise active : plus de nouvelle mobilisation jusqu'à sa "
             "réactivation";
    case Msg::kHelpClose:
      return "Clore une crise définitivement ; ce qui est en attente est annulé";
    case Msg::kHelpCrisisId:
      return "La crise, p. ex. crs_01KZ...";
    case Msg::kHelpNeedId:
      return "Le besoin, p. ex. need_01KZ...";
    case Msg::kHelpTitle:
      return "Titre court, p. ex. \"Choléra - camp de Kalemie\"";
    case Msg::kHelpKind:
      return "Type d'urgence";
    case Msg::kHelpScope:
      return "local : dans la métropole de Lyon ; abroad : déploiement au départ de Lyon";
    case Msg::kHelpSeverity:
      return "Gravité CAP";
    case Msg::kHelpUrgency:
      return "Urgence CAP";
    case Msg::kHelpCertainty:
      return "Certitude CAP";
    case Msg::kHelpLat:
      return "Latitude du centre de la zone, en degrés décimaux";
    case Msg::kHelpLon:
      return "Longitude du centre de la zone, en degrés décimaux";
    case Msg::kHelpRadius:
      return "Rayon de la zone, en kilomètres";
    case Msg::kHelpAreaDescription:
      return "La zone telle qu'on la nomme, p. ex. \"Vaulx-en-Velin, Mas du Taureau\"";
    case Msg::kHelpCountry:
      return "Code ISO 3166-1 alpha-2, p. ex. FR, HT";
    case Msg::kHelpCommune:
      return "Commune ou arrondissement, p. ex. Villeurbanne";
    case Msg::kHelpStarts:
      return "Début (passé ou à venir), RFC 3339";
    case Msg::kHelpStartsDeclare:
      return "Début (passé ou à venir), RFC 3339 (par défaut : à la déclaration)";
    case Msg::kHelpDescription:
      return "Texte libre";
    case Msg::kHelpNeed:
      return "Le besoin (syntaxe ci-dessous)";
    case Msg::kHelpNeeds:
      return "Un besoin (syntaxe ci-dessous) ; répétez l'option pour chaque besoin";
    case Msg::kHelpNeedSyntax:
      return "Un besoin s'écrit TYPE:CODE=QUANTITÉ[,CLÉ=VALEUR...] en un seul mot :\n  TYPE      "
             "skill, supply ou team (listes de codes du catalogue)\n  CODE      p. ex. nurse, "
             "iehk-2017-basic-unit, who-emt-type-1-mobile\n  QUANTITÉ  personnes, unités de "
             "fournitures ou équipes\n  priority=low|medium|high|critical  by=<heure RFC 3339>  "
             "days=<nombre>\n  level=<0-5>  lang=<code>[+<code>...]  cert=<code>[+<code>...]\np. "
             "ex. --need "
             "\"skill:nurse=4,priority=high,days=14,by=2026-12-01T08:00:00Z,lang=fr+en\"";
    case Msg::kHelpListStatus:
      return "Seulement les crises de ce statut";
    case Msg::kHelpListKind:
      return "Seulement les crises de ce type";
    case Msg::kHelpPageSize:
      return "Crises par page, de 1 à 200 (50 par défaut)";
    case Msg::kHelpPageToken:
      return "Commencer à cette page (donnée par une liste précédente)";
    case Msg::kHelpAll:
      return "Suivre les pages jusqu'à la dernière";
    case Msg::kHelpQuantity:
      return "Combien de personnes, d'unités de fournitures ou d'équipes";
    case Msg::kHelpPriority:
      return "Priorité";
    case Msg::kHelpBy:
      return "Quand ils doivent être là, RFC 3339";
    case Msg::kHelpDays:
      return "Durée pendant laquelle personnes ou équipes sont demandées, en jours";
    case Msg::kHelpCancel:
      return "Annuler le besoin, définitivement (exige --reason)";
    case Msg::kHelpCancelReason:
      return "Pourquoi le besoin est annulé";
    case Msg::kHelpPauseReason:
      return "Pourquoi, montré à tous ceux qui suivent la crise";
    case Msg::kHelpCloseReason:
      return "Pourquoi la crise est close";
    case Msg::kHelpOrg:
      return "L'annuaire des organisations : enregistrer, afficher, modifier, lister";
    case Msg::kHelpOrgRegister:
      return "Ajouter une organisation à l'annuaire";
    case Msg::kHelpOrgGet:
      return "Afficher une organisation";
    case Msg::kHelpOrgUpdate:
      return "Modifier une organisation : seulement les champs dont les options sont données";
    case Msg::kHelpOrgUpdateFooter:
      return "--lat et --lon remplacent ensemble l'emplacement. --email, --phone et --website "
             "remplacent\nle contact public en entier : donnez les trois (\"\" en efface un). "
             "Chaque liste --domain\nremplace les domaines.";
    case Msg::kHelpOrgList:
      return "Lister les organisations par nom";
    case Msg::kHelpOrganisationId:
      return "L'organisation, p. ex. org_01M8...";
    case Msg::kHelpOrgName:
      return "Nom, p. ex. \"Handicap International - Humanity & Inclusion\"";
    case Msg::kHelpOrgKind:
      return "Type d'organisation";
    case Msg::kHelpOrgDomain:
      return "Un domaine d'action";
    case Msg::kHelpOrgCommune:
      return "Commune de son site principal, p. ex. Vénissieux";
    case Msg::kHelpOrgLat:
      return "Latitude de son site principal, en degrés décimaux";
    case Msg::kHelpOrgLon:
      return "Longitude de son site principal, en degrés décimaux";
    case Msg::kHelpOrgEmail:
      return "Adresse électronique publique";
    case Msg::kHelpOrgPhone:
      return "Numéro de téléphone public, p. ex. +33478000000";
    case Msg::kHelpOrgWebsite:
      return "Site web, https://...";
    case Msg::kHelpOrgDescription:
      return "Ce qu'elle fait, texte libre";
    case Msg::kHelpOrgExternalRef:
      return "L'identifiant propre de l'organisation, p. ex. CRF-RHONE, unique entre organisations "
             "(\"\" l'efface)";
    case Msg::kHelpOrgListKind:
      return "Seulement les organisations de ce type";
    case Msg::kHelpOrgListDomain:
      return "Seulement les organisations actives dans ce domaine";
    case Msg::kHelpOrgListCommune:
      return "Seulement les organisations de cette commune (nom exact, casse indifférente)";
    case Msg::kHelpOrgPageSize:
      return "Organisations par page, de 1 à 200 (50 par défaut)";
    case Msg::kHelpResponder:
      return "Intervenants : enregistrer, afficher, modifier, lister, effacer ; trouver qui peut "
             "partir";
    case Msg::kHelpResponderRegister:
      return "Enregistrer un intervenant pour votre organisation (--organisation)";
    case Msg::kHelpResponderGet:
      return "Afficher un intervenant : compétences, langues, certifications, départ, contacts";
    case Msg::kHelpResponderUpdate:
      return "Modifier un intervenant : seulement les champs dont les options sont données";
    case Msg::kHelpResponderList:
      return "Lister les intervenants d'une organisation, dans l'ordre d'enregistrement";
    case Msg::kHelpResponderRemove:
      return "Effacer un intervenant et toutes ses données personnelles, immédiatement et "
             "définitivement";
    case Msg::kHelpResponderRemoveFooter:
      return "Aucune confirmation n'est demandée. Chaque donnée personnelle (nom, contacts, lieu "
             "de départ,\ndocuments de voyage, réf. externe) est supprimée partout ; le journal ne "
             "garde que l'identifiant.\nRefusé (FAILED_PRECONDITION) tant que l'intervenant est "
             "réservé, engagé ou dans une équipe.";
    case Msg::kHelpResponderId:
      return "L'intervenant, p. ex. rsp_01M8...";
    case Msg::kHelpResponderName:
      return "Nom montré aux coordinateurs (donnée personnelle)";
    case Msg::kHelpExternalRef:
      return "La référence propre de votre organisation pour cette personne, unique chez elle";
    case Msg::kHelpSkill:
      return "Une compétence du catalogue et son niveau 1-5, p. ex. nurse:3 ; répétez l'option "
             "pour d'autres";
    case Msg::kHelpLanguage:
      return "Une langue parlée, ISO 639-1, p. ex. fr ; répétez l'option pour d'autres";
    case Msg::kHelpCert:
      return "Une certification détenue, p. ex. yellow-fever-vaccination:2030-01-01 ; répétez pour "
             "d'autres";
    case Msg::kHelpPassportUntil:
      return "Passeport valide jusqu'à cette date, AAAA-MM-JJ";
    case Msg::kHelpPassportCountry:
      return "Pays du passeport, ISO 3166-1 alpha-2, p. ex. FR";
    case Msg::kHelpHomeLat:
      return "Latitude du lieu de départ, en degrés décimaux";
    case Msg::kHelpHomeLon:
      return "Longitude du lieu de départ, en degrés décimaux";
    case Msg::kHelpHomeCommune:
      return "Commune de départ, p. ex. Villeurbanne";
    case Msg::kHelpMaxDays:
      return "Plus long déploiement accepté, en jours (1 à 365)";
    case Msg::kHelpContact:
      return "Comment la joindre, p. ex. email:amina@example.org ou sms:+33600000000 ; répétez "
             "pour d'autres";
    case Msg::kHelpNoLanguages:
      return "Retirer toutes les langues";
    case Msg::kHelpNoCertifications:
      return "Retirer toutes les certifications";
    case Msg::kHelpNoPassport:
      return "Noter qu'elle n'a pas de passeport valide";
    case Msg::kHelpResponderSyntax:
      return "Une valeur par option ; répétez --skill, --lang, --cert et --contact pour d'autres "
             ":\n  --skill CODE:NIVEAU      nurse:3 (compétence du catalogue, niveau 1 débutant à "
             "5 expert)\n  --cert CODE[:DATE]       yellow-fever-vaccination:2030-01-01 (sans DATE "
             ": sans expiration)\n  --contact TYPE:ADRESSE   email:amina@example.org, "
             "sms:+33600000000, phone:+33478000000\nLes dates s'écrivent AAAA-MM-JJ, lues comme "
             "00:00 UTC ce jour-là.";
    case Msg::kHelpResponderUpdateFooter:
      return "Une option répétée remplace toute la liste (--skill, --lang, --cert, --contact). "
             "--lat et\n--lon remplacent ensemble le lieu de départ ; --passport-until et "
             "--passport-country\nl'aptitude au départ à l'étranger.";
    case Msg::kHelpListOrganisationId:
      return "Les intervenants de qui (par défaut : votre --organisation)";
    case Msg::kHelpResponderPageSize:
      return "Intervenants par page, de 1 à 200 (50 par défaut)";
    case Msg::kHelpAvailability:
      return "Le calendrier d'un intervenant : quand on peut lui demander de partir";
    case Msg::kHelpAvailabilitySet:
      return "Ajouter une période au calendrier d'un intervenant";
    case Msg::kHelpAvailabilityClear:
      return "Retirer une période du calendrier d'un intervenant";
    case Msg::kHelpAvailabilityGet:
      return "Afficher les périodes non terminées d'un intervenant";
    case Msg::kHelpAvailabilityKind:
      return "available : peut être sollicité ; on-call : second choix ; unavailable : l'emporte "
             "sur les autres";
    case Msg::kHelpAvailabilityFrom:
      return "Début de la période, RFC 3339";
    case Msg::kHelpAvailabilityUntil:
      return "Fin de la période (exclue), RFC 3339, au plus 400 jours après --from";
    case Msg::kHelpAvailabilityNote:
      return "Texte libre pour votre organisation, p. ex. congés";
    case Msg::kHelpPeriodId:
      return "La période, p. ex. avl_01M8... (voir availability get)";
    case Msg::kHelpRepeat:
      return " ; répétez l'option pour d'autres";
    case Msg::kHelpExternalRefOwn:
      return "La référence propre de votre organisation, unique chez elle";
    case Msg::kHelpExpectedVersionTeam:
      return "Refuser (ABORTED) sauf si l'équipe est à cette version ; 0 saute la vérification";
    case Msg::kHelpResponderFind:
      return "Trouver qui peut partir sur une période : près d'un lieu, ou à l'étranger depuis "
             "Lyon";
    case Msg::kHelpResponderExperience:
      return "Ajouter une mission passée à l'expérience d'un intervenant";
    case Msg::kHelpFindSkill:
      return "Code de compétence du catalogue, p. ex. nurse";
    case Msg::kHelpFindMinLevel:
      return "Niveau le plus bas accepté, de 1 à 5 (par défaut : tous)";
    case Msg::kHelpFindFrom:
      return "Début de la période où on a besoin d'eux, RFC 3339";
    case Msg::kHelpFindUntil:
      return "Fin de la période (exclue), RFC 3339";
    case Msg::kHelpFindLanguage:
      return "Une langue qu'ils doivent parler, ISO 639-1, p. ex. fr ; répétez l'option pour "
             "d'autres";
    case Msg::kHelpFindCertification:
      return "Une certification du catalogue qu'ils doivent détenir sur toute la période";
    case Msg::kHelpFindExclude:
      return "Un intervenant à écarter (déjà sollicité, rotation)";
    case Msg::kHelpFindMissionKind:
      return "Le type de crise : les missions passées de ce type classent plus haut";
    case Msg::kHelpFindNear:
      return "Centre d'une recherche locale, LAT,LON en degrés décimaux (avec --radius-km)";
    case Msg::kHelpFindRadius:
      return "Rayon d'une recherche locale en km, plus de 0, au plus 500";
    case Msg::kHelpFindAbroad:
      return "Déployables au départ de Lyon : passeport et plus long déploiement couvrent la "
             "période";
    case Msg::kHelpFindEntryCertification:
      return "Une certification exigée pour entrer dans le pays (avec --abroad)";
    case Msg::kHelpFindPageSize:
      return "Intervenants par page, de 1 à 200 (50 par défaut)";
    case Msg::kHelpFindFooter:
      return "Un seul mode : --near LAT,LON avec --radius-km, les plus proches d'abord ; ou "
             "--abroad, classés\npar adéquation (niveau, puis missions passées de --mission-kind, "
             "puis disponibles avant astreinte).\nUn jeton de page vaut quelques minutes : les "
             "classements bougent avec les réservations.";
    case Msg::kHelpExperienceKind:
      return "Le type de crise";
    case Msg::kHelpExperienceRole:
      return "Code de compétence du catalogue du rôle tenu, p. ex. wash-engineer";
    case Msg::kHelpExperiencePlace:
      return "Où : une commune ou un code de pays, p. ex. Kalemie ou CD";
    case Msg::kHelpExperienceFrom:
      return "Début de la mission, RFC 3339";
    case Msg::kHelpExperienceUntil:
      return "Fin de la mission, RFC 3339";
    case Msg::kHelpExperienceAssignment:
      return "L'affectation d'où elle vient ; noter deux fois la même ne change rien";
    case Msg::kHelpTeam:
      return "Les équipes que votre organisation propose : ses intervenants et leur lot, déployés "
             "ensemble";
    case Msg::kHelpTeamOffer:
      return "Proposer une équipe pour votre organisation (--organisation)";
    case Msg::kHelpTeamGet:
      return "Afficher une équipe, ses membres et son lot";
    case Msg::kHelpTeamUpdate:
      return "Modifier une équipe : seulement les champs dont les options sont données";
    case Msg::kHelpTeamList:
      return "Lister les équipes d'une organisation, dans l'ordre où elles ont été proposées";
    case Msg::kHelpTeamRemove:
      return "Retirer une équipe ; ses réservations et engagements ne sont pas touchés";
    case Msg::kHelpTeamId:
      return "L'équipe, p. ex. team_01M8...";
    case Msg::kHelpTeamName:
      return "Nom, p. ex. \"EMT HI Lyon 1\"";
    case Msg::kHelpTeamType:
      return "Code de type d'équipe du catalogue, p. ex. who-emt-type-1-mobile";
    case Msg::kHelpTeamMember:
      return "Un intervenant de votre organisation";
    case Msg::kHelpTeamKit:
      return "Une de vos lignes de stock qui part avec l'équipe et ses unités, LIGNE=QTÉ ; répétez "
             "pour d'autres";
    case Msg::kHelpTeamDescription:
      return "Ce qu'elle fait, texte libre";
    case Msg::kHelpNoKit:
      return "Retirer tout le lot";
    case Msg::kHelpTeamUpdateFooter:
      return "Une option répétée remplace toute la liste (--member, --kit) ; --no-kit vide le "
             "lot.\n\"\" efface --description et --external-ref. Les réservations déjà posées "
             "gardent\nce qu'elles tiennent.";
    case Msg::kHelpTeamListOrganisationId:
      return "Les équipes de qui (par défaut : votre --organisation)";
    case Msg::kHelpTeamPageSize:
      return "Équipes par page, de 1 à 200 (50 par défaut)";
    case Msg::kHelpWarehouse:
      return "Les entrepôts où votre organisation garde ses fournitures";
    case Msg::kHelpWarehouseRegister:
      return "Enregistrer un entrepôt pour votre organisation (--organisation)";
    case Msg::kHelpWarehouseGet:
      return "Afficher un entrepôt";
    case Msg::kHelpWarehouseList:
      return "Lister les entrepôts d'une organisation, dans l'ordre d'enregistrement";
    case Msg::kHelpWarehouseId:
      return "L'entrepôt, p. ex. whs_01M8...";
    case Msg::kHelpWarehouseName:
      return "Nom, p. ex. \"Bioport - Vaulx-en-Velin\"";
    case Msg::kHelpWarehouseCommune:
      return "Commune, p. ex. Vaulx-en-Velin";
    case Msg::kHelpWarehouseLat:
      return "Latitude de l'entrepôt, en degrés décimaux";
    case Msg::kHelpWarehouseLon:
      return "Longitude de l'entrepôt, en degrés décimaux";
    case Msg::kHelpWarehouseListOrganisationId:
      return "Les entrepôts de qui (par défaut : votre --organisation)";
    case Msg::kHelpWarehousePageSize:
      return "Entrepôts par page, de 1 à 200 (50 par défaut)";
    case Msg::kHelpStock:
      return "Fournitures de vos entrepôts : proposer des lots, corriger, lister, trouver près "
             "d'un lieu";
    case Msg::kHelpStockOffer:
      return "Ajouter une ligne de stock : un lot d'un article du catalogue dans un de vos "
             "entrepôts";
    case Msg::kHelpStockAdjust:
      return "Corriger les unités disponibles d'une ligne de stock, avec un motif";
    case Msg::kHelpStockList:
      return "Lister les lignes de stock d'un entrepôt ou d'une organisation";
    case Msg::kHelpStockFind:
      return "Trouver les lignes de stock qui peuvent fournir un article près d'un lieu, les plus "
             "proches d'abord";
    case Msg::kHelpStockLineId:
      return "La ligne de stock, p. ex. stk_01M8...";
    case Msg::kHelpStockWarehouse:
      return "L'entrepôt où elle se trouve, un des vôtres, p. ex. whs_01M8...";
    case Msg::kHelpStockItem:
      return "Code d'article du catalogue, p. ex. who-cholera-kit-central";
    case Msg::kHelpStockLot:
      return "Le numéro de lot du fabricant";
    case Msg::kHelpStockQuantity:
      return "Unités proposées, de 1 à 1 000 000";
    case Msg::kHelpStockExpires:
      return "Date de péremption du lot, AAAA-MM-JJ ou RFC 3339 (omettre s'il ne périme pas)";
    case Msg::kHelpStockDelta:
      return "Unités à ajouter (positif) ou à retirer (négatif), p. ex. --delta -3";
    case Msg::kHelpStockReason:
      return "Pourquoi";
    case Msg::kHelpStockNote:
      return "Texte libre, au plus 200 caractères";
    case Msg::kHelpStockListWarehouse:
      return "Seulement cet entrepôt";
    case Msg::kHelpStockListOrganisationId:
      return "Tous les entrepôts de cette organisation (par défaut : votre --organisation)";
    case Msg::kHelpStockListItem:
      return "Seulement les lignes de cet article du catalogue";
    case Msg::kHelpStockPageSize:
      return "Lignes par page, de 1 à 200 (50 par défaut)";
    case Msg::kHelpStockNear:
      return "Où les unités sont demandées, LAT,LON en degrés décimaux, p. ex. 45.7578,4.8320";
    case Msg::kHelpStockFindQuantity:
      return "Unités demandées : des lignes sont rendues jusqu'à les couvrir";
    case Msg::kHelpNotExpiringBefore:
      return "Seulement les lots qui ne périment pas avant cette date, p. ex. la fin de la mission";
    case Msg::kHelpStockExclude:
      return "Une ligne de stock à écarter, p. ex. déjà demandée";
    case Msg::kHelpStockFindPageSize:
      return "Au plus ce nombre de lignes, de 1 à 200 (50 par défaut)";
    case Msg::kHelpHold:
      return "Réservations et engagements : pour ne jamais promettre deux fois intervenants, "
             "équipes, stock";
    case Msg::kHelpHoldPlace:
      return "Réserver pour peu de temps un intervenant, une équipe ou des unités d'une ligne de "
             "stock";
    case Msg::kHelpHoldGet:
      return "Afficher une réservation ou un engagement";
    case Msg::kHelpHoldConfirm:
      return "Confirmer une réservation non expirée : elle devient un engagement";
    case Msg::kHelpHoldRelease:
      return "Libérer une réservation non confirmée";
    case Msg::kHelpHoldReleaseCommitment:
      return "Libérer un engagement : la mission est terminée ou annulée";
    case Msg::kHelpHoldExtend:
      return "Faire finir plus tard l'engagement d'un intervenant ou d'une équipe";
    case Msg::kHelpHoldConsume:
      return "Noter que le stock engagé a été livré et utilisé";
    case Msg::kHelpHoldId:
      return "La réservation, p. ex. hld_01M8...";
    case Msg::kHelpHoldResponder:
      return "Réserver cet intervenant sur la période";
    case Msg::kHelpHoldTeam:
      return "Réserver cette équipe : chaque membre sur la période et tout son lot";
    case Msg::kHelpHoldStockLine:
      return "Réserver des unités de cette ligne de stock";
    case Msg::kHelpHoldFrom:
      return "Début de la période, RFC 3339";
    case Msg::kHelpHoldUntil:
      return "Fin de la période (exclue), RFC 3339";
    case Msg::kHelpHoldQuantity:
      return "Unités de la ligne de stock à réserver";
    case Msg::kHelpHolder:
      return "Qui demande, dans vos propres termes, p. ex. mob:req_01M8... (jamais de donnée "
             "personnelle)";
    case Msg::kHelpHoldTtl:
      return "Durée de validité sans confirmation, p. ex. 15m ou 2h (15m par défaut, au plus 7 "
             "jours)";
    case Msg::kHelpHoldPlaceFooter:
      return "Un seul de --responder-id, --team-id, --stock-line-id. Un intervenant ou une équipe "
             "exige\n--from et --until ; le stock exige --quantity et pas de période. Une "
             "réservation non confirmée\navant la fin de son --ttl est libérée.";
    case Msg::kHelpHoldReleaseReason:
      return "Pourquoi, p. ex. démobilisé";
    case Msg::kHelpKitUsed:
      return "Une ligne du lot d'une équipe et les unités utilisées, LIGNE=QTÉ ; répétez pour "
             "d'autres (une ligne non nommée revient en entier)";
    case Msg::kHelpHoldExtendUntil:
      return "La nouvelle fin de la période, RFC 3339";
    case Msg::kHelpHoldConsumeQuantity:
      return "Unités utilisées, de 1 à la quantité réservée (par défaut : toutes)";
    case Msg::kListNoScope:
      return "les $0 de qui ? donnez --crisis-id (avec --need-id pour un besoin) ou "
             "--responder-id, ou --responder (RELAIS_RESPONDER) pour les vôtres";
    case Msg::kListBothScopes:
      return "--crisis-id et --responder-id : donnez l'un ou l'autre";
    case Msg::kListNeedWithoutCrisis:
      return "--need-id exige --crisis-id : un besoin appartient à une crise";
    case Msg::kAnswerNone:
      return "quelle réponse ? donnez l'un de --accept, --decline, --provisional";
    case Msg::kOnlyOneOf:
      return "un seul à la fois : donnez un seul de $0";
    case Msg::kProvisionalNoReason:
      return "--provisional exige --reason : dites de quoi dépend le oui";
    case Msg::kDecideOne:
      return "donnez l'un de --confirm et --decline";
    case Msg::kStatusNone:
      return "quel statut ? donnez l'un de --en-route, --on-site, --shipped, --delivered, "
             "--returned";
    case Msg::kStatusEtaEnRoute:
      return "--eta sert à --en-route : l'arrivée prévue";
    case Msg::kStatusUsedDelivered:
      return "--used sert à --delivered : les unités utilisées";
    case Msg::kExtendOne:
      return "donnez l'un de --grant et --refuse";
    case Msg::kOnceAtLeastOne:
      return "--once : donnez un nombre d'événements, 1 ou plus";
    case Msg::kWatchNoResponder:
      return "les affectations de qui ? donnez --responder-id, ou --responder (RELAIS_RESPONDER) "
             "pour les vôtres";
    case Msg::kWatchStopped:
      return "relaisctl : arrêté au curseur $0 : ajoutez --cursor $0 pour reprendre de là";
    case Msg::kWatchReconnect:
      return "relaisctl : flux coupé ($0) : reprise après $1 dans $2 ($3/$4)";
    case Msg::kWatchReconnectNow:
      return "relaisctl : flux coupé ($0) : reprise à partir de maintenant dans $1 ($2/$3)";
    case Msg::kWatchServerEnded:
      return "le serveur a terminé le flux";
    case Msg::kWatchOutOfRange:
      return "relaisctl : le curseur $0 est plus ancien que ce que garde le journal ($1) : nouvel "
             "instantané";
    case Msg::kWatchNoSnapshot:
      return "relaisctl : aucun instantané ne couvre toutes les crises : suite à partir de "
             "maintenant (les événements intermédiaires ne sont pas montrés)";
    case Msg::kWatchResponderSnapshot:
      return "relaisctl : suite à partir de maintenant après ces listes (les événements "
             "intermédiaires ne sont pas montrés)";
    case Msg::kWatchPendingTitle:
      return "Demandes en attente d'une réponse de $0";
    case Msg::kWatchAssignmentsTitle:
      return "Affectations de $0";
    case Msg::kCandidatesHeader:
      return "Pour $0 ; $1 déjà sollicités pour ce besoin (écartés).";
    case Msg::kNoCandidates:
      return "Plus personne à proposer.";
    case Msg::kProgressLine:
      return "$0 ($1) : requis $2, demandés $3, acceptés $4, déployés $5, libérés $6 ; $7";
    case Msg::kCoverageBecause:
      return "$0 : $1";
    case Msg::kNoRequestsSent:
      return "Aucune demande envoyée : le besoin est couvert, ou il ne reste personne à "
             "solliciter.";
    case Msg::kRequestsSentTitle:
      return "Demandes envoyées ($0)";
    case Msg::kNoRequests:
      return "Aucune demande.";
    case Msg::kNoAssignments:
      return "Aucune affectation.";
    case Msg::kRequestNote:
      return "pour $0 de $1, tour $2";
    case Msg::kAssignmentNote:
      return "pour $0 de $1";
    case Msg::kRespondByIn:
      return "$0 (dans $1)";
    case Msg::kDefaultValue:
      return "$0 (par défaut)";
    case Msg::kResponseByUrgency:
      return "selon l'urgence de la crise (par défaut)";
    case Msg::kEscalationManual:
      return "manuelle";
    case Msg::kEscalationAutomatic:
      return "automatique";
    case Msg::kBoardTitle:
      return "$0 : $1 ($2), au $3";
    case Msg::kBoardUnreached:
      return "Intervenants avec une demande en attente pas encore joints : $0";
    case Msg::kBoardNoNeeds:
      return "Aucun besoin.";
    case Msg::kBoardNeedNote:
      return "$0, tour $1";
    case Msg::kBoardPendingTitle:
      return "Demandes en attente pour $0 ($1)";
    case Msg::kBoardCursor:
      return "Curseur du journal d'événements : $0";
    case Msg::kOutreachTitle:
      return "Joignabilité de $0 : $1 non joints, $2 joints sans réponse, $3 notifications en "
             "échec.";
    case Msg::kOutreachUnreachedTitle:
      return "Non joints ($0)";
    case Msg::kOutreachUnansweredTitle:
      return "Joints, pas encore de réponse ($0)";
    case Msg::kOutreachNoUnreached:
      return "Toutes les personnes avec une demande en attente ont été jointes.";
    case Msg::kOutreachNoUnanswered:
      return "Toutes les personnes jointes ont répondu.";
    case Msg::kNotificationState:
      return "$0 $1";
    case Msg::kNotificationAttempts:
      return "$0 $1 ($2 tentatives, dernière : $3)";
    case Msg::kNoNotifications:
      return "pas encore de notification";
    case Msg::kAcknowledgedAt:
      return "vu $0";
    case Msg::kEventQuantity:
      return "qté $0";
    case Msg::kEventBy:
      return "par $0";
    case Msg::kEventByFor:
      return "par $0 pour $1";
    case Msg::kColRank:
      return "RANG";
    case Msg::kColCandidate:
      return "CANDIDAT";
    case Msg::kColScore:
      return "SCORE";
    case Msg::kColRequest:
      return "DEMANDE";
    case Msg::kColWho:
      return "QUI";
    case Msg::kColRespondBy:
      return "RÉPONSE AVANT";
    case Msg::kColLeft:
      return "RESTE";
    case Msg::kColRequired:
      return "REQUIS";
    case Msg::kColRequested:
      return "DEMANDÉS";
    case Msg::kColAccepted:
      return "ACCEPTÉS";
    case Msg::kColDeployed:
      return "DÉPLOYÉS";
    case Msg::kColReleased:
      return "LIBÉRÉS";
    case Msg::kColCoverage:
      return "COUVERTURE";
    case Msg::kFieldRequest:
      return "Demande";
    case Msg::kFieldAssignment:
      return "Affectation";
    case Msg::kFieldRespondBy:
      return "Réponse avant";
    case Msg::kFieldRound:
      return "Tour";
    case Msg::kFieldReason:
      return "Motif";
    case Msg::kFieldAcknowledged:
      return "Vue";
    case Msg::kFieldAnswered:
      return "Répondu";
    case Msg::kFieldCoverage:
      return "Couverture";
    case Msg::kFieldRequired:
      return "Requis";
    case Msg::kFieldRequested:
      return "Demandés";
    case Msg::kFieldAccepted:
      return "Acceptés";
    case Msg::kFieldDeployed:
      return "Déployés";
    case Msg::kFieldReleased:
      return "Libérés";
    case Msg::kFieldDeclined:
      return "Refusés";
    case Msg::kFieldExpired:
      return "Expirés";
    case Msg::kFieldWithdrawn:
      return "Désistés";
    case Msg::kFieldRounds:
      return "Tours";
    case Msg::kFieldOverbooking:
      return "Surréservation";
    case Msg::kFieldResponseTime:
      return "Délai de réponse";
    case Msg::kFieldRotation:
      return "Fenêtre de rotation";
    case Msg::kFieldEscalation:
      return "Relance";
    case Msg::kFieldMaxPending:
      return "En attente au plus";
    case Msg::kFieldDepartureEstimated:
      return "Départ (prévu)";
    case Msg::kFieldDeparted:
      return "Parti";
    case Msg::kFieldArrivalEstimated:
      return "Arrivée (prévue)";
    case Msg::kFieldArrived:
      return "Arrivé";
    case Msg::kFieldReleasedAt:
      return "Libéré";
    case Msg::kFieldUsed:
      return "Unités utilisées";
    case Msg::kHelpMobilisationFlag:
      return "Adresse du service de mobilisation (need, request, assignment, crisis "
             "board|outreach|watch) ; par défaut : --server, sinon $0, sinon $1";
    case Msg::kHelpNounFlagFooter:
      return "Adresse du service : $0, sinon --server,\nsinon $1, sinon $2.\nOptions globales "
             "(--server --mobilisation --token-file --tls-ca --principal --role\n"
             "--organisation --responder --json --timeout --request-id --lang) : voir relaisctl "
             "--help.";
    case Msg::kHelpVerbServiceFooter:
      return "Ce verbe appelle le service de mobilisation à $0, sinon --server,\nsinon $1, sinon "
             "$2.";
    case Msg::kHelpCrisisMobilisationVerbs:
      return "board, outreach et watch appellent le service de mobilisation (voir leur --help).";
    case Msg::kHelpNeedNoun:
      return "Mobiliser pour les besoins d'une crise : candidats, demandes envoyées, avancement";
    case Msg::kHelpNeedCandidates:
      return "Classer qui et quoi pourrait couvrir un besoin, avec les raisons de chaque rang";
    case Msg::kHelpNeedMobilise:
      return "Solliciter des candidats pour la part d'un besoin pas encore couverte";
    case Msg::kHelpNeedProgress:
      return "Montrer où en est la couverture d'un besoin, et sa politique de mobilisation";
    case Msg::kHelpMobCrisisId:
      return "La crise, p. ex. crs_01KZ...";
    case Msg::kHelpMobNeedId:
      return "Le besoin, p. ex. need_01KZ...";
    case Msg::kHelpCandidatesLimit:
      return "Au plus ce nombre de candidats, de 1 à 200 (20 par défaut)";
    case Msg::kHelpRotationDays:
      return "Les demandes et déploiements de ce nombre de jours passés abaissent le rang, de 1 à "
             "365 (30 par défaut)";
    case Msg::kHelpOverbooking:
      return "Combien solliciter par personne ou unité manquante, de 1.0 à 3.0 (1.5 par défaut)";
    case Msg::kHelpResponseTime:
      return "Délai de réponse de chacun, p. ex. 30m, 2h, 1d (par défaut : selon l'urgence de la "
             "crise)";
    case Msg::kHelpManualEscalation:
      return "Ne pas solliciter d'office les candidats suivants après un refus, un désistement ou "
             "une expiration";
    case Msg::kHelpMaxPending:
      return "Au plus ce nombre de demandes en attente à la fois, de 1 à 200 (50 par défaut)";
    case Msg::kHelpMobiliseFooter:
      return "Les options de politique restent attachées au besoin pour toutes les relances ; une "
             "option\nabsente garde sa valeur par défaut, ou celle d'une mobilisation précédente "
             "du besoin.\nLa crise doit être active.";
    case Msg::kHelpRequestNoun:
      return "Demandes de mobilisation : répondre, accuser réception, trancher les réponses "
             "provisoires";
    case Msg::kHelpRequestList:
      return "Lister les demandes d'une crise (ou d'un besoin) ou d'un intervenant, les plus "
             "récentes d'abord";
    case Msg::kHelpRequestGet:
      return "Afficher une demande";
    case Msg::kHelpRequestRespond:
      return "Répondre à une demande avant son échéance : accepter, refuser, ou oui-si "
             "(provisoire)";
    case Msg::kHelpRequestAck:
      return "Noter que la demande a été vue : l'intervenant a été joint";
    case Msg::kHelpRequestDecide:
      return "Confirmer (acceptée) ou refuser une réponse provisoire";
    case Msg::kHelpMobRequestId:
      return "La demande de mobilisation, p. ex. mrq_01M8...";
    case Msg::kHelpListCrisisId:
      return "Les demandes ou affectations de cette crise";
    case Msg::kHelpListNeedId:
      return "Seulement ce besoin de la crise (avec --crisis-id)";
    case Msg::kHelpListResponderId:
      return "Les demandes ou affectations de cet intervenant (par défaut : votre --responder)";
    case Msg::kHelpRequestState:
      return "Seulement les demandes dans cet état";
    case Msg::kHelpMobPageSize:
      return "Éléments par page, de 1 à 200 (50 par défaut)";
    case Msg::kHelpListScopeFooter:
      return "Donnez --crisis-id (et --need-id pour un besoin) ou --responder-id ; sans l'un ni "
             "l'autre,\nles vôtres (--responder, RELAIS_RESPONDER).";
    case Msg::kHelpAccept:
      return "Oui";
    case Msg::kHelpDecline:
      return "Non";
    case Msg::kHelpProvisional:
      return "Oui, si... : dites de quoi cela dépend avec --reason ; un coordinateur tranche";
    case Msg::kHelpAnswerReason:
      return "Pourquoi, au plus 500 caractères (obligatoire avec --provisional)";
    case Msg::kHelpDecideConfirm:
      return "Accepter la réponse provisoire : la demande devient acceptée";
    case Msg::kHelpDecideDecline:
      return "Refuser la réponse provisoire";
    case Msg::kHelpDecideReason:
      return "Pourquoi, au plus 500 caractères";
    case Msg::kHelpAssignmentNoun:
      return "Affectations : demandes acceptées, suivies jusqu'à la libération ; la vue en direct "
             "d'un intervenant";
    case Msg::kHelpAssignmentList:
      return "Lister les affectations d'une crise (ou d'un de ses besoins) ou d'un intervenant";
    case Msg::kHelpAssignmentGet:
      return "Afficher une affectation";
    case Msg::kHelpAssignmentStatus:
      return "Signaler un trajet (en route, sur place) ou un envoi (expédié, livré, retourné)";
    case Msg::kHelpAssignmentWithdraw:
      return "Se désister avant le départ : les candidats suivants sont sollicités";
    case Msg::kHelpAssignmentDemobilise:
      return "Libérer un intervenant déployé : la mission est notée dans son expérience";
    case Msg::kHelpAssignmentExtend:
      return "Accorder ou refuser une fin plus tardive d'une affectation";
    case Msg::kHelpAssignmentWatch:
      return "La vue en direct d'un intervenant : ses demandes et affectations à mesure qu'elles "
             "changent";
    case Msg::kHelpAssignmentId:
      return "L'affectation, p. ex. asg_01M8...";
    case Msg::kHelpAssignmentState:
      return "Seulement les affectations dans cet état";
    case Msg::kHelpEnRoute:
      return "Personnes et équipes : en chemin";
    case Msg::kHelpOnSite:
      return "Personnes et équipes : arrivées";
    case Msg::kHelpShipped:
      return "Fournitures : expédiées";
    case Msg::kHelpDelivered:
      return "Fournitures : arrivées (avec --used)";
    case Msg::kHelpReturned:
      return "Fournitures : ce qui n'a pas servi est revenu";
    case Msg::kHelpEta:
      return "Avec --en-route : l'arrivée prévue, RFC 3339";
    case Msg::kHelpUsed:
      return "Avec --delivered : unités utilisées, de 0 à la quantité (0 par défaut) ; le reste "
             "retourne à l'entrepôt";
    case Msg::kHelpStatusAt:
      return "Quand c'est arrivé, RFC 3339, pas dans le futur (par défaut : maintenant)";
    case Msg::kHelpStatusFooter:
      return "Un seul de --en-route, --on-site (personnes et équipes), --shipped, "
             "--delivered,\n--returned (fournitures).";
    case Msg::kHelpWithdrawReason:
      return "Pourquoi, au plus 500 caractères";
    case Msg::kHelpDemobiliseReason:
      return "Pourquoi, au plus 500 caractères";
    case Msg::kHelpExtendUntil:
      return "La nouvelle fin de l'affectation, RFC 3339, après l'actuelle";
    case Msg::kHelpExtendGrant:
      return "Prolonger l'engagement (refusé si l'intervenant est déjà réservé à ce moment)";
    case Msg::kHelpExtendRefuse:
      return "Noter que la prolongation est refusée";
    case Msg::kHelpExtendReason:
      return "Pourquoi, au plus 500 caractères";
    case Msg::kHelpCrisisBoard:
      return "Montrer l'avancement de chaque besoin et les demandes en attente, et le curseur d'où "
             "suivre";
    case Msg::kHelpCrisisOutreach:
      return "Montrer qui n'a pas été joint et qui n'a pas répondu, et comment ils ont été "
             "prévenus";
    case Msg::kHelpCrisisWatch:
      return "Suivre des crises en direct : le tableau, puis une ligne par événement";
    case Msg::kHelpWatchCrisisIds:
      return "Les crises à suivre, jusqu'à 100 (par défaut : toutes)";
    case Msg::kHelpWatchCursor:
      return "Reprendre après ce curseur du journal d'événements (d'un tableau, d'un événement ou "
             "d'un arrêt)";
    case Msg::kHelpWatchOnce:
      return "S'arrêter après ce nombre d'événements";
    case Msg::kHelpWatchResponderId:
      return "Les demandes et affectations de qui (par défaut : votre --responder)";
    case Msg::kHelpWatchFooter:
      return "Une ligne par événement : son heure, son type et ses identifiants ; --json écrit un "
             "objet JSON\npar ligne. Un flux coupé reprend au dernier curseur ; Ctrl-C arrête et "
             "dit où reprendre.";
    case Msg::kCsvMalformed:
      return "ligne $0 : fichier CSV mal formé ($1)";
    case Msg::kCsvNotUtf8:
      return "ligne $0 : pas de l'UTF-8 valide (enregistrez le fichier en UTF-8)";
    case Msg::kImportNoHeader:
      return "le fichier est vide : la première ligne doit nommer les colonnes";
    case Msg::kImportUnknownColumn:
      return "colonne inconnue pour $0 (connues : $1)";
    case Msg::kImportColumnTwice:
      return "colonne donnée deux fois";
    case Msg::kImportMissingColumn:
      return "colonne obligatoire absente de l'en-tête";
    case Msg::kImportTooManyCells:
      return "$0 cellules, mais l'en-tête nomme $1 colonnes";
    case Msg::kImportRequired:
      return "est obligatoire";
    case Msg::kImportNotNumber:
      return "« $0 » n'est pas un nombre";
    case Msg::kImportNotWholeNumber:
      return "« $0 » n'est pas un nombre entier";
    case Msg::kImportDuplicateRef:
      return "« $0 » figure déjà ligne $1";
    case Msg::kImportCannotRead:
      return "impossible de lire $0";
    case Msg::kImportNoOrganisation:
      return "aucune organisation n'a l'external_ref « $0 » (importez d'abord les organisations)";
    case Msg::kImportNotYourOrganisation:
      return "« $0 » ($1) n'est pas votre organisation : un osi_admin n'importe que la sienne";
    case Msg::kImportOrganisationsAdminOnly:
      return "les organisations sont importées par un admin (le rôle de votre jeton)";
    case Msg::kImportNoWarehouse:
      return "l'organisation « $1 » n'a pas d'entrepôt « $0 » (importez d'abord les entrepôts)";
    case Msg::kImportNoResponder:
      return "l'organisation « $1 » n'a pas d'intervenant « $0 » (importez d'abord les "
             "intervenants)";
    case Msg::kImportNoStockLine:
      return "l'organisation « $1 » n'a pas de ligne de stock « $0 » (importez d'abord le stock)";
    case Msg::kImportWarehouseFixed:
      return "diffère de l'entrepôt $0, et un import ne peut pas modifier un entrepôt";
    case Msg::kImportStockFixed:
      return "diffère de la ligne de stock $0, dont l'entrepôt, l'article, le lot et la péremption "
             "ne changent pas";
    case Msg::kImportRefusedByServer:
      return "$0 : $1";
    case Msg::kImportDryRun:
      return "Essai à blanc : rien n'a été écrit ; les comptes disent ce que ferait un import.";
    case Msg::kImportNothingWritten:
      return "Rien n'a été écrit (--all-or-nothing) : corrigez les lignes ci-dessous et importez "
             "de nouveau.";
    case Msg::kImportProgress:
      return "$0 : $1/$2";
    case Msg::kColImportKind:
      return "FICHES";
    case Msg::kColCreated:
      return "CRÉÉES";
    case Msg::kColUpdated:
      return "MODIFIÉES";
    case Msg::kColUnchanged:
      return "INCHANGÉES";
    case Msg::kColRefused:
      return "REFUSÉES";
    case Msg::kHelpImport:
      return "Importer les listes qu'une organisation tient en fichiers CSV, rapprochées par "
             "external_ref";
    case Msg::kHelpImportOrganisations:
      return "Importer des organisations (admin ou coordinateur)";
    case Msg::kHelpImportResponders:
      return "Importer des intervenants, chacun pour l'organisation que nomme sa ligne";
    case Msg::kHelpImportWarehouses:
      return "Importer des entrepôts";
    case Msg::kHelpImportStock:
      return "Importer des lignes de stock (la quantité d'une ligne existante est ajustée au "
             "compte)";
    case Msg::kHelpImportTeams:
      return "Importer des équipes (membres et lot par leurs external_refs)";
    case Msg::kHelpImportFile:
      return "Le fichier CSV : UTF-8, une ligne d'en-tête qui nomme les colonnes";
    case Msg::kHelpImportDryRun:
      return "Vérifier chaque ligne et dire ce qui changerait, sans rien écrire";
    case Msg::kHelpImportAllOrNothing:
      return "Ne rien écrire si une ligne est fautive";
    case Msg::kHelpImportFooter:
      return "Colonnes (* obligatoire ; listes séparées par ';') :\n  organisations : "
             "external_ref* name* kind* domains* commune* lat* lon* email phone website\n          "
             "        description\n  responders :    organisation* external_ref* name* skills* "
             "languages certifications\n                  passport_until passport_country lat* "
             "lon* commune max_days* contacts\n  warehouses :    organisation* external_ref* name* "
             "commune* lat* lon*\n  stock :         organisation* warehouse* external_ref* item* "
             "lot* quantity* expires\n  teams :         organisation* external_ref* name* type* "
             "members* kit description\nUne cellule se lit comme l'option du même nom, p. ex. "
             "skills \"nurse:3;wash-engineer:2\".\nLes lignes fautives sont signalées en "
             "FICHIER:LIGNE: COLONNE: MOTIF et rien d'elles n'est écrit ;\nle code de sortie est 1 "
             "si une ligne a été refusée.";
    case Msg::kHelpLang:
      return "Langue des messages : fr ou en (par défaut : RELAIS_LANG, puis la locale)";
    case Msg::kBadLang:
      return "« $0 » n'est pas une langue que parle relaisctl (fr, en)";
    case Msg::kHelpTokenFile:
      return "Fichier contenant votre jeton, envoyé en « authorization: Bearer » (env "
             "RELAIS_TOKEN_FILE, ou le jeton lui-même dans RELAIS_TOKEN) ; remplace les options "
             "d'identité de développement";
    case Msg::kBadTokenFile:
      return "impossible de lire le fichier de jeton « $0 »";
    case Msg::kHelpAudit:
      return "La piste d'audit : qui a changé quoi, et pour le compte de qui";
    case Msg::kHelpAuditCrisis:
      return "Tous les changements d'une crise (besoins, demandes, missions), du plus récent";
    case Msg::kHelpAuditOrganisation:
      return "Tous les changements d'une organisation (fiche, personnes, équipes, stock)";
    case Msg::kHelpAuditResponder:
      return "Tous les changements d'un intervenant (fiche, disponibilités, demandes)";
    case Msg::kHelpAuditPageSize:
      return "Enregistrements par page, de 1 à 200 (50 par défaut)";
    case Msg::kNoAuditRecords:
      return "Aucun changement enregistré.";
    case Msg::kAuditRecordSource:
      return "    ($0, requête $1)";
    case Msg::kAuditRetention:
      return "La piste garde chaque changement $0 jours.";
    case Msg::kHelpAdmin:
      return "Administration : jetons des personnes et des services qui utilisent Relais";
    case Msg::kHelpAdminIssueToken:
      return "Émettre un jeton signé (ES256) : qui, son rôle, son organisation";
    case Msg::kHelpIssueSubject:
      return "Identifiant stable du principal, par ex. coord-lyon-1 (jamais un nom ni une adresse "
             "e-mail)";
    case Msg::kHelpIssueRole:
      return "coordinator, osi_admin, responder, dashboard, admin ou service";
    case Msg::kHelpIssueKey:
      return "La clé de signature : clé privée EC P-256 en PEM (env RELAIS_TOKEN_KEY)";
    case Msg::kHelpIssueOrganisation:
      return "L'organisation pour laquelle le principal agit (osi_admin et responder)";
    case Msg::kHelpIssueResponder:
      return "L'intervenant qu'est le principal (responder seulement)";
    case Msg::kHelpIssueTtl:
      return "Durée de validité du jeton, par ex. 12h, 7d (12h par défaut ; 90 jours au plus)";
    case Msg::kHelpIssueOut:
      return "Écrire le jeton dans ce fichier (créé avec le mode 600) au lieu de l'afficher";
    case Msg::kHelpIssueTokenFooter:
      return "Créer une paire de clés une fois :\n  openssl ecparam -name prime256v1 -genkey "
             "-noout -out admin-key.pem\n  openssl ec -in admin-key.pem -pubout -out "
             "token-public.pem\nLes services reçoivent token-public.pem (--token_public_key) ; "
             "seul l'administrateur garde admin-key.pem.";
    case Msg::kBadKeyFile:
      return "impossible de lire la clé de signature « $0 »";
    case Msg::kBadRole:
      return "« $0 » n'est pas un rôle : coordinator, osi_admin, responder, dashboard, admin ou "
             "service";
    case Msg::kBadTtl:
      return "« $0 » n'est pas une durée (par ex. 12h, 7d)";
    case Msg::kTokenWritten:
      return "jeton de $0 ($1) écrit dans $2, valable jusqu'au $3";
    case Msg::kCannotWrite:
      return "impossible d'écrire « $0 »";
    case Msg::kHelpTlsCa:
      return "L'autorité qui signe les certificats des serveurs : appeler en TLS (env "
             "RELAIS_TLS_CA)";
    case Msg::kBadTlsCa:
      return "impossible de lire le fichier d'autorité « $0 »";
    case Msg::kHelpResponderExport:
      return "Écrire tout ce que Relais détient sur un intervenant en un document JSON (RGPD, "
             "droit d'accès)";
    case Msg::kHelpExportResponderId:
      return "L'intervenant dont exporter les données, p. ex. rsp_01M8...";
    case Msg::kHelpExportOut:
      return "Écrire l'export dans ce nouveau fichier (mode 600) au lieu de l'afficher";
    case Msg::kHelpExportForce:
      return "Remplacer le fichier de --out s'il existe (toujours en mode 600)";
    case Msg::kHelpResponderExportFooter:
      return "Sections : la fiche de l'intervenant (contacts, lieu de départ, voyage, "
             "expérience),\n"
             "ses disponibilités, ses équipes et sa piste d'audit (de l'inventaire), les\n"
             "demandes de mobilisation qui lui sont adressées, ses affectations et les\n"
             "notifications envoyées (du service de mobilisation), toutes les pages de chaque\n"
             "liste, avec generated_at et ce qui n'est pas inclus. Peuvent exporter :\n"
             "l'intervenant lui-même, l'OSI de son organisation et l'admin ; une section que "
             "votre\n"
             "rôle ne peut pas lire vaut null, figure sous \"withheld\", et complete vaut false.\n"
             "Rien n'est écrit si la fiche elle-même est refusée.";
    case Msg::kExportFileExists:
      return "--out : « $0 » existe ; choisissez un nouveau fichier, ou ajoutez --force pour le "
             "remplacer";
    case Msg::kExportCannotWrite:
      return "--out : impossible d'écrire « $0 » : $1";
    case Msg::kExportWritten:
      return "export de $0 écrit dans $1 (mode 600)";
    case Msg::kExportIncomplete:
      return "attention : export incomplet : votre rôle ($0) ne peut pas lire $1 (sous "
             "\"withheld\")";
    case Msg::kEmptyFlag:
      return "$0 est vide : donnez une valeur";
    case Msg::kHelpHelp:
      return "Afficher cette aide et quitter";
  }
  return "?";
}

}  // namespace relais::cli
