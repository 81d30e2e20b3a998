// Reads all of Redis and checks that the inventory's holds and commitments match the mobilisation
// service's requests and assignments exactly, both ways, and that each need's counts match its
// requests and assignments. Call it once the chain steps have run (MobilisationStack::Settle).
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "relais/internal/mobilisation_state.pb.h"
#include "relais/v1/holds.pb.h"
#include "relais/v1/mobilisation.pb.h"
#include "services/runtime/redis/redis_client.h"

namespace relais::testing {

namespace iv1 = ::relais::v1;

template <class M>
std::map<std::string, M> ReadAllOf(RedisClient& redis, const std::string& pattern) {
  std::map<std::string, M> out;
  std::string cursor = "0";
  do {
    auto page = redis.Command({"SCAN", cursor, "MATCH", pattern, "COUNT", "500"});
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok()) return out;
    cursor = page->elements()[0].str();
    for (const auto& key : page->elements()[1].elements()) {
      auto d = redis.Command({"HGET", key.str(), "d"});
      if (!d.ok() || d->is_nil() || d->is_error()) continue;  // not an entity (an index)
      M value;
      EXPECT_TRUE(value.ParseFromString(d->str())) << key.str();
      out[key.str()] = value;
    }
  } while (cursor != "0");
  return out;
}

inline void ExpectHoldsMatchAssignments(RedisClient& redis) {
  auto requests = ReadAllOf<iv1::MobilisationRequest>(redis, "mob:req:*");
  auto assignments = ReadAllOf<iv1::Assignment>(redis, "mob:asg:*");
  auto holds = ReadAllOf<iv1::Hold>(redis, "inv:hld:*");
  auto needs = ReadAllOf<relais::internal::NeedState>(redis, "mob:need:*");

  std::map<std::string, iv1::NeedProgress> counted;  // by "<crisis>:<need>"
  for (const auto& [key, r] : requests) {
    const std::string need_key = r.crisis_id() + ":" + r.need_id();
    iv1::NeedProgress& c = counted[need_key];
    ASSERT_FALSE(r.hold_id().empty()) << r.id() << " has no hold";
    auto h = holds.find("inv:hld:" + r.hold_id());
    ASSERT_NE(h, holds.end()) << r.id() << ": hold " << r.hold_id() << " is missing";
    const iv1::Hold& hold = h->second;
    EXPECT_EQ(hold.holder_ref(), "mob:" + r.id());
    switch (r.state()) {
      case iv1::REQUEST_STATE_REQUESTED:
      case iv1::REQUEST_STATE_PROVISIONAL:
        EXPECT_EQ(hold.state(), iv1::HOLD_STATE_HELD) << r.id() << " is pending";
        c.set_requested(c.requested() + r.quantity());
        break;
      case iv1::REQUEST_STATE_ACCEPTED: {
        auto a = assignments.find("mob:asg:" + r.assignment_id());
        ASSERT_NE(a, assignments.end()) << r.id() << " accepted without assignment";
        const iv1::Assignment& asg = a->second;
        EXPECT_EQ(asg.hold_id(), r.hold_id());
        EXPECT_EQ(asg.mobilisation_request_id(), r.id());
        switch (asg.state()) {
          case iv1::ASSIGNMENT_STATE_WITHDRAWN:
          case iv1::ASSIGNMENT_STATE_RELEASED:
          case iv1::ASSIGNMENT_STATE_RETURNED:
            EXPECT_EQ(hold.state(), iv1::HOLD_STATE_RELEASED) << asg.id();
            break;
          case iv1::ASSIGNMENT_STATE_DELIVERED:
            EXPECT_EQ(hold.state(), iv1::HOLD_STATE_CONSUMED) << asg.id();
            break;
          default:
            EXPECT_EQ(hold.state(), iv1::HOLD_STATE_COMMITTED) << asg.id();
        }
        if (asg.state() != iv1::ASSIGNMENT_STATE_WITHDRAWN &&
            asg.state() != iv1::ASSIGNMENT_STATE_RETURNED) {
          c.set_accepted(c.accepted() + asg.quantity());
        }
        if (asg.state() == iv1::ASSIGNMENT_STATE_EN_ROUTE ||
            asg.state() == iv1::ASSIGNMENT_STATE_ON_SITE ||
            asg.state() == iv1::ASSIGNMENT_STATE_SHIPPED ||
            asg.state() == iv1::ASSIGNMENT_STATE_DELIVERED) {
          c.set_deployed(c.deployed() + asg.quantity());
        }
        if (asg.state() == iv1::ASSIGNMENT_STATE_RELEASED) {
          c.set_released(c.released() + asg.quantity());
        }
        break;
      }
      default:
        EXPECT_TRUE(hold.state() == iv1::HOLD_STATE_RELEASED ||
                    hold.state() == iv1::HOLD_STATE_EXPIRED)
            << r.id() << " ended but its hold is " << iv1::HoldState_Name(hold.state());
    }
  }
  // The other way: every hold the mobilisation service placed belongs to one of its requests.
  for (const auto& [key, hold] : holds) {
    if (!absl::StartsWith(hold.holder_ref(), "mob:")) continue;
    auto r = requests.find("mob:req:" + hold.holder_ref().substr(4));
    if (r == requests.end()) {
      // A hold whose request was never written (a round interrupted before its write) must be
      // gone by now.
      EXPECT_NE(hold.state(), iv1::HOLD_STATE_HELD) << hold.id() << " held for nothing";
      EXPECT_NE(hold.state(), iv1::HOLD_STATE_COMMITTED) << hold.id() << " committed for nothing";
      continue;
    }
    EXPECT_EQ(r->second.hold_id(), hold.id());
  }
  for (const auto& [key, state] : needs) {
    const iv1::NeedProgress& p = state.progress();
    const iv1::NeedProgress& c = counted[p.crisis_id() + ":" + p.need_id()];
    EXPECT_EQ(p.requested(), c.requested()) << key;
    EXPECT_EQ(p.accepted(), c.accepted()) << key;
    EXPECT_EQ(p.deployed(), c.deployed()) << key;
    EXPECT_EQ(p.released(), c.released()) << key;
  }
}

}  // namespace relais::testing
