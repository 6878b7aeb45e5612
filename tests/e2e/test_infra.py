"""The test infrastructure itself: images, exports, registries, engine.

These tests never run brig: they check with podman/skopeo/HTTP/tarfile that
every form of every test image exists and is what the brig tests assume.
"""
import base64
import json
import tarfile

import pytest

import e2e_helpers as H
from conftest import http_get, oci_layout_manifest, unix_get

V2S2 = "application/vnd.docker.distribution.manifest.v2+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"


def test_base_images(e2e_env, e2e_images):
    e2e_images("debian")
    e2e_images("alpine")
    out = e2e_env.podman("images", "--format", "{{.Repository}}:{{.Tag}}")
    assert "localhost/debian:bookworm" in out.split()
    assert "localhost/alpine:3.18" in out.split()


def test_docker_archive(image):
    with tarfile.open(image.docker_archive) as t:
        manifest = json.load(t.extractfile("manifest.json"))
        assert len(manifest) == 1 and manifest[0]["RepoTags"] == [image.ref]
        config = json.load(t.extractfile(manifest[0]["Config"]))
    assert config["rootfs"]["diff_ids"] == image.diff_ids
    assert manifest[0]["Config"].startswith(image.docker_image_id.removeprefix("sha256:"))


def _layout_layers(layout):
    m = oci_layout_manifest(layout)
    cfg = json.loads((layout / "blobs" / "sha256" / m["config"]["digest"].split(":")[1]).read_text())
    return m, cfg


@pytest.mark.parametrize("form,media_suffix", [
    ("oci_layout", "tar+gzip"), ("oci_layout_zstd", "tar+zstd"), ("oci_layout_uncompressed", "tar")])
def test_oci_layouts(image, form, media_suffix):
    layout = getattr(image, form)
    assert (layout / "oci-layout").is_file()
    m, cfg = _layout_layers(layout)
    assert m["mediaType"] == OCI_MANIFEST
    assert m["config"]["digest"] == image.oci_image_id
    assert cfg["rootfs"]["diff_ids"] == image.diff_ids
    assert [layer["mediaType"] for layer in m["layers"]] == \
        [f"application/vnd.oci.image.layer.v1.{media_suffix}"] * len(image.diff_ids)
    for layer in m["layers"]:
        blob = layout / "blobs" / "sha256" / layer["digest"].split(":")[1]
        assert blob.stat().st_size == layer["size"]
    if media_suffix == "tar":   # uncompressed: blob digest == diff id
        assert [layer["digest"] for layer in m["layers"]] == image.diff_ids


def test_oci_archive(image):
    with tarfile.open(image.oci_archive) as t:
        names = set(t.getnames())
        assert "oci-layout" in names and "index.json" in names
        index = json.load(t.extractfile("index.json"))
        mdesc = index["manifests"][0]
        manifest = json.load(t.extractfile("blobs/sha256/" + mdesc["digest"].split(":")[1]))
    assert manifest["config"]["digest"] == image.oci_image_id


def _registry_manifest(addr, repo, tag, auth=None):
    headers = {"Accept": f"{V2S2}, {OCI_MANIFEST}"}
    if auth:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
    return http_get(f"http://{addr}/v2/{repo}/manifests/{tag}", headers)


def test_registry_anonymous(image, e2e_env):
    repo = f"brig-e2e/{image.name}"
    status, body, headers = _registry_manifest(e2e_env.registry.addr, repo, "latest")
    assert status == 200, body
    m = json.loads(body)
    assert m["mediaType"] == V2S2
    assert m["config"]["digest"] == image.docker_image_id
    status, body, _ = _registry_manifest(e2e_env.registry.addr, repo, "oci")
    assert status == 200, body
    m = json.loads(body)
    assert m["mediaType"] == OCI_MANIFEST and m["config"]["digest"] == image.oci_image_id
    # a layer blob is served too
    status, _, _ = http_get(f"http://{e2e_env.registry.addr}/v2/{repo}/blobs/{m['layers'][-1]['digest']}")
    assert status == 200


def test_registry_basic_auth(image, e2e_env):
    repo = f"brig-e2e/{image.name}"
    addr = e2e_env.registry_auth.addr
    status, _, headers = _registry_manifest(addr, repo, "latest")
    assert status == 401
    assert "basic" in {k.lower(): v for k, v in headers.items()}["www-authenticate"].lower()
    status, _, _ = _registry_manifest(addr, repo, "latest", ("brig", "wrong-password"))
    assert status == 401
    status, body, _ = _registry_manifest(addr, repo, "latest", image.registry_auth)
    assert status == 200, body
    assert json.loads(body)["config"]["digest"] == image.docker_image_id


def test_skopeo_inspects_registry(image, e2e_env):
    out = e2e_env.skopeo("inspect", "--raw", "--tls-verify=false",
                         "--creds", ":".join(image.registry_auth), f"docker://{image.registry_auth_ref}")
    assert json.loads(out)["config"]["digest"] == image.docker_image_id


def test_engine_serves_image(image, e2e_env, tmp_path):
    status, body = unix_get(str(e2e_env.sock), "/images/json")
    assert status == 200
    tags = {t for img in json.loads(body) for t in (img.get("RepoTags") or [])}
    assert image.ref in tags
    status, body = unix_get(str(e2e_env.sock), f"/images/{image.ref}/get")
    assert status == 200
    (tmp_path / "engine.tar").write_bytes(body)
    with tarfile.open(tmp_path / "engine.tar") as t:
        manifest = json.load(t.extractfile("manifest.json"))
        config = json.load(t.extractfile(manifest[0]["Config"]))
    assert config["rootfs"]["diff_ids"] == image.diff_ids


def test_sources_cover_all_forms(image):
    srcs = image.sources
    assert set(srcs) == {"docker-archive", "oci-archive", "oci-layout", "oci-layout-zstd",
                         "oci-layout-uncompressed", "registry", "registry-oci", "registry-auth", "engine"}
    for s in srcs.values():
        assert s.image_id.startswith("sha256:") and len(s.image_id) == 71


# ----------------------------------------------------------- the oracles

def test_oracle_debian(debian_image):
    exp = debian_image.expected
    assert exp.dpkg_query and len(exp.dpkg_query) > 50
    # parsing the image's status file gives dpkg-query's answer
    assert set(exp.os_pkgs) == exp.dpkg_query
    assert set(exp.os_pkgs.values()) == {debian_image.diff_ids[0]}
    assert not exp.node


def test_oracle_alpine(alpine_image, shared_data):
    exp = alpine_image.expected
    ref = H.parse_apk_installed(
        (shared_data / "alpine/apk-installed/alpine-3.18.9-x86_64/installed").read_text())
    assert exp.apk_db == set(ref) and set(exp.os_pkgs) == set(ref)
    assert set(exp.os_pkgs.values()) == {alpine_image.diff_ids[0]}


def test_oracle_node(node_image):
    exp = node_image.expected
    assert len(exp.lockfile) == 217
    assert {(p, n, v) for p, n, v, _ in exp.node} == exp.lockfile
    layers = {d for *_, d in exp.node}
    assert len(layers) == 1 and layers != {node_image.diff_ids[0]}
    (layer,) = layers
    assert node_image.view.layer_of("app/package-lock.json") == layer


def test_oracle_multistage(multistage_image, alpine_image):
    exp = multistage_image.expected
    assert set(exp.os_pkgs) == set(alpine_image.expected.os_pkgs)
    assert {n for _, n, _, _ in exp.node} == {"stage-copied"}
    assert multistage_image.view.read("var/lib/dpkg/status") is None
    assert len(multistage_image.diff_ids) == 2
    assert multistage_image.diff_ids[0] == alpine_image.diff_ids[0]


def test_whiteouts_really_present(whiteout_image, alpine_image):
    last = set(whiteout_image.view.layer_members[-1])
    assert "app/node_modules/.wh.leftpad" in last
    assert "app/node_modules/gone-file/.wh.package.json" in last
    assert any(m.startswith("etc/apk/keys/.wh.") for m in last)
    exp = whiteout_image.expected
    assert {n for _, n, _, _ in exp.node} == {"keepme"}
    names = {p.name for p in exp.os_pkgs}
    assert "alpine-keys" not in names
    assert names == {p.name for p in alpine_image.expected.os_pkgs} - {"alpine-keys"}
    # layer 2 did hold the deleted packages
    assert any(m.endswith("node_modules/leftpad/package.json") for m in whiteout_image.view.layer_members[1])


def test_opaque_whiteout_really_present(opaque_image):
    """podman on overlay storage writes a real .wh..wh..opq for rm -rf + mkdir."""
    last = opaque_image.view.layer_members[-1]
    assert "opt/data/.wh..wh..opq" in last
    assert not any(".wh." in m and not m.endswith(".wh..wh..opq") for m in last)
    exp = opaque_image.expected
    assert {n for _, n, _, _ in exp.node} == {"visible"}
    assert opaque_image.view.read("opt/data/etc/hidden.conf") is None
    assert "opt/data/etc/hidden.conf" in opaque_image.view.layer_members[1]
