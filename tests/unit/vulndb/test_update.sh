#!/bin/sh
# 'brig db update' against fixture feeds served from 127.0.0.1: first fetch
# builds the database, a second run gets 304s (ETag / If-Modified-Since) and
# leaves the file alone, a changed feed rebuilds it via rename(), a failing
# feed leaves the old database untouched. Exit 77 = skipped (meson).
#
# Usage: test_update.sh PATH-TO-brig db
set -eu
[ $# -ge 2 ] || { echo "usage: test_update.sh PATH-TO-brig db" >&2; exit 2; }
BRIG=$1 # the second argument is the "db" command itself
DATA=${BRIG_SHARED_DATA:-../shared/data}
if [ ! -d "$DATA/npm-audit/osv" ] || ! command -v python3 >/dev/null; then
	echo "SKIP: $DATA/npm-audit/osv or python3 not available"
	exit 77
fi

WORK=$(mktemp -d /tmp/brig-update-XXXXXX)
SERVER_PID=
cleanup() {
	[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

fail() {
	echo "FAIL: $*" >&2
	[ -f "$WORK/requests.log" ] && sed 's/^/  server: /' "$WORK/requests.log" >&2
	exit 1
}

mkdir -p "$WORK/www" "$WORK/db"
python3 - "$DATA" "$WORK/www" <<'EOF'
import os, sys, zipfile, shutil
data, www = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(os.path.join(www, "npm.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    for f in sorted(os.listdir(os.path.join(data, "npm-audit/osv"))):
        z.write(os.path.join(data, "npm-audit/osv", f), f)
shutil.copy(os.path.join(data, "alpine/secdb-format-samples/v3.18-main.subset.json"),
            os.path.join(www, "secdb.json"))
shutil.copy(os.path.join(data, "debian-tracker/tracker-json-samples/osvdev-debian_security_tracker_mock.json"),
            os.path.join(www, "tracker.json"))
EOF

# http.server answers If-Modified-Since itself; this adds ETag /
# If-None-Match and logs what each request asked and got.
cat > "$WORK/server.py" <<'EOF'
import hashlib, http.server, os, sys
root, portfile, log = sys.argv[1], sys.argv[2], sys.argv[3]

class H(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **k):
        super().__init__(*a, directory=root, **k)

    def etag(self):
        p = self.translate_path(self.path)
        if not os.path.isfile(p):
            return None
        with open(p, "rb") as f:
            return '"%s"' % hashlib.sha1(f.read()).hexdigest()

    def send_head(self):
        tag = self.etag()
        if tag and self.headers.get("If-None-Match") == tag:
            self.send_response(304)
            self.send_header("ETag", tag)
            self.end_headers()
            return None
        return super().send_head()

    def end_headers(self):
        tag = self.etag()
        if tag and not getattr(self, "_tagged", False):
            self._tagged = True
            self.send_header("ETag", tag)
        super().end_headers()

    def log_request(self, code="-", size="-"):
        with open(log, "a") as f:
            f.write("%s %s inm=%s ims=%s\n" % (self.path, code,
                    self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")))

    def handle_one_request(self):
        self._tagged = False
        super().handle_one_request()

s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
with open(portfile + ".part", "w") as f:
    f.write(str(s.server_address[1]))
os.rename(portfile + ".part", portfile)
s.serve_forever()
EOF
python3 "$WORK/server.py" "$WORK/www" "$WORK/port" "$WORK/requests.log" 2>/dev/null &
SERVER_PID=$!
i=0
while [ ! -f "$WORK/port" ]; do
	i=$((i + 1))
	[ $i -gt 100 ] && fail "feed server did not start"
	sleep 0.1
done
BASE="http://127.0.0.1:$(cat "$WORK/port")"
SOURCES="$BASE/npm.zip,$BASE/secdb.json,$BASE/tracker.json"
DB="$WORK/db/brig.db"

count() { # SOURCE ECOSYSTEM -> advisories
	"$BRIG" db info --db "$DB" | awk -v s="$1" -v e="$2" '$1 == e && $2 == s { print $3 }'
}
inode() { stat -c %i "$DB"; }

# 1: first fetch builds the database
out=$("$BRIG" db update --db "$DB" --source "$SOURCES") || fail "first update failed"
echo "$out" | grep -q "3 feeds downloaded" || fail "first update: $out"
[ "$(count osv npm)" = 11 ] || fail "npm advisories: $(count osv npm)"
[ "$(count alpine-secdb Alpine:v3.18)" -gt 50 ] || fail "secdb not imported"
[ "$(count debian-tracker Debian:12)" = 3 ] || fail "tracker not imported"
ls "$WORK/db/feeds/"*.feed >/dev/null || fail "feed cache missing"
ls "$WORK/db/" | grep -q tmp && fail "temporary file left behind"
python3 - "$DB" "$BASE/npm.zip" <<'EOF' || fail "ETag not stored in meta"
import sqlite3, sys
v = sqlite3.connect(sys.argv[1]).execute("select value from meta where key = ?",
                                         ("feed:%s:etag" % sys.argv[2],)).fetchone()
sys.exit(0 if v and v[0].startswith('"') else 1)
EOF
ino=$(inode)

# 2: nothing changed: conditional requests, 304s, the file stays
: > "$WORK/requests.log"
out=$("$BRIG" db update --db "$DB" --source "$SOURCES") || fail "second update failed"
echo "$out" | grep -q "up to date (3 feeds unchanged)" || fail "second update: $out"
[ "$(grep -c ' 304 inm="' "$WORK/requests.log")" = 3 ] || fail "expected three 304 answers to If-None-Match"
grep -q 'ims=None' "$WORK/requests.log" && fail "If-Modified-Since not sent"
[ "$(inode)" = "$ino" ] || fail "unchanged feeds replaced the database"

# 3: one feed changes: a new file replaces the old one
python3 - "$WORK/www/secdb.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["packages"].append({"pkg": {"name": "brig-test", "secfixes": {"1.0-r1": ["CVE-2099-0001"]}}})
json.dump(d, open(sys.argv[1], "w"))
EOF
: > "$WORK/requests.log"
out=$("$BRIG" db update --db "$DB" --source "$SOURCES") || fail "third update failed"
echo "$out" | grep -q "1 feeds downloaded, 2 unchanged" || fail "third update: $out"
[ "$(inode)" != "$ino" ] || fail "changed feed did not rebuild the database"
[ "$(count osv npm)" = 11 ] || fail "unchanged feed lost after rebuild"
"$BRIG" db info --db "$DB" >/dev/null
ino=$(inode)
before=$("$BRIG" db info --db "$DB" | sed -n '/ECOSYSTEM/,$p')

# 4: a failing feed: error, old database untouched
if "$BRIG" db update --db "$DB" --source "$SOURCES,$BASE/missing.zip" 2>"$WORK/err"; then
	fail "update with a 404 feed succeeded"
fi
grep -q "missing.zip: HTTP status 404" "$WORK/err" || fail "404 message: $(cat "$WORK/err")"
[ "$(inode)" = "$ino" ] || fail "failed update replaced the database"
after=$("$BRIG" db info --db "$DB" | sed -n '/ECOSYSTEM/,$p')
[ "$before" = "$after" ] || fail "failed update changed the database"

# 5: feeds from BRIG_DB_SOURCES and from the config file; file:// URLs
rm -f "$DB"
BRIG_DB_SOURCES="file://$WORK/www/tracker.json" "$BRIG" db update --db "$DB" >/dev/null ||
	fail "update from BRIG_DB_SOURCES"
[ "$(count debian-tracker Debian:12)" = 3 ] || fail "file:// feed not imported"
mkdir -p "$WORK/config/brig"
printf '# test feeds\n%s\n' "$BASE/npm.zip" > "$WORK/config/brig/feeds"
XDG_CONFIG_HOME="$WORK/config" "$BRIG" db update --db "$DB" >/dev/null || fail "update from config"
[ "$(count osv npm)" = 11 ] || fail "config-file feed not imported"
[ -z "$(count debian-tracker Debian:12)" ] || fail "update kept a feed that is no longer configured"

echo "PASS: db update (fetch, 304, rebuild on change, failure keeps the old database, sources)"
