// The text of inventory_functions.lua (the relais_inventory Redis Function library), compiled
// into the binary at build time by relais_embed_lua (services/runtime/redis/embed_functions.cmake).
#pragma once

#include <string_view>

namespace relais {

std::string_view InventoryFunctionsSource();

}  // namespace relais
