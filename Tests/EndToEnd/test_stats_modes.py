"""--stats and --check-seq beyond listen's print loop (issue 15): listen
--rep/--respondent answering, listen --exec --jobs N, and proxy counting each
direction. Stats lines and JSON objects are parsed from stderr and their
counts checked against what real peers (pynng, the C nngcat) sent; no timing
is asserted. Every wait is bounded."""
import json
import signal
import subprocess
import time

import pynng

from conftest import run, wait_for_ipc, wait_listening
from test_pacing_stats import fields, stats_lines

TIMEOUT_MS = 5000


def json_lines(err):
    return [json.loads(line) for line in err.decode().splitlines() if line.startswith("{")]


def wait_pipes(sock, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not sock.pipes:
        assert time.monotonic() < deadline, "the peer never connected"
        time.sleep(0.02)


# --- listen --rep / --respondent ----------------------------------------------

def test_rep_counts_requests_and_replies_and_checks_their_numbers(ours, ipc_url, background):
    server = background([ours, "listen", "--rep", ipc_url, "--echo", "--stats=100ms", "--check-seq", "--count", "6"])
    wait_listening(ipc_url)
    bodies = [b"1 a", b"2 b", b"4 d", b"5 e", b"5 e", b"6 f"]  # 3 is missing, 5 comes twice
    with pynng.Req0(dial=ipc_url, recv_timeout=TIMEOUT_MS, send_timeout=TIMEOUT_MS) as req:
        for body in bodies:
            req.send(body)
            assert req.recv() == body
    status, out, err = server.finish()
    assert status == 0, err
    assert out == b"".join(b + b"\n" for b in bodies)
    lines = stats_lines(err)
    assert lines[-1].startswith("nngcat: stats summary ")
    summary = fields(lines[-1])
    assert (summary["msgs"], summary["bytes"]) == ("6", "18")
    assert (summary["replies_msgs"], summary["replies_bytes"]) == ("6", "18")
    assert (summary["gaps"], summary["missing"], summary["dups"], summary["reordered"]) == ("1", "1", "1", "0")
    intervals = [fields(l) for l in lines[:-1]]  # as many as the run's length allowed, maybe none
    assert sum(int(i["msgs"]) for i in intervals) == (int(intervals[-1]["total_msgs"]) if intervals else 0) <= 6
    assert all(int(i["replies_msgs"]) <= 6 for i in intervals)
    peers = [l for l in err.decode().splitlines() if l.startswith("nngcat: stats peer=")]
    assert peers and "gaps=1 missing=1 dups=1 reordered=0" in peers[-1]


def test_rep_with_several_contexts_counts_every_request_from_the_c_nngcat(ours, ipc_url, background, c_nngcat):
    server = background([ours, "listen", "--rep", ipc_url, "--reply", "pong", "--jobs", "3", "--count", "4",
                         "--stats", "--stats-format", "json"])
    wait_listening(ipc_url)
    for _ in range(4):
        asked = run([c_nngcat, "--req0", "--dial", ipc_url, "--data", "ping", "--ascii", "--recv-timeout", "5"])
        assert asked.stdout == b"pong", asked.stderr
    status, out, err = server.finish()
    assert status == 0, err
    assert out == b"ping\n" * 4
    summary = json_lines(err)[-1]
    assert summary["type"] == "summary"
    assert (summary["messages"], summary["bytes"]) == (4, 16)
    assert (summary["replies"]["messages"], summary["replies"]["bytes"]) == (4, 16)


def test_respondent_counts_surveys_and_responses_in_json(ours, ipc_url):
    with pynng.Surveyor0(listen=ipc_url, recv_timeout=TIMEOUT_MS, send_timeout=TIMEOUT_MS, survey_time=TIMEOUT_MS) as surveyor:
        respondent = subprocess.Popen([ours, "listen", "--respondent", ipc_url, "--reply", "here!", "--count", "3",
                                       "--stats=100ms", "--stats-format", "json", "--check-seq"],
                                      stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            wait_pipes(surveyor)
            for n in (1, 2, 3):
                surveyor.send(b"%d?" % n)
                assert surveyor.recv() == b"here!"
            out, err = respondent.communicate(timeout=20)
        finally:
            if respondent.poll() is None:
                respondent.kill()
                respondent.communicate(timeout=5)
    assert respondent.returncode == 0, err
    assert out == b"1?\n2?\n3?\n"
    objects = json_lines(err)
    summary = objects[-1]
    assert summary["type"] == "summary"
    assert (summary["messages"], summary["bytes"]) == (3, 6)
    assert (summary["replies"]["messages"], summary["replies"]["bytes"]) == (3, 15)
    assert summary["seq"]["gaps"] == 0 and summary["seq"]["duplicates"] == 0
    assert all(o["type"] == "interval" for o in objects[:-1])


# --- listen --exec --jobs N -----------------------------------------------------

def test_exec_workers_count_every_message_and_check_arrival_order(ours, ipc_url, background):
    listener = background([ours, "listen", ipc_url, "--exec", "cat", "--jobs", "3", "--count", "199",
                           "--check-seq", "--stats=100ms", "--stats-format", "json"])
    wait_listening(ipc_url)
    numbers = [n for n in range(1, 201) if n != 50]  # one gap, nothing out of order
    with pynng.Push0(dial=ipc_url, send_timeout=TIMEOUT_MS) as push:
        for n in numbers:
            push.send(b"%03d\n" % n)
        status, out, err = listener.finish()
    assert status == 0, err
    assert sorted(out.split()) == [b"%03d" % n for n in numbers]
    summary = json_lines(err)[-1]
    assert (summary["messages"], summary["bytes"]) == (199, 796)
    seq = summary["seq"]
    assert (seq["gaps"], seq["missing"], seq["duplicates"], seq["reordered"]) == (1, 1, 0, 0)
    intervals = [o for o in json_lines(err) if o["type"] == "interval"]
    assert sum(o["messages"] for o in intervals) == (intervals[-1]["total_messages"] if intervals else 0)


# --- proxy ------------------------------------------------------------------------

def start_proxy(ours, *args, wait_for=()):
    proc = subprocess.Popen([ours, "proxy", *args], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for url in wait_for:
        wait_for_ipc(url)
    return proc


def stop_proxy(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)
    return proc.returncode, out, err


def test_proxy_stats_json_counts_the_pipeline_direction(ours, tmpdir_short):
    inside, outside = f"ipc://{tmpdir_short}/in", f"ipc://{tmpdir_short}/out"
    proc = start_proxy(ours, "pipeline", inside, outside, "--stats=100ms", "--stats-format", "json", wait_for=(inside, outside))
    try:
        with pynng.Pull0(dial=outside, recv_timeout=TIMEOUT_MS) as pull, \
                pynng.Push0(dial=inside, send_timeout=TIMEOUT_MS) as push:
            wait_pipes(pull)
            wait_pipes(push)
            for i in range(50):
                push.send(b"message %02d" % i)  # 10 bytes
            assert [pull.recv() for _ in range(50)] == [b"message %02d" % i for i in range(50)]
            time.sleep(0.25)  # an interval line after the last message
            status, out, err = stop_proxy(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=5)
    assert status == 130, err
    assert out == b""
    objects = json_lines(err)
    summary = objects[-1]
    assert summary["type"] == "summary"
    assert (summary["messages"], summary["bytes"]) == (50, 500)
    assert (summary["in_out"]["messages"], summary["in_out"]["bytes"]) == (50, 500)
    assert "out_in" not in summary  # a pipeline goes one way
    intervals = objects[:-1]
    assert intervals and all(o["type"] == "interval" for o in intervals)
    assert sum(o["in_out"]["messages"] for o in intervals) == intervals[-1]["in_out"]["total_messages"] == 50


def test_proxy_stats_text_counts_both_reqrep_directions_with_the_c_nngcat(ours, tmpdir_short, c_nngcat):
    inside, outside = f"ipc://{tmpdir_short}/in", f"ipc://{tmpdir_short}/out"
    proc = start_proxy(ours, "reqrep", "--in", inside, "--out", outside, "--stats", wait_for=(inside, outside))
    replier = subprocess.Popen([c_nngcat, "--rep0", "--dial", outside, "--data", "pong!"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.3)
        for _ in range(3):
            asked = run([c_nngcat, "--req0", "--dial", inside, "--data", "ping", "--ascii", "--recv-timeout", "5"])
            assert asked.stdout == b"pong!", asked.stderr
        status, _, err = stop_proxy(proc)
    finally:
        replier.kill()
        replier.wait(timeout=5)
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=5)
    assert status == 130, err
    summary = fields(stats_lines(err)[-1])
    assert stats_lines(err)[-1].startswith("nngcat: stats summary ")
    assert (summary["in_out_msgs"], summary["in_out_bytes"]) == ("3", "12")
    assert (summary["out_in_msgs"], summary["out_in_bytes"]) == ("3", "15")
    assert (summary["msgs"], summary["bytes"]) == ("6", "27")


def test_proxy_rejects_an_unknown_stats_format(ours, tmpdir_short):
    result = run([ours, "proxy", "pipeline", f"ipc://{tmpdir_short}/in", f"ipc://{tmpdir_short}/out",
                  "--stats-format", "xml"])
    assert result.returncode == 2
    assert result.stderr == b"nngcat: unknown stats format 'xml' for --stats-format (known: text, json)\n"
