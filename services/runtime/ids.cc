#include "services/runtime/ids.h"

#include <algorithm>

#include "absl/strings/str_format.h"
#include "absl/time/time.h"

namespace relais {
namespace {

constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr uint64_t kMaxMs = (uint64_t{1} << 48) - 1;

}  // namespace

std::string EncodeUlid(uint64_t unix_ms, uint16_t random_high, uint64_t random_low) {
  // 130 bits of text for 128 bits of value: the first character carries two zero bits.
  std::string text(26, '0');
  uint64_t time = unix_ms & kMaxMs;
  for (int i = 9; i >= 0; --i) {
    text[i] = kCrockford[time & 31];
    time >>= 5;
  }
  // The random part, 80 bits = 16 characters, from the least significant end.
  uint64_t low = random_low;
  uint64_t high = random_high;
  for (int i = 25; i >= 10; --i) {
    text[i] = kCrockford[low & 31];
    low = (low >> 5) | ((high & 31) << 59);
    high >>= 5;
  }
  return text;
}

std::string RandomIdGenerator::NewId(std::string_view prefix) {
  const int64_t now_ms = absl::ToUnixMillis(clock_.Now());
  const uint64_t clock_ms =
      static_cast<uint64_t>(std::clamp<int64_t>(now_ms, 0, static_cast<int64_t>(kMaxMs)));
  uint64_t ms;
  uint16_t high;
  uint64_t low;
  {
    absl::MutexLock lock(&mu_);
    if (clock_ms > last_ms_) {
      ms = clock_ms;
      high = absl::Uniform<uint16_t>(bitgen_);
      low = absl::Uniform<uint64_t>(bitgen_);
    } else {
      // Same millisecond, or the clock went back: keep the order by counting up from the last id.
      ms = last_ms_;
      high = last_random_high_;
      low = last_random_low_ + 1;
      if (low == 0) ++high;
      if (low == 0 && high == 0) {
        // 2^80 ids in one millisecond: borrow the next millisecond.
        ms = std::min(last_ms_ + 1, kMaxMs);
        high = absl::Uniform<uint16_t>(bitgen_);
        low = absl::Uniform<uint64_t>(bitgen_);
      }
    }
    last_ms_ = ms;
    last_random_high_ = high;
    last_random_low_ = low;
  }
  std::string id(prefix);
  id += '_';
  id += EncodeUlid(ms, high, low);
  return id;
}

std::string SequentialIdGenerator::NewId(std::string_view prefix) {
  int64_t n;
  {
    absl::MutexLock lock(&mu_);
    auto it = next_.find(prefix);
    if (it == next_.end()) it = next_.emplace(std::string(prefix), 1).first;
    n = it->second++;
  }
  std::string id(prefix);
  id += absl::StrFormat("_%06d", n);
  return id;
}

}  // namespace relais
