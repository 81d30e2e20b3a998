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
