"""Legacy mode: count, delay, interval, timeouts, recv-maxsz, --file -, --async,
the address shortcuts and value syntaxes, against the C nngcat; then one test
per deliberate improvement."""
import os
import subprocess
import time

import pytest

from conftest import Background, free_port, run, wait_listening
from legacy_support import exchange

C = "/usr/bin/nngcat"


def receive_from(sender_tool, sender_args, url, receiver_args=("--count", "1"), sender_input=None):
    """A C puller listening on `url` receives what `sender_tool` sends; returns (rx_rc, rx_out, tx_rc, tx_out)."""
    return exchange([C, "--pull", "--listen", url, "--recv-timeout", "5", "--raw"] + list(receiver_args),
                    [sender_tool] + sender_args + ["--dial", url], url, sender_input=sender_input)


@pytest.mark.parametrize("args", [
    ["--data=v1"], ["--data:v2"], ["-Dv3"], ["-D", "v4"], ["-D=v5"], ["-D:v6"], ["--dat", "v7"], ["--da=v8"],
    ["--push0", "--data", "v9"], ["--push", "--data", "v10"], ["--pus", "--data", "v11"],
], ids=lambda a: " ".join(a))
def test_value_syntaxes_and_prefixes(ours, args):
    if not any(a.startswith("--pus") for a in args):
        args = ["--push"] + args
    outcomes = []
    for tool in (C, ours):
        outcomes.append(receive_from(tool, args, f"tcp://127.0.0.1:{free_port()}"))
    assert outcomes[0] == outcomes[1] and outcomes[0][1]


def test_count_sends_that_many(ours):
    outcomes = [receive_from(tool, ["--push", "-D", "m", "--count", "3"], f"tcp://127.0.0.1:{free_port()}",
                             receiver_args=("--count", "3")) for tool in (C, ours)]
    assert outcomes[0] == outcomes[1] == (0, b"mmm", 0, b"")


def test_interval_and_delay(ours):
    url = f"tcp://127.0.0.1:{free_port()}"
    started = time.monotonic()
    got = receive_from(ours, ["--push", "-D", "t", "--count", "2", "--interval", "1", "--delay", "1"], url,
                       receiver_args=("--count", "2"))
    elapsed = time.monotonic() - started
    assert got == (0, b"tt", 0, b"")
    assert 1.9 <= elapsed < 4.5


def test_req_interval_with_count_matches_c(ours):
    outcomes = []
    for tool in (C, ours):
        url = f"tcp://127.0.0.1:{free_port()}"
        outcomes.append(exchange([C, "--rep", "--listen", url, "-D", "r", "--count", "2", "--raw"],
                                 [tool, "--req", "--dial", url, "-D", "q", "--interval", "1", "--count", "2", "--raw"], url))
    assert outcomes[0] == outcomes[1] == (0, b"qq", 0, b"rr")


def test_receive_timeout_ends_with_zero(c_nngcat, ours, tmpdir_short):
    for tool in (c_nngcat, ours):
        started = time.monotonic()
        r = run([tool, "--pull", "--listen", f"ipc://{tmpdir_short}/{os.path.basename(tool)}", "--recv-timeout", "1", "--raw"])
        assert (r.returncode, r.stdout, r.stderr) == (0, b"", b"")
        assert 0.9 <= time.monotonic() - started < 3


def test_send_timeout_matches_c(c_nngcat, ours, tmpdir_short):
    results = [run([tool, "--push", "--async", "--dial", f"ipc://{tmpdir_short}/none", "-D", "x", "--send-timeout", "1"])
               for tool in (c_nngcat, ours)]
    assert [(r.returncode, r.stderr) for r in results] == [(1, b"Send error: Timed out\n")] * 2


def test_rep_with_data_times_out_as_an_error_like_c(c_nngcat, ours, tmpdir_short):
    results = [run([tool, "--rep", "--listen", f"ipc://{tmpdir_short}/r{i}", "-D", "x", "--recv-timeout", "1"])
               for i, tool in enumerate((c_nngcat, ours))]
    assert [(r.returncode, r.stderr) for r in results] == [(1, b"Receive error: Timed out\n")] * 2


def test_recv_maxsz_drops_oversized(ours):
    outcomes = []
    for tool in (C, ours):
        url = f"tcp://127.0.0.1:{free_port()}"
        rx = Background([tool, "--pull", "--listen", url, "-Z", "100", "--recv-timeout", "2", "--raw"])
        try:
            wait_listening(url)
            assert run([C, "--push", "--dial", url, "-D", "B" * 1000]).returncode == 0
            assert run([C, "--push", "--dial", url, "-D", "small"]).returncode == 0
            outcomes.append(rx.finish()[:2])
        finally:
            rx.kill()
    assert outcomes[0] == outcomes[1] == (0, b"small")


def test_file_from_stdin_pipe(ours):
    body = bytes(range(256)) * 3
    outcomes = [receive_from(tool, ["--push", "--file", "-"], f"tcp://127.0.0.1:{free_port()}", sender_input=body)
                for tool in (C, ours)]
    assert outcomes[0] == outcomes[1] and outcomes[0][1] == body


def test_async_dial_before_listener(ours):
    outcomes = []
    for tool in (C, ours):
        url = f"tcp://127.0.0.1:{free_port()}"
        rx = Background([tool, "--pull", "--dial", url, "--async", "--count", "1", "--recv-timeout", "5", "--raw"])
        try:
            time.sleep(0.2)
            tx = run([C, "--push", "--listen", url, "-D", "late"])
            outcomes.append((rx.finish()[:2], tx.returncode))
        finally:
            rx.kill()
    assert outcomes[0] == outcomes[1] == ((0, b"late"), 0)


@pytest.mark.parametrize("ours_listens", [True, False])
def test_local_and_ipc_shortcuts(ours, tmpdir_short, ours_listens):
    port = str(free_port())
    path = tmpdir_short.lstrip("/") + ("/a" if ours_listens else "/b")  # -X PATH means ipc:///PATH
    for listen, dial, url in ((["-L", port], ["-l", port], f"tcp://127.0.0.1:{port}"),
                              (["--bind-ipc", path], ["-x", path], f"ipc:///{path}")):
        receiver, sender = (ours, C) if ours_listens else (C, ours)
        got = exchange([receiver, "--pull", "--count", "1", "--recv-timeout", "5", "--raw"] + listen,
                       [sender, "--push", "-D", "short"] + dial, url)
        assert got == (0, b"short", 0, b"")


# ---- Deliberate improvements, one test each ----

def test_improvement_pair_works(ours, c_nngcat):
    url = f"tcp://127.0.0.1:{free_port()}"
    assert run([c_nngcat, "--pair", "--dial", url]).stderr == b"No protocol specified.\n"
    got = exchange([ours, "--pair", "--listen", url, "--count", "1", "--recv-timeout", "5", "--raw"],
                   [C, "--pair1", "--dial", url, "-D", "one", "--recv-timeout", "1"], url)
    assert got == (0, b"one", 0, b"")
    url = f"tcp://127.0.0.1:{free_port()}"
    got = exchange([ours, "--pair", "--compat", "--listen", url, "--recv-timeout", "2", "--raw"],
                   [C, "--pair0", "--dial", url, "-D", "zero", "--recv-timeout", "1"], url)
    assert got == (0, b"zero", 0, b"")


def test_improvement_count_without_interval(ours):
    url = f"tcp://127.0.0.1:{free_port()}"
    got = exchange([C, "--rep", "--listen", url, "-D", "r", "--count", "3", "--raw"],
                   [ours, "--req", "--dial", url, "-D", "q", "--count", "3", "--raw"], url)
    assert got == (0, b"qqq", 0, b"rrr")
    url = f"tcp://127.0.0.1:{free_port()}"
    got = exchange([C, "--pair1", "--listen", url, "--count", "2", "--recv-timeout", "5", "--raw"],
                   [ours, "--pair1", "--dial", url, "-D", "p", "--count", "2", "--recv-timeout", "1"], url)
    assert got == (0, b"pp", 0, b"")


def test_improvement_verbose_goes_to_stderr(c_nngcat, ours, tmpdir_short):
    c = run([c_nngcat, "-v", "--pull", "--listen", f"ipc://{tmpdir_short}/c", "--recv-timeout", "1"])
    o = run([ours, "-v", "--pull", "--listen", f"ipc://{tmpdir_short}/o", "--recv-timeout", "1"])
    assert c.stdout == f"Listening at: ipc://{tmpdir_short}/c\n".encode()
    assert o.stdout == b"" and o.stderr == f"Listening at: ipc://{tmpdir_short}/o\n".encode()
    assert o.returncode == c.returncode == 0


def test_improvement_closed_stdout_ends_at_once(ours, tmpdir_short):
    read_end, write_end = os.pipe()
    proc = subprocess.Popen([ours, "--pull", "--listen", f"ipc://{tmpdir_short}/s", "--raw"],
                            stdout=write_end, stderr=subprocess.PIPE)
    os.close(write_end)
    try:
        wait_listening(f"ipc://{tmpdir_short}/s")
        os.close(read_end)  # the reader goes away while no message is arriving
        assert proc.wait(timeout=3) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)


def test_improvement_failed_stdout_write_is_an_error(c_nngcat, ours):
    outcomes = []
    for tool in (c_nngcat, ours):
        url = f"tcp://127.0.0.1:{free_port()}"
        with open("/dev/full", "wb") as full:
            rx = subprocess.Popen([tool, "--pull", "--listen", url, "--count", "1", "--recv-timeout", "5", "--raw"],
                                  stdout=full, stderr=subprocess.PIPE)
        try:
            wait_listening(url)
            run([C, "--push", "--dial", url, "-D", "lost"])
            _, err = rx.communicate(timeout=10)
            outcomes.append((rx.returncode, err))
        finally:
            if rx.poll() is None:
                rx.kill()
                rx.wait(timeout=5)
    assert outcomes[0] == (0, b"")  # the C tool ignores the failure
    assert outcomes[1][0] == 1 and b"No space left on device" in outcomes[1][1]


def test_improvement_no_fixed_sleep_and_nothing_lost(ours, tmpdir_short):
    big = os.path.join(tmpdir_short, "big.bin")
    body = os.urandom(8 << 20)
    with open(big, "wb") as f:
        f.write(body)
    for tool, expect_fast in ((C, False), (ours, True)):
        url = f"tcp://127.0.0.1:{free_port()}"
        rx = Background([C, "--pull", "--listen", url, "--count", "2", "--recv-timeout", "10", "--raw"])
        try:
            wait_listening(url)
            started = time.monotonic()
            small = run([tool, "--push", "--dial", url, "-D", "x"])
            one_shot = time.monotonic() - started
            assert small.returncode == 0
            assert run([tool, "--push", "--dial", url, "--file", big]).returncode == 0
            rc, out, _ = rx.finish()
            assert (rc, out) == (0, b"x" + body)
            if expect_fast:
                assert one_shot < 0.15  # the C tool always sleeps 200 ms
            else:
                assert one_shot >= 0.2
        finally:
            rx.kill()
