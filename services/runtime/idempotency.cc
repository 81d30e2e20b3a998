#include "services/runtime/idempotency.h"

#include <memory>

namespace relais {

IdempotencyKey MakeIdempotencyKey(std::string_view scope, const Principal& principal,
                                  std::string_view method,
                                  const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  const auto* field = copy->GetDescriptor()->FindFieldByName("request_id");
  IdempotencyKey key;
  key.scope = std::string(scope);
  key.principal_id = principal.id;
  key.method = std::string(method);
  if (field != nullptr) {
    key.request_id = copy->GetReflection()->GetString(*copy, field);
    copy->GetReflection()->ClearField(copy.get(), field);
  }
  key.fingerprint = RequestFingerprint(*copy);
  return key;
}

}  // namespace relais
