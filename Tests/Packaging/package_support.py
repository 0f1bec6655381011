"""Helpers for the package tests: the built .deb and a clean Debian 12 root
to install it in. The root is made once with debootstrap (minbase bookworm
plus man-db) and cached as a tarball under .build-deb/cache, so later runs
only unpack it."""
import os
import re
import shutil
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEB_DIR = os.path.join(ROOT, ".build-deb")
CACHE = os.environ.get("NNGCAT_DEB_ROOT_CACHE", os.path.join(DEB_DIR, "cache", "bookworm-minbase-man-db.tar"))
MIRROR = os.environ.get("NNGCAT_DEB_MIRROR", "http://deb.debian.org/debian")


def source_version():
    with open(os.path.join(ROOT, "Sources", "NNGCatCLI", "Options", "HelpText.swift")) as f:
        return re.search(r'^ *static let version = "([^"]+)"$', f.read(), re.M).group(1)


def run(cmd, timeout, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kwargs)
    assert result.returncode == 0, f"{cmd} exited {result.returncode}\nstdout: {result.stdout[-3000:]}\nstderr: {result.stderr[-3000:]}"
    return result


def make_cache():
    os.makedirs(os.path.dirname(CACHE), exist_ok=True)
    build = tempfile.mkdtemp(prefix="debootstrap-", dir=os.path.dirname(CACHE))
    try:
        run(["debootstrap", "--variant=minbase", "--include=man-db", "bookworm", build, MIRROR], timeout=900)
        # The base system's .debs are not needed again: keep the tarball small.
        run(["chroot", build, "apt-get", "clean"], timeout=60)
        run(["tar", "-C", build, "--numeric-owner", "-cf", CACHE + ".new", "."], timeout=300)
        os.replace(CACHE + ".new", CACHE)
    finally:
        shutil.rmtree(build, ignore_errors=True)


class CleanRoot:
    """A freshly unpacked Debian root. Commands run chrooted in their own mount
    and pid namespaces with /proc mounted, as on an installed system (the
    static Swift runtime finds argv through /proc/self/maps: without /proc,
    nngcat sees no arguments), and nothing stays mounted once they end."""

    def __init__(self, path):
        self.path = path

    def run(self, script, timeout=120, check=True):
        cmd = ["unshare", "--fork", "--pid", f"--mount-proc={self.path}/proc",
               "chroot", self.path, "/usr/bin/env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
               "DEBIAN_FRONTEND=noninteractive", "LANG=C.UTF-8", "HOME=/root", "/bin/sh", "-c", script]
        if check:
            return run(cmd, timeout)
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
