"""Shared fixtures for the end-to-end suite: the built binary, the C nngcat,
unique ipc/tcp addresses, and process helpers that are always bounded in time."""
import ctypes
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import uuid

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NNGCAT = os.environ.get("NNGCAT_BIN", os.path.join(ROOT, ".build", "debug", "nngcat"))
C_NNGCAT = shutil.which("nngcat", path="/usr/bin") or "/usr/bin/nngcat"


@pytest.fixture(scope="session")
def ours():
    if not os.access(NNGCAT, os.X_OK):
        pytest.fail(f"built binary not found at {NNGCAT}; run swift build first or set NNGCAT_BIN")
    return NNGCAT


def loaded_nng_version(binary=None):
    """The release of the libnng that `binary` loads, asked of that library
    itself: ldd resolves it as the dynamic loader would (RUNPATH included),
    ctypes calls its nng_version(). The suite runs against more than one
    release (scripts/test), so tests compare with this, not a constant."""
    binary = binary or NNGCAT
    listing = subprocess.run(["ldd", binary], capture_output=True, timeout=10, text=True).stdout
    match = re.search(r"^\s*libnng\.so\S* => (\S+)", listing, re.M)
    assert match, f"{binary} does not load libnng:\n{listing}"
    library = ctypes.CDLL(match.group(1))
    library.nng_version.restype = ctypes.c_char_p
    return library.nng_version().decode()


def version_tuple(version):
    return tuple(int(part) for part in version.split("."))


@pytest.fixture(scope="session")
def nng_version(ours):
    return loaded_nng_version()


@pytest.fixture(scope="session")
def c_nngcat():
    if not os.access(C_NNGCAT, os.X_OK):
        pytest.fail("the C nngcat is missing: apt-get install nng-utils")
    return C_NNGCAT


@pytest.fixture
def tmpdir_short():
    # ipc paths must stay under 108 bytes: use a short folder in /tmp.
    path = tempfile.mkdtemp(prefix="nc-", dir="/tmp")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def ipc_url(tmpdir_short):
    return f"ipc://{tmpdir_short}/s"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def tcp_url():
    return f"tcp://127.0.0.1:{free_port()}"


@pytest.fixture
def inproc_name():
    return f"inproc://{uuid.uuid4().hex}"


def run(args, input=None, timeout=20, **kw):
    """Runs a command to completion, bounded in time; returns CompletedProcess with bytes."""
    return subprocess.run(args, input=input, capture_output=True, timeout=timeout, **kw)


class Background:
    """A process started in the background, always killed at the end of the test."""

    def __init__(self, args, stdin=subprocess.DEVNULL, **kw):
        self.proc = subprocess.Popen(args, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)

    def finish(self, timeout=20):
        out, err = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, out, err

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate(timeout=5)


@pytest.fixture
def background():
    started = []

    def start(args, **kw):
        b = Background(args, **kw)
        started.append(b)
        return b

    yield start
    for b in started:
        b.kill()


def wait_for_ipc(url, timeout=5.0):
    """Waits until the ipc socket file of a listener exists."""
    path = url[len("ipc://"):]
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.exists(path):
            return
        time.sleep(0.01)
    raise AssertionError(f"nobody listens on {url}")


def wait_for_tcp(url, timeout=5.0):
    host, port = url[len("tcp://"):].rsplit(":", 1)
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection((host.strip("[]"), int(port)), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)
    raise AssertionError(f"nobody listens on {url}")


def wait_listening(url, timeout=5.0):
    if url.startswith("ipc://"):
        wait_for_ipc(url, timeout)
    elif url.startswith("tcp://"):
        wait_for_tcp(url, timeout)
    else:
        time.sleep(0.3)
