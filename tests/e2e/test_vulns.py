"""Vulnerability scanning end to end: the labelled findings in ../shared/data
reproduced exactly through `brig rootfs` / `brig fs` and real images, and the
CI controls (--severity, --exit-code, --ignore-unfixed, ignore files, VEX)."""
import json
import shutil
from pathlib import Path

import pytest

from vuln_fixtures import vulndb  # noqa: F401  (fixture)


def vulns(report: dict) -> list[dict]:
    return [v for r in report.get("Results", []) for v in r.get("Vulnerabilities", []) or []]


def ids_of(v: dict) -> set[str]:
    return set(v.get("VendorIDs") or []) | {v["VulnerabilityID"]}


def scan_json(run_brig, *args) -> dict:
    r = run_brig(*args, "--format", "json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.fixture(scope="session")
def debian_rootfs(tmp_path_factory, shared_data) -> Path:
    root = tmp_path_factory.mktemp("debian-rootfs")
    (root / "var/lib/dpkg").mkdir(parents=True)
    (root / "etc").mkdir()
    src = shared_data / "debian12-minbase"
    shutil.copy(src / "status", root / "var/lib/dpkg/status")
    shutil.copy(src / "os-release", root / "etc/os-release")
    shutil.copy(src / "debian_version", root / "etc/debian_version")
    return root


@pytest.fixture(scope="session")
def alpine_rootfs(tmp_path_factory, shared_data) -> Path:
    # the scalibr DB ships without os-release: it is a 3.18 database
    root = tmp_path_factory.mktemp("alpine-rootfs")
    (root / "lib/apk/db").mkdir(parents=True)
    (root / "etc").mkdir()
    apk = shared_data / "alpine/apk-installed"
    shutil.copy(apk / "alpine-3.18.0-scalibr/installed", root / "lib/apk/db/installed")
    shutil.copy(apk / "alpine-3.18.9-x86_64/os-release", root / "etc/os-release")
    return root


@pytest.fixture(scope="session")
def npm_project(tmp_path_factory, shared_data) -> Path:
    root = tmp_path_factory.mktemp("npm-project")
    for f in ("package.json", "package-lock.json"):
        shutil.copy(shared_data / "npm-audit" / f, root / f)
    return root


def test_debian_minbase_exact(run_brig, vulndb, debian_rootfs, shared_data):
    exp = json.loads((shared_data / "debian12-minbase/expected-findings.json").read_text())
    want = {(f["binary_package"], f["advisory"]) for f in exp["findings"] if f["affected"]}
    not_want = {(f["binary_package"], f["advisory"]) for f in exp["findings"] if not f["affected"]}
    got = set()
    for v in vulns(scan_json(run_brig, "rootfs", "--db", vulndb, debian_rootfs)):
        for i in ids_of(v):
            if i.startswith(("DEBIAN-", "DSA-")):
                got.add((v["PkgName"], i))
        # every finding must be a labelled one, whatever its id
        assert any(i.startswith("DEBIAN-") for i in ids_of(v)), v
    assert got == want
    assert not (got & not_want)
    fixed = {(f["binary_package"], f["advisory"]): f["fixed"] for f in exp["findings"] if f["affected"]}
    for v in vulns(scan_json(run_brig, "rootfs", "--db", vulndb, debian_rootfs)):
        key = next((v["PkgName"], i) for i in ids_of(v) if i.startswith("DEBIAN-"))
        assert v.get("FixedVersion") == fixed[key], v
        assert v["Status"] == ("fixed" if fixed[key] else "affected")


def test_alpine_scalibr_exact(run_brig, vulndb, alpine_rootfs, shared_data):
    exp = json.loads((shared_data / "alpine/expected-findings.json").read_text())
    rows = exp["databases"]["alpine-3.18.0-scalibr"]
    want = {(f["package"], f["advisory"], f["fixed"]) for f in rows}
    got = set()
    for v in vulns(scan_json(run_brig, "rootfs", "--db", vulndb, alpine_rootfs)):
        alp = [i for i in ids_of(v) if i.startswith("ALPINE-")]
        assert alp, v
        got |= {(v["PkgName"], i, v.get("FixedVersion")) for i in alp}
    assert len(want) == 35
    assert got == want


def test_npm_audit_exact(run_brig, vulndb, npm_project, shared_data):
    exp = json.loads((shared_data / "npm-audit/expected-findings.json").read_text())
    want = {(f["lockfile_path"], f["advisory"]) for f in exp["findings"]}
    got = set()
    for v in vulns(scan_json(run_brig, "fs", "--db", vulndb, npm_project)):
        ghsa = [i for i in ids_of(v) if i.startswith("GHSA-")]
        assert ghsa, v
        got |= {(v["PkgPath"], i) for i in ghsa}
    assert len(want) == 13
    assert got == want


def test_exit_code_gates_on_severity(run_brig, vulndb, npm_project, debian_rootfs):
    # the npm set has HIGH and CRITICAL advisories; minbase only LOW/UNKNOWN
    r = run_brig("fs", "--db", vulndb, "--severity", "HIGH,CRITICAL", "--exit-code", "1", npm_project)
    assert r.returncode == 1, r.stderr
    assert "HIGH" in r.stdout or "CRITICAL" in r.stdout
    r = run_brig("rootfs", "--db", vulndb, "--severity", "HIGH,CRITICAL", "--exit-code", "1",
                 debian_rootfs)
    assert r.returncode == 0, r.stderr
    r = run_brig("rootfs", "--db", vulndb, "--exit-code", "3", debian_rootfs)
    assert r.returncode == 3


def test_severity_filter_keeps_only_listed(run_brig, vulndb, npm_project):
    rep = scan_json(run_brig, "fs", "--db", vulndb, "--severity", "CRITICAL", npm_project)
    sev = {v["Severity"] for v in vulns(rep)}
    assert sev == {"CRITICAL"}


def test_ignore_unfixed(run_brig, vulndb, debian_rootfs):
    rep = scan_json(run_brig, "rootfs", "--db", vulndb, "--ignore-unfixed", debian_rootfs)
    assert vulns(rep) == []   # every minbase finding is unfixed


def test_ignorefile_and_expiry(run_brig, vulndb, debian_rootfs, tmp_path):
    ign = tmp_path / ".brigignore"
    ign.write_text("# accepted\nCVE-2022-0563\nCVE-2011-3374 exp:2000-01-01\n")
    rep = scan_json(run_brig, "rootfs", "--db", vulndb, "--ignorefile", ign, debian_rootfs)
    ids = {v["VulnerabilityID"] for v in vulns(rep)}
    assert "CVE-2022-0563" not in ids
    assert "CVE-2011-3374" in ids   # its exception expired
    # the default .brigignore / .trivyignore in the working directory
    (tmp_path / ".trivyignore").write_text("CVE-2016-2781\n")
    ign.unlink()
    r = run_brig("rootfs", "--db", vulndb, "--format", "json", debian_rootfs, cwd=tmp_path)
    assert "CVE-2016-2781" not in {v["VulnerabilityID"] for v in vulns(json.loads(r.stdout))}


def test_vex_not_affected(run_brig, vulndb, debian_rootfs, tmp_path):
    vex = tmp_path / "accepted.openvex.json"
    vex.write_text(json.dumps({
        "@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.invalid/vex/1",
        "author": "test", "timestamp": "2026-01-01T00:00:00Z", "version": 1,
        "statements": [{
            "vulnerability": {"name": "CVE-2016-2781"},
            "products": [{"@id": "pkg:deb/debian/coreutils@9.1-1"}],
            "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}]}))
    rep = scan_json(run_brig, "rootfs", "--db", vulndb, "--vex", vex, debian_rootfs)
    ids = {v["VulnerabilityID"] for v in vulns(rep)}
    assert "CVE-2016-2781" not in ids and "CVE-2022-0563" in ids


def test_missing_db_is_an_error(run_brig, debian_rootfs, tmp_path):
    r = run_brig("rootfs", "--db", tmp_path / "nope.db", debian_rootfs)
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "no vulnerability database" in lines[0]


def test_sarif_lists_rules_and_locations(run_brig, vulndb, npm_project):
    r = run_brig("fs", "--db", vulndb, "--format", "sarif", npm_project)
    assert r.returncode == 0, r.stderr
    sarif = json.loads(r.stdout)
    run = sarif["runs"][0]
    rules = {x["id"] for x in run["tool"]["driver"]["rules"]}
    assert run["results"] and all(res["ruleId"] in rules for res in run["results"])
    assert all(res["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1
               for res in run["results"])


# ---- through real images built with podman (tests/e2e/images) ----------

def test_alpine_image_exact(run_brig, vulndb, e2e_images, shared_data):
    img = e2e_images("alpine")
    exp = json.loads((shared_data / "alpine/expected-findings.json").read_text())
    want = {(f["package"], f["advisory"], f["fixed"]) for f in exp["databases"]["alpine-3.18.9-x86_64"]}
    got = set()
    for v in vulns(scan_json(run_brig, "image", "--db", vulndb, "--input", img.docker_archive)):
        got |= {(v["PkgName"], i, v.get("FixedVersion")) for i in ids_of(v) if i.startswith("ALPINE-")}
        assert v["Layer"]["DiffID"] in img.diff_ids
    assert got == want


def test_node_image_npm_exact(run_brig, vulndb, e2e_images, shared_data):
    """node_modules installed by `npm ci` of the npm-audit lockfile: every
    labelled (path, advisory) pair is found among the installed packages."""
    img = e2e_images("node")
    exp = json.loads((shared_data / "npm-audit/expected-findings.json").read_text())
    want = {(f["lockfile_path"], f["advisory"]) for f in exp["findings"]}
    rep = scan_json(run_brig, "image", "--db", vulndb, "--input", img.docker_archive)
    installed = [r for r in rep["Results"] if r.get("Type") == "node-pkg"]
    assert installed, [r["Target"] for r in rep["Results"]]
    got = set()
    for r in installed:
        for v in r.get("Vulnerabilities") or []:
            path = v["PkgPath"][v["PkgPath"].index("node_modules/"):]
            got |= {(path, i) for i in ids_of(v) if i.startswith("GHSA-")}
    assert got == want


def test_image_exit_code_gate(run_brig, vulndb, e2e_images):
    node, debian = e2e_images("node"), e2e_images("debian")
    r = run_brig("image", "--db", vulndb, "--severity", "HIGH,CRITICAL", "--exit-code", "1",
                 "--input", node.docker_archive)
    assert r.returncode == 1, r.stderr
    r = run_brig("image", "--db", vulndb, "--severity", "HIGH,CRITICAL", "--exit-code", "1",
                 "--input", debian.docker_archive)
    assert r.returncode == 0, r.stdout + r.stderr
    # and the debian image does have findings below HIGH: the gate filtered them
    assert vulns(scan_json(run_brig, "image", "--db", vulndb, "--input", debian.docker_archive))


def test_ignorefile_and_vex_together(run_brig, vulndb, debian_rootfs, tmp_path):
    """Both sources of suppression apply at once (an early return once
    skipped the VEX document whenever --ignorefile was given)."""
    ign = tmp_path / "ignore"
    ign.write_text("CVE-2022-0563\n")
    vex = tmp_path / "vex.json"
    vex.write_text(json.dumps({"@context": "https://openvex.dev/ns/v0.2.0", "@id": "x", "author": "t",
                               "timestamp": "2026-01-01T00:00:00Z", "version": 1,
                               "statements": [{"vulnerability": {"name": "CVE-2016-2781"},
                                               "status": "not_affected",
                                               "justification": "component_not_present"}]}))
    rep = scan_json(run_brig, "rootfs", "--db", vulndb, "--ignorefile", ign, "--vex", vex, debian_rootfs)
    ids = {v["VulnerabilityID"] for v in vulns(rep)}
    assert "CVE-2022-0563" not in ids and "CVE-2016-2781" not in ids
    assert "CVE-2011-3374" in ids
