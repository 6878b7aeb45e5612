#!/usr/bin/env bash
# Idempotent machine setup and build for brig (Debian 12).
#
#  1. Installs the Debian packages brig and its tests need, only those that are
#     missing (apt-get update runs once, and only then). A ready machine never
#     touches apt. As non-root with packages missing: prints what to install,
#     exits 1.
#  2. Configures build/ (gcc) once with Meson, then builds it with Ninja
#     (Ninja re-runs Meson by itself when a meson.build changes).
#
# Environment: BRIG_SETUP_NO_BUILD=1 skips step 2.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
	# toolchain and build
	build-essential meson ninja-build pkg-config clang
	# libraries brig builds against (jansson and libfyaml linked statically, the rest loaded on first use)
	libarchive-dev libisal-dev isal libzstd-dev libcurl4-openssl-dev libjansson-dev
	libfyaml-dev libsqlite3-dev libssl-dev
	# unit and end-to-end tests
	libcmocka-dev python3 python3-pytest
	podman runc buildah skopeo docker-registry apache2-utils debootstrap zstd uidmap
	nodejs npm openssl ca-certificates docker-compose bc
)

installed() {
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

missing=()
for pkg in "${PACKAGES[@]}"; do
	if [ "$pkg" = npm ] && command -v npm >/dev/null 2>&1; then
		# NodeSource's nodejs bundles npm and conflicts with Debian's npm package
		continue
	fi
	installed "$pkg" || missing+=("$pkg")
done

if ((${#missing[@]})); then
	if [ "$(id -u)" -ne 0 ]; then
		echo "setup.sh: missing Debian packages: ${missing[*]}" >&2
		echo "install them as root with:" >&2
		echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
		exit 1
	fi
	echo "setup.sh: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# the offline schema validator the tests use (SARIF, CycloneDX, SPDX):
# pinned versions from the npm registry, installed once
if [ ! -d tests/tools/schemacheck/node_modules/ajv ] && command -v npm >/dev/null; then
	(cd tests/tools/schemacheck && npm ci --no-audit --no-fund --loglevel=error) ||
		echo "setup.sh: warning: npm ci in tests/tools/schemacheck failed; schema tests will skip" >&2
fi

[ "${BRIG_SETUP_NO_BUILD:-0}" = 1 ] && exit 0

if [ ! -f build/build.ninja ]; then
	# a half-configured build/ (interrupted setup) is wiped, a fresh one created
	if [ -d build/meson-private ]; then
		CC=gcc meson setup --wipe build
	else
		CC=gcc meson setup build
	fi
fi
ninja -C build
