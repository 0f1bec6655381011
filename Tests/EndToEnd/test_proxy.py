"""`nngcat proxy PATTERN` (issue 14) with real peers on both sides: pynng
sockets of every protocol and the C nngcat in its own syntax. Replies must
reach the requester that asked, survey responses the surveyor, each
subscriber exactly its topic; the tap prints what flows, marked with its
side, and drops (never the traffic) when stdout does not keep up. Every
wait is bounded."""
import json
import os
import signal
import subprocess
import threading
import time

import pynng
import pytest

from conftest import run, wait_for_ipc

TIMEOUT_MS = 5000


class Proxy:
    """A running `nngcat proxy`, interrupted and reaped at the end of the test."""

    def __init__(self, ours, args, stdout=subprocess.PIPE, wait_for=()):
        self.proc = subprocess.Popen([ours, "proxy", *args], stdin=subprocess.DEVNULL,
                                     stdout=stdout, stderr=subprocess.PIPE)
        for url in wait_for:
            wait_for_ipc(url)

    def stop(self, sig=signal.SIGINT, timeout=10):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        out, err = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, out or b"", err

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate(timeout=5)


@pytest.fixture
def proxy(ours):
    started = []

    def start(*args, **kw):
        p = Proxy(ours, list(args), **kw)
        started.append(p)
        return p

    yield start
    for p in started:
        p.kill()


@pytest.fixture
def urls(tmpdir_short):
    return f"ipc://{tmpdir_short}/in", f"ipc://{tmpdir_short}/out"


@pytest.fixture
def closing():
    sockets = []

    def keep(s):
        sockets.append(s)
        return s

    yield keep
    for s in sockets:
        s.close()


def wait_pipes(*sockets, count=1, timeout=10.0):
    deadline = time.monotonic() + timeout
    for s in sockets:
        while len(s.pipes) < count:
            assert time.monotonic() < deadline, "a peer never connected to the proxy"
            time.sleep(0.02)


def pynng_socket(cls, closing, **kw):
    return closing(cls(recv_timeout=TIMEOUT_MS, send_timeout=TIMEOUT_MS, **kw))


# --- each pattern ---------------------------------------------------------

def test_reqrep_two_requesters_two_repliers_each_gets_its_own_replies(proxy, urls, closing):
    inside, outside = urls
    p = proxy("reqrep", inside, outside, wait_for=urls)
    repliers = [pynng_socket(pynng.Rep0, closing, dial=outside) for _ in range(2)]
    requesters = [pynng_socket(pynng.Req0, closing, dial=inside) for _ in range(2)]
    wait_pipes(*repliers, *requesters)
    served = [0, 0]

    def serve(index):
        rep = repliers[index]
        while True:
            try:
                request = rep.recv()
            except pynng.NNGException:
                return
            served[index] += 1
            rep.send(b"replier%d answers %s" % (index, request))

    for i in range(2):
        threading.Thread(target=serve, args=(i,), daemon=True).start()
    failures = []

    def ask(name):
        for i in range(40):
            body = b"%s-%d" % (name, i)
            requesters_by_name[name].send(body)
            reply = requesters_by_name[name].recv()
            if not reply.endswith(b" answers " + body):
                failures.append((body, reply))

    requesters_by_name = {b"alice": requesters[0], b"bob": requesters[1]}
    threads = [threading.Thread(target=ask, args=(n,)) for n in requesters_by_name]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert failures == []
    assert sum(served) == 80 and min(served) > 0, served  # both repliers took part
    status, _, err = p.stop()
    assert status == 130, err


def test_reqrep_with_the_c_nngcat_on_both_sides(proxy, urls, c_nngcat):
    inside, outside = urls
    p = proxy("reqrep", "--in", inside, "--out", outside, wait_for=urls)
    replier = subprocess.Popen([c_nngcat, "--rep0", "--dial", outside, "--data", "pong"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.3)
        asked = run([c_nngcat, "--req0", "--dial", inside, "--data", "ping", "--ascii", "--recv-timeout", "5"])
        assert asked.stdout == b"pong", asked.stderr  # the C --ascii adds no newline
    finally:
        replier.kill()
        replier.wait(timeout=5)
    assert p.stop()[0] == 130


def test_pubsub_three_subscribers_each_get_exactly_their_topic(proxy, urls, closing, c_nngcat):
    inside, outside = urls
    p = proxy("pubsub", inside, outside, wait_for=urls)
    subscribers = {topic: pynng_socket(pynng.Sub0, closing, dial=outside, topics=topic) for topic in (b"alpha", b"beta")}
    # The third is the C nngcat, subscribed to "gamma".
    c_sub = subprocess.Popen([c_nngcat, "--sub0", "--dial", outside, "--subscribe", "gamma", "--ascii", "--recv-timeout", "3"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    publisher = pynng_socket(pynng.Pub0, closing, dial=inside)
    wait_pipes(*subscribers.values(), publisher)
    time.sleep(0.5)  # subscriptions travel nowhere in pub/sub: give the C subscriber time to connect
    sent = [b"%s %d" % (topic, i) for i in range(10) for topic in (b"alpha", b"beta", b"gamma", b"delta")]
    for message in sent:
        publisher.send(message)
        time.sleep(0.005)  # pub/sub drops what a full queue cannot take: no burst
    for topic, sub in subscribers.items():
        got = [sub.recv() for _ in range(10)]
        assert got == [m for m in sent if m.startswith(topic)]
        with pytest.raises(pynng.Timeout):
            sub.recv_timeout = 300
            sub.recv()
    out, err = c_sub.communicate(timeout=10)
    # The C --ascii runs messages together: its own syntax has no separator.
    assert out == b"".join(m for m in sent if m.startswith(b"gamma")), err
    assert p.stop()[0] == 130


def test_pipeline_delivers_all_messages_in_order(proxy, urls, ours):
    inside, outside = urls
    p = proxy("pipeline", inside, outside, wait_for=urls)
    count = 5000
    puller = subprocess.Popen([ours, "listen", "--dial", outside, "--count", str(count)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lines = "".join(f"{i}\n" for i in range(count)).encode()
    sent = run([ours, "send", inside], input=lines, timeout=30)
    assert sent.returncode == 0, sent.stderr
    out, err = puller.communicate(timeout=30)
    assert out == lines, err
    assert p.stop()[0] == 130


def test_survey_responses_reach_the_surveyor(proxy, urls, closing):
    inside, outside = urls
    p = proxy("survey", inside, outside, wait_for=urls)
    respondents = [pynng_socket(pynng.Respondent0, closing, dial=outside) for _ in range(2)]
    surveyor = pynng_socket(pynng.Surveyor0, closing, dial=inside, survey_time=2000)
    wait_pipes(*respondents, surveyor)

    def answer(index):
        question = respondents[index].recv()
        respondents[index].send(b"respondent%d: %s" % (index, question))

    threads = [threading.Thread(target=answer, args=(i,), daemon=True) for i in range(2)]
    for t in threads:
        t.start()
    surveyor.send(b"who is there?")
    answers = sorted(surveyor.recv() for _ in range(2))
    assert answers == [b"respondent0: who is there?", b"respondent1: who is there?"]
    assert p.stop()[0] == 130


def test_pair_both_directions(proxy, urls, closing):
    inside, outside = urls
    p = proxy("pair", inside, outside, wait_for=urls)
    left = pynng_socket(pynng.Pair1, closing, dial=inside)
    right = pynng_socket(pynng.Pair1, closing, dial=outside)
    wait_pipes(left, right)
    left.send(b"left to right")
    assert right.recv() == b"left to right"
    right.send(b"right to left")
    assert left.recv() == b"right to left"
    assert p.stop()[0] == 130


def test_bus_reaches_every_other_peer_on_both_sides(proxy, urls, closing):
    inside, outside = urls
    p = proxy("bus", "--in", inside, "--out", outside, wait_for=urls)
    a = pynng_socket(pynng.Bus0, closing, dial=inside)
    b = pynng_socket(pynng.Bus0, closing, dial=inside)
    c = pynng_socket(pynng.Bus0, closing, dial=outside)
    wait_pipes(a, b, c)
    time.sleep(0.3)  # a bus sends only to the pipes the proxy has already started
    a.send(b"from a")
    assert b.recv() == b"from a"
    assert c.recv() == b"from a"
    c.send(b"from c")
    assert a.recv() == b"from c"
    assert b.recv() == b"from c"
    a.recv_timeout = 300
    with pytest.raises(pynng.Timeout):
        a.recv()  # its own message is not reflected back
    assert p.stop()[0] == 130


def test_dialing_sides_started_before_their_peers(proxy, urls, closing):
    inside, outside = urls
    p = proxy("pipeline", "--in-dial", inside, "--out-dial", outside)
    time.sleep(1.0)
    assert p.proc.poll() is None
    pusher = pynng_socket(pynng.Push0, closing, listen=inside)
    puller = pynng_socket(pynng.Pull0, closing, listen=outside)
    wait_pipes(pusher, puller)
    for i in range(5):
        pusher.send(b"late %d" % i)
    assert [puller.recv() for _ in range(5)] == [b"late %d" % i for i in range(5)]
    status, _, err = p.stop()
    assert status == 130
    assert err.count(b"Connection refused; retrying") == 2 or err.count(b"retrying") == 2, err


# --- the tap ---------------------------------------------------------------

def test_tap_json_says_where_each_message_came_from(proxy, urls, closing):
    inside, outside = urls
    p = proxy("reqrep", inside, outside, "--tap", "--format", "json", wait_for=urls)
    rep = pynng_socket(pynng.Rep0, closing, dial=outside)
    req = pynng_socket(pynng.Req0, closing, dial=inside)
    wait_pipes(rep, req)
    req.send(b"question")
    assert rep.recv() == b"question"
    rep.send(b"answer")
    assert req.recv() == b"answer"
    time.sleep(0.2)
    status, out, err = p.stop()
    assert status == 130, err
    records = [json.loads(line) for line in out.splitlines()]
    assert [(r["data"], r["from"]) for r in records] == [("question", "in"), ("answer", "out")]
    assert [r["seq"] for r in records] == [1, 2]
    assert all(r["size"] == len(r["data"]) and "time" in r for r in records)


def test_tap_line_prefix_and_match(proxy, urls, ours):
    inside, outside = urls
    p = proxy("pipeline", inside, outside, "--tap-match", "keep", wait_for=urls)
    puller = subprocess.Popen([ours, "listen", "--dial", outside, "--count", "3"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert run([ours, "send", inside, "keep 1", "drop", "keep 2"]).returncode == 0
    assert puller.communicate(timeout=10)[0] == b"keep 1\ndrop\nkeep 2\n"  # the filter is the tap's only
    status, out, _ = p.stop()
    assert status == 130
    assert out == b"in: keep 1\nin: keep 2\n"


def test_a_json_tap_replays_with_send_input_json(proxy, urls, ours, tmpdir_short):
    inside, outside = urls
    p = proxy("pipeline", inside, outside, "--tap", "--json", wait_for=urls)
    bodies = ["plain", "with \"quotes\" and \\", "tab\there", "ünïcode"]
    puller = subprocess.Popen([ours, "listen", "--dial", outside, "--count", "5"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert run([ours, "send", inside, *bodies]).returncode == 0
    binary = run([ours, "send", inside, "--input", "hex"], input=b"00ff10\n")
    assert binary.returncode == 0, binary.stderr
    puller.communicate(timeout=10)
    status, tap, _ = p.stop()
    assert status == 130
    replay_url = f"ipc://{tmpdir_short}/replay"
    listener = subprocess.Popen([ours, "listen", replay_url, "--count", "5", "--hex"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_for_ipc(replay_url)
    replayed = run([ours, "send", replay_url, "--input", "json"], input=tap)
    assert replayed.returncode == 0, replayed.stderr
    out, err = listener.communicate(timeout=10)
    expected = [b.encode() for b in bodies] + [b"\x00\xff\x10"]
    # Two senders: the proxy's pull may interleave them, so compare as sets.
    assert sorted(out.splitlines()) == sorted(b'"' + b"".join(b"\\x%02x" % c for c in body) + b'"' for body in expected), err


def test_tap_drops_and_counts_when_stdout_is_not_read_and_traffic_flows(proxy, urls, closing):
    inside, outside = urls
    # stdout is a pipe that nobody reads: it fills after 64 KiB.
    p = proxy("pipeline", inside, outside, "--tap", wait_for=urls)
    pusher = pynng_socket(pynng.Push0, closing, dial=inside)
    puller = pynng_socket(pynng.Pull0, closing, dial=outside)
    wait_pipes(pusher, puller)
    count = 20000
    body = b"x" * 1000
    received = []

    def pull():
        for _ in range(count):
            received.append(puller.recv())

    t = threading.Thread(target=pull)
    t.start()
    for _ in range(count):
        pusher.send(body)
    t.join(timeout=60)
    assert len(received) == count  # 20 MB through a tap whose reader never reads
    status, _, err = p.stop(timeout=15)
    assert status == 130
    line = [l for l in err.splitlines() if b"tap:" in l]
    assert len(line) == 1, err
    dropped = int(line[0].split(b"tap: ")[1].split()[0])
    # At most the pipe, one chunk being written and one being filled were kept.
    assert 15000 < dropped <= count, err


@pytest.mark.parametrize("sig, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_ends_the_proxy_with_the_tap_flushed(proxy, urls, ours, tmpdir_short, sig, status):
    inside, outside = urls
    with open(os.path.join(tmpdir_short, "tap"), "wb") as tap_file:
        p = proxy("pipeline", inside, outside, "--tap", stdout=tap_file, wait_for=urls)
        puller = subprocess.Popen([ours, "listen", "--dial", outside, "--count", "1000"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        lines = "".join(f"m{i}\n" for i in range(1000)).encode()
        assert run([ours, "send", inside], input=lines).returncode == 0
        assert puller.wait(timeout=20) == 0
        got, _, err = p.stop(sig)
    assert got == status, err
    with open(os.path.join(tmpdir_short, "tap"), "rb") as tap_file:
        assert tap_file.read() == b"".join(b"in: " + l + b"\n" for l in lines.splitlines())
    assert not os.path.exists(inside[len("ipc://"):]), "the listener's ipc file was left behind"


def test_verbose_reports_peers_per_side_and_counts_per_direction(proxy, urls, closing):
    inside, outside = urls
    p = proxy("reqrep", inside, outside, "-v", wait_for=urls)
    rep = pynng_socket(pynng.Rep0, closing, dial=outside)
    req = pynng_socket(pynng.Req0, closing, dial=inside)
    wait_pipes(rep, req)
    for i in range(3):
        req.send(b"q%d" % i)
        rep.send(rep.recv())
        req.recv()
    time.sleep(0.2)
    status, _, err = p.stop()
    assert status == 130
    assert b"nngcat: in: peer connected: " in err and b"nngcat: out: peer connected: " in err, err
    assert b"nngcat: forwarded in -> out: 3 messages, out -> in: 3 messages" in err, err


def test_usage_errors(ours):
    unknown = run([ours, "proxy", "reqrepp", "ipc:///tmp/a", "ipc:///tmp/b"])
    assert unknown.returncode == 2
    assert b"unknown pattern 'reqrepp' (did you mean 'reqrep'?)" in unknown.stderr
    one_side = run([ours, "proxy", "pipeline", "--in", "ipc:///tmp/a"])
    assert one_side.returncode == 2
    assert b"no out side" in one_side.stderr


def test_a_tapped_pubsub_proxy_stops_cleanly_after_forwarding(proxy, urls, closing):
    """The tap's forwarding chain sends on a raw pub0 socket, the one protocol
    whose successful send leaves a freed message on the aio (see AIOHandle):
    a tapped pub/sub proxy forwards, writes its tap and stops cleanly, every time."""
    inside, outside = urls
    for _ in range(3):
        p = proxy("pubsub", inside, outside, "--tap", wait_for=urls)
        sub = pynng_socket(pynng.Sub0, closing, dial=outside, topics=b"")
        publisher = pynng_socket(pynng.Pub0, closing, dial=inside)
        wait_pipes(sub, publisher)
        publisher.send(b"one")
        assert sub.recv() == b"one"
        got, out, err = p.stop(signal.SIGINT)
        assert got == 130, err
        assert b"double free" not in err and b"free()" not in err, err
        assert out == b"in: one\n"
        sub.close()
        publisher.close()
