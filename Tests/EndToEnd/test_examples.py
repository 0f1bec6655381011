"""Every documented example runs as written: the README's code blocks, the man
page's EXAMPLES and every `--help` example, each with the peers it needs, in a
temp folder where `nngcat` is the binary under test, bounded in time. What the
comment beside an example promises is checked.

The registries below are keyed by the example's text (whitespace runs folded),
so a new or edited example fails `test_*_examples_are_registered` until someone
decides how it is run, or why it is not (NotRun, with the reason)."""
import json
import os
import re
import shutil
import signal
import subprocess
from dataclasses import dataclass
from typing import Callable

import pynng
import pytest

from conftest import wait_listening
from examples_support import (FixedAddressLock, Shell, Terminal, commands_of, help_examples, man_examples,
                              promise_of, readme_examples, remove_stale_ipc_files, wait_ports_free)


def folded(text):
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


@dataclass
class Run:
    name: str
    runner: Callable


@dataclass
class NotRun:
    reason: str


@dataclass
class PairedWith:
    """The first half of a pair of lines: the runner of `partner` runs both."""
    partner: str


# ---------------------------------------------------------------- README runners

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


def run_bench_push(sh, line):
    job = sh.run(line, timeout=120)
    assert job.proc.returncode == 0, job.err()
    assert re.search(rb"^messages: 1000000$", job.out(), re.M), job.out()
    assert re.search(rb"^msg/s: \d+$", job.out(), re.M), job.out()


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
# interactive: line editing, history, completion, messages shown above the prompt
nngcat repl --req tcp://127.0.0.1:5555
""".strip()): Run("tour-repl-terminal", run_repl_in_terminal),
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
}


# ---------------------------------------------------------------- man page runners

def make_tls_files(sh):
    """ca.pem, server.pem and server.key for localhost and 127.0.0.1, as the TLS example names them."""
    if shutil.which("openssl") is None:
        pytest.fail("openssl is missing: apt-get install openssl")

    def openssl(*args):
        done = subprocess.run(["openssl", *args], cwd=sh.cwd, capture_output=True, timeout=30)
        assert done.returncode == 0, done.stderr.decode(errors="replace")

    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=example CA")
    openssl("req", "-new", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost")
    sh.write("server.ext", b"subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-days", "2", "-sha256", "-extfile", "server.ext", "-out", "server.pem")
    os.chmod(sh.path("server.key"), 0o600)


def script_runner(stdout, files=None, setup=None):
    """Runs a whole EXAMPLES block as one bash script (-e, pipefail): exit 0, this stdout, these files."""
    def runner(sh, example):
        if setup:
            setup(sh)
        job = sh.run(example, timeout=60, flags=("-e", "-o", "pipefail"))
        assert job.proc.returncode == 0, f"{example}\nstderr: {job.err()!r}"
        assert job.out() == stdout
        for name, content in (files or {}).items():
            assert sh.read(name) == content, name
    return runner


MAN_EXAMPLES = {
    folded("""
nngcat listen --sub --async ipc:///tmp/nngcat-news --subscribe weather --count 1 > weather.txt &
nngcat listen --sub --async ipc:///tmp/nngcat-news --count 2 > all.txt &
printf 'news: quiet\\nweather: sunny\\n' | nngcat send --pub ipc:///tmp/nngcat-news --wait-peers 2
wait
cat weather.txt all.txt
""".strip()): Run("man-fanout", script_runner(
        b"weather: sunny\nnews: quiet\nweather: sunny\n",
        {"weather.txt": b"weather: sunny\n", "all.txt": b"news: quiet\nweather: sunny\n"})),
    folded("""
seq 1 6 | nngcat send --push --listen ipc:///tmp/nngcat-work --wait-peers 2 &
nngcat listen --pull --dial ipc:///tmp/nngcat-work --async --recv-timeout 2s > worker1.txt &
nngcat listen --pull --dial ipc:///tmp/nngcat-work --async --recv-timeout 2s > worker2.txt &
wait
sort -n worker1.txt worker2.txt
""".strip()): Run("man-workers", script_runner(b"".join(b"%d\n" % n for n in range(1, 7)))),
    folded("""
nngcat listen --rep ipc:///tmp/nngcat-upper --exec 'tr a-z A-Z' --count 1 > requests.txt &
nngcat send --req --async ipc:///tmp/nngcat-upper --data hello
wait
""".strip()): Run("man-rep-exec", script_runner(b"HELLO\n", {"requests.txt": b"hello\n"})),
    folded("""
nngcat listen ipc:///tmp/nngcat-record --format json --count 3 > recording.jsonl &
printf 'one\\ntwo\\n\\377\\n' | nngcat send --async ipc:///tmp/nngcat-record
wait
nngcat listen ipc:///tmp/nngcat-replay --count 3 > replayed.txt &
nngcat send --async --input json ipc:///tmp/nngcat-replay < recording.jsonl
wait
printf 'one\\ntwo\\n\\377\\n' | cmp - replayed.txt
""".strip()): Run("man-record-replay", script_runner(b"", {"replayed.txt": b"one\ntwo\n\xff\n"})),
    folded("""
nngcat listen --rep tls+tcp://127.0.0.1:5571 --cert server.pem --key server.key --echo --count 1 &
nngcat send --req tls+tcp://localhost:5571 --cacert ca.pem --async --data ping
""".strip()): Run("man-tls", script_runner(b"ping\nping\n", setup=make_tls_files)),
}


# ---------------------------------------------------------------- --help runners

def with_listener(listener_line, url, out=None, listener_out=None):
    """Runs the example against a listener started (and listening) first."""
    def runner(sh, example):
        listener = sh.start(listener_line)
        wait_listening(url)
        job = sh.run(example)
        assert job.proc.returncode == 0, job.err()
        if out is not None:
            assert job.out() == out
        assert listener.wait() == 0, listener.err()
        if listener_out is not None:
            assert listener.out() == listener_out
    return runner


def run_top_level_pair(sh, example):
    # The two lines as typed one after the other. Pasted together, the send can
    # beat the listener to the socket (the help text lives in Sources; see the report).
    first = sh.start("nngcat listen ipc:///tmp/nngcat-demo --count 1 &")
    wait_listening("ipc:///tmp/nngcat-demo")
    job = sh.run(example)
    assert job.proc.returncode == 0, job.err()
    first.wait_out(b"hello\n")


def run_pub(sh, example):
    job = sh.start(example)
    wait_listening("tcp://127.0.0.1:5556")
    subscriber = sh.start("nngcat listen --sub tcp://127.0.0.1:5556 --count 2")
    assert job.wait() == 0, job.err()
    assert subscriber.wait() == 0, subscriber.err()
    assert subscriber.out() == b"a\nb\n"


def run_listener_example(url, sender_line, expected):
    def runner(sh, example):
        job = sh.start(example)
        wait_listening(url)
        sender = sh.run(sender_line)
        assert sender.proc.returncode == 0, sender.err()
        assert job.wait() == 0, job.err()
        assert job.out() == expected
    return runner


def interrupt(job, signum, expected_status):
    os.killpg(job.proc.pid, signum)
    assert job.wait() == expected_status, job.err()


def sub_example(publisher_first):
    def runner(sh, example):
        publisher_line = "nngcat send --pub tcp://127.0.0.1:5556 --wait-peers 1 --data 'news: x' --data other"
        if publisher_first:
            publisher = sh.start(publisher_line)
            wait_listening("tcp://127.0.0.1:5556")
            job = sh.start(example)
        else:
            job = sh.start(example)
            publisher = sh.start(publisher_line)
        assert publisher.wait() == 0, publisher.err()
        record = json.loads(sh.wait_file(job.out_path, lambda c: c.endswith(b"\n")))
        assert (record["data"], record["seq"]) == ("news: x", 1)
        interrupt(job, signal.SIGTERM, 143)
        assert job.out().count(b"\n") == 1, job.out()  # "other" was filtered out
    return runner


def run_rep_example(sh, example):
    job = sh.start(example)
    wait_listening("tcp://127.0.0.1:5555")
    client = sh.run("nngcat send --req tcp://127.0.0.1:5555 --data hello")
    assert (client.proc.returncode, client.out()) == (0, b"HELLO\n"), client.err()
    job.wait_out(b"hello\n")
    interrupt(job, signal.SIGINT, 130)


def run_repl_scripted(sh, example):
    server = sh.start("nngcat listen --rep tcp://127.0.0.1:5555 --echo --count 1")
    wait_listening("tcp://127.0.0.1:5555")
    with open(sh.path("typed"), "wb") as f:
        f.write(b"ping\n")
    with open(sh.path("typed"), "rb") as stdin:
        job = sh.start(example, stdin=stdin)
    assert job.wait() == 0, job.err()
    assert b"ping" in job.out()
    assert server.wait() == 0, server.err()


def run_bench(sh, example):
    job = sh.run(example, timeout=120)
    assert job.proc.returncode == 0, job.err()
    assert re.search(rb"^msg/s: \d+$", job.out(), re.M), job.out()


HELP_EXAMPLES = {
    "nngcat listen ipc:///tmp/nngcat-demo --count 1 &": PairedWith("nngcat send ipc:///tmp/nngcat-demo hello"),
    "nngcat send ipc:///tmp/nngcat-demo hello": Run("help-pair", run_top_level_pair),
    "printf 'a\\nb\\n' | nngcat send --pub tcp://127.0.0.1:5556": Run("help-pub", run_pub),
    "nngcat send ipc:///tmp/nngcat-demo hello world": Run("help-send-words", with_listener(
        "nngcat listen ipc:///tmp/nngcat-demo --count 2", "ipc:///tmp/nngcat-demo", listener_out=b"hello\nworld\n")),
    "seq 1 1000 | nngcat send --push tcp://127.0.0.1:5555": Run("help-send-push", with_listener(
        "nngcat listen tcp://127.0.0.1:5555 --count 1000", "tcp://127.0.0.1:5555",
        listener_out=b"".join(b"%d\n" % i for i in range(1, 1001)))),
    "nngcat send --req tcp://127.0.0.1:5555 --data ping --format quoted": Run("help-send-req", with_listener(
        "nngcat listen --rep tcp://127.0.0.1:5555 --echo --count 1 --format no", "tcp://127.0.0.1:5555",
        out=b'"ping"\n')),
    "nngcat listen ipc:///tmp/nngcat-demo --count 2": Run("help-listen", run_listener_example(
        "ipc:///tmp/nngcat-demo", "nngcat send ipc:///tmp/nngcat-demo one two", b"one\ntwo\n")),
    "nngcat listen --sub tcp://127.0.0.1:5556 --subscribe news --format json": [
        Run("help-listen-sub-publisher-first", sub_example(publisher_first=True)),
        Run("help-listen-sub-subscriber-first", sub_example(publisher_first=False))],
    "nngcat listen --rep tcp://127.0.0.1:5555 --exec 'tr a-z A-Z'": Run("help-listen-rep", run_rep_example),
    "nngcat repl --req tcp://127.0.0.1:5555": Run("help-repl-req", run_repl_scripted),
    "printf '.dial ipc:///tmp/x\\nhello\\n.quit\\n' | nngcat repl --push": Run("help-repl-script", with_listener(
        "nngcat listen ipc:///tmp/x --count 1", "ipc:///tmp/x", listener_out=b"hello\n")),
    "nngcat bench push --count 100000 --size 16": Run("help-bench-push", run_bench),
    "nngcat bench reqrep tcp://127.0.0.1:5557 --count 10000": Run("help-bench-reqrep", run_bench),
}


# ---------------------------------------------------------------- registration

def unregistered(found, registry):
    """Examples without an entry, and entries whose example is gone (edited or removed)."""
    found = {folded(e) for e in found}
    return sorted(found - set(registry)), sorted(set(registry) - found)


def test_readme_examples_are_registered():
    new, gone = unregistered(readme_examples(), README_EXAMPLES)
    assert not new, "README examples with no runner or NotRun reason:\n\n" + "\n\n".join(new)
    assert not gone, "registered README examples that are no longer in README.md:\n\n" + "\n\n".join(gone)
    for key, entry in README_EXAMPLES.items():
        if isinstance(entry, dict):
            assert sorted(entry) == sorted(key.splitlines()), f"every line of this block needs an entry:\n{key}"


def test_man_examples_are_registered():
    new, gone = unregistered(man_examples(), MAN_EXAMPLES)
    assert not new, "man page examples with no runner:\n\n" + "\n\n".join(new)
    assert not gone, "registered man page examples that are no longer in the man page:\n\n" + "\n\n".join(gone)


def test_help_examples_are_registered(ours):
    new, gone = unregistered(help_examples(ours), HELP_EXAMPLES)
    assert not new, "--help examples with no runner:\n\n" + "\n\n".join(new)
    assert not gone, "registered --help examples that --help no longer prints:\n\n" + "\n\n".join(gone)
    for entry in HELP_EXAMPLES.values():
        if isinstance(entry, PairedWith):
            assert isinstance(HELP_EXAMPLES.get(entry.partner), Run), entry


def test_every_promise_is_checked_by_its_runner():
    """A comment beside a command promises something: the runners above check
    these, and a new or changed promise must be looked at."""
    promises = sorted(p for e in readme_examples() for line in commands_of(e) if (p := promise_of(line)))
    assert promises == sorted([
        "prints HELLO and WORLD",  # run_rep_service: the client's stdout, byte for byte
        "bench/run: release build, side by side with the C nngcat and a C baseline",  # NotRun
        "the core's streaming chain vs the same loop in C",  # NotRun
    ])


# ---------------------------------------------------------------- running

def cases():
    """(source, example key, line within a block or None, Run) for every runnable entry."""
    for source, registry in (("readme", README_EXAMPLES), ("man", MAN_EXAMPLES), ("help", HELP_EXAMPLES)):
        for key, entry in registry.items():
            parts = entry.items() if isinstance(entry, dict) else [(None, entry)]
            for line, value in parts:
                for run in value if isinstance(value, list) else [value]:
                    if isinstance(run, Run):
                        yield pytest.param(source, key, line, run, id=run.name)


def as_written(source, key, ours):
    """The example's original text (the registry holds it folded)."""
    found = {"readme": readme_examples, "man": man_examples}.get(source, lambda: help_examples(ours))()
    matches = [e for e in found if folded(e) == key]
    assert matches, f"no longer documented:\n{key}"
    return matches[0]


@pytest.fixture
def fixed_addresses():
    lock = FixedAddressLock()
    try:
        wait_ports_free()
        remove_stale_ipc_files()
        yield
    finally:
        remove_stale_ipc_files()
        lock.release()


@pytest.fixture
def shell(ours, tmp_path, fixed_addresses):
    work = tmp_path / "work"
    work.mkdir()
    sh = Shell(ours, str(work))
    yield sh
    sh.kill_all()


@pytest.mark.parametrize("source,key,line,run", cases())
def test_example_runs_as_written(source, key, line, run, ours, shell):
    example = as_written(source, key, ours)
    if line is not None:
        (example,) = [x for x in example.splitlines() if folded(x) == line]
    run.runner(shell, example)


def test_no_example_quietly_stops_being_run():
    """Turning a Run into a NotRun must be a visible change here too."""
    runs = list(cases())
    assert len({p.id for p in runs}) == len(runs)
    by_source = {source: sum(1 for p in runs if p.values[0] == source) for source in ("readme", "man", "help")}
    assert by_source == {"readme": 7, "man": 5, "help": 13}
