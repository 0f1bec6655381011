"""Exit statuses and one-line errors that scripts rely on."""
import time

import pytest

from conftest import free_port, run, wait_listening


def test_no_arguments_is_usage(ours):
    r = run([ours])
    assert r.returncode == 2 and b"usage: nngcat send" in r.stderr


def test_help_and_version(ours, nng_version):
    for args in (["--help"], ["send", "--help"], ["listen", "-h"], ["repl", "--help"], ["bench", "--help"]):
        r = run([ours, *args])
        assert r.returncode == 0 and r.stdout.startswith((b"nngcat", b"Usage")), args
    r = run([ours, "--version"])
    # The library it names is the one it loaded, whichever release that is.
    assert r.returncode == 0 and r.stdout.startswith(b"nngcat ") and f"(NNG {nng_version})".encode() in r.stdout


def test_dial_refused(ours):
    port = free_port()
    r = run([ours, "send", f"tcp://127.0.0.1:{port}", "x"])
    assert r.returncode == 1
    assert r.stderr == f"nngcat: dial tcp://127.0.0.1:{port}: Connection refused\n".encode()


@pytest.mark.parametrize("args,needle", [
    (["send", "--subscibe", "x"], b"unknown option '--subscibe' (did you mean '--subscribe'?)"),
    (["send", "tcp://127.0.0.1:1", "--count", "-1"], b"invalid number '-1'"),
    (["listen", "tcp://127.0.0.1:1", "--recv-maxsz", "1x"], b"invalid size '1x'"),
    (["send", "nonsense", "x"], b"invalid URL 'nonsense'"),
    (["send", "foo://bar", "x"], b"unknown URL scheme 'foo'"),
    (["send", "tcp://127.0.0.1:1", "--file", "/nonexistent/x"], b"cannot read /nonexistent/x"),
    (["send", "tcp://127.0.0.1:1", "--cacert", "/nonexistent/ca"], b"cannot read /nonexistent/ca"),
    (["send", "--pub", "--req", "tcp://127.0.0.1:1"], b"choose one protocol"),
    (["listen", "--rep", "tcp://127.0.0.1:1"], b"give --reply TEXT, --echo or --exec CMD"),
    (["listen", "--pull", "--subscribe", "x", "tcp://127.0.0.1:1"], b"--subscribe works only with --sub"),
    (["send", "--interval", "soon", "tcp://127.0.0.1:1"], b"invalid duration 'soon'"),
    (["send"], b"no endpoint"),
    (["sned"], b"unknown command 'sned' (did you mean 'send'?)"),
    (["listen", "--format", "yaml", "tcp://127.0.0.1:1"], b"unknown format 'yaml'"),
    (["send", "--input", "yaml", "tcp://127.0.0.1:1"], b"unknown input format 'yaml'"),
])
def test_usage_errors_are_one_line_exit_2(ours, args, needle):
    r = run([ours, *args])
    assert r.returncode == 2, r.stderr
    assert needle in r.stderr
    assert r.stderr.count(b"\n") == 1 and r.stderr.startswith(b"nngcat: ")


def test_wait_for_peer_times_out_with_3(ours, ipc_url):
    start = time.time()
    r = run([ours, "send", "--listen", ipc_url, "x", "--connect-timeout", "300ms"])
    assert r.returncode == 3 and b"no peer connected" in r.stderr
    assert time.time() - start < 5


def test_listen_count_not_reached_is_3(ours):
    r = run([ours, "listen", f"tcp://127.0.0.1:{free_port()}", "--count", "2", "--recv-timeout", "200ms"])
    assert r.returncode == 3 and b"received 0 of 2" in r.stderr


def test_listen_idle_timeout_without_count_is_0(ours):
    r = run([ours, "listen", f"tcp://127.0.0.1:{free_port()}", "--recv-timeout", "200ms"])
    assert (r.returncode, r.stdout, r.stderr) == (0, b"", b"")


def test_req_without_reply_is_3(ours, background, c_nngcat, ipc_url):
    # A rep that never answers: the C nngcat as rep needs --data; use a pull socket path instead.
    background([ours, "listen", "--rep", ipc_url, "--exec", "sleep 5"])
    wait_listening(ipc_url)
    r = run([ours, "send", "--req", ipc_url, "x", "--recv-timeout", "300ms"])
    assert r.returncode == 3 and b"no reply within 300ms" in r.stderr


def test_bad_input_record_is_line_numbered(ours, background, ipc_url):
    listener = background([ours, "listen", ipc_url, "--count", "1"])
    wait_listening(ipc_url)
    r = run([ours, "send", ipc_url, "--input", "hex"], input=b"6869\nzz\n6a\n")
    assert r.returncode == 1
    assert r.stderr.startswith(b"nngcat: stdin line 2: invalid hex")
    assert listener.finish()[1] == b"hi\n"  # the record before the bad one was delivered


def test_sigterm_and_sigint(ours, background, ipc_url):
    import signal
    for sig, status in ((signal.SIGINT, 130), (signal.SIGTERM, 143)):
        listener = background([ours, "listen", ipc_url + str(status)])
        wait_listening(ipc_url + str(status))
        listener.proc.send_signal(sig)
        code, _, err = listener.finish(timeout=5)
        assert code == status and err == b""
