"""Reports from real scans validate against the official schemas
(../shared/data/schemas, validator pinned in tests/tools/schemacheck)."""
import json
import subprocess
from pathlib import Path

import pytest

from vuln_fixtures import vulndb  # noqa: F401  (fixture)

REPO = Path(__file__).resolve().parents[2]
VALIDATE = REPO / "tests/tools/validate-schemas.sh"


def validate(**files):
    if not (REPO / "tests/tools/schemacheck/node_modules/ajv").is_dir():
        pytest.skip("schema validator not installed: run scripts/setup.sh (npm ci in tests/tools/schemacheck)")
    args = []
    for kind, path in files.items():
        args += [f"--{kind}", str(path)]
    r = subprocess.run(["bash", str(VALIDATE), *args], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.fixture(scope="module")
def node_image(e2e_images):
    return e2e_images("node")


def test_image_reports_validate(run_brig, vulndb, node_image, tmp_path):
    out = {}
    for fmt, kind in (("sarif", "sarif"), ("cyclonedx", "cdx"), ("spdx-json", "spdx")):
        path = tmp_path / f"report.{kind}.json"
        r = run_brig("image", "--db", vulndb, "--scanners", "vuln", "--format", fmt,
                     "--output", path, "--input", node_image.docker_archive)
        assert r.returncode == 0, r.stderr
        assert r.stdout == ""   # --output: nothing on stdout
        out[kind] = path
    cdx = json.loads(out["cdx"].read_text())
    assert cdx["vulnerabilities"], "CycloneDX with --scanners vuln lists vulnerabilities"
    assert len(cdx["components"]) > 200
    sarif = json.loads(out["sarif"].read_text())
    assert sarif["runs"][0]["results"]
    validate(**out)


def test_inventory_sbom_validates(run_brig, e2e_images, tmp_path):
    img = e2e_images("debian")
    cdx, spdx = tmp_path / "d.cdx.json", tmp_path / "d.spdx.json"
    for fmt, path in (("cyclonedx", cdx), ("spdx-json", spdx)):
        r = run_brig("image", "--format", fmt, "--output", path, "--input", img.docker_archive)
        assert r.returncode == 0, r.stderr
    doc = json.loads(spdx.read_text())
    names = {p["name"] for p in doc["packages"]}
    assert {"libc6", "dpkg", "bash"} <= names
    validate(cdx=cdx, spdx=spdx)
