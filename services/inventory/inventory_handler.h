// gRPC adapter of the resource inventory: each method hands the call to the RpcRunner (identity,
// executor thread, logs, metrics) and the Registry does the work. Nothing else belongs here.
#pragma once

#include "relais/v1/inventory.grpc.pb.h"
#include "services/inventory/registry.h"
#include "services/runtime/rpc_runner.h"

namespace relais::inventory {

class InventoryHandler final : public relais::v1::ResourceInventory::CallbackService {
 public:
  InventoryHandler(Registry& registry, RpcRunner& runner) : registry_(registry), runner_(runner) {}

  grpc::ServerUnaryReactor* RegisterOrganisation(
      grpc::CallbackServerContext* ctx, const relais::v1::RegisterOrganisationRequest* request,
      relais::v1::Organisation* response) override;
  grpc::ServerUnaryReactor* GetOrganisation(grpc::CallbackServerContext* ctx,
                                            const relais::v1::GetOrganisationRequest* request,
                                            relais::v1::Organisation* response) override;
  grpc::ServerUnaryReactor* UpdateOrganisation(grpc::CallbackServerContext* ctx,
                                               const relais::v1::UpdateOrganisationRequest* request,
                                               relais::v1::Organisation* response) override;
  grpc::ServerUnaryReactor* ListOrganisations(
      grpc::CallbackServerContext* ctx, const relais::v1::ListOrganisationsRequest* request,
      relais::v1::ListOrganisationsResponse* response) override;
  grpc::ServerUnaryReactor* RegisterResponder(grpc::CallbackServerContext* ctx,
                                              const relais::v1::RegisterResponderRequest* request,
                                              relais::v1::Responder* response) override;
  grpc::ServerUnaryReactor* GetResponder(grpc::CallbackServerContext* ctx,
                                         const relais::v1::GetResponderRequest* request,
                                         relais::v1::Responder* response) override;
  grpc::ServerUnaryReactor* UpdateResponder(grpc::CallbackServerContext* ctx,
                                            const relais::v1::UpdateResponderRequest* request,
                                            relais::v1::Responder* response) override;
  grpc::ServerUnaryReactor* ListResponders(grpc::CallbackServerContext* ctx,
                                           const relais::v1::ListRespondersRequest* request,
                                           relais::v1::ListRespondersResponse* response) override;
  grpc::ServerUnaryReactor* RemoveResponder(grpc::CallbackServerContext* ctx,
                                            const relais::v1::RemoveResponderRequest* request,
                                            relais::v1::RemoveResponderResponse* response) override;
  grpc::ServerUnaryReactor* SetAvailability(grpc::CallbackServerContext* ctx,
                                            const relais::v1::SetAvailabilityRequest* request,
                                            relais::v1::AvailabilityCalendar* response) override;
  grpc::ServerUnaryReactor* ClearAvailability(grpc::CallbackServerContext* ctx,
                                              const relais::v1::ClearAvailabilityRequest* request,
                                              relais::v1::AvailabilityCalendar* response) override;
  grpc::ServerUnaryReactor* GetAvailability(grpc::CallbackServerContext* ctx,
                                            const relais::v1::GetAvailabilityRequest* request,
                                            relais::v1::AvailabilityCalendar* response) override;

 private:
  Registry& registry_;
  RpcRunner& runner_;
};

}  // namespace relais::inventory
