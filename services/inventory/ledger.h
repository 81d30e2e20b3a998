// The ledger of who and what is promised: holds and commitments of responders, teams and stock,
// and the counters of every stock line. Every change goes through one call of the
// `relais_inventory` Redis Function library (inventory_functions.lua), which checks and writes in
// one atomic step with its event and idempotency record: nobody and nothing is promised twice.
//
// Keys (under the inventory's prefix "inv:"):
//   inv:stk:<line id>     hash {v, d: StockLine without its ledger, and the ledger counters
//                         o offered, j adjusted, a available, h held, c committed, u consumed}.
//                         Created by OfferSupplies through the generic commit (extra_fields);
//                         its counters change only through this ledger.
//   inv:hld:<hold id>     hash {v, d: serialized relais.v1.Hold}
//   inv:bk:<responder id> sorted set of the responder's live bookings (HELD or COMMITTED holds):
//                         member "<end ms>:<hold id>", score the window's start in ms since the
//                         epoch. Absent when the responder has none (RemoveResponder requires
//                         that).
//   inv:hld:due           sorted set of HELD holds by expires_at (ms): what the sweeper frees.
//                         (A SCAN of inv:hld:* meets it: it is the one that is not a hold.)
//   inv:team:<team id>    hash {v, d: serialized relais.v1.Team} (teams are written by the
//                         registry; a team hold checks the version it read).
//
// Invariants, kept by every Function: a responder's bookings never overlap; for every stock line
// o + j = a + h + c + u and none is negative.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "relais/internal/outcome.pb.h"
#include "relais/v1/events.pb.h"
#include "relais/v1/holds.pb.h"
#include "relais/v1/stock.pb.h"
#include "services/runtime/redis/committer.h"

namespace relais::inventory {

// The keys above ("inv" is kKeyPrefix in inventory_store.h), for readers and writers alike.
inline std::string StockLineKey(const std::string& line_id) { return "inv:stk:" + line_id; }
inline std::string HoldKey(const std::string& hold_id) { return "inv:hld:" + hold_id; }
inline std::string BookingsKey(const std::string& responder_id) { return "inv:bk:" + responder_id; }
inline constexpr char kDueHoldsKey[] = "inv:hld:due";
inline std::string TeamKey(const std::string& team_id) { return "inv:team:" + team_id; }

// What every ledger write carries besides its own arguments.
struct LedgerWrite {
  IdempotencyKey idem;
  // Appended to the event log when the write happens.
  relais::v1::Event event;
  // What this call and every retry of it return.
  relais::internal::StoredOutcome outcome;
};

// One live booking of a responder: a HELD or COMMITTED hold's window.
struct Booking {
  std::string hold_id;
  absl::Time start;
  absl::Time end;
};

class Ledger {
 public:
  virtual ~Ledger() = default;

  // --- Stock lines ---

  // A stock line with its ledger; absent when no line has that id.
  virtual absl::StatusOr<std::optional<relais::v1::StockLine>> GetStockLine(
      const std::string& line_id) = 0;
  // Several in one round trip, in the order of `line_ids`.
  virtual absl::StatusOr<std::vector<std::optional<relais::v1::StockLine>>> GetStockLines(
      const std::vector<std::string>& line_ids) = 0;
  // Adds `delta` to the line's available and adjusted counters. FAILED_PRECONDITION
  // "not enough available stock: <available> available" when available + delta < 0; NOT_FOUND
  // when the line does not exist. A replay returns the first outcome.
  virtual absl::StatusOr<CommitResult> AdjustStock(const std::string& line_id, int64_t delta,
                                                   const LedgerWrite& write) = 0;

  // --- Holds ---

  virtual absl::StatusOr<std::optional<relais::v1::Hold>> GetHold(const std::string& hold_id) = 0;
  // Places a new hold (state HELD, version 1): books every member for the window, moves each
  // stock quantity from available to held, indexes the expiry, all or nothing. `team_version`
  // (team holds) must still be the team's version (ABORTED otherwise). FAILED_PRECONDITION with
  // the reason when a member no longer exists, a booking would overlap ("responder <id> is
  // already booked from ... to ... (hold <id>)"), or a line lacks available units.
  virtual absl::StatusOr<CommitResult> PlaceHold(const relais::v1::Hold& hold, int64_t team_version,
                                                 const LedgerWrite& write) = 0;
  // Moves `current` (as read, at its version) to `next`, with the bookings and counters the
  // change implies: HELD -> COMMITTED (held -> committed), HELD -> RELEASED | EXPIRED (bookings
  // removed, held -> available), COMMITTED -> RELEASED (bookings removed, committed ->
  // consumed for the used part, the rest -> available), COMMITTED -> CONSUMED (same, stock),
  // COMMITTED -> COMMITTED with a later window end (bookings extended; FAILED_PRECONDITION on
  // overlap). ABORTED when the hold moved since it was read.
  virtual absl::StatusOr<CommitResult> ChangeHold(const relais::v1::Hold& current,
                                                  const relais::v1::Hold& next,
                                                  const LedgerWrite& write) = 0;
  // Ids of HELD holds whose expires_at <= now, at most `limit`, soonest first.
  virtual absl::StatusOr<std::vector<std::string>> DueHolds(absl::Time now, int limit) = 0;
  // The live bookings of each responder (in the order of `responder_ids`), in one round trip.
  virtual absl::StatusOr<std::vector<std::vector<Booking>>> Bookings(
      const std::vector<std::string>& responder_ids) = 0;
};

}  // namespace relais::inventory
