"""Issue 7, part 4: signals and pipes.

SIGINT/SIGTERM in the middle of a stream, a closed stdin, and a slow stdout reader
that must slow the stream down instead of growing listen's memory.
"""
import os
import signal
import subprocess
import threading
import time

import pytest

from conftest import wait_listening

SOAK = os.environ.get("NNGCAT_SOAK") == "1"


def lines(first, last):
    return b"".join(b"%d\n" % i for i in range(first, last + 1))


def wait_for_size(path, minimum, timeout=20.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.getsize(path) >= minimum:
            return
        time.sleep(0.005)
    raise AssertionError(f"{path} stayed under {minimum} bytes")


def no_core_files(folder):
    return [name for name in os.listdir(folder) if name.startswith("core")]


@pytest.mark.parametrize("verbose", [False, True], ids=["quiet", "verbose"])
@pytest.mark.parametrize("sig,status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["INT", "TERM"])
def test_listen_interrupted_mid_stream_flushes_what_it_received(ours, ipc_url, tmpdir_short, sig, status, verbose):
    """The signal arrives while messages pour in: listen exits 130/143 promptly, and
    its output is exactly what it received, whole lines, in order: a prefix of the stream."""
    total = 2_000_000
    out_path = os.path.join(tmpdir_short, "out")
    with open(out_path, "wb") as out:
        listener = subprocess.Popen([ours, "listen", ipc_url, *(["-v"] if verbose else [])], stdout=out,
                                    stderr=subprocess.PIPE, cwd=tmpdir_short)
        sender = None
        try:
            wait_listening(ipc_url)
            sender = subprocess.Popen([ours, "send", ipc_url], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)
            feeder = threading.Thread(target=lambda: _feed(sender, lines(1, total)), daemon=True)
            feeder.start()
            wait_for_size(out_path, 500_000)
            listener.send_signal(sig)
            start = time.time()
            try:
                _, err = listener.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                stacks = subprocess.run(["gdb", "-p", str(listener.pid), "-batch", "-ex", "thread apply all bt"],
                                        capture_output=True, timeout=60).stdout.decode(errors="replace")
                pytest.fail("listen did not exit after the signal:\n" + stacks[-8000:])
            elapsed = time.time() - start
        finally:
            for p in (listener, sender):
                if p and p.poll() is None:
                    p.kill()
                    p.wait()
    assert listener.returncode == status, err
    assert elapsed < 3, f"took {elapsed:.1f}s to stop"
    assert no_core_files(tmpdir_short) == []
    assert b"nngcat: " not in err.replace(b"nngcat: listening", b"").replace(b"nngcat: peer ", b""), err
    with open(out_path, "rb") as f:
        data = f.read()
    assert data.endswith(b"\n"), "a partly written message"
    got = data.split()
    assert len(got) >= 500_000 // 8
    assert data == lines(1, len(got)), "output is not the stream's prefix"


def _feed(proc, data):
    try:
        proc.stdin.write(data)
        proc.stdin.close()
    except (BrokenPipeError, ValueError, OSError):
        pass


@pytest.mark.parametrize("sig,status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["INT", "TERM"])
def test_send_interrupted_mid_stream(ours, ipc_url, tmpdir_short, sig, status):
    """send stops at once with 130/143 and says nothing; what it sent arrived in order."""
    out_path = os.path.join(tmpdir_short, "out")
    with open(out_path, "wb") as out:
        listener = subprocess.Popen([ours, "listen", ipc_url], stdout=out, stderr=subprocess.PIPE)
        sender = None
        try:
            wait_listening(ipc_url)
            sender = subprocess.Popen([ours, "send", ipc_url], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, cwd=tmpdir_short)
            feeder = threading.Thread(target=lambda: _feed(sender, lines(1, 2_000_000)), daemon=True)
            feeder.start()
            wait_for_size(out_path, 300_000)
            sender.send_signal(sig)
            start = time.time()
            sender.wait(timeout=10)
            elapsed = time.time() - start
            serr = sender.stderr.read()
            time.sleep(0.5)
            listener.send_signal(signal.SIGTERM)
            listener.wait(timeout=10)
        finally:
            for p in (listener, sender):
                if p and p.poll() is None:
                    p.kill()
                    p.wait()
    assert sender.returncode == status and serr == b"", serr
    assert elapsed < 3
    assert no_core_files(tmpdir_short) == []
    with open(out_path, "rb") as f:
        data = f.read()
    got = data.split()
    assert data == lines(1, len(got))


def test_end_of_stdin_ends_send_cleanly(ours, ipc_url):
    """stdin that ends (EOF after some lines, or empty) is a clean end: exit 0, all delivered."""
    listener = subprocess.Popen([ours, "listen", ipc_url, "--count", "3"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_listening(ipc_url)
        sender = subprocess.Popen([ours, "send", ipc_url], stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        sender.stdin.write(b"a\nb\n")
        sender.stdin.flush()
        time.sleep(0.3)
        sender.stdin.write(b"c")  # the last record needs no newline
        sender.stdin.close()
        assert sender.wait(timeout=10) == 0, sender.stderr.read()
        assert sender.stderr.read() == b""
        out, _ = listener.communicate(timeout=10)
        assert (listener.returncode, out) == (0, b"a\nb\nc\n")
    finally:
        for p in (listener,):
            if p.poll() is None:
                p.kill()
                p.wait()
    empty = subprocess.run([ours, "send", "--listen", ipc_url + "x", "--wait-peers", "0"], stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=10)
    assert (empty.returncode, empty.stderr) == (0, b"")


def test_closed_stdin_descriptor_ends_send_cleanly(ours, ipc_url):
    """`send URL <&-` (fd 0 not open at all): treated as empty input, not as a read
    from whatever descriptor libnng happens to open as fd 0."""
    listener = subprocess.Popen([ours, "listen", ipc_url, "--recv-timeout", "1s"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
    try:
        wait_listening(ipc_url)
        r = subprocess.run(f"exec {ours} send {ipc_url} <&-", shell=True, capture_output=True, timeout=10)
        assert (r.returncode, r.stderr) == (0, b"")
        out, err = listener.communicate(timeout=10)
        assert (listener.returncode, out) == (0, b""), err
    finally:
        if listener.poll() is None:
            listener.kill()
            listener.wait()


def test_closed_stdout_descriptor_is_an_error_not_silence(ours, ipc_url):
    """`listen URL >&-`: the first message cannot be written; that is exit 1 with a clear
    message, never a write into one of libnng's own descriptors."""
    listener = subprocess.Popen(f"exec {ours} listen {ipc_url} --count 1 >&-", shell=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_listening(ipc_url)
        sent = subprocess.run([ours, "send", ipc_url, "x"], capture_output=True, timeout=10)
        assert sent.returncode == 0, sent.stderr
        _, err = listener.communicate(timeout=10)
        assert listener.returncode == 1 and err.startswith(b"nngcat: cannot write to stdout"), err
    finally:
        if listener.poll() is None:
            listener.kill()
            listener.wait()


# --- a slow reader: back-pressure, bounded memory ------------------------------

RSS_BOUND_KIB = 64 * 1024  # listen's peak resident set must stay under 64 MiB


def vm_hwm_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def test_slow_reader_bounds_listen_memory(ours, ipc_url, tmpdir_short):
    """A fast sender pushes 64 KiB messages (256 MiB; 1 GiB with NNGCAT_SOAK=1) into
    `listen --raw` whose stdout is a pipe read slowly. listen must stop receiving
    (back-pressure) rather than buffer: its peak RSS (VmHWM) stays under 64 MiB,
    and every byte still arrives."""
    size = 64 * 1024
    total = (1 << 30) if SOAK else (256 << 20)
    count = total // size
    body = bytes((i * 7 + 3) & 0xFF for i in range(size))
    src = os.path.join(tmpdir_short, "m")
    with open(src, "wb") as f:
        f.write(body)
    listener = subprocess.Popen([ours, "listen", ipc_url, "--raw", "--count", str(count)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sender = None
    peak = [0]
    received = [0]
    mismatch = [None]
    stop = threading.Event()

    def read_slowly():
        # ~40 MB/s: 64 KiB reads with a pause, far slower than the sender.
        expected_stream = body * 2
        position = 0
        while True:
            chunk = listener.stdout.read1(size)
            if not chunk:
                return
            if mismatch[0] is None:
                offset = position % size
                if chunk != expected_stream[offset:offset + len(chunk)]:
                    mismatch[0] = position
            position += len(chunk)
            received[0] = position
            time.sleep(0.0015)

    def watch_memory():
        while not stop.is_set():
            try:
                peak[0] = max(peak[0], vm_hwm_kib(listener.pid))
            except (FileNotFoundError, ProcessLookupError):
                return
            time.sleep(0.05)

    reader = threading.Thread(target=read_slowly, daemon=True)
    watcher = threading.Thread(target=watch_memory, daemon=True)
    try:
        wait_listening(ipc_url)
        watcher.start()
        reader.start()
        sender = subprocess.Popen([ours, "send", ipc_url, "--file", src, "--count", str(count), "--linger", "120s"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        start = time.time()
        sender.wait(timeout=600 if SOAK else 120)
        reader.join(timeout=600 if SOAK else 120)
        assert not reader.is_alive(), f"the reader got only {received[0]} bytes"
        listener.wait(timeout=30)
        elapsed = time.time() - start
    finally:
        stop.set()
        for p in (listener, sender):
            if p and p.poll() is None:
                p.kill()
                p.wait()
    watcher.join(timeout=5)
    assert sender.returncode == 0, sender.stderr.read()
    assert listener.returncode == 0, listener.stderr.read()
    assert received[0] == total and mismatch[0] is None, (received[0], mismatch[0])
    print(f"slow reader: {total >> 20} MiB in {elapsed:.1f}s, listen peak RSS {peak[0] // 1024} MiB")
    assert 0 < peak[0] < RSS_BOUND_KIB, f"listen peak RSS {peak[0]} KiB over the {RSS_BOUND_KIB} KiB bound"
