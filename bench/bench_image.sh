#!/usr/bin/env bash
# brig image --input on a >=200 MB single-layer image against `igzip -dc` of
# the same layer, in the same run: median of 5 wall times, the ratio, and
# brig's peak RSS. Not part of the test suite: `make bench`.
set -euo pipefail
cd "$(dirname "$0")/.."
BRIG=${BRIG_BIN:-build/brig}
WORK=bench/.work
mkdir -p "$WORK"
IMG=$WORK/big.tar
[ -f "$IMG" ] || python3 bench/make_big_image.py "$IMG" ${BENCH_MB:-260} /usr/lib /usr/share /usr/bin
LAYER=$IMG.layer.gz

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timeit() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }

"$BRIG" image --scanners none --quiet --input "$IMG" --format json >/dev/null   # warm the page cache
base=$(for i in 1 2 3 4 5; do timeit igzip -dc "$LAYER"; done | median)
brig=$(for i in 1 2 3 4 5; do timeit "$BRIG" image --scanners none --quiet --input "$IMG" --format json; done | median)
rss=$(/usr/bin/time -v "$BRIG" image --scanners none --quiet --input "$IMG" --format json 2>&1 >/dev/null \
      | awk -F: '/Maximum resident set size/ {gsub(/ /,"",$2); print $2}')
printf 'image: %s (%s MiB on disk)\n' "$IMG" "$(( $(stat -c %s "$IMG") >> 20 ))"
printf 'igzip -dc layer     median of 5: %.3f s\n' "$base"
printf 'brig image --input  median of 5: %.3f s\n' "$brig"
printf 'ratio brig/igzip: %.2fx (target <= 1.2x)\n' "$(echo "$brig / $base" | bc -l)"
printf 'brig peak RSS: %d KiB = %.1f MiB (target <= 64 MiB)\n' "$rss" "$(echo "$rss / 1024" | bc -l)"
