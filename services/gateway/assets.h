// The dashboard's files (services/gateway/web/*), embedded at build time by embed_assets.cmake.
#pragma once

#include <string_view>
#include <vector>

namespace relais::gateway {

struct Asset {
  std::string_view name;  // e.g. "app.js"
  std::string_view data;
};

// Every embedded file, by name order (defined in the generated gateway_assets.cc).
const std::vector<Asset>& EmbeddedAssets();

// The file called `name`, or null.
inline const Asset* FindAsset(std::string_view name) {
  for (const Asset& asset : EmbeddedAssets()) {
    if (asset.name == name) return &asset;
  }
  return nullptr;
}

}  // namespace relais::gateway
