#!/bin/sh
# Import benchmark for the vulnerability database (not part of the test
# run): generates an N-record OSV corpus laid out like osv.dev's all.zip
# (realistic npm / Debian / Alpine records, bench/gen_osv_corpus.py) and
# times 'brig db import' into a new file (build-then-rename), then a second
# import of the same corpus into the existing file (every record an upsert).
# Target: a 100k-record import in <= 10 s.
#
# Usage: bench/bench_db.sh [BUILD_DIR] [N]     (defaults: build 100000)
set -eu
cd "$(dirname "$0")/.."
BUILD=${1:-build}
N=${2:-100000}
WORK=bench/.work
mkdir -p "$WORK"

if ! "$BUILD/brig" db --help >/dev/null 2>&1; then
	echo "bench_db: build $BUILD first (ninja -C $BUILD)" >&2
	exit 2
fi
BRIG="$BUILD/brig db"

CORPUS="$WORK/osv-$N.zip"
if [ ! -f "$CORPUS" ]; then
	python3 bench/gen_osv_corpus.py --count "$N" --out "$CORPUS"
fi
DB="$WORK/bench.db"
rm -f "$DB"
# (the import prints its own summary line first; timed() prints the times last)

# wall and CPU seconds of one command: "WALL USER SYS"
timed() {
	out="$WORK/time.$$"
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%e %U %S' -o "$out" "$@"
	else
		s=$(date +%s.%N)
		"$@"
		echo "$(echo "$(date +%s.%N) - $s" | bc) 0 0" > "$out"
	fi
	cat "$out"
	rm -f "$out"
}

t1=$(timed $BRIG import --db "$DB" "$CORPUS" | tail -1)
t2=$(timed $BRIG import --db "$DB" "$CORPUS" | tail -1)
$BRIG info --db "$DB" | sed -n '/ECOSYSTEM/,$p'

echo
echo "corpus: $N records, $(du -h "$CORPUS" | cut -f1) zipped; database: $(du -h "$DB" | cut -f1); $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$t1" | awk '{printf "import into a new database:          %6.2f s wall, %6.2f s CPU (user %.2f + sys %.2f)   target <= 10 s\n", $1, $2 + $3, $2, $3}'
echo "$t2" | awk '{printf "re-import into it (all upserts):     %6.2f s wall, %6.2f s CPU (user %.2f + sys %.2f)\n", $1, $2 + $3, $2, $3}'
