#!/bin/sh
# The baseline for the certificate benchmark: the openssl command sequence that seed 001's
# gen-certificates.sh runs (genrsa + req + req -x509 for the CA; genrsa + req + x509 -req per node),
# for one CA, one data server and N application servers, RSA 2048.
# Usage: openssl-certificate-set.sh <folder> <application server count>
set -e
out=$1
count=$2
subject="/C=BE/ST=Wallonia/L=Namur/O=Community/OU=IT"
rm -rf "$out"
mkdir -p "$out"
openssl genrsa -out "$out/ca.key" 2048 2>/dev/null
openssl req -new -key "$out/ca.key" -out "$out/ca.csr" -subj "$subject/CN=testroot"
openssl req -x509 -key "$out/ca.key" -in "$out/ca.csr" -out "$out/ca.cer" -days 365 2>/dev/null
leaf() {
  openssl genrsa -out "$out/$1.key" 2048 2>/dev/null
  openssl req -new -key "$out/$1.key" -out "$out/$1.csr" -subj "$subject/CN=$1"
  openssl x509 -req -in "$out/$1.csr" -CA "$out/ca.cer" -CAkey "$out/ca.key" -out "$out/$1.cer" -CAcreateserial -days 365 2>/dev/null
}
leaf data-server
i=1
while [ "$i" -le "$count" ]; do
  leaf "app-server-$i"
  i=$((i + 1))
done
