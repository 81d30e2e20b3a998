#include "services/inventory/inventory_handler.h"

namespace relais::inventory {

using grpc::CallbackServerContext;
using grpc::ServerUnaryReactor;
namespace v1 = relais::v1;

ServerUnaryReactor* InventoryHandler::RegisterOrganisation(
    CallbackServerContext* ctx, const v1::RegisterOrganisationRequest* request,
    v1::Organisation* response) {
  return runner_.Run(ctx, "/relais.v1.ResourceInventory/RegisterOrganisation",
                     request->request_id(), [=, this](const Principal& p) {
                       return parts_.registry.RegisterOrganisation(p, *request, response);
                     });
}

ServerUnaryReactor* InventoryHandler::GetOrganisation(CallbackServerContext* ctx,
                                                      const v1::GetOrganisationRequest* request,
                                                      v1::Organisation* response) {
  return runner_.Run(ctx, "/relais.v1.ResourceInventory/GetOrganisation", "",
                     [=, this](const Principal& p) {
                       return parts_.registry.GetOrganisation(p, *request, response);
                     });
}

ServerUnaryReactor* InventoryHandler::UpdateOrganisation(
    CallbackServerContext* ctx, const v1::UpdateOrganisationRequest* request,
    v1::Organisation* response) {
  return runner_.Run(ctx, "/relais.v1.ResourceInventory/UpdateOrganisation", request->request_id(),
                     [=, this](const Principal& p) {
                       return parts_.registry.UpdateOrganisation(p, *request, response);
                     });
}

ServerUnaryReactor* InventoryHandler::ListOrganisations(CallbackServerContext* ctx,
                                                        const v1::ListOrganisationsRequest* request,
                                                        v1::ListOrganisationsResponse* response) {
  return runner_.Run(ctx, "/relais.v1.ResourceInventory/ListOrganisations", "",
                     [=, this](const Principal& p) {
                       return parts_.registry.ListOrganisations(p, *request, response);
                     });
}

ServerUnaryReactor* InventoryHandler::RegisterResponder(CallbackServerContext* ctx,
                                                        const v1::RegisterResponderRequest* request,
                                                        v1::Responder* response) {
  return runner_.Run(ctx, "/relais.v1.ResourceInventory/RegisterResponder", request->request_id(),
                     [=, this](const Principal& p) {
                       return parts_.registry.RegisterResponder(p, *request, response);
                     });
}

ServerUnaryReactor* InventoryHandler::GetResponder(CallbackServerContext* ctx,
                                                   const v1::GetResponderRequest* request,
                                                   v1::Responder* response) {
  return runner_.Run(ctx, "/relais.v1.ResourceInventory/GetResponder", "",
                     [=, this](const Principal& p) {
                       return parts_.registry.GetResponder(p, *request, response);
                     });
}

ServerUnaryReactor* InventoryHandler::UpdateResponder(CallbackServerContext* ctx,
                                                      const v1::UpdateResponderRequest* request,
                                                      v1::Responder* response) {
  return runner_.Run(ctx, "/relais.v1.ResourceInventory/UpdateResponder", request->request_id(),
                     [=, this](const Principal& p) {
                       return parts_.registry.UpdateResponder(p, *request, response);
                     });
}

ServerUnaryReactor* InventoryHandler::ListResponders(CallbackServerContext* ctx,
                                                     const v1::ListRespondersRequest* request,
                                                     v1::ListRespondersResponse* response) {
  return runner_.Run(ctx, "/relais.v1.ResourceInventory/ListResponders", "",
                     [=, this](const Principal& p) {
                       return parts_.registry.ListResponders(p, *request, response);
                     });
}

ServerUnaryReactor* InventoryHandler::RemoveResponder(CallbackServerContext* ctx,
                                                      const v1::RemoveResponderRequest* request,
                                                      v1::RemoveResponderResponse* response) {
  return runner_.Run(ctx, "/relais.v1.ResourceInventory/RemoveResponder", request->request_id(),
                     [=, this](const Principal& p) {
                       return parts_.registry.RemoveResponder(p, *request, response);
                     });
}

ServerUnaryReactor* InventoryHandler::SetAvailability(CallbackServerContext* ctx,
                                                      const v1::SetAvailabilityRequest* request,
                                                      v1::AvailabilityCalendar* response) {
  return runner_.Run(ctx, "/relais.v1.ResourceInventory/SetAvailability", request->request_id(),
                     [=, this](const Principal& p) {
                       return parts_.registry.SetAvailability(p, *request, response);
                     });
}

ServerUnaryReactor* InventoryHandler::ClearAvailability(CallbackServerContext* ctx,
                                                        const v1::ClearAvailabilityRequest* request,
                                                        v1::AvailabilityCalendar* response) {
  return runner_.Run(ctx, "/relais.v1.ResourceInventory/ClearAvailability", request->request_id(),
                     [=, this](const Principal& p) {
                       return parts_.registry.ClearAvailability(p, *request, response);
                     });
}

ServerUnaryReactor* InventoryHandler::GetAvailability(CallbackServerContext* ctx,
                                                      const v1::GetAvailabilityRequest* request,
                                                      v1::AvailabilityCalendar* response) {
  return runner_.Run(ctx, "/relais.v1.ResourceInventory/GetAvailability", "",
                     [=, this](const Principal& p) {
                       return parts_.registry.GetAvailability(p, *request, response);
                     });
}

ServerUnaryReactor* InventoryHandler::RecordExperience(CallbackServerContext* ctx,
                                                       const v1::RecordExperienceRequest* request,
                                                       v1::Responder* response) {
  return runner_.Run(ctx, "/relais.v1.ResourceInventory/RecordExperience", request->request_id(),
                     [=, this](const Principal& p) {
                       return parts_.registry.RecordExperience(p, *request, response);
                     });
}

ServerUnaryReactor* InventoryHandler::FindResponders(CallbackServerContext* ctx,
                                                     const v1::FindRespondersRequest* request,
                                                     v1::FindRespondersResponse* response) {
  return runner_.Run(ctx, "/relais.v1.ResourceInventory/FindResponders", "",
                     [=, this](const Principal& p) {
                       return parts_.finder.FindResponders(p, *request, response);
                     });
}

ServerUnaryReactor* InventoryHandler::OfferTeam(CallbackServerContext* ctx,
                                                const v1::OfferTeamRequest* request,
                                                v1::Team* response) {
  return runner_.Run(
      ctx, "/relais.v1.ResourceInventory/OfferTeam", request->request_id(),
      [=, this](const Principal& p) { return parts_.teams.OfferTeam(p, *request, response); });
}

ServerUnaryReactor* InventoryHandler::GetTeam(CallbackServerContext* ctx,
                                              const v1::GetTeamRequest* request,
                                              v1::Team* response) {
  return runner_.Run(
      ctx, "/relais.v1.ResourceInventory/GetTeam", "",
      [=, this](const Principal& p) { return parts_.teams.GetTeam(p, *request, response); });
}

ServerUnaryReactor* InventoryHandler::UpdateTeam(CallbackServerContext* ctx,
                                                 const v1::UpdateTeamRequest* request,
                                                 v1::Team* response) {
  return runner_.Run(
      ctx, "/relais.v1.ResourceInventory/UpdateTeam", request->request_id(),
      [=, this](const Principal& p) { return parts_.teams.UpdateTeam(p, *request, response); });
}

ServerUnaryReactor* InventoryHandler::ListTeams(CallbackServerContext* ctx,
                                                const v1::ListTeamsRequest* request,
                                                v1::ListTeamsResponse* response) {
  return runner_.Run(
      ctx, "/relais.v1.ResourceInventory/ListTeams", "",
      [=, this](const Principal& p) { return parts_.teams.ListTeams(p, *request, response); });
}

ServerUnaryReactor* InventoryHandler::RemoveTeam(CallbackServerContext* ctx,
                                                 const v1::RemoveTeamRequest* request,
                                                 v1::RemoveTeamResponse* response) {
  return runner_.Run(
      ctx, "/relais.v1.ResourceInventory/RemoveTeam", request->request_id(),
      [=, this](const Principal& p) { return parts_.teams.RemoveTeam(p, *request, response); });
}

ServerUnaryReactor* InventoryHandler::RegisterWarehouse(CallbackServerContext* ctx,
                                                        const v1::RegisterWarehouseRequest* request,
                                                        v1::Warehouse* response) {
  return runner_.Run(ctx, "/relais.v1.ResourceInventory/RegisterWarehouse", request->request_id(),
                     [=, this](const Principal& p) {
                       return parts_.stockroom.RegisterWarehouse(p, *request, response);
                     });
}

ServerUnaryReactor* InventoryHandler::GetWarehouse(CallbackServerContext* ctx,
                                                   const v1::GetWarehouseRequest* request,
                                                   v1::Warehouse* response) {
  return runner_.Run(ctx, "/relais.v1.ResourceInventory/GetWarehouse", "",
                     [=, this](const Principal& p) {
                       return parts_.stockroom.GetWarehouse(p, *request, response);
                     });
}

ServerUnaryReactor* InventoryHandler::ListWarehouses(CallbackServerContext* ctx,
                                                     const v1::ListWarehousesRequest* request,
                                                     v1::ListWarehousesResponse* response) {
  return runner_.Run(ctx, "/relais.v1.ResourceInventory/ListWarehouses", "",
                     [=, this](const Principal& p) {
                       return parts_.stockroom.ListWarehouses(p, *request, response);
                     });
}

ServerUnaryReactor* InventoryHandler::OfferSupplies(CallbackServerContext* ctx,
                                                    const v1::OfferSuppliesRequest* request,
                                                    v1::StockLine* response) {
  return runner_.Run(ctx, "/relais.v1.ResourceInventory/OfferSupplies", request->request_id(),
                     [=, this](const Principal& p) {
                       return parts_.stockroom.OfferSupplies(p, *request, response);
                     });
}

ServerUnaryReactor* InventoryHandler::AdjustStock(CallbackServerContext* ctx,
                                                  const v1::AdjustStockRequest* request,
                                                  v1::StockLine* response) {
  return runner_.Run(ctx, "/relais.v1.ResourceInventory/AdjustStock", request->request_id(),
                     [=, this](const Principal& p) {
                       return parts_.stockroom.AdjustStock(p, *request, response);
                     });
}

ServerUnaryReactor* InventoryHandler::ListStock(CallbackServerContext* ctx,
                                                const v1::ListStockRequest* request,
                                                v1::ListStockResponse* response) {
  return runner_.Run(
      ctx, "/relais.v1.ResourceInventory/ListStock", "",
      [=, this](const Principal& p) { return parts_.stockroom.ListStock(p, *request, response); });
}

ServerUnaryReactor* InventoryHandler::FindSupplies(CallbackServerContext* ctx,
                                                   const v1::FindSuppliesRequest* request,
                                                   v1::FindSuppliesResponse* response) {
  return runner_.Run(ctx, "/relais.v1.ResourceInventory/FindSupplies", "",
                     [=, this](const Principal& p) {
                       return parts_.stockroom.FindSupplies(p, *request, response);
                     });
}

ServerUnaryReactor* InventoryHandler::Hold(CallbackServerContext* ctx,
                                           const v1::HoldRequest* request, v1::Hold* response) {
  return runner_.Run(
      ctx, "/relais.v1.ResourceInventory/Hold", request->request_id(),
      [=, this](const Principal& p) { return parts_.holds.Hold(p, *request, response); });
}

ServerUnaryReactor* InventoryHandler::HoldBatch(CallbackServerContext* ctx,
                                                const v1::HoldBatchRequest* request,
                                                v1::HoldBatchResponse* response) {
  return runner_.Run(
      ctx, "/relais.v1.ResourceInventory/HoldBatch", request->request_id(),
      [=, this](const Principal& p) { return parts_.holds.HoldBatch(p, *request, response); });
}

ServerUnaryReactor* InventoryHandler::GetHold(CallbackServerContext* ctx,
                                              const v1::GetHoldRequest* request,
                                              v1::Hold* response) {
  return runner_.Run(
      ctx, "/relais.v1.ResourceInventory/GetHold", "",
      [=, this](const Principal& p) { return parts_.holds.GetHold(p, *request, response); });
}

ServerUnaryReactor* InventoryHandler::ConfirmHold(CallbackServerContext* ctx,
                                                  const v1::ConfirmHoldRequest* request,
                                                  v1::Hold* response) {
  return runner_.Run(
      ctx, "/relais.v1.ResourceInventory/ConfirmHold", request->request_id(),
      [=, this](const Principal& p) { return parts_.holds.ConfirmHold(p, *request, response); });
}

ServerUnaryReactor* InventoryHandler::ReleaseHold(CallbackServerContext* ctx,
                                                  const v1::ReleaseHoldRequest* request,
                                                  v1::Hold* response) {
  return runner_.Run(
      ctx, "/relais.v1.ResourceInventory/ReleaseHold", request->request_id(),
      [=, this](const Principal& p) { return parts_.holds.ReleaseHold(p, *request, response); });
}

ServerUnaryReactor* InventoryHandler::ReleaseCommitment(CallbackServerContext* ctx,
                                                        const v1::ReleaseCommitmentRequest* request,
                                                        v1::Hold* response) {
  return runner_.Run(ctx, "/relais.v1.ResourceInventory/ReleaseCommitment", request->request_id(),
                     [=, this](const Principal& p) {
                       return parts_.holds.ReleaseCommitment(p, *request, response);
                     });
}

ServerUnaryReactor* InventoryHandler::ExtendCommitment(CallbackServerContext* ctx,
                                                       const v1::ExtendCommitmentRequest* request,
                                                       v1::Hold* response) {
  return runner_.Run(ctx, "/relais.v1.ResourceInventory/ExtendCommitment", request->request_id(),
                     [=, this](const Principal& p) {
                       return parts_.holds.ExtendCommitment(p, *request, response);
                     });
}

ServerUnaryReactor* InventoryHandler::ConsumeCommitment(CallbackServerContext* ctx,
                                                        const v1::ConsumeCommitmentRequest* request,
                                                        v1::Hold* response) {
  return runner_.Run(ctx, "/relais.v1.ResourceInventory/ConsumeCommitment", request->request_id(),
                     [=, this](const Principal& p) {
                       return parts_.holds.ConsumeCommitment(p, *request, response);
                     });
}

ServerUnaryReactor* InventoryHandler::ListAuditRecords(CallbackServerContext* ctx,
                                                       const v1::ListAuditRecordsRequest* request,
                                                       v1::ListAuditRecordsResponse* response) {
  return runner_.Run(ctx, "/relais.v1.ResourceInventory/ListAuditRecords", "",
                     [=, this](const Principal& p) {
                       return parts_.audit.ListAuditRecords(p, *request, response);
                     });
}

}  // namespace relais::inventory
