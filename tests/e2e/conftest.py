"""End-to-end test infrastructure for brig.

Session-scoped: a private podman storage (CONTAINERS_STORAGE_CONF, on a tmpfs)
with `podman system service` (brig reaches it through DOCKER_HOST), two local
registries (anonymous and htpasswd Basic auth) and six test images, each
exported once as docker-archive, OCI archive, OCI layouts (gzip, zstd,
uncompressed) and pushed to both registries (docker schema2 and OCI).
/etc/containers is never written: containers.conf lives in the run dir and
CONTAINERS_CONF points every podman/buildah/skopeo call at it.

Everything lives in a run dir tests/e2e/.work/run-<pid>-<rand>/ (removed at
the end). Processes started here are stopped by PID (also on SIGTERM).
Slow inputs are cached between runs in $BRIG_TEST_CACHE
(default ~/.cache/brig-test): the debootstrap tarball and `npm ci` output.

Fixtures: brig, run_brig, brig_env, shared_data, e2e_env, e2e_images,
image (parametrized over IMAGE_NAMES), debian_image, alpine_image,
node_image, multistage_image, whiteout_image, opaque_image, scan_image,
debian_rootfs, alpine_rootfs, project_version, repo_root.

Environment knobs:
  BRIG_BIN            brig binary (default <repo>/build/brig)
  BRIG_SHARED_DATA    shared data dir (default <repo>/../shared/data)
  BRIG_TEST_CACHE     persistent cache (default ~/.cache/brig-test)
  BRIG_E2E_RUN_DIR    caller-owned run dir, kept; a later session reuses the
                      images it records (scripts/test.sh: gcc pass, then ASan)
  BRIG_E2E_KEEP=1     keep the run dir after the session (debugging)
  BRIG_E2E_TMPFS=0    keep podman storage on disk instead of a tmpfs
  BRIG_E2E_TIMEOUT    seconds per brig run (default 300)
  BRIG_DEBIAN_MIRROR  debootstrap mirror (default http://deb.debian.org/debian)
"""
from __future__ import annotations

import concurrent.futures
import fcntl
import hashlib
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import e2e_helpers as H  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
E2E_DIR = REPO / "tests" / "e2e"
IMAGES_SRC = E2E_DIR / "images"
WORK_ROOT = E2E_DIR / ".work"
CACHE = Path(os.environ.get("BRIG_TEST_CACHE")
             or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "brig-test")
BRIG_TIMEOUT = float(os.environ.get("BRIG_E2E_TIMEOUT", "300"))
DEBIAN_MIRROR = os.environ.get("BRIG_DEBIAN_MIRROR", "http://deb.debian.org/debian")

DEBIAN_BASE = "localhost/debian:bookworm"
ALPINE_BASE = "localhost/alpine:3.18"
ALPINE_TARBALL = "alpine/minirootfs/alpine-minirootfs-3.18.9-x86_64.tar.gz"
NPM_PROJECT = "npm-audit"

CONTAINERS_CONF = """\
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
"""

# name -> how the image is made and what must (not) be in it
IMAGE_SPECS = {
    "debian":     dict(base="debian", os="debian"),
    "alpine":     dict(base="alpine", os="alpine"),
    "node":       dict(base="alpine", os="alpine", npm=True),
    "multistage": dict(base="both", os="alpine",
                       absent_node={"stage-only"}, absent_os_types={"debian"}),
    "whiteout":   dict(base="alpine", os="alpine",
                       absent_node={"leftpad", "gone-file"}, absent_os={"alpine-keys"}),
    "opaque":     dict(base="alpine", os="alpine", absent_node={"hidden-a", "hidden-b"},
                       opaque_dir="opt/data"),
}
IMAGE_NAMES = list(IMAGE_SPECS)


def shared_data_dir() -> Path:
    return Path(os.environ.get("BRIG_SHARED_DATA") or REPO.parent / "shared" / "data")


# ------------------------------------------------------------------ plumbing

class InfraError(RuntimeError):
    pass


_timings: list[tuple[str, float]] = []
_timings_lock = threading.Lock()


@contextmanager
def timed(label: str):
    t0 = time.monotonic()
    try:
        yield
    finally:
        with _timings_lock:
            _timings.append((label, time.monotonic() - t0))


def run(cmd, *, log: Path | None = None, env=None, stdin=None, cwd=None, timeout=900,
        input_bytes=None):
    """Run an infrastructure command; raise InfraError with its output tail."""
    cmd = [str(c) for c in cmd]
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdin=subprocess.PIPE if input_bytes else stdin,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    with _running_lock:
        _running.add(proc)
    try:
        stdout, _ = proc.communicate(input_bytes, timeout=timeout)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    finally:
        with _running_lock:
            _running.discard(proc)
    text = stdout.decode("utf-8", "replace")
    if log is not None:
        with open(log, "a") as f:
            f.write(f"$ {' '.join(cmd)}\n{text}\n[exit {proc.returncode}]\n")
    if proc.returncode != 0:
        tail = "\n".join(text.splitlines()[-25:])
        raise InfraError(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{tail}")
    return text


# infrastructure commands in flight (podman build, skopeo copy, ...): an
# interrupted session stops them by PID instead of waiting for them
_running: set = set()
_running_lock = threading.Lock()


def stop_running_commands() -> None:
    with _running_lock:
        procs = list(_running)
    for p in procs:
        if p.poll() is None:
            p.terminate()


@contextmanager
def file_lock(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float = 30):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


def unix_get(sock_path: str, url: str, timeout: float = 60) -> tuple[int, bytes]:
    conn = UnixHTTPConnection(sock_path, timeout)
    try:
        conn.request("GET", url)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def http_get(url: str, headers=None, timeout: float = 30) -> tuple[int, bytes, dict]:
    req = urllib.request.Request(url, headers=headers or {})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=timeout) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


def stop_process(proc: subprocess.Popen, name: str) -> None:
    """Stop one process we started, by PID: SIGTERM, then SIGKILL."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)


def record_pid(run_dir: Path, proc: subprocess.Popen) -> None:
    """Note a started process in <run dir>/pids, so that scripts/test.sh can
    stop it by PID if this session dies without its teardown."""
    with open(run_dir / "pids", "a") as f:
        f.write(f"{proc.pid}\n")


def unmount_under(root: Path) -> None:
    """Unmount whatever containers/storage left mounted below root (deepest first)."""
    root_s = str(root.resolve())
    mounts = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            mp = line.split()[4].encode().decode("unicode_escape")
            if mp == root_s or mp.startswith(root_s + "/"):
                mounts.append(mp)
    for mp in sorted(mounts, key=len, reverse=True):
        subprocess.run(["umount", "-l", mp], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def is_root() -> bool:
    return os.geteuid() == 0


def missing_tools(*tools: str) -> list[str]:
    return [t for t in tools if shutil.which(t) is None]


# ------------------------------------------------------------------ data types

@dataclass
class Source:
    """One way of handing the same image to `brig image`."""
    label: str
    args: list[str]        # target and flags for `brig image`
    image_id: str          # expected Metadata.ImageID (config digest of that form)
    manifest: str          # "docker" (schema2 / docker-archive) or "oci"


@dataclass
class Expected:
    os_family: str                            # "debian" / "alpine"
    os_pkgs: dict                             # OsPkg -> DiffID of the introducing layer
    dpkg_query: set | None = None             # dpkg-query view of the base rootfs (debian)
    apk_db: set | None = None                 # parsed lib/apk/db/installed (alpine)
    node: set = field(default_factory=set)    # (FilePath, Name, Version, DiffID)
    lockfile: set | None = None               # (FilePath, Name, Version) from package-lock.json
    absent_node: set = field(default_factory=set)
    absent_os: set = field(default_factory=set)
    absent_os_types: set = field(default_factory=set)


@dataclass
class E2EImage:
    name: str                 # short name: debian, alpine, node, multistage, whiteout, opaque
    ref: str                  # engine reference, localhost/brig-e2e/<name>:latest
    context: Path             # build context (copy in the run dir)
    docker_archive: Path
    oci_archive: Path
    oci_layout: Path          # gzip layers, tag "latest"
    oci_layout_zstd: Path
    oci_layout_uncompressed: Path
    registry_ref: str         # 127.0.0.1:P/brig-e2e/<name>:latest (docker schema2, anonymous)
    registry_oci_ref: str     # same registry, :oci tag (OCI manifest)
    registry_auth_ref: str    # 127.0.0.1:Q/brig-e2e/<name>:latest (Basic auth)
    registry_auth: tuple[str, str]
    docker_image_id: str      # sha256 of the docker config (podman image id)
    oci_image_id: str         # sha256 of the OCI config written by skopeo/podman
    diff_ids: list[str]
    spec: dict
    env: "E2EEnv"
    _view: H.LayerView | None = None
    _expected: Expected | None = None

    @property
    def sources(self) -> dict[str, Source]:
        u, p = self.registry_auth
        d, o = self.docker_image_id, self.oci_image_id
        return {
            "docker-archive": Source("docker-archive", ["--input", str(self.docker_archive)], d, "docker"),
            "oci-archive": Source("oci-archive", ["--input", str(self.oci_archive)], o, "oci"),
            "oci-layout": Source("oci-layout", [f"oci:{self.oci_layout}:latest"], o, "oci"),
            "oci-layout-zstd": Source("oci-layout-zstd", [f"oci:{self.oci_layout_zstd}:latest"], o, "oci"),
            "oci-layout-uncompressed": Source("oci-layout-uncompressed",
                                              [f"oci:{self.oci_layout_uncompressed}:latest"], o, "oci"),
            "registry": Source("registry", ["--insecure", self.registry_ref], d, "docker"),
            "registry-oci": Source("registry-oci", ["--insecure", self.registry_oci_ref], o, "oci"),
            "registry-auth": Source("registry-auth", ["--insecure", "--username", u, "--password", p,
                                                      self.registry_auth_ref], d, "docker"),
            "engine": Source("engine", ["--image-src", "engine", self.ref], d, "docker"),
        }

    @property
    def view(self) -> H.LayerView:
        if self._view is None:
            self._view = H.LayerView(self.docker_archive)
        return self._view

    @property
    def expected(self) -> Expected:
        if self._expected is None:
            self._expected = self.env.expected_for(self)
        return self._expected


class Registry:
    def __init__(self, root: Path, name: str, auth: tuple[str, str] | None):
        self.root = root / name
        self.root.mkdir(parents=True, exist_ok=True)
        self.auth = auth
        self.port = free_port()
        self.addr = f"127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        cfg = [
            "version: 0.1",
            "log: {level: warn}",
            f"storage: {{filesystem: {{rootdirectory: {self.root / 'data'}}}, delete: {{enabled: true}}}}",
            f"http: {{addr: {self.addr}, secret: {secrets.token_hex(16)}}}",
        ]
        if self.auth:
            user, pw = self.auth
            htpasswd = run(["htpasswd", "-Bbn", user, pw])
            (self.root / "htpasswd").write_text(htpasswd.strip() + "\n")
            cfg.append(f"auth: {{htpasswd: {{realm: brig-e2e, path: {self.root / 'htpasswd'}}}}}")
        (self.root / "config.yml").write_text("\n".join(cfg) + "\n")
        log = open(self.root / "registry.log", "w")
        self.proc = subprocess.Popen(["docker-registry", "serve", str(self.root / "config.yml")],
                                     stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        record_pid(self.root.parent, self.proc)
        want = 401 if self.auth else 200
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise InfraError(f"docker-registry exited: {(self.root / 'registry.log').read_text()[-2000:]}")
            try:
                status, _, _ = http_get(f"http://{self.addr}/v2/", timeout=2)
                if status == want:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise InfraError(f"registry on {self.addr} did not come up")

    def stop(self) -> None:
        if self.proc:
            stop_process(self.proc, "docker-registry")


class E2EEnv:
    """The session's container environment (lazy: nothing starts until asked)."""

    def __init__(self):
        WORK_ROOT.mkdir(parents=True, exist_ok=True)
        # BRIG_E2E_RUN_DIR: a run dir owned by the caller (scripts/test.sh), kept
        # after the session; a later session reuses the images recorded in its
        # state.json instead of rebuilding them (the ASan pass of test.sh).
        external = os.environ.get("BRIG_E2E_RUN_DIR")
        self.external = bool(external)
        self.run_dir = Path(external or WORK_ROOT / f"run-{os.getpid()}-{secrets.token_hex(3)}").resolve()
        if len(str(self.run_dir / "podman.sock")) > 100:   # sun_path limit
            import tempfile
            self.run_dir = Path(tempfile.mkdtemp(prefix="brig-e2e-"))
            self.external = False
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.state_file = self.run_dir / "state.json"
        self.state = {"creds": None, "images": {}}
        if self.external and self.state_file.exists():
            self.state = json.loads(self.state_file.read_text())
        self.logs = self.run_dir / "logs"
        self.logs.mkdir(exist_ok=True)
        self.sock = self.run_dir / "podman.sock"
        self.env = dict(os.environ)
        self.env.update({
            "CONTAINERS_CONF": str(self.run_dir / "containers.conf"),
            "CONTAINERS_STORAGE_CONF": str(self.run_dir / "storage.conf"),
        })
        self.docker_host = f"unix://{self.sock}"
        self._lock = threading.RLock()
        self._started = False
        self._start_error: Exception | None = None
        self._t0 = time.monotonic()
        self._built = 0
        self._service: subprocess.Popen | None = None
        self.registry: Registry | None = None
        self.registry_auth: Registry | None = None
        self.creds = tuple(self.state["creds"] or ("brig", secrets.token_hex(12)))
        self.state["creds"] = list(self.creds)
        self._bases: dict[str, concurrent.futures.Future] = {}
        self._images: dict[str, concurrent.futures.Future] = {}
        # images wait on bases and npm: those get their own pool (no deadlock)
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=3, thread_name_prefix="e2e-img")
        self._base_pool = concurrent.futures.ThreadPoolExecutor(max_workers=3, thread_name_prefix="e2e-base")
        self._npm: concurrent.futures.Future | None = None
        self._npm_dir: Path | None = None
        self._debian_admindir: Path | None = None

    # -- prerequisites -------------------------------------------------
    def require(self) -> None:
        """Skip (visibly) when this machine cannot run the container tests."""
        if not is_root():
            pytest.skip("container e2e tests need root (podman storage, debootstrap); run scripts/test.sh as root")
        miss = missing_tools("podman", "skopeo", "docker-registry", "htpasswd", "debootstrap",
                             "dpkg-query", "npm", "runc")
        if miss:
            pytest.skip(f"container e2e tests need {', '.join(miss)}: run scripts/setup.sh")

    def require_shared(self, what: str) -> Path:
        d = shared_data_dir()
        if not d.is_dir():
            pytest.skip(f"../shared/data absent: {d} ({what} needs it; set BRIG_SHARED_DATA)")
        return d

    # -- engine and registries -----------------------------------------
    def start(self) -> None:
        with self._lock:
            if self._started:
                if self._start_error:
                    raise InfraError(f"environment failed to start: {self._start_error}")
                return
            self._started = True
            try:
                self._start()
            except Exception as e:
                self._start_error = e
                raise

    def _start(self) -> None:
        with timed("start podman service + registries"):
            self._mount_storage_tmpfs()
            (self.run_dir / "containers.conf").write_text(CONTAINERS_CONF)
            (self.run_dir / "storage.conf").write_text(
                "[storage]\n"
                'driver = "overlay"\n'
                f'graphroot = "{self.run_dir / "storage"}"\n'
                f'runroot = "{self.run_dir / "runroot"}"\n')
            log = open(self.logs / "podman-service.log", "w")
            self._service = subprocess.Popen(
                ["podman", "system", "service", "--time=0", self.docker_host],
                env=self.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            log.close()
            record_pid(self.run_dir, self._service)
            self.registry = Registry(self.run_dir, "registry", None)
            self.registry_auth = Registry(self.run_dir, "registry-auth", self.creds)
            self.registry.start()
            self.registry_auth.start()
            deadline = time.monotonic() + 60
            while True:
                if self._service.poll() is not None:
                    raise InfraError("podman system service exited: " +
                                     (self.logs / "podman-service.log").read_text()[-2000:])
                try:
                    if unix_get(str(self.sock), "/_ping", 5)[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise InfraError("podman system service did not answer /_ping")
                time.sleep(0.1)

    def _mount_storage_tmpfs(self) -> None:
        """Podman's storage (~17,000 small files) on a tmpfs: builds skip the
        disk and teardown is one umount instead of a slow rm -rf.
        BRIG_E2E_TMPFS=0 keeps it on disk. Reused run dirs keep their tmpfs."""
        storage = self.run_dir / "storage"
        storage.mkdir(exist_ok=True)
        if os.environ.get("BRIG_E2E_TMPFS", "1") == "0" or os.path.ismount(storage):
            return
        if any(storage.iterdir()):        # a reused run dir whose storage is on disk
            return
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8g,mode=0700", "brig-e2e-storage",
                        str(storage)], check=True)

    def podman(self, *args, log: str = "podman", **kw) -> str:
        return run(["podman", *args], env=self.env, log=self.logs / f"{log}.log", **kw)

    def skopeo(self, *args, log: str = "skopeo", **kw) -> str:
        return run(["skopeo", *args], env=self.env, log=self.logs / f"{log}.log", **kw)

    def teardown(self) -> None:
        stop_running_commands()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._base_pool.shutdown(wait=True, cancel_futures=True)
        with timed("teardown: stop services"):
            if self._started and (self.run_dir / "storage.conf").exists():
                # containers tests left behind in this session's private storage
                try:
                    self.podman("rm", "--all", "--force", "--time", "0", log="teardown", timeout=120)
                except (InfraError, subprocess.TimeoutExpired):
                    pass
            if self._service:
                stop_process(self._service, "podman system service")
            for r in (self.registry, self.registry_auth):
                if r:
                    r.stop()
            if not self.external:   # a caller-owned run dir keeps its storage for the next session
                unmount_under(self.run_dir)
        if os.environ.get("BRIG_E2E_KEEP") != "1" and not self.external:
            with timed("teardown: remove run dir"):
                subprocess.run(["rm", "-rf", "--one-file-system", str(self.run_dir)])

    def _save_state(self, name: str, ids: dict) -> None:
        with self._lock:
            self.state["images"][name] = ids
            tmp = self.state_file.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.state, indent=1))
            tmp.rename(self.state_file)

    # -- base images ---------------------------------------------------
    def debootstrap_tar(self) -> Path:
        """Cached tarball of `debootstrap --variant=minbase bookworm` (apt caches removed)."""
        tar = CACHE / "debootstrap-bookworm.tar"
        with file_lock(CACHE / ".debootstrap.lock"):
            if tar.exists():
                return tar
            with timed("debootstrap (not cached)"):
                root = self.run_dir / "debootstrap"
                try:
                    run(["debootstrap", "--variant=minbase", "bookworm", root, DEBIAN_MIRROR],
                        log=self.logs / "debootstrap.log", timeout=1200)
                finally:
                    unmount_under(root)
                for sub in ("var/cache/apt/archives", "var/lib/apt/lists"):
                    for p in (root / sub).glob("*"):
                        if p.is_file():
                            p.unlink()
                tmp = tar.with_suffix(".tmp")
                run(["tar", "--numeric-owner", "-C", root, "-cf", tmp, "."])
                tmp.rename(tar)
                shutil.rmtree(root, ignore_errors=True)
        return tar

    def debian_admindir(self) -> Path:
        """var/lib/dpkg of the debootstrap rootfs, for dpkg-query."""
        with self._lock:
            if self._debian_admindir is None:
                dest = self.run_dir / "debian-dpkg"
                shutil.rmtree(dest, ignore_errors=True)
                dest.mkdir()
                run(["tar", "-C", dest, "-xf", self.debootstrap_tar(), "./var/lib/dpkg"])
                self._debian_admindir = dest / "var/lib/dpkg"
            return self._debian_admindir

    def _make_base(self, which: str) -> str:
        if which == "debian":
            tar = self.debootstrap_tar()
            with timed("import debian base"), open(tar, "rb") as f:
                self.podman("import", "-", DEBIAN_BASE, stdin=f, log="import")
            return DEBIAN_BASE
        tarball = self.require_shared("alpine base image") / ALPINE_TARBALL
        with timed("import alpine base"):
            self.podman("import", tarball, ALPINE_BASE, log="import")
        return ALPINE_BASE

    def base(self, which: str) -> str:
        with self._lock:
            if which not in self._bases:
                self._bases[which] = self._base_pool.submit(self._make_base, which)
            fut = self._bases[which]
        return fut.result()

    # -- npm -------------------------------------------------------------
    def npm_project(self) -> Path:
        """package.json + package-lock.json + node_modules from `npm ci` (cached)."""
        with self._lock:
            if self._npm_dir is not None:
                return self._npm_dir
        src = self.require_shared("the node image") / NPM_PROJECT
        files = ("package.json", "package-lock.json")
        key = hashlib.sha256(b"".join((src / f).read_bytes() for f in files)).hexdigest()[:16]
        cached = CACHE / f"npm-{key}"
        with file_lock(CACHE / ".npm.lock"):
            if not (cached / "node_modules").is_dir():
                with timed("npm ci (not cached)"):
                    # npm ci runs in the cache itself (then renamed into place):
                    # the node image is built with this directory as its context
                    work = CACHE / f"npm-{key}.tmp"
                    shutil.rmtree(work, ignore_errors=True)
                    work.mkdir(parents=True)
                    for f in files:
                        shutil.copy2(src / f, work / f)
                    npm_env = dict(self.env, npm_config_cache=str(CACHE / "npm-cache"),
                                   npm_config_update_notifier="false")
                    run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
                        cwd=work, env=npm_env, log=self.logs / "npm.log", timeout=900)
                    shutil.rmtree(cached, ignore_errors=True)
                    work.rename(cached)
        with self._lock:
            self._npm_dir = cached
        return cached

    # -- test images -----------------------------------------------------
    def image(self, name: str) -> E2EImage:
        self.require()
        spec = IMAGE_SPECS[name]
        if spec["base"] in ("alpine", "both") or spec.get("npm"):
            self.require_shared(f"image '{name}'")
        self.start()
        self.prefetch()
        return self._images[name].result()

    def prefetch(self) -> None:
        """Start building every image this machine can build (3 at a time)."""
        with self._lock:
            if not self._images:
                self._t0 = time.monotonic()
            have_shared = shared_data_dir().is_dir()
            if set(self.state["images"]) != set(IMAGE_SPECS):   # something to build
                for b in (("debian", "alpine") if have_shared else ("debian",)):
                    if b not in self._bases:
                        self._bases[b] = self._base_pool.submit(self._make_base, b)
                if have_shared and self._npm is None:
                    self._npm = self._base_pool.submit(self.npm_project)
            for name, spec in IMAGE_SPECS.items():
                if name in self._images:
                    continue
                if not have_shared and (spec["base"] != "debian" or spec.get("npm")):
                    continue
                self._images[name] = self._pool.submit(self._build, name)

    def _image_obj(self, name: str, ids: dict) -> E2EImage:
        out = self.run_dir / "exports" / name
        repo = f"brig-e2e/{name}"
        return E2EImage(
            name=name, ref=f"localhost/{repo}:latest", context=self.run_dir / "ctx" / name,
            docker_archive=out / "docker-archive.tar", oci_archive=out / "oci-archive.tar",
            oci_layout=out / "oci", oci_layout_zstd=out / "oci-zstd",
            oci_layout_uncompressed=out / "oci-uncompressed",
            registry_ref=f"{self.registry.addr}/{repo}:latest",
            registry_oci_ref=f"{self.registry.addr}/{repo}:oci",
            registry_auth_ref=f"{self.registry_auth.addr}/{repo}:latest",
            registry_auth=self.creds, docker_image_id=ids["docker_image_id"],
            oci_image_id=ids["oci_image_id"], diff_ids=ids["diff_ids"],
            spec=IMAGE_SPECS[name], env=self)

    def _build(self, name: str) -> E2EImage:
        if name in self.state["images"]:        # built by an earlier session of this run dir
            return self._image_obj(name, self.state["images"][name])
        spec = IMAGE_SPECS[name]
        ctx = self.run_dir / "ctx" / name
        shutil.rmtree(ctx, ignore_errors=True)
        shutil.copytree(IMAGES_SRC / name, ctx)
        build_ctx = ctx
        if spec.get("npm"):
            # context: the cached `npm ci` result (package.json, package-lock.json,
            # node_modules/), used in place: no copy of its ~9,000 files
            with timed(f"[{name}] npm ci result"):
                build_ctx = self._npm.result() if self._npm else self.npm_project()
        bases = {"debian": ["debian"], "alpine": ["alpine"], "both": ["alpine", "debian"]}[spec["base"]]
        # waiting on bases from a pool thread: bases are submitted before images
        for b in bases:
            self.base(b)
        ref = f"localhost/brig-e2e/{name}:latest"
        out = self.run_dir / "exports" / name
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        with timed(f"[{name}] podman build"):
            self.podman("build", "--isolation", "chroot", "--format", "docker", "-t", ref,
                        "-f", ctx / "Dockerfile", build_ctx, log=f"build-{name}")
        with timed(f"[{name}] exports"):
            docker_archive = out / "docker-archive.tar"
            oci_archive = out / "oci-archive.tar"
            layout, zstd, unc = out / "oci", out / "oci-zstd", out / "oci-uncompressed"
            lg = f"export-{name}"
            self.podman("save", "--format", "docker-archive", "-o", docker_archive, ref, log=lg)
            self.podman("save", "--format", "oci-archive", "-o", oci_archive, ref, log=lg)
            self.skopeo("copy", "-q", f"containers-storage:{ref}", f"oci:{layout}:latest", log=lg)
            self.skopeo("copy", "-q", "--dest-compress-format", "zstd",
                        f"containers-storage:{ref}", f"oci:{zstd}:latest", log=lg)
            self.skopeo("copy", "-q", "--dest-oci-accept-uncompressed-layers",
                        f"containers-storage:{ref}", f"oci:{unc}:latest", log=lg)
        with timed(f"[{name}] registry pushes"):
            repo = f"brig-e2e/{name}"
            reg_ref = f"{self.registry.addr}/{repo}:latest"
            reg_oci_ref = f"{self.registry.addr}/{repo}:oci"
            auth_ref = f"{self.registry_auth.addr}/{repo}:latest"
            self.skopeo("copy", "-q", "--dest-tls-verify=false",
                        f"containers-storage:{ref}", f"docker://{reg_ref}", log=lg)
            self.skopeo("copy", "-q", "--dest-tls-verify=false",
                        f"oci:{layout}:latest", f"docker://{reg_oci_ref}", log=lg)
            self.skopeo("copy", "-q", "--src-tls-verify=false", "--dest-tls-verify=false",
                        "--dest-creds", f"{self.creds[0]}:{self.creds[1]}",
                        f"docker://{reg_ref}", f"docker://{auth_ref}", log=lg)
        inspect = json.loads(self.podman("image", "inspect", ref, log=lg))[0]
        ids = {"docker_image_id": "sha256:" + inspect["Id"].removeprefix("sha256:"),
               "oci_image_id": oci_layout_manifest(layout)["config"]["digest"],
               "diff_ids": list(inspect["RootFS"]["Layers"])}
        img = self._image_obj(name, ids)
        assert (img.ref, img.registry_ref, img.registry_auth_ref) == (ref, reg_ref, auth_ref)
        self._save_state(name, ids)
        with self._lock:
            self._built += 1
            if self._built == len(self._images):
                with _timings_lock:
                    _timings.append((f"all {self._built} images built and exported (wall clock)",
                                     time.monotonic() - self._t0))
        return img

    def expected_for(self, img: E2EImage) -> Expected:
        spec = img.spec
        view = img.view
        if spec["os"] == "debian":
            os_pkgs = view.os_db_packages("var/lib/dpkg/status", H.parse_dpkg_status)
        else:
            os_pkgs = view.os_db_packages("lib/apk/db/installed", H.parse_apk_installed)
        exp = Expected(os_family=spec["os"], os_pkgs=os_pkgs, node=view.node_packages(),
                       absent_node=set(spec.get("absent_node", ())),
                       absent_os=set(spec.get("absent_os", ())),
                       absent_os_types=set(spec.get("absent_os_types", ())))
        if spec["os"] == "debian":
            exp.dpkg_query = set(H.dpkg_query(self.debian_admindir()))
        else:
            exp.apk_db = set(H.parse_apk_installed(view.read("lib/apk/db/installed").decode()))
        if spec.get("npm"):
            exp.lockfile = H.lockfile_packages(self.npm_project() / "package-lock.json", prefix="app")
        return exp


def oci_layout_manifest(layout: Path, tag: str = "latest") -> dict:
    index = json.loads((layout / "index.json").read_text())
    for m in index["manifests"]:
        if (m.get("annotations") or {}).get("org.opencontainers.image.ref.name") in (tag, None):
            algo, hexd = m["digest"].split(":")
            return json.loads((layout / "blobs" / algo / hexd).read_text())
    raise InfraError(f"{layout}: no manifest tagged {tag}")


# ------------------------------------------------------------------ fixtures

def _meson_version() -> str:
    import re
    m = re.search(r"version\s*:\s*'([^']+)'", (REPO / "meson.build").read_text())
    return m.group(1) if m else ""


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def project_version() -> str:
    return _meson_version()


@pytest.fixture(scope="session")
def brig() -> str:
    """Path of the brig binary under test (BRIG_BIN, default build/brig)."""
    path = Path(os.environ.get("BRIG_BIN") or REPO / "build" / "brig")
    if not path.is_absolute():
        path = (REPO / path).resolve()
    if not os.access(path, os.X_OK):
        pytest.fail(f"brig binary not found at {path}: build it (ninja -C build) or set BRIG_BIN")
    return str(path)


@pytest.fixture(scope="session")
def brig_env(request) -> dict:
    """Environment brig runs with: the caller's, plus DOCKER_HOST when the
    podman service of this session is running."""
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1")
    env.setdefault("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1")
    for var in ("no_proxy", "NO_PROXY"):   # the local registries must never go through a proxy
        env[var] = ",".join(filter(None, [env.get(var), "127.0.0.1", "localhost"]))
    return env


@pytest.fixture(scope="session")
def run_brig(brig, brig_env, e2e_env_lazy):
    """run_brig(*args, input=None, env=None, cwd=None, timeout=None) -> CompletedProcess[str].

    Runs brig with captured stdout/stderr (text). DOCKER_HOST points at this
    session's podman service once it has been started."""
    def _run(*args, input=None, env=None, cwd=None, timeout=None):
        e = dict(brig_env)
        if e2e_env_lazy.started:
            e["DOCKER_HOST"] = e2e_env_lazy.env_obj.docker_host
        if env:
            e.update(env)
        return subprocess.run([brig, *map(str, args)], input=input, capture_output=True,
                              text=True, env=e, cwd=cwd, timeout=timeout or BRIG_TIMEOUT)
    _run.path = brig
    return _run


class _LazyEnv:
    def __init__(self):
        self.env_obj: E2EEnv | None = None

    @property
    def started(self) -> bool:
        return self.env_obj is not None and self.env_obj._started

    def get(self) -> E2EEnv:
        if self.env_obj is None:
            self.env_obj = E2EEnv()
        return self.env_obj


@pytest.fixture(scope="session")
def e2e_env_lazy():
    lazy = _LazyEnv()
    yield lazy
    if lazy.env_obj is not None:
        with timed("teardown"):
            lazy.env_obj.teardown()


@pytest.fixture(scope="session")
def e2e_env(e2e_env_lazy) -> E2EEnv:
    """The podman/registry environment (started: service + both registries)."""
    env = e2e_env_lazy.get()
    env.require()
    env.start()
    return env


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """<repo>/../shared/data (BRIG_SHARED_DATA overrides); skips when absent."""
    d = shared_data_dir()
    if not d.is_dir():
        pytest.skip(f"../shared/data absent: {d} (set BRIG_SHARED_DATA)")
    return d


@pytest.fixture(scope="session")
def e2e_images(e2e_env):
    """get(name) -> E2EImage; builds all images in the background on first use."""
    def get(name: str) -> E2EImage:
        return e2e_env.image(name)
    return get


@pytest.fixture(params=IMAGE_NAMES)
def image(request, e2e_images) -> E2EImage:
    """Parametrized over every test image."""
    return e2e_images(request.param)


def _image_fixture(name):
    @pytest.fixture(scope="session")
    def fx(e2e_images) -> E2EImage:
        return e2e_images(name)
    fx.__name__ = f"{name}_image"
    fx.__doc__ = f"The '{name}' test image (E2EImage)."
    return fx


debian_image = _image_fixture("debian")
alpine_image = _image_fixture("alpine")
node_image = _image_fixture("node")
multistage_image = _image_fixture("multistage")
whiteout_image = _image_fixture("whiteout")
opaque_image = _image_fixture("opaque")


@pytest.fixture(scope="session")
def scan_image(run_brig, e2e_env):
    """scan_image(image, source_label, *extra) -> dict (brig's JSON report), cached per session.
    Fails the test with brig's stderr when brig does not exit 0."""
    cache: dict = {}
    lock = threading.Lock()

    def scan(img: E2EImage, label: str, *extra: str) -> dict:
        key = (img.name, label, extra)
        with lock:
            if key in cache:
                return cache[key]
        src = img.sources[label]
        args = ["image", "--scanners", "none", "--format", "json", "--list-all-pkgs", *extra, *src.args]
        cp = run_brig(*args)
        if cp.returncode != 0:
            pytest.fail(f"brig {' '.join(args)} exited {cp.returncode}\nstderr: {cp.stderr[-3000:]}")
        try:
            report = json.loads(cp.stdout)
        except ValueError as e:
            pytest.fail(f"brig {' '.join(args)}: stdout is not JSON ({e}): {cp.stdout[:500]!r}")
        with lock:
            cache[key] = report
        return report
    return scan


@pytest.fixture(scope="session")
def debian_rootfs(e2e_env) -> Path:
    """Extracted debootstrap rootfs (Debian 12 minbase) in the run dir."""
    dest = e2e_env.run_dir / "rootfs-debian"
    if not dest.exists():
        dest.mkdir()
        run(["tar", "--numeric-owner", "-C", dest, "-xf", e2e_env.debootstrap_tar()])
    return dest


@pytest.fixture(scope="session")
def alpine_rootfs(e2e_env, shared_data) -> Path:
    """Extracted Alpine 3.18.9 minirootfs in the run dir."""
    dest = e2e_env.run_dir / "rootfs-alpine"
    if not dest.exists():
        dest.mkdir()
        run(["tar", "--numeric-owner", "-C", dest, "-xzf", shared_data / ALPINE_TARBALL])
    return dest


def pytest_configure(config):
    # SIGTERM (CI timeouts, kill PID) behaves like Ctrl-C: session fixtures
    # tear down, so the podman service and registries are stopped.
    def _term(signum, frame):
        raise KeyboardInterrupt("SIGTERM")
    signal.signal(signal.SIGTERM, _term)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not _timings:
        return
    tr = terminalreporter
    tr.section("e2e infrastructure timings")
    lines = [f"{secs:7.1f}s  {label}" for label, secs in _timings]
    for line in lines:
        tr.write_line(line)
    try:
        WORK_ROOT.mkdir(parents=True, exist_ok=True)
        (WORK_ROOT / "last-timings.txt").write_text("\n".join(lines) + "\n")
    except OSError:
        pass
