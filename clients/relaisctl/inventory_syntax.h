// The mini-syntaxes of the responder flags: one value per flag, repeat the flag for more.
//
//   --skill CODE:LEVEL              nurse:3          a catalogue skill and its level (1 to 5)
//   --cert CODE[:DATE]              yellow-fever-vaccination:2030-01-01
//                                   a catalogue certification, valid until DATE (YYYY-MM-DD, or
//                                   an RFC 3339 time); without DATE it does not lapse
//   --contact KIND:ADDRESS          email:amina@example.org, sms:+33600000000, phone:+33478...
//   --lang CODE                     fr               an ISO 639-1 code
//   --near LAT,LON                  45.7578,4.8320   a point, decimal degrees (searches)
//   --kit LINE=QUANTITY             stk_01M8...=2    units of a stock line (teams; also
//                                                    --kit-used of hold release-commitment)
//
// Spaces around the parts are ignored; kinds are case-insensitive words. Only the syntax is
// checked here: ranges, codes and addresses are the server's to judge (it names the field).
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "relais/v1/common.pb.h"
#include "relais/v1/inventory.pb.h"
#include "relais/v1/teams.pb.h"

namespace relais::cli {

// Each is INVALID_ARGUMENT with a message saying what is wrong.
absl::StatusOr<relais::v1::SkillLevel> ParseSkill(std::string_view text);
absl::StatusOr<relais::v1::HeldCertification> ParseCertification(std::string_view text);
absl::StatusOr<relais::v1::ContactChannel> ParseContact(std::string_view text);
absl::StatusOr<std::string> ParseLanguage(std::string_view text);
absl::StatusOr<relais::v1::GeoPoint> ParsePoint(std::string_view text);
absl::StatusOr<relais::v1::KitLine> ParseKitLine(std::string_view text);

// What the views print, the same syntax back: "nurse:3", "email:amina@example.org".
std::string SkillText(const relais::v1::SkillLevel& skill);
std::string ContactText(const relais::v1::ContactChannel& contact);
std::string KitLineText(const relais::v1::KitLine& line);

}  // namespace relais::cli
