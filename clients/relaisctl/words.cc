#include "clients/relaisctl/words.h"

namespace relais::cli {
namespace {

namespace v1 = relais::v1;

constexpr Word<v1::CrisisKind> kCrisisKinds[] = {
    {v1::CRISIS_KIND_EPIDEMIC, "epidemic"},
    {v1::CRISIS_KIND_HEATWAVE, "heatwave"},
    {v1::CRISIS_KIND_EARTHQUAKE, "earthquake"},
    {v1::CRISIS_KIND_FLOOD, "flood"},
    {v1::CRISIS_KIND_STORM, "storm"},
    {v1::CRISIS_KIND_DISPLACEMENT, "displacement"},
    {v1::CRISIS_KIND_INDUSTRIAL_ACCIDENT, "industrial-accident"},
    {v1::CRISIS_KIND_OTHER, "other"},
};

constexpr Word<v1::CrisisScope> kCrisisScopes[] = {
    {v1::CRISIS_SCOPE_LOCAL, "local"},
    {v1::CRISIS_SCOPE_ABROAD, "abroad"},
};

constexpr Word<v1::CrisisStatus> kCrisisStatuses[] = {
    {v1::CRISIS_STATUS_DECLARED, "declared"},
    {v1::CRISIS_STATUS_ACTIVE, "active"},
    {v1::CRISIS_STATUS_PAUSED, "paused"},
    {v1::CRISIS_STATUS_CLOSED, "closed"},
};

constexpr Word<v1::Severity> kSeverities[] = {
    {v1::SEVERITY_EXTREME, "extreme"},   {v1::SEVERITY_SEVERE, "severe"},
    {v1::SEVERITY_MODERATE, "moderate"}, {v1::SEVERITY_MINOR, "minor"},
    {v1::SEVERITY_UNKNOWN, "unknown"},
};

constexpr Word<v1::Urgency> kUrgencies[] = {
    {v1::URGENCY_IMMEDIATE, "immediate"}, {v1::URGENCY_EXPECTED, "expected"},
    {v1::URGENCY_FUTURE, "future"},       {v1::URGENCY_PAST, "past"},
    {v1::URGENCY_UNKNOWN, "unknown"},
};

constexpr Word<v1::Certainty> kCertainties[] = {
    {v1::CERTAINTY_OBSERVED, "observed"}, {v1::CERTAINTY_LIKELY, "likely"},
    {v1::CERTAINTY_POSSIBLE, "possible"}, {v1::CERTAINTY_UNLIKELY, "unlikely"},
    {v1::CERTAINTY_UNKNOWN, "unknown"},
};

constexpr Word<v1::NeedPriority> kNeedPriorities[] = {
    {v1::NEED_PRIORITY_LOW, "low"},
    {v1::NEED_PRIORITY_MEDIUM, "medium"},
    {v1::NEED_PRIORITY_HIGH, "high"},
    {v1::NEED_PRIORITY_CRITICAL, "critical"},
};

constexpr Word<v1::NeedStatus> kNeedStatuses[] = {
    {v1::NEED_STATUS_OPEN, "open"},
    {v1::NEED_STATUS_CANCELLED, "cancelled"},
};

// Shorter than the proto names: these are typed in every --need.
constexpr Word<v1::ResourceKind> kResourceKinds[] = {
    {v1::RESOURCE_KIND_SKILL, "skill"},
    {v1::RESOURCE_KIND_SUPPLY_ITEM, "supply"},
    {v1::RESOURCE_KIND_TEAM_TYPE, "team"},
};

constexpr Word<v1::OrganisationKind> kOrganisationKinds[] = {
    {v1::ORGANISATION_KIND_NGO, "ngo"},
    {v1::ORGANISATION_KIND_PUBLIC_BODY, "public-body"},
    {v1::ORGANISATION_KIND_HOSPITAL, "hospital"},
    {v1::ORGANISATION_KIND_TRAINING_INSTITUTE, "training-institute"},
    {v1::ORGANISATION_KIND_LOGISTICS_PLATFORM, "logistics-platform"},
    {v1::ORGANISATION_KIND_NETWORK, "network"},
    {v1::ORGANISATION_KIND_EMERGENCY_SERVICE, "emergency-service"},
    {v1::ORGANISATION_KIND_FOUNDATION, "foundation"},
};

constexpr Word<v1::Domain> kDomains[] = {
    {v1::DOMAIN_HUMANITARIAN_HEALTH, "humanitarian-health"},
    {v1::DOMAIN_WASH, "wash"},
    {v1::DOMAIN_LOGISTICS, "logistics"},
    {v1::DOMAIN_REHABILITATION, "rehabilitation"},
    {v1::DOMAIN_DIGITAL_SOLIDARITY, "digital-solidarity"},
    {v1::DOMAIN_MHPSS, "mhpss"},
    {v1::DOMAIN_NUTRITION, "nutrition"},
    {v1::DOMAIN_SHELTER, "shelter"},
    {v1::DOMAIN_TRAINING, "training"},
    {v1::DOMAIN_REFUGEE_RECEPTION, "refugee-reception"},
    {v1::DOMAIN_EMERGENCY_RESPONSE, "emergency-response"},
    {v1::DOMAIN_PHARMACY, "pharmacy"},
};

constexpr Word<v1::ContactKind> kContactKinds[] = {
    {v1::CONTACT_KIND_EMAIL, "email"},
    {v1::CONTACT_KIND_SMS, "sms"},
    {v1::CONTACT_KIND_PHONE, "phone"},
};

constexpr Word<v1::AvailabilityKind> kAvailabilityKinds[] = {
    {v1::AVAILABILITY_KIND_AVAILABLE, "available"},
    {v1::AVAILABILITY_KIND_ON_CALL, "on-call"},
    {v1::AVAILABILITY_KIND_UNAVAILABLE, "unavailable"},
};

constexpr Word<v1::AdjustmentReason> kAdjustmentReasons[] = {
    {v1::ADJUSTMENT_REASON_COUNT, "count"},
    {v1::ADJUSTMENT_REASON_LOSS, "loss"},
    {v1::ADJUSTMENT_REASON_EXPIRED, "expired"},
    {v1::ADJUSTMENT_REASON_USED_ELSEWHERE, "used-elsewhere"},
    {v1::ADJUSTMENT_REASON_RECEIVED, "received"},
};

constexpr Word<v1::HoldKind> kHoldKinds[] = {
    {v1::HOLD_KIND_RESPONDER, "responder"},
    {v1::HOLD_KIND_TEAM, "team"},
    {v1::HOLD_KIND_STOCK, "stock"},
};

constexpr Word<v1::HoldState> kHoldStates[] = {
    {v1::HOLD_STATE_HELD, "held"},         {v1::HOLD_STATE_COMMITTED, "committed"},
    {v1::HOLD_STATE_RELEASED, "released"}, {v1::HOLD_STATE_EXPIRED, "expired"},
    {v1::HOLD_STATE_CONSUMED, "consumed"},
};

}  // namespace

const Vocabulary<v1::CrisisKind>& CrisisKinds() {
  static constexpr Vocabulary<v1::CrisisKind> kVocabulary{kCrisisKinds};
  return kVocabulary;
}

const Vocabulary<v1::CrisisScope>& CrisisScopes() {
  static constexpr Vocabulary<v1::CrisisScope> kVocabulary{kCrisisScopes};
  return kVocabulary;
}

const Vocabulary<v1::CrisisStatus>& CrisisStatuses() {
  static constexpr Vocabulary<v1::CrisisStatus> kVocabulary{kCrisisStatuses};
  return kVocabulary;
}

const Vocabulary<v1::Severity>& Severities() {
  static constexpr Vocabulary<v1::Severity> kVocabulary{kSeverities};
  return kVocabulary;
}

const Vocabulary<v1::Urgency>& Urgencies() {
  static constexpr Vocabulary<v1::Urgency> kVocabulary{kUrgencies};
  return kVocabulary;
}

const Vocabulary<v1::Certainty>& Certainties() {
  static constexpr Vocabulary<v1::Certainty> kVocabulary{kCertainties};
  return kVocabulary;
}

const Vocabulary<v1::NeedPriority>& NeedPriorities() {
  static constexpr Vocabulary<v1::NeedPriority> kVocabulary{kNeedPriorities};
  return kVocabulary;
}

const Vocabulary<v1::NeedStatus>& NeedStatuses() {
  static constexpr Vocabulary<v1::NeedStatus> kVocabulary{kNeedStatuses};
  return kVocabulary;
}

const Vocabulary<v1::ResourceKind>& ResourceKinds() {
  static constexpr Vocabulary<v1::ResourceKind> kVocabulary{kResourceKinds};
  return kVocabulary;
}

const Vocabulary<v1::OrganisationKind>& OrganisationKinds() {
  static constexpr Vocabulary<v1::OrganisationKind> kVocabulary{kOrganisationKinds};
  return kVocabulary;
}

const Vocabulary<v1::Domain>& Domains() {
  static constexpr Vocabulary<v1::Domain> kVocabulary{kDomains};
  return kVocabulary;
}

const Vocabulary<v1::ContactKind>& ContactKinds() {
  static constexpr Vocabulary<v1::ContactKind> kVocabulary{kContactKinds};
  return kVocabulary;
}

const Vocabulary<v1::AvailabilityKind>& AvailabilityKinds() {
  static constexpr Vocabulary<v1::AvailabilityKind> kVocabulary{kAvailabilityKinds};
  return kVocabulary;
}

const Vocabulary<v1::AdjustmentReason>& AdjustmentReasons() {
  static constexpr Vocabulary<v1::AdjustmentReason> kVocabulary{kAdjustmentReasons};
  return kVocabulary;
}

const Vocabulary<v1::HoldKind>& HoldKinds() {
  static constexpr Vocabulary<v1::HoldKind> kVocabulary{kHoldKinds};
  return kVocabulary;
}

const Vocabulary<v1::HoldState>& HoldStates() {
  static constexpr Vocabulary<v1::HoldState> kVocabulary{kHoldStates};
  return kVocabulary;
}

}  // namespace relais::cli
