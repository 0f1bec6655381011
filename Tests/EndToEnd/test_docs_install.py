"""`make install` puts the binary, the man page and the completions where
man, bash-completion, zsh and fish look; `make uninstall` removes them all."""
import os
import shutil
import subprocess

import pytest

from conftest import ROOT
from docs_support import need_tool

EXPECTED = [
    "usr/local/bin/nngcat",
    "usr/local/share/man/man1/nngcat.1",
    "usr/local/share/bash-completion/completions/nngcat",
    "usr/local/share/zsh/site-functions/_nngcat",
    "usr/local/share/fish/vendor_completions.d/nngcat.fish",
]


def files_under(root):
    found = []
    for folder, _, names in os.walk(root):
        found += [os.path.relpath(os.path.join(folder, name), root) for name in names]
    return sorted(found)


def make(*args):
    make = need_tool("make", "make")
    return subprocess.run([make, "-C", ROOT, *args], capture_output=True, timeout=120)


def test_install_then_uninstall_leaves_nothing(ours, tmp_path):
    destdir = tmp_path / "stage"
    result = make("install", f"DESTDIR={destdir}", "PREFIX=/usr/local", f"BIN={ours}")
    assert result.returncode == 0, result.stderr.decode()
    assert files_under(destdir) == sorted(EXPECTED)
    binary = destdir / "usr/local/bin/nngcat"
    assert os.access(binary, os.X_OK)
    assert (destdir / "usr/local/share/man/man1/nngcat.1").read_bytes() == open(os.path.join(ROOT, "man/nngcat.1"), "rb").read()
    assert subprocess.run([str(binary), "--version"], capture_output=True, timeout=20).returncode == 0

    result = make("uninstall", f"DESTDIR={destdir}", "PREFIX=/usr/local")
    assert result.returncode == 0, result.stderr.decode()
    assert files_under(destdir) == []


def test_installed_man_page_is_found_by_man(ours, tmp_path):
    man = shutil.which("man")
    if man is None:
        pytest.skip("man is not installed (apt-get install man-db)")
    destdir = tmp_path / "stage"
    assert make("install", f"DESTDIR={destdir}", "PREFIX=/usr/local", f"BIN={ours}").returncode == 0
    result = subprocess.run([man, "-M", str(destdir / "usr/local/share/man"), "-P", "cat", "nngcat"],
                            capture_output=True, timeout=30, env={**os.environ, "MANWIDTH": "80"})
    assert result.returncode == 0, result.stderr.decode()
    assert b"DELIVERY GUARANTEE" in result.stdout


def test_installed_completions_load_in_their_shells(ours, tmp_path):
    destdir = tmp_path / "stage"
    assert make("install", f"DESTDIR={destdir}", "PREFIX=/usr/local", f"BIN={ours}").returncode == 0
    share = destdir / "usr/local/share"
    bash = subprocess.run(["bash", "--norc", "-c", f"source {share}/bash-completion/completions/nngcat && complete -p nngcat"],
                          capture_output=True, timeout=30)
    assert bash.stdout.decode().strip() == "complete -F _nngcat nngcat"
    fish = need_tool("fish", "fish")
    result = subprocess.run([fish, "--no-config", "-c",
                             f"set fish_complete_path {share}/fish/vendor_completions.d $fish_complete_path; complete -C 'nngcat listen --for'"],
                            capture_output=True, timeout=30)
    assert result.stdout.decode().split("\t")[0] == "--format"


def test_make_dry_run_defaults_to_a_static_release_build():
    result = make("-n", "build")
    assert result.returncode == 0
    assert b"swift build -c release --disable-index-store --static-swift-stdlib" in result.stdout
