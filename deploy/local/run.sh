#!/usr/bin/env bash
# README's first command: installs what it needs (Debian 12, as root), builds, starts the local
# stack (a private redis-server on loopback, the three Relais services and the dashboard
# gateway), loads the Lyon demo data set, prints the dashboard's address, plays the Lyon scenarios
# at a watchable pace, then keeps the stack running until Ctrl-C, which stops everything cleanly.
# Running it again works: the load writes nothing twice, each scenario stands its earlier run down.
# Security is on (docs/SECURITY.md): TLS with a development CA (mutual between services), a signed
# token for every caller, one Redis ACL user per service, the dashboard over HTTPS with a sign-in
# (a dashboard token, .local/secrets/tokens/viewer.jwt); the CA, the token signing key and the
# passwords are made once in .local/secrets/.
#
#   RELAIS_SMOKE=1          play the scenarios without pauses, then stop and exit (CI uses this)
#   RELAIS_SCENARIO         which scenarios to play: "cholera heatwave" (default), "heatwave",
#                           "cholera", or "none"
#   RELAIS_DEMO_PACE        seconds between the scenario's steps (default 3)
#   RELAIS_DASHBOARD_ADDR   the dashboard gateway's HTTPS address (default 127.0.0.1:8080)
#   RELAIS_LOCAL_REDIS_PORT redis port (default 6390)
#   RELAIS_CRISIS_ADDR      crisis registry address (default 127.0.0.1:50051)
#   RELAIS_INVENTORY_ADDR   resource inventory address (default 127.0.0.1:50052)
#   RELAIS_MOBILISATION_ADDR mobilisation service address (default 127.0.0.1:50053)
#   RELAIS_SMTP_URL, RELAIS_SMTP_FROM, RELAIS_WEBHOOK_URL  notifiers (off when unset)
#   RELAIS_BUILD_DIR        build folder (default build/, shared with tests/run.sh)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${RELAIS_BUILD_DIR:-$root/build}
state="$root/.local"                     # git-ignored: Redis data and users, secrets, logs, pid files
redis_port=${RELAIS_LOCAL_REDIS_PORT:-6390}
export RELAIS_CRISIS_ADDR=${RELAIS_CRISIS_ADDR:-127.0.0.1:50051}
export RELAIS_INVENTORY_ADDR=${RELAIS_INVENTORY_ADDR:-127.0.0.1:50052}
export RELAIS_MOBILISATION_ADDR=${RELAIS_MOBILISATION_ADDR:-127.0.0.1:50053}
dashboard=${RELAIS_DASHBOARD_ADDR:-127.0.0.1:8080}

say() { printf '\033[1m[relais]\033[0m %s\n' "$*"; }

bash "$root/deploy/install-deps.sh"
say "building (first time: a few minutes)"
cmake -S "$root" -B "$build" -G Ninja >/dev/null
cmake --build "$build" -j"$(nproc)" --target crisis_registry inventory mobilisation gateway relaisctl \
  relais-redis-setup

mkdir -p "$state/redis" "$state/log" "$state/run"

pids=()
stop_all() {
  trap - INT TERM EXIT
  say "stopping"
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${pids[i]}" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -f "$state"/run/*.pid
  say "stopped; data kept in $state/redis"
}
trap 'stop_all; exit 0' INT TERM   # Ctrl-C is the normal way to stop the stack
trap stop_all EXIT

# A run killed without its trap (kill -9, closed terminal) leaves pid files behind.
for pidfile in "$state"/run/*.pid; do
  [ -e "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    say "stopping a stale process from an earlier run ($(basename "$pidfile" .pid), pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$pidfile"
done

start() {  # start NAME COMMAND...: runs in the background, logs to .local/log/NAME.log
  local name=$1; shift
  # Own session: Ctrl-C reaches this script only, which then stops services before Redis.
  setsid "$@" >"$state/log/$name.log" 2>&1 &
  pids+=($!)
  echo $! >"$state/run/$name.pid"
}

# Redis users (issue #6, docs/SECURITY.md): an administrative user for relais-redis-setup and one
# user per service, each password generated once into .local/secrets/ (mode 600). Redis keeps the
# users in its aclfile, .local/redis/users.acl, as SHA-256 hashes.
secrets="$state/secrets"
mkdir -p "$secrets" && chmod 700 "$secrets"
for user in relais-admin relais-crisis-registry relais-inventory relais-mobilisation; do
  if [ ! -s "$secrets/$user.password" ]; then
    (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '/+=\n' >"$secrets/$user.password")
  fi
done
aclfile="$state/redis/users.acl"
# The administrative user, rewritten from its password file at every start (so a new password
# file takes effect); only its hash is written, never the password.
# (Without its trailing newline, as the services and the setup read a password file.)
admin_hash=$(printf '%s' "$(cat "$secrets/relais-admin.password")" | sha256sum | cut -d' ' -f1)
(umask 077 && { grep -v '^user relais-admin ' "$aclfile" 2>/dev/null || true; \
  echo "user relais-admin on #$admin_hash ~* &* +@all"; } >"$aclfile.new")
mv "$aclfile.new" "$aclfile"
redis_admin() {  # redis_admin ARGS...: redis-cli as the administrative user (password from env)
  REDISCLI_AUTH=$(cat "$secrets/relais-admin.password") redis-cli --no-auth-warning \
    --user relais-admin -p "$redis_port" "$@"
}

# appendfsync always: an acknowledged write (a commitment, an acceptance) survives a crash of
# the machine, not just of Redis. See docs/ARCHITECTURE.md for the cost.
# hash-max-listpack-value 1024: our entity hashes ({v, d: ~150-900 bytes}) stay in Redis's compact
# listpack encoding instead of a hash table (~160 bytes less per key; docs/PERFORMANCE.md).
# umask 077: the aclfile that ACL SAVE rewrites and the AOF (personal data) are the owner's only.
say "starting redis-server on 127.0.0.1:$redis_port (data in .local/redis)"
start redis sh -c 'umask 077 && exec "$@"' redis-server redis-server --port "$redis_port" --bind 127.0.0.1 --protected-mode yes \
  --save "" --appendonly yes --appendfsync always --dir "$state/redis" --daemonize no \
  --hash-max-listpack-value 1024 --aclfile "$aclfile"
for _ in $(seq 100); do
  [ "$(redis_admin ping 2>/dev/null)" = PONG ] && break
  sleep 0.1
done
[ "$(redis_admin ping 2>/dev/null)" = PONG ] || { say "redis did not start: see .local/log/redis.log"; exit 1; }

# Loads the Functions, creates or updates the services' users, turns the default user off and
# saves the users to the aclfile; a second run changes nothing.
say "preparing Redis: Functions and one user per service (logs: .local/log/redis-setup.log)"
"$build/services/redis_setup/relais-redis-setup" --redis_port="$redis_port" \
  --redis_username=relais-admin --redis_password_file="$secrets/relais-admin.password" \
  --passwords_dir="$secrets" --disable_default_user >"$state/log/redis-setup.log" 2>&1 ||
  { cat "$state/log/redis-setup.log"; say "relais-redis-setup failed"; exit 1; }

# Callers and services (issue #6, docs/SECURITY.md): a development CA with one certificate per
# process (mutual TLS between services; relaisctl verifies servers with the CA), the key that signs
# every user's token, and the tokens of the mobilisation service and the gateway. Made once in
# .local/secrets/ (keys mode 600); the service tokens are issued again at every start.
say "preparing TLS certificates and tokens (.local/secrets/tls, .local/secrets/tokens)"
bash "$root/deploy/local/dev-security.sh" "$secrets" "$build/clients/relaisctl/relaisctl" \
  2>"$state/log/dev-security.log" || { cat "$state/log/dev-security.log"; say "dev-security.sh failed"; exit 1; }
export RELAIS_TLS_CA="$secrets/tls/ca.pem" RELAIS_TOKEN_KEY="$secrets/tokens/signing-key.pem"
secured() {  # secured NAME: the TLS and token flags of process NAME
  echo "--tls_ca=$secrets/tls/ca.pem" "--tls_cert=$secrets/tls/$1.pem" \
    "--tls_key=$secrets/tls/$1-key.pem" "--token_public_key=$secrets/tokens/public-key.pem"
}

say "starting the crisis registry on $RELAIS_CRISIS_ADDR (logs: .local/log/crisis_registry.log)"
# shellcheck disable=SC2046
start crisis_registry "$build/services/crisis_registry/crisis_registry" \
  --listen_address="$RELAIS_CRISIS_ADDR" --redis_port="$redis_port" \
  --redis_username=relais-crisis-registry \
  --redis_password_file="$secrets/relais-crisis-registry.password" \
  --metrics_address=127.0.0.1:9151 --catalogue_path="$root/deploy/catalogue.textproto" \
  $(secured crisis-registry)

say "starting the resource inventory on $RELAIS_INVENTORY_ADDR (logs: .local/log/inventory.log)"
# shellcheck disable=SC2046
start inventory "$build/services/inventory/inventory" \
  --listen_address="$RELAIS_INVENTORY_ADDR" --redis_port="$redis_port" \
  --redis_username=relais-inventory --redis_password_file="$secrets/relais-inventory.password" \
  --metrics_address=127.0.0.1:9152 --catalogue_path="$root/deploy/catalogue.textproto" \
  $(secured inventory)

say "starting the mobilisation service on $RELAIS_MOBILISATION_ADDR (logs: .local/log/mobilisation.log)"
# The notifiers read RELAIS_SMTP_URL, RELAIS_SMTP_FROM and RELAIS_WEBHOOK_URL from the environment.
# shellcheck disable=SC2046
start mobilisation "$build/services/mobilisation/mobilisation" \
  --listen_address="$RELAIS_MOBILISATION_ADDR" --redis_port="$redis_port" \
  --redis_username=relais-mobilisation \
  --redis_password_file="$secrets/relais-mobilisation.password" \
  --metrics_address=127.0.0.1:9153 --catalogue_path="$root/deploy/catalogue.textproto" \
  $(secured mobilisation) --service_token="$secrets/tokens/svc-mobilisation.jwt" \
  --crisis_registry_address="$RELAIS_CRISIS_ADDR" --inventory_address="$RELAIS_INVENTORY_ADDR"

say "starting the dashboard gateway on https://$dashboard (logs: .local/log/gateway.log)"
# HTTPS with the gateway's certificate of the dev CA; browsers sign in with a token that
# --token_public_key (in secured) verifies.
# shellcheck disable=SC2046
start gateway "$build/services/gateway/gateway" --http_address="$dashboard" \
  --http_tls_cert="$secrets/tls/gateway.pem" --http_tls_key="$secrets/tls/gateway-key.pem" \
  --metrics_address=127.0.0.1:9154 $(secured gateway) \
  --service_token="$secrets/tokens/svc-gateway.jwt" --crisis_registry_address="$RELAIS_CRISIS_ADDR" \
  --inventory_address="$RELAIS_INVENTORY_ADDR" --mobilisation_address="$RELAIS_MOBILISATION_ADDR"

export PATH="$build/clients/relaisctl:$PATH"
wait_ready() {  # wait_ready NAME COMMAND...: until the service answers a read
  local name=$1; shift
  for _ in $(seq 50); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  say "the $name did not start: see .local/log/$name.log"; exit 1
}
# As the coordinator of the Métropole (a token for the checks, made with the stack's signing key).
ready_token="$state/run/ready.jwt"
relaisctl admin issue-token coord-metropole-lyon coordinator --ttl 10m --out "$ready_token" 2>/dev/null
wait_ready crisis_registry relaisctl --token-file "$ready_token" --timeout 1s crisis list --page-size 1
wait_ready inventory relaisctl --token-file "$ready_token" --timeout 1s org list --page-size 1
wait_ready mobilisation relaisctl --token-file "$ready_token" --timeout 1s request list --crisis-id crs_0
rm -f "$ready_token"
wait_ready gateway curl -fsS --cacert "$secrets/tls/ca.pem" "https://$dashboard/healthz"

say "loading the Lyon demo data set (deploy/demo/*.csv)"
bash "$root/deploy/demo/load.sh"

banner() {
  say "-----------------------------------------------------------------------------"
  say "dashboard: https://$dashboard/   (open it in a browser on this machine)"
  say "  sign in with the token in $secrets/tokens/viewer.jwt (paste it in the form);"
  say "  the browser does not know the development CA $secrets/tls/ca.pem: import it, or accept"
  say "  the warning for this local address"
  say "-----------------------------------------------------------------------------"
}
banner
for scenario in ${RELAIS_SCENARIO:-cholera heatwave}; do
  [ "$scenario" = none ] && continue
  say "playing the $scenario scenario (watch it on the dashboard)"
  bash "$root/deploy/demo/scenario.sh" "$scenario"
done

if [ -n "${RELAIS_SMOKE:-}" ]; then
  # As a browser does: sign in with the viewer token (form POST), then read with the cookie.
  jar="$state/run/smoke-cookies"
  curl -fsS --cacert "$secrets/tls/ca.pem" -c "$jar" -o /dev/null \
    --data-urlencode "token@$secrets/tokens/viewer.jwt" "https://$dashboard/signin"
  curl -fsS --cacert "$secrets/tls/ca.pem" -b "$jar" "https://$dashboard/api/crises" |
    jq -e '.crises | length > 0' >/dev/null
  rm -f "$jar"
  say "smoke run: the dashboard gateway answers over HTTPS after sign-in; stopping"
  exit 0
fi
banner
say "the stack is running. In another terminal:"
say "  export PATH=$build/clients/relaisctl:\$PATH RELAIS_TLS_CA=$RELAIS_TLS_CA RELAIS_TOKEN_KEY=$RELAIS_TOKEN_KEY"
say "  relaisctl admin issue-token me coordinator --out ~/.relais/coordinator.jwt; export RELAIS_TOKEN_FILE=~/.relais/coordinator.jwt"
say "  relaisctl crisis list;  relaisctl org list;  relaisctl crisis watch   (docs/USER_GUIDE.md)"
say "metrics: http://127.0.0.1:9151/metrics (registry), :9152 (inventory), :9153 (mobilisation), :9154 (gateway). Ctrl-C stops everything."
wait -n "${pids[@]}" || true
say "a service exited on its own: see .local/log/"
exit 1
