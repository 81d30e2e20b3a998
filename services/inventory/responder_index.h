// The in-process index FindResponders searches: one compact card per responder
// (responder_search.h), built from Redis and kept current from the event log.
//
// Why not Redis GEO per skill: GEOSEARCH costs O(members in the radius) inside Redis' single
// thread, and every other filter needs per-responder data, which breaks "no Redis command over
// 1 ms" at 100,000 responders. Here every Redis command stays small (SCAN COUNT 250, pipelines of
// HGETs, XRANGE COUNT 200) and the filtering runs on the service's own threads.
//
// Freshness: CatchUp() reads the log after the index's cursor and reloads the cards of the
// responders the inventory events name (registered, updated, removed, experience, availability).
// Finder calls it before every search, so a change acknowledged before the call is seen by it.
// If the log was trimmed past the cursor, changes may have been missed: everything is reloaded.
//
// Bookings are not in the index: they change with every hold and are read from Redis for the
// candidates of each page.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "services/inventory/responder_search.h"
#include "services/runtime/redis/event_log.h"
#include "services/runtime/redis/redis_client.h"

namespace relais::inventory {

class ResponderIndex {
 public:
  // How many responders one pipeline reads (two small HGETs each).
  static constexpr int kReadBatch = 500;
  // SCAN's COUNT: the cost of one SCAN grows with it whatever matches (measured with 200,000
  // keys on a busy 2-core machine: median 0.16 ms at 250, 0.64 ms at 1000), so 250 keeps every
  // SCAN well inside the 1 ms budget.
  static constexpr int kScanCount = 250;
  // How many events one XRANGE of the catch-up reads: 1000 took 1.0-1.2 ms on the benchmark's
  // busy 2-core machine, 200 keeps each XRANGE well under the 1 ms budget.
  static constexpr int kEventBatch = 200;
  // A catch-up that changes more cards than this rebuilds the skill lists instead of editing
  // them one card at a time (with kEventBatch below it, only a call of ApplyLocked with more).
  static constexpr size_t kRebuildThreshold = 256;

  // `redis` must outlive the index. `event_log_key` is the Committer's (CommitOptions).
  explicit ResponderIndex(RedisClient& redis, std::string event_log_key = "relais:events");

  ResponderIndex(const ResponderIndex&) = delete;
  ResponderIndex& operator=(const ResponderIndex&) = delete;

  // Builds every card from Redis (SCAN of inv:rsp:*, pipelined reads), replacing the index when
  // done; searches meanwhile use the previous one. The log position is taken first, so that a
  // change made during the build is applied again by the next CatchUp. UNAVAILABLE when Redis
  // cannot be reached (the index is left as it was).
  absl::Status Load();
  // Applies the changes logged since the last Load or CatchUp; loads everything when never
  // loaded or when the log no longer holds the cursor. Concurrent callers share the work: a call
  // returns once a catch-up that started after the call began has finished.
  absl::Status CatchUp();

  // The first `limit` candidates of the query after query.after (responder_search.h Search), over
  // the responders with the skill only. Thread-safe, under a reader lock.
  std::vector<Candidate> Search(const SearchQuery& query, size_t limit) const;

  // For tests and metrics.
  size_t size() const;
  // How many full loads have run (the first one, and one per trimmed cursor).
  int64_t full_loads() const { return full_loads_.load(); }
  // The last log entry applied ("0-0" before any event).
  std::string cursor() const;

 private:
  struct CardHash {
    using is_transparent = void;
    size_t operator()(std::string_view id) const;
    size_t operator()(const std::unique_ptr<ResponderCard>& card) const {
      return (*this)(std::string_view(card->id));
    }
  };
  struct CardEq {
    using is_transparent = void;
    static std::string_view Id(std::string_view id) { return id; }
    static std::string_view Id(const std::unique_ptr<ResponderCard>& card) { return card->id; }
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return Id(a) == Id(b);
    }
  };
  // Cards by responder id (the id lives in the card only once).
  using CardSet = absl::flat_hash_set<std::unique_ptr<ResponderCard>, CardHash, CardEq>;
  // Posting lists: the cards holding each skill with what the first filters need inline
  // (responder_search.h Posting), sorted by responder id (PostingBefore). A changed card is
  // found by binary search and its posting rewritten in place; a card gaining or losing a skill
  // is inserted or erased where it belongs (one move of the list's tail).
  using SkillLists = absl::flat_hash_map<CodeId, std::vector<Posting>>;

  // A responder as read from Redis: absent when the record is gone (erased).
  struct Loaded {
    std::string id;
    std::unique_ptr<ResponderCard> card;
  };

  absl::Status LoadLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(refresh_mu_);
  absl::Status CatchUpLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(refresh_mu_);
  // The id of the newest log entry, "0-0" when the log is empty.
  absl::StatusOr<std::string> LogPosition();
  // Reads the cards of `ids` in pipelines of kReadBatch.
  absl::StatusOr<std::vector<Loaded>> ReadCards(const std::vector<std::string>& ids);
  static SkillLists BuildSkillLists(const CardSet& cards);
  void ApplyLocked(std::vector<Loaded> changes) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  RedisClient& redis_;
  EventLog log_;

  // Held for a whole Load or CatchUp (Redis I/O included): one refresh at a time.
  mutable absl::Mutex refresh_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  // Tickets: every CatchUp call takes one on entry; a refresh covers the tickets taken before it
  // started reading the log.
  std::atomic<uint64_t> tickets_{0};
  uint64_t covered_ ABSL_GUARDED_BY(refresh_mu_) = 0;
  bool loaded_ ABSL_GUARDED_BY(refresh_mu_) = false;
  // The last log entry applied.
  std::string cursor_ ABSL_GUARDED_BY(refresh_mu_) = "0-0";
  std::atomic<int64_t> full_loads_{0};

  // Guards the cards; searches take it shared, applying changes exclusive.
  mutable absl::Mutex mu_;
  CardSet cards_ ABSL_GUARDED_BY(mu_);
  SkillLists by_skill_ ABSL_GUARDED_BY(mu_);
};

}  // namespace relais::inventory
