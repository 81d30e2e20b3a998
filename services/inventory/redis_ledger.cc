#include "services/inventory/redis_ledger.h"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/inventory/inventory_store.h"
#include "services/runtime/proto_time.h"

namespace relais::inventory {
namespace {

using relais::v1::Hold;
using relais::v1::StockLine;

std::string ResponderKey(const std::string& id) { return absl::StrCat(kKeyPrefix, ":rsp:", id); }

int64_t Millis(const google::protobuf::Timestamp& t) {
  return absl::ToUnixMillis(FromProtoTime(t));
}

// "2026-11-20T08:00:00Z" from ms since the epoch, for refusal texts.
std::string FormatMillis(const std::string& ms) {
  int64_t value = 0;
  if (!absl::SimpleAtoi(ms, &value)) {
    double d = 0;
    if (!absl::SimpleAtod(ms, &d)) return ms;
    value = static_cast<int64_t>(d);
  }
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", absl::FromUnixMillis(value), absl::UTCTimeZone());
}

// Maps an error reply of inventory_functions.lua. `requested` (by stock line id) completes the
// text of a shortage in a hold; empty for AdjustStock, whose text the Ledger contract fixes.
absl::Status LedgerError(const Reply& error, const std::map<std::string, int64_t>& requested) {
  std::string text = error.str();
  if (absl::StartsWith(text, "ERR ")) text.erase(0, 4);
  const std::vector<std::string> parts = absl::StrSplit(text, ' ');
  const std::string& code = parts[0];
  if (code == "RELAIS_IDEMPOTENCY_MISMATCH") {
    return absl::InvalidArgumentError("request_id: already used for a different request");
  }
  if (code == "RELAIS_VERSION_CONFLICT" && parts.size() == 3) {
    return absl::AbortedError(absl::StrCat("version conflict: changed since it was read (expected ",
                                           "version ", parts[1], ", found ", parts[2], ")"));
  }
  if (code == "RELAIS_NOT_FOUND" && parts.size() == 2) {
    return absl::NotFoundError(absl::StrCat("stock_line_id: no stock line ", parts[1]));
  }
  if (code == "RELAIS_GONE" && parts.size() == 3) {
    return absl::FailedPreconditionError(absl::StrCat(
        parts[1] == "responder" ? "responder " : "stock line ", parts[2], " no longer exists"));
  }
  if (code == "RELAIS_OVERLAP" && parts.size() == 5) {
    return absl::FailedPreconditionError(
        absl::StrCat("responder ", parts[1], " is already booked from ", FormatMillis(parts[2]),
                     " to ", FormatMillis(parts[3]), " (hold ", parts[4], ")"));
  }
  if (code == "RELAIS_SHORT" && parts.size() == 3) {
    if (requested.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("not enough available stock: ", parts[2], " available"));
    }
    auto it = requested.find(parts[1]);
    return absl::FailedPreconditionError(
        absl::StrCat("not enough available stock on stock line ", parts[1], ": ", parts[2],
                     " available, ", it == requested.end() ? 0 : it->second, " requested"));
  }
  if (code == "RELAIS_LEDGER_BROKEN" || code == "RELAIS_BAD_CALL") {
    return absl::InternalError(absl::StrCat("ledger: ", text));
  }
  return ErrorReplyToStatus(error);
}

absl::StatusOr<CommitResult> ParseWriteReply(const absl::StatusOr<Reply>& reply,
                                             const LedgerWrite& write,
                                             const std::map<std::string, int64_t>& requested) {
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) return LedgerError(*reply, requested);
  const auto& e = reply->elements();
  if (!reply->is_array() || e.size() != 3 || !e[0].is_integer() || !e[1].is_string() ||
      !e[2].is_string()) {
    return absl::InternalError("ledger: unexpected reply from relais_inventory functions");
  }
  CommitResult result;
  result.replayed = e[0].integer() == 1;
  result.event_cursor = e[2].str();
  if (!result.replayed) {
    result.outcome = write.outcome;
  } else if (!result.outcome.ParseFromString(e[1].str())) {
    return absl::InternalError("ledger: stored outcome is unreadable");
  }
  return result;
}

absl::StatusOr<std::optional<StockLine>> ParseStockLine(const Reply& reply,
                                                        const std::string& line_id) {
  if (reply.is_error()) return ErrorReplyToStatus(reply);
  const auto& e = reply.elements();
  if (e.size() != 8) return absl::InternalError("stock line: unexpected reply");
  if (e[0].is_nil()) return std::nullopt;
  StockLine line;
  int64_t version = 0;
  if (!absl::SimpleAtoi(e[0].str(), &version) || !line.ParseFromString(e[1].str())) {
    return absl::InternalError(absl::StrCat("stock line ", line_id, " is unreadable"));
  }
  line.set_version(version);
  int64_t counters[6] = {};
  for (int i = 0; i < 6; ++i) {
    // A counter never written reads as 0.
    if (!e[2 + i].is_nil() && !absl::SimpleAtoi(e[2 + i].str(), &counters[i])) {
      return absl::InternalError(absl::StrCat("stock line ", line_id, " has a bad counter"));
    }
  }
  relais::v1::StockLedger& ledger = *line.mutable_ledger();
  ledger.set_offered(counters[0]);
  ledger.set_adjusted(counters[1]);
  ledger.set_available(counters[2]);
  ledger.set_held(counters[3]);
  ledger.set_committed(counters[4]);
  ledger.set_consumed(counters[5]);
  return line;
}

std::vector<std::string> StockLineRead(const std::string& line_id) {
  return {"HMGET", StockLineKey(line_id), "v", "d", "o", "j", "a", "h", "c", "u"};
}

bool IsLive(relais::v1::HoldState state) {
  return state == relais::v1::HOLD_STATE_HELD || state == relais::v1::HOLD_STATE_COMMITTED;
}

}  // namespace

std::vector<std::string> RedisLedger::WriteCall(const char* function, const LedgerWrite& write,
                                                const std::vector<std::string>& keys) const {
  const CommitOptions& options = committer_.options();
  relais::v1::Event event = write.event;
  event.clear_cursor();
  std::vector<std::string> call = {"FCALL", function, absl::StrCat(2 + keys.size()),
                                   IdempotencyRedisKey(write.idem), options.event_log_key};
  call.insert(call.end(), keys.begin(), keys.end());
  call.push_back(write.idem.fingerprint);
  call.push_back(write.outcome.SerializeAsString());
  call.push_back(
      absl::StrCat(std::max<int64_t>(1, absl::ToInt64Milliseconds(options.idempotency_ttl))));
  call.push_back(absl::StrCat(options.event_log_max_len));
  call.push_back(absl::StrCat(static_cast<int>(event.type())));
  call.push_back(event.SerializeAsString());
  return call;
}

// --- Stock lines ---

absl::StatusOr<std::optional<StockLine>> RedisLedger::GetStockLine(const std::string& line_id) {
  auto reply = redis_.Command(StockLineRead(line_id));
  if (!reply.ok()) return reply.status();
  return ParseStockLine(*reply, line_id);
}

absl::StatusOr<std::vector<std::optional<StockLine>>> RedisLedger::GetStockLines(
    const std::vector<std::string>& line_ids) {
  std::vector<std::optional<StockLine>> lines;
  if (line_ids.empty()) return lines;
  std::vector<std::vector<std::string>> commands;
  commands.reserve(line_ids.size());
  for (const std::string& id : line_ids) commands.push_back(StockLineRead(id));
  auto replies = redis_.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  lines.reserve(line_ids.size());
  for (size_t i = 0; i < line_ids.size(); ++i) {
    auto line = ParseStockLine((*replies)[i], line_ids[i]);
    if (!line.ok()) return line.status();
    lines.push_back(*std::move(line));
  }
  return lines;
}

absl::StatusOr<CommitResult> RedisLedger::AdjustStock(const std::string& line_id, int64_t delta,
                                                      const LedgerWrite& write) {
  if (write.idem.request_id.empty()) return absl::InvalidArgumentError("request_id: required");
  std::vector<std::string> call = WriteCall("relais_inv_adjust", write, {StockLineKey(line_id)});
  call.push_back(line_id);
  call.push_back(absl::StrCat(delta));
  return ParseWriteReply(committer_.CallWrite(std::move(call), write.event), write, {});
}

// --- Holds ---

absl::StatusOr<std::optional<Hold>> RedisLedger::GetHold(const std::string& hold_id) {
  auto value = committer_.Read(HoldKey(hold_id));
  if (!value.ok()) return value.status();
  if (!value->has_value()) return std::nullopt;
  Hold hold;
  if (!hold.ParseFromString((*value)->value)) {
    return absl::InternalError(absl::StrCat("hold ", hold_id, " is unreadable"));
  }
  hold.set_version((*value)->version);
  return hold;
}

absl::StatusOr<CommitResult> RedisLedger::PlaceHold(const Hold& hold, int64_t team_version,
                                                    const LedgerWrite& write) {
  if (write.idem.request_id.empty()) return absl::InvalidArgumentError("request_id: required");
  if (hold.id().empty() || hold.version() != 1 || hold.state() != relais::v1::HOLD_STATE_HELD ||
      (team_version > 0 && hold.team_id().empty()) ||
      (hold.member_ids_size() > 0 && !hold.has_window())) {
    return absl::InternalError("ledger: not a new hold");
  }
  std::vector<std::string> keys = {HoldKey(hold.id()), kDueHoldsKey};
  if (team_version > 0) keys.push_back(TeamKey(hold.team_id()));
  for (const std::string& id : hold.member_ids()) keys.push_back(BookingsKey(id));
  for (const std::string& id : hold.member_ids()) keys.push_back(ResponderKey(id));
  std::map<std::string, int64_t> requested;
  for (const auto& stock : hold.stock()) {
    keys.push_back(StockLineKey(stock.stock_line_id()));
    requested[stock.stock_line_id()] += stock.quantity();
  }

  std::vector<std::string> call = WriteCall("relais_inv_place", write, keys);
  call.push_back(hold.id());
  call.push_back(hold.SerializeAsString());
  call.push_back(absl::StrCat(Millis(hold.expires_at())));
  call.push_back(absl::StrCat(hold.has_window() ? Millis(hold.window().start()) : 0));
  call.push_back(absl::StrCat(hold.has_window() ? Millis(hold.window().end()) : 0));
  call.push_back(absl::StrCat(std::max<int64_t>(0, team_version)));
  call.push_back(absl::StrCat(hold.member_ids_size()));
  call.push_back(absl::StrCat(hold.stock_size()));
  for (const std::string& id : hold.member_ids()) call.push_back(id);
  for (const auto& stock : hold.stock()) {
    call.push_back(stock.stock_line_id());
    call.push_back(absl::StrCat(stock.quantity()));
  }
  return ParseWriteReply(committer_.CallWrite(std::move(call), write.event), write, requested);
}

absl::StatusOr<CommitResult> RedisLedger::ChangeHold(const Hold& current, const Hold& next,
                                                     const LedgerWrite& write) {
  if (write.idem.request_id.empty()) return absl::InvalidArgumentError("request_id: required");
  using relais::v1::HoldState;
  const HoldState from = current.state();
  const HoldState to = next.state();
  if (next.id() != current.id() || next.version() != current.version() + 1 ||
      next.stock_size() != current.stock_size() || !IsLive(from)) {
    return absl::InternalError("ledger: not a change of this hold");
  }
  for (int i = 0; i < current.stock_size(); ++i) {
    const auto& held = current.stock(i);
    const auto& after = next.stock(i);
    if (after.stock_line_id() != held.stock_line_id() || after.quantity() != held.quantity() ||
        after.consumed() < 0 || after.consumed() > held.quantity()) {
      return absl::InternalError("ledger: a change cannot alter the stock a hold reserves");
    }
  }

  // What the change means for the expiry index, the bookings and each line's counters.
  char due_op = 'k';
  char bookings_op = 'k';
  // Per line: how its quantity moves, as deltas of available, held, committed, consumed.
  std::vector<std::array<int64_t, 4>> deltas;
  const int64_t old_end = current.has_window() ? Millis(current.window().end()) : 0;
  int64_t new_end = 0;
  deltas.assign(current.stock_size(), {0, 0, 0, 0});
  if (from == relais::v1::HOLD_STATE_HELD && to == relais::v1::HOLD_STATE_COMMITTED) {
    due_op = 'r';
    for (int i = 0; i < current.stock_size(); ++i) {
      const int64_t q = current.stock(i).quantity();
      deltas[i] = {0, -q, q, 0};
    }
  } else if (from == relais::v1::HOLD_STATE_HELD &&
             (to == relais::v1::HOLD_STATE_RELEASED || to == relais::v1::HOLD_STATE_EXPIRED)) {
    due_op = 'r';
    bookings_op = 'r';
    for (int i = 0; i < current.stock_size(); ++i) {
      const int64_t q = current.stock(i).quantity();
      deltas[i] = {q, -q, 0, 0};
    }
  } else if (from == relais::v1::HOLD_STATE_COMMITTED &&
             (to == relais::v1::HOLD_STATE_RELEASED || to == relais::v1::HOLD_STATE_CONSUMED)) {
    bookings_op = 'r';
    for (int i = 0; i < current.stock_size(); ++i) {
      const int64_t q = current.stock(i).quantity();
      const int64_t used = next.stock(i).consumed();
      deltas[i] = {q - used, 0, -q, used};
    }
  } else if (from == relais::v1::HOLD_STATE_COMMITTED && to == relais::v1::HOLD_STATE_COMMITTED &&
             current.has_window() && next.has_window() &&
             Millis(next.window().start()) == Millis(current.window().start()) &&
             Millis(next.window().end()) > old_end) {
    bookings_op = 'x';
    new_end = Millis(next.window().end());
  } else {
    return absl::InternalError("ledger: unsupported change of a hold");
  }

  std::vector<std::string> keys = {HoldKey(current.id()), kDueHoldsKey};
  for (const std::string& id : current.member_ids()) keys.push_back(BookingsKey(id));
  for (const auto& stock : current.stock()) keys.push_back(StockLineKey(stock.stock_line_id()));
  std::vector<std::string> call = WriteCall("relais_inv_change", write, keys);
  call.push_back(current.id());
  call.push_back(absl::StrCat(current.version()));
  call.push_back(next.SerializeAsString());
  call.push_back(std::string(1, due_op));
  call.push_back(std::string(1, bookings_op));
  call.push_back(absl::StrCat(current.has_window() ? Millis(current.window().start()) : 0));
  call.push_back(absl::StrCat(old_end));
  call.push_back(bookings_op == 'x' ? absl::StrCat(new_end) : "");
  call.push_back(absl::StrCat(current.member_ids_size()));
  call.push_back(absl::StrCat(current.stock_size()));
  for (const std::string& id : current.member_ids()) call.push_back(id);
  for (int i = 0; i < current.stock_size(); ++i) {
    call.push_back(current.stock(i).stock_line_id());
    for (int64_t delta : deltas[i]) call.push_back(absl::StrCat(delta));
  }
  return ParseWriteReply(committer_.CallWrite(std::move(call), write.event), write, {});
}

absl::StatusOr<std::vector<std::string>> RedisLedger::DueHolds(absl::Time now, int limit) {
  std::vector<std::string> ids;
  if (limit <= 0) return ids;
  auto reply =
      redis_.Command({"ZRANGEBYSCORE", kDueHoldsKey, "-inf", absl::StrCat(absl::ToUnixMillis(now)),
                      "LIMIT", "0", absl::StrCat(limit)});
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) return ErrorReplyToStatus(*reply);
  for (const Reply& member : reply->elements()) ids.push_back(member.str());
  return ids;
}

absl::StatusOr<std::vector<std::vector<Booking>>> RedisLedger::Bookings(
    const std::vector<std::string>& responder_ids) {
  std::vector<std::vector<Booking>> bookings;
  if (responder_ids.empty()) return bookings;
  std::vector<std::vector<std::string>> commands;
  commands.reserve(responder_ids.size());
  for (const std::string& id : responder_ids) {
    commands.push_back({"ZRANGE", BookingsKey(id), "0", "-1", "WITHSCORES"});
  }
  auto replies = redis_.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  bookings.resize(responder_ids.size());
  for (size_t i = 0; i < responder_ids.size(); ++i) {
    const Reply& reply = (*replies)[i];
    if (reply.is_error()) return ErrorReplyToStatus(reply);
    const auto& e = reply.elements();
    for (size_t k = 0; k + 1 < e.size(); k += 2) {
      // Member "<end ms>:<hold id>", score the start in ms.
      const std::string& member = e[k].str();
      const size_t colon = member.find(':');
      int64_t end_ms = 0;
      double start_ms = 0;
      if (colon == std::string::npos || !absl::SimpleAtoi(member.substr(0, colon), &end_ms) ||
          !absl::SimpleAtod(e[k + 1].str(), &start_ms)) {
        return absl::InternalError(
            absl::StrCat("bookings of responder ", responder_ids[i], " are unreadable"));
      }
      bookings[i].push_back({member.substr(colon + 1),
                             absl::FromUnixMillis(static_cast<int64_t>(start_ms)),
                             absl::FromUnixMillis(end_ms)});
    }
  }
  return bookings;
}

}  // namespace relais::inventory
