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

constexpr Word<v1::CandidateKind> kCandidateKinds[] = {
    {v1::CANDIDATE_KIND_RESPONDER, "responder"},
    {v1::CANDIDATE_KIND_TEAM, "team"},
    {v1::CANDIDATE_KIND_STOCK, "stock"},
};

constexpr Word<v1::Coverage> kCoverages[] = {
    {v1::COVERAGE_OPEN, "open"},
    {v1::COVERAGE_COVERED, "covered"},
    {v1::COVERAGE_UNCOVERABLE, "uncoverable"},
    {v1::COVERAGE_CANCELLED, "cancelled"},
};

constexpr Word<v1::RequestState> kRequestStates[] = {
    {v1::REQUEST_STATE_REQUESTED, "requested"},     {v1::REQUEST_STATE_ACCEPTED, "accepted"},
    {v1::REQUEST_STATE_PROVISIONAL, "provisional"}, {v1::REQUEST_STATE_DECLINED, "declined"},
    {v1::REQUEST_STATE_EXPIRED, "expired"},         {v1::REQUEST_STATE_CANCELLED, "cancelled"},
};

constexpr Word<v1::AssignmentState> kAssignmentStates[] = {
    {v1::ASSIGNMENT_STATE_ACCEPTED, "accepted"}, {v1::ASSIGNMENT_STATE_WITHDRAWN, "withdrawn"},
    {v1::ASSIGNMENT_STATE_EN_ROUTE, "en-route"}, {v1::ASSIGNMENT_STATE_ON_SITE, "on-site"},
    {v1::ASSIGNMENT_STATE_RELEASED, "released"}, {v1::ASSIGNMENT_STATE_COMMITTED, "committed"},
    {v1::ASSIGNMENT_STATE_SHIPPED, "shipped"},   {v1::ASSIGNMENT_STATE_DELIVERED, "delivered"},
    {v1::ASSIGNMENT_STATE_RETURNED, "returned"},
};

constexpr Word<v1::NotificationChannel> kNotificationChannels[] = {
    {v1::NOTIFICATION_CHANNEL_EMAIL, "email"},
    {v1::NOTIFICATION_CHANNEL_WEBHOOK, "webhook"},
};

constexpr Word<v1::DeliveryState> kDeliveryStates[] = {
    {v1::DELIVERY_STATE_PENDING, "pending"},
    {v1::DELIVERY_STATE_DELIVERED, "delivered"},
    {v1::DELIVERY_STATE_FAILED, "failed"},
    {v1::DELIVERY_STATE_NO_CONTACT, "no-contact"},
};

// What a live view prints for each event: the proto name without its prefix, in lower case.
constexpr Word<v1::EventType> kEventTypes[] = {
    {v1::EVENT_TYPE_CRISIS_DECLARED, "crisis-declared"},
    {v1::EVENT_TYPE_CRISIS_UPDATED, "crisis-updated"},
    {v1::EVENT_TYPE_CRISIS_ACTIVATED, "crisis-activated"},
    {v1::EVENT_TYPE_CRISIS_PAUSED, "crisis-paused"},
    {v1::EVENT_TYPE_CRISIS_CLOSED, "crisis-closed"},
    {v1::EVENT_TYPE_NEED_ADDED, "need-added"},
    {v1::EVENT_TYPE_NEED_UPDATED, "need-updated"},
    {v1::EVENT_TYPE_NEED_CANCELLED, "need-cancelled"},
    {v1::EVENT_TYPE_ORGANISATION_REGISTERED, "organisation-registered"},
    {v1::EVENT_TYPE_ORGANISATION_UPDATED, "organisation-updated"},
    {v1::EVENT_TYPE_RESPONDER_REGISTERED, "responder-registered"},
    {v1::EVENT_TYPE_RESPONDER_UPDATED, "responder-updated"},
    {v1::EVENT_TYPE_RESPONDER_REMOVED, "responder-removed"},
    {v1::EVENT_TYPE_AVAILABILITY_SET, "availability-set"},
    {v1::EVENT_TYPE_AVAILABILITY_CLEARED, "availability-cleared"},
    {v1::EVENT_TYPE_AVAILABILITY_SWEPT, "availability-swept"},
    {v1::EVENT_TYPE_EXPERIENCE_RECORDED, "experience-recorded"},
    {v1::EVENT_TYPE_TEAM_OFFERED, "team-offered"},
    {v1::EVENT_TYPE_TEAM_UPDATED, "team-updated"},
    {v1::EVENT_TYPE_TEAM_REMOVED, "team-removed"},
    {v1::EVENT_TYPE_WAREHOUSE_REGISTERED, "warehouse-registered"},
    {v1::EVENT_TYPE_STOCK_OFFERED, "stock-offered"},
    {v1::EVENT_TYPE_STOCK_ADJUSTED, "stock-adjusted"},
    {v1::EVENT_TYPE_HOLD_PLACED, "hold-placed"},
    {v1::EVENT_TYPE_HOLD_CONFIRMED, "hold-confirmed"},
    {v1::EVENT_TYPE_HOLD_RELEASED, "hold-released"},
    {v1::EVENT_TYPE_HOLD_EXPIRED, "hold-expired"},
    {v1::EVENT_TYPE_COMMITMENT_RELEASED, "commitment-released"},
    {v1::EVENT_TYPE_COMMITMENT_EXTENDED, "commitment-extended"},
    {v1::EVENT_TYPE_COMMITMENT_CONSUMED, "commitment-consumed"},
    {v1::EVENT_TYPE_REQUESTS_SENT, "requests-sent"},
    {v1::EVENT_TYPE_REQUEST_ACKNOWLEDGED, "request-acknowledged"},
    {v1::EVENT_TYPE_REQUEST_ACCEPTED, "request-accepted"},
    {v1::EVENT_TYPE_REQUEST_PROVISIONAL, "request-provisional"},
    {v1::EVENT_TYPE_REQUEST_DECLINED, "request-declined"},
    {v1::EVENT_TYPE_REQUEST_EXPIRED, "request-expired"},
    {v1::EVENT_TYPE_REQUEST_CANCELLED, "request-cancelled"},
    {v1::EVENT_TYPE_ROUND_PLANNED, "round-planned"},
    {v1::EVENT_TYPE_ASSIGNMENT_WITHDRAWN, "assignment-withdrawn"},
    {v1::EVENT_TYPE_ASSIGNMENT_EN_ROUTE, "assignment-en-route"},
    {v1::EVENT_TYPE_ASSIGNMENT_ON_SITE, "assignment-on-site"},
    {v1::EVENT_TYPE_ASSIGNMENT_RELEASED, "assignment-released"},
    {v1::EVENT_TYPE_ASSIGNMENT_EXTENDED, "assignment-extended"},
    {v1::EVENT_TYPE_ASSIGNMENT_EXTENSION_REFUSED, "assignment-extension-refused"},
    {v1::EVENT_TYPE_SUPPLY_SHIPPED, "supply-shipped"},
    {v1::EVENT_TYPE_SUPPLY_DELIVERED, "supply-delivered"},
    {v1::EVENT_TYPE_SUPPLY_RETURNED, "supply-returned"},
    {v1::EVENT_TYPE_NEED_COVERED, "need-covered"},
    {v1::EVENT_TYPE_NEED_UNCOVERABLE, "need-uncoverable"},
    {v1::EVENT_TYPE_NOTIFICATION_FAILED, "notification-failed"},
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

const Vocabulary<v1::CandidateKind>& CandidateKinds() {
  static constexpr Vocabulary<v1::CandidateKind> kVocabulary{kCandidateKinds};
  return kVocabulary;
}

const Vocabulary<v1::Coverage>& Coverages() {
  static constexpr Vocabulary<v1::Coverage> kVocabulary{kCoverages};
  return kVocabulary;
}

const Vocabulary<v1::RequestState>& RequestStates() {
  static constexpr Vocabulary<v1::RequestState> kVocabulary{kRequestStates};
  return kVocabulary;
}

const Vocabulary<v1::AssignmentState>& AssignmentStates() {
  static constexpr Vocabulary<v1::AssignmentState> kVocabulary{kAssignmentStates};
  return kVocabulary;
}

const Vocabulary<v1::NotificationChannel>& NotificationChannels() {
  static constexpr Vocabulary<v1::NotificationChannel> kVocabulary{kNotificationChannels};
  return kVocabulary;
}

const Vocabulary<v1::DeliveryState>& DeliveryStates() {
  static constexpr Vocabulary<v1::DeliveryState> kVocabulary{kDeliveryStates};
  return kVocabulary;
}

const Vocabulary<v1::EventType>& EventTypes() {
  static constexpr Vocabulary<v1::EventType> kVocabulary{kEventTypes};
  return kVocabulary;
}

}  // namespace relais::cli
