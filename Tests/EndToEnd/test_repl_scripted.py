"""`nngcat repl` with stdin that is not a terminal: lines are read as a script,
without prompts or readline; errors are one line each, the session goes on,
and any error makes the exit status 1 at the end."""
import os
import subprocess
import threading
import time

import pynng
import pytest

from conftest import run, wait_listening


def repl(ours, script, *args, timeout=15, env=None):
    return run([ours, "repl", *args], input=script.encode(), timeout=timeout, env=env)


def test_push_to_pull_peer(ours, ipc_url):
    with pynng.Pull0(listen=ipc_url, recv_timeout=5000) as pull:
        result = repl(ours, f".dial {ipc_url}\nhello\n.send .starts with a dot\n.hex 41 42 0a\n.quit\n", "--push")
        assert result.returncode == 0, result.stderr
        assert result.stdout == b""  # no prompts, no echo
        assert [pull.recv(), pull.recv(), pull.recv()] == [b"hello", b".starts with a dot", b"AB\n"]


def test_file_is_sent_whole(ours, ipc_url, tmpdir_short):
    path = os.path.join(tmpdir_short, "body.bin")
    body = bytes(range(256)) * 4
    with open(path, "wb") as f:
        f.write(body)
    with pynng.Pull0(listen=ipc_url, recv_timeout=5000) as pull:
        result = repl(ours, f".file {path}\n", "--push", "--dial", ipc_url)
        assert result.returncode == 0, result.stderr
        assert pull.recv() == body


def test_req_against_our_rep(ours, background, tcp_url):
    server = background([ours, "listen", "--rep", tcp_url, "--echo"])
    wait_listening(tcp_url)
    result = repl(ours, "ping\n.send .dot\n.format hex\nx\n", "--req", tcp_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout == b'ping\n.dot\n"\\x78"\n'
    server.kill()


def test_req_against_c_nngcat_rep(ours, c_nngcat, background, tcp_url):
    background([c_nngcat, "--rep", "--listen", tcp_url, "--data", "pong"])
    wait_listening(tcp_url)
    result = repl(ours, "one\ntwo\nthree\n", "--req", tcp_url)
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"pong\npong\npong\n"


def test_req_without_reply_times_out_and_goes_on(ours, ipc_url):
    with pynng.Rep0(listen=ipc_url):  # receives, never answers
        started = time.monotonic()
        result = repl(ours, "ping\n.status\n", "--req", ipc_url, "--recv-timeout", "300ms")
    assert time.monotonic() - started < 5
    assert result.returncode == 1
    assert b"no reply within 300ms" in result.stderr
    assert b"messages: 0 in, 1 out" in result.stdout  # the session went on


def test_sub_receives(ours, ipc_url):
    with pynng.Pub0(listen=ipc_url) as pub:
        proc = subprocess.Popen([ours, "repl", "--sub", ipc_url], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            proc.stdin.write(b".sub news\n")
            proc.stdin.flush()
            lines = []

            def reader():
                lines.append(proc.stdout.readline())

            thread = threading.Thread(target=reader, daemon=True)
            thread.start()
            deadline = time.monotonic() + 5
            while thread.is_alive() and time.monotonic() < deadline:
                pub.send(b"sports: skipped")
                pub.send(b"news: hello")
                time.sleep(0.05)
            thread.join(0.1)
            assert lines == [b"news: hello\n"]
            out, err = proc.communicate(b".unsub news\n.status\n", timeout=10)
            assert proc.returncode == 0, err
            assert b"subscriptions: none" in out
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()


def test_errors_make_exit_status_one_but_session_goes_on(ours, ipc_url):
    with pynng.Pull0(listen=ipc_url, recv_timeout=5000) as pull:
        result = repl(ours, f".dial nope://x\n.dial {ipc_url}\nafter the error\n", "--push")
        assert result.returncode == 1
        assert result.stderr.count(b"\n") == 1
        assert b"unknown URL scheme 'nope'" in result.stderr
        assert pull.recv() == b"after the error"


def test_unknown_command_suggests(ours):
    result = repl(ours, ".dail tcp://127.0.0.1:1\n.status\n", "--push")
    assert result.returncode == 1
    assert result.stderr == b"nngcat: unknown command '.dail' (did you mean '.dial'?); type .help for the list, or .send TEXT to send a line that starts with a dot\n"
    assert b"protocol: push (push0)" in result.stdout


def test_sub_cannot_send_and_says_so(ours):
    result = repl(ours, "hello\n", "--sub")
    assert result.returncode == 1
    assert b"sub cannot send: use .sub TOPIC" in result.stderr


def test_send_timeout_without_peer(ours, ipc_url):
    started = time.monotonic()
    result = repl(ours, f".listen {ipc_url}\n.timeout 200ms\nnobody hears this\n.status\n", "--push")
    assert time.monotonic() - started < 5
    assert result.returncode == 1
    assert b"send timed out after 200ms" in result.stderr
    assert b"messages: 0 in, 0 out" in result.stdout


def test_proto_reopens_socket_with_endpoints(ours, ipc_url):
    with pynng.Rep0(listen=ipc_url, recv_timeout=5000) as rep:
        def answer():
            rep.send(b"re:" + rep.recv())
        thread = threading.Thread(target=answer, daemon=True)
        thread.start()
        result = repl(ours, f".dial {ipc_url}\n.proto req\n.status\nq\n", "--push")
        thread.join(5)
    assert result.returncode == 0, result.stderr
    assert b"protocol: req (req0)" in result.stdout
    assert b"dial   " + ipc_url.encode() in result.stdout
    assert result.stdout.endswith(b"re:q\n")


def test_help_lists_every_command(ours):
    result = repl(ours, ".help\n.help dial\n.help .nope\n", "--push")
    assert result.returncode == 1
    for name in ["dial", "listen", "close", "proto", "sub", "unsub", "format", "send", "hex", "file",
                 "set", "timeout", "status", "help", "quit"]:
        assert f"  .{name}".encode() in result.stdout
    assert b".dial URL: connect to URL" in result.stdout
    assert b"no command '.nope'" in result.stderr


def test_set_option_and_bad_value(ours):
    result = repl(ours, ".set recv-size-max 64k\n.set reconnect-time-min 250ms\n.set tcp-nodelay maybe\n", "--pull", "--verbose")
    assert result.returncode == 1
    assert b"recv-size-max = 65536" in result.stderr
    assert b"reconnect-time-min = 250" in result.stderr
    assert b"invalid value 'maybe' for tcp-nodelay" in result.stderr


def test_end_of_input_quits_after_pending_reply(ours, ipc_url):
    with pynng.Rep0(listen=ipc_url, recv_timeout=5000) as rep:
        def answer():
            request = rep.recv()
            time.sleep(0.3)  # the script has already ended: the reply must still be awaited
            rep.send(request.upper())
        thread = threading.Thread(target=answer, daemon=True)
        thread.start()
        result = repl(ours, "slow\n", "--req", ipc_url)
        thread.join(5)
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"SLOW\n"


def test_usage_errors_exit_two(ours):
    assert run([ours, "repl", "tcp://127.0.0.1:1", "tcp://127.0.0.1:2"], input=b"").returncode == 2
    assert run([ours, "repl", "--data", "x"], input=b"").returncode == 2
    assert run([ours, "repl", "--push", "--survey-time", "1s"], input=b"").returncode == 2
