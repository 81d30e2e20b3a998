// The text of functions.lua, compiled into the binary at build time (see
// embed_functions.cmake) so that a service never depends on a file on disk to commit.
#pragma once

#include <string_view>

namespace relais {

std::string_view RelaisFunctionsSource();

}  // namespace relais
