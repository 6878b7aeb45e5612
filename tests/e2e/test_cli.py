"""The brig command line: help, version, flag errors and exit codes."""
import re

import pytest


def one_line(stderr: str) -> str:
    lines = stderr.rstrip("\n").split("\n")
    assert len(lines) == 1 and lines[0].strip(), f"want exactly one stderr line, got {stderr!r}"
    return lines[0]


def test_help(run_brig):
    cp = run_brig("--help")
    assert cp.returncode == 0, cp.stderr
    assert re.search(r"^usage:", cp.stdout, re.I | re.M)
    for cmd in ("image", "rootfs", "fs"):
        assert re.search(rf"^\s+{cmd}\b", cp.stdout, re.M), f"--help does not list '{cmd}'"
    assert cp.stderr == ""


def test_version(run_brig, project_version):
    cp = run_brig("--version")
    assert cp.returncode == 0, cp.stderr
    assert cp.stdout.strip() == f"brig {project_version}"
    assert cp.stderr == ""


@pytest.mark.parametrize("cmd", ["image", "rootfs", "fs"])
def test_command_help(run_brig, cmd):
    cp = run_brig(cmd, "--help")
    assert cp.returncode == 0, cp.stderr
    assert re.search(r"usage:", cp.stdout, re.I)
    assert "--format" in cp.stdout and "--output" in cp.stdout
    assert cp.stderr == ""


def test_image_help_lists_contract_flags(run_brig):
    out = run_brig("image", "--help").stdout
    for flag in ("--input", "--format", "--list-all-pkgs", "--output", "--quiet", "--insecure",
                 "--username", "--password", "--image-src", "--max-image-size", "--exit-code"):
        assert flag in out, f"brig image --help does not document {flag}"


def test_no_arguments(run_brig):
    cp = run_brig()
    assert cp.returncode == 2
    assert cp.stdout == ""
    assert re.search(r"usage:", cp.stderr, re.I)


def test_unknown_command(run_brig):
    cp = run_brig("frobnicate")
    assert cp.returncode == 2
    assert cp.stdout == ""
    assert "frobnicate" in cp.stderr.splitlines()[0]
    assert re.search(r"usage:", cp.stderr, re.I)


@pytest.mark.parametrize("argv", [["--bogus-flag"], ["image", "--bogus-flag", "x.tar"],
                                  ["rootfs", "--bogus-flag", "/"], ["fs", "--bogus-flag", "."]])
def test_unknown_flag(run_brig, argv):
    cp = run_brig(*argv)
    assert cp.returncode == 2, cp.stderr
    assert cp.stdout == ""
    assert "--bogus-flag" in cp.stderr.splitlines()[0]
    assert re.search(r"usage:", cp.stderr, re.I), "a bad flag prints the usage on stderr"


@pytest.mark.parametrize("value", ["xml", "JSONX", ""])
def test_bad_format_value(run_brig, tmp_path, value):
    cp = run_brig("image", "--format", value, "--input", tmp_path / "img.tar")
    assert cp.returncode == 2
    assert cp.stdout == ""
    assert "format" in cp.stderr.lower()


def test_flag_missing_value(run_brig):
    cp = run_brig("image", "--input")
    assert cp.returncode == 2
    assert cp.stdout == ""
    assert "--input" in cp.stderr


@pytest.mark.parametrize("value", ["lots", "-1", "12Q"])
def test_bad_size_value(run_brig, tmp_path, value):
    cp = run_brig("image", "--max-image-size", value, "--input", tmp_path / "img.tar")
    assert cp.returncode == 2
    assert cp.stdout == ""
    assert "max-image-size" in cp.stderr


def test_image_without_target(run_brig):
    cp = run_brig("image")
    assert cp.returncode == 2
    assert cp.stdout == ""
    assert cp.stderr.strip()


def test_missing_input_file(run_brig, tmp_path):
    missing = tmp_path / "does-not-exist.tar"
    cp = run_brig("image", "--scanners", "none", "--input", missing)
    assert cp.returncode == 2
    assert cp.stdout == ""
    assert str(missing) in one_line(cp.stderr)


def test_input_not_an_image(run_brig, tmp_path):
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"this is not a tar archive\n" * 100)
    cp = run_brig("image", "--scanners", "none", "--input", junk)
    assert cp.returncode == 2
    assert cp.stdout == ""
    one_line(cp.stderr)


def test_missing_oci_layout(run_brig, tmp_path):
    cp = run_brig("image", "--scanners", "none", f"oci:{tmp_path / 'nope'}:latest")
    assert cp.returncode == 2
    assert cp.stdout == ""
    assert "nope" in one_line(cp.stderr)


def test_missing_rootfs_dir(run_brig, tmp_path):
    cp = run_brig("rootfs", "--scanners", "none", tmp_path / "nope")
    assert cp.returncode == 2
    assert cp.stdout == ""
    assert "nope" in one_line(cp.stderr)


def test_empty_rootfs_is_clean(run_brig, tmp_path):
    cp = run_brig("rootfs", "--scanners", "none", "--format", "json", tmp_path)
    assert cp.returncode == 0, cp.stderr
    assert cp.stdout.strip().startswith("{")


def test_registry_unreachable(run_brig):
    # a port nobody listens on: a clean error, not a hang
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cp = run_brig("image", "--scanners", "none", "--insecure", "--image-src", "registry", f"127.0.0.1:{port}/x/y:latest",
                  timeout=120)
    assert cp.returncode == 2
    assert cp.stdout == ""
    assert f"127.0.0.1:{port}" in one_line(cp.stderr)
