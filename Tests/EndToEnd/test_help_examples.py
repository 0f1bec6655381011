"""Every example printed by `--help` runs as written, with the peer it needs
started by the test. A new example without an entry here fails the test."""
import os
import re
import signal
import subprocess
import tempfile
import time

import pytest

from conftest import wait_listening

COMMANDS = ["", "send", "listen", "repl", "bench"]


def examples(ours, command):
    text = subprocess.run([ours, *([command] if command else []), "--help"], capture_output=True, timeout=10, check=True).stdout.decode()
    block = text.split("Examples:\n", 1)[1].split("\n\n", 1)[0]
    return [line.strip() for line in block.splitlines() if line.strip()]


@pytest.fixture
def shell_env(ours):
    folder = tempfile.mkdtemp(prefix="nc-bin-")
    os.symlink(ours, os.path.join(folder, "nngcat"))
    env = dict(os.environ, PATH=folder + os.pathsep + os.environ["PATH"])
    yield env
    os.remove(os.path.join(folder, "nngcat"))
    os.rmdir(folder)
    for leftover in ("/tmp/nngcat-demo", "/tmp/x"):
        if os.path.exists(leftover):
            os.remove(leftover)


STARTED = []


@pytest.fixture(autouse=True)
def kill_leftovers():
    """The examples use fixed ports: never leave a process holding one."""
    yield
    while STARTED:
        proc = STARTED.pop()
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the whole pipeline, not just bash
        except ProcessLookupError:
            pass
        proc.communicate(timeout=5)


def sh(example, env, **kw):
    proc = subprocess.Popen(["bash", "-c", example], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, **kw)
    STARTED.append(proc)
    return proc


def peer(env, command):
    return sh("exec " + command, env)


def finish(proc, timeout=20):
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


# Each example: how to give it a peer, and what it must produce.
def run_top_level_pair(env):
    first = sh("nngcat listen ipc:///tmp/nngcat-demo --count 1", env)
    wait_listening("ipc:///tmp/nngcat-demo")
    second = sh("nngcat send ipc:///tmp/nngcat-demo hello", env)
    assert finish(second)[0] == 0
    code, out, _ = finish(first)
    assert (code, out) == (0, b"hello\n")


def run_with_listener(env, example, listener, url, expected_out=None, expected=None):
    receiver = peer(env, listener)
    wait_listening(url)
    proc = sh(example, env)
    code, out, err = finish(proc)
    assert code == 0, err
    if expected_out is not None:
        assert out == expected_out
    rcode, rout, rerr = finish(receiver)
    assert rcode == 0, rerr
    if expected is not None:
        assert rout == expected


def run_pub(env, example):
    proc = sh(example, env)
    time.sleep(0.3)
    subscriber = peer(env, "nngcat listen --sub tcp://127.0.0.1:5556 --count 2")
    assert finish(proc)[0] == 0
    assert finish(subscriber)[1] == b"a\nb\n"


def run_listener_example(env, example, url, sender, expected_first_line, stop=True):
    proc = sh("exec " + example, env)
    wait_listening(url)
    helper = peer(env, sender)
    line = proc.stdout.readline()
    assert line == expected_first_line
    helper_code, helper_out, _ = finish(helper)
    if stop:
        proc.send_signal(signal.SIGINT)
        code, _, _ = finish(proc)
        assert code == 130
    else:
        assert finish(proc)[0] == 0
    return helper_code, helper_out


def run_sub_example(env, example):
    # The publisher listens and waits for a subscriber; the example dials it.
    publisher = peer(env, "nngcat send --pub tcp://127.0.0.1:5556 --data 'news: x' --data 'other'")
    wait_listening("tcp://127.0.0.1:5556")
    proc = sh("exec " + example, env)
    line = proc.stdout.readline()
    assert line.startswith(b'{"data":"news: x","seq":1,')
    assert finish(publisher)[0] == 0
    proc.send_signal(signal.SIGTERM)
    assert finish(proc)[0] == 143


def run_rep_example(env, example):
    proc = sh("exec " + example, env)
    wait_listening("tcp://127.0.0.1:5555")
    client = peer(env, "nngcat send --req tcp://127.0.0.1:5555 --data hello")
    assert finish(client)[:2] == (0, b"HELLO\n")
    assert proc.stdout.readline() == b"hello\n"
    proc.send_signal(signal.SIGINT)
    assert finish(proc)[0] == 130


def run_repl_req(env, example):
    server = peer(env, "nngcat listen --rep tcp://127.0.0.1:5555 --echo --count 1")
    wait_listening("tcp://127.0.0.1:5555")
    proc = sh(example, env, stdin=subprocess.PIPE)
    out, err = proc.communicate(b"ping\n", timeout=20)
    assert proc.returncode == 0, err
    assert b"ping" in out
    assert finish(server)[0] == 0


def run_repl_script(env, example):
    receiver = peer(env, "nngcat listen ipc:///tmp/x --count 1")
    wait_listening("ipc:///tmp/x")
    code, _, err = finish(sh(example, env))
    assert code == 0, err
    assert finish(receiver)[:2] == (0, b"hello\n")


def run_bench(env, example):
    code, out, err = finish(sh(example, env), timeout=120)
    assert code == 0, err
    assert b"msg/s" in out


HANDLERS = {
    "nngcat listen ipc:///tmp/nngcat-demo --count 1 &": None,  # paired with the next line
    "nngcat send ipc:///tmp/nngcat-demo hello": lambda env, ex: run_top_level_pair(env),
    "printf 'a\\nb\\n' | nngcat send --pub tcp://127.0.0.1:5556": run_pub,
    "nngcat send ipc:///tmp/nngcat-demo hello world": lambda env, ex: run_with_listener(
        env, ex, "nngcat listen ipc:///tmp/nngcat-demo --count 2", "ipc:///tmp/nngcat-demo", expected=b"hello\nworld\n"),
    "seq 1 1000 | nngcat send --push tcp://127.0.0.1:5555": lambda env, ex: run_with_listener(
        env, ex, "nngcat listen tcp://127.0.0.1:5555 --count 1000", "tcp://127.0.0.1:5555",
        expected=b"".join(b"%d\n" % i for i in range(1, 1001))),
    "nngcat send --req tcp://127.0.0.1:5555 --data ping --format quoted": lambda env, ex: run_with_listener(
        env, ex, "nngcat listen --rep tcp://127.0.0.1:5555 --echo --count 1 --format no", "tcp://127.0.0.1:5555",
        expected_out=b'"ping"\n'),
    "nngcat listen ipc:///tmp/nngcat-demo --count 2": lambda env, ex: run_listener_example(
        env, ex, "ipc:///tmp/nngcat-demo", "nngcat send ipc:///tmp/nngcat-demo one two", b"one\n", stop=False),
    "nngcat listen --sub tcp://127.0.0.1:5556 --subscribe news --format json": run_sub_example,
    "nngcat listen --rep tcp://127.0.0.1:5555 --exec 'tr a-z A-Z'": run_rep_example,
    "nngcat repl --req tcp://127.0.0.1:5555": run_repl_req,
    "printf '.dial ipc:///tmp/x\\nhello\\n.quit\\n' | nngcat repl --push": run_repl_script,
    "nngcat bench push --count 100000 --size 16": run_bench,
    "nngcat bench reqrep tcp://127.0.0.1:5557 --count 10000": run_bench,
}


def all_examples(ours):
    return [example for command in COMMANDS for example in examples(ours, command)]


def test_every_example_has_a_runner(ours):
    assert sorted(set(all_examples(ours))) == sorted(HANDLERS)


@pytest.mark.parametrize("example", [e for e in HANDLERS if HANDLERS[e] is not None])
def test_example_runs_as_written(ours, shell_env, example):
    HANDLERS[example](shell_env, example)
