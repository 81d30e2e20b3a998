// Who can go: the pure rules of FindResponders (no Redis, no gRPC, no clock).
//
// A responder is searched as a compact "card" (CardFromResponder): what the filters and the
// ranking need, without personal data beyond the home base and the passport's end of validity,
// which stay in the service's memory only. ResponderIndex keeps the cards; Finder adds the
// bookings, which are always read from Redis.
//
// Both modes keep a responder when all of these hold:
// - they have the skill, at min_level or above (any level when min_level is 0);
// - they speak every language asked for, and hold every certification asked for, valid through
//   the window's end (a certification without valid_until does not lapse);
// - they are not in exclude_responder_ids;
// - their calendar covers the whole window (CoversWindow);
// - local: their home base is within radius_km of the center (great-circle distance);
// - abroad: their passport is valid through the window's end, max_deployment_days covers the
//   window's length, and every entry certification is valid through the window's end;
// - (Finder) none of their live bookings overlaps the window.
//
// Ranking, ties always broken by responder id:
// - local: nearest first;
// - abroad: highest FitScore first.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "relais/v1/inventory.pb.h"
#include "services/inventory/inventory_domain.h"
#include "services/runtime/catalogue.h"

namespace relais::inventory {

// Where abroad deployments leave from: Lyon (Place Bellecour).
inline constexpr double kLyonLat = 45.7640;
inline constexpr double kLyonLon = 4.8357;

// Limits of a FindResponders request.
inline constexpr int kMaxSearchLanguages = 10;
inline constexpr int kMaxSearchCertifications = 10;
inline constexpr int kMaxExcluded = 1000;
inline constexpr double kMaxRadiusKm = 500;
inline constexpr int kMaxWindowDays = 400;
// Page tokens: kMaxPageTokenChars (inventory_domain.h).

// --- Cards ---

// A catalogue code (skill or certification) as a small number: cards hold tens of codes each,
// and 100,000 cards hold the same hundred codes. Numbers are given out once per process
// (InternCode) and never reused; kNoCode is never given out.
using CodeId = uint16_t;
inline constexpr CodeId kNoCode = 0xFFFF;
CodeId InternCode(std::string_view code);
// The number of a code some card holds; kNoCode when none ever did (then nobody matches).
CodeId FindCode(std::string_view code);

// Times in cards are Unix nanoseconds: exact for every timestamp the API accepts (2000-2100).
inline constexpr int64_t kNever = INT64_MAX;

// One period of a calendar, [from, until).
struct CardPeriod {
  int64_t from = 0;
  int64_t until = 0;
  relais::v1::AvailabilityKind kind = relais::v1::AVAILABILITY_KIND_UNSPECIFIED;
};

struct CardSkill {
  CodeId code = kNoCode;
  uint8_t level = 0;
};

struct CardCertification {
  CodeId code = kNoCode;
  // kNever when it does not lapse.
  int64_t valid_until = kNever;
};

// Mission counts per CrisisKind value (CRISIS_KIND_OTHER is the largest).
inline constexpr int kCrisisKinds = relais::v1::CrisisKind_MAX + 1;

// What the search knows of one responder.
struct ResponderCard {
  std::string id;
  std::string organisation_id;
  double home_lat = 0;
  double home_lon = 0;
  // Unix ns; 0 when they have no passport.
  int64_t passport_valid_until = 0;
  int32_t max_deployment_days = 0;
  // Past missions per crisis kind (at most 50 missions are kept, so a byte is enough).
  std::array<uint8_t, kCrisisKinds> missions{};
  std::vector<CardSkill> skills;
  // ISO 639-1 codes packed in two bytes ("fr" -> 'f' << 8 | 'r').
  std::vector<uint16_t> languages;
  std::vector<CardCertification> certifications;
  std::vector<CardPeriod> periods;
};

ResponderCard CardFromResponder(const relais::v1::Responder& responder,
                                const relais::v1::AvailabilityCalendar& calendar);

// The level of `skill` on the card; 0 when the card lacks it.
int LevelOf(const ResponderCard& card, CodeId skill);

// "fr" -> 0x6672; 0 for anything that is not two lower-case ASCII letters.
uint16_t PackLanguage(std::string_view code);

// --- Rules ---

// Great-circle (haversine) distance in kilometres, on a sphere of the mean Earth radius.
double DistanceKm(double lat1, double lon1, double lat2, double lon2);

// Whether the calendar covers [start, end): no UNAVAILABLE period overlaps it and the union of
// AVAILABLE and ON_CALL periods covers it (adjacent periods join). AVAILABLE when the AVAILABLE
// periods alone cover it, ON_CALL when some ON_CALL period is needed, nullopt when not covered.
std::optional<relais::v1::AvailabilityKind> CoversWindow(absl::Span<const CardPeriod> periods,
                                                         int64_t start, int64_t end);

// The abroad ranking: level first, then past missions of the asked kind (up to 5 count), then
// AVAILABLE before ON_CALL, as one number so that it can be shown and paged on:
//   fit = 100 * level + 10 * min(missions_of_kind, 5) + (AVAILABLE ? 1 : 0).
// Each term outweighs everything after it (10 * 5 + 1 < 100, 1 < 10).
int FitScore(int level, int missions_of_kind, relais::v1::AvailabilityKind availability);

// --- Queries ---

// A position in the ranked list: ascending rank (distance for local, -fit for abroad), then id.
struct SortKey {
  double rank = 0;
  std::string id;
  friend bool operator<(const SortKey& a, const SortKey& b) {
    if (a.rank != b.rank) return a.rank < b.rank;
    return a.id < b.id;
  }
  friend bool operator==(const SortKey& a, const SortKey& b) {
    return a.rank == b.rank && a.id == b.id;
  }
};

// A validated request, ready to run against cards.
struct SearchQuery {
  CodeId skill = kNoCode;
  int min_level = 0;
  int64_t start = 0;
  int64_t end = 0;
  std::vector<uint16_t> languages;
  std::vector<CodeId> certifications;
  absl::flat_hash_set<std::string> excluded;
  relais::v1::CrisisKind mission_kind = relais::v1::CRISIS_KIND_UNSPECIFIED;
  bool abroad = false;
  // Local.
  double center_lat = 0;
  double center_lon = 0;
  double radius_km = 0;
  // Abroad.
  std::vector<CodeId> entry_certifications;
  // Paging: results come strictly after `after` (from the page token), `page_size` of them.
  std::optional<SortKey> after;
  int page_size = 0;
  // Names the query in its page tokens (QueryDigest).
  std::string digest;
};

// Every field checked (INVALID_ARGUMENT naming it), then the query with its page token decoded.
absl::StatusOr<SearchQuery> PrepareQuery(const relais::v1::FindRespondersRequest& request,
                                         const Catalogue& catalogue, absl::Time now);

// 16 hex digits naming everything in the request but page_size and page_token: a token is
// accepted only by the query that issued it.
std::string QueryDigest(const relais::v1::FindRespondersRequest& request);
std::string EncodePageToken(std::string_view digest, const SortKey& last);
// INVALID_ARGUMENT "page_token: ..." for a token we did not issue or one of another query.
absl::StatusOr<SortKey> DecodePageToken(std::string_view token, std::string_view digest);

// One responder who passed the filters, before bookings are looked at.
struct Candidate {
  SortKey key;
  relais::v1::ResponderMatch match;
};

// The first `limit` candidates after query.after, in rank order. `cards` are those that may have
// the skill (a posting list); the others are skipped anyway. Builds their postings (below) and
// runs SearchPostings: for tests and small lists.
std::vector<Candidate> Search(absl::Span<const ResponderCard* const> cards,
                              const SearchQuery& query, size_t limit);

// --- Posting lists ---

// One card in the posting list of one skill: what the first filters and the bounds of the ranking
// need, inline, so that a query reads its list front to back and dereferences only the cards it
// may return. 40 bytes.
struct Posting {
  const ResponderCard* card = nullptr;
  // As on the card.
  int64_t passport_valid_until = 0;
  // The home base on the unit sphere (UnitVector), rounded to float: the squared chord to the
  // center orders the cards by distance; bounds allow for the rounding (ChordLowerBoundKm).
  float x = 0;
  float y = 0;
  float z = 0;
  // min(missions of kind k, 5) in bits [3k, 3k + 3): what the fit counts.
  uint32_t missions = 0;
  // max_deployment_days clamped to [0, 65535] (a window is at most kMaxWindowDays).
  uint16_t max_days = 0;
  // The level of the list's skill (>= 1).
  uint8_t level = 0;
};

// The posting of `card` in the list of `skill`; level 0 when the card lacks the skill (it then
// belongs to no list).
Posting PostingOf(const ResponderCard& card, CodeId skill);
// Posting lists are sorted by card id, strictly (a card at most once).
bool PostingBefore(const Posting& a, const Posting& b);
// min(missions of `kind`, 5) as packed in Posting::missions; 0 for a kind out of range.
int PostedMissions(const Posting& posting, relais::v1::CrisisKind kind);

// (lat, lon) in degrees as a point of the unit sphere.
std::array<double, 3> UnitVector(double lat, double lon);
// A lower bound of DistanceKm between two points whose squared chord on the unit sphere, computed
// from a Posting's float coordinates and a center's exact ones, is `chord2`: allows for the float
// rounding of both, with room to spare (a few metres). Non-decreasing in chord2.
double ChordLowerBoundKm(double chord2);
// The squared chord of a great-circle distance of `km` (clamped to [0, half the circumference]);
// increasing in km.
double ChordSquaredOfKm(double km);

// Search over a posting list sorted by PostingBefore: the same candidates, in the same order, as
// Search over its cards. Reads every posting once (level, radius, passport and deployment length
// inline), then evaluates the full filters on cards in the order of a bound of their rank (the
// chord for local, the best fit they can reach abroad) and stops when no posting left can enter
// the first `limit`.
std::vector<Candidate> SearchPostings(absl::Span<const Posting> postings, const SearchQuery& query,
                                      size_t limit);

// --- Pages ---

// A booking's window, in Unix ns.
struct BookedRange {
  int64_t start = 0;
  int64_t end = 0;
};

// Candidates after query.after, at most `limit` (the index's Search).
using CandidateSource =
    absl::FunctionRef<absl::StatusOr<std::vector<Candidate>>(const SearchQuery&, size_t limit)>;
// The live bookings of each responder, in the order asked, in one round trip (the ledger).
using BookingSource = absl::FunctionRef<absl::StatusOr<std::vector<std::vector<BookedRange>>>(
    const std::vector<std::string>& responder_ids)>;

// How many candidates are looked at per bookings round trip, per page size; and how many round
// trips one page may take before it is handed out short, with a token to go on (bounds the work
// of one call when most candidates are booked).
inline constexpr int kCandidatesPerMatch = 2;
inline constexpr int kMaxBatchesPerPage = 8;

// One page: candidates in rank order, those with a booking overlapping the window dropped, until
// the page is full or the candidates run out. next_page_token names the last candidate examined;
// it is empty only when no candidate follows.
absl::Status FillPage(const SearchQuery& query, CandidateSource candidates, BookingSource bookings,
                      relais::v1::FindRespondersResponse* out);

}  // namespace relais::inventory
