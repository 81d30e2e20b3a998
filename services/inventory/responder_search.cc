#include "services/inventory/responder_search.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

#include "absl/base/casts.h"
#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "services/runtime/proto_time.h"
#include "services/runtime/status_macros.h"
#include "services/runtime/validation.h"

namespace relais::inventory {
namespace {

using relais::v1::AvailabilityKind;
using relais::v1::FindRespondersRequest;

constexpr double kEarthRadiusKm = 6371.0088;  // IUGG mean radius
constexpr double kPi = 3.14159265358979323846;
constexpr int64_t kNanosPerDay = int64_t{86400} * 1'000'000'000;
constexpr int kMaxMissionsCounted = 5;
constexpr char kTokenVersion[] = "1";
// Posting lists.
constexpr int kMissionBits = 3;      // 0..5
constexpr int kMaxDaysKept = 65535;  // and more
// Above every fit (levels are bytes): the abroad keys are kFitCeiling - fit.
constexpr int kFitCeiling = 1 << 20;
// ChordLowerBoundKm's slack. Float coordinates on the unit sphere are within 2^-24 of the exact
// ones each, so the chord is within 1.1e-7 radius (0.7 m) of the exact one; 5 m and 1e-6 leave
// ample room for that and for the double rounding of both distances.
constexpr double kBoundSlackKm = 0.005;
constexpr double kBoundSlackRelative = 1e-6;
// Cards evaluated by the first batch of SearchPostings at least (then 4 * limit, doubling).
constexpr size_t kFirstBatch = 64;

// This Abseil's string_view is its own type, not std::string_view.
absl::string_view Av(std::string_view s) { return absl::string_view(s.data(), s.size()); }
std::string_view Sv(absl::string_view s) { return std::string_view(s.data(), s.size()); }

// Numbers for catalogue codes, shared by every card of the process.
class CodeTable {
 public:
  CodeId Intern(std::string_view code) {
    absl::MutexLock lock(&mu_);
    auto it = ids_.find(Av(code));
    if (it != ids_.end()) return it->second;
    // Past 65,535 distinct codes (never, with a catalogue of a hundred) new codes match nobody.
    if (ids_.size() >= kNoCode) return kNoCode;
    const auto id = static_cast<CodeId>(ids_.size());
    ids_.emplace(std::string(code), id);
    return id;
  }
  CodeId Find(std::string_view code) const {
    absl::MutexLock lock(&mu_);
    auto it = ids_.find(Av(code));
    return it == ids_.end() ? kNoCode : it->second;
  }

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, CodeId> ids_ ABSL_GUARDED_BY(mu_);
};

CodeTable& Codes() {
  static CodeTable* const table = new CodeTable();
  return *table;
}

int64_t Nanos(const google::protobuf::Timestamp& ts) {
  return absl::ToUnixNanos(FromProtoTime(ts));
}

bool HoldsThrough(const ResponderCard& card, CodeId code, int64_t end) {
  if (code == kNoCode) return false;  // a code no card holds
  for (const CardCertification& cert : card.certifications) {
    if (cert.code == code) return cert.valid_until >= end;
  }
  return false;
}

bool Speaks(const ResponderCard& card, uint16_t language) {
  return std::find(card.languages.begin(), card.languages.end(), language) != card.languages.end();
}

// Whether the periods of the kinds `use` cover [start, end) with no gap (adjacent periods join).
template <class Use>
bool Covered(absl::Span<const CardPeriod> periods, int64_t start, int64_t end, Use use) {
  // Calendars hold a few periods: no allocation for the usual ones (this runs per candidate).
  absl::InlinedVector<const CardPeriod*, 8> useful;
  for (const CardPeriod& p : periods) {
    if (!use(p.kind) || p.from >= end || p.until <= start) continue;
    if (p.from <= start && p.until >= end) return true;  // one period is enough
    useful.push_back(&p);
  }
  std::sort(useful.begin(), useful.end(),
            [](const CardPeriod* a, const CardPeriod* b) { return a->from < b->from; });
  int64_t reached = start;  // [start, reached) is covered
  for (const CardPeriod* p : useful) {
    if (p->from > reached) return false;  // a gap
    reached = std::max(reached, p->until);
    if (reached >= end) return true;
  }
  return false;
}

absl::Status CheckCatalogueCodes(const FieldPath& path,
                                 const google::protobuf::RepeatedPtrField<std::string>& codes,
                                 const Catalogue& catalogue) {
  RETURN_IF_ERROR(CheckMaxCount(path, codes.size(), kMaxSearchCertifications));
  for (int i = 0; i < codes.size(); ++i) {
    if (codes[i].empty()) return InvalidField(path.Index(i), "is required");
    if (!catalogue.HasCertification(codes[i])) {
      return InvalidField(path.Index(i), absl::StrCat(Quoted(codes[i]),
                                                      " is not a certification in the catalogue"));
    }
  }
  return absl::OkStatus();
}

absl::Status Validate(const FindRespondersRequest& request, const Catalogue& catalogue,
                      absl::Time now) {
  if (request.skill_code().empty()) return InvalidField("skill_code", "is required");
  if (!catalogue.Has(relais::v1::RESOURCE_KIND_SKILL, request.skill_code())) {
    return InvalidField("skill_code", absl::StrCat(Quoted(request.skill_code()),
                                                   " is not a skill in the catalogue"));
  }
  RETURN_IF_ERROR(CheckIntRange("min_level", request.min_level(), 0, 5));

  RETURN_IF_ERROR(CheckPresent("window", request.has_window()));
  const auto& window = request.window();
  RETURN_IF_ERROR(CheckPresent("window.start", window.has_start()));
  RETURN_IF_ERROR(CheckTimestamp("window.start", window.start()));
  RETURN_IF_ERROR(CheckPresent("window.end", window.has_end()));
  RETURN_IF_ERROR(CheckTimestamp("window.end", window.end()));
  const absl::Time start = FromProtoTime(window.start());
  const absl::Time end = FromProtoTime(window.end());
  if (end <= start) return InvalidField("window.end", "must be after window.start");
  if (end - start > absl::Hours(24 * kMaxWindowDays)) {
    return InvalidField(
        "window.end", absl::StrCat("must be at most ", kMaxWindowDays, " days after window.start"));
  }
  if (end <= now) return InvalidField("window.end", "the window has already ended");

  RETURN_IF_ERROR(CheckMaxCount("languages", request.languages_size(), kMaxSearchLanguages));
  for (int i = 0; i < request.languages_size(); ++i) {
    RETURN_IF_ERROR(CheckLanguageCode(FieldPath("languages").Index(i), request.languages(i)));
  }
  RETURN_IF_ERROR(CheckCatalogueCodes("certifications", request.certifications(), catalogue));
  RETURN_IF_ERROR(
      CheckMaxCount("exclude_responder_ids", request.exclude_responder_ids_size(), kMaxExcluded));
  for (int i = 0; i < request.exclude_responder_ids_size(); ++i) {
    RETURN_IF_ERROR(CheckResourceId(FieldPath("exclude_responder_ids").Index(i),
                                    request.exclude_responder_ids(i)));
  }
  RETURN_IF_ERROR(
      CheckOptionalEnum("mission_kind", request.mission_kind(), &relais::v1::CrisisKind_IsValid));

  switch (request.mode_case()) {
    case FindRespondersRequest::kLocal: {
      const auto& local = request.local();
      RETURN_IF_ERROR(CheckPresent("local.center", local.has_center()));
      RETURN_IF_ERROR(CheckDoubleRange("local.center.lat", local.center().lat(), -90, 90));
      RETURN_IF_ERROR(CheckDoubleRange("local.center.lon", local.center().lon(), -180, 180));
      RETURN_IF_ERROR(
          CheckDoubleAboveAtMost("local.radius_km", local.radius_km(), 0, kMaxRadiusKm));
      break;
    }
    case FindRespondersRequest::kAbroad:
      RETURN_IF_ERROR(CheckCatalogueCodes("abroad.entry_certifications",
                                          request.abroad().entry_certifications(), catalogue));
      break;
    case FindRespondersRequest::MODE_NOT_SET:
      return InvalidField("mode", "exactly one of local or abroad is required");
  }

  auto page_size = CheckPageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  if (request.page_token().size() > static_cast<size_t>(kMaxPageTokenChars)) {
    return InvalidField("page_token", absl::StrCat("at most ", kMaxPageTokenChars, " characters"));
  }
  return absl::OkStatus();
}

// Interned, not just looked up: a query prepared before the index catches up must name the same
// numbers as the cards the catch-up is about to load. The codes are validated first (catalogue
// codes, two-letter languages), so the table stays bounded.
std::vector<CodeId> CodesOf(const google::protobuf::RepeatedPtrField<std::string>& codes) {
  std::vector<CodeId> ids;
  ids.reserve(codes.size());
  for (const std::string& code : codes) ids.push_back(InternCode(code));
  return ids;
}

// 64-bit FNV-1a: stable across processes and builds (absl::Hash is not), which a token that may
// reach another replica needs. It names a query; it does not protect anything.
uint64_t Fnv1a(std::string_view bytes) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

absl::Status NotOurToken() { return InvalidField("page_token", "not a token this server issued"); }

// What Search sorts before it builds the matches of the page.
struct Ranked {
  double rank;
  const ResponderCard* card;
  int level;
  AvailabilityKind availability;
  double distance_km;
  int missions;
  int fit;
};

bool RankedBefore(const Ranked& a, const Ranked& b) {
  if (a.rank != b.rank) return a.rank < b.rank;
  return a.card->id < b.card->id;
}

// Every rule on one card whose level of the skill is `level` (its posting's).
bool Filter(const ResponderCard& card, int level, const SearchQuery& query, Ranked* out) {
  if (level == 0 || level < query.min_level) return false;
  for (uint16_t language : query.languages) {
    if (!Speaks(card, language)) return false;
  }
  for (CodeId cert : query.certifications) {
    if (!HoldsThrough(card, cert, query.end)) return false;
  }
  double distance = 0;
  if (query.abroad) {
    if (card.passport_valid_until < query.end) return false;  // also: no passport (0)
    if (int64_t{card.max_deployment_days} * kNanosPerDay < query.end - query.start) return false;
    for (CodeId cert : query.entry_certifications) {
      if (!HoldsThrough(card, cert, query.end)) return false;
    }
    distance = -1;  // not a rank here: computed by ToCandidate for the few that are kept
  } else {
    // Cheap first: a latitude difference alone is already a lower bound of the distance.
    const double lat_gap_km =
        std::abs(card.home_lat - query.center_lat) * kPi / 180 * kEarthRadiusKm;
    if (lat_gap_km > query.radius_km * (1 + 1e-9) + 1e-9) return false;
    distance = DistanceKm(query.center_lat, query.center_lon, card.home_lat, card.home_lon);
    if (distance > query.radius_km) return false;
  }
  if (!query.excluded.empty() && query.excluded.contains(card.id)) return false;
  const auto availability = CoversWindow(card.periods, query.start, query.end);
  if (!availability) return false;

  const int kind = static_cast<int>(query.mission_kind);
  const int missions = (kind >= 0 && kind < kCrisisKinds) ? card.missions[kind] : 0;
  const int fit = query.abroad ? FitScore(level, missions, *availability) : 0;
  *out = Ranked{query.abroad ? -static_cast<double>(fit) : distance,
                &card,
                level,
                *availability,
                distance,
                missions,
                fit};
  return true;
}

Candidate ToCandidate(const Ranked& r) {
  Candidate candidate;
  candidate.key = SortKey{r.rank, r.card->id};
  relais::v1::ResponderMatch& match = candidate.match;
  match.set_responder_id(r.card->id);
  match.set_organisation_id(r.card->organisation_id);
  match.set_level(r.level);
  match.set_distance_km(r.distance_km >= 0
                            ? r.distance_km
                            : DistanceKm(r.card->home_lat, r.card->home_lon, kLyonLat, kLyonLon));
  match.set_availability(r.availability);
  match.set_missions_of_kind(r.missions);
  match.set_fit(r.fit);
  return candidate;
}

// The highest fit a posting can reach abroad: its level and missions, AVAILABLE.
int BestFit(const Posting& p, relais::v1::CrisisKind kind) {
  return FitScore(p.level, PostedMissions(p, kind), relais::v1::AVAILABILITY_KIND_AVAILABLE);
}

bool Overlaps(const BookedRange& booking, int64_t start, int64_t end) {
  return booking.start < end && start < booking.end;
}

}  // namespace

// --- Cards ---

CodeId InternCode(std::string_view code) { return Codes().Intern(code); }
CodeId FindCode(std::string_view code) { return Codes().Find(code); }

uint16_t PackLanguage(std::string_view code) {
  if (code.size() != 2) return 0;
  for (char c : code) {
    if (c < 'a' || c > 'z') return 0;
  }
  return static_cast<uint16_t>((static_cast<unsigned char>(code[0]) << 8) |
                               static_cast<unsigned char>(code[1]));
}

ResponderCard CardFromResponder(const relais::v1::Responder& responder,
                                const relais::v1::AvailabilityCalendar& calendar) {
  ResponderCard card;
  card.id = responder.id();
  card.organisation_id = responder.organisation_id();
  card.home_lat = responder.home_base().lat();
  card.home_lon = responder.home_base().lon();
  if (responder.has_travel() && responder.travel().has_passport_valid_until()) {
    card.passport_valid_until = Nanos(responder.travel().passport_valid_until());
  }
  card.max_deployment_days = responder.max_deployment_days();
  for (const relais::v1::Mission& mission : responder.experience()) {
    const int kind = static_cast<int>(mission.kind());
    if (kind >= 0 && kind < kCrisisKinds && card.missions[kind] < UINT8_MAX) {
      ++card.missions[kind];
    }
  }
  card.skills.reserve(responder.skills_size());
  for (const relais::v1::SkillLevel& skill : responder.skills()) {
    card.skills.push_back(
        {InternCode(skill.code()), static_cast<uint8_t>(std::clamp(skill.level(), 0, 255))});
  }
  card.languages.reserve(responder.languages_size());
  for (const std::string& language : responder.languages()) {
    if (const uint16_t packed = PackLanguage(language); packed != 0) {
      card.languages.push_back(packed);
    }
  }
  card.certifications.reserve(responder.certifications_size());
  for (const relais::v1::HeldCertification& cert : responder.certifications()) {
    card.certifications.push_back(
        {InternCode(cert.code()), cert.has_valid_until() ? Nanos(cert.valid_until()) : kNever});
  }
  card.periods.reserve(calendar.periods_size());
  for (const relais::v1::AvailabilityPeriod& period : calendar.periods()) {
    card.periods.push_back({Nanos(period.from()), Nanos(period.until()), period.kind()});
  }
  return card;
}

int LevelOf(const ResponderCard& card, CodeId skill) {
  if (skill == kNoCode) return 0;  // a code no card holds
  for (const CardSkill& s : card.skills) {
    if (s.code == skill) return s.level;
  }
  return 0;
}

// --- Rules ---

double DistanceKm(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kRadians = kPi / 180;
  const double dlat = (lat2 - lat1) * kRadians;
  const double dlon = (lon2 - lon1) * kRadians;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1 * kRadians) * std::cos(lat2 * kRadians) * std::sin(dlon / 2) *
                       std::sin(dlon / 2);
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(a)));
}

std::optional<AvailabilityKind> CoversWindow(absl::Span<const CardPeriod> periods, int64_t start,
                                             int64_t end) {
  for (const CardPeriod& p : periods) {
    if (p.kind == relais::v1::AVAILABILITY_KIND_UNAVAILABLE && p.from < end && p.until > start) {
      return std::nullopt;
    }
  }
  const auto available = [](AvailabilityKind k) {
    return k == relais::v1::AVAILABILITY_KIND_AVAILABLE;
  };
  if (Covered(periods, start, end, available)) return relais::v1::AVAILABILITY_KIND_AVAILABLE;
  const auto available_or_on_call = [](AvailabilityKind k) {
    return k == relais::v1::AVAILABILITY_KIND_AVAILABLE ||
           k == relais::v1::AVAILABILITY_KIND_ON_CALL;
  };
  if (Covered(periods, start, end, available_or_on_call)) {
    return relais::v1::AVAILABILITY_KIND_ON_CALL;
  }
  return std::nullopt;
}

int FitScore(int level, int missions_of_kind, AvailabilityKind availability) {
  return 100 * level + 10 * std::min(missions_of_kind, kMaxMissionsCounted) +
         (availability == relais::v1::AVAILABILITY_KIND_AVAILABLE ? 1 : 0);
}

// --- Queries ---

std::string QueryDigest(const FindRespondersRequest& request) {
  FindRespondersRequest query = request;
  query.clear_page_size();
  query.clear_page_token();
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    query.SerializeToCodedStream(&coded);
  }
  return absl::StrFormat("%016x", Fnv1a(bytes));
}

std::string EncodePageToken(std::string_view digest, const SortKey& last) {
  uint64_t bits = 0;
  static_assert(sizeof(bits) == sizeof(last.rank));
  std::memcpy(&bits, &last.rank, sizeof(bits));
  return absl::WebSafeBase64Escape(absl::StrCat(kTokenVersion, ":", Av(digest), ":",
                                                absl::StrFormat("%016x", bits), ":", last.id));
}

absl::StatusOr<SortKey> DecodePageToken(std::string_view token, std::string_view digest) {
  std::string text;
  if (token.empty() || !absl::WebSafeBase64Unescape(Av(token), &text)) return NotOurToken();
  const std::vector<absl::string_view> parts = absl::StrSplit(text, ':');
  if (parts.size() != 4 || parts[0] != kTokenVersion || parts[1].size() != 16 ||
      parts[2].size() != 16 || !CheckResourceId("id", Sv(parts[3])).ok()) {
    return NotOurToken();
  }
  uint64_t bits = 0;
  if (!absl::SimpleHexAtoi(parts[2], &bits)) return NotOurToken();
  SortKey key;
  std::memcpy(&key.rank, &bits, sizeof(bits));
  if (!std::isfinite(key.rank)) return NotOurToken();
  if (parts[1] != Av(digest)) {
    return InvalidField("page_token", "belongs to another query (its filters or mode differ)");
  }
  key.id = std::string(parts[3]);
  return key;
}

absl::StatusOr<SearchQuery> PrepareQuery(const FindRespondersRequest& request,
                                         const Catalogue& catalogue, absl::Time now) {
  RETURN_IF_ERROR(Validate(request, catalogue, now));
  SearchQuery query;
  query.skill = InternCode(request.skill_code());  // see CodesOf
  query.min_level = request.min_level();
  query.start = Nanos(request.window().start());
  query.end = Nanos(request.window().end());
  for (const std::string& language : request.languages()) {
    query.languages.push_back(PackLanguage(language));
  }
  query.certifications = CodesOf(request.certifications());
  query.excluded.insert(request.exclude_responder_ids().begin(),
                        request.exclude_responder_ids().end());
  query.mission_kind = request.mission_kind();
  if (request.has_abroad()) {
    query.abroad = true;
    query.entry_certifications = CodesOf(request.abroad().entry_certifications());
  } else {
    query.center_lat = request.local().center().lat();
    query.center_lon = request.local().center().lon();
    query.radius_km = request.local().radius_km();
  }
  query.page_size = EffectivePageSize(request.page_size());
  query.digest = QueryDigest(request);
  if (!request.page_token().empty()) {
    auto after = DecodePageToken(request.page_token(), query.digest);
    if (!after.ok()) return after.status();
    query.after = *std::move(after);
  }
  return query;
}

std::vector<Candidate> Search(absl::Span<const ResponderCard* const> cards,
                              const SearchQuery& query, size_t limit) {
  std::vector<Posting> postings;
  postings.reserve(cards.size());
  for (const ResponderCard* card : cards) {
    Posting posting = PostingOf(*card, query.skill);
    if (posting.level != 0) postings.push_back(posting);
  }
  std::sort(postings.begin(), postings.end(), PostingBefore);
  return SearchPostings(postings, query, limit);
}

// --- Posting lists ---

Posting PostingOf(const ResponderCard& card, CodeId skill) {
  Posting posting;
  posting.card = &card;
  posting.level = static_cast<uint8_t>(LevelOf(card, skill));
  posting.passport_valid_until = card.passport_valid_until;
  const std::array<double, 3> unit = UnitVector(card.home_lat, card.home_lon);
  posting.x = static_cast<float>(unit[0]);
  posting.y = static_cast<float>(unit[1]);
  posting.z = static_cast<float>(unit[2]);
  static_assert(kCrisisKinds * kMissionBits <= 32);
  for (int kind = 0; kind < kCrisisKinds; ++kind) {
    const uint32_t counted = std::min<int>(card.missions[kind], kMaxMissionsCounted);
    posting.missions |= counted << (kMissionBits * kind);
  }
  posting.max_days = static_cast<uint16_t>(std::clamp(card.max_deployment_days, 0, kMaxDaysKept));
  return posting;
}

bool PostingBefore(const Posting& a, const Posting& b) { return a.card->id < b.card->id; }

int PostedMissions(const Posting& posting, relais::v1::CrisisKind kind) {
  const int k = static_cast<int>(kind);
  if (k < 0 || k >= kCrisisKinds) return 0;
  return static_cast<int>((posting.missions >> (kMissionBits * k)) & ((1u << kMissionBits) - 1));
}

std::array<double, 3> UnitVector(double lat, double lon) {
  constexpr double kRadians = kPi / 180;
  const double cos_lat = std::cos(lat * kRadians);
  return {cos_lat * std::cos(lon * kRadians), cos_lat * std::sin(lon * kRadians),
          std::sin(lat * kRadians)};
}

double ChordLowerBoundKm(double chord2) {
  const double half_chord = std::sqrt(std::max(chord2, 0.0)) / 2;
  const double km = 2 * kEarthRadiusKm * std::asin(std::min(1.0, half_chord));
  return km * (1 - kBoundSlackRelative) - kBoundSlackKm;
}

double ChordSquaredOfKm(double km) {
  const double angle = std::clamp(km / kEarthRadiusKm, 0.0, kPi);
  const double chord = 2 * std::sin(angle / 2);
  return chord * chord;
}

std::vector<Candidate> SearchPostings(absl::Span<const Posting> postings, const SearchQuery& query,
                                      size_t limit) {
  if (limit == 0 || postings.empty()) return {};
  // 1. Every posting once, the card untouched: the inline filters, and what certainly comes
  // before query.after. A key per survivor: a bound of its rank in the high bits (ascending),
  // its place in the list (so its id's order) in the low bits.
  const int min_level = std::max(query.min_level, 1);
  std::vector<uint64_t> keys;
  keys.reserve(postings.size());
  if (query.abroad) {
    const int64_t length = query.end - query.start;
    // Nobody with a fit below this is after query.after (rank = -fit).
    const double fit_after = query.after ? -query.after->rank : kFitCeiling;
    for (size_t i = 0; i < postings.size(); ++i) {
      const Posting& p = postings[i];
      if (p.level < min_level || p.passport_valid_until < query.end) continue;
      if (p.max_days != kMaxDaysKept && int64_t{p.max_days} * kNanosPerDay < length) continue;
      const int best_fit = BestFit(p, query.mission_kind);
      if (best_fit - 1 > fit_after) continue;  // even ON_CALL, it ranks before query.after
      keys.push_back(static_cast<uint64_t>(kFitCeiling - best_fit) << 32 | i);
    }
  } else {
    const std::array<double, 3> center = UnitVector(query.center_lat, query.center_lon);
    // Conservative: a card within the radius (or after query.after) by DistanceKm is kept
    // whatever the float rounding (ChordLowerBoundKm's slack, with a margin).
    const double max_chord2 =
        ChordSquaredOfKm((query.radius_km + kBoundSlackKm) * (1 + 2 * kBoundSlackRelative));
    double min_chord2 = -1;
    if (query.after && query.after->rank - kBoundSlackKm > 0) {
      min_chord2 =
          ChordSquaredOfKm((query.after->rank - kBoundSlackKm) * (1 - 2 * kBoundSlackRelative));
    }
    for (size_t i = 0; i < postings.size(); ++i) {
      const Posting& p = postings[i];
      if (p.level < min_level) continue;
      const double dx = double{p.x} - center[0];
      const double dy = double{p.y} - center[1];
      const double dz = double{p.z} - center[2];
      const double chord2 = dx * dx + dy * dy + dz * dz;
      if (!(chord2 <= max_chord2) || chord2 < min_chord2) continue;
      // A non-negative float's bits order like the float; rounding to float keeps the order.
      keys.push_back(uint64_t{absl::bit_cast<uint32_t>(static_cast<float>(chord2))} << 32 | i);
    }
  }

  // 2. The cards in key order, in batches (nth_element, then sort), through every rule, keeping
  // the best `limit` in a heap (its top is the last of them) until no key left can beat its top.
  const auto bound_beats_last = [&](uint64_t key, const Ranked& last) {
    const Posting& p = postings[key & 0xFFFFFFFFu];
    if (query.abroad) {
      const double rank = -static_cast<double>(kFitCeiling - static_cast<int>(key >> 32));
      return rank < last.rank || (rank == last.rank && p.card->id < last.card->id);
    }
    const double lower = ChordLowerBoundKm(absl::bit_cast<float>(static_cast<uint32_t>(key >> 32)));
    return lower <= last.rank;
  };
  std::vector<Ranked> best;  // a max-heap by RankedBefore
  best.reserve(limit + 1);
  size_t done = 0;
  size_t batch = std::max<size_t>(kFirstBatch, 4 * limit);
  while (done < keys.size()) {
    const size_t end = std::min(keys.size(), done + batch);
    const auto first = keys.begin() + static_cast<std::ptrdiff_t>(done);
    const auto last = keys.begin() + static_cast<std::ptrdiff_t>(end);
    if (end < keys.size()) std::nth_element(first, last, keys.end());
    std::sort(first, last);
    for (auto it = first; it != last; ++it) {
      if (best.size() == limit && !bound_beats_last(*it, best.front())) {
        done = keys.size();  // nothing left can enter
        break;
      }
      const Posting& p = postings[*it & 0xFFFFFFFFu];
      Ranked ranked;
      if (!Filter(*p.card, p.level, query, &ranked)) continue;
      if (query.after) {
        const SortKey& after = *query.after;
        if (ranked.rank < after.rank || (ranked.rank == after.rank && p.card->id <= after.id)) {
          continue;
        }
      }
      if (best.size() == limit) {
        if (!RankedBefore(ranked, best.front())) continue;
        std::pop_heap(best.begin(), best.end(), RankedBefore);
        best.pop_back();
      }
      best.push_back(ranked);
      std::push_heap(best.begin(), best.end(), RankedBefore);
    }
    if (done < end) done = end;
    batch *= 2;
  }
  std::sort_heap(best.begin(), best.end(), RankedBefore);
  std::vector<Candidate> candidates;
  candidates.reserve(best.size());
  for (const Ranked& r : best) candidates.push_back(ToCandidate(r));
  return candidates;
}

// --- Pages ---

absl::Status FillPage(const SearchQuery& query, CandidateSource candidates, BookingSource bookings,
                      relais::v1::FindRespondersResponse* out) {
  out->Clear();
  const size_t page_size = static_cast<size_t>(query.page_size);
  const size_t batch_size = page_size * kCandidatesPerMatch;
  SearchQuery next = query;  // its `after` walks down the ranking
  for (int batch_number = 0; batch_number < kMaxBatchesPerPage; ++batch_number) {
    auto batch = candidates(next, batch_size);
    if (!batch.ok()) return batch.status();
    if (batch->empty()) return absl::OkStatus();  // the end: no token
    std::vector<std::string> ids;
    ids.reserve(batch->size());
    for (const Candidate& c : *batch) ids.push_back(c.key.id);
    auto booked = bookings(ids);
    if (!booked.ok()) return booked.status();
    if (booked->size() != batch->size()) return absl::InternalError("bookings: one list per id");
    for (size_t i = 0; i < batch->size(); ++i) {
      if (static_cast<size_t>(out->matches_size()) == page_size) {
        // Full, and someone else follows: go on after the last one examined.
        out->set_next_page_token(EncodePageToken(query.digest, *next.after));
        return absl::OkStatus();
      }
      Candidate& c = (*batch)[i];
      next.after = c.key;
      const auto& theirs = (*booked)[i];
      const bool busy = std::any_of(theirs.begin(), theirs.end(), [&](const BookedRange& b) {
        return Overlaps(b, query.start, query.end);
      });
      if (!busy) *out->add_matches() = std::move(c.match);
    }
    if (batch->size() < batch_size) return absl::OkStatus();  // the last candidates were here
    if (static_cast<size_t>(out->matches_size()) == page_size) break;
  }
  // Full at the end of a batch, or the batches allowed for one page are spent: more may follow.
  out->set_next_page_token(EncodePageToken(query.digest, *next.after));
  return absl::OkStatus();
}

}  // namespace relais::inventory
