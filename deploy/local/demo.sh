#!/usr/bin/env bash
# The scripted Lyon example, played by run.sh against the running stack with relaisctl:
# a coordinator of the Métropole's crisis cell declares a heatwave in the metropolitan area and a
# lead NGO declares a cholera outbreak at a partner's site abroad, then runs them through their
# lifecycle. Each step prints what a coordinator would see.
set -euo pipefail
export RELAIS_PRINCIPAL=${RELAIS_PRINCIPAL:-coord-metropole-lyon} RELAIS_ROLE=${RELAIS_ROLE:-coordinator}
run_id=$(date +%s)   # request ids of this run: re-running the demo declares new crises

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# The id of the resource a --json answer describes.
id_of() { grep -o '"id": *"[a-z]*_[0-9A-Z]*"' | head -1 | cut -d'"' -f4; }

step "Heatwave in the Lyon metropolitan area (local: matched by distance)"
heat_json=$(relaisctl --json --request-id "demo-$run_id-heat" crisis declare \
  --title "Canicule - Métropole de Lyon" --kind heatwave --scope local \
  --severity severe --urgency immediate --certainty observed \
  --lat 45.7640 --lon 4.8357 --radius-km 25 --area "Métropole de Lyon, 59 communes" \
  --country FR --commune Lyon \
  --description "Vigilance rouge canicule: renfort des EHPAD et des centres d'hébergement." \
  --need "skill:nurse=6,priority=high,days=5,lang=fr" \
  --need "skill:physician-gp=2,priority=high,days=5,lang=fr" \
  --need "skill:psychologist-mhpss=1,priority=medium,days=5,lang=fr" \
  --need "supply:ors-sachet=2000,priority=high")
heat=$(id_of <<<"$heat_json")
relaisctl crisis get "$heat"

step "Cholera outbreak at a partner's site abroad (deployment from Lyon)"
cholera_starts=$(date -u -d '-2 days' +%Y-%m-%dT%H:%M:%SZ)
cholera_args=(
  --title "Choléra - camp de déplacés de Kalemie" --kind epidemic --scope abroad
  --severity severe --urgency immediate --certainty observed
  --lat -5.9475 --lon 29.1947 --radius-km 30 --area "Kalemie, province du Tanganyika"
  --country CD --commune Kalemie --starts "$cholera_starts"
  --description "Flambée de choléra; le partenaire local demande un appui WASH et médical."
  --need "skill:wash-engineer=2,priority=critical,days=28,lang=fr,cert=yellow-fever-vaccination"
  --need "skill:nurse=4,priority=high,days=14,lang=fr,cert=cholera-vaccination"
  --need "skill:physician-gp=1,priority=high,days=14,lang=fr"
  --need "skill:logistician=2,priority=high,days=28,lang=fr,cert=bioforce-diploma"
  --need "supply:who-cholera-kit-periphery=3,priority=critical"
  --need "supply:iddk-module=4,priority=high"
  --need "team:ifrc-eru-cholera-case-management=1,priority=critical,days=28"
)
cholera_json=$(relaisctl --json --request-id "demo-$run_id-cholera" crisis declare "${cholera_args[@]}")
cholera_id=$(id_of <<<"$cholera_json")
relaisctl crisis get "$cholera_id"

step "A retried declare (same request id) returns the same crisis and writes nothing"
again=$(relaisctl --json --request-id "demo-$run_id-cholera" crisis declare "${cholera_args[@]}" | id_of)
echo "first: $cholera_id  retry: $again"
[ "$again" = "$cholera_id" ]

step "Bad input is refused with the field named, and nothing is written"
if relaisctl crisis declare --title "Crue du Rhône" --kind flood --scope local \
  --severity moderate --urgency expected --certainty likely \
  --lat 45.76 --lon 4.83 --radius-km -3 --area "Quais du Rhône" --country FR; then
  echo "unexpected: accepted"; exit 1
fi

step "Activate both crises: mobilisation may start"
relaisctl crisis activate "$heat" >/dev/null
relaisctl crisis activate "$cholera_id" >/dev/null
relaisctl crisis list

step "The situation evolves: more severe, a hygiene promoter added, more nurses"
relaisctl crisis update "$cholera_id" --severity extreme \
  --description "Plus de 300 cas suspects; extension au camp voisin." >/dev/null
need_json=$(relaisctl --json crisis add-need "$cholera_id" \
  --need "skill:hygiene-promoter=3,priority=high,days=21,lang=fr+sw")
need=$(id_of <<<"$need_json")
relaisctl crisis update-need "$cholera_id" "$need" --quantity 4 >/dev/null
relaisctl crisis get "$cholera_id"

step "The heatwave eases: paused, then closed"
relaisctl crisis pause "$heat" --reason "Fin de la vigilance rouge, vigilance orange maintenue" >/dev/null
relaisctl crisis close "$heat" --reason "Fin de l'épisode caniculaire" >/dev/null
echo "a closed crisis is final:"
relaisctl crisis activate "$heat" || true
relaisctl crisis list --status closed

step "The directory of the Lyon milieu: organisations register (stable request ids: re-running the demo registers nothing twice)"
org() {  # org KEY FLAGS...: registers an organisation, prints its id
  relaisctl --json --request-id "demo-org-$1" org register "${@:2}" | id_of
}
bioforce=$(org bioforce --name "Institut Bioforce" --kind training-institute \
  --domain training --domain logistics --domain wash --commune Vénissieux \
  --lat 45.6975 --lon 4.8867 --website https://www.bioforce.org \
  --description "Formation aux métiers de l'humanitaire: logisticiens, coordinateurs, WASH.")
hi=$(org hi --name "Handicap International - Humanity & Inclusion" --kind ngo \
  --domain rehabilitation --domain humanitarian-health --domain mhpss --commune "Lyon 8e" \
  --lat 45.7365 --lon 4.8695 --website https://www.hi.org)
org croix-rouge --name "Croix-Rouge française - Rhône" --kind ngo \
  --domain emergency-response --domain humanitarian-health --commune Lyon \
  --lat 45.7578 --lon 4.8320 >/dev/null
org bioport --name "Bioport" --kind logistics-platform --domain logistics \
  --commune Vaulx-en-Velin --lat 45.7787 --lon 4.9216 >/dev/null
org resacoop --name "RESACOOP" --kind network --domain training --commune "Lyon 2e" \
  --lat 45.7485 --lon 4.8270 >/dev/null
relaisctl org list
relaisctl org list --domain logistics

step "Handicap International offers responders (made-up people) and their availability"
export RELAIS_ORGANISATION=$hi RELAIS_ROLE=osi_admin RELAIS_PRINCIPAL=osi-admin-hi
responder() {  # responder KEY FLAGS...: registers a responder for HI, prints their id
  relaisctl --json --request-id "demo-rsp-$1" responder register "${@:2}" | id_of
}
ines=$(responder ines --name "Inès Fontaine" --external-ref HI-0001 \
  --skill physiotherapist-rehab:4 --skill nurse:2 --lang fr --lang en --lang ar \
  --cert who-emt-training --cert yellow-fever-vaccination:2034-05-01 \
  --passport-until 2031-03-01 --passport-country FR \
  --lat 45.7480 --lon 4.8590 --commune "Lyon 7e" --max-days 28 \
  --contact email:ines.fontaine@example.org --contact sms:+33600000001)
youssef=$(responder youssef --name "Youssef Benali" --external-ref HI-0002 \
  --skill logistician:5 --skill wash-engineer:3 --lang fr --lang ar --lang sw \
  --cert bioforce-diploma --cert driving-licence-c \
  --passport-until 2029-11-15 --passport-country FR \
  --lat 45.7660 --lon 4.8800 --commune Villeurbanne --max-days 42 \
  --contact email:youssef.benali@example.org)
relaisctl responder list
today=$(date -u +%F)   # one calendar entry per day the demo runs, however often
relaisctl --request-id "demo-avl-$today-1" availability set "$youssef" --kind available \
  --from "$(date -u +%Y-%m-%dT00:00:00Z)" --until "$(date -u -d '+60 days' +%Y-%m-%dT00:00:00Z)" >/dev/null
relaisctl --request-id "demo-avl-$today-2" availability set "$youssef" --kind unavailable --note "formation" \
  --from "$(date -u -d '+10 days' +%Y-%m-%dT00:00:00Z)" --until "$(date -u -d '+17 days' +%Y-%m-%dT00:00:00Z)" >/dev/null
relaisctl availability get "$youssef"

relaisctl --request-id "demo-avl-$today-3" availability set "$ines" --kind available \
  --from "$(date -u +%Y-%m-%dT00:00:00Z)" --until "$(date -u -d '+60 days' +%Y-%m-%dT00:00:00Z)" >/dev/null

step "HI's stock at the Bioport platform: cholera kits and diarrhoeal disease kit modules"
warehouse=$(relaisctl --json --request-id demo-whs-hi warehouse register \
  --name "HI - stock Bioport" --commune Vaulx-en-Velin --lat 45.7787 --lon 4.9216 \
  --external-ref HI-WH-1 | id_of)
kits=$(relaisctl --json --request-id demo-stk-hi-1 stock offer --warehouse "$warehouse" \
  --item who-cholera-kit-periphery --lot CK-2026-041 --quantity 6 --expires 2028-03-31 \
  --external-ref HI-CK-041 | id_of)
relaisctl --request-id demo-stk-hi-2 stock offer --warehouse "$warehouse" --item iddk-module \
  --lot DD-2025-310 --quantity 10 --expires 2027-09-30 --external-ref HI-DD-310 >/dev/null
relaisctl stock list --warehouse "$warehouse"

step "HI offers a cholera case-management team: two responders and a kit, held all or nothing"
team=$(relaisctl --json --request-id demo-team-hi team offer --name "ERU choléra HI Lyon" \
  --type ifrc-eru-cholera-case-management --member "$ines" --member "$youssef" \
  --kit "$kits=1" --external-ref HI-ERU-1 | id_of)
relaisctl team get "$team"

step "Who can go? Nurses near Lyon for the heatwave (by distance)"
export RELAIS_PRINCIPAL=coord-metropole-lyon RELAIS_ROLE=coordinator
unset RELAIS_ORGANISATION
soon=$(date -u -d '+2 days' +%Y-%m-%dT08:00:00Z)
soon_end=$(date -u -d '+7 days' +%Y-%m-%dT18:00:00Z)
relaisctl responder find --skill nurse --from "$soon" --until "$soon_end" \
  --near 45.7640,4.8357 --radius-km 25 --language fr --mission-kind heatwave

step "Who can go to Kalemie? Logisticians deployable from Lyon for four weeks (by fit)"
away=$(date -u -d '+18 days' +%Y-%m-%dT06:00:00Z)
away_end=$(date -u -d '+46 days' +%Y-%m-%dT06:00:00Z)
relaisctl responder find --skill logistician --from "$away" --until "$away_end" --abroad \
  --mission-kind epidemic
relaisctl stock find --item who-cholera-kit-periphery --near -5.9475,29.1947 --quantity 3

step "Holds: Youssef for Kalemie, confirmed; nobody can promise him twice"
hold=$(relaisctl --json --request-id "demo-$run_id-hold-1" hold place --responder-id "$youssef" \
  --from "$away" --until "$away_end" --holder "demo:$run_id" --ttl 15m | id_of)
relaisctl --request-id "demo-$run_id-hold-1-ok" hold confirm "$hold"
echo "the whole team for an overlapping window is refused (Youssef is committed):"
relaisctl --request-id "demo-$run_id-hold-2" hold place --team-id "$team" \
  --from "$(date -u -d '+30 days' +%Y-%m-%dT06:00:00Z)" --until "$away_end" \
  --holder "demo:$run_id" || true
kit_hold=$(relaisctl --json --request-id "demo-$run_id-hold-3" hold place --stock-line-id "$kits" \
  --quantity 3 --holder "demo:$run_id" | id_of)
relaisctl stock list --warehouse "$warehouse"
echo "and he no longer shows up for that window:"
relaisctl responder find --skill logistician --from "$away" --until "$away_end" --abroad

step "The mission is called off: the commitment and the kits go back"
relaisctl --request-id "demo-$run_id-hold-1-rel" hold release-commitment "$hold" --reason "mission annulée" >/dev/null
relaisctl --request-id "demo-$run_id-hold-3-rel" hold release "$kit_hold" >/dev/null
relaisctl hold get "$hold"
relaisctl stock find --item who-cholera-kit-periphery --near -5.9475,29.1947 --quantity 3
export RELAIS_ORGANISATION=$hi RELAIS_ROLE=osi_admin RELAIS_PRINCIPAL=osi-admin-hi

step "A responder leaves: erasure removes every personal datum (GDPR)"
gone=$(responder "leaving-$run_id" --name "Personne Fictive" --external-ref HI-0099 --skill driver:2 \
  --lat 45.75 --lon 4.85 --max-days 7 --contact email:fictive@example.org)
relaisctl responder remove "$gone"
relaisctl responder get "$gone" || true
echo "(the Bioforce entry, for the record: $bioforce)"

step "Croix-Rouge offers four nurses for the Métropole (made-up people)"
# The same request as the directory step above, under the same principal: the same organisation.
crf=$(RELAIS_PRINCIPAL=coord-metropole-lyon RELAIS_ROLE=coordinator org croix-rouge \
  --name "Croix-Rouge française - Rhône" --kind ngo --domain emergency-response \
  --domain humanitarian-health --commune Lyon --lat 45.7578 --lon 4.8320)
export RELAIS_ORGANISATION=$crf RELAIS_ROLE=osi_admin RELAIS_PRINCIPAL=osi-admin-crf
crf_nurses=()
for i in 1 2 3 4; do
  names=("" "Léa Martin" "Karim Haddad" "Sophie Girard" "Thomas Nguyen")
  nurse=$(relaisctl --json --request-id "demo-rsp-crf-$i" responder register --name "${names[$i]}" \
    --external-ref "CRF-000$i" --skill nurse:3 --lang fr --lat 45.7700 --lon "4.8$((90 - 5 * i))" \
    --commune Villeurbanne --max-days 14 --contact "email:nurse$i@example.org" | id_of)
  relaisctl --request-id "demo-avl-$today-crf-$i" availability set "$nurse" --kind available \
    --from "$(date -u +%Y-%m-%dT00:00:00Z)" --until "$(date -u -d '+30 days' +%Y-%m-%dT00:00:00Z)" >/dev/null
  crf_nurses+=("$nurse")
done
relaisctl responder list

step "Mobilisation: a heatwave in Villeurbanne needs 2 nurses within the hour"
export RELAIS_PRINCIPAL=coord-metropole-lyon RELAIS_ROLE=coordinator
unset RELAIS_ORGANISATION
villeurbanne=$(relaisctl --json --request-id "demo-$run_id-vbn" crisis declare \
  --title "Canicule - Villeurbanne" --kind heatwave --scope local \
  --severity severe --urgency immediate --certainty observed \
  --lat 45.7719 --lon 4.8902 --radius-km 5 --area "Villeurbanne, résidences autonomie" \
  --country FR --commune Villeurbanne \
  --need "skill:nurse=2,priority=high,days=3,lang=fr" | id_of)
relaisctl --request-id "demo-$run_id-vbn-on" crisis activate "$villeurbanne" >/dev/null
vbn_need=$(relaisctl --json crisis get "$villeurbanne" | grep -o '"need_[0-9A-Z]*"' | head -1 | tr -d '"')
cursor=$(relaisctl --json crisis board "$villeurbanne" | grep -o '"cursor": *"[0-9-]*"' | tail -1 | cut -d'"' -f4)  # the board's own: the last
relaisctl need candidates --crisis-id "$villeurbanne" --need-id "$vbn_need" --limit 4

step "Mobilise with 1.5x overbooking: three nurses are held and asked (30 minutes to answer)"
relaisctl --request-id "demo-$run_id-vbn-mob" need mobilise --crisis-id "$villeurbanne" \
  --need-id "$vbn_need" --overbooking 1.5
request_of() {  # request_of RESPONDER: their pending request for this crisis
  relaisctl --json request list --responder-id "$1" --state requested |
    grep -o '"id": *"mrq_[0-9A-Z]*"' | head -1 | cut -d'"' -f4
}
answer() {  # answer RESPONDER FLAGS...: the responder answers their request
  local r; r=$(request_of "$1")
  [ -n "$r" ] || return 0
  RELAIS_ROLE=responder RELAIS_RESPONDER=$1 RELAIS_PRINCIPAL="person-$1" \
    relaisctl --request-id "demo-$run_id-answer-$1" request respond "$r" "${@:2}" >/dev/null
}
relaisctl crisis board "$villeurbanne"

step "Léa accepts, Karim declines (the next nurse is asked at once), Sophie accepts: covered"
answer "${crf_nurses[0]}" --accept
answer "${crf_nurses[1]}" --decline --reason "déjà d'astreinte"
answer "${crf_nurses[2]}" --accept
relaisctl need progress --crisis-id "$villeurbanne" --need-id "$vbn_need"
echo "Thomas, asked after Karim declined, was told he is no longer needed:"
relaisctl request list --crisis-id "$villeurbanne"

step "Léa goes: en route, on site, then released; the mission joins her experience"
lea_assignment=$(relaisctl --json assignment list --responder-id "${crf_nurses[0]}" --state accepted |
  grep -o '"id": *"asg_[0-9A-Z]*"' | head -1 | cut -d'"' -f4)
RELAIS_ROLE=responder RELAIS_RESPONDER=${crf_nurses[0]} RELAIS_PRINCIPAL="person-${crf_nurses[0]}" \
  relaisctl --request-id "demo-$run_id-lea-go" assignment status "$lea_assignment" --en-route >/dev/null
RELAIS_ROLE=responder RELAIS_RESPONDER=${crf_nurses[0]} RELAIS_PRINCIPAL="person-${crf_nurses[0]}" \
  relaisctl --request-id "demo-$run_id-lea-there" assignment status "$lea_assignment" --on-site >/dev/null
relaisctl crisis board "$villeurbanne"
relaisctl --request-id "demo-$run_id-lea-done" assignment demobilise "$lea_assignment" \
  --reason "fin de la vigilance" >/dev/null
sophie_assignment=$(relaisctl --json assignment list --responder-id "${crf_nurses[2]}" --state accepted |
  grep -o '"id": *"asg_[0-9A-Z]*"' | head -1 | cut -d'"' -f4)
relaisctl --request-id "demo-$run_id-sophie-done" assignment demobilise "$sophie_assignment" >/dev/null
relaisctl assignment list --crisis-id "$villeurbanne"
RELAIS_ORGANISATION=$crf RELAIS_ROLE=osi_admin relaisctl responder get "${crf_nurses[0]}"

step "What a dashboard watching the crisis saw, from the board's cursor (every step, in order)"
timeout 30 relaisctl crisis watch "$villeurbanne" --cursor "$cursor" --once 10
relaisctl crisis outreach "$villeurbanne"
