"""Issue 7, part 5: bad input from the user and from peers.

A wrong value for any option is one line on stderr starting `nngcat: ` and exit 2
(extends test_exit_status.py, which covers a first handful); malformed --input
records name their line; a peer sending messages over --recv-maxsz neither crashes
nor hangs the receiver, and -v says what happens.
"""
import os
import subprocess
import time

import pytest

from conftest import run, wait_listening

U = "tcp://127.0.0.1:1"  # never contacted: usage errors come before any socket

# (args, a fragment the one line must contain). Not repeated from test_exit_status.py.
BAD_OPTIONS = [
    # send: numbers, durations, sizes
    (["send", U, "--count", "abc"], "invalid number 'abc' for --count"),
    (["send", U, "--count", "1.5"], "invalid number '1.5' for --count"),
    (["send", U, "--count", ""], "invalid number '' for --count"),
    (["send", U, "--wait-peers", "-2"], "invalid number '-2' for --wait-peers"),
    (["send", U, "--interval", "-1s"], "invalid duration '-1s' for --interval"),
    (["send", U, "--delay", "5x"], "invalid duration '5x' for --delay"),
    (["send", U, "--linger", "forever"], "invalid duration 'forever' for --linger"),
    (["send", U, "--connect-timeout", "1d"], "invalid duration '1d' for --connect-timeout"),
    (["send", U, "--send-timeout", ""], "invalid duration '' for --send-timeout"),
    (["send", U, "--recv-timeout", "nan"], "invalid duration 'nan' for --recv-timeout"),
    (["send", U, "--recv-timeout", "inf"], "invalid duration 'inf' for --recv-timeout"),
    (["send", U, "--recv-timeout", "1e20"], "duration '1e20' for --recv-timeout is too long"),
    (["send", U, "--recv-maxsz", "-1"], "invalid size '-1' for --recv-maxsz"),
    (["send", U, "--recv-maxsz", "99999999999999g"], "size '99999999999999g' for --recv-maxsz is too large"),
    (["send", "--surveyor", U, "--survey-time", "x"], "invalid duration 'x' for --survey-time"),
    # send: URLs, files, TLS, conflicts
    (["send", "tcp:/127.0.0.1:1", "x"], "invalid URL 'tcp:/127.0.0.1:1'"),
    (["send", "tcp://", "x"], "no address after '://'"),
    (["send", "--dial", "nonsense", "x"], "invalid URL 'nonsense' for --dial"),
    (["send", "--listen", "http://x", "x"], "unknown URL scheme 'http'"),
    (["send", U, "--file", ""], "cannot read  for --file"),
    (["send", U, "--file", "/tmp"], "cannot read /tmp for --file: it is a directory"),
    (["send", U, "--cert", "/nonexistent/cert.pem"], "cannot read /nonexistent/cert.pem for --cert"),
    (["send", U, "--key", "/nonexistent/key.pem", "--cert", "/etc/hostname"], "cannot read /nonexistent/key.pem for --key"),
    (["send", U, "--key", "/etc/hostname"], "--key needs --cert"),
    (["send", U, "--cacert", "/tmp"], "it is a directory"),
    (["send", U, "--data", "x", "--file", "/etc/hostname"], "choose one message source"),
    (["send", U, "--data", "x", "--whole"], "--whole reads stdin"),
    (["send", U, "a", "--data", "x"], "choose one message source"),
    (["send", U, "--survey-time", "1s"], "--survey-time works only with --surveyor"),
    (["send", U, "-o", "foo"], "expected NAME=VALUE"),
    (["send", U, "-o", "=1"], "expected NAME=VALUE"),
    (["send", U, "--count"], "option '--count' needs a value"),
    (["send", U, "--async=yes"], "option '--async' takes no value"),
    (["send", U, "--jobs", "2"], "option '--jobs' is not valid with 'send'"),
    (["send", "--sub", U], "option '--sub' is not valid with 'send'"),
    (["send", "-p", "pull", U], "pull cannot send"),
    (["send", U, "-v", "-q"], "--verbose and --quiet contradict each other"),
    # listen
    (["listen", U, "--recv-maxsz", "64q"], "invalid size '64q' for --recv-maxsz"),
    (["listen", U, "--jobs", "0"], "--jobs must be at least 1, not 0"),
    (["listen", U, "--jobs", "-3"], "invalid number '-3' for --jobs"),
    (["listen", U, "--count", "0"], "--count must be at least 1, not 0"),
    (["listen", U, "--count", "-5"], "invalid number '-5' for --count"),
    (["listen", U, "--recv-timeout", "3q"], "invalid duration '3q' for --recv-timeout"),
    (["listen", "127.0.0.1:1"], "invalid URL '127.0.0.1:1'"),
    (["listen", "http://x"], "unknown URL scheme 'http'"),
    (["listen", "--listen", "foo://x"], "unknown URL scheme 'foo'"),
    (["listen", U, "tcp://127.0.0.1:2"], "unexpected argument 'tcp://127.0.0.1:2'"),
    (["listen", "--pub", U], "option '--pub' is not valid with 'listen'"),
    (["listen", "--rep", "--reply", "a", "--echo", U], "choose one way to answer"),
    (["listen", "--pull", "--echo", U], "--echo works only with --rep or --respondent"),
    (["listen", "-p", "foo", U], "unknown protocol 'foo'"),
    (["listen", U, "--format", "json", "--hex"], "choose one output format"),
    (["listen", U, "-v", "-q"], "--verbose and --quiet contradict each other"),
    (["listen", U, "--cacert", "/nonexistent/ca.pem"], "cannot read /nonexistent/ca.pem for --cacert"),
    (["listen", U, "--data", "x"], "option '--data' is not valid with 'listen'"),
    # repl (checked before any terminal is touched)
    (["repl", U, "--recv-maxsz", "1x"], "invalid size '1x' for --recv-maxsz"),
    (["repl", U, "--recv-timeout", "1x"], "invalid duration '1x' for --recv-timeout"),
    (["repl", "nonsense"], "invalid URL 'nonsense'"),
    (["repl", "foo://x"], "unknown URL scheme 'foo'"),
    (["repl", "--pub", "--sub", U], "choose one protocol"),
    (["repl", U, "tcp://127.0.0.1:2"], "unexpected argument"),
    (["repl", U, "--cacert", "/nonexistent/ca.pem"], "cannot read /nonexistent/ca.pem for --cacert"),
    (["repl", U, "--survey-time", "1s"], "--survey-time works only with --surveyor"),
    (["repl", U, "--format", "yaml"], "unknown format 'yaml'"),
    (["repl", U, "-o", "x"], "expected NAME=VALUE"),
    (["repl", U, "--count", "3"], "option '--count' is not valid with 'repl'"),
    # bench
    (["bench"], "bench needs a pattern"),
    (["bench", "foo"], "unknown bench pattern 'foo'"),
    (["bench", "push", "--count", "0"], "--count must be at least 1, not 0"),
    (["bench", "push", "--count", "-1"], "invalid number '-1' for --count"),
    (["bench", "push", "--size", "1x"], "invalid size '1x' for --size"),
    (["bench", "push", "--size", "-5"], "invalid size '-5' for --size"),
    (["bench", "reqrep", "--clients", "0"], "--clients must be at least 1, not 0"),
    (["bench", "pubsub", "--subscribers", "abc"], "invalid number 'abc' for --subscribers"),
    (["bench", "push", "--role", "both"], "invalid role 'both'"),
    (["bench", "push", "--role", "sender"], "--role needs an ipc:// or tcp:// URL"),
    (["bench", "push", "nonsense"], "invalid URL 'nonsense'"),
    (["bench", "push", "foo://x"], "unknown URL scheme 'foo'"),
    (["bench", "push", "--subscribers", "2"], "--subscribers applies to pubsub only"),
    (["bench", "push", "--clients", "2"], "--clients applies to reqrep only"),
    (["bench", "push", U, "--dial", "tcp://127.0.0.1:2"], "bench takes one URL"),
    (["bench", "push", "--interval", "1s"], "option '--interval' is not valid with 'bench'"),
    # These were accepted and ignored by bench before (exit 0 after a full run).
    (["bench", "push", "--recv-maxsz", "1x"], "invalid size '1x' for --recv-maxsz"),
    (["bench", "push", "--cacert", "/nonexistent/ca.pem"], "cannot read /nonexistent/ca.pem for --cacert"),
    (["bench", "push", "--key", "/etc/hostname"], "--key needs --cert"),
    (["bench", "push", "-v", "-q"], "--verbose and --quiet contradict each other"),
]


@pytest.mark.parametrize("args,fragment", BAD_OPTIONS, ids=[" ".join(a)[:60] for a, _ in BAD_OPTIONS])
def test_wrong_option_value_is_one_line_exit_2(ours, args, fragment):
    start = time.time()
    r = run([ours, *args], input=b"", timeout=10)
    assert time.time() - start < 5
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert r.stdout == b""
    assert r.stderr.startswith(b"nngcat: ") and r.stderr.count(b"\n") == 1, r.stderr
    assert fragment.encode() in r.stderr, r.stderr


def test_unreadable_file_is_exit_2(ours, tmpdir_short):
    """A file that exists but cannot be read (mode 000): as an unprivileged user, since root reads anything."""
    path = os.path.join(tmpdir_short, "secret")
    with open(path, "wb") as f:
        f.write(b"x")
    os.chmod(path, 0)
    os.chmod(tmpdir_short, 0o755)
    args = [ours, "send", U, "--file", path]
    if os.geteuid() == 0:
        if not os.access(ours, os.X_OK) or subprocess.run(["setpriv", "--reuid", "65534", "--regid", "65534",
                                                           "--clear-groups", ours, "--version"],
                                                          capture_output=True).returncode != 0:
            pytest.skip("running as root and the binary cannot be run as nobody")
        args = ["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", *args]
    r = run(args, timeout=10)
    assert r.returncode == 2, r.stderr
    assert r.stderr == f"nngcat: cannot read {path} for --file: Permission denied\n".encode()


# --- malformed --input records: line-numbered, one line, what came before delivered

MALFORMED = [
    ("hex", b"6869", b"6g", "stdin line 2: invalid hex character 'g' at offset 1"),
    ("hex", b"6869", b"686", "stdin line 2: invalid hex: odd number of digits"),
    ("hex", b"6869", b'"\\x4"', "stdin line 2: invalid quoted string: \\x needs two hex digits"),
    ("base64", b"aGk=", b"a$b=", "stdin line 2: invalid base64"),
    ("base64", b"aGk=", b"a", "stdin line 2: invalid base64: wrong length"),
    ("base64", b"aGk=", b"aGk=x", "stdin line 2: invalid base64: data after padding"),
    ("quoted", b'"hi"', b'"unterminated', "stdin line 2: invalid quoted string: must start and end with '\"'"),
    ("quoted", b'"hi"', b'"bad \\q escape"', "stdin line 2: invalid quoted string: unknown escape '\\q'"),
    ("quoted", b'"hi"', b'"a"b"', "stdin line 2: invalid quoted string: unescaped '\"'"),
    ("json", b'{"data":"hi"}', b'{"data": 5', "stdin line 2: invalid JSON"),
    ("json", b'{"data":"hi"}', b"[1,2]", "stdin line 2: invalid JSON: expected '{' at offset 0"),
    ("json", b'{"data":"hi"}', b"{}", "stdin line 2: JSON record has no data or base64 field"),
    ("json", b'{"data":"hi"}', b'{"base64":"!!"}', "stdin line 2: "),
]


@pytest.mark.parametrize("fmt,good,bad,message", MALFORMED, ids=[f"{m[0]}-{i}" for i, m in enumerate(MALFORMED)])
def test_malformed_input_record_is_line_numbered(ours, ipc_url, fmt, good, bad, message):
    listener = subprocess.Popen([ours, "listen", ipc_url, "--count", "1", "--recv-timeout", "5s"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_listening(ipc_url)
        r = run([ours, "send", ipc_url, "--input", fmt], input=good + b"\n" + bad + b"\n" + good + b"\n", timeout=15)
        assert r.returncode == 1, r.stderr
        assert r.stderr.startswith(b"nngcat: " + message.encode()), r.stderr
        assert r.stderr.count(b"\n") == 1, r.stderr
        out, err = listener.communicate(timeout=10)
        assert (listener.returncode, out) == (0, b"hi\n"), err  # the record before the bad one went out
    finally:
        if listener.poll() is None:
            listener.kill()
            listener.wait()


def test_malformed_record_number_with_null_separator(ours, ipc_url):
    listener = subprocess.Popen([ours, "listen", ipc_url, "--count", "1", "--recv-timeout", "5s"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_listening(ipc_url)
        r = run([ours, "send", ipc_url, "-0", "--input", "hex"], input=b"6869\x006a\nzz\x0062", timeout=15)
        assert r.returncode == 1
        assert r.stderr.startswith(b"nngcat: stdin line 2: invalid hex"), r.stderr
        out, _ = listener.communicate(timeout=10)
        assert (listener.returncode, out) == (0, b"hi\n")
    finally:
        if listener.poll() is None:
            listener.kill()
            listener.wait()


# --- a peer sending messages over --recv-maxsz ---------------------------------

@pytest.mark.parametrize("transport", ["ipc", "tcp"])
def test_oversized_messages_do_not_crash_or_hang_the_receiver(ours, ipc_url, tcp_url, tmpdir_short, transport):
    """Each oversized message costs its sender the connection (NNG's rule) and is dropped;
    the receiver keeps going, takes the next sender's messages, and -v says what happens."""
    url = ipc_url if transport == "ipc" else tcp_url
    big = os.path.join(tmpdir_short, "big")
    with open(big, "wb") as f:
        f.write(b"B" * (1 << 20))
    listener = subprocess.Popen([ours, "listen", url, "-v", "--recv-maxsz", "64k", "--count", "3", "--recv-timeout", "10s"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_listening(url)
        assert run([ours, "send", url, "--data", "small1"]).returncode == 0
        for _ in range(3):
            # 1 MiB against a 64 KiB limit: whatever send reports, it must end in time.
            r = run([ours, "send", url, "--file", big, "--linger", "2s"], timeout=20)
            assert r.returncode in (0, 1), r.stderr
        r = run([ours, "send", url, "--data", "x" * 65536])  # exactly the limit is fine
        assert r.returncode == 0, r.stderr
        assert run([ours, "send", url, "--data", "small2"]).returncode == 0
        out, err = listener.communicate(timeout=20)
    finally:
        if listener.poll() is None:
            listener.kill()
            listener.wait()
    assert listener.returncode == 0, err
    # Separate senders are separate connections, fair-queued: no order between them.
    assert sorted(out.splitlines()) == sorted([b"small1", b"x" * 65536, b"small2"])
    assert b"messages over 65536 bytes are refused (--recv-maxsz): their sender is disconnected" in err, err
    assert b"that message was dropped" in err, err
