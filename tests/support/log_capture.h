// Every log line a service under test writes (services/runtime/logging.h), kept in memory so a
// test can read what was logged: MobilisationStack(options, sink) and ServiceHostSeams::log_sink.
#pragma once

#include <spdlog/sinks/base_sink.h>

#include <mutex>
#include <string>
#include <vector>

namespace relais::testing {

class LogCapture final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  // The lines so far, each the JSON object a service wrote.
  std::vector<std::string> Lines() {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    lines_.emplace_back(msg.payload.data(), msg.payload.size());
  }
  void flush_() override {}

 private:
  std::vector<std::string> lines_;
};

}  // namespace relais::testing
