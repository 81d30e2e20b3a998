# Embeds functions.lua into relais_runtime as a generated .cc, regenerated whenever the .lua
# changes. Included from services/runtime/CMakeLists.txt; also runs itself in script mode
# (cmake -P) at build time to write the .cc.
if(CMAKE_SCRIPT_MODE_FILE)
  file(READ "${LUA_IN}" lua)
  if(lua MATCHES "\\)relais_lua\"")
    message(FATAL_ERROR "functions.lua contains the raw string delimiter )relais_lua\"")
  endif()
  file(WRITE "${CC_OUT}.tmp"
    "// Generated from services/runtime/redis/functions.lua by embed_functions.cmake.\n"
    "#include \"services/runtime/redis/functions_lua.h\"\n\n"
    "namespace relais {\n\n"
    "std::string_view RelaisFunctionsSource() {\n"
    "  static constexpr char kSource[] = R\"relais_lua(${lua})relais_lua\";\n"
    "  return std::string_view(kSource, sizeof(kSource) - 1);\n"
    "}\n\n"
    "}  // namespace relais\n")
  file(COPY_FILE "${CC_OUT}.tmp" "${CC_OUT}" ONLY_IF_DIFFERENT)
  file(REMOVE "${CC_OUT}.tmp")
  return()
endif()

set(_relais_lua_in "${CMAKE_CURRENT_LIST_DIR}/functions.lua")
set(_relais_lua_cc "${CMAKE_CURRENT_BINARY_DIR}/redis/functions_lua.cc")
add_custom_command(
  OUTPUT "${_relais_lua_cc}"
  COMMAND "${CMAKE_COMMAND}" -DLUA_IN=${_relais_lua_in} -DCC_OUT=${_relais_lua_cc}
          -P "${CMAKE_CURRENT_LIST_DIR}/embed_functions.cmake"
  DEPENDS "${_relais_lua_in}" "${CMAKE_CURRENT_LIST_DIR}/embed_functions.cmake"
  COMMENT "Embedding functions.lua"
  VERBATIM)
target_sources(relais_runtime PRIVATE "${_relais_lua_cc}")
