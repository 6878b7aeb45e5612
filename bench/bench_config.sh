#!/bin/sh
# `brig config` speed (not part of the test run): every Dockerfile of
# ../shared/data/real-dockerfiles linted by one `brig config` call, against
# the npm linter dockerfilelint on the same files (one call, all files).
# dockerfilelint is installed with npm into bench/.work the first time.
# Each tool runs RUNS times; the best wall times are compared (a cold cache
# or a noisy neighbour does not decide the ratio), and the medians too.
#
# Usage: bench/bench_config.sh [BUILD_DIR] [RUNS]     (defaults: build 10)
# Env:   BRIG_SHARED_DATA (default ../shared/data)
set -eu
cd "$(dirname "$0")/.."
BUILD=${1:-build}
RUNS=${2:-10}
DATA=${BRIG_SHARED_DATA:-../shared/data}/real-dockerfiles
WORK=bench/.work
LINT=$WORK/node_modules/.bin/dockerfilelint

[ -x "$BUILD/brig" ] || { echo "bench_config: build $BUILD first (ninja -C $BUILD)" >&2; exit 2; }
[ -d "$DATA" ] || { echo "bench_config: $DATA not found" >&2; exit 2; }
command -v node >/dev/null && command -v npm >/dev/null && command -v python3 >/dev/null ||
	{ echo "bench_config: needs node, npm and python3" >&2; exit 2; }
mkdir -p "$WORK"
if [ ! -x "$LINT" ]; then
	echo "installing dockerfilelint into $WORK ..."
	npm install --prefix "$WORK" --no-audit --no-fund --loglevel=error dockerfilelint >/dev/null
fi

# the same file list for both tools (Dockerfiles only: dockerfilelint
# reads nothing else), as arguments of one call
LIST=$WORK/dockerfiles.txt
find "$DATA" -type f -name 'Dockerfile*' | sort >"$LIST"
N=$(wc -l <"$LIST")
[ "$N" -gt 0 ] || { echo "bench_config: no Dockerfiles under $DATA" >&2; exit 2; }

# best and median wall time (seconds) of RUNS runs of CMD... FILES..., run
# by bench_spawn (posix_spawn, output to /dev/null): the harness adds no
# more than any way of starting a process does
SPAWN=$BUILD/bench/bench_spawn
[ -x "$SPAWN" ] || { echo "bench_config: $SPAWN missing (ninja -C $BUILD)" >&2; exit 2; }
times() {
	"$SPAWN" "$RUNS" "$@" $(cat "$LIST")
}

# one brig call must lint them all: check it does, and fails on none
"$BUILD/brig" config -q --type dockerfile --format json $(cat "$LIST") >"$WORK/brig-config.json"
echo "files:          $N Dockerfiles from $DATA"
echo "brig:           $("$BUILD/brig" --version)"
echo "dockerfilelint: $(node -e "console.log(require('./$WORK/node_modules/dockerfilelint/package.json').version)")"
set -- $(times "$BUILD/brig" config -q --type dockerfile --format json)
TB=$1 MB=$2
set -- $(times "$LINT" -o json)
TL=$1 ML=$2
printf 'brig config:    best %.4f s, median %.4f s (%s runs)\n' "$TB" "$MB" "$RUNS"
printf 'dockerfilelint: best %.4f s, median %.4f s (%s runs)\n' "$TL" "$ML" "$RUNS"
printf 'ratio:          %.1fx faster (best), %.1fx (median); goal: >= 50x\n' \
	"$(python3 -c "print($TL / $TB)")" "$(python3 -c "print($ML / $MB)")"
