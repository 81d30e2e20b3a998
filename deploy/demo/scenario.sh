#!/usr/bin/env bash
# Plays one Lyon scenario against the running stack, at a pace a person watching the dashboard can
# follow (RELAIS_DEMO_PACE seconds between steps, default 3; RELAIS_SMOKE=1: no pauses, no wait
# for deadlines).
#   scenario.sh heatwave   a heatwave in the metropolitan area: local, matched by distance
#   scenario.sh cholera    a cholera outbreak at a partner's site abroad (Kalemie, DR Congo)
# Responders answer with a mix of accept, decline and silence, one accepted person withdraws;
# escalation fills the gaps; people go en route and on site, supplies ship, the team deploys.
# The scenario's crisis of an earlier run is stood down first (its people released, then closed),
# so running it again starts a fresh exercise with the same people.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"
scenario=${1:?usage: scenario.sh heatwave|cholera}
run=$(date +%s)
# Long enough to watch the countdown, short enough that silence visibly expires and escalates.
response_time=${RELAIS_DEMO_RESPONSE_TIME:-2m}

# --- helpers ------------------------------------------------------------------------------------

# Stands down an earlier run's crisis with this title: releases what is still engaged, closes it.
retire_previous() {
  local title=$1 id
  for id in $(as_coordinator relaisctl --json crisis list --all |
    jq -r --arg t "$title" '.crises[]? | select(.title == $t and .status != "CRISIS_STATUS_CLOSED") | .id'); do
    note "standing down the previous exercise $id"
    local asg
    for asg in $(as_coordinator relaisctl --json assignment list --all --crisis-id "$id" |
      jq -r '.assignments[]? | select(.state == "ASSIGNMENT_STATE_ACCEPTED" or .state == "ASSIGNMENT_STATE_EN_ROUTE" or .state == "ASSIGNMENT_STATE_ON_SITE" or .state == "ASSIGNMENT_STATE_COMMITTED" or .state == "ASSIGNMENT_STATE_SHIPPED") | .id'); do
      as_coordinator relaisctl --request-id "demo-$run-standdown-$asg" assignment demobilise "$asg" \
        --reason "fin de l'exercice" >/dev/null || true
    done
    as_coordinator relaisctl --request-id "demo-$run-close-$id" crisis close "$id" \
      --reason "exercice suivant" >/dev/null || true
  done
}

need_id() {  # need_id CRISIS CODE
  as_coordinator relaisctl --json crisis get "$1" |
    jq -r --arg c "$2" '[.needs[]? | select(.spec.resource.code == $c) | .id][0] // empty'
}

mobilise() {  # mobilise CRISIS NEED_CODE [OVERBOOKING]
  local need factor=${3:-1.5}; need=$(need_id "$1" "$2")
  note "mobilising $2 (need $need): ask ${factor}x what is missing, $response_time to answer"
  as_coordinator relaisctl --request-id "demo-$run-mob-$need" need mobilise --crisis-id "$1" \
    --need-id "$need" --overbooking "$factor" --response-time "$response_time" >/dev/null
}

declare -A SEEN=()   # requests already answered or left silent
declare -A PLAN=()   # need code -> the answers to give, in order ("accept decline silent ...")

request_state() { as_coordinator relaisctl --json request get "$1" | jq -r .state; }

# Answers every new pending request of the crisis: the next word of its need's plan (accept when
# the plan is used up). People answer for themselves, or their OSI answers for them.
answer_new() {  # answer_new CRISIS
  local crisis=$1 line id kind who team org need code word
  while IFS='|' read -r id kind who team org need; do
    [ -n "${SEEN[$id]:-}" ] && continue
    SEEN[$id]=1
    code=${NEED_CODE[$need]:-}
    # Surplus requests are cancelled as soon as the need is covered: only answer what still waits.
    if [ "$(request_state "$id")" != REQUEST_STATE_REQUESTED ]; then
      note "a request for $code is no longer needed: the need is covered"
      continue
    fi
    read -r word rest <<<"${PLAN[$code]:-accept}"
    PLAN[$code]=${rest:-accept}
    case "$kind" in
      CANDIDATE_KIND_RESPONDER)
        local name; name=$(name_of "$who")
        case "$word" in
          accept)
            note "$name ($code) accepts"
            as_responder "$who" "$org" relaisctl --request-id "demo-$run-ans-$id" request respond "$id" --accept >/dev/null ;;
          decline)
            note "$name ($code) declines: the next candidate is asked at once"
            as_responder "$who" "$org" relaisctl --request-id "demo-$run-ans-$id" request respond "$id" \
              --decline --reason "indisponible cette semaine" >/dev/null ;;
          osi)
            note "$name's organisation accepts on their behalf ($code)"
            as_osi "$org" relaisctl --request-id "demo-$run-ans-$id" request respond "$id" --accept >/dev/null ;;
          silent)
            note "$name ($code) does not answer: the request will expire and be escalated"
            as_responder "$who" "$org" relaisctl --request-id "demo-$run-ack-$id" request ack "$id" >/dev/null ;;
        esac ;;
      *)
        note "the organisation accepts the ${kind#CANDIDATE_KIND_} request ($code)"
        as_osi "$org" relaisctl --request-id "demo-$run-ans-$id" request respond "$id" --accept >/dev/null ;;
    esac
    pace
  done < <(as_coordinator relaisctl --json request list --crisis-id "$crisis" --state requested --all |
    jq -r '.requests[]? | [.id, .kind, .responder_id, .team_id, .organisation_id, .need_id] | join("|")')
}

# Keeps answering until no new request appears (declines escalate at once).
answer_until_quiet() {  # answer_until_quiet CRISIS
  local before=-1
  while [ "${#SEEN[@]}" != "$before" ]; do
    before=${#SEEN[@]}
    answer_new "$1"
  done
}

# Waits until the silent requests have expired and their replacements were asked, then answers.
wait_for_escalation() {  # wait_for_escalation CRISIS
  if [ -n "${RELAIS_SMOKE:-}" ]; then
    note "(smoke run: not waiting for the $response_time deadlines)"
    return
  fi
  local pending
  note "waiting for the silent requests' deadline ($response_time) and the escalation..."
  for _ in $(seq 120); do
    pending=$(as_coordinator relaisctl --json request list --crisis-id "$1" --state requested --all |
      jq -r --argjson seen "$(printf '%s\n' "${!SEEN[@]}" | jq -R . | jq -s .)" \
        '[.requests[]? | select(.id as $i | $seen | index($i) | not)] | length')
    [ "$pending" != 0 ] && break
    sleep 2
  done
  answer_until_quiet "$1"
}

deploy_all() {  # deploy_all CRISIS: accepted people and teams go, supplies ship
  local id kind who org
  while IFS='|' read -r id kind who org; do
    case "$kind" in
      CANDIDATE_KIND_RESPONDER)
        note "$(name_of "$who") is en route"
        as_responder "$who" "$org" relaisctl --request-id "demo-$run-go-$id" assignment status "$id" --en-route >/dev/null ;;
      CANDIDATE_KIND_TEAM)
        note "the team is en route"
        as_osi "$org" relaisctl --request-id "demo-$run-go-$id" assignment status "$id" --en-route >/dev/null ;;
      CANDIDATE_KIND_STOCK)
        note "supplies shipped"
        as_osi "$org" relaisctl --request-id "demo-$run-go-$id" assignment status "$id" --shipped >/dev/null ;;
    esac
    pace
  done < <(as_coordinator relaisctl --json assignment list --all --crisis-id "$1" |
    jq -r '.assignments[]? | select(.state == "ASSIGNMENT_STATE_ACCEPTED" or .state == "ASSIGNMENT_STATE_COMMITTED") | [.id, .kind, .responder_id, .organisation_id] | join("|")')
}

arrive_all() {  # arrive_all CRISIS: those en route arrive, shipped supplies are delivered
  local id kind who org qty
  while IFS='|' read -r id kind who org qty; do
    case "$kind" in
      CANDIDATE_KIND_STOCK)
        as_osi "$org" relaisctl --request-id "demo-$run-there-$id" assignment status "$id" --delivered --used "$qty" >/dev/null ;;
      CANDIDATE_KIND_RESPONDER)
        as_responder "$who" "$org" relaisctl --request-id "demo-$run-there-$id" assignment status "$id" --on-site >/dev/null ;;
      *)
        as_osi "$org" relaisctl --request-id "demo-$run-there-$id" assignment status "$id" --on-site >/dev/null ;;
    esac
  done < <(as_coordinator relaisctl --json assignment list --all --crisis-id "$1" |
    jq -r '.assignments[]? | select(.state == "ASSIGNMENT_STATE_EN_ROUTE" or .state == "ASSIGNMENT_STATE_SHIPPED") | [.id, .kind, .responder_id, .organisation_id, .quantity] | join("|")')
}

withdraw_one() {  # withdraw_one CRISIS CODE: one accepted person of that need withdraws
  local need id who org
  need=$(need_id "$1" "$2")
  read -r id who org < <(as_coordinator relaisctl --json assignment list --crisis-id "$1" --need-id "$need" \
    --state accepted | jq -r '.assignments[0]? | "\(.id) \(.responder_id) \(.organisation_id)"') || return 0
  [ -n "${id:-}" ] && [ "$id" != null ] || return 0
  note "$(name_of "$who") withdraws (family emergency): the need is escalated"
  as_responder "$who" "$org" relaisctl --request-id "demo-$run-wd-$id" assignment withdraw "$id" \
    --reason "urgence familiale" >/dev/null
  pace
}

declare -A NEED_CODE=()
remember_needs() {  # remember_needs CRISIS: need id -> catalogue code, for the narration
  local id code
  while IFS='|' read -r id code; do NEED_CODE[$id]=$code; done < <(as_coordinator relaisctl --json crisis get "$1" |
    jq -r '.needs[]? | [.id, .spec.resource.code] | join("|")')
}

# --- the scenarios ------------------------------------------------------------------------------

heatwave() {
  local title="Canicule - Métropole de Lyon"
  step "Heatwave: a red heat alert over the Lyon metropolitan area"
  retire_previous "$title"
  crisis=$(as_coordinator relaisctl --json --request-id "demo-$run-heat" crisis declare \
    --title "$title" --kind heatwave --scope local \
    --severity severe --urgency immediate --certainty observed \
    --lat 45.7640 --lon 4.8357 --radius-km 25 --area "Métropole de Lyon, 59 communes" \
    --country FR --commune Lyon \
    --description "Vigilance rouge canicule : renfort des EHPAD, résidences autonomie et centres d'hébergement." \
    --need "skill:nurse=6,priority=high,days=5,lang=fr" \
    --need "skill:physician-gp=2,priority=high,days=5,lang=fr" \
    --need "skill:psychologist-mhpss=1,priority=medium,days=5,lang=fr" \
    --need "supply:ors-sachet=2000,priority=high" | jq -r .id)
  as_coordinator relaisctl --request-id "demo-$run-heat-on" crisis activate "$crisis" >/dev/null
  remember_needs "$crisis"
  note "crisis $crisis declared and activated"
  pace
  PLAN[nurse]="accept decline accept silent accept osi accept accept"
  PLAN[physician-gp]="accept silent accept"
  PLAN[psychologist-mhpss]="decline silent accept"
  step "Mobilising nurses, physicians, a psychologist (by distance) and oral rehydration salts"
  for code in nurse physician-gp ors-sachet; do mobilise "$crisis" "$code"; pace; done
  mobilise "$crisis" psychologist-mhpss 1.0   # one at a time: a silence leaves the need short
  pace
  step "Answers come in"
  answer_until_quiet "$crisis"
  step "A nurse who had accepted withdraws"
  withdraw_one "$crisis" nurse
  answer_until_quiet "$crisis"
  step "Silence: requests expire and escalate"
  wait_for_escalation "$crisis"
  step "Deployment: people en route, salts shipped"
  deploy_all "$crisis"
  step "On site; salts delivered"
  arrive_all "$crisis"
  as_coordinator relaisctl crisis board "$crisis"
}

cholera() {
  local title="Choléra - camp de déplacés de Kalemie"
  step "Cholera: an outbreak at a partner's site abroad (Kalemie, DR Congo)"
  retire_previous "$title"
  crisis=$(as_coordinator relaisctl --json --request-id "demo-$run-cholera" crisis declare \
    --title "$title" --kind epidemic --scope abroad \
    --severity severe --urgency immediate --certainty observed \
    --lat -5.9475 --lon 29.1947 --radius-km 30 --area "Kalemie, province du Tanganyika" \
    --country CD --commune Kalemie \
    --description "Flambée de choléra ; le partenaire local demande un appui WASH, médical et des kits." \
    --need "team:ifrc-eru-cholera-case-management=1,priority=critical,days=28" \
    --need "skill:wash-engineer=2,priority=critical,days=28,lang=fr,cert=yellow-fever-vaccination" \
    --need "skill:nurse=4,priority=high,days=14,lang=fr,cert=cholera-vaccination" \
    --need "skill:physician-gp=1,priority=high,days=14,lang=fr" \
    --need "skill:logistician=2,priority=high,days=28,lang=fr,cert=bioforce-diploma" \
    --need "supply:who-cholera-kit-periphery=3,priority=critical" \
    --need "supply:iddk-module=4,priority=high" | jq -r .id)
  as_coordinator relaisctl --request-id "demo-$run-cholera-on" crisis activate "$crisis" >/dev/null
  remember_needs "$crisis"
  note "crisis $crisis declared and activated"
  pace
  PLAN[wash-engineer]="accept decline accept"
  PLAN[nurse]="accept accept silent decline osi accept"
  PLAN[physician-gp]="silent accept"
  PLAN[logistician]="decline accept accept"
  step "The cholera case-management team first (held whole), then people and kits"
  for code in ifrc-eru-cholera-case-management wash-engineer nurse logistician \
    who-cholera-kit-periphery iddk-module; do
    mobilise "$crisis" "$code"
    pace
  done
  mobilise "$crisis" physician-gp 1.0   # one at a time: a silence leaves the need short
  pace
  step "Answers come in"
  answer_until_quiet "$crisis"
  step "A WASH engineer who had accepted withdraws"
  withdraw_one "$crisis" wash-engineer
  answer_until_quiet "$crisis"
  step "Silence: requests expire and escalate"
  wait_for_escalation "$crisis"
  step "Departure: the team and the people en route, kits shipped"
  deploy_all "$crisis"
  step "Arrival in Kalemie; kits delivered"
  arrive_all "$crisis"
  as_coordinator relaisctl crisis board "$crisis"
}

case "$scenario" in
  heatwave) heatwave ;;
  cholera) cholera ;;
  *) echo "scenario.sh: unknown scenario '$scenario' (heatwave or cholera)" >&2; exit 2 ;;
esac
