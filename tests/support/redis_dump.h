// What a test reads of everything Redis holds, as the default user: key names by pattern, and
// every byte of every key (its name and, by type, all of its content), so an erasure test can
// look for any copy of a personal datum left anywhere.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "services/runtime/redis/redis_client.h"

namespace relais::testing {

inline std::vector<std::string> RedisKeys(RedisClient& redis, const std::string& pattern) {
  std::vector<std::string> keys;
  std::string cursor = "0";
  do {
    auto reply = redis.Command({"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"});
    EXPECT_TRUE(reply.ok()) << reply.status();
    if (!reply.ok() || reply->elements().size() != 2) break;
    cursor = reply->elements()[0].str();
    for (const auto& key : reply->elements()[1].elements()) keys.push_back(key.str());
  } while (cursor != "0");
  std::sort(keys.begin(), keys.end());
  return keys;
}

// Strings, hashes, sorted sets, sets, lists and streams; any other type fails the test.
inline std::string DumpEverything(RedisClient& redis) {
  std::string dump;
  std::function<void(const Reply&)> append = [&](const Reply& reply) {
    dump += reply.str();
    dump += '\n';
    for (const auto& element : reply.elements()) append(element);
  };
  for (const std::string& key : RedisKeys(redis, "*")) {
    dump += key + '\n';
    auto type = redis.Command({"TYPE", key});
    EXPECT_TRUE(type.ok());
    if (!type.ok()) continue;
    std::vector<std::string> read;
    if (type->str() == "string") {
      read = {"GET", key};
    } else if (type->str() == "hash") {
      read = {"HGETALL", key};
    } else if (type->str() == "zset") {
      read = {"ZRANGE", key, "0", "-1", "WITHSCORES"};
    } else if (type->str() == "set") {
      read = {"SMEMBERS", key};
    } else if (type->str() == "list") {
      read = {"LRANGE", key, "0", "-1"};
    } else if (type->str() == "stream") {
      read = {"XRANGE", key, "-", "+"};
    } else {
      ADD_FAILURE() << "key " << key << " of unexpected type " << type->str();
      continue;
    }
    auto content = redis.Command(read);
    EXPECT_TRUE(content.ok());
    if (content.ok()) append(*content);
  }
  return dump;
}

}  // namespace relais::testing
