#!/usr/bin/env bash
# Development security material for the local stack and the tests (issue #6, docs/SECURITY.md).
# Makes, in DIR:
#   tls/ca.pem, tls/NAME.pem, tls/NAME-key.pem   a development CA and one certificate per process
#                                                (dev-ca.sh), for mutual TLS between services
#   tokens/signing-key.pem (mode 600)            the ES256 key that signs every token
#   tokens/public-key.pem                        what the services verify tokens with
#   tokens/svc-mobilisation.jwt                  the mobilisation service's token (role service)
#   tokens/svc-gateway.jwt                       the dashboard gateway's token (role dashboard)
#   tokens/viewer.jwt                            a person's dashboard token, to sign in to the
#                                                dashboard in a browser (role dashboard, 7 days)
# The gateway's certificate (tls/gateway.pem: serverAuth, localhost and 127.0.0.1) also serves the
# dashboard over HTTPS. Keys and certificates are made once and kept; the tokens are issued again
# at every run (services' valid 30 days; a service re-reads its token file when it changes). Production brings its
# own CA, certificates and signing key and issues tokens with `relaisctl admin issue-token`.
#   dev-security.sh DIR RELAISCTL
set -euo pipefail
dir=$1 relaisctl=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
umask 077
mkdir -p "$dir/tokens"
bash "$here/dev-ca.sh" "$dir/tls" crisis-registry inventory mobilisation gateway

key="$dir/tokens/signing-key.pem"
if [ ! -s "$key" ]; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$key" 2>/dev/null
fi
openssl pkey -in "$key" -pubout -out "$dir/tokens/public-key.pem" 2>/dev/null
chmod 644 "$dir/tokens/public-key.pem"

"$relaisctl" admin issue-token svc-mobilisation service --key "$key" --ttl 720h \
  --out "$dir/tokens/svc-mobilisation.jwt" >/dev/null
"$relaisctl" admin issue-token svc-gateway dashboard --key "$key" --ttl 720h \
  --out "$dir/tokens/svc-gateway.jwt" >/dev/null
"$relaisctl" admin issue-token viewer-local dashboard --key "$key" --ttl 168h \
  --out "$dir/tokens/viewer.jwt" >/dev/null
