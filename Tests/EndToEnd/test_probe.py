"""`nngcat probe` end to end (issue 14): which SP protocol a real peer speaks,
over tcp, ipc, ws, tls+tcp and wss; what non-SP servers (HTTP, a banner, a
silent one, a closed port) get; --listen; --format json; several URLs at once
with the worst status; and that a probed peer loses nothing of its real traffic.

Peers: the C nngcat (legacy syntax) for ten protocols, pynng for bus0 (the C
tool has no bus). Loopback and /tmp only; every process is bounded in time.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

import pytest

from conftest import NNGCAT, free_port, run, wait_for_ipc, wait_for_tcp, loaded_nng_version

C = "/usr/bin/nngcat"

NUMBERS = {"pair0": 16, "pair1": 17, "pub0": 32, "sub0": 33, "req0": 48, "rep0": 49,
           "push0": 80, "pull0": 81, "surveyor0": 98, "respondent0": 99, "bus0": 112}

# What the C nngcat needs to stay up as a listener of each protocol.
C_ARGS = {
    "pair0": [], "pair1": [], "sub0": ["--subscribe", ""], "pull0": [],
    "rep0": ["--data", "x"], "respondent0": ["--data", "x"],
    "pub0": ["--data", "x", "--interval", "1"], "push0": ["--data", "x", "--interval", "1"],
    "req0": ["--data", "x", "--interval", "1"], "surveyor0": ["--data", "x", "--interval", "1"],
}

# The suggested command's start, for a peer we dialed (it listens).
SUGGESTIONS = {
    "rep0": "nngcat send --req {url} MESSAGE",
    "req0": "nngcat listen --rep --dial {url} --echo",
    "pub0": "nngcat listen --sub {url}",
    "sub0": "nngcat send --pub --dial {url} MESSAGE",
    "pull0": "nngcat send --push {url} MESSAGE",
    "push0": "nngcat listen --pull --dial {url}",
    "surveyor0": "nngcat listen --respondent {url} --echo",
    "respondent0": "nngcat send --surveyor --dial {url} MESSAGE",
    "pair0": "nngcat repl --pair0 {url}",
    "pair1": "nngcat repl --pair {url}",
    "bus0": "nngcat repl --bus {url}",
}


class Peer:
    def __init__(self, args):
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.communicate(timeout=5)


@pytest.fixture
def peers():
    started = []

    def start(args):
        peer = Peer(args)
        started.append(peer)
        return peer

    yield start
    for peer in started:
        peer.stop()


def listener_args(proto, url, extra=()):
    if proto == "bus0":
        script = ("import pynng, time, sys\n"
                  "s = pynng.Bus0(listen=sys.argv[1], tls_config=None)\n"
                  "time.sleep(60)\n")
        return [sys.executable, "-c", script, url]
    return [C, f"--{proto}", "--listen", url, *C_ARGS[proto], *extra]


def wait_up(url):
    """Waits for the listener without making an SP connection to it (which
    would not disturb it either, but the tests should not depend on probe)."""
    if url.startswith("ipc://"):
        wait_for_ipc(url)
        return
    host, port = url.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)
    wait_for_tcp(f"tcp://{host}:{port}")


def probe(*args, timeout=20):
    return run([NNGCAT, "probe", *args], timeout=timeout)


def ipc(tmp, name="s"):
    return f"ipc://{tmp}/{name}"


@pytest.fixture
def tmp():
    d = tempfile.mkdtemp(prefix="nc-probe-", dir="/tmp")
    yield d
    shutil.rmtree(d, ignore_errors=True)


# ------------------------------------------------------------ every protocol

@pytest.mark.parametrize("transport", ["tcp", "ipc"])
@pytest.mark.parametrize("proto", sorted(NUMBERS))
def test_every_protocol_is_identified(peers, tmp, proto, transport):
    url = f"tcp://127.0.0.1:{free_port()}" if transport == "tcp" else ipc(tmp)
    peer = peers(listener_args(proto, url))
    wait_up(url)
    done = probe(url)
    out = done.stdout.decode()
    assert done.returncode == 0, out + done.stderr.decode()
    first, second = out.splitlines()[:2]
    assert first.startswith(f"{url}  {proto} ({NUMBERS[proto]}), answered in ")
    assert first.endswith(" ms")
    assert second == "  talk to it: " + SUGGESTIONS[proto].format(url=url)
    assert peer.proc.poll() is None, "the probed peer died"


@pytest.mark.parametrize("proto", ["rep0", "pub0", "pull0", "bus0", "pair1"])
def test_websocket_peer_is_identified_by_its_subprotocol(peers, proto):
    url = f"ws://127.0.0.1:{free_port()}/probe"
    peers(listener_args(proto, url))
    wait_up(url)
    done = probe("--json", url)
    assert done.returncode == 0, done.stdout + done.stderr
    record = json.loads(done.stdout)
    assert record["ok"] is True
    assert record["protocol"] == proto
    assert record["number"] == NUMBERS[proto]
    assert record["ws_protocol"] == ("pair" if proto == "pair0" else proto[:-1] if proto != "pair1" else "pair1") + ".sp.nanomsg.org"


# ------------------------------------------------------------ TLS

def _openssl(*args, cwd):
    done = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, timeout=30)
    assert done.returncode == 0, done.stderr.decode(errors="replace")


@pytest.fixture(scope="module")
def certs():
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    d = tempfile.mkdtemp(prefix="nc-probe-tls-", dir="/tmp")
    try:
        _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                 "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=probe test CA", cwd=d)
        _openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                 "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost", cwd=d)
        with open(os.path.join(d, "server.ext"), "w") as f:
            f.write("subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n")
        _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                 "-days", "2", "-sha256", "-extfile", "server.ext", "-out", "server.crt", cwd=d)
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)


@pytest.mark.parametrize("scheme", ["tls+tcp", "wss"])
@pytest.mark.parametrize("proto", ["rep0", "pub0", "pull0"])
def test_tls_peer_is_identified_after_the_handshake(peers, certs, proto, scheme):
    port = free_port()
    path = "/probe" if scheme == "wss" else ""
    # The wss listener answers only requests whose Host matches its own URL's host.
    peers(listener_args(proto, f"{scheme}://localhost:{port}{path}",
                        ["--cert", f"{certs}/server.crt", "--key", f"{certs}/server.key"]))
    wait_for_tcp(f"tcp://127.0.0.1:{port}")
    url = f"{scheme}://localhost:{port}{path}"
    done = probe(url, "--cacert", f"{certs}/ca.crt")
    out = done.stdout.decode()
    assert done.returncode == 0, out + done.stderr.decode()
    assert out.startswith(f"{url}  {proto} ({NUMBERS[proto]}), answered in ")
    assert f"  talk to it: " + SUGGESTIONS[proto].format(url=url).replace(" MESSAGE", "") in out
    assert f"--cacert {certs}/ca.crt" in out
    assert f"  certificate: verified; subject, issuer and expiry are not exposed by libnng {loaded_nng_version()}" in out


def test_tls_peer_with_an_unknown_authority_is_a_dial_error(peers, certs):
    port = free_port()
    peers(listener_args("rep0", f"tls+tcp://localhost:{port}",
                        ["--cert", f"{certs}/server.crt", "--key", f"{certs}/server.key"]))
    wait_for_tcp(f"tcp://127.0.0.1:{port}")
    done = probe(f"tls+tcp://localhost:{port}")
    assert done.returncode == 1
    assert b"TLS handshake failed" in done.stdout
    insecure = probe(f"tls+tcp://localhost:{port}", "-k")
    assert insecure.returncode == 0, insecure.stdout
    assert b"certificate: not verified (--insecure)" in insecure.stdout


# ------------------------------------------------------------ not SP peers

@pytest.fixture
def http_server():
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd="/tmp")
    try:
        wait_for_tcp(f"tcp://127.0.0.1:{port}")
        yield port
    finally:
        proc.kill()
        proc.communicate(timeout=5)


def test_http_server_is_not_an_sp_peer(http_server):
    done = probe(f"tcp://127.0.0.1:{http_server}")
    out = done.stdout.decode()
    assert done.returncode == 1
    assert out.startswith(f"tcp://127.0.0.1:{http_server}  not an SP peer: it sent nothing for 250ms; "
                          "asked with an HTTP HEAD request, it answered \"HTTP/1.0 200 OK\\r\\n")


def test_http_server_over_ws_is_not_an_sp_peer(http_server):
    done = probe(f"ws://127.0.0.1:{http_server}/")
    assert done.returncode == 1
    assert b"not an SP peer: it refused the WebSocket handshake for every SP subprotocol" in done.stdout


class TcpServer:
    """A plain TCP server: sends `greeting` to each client, or nothing, and keeps it open."""

    def __init__(self, greeting=None, close=False):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.greeting, self.close_at_once, self.clients = greeting, close, []
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            if self.greeting:
                client.sendall(self.greeting)
            if self.close_at_once:
                client.close()
            else:
                self.clients.append(client)

    def stop(self):
        self.sock.close()
        for client in self.clients:
            client.close()


@pytest.fixture
def tcp_server():
    servers = []

    def start(*args, **kw):
        server = TcpServer(*args, **kw)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def test_banner_is_quoted(tcp_server):
    server = tcp_server(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
    done = probe(f"tcp://127.0.0.1:{server.port}")
    assert done.returncode == 1
    assert done.stdout.decode() == (f"tcp://127.0.0.1:{server.port}  not an SP peer: it sent "
                                    "\"SSH-2.0-OpenSSH_9.2p1 Debian-2\\r\\n\"\n")


def test_binary_bytes_and_an_early_close(tcp_server):
    server = tcp_server(b"\x00SQ\x00\x00\x31\x00\x00", close=True)
    done = probe(f"tcp://127.0.0.1:{server.port}", "--json")
    record = json.loads(done.stdout)
    assert done.returncode == 1
    assert record["ok"] is False and record["protocol"] is None
    assert record["first_bytes_hex"].startswith("00535100")
    assert "\\x00SQ\\x00" in record["error"]


def test_closed_connection_without_a_word(tcp_server):
    server = tcp_server(None, close=True)
    done = probe(f"tcp://127.0.0.1:{server.port}")
    assert done.returncode == 1
    assert b"not an SP peer: it closed the connection without sending anything" in done.stdout


def test_closed_port_is_refused_as_send_says():
    url = f"tcp://127.0.0.1:{free_port()}"
    done = probe(url)
    assert done.returncode == 1
    assert done.stdout.decode() == f"{url}  dial {url}: Connection refused\n"
    sent = run([NNGCAT, "send", url, "x"], timeout=20)
    assert f"dial {url}: Connection refused".encode() in sent.stderr


def test_silent_server_is_a_timeout(tcp_server):
    server = tcp_server(None)
    started = time.monotonic()
    done = probe(f"tcp://127.0.0.1:{server.port}", "--connect-timeout", "600ms")
    elapsed = time.monotonic() - started
    assert done.returncode == 3
    assert b"no answer within 600ms: it accepted the connection but sent nothing" in done.stdout
    assert 0.5 < elapsed < 3


# ------------------------------------------------------------ several URLs, json

def test_several_urls_in_parallel_worst_status_wins(peers, tcp_server):
    good = f"tcp://127.0.0.1:{free_port()}"
    peers(listener_args("rep0", good))
    wait_up(good)
    silent = f"tcp://127.0.0.1:{tcp_server(None).port}"
    refused = f"tcp://127.0.0.1:{free_port()}"
    started = time.monotonic()
    done = probe("--connect-timeout", "1s", good, silent, refused)
    elapsed = time.monotonic() - started
    lines = done.stdout.decode().splitlines()
    assert done.returncode == 1  # refused (1) outranks the timeout (3)
    assert lines[0].startswith(f"{good}  rep0 (49)")
    assert lines[2].startswith(f"{silent}  no answer within 1s")
    assert lines[3] == f"{refused}  dial {refused}: Connection refused"
    assert elapsed < 2.5, "the URLs were not probed in parallel"
    assert probe("--connect-timeout", "500ms", good, silent).returncode == 3
    assert probe(good, good).returncode == 0


def test_json_has_one_object_per_url(peers):
    url = f"tcp://127.0.0.1:{free_port()}"
    refused = f"tcp://127.0.0.1:{free_port()}"
    peers(listener_args("pull0", url))
    wait_up(url)
    done = probe("--format", "json", url, refused)
    records = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert done.returncode == 1
    assert records[0]["url"] == url and records[0]["ok"] is True
    assert records[0]["protocol"] == "pull0" and records[0]["number"] == 81
    assert isinstance(records[0]["ms"], float) and 0 < records[0]["ms"] < 5000
    assert records[0]["suggestion"] == f"nngcat send --push {url} MESSAGE"
    assert records[1] == {"url": refused, "ok": False, "protocol": None,
                          "error": f"dial {refused}: Connection refused", "status": 1}


# ------------------------------------------------------------ --listen

@pytest.mark.parametrize("scheme", ["tcp", "ws"])
def test_listen_reports_who_dials_in(scheme):
    port = free_port()
    url = f"{scheme}://127.0.0.1:{port}" + ("/in" if scheme == "ws" else "")
    prober = subprocess.Popen([NNGCAT, "probe", "--listen", url, "--connect-timeout", "10s"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        # Not wait_for_tcp: its connection would be the one peer reported. send retries its dial.
        time.sleep(0.3)
        sender = subprocess.Popen([NNGCAT, "send", "--push", url, "--data", "hello", "--connect-timeout", "3s"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out, err = prober.communicate(timeout=15)
    finally:
        if prober.poll() is None:
            prober.kill()
            prober.communicate(timeout=5)
    sender.kill()
    sender.communicate(timeout=5)
    text = out.decode()
    assert prober.returncode == 0, text + err.decode()
    assert text.startswith(f"{url}  push0 (80) dialed in from 127.0.0.1:")
    assert f"  talk to it: nngcat listen --pull {url}\n" in text


def test_listen_with_nobody_dialing_is_a_timeout():
    url = f"tcp://127.0.0.1:{free_port()}"
    done = probe("--listen", url, "--connect-timeout", "300ms")
    assert done.returncode == 3
    assert done.stdout.decode() == f"{url}  no peer dialed in within 300ms\n"


# ------------------------------------------------------------ the probed peer loses nothing

def test_busy_pull_loses_nothing_while_probed():
    url = f"tcp://127.0.0.1:{free_port()}"
    count = 50000
    listener = subprocess.Popen([NNGCAT, "listen", url, "--count", str(count)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    received = {}
    reader = threading.Thread(target=lambda: received.update(zip(("out", "err"), listener.communicate(timeout=90))))
    try:
        wait_for_tcp(url)
        pusher = subprocess.Popen([NNGCAT, "send", "--push", url], stdin=subprocess.PIPE,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        reader.start()
        feeder = threading.Thread(target=lambda: (pusher.stdin.write(
            "".join(f"{i}\n" for i in range(count)).encode()), pusher.stdin.close()))
        feeder.start()
        # Probe for as long as the stream flows: each probe starts while the pull is still receiving.
        answers = []
        while listener.poll() is None and len(answers) < 300:
            answers.append(probe(url, timeout=10))
        feeder.join(timeout=30)
        reader.join(timeout=90)
        assert pusher.wait(timeout=30) == 0
    finally:
        if listener.poll() is None:
            listener.kill()
            listener.wait(timeout=5)
    print(f"{len(answers)} probes while {count} messages flowed")
    assert len(answers) >= 3, "the stream ended before the probes could overlap it"
    assert all(a.returncode == 0 and b"pull0 (81)" in a.stdout for a in answers[:-1]), [a.stdout for a in answers]
    assert listener.returncode == 0, received.get("err")
    assert received["out"].decode().splitlines() == [str(i) for i in range(count)]


def test_rep_with_clients_answers_every_request_while_probed():
    url = f"tcp://127.0.0.1:{free_port()}"
    server = subprocess.Popen([C, "--rep0", "--listen", url, "--data", "pong"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_tcp(url)
        clients = [subprocess.Popen([NNGCAT, "send", "--req", url, "--data", f"ping{n}", "--count", "200"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE) for n in range(2)]
        answers = [probe(url, timeout=10) for _ in range(25)]
        results = [c.communicate(timeout=60) for c in clients]
        assert server.poll() is None, "the rep peer died"
    finally:
        server.kill()
        server.communicate(timeout=5)
    assert all(a.returncode == 0 and b"rep0 (49)" in a.stdout for a in answers)
    for client, (out, err) in zip(clients, results):
        assert client.returncode == 0, err
        assert out.decode().splitlines() == ["pong"] * 200


# ------------------------------------------------------------ usage

@pytest.mark.parametrize("args, text", [
    ([], b"probe needs a URL"),
    (["inproc://x"], b"probe works over tcp, ipc, tls+tcp, ws and wss"),
    (["--format", "hex", "tcp://127.0.0.1:1"], b"probe knows: text, json"),
    (["--connect-timeout", "0", "tcp://127.0.0.1:1"], b"must be longer than 0"),
    (["--data", "x", "tcp://127.0.0.1:1"], b"--data"),
])
def test_usage_errors_exit_2(args, text):
    done = probe(*args)
    assert done.returncode == 2
    assert text in done.stderr
