# Starts a private Relais stack for a test (sourced), secured as README's run command does it:
# redis-server on a free loopback port prepared by relais-redis-setup, the three services (each as
# its own Redis user, over mutual TLS, verifying signed tokens) and the dashboard gateway, all on
# port 0 (each bound port read from the service's JSON "start" log line); the gateway serves HTTPS
# with a sign-in. Exports the RELAIS_*_ADDR variables, RELAIS_DASHBOARD (https://...),
# RELAIS_TLS_CA and RELAIS_TOKEN_KEY (the signing key, so the test can issue each user's token
# with `relaisctl admin issue-token`).
#   stack_start BIN_DIR SRC_DIR WORK_DIR    BIN_DIR = the build folder
#   stack_stop                              (also on EXIT)
stack_pids=()

stack_stop() {
  local pid
  for pid in "${stack_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${stack_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  stack_pids=()
}

# A port nobody listens on: a connection to it is refused.
stack_free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

# stack_port LOG KEY: waits for the "start" line in LOG and prints its KEY ("port", "http_port").
stack_port() {
  local log=$1 key=$2 port
  for _ in $(seq 300); do
    port=$(grep -h '"msg":"start"' "$log" 2>/dev/null | grep -o "\"$key\":[0-9]*" | head -1 | cut -d: -f2)
    [ -n "$port" ] && [ "$port" != 0 ] && { echo "$port"; return 0; }
    sleep 0.05
  done
  echo "stack: no start line with $key in $log:" >&2
  cat "$log" >&2
  return 1
}

stack_start() {
  local bin=$1 src=$2 work=$3 redis_port
  mkdir -p "$work"
  for _ in 1 2 3 4 5; do
    redis_port=$(stack_free_port)
    redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no \
      --daemonize no >"$work/redis.log" 2>&1 &
    stack_pids+=($!)
    for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.05; done
    redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
    stack_stop
  done
  # As deployed (issue #6): relais-redis-setup loads the Functions and creates each service's
  # Redis user (the default user stays on: this is a test's private Redis), and every service
  # connects as its own user with its password file.
  local secrets="$work/secrets" user
  mkdir -p "$secrets" && chmod 700 "$secrets"
  for user in relais-crisis-registry relais-inventory relais-mobilisation; do
    (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '/+=\n' >"$secrets/$user.password")
  done
  "$bin/services/redis_setup/relais-redis-setup" --redis_port="$redis_port" \
    --passwords_dir="$secrets" >"$work/redis-setup.log" 2>&1 ||
    { echo "stack: relais-redis-setup failed:" >&2; cat "$work/redis-setup.log" >&2; return 1; }
  # Tokens and TLS (issue #6): the development CA, signing key and service tokens.
  local sec="$work/security"
  bash "$src/deploy/local/dev-security.sh" "$sec" "$bin/clients/relaisctl/relaisctl" 2>"$work/security.log" ||
    { echo "stack: dev-security.sh failed:" >&2; cat "$work/security.log" >&2; return 1; }
  tls() { echo "--tls_ca=$sec/tls/ca.pem" "--tls_cert=$sec/tls/$1.pem" "--tls_key=$sec/tls/$1-key.pem"; }
  local common=(--listen_address=127.0.0.1:0 --metrics_address=127.0.0.1:0 --redis_port="$redis_port"
    --catalogue_path="$src/deploy/catalogue.textproto" --token_public_key="$sec/tokens/public-key.pem")
  # shellcheck disable=SC2046
  "$bin/services/crisis_registry/crisis_registry" "${common[@]}" $(tls crisis-registry) \
    --redis_username=relais-crisis-registry \
    --redis_password_file="$secrets/relais-crisis-registry.password" \
    >"$work/crisis_registry.log" 2>&1 &
  stack_pids+=($!)
  # shellcheck disable=SC2046
  "$bin/services/inventory/inventory" "${common[@]}" $(tls inventory) \
    --redis_username=relais-inventory --redis_password_file="$secrets/relais-inventory.password" \
    >"$work/inventory.log" 2>&1 &
  stack_pids+=($!)
  export RELAIS_CRISIS_ADDR="127.0.0.1:$(stack_port "$work/crisis_registry.log" port)"
  export RELAIS_INVENTORY_ADDR="127.0.0.1:$(stack_port "$work/inventory.log" port)"
  # shellcheck disable=SC2046
  "$bin/services/mobilisation/mobilisation" "${common[@]}" $(tls mobilisation) \
    --service_token="$sec/tokens/svc-mobilisation.jwt" --redis_username=relais-mobilisation \
    --redis_password_file="$secrets/relais-mobilisation.password" \
    --crisis_registry_address="$RELAIS_CRISIS_ADDR" --inventory_address="$RELAIS_INVENTORY_ADDR" \
    >"$work/mobilisation.log" 2>&1 &
  stack_pids+=($!)
  export RELAIS_MOBILISATION_ADDR="127.0.0.1:$(stack_port "$work/mobilisation.log" port)"
  # shellcheck disable=SC2046
  "$bin/services/gateway/gateway" --http_address=127.0.0.1:0 --metrics_address=127.0.0.1:0 \
    $(tls gateway) --service_token="$sec/tokens/svc-gateway.jwt" \
    --http_tls_cert="$sec/tls/gateway.pem" --http_tls_key="$sec/tls/gateway-key.pem" \
    --token_public_key="$sec/tokens/public-key.pem" \
    --crisis_registry_address="$RELAIS_CRISIS_ADDR" --inventory_address="$RELAIS_INVENTORY_ADDR" \
    --mobilisation_address="$RELAIS_MOBILISATION_ADDR" >"$work/gateway.log" 2>&1 &
  stack_pids+=($!)
  export RELAIS_DASHBOARD="https://127.0.0.1:$(stack_port "$work/gateway.log" http_port)"
  export RELAIS_TLS_CA="$sec/tls/ca.pem" RELAIS_TOKEN_KEY="$sec/tokens/signing-key.pem"
  export PATH="$bin/clients/relaisctl:$PATH"
  trap stack_stop EXIT
}
