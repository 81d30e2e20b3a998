// How every unary handler runs: resolve the caller, take the call from its rate budget
// (rate_limiter.h), check the role may call the method at all (access_policy.h, before anything
// else), run the domain work on our Executor (never on a gRPC
// callback thread), finish the call, report it. A handler reads like:
//
//   grpc::ServerUnaryReactor* DeclareCrisis(grpc::CallbackServerContext* ctx,
//                                           const v1::DeclareCrisisRequest* req,
//                                           v1::DeclareCrisisResponse* resp) override {
//     return runner_.Run(ctx, "/relais.v1.CrisisRegistry/DeclareCrisis", req->request_id(),
//                        [=](const Principal& p) { return registry_.Declare(p, *req, resp); });
//   }
//
// `req` and `resp` stay valid until the call is finished, which happens after `fn` returns.
#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/runtime/access_policy.h"
#include "services/runtime/executor.h"
#include "services/runtime/grpc_status.h"
#include "services/runtime/logging.h"
#include "services/runtime/principal.h"
#include "services/runtime/rate_limiter.h"

namespace relais {

// Told about every RPC: metrics and logs. Called from gRPC and Executor threads at once.
class RpcObserver {
 public:
  virtual ~RpcObserver() = default;
  virtual void OnRpcStart() = 0;
  // Just before the call is finished; `record` views are valid only during the call.
  virtual void OnRpcDone(const RpcRecord& record) = 0;
};

class RpcRunner {
 public:
  // All four are borrowed and must outlive every call (the host stops the executor first);
  // `limiter` may be null (no rate limit).
  RpcRunner(Executor& executor, const PrincipalResolver& resolver, RpcObserver& observer,
            RateLimiter* limiter = nullptr)
      : executor_(executor), resolver_(resolver), observer_(observer), limiter_(limiter) {}

  RpcRunner(const RpcRunner&) = delete;
  RpcRunner& operator=(const RpcRunner&) = delete;

  // `fn` is absl::Status(const Principal&), copyable; it runs on an Executor thread and may
  // block (synchronous Redis calls). `method` is the full gRPC name
  // ("/relais.v1.CrisisRegistry/DeclareCrisis") and must outlive the call (a string literal): the
  // access table is checked with it (a method without a row is refused), logs and metrics name
  // its last part.
  template <class Fn>
  grpc::ServerUnaryReactor* Run(grpc::CallbackServerContext* ctx, std::string_view method,
                                std::string_view request_id, Fn fn) {
    return RunChecked(ctx, method, request_id, std::move(fn), /*check_access=*/true);
  }

  // For test and benchmark services whose methods are not Relais RPCs (so have no row in the
  // access table): the same path without the role check. Never for a relais.v1 method.
  template <class Fn>
  grpc::ServerUnaryReactor* RunWithoutAccessCheck(grpc::CallbackServerContext* ctx,
                                                  std::string_view method,
                                                  std::string_view request_id, Fn fn) {
    return RunChecked(ctx, method, request_id, std::move(fn), /*check_access=*/false);
  }

  // For the stream handlers, which do not go through Run: the caller, once the role-level check
  // of `method` (full gRPC name) passed; UNAUTHENTICATED or PERMISSION_DENIED otherwise.
  absl::StatusOr<Principal> Admit(const grpc::CallbackServerContext& ctx,
                                  std::string_view method) const {
    absl::StatusOr<Principal> principal = resolver_.Resolve(ctx);
    if (!principal.ok()) return principal.status();
    if (absl::Status screened = Screen(*principal, method, /*check_access=*/true); !screened.ok()) {
      return screened;
    }
    return principal;
  }

  // Calls started and not yet finished (queued, running, or being finished).
  int in_flight() const { return in_flight_.load(std::memory_order_acquire); }

 private:
  struct CallInfo {
    std::chrono::steady_clock::time_point start;
    std::string_view method;
    // Copies: the request may be gone once the call is finished.
    std::string request_id;
    std::string principal_id;
  };

  template <class Fn>
  grpc::ServerUnaryReactor* RunChecked(grpc::CallbackServerContext* ctx, std::string_view method,
                                       std::string_view request_id, Fn fn, bool check_access) {
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    CallInfo call = Begin(access::ShortName(method), request_id);
    absl::StatusOr<Principal> principal = resolver_.Resolve(*ctx);
    if (!principal.ok()) {
      Finish(reactor, call, principal.status());
      return reactor;
    }
    call.principal_id = principal->id;
    if (absl::Status screened = Screen(*principal, method, check_access); !screened.ok()) {
      Finish(reactor, call, screened);
      return reactor;
    }
    auto work = [this, ctx, reactor, call, principal = *std::move(principal),
                 fn = std::move(fn)]() mutable {
      // Work nobody waits for any more (deadline passed or client gone while queued) is skipped;
      // once started, the domain call runs to its end.
      absl::Status status = ctx->IsCancelled()
                                ? absl::CancelledError("call cancelled before it started")
                                : fn(static_cast<const Principal&>(principal));
      Finish(reactor, call, status);
    };
    if (!executor_.Submit(std::move(work))) {
      Finish(reactor, call, absl::ResourceExhaustedError("server busy"));
    }
    return reactor;
  }

  // What every call, unary or stream, passes once its caller is known: the rate budget, then
  // the role-level check of the access table.
  absl::Status Screen(const Principal& principal, std::string_view method,
                      bool check_access) const {
    // Over its budget, a principal gets nothing more, denied calls included.
    if (limiter_ != nullptr) {
      if (absl::Status admitted = limiter_->Admit(principal); !admitted.ok()) return admitted;
    }
    // The role level first, before validation and before any read: a refused call costs nothing.
    if (check_access) return access::Authorize(principal, method);
    return absl::OkStatus();
  }

  CallInfo Begin(std::string_view method, std::string_view request_id) {
    in_flight_.fetch_add(1, std::memory_order_acq_rel);
    observer_.OnRpcStart();
    // Bounded: the id is logged before validation has looked at it.
    return CallInfo{
        std::chrono::steady_clock::now(), method, std::string(request_id.substr(0, 128)), {}};
  }

  void Finish(grpc::ServerUnaryReactor* reactor, const CallInfo& call, const absl::Status& status) {
    // Latency is measured on the monotonic clock: it is a duration, not a point in time.
    const auto latency = std::chrono::steady_clock::now() - call.start;
    observer_.OnRpcDone(
        RpcRecord{call.method, status.code(),
                  std::chrono::duration_cast<std::chrono::microseconds>(latency).count(),
                  call.request_id, call.principal_id});
    in_flight_.fetch_sub(1, std::memory_order_acq_rel);
    // Last: once the call is finished the server may shut down and take this runner with it.
    reactor->Finish(ToGrpcStatus(status));
  }

  Executor& executor_;
  const PrincipalResolver& resolver_;
  RpcObserver& observer_;
  RateLimiter* const limiter_;
  std::atomic<int> in_flight_{0};
};

}  // namespace relais
