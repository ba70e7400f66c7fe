#!/usr/bin/env bash
# Usage: check_package.sh BUILD_DIR VERSION
# Packs the .deb, then checks its metadata and contents and runs the packaged binary.
set -euo pipefail
build="$1"; version="$2"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; exit 1; }
deb="$(ls "$work"/out/switchboard_*.deb)"
echo "built $(basename "$deb")"

fail() { echo "FAIL: $*"; exit 1; }
info="$(dpkg-deb --info "$deb")"
grep -q "Package: switchboard" <<<"$info" || fail "package name"
grep -q "Version: $version" <<<"$info" || fail "version $version"
grep -qE "Depends:.*libqt6widgets6" <<<"$info" || fail "Depends lacks libqt6widgets6 (shlibdeps)"

contents="$(dpkg-deb -c "$deb")"
for path in ./usr/bin/switchboard ./usr/share/applications/switchboard.desktop \
            ./usr/share/icons/hicolor/scalable/apps/switchboard.svg; do
    grep -q " $path\$" <<<"$contents" || fail "missing $path"
done

# What `apt-get install ./switchboard_*.deb` would do, without changing this machine: every
# dependency resolves (installed, or installable from the configured sources).
plan="$(apt-get install -s "$deb" 2>&1)" || fail "apt-get cannot install the package: $plan"
grep -qE "^Inst switchboard " <<<"$plan" || fail "apt-get would not install switchboard: $plan"

dpkg-deb -x "$deb" "$work/root"
out="$("$work/root/usr/bin/switchboard" --version)"
[ "$out" = "switchboard $version" ] || fail "--version printed '$out'"
command -v desktop-file-validate >/dev/null || fail "desktop-file-validate is missing (scripts/setup.sh installs desktop-file-utils)"
problems="$(desktop-file-validate "$work/root/usr/share/applications/switchboard.desktop" 2>&1)" \
    || fail "the .desktop entry is invalid: $problems"
[ -z "$problems" ] || fail "desktop-file-validate: $problems"
echo "package ok: $out"
