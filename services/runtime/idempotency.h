// Builds the idempotency key of a write call: (principal, method, request_id) plus a fingerprint
// of the request without its request_id, so that reusing a request id for another request is
// told apart from a retry.
#pragma once

#include <string>
#include <string_view>

#include "google/protobuf/message.h"
#include "services/runtime/principal.h"
#include "services/runtime/redis/committer.h"

namespace relais {

// `request` must have a string field named request_id.
IdempotencyKey MakeIdempotencyKey(std::string_view scope, const Principal& principal,
                                  std::string_view method,
                                  const google::protobuf::Message& request);

}  // namespace relais
