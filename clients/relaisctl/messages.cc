#include "clients/relaisctl/messages.h"

#include <cctype>

namespace relais::cli {

// messages_fr.cc: the same switch in French.
std::string_view French(Msg id);

namespace {

// A switch rather than a table: the compiler (-Wswitch, -Werror) refuses a missing text.
std::string_view English(Msg id) {
  switch (id) {
    case Msg::kUsageLine:
      return "relaisctl: $0";
    case Msg::kUsageHint:
      return "Run '$0 --help' for usage.";
    case Msg::kErrorLine:
      return "relaisctl: $0: $1";
    case Msg::kErrorServerHint:
      return " (server $0)";
    case Msg::kErrorRetryHint:
      return " (outcome unknown: run again with $0, it will not apply twice)";
    case Msg::kBadWord:
      return "'$0' is not one of $1";
    case Msg::kBadTime:
      return "'$0' is not an RFC 3339 time such as 2026-12-01T08:00:00Z";
    case Msg::kBadTimeout:
      return "'$0' is not a duration such as 10s, 500ms or 1m30s";
    case Msg::kNeedInvalid:
      return "'$0': $1";
    case Msg::kNeedEmpty:
      return "empty need: expected KIND:CODE=QUANTITY[,KEY=VALUE...], e.g. skill:nurse=4";
    case Msg::kNeedNoKind:
      return "'$0' does not start with KIND:CODE=QUANTITY, e.g. skill:nurse=4";
    case Msg::kNeedBadKind:
      return "kind '$0' is not one of $1";
    case Msg::kNeedNoCode:
      return "no catalogue code after '$0:'";
    case Msg::kNeedNoQuantity:
      return "no quantity: write $0=<number>";
    case Msg::kNeedQuantityName:
      return "quantity";
    case Msg::kNeedNotANumber:
      return "$0: '$1' is not a whole number";
    case Msg::kNeedEmptyCode:
      return "$0: empty code in '$1' (separate codes with +)";
    case Msg::kNeedBadPriority:
      return "priority: '$0' is not one of $1";
    case Msg::kNeedBadTime:
      return "by: '$0' is not an RFC 3339 time such as 2026-12-01T08:00:00Z";
    case Msg::kNeedUnknownKey:
      return "unknown key '$0' (known: priority, by, days, level, lang, cert)";
    case Msg::kNeedEmptyItem:
      return "empty item between commas";
    case Msg::kNeedNoValue:
      return "'$0' has no value: write $0=...";
    case Msg::kNeedKeyTwice:
      return "'$0' is given twice";
    case Msg::kUpdateAreaIncomplete:
      return "--lat, --lon, --radius-km and --country replace the whole area, with --area: "
             "missing $0";
    case Msg::kUpdateCrisisNothing:
      return "nothing to update: give at least one of the crisis flags (see --help)";
    case Msg::kUpdateNeedNothing:
      return "nothing to update: give --quantity, --priority, --by, --days, --cancel or --reason";
    case Msg::kValueInvalid:
      return "'$0': $1";
    case Msg::kBadDate:
      return "'$0' is not a date such as 2030-01-01 (or an RFC 3339 time)";
    case Msg::kSkillEmpty:
      return "empty skill: expected CODE:LEVEL, e.g. nurse:3";
    case Msg::kSkillNoCode:
      return "no skill code before ':': expected CODE:LEVEL, e.g. nurse:3";
    case Msg::kSkillNoLevel:
      return "no level: write $0:<1-5>";
    case Msg::kSkillBadLevel:
      return "level: '$0' is not a whole number";
    case Msg::kCertEmpty:
      return "empty certification: expected CODE[:DATE], e.g. yellow-fever-vaccination:2030-01-01";
    case Msg::kCertNoCode:
      return "no certification code before ':': expected CODE[:DATE]";
    case Msg::kCertNoDate:
      return "no date after '$0:': write $0:YYYY-MM-DD, or $0 alone if it does not lapse";
    case Msg::kContactEmpty:
      return "empty contact: expected KIND:ADDRESS, e.g. email:amina@example.org";
    case Msg::kContactNoKind:
      return "'$0' does not start with KIND: ($1), e.g. email:amina@example.org";
    case Msg::kContactBadKind:
      return "kind '$0' is not one of $1";
    case Msg::kContactNoAddress:
      return "no address after '$0:'";
    case Msg::kLanguageEmpty:
      return "empty language code: expected e.g. fr";
    case Msg::kUpdateLocationIncomplete:
      return "--lat and --lon replace the location together: missing $0";
    case Msg::kUpdateContactIncomplete:
      return "--email, --phone and --website replace the whole contact: give all three (\"\" "
             "clears "
             "one): missing $0";
    case Msg::kUpdateOrganisationNothing:
      return "nothing to update: give at least one of the organisation flags (see --help)";
    case Msg::kUpdateHomeBaseIncomplete:
      return "--lat and --lon replace the home base together: missing $0";
    case Msg::kUpdateTravelIncomplete:
      return "--passport-until and --passport-country replace the travel readiness together "
             "(--no-passport empties it): missing $0";
    case Msg::kUpdateResponderNothing:
      return "nothing to update: give at least one of the responder flags (see --help)";
    case Msg::kListRespondersNoOrganisation:
      return "whose responders? give --organisation-id, or --organisation (RELAIS_ORGANISATION) "
             "for your own";

    case Msg::kEmptyValue:
      return "empty value";
    case Msg::kBadDuration:
      return "'$0' is not a duration such as 15m, 90s or 1h30m";
    case Msg::kPointNoComma:
      return "expected LAT,LON in decimal degrees, e.g. 45.7578,4.8320";
    case Msg::kPointBadNumber:
      return "$0: '$1' is not a number";
    case Msg::kPointLatitude:
      return "latitude";
    case Msg::kPointLongitude:
      return "longitude";
    case Msg::kKitEmpty:
      return "empty kit line: expected LINE=QUANTITY, e.g. stk_01M8...=2";
    case Msg::kKitNoLine:
      return "no stock line before '=': expected LINE=QUANTITY";
    case Msg::kKitNoQuantity:
      return "no quantity: write $0=<units>";
    case Msg::kKitBadQuantity:
      return "quantity: '$0' is not a whole number";
    case Msg::kKitUsedTwice:
      return "--kit-used: $0 is given twice";
    case Msg::kFindNoMode:
      return "where? give --near LAT,LON with --radius-km, or --abroad";
    case Msg::kFindBothModes:
      return "--near and --radius-km search near a place, --abroad from Lyon: give one or the "
             "other";
    case Msg::kFindLocalIncomplete:
      return "--near and --radius-km go together: missing $0";
    case Msg::kFindEntryNeedsAbroad:
      return "--entry-certification is for --abroad searches";
    case Msg::kUpdateTeamNothing:
      return "nothing to update: give at least one of the team flags (see --help)";
    case Msg::kListStockBoth:
      return "--warehouse and --organisation-id: give one or the other";
    case Msg::kListStockNoOwner:
      return "whose stock? give --warehouse or --organisation-id, or --organisation "
             "(RELAIS_ORGANISATION) for your own";
    case Msg::kListTeamsNoOrganisation:
      return "whose teams? give --organisation-id, or --organisation (RELAIS_ORGANISATION) for "
             "your own";
    case Msg::kListWarehousesNoOrganisation:
      return "whose warehouses? give --organisation-id, or --organisation (RELAIS_ORGANISATION) "
             "for your own";
    case Msg::kHoldNoTarget:
      return "what to hold? give one of --responder-id, --team-id, --stock-line-id";
    case Msg::kHoldTwoTargets:
      return "one hold holds one thing: give only one of $0";
    case Msg::kHoldWindowIncomplete:
      return "--from and --until give the window together: missing $0";
    case Msg::kHoldStockNoWindow:
      return "stock is held without a window: leave out --from and --until with --stock-line-id";
    case Msg::kHoldStockQuantity:
      return "how many units? give --quantity with --stock-line-id";
    case Msg::kHoldQuantityStock:
      return "--quantity is for --stock-line-id: a team's kit is held whole";
    case Msg::kHoldPeopleWindow:
      return "for when? give --from and --until with --responder-id or --team-id";
    case Msg::kEllipsis:
      return "…";
    case Msg::kAreaCircle:
      return "$0, $1, radius $2 km";
    case Msg::kNoCrises:
      return "No crises.";
    case Msg::kNextPage:
      return "More: add --page-token $0";
    case Msg::kNoOpenNeeds:
      return "No open needs.";
    case Msg::kOpenNeedsTitle:
      return "Needs ($0 open)";
    case Msg::kCancelledNeedsTitle:
      return "Cancelled needs ($0)";
    case Msg::kNoteLevel:
      return "level $0+";
    case Msg::kNoteLanguages:
      return "speaks $0";
    case Msg::kNoteCertifications:
      return "holds $0";
    case Msg::kColCrisisId:
      return "CRISIS";
    case Msg::kColStatus:
      return "STATUS";
    case Msg::kColKind:
      return "KIND";
    case Msg::kColSeverity:
      return "SEVERITY";
    case Msg::kColStarts:
      return "STARTS";
    case Msg::kColTitle:
      return "TITLE";
    case Msg::kColNeedId:
      return "NEED";
    case Msg::kColWhat:
      return "WHAT";
    case Msg::kColQuantity:
      return "QTY";
    case Msg::kColPriority:
      return "PRIORITY";
    case Msg::kColNeededBy:
      return "NEEDED BY";
    case Msg::kColDays:
      return "DAYS";
    case Msg::kColReason:
      return "REASON";
    case Msg::kFieldCrisis:
      return "Crisis";
    case Msg::kFieldTitle:
      return "Title";
    case Msg::kFieldStatus:
      return "Status";
    case Msg::kFieldVersion:
      return "Version";
    case Msg::kFieldKind:
      return "Kind";
    case Msg::kFieldScope:
      return "Scope";
    case Msg::kFieldSeverity:
      return "Severity";
    case Msg::kFieldUrgency:
      return "Urgency";
    case Msg::kFieldCertainty:
      return "Certainty";
    case Msg::kFieldArea:
      return "Area";
    case Msg::kFieldAreaDescription:
      return "Area name";
    case Msg::kFieldCountry:
      return "Country";
    case Msg::kFieldCommune:
      return "Commune";
    case Msg::kFieldStarts:
      return "Starts";
    case Msg::kFieldDeclared:
      return "Declared";
    case Msg::kFieldDeclaredBy:
      return "Declared by";
    case Msg::kFieldUpdated:
      return "Updated";
    case Msg::kFieldStatusReason:
      return "Status reason";
    case Msg::kFieldDescription:
      return "Description";
    case Msg::kFieldNeed:
      return "Need";
    case Msg::kFieldWhat:
      return "What";
    case Msg::kFieldQuantity:
      return "Quantity";
    case Msg::kFieldPriority:
      return "Priority";
    case Msg::kFieldNeededBy:
      return "Needed by";
    case Msg::kFieldDays:
      return "Days";
    case Msg::kFieldMinLevel:
      return "Minimum level";
    case Msg::kFieldLanguages:
      return "Languages";
    case Msg::kFieldCertifications:
      return "Certifications";
    case Msg::kFieldCancelReason:
      return "Cancelled because";
    case Msg::kFieldCreated:
      return "Created";
    case Msg::kNoOrganisations:
      return "No organisations.";
    case Msg::kNoResponders:
      return "No responders.";
    case Msg::kSkillsTitle:
      return "Skills ($0)";
    case Msg::kNoSkills:
      return "No skills.";
    case Msg::kCertificationsTitle:
      return "Certifications ($0)";
    case Msg::kNoCertifications:
      return "No certifications.";
    case Msg::kContactsTitle:
      return "Contacts ($0)";
    case Msg::kNoContacts:
      return "No contacts.";
    case Msg::kMoreSkills:
      return "+$0";
    case Msg::kDays:
      return "$0 days";
    case Msg::kPassportNone:
      return "none";
    case Msg::kPassportValid:
      return "$0, valid until $1";
    case Msg::kPassportLapsed:
      return "$0, LAPSED on $1";
    case Msg::kNoExpiry:
      return "no expiry";
    case Msg::kStateValid:
      return "valid";
    case Msg::kStateLapsed:
      return "LAPSED";
    case Msg::kCalendarTitle:
      return "Availability of $0 (calendar version $1)";
    case Msg::kNoPeriods:
      return "No periods ahead.";
    case Msg::kResponderErased:
      return "Erased responder $0: name, contacts, home base and travel documents are deleted "
             "everywhere; the event log keeps only the id.";
    case Msg::kColOrganisationId:
      return "ORGANISATION";
    case Msg::kColCommune:
      return "COMMUNE";
    case Msg::kColName:
      return "NAME";
    case Msg::kColResponderId:
      return "RESPONDER";
    case Msg::kColExternalRef:
      return "EXTERNAL REF";
    case Msg::kColTopSkills:
      return "TOP SKILLS";
    case Msg::kColSkill:
      return "SKILL";
    case Msg::kColLevel:
      return "LEVEL";
    case Msg::kColCertification:
      return "CERTIFICATION";
    case Msg::kColValidUntil:
      return "VALID UNTIL";
    case Msg::kColState:
      return "STATE";
    case Msg::kColContactKind:
      return "CHANNEL";
    case Msg::kColAddress:
      return "ADDRESS";
    case Msg::kColPeriodId:
      return "PERIOD";
    case Msg::kColFrom:
      return "FROM";
    case Msg::kColUntil:
      return "UNTIL";
    case Msg::kColNote:
      return "NOTE";
    case Msg::kFieldOrganisation:
      return "Organisation";
    case Msg::kFieldName:
      return "Name";
    case Msg::kFieldDomains:
      return "Domains";
    case Msg::kFieldLocation:
      return "Location";
    case Msg::kFieldEmail:
      return "E-mail";
    case Msg::kFieldPhone:
      return "Phone";
    case Msg::kFieldWebsite:
      return "Website";
    case Msg::kFieldResponder:
      return "Responder";
    case Msg::kFieldExternalRef:
      return "External ref";
    case Msg::kFieldHomeBase:
      return "Home base";
    case Msg::kFieldHomeCommune:
      return "Home commune";
    case Msg::kFieldMaxDeployment:
      return "Deploys up to";
    case Msg::kFieldPassport:
      return "Passport";

    case Msg::kNoMatches:
      return "Nobody matches.";
    case Msg::kMissionsTitle:
      return "Past missions ($0)";
    case Msg::kNoMissions:
      return "No past missions.";
    case Msg::kKitTitle:
      return "Kit ($0 lines)";
    case Msg::kNoKit:
      return "No kit.";
    case Msg::kNoTeams:
      return "No teams.";
    case Msg::kTeamRemoved:
      return "Withdrew team $0; its holds and commitments are not affected.";
    case Msg::kNoWarehouses:
      return "No warehouses.";
    case Msg::kNoStock:
      return "No stock lines.";
    case Msg::kNoSupplies:
      return "No stock line can supply it.";
    case Msg::kSuppliesCovered:
      return "$0 units available in $1 lines: covers the $2 wanted.";
    case Msg::kSuppliesShort:
      return "$0 units available in $1 lines: $2 short of the $3 wanted.";
    case Msg::kStockLineNote:
      return "in $0";
    case Msg::kMatchNote:
      return "of $0";
    case Msg::kStockUnits:
      return "$0 available, $1 held, $2 committed, $3 consumed";
    case Msg::kStockLedger:
      return "offered $0, adjusted $1";
    case Msg::kLotValid:
      return "$0";
    case Msg::kLotExpired:
      return "$0, EXPIRED";
    case Msg::kWindow:
      return "$0 to $1";
    case Msg::kHoldExpiryIn:
      return "$0 (in $1 min unless confirmed)";
    case Msg::kHoldExpiryPassed:
      return "$0 (passed)";
    case Msg::kHeldStockTitle:
      return "Stock ($0 lines)";
    case Msg::kColRole:
      return "ROLE";
    case Msg::kColPlace:
      return "PLACE";
    case Msg::kColAssignment:
      return "ASSIGNMENT";
    case Msg::kColStockLine:
      return "LINE";
    case Msg::kColConsumed:
      return "CONSUMED";
    case Msg::kColItem:
      return "ITEM";
    case Msg::kColLot:
      return "LOT";
    case Msg::kColExpires:
      return "EXPIRES";
    case Msg::kColAvailable:
      return "AVAIL";
    case Msg::kColHeld:
      return "HELD";
    case Msg::kColCommitted:
      return "COMMITTED";
    case Msg::kColDistance:
      return "KM";
    case Msg::kColAvailability:
      return "AVAILABILITY";
    case Msg::kColMissions:
      return "MISSIONS";
    case Msg::kColFit:
      return "FIT";
    case Msg::kColTeamId:
      return "TEAM";
    case Msg::kColTeamType:
      return "TYPE";
    case Msg::kColMembers:
      return "MEMBERS";
    case Msg::kColKitLines:
      return "KIT";
    case Msg::kColWarehouseId:
      return "WAREHOUSE";
    case Msg::kFieldTeam:
      return "Team";
    case Msg::kFieldTeamType:
      return "Type";
    case Msg::kFieldMembers:
      return "Members";
    case Msg::kFieldWarehouse:
      return "Warehouse";
    case Msg::kFieldStockLine:
      return "Stock line";
    case Msg::kFieldItem:
      return "Item";
    case Msg::kFieldLot:
      return "Lot";
    case Msg::kFieldExpires:
      return "Expires";
    case Msg::kFieldUnits:
      return "Units";
    case Msg::kFieldLedger:
      return "Ledger";
    case Msg::kFieldHold:
      return "Hold";
    case Msg::kFieldState:
      return "State";
    case Msg::kFieldWindow:
      return "Window";
    case Msg::kFieldHolder:
      return "Holder";
    case Msg::kFieldReleaseReason:
      return "Released because";
    case Msg::kHelpApp:
      return "relaisctl: the command line of Relais for coordinators, OSIs and responders.";
    case Msg::kHelpAppFooter:
      return "Global flags may come anywhere on the line. RELAIS_PRINCIPAL, RELAIS_ROLE,\n"
             "RELAIS_ORGANISATION, RELAIS_RESPONDER and each service's address variable\n"
             "(RELAIS_CRISIS_ADDR, RELAIS_INVENTORY_ADDR, RELAIS_MOBILISATION_ADDR) stand in for "
             "flags\n"
             "not given.\n"
             "Exit codes: 0 done; 1 the server refused (stderr: 'relaisctl: CODE: message');\n"
             "2 usage error; 3 server unreachable after retries.";
    case Msg::kHelpNounFooter:
      return "Service address: --server, else $0, else $1.\n"
             "Global flags (--server --token-file --tls-ca --principal --role --organisation "
             "--responder\n"
             "--json --timeout --request-id --lang): see relaisctl --help.";
    case Msg::kHelpVerbFooter:
      return "Global flags (--server --token-file --tls-ca --principal --role --organisation "
             "--responder\n"
             "--json --timeout --request-id --lang): see relaisctl --help.";
    case Msg::kHelpServer:
      return "Address of the noun's service (default: its RELAIS_<SERVICE>_ADDR, else its usual "
             "local port)";
    case Msg::kHelpPrincipal:
      return "Who you are, sent as x-relais-principal (env RELAIS_PRINCIPAL; development only)";
    case Msg::kHelpRole:
      return "coordinator, osi_admin, responder, dashboard or admin, sent as x-relais-role "
             "(env RELAIS_ROLE)";
    case Msg::kHelpJson:
      return "Print the response as one JSON document with the proto field names";
    case Msg::kHelpTimeout:
      return "Deadline of each attempt, e.g. 10s, 500ms, 1m (default 10s)";
    case Msg::kHelpRequestId:
      return "Idempotency key of the write (default: a fresh random UUID); give the same one "
             "to retry a write safely";
    case Msg::kHelpExpectedVersion:
      return "Refuse (ABORTED) unless the crisis is at this version; 0 skips the check";
    case Msg::kHelpOrganisationFlag:
      return "Your organisation, sent as x-relais-organisation (env RELAIS_ORGANISATION; "
             "development only)";
    case Msg::kHelpResponderFlag:
      return "Your responder id if you are one, sent as x-relais-responder (env RELAIS_RESPONDER; "
             "development only)";
    case Msg::kHelpExpectedVersionOrganisation:
      return "Refuse (ABORTED) unless the organisation is at this version; 0 skips the check";
    case Msg::kHelpExpectedVersionResponder:
      return "Refuse (ABORTED) unless the responder is at this version; 0 skips the check";

    case Msg::kHelpCrisis:
      return "Declare crises, state what they need, follow and close them";
    case Msg::kHelpDeclare:
      return "Declare a new crisis (status declared) with its first needs";
    case Msg::kHelpGet:
      return "Show a crisis and its needs";
    case Msg::kHelpList:
      return "List crises, newest declared first";
    case Msg::kHelpUpdate:
      return "Change a crisis' description: only the fields whose flags are given";
    case Msg::kHelpUpdateFooter:
      return "--lat, --lon, --radius-km and --country replace the whole area: give them together\n"
             "with --area (and --commune, or it is cleared). --area or --commune alone change\n"
             "just that part. Status and needs have their own verbs.";
    case Msg::kHelpAddNeed:
      return "Add a need to a crisis that is not closed";
    case Msg::kHelpUpdateNeed:
      return "Change a need's quantity, priority, date or duration, or cancel it";
    case Msg::kHelpActivate:
      return "Activate a declared or paused crisis: mobilisation may start";
    case Msg::kHelpPause:
      return "Pause an active crisis: no new mobilisation until it is activated again";
    case Msg::kHelpClose:
      return "Close a crisis for good; what is pending is cancelled";
    case Msg::kHelpCrisisId:
      return "The crisis, e.g. crs_01KZ...";
    case Msg::kHelpNeedId:
      return "The need, e.g. need_01KZ...";
    case Msg::kHelpTitle:
      return "Short title, e.g. \"Choléra - camp de Kalemie\"";
    case Msg::kHelpKind:
      return "Kind of emergency";
    case Msg::kHelpScope:
      return "Local: in the Lyon metropolitan area; abroad: deployment from Lyon";
    case Msg::kHelpSeverity:
      return "CAP severity";
    case Msg::kHelpUrgency:
      return "CAP urgency";
    case Msg::kHelpCertainty:
      return "CAP certainty";
    case Msg::kHelpLat:
      return "Latitude of the area's centre, decimal degrees";
    case Msg::kHelpLon:
      return "Longitude of the area's centre, decimal degrees";
    case Msg::kHelpRadius:
      return "Radius of the area, kilometres";
    case Msg::kHelpAreaDescription:
      return "The area as people name it, e.g. \"Vaulx-en-Velin, Mas du Taureau\"";
    case Msg::kHelpCountry:
      return "ISO 3166-1 alpha-2 code, e.g. FR, HT";
    case Msg::kHelpCommune:
      return "Commune or district, e.g. Villeurbanne";
    case Msg::kHelpStarts:
      return "When it started or starts, RFC 3339";
    case Msg::kHelpStartsDeclare:
      return "When it started or starts, RFC 3339 (default: when declared)";
    case Msg::kHelpDescription:
      return "Free text";
    case Msg::kHelpNeed:
      return "The need (syntax below)";
    case Msg::kHelpNeeds:
      return "A need (syntax below); repeat the flag for each need";
    case Msg::kHelpNeedSyntax:
      return "A need is KIND:CODE=QUANTITY[,KEY=VALUE...] in one word:\n"
             "  KIND      skill, supply or team (catalogue code lists)\n"
             "  CODE      e.g. nurse, iehk-2017-basic-unit, who-emt-type-1-mobile\n"
             "  QUANTITY  people, supply units or teams\n"
             "  priority=low|medium|high|critical  by=<RFC 3339 time>  days=<number>\n"
             "  level=<0-5>  lang=<code>[+<code>...]  cert=<code>[+<code>...]\n"
             "e.g. --need \"skill:nurse=4,priority=high,days=14,by=2026-12-01T08:00:00Z,"
             "lang=fr+en\"";
    case Msg::kHelpListStatus:
      return "Only crises in this status";
    case Msg::kHelpListKind:
      return "Only crises of this kind";
    case Msg::kHelpPageSize:
      return "Crises per page, 1 to 200 (default 50)";
    case Msg::kHelpPageToken:
      return "Start at this page (from a previous list)";
    case Msg::kHelpAll:
      return "Follow the pages to the last one";
    case Msg::kHelpQuantity:
      return "How many people, supply units or teams";
    case Msg::kHelpPriority:
      return "Priority";
    case Msg::kHelpBy:
      return "When they must be there, RFC 3339";
    case Msg::kHelpDays:
      return "How long people or teams are wanted, in days";
    case Msg::kHelpCancel:
      return "Cancel the need, for good (needs --reason)";
    case Msg::kHelpCancelReason:
      return "Why the need is cancelled";
    case Msg::kHelpPauseReason:
      return "Why, shown to everyone following the crisis";
    case Msg::kHelpCloseReason:
      return "Why the crisis is closed";

    case Msg::kHelpOrg:
      return "The directory of organisations: register, show, change, list";
    case Msg::kHelpOrgRegister:
      return "Add an organisation to the directory";
    case Msg::kHelpOrgGet:
      return "Show an organisation";
    case Msg::kHelpOrgUpdate:
      return "Change an organisation: only the fields whose flags are given";
    case Msg::kHelpOrgUpdateFooter:
      return "--lat and --lon replace the location together. --email, --phone and --website "
             "replace\n"
             "the public contact as a whole: give all three (\"\" clears one). Each --domain list "
             "replaces\n"
             "the domains.";
    case Msg::kHelpOrgExternalRef:
      return "The organisation's own identifier, e.g. CRF-RHONE, unique across organisations "
             "(\"\" clears it)";
    case Msg::kHelpOrgList:
      return "List organisations by name";
    case Msg::kHelpOrganisationId:
      return "The organisation, e.g. org_01M8...";
    case Msg::kHelpOrgName:
      return "Name, e.g. \"Handicap International - Humanity & Inclusion\"";
    case Msg::kHelpOrgKind:
      return "Kind of organisation";
    case Msg::kHelpOrgDomain:
      return "A domain of work";
    case Msg::kHelpOrgCommune:
      return "Commune of its main site, e.g. Vénissieux";
    case Msg::kHelpOrgLat:
      return "Latitude of its main site, decimal degrees";
    case Msg::kHelpOrgLon:
      return "Longitude of its main site, decimal degrees";
    case Msg::kHelpOrgEmail:
      return "Public e-mail address";
    case Msg::kHelpOrgPhone:
      return "Public phone number, e.g. +33478000000";
    case Msg::kHelpOrgWebsite:
      return "Website, https://...";
    case Msg::kHelpOrgDescription:
      return "What it does, free text";
    case Msg::kHelpOrgListKind:
      return "Only organisations of this kind";
    case Msg::kHelpOrgListDomain:
      return "Only organisations working in this domain";
    case Msg::kHelpOrgListCommune:
      return "Only organisations in this commune (exact name, any case)";
    case Msg::kHelpOrgPageSize:
      return "Organisations per page, 1 to 200 (default 50)";
    case Msg::kHelpResponder:
      return "Responders: register, show, change, list, erase; find who can go; record missions";
    case Msg::kHelpResponderRegister:
      return "Register a responder for your organisation (--organisation)";
    case Msg::kHelpResponderGet:
      return "Show a responder: skills, languages, certifications, travel, contacts";
    case Msg::kHelpResponderUpdate:
      return "Change a responder: only the fields whose flags are given";
    case Msg::kHelpResponderList:
      return "List the responders of an organisation, in registration order";
    case Msg::kHelpResponderRemove:
      return "Erase a responder and all their personal data, at once and for good";
    case Msg::kHelpResponderRemoveFooter:
      return "Asks no confirmation. Every personal datum (name, contacts, home base, travel "
             "documents,\n"
             "external ref) is deleted everywhere; the event log keeps only the id. Refused\n"
             "(FAILED_PRECONDITION) while the responder is held, committed or in a team.";
    case Msg::kHelpResponderId:
      return "The responder, e.g. rsp_01M8...";
    case Msg::kHelpResponderName:
      return "Name shown to coordinators (personal data)";
    case Msg::kHelpExternalRef:
      return "Your organisation's own reference for them, unique within it";
    case Msg::kHelpSkill:
      return "A catalogue skill and its level 1-5, e.g. nurse:3; repeat the flag for more";
    case Msg::kHelpLanguage:
      return "A language spoken, ISO 639-1, e.g. fr; repeat the flag for more";
    case Msg::kHelpCert:
      return "A certification held, e.g. yellow-fever-vaccination:2030-01-01; repeat for more";
    case Msg::kHelpPassportUntil:
      return "Passport valid until this date, YYYY-MM-DD";
    case Msg::kHelpPassportCountry:
      return "Passport's country, ISO 3166-1 alpha-2, e.g. FR";
    case Msg::kHelpHomeLat:
      return "Latitude of where they set off from, decimal degrees";
    case Msg::kHelpHomeLon:
      return "Longitude of where they set off from, decimal degrees";
    case Msg::kHelpHomeCommune:
      return "Commune they set off from, e.g. Villeurbanne";
    case Msg::kHelpMaxDays:
      return "Longest deployment they accept, in days (1 to 365)";
    case Msg::kHelpContact:
      return "How to reach them, e.g. email:amina@example.org or sms:+33600000000; repeat for more";
    case Msg::kHelpNoLanguages:
      return "Remove every language";
    case Msg::kHelpNoCertifications:
      return "Remove every certification";
    case Msg::kHelpNoPassport:
      return "Record that they have no valid passport";
    case Msg::kHelpResponderSyntax:
      return "One value per flag; repeat --skill, --lang, --cert and --contact for more:\n"
             "  --skill CODE:LEVEL       nurse:3 (catalogue skill, level 1 basic to 5 expert)\n"
             "  --cert CODE[:DATE]       yellow-fever-vaccination:2030-01-01 (without DATE: no "
             "expiry)\n"
             "  --contact KIND:ADDRESS   email:amina@example.org, sms:+33600000000, "
             "phone:+33478000000\n"
             "Dates are YYYY-MM-DD, taken as 00:00 UTC that day.";
    case Msg::kHelpResponderUpdateFooter:
      return "A repeated flag replaces the whole list (--skill, --lang, --cert, --contact). --lat "
             "and\n"
             "--lon replace the home base together; --passport-until and --passport-country the "
             "travel\n"
             "readiness together.";
    case Msg::kHelpListOrganisationId:
      return "Whose responders (default: your --organisation)";
    case Msg::kHelpResponderPageSize:
      return "Responders per page, 1 to 200 (default 50)";
    case Msg::kHelpAvailability:
      return "A responder's calendar: when they can be asked to go";
    case Msg::kHelpAvailabilitySet:
      return "Add a period to a responder's calendar";
    case Msg::kHelpAvailabilityClear:
      return "Remove one period from a responder's calendar";
    case Msg::kHelpAvailabilityGet:
      return "Show a responder's periods that have not ended";
    case Msg::kHelpAvailabilityKind:
      return "available: can be asked; on-call: second choice; unavailable: overrides the others";
    case Msg::kHelpAvailabilityFrom:
      return "Start of the period, RFC 3339";
    case Msg::kHelpAvailabilityUntil:
      return "End of the period (excluded), RFC 3339, at most 400 days after --from";
    case Msg::kHelpAvailabilityNote:
      return "Free text for your organisation, e.g. congés";
    case Msg::kHelpPeriodId:
      return "The period, e.g. avl_01M8... (see availability get)";

    case Msg::kHelpRepeat:
      return "; repeat the flag for more";
    case Msg::kHelpExternalRefOwn:
      return "Your organisation's own reference for it, unique within it";
    case Msg::kHelpExpectedVersionTeam:
      return "Refuse (ABORTED) unless the team is at this version; 0 skips the check";
    case Msg::kHelpResponderFind:
      return "Find responders who can go for a window: near a place, or abroad from Lyon";
    case Msg::kHelpResponderExperience:
      return "Add a past mission to a responder's experience";
    case Msg::kHelpFindSkill:
      return "Catalogue skill code, e.g. nurse";
    case Msg::kHelpFindMinLevel:
      return "Lowest level accepted, 1 to 5 (default: any)";
    case Msg::kHelpFindFrom:
      return "Start of the window they are needed for, RFC 3339";
    case Msg::kHelpFindUntil:
      return "End of the window (excluded), RFC 3339";
    case Msg::kHelpFindLanguage:
      return "A language they must speak, ISO 639-1, e.g. fr; repeat the flag for more";
    case Msg::kHelpFindCertification:
      return "A catalogue certification they must hold through the window";
    case Msg::kHelpFindExclude:
      return "A responder to leave out (already asked, rotation)";
    case Msg::kHelpFindMissionKind:
      return "The kind of crisis: past missions of this kind rank higher";
    case Msg::kHelpFindNear:
      return "Centre of a local search, LAT,LON in decimal degrees (with --radius-km)";
    case Msg::kHelpFindRadius:
      return "Radius of a local search in km, more than 0, at most 500";
    case Msg::kHelpFindAbroad:
      return "Deployable from Lyon: passport and longest deployment cover the window";
    case Msg::kHelpFindEntryCertification:
      return "A certification needed to enter the country (with --abroad)";
    case Msg::kHelpFindPageSize:
      return "Responders per page, 1 to 200 (default 50)";
    case Msg::kHelpFindFooter:
      return "Exactly one mode: --near LAT,LON with --radius-km, nearest first; or --abroad, "
             "ranked\n"
             "by fit (level, then past missions of --mission-kind, then available before "
             "on-call).\n"
             "A page token is valid for a few minutes: rankings move as holds come and go.";
    case Msg::kHelpExperienceKind:
      return "The kind of crisis";
    case Msg::kHelpExperienceRole:
      return "Catalogue skill code of the role they held, e.g. wash-engineer";
    case Msg::kHelpExperiencePlace:
      return "Where: a commune or a country code, e.g. Kalemie or CD";
    case Msg::kHelpExperienceFrom:
      return "When the mission started, RFC 3339";
    case Msg::kHelpExperienceUntil:
      return "When it ended, RFC 3339";
    case Msg::kHelpExperienceAssignment:
      return "The assignment it came from; recording the same one twice changes nothing";
    case Msg::kHelpTeam:
      return "The teams your organisation offers: its responders and kit, deployed together";
    case Msg::kHelpTeamOffer:
      return "Offer a team for your organisation (--organisation)";
    case Msg::kHelpTeamGet:
      return "Show a team, its members and its kit";
    case Msg::kHelpTeamUpdate:
      return "Change a team: only the fields whose flags are given";
    case Msg::kHelpTeamList:
      return "List the teams of an organisation, in the order they were offered";
    case Msg::kHelpTeamRemove:
      return "Withdraw a team; its holds and commitments are not affected";
    case Msg::kHelpTeamId:
      return "The team, e.g. team_01M8...";
    case Msg::kHelpTeamName:
      return "Name, e.g. \"EMT HI Lyon 1\"";
    case Msg::kHelpTeamType:
      return "Catalogue team type code, e.g. who-emt-type-1-mobile";
    case Msg::kHelpTeamMember:
      return "A responder of your organisation";
    case Msg::kHelpTeamKit:
      return "A stock line of yours that travels with the team and its units, LINE=QTY; repeat for "
             "more";
    case Msg::kHelpTeamDescription:
      return "What it does, free text";
    case Msg::kHelpNoKit:
      return "Remove all the kit";
    case Msg::kHelpTeamUpdateFooter:
      return "A repeated flag replaces the whole list (--member, --kit); --no-kit empties the "
             "kit.\n"
             "\"\" clears --description and --external-ref. Holds placed before keep what they "
             "reserved.";
    case Msg::kHelpTeamListOrganisationId:
      return "Whose teams (default: your --organisation)";
    case Msg::kHelpTeamPageSize:
      return "Teams per page, 1 to 200 (default 50)";
    case Msg::kHelpWarehouse:
      return "The warehouses where your organisation keeps supplies";
    case Msg::kHelpWarehouseRegister:
      return "Register a warehouse for your organisation (--organisation)";
    case Msg::kHelpWarehouseGet:
      return "Show a warehouse";
    case Msg::kHelpWarehouseList:
      return "List the warehouses of an organisation, in registration order";
    case Msg::kHelpWarehouseId:
      return "The warehouse, e.g. whs_01M8...";
    case Msg::kHelpWarehouseName:
      return "Name, e.g. \"Bioport - Vaulx-en-Velin\"";
    case Msg::kHelpWarehouseCommune:
      return "Commune, e.g. Vaulx-en-Velin";
    case Msg::kHelpWarehouseLat:
      return "Latitude of the warehouse, decimal degrees";
    case Msg::kHelpWarehouseLon:
      return "Longitude of the warehouse, decimal degrees";
    case Msg::kHelpWarehouseListOrganisationId:
      return "Whose warehouses (default: your --organisation)";
    case Msg::kHelpWarehousePageSize:
      return "Warehouses per page, 1 to 200 (default 50)";
    case Msg::kHelpStock:
      return "Supplies in your warehouses: offer lots, correct counts, list, find near a place";
    case Msg::kHelpStockOffer:
      return "Add a stock line: a lot of a catalogue item in one of your warehouses";
    case Msg::kHelpStockAdjust:
      return "Correct a stock line's available units, with a reason";
    case Msg::kHelpStockList:
      return "List the stock lines of a warehouse or of an organisation";
    case Msg::kHelpStockFind:
      return "Find stock lines that can supply an item near a place, nearest first";
    case Msg::kHelpStockLineId:
      return "The stock line, e.g. stk_01M8...";
    case Msg::kHelpStockWarehouse:
      return "The warehouse it is in, one of yours, e.g. whs_01M8...";
    case Msg::kHelpStockItem:
      return "Catalogue supply item code, e.g. who-cholera-kit-central";
    case Msg::kHelpStockLot:
      return "The manufacturer's lot number";
    case Msg::kHelpStockQuantity:
      return "Units offered, 1 to 1,000,000";
    case Msg::kHelpStockExpires:
      return "When the lot expires, YYYY-MM-DD or RFC 3339 (leave out if it does not)";
    case Msg::kHelpStockDelta:
      return "Units to add (positive) or take away (negative), e.g. --delta -3";
    case Msg::kHelpStockReason:
      return "Why";
    case Msg::kHelpStockNote:
      return "Free text, at most 200 characters";
    case Msg::kHelpStockListWarehouse:
      return "Only this warehouse";
    case Msg::kHelpStockListOrganisationId:
      return "Every warehouse of this organisation (default: your --organisation)";
    case Msg::kHelpStockListItem:
      return "Only lines of this catalogue item";
    case Msg::kHelpStockPageSize:
      return "Lines per page, 1 to 200 (default 50)";
    case Msg::kHelpStockNear:
      return "Where the units are needed, LAT,LON in decimal degrees, e.g. 45.7578,4.8320";
    case Msg::kHelpStockFindQuantity:
      return "Units needed: lines are returned until they cover it";
    case Msg::kHelpNotExpiringBefore:
      return "Only lots that do not expire before this date, e.g. the end of the mission";
    case Msg::kHelpStockExclude:
      return "A stock line to leave out, e.g. one already asked for";
    case Msg::kHelpStockFindPageSize:
      return "At most this many lines, 1 to 200 (default 50)";
    case Msg::kHelpHold:
      return "Holds and commitments: reserve responders, teams and stock so nothing is promised "
             "twice";
    case Msg::kHelpHoldPlace:
      return "Hold a responder or a team for a window, or units of a stock line, for a short time";
    case Msg::kHelpHoldGet:
      return "Show a hold or a commitment";
    case Msg::kHelpHoldConfirm:
      return "Confirm a hold that has not expired: it becomes a commitment";
    case Msg::kHelpHoldRelease:
      return "Free a hold that is not confirmed";
    case Msg::kHelpHoldReleaseCommitment:
      return "Free a commitment: the mission ended or was cancelled";
    case Msg::kHelpHoldExtend:
      return "Make a commitment of a responder or a team end later";
    case Msg::kHelpHoldConsume:
      return "Record that committed stock was delivered and used";
    case Msg::kHelpHoldId:
      return "The hold, e.g. hld_01M8...";
    case Msg::kHelpHoldResponder:
      return "Hold this responder for the window";
    case Msg::kHelpHoldTeam:
      return "Hold this team: every member for the window and all of its kit";
    case Msg::kHelpHoldStockLine:
      return "Hold units of this stock line";
    case Msg::kHelpHoldFrom:
      return "Start of the window, RFC 3339";
    case Msg::kHelpHoldUntil:
      return "End of the window (excluded), RFC 3339";
    case Msg::kHelpHoldQuantity:
      return "Units of the stock line to hold";
    case Msg::kHelpHolder:
      return "Who asks, in your own terms, e.g. mob:req_01M8... (never personal data)";
    case Msg::kHelpHoldTtl:
      return "How long it lasts unless confirmed, e.g. 15m or 2h (default 15m, at most 7 days)";
    case Msg::kHelpHoldPlaceFooter:
      return "Exactly one of --responder-id, --team-id, --stock-line-id. A responder or a team "
             "needs\n"
             "--from and --until; stock needs --quantity and no window. A hold not confirmed "
             "before its\n"
             "--ttl runs out is freed.";
    case Msg::kHelpHoldReleaseReason:
      return "Why, e.g. demobilised";
    case Msg::kHelpKitUsed:
      return "A team's kit line and the units it used, LINE=QTY; repeat for more (a line not named "
             "goes back whole)";
    case Msg::kHelpHoldExtendUntil:
      return "The new end of the window, RFC 3339";
    case Msg::kHelpHoldConsumeQuantity:
      return "Units used, 1 to the held quantity (default: all of them)";

    case Msg::kListNoScope:
      return "whose $0? give --crisis-id (with --need-id for one need) or --responder-id, or "
             "--responder (RELAIS_RESPONDER) for your own";
    case Msg::kListBothScopes:
      return "--crisis-id and --responder-id: give one or the other";
    case Msg::kListNeedWithoutCrisis:
      return "--need-id needs --crisis-id: a need belongs to a crisis";
    case Msg::kAnswerNone:
      return "what is the answer? give one of --accept, --decline, --provisional";
    case Msg::kOnlyOneOf:
      return "one at a time: give only one of $0";
    case Msg::kProvisionalNoReason:
      return "--provisional needs --reason: say what the yes depends on";
    case Msg::kDecideOne:
      return "give one of --confirm and --decline";
    case Msg::kStatusNone:
      return "which status? give one of --en-route, --on-site, --shipped, --delivered, --returned";
    case Msg::kStatusEtaEnRoute:
      return "--eta is for --en-route: the expected arrival";
    case Msg::kStatusUsedDelivered:
      return "--used is for --delivered: the units used";
    case Msg::kExtendOne:
      return "give one of --grant and --refuse";
    case Msg::kOnceAtLeastOne:
      return "--once: give a number of events, 1 or more";
    case Msg::kWatchNoResponder:
      return "whose assignments? give --responder-id, or --responder (RELAIS_RESPONDER) for your "
             "own";
    case Msg::kWatchStopped:
      return "relaisctl: stopped at cursor $0: add --cursor $0 to go on from there";
    case Msg::kWatchReconnect:
      return "relaisctl: stream cut ($0): resuming after $1 in $2 ($3/$4)";
    case Msg::kWatchReconnectNow:
      return "relaisctl: stream cut ($0): resuming from now in $1 ($2/$3)";
    case Msg::kWatchServerEnded:
      return "the server ended the stream";
    case Msg::kWatchOutOfRange:
      return "relaisctl: cursor $0 is older than the event log keeps ($1): taking a new snapshot";
    case Msg::kWatchNoSnapshot:
      return "relaisctl: no snapshot covers every crisis: going on from now (events in between are "
             "not shown)";
    case Msg::kWatchResponderSnapshot:
      return "relaisctl: going on from now after these lists (events in between are not shown)";
    case Msg::kWatchPendingTitle:
      return "Requests waiting for an answer from $0";
    case Msg::kWatchAssignmentsTitle:
      return "Assignments of $0";
    case Msg::kCandidatesHeader:
      return "For $0; $1 already asked for this need (left out).";
    case Msg::kNoCandidates:
      return "Nobody left to propose.";
    case Msg::kProgressLine:
      return "$0 ($1): required $2, requested $3, accepted $4, deployed $5, released $6; $7";
    case Msg::kCoverageBecause:
      return "$0: $1";
    case Msg::kNoRequestsSent:
      return "No requests sent: the need is covered, or nobody is left to ask.";
    case Msg::kRequestsSentTitle:
      return "Requests sent ($0)";
    case Msg::kNoRequests:
      return "No requests.";
    case Msg::kNoAssignments:
      return "No assignments.";
    case Msg::kRequestNote:
      return "for $0 of $1, round $2";
    case Msg::kAssignmentNote:
      return "for $0 of $1";
    case Msg::kRespondByIn:
      return "$0 (in $1)";
    case Msg::kDefaultValue:
      return "$0 (default)";
    case Msg::kResponseByUrgency:
      return "by the crisis' urgency (default)";
    case Msg::kEscalationManual:
      return "manual";
    case Msg::kEscalationAutomatic:
      return "automatic";
    case Msg::kBoardTitle:
      return "$0: $1 ($2), as of $3";
    case Msg::kBoardUnreached:
      return "Responders with a pending request not reached yet: $0";
    case Msg::kBoardNoNeeds:
      return "No needs.";
    case Msg::kBoardNeedNote:
      return "$0, round $1";
    case Msg::kBoardPendingTitle:
      return "Pending requests for $0 ($1)";
    case Msg::kBoardCursor:
      return "Event log cursor: $0";
    case Msg::kOutreachTitle:
      return "Outreach of $0: $1 not reached, $2 reached and not answered, $3 failed "
             "notifications.";
    case Msg::kOutreachUnreachedTitle:
      return "Not reached ($0)";
    case Msg::kOutreachUnansweredTitle:
      return "Reached, no answer yet ($0)";
    case Msg::kOutreachNoUnreached:
      return "Everyone with a pending request was reached.";
    case Msg::kOutreachNoUnanswered:
      return "Nobody reached is still to answer.";
    case Msg::kNotificationState:
      return "$0 $1";
    case Msg::kNotificationAttempts:
      return "$0 $1 ($2 attempts, last: $3)";
    case Msg::kNoNotifications:
      return "no notification yet";
    case Msg::kAcknowledgedAt:
      return "seen $0";
    case Msg::kEventQuantity:
      return "qty $0";
    case Msg::kEventBy:
      return "by $0";
    case Msg::kEventByFor:
      return "by $0 for $1";
    case Msg::kColRank:
      return "RANK";
    case Msg::kColCandidate:
      return "CANDIDATE";
    case Msg::kColScore:
      return "SCORE";
    case Msg::kColRequest:
      return "REQUEST";
    case Msg::kColWho:
      return "WHO";
    case Msg::kColRespondBy:
      return "RESPOND BY";
    case Msg::kColLeft:
      return "LEFT";
    case Msg::kColRequired:
      return "REQUIRED";
    case Msg::kColRequested:
      return "REQUESTED";
    case Msg::kColAccepted:
      return "ACCEPTED";
    case Msg::kColDeployed:
      return "DEPLOYED";
    case Msg::kColReleased:
      return "RELEASED";
    case Msg::kColCoverage:
      return "COVERAGE";
    case Msg::kFieldRequest:
      return "Request";
    case Msg::kFieldAssignment:
      return "Assignment";
    case Msg::kFieldRespondBy:
      return "Respond by";
    case Msg::kFieldRound:
      return "Round";
    case Msg::kFieldReason:
      return "Reason";
    case Msg::kFieldAcknowledged:
      return "Seen";
    case Msg::kFieldAnswered:
      return "Answered";
    case Msg::kFieldCoverage:
      return "Coverage";
    case Msg::kFieldRequired:
      return "Required";
    case Msg::kFieldRequested:
      return "Requested";
    case Msg::kFieldAccepted:
      return "Accepted";
    case Msg::kFieldDeployed:
      return "Deployed";
    case Msg::kFieldReleased:
      return "Released";
    case Msg::kFieldDeclined:
      return "Declined";
    case Msg::kFieldExpired:
      return "Expired";
    case Msg::kFieldWithdrawn:
      return "Withdrawn";
    case Msg::kFieldRounds:
      return "Rounds";
    case Msg::kFieldOverbooking:
      return "Overbooking";
    case Msg::kFieldResponseTime:
      return "Time to answer";
    case Msg::kFieldRotation:
      return "Rotation window";
    case Msg::kFieldEscalation:
      return "Escalation";
    case Msg::kFieldMaxPending:
      return "Most pending";
    case Msg::kFieldDepartureEstimated:
      return "Departure (expected)";
    case Msg::kFieldDeparted:
      return "Departed";
    case Msg::kFieldArrivalEstimated:
      return "Arrival (expected)";
    case Msg::kFieldArrived:
      return "Arrived";
    case Msg::kFieldReleasedAt:
      return "Released";
    case Msg::kFieldUsed:
      return "Units used";
    case Msg::kHelpMobilisationFlag:
      return "Address of the mobilisation service (need, request, assignment, crisis "
             "board|outreach|watch); default: --server, else $0, else $1";
    case Msg::kHelpNounFlagFooter:
      return "Service address: $0, else --server, else $1, else $2.\n"
             "Global flags (--server --mobilisation --token-file --tls-ca --principal --role\n"
             "--organisation --responder --json --timeout --request-id --lang): see relaisctl "
             "--help.";
    case Msg::kHelpVerbServiceFooter:
      return "This verb calls the mobilisation service at $0, else --server,\n"
             "else $1, else $2.";
    case Msg::kHelpCrisisMobilisationVerbs:
      return "board, outreach and watch call the mobilisation service (see their --help).";
    case Msg::kHelpNeedNoun:
      return "Mobilise a crisis' needs: candidates, requests sent, progress";
    case Msg::kHelpNeedCandidates:
      return "Rank who and what could cover a need, with the reasons for each rank";
    case Msg::kHelpNeedMobilise:
      return "Ask candidates for the part of a need not yet covered";
    case Msg::kHelpNeedProgress:
      return "Show how far a need is covered, and its mobilisation policy";
    case Msg::kHelpMobCrisisId:
      return "The crisis, e.g. crs_01KZ...";
    case Msg::kHelpMobNeedId:
      return "The need, e.g. need_01KZ...";
    case Msg::kHelpCandidatesLimit:
      return "At most this many candidates, 1 to 200 (default 20)";
    case Msg::kHelpRotationDays:
      return "Requests and deployments within this many past days lower a rank, 1 to 365 (default "
             "30)";
    case Msg::kHelpOverbooking:
      return "How many to ask per missing person or unit, 1.0 to 3.0 (default 1.5)";
    case Msg::kHelpResponseTime:
      return "How long each has to answer, e.g. 30m, 2h, 1d (default: by the crisis' urgency)";
    case Msg::kHelpManualEscalation:
      return "Do not ask the next candidates by themselves after a decline, withdrawal or expiry";
    case Msg::kHelpMaxPending:
      return "At most this many pending requests at once, 1 to 200 (default 50)";
    case Msg::kHelpMobiliseFooter:
      return "The policy flags are kept with the need for every later escalation; a flag not given "
             "keeps\n"
             "its default, or what an earlier mobilise of the need set. The crisis must be active.";
    case Msg::kHelpRequestNoun:
      return "Mobilisation requests: answer, acknowledge, decide provisional answers";
    case Msg::kHelpRequestList:
      return "List the requests of a crisis (or one of its needs) or of a responder, newest first";
    case Msg::kHelpRequestGet:
      return "Show a request";
    case Msg::kHelpRequestRespond:
      return "Answer a request before its deadline: accept, decline, or yes-if (provisional)";
    case Msg::kHelpRequestAck:
      return "Record that the request was seen: the responder has been reached";
    case Msg::kHelpRequestDecide:
      return "Confirm (accepted) or decline a provisional answer";
    case Msg::kHelpMobRequestId:
      return "The mobilisation request, e.g. mrq_01M8...";
    case Msg::kHelpListCrisisId:
      return "The requests or assignments of this crisis";
    case Msg::kHelpListNeedId:
      return "Only this need of the crisis (with --crisis-id)";
    case Msg::kHelpListResponderId:
      return "The requests or assignments of this responder (default: your --responder)";
    case Msg::kHelpRequestState:
      return "Only requests in this state";
    case Msg::kHelpMobPageSize:
      return "Items per page, 1 to 200 (default 50)";
    case Msg::kHelpListScopeFooter:
      return "Give --crisis-id (and --need-id for one need) or --responder-id; with neither, your "
             "own\n"
             "(--responder, RELAIS_RESPONDER).";
    case Msg::kHelpAccept:
      return "Yes";
    case Msg::kHelpDecline:
      return "No";
    case Msg::kHelpProvisional:
      return "Yes, if...: say what it depends on with --reason; a coordinator decides";
    case Msg::kHelpAnswerReason:
      return "Why, at most 500 characters (required with --provisional)";
    case Msg::kHelpDecideConfirm:
      return "Accept the provisional answer: the request becomes accepted";
    case Msg::kHelpDecideDecline:
      return "Decline the provisional answer";
    case Msg::kHelpDecideReason:
      return "Why, at most 500 characters";
    case Msg::kHelpAssignmentNoun:
      return "Assignments: accepted requests, followed until release; a responder's live view";
    case Msg::kHelpAssignmentList:
      return "List the assignments of a crisis (or one of its needs) or of a responder";
    case Msg::kHelpAssignmentGet:
      return "Show an assignment";
    case Msg::kHelpAssignmentStatus:
      return "Report a journey (en route, on site) or a shipment (shipped, delivered, returned)";
    case Msg::kHelpAssignmentWithdraw:
      return "Step back before departure: the next candidates are asked";
    case Msg::kHelpAssignmentDemobilise:
      return "Release a deployed responder: the mission is recorded in their experience";
    case Msg::kHelpAssignmentExtend:
      return "Grant or refuse a later end of an assignment";
    case Msg::kHelpAssignmentWatch:
      return "A responder's live view: their requests and assignments as they change";
    case Msg::kHelpAssignmentId:
      return "The assignment, e.g. asg_01M8...";
    case Msg::kHelpAssignmentState:
      return "Only assignments in this state";
    case Msg::kHelpEnRoute:
      return "People and teams: on the way";
    case Msg::kHelpOnSite:
      return "People and teams: arrived";
    case Msg::kHelpShipped:
      return "Supplies: sent";
    case Msg::kHelpDelivered:
      return "Supplies: arrived (with --used)";
    case Msg::kHelpReturned:
      return "Supplies: what was not used is back";
    case Msg::kHelpEta:
      return "With --en-route: the expected arrival, RFC 3339";
    case Msg::kHelpUsed:
      return "With --delivered: units used, 0 to the quantity (default 0); the rest goes back "
             "to the warehouse";
    case Msg::kHelpStatusAt:
      return "When it happened, RFC 3339, not in the future (default: now)";
    case Msg::kHelpStatusFooter:
      return "Exactly one of --en-route, --on-site (people and teams), --shipped, --delivered,\n"
             "--returned (supplies).";
    case Msg::kHelpWithdrawReason:
      return "Why, at most 500 characters";
    case Msg::kHelpDemobiliseReason:
      return "Why, at most 500 characters";
    case Msg::kHelpExtendUntil:
      return "The new end of the assignment, RFC 3339, after the current one";
    case Msg::kHelpExtendGrant:
      return "Extend the commitment (refused if the responder is booked then)";
    case Msg::kHelpExtendRefuse:
      return "Record that the extension is refused";
    case Msg::kHelpExtendReason:
      return "Why, at most 500 characters";
    case Msg::kHelpCrisisBoard:
      return "Show each need's progress and pending requests, and the cursor to watch from";
    case Msg::kHelpCrisisOutreach:
      return "Show who has not been reached and who has not answered, and how they were told";
    case Msg::kHelpCrisisWatch:
      return "Follow crises live: the board, then one line per event as it happens";
    case Msg::kHelpWatchCrisisIds:
      return "The crises to follow, up to 100 (default: every crisis)";
    case Msg::kHelpWatchCursor:
      return "Go on after this event log cursor (from a board, an event or a stop)";
    case Msg::kHelpWatchOnce:
      return "Stop after this many events";
    case Msg::kHelpWatchResponderId:
      return "Whose requests and assignments (default: your --responder)";
    case Msg::kHelpWatchFooter:
      return "One line per event: its time, its type and its ids; --json prints one JSON object "
             "per line.\n"
             "A cut stream resumes from the last cursor; Ctrl-C stops and says where to resume.";
    case Msg::kCsvMalformed:
      return "line $0: not a well-formed CSV file ($1)";
    case Msg::kCsvNotUtf8:
      return "line $0: not valid UTF-8 (save the file as UTF-8)";
    case Msg::kImportNoHeader:
      return "the file is empty: the first line must name the columns";
    case Msg::kImportUnknownColumn:
      return "unknown column for $0 (known: $1)";
    case Msg::kImportColumnTwice:
      return "column given twice";
    case Msg::kImportMissingColumn:
      return "required column missing from the header";
    case Msg::kImportTooManyCells:
      return "$0 cells, but the header names $1 columns";
    case Msg::kImportRequired:
      return "is required";
    case Msg::kImportNotNumber:
      return "'$0' is not a number";
    case Msg::kImportNotWholeNumber:
      return "'$0' is not a whole number";
    case Msg::kImportDuplicateRef:
      return "'$0' is already on line $1";
    case Msg::kImportCannotRead:
      return "cannot read $0";
    case Msg::kImportNoOrganisation:
      return "no organisation has the external_ref '$0' (import the organisations first)";
    case Msg::kImportNotYourOrganisation:
      return "'$0' ($1) is not your organisation: an osi_admin imports only its own";
    case Msg::kImportOrganisationsAdminOnly:
      return "organisations are imported by an admin (your token's role)";
    case Msg::kImportNoWarehouse:
      return "organisation '$1' has no warehouse '$0' (import the warehouses first)";
    case Msg::kImportNoResponder:
      return "organisation '$1' has no responder '$0' (import the responders first)";
    case Msg::kImportNoStockLine:
      return "organisation '$1' has no stock line '$0' (import the stock first)";
    case Msg::kImportWarehouseFixed:
      return "differs from warehouse $0, and a warehouse cannot be changed by an import";
    case Msg::kImportStockFixed:
      return "differs from stock line $0, whose warehouse, item, lot and expiry cannot change";
    case Msg::kImportRefusedByServer:
      return "$0: $1";
    case Msg::kImportDryRun:
      return "Dry run: nothing was written; the counts say what an import would do.";
    case Msg::kImportNothingWritten:
      return "Nothing was written (--all-or-nothing): correct the lines below and import again.";
    case Msg::kImportProgress:
      return "$0: $1/$2";
    case Msg::kColImportKind:
      return "RECORDS";
    case Msg::kColCreated:
      return "CREATED";
    case Msg::kColUpdated:
      return "UPDATED";
    case Msg::kColUnchanged:
      return "UNCHANGED";
    case Msg::kColRefused:
      return "REFUSED";
    case Msg::kHelpImport:
      return "Import the lists an organisation keeps in CSV files, matched by external_ref";
    case Msg::kHelpImportOrganisations:
      return "Import organisations (admin or coordinator)";
    case Msg::kHelpImportResponders:
      return "Import responders, each for the organisation its row names";
    case Msg::kHelpImportWarehouses:
      return "Import warehouses";
    case Msg::kHelpImportStock:
      return "Import stock lines (an existing line's quantity is adjusted to the count)";
    case Msg::kHelpImportTeams:
      return "Import teams (members and kit by their external_refs)";
    case Msg::kHelpImportFile:
      return "The CSV file: UTF-8, a header row naming the columns";
    case Msg::kHelpImportDryRun:
      return "Check every line and say what would change, without writing anything";
    case Msg::kHelpImportAllOrNothing:
      return "Write nothing if any line is bad";
    case Msg::kHelpImportFooter:
      return "Columns (* required; lists separated by ';'):\n"
             "  organisations: external_ref* name* kind* domains* commune* lat* lon* email phone "
             "website\n"
             "                 description\n"
             "  responders:    organisation* external_ref* name* skills* languages certifications\n"
             "                 passport_until passport_country lat* lon* commune max_days* "
             "contacts\n"
             "  warehouses:    organisation* external_ref* name* commune* lat* lon*\n"
             "  stock:         organisation* warehouse* external_ref* item* lot* quantity* "
             "expires\n"
             "  teams:         organisation* external_ref* name* type* members* kit description\n"
             "A cell reads like the flag of the same name, e.g. skills "
             "\"nurse:3;wash-engineer:2\".\n"
             "Bad lines are reported as FILE:LINE: COLUMN: REASON and nothing of them is written;\n"
             "the exit code is 1 when any line was refused.";
    case Msg::kHelpLang:
      return "Language of messages: fr or en (default: RELAIS_LANG, then the locale)";
    case Msg::kBadLang:
      return "'$0' is not a language relaisctl speaks (fr, en)";
    case Msg::kHelpTokenFile:
      return "File holding your token, sent as 'authorization: Bearer' (env RELAIS_TOKEN_FILE, or "
             "the token itself in RELAIS_TOKEN); replaces the development identity flags";
    case Msg::kBadTokenFile:
      return "cannot read the token file '$0'";
    case Msg::kHelpAudit:
      return "The audit trail: who changed what, and on whose behalf";
    case Msg::kHelpAuditCrisis:
      return "Every change about a crisis (needs, requests, missions), newest first";
    case Msg::kHelpAuditOrganisation:
      return "Every change about an organisation (entry, people, teams, stock), newest first";
    case Msg::kHelpAuditResponder:
      return "Every change about a responder (record, availability, requests), newest first";
    case Msg::kHelpAuditPageSize:
      return "Records per page, 1 to 200 (default 50)";
    case Msg::kNoAuditRecords:
      return "No change recorded.";
    case Msg::kAuditRecordSource:
      return "    ($0, request $1)";
    case Msg::kAuditRetention:
      return "The trail keeps each change for $0 days.";
    case Msg::kHelpAdmin:
      return "Administration: tokens for the people and services that use Relais";
    case Msg::kHelpAdminIssueToken:
      return "Issue a signed token (ES256): who, their role, their organisation";
    case Msg::kHelpIssueSubject:
      return "The principal's stable id, e.g. coord-lyon-1 (never a name or an e-mail address)";
    case Msg::kHelpIssueRole:
      return "coordinator, osi_admin, responder, dashboard, admin or service";
    case Msg::kHelpIssueKey:
      return "The signing key: EC P-256 private key in PEM (env RELAIS_TOKEN_KEY)";
    case Msg::kHelpIssueOrganisation:
      return "The organisation the principal acts for (osi_admin and responder)";
    case Msg::kHelpIssueResponder:
      return "The responder the principal is (responder only)";
    case Msg::kHelpIssueTtl:
      return "How long the token is valid, e.g. 12h, 7d (default 12h; at most 90 days)";
    case Msg::kHelpIssueOut:
      return "Write the token to this file (created with mode 600) instead of printing it";
    case Msg::kHelpIssueTokenFooter:
      return "Make a key pair once:\n  openssl ecparam -name prime256v1 -genkey -noout -out "
             "admin-key.pem\n  openssl ec -in admin-key.pem -pubout -out "
             "token-public.pem\nServices get token-public.pem (--token_public_key); only the "
             "administrator keeps admin-key.pem.";
    case Msg::kBadKeyFile:
      return "cannot read the signing key '$0'";
    case Msg::kBadRole:
      return "'$0' is not a role: coordinator, osi_admin, responder, dashboard, admin or service";
    case Msg::kBadTtl:
      return "'$0' is not a duration (e.g. 12h, 7d)";
    case Msg::kTokenWritten:
      return "token for $0 ($1) written to $2, valid until $3";
    case Msg::kCannotWrite:
      return "cannot write '$0'";
    case Msg::kHelpTlsCa:
      return "The CA that signs the servers' certificates: call over TLS (env RELAIS_TLS_CA)";
    case Msg::kBadTlsCa:
      return "cannot read the CA file '$0'";
    case Msg::kHelpResponderExport:
      return "Write everything Relais holds about a responder as one JSON document (GDPR access)";
    case Msg::kHelpExportResponderId:
      return "The responder whose data to export, e.g. rsp_01M8...";
    case Msg::kHelpExportOut:
      return "Write the export to this new file (mode 600) instead of printing it";
    case Msg::kHelpExportForce:
      return "Replace the --out file if it exists (still mode 600)";
    case Msg::kHelpResponderExportFooter:
      return "Sections: the responder's record (contacts, home base, travel, experience), their\n"
             "availability, teams and audit trail (from the inventory), the mobilisation requests\n"
             "addressed to them, their assignments and the notifications sent to them (from the\n"
             "mobilisation service), every page\n"
             "of each list,\n"
             "with generated_at and what is not included. The responder themself, their\n"
             "organisation's OSI and the admin may export; a section your role may not read is\n"
             "null, named under \"withheld\", and complete is false. Nothing is written when the\n"
             "record itself is refused.";
    case Msg::kExportFileExists:
      return "--out: '$0' exists; choose a new file, or add --force to replace it";
    case Msg::kExportCannotWrite:
      return "--out: cannot write '$0': $1";
    case Msg::kExportWritten:
      return "export of $0 written to $1 (mode 600)";
    case Msg::kExportIncomplete:
      return "warning: incomplete export: your role ($0) may not read $1 (listed under "
             "\"withheld\")";
    case Msg::kEmptyFlag:
      return "$0 is empty: give a value";
    case Msg::kHelpHelp:
      return "Print this help message and exit";
  }
  return "?";  // an id outside the enum: a bug, but not worth a crash in a message
}

// The current language: set once per run by Run (app.cc) before anything is said.
Language g_language = Language::kEnglish;

}  // namespace

void SetLanguage(Language language) { g_language = language; }
Language CurrentLanguage() { return g_language; }

std::optional<Language> LanguageFromWord(std::string_view word) {
  std::string lower(word);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "fr") return Language::kFrench;
  if (lower == "en") return Language::kEnglish;
  return std::nullopt;
}

Language LanguageFromLocale(
    const std::function<std::optional<std::string>(const std::string&)>& getenv) {
  for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const std::optional<std::string> value = getenv(name);
    if (!value || value->empty()) continue;
    return value->rfind("fr", 0) == 0 ? Language::kFrench : Language::kEnglish;
  }
  return Language::kEnglish;
}

std::string_view Text(Msg id, Language language) {
  return language == Language::kFrench ? French(id) : English(id);
}

std::string_view Text(Msg id) { return Text(id, g_language); }

}  // namespace relais::cli
