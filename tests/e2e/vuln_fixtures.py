"""The vulnerability database built from ../shared/data for the e2e tests."""
from pathlib import Path

import pytest

ADVISORY_DIRS = ["osv", "debian-tracker", "npm-audit/osv",
                 "alpine/secdb-format-samples/v3.18-main.subset.json"]


@pytest.fixture(scope="session")
def vulndb(tmp_path_factory, run_brig, shared_data) -> Path:
    db = tmp_path_factory.mktemp("vulndb") / "brig.db"
    r = run_brig("db", "import", "--db", db, *[shared_data / d for d in ADVISORY_DIRS])
    assert r.returncode == 0, r.stderr
    return db


