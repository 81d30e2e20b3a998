# Shared by the demo scripts (sourced): identities, pacing, JSON helpers. Needs relaisctl on PATH,
# the RELAIS_*_ADDR variables of the running stack, and jq.

# Pause between steps so a person watching the dashboard can follow; RELAIS_DEMO_PACE=0 (or
# RELAIS_SMOKE) plays without pauses.
pace() {
  local seconds=${RELAIS_DEMO_PACE:-3}
  [ -n "${RELAIS_SMOKE:-}" ] && seconds=0
  [ "$seconds" = 0 ] || sleep "$seconds"
}
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
note() { printf '   %s\n' "$*"; }

# Who is acting, each with their own signed token (issue #6): the scripts hold the signing key
# of the local stack (RELAIS_TOKEN_KEY), so they issue each user's token on first use, valid for
# the run, into a private folder. Coordinators of the Métropole's crisis cell run crises; the
# directory's administrator registers organisations and loads the organisations' lists.
: "${RELAIS_TOKEN_KEY:?must name the signing key of the tokens of the stack (run.sh sets it)}"
DEMO_TOKENS=$(mktemp -d "${TMPDIR:-/tmp}/relais-demo-tokens.XXXXXX")
trap 'rm -rf "$DEMO_TOKENS"' EXIT
unset RELAIS_TOKEN RELAIS_TOKEN_FILE RELAIS_PRINCIPAL RELAIS_ROLE RELAIS_ORGANISATION RELAIS_RESPONDER
token_of() {  # token_of SUBJECT ROLE [ORG_ID [RESPONDER_ID]]: the token file, issued once per run
  local file="$DEMO_TOKENS/$1.jwt"
  if [ ! -s "$file" ]; then
    relaisctl admin issue-token "$1" "$2" ${3:+--organisation-id "$3"} ${4:+--responder-id "$4"} \
      --ttl 12h --out "$file" >/dev/null 2>"$file.log" || { cat "$file.log" >&2; return 1; }
  fi
  printf '%s' "$file"
}
as_admin() { RELAIS_TOKEN_FILE=$(token_of admin-relais admin) "$@"; }
as_coordinator() { RELAIS_TOKEN_FILE=$(token_of coord-metropole-lyon coordinator) "$@"; }
as_osi() {  # as_osi ORG_ID COMMAND...
  local org=$1; shift
  RELAIS_TOKEN_FILE=$(token_of "osi-admin-$org" osi_admin "$org") "$@"
}
as_responder() {  # as_responder RESPONDER_ID ORG_ID COMMAND...
  local who=$1 org=$2; shift 2
  RELAIS_TOKEN_FILE=$(token_of "person-$who" responder "$org" "$who") "$@"
}

# Every organisation of the directory as "external_ref id" lines.
organisation_ids() {
  as_admin relaisctl --json org list --all | jq -r '.organisations[] | select(.external_ref != "") | "\(.external_ref) \(.id)"'
}
org_id() {  # org_id EXTERNAL_REF
  organisation_ids | awk -v ref="$1" '$1 == ref { print $2 }'
}

# Names for the narration: responder id -> display name (cached per run).
declare -A DEMO_NAMES=()
name_of() {
  local id=$1
  if [ -z "${DEMO_NAMES[$id]:-}" ]; then
    DEMO_NAMES[$id]=$(as_admin relaisctl --json responder get "$id" 2>/dev/null | jq -r '.display_name // empty')
  fi
  printf '%s' "${DEMO_NAMES[$id]:-$id}"
}
