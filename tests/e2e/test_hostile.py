"""Hostile images: brig must refuse them cleanly.

For every case: exit code 2, stdout empty, exactly one line on stderr that
names the problem, and nothing written outside brig's cache. brig runs with
HOME, XDG_CACHE_HOME and TMPDIR inside a sandbox and its cwd in a fresh
directory; the sandbox tree (minus the cache) is compared before and after,
and the absolute targets the attacks aim at must not appear.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
from pathlib import Path

import pytest

import e2e_craft as C
from conftest import CACHE

PROBLEM = {
    "digest": r"digest|sha-?256|checksum|mismatch|verif|corrupt",
    "truncated": r"truncat|short|unexpected (end|eof)|\beof\b|incomplete|premature|size|digest|mismatch|corrupt",
    "traversal": r"\.\./|\.\.|travers|outside|escape|unsafe|illegal|invalid path|path",
    "symlink": r"symlink|link|escape|outside|travers|unsafe|through",
    "bomb": r"size|limit|too (large|big)|exceed|max|bomb",
    "manifest": r"manifest|json|parse|malformed|invalid|syntax",
    "missing-config": r"config|nope\.json|missing|not found|no such",
    "index": r"index|json|parse|malformed|invalid",
    "config-digest": r"config|digest|mismatch|sha-?256",
    "layers": r"diff.?id|layer|mismatch|count",
}


class Sandbox:
    def __init__(self, tmp_path: Path):
        # deep enough that "../../x" from cwd, cache or input stays inside tmp_path
        self.top = tmp_path
        self.root = tmp_path / "a" / "b" / "c" / "sb"
        self.home = self.root / "home"
        self.cache = self.home / ".cache"
        self.cwd = self.root / "cwd"
        self.tmp = self.root / "tmp"
        self.inputs = self.root / "in"
        self.outside = self.root / "outside"
        for p in (self.cache, self.cwd, self.tmp, self.inputs, self.outside):
            p.mkdir(parents=True)
        self.token = secrets.token_hex(6)
        # absolute places the attacks aim at; none may exist afterwards
        self.sentinels = [Path("/etc/x"), Path(f"/tmp/brig-e2e-{self.token}"),
                          Path(f"/etc/brig-e2e-{self.token}")]
        self.preexisting = {p for p in self.sentinels if os.path.lexists(p)}

    @property
    def env(self) -> dict:
        return {"HOME": str(self.home), "XDG_CACHE_HOME": str(self.cache), "TMPDIR": str(self.tmp)}

    def snapshot(self) -> dict:
        snap = {}
        for dirpath, dirnames, filenames in os.walk(self.top):
            if Path(dirpath) == self.cache.parent:
                dirnames[:] = [n for n in dirnames if n != self.cache.name]
            for name in dirnames + filenames:
                p = Path(dirpath) / name
                st = os.lstat(p)
                link = os.readlink(p) if os.path.islink(p) else None
                snap[str(p.relative_to(self.top))] = (st.st_mode, st.st_size, st.st_mtime_ns, link)
        return snap


@pytest.fixture
def sandbox(tmp_path):
    return Sandbox(tmp_path)


# ------------------------------------------------------------------ the cases
# Each builder writes its input under sb.inputs and returns brig's image args.

def case_tampered_layer_oci(sb):
    lay = C.oci_layout(sb.inputs / "oci", [C.base_layer(), C.tar_layer([C.f("app.txt", "x" * 4096)])])
    blob = lay.blob(lay.layer_digests[1])
    data = bytearray(blob.read_bytes())
    data[len(data) // 2] ^= 0xFF          # same size, different bytes
    blob.write_bytes(bytes(data))
    return [lay.ref]


def case_tampered_layer_docker(sb):
    layer = C.tar_layer([C.f("app.txt", "x" * 4096)])
    evil = layer.replace(b"x" * 16, b"y" * 16, 1)   # tar still valid, diff_id no longer matches
    C.docker_archive(sb.inputs / "img.tar", [C.base_layer(), layer], layer_override={1: evil})
    return ["--input", sb.inputs / "img.tar"]


def case_truncated_blob_oci(sb):
    lay = C.oci_layout(sb.inputs / "oci", [C.base_layer(), C.tar_layer([C.f("app.bin", os.urandom(65536))])])
    blob = lay.blob(lay.layer_digests[1])
    data = blob.read_bytes()
    blob.write_bytes(data[: len(data) // 2])
    return [lay.ref]


def case_truncated_docker_archive(sb):
    p = sb.inputs / "img.tar"
    C.docker_archive(p, [C.base_layer(), C.tar_layer([C.f("app.bin", os.urandom(65536))])])
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    return ["--input", p]


def _traversal_layer(sb):
    return C.tar_layer([C.f("../../etc/x", "pwned\n"),
                        C.f("../../../../../../../../../../tmp/brig-e2e-" + sb.token, "pwned\n")])


def case_path_traversal_docker(sb):
    C.docker_archive(sb.inputs / "img.tar", [C.base_layer(), _traversal_layer(sb)])
    return ["--input", sb.inputs / "img.tar"]


def case_path_traversal_oci(sb):
    lay = C.oci_layout(sb.inputs / "oci", [C.base_layer(), _traversal_layer(sb)])
    return [lay.ref]


def case_path_traversal_oci_archive(sb):
    lay = C.oci_layout(sb.inputs / "oci", [C.base_layer(), _traversal_layer(sb)])
    C.oci_archive(lay, sb.inputs / "oci.tar")
    shutil.rmtree(lay.dir)
    return ["--input", sb.inputs / "oci.tar"]


def case_symlink_escape_absolute(sb):
    # layer 2: a symlink to a real directory outside; layer 3: a file written through it
    l2 = C.tar_layer([C.symlink("escape", str(sb.outside))])
    l3 = C.tar_layer([C.f("escape/pwned", "pwned\n")])
    C.docker_archive(sb.inputs / "img.tar", [C.base_layer(), l2, l3])
    return ["--input", sb.inputs / "img.tar"]


def test_symlink_replaced_by_directory_is_not_an_escape(sandbox, run_brig):
    """An upper layer that declares the path a directory replaces the lower
    symlink (Docker's extractor removes it first): files below it are inside
    the image, so the image is valid, and still nothing is written outside."""
    l2 = C.tar_layer([C.symlink("escape", str(sandbox.outside))])
    l3 = C.tar_layer([C.d("escape"), C.f("escape/pwned", "pwned\n")])
    C.docker_archive(sandbox.inputs / "img.tar", [C.base_layer(), l2, l3])
    before = sandbox.snapshot()
    cp = run_brig("image", "--scanners", "none", "--format", "json", "--input",
                  sandbox.inputs / "img.tar", env=sandbox.env, cwd=sandbox.cwd)
    assert cp.returncode == 0, cp.stderr
    assert sandbox.snapshot() == before
    assert not any(sandbox.outside.iterdir())


def case_symlink_escape_relative(sb):
    up = "../" * 12 + str(sb.outside).lstrip("/")
    l2 = C.tar_layer([C.symlink("up", up), C.symlink("etclink", "../../../../../../etc")])
    l3 = C.tar_layer([C.f("up/pwned", "pwned\n"), C.f(f"etclink/brig-e2e-{sb.token}", "pwned\n")])
    lay = C.oci_layout(sb.inputs / "oci", [C.base_layer(), l2, l3])
    return [lay.ref]


def case_symlink_escape_same_layer(sb):
    l2 = C.tar_layer([C.symlink("escape", str(sb.outside)), C.f("escape/pwned", "pwned\n")])
    C.docker_archive(sb.inputs / "img.tar", [C.base_layer(), l2])
    return ["--input", sb.inputs / "img.tar"]


def case_gzip_bomb(sb):
    # 10 GiB of zeros in a ~10 MiB gzip layer; brig runs with --max-image-size 1G
    dest = sb.inputs / "oci"
    bomb = C.gzip_bomb_layer(dest, 10 << 30, CACHE)
    lay = C.oci_layout(dest, [C.base_layer()], precomputed=[bomb])
    return ["--max-image-size", "1G", lay.ref]


def _docker_with_manifest(sb, manifest: bytes):
    C.docker_archive(sb.inputs / "img.tar", [C.base_layer()], manifest=manifest)
    return ["--input", sb.inputs / "img.tar"]


def case_manifest_truncated(sb):
    return _docker_with_manifest(sb, b'[{"Config": "abc')


def case_manifest_not_array(sb):
    return _docker_with_manifest(sb, b'{"Config": "x.json", "Layers": []}')


def case_manifest_wrong_types(sb):
    return _docker_with_manifest(sb, b'[{"Config": 42, "Layers": "not-a-list"}]')


def case_manifest_missing_config(sb):
    return _docker_with_manifest(sb, json.dumps([{"Config": "nope.json", "RepoTags": [],
                                                  "Layers": []}]).encode())


def case_oci_index_malformed(sb):
    lay = C.oci_layout(sb.inputs / "oci", [C.base_layer()])
    (lay.dir / "index.json").write_text('{"schemaVersion": 2, "manifests": [')
    return [lay.ref]


def case_config_digest_mismatch(sb):
    lay = C.oci_layout(sb.inputs / "oci", [C.base_layer()])
    cfg = lay.blob(lay.config_digest)
    doc = json.loads(cfg.read_bytes())
    doc["config"]["User"] = "root"     # content changes, file name (digest) stays
    cfg.write_bytes(json.dumps(doc).encode())
    return [lay.ref]


def case_diffid_count_mismatch(sb):
    layers = [C.base_layer(), C.tar_layer([C.f("a", "a")])]
    cfg = C.config_for([C.sha256(layers[0])])          # one diff_id for two layers
    C.docker_archive(sb.inputs / "img.tar", layers, config=cfg)
    return ["--input", sb.inputs / "img.tar"]


CASES = [
    ("tampered-layer-oci", case_tampered_layer_oci, "digest"),
    ("tampered-layer-docker", case_tampered_layer_docker, "digest"),
    ("truncated-blob-oci", case_truncated_blob_oci, "truncated"),
    ("truncated-docker-archive", case_truncated_docker_archive, "truncated"),
    ("path-traversal-docker", case_path_traversal_docker, "traversal"),
    ("path-traversal-oci", case_path_traversal_oci, "traversal"),
    ("path-traversal-oci-archive", case_path_traversal_oci_archive, "traversal"),
    ("symlink-escape-absolute", case_symlink_escape_absolute, "symlink"),
    ("symlink-escape-relative", case_symlink_escape_relative, "symlink"),
    ("symlink-escape-same-layer", case_symlink_escape_same_layer, "symlink"),
    ("gzip-bomb", case_gzip_bomb, "bomb"),
    ("manifest-truncated", case_manifest_truncated, "manifest"),
    ("manifest-not-array", case_manifest_not_array, "manifest"),
    ("manifest-wrong-types", case_manifest_wrong_types, "manifest"),
    ("manifest-missing-config", case_manifest_missing_config, "missing-config"),
    ("oci-index-malformed", case_oci_index_malformed, "index"),
    ("config-digest-mismatch", case_config_digest_mismatch, "config-digest"),
    ("diffid-count-mismatch", case_diffid_count_mismatch, "layers"),
]


@pytest.mark.parametrize("build,problem", [pytest.param(b, p, id=i) for i, b, p in CASES])
def test_hostile_image(build, problem, sandbox, run_brig):
    import re
    args = build(sandbox)
    before = sandbox.snapshot()
    cp = run_brig("image", "--scanners", "none", "--format", "json", "--list-all-pkgs", *args, env=sandbox.env, cwd=sandbox.cwd)
    after = sandbox.snapshot()

    assert cp.returncode == 2, f"exit {cp.returncode}, stderr: {cp.stderr[-2000:]!r}"
    assert cp.stdout == "", f"stdout not empty: {cp.stdout[:500]!r}"
    lines = cp.stderr.rstrip("\n").split("\n")
    assert len(lines) == 1 and lines[0].strip(), f"want exactly one stderr line, got: {cp.stderr[-2000:]!r}"
    assert re.search(PROBLEM[problem], lines[0], re.I), \
        f"stderr does not name the problem ({problem}): {lines[0]!r}"

    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert not changed, f"brig wrote outside its cache: {sorted(changed)[:20]}"
    assert not any(sandbox.outside.iterdir()), f"written through a symlink: {list(sandbox.outside.iterdir())}"
    for p in sandbox.sentinels:
        if p not in sandbox.preexisting:
            assert not os.path.lexists(p), f"brig created {p}"


def test_gzip_bomb_stays_small_on_disk(sandbox):
    dest = sandbox.inputs / "oci"
    bomb = C.gzip_bomb_layer(dest, 10 << 30, CACHE)
    assert bomb["size"] < 16 << 20


def push_layout_verbatim(addr, repo, tag, layout):
    """Distribution API monolithic uploads: skopeo would recompress an
    uncompressed layer, and this test needs its exact bytes in storage."""
    import urllib.request
    base = f"http://{addr}/v2/{repo}"
    for digest in [*layout.layer_digests, layout.config_digest]:
        req = urllib.request.Request(f"{base}/blobs/uploads/", method="POST", data=b"")
        with urllib.request.urlopen(req) as resp:
            loc = resp.headers["Location"]
        url = loc if loc.startswith("http") else f"http://{addr}{loc}"
        url += ("&" if "?" in url else "?") + f"digest={digest}"
        req = urllib.request.Request(url, method="PUT", data=layout.blob(digest).read_bytes(),
                                     headers={"Content-Type": "application/octet-stream"})
        urllib.request.urlopen(req).close()
    req = urllib.request.Request(f"{base}/manifests/{tag}", method="PUT",
                                 data=layout.blob(layout.manifest_digest).read_bytes(),
                                 headers={"Content-Type": "application/vnd.oci.image.manifest.v1+json"})
    urllib.request.urlopen(req).close()


def test_tampered_registry_layer(e2e_env, run_brig, tmp_path):
    """The registry source hashes each layer once, in the layer stream; a
    blob changed in the registry's own storage must still be caught."""
    token = secrets.token_hex(4)
    layout = C.oci_layout(tmp_path / "layout", [C.base_layer(),
                          C.tar_layer([C.f(f"data/{token}", b"TAMPERME" * 64)])], compress="none")
    repo = f"brig-e2e/tamper-{token}"
    ref = f"{e2e_env.registry.addr}/{repo}:1"
    push_layout_verbatim(e2e_env.registry.addr, repo, "1", layout)
    r = run_brig("image", "--scanners", "none", "--insecure", "--image-src", "registry", ref)
    assert r.returncode == 0, r.stderr   # intact, it scans
    hexd = layout.layer_digests[-1].split(":", 1)[1]
    blob = e2e_env.registry.root / "data/docker/registry/v2/blobs/sha256" / hexd[:2] / hexd / "data"
    data = blob.read_bytes()
    assert b"TAMPERME" in data
    blob.write_bytes(data.replace(b"TAMPERME", b"TAMPERMX", 1))   # same size, valid tar
    r = run_brig("image", "--scanners", "none", "--insecure", "--image-src", "registry", ref)
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "digest mismatch" in lines[0], r.stderr
