"""Hand-crafted images (docker-archive, OCI layout, OCI archive) for the
hostile-input tests. Pure python: tarfile, gzip, zlib, hashlib, json.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import struct
import tarfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

APK_INSTALLED = """\
C:Q1a4oGcW4Ue0Ax3GAqCjmQ1gKp7t8=
P:musl
V:1.2.4-r2
A:x86_64
S:383152
I:622592
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Timo Teräs <timo.teras@iki.fi>
t:1696860223
c:83b858f83b658bd34eca5d8ad4d145f673ae7e5e

"""

OS_RELEASE = """\
NAME="Alpine Linux"
ID=alpine
VERSION_ID=3.18.9
PRETTY_NAME="Alpine Linux v3.18"
"""


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- layers

def f(name, data=b"", mode=0o644):
    return {"type": "file", "name": name, "data": data if isinstance(data, bytes) else data.encode(),
            "mode": mode}


def d(name, mode=0o755):
    return {"type": "dir", "name": name, "mode": mode}


def symlink(name, target):
    return {"type": "symlink", "name": name, "target": target}


def hardlink(name, target):
    return {"type": "hardlink", "name": name, "target": target}


def tar_layer(entries) -> bytes:
    """An uncompressed layer tar; names are written verbatim (no sanitising)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for e in entries:
            ti = tarfile.TarInfo(e["name"])
            ti.mtime = 1700000000
            ti.uid = ti.gid = 0
            ti.uname = ti.gname = "root"
            ti.mode = e.get("mode", 0o777)
            data = None
            if e["type"] == "file":
                data = e["data"]
                ti.size = len(data)
            elif e["type"] == "dir":
                ti.type = tarfile.DIRTYPE
            elif e["type"] == "symlink":
                ti.type = tarfile.SYMTYPE
                ti.linkname = e["target"]
            elif e["type"] == "hardlink":
                ti.type = tarfile.LNKTYPE
                ti.linkname = e["target"]
            t.addfile(ti, io.BytesIO(data) if data is not None else None)
    return buf.getvalue()


def base_layer() -> bytes:
    """A tiny Alpine-looking root: os-release, alpine-release, one apk package."""
    return tar_layer([d("etc"), f("etc/os-release", OS_RELEASE), f("etc/alpine-release", "3.18.9\n"),
                      d("lib"), d("lib/apk"), d("lib/apk/db"), f("lib/apk/db/installed", APK_INSTALLED)])


def config_for(diff_ids: list[str]) -> bytes:
    cfg = {
        "architecture": "amd64", "os": "linux",
        "config": {"Env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"], "Cmd": ["/bin/sh"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created": "2023-11-14T22:13:20Z", "created_by": f"layer {i}"}
                    for i in range(len(diff_ids))],
    }
    return json.dumps(cfg, separators=(",", ":")).encode()


# ---------------------------------------------------------------- OCI layout

@dataclass
class Layout:
    dir: Path
    manifest_digest: str
    config_digest: str
    layer_digests: list[str]
    diff_ids: list[str]
    extra: dict = field(default_factory=dict)

    def blob(self, digest: str) -> Path:
        algo, hexd = digest.split(":")
        return self.dir / "blobs" / algo / hexd

    @property
    def ref(self) -> str:
        return f"oci:{self.dir}:latest"


def write_blob(layout_dir: Path, data: bytes) -> str:
    dg = sha256(data)
    p = layout_dir / "blobs" / "sha256" / dg.split(":")[1]
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    return dg


def oci_layout(dest: Path, layers: list[bytes], compress: str = "gzip",
               config: bytes | None = None, precomputed: list[dict] | None = None) -> Layout:
    """Write an OCI image layout. layers: uncompressed tars. precomputed: layer
    descriptors already written into dest (dicts with digest, size, diff_id, mediaType)."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "oci-layout").write_text('{"imageLayoutVersion":"1.0.0"}')
    descs, diff_ids = [], []
    for tar in layers:
        blob = gzip.compress(tar, mtime=0) if compress == "gzip" else tar
        media = "application/vnd.oci.image.layer.v1.tar" + ("+gzip" if compress == "gzip" else "")
        descs.append({"mediaType": media, "digest": write_blob(dest, blob), "size": len(blob)})
        diff_ids.append(sha256(tar))
    for pre in precomputed or []:
        descs.append({k: pre[k] for k in ("mediaType", "digest", "size")})
        diff_ids.append(pre["diff_id"])
    cfg = config if config is not None else config_for(diff_ids)
    cfg_digest = write_blob(dest, cfg)
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cfg_digest,
                   "size": len(cfg)},
        "layers": descs}).encode()
    m_digest = write_blob(dest, manifest)
    (dest / "index.json").write_text(json.dumps({
        "schemaVersion": 2,
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": m_digest,
                       "size": len(manifest),
                       "annotations": {"org.opencontainers.image.ref.name": "latest"}}]}))
    return Layout(dest, m_digest, cfg_digest, [x["digest"] for x in descs], diff_ids)


def oci_archive(layout: Layout, dest: Path) -> Path:
    """An OCI archive is a tar of the layout directory."""
    with tarfile.open(dest, "w") as t:
        for p in sorted(layout.dir.rglob("*")):
            t.add(p, arcname=str(p.relative_to(layout.dir)), recursive=False)
    return dest


# ---------------------------------------------------------------- docker-archive

def docker_archive(dest: Path, layers: list[bytes], manifest: bytes | None = None,
                   config: bytes | None = None, layer_override: dict | None = None) -> dict:
    """Write a `docker save`-style archive. layer_override: {index: bytes}
    replaces a layer's bytes after the config was computed (tampering)."""
    diff_ids = [sha256(t) for t in layers]
    cfg = config if config is not None else config_for(diff_ids)
    cfg_name = sha256(cfg).split(":")[1] + ".json"
    layer_names = [dg.split(":")[1] + ".tar" for dg in diff_ids]
    if manifest is None:
        manifest = json.dumps([{"Config": cfg_name, "RepoTags": ["hostile/test:latest"],
                                "Layers": layer_names}]).encode()
    with tarfile.open(dest, "w") as t:
        def add(name, data):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            ti.mtime = 1700000000
            ti.mode = 0o644
            t.addfile(ti, io.BytesIO(data))
        for i, (name, data) in enumerate(zip(layer_names, layers)):
            add(name, (layer_override or {}).get(i, data))
        add(cfg_name, cfg)
        add("manifest.json", manifest)
    return {"config_name": cfg_name, "layer_names": layer_names, "diff_ids": diff_ids}


# ---------------------------------------------------------------- gzip bomb

# sha256 / crc32 of the uncompressed bomb stream, keyed by (zeros, sha256(tar header)).
# Computing them takes ~15 s (10 GiB); they are cached in BRIG_TEST_CACHE after that.
# Known values (checked with `gzip -dc blob | sha256sum`) spare fresh machines the 10 GiB pass.
KNOWN_BOMB_DIGESTS = {
    "10737418240-fd69a77755fe6002": (
        "sha256:967cc7737d4a50a1d04957b6f5605f8e2c610ef3421a299a3fef93f023d682c8", 2426079667),
}


def _bomb_stream_digests(header: bytes, zeros: int, tail: int, cache_dir: Path) -> tuple[str, int]:
    key = f"{zeros}-{hashlib.sha256(header).hexdigest()[:16]}"
    if key in KNOWN_BOMB_DIGESTS and tail == 1024:
        return KNOWN_BOMB_DIGESTS[key]
    cache = cache_dir / f"gzip-bomb-{key}.json"
    if cache.exists():
        v = json.loads(cache.read_text())
        return v["diff_id"], v["crc"]
    h = hashlib.sha256(header)
    crc = zlib.crc32(header)
    chunk = bytes(64 << 20)
    left = zeros + tail
    while left:
        n = min(left, len(chunk))
        view = memoryview(chunk)[:n]
        h.update(view)
        crc = zlib.crc32(view, crc)
        left -= n
    diff_id = "sha256:" + h.hexdigest()
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"diff_id": diff_id, "crc": crc}))
    tmp.rename(cache)
    return diff_id, crc


def gzip_bomb_layer(dest_layout: Path, zeros: int, cache_dir: Path) -> dict:
    """Write into dest_layout's blob store a gzip layer whose tar holds one file
    of `zeros` zero bytes. Streams: ~1 KiB on disk per MiB of zeros."""
    chunk = 1 << 20
    assert zeros % chunk == 0
    ti = tarfile.TarInfo("zeros.bin")
    ti.size = zeros
    ti.mtime = 1700000000
    ti.mode = 0o644
    header = ti.tobuf(format=tarfile.PAX_FORMAT)   # PAX: sizes above 8 GiB
    tail = 1024                                    # end-of-archive blocks (zeros too)
    diff_id, crc = _bomb_stream_digests(header, zeros, tail, cache_dir)

    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    head_c = co.compress(header) + co.flush(zlib.Z_FULL_FLUSH)
    # After a full flush deflate keeps no history: every further MiB of zeros
    # compresses to these same bytes, so the block is written, not recomputed.
    block = co.compress(bytes(chunk)) + co.flush(zlib.Z_FULL_FLUSH)
    end_c = co.compress(bytes(tail)) + co.flush(zlib.Z_FINISH)
    total = len(header) + zeros + tail

    blobs = dest_layout / "blobs" / "sha256"
    blobs.mkdir(parents=True, exist_ok=True)
    tmp = blobs / "bomb.tmp"
    h = hashlib.sha256()
    size = 0
    with open(tmp, "wb") as out:
        def w(b):
            nonlocal size
            out.write(b)
            h.update(b)
            size += len(b)
        w(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff")
        w(head_c)
        for _ in range(zeros // chunk):
            w(block)
        w(end_c)
        w(struct.pack("<II", crc & 0xFFFFFFFF, total & 0xFFFFFFFF))
    digest = "sha256:" + h.hexdigest()
    tmp.rename(blobs / digest.split(":")[1])
    return {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": digest,
            "size": size, "diff_id": diff_id}
