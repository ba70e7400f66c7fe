#!/usr/bin/env bash
# Installs exactly the Debian 12 packages Switchboard needs to build, test and demo.
# Idempotent and quiet when everything is present; uses apt-get as root (or sudo).
set -euo pipefail

packages=(
    # build
    cmake g++ make pkg-config lld
    qt6-base-dev qt6-websockets-dev qt6-charts-dev libqt6opengl6-dev libqt6svg6 qt6-qpa-plugins
    libhiredis-dev librdkafka-dev zlib1g-dev
    # packaging (.deb through CPack; dpkg-shlibdeps computes the runtime dependencies;
    # systemd-analyze verifies switchboard-node's unit)
    dpkg-dev file desktop-file-utils systemd
    # tests: a real redis-server, kcat against the embedded Kafka, clang + libFuzzer,
    # Xvfb for the README screenshot, RabbitMQ Web-STOMP as a STOMP broker nobody here wrote
    # (the probe tests start their own broker on ephemeral ports, never the system service)
    redis-server kcat clang libclang-rt-14-dev xvfb xauth rabbitmq-server
    # the source layout check (tests/architecture/source_format.sh)
    clang-format
    # nginx in front of a devcluster (deploy/nginx, tests/deploy: started as a non-root
    # foreground process on a loopback port, never the system service); nchan is the
    # nginx pub/sub module, a peer for the benchmarks
    nginx libnginx-mod-nchan
    # deploy/kubernetes is checked by parsing it (no kubectl here)
    python3-yaml
    # the chat page every replica serves, tested in a real headless browser (tests/browser:
    # puppeteer-core from npm drives this binary; it downloads no browser of its own)
    chromium
)

missing=()
for package in "${packages[@]}"; do
    if [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$package" 2>/dev/null)" != "ii " ]; then
        missing+=("$package")
    fi
done
# Node.js may come from Debian or elsewhere (it bundles npm then); only its presence matters.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    missing+=(nodejs npm)
fi

[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}"
run_as_root=()
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "setup: these packages are missing and I am not root (no sudo): ${missing[*]}" >&2
        exit 1
    fi
    run_as_root=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
# Debian's postinst scripts start the services they install (redis-server, rabbitmq-server
# with its epmd). Tests run their own on ephemeral ports, and a machine without systemd
# may not start them cleanly: while installing, policy-rc.d (honoured by invoke-rc.d and
# deb-systemd-invoke) refuses every start, unless the machine already has its own policy.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
    "${run_as_root[@]}" sh -c "printf '#!/bin/sh\\nexit 101\\n' >$policy && chmod 755 $policy"
    trap '"${run_as_root[@]}" rm -f "$policy"' EXIT
fi
if ! { "${run_as_root[@]}" apt-get update -qq && \
       "${run_as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "setup: apt-get failed; see above" >&2
    exit 1
fi
rm -f "$log"
echo "setup: done"
