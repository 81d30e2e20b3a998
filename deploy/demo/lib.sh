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

# Who is acting. Coordinators of the Métropole's crisis cell run crises; the directory's
# administrator loads the organisations' lists.
as_admin() { RELAIS_PRINCIPAL=admin-relais RELAIS_ROLE=admin RELAIS_ORGANISATION= RELAIS_RESPONDER= "$@"; }
as_coordinator() {
  RELAIS_PRINCIPAL=coord-metropole-lyon RELAIS_ROLE=coordinator RELAIS_ORGANISATION= RELAIS_RESPONDER= "$@"
}
as_osi() {  # as_osi ORG_ID COMMAND...
  local org=$1; shift
  RELAIS_PRINCIPAL="osi-admin-$org" RELAIS_ROLE=osi_admin RELAIS_ORGANISATION=$org RELAIS_RESPONDER= "$@"
}
as_responder() {  # as_responder RESPONDER_ID ORG_ID COMMAND...
  local who=$1 org=$2; shift 2
  RELAIS_PRINCIPAL="person-$who" RELAIS_ROLE=responder RELAIS_ORGANISATION=$org RELAIS_RESPONDER=$who "$@"
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
