"""Fixtures for the package tests (see package_support.py)."""
import glob
import os
import shutil
import tempfile

import pytest

from package_support import CACHE, DEB_DIR, CleanRoot, make_cache, run, source_version


@pytest.fixture(scope="session")
def deb():
    path = os.environ.get("NNGCAT_DEB") or os.path.join(DEB_DIR, f"nngcat_{source_version()}_amd64.deb")
    if not os.path.isfile(path):
        found = glob.glob(os.path.join(DEB_DIR, "nngcat_*_amd64.deb"))
        pytest.fail(f"no package at {path} (found {found}): run make deb first or set NNGCAT_DEB")
    return path


@pytest.fixture(scope="module")
def clean_root():
    if not os.path.isfile(CACHE):
        make_cache()
    path = tempfile.mkdtemp(prefix="root-", dir=DEB_DIR)
    try:
        run(["tar", "-C", path, "--numeric-owner", "-xf", CACHE], timeout=300)
        shutil.copy("/etc/resolv.conf", os.path.join(path, "etc", "resolv.conf"))
        yield CleanRoot(path)
    finally:
        # unshare's mounts die with its namespace; refuse to delete through one anyway.
        assert not os.path.ismount(os.path.join(path, "proc")), f"{path}/proc is still mounted"
        shutil.rmtree(path, ignore_errors=True)
