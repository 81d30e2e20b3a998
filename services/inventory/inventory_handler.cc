#include "services/inventory/inventory_handler.h"

namespace relais::inventory {

using grpc::CallbackServerContext;
using grpc::ServerUnaryReactor;
namespace v1 = relais::v1;

ServerUnaryReactor* InventoryHandler::RegisterOrganisation(
    CallbackServerContext* ctx, const v1::RegisterOrganisationRequest* request,
    v1::Organisation* response) {
  return runner_.Run(ctx, "RegisterOrganisation", request->request_id(),
                     [=, this](const Principal& p) {
                       return registry_.RegisterOrganisation(p, *request, response);
                     });
}

ServerUnaryReactor* InventoryHandler::GetOrganisation(CallbackServerContext* ctx,
                                                      const v1::GetOrganisationRequest* request,
                                                      v1::Organisation* response) {
  return runner_.Run(ctx, "GetOrganisation", "", [=, this](const Principal& p) {
    return registry_.GetOrganisation(p, *request, response);
  });
}

ServerUnaryReactor* InventoryHandler::UpdateOrganisation(
    CallbackServerContext* ctx, const v1::UpdateOrganisationRequest* request,
    v1::Organisation* response) {
  return runner_.Run(ctx, "UpdateOrganisation", request->request_id(),
                     [=, this](const Principal& p) {
                       return registry_.UpdateOrganisation(p, *request, response);
                     });
}

ServerUnaryReactor* InventoryHandler::ListOrganisations(CallbackServerContext* ctx,
                                                        const v1::ListOrganisationsRequest* request,
                                                        v1::ListOrganisationsResponse* response) {
  return runner_.Run(ctx, "ListOrganisations", "", [=, this](const Principal& p) {
    return registry_.ListOrganisations(p, *request, response);
  });
}

ServerUnaryReactor* InventoryHandler::RegisterResponder(CallbackServerContext* ctx,
                                                        const v1::RegisterResponderRequest* request,
                                                        v1::Responder* response) {
  return runner_.Run(
      ctx, "RegisterResponder", request->request_id(),
      [=, this](const Principal& p) { return registry_.RegisterResponder(p, *request, response); });
}

ServerUnaryReactor* InventoryHandler::GetResponder(CallbackServerContext* ctx,
                                                   const v1::GetResponderRequest* request,
                                                   v1::Responder* response) {
  return runner_.Run(ctx, "GetResponder", "", [=, this](const Principal& p) {
    return registry_.GetResponder(p, *request, response);
  });
}

ServerUnaryReactor* InventoryHandler::UpdateResponder(CallbackServerContext* ctx,
                                                      const v1::UpdateResponderRequest* request,
                                                      v1::Responder* response) {
  return runner_.Run(ctx, "UpdateResponder", request->request_id(), [=, this](const Principal& p) {
    return registry_.UpdateResponder(p, *request, response);
  });
}

ServerUnaryReactor* InventoryHandler::ListResponders(CallbackServerContext* ctx,
                                                     const v1::ListRespondersRequest* request,
                                                     v1::ListRespondersResponse* response) {
  return runner_.Run(ctx, "ListResponders", "", [=, this](const Principal& p) {
    return registry_.ListResponders(p, *request, response);
  });
}

ServerUnaryReactor* InventoryHandler::RemoveResponder(CallbackServerContext* ctx,
                                                      const v1::RemoveResponderRequest* request,
                                                      v1::RemoveResponderResponse* response) {
  return runner_.Run(ctx, "RemoveResponder", request->request_id(), [=, this](const Principal& p) {
    return registry_.RemoveResponder(p, *request, response);
  });
}

ServerUnaryReactor* InventoryHandler::SetAvailability(CallbackServerContext* ctx,
                                                      const v1::SetAvailabilityRequest* request,
                                                      v1::AvailabilityCalendar* response) {
  return runner_.Run(ctx, "SetAvailability", request->request_id(), [=, this](const Principal& p) {
    return registry_.SetAvailability(p, *request, response);
  });
}

ServerUnaryReactor* InventoryHandler::ClearAvailability(CallbackServerContext* ctx,
                                                        const v1::ClearAvailabilityRequest* request,
                                                        v1::AvailabilityCalendar* response) {
  return runner_.Run(
      ctx, "ClearAvailability", request->request_id(),
      [=, this](const Principal& p) { return registry_.ClearAvailability(p, *request, response); });
}

ServerUnaryReactor* InventoryHandler::GetAvailability(CallbackServerContext* ctx,
                                                      const v1::GetAvailabilityRequest* request,
                                                      v1::AvailabilityCalendar* response) {
  return runner_.Run(ctx, "GetAvailability", "", [=, this](const Principal& p) {
    return registry_.GetAvailability(p, *request, response);
  });
}

}  // namespace relais::inventory
