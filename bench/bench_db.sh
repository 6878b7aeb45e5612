#!/bin/sh
# Import benchmark for the vulnerability database (not part of the test
# run): generates an N-record OSV corpus laid out like osv.dev's all.zip
# (realistic npm / Debian / Alpine records, bench/gen_osv_corpus.py) and
# times 'brig db import' into a new file (build-then-rename), then a second
# import of the same corpus into the existing file (every record an upsert).
# Target: a 100k-record import in <= 10 s.
#
# Usage: bench/bench_db.sh [BUILD_DIR] [N]     (defaults: build-db 100000)
set -eu
cd "$(dirname "$0")/.."
BUILD=${1:-build-db}
N=${2:-100000}
WORK=bench/.work
mkdir -p "$WORK"

if "$BUILD/brig" db --help >/dev/null 2>&1; then
	BRIG="$BUILD/brig db"
elif [ -x "$BUILD/tests/unit/vulndb/brig-db" ]; then
	# 'db' not wired into src/main.c yet: the stand-alone test driver
	BRIG="$BUILD/tests/unit/vulndb/brig-db"
else
	echo "bench_db: build $BUILD first (ninja -C $BUILD)" >&2
	exit 2
fi

CORPUS="$WORK/osv-$N.zip"
if [ ! -f "$CORPUS" ]; then
	python3 bench/gen_osv_corpus.py --count "$N" --out "$CORPUS"
fi
DB="$WORK/bench.db"
rm -f "$DB"

now() { date +%s.%N; }

t0=$(now)
$BRIG import --db "$DB" "$CORPUS"
t1=$(now)
$BRIG import --db "$DB" "$CORPUS"
t2=$(now)
$BRIG info --db "$DB" | sed -n '/ECOSYSTEM/,$p'

fresh=$(echo "$t1 - $t0" | bc)
again=$(echo "$t2 - $t1" | bc)
size=$(du -h "$DB" | cut -f1)
echo
printf 'import of %s records (%s zipped) into a new database: %.2f s (target <= 10 s)\n' \
	"$N" "$(du -h "$CORPUS" | cut -f1)" "$fresh"
printf 're-import into the existing database (all upserts):        %.2f s\n' "$again"
echo "database size: $size"
