// Server-assigned ids ("crs_01KZ...", "need_01KZ..."). Services take an IdGenerator so that tests
// get predictable ids.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/random/random.h"
#include "absl/synchronization/mutex.h"
#include "services/runtime/clock.h"

namespace relais {

class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // A new id "<prefix>_<unique part>". The prefix is a short lower-case word ("crs", "need").
  // Thread-safe.
  virtual std::string NewId(std::string_view prefix) = 0;
};

// "<prefix>_" + 26 characters of Crockford base32: 48 bits of Unix time in milliseconds then 80
// random bits (the ULID layout), so ids sort by creation time. Within one generator, ids made in
// the same millisecond (or after the clock stepped back) still sort in creation order: the random
// part of the previous id is incremented instead of drawn again.
class RandomIdGenerator final : public IdGenerator {
 public:
  explicit RandomIdGenerator(const Clock& clock) : clock_(clock) {}
  std::string NewId(std::string_view prefix) override;

 private:
  const Clock& clock_;
  absl::Mutex mu_;
  absl::BitGen bitgen_ ABSL_GUARDED_BY(mu_);
  uint64_t last_ms_ ABSL_GUARDED_BY(mu_) = 0;
  // The 80 random bits of the last id: 16 high bits and 64 low bits.
  uint16_t last_random_high_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t last_random_low_ ABSL_GUARDED_BY(mu_) = 0;
};

// For tests: "<prefix>_000001", "<prefix>_000002"... counted per prefix.
class SequentialIdGenerator final : public IdGenerator {
 public:
  std::string NewId(std::string_view prefix) override;

 private:
  absl::Mutex mu_;
  std::map<std::string, int64_t, std::less<>> next_ ABSL_GUARDED_BY(mu_);
};

// The 26-character Crockford base32 text of a 48-bit millisecond time and 80 random bits.
std::string EncodeUlid(uint64_t unix_ms, uint16_t random_high, uint64_t random_low);

}  // namespace relais
