#include "services/mobilisation/peers.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace relais::mobilisation {
namespace {

absl::Status FromGrpc(const grpc::Status& status, std::string_view what) {
  if (status.ok()) return absl::OkStatus();
  auto code = static_cast<absl::StatusCode>(status.error_code());
  // A deadline passed on a call to another service: the caller may retry the whole call.
  if (code == absl::StatusCode::kDeadlineExceeded) code = absl::StatusCode::kUnavailable;
  return absl::Status(code, absl::StrCat(std::string(what), ": ", status.error_message()));
}

}  // namespace

// The service calls as the internal `service` role (access_policy.h gives it the holds,
// commitments, searches and reads it needs, and nothing people do), over mutual TLS.
GrpcPeers::GrpcPeers(const PeerOptions& options)
    : options_(options),
      registry_(v1::CrisisRegistry::NewStub(
          grpc::CreateChannel(options.crisis_registry_address, options.identity->credentials()))),
      inventory_(v1::ResourceInventory::NewStub(
          grpc::CreateChannel(options.inventory_address, options.identity->credentials()))) {}

template <class Req, class Resp, class Stub>
absl::StatusOr<Resp> GrpcPeers::Call(Stub* stub,
                                     grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&,
                                                                  Resp*),
                                     const Req& request, std::string_view on_behalf_of) {
  absl::Status last;
  absl::Duration pause = absl::Milliseconds(50);
  for (int attempt = 0; attempt < options_.attempts; ++attempt) {
    if (attempt > 0) {
      absl::SleepFor(pause);
      pause *= 2;
    }
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     absl::ToChronoMilliseconds(options_.deadline));
    options_.identity->Identify(ctx, on_behalf_of);
    Resp response;
    grpc::Status status = (stub->*method)(&ctx, request, &response);
    if (status.ok()) return response;
    last = FromGrpc(status, "peer call");
    // Every call here is a read or carries a request id: retrying it does nothing twice.
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE &&
        status.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED) {
      break;
    }
  }
  return last;
}

absl::StatusOr<v1::Crisis> GrpcPeers::GetCrisis(const std::string& crisis_id) {
  v1::GetCrisisRequest request;
  request.set_crisis_id(crisis_id);
  return Call(registry_.get(), &v1::CrisisRegistry::Stub::GetCrisis, request);
}

absl::StatusOr<v1::FindRespondersResponse> GrpcPeers::FindResponders(
    const v1::FindRespondersRequest& request) {
  return Call(inventory_.get(), &v1::ResourceInventory::Stub::FindResponders, request);
}

absl::StatusOr<v1::FindSuppliesResponse> GrpcPeers::FindSupplies(
    const v1::FindSuppliesRequest& request) {
  return Call(inventory_.get(), &v1::ResourceInventory::Stub::FindSupplies, request);
}

absl::StatusOr<std::vector<v1::Team>> GrpcPeers::TeamsOfType(const std::string& type_code) {
  std::vector<v1::Team> out;
  v1::ListOrganisationsRequest orgs;
  orgs.set_page_size(200);
  do {
    auto page = Call(inventory_.get(), &v1::ResourceInventory::Stub::ListOrganisations, orgs);
    if (!page.ok()) return page.status();
    for (const v1::Organisation& org : page->organisations()) {
      v1::ListTeamsRequest teams;
      teams.set_organisation_id(org.id());
      teams.set_page_size(200);
      do {
        auto team_page = Call(inventory_.get(), &v1::ResourceInventory::Stub::ListTeams, teams);
        if (!team_page.ok()) return team_page.status();
        for (const v1::Team& team : team_page->teams()) {
          if (team.type_code() == type_code) out.push_back(team);
        }
        teams.set_page_token(team_page->next_page_token());
      } while (!teams.page_token().empty());
    }
    orgs.set_page_token(page->next_page_token());
  } while (!orgs.page_token().empty());
  return out;
}

absl::StatusOr<v1::HoldBatchResponse> GrpcPeers::HoldBatch(const v1::HoldBatchRequest& request,
                                                           std::string_view on_behalf_of) {
  return Call(inventory_.get(), &v1::ResourceInventory::Stub::HoldBatch, request, on_behalf_of);
}

absl::StatusOr<v1::Hold> GrpcPeers::GetHold(const std::string& hold_id) {
  v1::GetHoldRequest request;
  request.set_hold_id(hold_id);
  return Call(inventory_.get(), &v1::ResourceInventory::Stub::GetHold, request);
}

absl::StatusOr<v1::Hold> GrpcPeers::ConfirmHold(const v1::ConfirmHoldRequest& request,
                                                std::string_view on_behalf_of) {
  return Call(inventory_.get(), &v1::ResourceInventory::Stub::ConfirmHold, request, on_behalf_of);
}

absl::StatusOr<v1::Hold> GrpcPeers::ReleaseHold(const v1::ReleaseHoldRequest& request,
                                                std::string_view on_behalf_of) {
  return Call(inventory_.get(), &v1::ResourceInventory::Stub::ReleaseHold, request, on_behalf_of);
}

absl::StatusOr<v1::Hold> GrpcPeers::ReleaseCommitment(const v1::ReleaseCommitmentRequest& request,
                                                      std::string_view on_behalf_of) {
  return Call(inventory_.get(), &v1::ResourceInventory::Stub::ReleaseCommitment, request,
              on_behalf_of);
}

absl::StatusOr<v1::Hold> GrpcPeers::ExtendCommitment(const v1::ExtendCommitmentRequest& request,
                                                     std::string_view on_behalf_of) {
  return Call(inventory_.get(), &v1::ResourceInventory::Stub::ExtendCommitment, request,
              on_behalf_of);
}

absl::StatusOr<v1::Hold> GrpcPeers::ConsumeCommitment(const v1::ConsumeCommitmentRequest& request,
                                                      std::string_view on_behalf_of) {
  return Call(inventory_.get(), &v1::ResourceInventory::Stub::ConsumeCommitment, request,
              on_behalf_of);
}

absl::StatusOr<v1::Responder> GrpcPeers::RecordExperience(
    const v1::RecordExperienceRequest& request, std::string_view on_behalf_of) {
  return Call(inventory_.get(), &v1::ResourceInventory::Stub::RecordExperience, request,
              on_behalf_of);
}

absl::StatusOr<v1::Responder> GrpcPeers::GetResponder(const std::string& responder_id) {
  v1::GetResponderRequest request;
  request.set_responder_id(responder_id);
  return Call(inventory_.get(), &v1::ResourceInventory::Stub::GetResponder, request);
}

}  // namespace relais::mobilisation
