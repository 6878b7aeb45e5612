#!/bin/sh
# `brig config` speed (not part of the test run): every Dockerfile of
# ../shared/data/real-dockerfiles linted by one `brig config` call, against
# the npm linter dockerfilelint on the same files (one call, all files).
# dockerfilelint is installed with npm into bench/.work the first time.
# Each tool runs RUNS times; the best wall time of each is compared, so a
# cold cache or a noisy neighbour does not decide the ratio.
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

# best wall time (seconds) of RUNS runs of: CMD... FILES... (python3's
# perf_counter around each run: no shell or xargs in the measurement)
best() {
	python3 - "$RUNS" "$LIST" "$@" <<'PY'
import subprocess, sys, time
runs, files, cmd = int(sys.argv[1]), open(sys.argv[2]).read().split("\n")[:-1], sys.argv[3:]
best = None
for _ in range(runs):
    t = time.perf_counter()
    # dockerfilelint exits with the number of problems: ignore the status
    subprocess.run(cmd + files, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t = time.perf_counter() - t
    best = t if best is None or t < best else best
print(f"{best:.6f}")
PY
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
printf 'ratio:          %.1fx faster (goal: >= 50x)\n' "$(python3 -c "print($TL / $TB)")"
