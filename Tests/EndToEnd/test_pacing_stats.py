"""send --rate/--duration/--pace recorded, --stats for send and listen,
listen --check-seq and the progress line, against real peers. Timing is
asserted loosely (±10%: a shared 2-core machine); counts exactly."""
import base64
import json
import os
import re
import shlex
import shutil
import subprocess
import time
from datetime import datetime

import pynng
import pytest

from conftest import run, wait_listening
from test_repl_terminal import Terminal

STATS = re.compile(r"^nngcat: stats (summary )?t=")


def stats_lines(err):
    return [line for line in err.decode().splitlines() if STATS.match(line)]


def fields(line):
    return dict(word.split("=", 1) for word in line.split() if "=" in word)


def times(recording):
    """Seconds of each record's time field, from listen --format json output."""
    return [datetime.strptime(json.loads(line)["time"], "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
            for line in recording.decode().splitlines()]


def test_rate_paces_in_order_within_ten_percent(ours, ipc_url, background):
    listener = background([ours, "listen", ipc_url, "--format", "json", "--count", "100"])
    wait_listening(ipc_url)
    lines = "".join(f"{i}\n" for i in range(1, 101)).encode()
    sent = run([ours, "send", ipc_url, "--rate", "50/s"], input=lines)
    assert sent.returncode == 0, sent.stderr
    status, out, _ = listener.finish()
    assert status == 0
    records = [json.loads(line) for line in out.decode().splitlines()]
    assert [r["data"] for r in records] == [str(i) for i in range(1, 101)]
    stamps = times(out)
    # 99 gaps of 20 ms: 1.98 s.
    assert 1.98 * 0.9 <= stamps[-1] - stamps[0] <= 1.98 * 1.1


def test_rate_and_interval_together_are_a_usage_error(ours, ipc_url):
    result = run([ours, "send", ipc_url, "--rate", "10", "--interval", "1", "x"])
    assert result.returncode == 2
    assert result.stderr == b"nngcat: choose one way to pace: --rate and --interval both given\n"


def test_stats_lines_count_exactly_on_both_sides(ours, ipc_url, background):
    listener = background([ours, "listen", ipc_url, "--count", "60", "--stats=200ms"])
    wait_listening(ipc_url)
    body = b"".join(b"message %02d\n" % i for i in range(60))  # 60 x 10 bytes
    sent = run([ours, "send", ipc_url, "--rate", "100/s", "--stats=200ms"], input=body)
    assert sent.returncode == 0, sent.stderr
    status, _, listen_err = listener.finish()
    assert status == 0
    for err in (sent.stderr, listen_err):
        lines = stats_lines(err)
        intervals, summary = lines[:-1], fields(lines[-1])
        assert lines[-1].startswith("nngcat: stats summary ")
        assert (summary["msgs"], summary["bytes"]) == ("60", "600")
        assert len(intervals) >= 2  # 0.6 s at a line every 0.2 s
        assert sum(int(fields(l)["msgs"]) for l in intervals) == int(fields(intervals[-1])["total_msgs"])
        assert all(int(fields(l)["bytes"]) == 10 * int(fields(l)["msgs"]) for l in intervals)
    # The sender's interval rate is 100/s ± 10% once it runs at full pace.
    rate = float(fields(stats_lines(sent.stderr)[1])["rate"].rstrip("/s"))
    assert 90 <= rate <= 110


def test_stats_json_and_round_trip_percentiles(ours, ipc_url, background):
    server = background([ours, "listen", "--rep", ipc_url, "--echo", "--count", "30"])
    wait_listening(ipc_url)
    sent = run([ours, "send", "--req", ipc_url, "--data", "ping", "--count", "30", "--stats-format", "json"])
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout == b"ping\n" * 30
    objects = [json.loads(line) for line in sent.stderr.decode().splitlines()]
    summary = objects[-1]
    assert summary["type"] == "summary"
    assert (summary["messages"], summary["bytes"]) == (30, 120)
    rtt = summary["rtt_us"]
    assert rtt["samples"] == 30
    assert 0 < rtt["p50"] <= rtt["p90"] <= rtt["p99"] <= rtt["max"]
    assert server.finish()[0] == 0


def test_stats_text_shows_round_trip_times_for_req(ours, ipc_url, background):
    background([ours, "listen", "--rep", ipc_url, "--echo", "--count", "5"])
    wait_listening(ipc_url)
    sent = run([ours, "send", "--req", ipc_url, "--data", "x", "--count", "5", "--stats"])
    summary = fields(stats_lines(sent.stderr)[-1])
    assert re.fullmatch(r"\d+(us|\.\d\dms)", summary["rtt_p50"]), summary
    assert set(summary) >= {"rtt_p90", "rtt_p99", "rtt_max"}


def record(ours, url, background, gaps, bodies):
    """A recording by listen --format json of `bodies` sent by pynng with `gaps` (seconds) before each."""
    listener = background([ours, "listen", url, "--format", "json", "--count", str(len(bodies))])
    wait_listening(url)
    with pynng.Push0(dial=url, send_timeout=5000) as push:
        for gap, body in zip(gaps, bodies):
            time.sleep(gap)
            push.send(body)
    status, out, err = listener.finish()
    assert status == 0, err
    return out


def test_replay_keeps_the_recorded_gaps_scaled_by_speed(ours, tmpdir_short, background):
    bodies = [b"first", b"\x00\xffbinary\x80", b"third", b"fourth", b"fifth"]
    recording = record(ours, f"ipc://{tmpdir_short}/rec", background, [0, 0.4, 0.2, 0.6, 0.3], bodies)
    replay_url = f"ipc://{tmpdir_short}/replay"
    arrivals = []
    with pynng.Pull0(listen=replay_url, recv_timeout=10000) as pull:
        sender = background([ours, "send", replay_url, "--input", "json", "--pace", "recorded", "--speed", "2"],
                            stdin=subprocess.PIPE)
        sender.proc.stdin.write(recording)
        sender.proc.stdin.close()
        sender.proc.stdin = None  # so that finish() does not flush it again
        for _ in bodies:
            arrivals.append((pull.recv(), time.monotonic()))
        status, _, err = sender.finish()
    assert status == 0, err
    assert [body for body, _ in arrivals] == bodies  # binary bodies byte for byte
    original, again = times(recording), [t for _, t in arrivals]
    span, replay_span = original[-1] - original[0], again[-1] - again[0]
    assert span / 2 * 0.9 <= replay_span <= span / 2 * 1.1, (span, replay_span)
    for (a, b), (c, d) in zip(zip(original, original[1:]), zip(again, again[1:])):
        assert abs((d - c) - (b - a) / 2) < 0.1  # each gap, within 100 ms


def test_replay_of_a_record_without_time_is_a_usage_error_after_the_earlier_ones(ours, ipc_url, background):
    listener = background([ours, "listen", ipc_url, "--count", "2"])
    wait_listening(ipc_url)
    stdin = (b'{"data":"a","time":"2026-01-01T00:00:00.000Z"}\n'
             b'{"data":"b","time":"2026-01-01T00:00:00.100Z"}\n'
             b'{"data":"c"}\n')
    sent = run([ours, "send", ipc_url, "--input", "json", "--pace", "recorded"], input=stdin)
    assert sent.returncode == 2
    assert sent.stderr == (b"nngcat: stdin line 3: no time field (--pace recorded needs one in every record,"
                           b" as 'listen --format json' writes)\n")
    assert listener.finish()[1] == b"a\nb\n"


def test_duration_ends_an_endless_send_and_exits_zero(ours, ipc_url, background):
    listener = background([ours, "listen", ipc_url])
    wait_listening(ipc_url)
    start = time.monotonic()
    sent = run([ours, "send", ipc_url, "--data", "x", "--count", "0", "--rate", "200/s", "--duration", "1s", "--stats"])
    elapsed = time.monotonic() - start
    assert sent.returncode == 0, sent.stderr
    assert 0.9 <= elapsed <= 1.6
    total = int(fields(stats_lines(sent.stderr)[-1])["msgs"])
    # At most 200 (due at 0, 5, …, 995 ms); fewer when a stall on this shared machine moved the schedule.
    assert 150 <= total <= 200
    time.sleep(0.3)
    listener.kill()
    assert listener.proc.returncode != 0  # killed: it was still listening


def test_duration_ends_a_send_waiting_on_stdin(ours, ipc_url, background):
    listener = background([ours, "listen", ipc_url, "--count", "1"])
    wait_listening(ipc_url)
    start = time.monotonic()
    read_end, write_end = os.pipe()
    sender = subprocess.Popen([ours, "send", ipc_url, "--duration", "800ms"], stdin=read_end,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(read_end)
    try:
        os.write(write_end, b"only one\n")  # and stdin stays open
        _, err = sender.communicate(timeout=10)
    finally:
        os.close(write_end)
        if sender.poll() is None:
            sender.kill()
    assert sender.returncode == 0, err
    assert 0.7 <= time.monotonic() - start <= 1.5
    assert listener.finish()[1] == b"only one\n"


def test_check_seq_counts_a_gap_and_a_duplicate(ours, ipc_url, background):
    listener = background([ours, "listen", ipc_url, "--check-seq", "--count", "6"])
    wait_listening(ipc_url)
    with pynng.Push0(dial=ipc_url, send_timeout=5000) as push:
        for body in [b"1 a", b"2 b", b"4 d", b"5 e", b"5 e", b"6 f"]:
            push.send(body)
        status, _, err = listener.finish()
    assert status == 0
    lines = stats_lines(err)
    summary = fields(lines[0])
    assert lines[0].startswith("nngcat: stats summary ")
    assert (summary["gaps"], summary["missing"], summary["dups"], summary["reordered"]) == ("1", "1", "1", "0")
    peers = [l for l in err.decode().splitlines() if l.startswith("nngcat: stats peer=")]
    assert len(peers) == 1 and "gaps=1 missing=1 dups=1 reordered=0" in peers[0]


def test_check_seq_sees_reordering_per_peer_in_json(ours, ipc_url, background):
    listener = background([ours, "listen", ipc_url, "--check-seq", "--stats-format", "json", "--count", "6"])
    wait_listening(ipc_url)
    with pynng.Push0(dial=ipc_url, send_timeout=5000) as one, pynng.Push0(dial=ipc_url, send_timeout=5000) as two:
        time.sleep(0.2)
        for body in [b"1", b"3", b"2"]:
            one.send(body)
        for body in [b"1", b"2", b"3"]:
            two.send(body)
        status, _, err = listener.finish()
    assert status == 0
    summary = json.loads(err.decode().splitlines()[-1])
    assert summary["seq"]["reordered"] == 1 and summary["seq"]["missing"] == 0
    assert sorted(p["reordered"] for p in summary["seq"]["peers"]) == [0, 1]


def test_no_progress_line_on_a_pipe_even_when_forced(ours, ipc_url, background, tmpdir_short):
    listener = background([ours, "listen", ipc_url, "--count", "20"])
    wait_listening(ipc_url)
    path = os.path.join(tmpdir_short, "input")
    with open(path, "wb") as f:
        f.write(b"line\n" * 20)
    with open(path, "rb") as stdin:
        sent = subprocess.run([ours, "send", ipc_url, "--progress", "--rate", "40/s"], stdin=stdin,
                              capture_output=True, timeout=20)
    assert sent.returncode == 0 and sent.stderr == b"" and sent.stdout == b""
    assert listener.finish()[0] == 0


needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def progress_run(ours, ipc_url, background, tmpdir_short, extra=(), env=None):
    listener = background([ours, "listen", ipc_url, "--count", "60"])
    wait_listening(ipc_url)
    path = os.path.join(tmpdir_short, "input")
    with open(path, "wb") as f:
        f.write(b"0123456789\n" * 60)
    command = " ".join(shlex.quote(w) for w in [ours, "send", ipc_url, "--rate", "30/s", *extra]) + " < " + shlex.quote(path)
    return listener, Terminal(command, env=env)


@needs_tmux
def test_progress_line_on_a_terminal_updates_then_disappears(ours, ipc_url, background, tmpdir_short):
    listener, terminal = progress_run(ours, ipc_url, background, tmpdir_short)
    try:
        screen = terminal.wait_for(r"^\s*\d+% \d+ msgs [\d.]+ (B|KiB) \d+ msg/s ETA \d+:\d\d", timeout=5)
        first = re.search(r"(\d+)% (\d+) msgs", screen)
        later = terminal.wait_for(r"^\s*\d+% (\d+) msgs", timeout=5)
        terminal.wait_for(r"^EXIT=0", timeout=10)
        final = terminal.screen()
        assert "msgs" not in final and "%" not in final, final  # wiped at the end
        assert int(re.search(r"(\d+)% (\d+) msgs", later).group(2)) >= int(first.group(2))
    finally:
        terminal.kill()
    assert listener.finish()[0] == 0


@needs_tmux
def test_no_progress_env_and_flag_keep_the_terminal_quiet(ours, ipc_url, background, tmpdir_short):
    listener, terminal = progress_run(ours, ipc_url, background, tmpdir_short, env={"NNGCAT_NO_PROGRESS": "1"})
    try:
        deadline = time.monotonic() + 10
        while "EXIT=" not in terminal.screen() and time.monotonic() < deadline:
            assert "msgs" not in terminal.screen()
            time.sleep(0.1)
        assert re.search(r"^EXIT=0", terminal.screen(), re.MULTILINE)
    finally:
        terminal.kill()
    assert listener.finish()[0] == 0
