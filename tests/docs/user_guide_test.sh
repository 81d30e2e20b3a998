#!/usr/bin/env bash
# Replays docs/USER_GUIDE.md as written: starts a private stack, loads the Lyon demo data set (as
# README's first command does), then runs every ```sh block of the guide, in order, in one shell
# with `set -euo pipefail`. A command of the guide that fails fails the test.
#   user_guide_test.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -euo pipefail
bin=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
# shellcheck source=stack.sh
source "$src/tests/docs/stack.sh"
stack_start "$bin" "$src" "$work"
# The guide keeps each user's token in ~/.relais: a home of the test's own.
export RELAIS_SMOKE=1 LANG=C.UTF-8 HOME="$work/home"
unset LC_ALL LC_MESSAGES RELAIS_LANG RELAIS_PRINCIPAL RELAIS_ROLE RELAIS_ORGANISATION RELAIS_RESPONDER \
  RELAIS_TOKEN RELAIS_TOKEN_FILE
bash "$src/deploy/demo/load.sh" >"$work/load.log" 2>&1 || { cat "$work/load.log"; exit 1; }

# The guide's shell blocks, in order (```sh ... ```), each preceded by where it comes from.
awk -v file="$src/docs/USER_GUIDE.md" '
  /^```sh$/ { inside = 1; printf "echo \"--- %s:%d\"\n", file, NR; next }
  /^```/    { inside = 0; next }
  inside    { print }
' "$src/docs/USER_GUIDE.md" >"$work/guide.sh"
[ -s "$work/guide.sh" ] || { echo "no sh block in docs/USER_GUIDE.md"; exit 1; }
cd "$work"
if ! bash -euo pipefail -c "cd '$src' && source '$work/guide.sh'" >"$work/guide.log" 2>&1; then
  echo "a command of docs/USER_GUIDE.md failed; the guide's output:"
  tail -n 60 "$work/guide.log"
  for log in "$work"/*.log; do echo "--- $log"; tail -n 5 "$log"; done
  exit 1
fi
echo "docs/USER_GUIDE.md replayed: $(grep -c '^--- ' "$work/guide.log") blocks"
