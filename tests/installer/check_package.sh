#!/usr/bin/env bash
# Usage: check_package.sh BUILD_DIR VERSION
# Packs the two .debs (switchboard: the console; switchboard-node: the headless replica for
# servers), then checks their metadata and contents and runs the packaged binaries.
set -euo pipefail
build="$1"; version="$2"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; exit 1; }
deb="$(ls "$work"/out/switchboard_*.deb)"
node_deb="$(ls "$work"/out/switchboard-node_*.deb)"
echo "built $(basename "$deb") and $(basename "$node_deb")"

fail() { echo "FAIL: $*"; exit 1; }
info="$(dpkg-deb --info "$deb")"
grep -q "Package: switchboard" <<<"$info" || fail "package name"
grep -q "Version: $version" <<<"$info" || fail "version $version"
grep -qE "Depends:.*libqt6widgets6" <<<"$info" || fail "Depends lacks libqt6widgets6 (shlibdeps)"
grep -qE "Depends:.*switchboard-node \(= $version\)" <<<"$info" || fail "the console does not depend on switchboard-node $version"

node_info="$(dpkg-deb --info "$node_deb")"
grep -q "Package: switchboard-node" <<<"$node_info" || fail "node package name"
grep -qE "Depends:.*libqt6websockets6" <<<"$node_info" || fail "node Depends lacks libqt6websockets6 (shlibdeps)"
! grep -qE "Depends:.*(libqt6widgets6|libqt6gui6|libqt6charts6|libgl|libx11)" <<<"$node_info" \
    || fail "switchboard-node depends on GUI libraries: $(grep Depends <<<"$node_info")"
node_contents="$(dpkg-deb -c "$node_deb")"
for path in ./usr/bin/switchboard-node ./lib/systemd/system/switchboard-node.service ./etc/switchboard/node.conf; do
    grep -q " $path\$" <<<"$node_contents" || fail "switchboard-node lacks $path"
done
grep -q "/usr/bin/switchboard\$" <<<"$node_contents" && fail "switchboard-node carries the console"
dpkg-deb --ctrl-tarfile "$node_deb" | tar -xO ./conffiles | grep -qx /etc/switchboard/node.conf \
    || fail "node.conf is not a conffile"

contents="$(dpkg-deb -c "$deb")"
for path in ./usr/bin/switchboard ./usr/share/applications/switchboard.desktop \
            ./usr/share/icons/hicolor/scalable/apps/switchboard.svg; do
    grep -q " $path\$" <<<"$contents" || fail "missing $path"
done

# What `apt-get install ./switchboard_*.deb` would do, without changing this machine: every
# dependency resolves (installed, or installable from the configured sources).
plan="$(apt-get install -s "$deb" "$node_deb" 2>&1)" || fail "apt-get cannot install the packages: $plan"
grep -qE "^Inst switchboard " <<<"$plan" || fail "apt-get would not install switchboard: $plan"
grep -qE "^Inst switchboard-node " <<<"$plan" || fail "apt-get would not install switchboard-node: $plan"

dpkg-deb -x "$deb" "$work/root"
dpkg-deb -x "$node_deb" "$work/root"
out="$("$work/root/usr/bin/switchboard" --version)"
[ "$out" = "switchboard $version" ] || fail "--version printed '$out'"
out="$("$work/root/usr/bin/switchboard-node" --version)"
[ "$out" = "switchboard-node $version" ] || fail "switchboard-node --version printed '$out'"
# The packaged replica runs with the packaged default config (in memory: no Redis, Kafka).
"$work/root/usr/bin/switchboard-node" node --config "$work/root/etc/switchboard/node.conf" --listen 127.0.0.1:0 \
    --demo-users >"$work/node.out" 2>&1 &
node_pid=$!
for _ in $(seq 100); do grep -q '^listening ' "$work/node.out" && break; sleep 0.1; done
grep -q '^listening ' "$work/node.out" || { kill "$node_pid"; fail "switchboard-node did not start: $(cat "$work/node.out")"; }
kill -TERM "$node_pid"; wait "$node_pid" || fail "switchboard-node did not drain and exit 0 on SIGTERM"
command -v systemd-analyze >/dev/null || fail "systemd-analyze is missing (scripts/setup.sh installs systemd)"
# Verified as installed, but pointing at the extracted binary (verify checks that
# ExecStart exists); it only warns on unknown keys, so any output is a failure too.
mkdir -p "$work/unit"
sed "s#/usr/bin/switchboard-node#$work/root/usr/bin/switchboard-node#" \
    "$work/root/lib/systemd/system/switchboard-node.service" >"$work/unit/switchboard-node.service"
problems="$(systemd-analyze verify --man=no "$work/unit/switchboard-node.service" 2>&1)" \
    || fail "systemd-analyze verify: $problems"
[ -z "$problems" ] || fail "systemd-analyze verify: $problems"
command -v desktop-file-validate >/dev/null || fail "desktop-file-validate is missing (scripts/setup.sh installs desktop-file-utils)"
problems="$(desktop-file-validate "$work/root/usr/share/applications/switchboard.desktop" 2>&1)" \
    || fail "the .desktop entry is invalid: $problems"
[ -z "$problems" ] || fail "desktop-file-validate: $problems"
echo "packages ok: switchboard and switchboard-node $version"
