// The --need mini-syntax: one need in one shell word.
//
//   KIND:CODE=QUANTITY[,KEY=VALUE...]
//
//   KIND      skill | supply | team (catalogue skills, supply items, team types)
//   CODE      the catalogue code, e.g. nurse, iehk-2017-basic-unit, who-emt-type-1-mobile
//   QUANTITY  how many people, supply units or teams
//   KEY=VALUE, each at most once, in any order:
//     priority=low|medium|high|critical
//     by=<RFC 3339 time>        needed by, e.g. by=2026-12-01T08:00:00Z
//     days=<number>             how long people or teams are wanted
//     level=<number>            minimum skill level, 0 (any) to 5
//     lang=<code>[+<code>...]   languages, ISO 639-1: lang=fr+en
//     cert=<code>[+<code>...]   certifications, catalogue codes
//
// e.g. "skill:nurse=4,priority=high,days=14,by=2026-12-01T08:00:00Z,lang=fr+en,level=2".
// Spaces around items are ignored. Only the syntax is checked here: ranges, codes and
// required fields are the server's to judge (it names the field).
#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "relais/v1/crisis_registry.pb.h"

namespace relais::cli {

// INVALID_ARGUMENT with a message saying what is wrong and where.
absl::StatusOr<relais::v1::NeedSpec> ParseNeed(std::string_view text);

}  // namespace relais::cli
