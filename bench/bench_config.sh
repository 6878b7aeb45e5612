#!/bin/sh
# `brig config` speed (not part of the test run): every Dockerfile of
# ../shared/data/real-dockerfiles linted by one `brig config` call, against
# the npm linter dockerfilelint on the same files (one call, all files).
# dockerfilelint is installed with npm into bench/.work the first time.
# Each tool runs RUNS times; the best wall time of each is compared, so a
# cold cache or a noisy neighbour does not decide the ratio.
#
# Usage: bench/bench_config.sh [BUILD_DIR] [RUNS]     (defaults: build 5)
# Env:   BRIG_SHARED_DATA (default ../shared/data)
set -eu
cd "$(dirname "$0")/.."
BUILD=${1:-build}
RUNS=${2:-5}
DATA=${BRIG_SHARED_DATA:-../shared/data}/real-dockerfiles
WORK=bench/.work
LINT=$WORK/node_modules/.bin/dockerfilelint

[ -x "$BUILD/brig" ] || { echo "bench_config: build $BUILD first (ninja -C $BUILD)" >&2; exit 2; }
[ -d "$DATA" ] || { echo "bench_config: $DATA not found" >&2; exit 2; }
command -v node >/dev/null && command -v npm >/dev/null ||
	{ echo "bench_config: needs node and npm (apt-get install nodejs npm)" >&2; exit 2; }
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

now() { date +%s.%N; }

# best wall time (seconds) of RUNS runs of: "$@" FILES...
best() {
	b=
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		t0=$(now)
		# exit status is the number of problems for dockerfilelint: ignore it
		xargs -d '\n' "$@" <"$LIST" >/dev/null 2>&1 || true
		t1=$(now)
		t=$(echo "$t1 - $t0" | bc -l)
		if [ -z "$b" ] || [ "$(echo "$t < $b" | bc -l)" = 1 ]; then b=$t; fi
		i=$((i + 1))
	done
	echo "$b"
}

# one brig call must lint them all: check it does, and fails on none
"$BUILD/brig" config -q --type dockerfile --format json $(cat "$LIST") >"$WORK/brig-config.json"
echo "files:          $N Dockerfiles from $DATA"
echo "brig:           $("$BUILD/brig" --version)"
echo "dockerfilelint: $(node -e "console.log(require('./$WORK/node_modules/dockerfilelint/package.json').version)")"
TB=$(best "$BUILD/brig" config -q --type dockerfile --format json)
TL=$(best "$LINT" -o json)
printf 'brig config:    %.4f s (best of %s)\n' "$TB" "$RUNS"
printf 'dockerfilelint: %.4f s (best of %s)\n' "$TL" "$RUNS"
printf 'ratio:          %.0fx faster (goal: >= 50x)\n' "$(echo "$TL / $TB" | bc -l)"
