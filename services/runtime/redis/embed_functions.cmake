# Embeds a Redis Function library (.lua) into a target as a generated .cc that defines
#   std::string_view relais::<FUNCTION>();
# regenerated whenever the .lua changes, so that a service never reads a file at run time.
# Included from services/runtime/CMakeLists.txt; also runs itself in script mode (cmake -P) at
# build time to write the .cc.
if(CMAKE_SCRIPT_MODE_FILE)
  file(READ "${LUA_IN}" lua)
  if(lua MATCHES "\\)relais_lua\"")
    message(FATAL_ERROR "${LUA_IN} contains the raw string delimiter )relais_lua\"")
  endif()
  file(WRITE "${CC_OUT}.tmp"
    "// Generated from ${LUA_NAME} by embed_functions.cmake.\n"
    "#include <string_view>\n\n"
    "namespace relais {\n\n"
    "std::string_view ${FUNCTION}() {\n"
    "  static constexpr char kSource[] = R\"relais_lua(${lua})relais_lua\";\n"
    "  return std::string_view(kSource, sizeof(kSource) - 1);\n"
    "}\n\n"
    "}  // namespace relais\n")
  file(COPY_FILE "${CC_OUT}.tmp" "${CC_OUT}" ONLY_IF_DIFFERENT)
  file(REMOVE "${CC_OUT}.tmp")
  return()
endif()

# relais_embed_lua(<target> <file.lua> <function name>)
function(relais_embed_lua target lua_file function_name)
  get_filename_component(lua_in "${lua_file}" ABSOLUTE)
  file(RELATIVE_PATH lua_name "${CMAKE_SOURCE_DIR}" "${lua_in}")
  set(cc_out "${CMAKE_CURRENT_BINARY_DIR}/${function_name}.cc")
  set(script "${CMAKE_CURRENT_FUNCTION_LIST_FILE}")
  add_custom_command(
    OUTPUT "${cc_out}"
    COMMAND "${CMAKE_COMMAND}" -DLUA_IN=${lua_in} -DCC_OUT=${cc_out} -DLUA_NAME=${lua_name}
            -DFUNCTION=${function_name} -P "${script}"
    DEPENDS "${lua_in}" "${script}"
    COMMENT "Embedding ${lua_name}"
    VERBATIM)
  target_sources(${target} PRIVATE "${cc_out}")
endfunction()

relais_embed_lua(relais_runtime "${CMAKE_CURRENT_LIST_DIR}/functions.lua" RelaisFunctionsSource)
