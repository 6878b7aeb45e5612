#!/bin/bash
# Runs test_source against real peers, all private to this run and on
# loopback: four docker-registry instances (anonymous http, htpasswd Basic,
# Bearer tokens from tests/tools/token_server.py, TLS with a self-signed
# certificate), the token server (which also plays a minimal registry and
# odd HTTP servers), and `podman system service` for the Engine API.
# Images are built with `podman import` into a private storage and pushed
# with skopeo. Nothing outside the run's temp dir is written; every process
# started here is killed by PID on exit.
#
# usage: run_source_tests.sh TEST_SOURCE_BINARY
# Exit 77 (meson: skipped) when a needed tool is missing; install them with
#   apt-get install -y docker-registry podman runc skopeo apache2-utils openssl python3
set -euo pipefail

TEST_EXE=${1:?usage: run_source_tests.sh TEST_SOURCE_BINARY}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOKEN_SERVER=$HERE/../../tools/token_server.py

for tool in docker-registry podman skopeo htpasswd openssl curl; do
	if ! command -v "$tool" >/dev/null; then
		echo "SKIP: $tool is not installed (apt-get install -y docker-registry podman runc skopeo apache2-utils openssl curl)"
		exit 77
	fi
done
# The system python has the standard library at least; pyenv shims may not.
PYTHON=$(command -v /usr/bin/python3 || command -v python3)

RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/brig-source-test.XXXXXX")
PIDS=()
# shellcheck disable=SC2317 # called through trap
cleanup() {
	local rc=$?
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	if [[ $rc -ne 0 && -n ${BRIG_KEEP_TEST_DIR:-} ]]; then
		echo "kept $RUN_DIR"
	else
		rm -rf "$RUN_DIR"
	fi
	exit "$rc"
}
trap cleanup EXIT
# a timeout's SIGTERM must still run cleanup (bash runs EXIT traps on exit)
trap 'exit 143' TERM INT
log() { echo "run_source_tests: $*" >&2; }

free_port() {
	"$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_http() { # URL [curl args...]: until any HTTP answer, 20 s at most
	local url=$1
	shift
	for _ in $(seq 200); do
		code=$(curl -s -o /dev/null -w '%{http_code}' "$@" "$url" || true)
		[[ $code != 000 ]] && return 0
		sleep 0.1
	done
	log "no answer from $url"
	return 1
}

# ---- podman/skopeo confined to the run dir (see shared ENVIRONMENT.md)
cat >"$RUN_DIR/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
tmp_dir = "$RUN_DIR/libpod-tmp"
EOF
cat >"$RUN_DIR/storage.conf" <<EOF
[storage]
driver = "vfs"
runroot = "$RUN_DIR/storage-run"
graphroot = "$RUN_DIR/storage"
EOF
cat >"$RUN_DIR/policy.json" <<'EOF'
{"default": [{"type": "insecureAcceptAnything"}]}
EOF
export CONTAINERS_CONF=$RUN_DIR/containers.conf
export CONTAINERS_STORAGE_CONF=$RUN_DIR/storage.conf
SKOPEO=(skopeo --policy "$RUN_DIR/policy.json")

# ---- keys and certificates
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=brig-token-issuer \
	-keyout "$RUN_DIR/token.key" -out "$RUN_DIR/token.crt" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
	-keyout "$RUN_DIR/tls.key" -out "$RUN_DIR/tls.crt" 2>/dev/null
htpasswd -Bbn user pass >"$RUN_DIR/htpasswd"

# ---- token server
"$PYTHON" "$TOKEN_SERVER" --port-file "$RUN_DIR/token.port" --key "$RUN_DIR/token.key" \
	--cert "$RUN_DIR/token.crt" --user user --password pass \
	2>"$RUN_DIR/token_server.log" &
PIDS+=($!)
for _ in $(seq 100); do [[ -s $RUN_DIR/token.port ]] && break; sleep 0.1; done
TOKEN_PORT=$(cat "$RUN_DIR/token.port")

# ---- registries
start_registry() { # NAME PORT EXTRA-YAML
	local name=$1 port=$2 extra=$3
	mkdir -p "$RUN_DIR/reg-$name"
	cat >"$RUN_DIR/reg-$name.yml" <<EOF
version: 0.1
log: {level: warn}
storage:
  filesystem: {rootdirectory: $RUN_DIR/reg-$name}
  delete: {enabled: true}
http:
  addr: 127.0.0.1:$port
$extra
EOF
	docker-registry serve "$RUN_DIR/reg-$name.yml" >"$RUN_DIR/reg-$name.log" 2>&1 &
	PIDS+=($!)
}
P_ANON=$(free_port)
P_BASIC=$(free_port)
P_TOKEN=$(free_port)
P_TLS=$(free_port)
start_registry anon "$P_ANON" ""
start_registry basic "$P_BASIC" "auth:
  htpasswd: {realm: brig-test, path: $RUN_DIR/htpasswd}"
start_registry token "$P_TOKEN" "auth:
  token:
    realm: http://127.0.0.1:$TOKEN_PORT/token
    service: brig-test-registry
    issuer: brig-test-issuer
    rootcertbundle: $RUN_DIR/token.crt"
start_registry tls "$P_TLS" "  tls: {certificate: $RUN_DIR/tls.crt, key: $RUN_DIR/tls.key}"
wait_http "http://127.0.0.1:$P_ANON/v2/"
wait_http "http://127.0.0.1:$P_BASIC/v2/"
wait_http "http://127.0.0.1:$P_TOKEN/v2/"
wait_http "https://127.0.0.1:$P_TLS/v2/" --cacert "$RUN_DIR/tls.crt"
wait_http "http://127.0.0.1:$TOKEN_PORT/hits/x"

# ---- a tiny image, and a second one whose blobs the tests corrupt
make_rootfs() { # DIR TEXT
	mkdir -p "$1/etc" "$1/usr/share/brig"
	printf 'ID=brigtest\nVERSION_ID=1\n' >"$1/etc/os-release"
	printf '%s\n' "$2" >"$1/usr/share/brig/data.txt"
	head -c 200000 /dev/urandom >"$1/usr/share/brig/random.bin"
}
make_rootfs "$RUN_DIR/rootfs" "brig source test image"
make_rootfs "$RUN_DIR/rootfs2" "brig tamper test image"
tar -C "$RUN_DIR/rootfs" -c . | podman import -q - localhost/brigtest:1 >/dev/null
tar -C "$RUN_DIR/rootfs2" -c . | podman import -q - localhost/brigtamper:1 >/dev/null

push() { # IMAGE DEST [skopeo args]
	local img=$1 dest=$2
	shift 2
	"${SKOPEO[@]}" copy -q "$@" "containers-storage:$img" "docker://$dest"
}
log "pushing test images"
push localhost/brigtest:1 "127.0.0.1:$P_ANON/test:1" --dest-tls-verify=false --format v2s2
push localhost/brigtest:1 "127.0.0.1:$P_ANON/test:oci" --dest-tls-verify=false --format oci
push localhost/brigtamper:1 "127.0.0.1:$P_ANON/tamper:1" --dest-tls-verify=false --format v2s2
push localhost/brigtest:1 "127.0.0.1:$P_BASIC/test:1" --dest-tls-verify=false --dest-creds user:pass --format v2s2
push localhost/brigtest:1 "127.0.0.1:$P_TOKEN/test:1" --dest-tls-verify=false --dest-creds user:pass --format v2s2
push localhost/brigtest:1 "127.0.0.1:$P_TLS/test:1" --dest-tls-verify=false --format v2s2
# an index (manifest list) pointing at test:1
podman manifest create localhost/brigidx:1 >"$RUN_DIR/manifest.log" 2>&1
podman manifest add localhost/brigidx:1 "docker://127.0.0.1:$P_ANON/test:1" --tls-verify=false >>"$RUN_DIR/manifest.log" 2>&1
podman manifest push --all --tls-verify=false localhost/brigidx:1 "docker://127.0.0.1:$P_ANON/test:index" >>"$RUN_DIR/manifest.log" 2>&1

# ---- the engine
podman system service --time=0 "unix://$RUN_DIR/podman.sock" >"$RUN_DIR/podman.log" 2>&1 &
PIDS+=($!)
wait_http "http://d/v1.41/_ping" --unix-socket "$RUN_DIR/podman.sock"

export BRIG_TEST_REGISTRY=127.0.0.1:$P_ANON
export BRIG_TEST_REGISTRY_STORAGE=$RUN_DIR/reg-anon
export BRIG_TEST_REGISTRY_BASIC=127.0.0.1:$P_BASIC
export BRIG_TEST_REGISTRY_TOKEN=127.0.0.1:$P_TOKEN
export BRIG_TEST_REGISTRY_TLS=127.0.0.1:$P_TLS
export BRIG_TEST_TLS_CA=$RUN_DIR/tls.crt
export BRIG_TEST_PEER=127.0.0.1:$TOKEN_PORT
export BRIG_TEST_USER=user BRIG_TEST_PASSWORD=pass
export BRIG_TEST_ENGINE=unix://$RUN_DIR/podman.sock
export BRIG_TEST_ENGINE_IMAGE=localhost/brigtest:1
export BRIG_TEST_TMP=$RUN_DIR
# the test must not pick up the caller's registry credentials or engine
unset BRIG_USERNAME BRIG_PASSWORD DOCKER_HOST
export DOCKER_CONFIG=$RUN_DIR/docker-config-empty

log "running $TEST_EXE"
set +e
"$TEST_EXE"
rc=$?
set -e
if [[ $rc -ne 0 ]]; then
	for f in "$RUN_DIR"/*.log; do
		echo "---- $f"
		tail -n 30 "$f"
	done
fi
exit $rc
