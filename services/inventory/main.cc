// inventory: the resource inventory service. Flags (or RELAIS_* environment variables): see
// services/runtime/config.h; --helpfull lists them.
#include "services/inventory/server.h"
#include "services/runtime/service_main.h"

int main(int argc, char** argv) {
  return relais::RunServiceMain<relais::inventory::InventoryServer>(
      argc, argv, "inventory",
      {.listen_address = "127.0.0.1:50052", .metrics_address = "127.0.0.1:9152"});
}
