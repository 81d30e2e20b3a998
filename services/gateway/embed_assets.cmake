# Embeds every file of services/gateway/web/ into the gateway as byte arrays in a generated .cc
# (assets.h: FindAsset), so the binary serves the dashboard without reading files at run time.
# Included from services/gateway/CMakeLists.txt; also runs itself in script mode (cmake -P) at
# build time to write the .cc. The file list is globbed with CONFIGURE_DEPENDS, so adding a file
# to web/ re-runs CMake, and editing one re-runs this script.
if(CMAKE_SCRIPT_MODE_FILE)
  file(GLOB files LIST_DIRECTORIES false RELATIVE "${WEB_DIR}" "${WEB_DIR}/*")
  list(SORT files)
  set(arrays "")
  set(table "")
  set(i 0)
  foreach(name IN LISTS files)
    if(name MATCHES "^\\." OR NOT name MATCHES "^[A-Za-z0-9._-]+$")
      continue()  # editor droppings and names the routes would never serve
    endif()
    file(READ "${WEB_DIR}/${name}" hex HEX)
    string(LENGTH "${hex}" hex_length)
    math(EXPR size "${hex_length} / 2")
    # Two hex digits per byte -> "0xAB,"; a trailing 0 keeps empty files legal C++.
    string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
    string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){32})" "\\1\n" bytes "${bytes}")
    string(APPEND arrays "const unsigned char kAsset${i}[] = {\n${bytes}0};\n")
    string(APPEND table "    {\"${name}\", std::string_view(reinterpret_cast<const char*>(kAsset${i}), ${size})},\n")
    math(EXPR i "${i} + 1")
  endforeach()
  file(WRITE "${CC_OUT}.tmp"
    "// Generated from services/gateway/web/ by embed_assets.cmake.\n"
    "#include <string_view>\n#include <vector>\n\n"
    "#include \"services/gateway/assets.h\"\n\n"
    "namespace relais::gateway {\nnamespace {\n\n"
    "${arrays}\n"
    "}  // namespace\n\n"
    "const std::vector<Asset>& EmbeddedAssets() {\n"
    "  static const std::vector<Asset> assets = {\n${table}  };\n"
    "  return assets;\n}\n\n"
    "}  // namespace relais::gateway\n")
  file(COPY_FILE "${CC_OUT}.tmp" "${CC_OUT}" ONLY_IF_DIFFERENT)
  file(REMOVE "${CC_OUT}.tmp")
  return()
endif()

# relais_embed_web(<target> <web dir>)
function(relais_embed_web target web_dir)
  get_filename_component(web_dir "${web_dir}" ABSOLUTE)
  file(GLOB web_files CONFIGURE_DEPENDS LIST_DIRECTORIES false "${web_dir}/*")
  set(cc_out "${CMAKE_CURRENT_BINARY_DIR}/gateway_assets.cc")
  set(script "${CMAKE_CURRENT_FUNCTION_LIST_FILE}")
  add_custom_command(
    OUTPUT "${cc_out}"
    COMMAND "${CMAKE_COMMAND}" -DWEB_DIR=${web_dir} -DCC_OUT=${cc_out} -P "${script}"
    DEPENDS ${web_files} "${script}"
    COMMENT "Embedding services/gateway/web"
    VERBATIM)
  target_sources(${target} PRIVATE "${cc_out}")
endfunction()
