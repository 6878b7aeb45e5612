#!/bin/sh
# Validates brig's SBOM/SARIF output against the official schemas (offline,
# ajv as in shared/data/schemas/VALIDATE.md) plus the rules the schemas
# cannot express (GitHub SARIF ingestion, SBOM reference integrity).
#
# usage: validate-schemas.sh [options] [--cdx F]... [--spdx F]... [--sarif F]...
#   --emit BIN         run BIN OUTDIR (tests/unit/report/emit_samples) and check
#                      the brig.{cdx.json,spdx.json,sarif} it writes
#   -b BUILDDIR        same, with BUILDDIR/tests/unit/report/emit_samples
#   --cdx/--spdx/--sarif FILE   check files (e.g. from an end-to-end scan)
#   --self-test        also prove the validator: samples/*-ok.json must pass,
#                      samples/*-bad.json must fail
#   --skip-if-missing  exit 77 (meson: skipped) when node or node_modules or
#                      the schemas are absent instead of trying `npm ci`
# Schemas: $BRIG_SCHEMAS, else $BRIG_SHARED_DATA/schemas, else ../shared/data.
# With no files and no --emit, -b build is assumed.
# exit 0 all valid, 1 something invalid, 2 usage/setup error, 77 skipped.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
checker="$here/schemacheck"
schemas=${BRIG_SCHEMAS:-${BRIG_SHARED_DATA:-$root/../shared/data}/schemas}

emit= build= self_test=0 skip_missing=0
cdx_files= spdx_files= sarif_files=
while [ $# -gt 0 ]; do
	case $1 in
	--emit) emit=$2; shift 2 ;;
	-b) build=$2; shift 2 ;;
	--cdx) cdx_files="$cdx_files $2"; shift 2 ;;
	--spdx) spdx_files="$spdx_files $2"; shift 2 ;;
	--sarif) sarif_files="$sarif_files $2"; shift 2 ;;
	--self-test) self_test=1; shift ;;
	--skip-if-missing) skip_missing=1; shift ;;
	-h | --help) sed -n '2,20p' "$0"; exit 0 ;;
	*) echo "validate-schemas: unknown argument $1" >&2; exit 2 ;;
	esac
done

missing() {
	if [ $skip_missing = 1 ]; then
		echo "SKIP: $1"
		exit 77
	fi
	echo "validate-schemas: $1" >&2
	exit 2
}

command -v node >/dev/null 2>&1 || missing "node is not installed"
[ -f "$schemas/bom-1.5.schema.json" ] || missing "no schemas in $schemas"
if [ ! -d "$checker/node_modules/ajv" ]; then
	[ $skip_missing = 1 ] && missing "run 'npm ci' in $checker first"
	echo "validate-schemas: installing ajv into $checker (npm ci)" >&2
	(cd "$checker" && npm ci --no-audit --no-fund >&2) || missing "npm ci failed in $checker"
fi

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ -z "$emit$cdx_files$spdx_files$sarif_files" ]; then
	build=${build:-$root/build}
fi
if [ -n "$build" ] && [ -z "$emit" ]; then
	emit="$build/tests/unit/report/emit_samples"
fi
if [ -n "$emit" ]; then
	[ -x "$emit" ] || { echo "validate-schemas: $emit not built" >&2; exit 2; }
	"$emit" "$tmp" >/dev/null || { echo "validate-schemas: $emit failed" >&2; exit 1; }
	cdx_files="$cdx_files $tmp/brig.cdx.json"
	spdx_files="$spdx_files $tmp/brig.spdx.json"
	sarif_files="$sarif_files $tmp/brig.sarif"
fi

fails=0
# check EXPECT KIND FILE; EXPECT: ok (schema + semantics), schema-ok, bad
check() {
	expect=$1 kind=$2 file=$3
	case $kind in
	sarif) set -- "$schemas/sarif-schema-2.1.0.json" ;;
	cdx) set -- "$schemas/bom-1.5.schema.json" "$schemas/spdx.schema.json" "$schemas/jsf-0.82.schema.json" ;;
	spdx) set -- "$schemas/spdx-2.3.schema.json" ;;
	esac
	schema=$1; shift
	out=$(cd "$checker" && node validate.js "$schema" "$file" "$@" 2>&1)
	rc=$?
	if [ $rc = 0 ] && [ "$expect" = ok ]; then
		out2=$(cd "$checker" && node semantic.js "$kind" "$file" 2>&1)
		rc=$?
		out="$out
$out2"
	fi
	if [ $rc = 2 ]; then
		echo "ERROR  $kind $file: $out"
		fails=$((fails + 1))
	elif [ "$expect" != bad ] && [ $rc = 0 ]; then
		echo "valid   $kind $file"
	elif [ "$expect" = bad ] && [ $rc != 0 ]; then
		echo "invalid $kind $file (expected)"
	else
		echo "FAIL   $kind $file (expected $([ "$expect" = bad ] && echo invalid || echo valid))"
		echo "$out" | sed 's/^/    /' | head -40
		fails=$((fails + 1))
	fi
}

if [ $self_test = 1 ]; then
	check schema-ok sarif "$schemas/samples/sarif-ok.json"
	check bad sarif "$schemas/samples/sarif-bad.json"
	check schema-ok cdx "$schemas/samples/cdx1.5-ok.json"
	check bad cdx "$schemas/samples/cdx1.5-bad.json"
	check schema-ok spdx "$schemas/samples/spdx-ok.json"
	check bad spdx "$schemas/samples/spdx-bad.json"
fi
for f in $cdx_files; do check ok cdx "$f"; done
for f in $spdx_files; do check ok spdx "$f"; done
for f in $sarif_files; do check ok sarif "$f"; done

if [ $fails -gt 0 ]; then
	echo "validate-schemas: $fails check(s) failed"
	exit 1
fi
echo "validate-schemas: all checks passed"
exit 0
