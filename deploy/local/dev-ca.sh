#!/usr/bin/env bash
# Development certificate authority: makes DIR/ca.pem (and its key) once, then for each NAME a
# certificate NAME.pem and key NAME-key.pem signed by it, valid for localhost and 127.0.0.1, for
# both serving and calling (each service is a server and, towards the others, a client: mutual
# TLS). Keys are created with mode 600. Existing files are kept, so running it again is a no-op.
# Production takes its own CA and certificates through the --tls_* paths instead.
#   dev-ca.sh DIR NAME...
set -euo pipefail
dir=$1; shift
mkdir -p "$dir"
umask 077
days=${RELAIS_DEV_CA_DAYS:-90}

if [ ! -s "$dir/ca.pem" ]; then
  openssl ecparam -name prime256v1 -genkey -noout -out "$dir/ca-key.pem"
  openssl req -x509 -new -key "$dir/ca-key.pem" -sha256 -days "$days" -subj "/CN=Relais development CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$dir/ca.pem" 2>/dev/null
fi

for name in "$@"; do
  [ -s "$dir/$name.pem" ] && continue
  openssl ecparam -name prime256v1 -genkey -noout -out "$dir/$name-key.pem"
  openssl req -new -key "$dir/$name-key.pem" -subj "/CN=$name" -out "$dir/$name.csr" 2>/dev/null
  printf '%s\n' "subjectAltName=DNS:localhost,DNS:$name,IP:127.0.0.1" \
    "extendedKeyUsage=serverAuth,clientAuth" "keyUsage=critical,digitalSignature" \
    "basicConstraints=CA:FALSE" >"$dir/$name.ext"
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca-key.pem" \
    -CAcreateserial -days "$days" -sha256 -extfile "$dir/$name.ext" -out "$dir/$name.pem" 2>/dev/null
  rm -f "$dir/$name.csr" "$dir/$name.ext"
done
chmod 644 "$dir"/*.pem
chmod 600 "$dir"/*-key.pem
