#!/usr/bin/env bash
# The dashboard's browser test (issue #5), run by ctest (label "browser"):
#   run.sh CRISIS_REGISTRY INVENTORY MOBILISATION GATEWAY RELAISCTL SOURCE_DIR BUILD_DIR
# Installs Debian's chromium (and nodejs/npm) when missing, as root; installs playwright-core from
# package-lock.json into BUILD_DIR (never into the source tree, never a browser download); then
# runs dashboard.test.mjs, which starts the whole stack itself and stops it whatever happens.
set -euo pipefail
if [ $# -ne 7 ]; then
  echo "usage: $0 CRISIS_REGISTRY INVENTORY MOBILISATION GATEWAY RELAISCTL SOURCE_DIR BUILD_DIR" >&2
  exit 2
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$7

need_pkgs=()
[ -x /usr/bin/chromium ] || need_pkgs+=(chromium)
command -v node >/dev/null || need_pkgs+=(nodejs)
command -v npm >/dev/null || need_pkgs+=(npm)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing ${need_pkgs[*]}: install them (apt-get install ${need_pkgs[*]}) or run as root" >&2
    exit 1
  fi
  echo "[browser] installing ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends "${need_pkgs[@]}" >/dev/null ||
    { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${need_pkgs[@]}" >/dev/null; }
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "node $(node --version) is too old: playwright-core needs Node.js 20 or later" >&2
  exit 1
fi

# playwright-core, pinned by the lock file, in the build folder; again only when the lock changed.
mkdir -p "$build"
if ! cmp -s "$here/package-lock.json" "$build/package-lock.json" ||
  [ ! -f "$build/node_modules/playwright-core/package.json" ]; then
  cp "$here/package.json" "$here/package-lock.json" "$build/"
  (cd "$build" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi

export RELAIS_BIN_CRISIS_REGISTRY=$1 RELAIS_BIN_INVENTORY=$2 RELAIS_BIN_MOBILISATION=$3
export RELAIS_BIN_GATEWAY=$4 RELAIS_BIN_RELAISCTL=$5 RELAIS_SOURCE_DIR=$6 RELAIS_TEST_BUILD_DIR=$build
cd "$build"
exec node --test --test-reporter=spec "$here/dashboard.test.mjs"
