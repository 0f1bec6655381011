"""send and listen end to end: real processes, real peers, bytes and exit statuses."""
import os
import subprocess
import time

import pynng
import pytest

from conftest import run, wait_listening


def start_listen(background, ours, url, *args):
    proc = background([ours, "listen", url, *args])
    wait_listening(url)
    return proc


@pytest.mark.parametrize("scheme", ["ipc", "tcp", "ws"])
def test_lines_round_trip(ours, background, ipc_url, tcp_url, scheme):
    url = {"ipc": ipc_url, "tcp": tcp_url, "ws": tcp_url.replace("tcp://", "ws://") + "/x"}[scheme]
    listener = start_listen(background, ours, url, "--count", "4")
    sent = run([ours, "send", url], input=b"alpha\nbeta\n\nlast without newline")
    assert sent.returncode == 0, sent.stderr
    code, out, err = listener.finish()
    assert code == 0, err
    assert out == b"alpha\nbeta\n\nlast without newline\n"


def test_message_arguments_data_and_count(ours, background, ipc_url):
    listener = start_listen(background, ours, ipc_url, "--count", "6")
    assert run([ours, "send", ipc_url, "one", "two", "--count", "3"]).returncode == 0
    code, out, _ = listener.finish()
    assert (code, out) == (0, b"one\ntwo\none\ntwo\none\ntwo\n")


def test_file_is_one_message(ours, background, ipc_url, tmpdir_short):
    body = bytes(range(256)) * 300
    path = os.path.join(tmpdir_short, "body")
    with open(path, "wb") as f:
        f.write(body)
    listener = start_listen(background, ours, ipc_url, "--count", "1", "--raw")
    assert run([ours, "send", ipc_url, "--file", path]).returncode == 0
    code, out, _ = listener.finish()
    assert (code, out) == (0, body)


def test_null_separated_records(ours, background, ipc_url):
    listener = start_listen(background, ours, ipc_url, "--count", "2", "-0")
    assert run([ours, "send", ipc_url, "-0"], input=b"a\nb\x00c").returncode == 0
    code, out, _ = listener.finish()
    assert (code, out) == (0, b"a\nb\x00c\x00")


@pytest.mark.parametrize("fmt", ["hex", "quoted", "json"])
def test_formats_round_trip_through_input(ours, background, ipc_url, tmpdir_short, fmt):
    """What listen prints in a format, send reads back to the same bytes."""
    bodies = [bytes(range(256)), b"", "héllo \"wörld\"\n\t".encode(), b"\xff\xfe binary"]
    first = start_listen(background, ours, ipc_url, "--count", str(len(bodies)), "--format", fmt)
    for i, body in enumerate(bodies):
        path = os.path.join(tmpdir_short, f"b{i}")
        with open(path, "wb") as f:
            f.write(body)
        assert run([ours, "send", ipc_url, "--file", path]).returncode == 0
    code, printed, err = first.finish()
    assert code == 0, err
    second_url = ipc_url + "2"
    second = start_listen(background, ours, second_url, "--count", str(len(bodies)), "--format", "hex")
    replay = run([ours, "send", second_url, "--input", fmt], input=printed)
    assert replay.returncode == 0, replay.stderr
    _, out, _ = second.finish()
    expected = b"".join(b'"' + b"".join(b"\\x%02x" % c for c in body) + b'"\n' for body in bodies)
    assert out == expected


def test_json_fields(ours, background, ipc_url):
    import json
    listener = start_listen(background, ours, ipc_url, "--count", "2", "--format", "json")
    assert run([ours, "send", ipc_url], input=b"text\n\xff\n").returncode == 0
    _, out, _ = listener.finish()
    records = [json.loads(line) for line in out.splitlines()]
    assert records[0]["data"] == "text" and records[0]["seq"] == 1 and records[0]["size"] == 4
    assert records[1]["base64"] == "/w==" and records[1]["seq"] == 2
    assert records[0]["time"].endswith("Z") and "T" in records[0]["time"]
    assert "peer" in records[0]


@pytest.mark.parametrize("fmt", ["json", "{{data}} {{peer}}\\n"])
def test_peer_is_each_senders_own_address(ours, background, tcp_url, fmt):
    """The address is looked up once per pipe: two senders taking turns each get theirs."""
    import json
    listener = start_listen(background, ours, tcp_url, "--count", "4", "--format", fmt)
    with pynng.Push0(dial=tcp_url, send_timeout=5000) as a, pynng.Push0(dial=tcp_url, send_timeout=5000) as b:
        for sender, body in ((a, b"a1"), (b, b"b1"), (a, b"a2"), (b, b"b2")):
            sender.send(body)
        # Read before the listener exits: its pipes close with it.
        addresses = {"a": str(a.pipes[0].local_address), "b": str(b.pipes[0].local_address)}
        code, out, err = listener.finish()
    assert code == 0, err
    if fmt == "json":
        peers = {r["data"]: r["peer"] for r in map(json.loads, out.splitlines())}
    else:
        peers = dict(line.decode().split(" ") for line in out.splitlines())
    assert peers == {"a1": addresses["a"], "a2": addresses["a"], "b1": addresses["b"], "b2": addresses["b"]}
    assert addresses["a"] != addresses["b"]


@pytest.mark.parametrize("fmt,flag", [("quoted", "--quoted"), ("hex", "--hex"), ("msgpack", "--msgpack"), ("raw", "--raw")])
def test_formats_match_c_nngcat(ours, c_nngcat, background, ipc_url, tmpdir_short, fmt, flag):
    bodies = [bytes(range(256)), b"", b"x" * 70 * 1024, b'quote " back \\ tab \t']
    outputs = []
    for tool in ("c", "ours"):
        url = f"{ipc_url}-{tool}"
        if tool == "c":
            listener = background([c_nngcat, "--pull0", "--listen", url, flag, "--recv-timeout", "3"])
        else:
            listener = background([ours, "listen", url, "--format", fmt, "--count", str(len(bodies))])
        wait_listening(url)
        for i, body in enumerate(bodies):
            path = os.path.join(tmpdir_short, f"{tool}{i}")
            with open(path, "wb") as f:
                f.write(body)
            assert run([c_nngcat, "--push0", "--dial", url, "--file", path]).returncode == 0
        code, out, _ = listener.finish(timeout=30)
        assert code == 0
        outputs.append(out)
    assert outputs[0] == outputs[1]


def test_send_to_c_nngcat_pull(ours, c_nngcat, background, ipc_url):
    listener = background([c_nngcat, "--pull0", "--listen", ipc_url, "--quoted", "--recv-timeout", "2"])
    wait_listening(ipc_url)
    assert run([ours, "send", ipc_url], input=b"a\nb\n").returncode == 0
    code, out, _ = listener.finish()
    assert out == b'"a"\n"b"\n'


def test_pub_to_c_sub_waits_for_subscriber(ours, c_nngcat, background, tcp_url):
    publisher = background([ours, "send", "--pub", tcp_url, "--data", "news: hi", "--data", "other"])
    time.sleep(0.3)
    subscriber = background([c_nngcat, "--sub0", "--dial", tcp_url, "--subscribe", "news", "--quoted", "--recv-timeout", "2"])
    code, _, err = publisher.finish()
    assert code == 0, err
    _, out, _ = subscriber.finish()
    assert out == b'"news: hi"\n'


def test_listen_sub_with_topic(ours, background, c_nngcat, tcp_url):
    background([c_nngcat, "--pub0", "--listen", tcp_url, "--data", "a1", "--interval", "1", "--count", "4"])
    wait_listening(tcp_url)
    subscriber = background([ours, "listen", "--sub", tcp_url, "--subscribe", "a", "--count", "2"])
    code, out, err = subscriber.finish(timeout=20)
    assert code == 0, err
    assert out == b"a1\na1\n"


def test_req_against_rep_echo_and_exec(ours, background, ipc_url):
    start_listen(background, ours, ipc_url, "--rep", "--exec", "tr a-z A-Z")
    result = run([ours, "send", "--req", ipc_url, "hello", "world"])
    assert (result.returncode, result.stdout) == (0, b"HELLO\nWORLD\n")


def test_req_against_c_rep(ours, c_nngcat, background, ipc_url):
    background([c_nngcat, "--rep0", "--listen", ipc_url, "--data", "pong"])
    wait_listening(ipc_url)
    result = run([ours, "send", "--req", ipc_url, "--data", "ping", "--format", "quoted"])
    assert (result.returncode, result.stdout) == (0, b'"pong"\n')


def test_c_req_against_our_rep_reply(ours, c_nngcat, background, ipc_url):
    server = start_listen(background, ours, ipc_url, "--rep", "--reply", "pong", "--count", "1")
    result = run([c_nngcat, "--req0", "--dial", ipc_url, "--data", "ping", "--quoted"])
    assert result.stdout == b'"pong"\n'
    code, out, _ = server.finish()
    assert (code, out) == (0, b"ping\n")


def test_surveyor_collects_responses(ours, background, ipc_url):
    respondents = [background([ours, "listen", "--respondent", ipc_url, "--async", "--reply", f"r{i}", "--count", "1"]) for i in range(2)]
    result = run([ours, "send", "--surveyor", ipc_url, "--data", "who", "--wait-peers", "2", "--survey-time", "500ms"])
    assert result.returncode == 0, result.stderr
    assert sorted(result.stdout.splitlines()) == [b"r0", b"r1"]
    for r in respondents:
        assert r.finish()[1] == b"who\n"


def test_pair_and_bus(ours, background, ipc_url):
    for proto in ("--pair", "--pair0", "--bus"):
        url = ipc_url + proto
        listener = start_listen(background, ours, url, proto, "--count", "1")
        assert run([ours, "send", proto, url, "--data", proto]).returncode == 0
        assert listener.finish()[1] == proto.encode() + b"\n"


def test_pynng_peers_both_directions(ours, background, tcp_url):
    pynng = pytest.importorskip("pynng")
    with pynng.Pull0(listen=tcp_url, recv_timeout=5000) as pull:
        assert run([ours, "send", tcp_url, "--data", "to pynng"]).returncode == 0
        assert pull.recv() == b"to pynng"
    url2 = tcp_url.replace("tcp://", "ws://") + "/p"
    listener = start_listen(background, ours, url2, "--count", "2")
    with pynng.Push0(dial=url2) as push:
        push.send(b"from")
        push.send(b"pynng")
        # Close only after our listener is done: pynng's bundled libnng can
        # abort (about 1 run in 25) when its ws socket is closed just as the
        # peer hangs up.
        assert listener.finish()[1] == b"from\npynng\n"
    url3 = tcp_url.rsplit(":", 1)[0] + ":" + str(int(tcp_url.rsplit(":", 1)[1]) + 1)
    start_listen(background, ours, url3, "--rep", "--echo")
    with pynng.Req0(dial=url3, recv_timeout=5000) as req:
        req.send(b"echo me")
        assert req.recv() == b"echo me"


def test_listen_head_exits_quietly(ours, background, ipc_url):
    pipeline = subprocess.Popen(f"{ours} listen {ipc_url} | head -n 1", shell=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_listening(ipc_url)
    sender = subprocess.Popen([ours, "send", ipc_url, "--linger", "1s"], stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    sender.stdin.write(b"first\nsecond\nthird\n")
    sender.stdin.flush()
    out, err = pipeline.communicate(timeout=10)
    assert out == b"first\n" and err == b""
    sender.kill()
    sender.wait(timeout=5)


def test_lines_are_sent_as_they_arrive(ours, background, ipc_url):
    listener = background([ours, "listen", ipc_url, "--count", "2"])
    wait_listening(ipc_url)
    sender = subprocess.Popen([ours, "send", ipc_url], stdin=subprocess.PIPE)
    sender.stdin.write(b"early\n")
    sender.stdin.flush()
    line = listener.proc.stdout.readline()
    assert line == b"early\n"  # arrives while stdin is still open
    sender.stdin.write(b"late\n")
    sender.stdin.close()
    assert sender.wait(timeout=10) == 0
    assert listener.finish()[1] == b"late\n"


@pytest.mark.parametrize("transport", ["ipc", "tcp"])
def test_million_lines_in_order(ours, ipc_url, tcp_url, tmpdir_short, transport):
    url = ipc_url if transport == "ipc" else tcp_url
    n = 1_000_000
    data = b"".join(b"%d\n" % i for i in range(1, n + 1))
    out_path = os.path.join(tmpdir_short, "out")
    with open(out_path, "wb") as out:
        # stdout to a file: a pipe nobody reads would (rightly) stall the listener.
        listener = subprocess.Popen([ours, "listen", url, "--count", str(n)], stdout=out, stderr=subprocess.PIPE)
        try:
            wait_listening(url)
            sent = run([ours, "send", url], input=data, timeout=120)
            assert sent.returncode == 0, sent.stderr
            assert listener.wait(timeout=120) == 0
        finally:
            listener.kill()
            listener.wait()
    with open(out_path, "rb") as f:
        assert f.read() == data


@pytest.mark.parametrize("syntax", ["subcommand", "legacy"])
def test_listener_removes_its_ipc_file_and_a_dialer_exits_at_once(ours, background, ipc_url, syntax):
    """A socket that listens is closed at exit, so its ipc file goes; one that
    only dials is left for the process exit, and its message still arrives."""
    path = ipc_url[len("ipc://"):]
    if syntax == "subcommand":
        listener = start_listen(background, ours, ipc_url, "--count", "1")
        sender = [ours, "send", ipc_url, "--data", "bye"]
    else:
        listener = background([ours, "--pull0", "--listen", ipc_url, "--raw"])
        wait_listening(ipc_url)
        sender = [ours, "--push0", "--dial", ipc_url, "--data", "bye"]
    sent = run(sender)
    assert sent.returncode == 0, sent.stderr
    if syntax == "legacy":
        time.sleep(0.3)
        listener.proc.terminate()
    code, out, err = listener.finish()
    assert out == b"bye\n" if syntax == "subcommand" else out == b"bye"
    assert code == (0 if syntax == "subcommand" else 143), err
    assert not os.path.exists(path)


def test_file_that_reports_size_zero_is_still_read(ours, background, ipc_url):
    """/proc files are regular files of size 0 that have content."""
    with open("/proc/sys/kernel/ostype", "rb") as f:
        expected = f.read()
    listener = start_listen(background, ours, ipc_url, "--count", "1", "--raw")
    assert run([ours, "send", ipc_url, "--file", "/proc/sys/kernel/ostype"]).returncode == 0
    code, out, err = listener.finish()
    assert (code, out) == (0, expected), err
