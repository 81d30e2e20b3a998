// gRPC adapter of the crisis registry: each method hands the call to the RpcRunner (identity,
// executor thread, logs, metrics) and the Registry does the work. Nothing else belongs here.
#pragma once

#include "relais/v1/crisis_registry.grpc.pb.h"
#include "services/crisis_registry/registry.h"
#include "services/runtime/rpc_runner.h"

namespace relais::crisis {

class CrisisHandler final : public relais::v1::CrisisRegistry::CallbackService {
 public:
  CrisisHandler(Registry& registry, RpcRunner& runner) : registry_(registry), runner_(runner) {}

  grpc::ServerUnaryReactor* DeclareCrisis(grpc::CallbackServerContext* ctx,
                                          const relais::v1::DeclareCrisisRequest* request,
                                          relais::v1::Crisis* response) override;
  grpc::ServerUnaryReactor* GetCrisis(grpc::CallbackServerContext* ctx,
                                      const relais::v1::GetCrisisRequest* request,
                                      relais::v1::Crisis* response) override;
  grpc::ServerUnaryReactor* ListCrises(grpc::CallbackServerContext* ctx,
                                       const relais::v1::ListCrisesRequest* request,
                                       relais::v1::ListCrisesResponse* response) override;
  grpc::ServerUnaryReactor* UpdateCrisis(grpc::CallbackServerContext* ctx,
                                         const relais::v1::UpdateCrisisRequest* request,
                                         relais::v1::Crisis* response) override;
  grpc::ServerUnaryReactor* AddNeed(grpc::CallbackServerContext* ctx,
                                    const relais::v1::AddNeedRequest* request,
                                    relais::v1::Need* response) override;
  grpc::ServerUnaryReactor* UpdateNeed(grpc::CallbackServerContext* ctx,
                                       const relais::v1::UpdateNeedRequest* request,
                                       relais::v1::Need* response) override;
  grpc::ServerUnaryReactor* ActivateCrisis(grpc::CallbackServerContext* ctx,
                                           const relais::v1::ActivateCrisisRequest* request,
                                           relais::v1::Crisis* response) override;
  grpc::ServerUnaryReactor* PauseCrisis(grpc::CallbackServerContext* ctx,
                                        const relais::v1::PauseCrisisRequest* request,
                                        relais::v1::Crisis* response) override;
  grpc::ServerUnaryReactor* CloseCrisis(grpc::CallbackServerContext* ctx,
                                        const relais::v1::CloseCrisisRequest* request,
                                        relais::v1::Crisis* response) override;

 private:
  Registry& registry_;
  RpcRunner& runner_;
};

}  // namespace relais::crisis
