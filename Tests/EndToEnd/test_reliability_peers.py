"""Issue 7, part 2: peers come and go.

A receiver killed and restarted mid-stream, a dial to a peer that is not up yet,
a listener whose address is taken. Every wait is bounded.
"""
import os
import re
import signal
import socket
import subprocess
import threading
import time

import pytest

from conftest import free_port, loaded_nng_version, run, version_tuple, wait_listening

# A push socket can crash after its peer reconnects under load (nanomsg/nng#1653,
# a use-after-free in push0_pipe_ready, seen in 1.5.2). Upstream named commit
# 0062eb8 (April 2023) as the likely fix and closed the issue in September 2023;
# the first release after both is 1.6.0. From there, a crash is ours to fix.
NNG_1653 = "libnng push socket crash after peer reconnect under load (nanomsg/nng#1653, before NNG 1.6.0)"
NNG_1653_FIXED_IN = (1, 6, 0)


def wait_for_size(path, minimum, timeout=20.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.getsize(path) >= minimum:
            return
        time.sleep(0.01)
    raise AssertionError(f"{path} stayed under {minimum} bytes")


def numbers(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data == b"" or data.endswith(b"\n"), "a partly written line"
    return [int(x) for x in data.split()]


@pytest.mark.parametrize("transport", ["ipc", "tcp"])
def test_receiver_restarted_mid_stream(ours, ipc_url, tcp_url, tmpdir_short, transport):
    """The sender's dialer reconnects by itself. What was in flight when the first
    receiver was killed (-9) may be lost (its kernel buffers; push/pull has no
    acknowledgements, as the README says), but: nothing is reordered or duplicated,
    the loss is one gap at the kill, and if `send` exits 0 then every line written
    after the new receiver was up arrived there. Otherwise send must say how many
    were not delivered and exit non-zero."""
    url = ipc_url if transport == "ipc" else tcp_url
    total, chunk = 600_000, 1000
    out1, out2 = os.path.join(tmpdir_short, "out1"), os.path.join(tmpdir_short, "out2")
    f1, f2 = open(out1, "wb"), open(out2, "wb")
    procs = []
    try:
        first = subprocess.Popen([ours, "listen", url], stdout=f1, stderr=subprocess.DEVNULL)
        procs.append(first)
        wait_listening(url)
        sender = subprocess.Popen([ours, "send", url, "--linger", "20s"], stdin=subprocess.PIPE,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        procs.append(sender)
        progress = {"written": 0}

        def feed():
            # Blocks while no receiver is up: the sender applies back-pressure.
            try:
                for start in range(1, total + 1, chunk):
                    sender.stdin.write(b"".join(b"%d\n" % i for i in range(start, start + chunk)))
                    sender.stdin.flush()
                    progress["written"] = start + chunk - 1
                sender.stdin.close()
            except (BrokenPipeError, ValueError):
                pass

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        wait_for_size(out1, 300_000)  # the stream is flowing
        first.kill()
        first.wait(timeout=10)
        assert writer.is_alive(), "the stream ended before the kill"
        if transport == "ipc":
            os.unlink(url[len("ipc://"):])  # make wait_listening below wait for the new one
        second = subprocess.Popen([ours, "listen", url, "-v"], stdout=f2, stderr=subprocess.PIPE)
        procs.append(second)
        wait_listening(url)
        # Every line above this was written to send's stdin after the new receiver was up.
        restart_mark = progress["written"] + chunk
        writer.join(timeout=60)
        assert not writer.is_alive(), "send stopped reading its stdin"
        try:
            sender.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pytest.fail("send hung after the receiver restart")
        code = sender.returncode
        err = sender.stderr.read()
        crashed = code in (-signal.SIGSEGV, -signal.SIGABRT, -signal.SIGBUS)
        if crashed and version_tuple(loaded_nng_version(ours)) < NNG_1653_FIXED_IN:
            pytest.xfail(NNG_1653 + f" (send died with signal {-code})")
        assert not crashed, f"send died with signal {-code} on NNG {loaded_nng_version(ours)}: {err[-2000:]!r}"
        # Let the new receiver drain what the kernel still holds: until the last
        # line arrives, or nothing more arrives for 2s.
        settle_deadline, last_size, last_change = time.time() + 60, -1, time.time()
        while time.time() < settle_deadline and time.time() - last_change < 2:
            f2.flush()
            size = os.path.getsize(out2)
            if size != last_size:
                last_size, last_change = size, time.time()
            if size and open(out2, "rb").read()[-12:].endswith(b"\n%d\n" % total):
                break
            time.sleep(0.05)
        second.send_signal(signal.SIGTERM)
        try:
            _, second_err = second.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            stacks = subprocess.run(["gdb", "-p", str(second.pid), "-batch", "-ex", "thread apply all bt"],
                                    capture_output=True, timeout=60).stdout.decode(errors="replace")
            pytest.fail("listen did not exit on SIGTERM:\n" + stacks[-6000:])
        assert second.returncode == 143, second_err
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        f1.close()
        f2.close()
    got1, got2 = numbers(out1), numbers(out2)
    assert got1 == list(range(1, len(got1) + 1)), "the first receiver saw a gap or reordering"
    assert got2, "nothing reached the restarted receiver"
    assert got2 == list(range(got2[0], got2[-1] + 1)), "the second receiver saw a gap or reordering"
    assert got2[0] > got1[-1], "a message arrived twice"
    lost = got2[0] - got1[-1] - 1
    if code == 0:
        assert got2[-1] == total, f"send exited 0 but lines {got2[-1] + 1}..{total} never arrived"
        assert got2[0] <= restart_mark + 1
        assert err == b"", err
    else:
        assert code == 1, err
        assert re.search(rb"\d+ message\(s\) not delivered|\(\d+ messages? not delivered\)", err), err
    print(f"{transport}: {len(got1)} before the kill, {lost} lost at the kill, {len(got2)} after; send exit {code}")


def test_async_dial_connects_when_peer_appears(ours, tcp_url, tmpdir_short):
    """send --async keeps dialing in the background; the message goes once a listener shows up."""
    sender = subprocess.Popen([ours, "send", "--async", tcp_url, "--data", "late hello", "--connect-timeout", "20s"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        time.sleep(1.0)
        assert sender.poll() is None, "send gave up instead of retrying"
        listener = run([ours, "listen", tcp_url, "--count", "1", "--recv-timeout", "15s"], timeout=30)
        assert (listener.returncode, listener.stdout) == (0, b"late hello\n"), listener.stderr
        _, err = sender.communicate(timeout=15)
        assert sender.returncode == 0, err
    finally:
        if sender.poll() is None:
            sender.kill()
            sender.wait()


def test_async_dial_from_listen_side(ours, ipc_url):
    """listen --dial --async: the pull side dials a sender that starts later."""
    listener = subprocess.Popen([ours, "listen", "--dial", ipc_url, "--async", "--count", "2", "--recv-timeout", "20s"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        time.sleep(1.0)
        assert listener.poll() is None, "listen gave up instead of retrying"
        sent = run([ours, "send", "--listen", ipc_url, "one", "two"], timeout=30)
        assert sent.returncode == 0, sent.stderr
        out, err = listener.communicate(timeout=20)
        assert (listener.returncode, out) == (0, b"one\ntwo\n"), err
    finally:
        if listener.poll() is None:
            listener.kill()
            listener.wait()


def test_async_dial_without_peer_times_out_with_3(ours):
    """--async does not wait forever either: no peer within --connect-timeout is exit 3."""
    start = time.time()
    r = run([ours, "send", "--async", f"tcp://127.0.0.1:{free_port()}", "x", "--connect-timeout", "500ms"])
    assert r.returncode == 3 and b"no peer connected within 500ms" in r.stderr, r.stderr
    assert time.time() - start < 5


@pytest.mark.parametrize("command", [["listen"], ["listen", "--rep", "--echo"], ["send", "--pub"], ["send", "--listen"]])
@pytest.mark.parametrize("transport", ["tcp", "ws", "ipc"])
def test_listen_address_in_use_is_exit_1(ours, ipc_url, tmpdir_short, command, transport):
    holder = None
    if transport == "ipc":
        url = ipc_url
        holder = subprocess.Popen([ours, "listen", url], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_listening(url)
    else:
        taken = socket.socket()
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        url = f"tcp://127.0.0.1:{port}" if transport == "tcp" else f"ws://127.0.0.1:{port}/x"
    try:
        args = [ours, *command, url] if command[-1] != "--listen" else [ours, *command, url, "x"]
        if command == ["send", "--pub"]:
            args.append("x")
        start = time.time()
        r = run(args, timeout=10)
        assert time.time() - start < 5
        assert r.returncode == 1, r.stderr
        assert r.stderr == f"nngcat: listen {url}: Address in use\n".encode()
    finally:
        if holder:
            holder.kill()
            holder.wait()
        else:
            taken.close()


def test_listen_count_exits_while_sender_still_streams(ours, tmpdir_short):
    """listen --count N stops as soon as it has N messages even though the peer keeps
    streaming: exit 0, exactly the first N lines, and no hang in closing the socket
    (libnng 1.5.2's nng_close could block for good here; nngcat bounds it). Repeated,
    as the hang was intermittent."""
    data = b"".join(b"%d\n" % i for i in range(1, 2_000_001))
    for attempt in range(8):
        url = f"ipc://{tmpdir_short}/c{attempt}"
        listener = subprocess.Popen([ours, "listen", url, "--count", "100000"], stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE)
        sender = None
        try:
            wait_listening(url)
            sender = subprocess.Popen([ours, "send", url, "--linger", "1s"], stdin=subprocess.PIPE,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            threading.Thread(target=_feed, args=(sender, data), daemon=True).start()
            out, err = listener.communicate(timeout=15)
            assert listener.returncode == 0, err
            assert out == data[:len(b"".join(b"%d\n" % i for i in range(1, 100_001)))]
        finally:
            for p in (listener, sender):
                if p and p.poll() is None:
                    p.kill()
                    p.wait()


def _feed(proc, data):
    try:
        proc.stdin.write(data)
        proc.stdin.close()
    except (BrokenPipeError, ValueError, OSError):
        pass
