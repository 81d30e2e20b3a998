// Every sentence relaisctl shows a person, in one place: a French table can be added beside the
// English one and picked by locale without touching the code that uses them. What scripts rely
// on is not translated: enum words, flag names, status code names, JSON.
#pragma once

#include <string>
#include <string_view>

#include "absl/strings/substitute.h"

namespace relais::cli {

enum class Msg {
  // Errors and usage.
  kUsageLine,
  kUsageHint,
  kErrorLine,
  kErrorServerHint,
  kErrorRetryHint,
  kBadWord,
  kBadTime,
  kBadTimeout,
  kNeedInvalid,
  kNeedEmpty,
  kNeedNoKind,
  kNeedBadKind,
  kNeedNoCode,
  kNeedNoQuantity,
  kNeedQuantityName,
  kNeedNotANumber,
  kNeedEmptyCode,
  kNeedBadPriority,
  kNeedBadTime,
  kNeedUnknownKey,
  kNeedEmptyItem,
  kNeedNoValue,
  kNeedKeyTwice,
  kUpdateAreaIncomplete,
  kUpdateCrisisNothing,
  kUpdateNeedNothing,

  // Views.
  kEllipsis,
  kAreaCircle,
  kNoCrises,
  kNextPage,
  kNoOpenNeeds,
  kOpenNeedsTitle,
  kCancelledNeedsTitle,
  kNoteLevel,
  kNoteLanguages,
  kNoteCertifications,
  kColCrisisId,
  kColStatus,
  kColKind,
  kColSeverity,
  kColStarts,
  kColTitle,
  kColNeedId,
  kColWhat,
  kColQuantity,
  kColPriority,
  kColNeededBy,
  kColDays,
  kColReason,
  kFieldCrisis,
  kFieldTitle,
  kFieldStatus,
  kFieldVersion,
  kFieldKind,
  kFieldScope,
  kFieldSeverity,
  kFieldUrgency,
  kFieldCertainty,
  kFieldArea,
  kFieldAreaDescription,
  kFieldCountry,
  kFieldCommune,
  kFieldStarts,
  kFieldDeclared,
  kFieldDeclaredBy,
  kFieldUpdated,
  kFieldStatusReason,
  kFieldDescription,
  kFieldNeed,
  kFieldWhat,
  kFieldQuantity,
  kFieldPriority,
  kFieldNeededBy,
  kFieldDays,
  kFieldMinLevel,
  kFieldLanguages,
  kFieldCertifications,
  kFieldCancelReason,
  kFieldCreated,

  // Help: the program and its global flags.
  kHelpApp,
  kHelpAppFooter,
  kHelpNounFooter,
  kHelpVerbFooter,
  kHelpServer,
  kHelpPrincipal,
  kHelpRole,
  kHelpJson,
  kHelpTimeout,
  kHelpRequestId,
  kHelpExpectedVersion,

  // Help: crisis.
  kHelpCrisis,
  kHelpDeclare,
  kHelpGet,
  kHelpList,
  kHelpUpdate,
  kHelpUpdateFooter,
  kHelpAddNeed,
  kHelpUpdateNeed,
  kHelpActivate,
  kHelpPause,
  kHelpClose,
  kHelpCrisisId,
  kHelpNeedId,
  kHelpTitle,
  kHelpKind,
  kHelpScope,
  kHelpSeverity,
  kHelpUrgency,
  kHelpCertainty,
  kHelpLat,
  kHelpLon,
  kHelpRadius,
  kHelpAreaDescription,
  kHelpCountry,
  kHelpCommune,
  kHelpStarts,
  kHelpStartsDeclare,
  kHelpDescription,
  kHelpNeed,
  kHelpNeeds,
  kHelpNeedSyntax,
  kHelpListStatus,
  kHelpListKind,
  kHelpPageSize,
  kHelpPageToken,
  kHelpAll,
  kHelpQuantity,
  kHelpPriority,
  kHelpBy,
  kHelpDays,
  kHelpCancel,
  kHelpCancelReason,
  kHelpPauseReason,
  kHelpCloseReason,
};

// The text in the current locale (English only for now). Placeholders are $0, $1...
std::string_view Text(Msg id);

// The text with its placeholders filled, e.g. Say(Msg::kErrorLine, "NOT_FOUND", message).
template <typename... Args>
std::string Say(Msg id, const Args&... args) {
  const std::string_view text = Text(id);
  return absl::Substitute(absl::string_view(text.data(), text.size()), args...);
}

}  // namespace relais::cli
