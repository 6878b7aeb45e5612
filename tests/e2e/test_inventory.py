"""`brig image --format json --list-all-pkgs` against the test images.

Every image is scanned in every form (docker-archive, OCI archive, OCI
layouts gzip/zstd/uncompressed, registry anonymous/OCI/Basic auth, engine);
the inventories must be identical and match the independent oracles
(dpkg-query, the apk installed DB, the npm lockfile, the layer view).
"""
import json
import re
from urllib.parse import unquote

import pytest

import e2e_helpers as H

SOURCE_LABELS = ["docker-archive", "oci-archive", "oci-layout", "oci-layout-zstd",
                 "oci-layout-uncompressed", "registry", "registry-oci", "registry-auth", "engine"]
OS_TYPE = {"debian": "debian", "alpine": "alpine"}


def _diff(a, b, limit=15):
    sa, sb = set(a), set(b)
    only_a = sorted(sa - sb)[:limit]
    only_b = sorted(sb - sa)[:limit]
    return f"\n  only in brig ({len(sa - sb)}): {only_a}\n  only in expected ({len(sb - sa)}): {only_b}"


def assert_same(actual, expected, what):
    assert set(actual) == set(expected), f"{what} differ:" + _diff(actual, expected)


# ------------------------------------------------------------ same image, all forms

@pytest.mark.parametrize("label", SOURCE_LABELS)
def test_sources_agree(image, label, scan_image):
    reference = H.inventory(scan_image(image, "docker-archive"))
    assert reference, f"{image.name}: brig found no packages in the docker-archive"
    report = scan_image(image, label)
    inv = H.inventory(report)
    assert inv == reference, f"{image.name} via {label} vs docker-archive:" + _diff(inv, reference)
    meta = report["Metadata"]
    assert meta["DiffIDs"] == image.diff_ids
    assert meta["ImageID"] == image.sources[label].image_id


# ------------------------------------------------------------ report shape

def test_report_shape(image, scan_image):
    r = scan_image(image, "docker-archive")
    for key in ("SchemaVersion", "ArtifactName", "ArtifactType", "Metadata", "Results"):
        assert key in r, f"missing top-level {key}"
    assert r["ArtifactType"] == "container_image"
    meta = r["Metadata"]
    fam = image.expected.os_family
    assert meta["OS"]["Family"] == fam
    release = image.view.read("etc/debian_version" if fam == "debian" else "etc/alpine-release")
    assert meta["OS"]["Name"] == release.decode().strip()
    assert isinstance(meta.get("ImageConfig"), dict) and meta["ImageConfig"].get("rootfs")
    for res in r["Results"]:
        assert res["Class"] in ("os-pkgs", "lang-pkgs"), res["Class"]
        assert res["Type"] in ("debian", "alpine", "node-pkg", "npm"), res["Type"]
        assert res.get("Target")
        for p in res.get("Packages") or []:
            assert p.get("Name") and p.get("Version"), p
            assert (p.get("Identifier") or {}).get("PURL"), p


# ------------------------------------------------------------ against the oracles

def test_os_packages(image, scan_image):
    r = scan_image(image, "docker-archive")
    exp = image.expected
    if exp.os_family == "debian":
        assert_same(H.os_set(r, "debian"), exp.dpkg_query, "dpkg packages (brig vs dpkg-query)")
    else:
        assert_same(H.os_set(r, "alpine"), exp.apk_db, "apk packages (brig vs lib/apk/db/installed)")
    for t in exp.absent_os_types:
        assert not H.packages(r, types=(OS_TYPE[t],)), f"{image.name}: {t} packages reported"
    names = {p["Name"] for p in H.packages(r, "os-pkgs")}
    assert not names & exp.absent_os, f"deleted OS packages reported: {names & exp.absent_os}"


def test_node_packages(image, scan_image):
    r = scan_image(image, "docker-archive")
    exp = image.expected
    assert_same(H.node_modules_set(r), {(p, n, v) for p, n, v, _ in exp.node},
                "node_modules packages (brig vs layer view)")
    if exp.lockfile is not None:
        assert_same(H.node_modules_set(r), exp.lockfile, "node_modules packages (brig vs lockfile)")
    names = {p["Name"] for p in H.packages(r, "lang-pkgs")}
    assert not names & exp.absent_node, f"hidden/deleted npm packages reported: {names & exp.absent_node}"


def test_whiteout_deleted_absent(whiteout_image, scan_image):
    r = scan_image(whiteout_image, "docker-archive")
    names = {p["Name"] for p in H.packages(r)}
    assert "leftpad" not in names and "gone-file" not in names and "alpine-keys" not in names
    assert "keepme" in names and "musl" in names


def test_opaque_hidden_absent(opaque_image, scan_image):
    r = scan_image(opaque_image, "docker-archive")
    names = {p["Name"] for p in H.packages(r)}
    assert not names & {"hidden-a", "hidden-b"}
    assert "visible" in names


def test_multistage_only_final_stage(multistage_image, scan_image):
    r = scan_image(multistage_image, "docker-archive")
    assert not H.packages(r, types=("debian",)), "build-stage dpkg packages reported"
    names = {p["Name"] for p in H.packages(r, "lang-pkgs")}
    assert names == {"stage-copied"}


def test_layer_diffids(image, scan_image):
    r = scan_image(image, "docker-archive")
    exp = image.expected
    diff_ids = r["Metadata"]["DiffIDs"]
    for p in H.packages(r):
        assert H.pkg_diffid(p) in diff_ids, f"{p['Name']}: Layer.DiffID {H.pkg_diffid(p)!r} not in DiffIDs"
    os_type = OS_TYPE[exp.os_family]
    want_os = {(k.name, k.version): d for k, d in exp.os_pkgs.items()}
    got_os = {(p["Name"], H.full_version(p)): H.pkg_diffid(p) for p in H.packages(r, "os-pkgs", (os_type,))}
    assert_same(got_os.items(), want_os.items(), "OS package -> introducing layer")
    want_node = {(path, n, v): d for path, n, v, d in exp.node}
    got_node = {(H.pkg_filepath(p), p["Name"], H.full_version(p)): H.pkg_diffid(p)
                for p in H.packages(r, "lang-pkgs") if "node_modules/" in H.pkg_filepath(p)}
    assert_same(got_node.items(), want_node.items(), "npm package -> introducing layer")


def test_node_layer_is_the_copy_layer(node_image, scan_image):
    r = scan_image(node_image, "docker-archive")
    copy_layer = node_image.view.layer_of("app/node_modules/lodash/package.json")
    assert copy_layer and copy_layer != node_image.diff_ids[0]
    layers = {H.pkg_diffid(p) for p in H.packages(r, "lang-pkgs") if "node_modules/" in H.pkg_filepath(p)}
    assert layers == {copy_layer}


def test_purls(image, scan_image):
    r = scan_image(image, "docker-archive")
    for p in H.packages(r):
        purl = p["Identifier"]["PURL"]
        m = re.match(r"pkg:([a-z]+)/(?:([^/@?#]+)/)?(?:([^/@?#]+)/)?([^/@?#]+)@([^?#]+)", purl)
        assert m, f"not a PURL: {purl}"
        ptype, ns1, ns2, name, version = (unquote(x) if x else x for x in m.groups())
        namespace = "/".join(x for x in (ns1, ns2) if x)
        if p["_Class"] == "os-pkgs":
            want = {"debian": ("deb", "debian"), "alpine": ("apk", "alpine")}[p["_Type"]]
            assert (ptype, namespace, name) == (*want, p["Name"]), purl
        else:
            full = f"{namespace}/{name}" if namespace else name
            assert (ptype, full) == ("npm", p["Name"]), purl
        epoch = re.search(r"[?&]epoch=(\d+)", purl)   # deb: the epoch is a qualifier
        if epoch:
            version = f"{epoch.group(1)}:{version}"
        assert version == H.full_version(p), purl


# ------------------------------------------------------------ output options

def test_output_file_and_quiet(alpine_image, run_brig, scan_image, tmp_path):
    out = tmp_path / "report.json"
    src = alpine_image.sources["docker-archive"]
    cp = run_brig("image", "--scanners", "none", "--format", "json", "--list-all-pkgs", "--quiet", "--output", out, *src.args)
    assert cp.returncode == 0, cp.stderr
    assert cp.stdout == "" and cp.stderr == ""
    assert H.inventory(json.loads(out.read_text())) == H.inventory(scan_image(alpine_image, "docker-archive"))


def _purls_of(report):
    return {p["Identifier"]["PURL"] for p in H.packages(report)}


def test_cyclonedx(node_image, run_brig, scan_image):
    src = node_image.sources["oci-layout"]
    cp = run_brig("image", "--format", "cyclonedx", *src.args)
    assert cp.returncode == 0, cp.stderr
    bom = json.loads(cp.stdout)
    assert bom["bomFormat"] == "CycloneDX" and re.match(r"1\.\d+$", bom["specVersion"])
    purls = set()

    def walk(components):
        for c in components or []:
            if c.get("purl"):
                purls.add(c["purl"])
            walk(c.get("components"))
    walk(bom.get("components"))
    missing = _purls_of(scan_image(node_image, "oci-layout")) - purls
    assert not missing, f"{len(missing)} packages missing from the CycloneDX BOM: {sorted(missing)[:10]}"


def test_spdx_json(debian_image, run_brig, scan_image):
    src = debian_image.sources["oci-layout"]
    cp = run_brig("image", "--format", "spdx-json", *src.args)
    assert cp.returncode == 0, cp.stderr
    doc = json.loads(cp.stdout)
    assert doc["spdxVersion"] == "SPDX-2.3" and doc["SPDXID"] == "SPDXRef-DOCUMENT"
    purls = {ref["referenceLocator"] for p in doc.get("packages", [])
             for ref in p.get("externalRefs", []) if ref.get("referenceType") == "purl"}
    missing = _purls_of(scan_image(debian_image, "oci-layout")) - purls
    assert not missing, f"{len(missing)} packages missing from the SPDX document: {sorted(missing)[:10]}"


# ------------------------------------------------------------ rootfs / fs

def test_rootfs_debian(debian_rootfs, e2e_env, run_brig):
    cp = run_brig("rootfs", "--scanners", "none", "--format", "json", "--list-all-pkgs", debian_rootfs)
    assert cp.returncode == 0, cp.stderr
    r = json.loads(cp.stdout)
    assert_same(H.os_set(r, "debian"), set(H.dpkg_query(e2e_env.debian_admindir())), "dpkg packages")
    assert r["Metadata"]["OS"]["Family"] == "debian"


def test_rootfs_alpine(alpine_rootfs, run_brig, shared_data):
    cp = run_brig("rootfs", "--scanners", "none", "--format", "json", "--list-all-pkgs", alpine_rootfs)
    assert cp.returncode == 0, cp.stderr
    r = json.loads(cp.stdout)
    want = set(H.parse_apk_installed(
        (shared_data / "alpine/apk-installed/alpine-3.18.9-x86_64/installed").read_text()))
    assert_same(H.os_set(r, "alpine"), want, "apk packages")
    assert r["Metadata"]["OS"]["Family"] == "alpine"


def test_fs_lockfile(shared_data, run_brig, tmp_path):
    for f in ("package.json", "package-lock.json"):
        (tmp_path / f).write_bytes((shared_data / "npm-audit" / f).read_bytes())
    cp = run_brig("fs", "--scanners", "none", "--format", "json", "--list-all-pkgs", tmp_path)
    assert cp.returncode == 0, cp.stderr
    r = json.loads(cp.stdout)
    got = {(p["Name"], H.full_version(p)) for p in H.packages(r, "lang-pkgs")}
    want = {(n, v) for _, n, v in H.lockfile_packages(tmp_path / "package-lock.json")}
    assert_same(got, want, "lockfile packages")
