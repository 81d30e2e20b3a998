// mobilisation: the mobilisation service. Flags (or RELAIS_* environment variables): see
// services/runtime/config.h and services/mobilisation/server.cc; --helpfull lists them.
#include "services/mobilisation/server.h"
#include "services/runtime/service_main.h"

int main(int argc, char** argv) {
  return relais::RunServiceMain<relais::mobilisation::MobilisationServer>(
      argc, argv, "mobilisation",
      {.listen_address = "127.0.0.1:50053", .metrics_address = "127.0.0.1:9153"});
}
