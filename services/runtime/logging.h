// Structured logs: one JSON object per line, so a log shipper can index them without a regex.
//   {"ts":"2026-05-28T09:00:00.000123Z","level":"info","msg":"rpc","service":"crisis_registry",
//    "method":"DeclareCrisis","code":"OK","latency_us":812,"request_id":"r-1","principal":"coord-1"}
// Request payloads are never logged: they may hold personal data (names, phone numbers, health).
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace spdlog {
class logger;
namespace sinks {
class sink;
}  // namespace sinks
}  // namespace spdlog

namespace relais {

class Clock;

enum class LogLevel { kDebug, kInfo, kWarning, kError };

// What the log (and the metrics) know about one finished RPC. Views are valid only during the
// call that receives the record.
struct RpcRecord {
  std::string_view method;
  absl::StatusCode code = absl::StatusCode::kOk;
  int64_t latency_us = 0;
  std::string_view request_id;
  // Empty when the principal could not be resolved.
  std::string_view principal_id;
};

class JsonLog {
 public:
  // Writes to stderr.
  explicit JsonLog(std::string service);
  // Writes to `sink` (tests capture lines with their own sink); `clock` (not owned, may be
  // null for the system clock) stamps "ts".
  JsonLog(std::string service, std::shared_ptr<spdlog::sinks::sink> sink,
          const Clock* clock = nullptr);
  ~JsonLog();

  JsonLog(const JsonLog&) = delete;
  JsonLog& operator=(const JsonLog&) = delete;

  // {"msg":"rpc", ...}: the one line every RPC writes.
  void Rpc(const RpcRecord& record);

  // A line with `msg` and the members of `fields` (a JSON object, or null for none), e.g.
  // Log(LogLevel::kInfo, "start", {{"port", 50051}}). Fields never override ts, level, msg or
  // service.
  void Log(LogLevel level, std::string_view msg, const nlohmann::json& fields);
  void Log(LogLevel level, std::string_view msg);

  const std::string& service() const { return service_; }

 private:
  const std::string service_;
  const Clock* clock_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace relais
