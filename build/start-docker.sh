#!/usr/bin/env bash
# Makes a Docker engine available for the integration tests on a Debian machine where we are root:
# installs docker.io (engine), busybox-static, socat and openssl (for the irisops-standin image) and docker-compose when missing,
# then starts dockerd in the background unless an engine already answers. Waits at most 60 s for the socket.
# Usage: bash build/start-docker.sh   (then: IRISOPS_REQUIRE_DOCKER=1 dotnet pwsh ./build.ps1 -Task Test)
set -euo pipefail

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
dpkg -s busybox-static >/dev/null 2>&1 || missing+=(busybox-static)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
# The test image's ECP imitation copies socat and openssl (with their libraries) into its FROM-scratch image.
command -v socat >/dev/null 2>&1 || missing+=(socat)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
    echo "Docker engine already answers: $(docker version --format '{{.Server.Version}}')"
    exit 0
fi

log=${TMPDIR:-/tmp}/irisops-dockerd.log
echo "Starting dockerd (log: $log)"
# Descriptors 3-9 are closed for dockerd: a caller's lock file (flock) must not live on in the daemon.
nohup dockerd >"$log" 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
for _ in $(seq 1 60); do
    if docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
        echo "Docker engine $(docker version --format '{{.Server.Version}}') is up"
        exit 0
    fi
    sleep 1
done
echo "dockerd did not answer within 60 s; see $log" >&2
tail -n 20 "$log" >&2 || true
exit 1
