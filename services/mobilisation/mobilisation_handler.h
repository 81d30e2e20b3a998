// gRPC adapter of the mobilisation service: each unary method hands the call to the RpcRunner
// (identity, executor thread, logs, metrics) and the Mobiliser or the Board does the work; the two
// streams are served by the FeedHub on raw byte buffers, so each event is serialised once for
// every subscriber, after the runner admitted the caller (the access table's role-level check).
// Nothing else belongs here.
#pragma once

#include "relais/v1/mobilisation.grpc.pb.h"
#include "services/mobilisation/board.h"
#include "services/mobilisation/feed_hub.h"
#include "services/mobilisation/mobiliser.h"
#include "services/runtime/rpc_runner.h"

namespace relais::mobilisation {

using MobilisationServiceBase = v1::Mobilisation::WithRawCallbackMethod_WatchMobilisation<
    v1::Mobilisation::WithRawCallbackMethod_WatchMyAssignments<v1::Mobilisation::CallbackService>>;

class MobilisationHandler final : public MobilisationServiceBase {
 public:
  MobilisationHandler(Mobiliser& mobiliser, Board& board, FeedHub& feed, RpcRunner& runner)
      : mobiliser_(mobiliser), board_(board), feed_(feed), runner_(runner) {}

  grpc::ServerUnaryReactor* ProposeCandidates(grpc::CallbackServerContext* ctx,
                                              const v1::ProposeCandidatesRequest* request,
                                              v1::ProposeCandidatesResponse* response) override;
  grpc::ServerUnaryReactor* Mobilise(grpc::CallbackServerContext* ctx,
                                     const v1::MobiliseRequest* request,
                                     v1::MobiliseResponse* response) override;
  grpc::ServerUnaryReactor* GetNeedProgress(grpc::CallbackServerContext* ctx,
                                            const v1::GetNeedProgressRequest* request,
                                            v1::NeedProgress* response) override;
  grpc::ServerUnaryReactor* GetRequest(grpc::CallbackServerContext* ctx,
                                       const v1::GetRequestRequest* request,
                                       v1::MobilisationRequest* response) override;
  grpc::ServerUnaryReactor* ListRequests(grpc::CallbackServerContext* ctx,
                                         const v1::ListRequestsRequest* request,
                                         v1::ListRequestsResponse* response) override;
  grpc::ServerUnaryReactor* Respond(grpc::CallbackServerContext* ctx,
                                    const v1::RespondRequest* request,
                                    v1::MobilisationRequest* response) override;
  grpc::ServerUnaryReactor* AcknowledgeRequest(grpc::CallbackServerContext* ctx,
                                               const v1::AcknowledgeRequestRequest* request,
                                               v1::MobilisationRequest* response) override;
  grpc::ServerUnaryReactor* DecideProvisional(grpc::CallbackServerContext* ctx,
                                              const v1::DecideProvisionalRequest* request,
                                              v1::MobilisationRequest* response) override;
  grpc::ServerUnaryReactor* GetAssignment(grpc::CallbackServerContext* ctx,
                                          const v1::GetAssignmentRequest* request,
                                          v1::Assignment* response) override;
  grpc::ServerUnaryReactor* ListAssignments(grpc::CallbackServerContext* ctx,
                                            const v1::ListAssignmentsRequest* request,
                                            v1::ListAssignmentsResponse* response) override;
  grpc::ServerUnaryReactor* Withdraw(grpc::CallbackServerContext* ctx,
                                     const v1::WithdrawRequest* request,
                                     v1::Assignment* response) override;
  grpc::ServerUnaryReactor* ReportStatus(grpc::CallbackServerContext* ctx,
                                         const v1::ReportStatusRequest* request,
                                         v1::Assignment* response) override;
  grpc::ServerUnaryReactor* Demobilise(grpc::CallbackServerContext* ctx,
                                       const v1::DemobiliseRequest* request,
                                       v1::Assignment* response) override;
  grpc::ServerUnaryReactor* ExtendAssignment(grpc::CallbackServerContext* ctx,
                                             const v1::ExtendAssignmentRequest* request,
                                             v1::Assignment* response) override;
  grpc::ServerUnaryReactor* GetCrisisBoard(grpc::CallbackServerContext* ctx,
                                           const v1::GetCrisisBoardRequest* request,
                                           v1::CrisisBoard* response) override;
  grpc::ServerUnaryReactor* GetOutreach(grpc::CallbackServerContext* ctx,
                                        const v1::GetOutreachRequest* request,
                                        v1::Outreach* response) override;
  grpc::ServerUnaryReactor* ListNotifications(grpc::CallbackServerContext* ctx,
                                              const v1::ListNotificationsRequest* request,
                                              v1::ListNotificationsResponse* response) override;
  grpc::ServerWriteReactor<grpc::ByteBuffer>* WatchMobilisation(
      grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request) override {
    return feed_.WatchMobilisation(ctx, request, runner_.Admit(*ctx, kWatchMobilisation));
  }
  grpc::ServerWriteReactor<grpc::ByteBuffer>* WatchMyAssignments(
      grpc::CallbackServerContext* ctx, const grpc::ByteBuffer* request) override {
    return feed_.WatchMyAssignments(ctx, request, runner_.Admit(*ctx, kWatchMyAssignments));
  }

 private:
  static constexpr char kWatchMobilisation[] = "/relais.v1.Mobilisation/WatchMobilisation";
  static constexpr char kWatchMyAssignments[] = "/relais.v1.Mobilisation/WatchMyAssignments";

  Mobiliser& mobiliser_;
  Board& board_;
  FeedHub& feed_;
  RpcRunner& runner_;
};

}  // namespace relais::mobilisation
