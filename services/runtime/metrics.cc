#include "services/runtime/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <exception>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace relais {
namespace {

// From a cache hit (~100us) to a call that hit the Redis timeouts several times (5s).
const prometheus::Histogram::BucketBoundaries& DurationBuckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
      0.05,   0.1,     0.25,   0.5,   1.0,    2.5,   5.0};
  return *buckets;
}

}  // namespace

absl::Status Metrics::Serve(const std::string& address) {
  if (exposer_ != nullptr) return absl::FailedPreconditionError("metrics endpoint already served");
  try {
    // One thread is plenty for one scraper every few seconds.
    exposer_ = std::make_unique<prometheus::Exposer>(address, 1);
  } catch (const std::exception& e) {
    // civetweb reports a failed bind by throwing; the rest of our code does not use exceptions.
    return absl::UnavailableError(
        absl::StrCat("metrics endpoint: cannot listen on '", address, "': ", e.what()));
  }
  exposer_->RegisterCollectable(registry_);
  const std::vector<int> ports = exposer_->GetListeningPorts();
  port_ = ports.empty() ? 0 : ports.front();
  return absl::OkStatus();
}

Metrics::Metrics(std::string service, JsonLog* log)
    : service_(std::move(service)), log_(log), registry_(std::make_shared<prometheus::Registry>()) {
  const prometheus::Labels service_label = {{"service", service_}};
  rpc_total_ = &prometheus::BuildCounter()
                    .Name("relais_rpc_total")
                    .Help("RPCs finished, by method and status code.")
                    .Labels(service_label)
                    .Register(*registry_);
  rpc_duration_ = &prometheus::BuildHistogram()
                       .Name("relais_rpc_duration_seconds")
                       .Help("Time from the call's arrival to its answer, by method.")
                       .Labels(service_label)
                       .Register(*registry_);
  in_flight_ = &prometheus::BuildGauge()
                    .Name("relais_rpc_in_flight")
                    .Help("RPCs started and not yet answered.")
                    .Labels(service_label)
                    .Register(*registry_)
                    .Add({});
  redis_errors_ = &prometheus::BuildCounter()
                       .Name("relais_redis_errors_total")
                       .Help("Redis commands that failed, by kind of failure.")
                       .Labels(service_label)
                       .Register(*registry_);
  redis_reconnects_ = &prometheus::BuildCounter()
                           .Name("relais_redis_reconnects_total")
                           .Help("Redis connections re-established after a failure.")
                           .Labels(service_label)
                           .Register(*registry_)
                           .Add({});
}

Metrics::~Metrics() = default;

void Metrics::OnRpcStart() { in_flight_->Increment(); }

void Metrics::OnRpcDone(const RpcRecord& record) {
  in_flight_->Decrement();
  const std::string method(record.method);
  rpc_total_->Add({{"method", method}, {"code", absl::StatusCodeToString(record.code)}})
      .Increment();
  rpc_duration_->Add({{"method", method}}, DurationBuckets())
      .Observe(static_cast<double>(record.latency_us) / 1e6);
  if (log_ != nullptr) log_->Rpc(record);
}

void Metrics::OnRedisCommandError(std::string_view kind) {
  redis_errors_->Add({{"kind", std::string(kind)}}).Increment();
}

void Metrics::OnRedisReconnect() { redis_reconnects_->Increment(); }

}  // namespace relais
