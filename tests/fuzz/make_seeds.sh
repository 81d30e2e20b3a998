#!/usr/bin/env bash
# Rebuilds the seed corpus of fuzz_validation from its readable sources:
# seeds/fuzz_validation/NN-name.txtpb (first line "# relais.v1.<Message>: what it is") becomes
# corpus/fuzz_validation/NN-name, the byte NN (the validator's index in fuzz_validation.cc)
# followed by the message in protobuf's wire format. Run it after editing a seed; commit both.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$here/corpus/fuzz_validation"
mkdir -p "$out"
for seed in "$here"/seeds/fuzz_validation/*.txtpb; do
  name=$(basename "$seed" .txtpb)
  index=$((10#${name%%-*}))
  message=$(head -1 "$seed" | sed -E 's/^# *([A-Za-z0-9_.]+).*/\1/')
  {
    printf "\\x$(printf %02x "$index")"
    protoc --encode="$message" -I "$root/proto" -I /usr/include \
      "$root"/proto/relais/v1/*.proto <"$seed"
  } >"$out/$name"
done
ls -l "$out"
