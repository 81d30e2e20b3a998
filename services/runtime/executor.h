// The threads that run RPC work. gRPC's callback threads must never block, so every handler
// hands its domain logic (and its synchronous Redis calls) to an Executor and finishes the
// call from there. The queue is bounded: when it is full the caller sheds load instead of
// letting latency grow without limit.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace relais {

class Executor {
 public:
  // `threads` workers (at least 1); at most `max_queue` tasks waiting for a worker.
  Executor(int threads, size_t max_queue);
  ~Executor();  // Shutdown()

  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Queues `task`. False when the queue is full or the executor is shut down: the caller
  // answers RESOURCE_EXHAUSTED (or UNAVAILABLE) itself.
  bool Submit(std::function<void()> task);

  // Refuses new tasks, runs every task already queued, joins the workers. Idempotent.
  void Shutdown();

  // Tasks waiting for a worker (not those running).
  size_t queued() const;

 private:
  void Work();

  const size_t max_queue_;
  mutable absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // Written by the constructor and Shutdown only; Shutdown may be called from several threads.
  absl::Mutex join_mu_;
  std::vector<std::thread> workers_ ABSL_GUARDED_BY(join_mu_);
};

}  // namespace relais
