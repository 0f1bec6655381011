"""Templates (issue 15): `send --template` payloads, `--template --reply`,
and `listen --format` output templates, checked byte for byte against
pynng peers and Python's own view of the values (pid, env, hostname, time)."""
import base64
import datetime
import json
import os
import re
import socket
import subprocess
import time

import pynng
import pytest

from conftest import Background, run, wait_listening

UUID4 = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
TIME = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def parse_time(text):
    return datetime.datetime.strptime(text.decode(), "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc).timestamp()


def test_payload_tokens_byte_for_byte(ours, ipc_url):
    template = ("{{ seq }}|{{env NNGCAT_T}}|{{pid}}|{{hostname}}|{{random 3 5}}|{{uuid}}|"
                "{{time}}|{{unix}}|{{unixms}}|{{unixns}}|{{\"{{\"}}seq}}")
    with pynng.Pull0(listen=ipc_url, recv_timeout=5000) as pull:
        start = time.time()
        proc = subprocess.Popen([ours, "send", ipc_url, "--template", "--data", template, "--count", "3"],
                                env=dict(os.environ, NNGCAT_T="a b"), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = proc.communicate(timeout=20)
        end = time.time()
        assert proc.returncode == 0, err
        bodies = [pull.recv() for _ in range(3)]
    uuids = set()
    for n, body in enumerate(bodies, 1):
        fields = body.split(b"|")
        assert fields[:4] == [b"%d" % n, b"a b", b"%d" % proc.pid, socket.gethostname().encode()]
        assert int(fields[4]) in (3, 4, 5)
        assert UUID4.fullmatch(fields[5]), fields[5]
        uuids.add(fields[5])
        assert TIME.fullmatch(fields[6]), fields[6]
        ns = int(fields[9])
        assert start - 0.001 <= ns / 1e9 <= end + 0.001
        # One instant per message: every time token shows the same clock reading.
        assert int(fields[8]) == ns // 1_000_000 and int(fields[7]) == ns // 1_000_000_000
        assert abs(parse_time(fields[6]) - int(fields[8]) / 1000) < 0.0005
        assert fields[10] == b"{{seq}}"
    assert len(uuids) == 3


def test_random_covers_its_bounds(ours, ipc_url):
    with pynng.Pull0(listen=ipc_url, recv_timeout=5000) as pull:
        done = run([ours, "send", ipc_url, "--template", "--data", "{{random -1 1}}", "--count", "200"])
        assert done.returncode == 0, done.stderr
        values = [int(pull.recv()) for _ in range(200)]
    assert set(values) == {-1, 0, 1}


def test_arguments_and_stdin_lines_are_templates(ours, ipc_url):
    with pynng.Pull0(listen=ipc_url, recv_timeout=5000) as pull:
        done = run([ours, "send", ipc_url, "--template", "a{{seq}}", "b{{seq}}", "--count", "2"])
        assert done.returncode == 0, done.stderr
        assert [pull.recv() for _ in range(4)] == [b"a1", b"b2", b"a3", b"b4"]
        done = run([ours, "send", ipc_url, "--template"], input=b"x{{seq}}\n{{ \"{{\" }}y\n")
        assert done.returncode == 0, done.stderr
        assert [pull.recv() for _ in range(2)] == [b"x1", b"{{y"]


def test_without_template_braces_are_plain_bytes(ours, ipc_url):
    with pynng.Pull0(listen=ipc_url, recv_timeout=5000) as pull:
        done = run([ours, "send", ipc_url, "--data", "{{seq}} {{nope"])
        assert done.returncode == 0, done.stderr
        assert pull.recv() == b"{{seq}} {{nope"


@pytest.mark.parametrize("args,expected", [
    (["--data", "x{{nope}}"], b"nngcat: --data 'x{{nope}}': unknown template token '{{nope}}' at character 2 (known: "),
    (["--data", "ok", "--data", "\u00e9{{random 2 1}}"], b"at character 2: A (2) is greater than B (1)\n"),
    (["hello {{seq"], b"nngcat: message 'hello {{seq': unclosed template token at character 7"),
    (["--data", "{{data}}"], b"works only in listen --format templates\n"),
])
def test_bad_token_is_a_usage_error_and_nothing_is_sent(ours, ipc_url, args, expected):
    with pynng.Pull0(listen=ipc_url, recv_timeout=300) as pull:
        done = run([ours, "send", ipc_url, "--template", *args])
        assert done.returncode == 2
        assert expected in done.stderr, done.stderr
        with pytest.raises(pynng.Timeout):
            pull.recv()


def test_bad_token_in_file_is_a_usage_error(ours, ipc_url, tmp_path):
    path = tmp_path / "body"
    path.write_bytes(b"{{ seq }} {{sequence}}")
    with pynng.Pull0(listen=ipc_url, recv_timeout=300) as pull:
        done = run([ours, "send", ipc_url, "--template", "--file", str(path)])
        assert done.returncode == 2
        assert f"nngcat: {path}: unknown template token '{{{{sequence}}}}' at character 11".encode() in done.stderr
        with pytest.raises(pynng.Timeout):
            pull.recv()


def test_bad_stdin_line_fails_after_the_lines_before_it(ours, ipc_url):
    # A stdin line is input, like an undecodable --input line: status 1, the
    # lines before it delivered, nothing after it.
    with pynng.Pull0(listen=ipc_url, recv_timeout=500) as pull:
        done = run([ours, "send", ipc_url, "--template"], input=b"a{{seq}}\nb{{bad}}\nc\n")
        assert done.returncode == 1
        assert done.stderr.startswith(b"nngcat: stdin line 2: unknown template token '{{bad}}' at character 2"), done.stderr
        assert pull.recv() == b"a1"
        with pytest.raises(pynng.Timeout):
            pull.recv()


def test_reply_template_with_request(ours, ipc_url):
    server = Background([ours, "listen", "--rep", ipc_url, "--template", "--reply", "got {{request}} #{{ seq }}",
                         "--count", "2", "--format", "no"])
    try:
        wait_listening(ipc_url)
        client = run([ours, "send", "--req", ipc_url, "--data", "a\x01", "--data", "{{seq}}"])
        assert client.returncode == 0, client.stderr
        # The requests are not templates (no --template on send): {{seq}} arrives as is.
        assert client.stdout == b"got a\x01 #1\ngot {{seq}} #2\n"
        assert server.finish()[0] == 0
    finally:
        server.kill()


@pytest.mark.parametrize("args", [["--reply", "{{request"], ["--reply", "{{data}}"], ["--echo"]])
def test_reply_template_errors(ours, ipc_url, args):
    done = run([ours, "listen", "--rep", ipc_url, "--template", *args])
    assert done.returncode == 2
    assert not os.path.exists(ipc_url[len("ipc://"):])


def quoted(body):
    out = b'"'
    for b in body:
        special = {0x0a: b"\\n", 0x0d: b"\\r", 0x09: b"\\t", 0x22: b'\\"', 0x5c: b"\\\\"}
        out += special.get(b) or (bytes([b]) if 0x20 <= b < 0x7f else b"\\x%02x" % b)
    return out + b'"'


BODIES = [b"plain text", b"\x00\xff\n\"x\\\x01 caf\xc3\xa9", b""]
OUTPUT = "{{seq}}\\t{{size}}\\t{{quoted}}\\t{{hex}}\\t{{base64}}\\t{{json}}\\t{{unixms}}\\t{{time}}\\t{{peer}}\\t{{data}}\\0"


def test_output_template_every_token(ours, tcp_url):
    listener = Background([ours, "listen", tcp_url, "--count", str(len(BODIES)), "--format", OUTPUT])
    try:
        wait_listening(tcp_url)
        start = time.time()
        with pynng.Push0(dial=tcp_url, send_timeout=5000) as push:
            for body in BODIES:
                push.send(body)
            status, out, err = listener.finish()
        end = time.time()
    finally:
        listener.kill()
    assert status == 0, err
    rest = out
    for n, body in enumerate(BODIES, 1):
        fields = rest.split(b"\t", 9)
        assert fields[:5] == [b"%d" % n, b"%d" % len(body), quoted(body),
                              b'"' + b"".join(b"\\x%02x" % b for b in body) + b'"', base64.b64encode(body)]
        assert json.loads(fields[5]) == body.decode("utf-8", "replace")
        assert start - 0.001 <= int(fields[6]) / 1000 <= end + 0.001
        assert TIME.fullmatch(fields[7]) and abs(parse_time(fields[7]) - int(fields[6]) / 1000) < 0.002
        assert re.fullmatch(rb"127\.0\.0\.1:\d+", fields[8]), fields[8]
        assert fields[9][:len(body) + 1] == body + b"\0"
        rest = fields[9][len(body) + 1:]
    assert rest == b""


def test_output_json_token_is_exact_for_text(ours, ipc_url):
    listener = Background([ours, "listen", ipc_url, "--count", "1", "--format", "{{json}}\\n"])
    try:
        wait_listening(ipc_url)
        with pynng.Push0(dial=ipc_url, send_timeout=5000) as push:
            push.send(b'a"b\\c\td\xff')
            status, out, err = listener.finish()
    finally:
        listener.kill()
    assert (status, out) == (0, b'"a\\"b\\\\c\\td\xef\xbf\xbd"\n'), err


def test_output_template_topic_with_sub(ours, ipc_url):
    listener = Background([ours, "listen", "--sub", "--listen", ipc_url, "--subscribe", "news", "--subscribe", "news: sport",
                           "--count", "2", "--format", "[{{topic}}] {{data}}\\n"])
    try:
        wait_listening(ipc_url)
        with pynng.Pub0(dial=ipc_url) as pub:
            deadline = time.monotonic() + 5
            while not pub.pipes and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(0.2)  # the subscriber's subscriptions are in place once connected; give the pipe a moment
            for body in [b"weather: rain", b"news: sport 1-0", b"newsflash"]:
                pub.send(body)
            status, out, err = listener.finish()
    finally:
        listener.kill()
    assert (status, out) == (0, b"[news: sport] news: sport 1-0\n[news] newsflash\n"), err


@pytest.mark.parametrize("args,expected", [
    (["--format", "{{datum}}"], b"nngcat: --format '{{datum}}': unknown template token '{{datum}}' at character 1"),
    (["--format", "{{data}}\\q"], b"unknown escape '\\q' at character 9"),
    (["--format", "{{topic}}"], b"{{topic}} in --format works only with --sub"),
    (["--format", "{{uuid}} {{request}}"], b"'{{request}}' at character 10 works only in --template --reply"),
    (["--format", "{{data}}", "--format", "json"], b"choose one output format"),
])
def test_output_template_errors(ours, ipc_url, args, expected):
    done = run([ours, "listen", ipc_url, *args])
    assert done.returncode == 2
    assert expected in done.stderr, done.stderr


def test_output_template_in_send_req(ours, ipc_url):
    server = Background([ours, "listen", "--rep", ipc_url, "--echo", "--count", "1", "--format", "no"])
    try:
        wait_listening(ipc_url)
        client = run([ours, "send", "--req", ipc_url, "--data", "ping", "--format", "{{seq}}={{data}}({{size}})\\n"])
        assert (client.returncode, client.stdout) == (0, b"1=ping(4)\n"), client.stderr
        assert server.finish()[0] == 0
    finally:
        server.kill()
