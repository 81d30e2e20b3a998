#include "services/runtime/logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <utility>

#include "absl/time/time.h"
#include "services/runtime/clock.h"

namespace relais {
namespace {

const Clock& DefaultClock() {
  static const SystemClock* clock = new SystemClock();
  return *clock;
}

spdlog::level::level_enum ToSpdlog(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return spdlog::level::debug;
    case LogLevel::kInfo:
      return spdlog::level::info;
    case LogLevel::kWarning:
      return spdlog::level::warn;
    case LogLevel::kError:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

std::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

// Codes that say the service (or what it depends on) is in trouble, as opposed to a caller's
// mistake; operators watch warnings.
bool IsServerSideFailure(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDataLoss:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kUnimplemented:
      return true;
    default:
      return false;
  }
}

}  // namespace

JsonLog::JsonLog(std::string service)
    : JsonLog(std::move(service), std::make_shared<spdlog::sinks::stderr_sink_mt>()) {}

JsonLog::JsonLog(std::string service, std::shared_ptr<spdlog::sinks::sink> sink, const Clock* clock)
    : service_(std::move(service)),
      clock_(clock != nullptr ? clock : &DefaultClock()),
      // Not registered in spdlog's global registry: several hosts may live in one test binary.
      logger_(std::make_shared<spdlog::logger>("relais." + service_, std::move(sink))) {
  // The line is already complete JSON; spdlog only adds the newline.
  logger_->set_pattern("%v");
  logger_->set_level(spdlog::level::debug);
  logger_->flush_on(spdlog::level::warn);
}

JsonLog::~JsonLog() { logger_->flush(); }

void JsonLog::Rpc(const RpcRecord& record) {
  Log(IsServerSideFailure(record.code) ? LogLevel::kWarning : LogLevel::kInfo, "rpc",
      {{"method", record.method},
       {"code", absl::StatusCodeToString(record.code)},
       {"latency_us", record.latency_us},
       {"request_id", record.request_id},
       {"principal", record.principal_id}});
}

void JsonLog::Log(LogLevel level, std::string_view msg) { Log(level, msg, nlohmann::json()); }

void JsonLog::Log(LogLevel level, std::string_view msg, const nlohmann::json& fields) {
  nlohmann::json line = {
      {"ts", absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", clock_->Now(), absl::UTCTimeZone())},
      {"level", LevelName(level)},
      {"msg", msg},
      {"service", service_},
  };
  if (fields.is_object()) {
    for (const auto& [key, value] : fields.items()) line.emplace(key, value);  // no override
  }
  // Replace invalid UTF-8 (a caller-chosen request id, say) rather than throw.
  logger_->log(ToSpdlog(level),
               line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace relais
