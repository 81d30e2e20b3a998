#include "clients/relaisctl/messages.h"

namespace relais::cli {
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

    case Msg::kHelpApp:
      return "relaisctl: the command line of Relais for coordinators, OSIs and responders.";
    case Msg::kHelpAppFooter:
      return "Global flags may come anywhere on the line. RELAIS_PRINCIPAL, RELAIS_ROLE,\n"
             "RELAIS_ORGANISATION, RELAIS_RESPONDER and each service's address variable\n"
             "(RELAIS_CRISIS_ADDR, RELAIS_INVENTORY_ADDR) stand in for flags not given.\n"
             "Exit codes: 0 done; 1 the server refused (stderr: 'relaisctl: CODE: message');\n"
             "2 usage error; 3 server unreachable after retries.";
    case Msg::kHelpNounFooter:
      return "Service address: --server, else $0, else $1.\n"
             "Global flags (--server --principal --role --organisation --responder --json "
             "--timeout\n"
             "--request-id): see relaisctl --help.";
    case Msg::kHelpVerbFooter:
      return "Global flags (--server --principal --role --organisation --responder --json "
             "--timeout\n"
             "--request-id): see relaisctl --help.";
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
      return "The responders your organisation offers: register, show, change, list, erase";
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
             "(FAILED_PRECONDITION) while the responder has an active commitment.";
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
  }
  return "?";  // an id outside the enum: a bug, but not worth a crash in a message
}

}  // namespace

std::string_view Text(Msg id) { return English(id); }

}  // namespace relais::cli
