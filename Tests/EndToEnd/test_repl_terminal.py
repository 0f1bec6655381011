"""`nngcat repl` in a real terminal: tmux runs it, send-keys types, capture-pane
reads the screen. Every wait is bounded, and the tmux server is always killed."""
import os
import re
import shlex
import shutil
import subprocess
import threading
import time
import uuid

import pynng
import pytest

from conftest import wait_listening

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Terminal:
    """One tmux server on its own socket, running one command in a 120x30 pane.
    The command's exit status is printed as EXIT=N and the pane stays open."""

    def __init__(self, command, env=None):
        self.socket = f"nngcat-test-{uuid.uuid4().hex[:12]}"
        env_words = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
        line = f"env NO_COLOR=1 {env_words} {command}; echo EXIT=$?; sleep 60"
        self.tmux("new-session", "-d", "-x", "120", "-y", "30", line)

    def tmux(self, *args):
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, timeout=10, check=True)

    def keys(self, *keys):
        self.tmux("send-keys", *keys)

    def type(self, text):
        self.tmux("send-keys", "-l", text)

    def screen(self):
        return self.tmux("capture-pane", "-p", "-N").stdout.decode()  # -N keeps trailing spaces

    def lines(self):
        return [line.rstrip() for line in self.screen().splitlines() if line.strip()]

    def wait_for(self, pattern, timeout=5.0):
        """Waits until the screen matches `pattern` (a regex); returns the screen."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if re.search(pattern, screen, re.MULTILINE):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"screen never matched {pattern!r}:\n{screen}")
            time.sleep(0.05)

    def kill(self):
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=10)


@pytest.fixture
def terminal(tmpdir_short):
    started = []
    state = os.path.join(tmpdir_short, "state")

    def start(args, env=None):
        full_env = {"XDG_STATE_HOME": state}
        full_env.update(env or {})
        t = Terminal(" ".join(shlex.quote(a) for a in args), env=full_env)
        started.append(t)
        return t

    start.state = state
    yield start
    for t in started:
        t.kill()


def test_message_arrives_above_prompt_while_typing(ours, terminal, ipc_url):
    with pynng.Pair1(listen=ipc_url, recv_timeout=5000) as peer:
        t = terminal([ours, "repl", "--pair", "--dial", ipc_url, "--no-history"])
        t.wait_for(r"^pair1 ipc://\S+> $")
        t.type("half typed")
        t.wait_for(r"> half typed$")
        peer.send(b"incoming message")
        t.wait_for(r"^incoming message$")
        lines = t.lines()
        # The message sits above the prompt, and the prompt still holds the typed text.
        assert lines[-1].endswith("> half typed"), lines
        assert lines[-2] == "incoming message", lines
        t.type(" and finished")
        t.keys("Enter")
        assert peer.recv() == b"half typed and finished"


def test_history_persists_across_sessions(ours, terminal):
    first = terminal([ours, "repl", "--push"])
    first.wait_for(r"^push> $")
    first.type(".timeout 3s")
    first.keys("Enter")
    first.wait_for(r"^push> $")
    first.type(".quit")
    first.keys("Enter")
    first.wait_for(r"^EXIT=0$")
    with open(os.path.join(terminal.state, "nngcat", "history")) as f:
        assert f.read().splitlines() == [".timeout 3s", ".quit"]

    second = terminal([ours, "repl", "--push"])
    second.wait_for(r"^push> $")
    second.keys("Up")
    second.wait_for(r"^push> \.quit$")
    second.keys("Up")
    second.wait_for(r"^push> \.timeout 3s$")
    second.keys("Enter")
    second.wait_for(r"^timeout: 3s$")


def test_no_history_writes_nothing(ours, terminal):
    t = terminal([ours, "repl", "--push", "--no-history"])
    t.wait_for(r"^push> $")
    t.type(".quit")
    t.keys("Enter")
    t.wait_for(r"^EXIT=0$")
    assert not os.path.exists(os.path.join(terminal.state, "nngcat", "history"))


def test_tab_completion(ours, terminal, tmpdir_short):
    # After C-u, readline may leave blanks where longer text was: hence ' +$'.
    t = terminal([ours, "repl", "--req", "--no-history"])
    t.wait_for(r"^req> $")
    t.type(".di")
    t.keys("Tab")
    t.wait_for(r"^req> \.dial $")
    t.keys("C-u")
    t.type(".proto resp")
    t.keys("Tab")
    t.wait_for(r"^req> \.proto respondent +$")
    t.keys("C-u")
    t.type(".format qu")
    t.keys("Tab")
    t.wait_for(r"^req> \.format quoted +$")
    t.keys("C-u")
    t.type(".set recv-s")
    t.keys("Tab")
    t.wait_for(r"^req> \.set recv-size-max +$")
    t.keys("C-u")
    with open(os.path.join(tmpdir_short, "payload-file.txt"), "w") as f:
        f.write("x")
    t.type(f".file {tmpdir_short}/payload-f")
    t.keys("Tab")
    t.wait_for(r"payload-file\.txt +$")


def test_url_completion_from_session(ours, terminal, ipc_url):
    with pynng.Rep0(listen=ipc_url):
        t = terminal([ours, "repl", "--req", "--no-history"])
        t.wait_for(r"^req> $")
        t.type(f".dial {ipc_url}")
        t.keys("Enter")
        t.wait_for(r"^dialed ")
        t.type(".close ip")
        t.keys("Tab")
        t.wait_for(r"> \.close " + re.escape(ipc_url) + " $")
        t.keys("Enter")
        t.wait_for(r"^closed ")


def test_req_round_trip(ours, c_nngcat, background, terminal, tcp_url):
    background([c_nngcat, "--rep", "--listen", tcp_url, "--data", "pong"])
    wait_listening(tcp_url)
    t = terminal([ours, "repl", "--req", tcp_url, "--no-history"])
    t.wait_for(r"^req tcp://127\.0\.0\.1:\d+> $")
    t.type("ping")
    t.keys("Enter")
    t.wait_for(r"^pong$")
    t.type(".status")
    t.keys("Enter")
    t.wait_for(r"^messages: 1 in, 1 out$")


def test_sub_shows_published_messages(ours, terminal, ipc_url):
    with pynng.Pub0(listen=ipc_url) as pub:
        t = terminal([ours, "repl", "--sub", ipc_url, "--no-history"])
        t.wait_for(r"^sub ipc://\S+> $")
        t.type(".sub weather")
        t.keys("Enter")
        t.wait_for(r"subscribed to 'weather'")
        deadline = time.monotonic() + 5
        while "weather: sunny" not in t.screen():
            assert time.monotonic() < deadline, t.screen()
            pub.send(b"sports: skipped")
            pub.send(b"weather: sunny")
            time.sleep(0.1)
        assert "sports" not in t.screen()


def test_ctrl_c_clears_line_and_second_on_empty_line_quits(ours, terminal):
    t = terminal([ours, "repl", "--push", "--no-history"])
    t.wait_for(r"^push> $")
    t.type("some text")
    t.keys("C-c")
    t.wait_for(r"^push> some text\^C\npush> $")
    t.keys("C-c")
    t.wait_for(r"press Ctrl-C again to quit")
    assert "EXIT=" not in t.screen()
    t.keys("C-c")
    t.wait_for(r"^EXIT=0$")


def test_other_key_disarms_ctrl_c(ours, terminal):
    t = terminal([ours, "repl", "--push", "--no-history"])
    t.wait_for(r"^push> $")
    t.keys("C-c")
    t.wait_for(r"press Ctrl-C again to quit")
    t.type("x")
    t.keys("BSpace")
    t.keys("C-c")
    time.sleep(0.3)
    assert "EXIT=" not in t.screen()
    t.keys("C-c")
    t.wait_for(r"^EXIT=0$")


def test_ctrl_d_quits(ours, terminal):
    t = terminal([ours, "repl", "--push", "--no-history"])
    t.wait_for(r"^push> $")
    t.keys("C-d")
    t.wait_for(r"^EXIT=0$")


def test_sigterm_restores_and_exits(ours, terminal):
    t = terminal([ours, "repl", "--push", "--no-history"])
    t.wait_for(r"^push> $")
    shell = t.tmux("display-message", "-p", "#{pane_pid}").stdout.decode().strip()
    children = subprocess.run(["pgrep", "-P", shell], capture_output=True, timeout=5).stdout.split()
    assert len(children) == 1
    os.kill(int(children[0]), 15)
    t.wait_for(r"^EXIT=143$")


def test_inputrc_vi_mode_applies(ours, terminal, tmpdir_short):
    inputrc = os.path.join(tmpdir_short, "inputrc")
    with open(inputrc, "w") as f:
        f.write("set editing-mode vi\n")
    t = terminal([ours, "repl", "--req", "--no-history"], env={"INPUTRC": inputrc})
    t.wait_for(r"^req> $")
    t.type(".proto pubx")
    t.keys("Escape")
    t.wait_for(r"^req> \.proto pubx$")
    t.keys("x")  # vi command mode: delete the character under the cursor
    t.wait_for(r"^req> \.proto pub *$")
    t.keys("Enter")
    t.wait_for(r"^pub> $")


def mapped_libraries(pid):
    with open(f"/proc/{pid}/maps") as f:
        return {line.split()[-1] for line in f if "/" in line}


def test_readline_is_loaded_only_by_the_terminal_repl(ours, terminal, background, ipc_url):
    """readline is opened at run time for the interactive REPL; the other modes
    never map it, which keeps their start-up short."""
    listener = background([ours, "listen", ipc_url])
    wait_listening(ipc_url)
    assert not any("libreadline" in path for path in mapped_libraries(listener.proc.pid))

    t = terminal([ours, "repl", "--pair", "--dial", ipc_url, "--no-history"])
    t.wait_for(r"^pair1 ipc://\S+> $")
    found = subprocess.run(["pgrep", "-f", f"repl --pair --dial {ipc_url}"], capture_output=True, timeout=10)
    # The tmux server and the shell match too; the REPL is the one running our binary.
    pids = [int(p) for p in found.stdout.split() if os.path.realpath(f"/proc/{int(p)}/exe") == os.path.realpath(ours)]
    assert len(pids) == 1, found
    assert any("libreadline" in path for path in mapped_libraries(pids[0]))
