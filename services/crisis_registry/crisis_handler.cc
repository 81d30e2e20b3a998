#include "services/crisis_registry/crisis_handler.h"

namespace relais::crisis {

using grpc::CallbackServerContext;
using grpc::ServerUnaryReactor;
namespace v1 = relais::v1;

ServerUnaryReactor* CrisisHandler::DeclareCrisis(CallbackServerContext* ctx,
                                                 const v1::DeclareCrisisRequest* request,
                                                 v1::Crisis* response) {
  return runner_.Run(
      ctx, "/relais.v1.CrisisRegistry/DeclareCrisis", request->request_id(),
      [=, this](const Principal& p) { return registry_.Declare(p, *request, response); });
}

ServerUnaryReactor* CrisisHandler::GetCrisis(CallbackServerContext* ctx,
                                             const v1::GetCrisisRequest* request,
                                             v1::Crisis* response) {
  return runner_.Run(ctx, "/relais.v1.CrisisRegistry/GetCrisis", "", [=, this](const Principal& p) {
    return registry_.Get(p, *request, response);
  });
}

ServerUnaryReactor* CrisisHandler::ListCrises(CallbackServerContext* ctx,
                                              const v1::ListCrisesRequest* request,
                                              v1::ListCrisesResponse* response) {
  return runner_.Run(
      ctx, "/relais.v1.CrisisRegistry/ListCrises", "",
      [=, this](const Principal& p) { return registry_.List(p, *request, response); });
}

ServerUnaryReactor* CrisisHandler::UpdateCrisis(CallbackServerContext* ctx,
                                                const v1::UpdateCrisisRequest* request,
                                                v1::Crisis* response) {
  return runner_.Run(
      ctx, "/relais.v1.CrisisRegistry/UpdateCrisis", request->request_id(),
      [=, this](const Principal& p) { return registry_.Update(p, *request, response); });
}

ServerUnaryReactor* CrisisHandler::AddNeed(CallbackServerContext* ctx,
                                           const v1::AddNeedRequest* request, v1::Need* response) {
  return runner_.Run(
      ctx, "/relais.v1.CrisisRegistry/AddNeed", request->request_id(),
      [=, this](const Principal& p) { return registry_.AddNeed(p, *request, response); });
}

ServerUnaryReactor* CrisisHandler::UpdateNeed(CallbackServerContext* ctx,
                                              const v1::UpdateNeedRequest* request,
                                              v1::Need* response) {
  return runner_.Run(
      ctx, "/relais.v1.CrisisRegistry/UpdateNeed", request->request_id(),
      [=, this](const Principal& p) { return registry_.UpdateNeed(p, *request, response); });
}

ServerUnaryReactor* CrisisHandler::ActivateCrisis(CallbackServerContext* ctx,
                                                  const v1::ActivateCrisisRequest* request,
                                                  v1::Crisis* response) {
  return runner_.Run(
      ctx, "/relais.v1.CrisisRegistry/ActivateCrisis", request->request_id(),
      [=, this](const Principal& p) { return registry_.Activate(p, *request, response); });
}

ServerUnaryReactor* CrisisHandler::PauseCrisis(CallbackServerContext* ctx,
                                               const v1::PauseCrisisRequest* request,
                                               v1::Crisis* response) {
  return runner_.Run(
      ctx, "/relais.v1.CrisisRegistry/PauseCrisis", request->request_id(),
      [=, this](const Principal& p) { return registry_.Pause(p, *request, response); });
}

ServerUnaryReactor* CrisisHandler::CloseCrisis(CallbackServerContext* ctx,
                                               const v1::CloseCrisisRequest* request,
                                               v1::Crisis* response) {
  return runner_.Run(
      ctx, "/relais.v1.CrisisRegistry/CloseCrisis", request->request_id(),
      [=, this](const Principal& p) { return registry_.Close(p, *request, response); });
}

}  // namespace relais::crisis
