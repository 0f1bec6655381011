"""Across hosts: two network namespaces joined by a veth pair, created and
removed by each test (addresses 10.200.0.1/30 and 10.200.0.2/30 exist only
inside them). send/listen over tcp across the link; the link cut during a
stream and brought back. What is asserted here is what the man page's
NETWORK FAILURES paragraph states.

Skipped, with the reason, where namespaces cannot be made (not root, no `ip`,
no CAP_SYS_ADMIN, a kernel without veth)."""
import itertools
import re
import os
import shutil
import subprocess
import threading
import time

import pytest

from conftest import Background, run

LISTENER_IP = "10.200.0.1"
SENDER_IP = "10.200.0.2"
_counter = itertools.count()


def _ip(*args, check=True):
    done = subprocess.run(["ip", *args], capture_output=True, text=True, timeout=10)
    if check and done.returncode != 0:
        raise RuntimeError(f"ip {' '.join(args)}: {done.stderr.strip()}")
    return done


class Link:
    """Namespaces `a` (the listener's side) and `b` (the sender's side) joined by a veth pair."""

    def __init__(self):
        tag = f"{os.getpid() % 100000}{next(_counter)}"
        self.a, self.b = f"ncat-a{tag}", f"ncat-b{tag}"
        self.va, self.vb = f"ncva{tag}", f"ncvb{tag}"  # interface names: at most 15 bytes
        self.created = []

    def create(self):
        _ip("netns", "add", self.a)
        self.created.append(("netns", self.a))
        _ip("netns", "add", self.b)
        self.created.append(("netns", self.b))
        _ip("link", "add", self.va, "type", "veth", "peer", "name", self.vb)
        self.created.append(("link", self.va))
        _ip("link", "set", self.va, "netns", self.a)
        _ip("link", "set", self.vb, "netns", self.b)
        self.created.pop()  # the pair now lives (and dies) with the namespaces
        _ip("-n", self.a, "addr", "add", f"{LISTENER_IP}/30", "dev", self.va)
        _ip("-n", self.b, "addr", "add", f"{SENDER_IP}/30", "dev", self.vb)
        for ns, dev in ((self.a, self.va), (self.b, self.vb), (self.a, "lo"), (self.b, "lo")):
            _ip("-n", ns, "link", "set", dev, "up")

    def remove(self):
        for kind, name in reversed(self.created):
            if kind == "netns":
                _ip("netns", "del", name, check=False)
            else:
                _ip("link", "del", name, check=False)

    def down(self):
        _ip("-n", self.a, "link", "set", self.va, "down")

    def up(self):
        _ip("-n", self.a, "link", "set", self.va, "up")

    def in_a(self, args):
        return ["ip", "netns", "exec", self.a, *args]

    def in_b(self, args):
        return ["ip", "netns", "exec", self.b, *args]


@pytest.fixture
def link():
    if os.geteuid() != 0:
        pytest.skip("network namespaces need root")
    if not shutil.which("ip"):
        pytest.skip("iproute2 (ip) is not installed")
    net = Link()
    try:
        net.create()
    except (RuntimeError, subprocess.SubprocessError, OSError) as error:
        net.remove()
        pytest.skip(f"cannot create network namespaces joined by a veth pair here: {error}")
    try:
        yield net
    finally:
        net.remove()


def url(port):
    return f"tcp://{LISTENER_IP}:{port}"


def wait_listening_in(net, port, timeout=5.0):
    """Waits until the listener in namespace a accepts, probing from b."""
    deadline = time.time() + timeout
    probe = ("import socket,sys\n"
             "try:\n socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=0.5)\n"
             "except OSError: sys.exit(1)\n")
    while time.time() < deadline:
        if run(net.in_b(["python3", "-c", probe, LISTENER_IP, str(port)]), timeout=5).returncode == 0:
            return
        time.sleep(0.05)
    raise AssertionError(f"nobody listens on {url(port)} in {net.a}")


class LineFeeder:
    """Writes `count` numbered lines into a process's stdin, one every `gap` seconds."""

    def __init__(self, proc, count, gap):
        self.proc, self.count, self.gap = proc, count, gap
        self.written = 0
        self.thread = threading.Thread(target=self._feed, daemon=True)
        self.thread.start()

    def _feed(self):
        try:
            for i in range(self.count):
                self.proc.stdin.write(b"%d\n" % i)
                self.proc.stdin.flush()
                self.written += 1
                time.sleep(self.gap)
        except (BrokenPipeError, ValueError, OSError):
            pass
        finally:
            try:
                self.proc.stdin.close()
            except OSError:
                pass

    def join(self, timeout=30):
        """Waits until every line is written and stdin closed (call before finish())."""
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the feeder is stuck"
        self.proc.stdin = None  # closed here; communicate() must not touch it


def numbers(out):
    return [int(x) for x in out.split()]


def test_send_listen_across_namespaces(ours, link):
    port = 5601
    listener = Background(link.in_a([ours, "listen", url(port), "--count", "1000", "--recv-timeout", "10s"]))
    try:
        wait_listening_in(link, port)
        lines = b"".join(b"line %d over the veth pair\n" % i for i in range(1000))
        sent = run(link.in_b([ours, "send", url(port)]), input=lines, timeout=20)
        assert sent.returncode == 0, sent.stderr
        code, out, err = listener.finish(timeout=20)
        assert (code, out) == (0, lines), err
    finally:
        listener.kill()


def stream(net, ours, port, count, gap, *send_args):
    """Starts `send` in namespace b, fed `count` numbered lines `gap` seconds apart."""
    sender = Background(net.in_b([ours, "send", url(port), "-v", *send_args]), stdin=subprocess.PIPE)
    return sender, LineFeeder(sender.proc, count, gap)


def test_short_outage_is_bridged_by_tcp(ours, link):
    """A link cut shorter than the timeouts: TCP retransmits, the connection
    survives (no reconnect), every message arrives once and in order."""
    port = 5602
    listener = Background(link.in_a([ours, "listen", url(port), "-v", "--count", "150", "--recv-timeout", "10s"]))
    try:
        wait_listening_in(link, port)
        sender, feeder = stream(link, ours, port, 150, 0.02)
        time.sleep(0.8)
        link.down()
        time.sleep(1.5)
        link.up()
        feeder.join()
        send_code, _, send_err = sender.finish(timeout=30)
        code, out, err = listener.finish(timeout=30)
        assert (send_code, code) == (0, 0), (send_err, err)
        assert numbers(out) == list(range(150))
        assert err.count(b"peer connected") == 1 and send_err.count(b"peer connected") == 1
    finally:
        link.up()
        listener.kill()


def test_receiver_timeout_during_outage_and_undelivered_report(ours, link):
    """The receiver's --recv-timeout fires while the link is down (exit 3 with
    --count not reached); once the link is back the sender's connection is
    reset, nobody listens any more, and send reports what it could not hand
    over within --linger (exit 1). Messages already written into the dead
    TCP connection are lost without a report: push has no acknowledgements."""
    port = 5603
    listener = Background(link.in_a([ours, "listen", url(port), "-v", "--count", "200", "--recv-timeout", "1s"]))
    try:
        wait_listening_in(link, port)
        sender, feeder = stream(link, ours, port, 200, 0.02, "--linger", "1s")
        time.sleep(0.8)
        link.down()
        started = time.monotonic()
        code, out, err = listener.finish(timeout=10)
        assert time.monotonic() - started < 3  # the timeout fired while the link was down
        received = numbers(out)
        assert code == 3, err
        assert 0 < len(received) < 200 and received == list(range(len(received)))
        assert f"received {len(received)} of 200 messages before --recv-timeout".encode() in err
        time.sleep(0.3)
        link.up()
        feeder.join()
        send_code, _, send_err = sender.finish(timeout=30)
        assert send_code == 1, send_err
        report = re.search(rb"^nngcat: (\d+) message\(s\) not delivered within --linger 1s$", send_err, re.M)
        assert report, send_err
        assert len(received) + int(report.group(1)) <= 200
    finally:
        link.up()
        listener.kill()


def test_dialer_reconnects_to_a_restarted_receiver(ours, link):
    """The receiver goes away during the outage and a new one takes its place:
    when the link returns the old connection is reset and the sender's dialer
    reconnects by itself; the new receiver gets the rest of the stream in order."""
    port = 5604
    first = Background(link.in_a([ours, "listen", url(port), "--recv-timeout", "1s"]))
    second = None
    try:
        wait_listening_in(link, port)
        sender, feeder = stream(link, ours, port, 200, 0.02)
        time.sleep(0.8)
        link.down()
        code, out, err = first.finish(timeout=10)
        assert code == 0, err  # without --count an idle --recv-timeout is the normal end
        before = numbers(out)
        second = Background(link.in_a([ours, "listen", url(port), "-v", "--recv-timeout", "2s"]))
        time.sleep(0.3)
        link.up()
        feeder.join()
        send_code, _, send_err = sender.finish(timeout=30)
        code, out, err = second.finish(timeout=30)
        after = numbers(out)
        assert send_code == 0, send_err
        assert send_err.count(b"peer connected") == 2  # reconnected
        assert code == 0 and err.count(b"peer connected") == 1
        assert before == list(range(len(before))) and len(before) > 0
        assert after and after == list(range(after[0], 200))
        assert after[0] >= len(before)
    finally:
        link.up()
        first.kill()
        if second:
            second.kill()


@pytest.mark.parametrize("option, status, report", [
    (["--linger", "1s"], 1, rb"^nngcat: (\d+) message\(s\) not delivered within --linger 1s$"),
    (["--send-timeout", "500ms", "--linger", "1s"], 3, rb"^nngcat: send: Timed out \((\d+) messages? not delivered\)$"),
], ids=["linger", "send-timeout"])
def test_link_down_undelivered_messages_are_reported(ours, link, tmp_path, option, status, report):
    """The link is cut while send still has 20 MiB to hand over: it gives up
    after --linger (exit 1) or --send-timeout (exit 3) and says how many
    messages did not leave."""
    port = 5605
    body = tmp_path / "body"
    body.write_bytes(b"x" * (1 << 20))
    listener = Background(link.in_a([ours, "listen", url(port), "--raw", "--recv-timeout", "20s"]))
    try:
        wait_listening_in(link, port)
        sender = Background(link.in_b([ours, "send", url(port), "--delay", "1s", "--file", str(body), "--count", "20", *option]))
        time.sleep(0.5)
        link.down()
        started = time.monotonic()
        code, _, err = sender.finish(timeout=20)
        assert time.monotonic() - started < 6
        assert code == status, err
        found = re.search(report, err, re.M)
        assert found and 1 <= int(found.group(1)) <= 20, err
    finally:
        link.up()
        listener.kill()


def test_dial_while_the_link_is_down(ours, link):
    """A blocking dial fails with exit 1 once the kernel gives up; with --async
    the dialer keeps retrying: exit 3 after --connect-timeout, or delivery as
    soon as the link comes back."""
    port = 5606
    listener = Background(link.in_a([ours, "listen", url(port), "--count", "1", "--recv-timeout", "15s"]))
    try:
        wait_listening_in(link, port)
        link.down()
        blocking = run(link.in_b([ours, "send", url(port), "x"]), timeout=20)
        assert blocking.returncode == 1
        assert re.match(rb"^nngcat: dial tcp://10\.200\.0\.1:5606: [^\n]+\n$", blocking.stderr), blocking.stderr
        gave_up = run(link.in_b([ours, "send", url(port), "--async", "--connect-timeout", "1s", "x"]), timeout=20)
        assert gave_up.returncode == 3
        assert b"no peer connected within 1s" in gave_up.stderr
        waiting = Background(link.in_b([ours, "send", url(port), "--async", "--connect-timeout", "10s", "arrived"]))
        time.sleep(1.0)
        link.up()
        code, _, err = waiting.finish(timeout=20)
        assert code == 0, err
        assert listener.finish(timeout=20)[:2] == (0, b"arrived\n")
    finally:
        link.up()
        listener.kill()
