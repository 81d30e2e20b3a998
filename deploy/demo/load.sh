#!/usr/bin/env bash
# Loads the Lyon demo data set into the running stack: organisations, warehouses, stock,
# responders and teams from the CSV files beside this script (`relaisctl import`, matched by
# external_ref: a second run writes nothing new), then each responder's availability for the
# coming months (one request id per responder and day: a second run the same day writes nothing).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"

step "The directory of the Lyon milieu: organisations, their warehouses, stock, people and teams"
for what in organisations warehouses stock responders teams; do
  as_admin relaisctl import "$what" "$here/$what.csv"
done

step "Availability: what each OSI declares for its people (today onwards)"
today=$(date -u +%F)
from=$(date -u +%Y-%m-%dT00:00:00Z)
until_=$(date -u -d '+120 days' +%Y-%m-%dT00:00:00Z)
count=0
while read -r ref org; do
  # Each OSI declares for its own people.
  while IFS='|' read -r id rref; do
    # A few are on call rather than free, one in ten is away for a week in the coming month.
    kind=available
    case "$rref" in *3 | *7) kind=on-call ;; esac
    as_osi "$org" relaisctl --request-id "demo-avl-$rref-$today" availability set "$id" \
      --kind "$kind" --from "$from" --until "$until_" >/dev/null
    case "$rref" in
      *0)
        as_osi "$org" relaisctl --request-id "demo-away-$rref-$today" availability set "$id" \
          --kind unavailable --note "congés" --from "$(date -u -d '+20 days' +%Y-%m-%dT00:00:00Z)" \
          --until "$(date -u -d '+27 days' +%Y-%m-%dT00:00:00Z)" >/dev/null
        ;;
    esac
    count=$((count + 1))
  done < <(as_osi "$org" relaisctl --json responder list --organisation-id "$org" --all |
    jq -r '.responders[]? | "\(.id)|\(.external_ref)"')
done < <(organisation_ids)
note "$count responders have a calendar for the next 120 days"
as_admin relaisctl org list
