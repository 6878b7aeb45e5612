#!/usr/bin/env bash
# THE test command (README "Running the tests"; .ci/run execs it).
#
#   1. scripts/setup.sh          packages + gcc build in build/
#   2. meson test -C build       cmocka unit tests
#   3. pytest tests/e2e          end-to-end suite against build/brig
#   4. build-asan/               ASan+UBSan build: unit tests, then the e2e
#                                suite again with BRIG_BIN=build-asan/brig
#                                (the images of step 3 are reused, not rebuilt)
#   5. build-clang/              clang build, warnings as errors
#
# Ends with one line "N passed, N failed": meson + pytest test counts, plus
# one failure per build that did not compile. Exit status is non-zero when
# anything failed. Everything runs even when an early step fails.
#
# Environment: BRIG_TEST_SKIP_E2E=1 (unit tests only),
#              BRIG_TEST_SKIP_ASAN=1, BRIG_TEST_SKIP_CLANG=1,
#              PYTEST_ARGS (extra pytest arguments, e.g. "-x -k inventory").
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=/usr/bin/python3 # Debian's python3 has pytest; a pyenv python3 on PATH may not

mkdir -p tests/e2e/.work
WORK=$(mktemp -d "$ROOT/tests/e2e/.work/test-sh.XXXXXX")
E2E_RUN="$WORK/e2e" # shared by both e2e passes: images built once

cleanup() {
	# the e2e session stops its processes itself; if it died, stop them by the
	# PIDs it recorded (only if still ours: command line names the run dir)
	if [ -f "$E2E_RUN/pids" ]; then
		while read -r pid; do
			if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$E2E_RUN"; then
				kill "$pid" 2>/dev/null || true
			fi
		done <"$E2E_RUN/pids"
		sleep 1
	fi
	# then drop leftover mounts and files
	if command -v findmnt >/dev/null; then
		findmnt -rn -o TARGET | grep -F "$WORK/" | sort -r | while read -r m; do
			umount -l "$m" 2>/dev/null || true
		done
	fi
	rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PASSED=0
FAILED=0
STEPS=()

say() { printf '\n==> %s\n' "$*"; }
record() { # record STEP PASSED FAILED
	PASSED=$((PASSED + $2))
	FAILED=$((FAILED + $3))
	STEPS+=("$(printf '%-28s %4d passed, %d failed' "$1" "$2" "$3")")
}

# counts "passed failed" from meson's testlog.json
meson_counts() {
	"$PY" - "$1/meson-logs/testlog.json" <<'EOF'
import json, sys
ok = bad = 0
try:
    for line in open(sys.argv[1]):
        if not line.strip():
            continue
        r = json.loads(line).get("result", "")
        if r in ("OK", "EXPECTEDFAIL"):
            ok += 1
        elif r != "SKIP":
            bad += 1
except FileNotFoundError:
    bad = 1
print(ok, bad)
EOF
}

# counts "passed failed" from a pytest junit xml
junit_counts() {
	"$PY" - "$1" <<'EOF'
import sys
import xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except (OSError, ET.ParseError):
    print(0, 1)
    sys.exit()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
t = f = e = s = 0
for su in suites:
    t += int(su.get("tests", 0)); f += int(su.get("failures", 0))
    e += int(su.get("errors", 0)); s += int(su.get("skipped", 0))
print(t - f - e - s, f + e)
EOF
}

run_unit() { # run_unit BUILDDIR LABEL [meson test args]
	local dir=$1 label=$2
	shift 2
	say "unit tests ($label)"
	rm -f "$dir/meson-logs/testlog.json"
	meson test -C "$dir" --print-errorlogs "$@"
	read -r p f < <(meson_counts "$dir")
	record "unit ($label)" "$p" "$f"
}

run_e2e() { # run_e2e BRIG_BIN LABEL
	local bin=$1 label=$2 xml="$WORK/e2e-$2.xml"
	if [ "${BRIG_TEST_SKIP_E2E:-0}" = 1 ]; then
		return
	fi
	say "end-to-end tests ($label: $bin)"
	BRIG_BIN="$ROOT/$bin" BRIG_E2E_RUN_DIR="$E2E_RUN" \
		"$PY" -m pytest -q tests/e2e --durations=8 --junitxml="$xml" ${PYTEST_ARGS:-}
	read -r p f < <(junit_counts "$xml")
	record "e2e ($label)" "$p" "$f"
}

build() { # build DIR LABEL -> 0: everything compiled, 1: only brig, 2: not even brig
	local dir=$1 label=$2
	say "build $dir ($label)"
	if ninja -C "$dir"; then
		return 0
	fi
	record "build $dir" 0 1
	# still run the end-to-end tests when the binary itself builds
	say "build $dir failed: building only brig"
	ninja -C "$dir" brig && return 1
	return 2
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

# 1. setup + gcc build
say "setup (scripts/setup.sh)"
if ! BRIG_SETUP_NO_BUILD=1 scripts/setup.sh; then
	echo "scripts/setup.sh failed: cannot test" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
[ -f build/build.ninja ] || CC=gcc meson setup build
build build gcc
rc=$?
[ $rc = 0 ] && run_unit build gcc     # 2.
[ $rc -le 1 ] && run_e2e build/brig gcc  # 3.

# 4. ASan + UBSan
if [ "${BRIG_TEST_SKIP_ASAN:-0}" != 1 ]; then
	[ -f build-asan/build.ninja ] ||
		CC=clang meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false
	build build-asan "clang, ASan+UBSan"
	rc=$?
	[ $rc = 0 ] && run_unit build-asan asan --timeout-multiplier 4
	[ $rc -le 1 ] && run_e2e build-asan/brig asan
fi

# 5. clang, warnings as errors
if [ "${BRIG_TEST_SKIP_CLANG:-0}" != 1 ]; then
	[ -f build-clang/build.ninja ] || CC=clang meson setup build-clang --werror
	build build-clang "clang -Werror" && STEPS+=("build build-clang          ok")
fi

say "summary"
printf '  %s\n' "${STEPS[@]}"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
