#include "services/gateway/backend.h"

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/gateway/places.h"
#include "services/runtime/grpc_status.h"

namespace relais::gateway {
namespace {

constexpr int kPageSize = 200;  // the services' maximum page

std::chrono::system_clock::time_point DeadlineIn(absl::Duration d) {
  return std::chrono::system_clock::now() + absl::ToChronoMicroseconds(d);
}

// Pages through a list until its last page or `limit` items: fetch(token, reply) reads one page,
// merge(acc, page) appends it and returns how many items acc holds.
template <class Resp>
struct Pager : std::enable_shared_from_this<Pager<Resp>> {
  std::function<void(const std::string&, Reply<Resp>)> fetch;
  std::function<int(Resp&, Resp&)> merge;
  std::function<void(Resp&, int)> truncate;
  int limit = 500;
  Reply<Resp> done;
  Resp acc;

  void Next(const std::string& token) {
    auto self = this->shared_from_this();
    fetch(token, [self](absl::StatusOr<Resp> page) {
      if (!page.ok()) {
        self->done(page.status());
        return;
      }
      const std::string next = page->next_page_token();
      int count = self->merge(self->acc, *page);
      if (next.empty() || count >= self->limit) {
        if (count > self->limit) self->truncate(self->acc, self->limit);
        self->acc.clear_next_page_token();
        self->done(std::move(self->acc));
        return;
      }
      self->Next(next);
    });
  }
};

template <class Resp>
void AllPages(int limit, std::function<void(const std::string&, Reply<Resp>)> fetch,
              std::function<int(Resp&, Resp&)> merge, std::function<void(Resp&, int)> truncate,
              Reply<Resp> done) {
  auto pager = std::make_shared<Pager<Resp>>();
  pager->fetch = std::move(fetch);
  pager->merge = std::move(merge);
  pager->truncate = std::move(truncate);
  pager->limit = limit;
  pager->done = std::move(done);
  pager->Next("");
}

template <class T>
void Truncate(google::protobuf::RepeatedPtrField<T>* field, int limit) {
  if (field->size() > limit) field->DeleteSubrange(limit, field->size() - limit);
}

// Counts outstanding parts of a fan-out; the first error wins; `done` runs once, after the
// last part.
class Join {
 public:
  explicit Join(std::function<void(absl::Status)> done) : done_(std::move(done)) {}
  void Add(int n) {
    absl::MutexLock lock(&mu_);
    pending_ += n;
  }
  void Finish(const absl::Status& status) {
    std::function<void(absl::Status)> done;
    absl::Status result;
    {
      absl::MutexLock lock(&mu_);
      if (!status.ok() && error_.ok()) error_ = status;
      if (--pending_ > 0) return;
      done = std::move(done_);
      result = error_;
    }
    if (done) done(result);
  }

 private:
  absl::Mutex mu_;
  int pending_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status error_ ABSL_GUARDED_BY(mu_);
  std::function<void(absl::Status)> done_;
};

bool Answers(const grpc::Status& status) {
  return status.error_code() != grpc::StatusCode::UNAVAILABLE &&
         status.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED;
}

}  // namespace

// One WatchMobilisation call. It keeps itself alive until OnDone (self_), and whoever holds the
// returned shared_ptr may call Cancel() at any time, also after the end.
class GrpcDashboardBackend::WatchReactor final
    : public grpc::ClientReadReactor<v1::MobilisationUpdate>,
      public EventWatch {
 public:
  WatchReactor(GrpcDashboardBackend* backend, std::shared_ptr<WatchListener> listener)
      : backend_(backend), listener_(std::move(listener)) {}

  void Start(const std::shared_ptr<WatchReactor>& self, v1::WatchMobilisationRequest request) {
    self_ = self;
    request_ = std::move(request);
    backend_->options_.identity->Identify(context_);
    backend_->mobilisation_->async()->WatchMobilisation(&context_, &request_, this);
    StartRead(&update_);
    StartCall();
  }

  void Cancel() override { context_.TryCancel(); }

  void OnReadDone(bool ok) override {
    if (!ok) return;  // OnDone follows with the status
    listener_->OnUpdate(update_);
    StartRead(&update_);
  }

  void OnDone(const grpc::Status& status) override {
    std::shared_ptr<WatchReactor> keep = std::move(self_);
    listener_->OnEnd(FromGrpcStatus(status));
    listener_.reset();
    backend_->End();
  }

 private:
  GrpcDashboardBackend* const backend_;
  std::shared_ptr<WatchListener> listener_;
  std::shared_ptr<WatchReactor> self_;
  grpc::ClientContext context_;
  v1::WatchMobilisationRequest request_;
  v1::MobilisationUpdate update_;
};

GrpcDashboardBackend::GrpcDashboardBackend(const BackendOptions& options) : options_(options) {
  auto channel = [this](const std::string& address) {
    return grpc::CreateChannel(address, options_.identity->credentials());
  };
  registry_ = v1::CrisisRegistry::NewStub(channel(options.crisis_registry_address));
  inventory_ = v1::ResourceInventory::NewStub(channel(options.inventory_address));
  mobilisation_ = v1::Mobilisation::NewStub(channel(options.mobilisation_address));
}

GrpcDashboardBackend::~GrpcDashboardBackend() {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](int* n) { return *n == 0; }, &in_flight_));
}

int GrpcDashboardBackend::in_flight() const {
  absl::MutexLock lock(&mu_);
  return in_flight_;
}

void GrpcDashboardBackend::Begin() {
  absl::MutexLock lock(&mu_);
  ++in_flight_;
}

void GrpcDashboardBackend::End() {
  absl::MutexLock lock(&mu_);
  --in_flight_;
}

template <class Req, class Resp, class Start>
void GrpcDashboardBackend::Unary(Req request, absl::Duration deadline, Start start,
                                 Reply<Resp> done) {
  struct Call {
    grpc::ClientContext context;
    Req request;
    Resp response;
  };
  auto call = std::make_shared<Call>();
  call->request = std::move(request);
  options_.identity->Identify(call->context);
  call->context.set_deadline(DeadlineIn(deadline));
  Begin();
  start(&call->context, &call->request, &call->response,
        [this, call, done = std::move(done)](grpc::Status status) {
          if (status.ok()) {
            done(std::move(call->response));
          } else {
            done(FromGrpcStatus(status));
          }
          End();
        });
}

template <class Req, class Resp, class Item, class Start>
void GrpcDashboardBackend::AllPagesOf(Req request, int limit, Start start,
                                      google::protobuf::RepeatedPtrField<Item>* (Resp::*items)(),
                                      Reply<Resp> done) {
  AllPages<Resp>(
      limit,
      [this, request = std::move(request), start](const std::string& token, Reply<Resp> reply) {
        Req page = request;
        page.set_page_size(kPageSize);
        page.set_page_token(token);
        Unary(std::move(page), options_.deadline, start, std::move(reply));
      },
      [items](Resp& acc, Resp& page) {
        for (Item& item : *(page.*items)()) *(acc.*items)()->Add() = std::move(item);
        return (acc.*items)()->size();
      },
      [items](Resp& acc, int n) { Truncate((acc.*items)(), n); }, std::move(done));
}

void GrpcDashboardBackend::ListCrises(int limit, Reply<v1::ListCrisesResponse> done) {
  AllPagesOf(
      v1::ListCrisesRequest(), limit,
      [this](auto* c, auto* q, auto* r, auto cb) {
        registry_->async()->ListCrises(c, q, r, std::move(cb));
      },
      &v1::ListCrisesResponse::mutable_crises, std::move(done));
}

void GrpcDashboardBackend::GetCrisis(const std::string& crisis_id, Reply<v1::Crisis> done) {
  v1::GetCrisisRequest request;
  request.set_crisis_id(crisis_id);
  Unary(
      std::move(request), options_.deadline,
      [this](auto* c, auto* q, auto* r, auto cb) {
        registry_->async()->GetCrisis(c, q, r, std::move(cb));
      },
      std::move(done));
}

void GrpcDashboardBackend::GetBoard(const std::string& crisis_id, Reply<v1::CrisisBoard> done) {
  v1::GetCrisisBoardRequest request;
  request.set_crisis_id(crisis_id);
  Unary(
      std::move(request), options_.deadline,
      [this](auto* c, auto* q, auto* r, auto cb) {
        mobilisation_->async()->GetCrisisBoard(c, q, r, std::move(cb));
      },
      std::move(done));
}

void GrpcDashboardBackend::GetOutreach(const std::string& crisis_id, Reply<v1::Outreach> done) {
  v1::GetOutreachRequest request;
  request.set_crisis_id(crisis_id);
  Unary(
      std::move(request), options_.deadline,
      [this](auto* c, auto* q, auto* r, auto cb) {
        mobilisation_->async()->GetOutreach(c, q, r, std::move(cb));
      },
      std::move(done));
}

void GrpcDashboardBackend::ListAssignments(const std::string& crisis_id, int limit,
                                           Reply<v1::ListAssignmentsResponse> done) {
  v1::ListAssignmentsRequest request;
  request.set_crisis_id(crisis_id);
  AllPagesOf(
      std::move(request), limit,
      [this](auto* c, auto* q, auto* r, auto cb) {
        mobilisation_->async()->ListAssignments(c, q, r, std::move(cb));
      },
      &v1::ListAssignmentsResponse::mutable_assignments, std::move(done));
}

void GrpcDashboardBackend::ListRequests(const std::string& crisis_id, int limit,
                                        Reply<v1::ListRequestsResponse> done) {
  v1::ListRequestsRequest request;
  request.set_crisis_id(crisis_id);
  AllPagesOf(
      std::move(request), limit,
      [this](auto* c, auto* q, auto* r, auto cb) {
        mobilisation_->async()->ListRequests(c, q, r, std::move(cb));
      },
      &v1::ListRequestsResponse::mutable_requests, std::move(done));
}

// Places: the crisis, then its requests and assignments, then one read per person, team and
// organisation they name (warehouses and stock lines by organisation), all in parallel.
void GrpcDashboardBackend::GetPlaces(const std::string& crisis_id,
                                     Reply<v1::DashboardPlaces> done) {
  struct State {
    absl::Mutex mu;
    PlacesInput input ABSL_GUARDED_BY(mu);
    std::vector<v1::MobilisationRequest> requests ABSL_GUARDED_BY(mu);
    std::vector<v1::Assignment> assignments ABSL_GUARDED_BY(mu);
    Reply<v1::DashboardPlaces> done;
  };
  auto state = std::make_shared<State>();
  state->done = std::move(done);

  // Third step: the lookups. A record removed since (NOT_FOUND) is left out.
  auto lookups = [this, state]() {
    PlacesWanted wanted;
    {
      absl::MutexLock lock(&state->mu);
      state->input.wanted = WantedFor(state->requests, state->assignments);
      wanted = state->input.wanted;
    }
    auto join = std::make_shared<Join>([state](absl::Status status) {
      if (!status.ok()) {
        state->done(status);
        return;
      }
      v1::DashboardPlaces places;
      {
        absl::MutexLock lock(&state->mu);
        places = ComposePlaces(state->input);
      }
      state->done(std::move(places));
    });
    const int parts = static_cast<int>(wanted.responder_ids.size() + wanted.team_ids.size() +
                                       3 * wanted.organisation_ids.size());
    // Per organisation: itself, its warehouses, its stock lines (or a skip). +1: released at the
    // end, so that nothing finishes before every call is started.
    join->Add(parts + 1);
    auto keep = [state, join](auto add) {
      return [state, join, add](auto result) {
        if (!result.ok()) {
          join->Finish(result.status().code() == absl::StatusCode::kNotFound ? absl::OkStatus()
                                                                             : result.status());
          return;
        }
        {
          absl::MutexLock lock(&state->mu);
          add(state->input, *result);
        }
        join->Finish(absl::OkStatus());
      };
    };
    for (const std::string& id : wanted.responder_ids) {
      v1::GetResponderRequest request;
      request.set_responder_id(id);
      Unary(
          std::move(request), options_.deadline,
          [this](auto* c, auto* q, auto* r, auto cb) {
            inventory_->async()->GetResponder(c, q, r, std::move(cb));
          },
          Reply<v1::Responder>(keep([](PlacesInput& in, v1::Responder& r) {
            // Only what ComposePlaces reads: contacts and documents are dropped right here.
            v1::Responder kept;
            kept.set_id(r.id());
            kept.set_display_name(r.display_name());
            kept.set_organisation_id(r.organisation_id());
            *kept.mutable_home_base() = r.home_base();
            in.responders.push_back(std::move(kept));
          })));
    }
    for (const std::string& id : wanted.team_ids) {
      v1::GetTeamRequest request;
      request.set_team_id(id);
      Unary(
          std::move(request), options_.deadline,
          [this](auto* c, auto* q, auto* r, auto cb) {
            inventory_->async()->GetTeam(c, q, r, std::move(cb));
          },
          Reply<v1::Team>(
              keep([](PlacesInput& in, v1::Team& t) { in.teams.push_back(std::move(t)); })));
    }
    for (const std::string& id : wanted.organisation_ids) {
      v1::GetOrganisationRequest request;
      request.set_organisation_id(id);
      Unary(
          std::move(request), options_.deadline,
          [this](auto* c, auto* q, auto* r, auto cb) {
            inventory_->async()->GetOrganisation(c, q, r, std::move(cb));
          },
          Reply<v1::Organisation>(keep([](PlacesInput& in, v1::Organisation& o) {
            in.organisations.push_back(std::move(o));
          })));
      // One page of warehouses and one of stock lines per organisation (200 each): the map
      // shows the nearest, not an inventory.
      v1::ListWarehousesRequest warehouses;
      warehouses.set_organisation_id(id);
      warehouses.set_page_size(kPageSize);
      Unary(
          std::move(warehouses), options_.deadline,
          [this](auto* c, auto* q, auto* r, auto cb) {
            inventory_->async()->ListWarehouses(c, q, r, std::move(cb));
          },
          Reply<v1::ListWarehousesResponse>(
              keep([](PlacesInput& in, v1::ListWarehousesResponse& page) {
                for (auto& w : *page.mutable_warehouses()) in.warehouses.push_back(std::move(w));
              })));
      if (wanted.stock_line_ids.empty()) {
        join->Finish(absl::OkStatus());
        continue;
      }
      v1::ListStockRequest stock;
      stock.set_organisation_id(id);
      stock.set_page_size(kPageSize);
      Unary(
          std::move(stock), options_.deadline,
          [this](auto* c, auto* q, auto* r, auto cb) {
            inventory_->async()->ListStock(c, q, r, std::move(cb));
          },
          Reply<v1::ListStockResponse>(keep([](PlacesInput& in, v1::ListStockResponse& page) {
            for (auto& l : *page.mutable_lines()) in.stock_lines.push_back(std::move(l));
          })));
    }
    join->Finish(absl::OkStatus());
  };

  // Second step: requests and assignments, in parallel.
  auto lists = [this, state, crisis_id, lookups]() {
    auto join = std::make_shared<Join>([state, lookups](absl::Status status) {
      if (!status.ok()) {
        state->done(status);
        return;
      }
      lookups();
    });
    join->Add(2);
    ListRequests(crisis_id, 500, [state, join](absl::StatusOr<v1::ListRequestsResponse> r) {
      if (r.ok()) {
        absl::MutexLock lock(&state->mu);
        for (auto& q : *r->mutable_requests()) state->requests.push_back(std::move(q));
      }
      join->Finish(r.status());
    });
    ListAssignments(crisis_id, 500, [state, join](absl::StatusOr<v1::ListAssignmentsResponse> r) {
      if (r.ok()) {
        absl::MutexLock lock(&state->mu);
        for (auto& a : *r->mutable_assignments()) {
          state->assignments.push_back(std::move(a));
        }
      }
      join->Finish(r.status());
    });
  };

  // First step: the crisis (NOT_FOUND ends here).
  GetCrisis(crisis_id, [state, lists](absl::StatusOr<v1::Crisis> crisis) {
    if (!crisis.ok()) {
      state->done(crisis.status());
      return;
    }
    {
      absl::MutexLock lock(&state->mu);
      state->input.crisis = *std::move(crisis);
    }
    lists();
  });
}

void GrpcDashboardBackend::CheckHealth(std::function<void(absl::Status)> done) {
  // A read of an id that cannot exist: NOT_FOUND (or INVALID_ARGUMENT) proves the service
  // answers, which is all the health check asks.
  auto join = std::make_shared<Join>(std::move(done));
  join->Add(3);
  auto finish = [join](const char* service) {
    return [join, service](grpc::Status status) {
      join->Finish(Answers(status) ? absl::OkStatus()
                                   : absl::UnavailableError(
                                         absl::StrCat(service, ": ", status.error_message())));
    };
  };
  struct Calls {
    grpc::ClientContext registry, inventory, mobilisation;
    v1::GetCrisisRequest crisis;
    v1::Crisis crisis_out;
    v1::GetOrganisationRequest organisation;
    v1::Organisation organisation_out;
    v1::GetRequestRequest request;
    v1::MobilisationRequest request_out;
  };
  auto calls = std::make_shared<Calls>();
  for (grpc::ClientContext* c : {&calls->registry, &calls->inventory, &calls->mobilisation}) {
    options_.identity->Identify(*c);
    c->set_deadline(DeadlineIn(options_.health_deadline));
  }
  calls->crisis.set_crisis_id("healthz");
  calls->organisation.set_organisation_id("healthz");
  calls->request.set_mobilisation_request_id("healthz");
  Begin();
  auto counted = [this, calls](std::function<void(grpc::Status)> f) {
    Begin();
    return [this, calls, f = std::move(f)](grpc::Status status) {
      f(status);
      End();
    };
  };
  registry_->async()->GetCrisis(&calls->registry, &calls->crisis, &calls->crisis_out,
                                counted(finish("crisis_registry")));
  inventory_->async()->GetOrganisation(&calls->inventory, &calls->organisation,
                                       &calls->organisation_out, counted(finish("inventory")));
  mobilisation_->async()->GetRequest(&calls->mobilisation, &calls->request, &calls->request_out,
                                     counted(finish("mobilisation")));
  End();
}

std::shared_ptr<EventWatch> GrpcDashboardBackend::Watch(std::vector<std::string> crisis_ids,
                                                        std::string cursor,
                                                        std::shared_ptr<WatchListener> listener) {
  v1::WatchMobilisationRequest request;
  for (auto& id : crisis_ids) request.add_crisis_ids(std::move(id));
  request.set_cursor(std::move(cursor));
  auto reactor = std::make_shared<WatchReactor>(this, std::move(listener));
  Begin();
  reactor->Start(reactor, std::move(request));
  return reactor;
}

}  // namespace relais::gateway
