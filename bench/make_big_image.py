#!/usr/bin/env python3
"""Writes a single-layer docker-archive from a directory tree of this
machine (real binaries and text, so the compression ratio is realistic).

usage: make_big_image.py OUT.tar MIN_MB DIR...
Also writes OUT.layer.gz (the gzip layer alone, for the igzip baseline)."""
import gzip, hashlib, io, json, os, subprocess, sys, tarfile

def main():
    out, min_mb, dirs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    layer_tar = out + ".layer.tar"
    total = 0
    with tarfile.open(layer_tar, "w", format=tarfile.PAX_FORMAT) as tf:
        for d in dirs:
            for root, subdirs, files in os.walk(d):
                subdirs.sort()
                for name in sorted(files):
                    p = os.path.join(root, name)
                    if os.path.islink(p) or not os.path.isfile(p):
                        continue
                    try:
                        tf.add(p, arcname=p.lstrip("/"), recursive=False)
                    except OSError:
                        continue
                    total += os.path.getsize(p)
                    if total >= min_mb << 20:
                        break
                if total >= min_mb << 20:
                    break
    diff_id = "sha256:" + hashlib.sha256(open(layer_tar, "rb").read()).hexdigest()
    gz = out + ".layer.gz"
    subprocess.run(["sh", "-c", f"gzip -6 -c '{layer_tar}' > '{gz}'"], check=True)
    os.unlink(layer_tar)
    digest = hashlib.sha256(open(gz, "rb").read()).hexdigest()
    config = json.dumps({"architecture": "amd64", "os": "linux",
                         "config": {"Cmd": ["/bin/sh"]},
                         "rootfs": {"type": "layers", "diff_ids": [diff_id]},
                         "history": [{"created_by": "bench"}]}).encode()
    cfg_hex = hashlib.sha256(config).hexdigest()
    manifest = json.dumps([{"Config": cfg_hex + ".json", "RepoTags": ["bench/big:latest"],
                            "Layers": [digest + ".tar"]}]).encode()
    with tarfile.open(out, "w") as tf:
        for name, data in ((cfg_hex + ".json", config), ("manifest.json", manifest)):
            ti = tarfile.TarInfo(name); ti.size = len(data)
            tf.addfile(ti, io.BytesIO(data))
        tf.add(gz, arcname=digest + ".tar")
    print(f"{out}: {total >> 20} MiB uncompressed, layer {os.path.getsize(gz) >> 20} MiB gzip")

main()
