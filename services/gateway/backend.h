// The three services as the dashboard reads them, behind a small interface: the handler asks for
// a snapshot or a stream and gets the answer in a callback, on a gRPC thread (the HTTP side posts
// it back to its loop). GrpcDashboardBackend is the real one; nothing here blocks a thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "relais/v1/crisis_registry.grpc.pb.h"
#include "relais/v1/gateway.pb.h"
#include "relais/v1/inventory.grpc.pb.h"
#include "relais/v1/mobilisation.grpc.pb.h"
#include "services/runtime/caller_identity.h"

namespace relais::gateway {

template <class T>
using Reply = std::function<void(absl::StatusOr<T>)>;

// Called on gRPC threads, one call at a time, in order; OnEnd is the last call.
class WatchListener {
 public:
  virtual ~WatchListener() = default;
  virtual void OnUpdate(const v1::MobilisationUpdate& update) = 0;
  virtual void OnEnd(const absl::Status& status) = 0;
};

// One open WatchMobilisation call.
class EventWatch {
 public:
  virtual ~EventWatch() = default;
  // Ends the call (the listener then gets OnEnd(CANCELLED)); idempotent, from any thread.
  virtual void Cancel() = 0;
};

class DashboardBackend {
 public:
  virtual ~DashboardBackend() = default;
  // Every crisis, newest first, all pages merged, at most `limit`.
  virtual void ListCrises(int limit, Reply<v1::ListCrisesResponse> done) = 0;
  virtual void GetCrisis(const std::string& crisis_id, Reply<v1::Crisis> done) = 0;
  virtual void GetBoard(const std::string& crisis_id, Reply<v1::CrisisBoard> done) = 0;
  virtual void GetOutreach(const std::string& crisis_id, Reply<v1::Outreach> done) = 0;
  // All pages merged, at most `limit`.
  virtual void ListAssignments(const std::string& crisis_id, int limit,
                               Reply<v1::ListAssignmentsResponse> done) = 0;
  virtual void GetPlaces(const std::string& crisis_id, Reply<v1::DashboardPlaces> done) = 0;
  // OK when all three services answer (any answer but UNAVAILABLE or DEADLINE_EXCEEDED).
  virtual void CheckHealth(std::function<void(absl::Status)> done) = 0;
  // WatchMobilisation for `crisis_ids` (empty: every crisis) after `cursor` (empty: from now).
  virtual std::shared_ptr<EventWatch> Watch(std::vector<std::string> crisis_ids, std::string cursor,
                                            std::shared_ptr<WatchListener> listener) = 0;
};

struct BackendOptions {
  std::string crisis_registry_address = "127.0.0.1:50051";
  std::string inventory_address = "127.0.0.1:50052";
  std::string mobilisation_address = "127.0.0.1:50053";
  absl::Duration deadline = absl::Seconds(5);
  absl::Duration health_deadline = absl::Seconds(1);
  // Who the gateway is to the services (the dashboard role): TLS credentials and its token.
  // Required.
  std::shared_ptr<const CallerIdentity> identity;
};

class GrpcDashboardBackend final : public DashboardBackend {
 public:
  explicit GrpcDashboardBackend(const BackendOptions& options);
  // Waits for every call still under way (unary calls end by their deadline; cancel the
  // watches first).
  ~GrpcDashboardBackend() override;

  void ListCrises(int limit, Reply<v1::ListCrisesResponse> done) override;
  void GetCrisis(const std::string& crisis_id, Reply<v1::Crisis> done) override;
  void GetBoard(const std::string& crisis_id, Reply<v1::CrisisBoard> done) override;
  void GetOutreach(const std::string& crisis_id, Reply<v1::Outreach> done) override;
  void ListAssignments(const std::string& crisis_id, int limit,
                       Reply<v1::ListAssignmentsResponse> done) override;
  void GetPlaces(const std::string& crisis_id, Reply<v1::DashboardPlaces> done) override;
  void CheckHealth(std::function<void(absl::Status)> done) override;
  std::shared_ptr<EventWatch> Watch(std::vector<std::string> crisis_ids, std::string cursor,
                                    std::shared_ptr<WatchListener> listener) override;

  // Calls started and not finished (unary calls and open watches).
  int in_flight() const;

 private:
  class WatchReactor;
  template <class Req, class Resp, class Start>
  void Unary(Req request, absl::Duration deadline, Start start, Reply<Resp> done);
  // Every page of a List RPC, up to `limit` items: `request` is sent again with each next page
  // token, and the pages' repeated field `items` is gathered into one response.
  template <class Req, class Resp, class Item, class Start>
  void AllPagesOf(Req request, int limit, Start start,
                  google::protobuf::RepeatedPtrField<Item>* (Resp::*items)(), Reply<Resp> done);
  void ListRequests(const std::string& crisis_id, int limit, Reply<v1::ListRequestsResponse> done);
  void Begin();
  void End();

  const BackendOptions options_;
  std::unique_ptr<v1::CrisisRegistry::Stub> registry_;
  std::unique_ptr<v1::ResourceInventory::Stub> inventory_;
  std::unique_ptr<v1::Mobilisation::Stub> mobilisation_;
  mutable absl::Mutex mu_;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace relais::gateway
