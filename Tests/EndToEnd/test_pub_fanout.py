"""`send --pub` waits for its slowest subscriber instead of letting pub/sub
drop messages (unless --lossy), and its wait is bounded by --send-timeout."""
import os
import signal
import subprocess
import time

import pytest

from conftest import run, wait_listening

LINES = 100_000


def numbered(n):
    return b"".join(b"%d\n" % i for i in range(1, n + 1))


def start_subscribers(ours, url, count, folder, extra=()):
    procs, paths = [], []
    for i in range(count):
        path = os.path.join(folder, f"sub{i}.out")
        with open(path, "wb") as out:
            procs.append(subprocess.Popen([ours, "listen", "--sub", "--dial", url, "-v", *extra],
                                          stdout=out, stderr=subprocess.PIPE))
        paths.append(path)
    return procs, paths


def stop_all(procs):
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGCONT)
            p.kill()
        p.communicate(timeout=10)


def wait_connected(proc, timeout=10.0):
    """Reads the subscriber's -v lines until it reports its dial."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        line = proc.stderr.readline()
        if b"dialed" in line:
            return
        assert line, "subscriber exited before it dialed"
    raise AssertionError("subscriber did not dial in time")


@pytest.mark.parametrize("transport", ["ipc", "tcp"])
def test_every_subscriber_gets_every_line_in_order(ours, transport, ipc_url, tcp_url, tmpdir_short):
    url = ipc_url if transport == "ipc" else tcp_url
    expected = numbered(LINES)
    publisher = subprocess.Popen([ours, "send", "--pub", "--listen", url, "--wait-peers", "4"],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    subscribers = []
    try:
        wait_listening(url)
        subscribers, paths = start_subscribers(ours, url, 4, tmpdir_short, ["--count", str(LINES), "--recv-timeout", "10s"])
        out, err = publisher.communicate(expected, timeout=120)
        assert publisher.returncode == 0, err
        assert err == b""
        for p in subscribers:
            p.wait(timeout=60)
            assert p.returncode == 0, p.stderr.read()
        for path in paths:
            with open(path, "rb") as f:
                got = f.read()
            lines = got.count(b"\n")
            assert lines == LINES, f"{path}: {lines} of {LINES} lines"
            assert got == expected
    finally:
        if publisher.poll() is None:
            publisher.kill()
            publisher.communicate(timeout=10)
        stop_all(subscribers)


def stalled_run(ours, url, folder, extra):
    """Two subscribers, the second stopped with SIGSTOP once it has dialed;
    300,000 lines published. Returns the publisher's status, stderr, and what
    the running subscriber printed."""
    publisher = subprocess.Popen([ours, "send", "--pub", "--listen", url, "--wait-peers", "2", *extra],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    subscribers = []
    try:
        wait_listening(url)
        subscribers, paths = start_subscribers(ours, url, 2, folder)
        wait_connected(subscribers[1])
        subscribers[1].send_signal(signal.SIGSTOP)
        out, err = publisher.communicate(numbered(300_000), timeout=60)
        time.sleep(0.5)
        with open(paths[0], "rb") as f:
            return publisher.returncode, err, f.read()
    finally:
        if publisher.poll() is None:
            publisher.kill()
            publisher.communicate(timeout=10)
        stop_all(subscribers)


def test_a_stalled_subscriber_fails_the_send_at_send_timeout(ours, ipc_url, tmpdir_short):
    status, err, running = stalled_run(ours, ipc_url, tmpdir_short, ["--send-timeout", "1s"])
    assert status == 3, err
    assert err == b"nngcat: a subscriber fell behind and did not catch up within --send-timeout 1s (see --lossy)\n"
    # The subscriber that kept reading lost nothing of what was sent.
    lines = running.splitlines()
    assert 0 < len(lines) < 300_000
    assert lines == [b"%d" % i for i in range(1, len(lines) + 1)]


def test_lossy_sends_everything_past_a_stalled_subscriber(ours, ipc_url, tmpdir_short):
    status, err, running = stalled_run(ours, ipc_url, tmpdir_short, ["--lossy", "--send-timeout", "1s"])
    assert status == 0, err
    assert err == b""
    assert running.endswith(b"\n")


def test_lossy_is_for_pub_only(ours):
    result = run([ours, "send", "--push", "--lossy", "--data", "x", "tcp://127.0.0.1:9"])
    assert result.returncode == 2
    assert result.stderr == b"nngcat: --lossy works only with --pub, not with push\n"
