// The inventory ledger's invariants, checked over ALL of Redis (services/inventory/ledger.h):
// - no two bookings of a responder overlap;
// - every booking belongs to a HELD or COMMITTED hold of that responder, with its window, and
//   every such hold has all of its bookings;
// - exactly the HELD holds are in the expiry index, at their expires_at;
// - for every stock line o + j = a + h + c + u, none negative, and h, c and u are the sums of
//   the held, committed and consumed quantities of the holds on that line.
// Header-only (the test support library does not link the inventory); for tests that run it
// after a race, when nothing else writes.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "relais/v1/holds.pb.h"
#include "services/runtime/proto_time.h"
#include "services/runtime/redis/redis_client.h"

namespace relais::testing {

struct LedgerReport {
  // Empty when every invariant holds; otherwise one line per violation.
  std::vector<std::string> violations;
  std::map<relais::v1::HoldState, int> holds_by_state;
  int bookings = 0;
  int stock_lines = 0;

  bool ok() const { return violations.empty(); }
  std::string Describe() const {
    std::string text;
    for (const std::string& v : violations) absl::StrAppend(&text, v, "\n");
    return text;
  }
};

namespace ledger_invariants_internal {

inline std::vector<std::string> Scan(RedisClient& redis, const std::string& pattern,
                                     std::vector<std::string>* errors) {
  std::vector<std::string> keys;
  std::string cursor = "0";
  do {
    auto reply = redis.Command({"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"});
    if (!reply.ok() || reply->elements().size() != 2) {
      errors->push_back(absl::StrCat("SCAN ", pattern, " failed"));
      break;
    }
    cursor = reply->elements()[0].str();
    for (const Reply& key : reply->elements()[1].elements()) keys.push_back(key.str());
  } while (cursor != "0");
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

inline int64_t Millis(const google::protobuf::Timestamp& t) {
  return absl::ToUnixMillis(FromProtoTime(t));
}

inline bool IsLive(relais::v1::HoldState state) {
  return state == relais::v1::HOLD_STATE_HELD || state == relais::v1::HOLD_STATE_COMMITTED;
}

}  // namespace ledger_invariants_internal

inline LedgerReport CheckLedgerInvariants(RedisClient& redis) {
  namespace internal = ledger_invariants_internal;
  LedgerReport report;
  std::vector<std::string>& bad = report.violations;

  // Holds, and what they imply for bookings, the expiry index and the stock counters.
  // booking (responder, start, member) -> present
  std::set<std::tuple<std::string, int64_t, std::string>> expected_bookings;
  std::map<std::string, int64_t> expected_due;                   // hold id -> expires ms
  std::map<std::string, std::array<int64_t, 3>> expected_stock;  // line -> {h, c, u}
  for (const std::string& key : internal::Scan(redis, "inv:hld:*", &bad)) {
    if (key == "inv:hld:due") continue;
    auto reply = redis.Command({"HMGET", key, "v", "d"});
    relais::v1::Hold hold;
    int64_t version = 0;
    if (!reply.ok() || reply->elements().size() != 2 ||
        !absl::SimpleAtoi(reply->elements()[0].str(), &version) ||
        !hold.ParseFromString(reply->elements()[1].str())) {
      bad.push_back(absl::StrCat(key, ": unreadable hold"));
      continue;
    }
    ++report.holds_by_state[hold.state()];
    if (key != "inv:hld:" + hold.id()) bad.push_back(absl::StrCat(key, ": holds ", hold.id()));
    if (version != hold.version()) {
      bad.push_back(absl::StrCat(key, ": v ", version, " but hold version ", hold.version()));
    }
    if (internal::IsLive(hold.state())) {
      for (const std::string& member : hold.member_ids()) {
        expected_bookings.insert(
            {member, internal::Millis(hold.window().start()),
             absl::StrCat(internal::Millis(hold.window().end()), ":", hold.id())});
      }
    }
    if (hold.state() == relais::v1::HOLD_STATE_HELD) {
      expected_due[hold.id()] = internal::Millis(hold.expires_at());
    }
    for (const auto& stock : hold.stock()) {
      auto& sums = expected_stock[stock.stock_line_id()];
      if (stock.consumed() < 0 || stock.consumed() > stock.quantity() || stock.quantity() < 1) {
        bad.push_back(absl::StrCat(key, ": bad quantities on line ", stock.stock_line_id()));
      }
      if (hold.state() == relais::v1::HOLD_STATE_HELD) sums[0] += stock.quantity();
      if (hold.state() == relais::v1::HOLD_STATE_COMMITTED) sums[1] += stock.quantity();
      sums[2] += stock.consumed();
    }
  }

  // Bookings: none overlapping, each expected, all expected present.
  std::set<std::tuple<std::string, int64_t, std::string>> found_bookings;
  for (const std::string& key : internal::Scan(redis, "inv:bk:*", &bad)) {
    const std::string responder = key.substr(std::string("inv:bk:").size());
    auto reply = redis.Command({"ZRANGE", key, "0", "-1", "WITHSCORES"});
    if (!reply.ok()) {
      bad.push_back(absl::StrCat(key, ": unreadable"));
      continue;
    }
    if (reply->elements().empty()) bad.push_back(absl::StrCat(key, ": empty set left behind"));
    std::vector<std::pair<int64_t, int64_t>> windows;  // sorted by start (the score)
    const auto& e = reply->elements();
    for (size_t i = 0; i + 1 < e.size(); i += 2) {
      const std::string& member = e[i].str();
      int64_t end = 0;
      double start = 0;
      const size_t colon = member.find(':');
      if (colon == std::string::npos || !absl::SimpleAtoi(member.substr(0, colon), &end) ||
          !absl::SimpleAtod(e[i + 1].str(), &start)) {
        bad.push_back(absl::StrCat(key, ": bad booking ", member));
        continue;
      }
      ++report.bookings;
      const auto start_ms = static_cast<int64_t>(start);
      if (end <= start_ms) bad.push_back(absl::StrCat(key, ": empty booking ", member));
      found_bookings.insert({responder, start_ms, member});
      windows.push_back({start_ms, end});
    }
    for (size_t i = 1; i < windows.size(); ++i) {
      if (windows[i].first < windows[i - 1].second) {
        bad.push_back(absl::StrCat(key, ": bookings overlap: [", windows[i - 1].first, ",",
                                   windows[i - 1].second, ") and [", windows[i].first, ",",
                                   windows[i].second, ")"));
      }
    }
  }
  for (const auto& booking : found_bookings) {
    if (!expected_bookings.count(booking)) {
      bad.push_back(absl::StrCat("booking of ", std::get<0>(booking), " at ", std::get<1>(booking),
                                 " (", std::get<2>(booking), ") has no live hold"));
    }
  }
  for (const auto& booking : expected_bookings) {
    if (!found_bookings.count(booking)) {
      bad.push_back(absl::StrCat("live hold booking of ", std::get<0>(booking), " at ",
                                 std::get<1>(booking), " (", std::get<2>(booking), ") is missing"));
    }
  }

  // The expiry index: exactly the HELD holds, at their expiry.
  auto due = redis.Command({"ZRANGE", "inv:hld:due", "0", "-1", "WITHSCORES"});
  std::map<std::string, int64_t> found_due;
  if (!due.ok()) {
    bad.push_back("inv:hld:due: unreadable");
  } else {
    const auto& e = due->elements();
    for (size_t i = 0; i + 1 < e.size(); i += 2) {
      double score = 0;
      absl::SimpleAtod(e[i + 1].str(), &score);
      found_due[e[i].str()] = static_cast<int64_t>(score);
    }
  }
  if (found_due != expected_due) {
    bad.push_back(absl::StrCat("inv:hld:due has ", found_due.size(), " entries, expected ",
                               expected_due.size(), " (or different expiries)"));
  }

  // Stock lines: the ledger equation and the sums over holds.
  std::set<std::string> lines_seen;
  for (const std::string& key : internal::Scan(redis, "inv:stk:*", &bad)) {
    const std::string line = key.substr(std::string("inv:stk:").size());
    lines_seen.insert(line);
    ++report.stock_lines;
    auto reply = redis.Command({"HMGET", key, "o", "j", "a", "h", "c", "u"});
    int64_t n[6] = {};
    if (!reply.ok() || reply->elements().size() != 6) {
      bad.push_back(absl::StrCat(key, ": unreadable"));
      continue;
    }
    for (int i = 0; i < 6; ++i) {
      const Reply& r = reply->elements()[i];
      if (!r.is_nil() && !absl::SimpleAtoi(r.str(), &n[i])) {
        bad.push_back(absl::StrCat(key, ": bad counter ", i));
      }
      if (n[i] < 0 && i != 1) bad.push_back(absl::StrCat(key, ": negative counter ", i));
    }
    const auto [o, j, a, h, c, u] = std::tuple(n[0], n[1], n[2], n[3], n[4], n[5]);
    if (o + j != a + h + c + u) {
      bad.push_back(absl::StrCat(key, ": o + j = ", o + j, " but a + h + c + u = ", a + h + c + u));
    }
    const auto sums =
        expected_stock.count(line) ? expected_stock[line] : std::array<int64_t, 3>{0, 0, 0};
    if (h != sums[0] || c != sums[1] || u != sums[2]) {
      bad.push_back(absl::StrCat(key, ": h/c/u = ", h, "/", c, "/", u, " but the holds say ",
                                 sums[0], "/", sums[1], "/", sums[2]));
    }
  }
  for (const auto& [line, sums] : expected_stock) {
    if (!lines_seen.count(line)) bad.push_back(absl::StrCat("holds name missing line ", line));
  }
  return report;
}

}  // namespace relais::testing
