"""`brig runtime` against the session's podman API service.

Two containers from the Alpine base: a hardened one (read-only root, all
capabilities dropped, no-new-privileges, memory/CPU/pids limits, tmpfs,
uid 1000, a health check, image pinned by digest) and a bad one
(privileged, host network/PID/IPC, the engine socket and /etc mounted
read-write, DB_PASSWORD in the environment, SYS_ADMIN added, no limits:
`--pids-limit -1` because podman otherwise applies containers.conf's 2048,
Docker's default being none). brig must report every problem of the bad one
- including host IPC and disabled seccomp, which podman's API hides - and
nothing on the hardened one.

A compose project brought up with docker-compose v1.29 against the same
socket exercises `--compose` drift. Every container started here is removed
by name at the end of the module.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import stat
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from conftest import InfraError, free_port, run

TOKEN = secrets.token_hex(4)
LABEL = f"brig.e2e.rt={TOKEN}"
GOOD = f"brig-rt-good-{TOKEN}"
BAD = f"brig-rt-bad-{TOKEN}"
SECRET_VALUE = "s3cr3t-" + TOKEN

# what the bad container must get, and from where when /proc shows it
BAD_EXPECTED = {
    "BRIG-RT-001": "api",   # privileged
    "BRIG-RT-002": "proc",  # capabilities beyond the default (CapAdd is [] in podman's API)
    "BRIG-RT-004": "proc",  # no-new-privileges
    "BRIG-RT-005": "proc",  # seccomp disabled (SecurityOpt is [] in podman's API)
    "BRIG-RT-007": "proc",  # writable root filesystem
    "BRIG-RT-008": "proc",  # no memory limit
    "BRIG-RT-009": "proc",  # no CPU limit
    "BRIG-RT-010": "proc",  # no pids limit
    "BRIG-RT-011": "proc",  # host network
    "BRIG-RT-012": "proc",  # host PID
    "BRIG-RT-013": "proc",  # host IPC (IpcMode reads "shareable")
    "BRIG-RT-016": "proc",  # engine socket mounted
    "BRIG-RT-017": "proc",  # /etc mounted
    "BRIG-RT-018": "proc",  # read-write host mounts
    "BRIG-RT-023": "proc",  # uid 0
    "BRIG-RT-024": "api",   # DB_PASSWORD
    "BRIG-RT-025": "api",   # no health check
}


def short(cid: str) -> str:
    return cid[:12]


@pytest.fixture(scope="module")
def rt(e2e_env):
    """Starts the two containers; yields their names, IDs and the base image."""
    env = e2e_env
    base = env.base("alpine")
    digest = env.podman("image", "inspect", "--format", "{{.Digest}}", base, log="runtime").strip()
    repo = base.rsplit(":", 1)[0]
    started = []
    try:
        env.podman("run", "-d", "--name", GOOD, "--label", LABEL,
                   "--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
                   "--memory", "64m", "--cpus", "0.5", "--pids-limit", "50", "--tmpfs", "/tmp",
                   "--user", "1000:1000", "--health-cmd", "true",
                   f"{repo}@{digest}", "sleep", "3600", log="runtime")
        started.append(GOOD)
        env.podman("run", "-d", "--name", BAD, "--label", LABEL,
                   "--privileged", "--net", "host", "--pid", "host", "--ipc", "host",
                   "-v", f"{env.sock}:/var/run/docker.sock", "-v", "/etc:/host-etc:rw",
                   "-e", f"DB_PASSWORD={SECRET_VALUE}", "--cap-add", "SYS_ADMIN",
                   "--pids-limit", "-1", base, "sleep", "3600", log="runtime")
        started.append(BAD)
        # health checks stay "starting" without systemd timers
        env.podman("healthcheck", "run", GOOD, log="runtime")
        ids = {n: env.podman("inspect", "--format", "{{.Id}}", n, log="runtime").strip()
               for n in (GOOD, BAD)}
        yield {"env": env, "ids": ids, "base": base,
               "targets": {n: f"{n} ({short(ids[n])})" for n in ids}}
    finally:
        for name in started:
            try:
                env.podman("rm", "-f", "-t", "0", name, log="runtime")
            except InfraError:
                pass


def brig_json(run_brig, *args, expect_rc=0):
    cp = run_brig("runtime", "--format", "json", *args)
    assert cp.returncode == expect_rc, f"rc {cp.returncode}\nstderr: {cp.stderr[-3000:]}"
    return json.loads(cp.stdout)


def result(report, target):
    for r in report["Results"]:
        if r["Target"] == target:
            return r
    raise AssertionError(f"no result for {target}: {[r['Target'] for r in report['Results']]}")


def findings(res):
    return {m["ID"]: m for m in res.get("Misconfigurations", [])}


@pytest.fixture(scope="module")
def report(rt, run_brig):
    return brig_json(run_brig, GOOD, BAD)


def test_bad_container_every_problem(rt, report):
    res = result(report, rt["targets"][BAD])
    got = findings(res)
    missing = set(BAD_EXPECTED) - set(got)
    assert not missing, f"missing {sorted(missing)}; got {sorted(got)}"
    for rid, src in BAD_EXPECTED.items():
        assert got[rid]["Source"] == src, (rid, got[rid])
    # the ground truth podman's API hides
    assert "shareable" in got["BRIG-RT-013"]["Message"]
    assert "Seccomp: 0" in got["BRIG-RT-005"]["Message"]
    assert "SYS_ADMIN" in got["BRIG-RT-002"]["Message"]
    assert "/host-etc" in got["BRIG-RT-017"]["Message"]
    assert "docker.sock" in got["BRIG-RT-016"]["Message"]
    assert "DB_PASSWORD" in got["BRIG-RT-024"]["Message"]
    assert SECRET_VALUE not in json.dumps(report)
    for m in res["Misconfigurations"]:
        assert m["Type"] == "Runtime Security Check" and m["Status"] == "FAIL"
        assert m["Source"] in ("api", "proc")
        assert m["Resolution"] and m["Description"]


def test_hardened_container_clean(rt, report):
    res = result(report, rt["targets"][GOOD])
    assert res["Class"] == "runtime" and res["Type"] == "container"
    assert findings(res) == {}, findings(res)


def test_results_shape(rt, report):
    assert report["SchemaVersion"] == 2
    assert report["ArtifactType"] == "container_engine"
    engine = f"unix://{rt['env'].sock}"
    assert report["ArtifactName"] == engine
    targets = {r["Target"]: (r["Class"], r.get("Type")) for r in report["Results"]}
    assert targets == {
        rt["targets"][GOOD]: ("runtime", "container"),
        rt["targets"][BAD]: ("runtime", "container"),
        engine: ("runtime", "engine"),
    }
    eng = findings(result(report, engine))
    assert "BRIG-RT-109" in eng and rt["targets"][BAD] in eng["BRIG-RT-109"]["Message"]
    assert "BRIG-RT-105" not in eng  # podman: no live-restore finding


def test_api_only_view_misses_what_podman_hides(rt, run_brig):
    """--no-proc is what docker-bench-security sees: host IPC and the
    added capabilities of a privileged container are invisible."""
    rep = brig_json(run_brig, "--no-proc", BAD)
    got = findings(result(rep, rt["targets"][BAD]))
    assert "BRIG-RT-013" not in got
    assert "BRIG-RT-002" not in got
    assert {m["Source"] for m in got.values()} == {"api"}
    # seccomp is only inferred from Privileged
    assert "Privileged" in got["BRIG-RT-005"]["Message"]


def test_all_running_and_label_filter(rt, run_brig):
    rep = brig_json(run_brig, "--filter", f"label={LABEL}")
    containers = {r["Target"] for r in rep["Results"] if r.get("Type") == "container"}
    assert containers == set(rt["targets"].values())
    rep = brig_json(run_brig, "--filter", f"label=brig.e2e.rt=nomatch-{TOKEN}")
    assert [r.get("Type") for r in rep["Results"]] == ["engine"]
    rep = brig_json(run_brig, "--filter", f"name={GOOD}")
    assert {r["Target"] for r in rep["Results"] if r.get("Type") == "container"} == \
        {rt["targets"][GOOD]}


def test_severity_and_exit_code(rt, run_brig):
    rep = brig_json(run_brig, "--severity", "CRITICAL", "--exit-code", "3", BAD, expect_rc=3)
    sevs = {m["Severity"] for r in rep["Results"] for m in r.get("Misconfigurations", [])}
    assert sevs == {"CRITICAL"}
    assert {"BRIG-RT-001", "BRIG-RT-016"} <= set(findings(result(rep, rt["targets"][BAD])))
    # the hardened container alone: nothing CRITICAL anywhere
    brig_json(run_brig, "--severity", "CRITICAL", "--exit-code", "3", GOOD, expect_rc=0)


def test_table_and_sarif(rt, run_brig):
    cp = run_brig("runtime", GOOD, BAD)
    assert cp.returncode == 0, cp.stderr
    assert "No runtime problems found" in cp.stdout
    assert "BRIG-RT-013 (HIGH): Host IPC namespace shared" in cp.stdout
    assert "Source: proc" in cp.stdout
    cp = run_brig("runtime", "--format", "sarif", BAD)
    assert cp.returncode == 0, cp.stderr
    sarif = json.loads(cp.stdout)
    rules = {r["ruleId"] for r in sarif["runs"][0]["results"]}
    assert {"BRIG-RT-013", "BRIG-RT-005", "BRIG-RT-016"} <= rules


def test_list_checks_json(run_brig):
    cp = run_brig("runtime", "--list-checks", "--format", "json")
    assert cp.returncode == 0, cp.stderr
    checks = {c["ID"]: c for c in json.loads(cp.stdout)["Checks"]}
    want = {"BRIG-RT-002": "5.4", "BRIG-RT-001": "5.5", "BRIG-RT-017": "5.6",
            "BRIG-RT-011": "5.10", "BRIG-RT-008": "5.11", "BRIG-RT-009": "5.12",
            "BRIG-RT-007": "5.13", "BRIG-RT-012": "5.16", "BRIG-RT-013": "5.17",
            "BRIG-RT-005": "5.22", "BRIG-RT-004": "5.26", "BRIG-RT-025": "5.27",
            "BRIG-RT-010": "5.29", "BRIG-RT-015": "5.31", "BRIG-RT-016": "5.32"}
    for rid, cis in want.items():
        assert cis in checks[rid]["Equivalents"]["cis"], checks[rid]


# ------------------------------------------------------------------ engine

def test_engine_unreachable(run_brig, tmp_path):
    cp = run_brig("runtime", "--host", f"unix://{tmp_path}/none.sock")
    assert cp.returncode == 2
    lines = cp.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("brig: error: ")
    assert "none.sock" in lines[0]
    assert cp.stdout == ""


def test_engine_permission_denied(run_brig):
    """A root-only socket, brig as nobody: one line, exit 2."""
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is needed to drop to nobody")
    if not os.stat(run_brig.path).st_mode & stat.S_IXOTH:
        pytest.skip(f"{run_brig.path} is not executable by nobody")
    # pytest's tmp_path is 0700: nobody could not even reach the socket
    d = Path(tempfile.mkdtemp(prefix="brig-rt-perm-"))
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        d.chmod(0o755)
        path = d / "engine.sock"
        srv.bind(str(path))
        srv.listen(1)
        os.chmod(path, 0o600)
        cp = subprocess.run(["setpriv", "--reuid", "nobody", "--regid", "nogroup",
                             "--clear-groups", run_brig.path, "runtime", "--host",
                             f"unix://{path}"], capture_output=True, text=True, timeout=60)
    finally:
        srv.close()
        shutil.rmtree(d, ignore_errors=True)
    assert cp.returncode == 2, cp.stderr
    lines = cp.stderr.strip().splitlines()
    assert len(lines) == 1 and "permission denied" in lines[0], lines
    assert lines[0].startswith("brig: error: ")
    assert cp.stdout == ""


def test_engine_tcp_without_tls(rt, run_brig):
    """A second podman service on plain TCP is found from its command line
    and answers /_ping without TLS."""
    env = rt["env"]
    port = free_port()
    log = open(env.logs / "podman-tcp.log", "w")
    proc = subprocess.Popen(["podman", "system", "service", "--time=0", f"tcp://127.0.0.1:{port}"],
                            env=env.env, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    log.close()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        rep = brig_json(run_brig, GOOD)
        eng = [m for r in rep["Results"] if r.get("Type") == "engine"
               for m in r.get("Misconfigurations", []) if m["ID"] == "BRIG-RT-103"]
        assert any(f"127.0.0.1:{port}" in m["Message"] and m["Source"] == "proc" for m in eng), eng
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_engine_socket_world_writable(rt, run_brig):
    sock = rt["env"].sock
    mode = stat.S_IMODE(os.stat(sock).st_mode)
    os.chmod(sock, 0o666)
    try:
        rep = brig_json(run_brig, GOOD)
    finally:
        os.chmod(sock, mode)
    eng = findings(result(rep, f"unix://{sock}"))
    assert "BRIG-RT-101" in eng and eng["BRIG-RT-101"]["Source"] == "proc"
    assert "rw-rw-rw-" in eng["BRIG-RT-101"]["Message"]


# ------------------------------------------------------------------ compose drift

COMPOSE = """\
version: "2.4"
services:
  web:
    image: {image}
    command: ["sleep", "3600"]
    read_only: true
    cap_drop: [ALL]
    security_opt: ["no-new-privileges:true"]
    mem_limit: 64m
    cpus: 0.5
    pids_limit: 50
    tmpfs: [/tmp]
    user: "1000:1000"
    healthcheck:
      test: ["CMD", "true"]
      interval: 30s
  worker:
    image: {image}
    command: ["sleep", "3600"]
    read_only: true
    cap_drop: [ALL]
    security_opt: ["no-new-privileges:true"]
    mem_limit: 32m
    cpus: 0.25
    pids_limit: 20
    tmpfs: [/cache]
    user: "1000"
    healthcheck:
      test: ["CMD", "true"]
"""

DRIFT_IDS = {"BRIG-RT-202", "BRIG-RT-203", "BRIG-RT-204", "BRIG-RT-205", "BRIG-RT-206",
             "BRIG-RT-207", "BRIG-RT-208"}


@pytest.fixture(scope="module")
def compose_project(rt, tmp_path_factory):
    """docker-compose v1.29 (Debian's) brings the project up against the
    podman socket under -p PROJECT, from a directory named otherwise."""
    if shutil.which("docker-compose") is None:
        pytest.skip("docker-compose is not installed (apt-get install -y docker-compose)")
    env = rt["env"]
    project = f"brigrt{TOKEN}"
    d = tmp_path_factory.mktemp("compose-dir")
    f = d / "docker-compose.yml"
    f.write_text(COMPOSE.format(image=rt["base"]))
    cenv = dict(env.env, DOCKER_HOST=env.docker_host, COMPOSE_INTERACTIVE_NO_CLI="1")
    log = env.logs / "compose.log"
    manual = f"{project}_worker_manual"
    try:
        run(["docker-compose", "-f", f, "-p", project, "up", "-d"], env=cenv, log=log, timeout=300)
        yield {"file": f, "project": project, "env": cenv, "log": log, "manual": manual}
    finally:
        try:
            run(["docker-compose", "-f", f, "-p", project, "down", "-t", "0"], env=cenv, log=log,
                timeout=300)
        except InfraError:
            pass
        try:
            env.podman("rm", "-f", "-t", "0", manual, log="runtime")
        except InfraError:
            pass


def _drift(rep):
    return {(r["Target"], m["ID"]) for r in rep["Results"]
            for m in r.get("Misconfigurations", []) if m["ID"].startswith("BRIG-RT-2")}


def test_compose_labels_seen_by_podman(rt, compose_project):
    out = rt["env"].podman("ps", "--filter", f"label=com.docker.compose.project={compose_project['project']}",
                           "--format", "{{.Names}} {{.Labels}}", log="runtime")
    assert "com.docker.compose.service:web" in out and "com.docker.compose.service:worker" in out


def test_compose_no_drift_when_up_to_date(rt, run_brig, compose_project):
    # the project name is found from the working_dir label (the directory
    # is not named after the project)
    rep = brig_json(run_brig, "--compose", compose_project["file"])
    containers = [r["Target"] for r in rep["Results"] if r.get("Type") == "container"]
    assert len(containers) == 2 and all(compose_project["project"] in t for t in containers)
    assert _drift(rep) == set(), _drift(rep)


def test_compose_drift(rt, run_brig, compose_project):
    """The worker is replaced by a container started by hand with the
    project's labels and none of the file's settings."""
    env = rt["env"]
    p = compose_project
    run(["docker-compose", "-f", p["file"], "-p", p["project"], "rm", "-f", "-s", "worker"],
        env=p["env"], log=p["log"], timeout=300)
    env.podman("run", "-d", "--name", p["manual"],
               "--label", f"com.docker.compose.project={p['project']}",
               "--label", "com.docker.compose.service=worker",
               rt["base"], "sleep", "3600", log="runtime")
    rep = brig_json(run_brig, "--compose", p["file"], "-p", p["project"])
    manual = [r for r in rep["Results"] if r["Target"].startswith(p["manual"] + " (")]
    assert len(manual) == 1
    got = set(findings(manual[0]))
    assert DRIFT_IDS <= got, sorted(got)
    msgs = {m["ID"]: m for m in manual[0]["Misconfigurations"]}
    assert "service worker" in msgs["BRIG-RT-204"]["Message"]
    assert msgs["BRIG-RT-204"]["Source"] == "proc"
    web = [r for r in rep["Results"] if "_web_" in r["Target"]]
    assert len(web) == 1 and not any(i.startswith("BRIG-RT-2") for i in findings(web[0]))


# ------------------------------------------------------------------ --scan-images

SYNTHETIC_OSV = {
    "schema_version": "1.6.0",
    "id": "BRIG-TEST-2024-0001",
    "modified": "2024-05-01T00:00:00Z",
    "published": "2024-05-01T00:00:00Z",
    "summary": "Synthetic critical busybox advisory for brig's runtime tests",
    "details": "Test data: affects every busybox of Alpine 3.18.",
    "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
    "affected": [{
        "package": {"ecosystem": "Alpine:v3.18", "name": "busybox"},
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "99.0.0-r0"}]}],
    }],
}
LOW_OSV = dict(SYNTHETIC_OSV, id="BRIG-TEST-2024-0002",
               severity=[{"type": "CVSS_V3", "score": "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"}])


def test_scan_images(rt, run_brig, tmp_path):
    """Each container's image is scanned through the engine; its CRITICAL
    and HIGH vulnerabilities (not the LOW one) are reported with it."""
    adv = tmp_path / "osv"
    adv.mkdir()
    (adv / "critical.json").write_text(json.dumps(SYNTHETIC_OSV))
    (adv / "low.json").write_text(json.dumps(LOW_OSV))
    db = tmp_path / "brig.db"
    cp = run_brig("db", "import", "--db", db, adv)
    assert cp.returncode == 0, cp.stderr
    rep = brig_json(run_brig, "--scan-images", "--db", db, GOOD, BAD)
    for name in (GOOD, BAD):
        ms = result(rep, rt["targets"][name]).get("Misconfigurations", [])
        vulns = [m for m in ms if m["ID"] == "BRIG-TEST-2024-0001"]
        assert vulns, [m["ID"] for m in ms]
        assert not [m for m in ms if m["ID"] == "BRIG-TEST-2024-0002"]
        assert all(m["Severity"] == "CRITICAL" for m in vulns)
        assert any(m["Message"].startswith("image localhost/alpine") and ": busybox " in m["Message"]
                   for m in vulns), vulns
