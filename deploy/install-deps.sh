#!/usr/bin/env bash
# Installs the Debian 12 packages Relais builds, runs and tests with. Idempotent and quick when
# everything is already there (no apt-get update unless a package is missing).
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config git clang-format
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libhiredis-dev libevent-dev redis-server libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev prometheus-cpp-dev
  libspdlog-dev libcli11-dev nlohmann-json3-dev
  libcsv-dev  # relaisctl import reads CSV files with it
  libjwt-dev openssl  # signed tokens (ES256); openssl makes the development keys
  jq curl  # the demo scripts read relaisctl's --json output and ask the gateway
  clang-14 libclang-rt-14-dev  # the fuzz targets (tests/fuzz/run.sh): libFuzzer, ASan, UBSan
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root (missing: ${missing[*]})" >&2; exit 1; }
  sudo=sudo
fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
