// The crisis registry's application layer: validates, applies the domain rules of
// crisis_domain.h to what the store holds, and saves the result with its event, safely retried.
// Knows nothing of gRPC; the handler (crisis_handler.h) is a thin adapter around it.
#pragma once

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "relais/v1/crisis_registry.pb.h"
#include "services/crisis_registry/crisis_store.h"
#include "services/runtime/catalogue.h"
#include "services/runtime/clock.h"
#include "services/runtime/ids.h"
#include "services/runtime/principal.h"

namespace relais::crisis {

class Registry {
 public:
  Registry(CrisisStore& store, const Catalogue& catalogue, const Clock& clock, IdGenerator& ids)
      : store_(store), catalogue_(catalogue), clock_(clock), ids_(ids) {}

  absl::Status Declare(const Principal& caller, const relais::v1::DeclareCrisisRequest& request,
                       relais::v1::Crisis* out);
  absl::Status Get(const Principal& caller, const relais::v1::GetCrisisRequest& request,
                   relais::v1::Crisis* out);
  absl::Status List(const Principal& caller, const relais::v1::ListCrisesRequest& request,
                    relais::v1::ListCrisesResponse* out);
  absl::Status Update(const Principal& caller, const relais::v1::UpdateCrisisRequest& request,
                      relais::v1::Crisis* out);
  absl::Status AddNeed(const Principal& caller, const relais::v1::AddNeedRequest& request,
                       relais::v1::Need* out);
  absl::Status UpdateNeed(const Principal& caller, const relais::v1::UpdateNeedRequest& request,
                          relais::v1::Need* out);
  absl::Status Activate(const Principal& caller, const relais::v1::ActivateCrisisRequest& request,
                        relais::v1::Crisis* out);
  absl::Status Pause(const Principal& caller, const relais::v1::PauseCrisisRequest& request,
                     relais::v1::Crisis* out);
  absl::Status Close(const Principal& caller, const relais::v1::CloseCrisisRequest& request,
                     relais::v1::Crisis* out);

 private:
  using Apply = std::function<absl::StatusOr<relais::v1::Crisis>(const relais::v1::Crisis&)>;
  // A crisis after a change, and the need the change concerned (from the first outcome on a
  // replay, since a retry generates ids of its own that were never used).
  struct Changed {
    relais::v1::Crisis crisis;
    std::string need_id;
  };

  // One change of one crisis: read, apply, save with its event under the call's idempotency
  // key; retried on a concurrent write unless the caller pinned expected_version.
  absl::StatusOr<Changed> Change(const Principal& caller, std::string_view method,
                                 const google::protobuf::Message& request,
                                 const std::string& request_id, const std::string& crisis_id,
                                 int64_t expected_version, relais::v1::EventType type,
                                 const std::string& need_id, const Apply& apply);
  // The answer to a call already answered once: its first outcome, with today's resource.
  absl::StatusOr<Changed> Replay(const CommitResult& first);
  relais::v1::Event MakeEvent(relais::v1::EventType type, const Principal& caller,
                              const std::string& request_id, const relais::v1::Crisis& crisis,
                              const std::string& need_id) const;

  CrisisStore& store_;
  const Catalogue& catalogue_;
  const Clock& clock_;
  IdGenerator& ids_;
};

}  // namespace relais::crisis
