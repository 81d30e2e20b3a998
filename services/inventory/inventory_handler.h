// gRPC adapter of the resource inventory: each method hands the call to the RpcRunner (identity,
// executor thread, logs, metrics) and one part of the application layer does the work: the
// Registry (directory, availability, experience), Finder (search), Teams, Stockroom (warehouses
// and stock) or Holds. Nothing else belongs here.
#pragma once

#include "relais/v1/inventory.grpc.pb.h"
#include "services/inventory/audit_trail.h"
#include "services/inventory/finder.h"
#include "services/inventory/holds.h"
#include "services/inventory/registry.h"
#include "services/inventory/stockroom.h"
#include "services/inventory/teams.h"
#include "services/runtime/rpc_runner.h"

namespace relais::inventory {

// The application layer's parts, owned by the server.
struct InventoryParts {
  Registry& registry;
  Finder& finder;
  Teams& teams;
  Stockroom& stockroom;
  Holds& holds;
  AuditTrail& audit;
};

class InventoryHandler final : public relais::v1::ResourceInventory::CallbackService {
 public:
  InventoryHandler(InventoryParts parts, RpcRunner& runner) : parts_(parts), runner_(runner) {}

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
  grpc::ServerUnaryReactor* RecordExperience(grpc::CallbackServerContext* ctx,
                                             const relais::v1::RecordExperienceRequest* request,
                                             relais::v1::Responder* response) override;
  grpc::ServerUnaryReactor* FindResponders(grpc::CallbackServerContext* ctx,
                                           const relais::v1::FindRespondersRequest* request,
                                           relais::v1::FindRespondersResponse* response) override;
  grpc::ServerUnaryReactor* OfferTeam(grpc::CallbackServerContext* ctx,
                                      const relais::v1::OfferTeamRequest* request,
                                      relais::v1::Team* response) override;
  grpc::ServerUnaryReactor* GetTeam(grpc::CallbackServerContext* ctx,
                                    const relais::v1::GetTeamRequest* request,
                                    relais::v1::Team* response) override;
  grpc::ServerUnaryReactor* UpdateTeam(grpc::CallbackServerContext* ctx,
                                       const relais::v1::UpdateTeamRequest* request,
                                       relais::v1::Team* response) override;
  grpc::ServerUnaryReactor* ListTeams(grpc::CallbackServerContext* ctx,
                                      const relais::v1::ListTeamsRequest* request,
                                      relais::v1::ListTeamsResponse* response) override;
  grpc::ServerUnaryReactor* RemoveTeam(grpc::CallbackServerContext* ctx,
                                       const relais::v1::RemoveTeamRequest* request,
                                       relais::v1::RemoveTeamResponse* response) override;
  grpc::ServerUnaryReactor* RegisterWarehouse(grpc::CallbackServerContext* ctx,
                                              const relais::v1::RegisterWarehouseRequest* request,
                                              relais::v1::Warehouse* response) override;
  grpc::ServerUnaryReactor* GetWarehouse(grpc::CallbackServerContext* ctx,
                                         const relais::v1::GetWarehouseRequest* request,
                                         relais::v1::Warehouse* response) override;
  grpc::ServerUnaryReactor* ListWarehouses(grpc::CallbackServerContext* ctx,
                                           const relais::v1::ListWarehousesRequest* request,
                                           relais::v1::ListWarehousesResponse* response) override;
  grpc::ServerUnaryReactor* OfferSupplies(grpc::CallbackServerContext* ctx,
                                          const relais::v1::OfferSuppliesRequest* request,
                                          relais::v1::StockLine* response) override;
  grpc::ServerUnaryReactor* AdjustStock(grpc::CallbackServerContext* ctx,
                                        const relais::v1::AdjustStockRequest* request,
                                        relais::v1::StockLine* response) override;
  grpc::ServerUnaryReactor* ListStock(grpc::CallbackServerContext* ctx,
                                      const relais::v1::ListStockRequest* request,
                                      relais::v1::ListStockResponse* response) override;
  grpc::ServerUnaryReactor* FindSupplies(grpc::CallbackServerContext* ctx,
                                         const relais::v1::FindSuppliesRequest* request,
                                         relais::v1::FindSuppliesResponse* response) override;
  grpc::ServerUnaryReactor* Hold(grpc::CallbackServerContext* ctx,
                                 const relais::v1::HoldRequest* request,
                                 relais::v1::Hold* response) override;
  grpc::ServerUnaryReactor* HoldBatch(grpc::CallbackServerContext* ctx,
                                      const relais::v1::HoldBatchRequest* request,
                                      relais::v1::HoldBatchResponse* response) override;
  grpc::ServerUnaryReactor* GetHold(grpc::CallbackServerContext* ctx,
                                    const relais::v1::GetHoldRequest* request,
                                    relais::v1::Hold* response) override;
  grpc::ServerUnaryReactor* ConfirmHold(grpc::CallbackServerContext* ctx,
                                        const relais::v1::ConfirmHoldRequest* request,
                                        relais::v1::Hold* response) override;
  grpc::ServerUnaryReactor* ReleaseHold(grpc::CallbackServerContext* ctx,
                                        const relais::v1::ReleaseHoldRequest* request,
                                        relais::v1::Hold* response) override;
  grpc::ServerUnaryReactor* ReleaseCommitment(grpc::CallbackServerContext* ctx,
                                              const relais::v1::ReleaseCommitmentRequest* request,
                                              relais::v1::Hold* response) override;
  grpc::ServerUnaryReactor* ExtendCommitment(grpc::CallbackServerContext* ctx,
                                             const relais::v1::ExtendCommitmentRequest* request,
                                             relais::v1::Hold* response) override;
  grpc::ServerUnaryReactor* ConsumeCommitment(grpc::CallbackServerContext* ctx,
                                              const relais::v1::ConsumeCommitmentRequest* request,
                                              relais::v1::Hold* response) override;

  grpc::ServerUnaryReactor* ListAuditRecords(
      grpc::CallbackServerContext* ctx, const relais::v1::ListAuditRecordsRequest* request,
      relais::v1::ListAuditRecordsResponse* response) override;

 private:
  InventoryParts parts_;
  RpcRunner& runner_;
};

}  // namespace relais::inventory
