// The other two services as the mobilisation service sees them: small interfaces (so the
// application layer reads in the users' words) implemented over gRPC. Every call has a deadline;
// a call is retried on UNAVAILABLE only when it is a read or carries a request id (the callee
// then does it once). The mobilisation service calls as its own principal, so the request ids it
// derives (e.g. "<round>/hold") are its own and never collide with a person's.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "relais/v1/crisis_registry.grpc.pb.h"
#include "relais/v1/inventory.grpc.pb.h"
#include "services/runtime/caller_identity.h"

namespace relais::mobilisation {

namespace v1 = relais::v1;

class CrisisDirectory {
 public:
  virtual ~CrisisDirectory() = default;
  virtual absl::StatusOr<v1::Crisis> GetCrisis(const std::string& crisis_id) = 0;
};

// The writes take `on_behalf_of`: the person whose action the call carries out (the coordinator
// who started the round, the responder who declined...), sent as x-relais-on-behalf-of so the
// inventory's audit trail names them; empty when the service acts on its own (an expiry, an
// automatic escalation).
class InventoryPort {
 public:
  virtual ~InventoryPort() = default;
  virtual absl::StatusOr<v1::FindRespondersResponse> FindResponders(
      const v1::FindRespondersRequest& request) = 0;
  virtual absl::StatusOr<v1::FindSuppliesResponse> FindSupplies(
      const v1::FindSuppliesRequest& request) = 0;
  // Teams of a type, every organisation's (the directory is small: tens of organisations).
  virtual absl::StatusOr<std::vector<v1::Team>> TeamsOfType(const std::string& type_code) = 0;
  virtual absl::StatusOr<v1::HoldBatchResponse> HoldBatch(const v1::HoldBatchRequest& request,
                                                          std::string_view on_behalf_of) = 0;
  virtual absl::StatusOr<v1::Hold> GetHold(const std::string& hold_id) = 0;
  virtual absl::StatusOr<v1::Hold> ConfirmHold(const v1::ConfirmHoldRequest& request,
                                               std::string_view on_behalf_of) = 0;
  virtual absl::StatusOr<v1::Hold> ReleaseHold(const v1::ReleaseHoldRequest& request,
                                               std::string_view on_behalf_of) = 0;
  virtual absl::StatusOr<v1::Hold> ReleaseCommitment(const v1::ReleaseCommitmentRequest& request,
                                                     std::string_view on_behalf_of) = 0;
  virtual absl::StatusOr<v1::Hold> ExtendCommitment(const v1::ExtendCommitmentRequest& request,
                                                    std::string_view on_behalf_of) = 0;
  virtual absl::StatusOr<v1::Hold> ConsumeCommitment(const v1::ConsumeCommitmentRequest& request,
                                                     std::string_view on_behalf_of) = 0;
  virtual absl::StatusOr<v1::Responder> RecordExperience(const v1::RecordExperienceRequest& request,
                                                         std::string_view on_behalf_of) = 0;
  virtual absl::StatusOr<v1::Responder> GetResponder(const std::string& responder_id) = 0;
};

struct PeerOptions {
  std::string crisis_registry_address = "127.0.0.1:50051";
  std::string inventory_address = "127.0.0.1:50052";
  // Per attempt.
  absl::Duration deadline = absl::Seconds(3);
  // Attempts of a retriable call (UNAVAILABLE only), with 50 ms, 100 ms... between them.
  int attempts = 3;
  // Who the service is to the other two (its TLS credentials and token); MobilisationServer::Create
  // makes it from the ServerOptions when it is not set.
  std::shared_ptr<const CallerIdentity> identity;
};

// Both services over gRPC (one channel each, shared by all threads).
class GrpcPeers final : public CrisisDirectory, public InventoryPort {
 public:
  // `options.identity` must be set.
  explicit GrpcPeers(const PeerOptions& options);

  absl::StatusOr<v1::Crisis> GetCrisis(const std::string& crisis_id) override;
  absl::StatusOr<v1::FindRespondersResponse> FindResponders(
      const v1::FindRespondersRequest& request) override;
  absl::StatusOr<v1::FindSuppliesResponse> FindSupplies(
      const v1::FindSuppliesRequest& request) override;
  absl::StatusOr<std::vector<v1::Team>> TeamsOfType(const std::string& type_code) override;
  absl::StatusOr<v1::HoldBatchResponse> HoldBatch(const v1::HoldBatchRequest& request,
                                                  std::string_view on_behalf_of) override;
  absl::StatusOr<v1::Hold> GetHold(const std::string& hold_id) override;
  absl::StatusOr<v1::Hold> ConfirmHold(const v1::ConfirmHoldRequest& request,
                                       std::string_view on_behalf_of) override;
  absl::StatusOr<v1::Hold> ReleaseHold(const v1::ReleaseHoldRequest& request,
                                       std::string_view on_behalf_of) override;
  absl::StatusOr<v1::Hold> ReleaseCommitment(const v1::ReleaseCommitmentRequest& request,
                                             std::string_view on_behalf_of) override;
  absl::StatusOr<v1::Hold> ExtendCommitment(const v1::ExtendCommitmentRequest& request,
                                            std::string_view on_behalf_of) override;
  absl::StatusOr<v1::Hold> ConsumeCommitment(const v1::ConsumeCommitmentRequest& request,
                                             std::string_view on_behalf_of) override;
  absl::StatusOr<v1::Responder> RecordExperience(const v1::RecordExperienceRequest& request,
                                                 std::string_view on_behalf_of) override;
  absl::StatusOr<v1::Responder> GetResponder(const std::string& responder_id) override;

 private:
  template <class Req, class Resp, class Stub>
  absl::StatusOr<Resp> Call(Stub* stub,
                            grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
                            const Req& request, std::string_view on_behalf_of = {});

  const PeerOptions options_;
  std::unique_ptr<v1::CrisisRegistry::Stub> registry_;
  std::unique_ptr<v1::ResourceInventory::Stub> inventory_;
};

}  // namespace relais::mobilisation
