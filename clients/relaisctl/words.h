// The words the command line uses for the API's enums, both ways: "industrial-accident" for
// CRISIS_KIND_INDUSTRIAL_ACCIDENT, "supply" for RESOURCE_KIND_SUPPLY_ITEM. They are a stable
// interface for scripts, so they are not translated.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "relais/v1/common.pb.h"
#include "relais/v1/crisis_registry.pb.h"
#include "relais/v1/events.pb.h"
#include "relais/v1/holds.pb.h"
#include "relais/v1/inventory.pb.h"
#include "relais/v1/mobilisation.pb.h"
#include "relais/v1/stock.pb.h"

namespace relais::cli {

template <typename Enum>
struct Word {
  Enum value;
  std::string_view word;
};

// One enum's words. UNSPECIFIED has no word: it means "not given".
template <typename Enum>
class Vocabulary {
 public:
  constexpr explicit Vocabulary(std::span<const Word<Enum>> words) : words_(words) {}

  // Case-insensitive; nullopt for anything else.
  std::optional<Enum> Parse(std::string_view text) const {
    for (const Word<Enum>& w : words_) {
      if (EqualsIgnoreCase(w.word, text)) return w.value;
    }
    return std::nullopt;
  }

  // "-" for UNSPECIFIED, "#<number>" for a value newer than this client.
  std::string Name(Enum value) const {
    for (const Word<Enum>& w : words_) {
      if (w.value == value) return std::string(w.word);
    }
    if (static_cast<int>(value) == 0) return "-";
    return "#" + std::to_string(static_cast<int>(value));
  }

  // "a, b, c": for help texts and error messages.
  std::string List() const {
    std::string out;
    for (const Word<Enum>& w : words_) {
      if (!out.empty()) out += ", ";
      out += w.word;
    }
    return out;
  }

  std::span<const Word<Enum>> words() const { return words_; }

 private:
  static bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
      char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] - 'A' + 'a') : b[i];
      if (x != y) return false;
    }
    return true;
  }

  std::span<const Word<Enum>> words_;
};

const Vocabulary<relais::v1::CrisisKind>& CrisisKinds();
const Vocabulary<relais::v1::CrisisScope>& CrisisScopes();
const Vocabulary<relais::v1::CrisisStatus>& CrisisStatuses();
const Vocabulary<relais::v1::Severity>& Severities();
const Vocabulary<relais::v1::Urgency>& Urgencies();
const Vocabulary<relais::v1::Certainty>& Certainties();
const Vocabulary<relais::v1::NeedPriority>& NeedPriorities();
const Vocabulary<relais::v1::NeedStatus>& NeedStatuses();
const Vocabulary<relais::v1::ResourceKind>& ResourceKinds();

// The resource inventory's enums.
const Vocabulary<relais::v1::OrganisationKind>& OrganisationKinds();
const Vocabulary<relais::v1::Domain>& Domains();
const Vocabulary<relais::v1::ContactKind>& ContactKinds();
const Vocabulary<relais::v1::AvailabilityKind>& AvailabilityKinds();
const Vocabulary<relais::v1::AdjustmentReason>& AdjustmentReasons();
const Vocabulary<relais::v1::HoldKind>& HoldKinds();
const Vocabulary<relais::v1::HoldState>& HoldStates();

// The mobilisation service's enums, and the event log's types.
const Vocabulary<relais::v1::CandidateKind>& CandidateKinds();
const Vocabulary<relais::v1::Coverage>& Coverages();
const Vocabulary<relais::v1::RequestState>& RequestStates();
const Vocabulary<relais::v1::AssignmentState>& AssignmentStates();
const Vocabulary<relais::v1::NotificationChannel>& NotificationChannels();
const Vocabulary<relais::v1::DeliveryState>& DeliveryStates();
const Vocabulary<relais::v1::EventType>& EventTypes();

}  // namespace relais::cli
