// crisis_registry: the crisis registry service. Flags (or RELAIS_* environment variables):
// see services/runtime/config.h; --helpfull lists them.
#include "services/crisis_registry/server.h"
#include "services/runtime/service_main.h"

int main(int argc, char** argv) {
  return relais::RunServiceMain<relais::crisis::CrisisRegistryServer>(
      argc, argv, "crisis_registry",
      {.listen_address = "127.0.0.1:50051", .metrics_address = "127.0.0.1:9151"});
}
