#include "services/mobilisation/mobilisation_handler.h"

namespace relais::mobilisation {

using grpc::CallbackServerContext;
using grpc::ServerUnaryReactor;

ServerUnaryReactor* MobilisationHandler::ProposeCandidates(
    CallbackServerContext* ctx, const v1::ProposeCandidatesRequest* request,
    v1::ProposeCandidatesResponse* response) {
  return runner_.Run(ctx, "/relais.v1.Mobilisation/ProposeCandidates", "",
                     [=, this](const Principal& p) {
                       return mobiliser_.ProposeCandidates(p, *request, response);
                     });
}

ServerUnaryReactor* MobilisationHandler::Mobilise(CallbackServerContext* ctx,
                                                  const v1::MobiliseRequest* request,
                                                  v1::MobiliseResponse* response) {
  return runner_.Run(
      ctx, "/relais.v1.Mobilisation/Mobilise", request->request_id(),
      [=, this](const Principal& p) { return mobiliser_.Mobilise(p, *request, response); });
}

ServerUnaryReactor* MobilisationHandler::GetNeedProgress(CallbackServerContext* ctx,
                                                         const v1::GetNeedProgressRequest* request,
                                                         v1::NeedProgress* response) {
  return runner_.Run(
      ctx, "/relais.v1.Mobilisation/GetNeedProgress", "",
      [=, this](const Principal& p) { return mobiliser_.GetNeedProgress(p, *request, response); });
}

ServerUnaryReactor* MobilisationHandler::GetRequest(CallbackServerContext* ctx,
                                                    const v1::GetRequestRequest* request,
                                                    v1::MobilisationRequest* response) {
  return runner_.Run(ctx, "/relais.v1.Mobilisation/GetRequest", "", [=, this](const Principal& p) {
    return mobiliser_.GetRequest(p, *request, response);
  });
}

ServerUnaryReactor* MobilisationHandler::ListRequests(CallbackServerContext* ctx,
                                                      const v1::ListRequestsRequest* request,
                                                      v1::ListRequestsResponse* response) {
  return runner_.Run(
      ctx, "/relais.v1.Mobilisation/ListRequests", "",
      [=, this](const Principal& p) { return mobiliser_.ListRequests(p, *request, response); });
}

ServerUnaryReactor* MobilisationHandler::Respond(CallbackServerContext* ctx,
                                                 const v1::RespondRequest* request,
                                                 v1::MobilisationRequest* response) {
  return runner_.Run(
      ctx, "/relais.v1.Mobilisation/Respond", request->request_id(),
      [=, this](const Principal& p) { return mobiliser_.Respond(p, *request, response); });
}

ServerUnaryReactor* MobilisationHandler::AcknowledgeRequest(
    CallbackServerContext* ctx, const v1::AcknowledgeRequestRequest* request,
    v1::MobilisationRequest* response) {
  return runner_.Run(
      ctx, "/relais.v1.Mobilisation/AcknowledgeRequest", request->request_id(),
      [=, this](const Principal& p) { return mobiliser_.Acknowledge(p, *request, response); });
}

ServerUnaryReactor* MobilisationHandler::DecideProvisional(
    CallbackServerContext* ctx, const v1::DecideProvisionalRequest* request,
    v1::MobilisationRequest* response) {
  return runner_.Run(ctx, "/relais.v1.Mobilisation/DecideProvisional", request->request_id(),
                     [=, this](const Principal& p) {
                       return mobiliser_.DecideProvisional(p, *request, response);
                     });
}

ServerUnaryReactor* MobilisationHandler::GetAssignment(CallbackServerContext* ctx,
                                                       const v1::GetAssignmentRequest* request,
                                                       v1::Assignment* response) {
  return runner_.Run(
      ctx, "/relais.v1.Mobilisation/GetAssignment", "",
      [=, this](const Principal& p) { return mobiliser_.GetAssignment(p, *request, response); });
}

ServerUnaryReactor* MobilisationHandler::ListAssignments(CallbackServerContext* ctx,
                                                         const v1::ListAssignmentsRequest* request,
                                                         v1::ListAssignmentsResponse* response) {
  return runner_.Run(
      ctx, "/relais.v1.Mobilisation/ListAssignments", "",
      [=, this](const Principal& p) { return mobiliser_.ListAssignments(p, *request, response); });
}

ServerUnaryReactor* MobilisationHandler::Withdraw(CallbackServerContext* ctx,
                                                  const v1::WithdrawRequest* request,
                                                  v1::Assignment* response) {
  return runner_.Run(
      ctx, "/relais.v1.Mobilisation/Withdraw", request->request_id(),
      [=, this](const Principal& p) { return mobiliser_.Withdraw(p, *request, response); });
}

ServerUnaryReactor* MobilisationHandler::ReportStatus(CallbackServerContext* ctx,
                                                      const v1::ReportStatusRequest* request,
                                                      v1::Assignment* response) {
  return runner_.Run(
      ctx, "/relais.v1.Mobilisation/ReportStatus", request->request_id(),
      [=, this](const Principal& p) { return mobiliser_.ReportStatus(p, *request, response); });
}

ServerUnaryReactor* MobilisationHandler::Demobilise(CallbackServerContext* ctx,
                                                    const v1::DemobiliseRequest* request,
                                                    v1::Assignment* response) {
  return runner_.Run(
      ctx, "/relais.v1.Mobilisation/Demobilise", request->request_id(),
      [=, this](const Principal& p) { return mobiliser_.Demobilise(p, *request, response); });
}

ServerUnaryReactor* MobilisationHandler::ExtendAssignment(
    CallbackServerContext* ctx, const v1::ExtendAssignmentRequest* request,
    v1::Assignment* response) {
  return runner_.Run(
      ctx, "/relais.v1.Mobilisation/ExtendAssignment", request->request_id(),
      [=, this](const Principal& p) { return mobiliser_.ExtendAssignment(p, *request, response); });
}

ServerUnaryReactor* MobilisationHandler::GetCrisisBoard(CallbackServerContext* ctx,
                                                        const v1::GetCrisisBoardRequest* request,
                                                        v1::CrisisBoard* response) {
  return runner_.Run(
      ctx, "/relais.v1.Mobilisation/GetCrisisBoard", "",
      [=, this](const Principal& p) { return board_.GetCrisisBoard(p, *request, response); });
}

ServerUnaryReactor* MobilisationHandler::GetOutreach(CallbackServerContext* ctx,
                                                     const v1::GetOutreachRequest* request,
                                                     v1::Outreach* response) {
  return runner_.Run(ctx, "/relais.v1.Mobilisation/GetOutreach", "", [=, this](const Principal& p) {
    return board_.GetOutreach(p, *request, response);
  });
}

ServerUnaryReactor* MobilisationHandler::ListNotifications(
    CallbackServerContext* ctx, const v1::ListNotificationsRequest* request,
    v1::ListNotificationsResponse* response) {
  return runner_.Run(
      ctx, "/relais.v1.Mobilisation/ListNotifications", "",
      [=, this](const Principal& p) { return board_.ListNotifications(p, *request, response); });
}

}  // namespace relais::mobilisation
