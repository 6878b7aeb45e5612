"""Independent oracles for the end-to-end tests.

Nothing here calls brig: these helpers read images and package databases
themselves so that brig's answers can be compared against them.

* LayerView: applies the layers of a docker-archive (whiteouts, opaque dirs)
  and remembers, for every visible file, the layer that last wrote it.
* parsers for apk's installed DB, dpkg's status, npm lockfiles.
* inventory(): the normalised set brig's JSON is compared on.
"""
from __future__ import annotations

import json
import posixpath
import re
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

WH_PREFIX = ".wh."
WH_OPAQUE = ".wh..wh..opq"

# node_modules/<name>/package.json or node_modules/@scope/<name>/package.json,
# at any depth (nested node_modules included)
NODE_PKG_JSON = re.compile(r"(?:^|/)node_modules/(@[^/]+/[^/]+|[^/@][^/]*)/package\.json$")


def norm_path(name: str) -> str:
    """Tar member name -> image path without leading "./" or "/"."""
    p = posixpath.normpath("/" + name).lstrip("/")
    return "" if p == "." else p


@dataclass
class VisibleFile:
    layer: int            # index into diff_ids
    data: bytes | None    # content, kept only for the files we care about


def _interesting(path: str) -> bool:
    return (path in ("lib/apk/db/installed", "var/lib/dpkg/status", "etc/os-release",
                     "usr/lib/os-release", "etc/alpine-release", "etc/debian_version")
            or path.endswith("/package.json") or path.endswith("package-lock.json"))


class LayerView:
    """Union view of an image's layers, computed from a docker-archive."""

    def __init__(self, docker_archive: Path):
        self.archive = Path(docker_archive)
        with tarfile.open(self.archive) as outer:
            manifest = json.load(outer.extractfile("manifest.json"))[0]
            self.config = json.load(outer.extractfile(manifest["Config"]))
            self.layer_names = manifest["Layers"]
            self.diff_ids = list(self.config["rootfs"]["diff_ids"])
            self.files: dict[str, VisibleFile] = {}
            # per layer: {path: data} of interesting files written by that layer
            self.layer_files: list[dict[str, bytes]] = []
            # per layer: raw member names (to check whiteouts are really there)
            self.layer_members: list[list[str]] = []
            for idx, lname in enumerate(self.layer_names):
                f = outer.extractfile(lname)
                self._apply(idx, f)

    def _apply(self, idx: int, fileobj) -> None:
        written: dict[str, bytes] = {}
        members: list[str] = []
        with tarfile.open(fileobj=fileobj, mode="r|*") as layer:
            entries = []
            for m in layer:
                path = norm_path(m.name)
                members.append(path)
                data = None
                if m.isfile() and _interesting(path):
                    data = layer.extractfile(m).read()
                    written[path] = data
                entries.append((path, m, data))
        # opaque markers and whiteouts hide lower layers only: apply them first
        for path, m, _ in entries:
            base = posixpath.basename(path)
            parent = posixpath.dirname(path)
            if base == WH_OPAQUE:
                prefix = parent + "/" if parent else ""
                for p in [p for p in self.files if p.startswith(prefix) and self.files[p].layer < idx]:
                    del self.files[p]
            elif base.startswith(WH_PREFIX):
                target = posixpath.join(parent, base[len(WH_PREFIX):])
                for p in [p for p in self.files if p == target or p.startswith(target + "/")]:
                    del self.files[p]
        for path, m, data in entries:
            base = posixpath.basename(path)
            if base.startswith(WH_PREFIX) or path == "":
                continue
            if m.islnk():
                src = self.files.get(norm_path(m.linkname))
                data = src.data if src else data
            self.files[path] = VisibleFile(idx, data)
        self.layer_files.append(written)
        self.layer_members.append(members)

    def read(self, path: str) -> bytes | None:
        f = self.files.get(path)
        return f.data if f else None

    def layer_of(self, path: str) -> str | None:
        f = self.files.get(path)
        return self.diff_ids[f.layer] if f else None

    def node_packages(self) -> set[tuple]:
        """(FilePath, Name, Version, DiffID) of every visible node_modules package."""
        out = set()
        for path, vf in self.files.items():
            if not NODE_PKG_JSON.search(path) or vf.data is None:
                continue
            try:
                doc = json.loads(vf.data)
            except ValueError:
                continue
            if isinstance(doc, dict) and doc.get("name") and doc.get("version"):
                out.add((path, doc["name"], doc["version"], self.diff_ids[vf.layer]))
        return out

    def os_db_packages(self, db_path: str, parse) -> dict[tuple, str]:
        """Packages of the visible OS database -> DiffID of the first layer
        whose copy of the database already listed that name and version."""
        final = self.read(db_path)
        if final is None:
            return {}
        result = {}
        for pkg in parse(final.decode("utf-8", "replace")):
            key = (pkg.name, pkg.version)
            for idx, written in enumerate(self.layer_files):
                data = written.get(db_path)
                if data is None:
                    continue
                if any((p.name, p.version) == key for p in parse(data.decode("utf-8", "replace"))):
                    result[pkg] = self.diff_ids[idx]
                    break
        return result


@dataclass(frozen=True)
class OsPkg:
    name: str
    version: str
    arch: str
    src_name: str
    src_version: str


def parse_apk_installed(text: str) -> list[OsPkg]:
    pkgs = []
    for stanza in re.split(r"\n\s*\n", text):
        fields: dict[str, str] = {}
        for line in stanza.splitlines():
            if len(line) > 2 and line[1] == ":" and line[0] not in fields:
                fields[line[0]] = line[2:]
        if "P" in fields and "V" in fields:
            pkgs.append(OsPkg(fields["P"], fields["V"], fields.get("A", ""),
                              fields.get("o", fields["P"]), fields["V"]))
    return pkgs


def parse_dpkg_status(text: str) -> list[OsPkg]:
    """Installed packages of a dpkg status file (same view as dpkg-query -W)."""
    pkgs = []
    for stanza in re.split(r"\n\s*\n", text):
        fields: dict[str, str] = {}
        key = None
        for line in stanza.splitlines():
            if line[:1] in (" ", "\t") and key:
                continue
            k, _, v = line.partition(":")
            key = k.strip()
            fields[key] = v.strip()
        if "Package" not in fields or "Version" not in fields:
            continue
        if not fields.get("Status", "").endswith(" installed"):
            continue
        src, srcver = fields["Package"], fields["Version"]
        if fields.get("Source"):
            m = re.match(r"(\S+)(?:\s+\((\S+)\))?", fields["Source"])
            src = m.group(1)
            if m.group(2):
                srcver = m.group(2)
        pkgs.append(OsPkg(fields["Package"], fields["Version"], fields.get("Architecture", ""),
                          src, srcver))
    return pkgs


def dpkg_query(admindir: Path) -> list[OsPkg]:
    """dpkg-query's own view of an admin dir (the ground truth for Debian)."""
    out = subprocess.run(
        ["dpkg-query", f"--admindir={admindir}", "-W",
         "-f=${Package}\\t${Version}\\t${Architecture}\\t${source:Package}\\t${source:Version}\\n"],
        check=True, capture_output=True, text=True).stdout
    pkgs = []
    for line in out.splitlines():
        name, ver, arch, src, srcver = line.split("\t")
        pkgs.append(OsPkg(name, ver, arch, src, srcver))
    return pkgs


def lockfile_packages(lock_path: Path, prefix: str = "") -> set[tuple[str, str, str]]:
    """(FilePath of package.json, name, version) for every lockfile entry,
    root and link entries excluded. prefix: where the project sits in the image."""
    lock = json.loads(Path(lock_path).read_text())
    out = set()
    for key, entry in lock.get("packages", {}).items():
        if not key or entry.get("link"):
            continue
        name = entry.get("name") or key.rsplit("node_modules/", 1)[-1]
        out.add((posixpath.join(prefix, key, "package.json"), name, entry["version"]))
    return out


# ---------------------------------------------------------------- brig output

def full_version(pkg: dict, prefix: str = "") -> str:
    """Version as the package manager prints it, whether brig keeps the epoch
    inside Version (dpkg style) or splits it out Trivy-style (Epoch/Release)."""
    ver = pkg.get(prefix + "Version", "") or ""
    rel = pkg.get(prefix + "Release")
    epoch = pkg.get(prefix + "Epoch")
    if rel and not ver.endswith("-" + rel):
        ver = f"{ver}-{rel}"
    if epoch and ":" not in ver:
        ver = f"{epoch}:{ver}"
    return ver


def pkg_filepath(pkg: dict) -> str:
    return (pkg.get("FilePath") or "").lstrip("/")


def pkg_diffid(pkg: dict) -> str:
    return (pkg.get("Layer") or {}).get("DiffID", "")


def inventory(report: dict) -> list[tuple]:
    """Sorted (Class, Type, Name, Version, SrcName, SrcVersion, Arch, PURL,
    DiffID, FilePath) over all Results; ArtifactName is deliberately ignored."""
    rows = []
    for res in report.get("Results") or []:
        for p in res.get("Packages") or []:
            rows.append((res.get("Class", ""), res.get("Type", ""), p.get("Name", ""),
                         full_version(p), p.get("SrcName", ""), full_version(p, "Src"),
                         p.get("Arch", ""), (p.get("Identifier") or {}).get("PURL", ""),
                         pkg_diffid(p), pkg_filepath(p)))
    return sorted(rows)


def packages(report: dict, cls: str | None = None, types: tuple = ()) -> list[dict]:
    out = []
    for res in report.get("Results") or []:
        if cls and res.get("Class") != cls:
            continue
        if types and res.get("Type") not in types:
            continue
        for p in res.get("Packages") or []:
            out.append(dict(p, _Class=res.get("Class"), _Type=res.get("Type"),
                            _Target=res.get("Target")))
    return out


def os_set(report: dict, typ: str) -> set[OsPkg]:
    return {OsPkg(p["Name"], full_version(p), p.get("Arch", ""), p.get("SrcName", ""),
                  full_version(p, "Src"))
            for p in packages(report, "os-pkgs", (typ,))}


def node_modules_set(report: dict) -> set[tuple[str, str, str]]:
    """(FilePath, Name, Version) of lang-pkgs found in node_modules."""
    return {(pkg_filepath(p), p["Name"], full_version(p))
            for p in packages(report, "lang-pkgs") if "node_modules/" in pkg_filepath(p)}
