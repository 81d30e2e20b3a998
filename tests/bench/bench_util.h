// Small helpers shared by the benchmarks in tests/bench: latency summaries, a closed-loop load
// runner (K threads, each waiting for its reply before the next call), /proc and INFO readers.
// Header-only: these are measurement tools, not product code.
#pragma once

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <latch>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace relais::bench {

using SteadyClock = std::chrono::steady_clock;

inline double MicrosBetween(SteadyClock::time_point a, SteadyClock::time_point b) {
  return std::chrono::duration<double, std::micro>(b - a).count();
}

struct LatencyStats {
  int64_t n = 0;
  double p50 = 0, p90 = 0, p99 = 0, mean = 0;
};

// Nearest-rank percentiles of `us` (sorted in place).
inline LatencyStats Summarize(std::vector<double>& us) {
  LatencyStats s;
  s.n = static_cast<int64_t>(us.size());
  if (us.empty()) return s;
  std::sort(us.begin(), us.end());
  auto at = [&](double q) {
    size_t rank = static_cast<size_t>(q * static_cast<double>(us.size()));
    return us[std::min(rank, us.size() - 1)];
  };
  s.p50 = at(0.50);
  s.p90 = at(0.90);
  s.p99 = at(0.99);
  double sum = 0;
  for (double v : us) sum += v;
  s.mean = sum / static_cast<double>(us.size());
  return s;
}

inline nlohmann::json ToJson(const LatencyStats& s) {
  return {{"n", s.n}, {"p50_us", s.p50}, {"p90_us", s.p90}, {"p99_us", s.p99}, {"mean_us", s.mean}};
}

// How long a load run lasts: a fixed number of calls per thread, or a fixed duration.
struct LoadSpec {
  int threads = 1;
  // > 0: every thread makes exactly this many measured calls; otherwise `seconds` decides.
  int calls_per_thread = 0;
  double seconds = 2.0;
  // Unmeasured calls (fixed mode) or time (duration mode) before measuring.
  int warmup_calls_per_thread = 0;
  double warmup_seconds = 0.3;
};

struct LoadResult {
  int threads = 0;
  int64_t calls = 0;
  int64_t errors = 0;
  double seconds = 0;
  double calls_per_second = 0;
  LatencyStats latency;
  // Every measured latency, in µs (sorted), for callers that pool several runs.
  std::vector<double> samples;
};

// Closed loop: `threads` threads each call `call(thread_index)` (returns false on a failed call)
// back to back. Every thread has finished its warm-up before measuring starts.
template <class Call>
LoadResult RunLoad(const LoadSpec& spec, Call&& call) {
  struct alignas(64) PerThread {
    int64_t calls = 0;
    int64_t errors = 0;
    std::vector<double> latencies;
  };
  std::vector<PerThread> per(spec.threads);
  std::latch warmed(spec.threads + 1);
  std::atomic<int> phase{0};  // 0: warm-up, 1: measuring, 2: stop
  const bool fixed = spec.calls_per_thread > 0;

  auto body = [&](int t) {
    PerThread& me = per[t];
    if (fixed) {
      for (int i = 0; i < spec.warmup_calls_per_thread; ++i) call(t);
      warmed.arrive_and_wait();
      while (phase.load(std::memory_order_acquire) == 0) std::this_thread::yield();
      me.latencies.reserve(spec.calls_per_thread);
      for (int i = 0; i < spec.calls_per_thread; ++i) {
        const auto start = SteadyClock::now();
        const bool ok = call(t);
        me.latencies.push_back(MicrosBetween(start, SteadyClock::now()));
        ++me.calls;
        if (!ok) ++me.errors;
      }
      return;
    }
    warmed.count_down();
    for (;;) {
      const int at_start = phase.load(std::memory_order_acquire);
      if (at_start == 2) return;
      const auto start = SteadyClock::now();
      const bool ok = call(t);
      const auto end = SteadyClock::now();
      // Only calls that started and ended inside the measured window count.
      if (at_start == 1 && phase.load(std::memory_order_acquire) == 1) {
        me.latencies.push_back(MicrosBetween(start, end));
        ++me.calls;
        if (!ok) ++me.errors;
      } else if (!ok) {
        ++me.errors;
      }
    }
  };

  std::vector<std::thread> workers;
  workers.reserve(spec.threads);
  for (int t = 0; t < spec.threads; ++t) workers.emplace_back(body, t);
  warmed.arrive_and_wait();
  if (!fixed) {
    std::this_thread::sleep_for(std::chrono::duration<double>(spec.warmup_seconds));
  }
  const auto t0 = SteadyClock::now();
  phase.store(1, std::memory_order_release);
  if (!fixed) {
    std::this_thread::sleep_for(std::chrono::duration<double>(spec.seconds));
    phase.store(2, std::memory_order_release);
  }
  const auto t1_window = SteadyClock::now();
  for (auto& w : workers) w.join();
  const auto t1 = fixed ? SteadyClock::now() : t1_window;

  LoadResult result;
  result.threads = spec.threads;
  result.seconds = std::chrono::duration<double>(t1 - t0).count();
  for (PerThread& p : per) {
    result.calls += p.calls;
    result.errors += p.errors;
    result.samples.insert(result.samples.end(), p.latencies.begin(), p.latencies.end());
  }
  result.calls_per_second =
      result.seconds > 0 ? static_cast<double>(result.calls) / result.seconds : 0;
  result.latency = Summarize(result.samples);
  return result;
}

// A "kB" field of /proc/self/status (VmRSS, VmHWM, ...), in kB; -1 when absent.
inline int64_t ProcStatusKb(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) {
      std::istringstream value(line.substr(field.size() + 1));
      int64_t kb = -1;
      value >> kb;
      return kb;
    }
  }
  return -1;
}

// "field:value" lines of a Redis INFO reply.
inline std::map<std::string, std::string> ParseInfo(const std::string& info) {
  std::map<std::string, std::string> fields;
  std::istringstream in(info);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t colon = line.find(':');
    if (line.empty() || line[0] == '#' || colon == std::string::npos) continue;
    fields[line.substr(0, colon)] = line.substr(colon + 1);
  }
  return fields;
}

// The machine, for the report: cores and the 1-minute load average (others share the cores).
inline nlohmann::json MachineJson() {
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) < 0) load[0] = -1;
  return {{"cores_online", sysconf(_SC_NPROCESSORS_ONLN)}, {"loadavg_1m", load[0]}};
}

}  // namespace relais::bench
