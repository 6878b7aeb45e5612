"""`brig config` end to end: the rule list, the examples, output formats and
exit codes, and accuracy against other linters' test data in ../shared/data:

* KICS query samples (kics/): for every query a brig rule maps to (its
  Equivalents.kics), brig must flag each expected line of the positive
  samples and must not fire that rule on the negative samples. Recall is
  counted over ALL KICS Dockerfile and Compose queries (an unmapped query
  counts as missed), false positives over the negative samples.
* Trivy's check examples (trivy-checks/): every bad example flagged, every
  good one clean, for the checks a rule maps to (Equivalents.trivy).
* Every Dockerfile and Compose file of real-dockerfiles/ lints without error.
"""
from __future__ import annotations

import csv
import json
import subprocess
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
VALIDATE = REPO / "tests/tools/validate-schemas.sh"

# The goals of the issue; the suite fails below them.
KICS_RECALL_GOAL = 95.0
KICS_FP_GOAL = 2.0


def lint_json(run_brig, *args) -> dict:
    cp = run_brig("config", "--format", "json", "-q", *args)
    assert cp.returncode == 0, f"brig config {args}: exit {cp.returncode}: {cp.stderr}"
    return json.loads(cp.stdout)


def findings(report: dict) -> list[tuple[str, str, int]]:
    """(target, rule ID, start line) of every misconfiguration."""
    out = []
    for res in report["Results"]:
        for m in res.get("Misconfigurations", []):
            out.append((res["Target"], m["ID"], m.get("CauseMetadata", {}).get("StartLine", 0)))
    return out


@pytest.fixture(scope="module")
def rules(run_brig) -> list[dict]:
    cp = run_brig("config", "--list-rules", "--format", "json")
    assert cp.returncode == 0, cp.stderr
    return json.loads(cp.stdout)


# ------------------------------------------------------------------ the rule list

def test_list_rules_shape(rules):
    assert len(rules) >= 80
    ids = [r["ID"] for r in rules]
    assert len(ids) == len(set(ids))
    for r in rules:
        assert set(r) == {"ID", "Title", "Severity", "Description", "Resolution", "Equivalents"}
        assert r["ID"][:8] in ("BRIG-DF-", "BRIG-DC-", "BRIG-DI-")
        assert r["Severity"] in ("LOW", "MEDIUM", "HIGH", "CRITICAL")
        assert r["Title"] and r["Description"] and r["Resolution"]
        assert set(r["Equivalents"]) == {"hadolint", "trivy", "kics", "checkov"}
        assert all(isinstance(v, list) for v in r["Equivalents"].values())


def test_kics_equivalents_are_real_query_ids(rules, shared_data):
    known = {json.loads(p.read_text())["id"] for p in (shared_data / "kics").glob("*/*/metadata.json")}
    for r in rules:
        for k in r["Equivalents"]["kics"]:
            assert k in known, f"{r['ID']} names unknown KICS query {k}"


def test_docs_rules_md_is_generated(run_brig):
    cp = run_brig("config", "--list-rules", "--format", "markdown")
    assert cp.returncode == 0, cp.stderr
    doc = (REPO / "docs/rules.md").read_text()
    assert doc == cp.stdout, ("docs/rules.md is stale: regenerate it with "
                              "`brig config --list-rules --format markdown > docs/rules.md`")


# ------------------------------------------------------------------ the examples

def test_insecure_example(run_brig):
    rep = lint_json(run_brig, EXAMPLES / "insecure")
    got = {(t, i) for t, i, _ in findings(rep)}
    df = {i for t, i in got if t == "Dockerfile"}
    # the brief's problems: root, no .dockerignore, dev dependencies, no
    # HEALTHCHECK, unpinned full-OS base, no multi-stage
    for rule in ("BRIG-DF-005", "BRIG-DI-001", "BRIG-DF-010", "BRIG-DF-008", "BRIG-DF-003",
                 "BRIG-DF-002", "BRIG-DF-004"):
        assert rule in df, f"insecure Dockerfile not flagged for {rule}: {sorted(df)}"
    dc = {i for t, i in got if t == "compose.yaml"}
    for rule in ("BRIG-DC-001", "BRIG-DC-007", "BRIG-DC-025", "BRIG-DC-009", "BRIG-DC-011",
                 "BRIG-DC-013", "BRIG-DC-015", "BRIG-DC-017", "BRIG-DC-018", "BRIG-DC-020"):
        assert rule in dc, f"insecure compose.yaml not flagged for {rule}: {sorted(dc)}"


def test_hardened_example(run_brig):
    rep = lint_json(run_brig, EXAMPLES / "hardened")
    targets = {r["Target"] for r in rep["Results"]}
    assert targets == {"Dockerfile", "compose.yaml", ".dockerignore"}
    # only what it leaves on purpose: the base is pinned by tag, not by digest
    assert sorted(findings(rep)) == [("Dockerfile", "BRIG-DF-002", 2),
                                     ("Dockerfile", "BRIG-DF-002", 12)]


# ------------------------------------------------------------------ output and exit codes

def test_json_shape(run_brig):
    rep = lint_json(run_brig, EXAMPLES / "insecure" / "Dockerfile")
    assert rep["SchemaVersion"] == 2
    res = rep["Results"][0]
    assert res["Class"] == "config" and res["Type"] == "dockerfile"
    m = next(m for m in res["Misconfigurations"] if m["ID"] == "BRIG-DF-010")
    assert m["Status"] == "FAIL" and m["Severity"] == "MEDIUM" and m["Resolution"]
    cause = m["CauseMetadata"]
    assert cause["StartLine"] == 4 and cause["EndLine"] == 4
    assert cause["Code"]["Lines"] == [{"Number": 4, "Content": "RUN npm install", "IsCause": True}]
    rep = lint_json(run_brig, EXAMPLES / "insecure" / "compose.yaml")
    assert rep["Results"][0]["Type"] == "docker-compose"


def test_table_shows_lines(run_brig):
    cp = run_brig("config", EXAMPLES / "insecure")
    assert cp.returncode == 0, cp.stderr
    assert "BRIG-DF-010 (MEDIUM)" in cp.stdout
    assert "     4 │ RUN npm install" in cp.stdout
    assert "Dockerfile:4" in cp.stdout


def test_sarif_validates(run_brig, tmp_path):
    out = tmp_path / "config.sarif"
    cp = run_brig("config", "--format", "sarif", "--output", out, EXAMPLES / "insecure")
    assert cp.returncode == 0, cp.stderr
    sarif = json.loads(out.read_text())
    run = sarif["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert "BRIG-DF-005" in rule_ids
    res = next(r for r in run["results"] if r["ruleId"] == "BRIG-DF-010")
    region = res["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 4 and region["endLine"] == 4
    assert rule_ids[res["ruleIndex"]] == "BRIG-DF-010"
    if not (REPO / "tests/tools/schemacheck/node_modules/ajv").is_dir():
        pytest.skip("schema validator not installed: run scripts/setup.sh")
    r = subprocess.run(["bash", str(VALIDATE), "--sarif", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_exit_codes_and_filters(run_brig, tmp_path):
    insecure = EXAMPLES / "insecure"
    assert run_brig("config", "-q", insecure).returncode == 0
    assert run_brig("config", "-q", "--exit-code", "3", insecure).returncode == 3
    # nothing CRITICAL in the Dockerfile: clean under the filter
    cp = run_brig("config", "-q", "--exit-code", "3", "--severity", "CRITICAL",
                  insecure / "Dockerfile")
    assert cp.returncode == 0, cp.stderr
    assert run_brig("config", "-q", "--exit-code", "3", EXAMPLES / "hardened" / "compose.yaml").returncode == 0
    # ignore files take brig IDs and Trivy's (AVD-DS-0002 / DS002 name both root-user rules)
    ign = tmp_path / "ignore"
    ign.write_text("BRIG-DF-002\nDS002\nBRIG-DF-003\nBRIG-DF-004\nBRIG-DF-008\nBRIG-DF-010\nBRIG-DI-001\n")
    cp = run_brig("config", "-q", "--exit-code", "3", "--ignorefile", ign, insecure / "Dockerfile")
    assert cp.returncode == 0, cp.stdout


def test_errors_exit_2(run_brig, tmp_path):
    bad = tmp_path / "Dockerfile"
    bad.write_text("RUN echo no FROM\n")
    cp = run_brig("config", bad)
    assert cp.returncode == 2
    assert cp.stderr.startswith("brig: error: ") and cp.stderr.count("\n") == 1
    assert "Dockerfile:1" in cp.stderr
    yml = tmp_path / "compose.yaml"
    yml.write_text("services:\n  a: [unclosed\n")
    assert run_brig("config", yml).returncode == 2
    assert run_brig("config", tmp_path / "missing").returncode == 2
    assert run_brig("config", "--type", "nonsense", bad).returncode == 2
    assert run_brig("config").returncode == 2


def test_suppression_comments(run_brig, tmp_path):
    df = tmp_path / "Dockerfile"
    df.write_text("FROM alpine:3.19\n# brig:ignore=BRIG-DF-018\nRUN sudo id\n"
                  "# hadolint ignore=DL3004\nRUN sudo id\nRUN sudo id\nUSER 1000\n")
    lines = [l for _, i, l in findings(lint_json(run_brig, df)) if i == "BRIG-DF-018"]
    assert lines == [6]


# ------------------------------------------------------------------ KICS accuracy

def _kics_queries(shared: Path):
    for platform, typ in (("dockerfile", "dockerfile"), ("dockerCompose", "compose")):
        for q in sorted((shared / "kics" / platform).iterdir()):
            if (q / "metadata.json").is_file():
                yield q, typ


def _lint_lines(run_brig, path: Path, typ: str, ids: set[str]):
    cp = run_brig("config", "--format", "json", "-q", "--type", typ, path)
    assert cp.returncode == 0, f"{path}: exit {cp.returncode}: {cp.stderr}"
    return [(i, l) for _, i, l in findings(json.loads(cp.stdout)) if i in ids]


def test_kics_accuracy(run_brig, rules, shared_data):
    by_kics: dict[str, set[str]] = {}
    for r in rules:
        for k in r["Equivalents"]["kics"]:
            by_kics.setdefault(k, set()).add(r["ID"])
    total_exp = total_hit = total_neg = total_fp = 0
    mapped = 0
    lines = []
    for q, typ in _kics_queries(shared_data):
        meta = json.loads((q / "metadata.json").read_text())
        ids = by_kics.get(meta["id"], set())
        mapped += bool(ids)
        test = q / "test"
        expected = json.loads((test / "positive_expected_result.json").read_text())
        positives = sorted(p for p in test.iterdir() if p.name.startswith("positive") and p.suffix != ".json")
        negatives = sorted(p for p in test.iterdir() if p.name.startswith("negative"))
        flagged = {p.name: {l for _, l in _lint_lines(run_brig, p, typ, ids)} if ids else set()
                   for p in positives}
        hit, missed = 0, []
        for e in expected:
            # no file name: the entry is for whichever positive file has that line
            name = e.get("fileName") or e.get("filename")
            files = [name] if name else list(flagged)
            if any(e["line"] in flagged.get(f, set()) for f in files):
                hit += 1
            else:
                missed.append(f"{name or '?'}:{e['line']}")
        fps = []
        for n in negatives:
            bad = _lint_lines(run_brig, n, typ, ids) if ids else []
            if bad:
                fps.append(f"{n.name}:{','.join(f'{i}@{l}' for i, l in bad)}")
        total_exp += len(expected)
        total_hit += hit
        total_neg += len(negatives)
        total_fp += len(fps)
        lines.append(f"  {q.parent.name}/{q.name:56s} {','.join(sorted(ids)) or 'unmapped':26s} "
                     f"recall {hit}/{len(expected)}  fp {len(fps)}/{len(negatives)}"
                     + (f"  missed {missed}" if missed else "") + (f"  fp {fps}" if fps else ""))
    recall = 100.0 * total_hit / total_exp
    fp_rate = 100.0 * total_fp / total_neg
    print("\nKICS queries (positive samples at the expected line / negative samples clean):")
    print("\n".join(lines))
    print(f"KICS: {mapped}/{len(lines)} queries mapped; recall {total_hit}/{total_exp} = {recall:.1f}% "
          f"over all queries; false positives {total_fp}/{total_neg} negative samples = {fp_rate:.1f}%")
    assert len(lines) == 69, "the KICS data should hold 48 Dockerfile and 21 Compose queries"
    assert recall >= KICS_RECALL_GOAL, f"KICS recall {recall:.1f}% < {KICS_RECALL_GOAL}%"
    assert fp_rate <= KICS_FP_GOAL, f"KICS false positives {fp_rate:.1f}% > {KICS_FP_GOAL}%"


def test_kics_secrets_samples(run_brig, rules, shared_data):
    """KICS's generic secrets query (outside the 69): its Dockerfile/Compose samples."""
    q = shared_data / "kics/common/passwords_and_secrets"
    qid = json.loads((q / "metadata.json").read_text())["id"]
    ids = {r["ID"] for r in rules if qid in r["Equivalents"]["kics"]}
    assert ids == {"BRIG-DF-009", "BRIG-DC-025"}
    typ = lambda p: "dockerfile" if p.suffix == ".dockerfile" else "compose"  # noqa: E731
    for e in json.loads((q / "test/positive_expected_result.json").read_text()):
        p = q / "test" / e["fileName"]
        assert e["line"] in {l for _, l in _lint_lines(run_brig, p, typ(p), ids)}, f"{p.name}:{e['line']}"
    for n in sorted((q / "test").glob("negative*")):
        assert not _lint_lines(run_brig, n, typ(n), ids), n.name


# ------------------------------------------------------------------ Trivy's examples

def _trivy_examples(path: Path) -> dict[str, list[str]]:
    """The checks' YAML: dockerfile: {good: [|- blocks], bad: [...]} (a fixed
    shape: read without a YAML library)."""
    out: dict[str, list[str]] = {"good": [], "bad": []}
    section, cur = None, None
    for line in path.read_text().splitlines():
        if line.strip() in ("good:", "bad:") and line.startswith("  ") and not line.startswith("   "):
            section, cur = line.strip()[:-1], None
        elif line.startswith("    - |") and section:
            cur = []
            out[section].append(cur)
        elif cur is not None and (line.startswith("      ") or not line.strip()):
            cur.append(line[6:])
    return {k: ["\n".join(v).strip("\n") + "\n" for v in vs] for k, vs in out.items()}


def test_trivy_check_examples(run_brig, rules, shared_data, tmp_path):
    d = shared_data / "trivy-checks" / "docker"
    rows = list(csv.DictReader(open(d / "INDEX.tsv"), delimiter="\t"))
    report, failures = [], []
    for row in rows:
        avd = "AVD-" + row["check_id"]
        ids = {r["ID"] for r in rules if avd in r["Equivalents"]["trivy"]}
        if row["example_file"] == "(none)":
            report.append(f"  {row['check_id']} {','.join(sorted(ids)) or '-'}: no examples upstream")
            continue
        if not ids:
            report.append(f"  {row['check_id']}: not mapped")
            continue
        ex = _trivy_examples(d / row["example_file"])
        assert len(ex["good"]) == int(row["good_samples"]) and len(ex["bad"]) == int(row["bad_samples"])
        res = []
        for kind, samples in ex.items():
            for n, text in enumerate(samples):
                f = tmp_path / f"{row['check_id']}-{kind}{n}.Dockerfile"
                f.write_text(text)
                hits = _lint_lines(run_brig, f, "dockerfile", ids)
                ok = bool(hits) if kind == "bad" else not hits
                res.append(f"{kind}{n} {'ok' if ok else 'FAIL ' + str(hits)}")
                if not ok:
                    failures.append(f"{row['check_id']} {kind}{n}: {hits}\n{text}")
        report.append(f"  {row['check_id']} {','.join(sorted(ids))}: {', '.join(res)}")
    print("\nTrivy check examples (bad flagged, good clean):\n" + "\n".join(report))
    assert not failures, "\n".join(failures)


# ------------------------------------------------------------------ real files

def test_real_files_lint(run_brig, shared_data):
    d = shared_data / "real-dockerfiles"
    rep = lint_json(run_brig, d)
    types = Counter(r.get("Type") for r in rep["Results"])
    on_disk = [p for p in d.rglob("*") if p.is_file() and
               (p.name.startswith("Dockerfile") or p.name in ("compose.yaml", "docker-compose.yml"))]
    assert types["dockerfile"] + types["docker-compose"] == len(on_disk)
    assert types["dockerfile"] >= 30 and types["docker-compose"] >= 19
