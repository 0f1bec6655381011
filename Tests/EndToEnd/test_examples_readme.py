"""Every code block of README.md runs as written (or is listed as NotRun with
the reason), with the peers it needs, in a temp folder where `nngcat` is the
binary under test, bounded in time; what its comments promise is checked."""
import json
import os
import re
import shutil
import signal
import time

import pynng
import pytest

from conftest import wait_listening
from examples_registry import NotRun, Run, as_written, check_registered, folded, runnable, shell  # noqa: F401
from examples_support import Terminal, commands_of, promise_of, readme_examples

def run_pipeline(sh, example):
    # tail -f needs a log to follow; a line appended later must arrive too.
    sh.write("app.log", b"first line\nsecond line\n")
    job = sh.start(example)

    def records(content, n):
        return content.count(b"\n") >= n

    sh.wait_file("received.jsonl", lambda c: records(c, 2))
    sh.write("app.log", b"third line\n", mode="ab")
    lines = sh.wait_file("received.jsonl", lambda c: records(c, 3)).splitlines()
    got = [json.loads(line) for line in lines]
    assert [(r["data"], r["seq"]) for r in got] == [("first line", 1), ("second line", 2), ("third line", 3)]
    assert job.proc.poll() is None, "tail -f ended the pipeline"
    assert job.err() == b""


def run_replay(sh, example):
    # Record with the README's own listener line, then replay into a peer that
    # compares the bodies: non-UTF-8 bytes and an embedded newline included.
    bodies = [b"one", b"\xff\x00 binary", b"two\nlines"]
    url = "ipc:///tmp/logs"
    recorder = sh.start(f"nngcat listen {url} --format json --count {len(bodies)} > received.jsonl")
    wait_listening(url)
    with pynng.Push0(dial=url, send_timeout=5000) as push:
        for body in bodies:
            push.send(body)
    assert recorder.wait() == 0, recorder.err()
    with pynng.Pull0(listen=url, recv_timeout=5000) as pull:
        job = sh.run(example)
        assert job.proc.returncode == 0, job.err()
        assert [pull.recv() for _ in bodies] == bodies


SLOW_TR = """#!/bin/sh
# tr as the example runs it, made slow enough to see how many run at once.
touch running/$$
ls running | wc -l >> concurrency
sleep 1
rm running/$$
exec /usr/bin/tr "$@"
"""


def run_rep_service(sh, example):
    service_line, client_line = commands_of(example)
    assert promise_of(client_line) == "prints HELLO and WORLD"
    sh.write(".bin/tr", SLOW_TR.encode())
    os.chmod(sh.path(".bin/tr"), 0o755)
    os.mkdir(sh.path("running"))
    # Started one right after the other, as a paste would.
    service = sh.start(service_line)
    client = sh.start(client_line)
    assert client.wait() == 0, client.err()
    assert client.out() == b"HELLO\nWORLD\n"
    assert client.err() == b""
    service.wait_out(b"hello\nworld\n")  # listen prints the requests it answers
    # "four requests at a time": eight at once run as two waves of four.
    os.remove(sh.path("concurrency"))
    clients = [sh.start(f"nngcat send --req tcp://127.0.0.1:5555 --data r{n}") for n in range(8)]
    for n, job in enumerate(clients):
        assert (job.wait(), job.out()) == (0, b"R%d\n" % n), job.err()
    assert max(int(n) for n in sh.read("concurrency").split()) == 4


FANOUT_OUT = b"news: it works\n"
RETRY_LINE = re.compile(rb"nngcat: dial tcp://127\.0\.0\.1:5556: Connection refused; retrying\n")


def run_fanout_as_written(sh, example):
    # Subscriber first: it must keep dialing until the publisher is up.
    job = sh.start(example)
    assert job.wait(timeout=15) == 0, job.err()
    job.wait_out(FANOUT_OUT)
    assert job.err() == b"" or RETRY_LINE.fullmatch(job.err()), job.err()


def run_fanout_publisher_first(sh, example):
    subscriber_line, publisher_line = commands_of(example)
    publisher = sh.start(publisher_line)
    wait_listening("tcp://127.0.0.1:5556")
    subscriber = sh.start(subscriber_line)
    assert publisher.wait(timeout=15) == 0, publisher.err()
    subscriber.wait_out(FANOUT_OUT)
    assert subscriber.err() == b""


def run_repl_in_terminal(sh, example):
    if shutil.which("tmux") is None:
        pytest.fail("tmux is missing: apt-get install tmux")
    sh.start("nngcat listen --rep tcp://127.0.0.1:5555 --exec 'tr a-z A-Z'")  # the tour's service
    wait_listening("tcp://127.0.0.1:5555")
    (line,) = commands_of(example)
    prompt = r"req tcp://127\.0\.0\.1:5555>"
    t = Terminal(sh, line)
    try:
        t.wait_for(prompt)
        # line editing: fix a typo in the middle of the line
        t.type("wrld")
        t.keys("Left", "Left", "Left")
        t.type("o")
        t.keys("Enter")
        # the reply is shown above a fresh prompt
        t.wait_for_tail(["req tcp://127.0.0.1:5555> world", "WORLD", "req tcp://127.0.0.1:5555>"])
        # history
        t.keys("Up")
        t.wait_for(prompt + " world")
        # completion of a dot command
        t.keys("C-u")
        t.type(".ti")
        t.keys("Tab")
        t.wait_for(prompt + r" \.timeout")
        t.keys("C-u")
        t.type(".quit")
        t.keys("Enter")
        t.wait_for("EXIT=0")
    finally:
        t.kill()


def run_templates(sh, example):
    job = sh.run(example)
    assert job.proc.returncode == 0, job.err()
    out = sh.wait_file(job.out_path, lambda c: c.count(b"\n") >= 3)
    lines = out.splitlines()
    assert len(lines) == 3, out
    for n, line in enumerate(lines, 1):
        assert re.fullmatch(rb'%d: "n=%d at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"' % (n, n), line), line
def run_probe(sh, example):
    sh.start("nngcat listen --rep tcp://127.0.0.1:5555 --exec 'tr a-z A-Z'")  # the tour's service
    wait_listening("tcp://127.0.0.1:5555")
    (line,) = commands_of(example)
    job = sh.run(line)
    assert job.proc.returncode == 0, job.out() + job.err()
    first, second = job.out().decode().splitlines()
    assert re.fullmatch(r"tcp://127\.0\.0\.1:5555  rep0 \(49\), answered in \d+\.\d ms", first), first
    assert second == "  talk to it: nngcat send --req tcp://127.0.0.1:5555 MESSAGE"


def run_bench_push(sh, line):
    job = sh.run(line, timeout=120)
    assert job.proc.returncode == 0, job.err()
    assert re.search(rb"^messages: 1000000$", job.out(), re.M), job.out()
    assert re.search(rb"^msg/s: \d+$", job.out(), re.M), job.out()


def run_proxy_tap(sh, example):
    # Requesters on 5555, repliers on 5557; the tap shows both directions.
    proxy = sh.start(example)
    wait_listening("tcp://127.0.0.1:5555")
    wait_listening("tcp://127.0.0.1:5557")
    with pynng.Rep0(dial="tcp://127.0.0.1:5557", recv_timeout=5000) as rep, \
            pynng.Req0(dial="tcp://127.0.0.1:5555", recv_timeout=5000) as req:
        req.send(b"ping")
        rep.send(rep.recv().upper())
        assert req.recv() == b"PING"
    lines = sh.wait_file(proxy.out_path, lambda c: c.count(b"\n") >= 2).splitlines()
    assert [(r["data"], r["from"]) for r in map(json.loads, lines)] == [("ping", "in"), ("PING", "out")]
    os.killpg(proxy.proc.pid, signal.SIGINT)
    assert proxy.wait() == 130, proxy.err()


def run_rate_and_check_seq(sh, example):
    # Both lines as written: the listener keeps running, so it is terminated
    # afterwards (SIGTERM: bash starts background jobs with SIGINT ignored),
    # and prints its --check-seq summary on the way out.
    job = sh.start(example)
    deadline = time.monotonic() + 15
    while b"stats summary" not in job.err() and time.monotonic() < deadline:
        time.sleep(0.1)
    err = job.err().decode()
    sender = [line for line in err.splitlines() if line.startswith("nngcat: stats summary")]
    assert sender and " msgs=300 bytes=792 " in sender[0], err  # the bodies 1..300: 792 bytes
    assert len([line for line in err.splitlines() if re.match(r"nngcat: stats t=", line)]) >= 2, err
    os.killpg(job.proc.pid, signal.SIGTERM)
    job.wait()
    # bash is gone at once; the listener writes its summary a moment later.
    deadline = time.monotonic() + 5
    while job.err().count(b"stats summary") < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    listener = job.err().decode().splitlines()[-2:]
    assert any("gaps=0 missing=0 dups=0 reordered=0" in line for line in listener), listener


def run_paced_replay(sh, example):
    # A recording with gaps of 0.4 s and 0.6 s, made by a listener like the
    # tour's first one; replayed at --speed 2 into a pynng peer that times it.
    url = "ipc:///tmp/logs"
    recorder = sh.start(f"nngcat listen {url} --format json --count 3 > received.jsonl")
    wait_listening(url)
    with pynng.Push0(dial=url, send_timeout=5000) as push:
        for gap, body in [(0, b"a"), (0.4, b"\xff b"), (0.6, b"c")]:
            time.sleep(gap)
            push.send(body)
    assert recorder.wait() == 0, recorder.err()
    with pynng.Pull0(listen=url, recv_timeout=5000) as pull:
        job = sh.start(example)
        got = []
        for _ in range(3):
            got.append((pull.recv(), time.monotonic()))
        assert job.wait() == 0, job.err()
    assert [body for body, _ in got] == [b"a", b"\xff b", b"c"]
    assert 0.45 <= got[2][1] - got[0][1] <= 0.55  # 1 s recorded, at twice the speed


README_EXAMPLES = {
    "scripts/demo": NotRun("set-up: installs Debian packages and builds the release binary (minutes, as root)"),
    "scripts/test": NotRun("set-up: installs the test dependencies and runs this very suite"),
    folded("""
# a pipeline: one message per line, delivered as each line is written
nngcat listen ipc:///tmp/logs --format json > received.jsonl &
tail -f app.log | nngcat send --async ipc:///tmp/logs
""".strip()): Run("tour-pipeline", run_pipeline),
    folded("""
# replay what was recorded, byte for byte
nngcat send ipc:///tmp/logs --input json < received.jsonl
""".strip()): Run("tour-replay", run_replay),
    folded("""
# a shell command as a req/rep service, four requests at a time
nngcat listen --rep tcp://127.0.0.1:5555 --exec 'tr a-z A-Z' --jobs 4 &
nngcat send --req --async tcp://127.0.0.1:5555 hello world # prints HELLO and WORLD
""".strip()): Run("tour-rep-service", run_rep_service),
    folded("""
# fan-out: waits for a subscriber, delivers, exits
nngcat listen --sub tcp://127.0.0.1:5556 --subscribe news &
echo "news: it works" | nngcat send --pub tcp://127.0.0.1:5556
""".strip()): [Run("tour-fanout-as-written", run_fanout_as_written),
               Run("tour-fanout-publisher-first", run_fanout_publisher_first)],
    folded("""
# generated traffic: a template per message, printed through an output template
nngcat listen ipc:///tmp/nngcat-demo --count 3 --format '{{seq}}: {{json}}\\n' &
nngcat send --async --template ipc:///tmp/nngcat-demo --data 'n={{seq}} at {{time}}' --count 3
""".strip()): Run("tour-templates", run_templates),
    folded("""
# interactive: line editing, history, completion, messages shown above the prompt
nngcat repl --req tcp://127.0.0.1:5555
""".strip()): Run("tour-repl-terminal", run_repl_in_terminal),
    folded("""
# what speaks on this port, and which command talks to it
nngcat probe tcp://127.0.0.1:5555
""".strip()): Run("tour-probe", run_probe),
    folded("""
# see what flows: a req/rep proxy that prints each request and reply as JSON, "from" in or out
nngcat proxy reqrep tcp://127.0.0.1:5555 tcp://127.0.0.1:5557 --tap --format json
""".strip()): Run("tour-proxy-tap", run_proxy_tap),
    folded("""
# test traffic at a steady 100 messages a second, with a stats line each second;
# the listener counts gaps, duplicates and reordering of the numbered bodies
nngcat listen tcp://127.0.0.1:5557 --check-seq > /dev/null &
seq 1 300 | nngcat send --async tcp://127.0.0.1:5557 --rate 100/s --stats
""".strip()): Run("tour-rate-check-seq", run_rate_and_check_seq),
    folded("""
# replay a recording with its original timing, twice as fast
nngcat send ipc:///tmp/logs --input json --pace recorded --speed 2 < received.jsonl
""".strip()): Run("tour-paced-replay", run_paced_replay),
    # The Benchmarks block: three independent lines.
    folded("""
make bench # bench/run: release build, side by side with the C nngcat and a C baseline
nngcat bench push --count 1000000 --size 16
bench/core-stream.sh # the core's streaming chain vs the same loop in C
""".strip()): {
        "make bench # bench/run: release build, side by side with the C nngcat and a C baseline":
            NotRun("builds in release and benchmarks for many minutes; a measurement, not a behaviour"),
        "nngcat bench push --count 1000000 --size 16": Run("bench-push", run_bench_push),
        "bench/core-stream.sh # the core's streaming chain vs the same loop in C":
            NotRun("builds a Swift package in release and runs 10 benchmark rounds; a measurement"),
    },
    # The NNG versions block: two independent lines.
    folded("""
scripts/with-nng 1.11 # prints the path of an nngcat linked to NNG 1.11.0
scripts/with-nng 1.11 python3 -m pytest Tests/EndToEnd # runs a command with NNGCAT_BIN set
""".strip()): {
        "scripts/with-nng 1.11 # prints the path of an nngcat linked to NNG 1.11.0":
            NotRun("downloads from PyPI and builds NNG and nngcat (minutes); scripts/test runs the suite through it"),
        "scripts/with-nng 1.11 python3 -m pytest Tests/EndToEnd # runs a command with NNGCAT_BIN set":
            NotRun("this very suite, against NNG 1.11: scripts/test runs it"),
    },
}


def test_readme_examples_are_registered():
    check_registered(readme_examples(), README_EXAMPLES, "README")


def test_every_promise_is_checked_by_its_runner():
    """A comment beside a command promises something: a new or changed one must be looked at."""
    promises = sorted(p for e in readme_examples() for line in commands_of(e) if (p := promise_of(line)))
    assert promises == sorted([
        "prints HELLO and WORLD",  # run_rep_service: the client's stdout, byte for byte
        "bench/run: release build, side by side with the C nngcat and a C baseline",  # NotRun
        "the core's streaming chain vs the same loop in C",  # NotRun
        "prints the path of an nngcat linked to NNG 1.11.0",  # NotRun
        "runs a command with NNGCAT_BIN set",  # NotRun
    ])


def test_no_example_quietly_stops_being_run():
    assert len(runnable(README_EXAMPLES)) == 12


@pytest.mark.parametrize("key,line,run", runnable(README_EXAMPLES))
def test_example_runs_as_written(key, line, run, shell):
    run.runner(shell, as_written(readme_examples(), key, line))
