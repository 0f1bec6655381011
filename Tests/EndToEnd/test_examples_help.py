"""Every example printed by `--help` (top level and each command) runs as
written, with the peer it needs started by the test, bounded in time."""
import json
import os
import re
import signal
import time

import pytest

from conftest import wait_listening
from examples_registry import PairedWith, Run, as_written, check_registered, runnable, shell  # noqa: F401
from examples_support import help_examples

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
    # The two lines pasted together: --async lets the send wait for the
    # listener that the first line has only just started.
    first = sh.start("nngcat listen ipc:///tmp/nngcat-demo --count 1 &")
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
            time.sleep(0.5)  # the subscriber has met a refusal by now, and must retry
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


def run_send_template(sh, example):
    listener = sh.start("nngcat listen ipc:///tmp/nngcat-demo --count 3")
    wait_listening("ipc:///tmp/nngcat-demo")
    job = sh.run(example)
    assert job.proc.returncode == 0, job.err()
    assert listener.wait() == 0, listener.err()
    lines = listener.out().splitlines()
    assert len(lines) == 3, listener.out()
    for n, line in enumerate(lines, 1):
        assert re.fullmatch(rb"n=%d at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z" % n, line), line
def run_probe_two(sh, example):
    rep = sh.start("nngcat listen --rep tcp://127.0.0.1:5555 --echo")
    pull = sh.start("nngcat listen ipc:///tmp/nngcat-demo")
    wait_listening("tcp://127.0.0.1:5555")
    wait_listening("ipc:///tmp/nngcat-demo")
    job = sh.run(example)
    assert job.proc.returncode == 0, job.out() + job.err()
    assert b"tcp://127.0.0.1:5555  rep0 (49), answered in " in job.out()
    assert b"ipc:///tmp/nngcat-demo  pull0 (81), answered in " in job.out()
    rep.kill()
    pull.kill()


def run_probe_ws_json(sh, example):
    pull = sh.start("nngcat listen --pull ws://127.0.0.1:5556")
    wait_listening("ws://127.0.0.1:5556")
    job = sh.run(example)
    assert job.proc.returncode == 0, job.out() + job.err()
    record = json.loads(job.out())
    assert (record["ok"], record["protocol"], record["number"]) == (True, "pull0", 81)
    pull.kill()


def run_probe_listen(sh, example):
    job = sh.start(example)
    time.sleep(0.3)  # not wait_listening: its connection would be the peer reported; send retries
    sender = sh.start("nngcat send --push tcp://127.0.0.1:5557 hello --connect-timeout 5s")
    assert job.wait() == 0, job.out() + job.err()
    assert job.out().startswith(b"tcp://127.0.0.1:5557  push0 (80) dialed in from 127.0.0.1:")
    sender.kill()


def run_proxy_reqrep(sh, example):
    proxy = sh.start(example)
    wait_listening("tcp://127.0.0.1:5555")
    wait_listening("tcp://127.0.0.1:5557")
    sh.start("nngcat listen --rep --dial tcp://127.0.0.1:5557 --echo --format no")
    client = sh.run("nngcat send --req tcp://127.0.0.1:5555 --data hello")
    assert (client.proc.returncode, client.out()) == (0, b"hello\n"), client.err()
    interrupt(proxy, signal.SIGINT, 130)


def run_proxy_pubsub_tap(sh, example):
    proxy = sh.start(example)
    wait_listening("ipc:///tmp/nngcat-news")
    wait_listening("tcp://127.0.0.1:5556")
    subscriber = sh.start("nngcat listen --sub tcp://127.0.0.1:5556 --count 1")
    time.sleep(0.5)  # a publisher's message reaches only subscribers already there
    publisher = sh.run("nngcat send --pub --dial ipc:///tmp/nngcat-news --data 'news: x'")
    assert publisher.proc.returncode == 0, publisher.err()
    assert subscriber.wait() == 0, subscriber.err()
    assert subscriber.out() == b"news: x\n"
    proxy.wait_out(b"in: news: x\n")
    interrupt(proxy, signal.SIGTERM, 143)


def run_proxy_pipeline_tap(sh, example):
    worker = sh.start("nngcat listen ipc:///tmp/nngcat-work --count 1")
    wait_listening("ipc:///tmp/nngcat-work")
    proxy = sh.start(example)
    wait_listening("tcp://127.0.0.1:5555")
    assert sh.run("nngcat send tcp://127.0.0.1:5555 --data job").proc.returncode == 0
    assert worker.wait() == 0, worker.err()
    assert worker.out() == b"job\n"
    record = json.loads(sh.wait_file(proxy.out_path, lambda c: c.endswith(b"\n")))
    assert (record["data"], record["from"]) == ("job", "in")
    interrupt(proxy, signal.SIGINT, 130)


def run_proxy_reqrep_stats(sh, example):
    proxy = sh.start(example)
    wait_listening("tcp://127.0.0.1:5555")
    wait_listening("tcp://127.0.0.1:5557")
    sh.start("nngcat listen --rep --dial tcp://127.0.0.1:5557 --echo --format no")
    client = sh.run("nngcat send --req tcp://127.0.0.1:5555 --data hello --data again")
    assert (client.proc.returncode, client.out()) == (0, b"hello\nagain\n"), client.err()
    interrupt(proxy, signal.SIGINT, 130)
    assert re.search(rb"^nngcat: stats summary t=\S+ msgs=4 bytes=20 .* in_out_msgs=2 in_out_bytes=10 out_in_msgs=2 out_in_bytes=10$",
                     proxy.err(), re.M), proxy.err()


def run_paced_send(sh, example):
    listener = sh.start("nngcat listen ipc:///tmp/nngcat-demo --count 100")
    wait_listening("ipc:///tmp/nngcat-demo")
    start = time.monotonic()
    job = sh.run(example)
    assert job.proc.returncode == 0, job.err()
    assert 1.98 * 0.9 <= time.monotonic() - start <= 1.98 * 1.1 + 0.5  # 99 gaps of 20 ms, plus start-up
    assert re.search(rb"^nngcat: stats summary t=\S+ msgs=100 bytes=\d+ ", job.err(), re.M), job.err()
    assert listener.wait() == 0, listener.err()
    assert listener.out() == b"".join(b"%d\n" % i for i in range(1, 101))


def run_check_seq(sh, example):
    job = sh.start(example)
    wait_listening("ipc:///tmp/nngcat-demo")
    sender = sh.run("printf '1\\n2\\n4\\n' | nngcat send ipc:///tmp/nngcat-demo")
    assert sender.proc.returncode == 0, sender.err()
    assert job.wait() == 0, job.err()
    assert job.out() == b"1\n2\n4\n"
    assert re.search(rb"^nngcat: stats summary .* gaps=1 missing=1 dups=0 reordered=0 ", job.err(), re.M), job.err()


HELP_EXAMPLES = {
    "nngcat listen ipc:///tmp/nngcat-demo --count 1 &": PairedWith("nngcat send --async ipc:///tmp/nngcat-demo hello"),
    "nngcat send --async ipc:///tmp/nngcat-demo hello": Run("help-pair", run_top_level_pair),
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
    "seq 1 100 | nngcat send ipc:///tmp/nngcat-demo --rate 50/s --stats": Run("help-send-rate", run_paced_send),
    "nngcat listen ipc:///tmp/nngcat-demo --check-seq --count 3": Run("help-listen-check-seq", run_check_seq),
    "nngcat repl --req tcp://127.0.0.1:5555": Run("help-repl-req", run_repl_scripted),
    "printf '.dial ipc:///tmp/x\\nhello\\n.quit\\n' | nngcat repl --push": Run("help-repl-script", with_listener(
        "nngcat listen ipc:///tmp/x --count 1", "ipc:///tmp/x", listener_out=b"hello\n")),
    "nngcat send --template ipc:///tmp/nngcat-demo --data 'n={{seq}} at {{time}}' --count 3": Run(
        "help-send-template", run_send_template),
    "nngcat listen ipc:///tmp/nngcat-demo --count 2 --format '{{seq}} {{size}} {{json}}\\n'": Run(
        "help-listen-template", run_listener_example(
            "ipc:///tmp/nngcat-demo", "nngcat send ipc:///tmp/nngcat-demo one 'tw\"o'", b'1 3 "one"\n2 4 "tw\\"o"\n')),
    "nngcat bench push --count 100000 --size 16": Run("help-bench-push", run_bench),
    "nngcat bench reqrep tcp://127.0.0.1:5557 --count 10000": Run("help-bench-reqrep", run_bench),
    "nngcat probe tcp://127.0.0.1:5555 ipc:///tmp/nngcat-demo": Run("help-probe-two", run_probe_two),
    "nngcat probe --json --connect-timeout 1s ws://127.0.0.1:5556": Run("help-probe-ws-json", run_probe_ws_json),
    "nngcat probe --listen tcp://127.0.0.1:5557 --connect-timeout 30s": Run("help-probe-listen", run_probe_listen),


    "nngcat proxy reqrep tcp://127.0.0.1:5555 tcp://127.0.0.1:5557": Run("help-proxy-reqrep", run_proxy_reqrep),
    "nngcat proxy pubsub --in ipc:///tmp/nngcat-news --out tcp://127.0.0.1:5556 --tap": Run("help-proxy-pubsub-tap", run_proxy_pubsub_tap),
    "nngcat proxy pipeline --in tcp://127.0.0.1:5555 --out-dial ipc:///tmp/nngcat-work --tap --format json": Run(
        "help-proxy-pipeline-tap", run_proxy_pipeline_tap),
    "nngcat proxy reqrep tcp://127.0.0.1:5555 tcp://127.0.0.1:5557 --stats=10s": Run(
        "help-proxy-reqrep-stats", run_proxy_reqrep_stats),
}


def test_help_examples_are_registered(ours):
    check_registered(help_examples(ours), HELP_EXAMPLES, "--help")


def test_no_example_quietly_stops_being_run():
    assert len(runnable(HELP_EXAMPLES)) == 24


@pytest.mark.parametrize("key,line,run", runnable(HELP_EXAMPLES))
def test_example_runs_as_written(key, line, run, ours, shell):
    run.runner(shell, as_written(help_examples(ours), key, line))
