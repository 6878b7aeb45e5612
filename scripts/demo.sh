#!/usr/bin/env bash
# README command 1: set up, build, then run brig's main job on the bundled
# examples, offline: import the example advisories into a demo database,
# scan a Node.js project and a Debian root filesystem, and gate on severity
# the way a CI job would.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
BRIG=build/brig
DB="${XDG_CACHE_HOME:-$HOME/.cache}/brig/demo/brig.db"
rm -f "$DB"
mkdir -p "$(dirname "$DB")"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

step brig db import --db "$DB" examples/advisories
$BRIG db import --db "$DB" examples/advisories
step brig fs --db "$DB" examples/node-app
$BRIG fs --db "$DB" examples/node-app
step brig rootfs --db "$DB" --list-all-pkgs examples/debian-rootfs
$BRIG rootfs --db "$DB" --list-all-pkgs examples/debian-rootfs
step brig rootfs --db "$DB" --severity HIGH,CRITICAL --exit-code 1 examples/debian-rootfs
set +e
$BRIG rootfs --db "$DB" --severity HIGH,CRITICAL --exit-code 1 --quiet examples/debian-rootfs >/dev/null
rc=$?
set -e
echo "exit code: $rc (1: HIGH/CRITICAL findings would fail this CI step)"
if [ -d examples/insecure ] && $BRIG config --help >/dev/null 2>&1; then
	step brig config examples/insecure
	$BRIG config examples/insecure || true
fi
