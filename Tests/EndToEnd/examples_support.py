"""What the test_examples_* files need to run documented examples as written: the
examples themselves (README code blocks, the man page's EXAMPLES, every
`--help` example), a shell that runs command lines in a temp folder with
`nngcat` on PATH and always kills what it started, a lock that serialises the
examples' fixed ports and ipc paths across concurrent runs, and a terminal."""
import fcntl
import os
import re
import shlex
import signal
import socket
import stat
import subprocess
import time
import uuid

from conftest import ROOT
from docs_support import MAN_PAGE, example_blocks, read

README = os.path.join(ROOT, "README.md")
HELP_COMMANDS = ["", "send", "listen", "repl", "bench", "probe", "proxy"]
# Addresses the examples hard-code: held by one test at a time, freed after it.
FIXED_PORTS = (5555, 5556, 5557, 5571)
FIXED_IPC_PATHS = ("/tmp/logs", "/tmp/nngcat-demo", "/tmp/x", "/tmp/nngcat-news", "/tmp/nngcat-work",
                   "/tmp/nngcat-upper", "/tmp/nngcat-record", "/tmp/nngcat-replay", "/tmp/nngcat-in", "/tmp/nngcat-out")
LOCK_PATH = "/tmp/nngcat-doc-examples.lock"


# ---------------------------------------------------------------- extraction

def markdown_code_blocks(text):
    """The code blocks of a Markdown text: fenced (``` or ~~~) and indented by
    four spaces after a blank line, each dedented, in order."""
    blocks, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        fence = re.match(r"^ {0,3}(```|~~~)", lines[i])
        if fence:
            end = i + 1
            while end < len(lines) and not lines[end].lstrip().startswith(fence.group(1)):
                end += 1
            blocks.append("\n".join(lines[i + 1:end]))
            i = end + 1
        elif lines[i].startswith("    ") and (i == 0 or not lines[i - 1].strip()):
            end = i
            while end < len(lines) and (lines[end].startswith("    ") or not lines[end].strip()):
                end += 1
            blocks.append("\n".join(line[4:] for line in lines[i:end]))
            i = end
        else:
            i += 1
    return blocks


def paragraphs(block):
    """A code block split at blank lines: each paragraph is one example with its comments."""
    found = []
    for part in re.split(r"\n\s*\n", block):
        text = "\n".join(line.rstrip() for line in part.splitlines()).strip("\n")
        if text:
            found.append(text)
    return found


def readme_examples():
    return [p for block in markdown_code_blocks(read(README)) for p in paragraphs(block)]


def man_examples():
    """Each `.EX` block of EXAMPLES is a complete script ("run it as it stands")."""
    return [script.rstrip("\n") for script in example_blocks(read(MAN_PAGE), "EXAMPLES")]


def help_examples(ours):
    """Every line under "Examples:" in the help of the top level and of each command."""
    found = []
    for command in HELP_COMMANDS:
        args = [ours, *([command] if command else []), "--help"]
        text = subprocess.run(args, capture_output=True, timeout=10, check=True).stdout.decode()
        assert "Examples:\n" in text, f"no Examples in {' '.join(args[1:])}"
        block = text.split("Examples:\n", 1)[1].split("\n\n", 1)[0]
        found += [line.strip() for line in block.splitlines() if line.strip()]
    return found


def commands_of(example):
    """The lines of an example that are commands, as written (comment lines dropped)."""
    return [line for line in example.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def promise_of(line):
    """The comment beside a command ("cmd   # prints X" -> "prints X"), or None."""
    match = re.search(r"\s+#\s+(.*)$", line)
    return match.group(1) if match else None


# ---------------------------------------------------------------- fixed addresses

def port_is_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def wait_ports_free(timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        taken = [p for p in FIXED_PORTS if not port_is_free(p)]
        if not taken:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"ports {taken} are held by a process this test did not start")
        time.sleep(0.1)


def remove_stale_ipc_files():
    for path in FIXED_IPC_PATHS:
        try:
            if stat.S_ISSOCK(os.lstat(path).st_mode):
                os.remove(path)
        except FileNotFoundError:
            pass


class FixedAddressLock:
    """An exclusive flock on one file in /tmp: every example test holds it, so two
    runs of the suite (other worktrees, other engineers) never share port 5555."""

    def __init__(self, timeout=300.0):
        self.fd = os.open(LOCK_PATH, os.O_RDWR | os.O_CREAT, 0o666)
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(self.fd)
                    raise AssertionError(f"{LOCK_PATH} stayed locked for {timeout:.0f}s")
                time.sleep(0.1)

    def release(self):
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


# ---------------------------------------------------------------- shell

class Job:
    """One `bash -c LINE` in its own session; stdout and stderr go to files, so
    that a background `&` job keeping them open never blocks the test."""

    def __init__(self, shell, line, stdin, extra_flags):
        self.line = line
        n = len(shell.jobs)
        self.out_path = os.path.join(shell.logs, f"{n}.out")
        self.err_path = os.path.join(shell.logs, f"{n}.err")
        with open(self.out_path, "wb") as out, open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen(["bash", *extra_flags, "-c", line], cwd=shell.cwd, env=shell.env,
                                         stdin=stdin, stdout=out, stderr=err, start_new_session=True)

    def wait(self, timeout=20.0):
        """The exit status of bash (the last command of the line), bounded in time."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"still running after {timeout}s: {self.line}\nstderr: {self.err()!r}")

    def out(self):
        with open(self.out_path, "rb") as f:
            return f.read()

    def err(self):
        with open(self.err_path, "rb") as f:
            return f.read()

    def wait_out(self, expected, timeout=10.0):
        """Waits until stdout holds exactly `expected` (a background job writes late)."""
        deadline = time.monotonic() + timeout
        while self.out() != expected and time.monotonic() < deadline:
            time.sleep(0.02)
        assert self.out() == expected, f"{self.line}\nstderr: {self.err()!r}"

    def kill(self):
        # The whole session: bash, its pipelines and its background jobs.
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass


class Shell:
    """Runs command lines as written with bash in one temp folder, `nngcat`
    being the binary under test; kills every job it started at the end."""

    def __init__(self, ours, cwd):
        self.cwd = cwd
        self.bin = os.path.join(cwd, ".bin")
        self.logs = os.path.join(cwd, ".logs")
        os.mkdir(self.bin)
        os.mkdir(self.logs)
        os.symlink(ours, os.path.join(self.bin, "nngcat"))
        self.env = dict(os.environ, PATH=self.bin + os.pathsep + os.environ["PATH"],
                        XDG_STATE_HOME=os.path.join(cwd, ".state"))
        self.jobs = []

    def start(self, line, stdin=subprocess.DEVNULL, flags=()):
        job = Job(self, line, stdin, flags)
        self.jobs.append(job)
        return job

    def run(self, line, timeout=20.0, flags=()):
        """Runs a line to its end; returns the job (exit status in job.proc.returncode)."""
        job = self.start(line, flags=flags)
        job.wait(timeout)
        return job

    def path(self, name):
        return os.path.join(self.cwd, name)

    def write(self, name, data, mode="wb"):
        with open(self.path(name), mode) as f:
            f.write(data)

    def read(self, name):
        with open(self.path(name), "rb") as f:
            return f.read()

    def wait_file(self, name, predicate, timeout=10.0):
        """Waits until predicate(content of file `name`) holds; returns the content."""
        deadline = time.monotonic() + timeout
        while True:
            content = self.read(name) if os.path.exists(self.path(name)) else b""
            if predicate(content):
                return content
            if time.monotonic() > deadline:
                raise AssertionError(f"{name} never became what was expected: {content!r}")
            time.sleep(0.02)

    def kill_all(self):
        for job in reversed(self.jobs):
            job.kill()


# ---------------------------------------------------------------- terminal

class Terminal:
    """One tmux server on its own socket running one command line with bash in a
    120x30 pane; the exit status is printed as EXIT=N and the pane stays open."""

    def __init__(self, shell, line):
        self.socket = f"nngcat-example-{uuid.uuid4().hex[:12]}"
        env_words = " ".join(f"{k}={shlex.quote(shell.env[k])}" for k in ("PATH", "XDG_STATE_HOME"))
        command = (f"cd {shlex.quote(shell.cwd)} && env NO_COLOR=1 {env_words} bash -c {shlex.quote(line)};"
                   " echo EXIT=$?; sleep 60")
        self.tmux("new-session", "-d", "-x", "120", "-y", "30", command)

    def tmux(self, *args):
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, timeout=10, check=True)

    def keys(self, *keys):
        self.tmux("send-keys", *keys)

    def type(self, text):
        self.tmux("send-keys", "-l", text)

    def lines(self):
        screen = self.tmux("capture-pane", "-p").stdout.decode()
        return [line.rstrip() for line in screen.splitlines() if line.strip()]

    def wait_for(self, pattern, timeout=5.0):
        """Waits until a line of the screen matches `pattern` in full; returns the lines."""
        deadline = time.monotonic() + timeout
        while True:
            lines = self.lines()
            if any(re.fullmatch(pattern, line) for line in lines):
                return lines
            if time.monotonic() > deadline:
                raise AssertionError(f"no line matched {pattern!r}:\n" + "\n".join(lines))
            time.sleep(0.05)

    def wait_for_tail(self, expected, timeout=5.0):
        """Waits until the last lines of the screen are `expected`."""
        deadline = time.monotonic() + timeout
        while self.lines()[-len(expected):] != expected:
            if time.monotonic() > deadline:
                raise AssertionError(f"screen does not end with {expected!r}:\n" + "\n".join(self.lines()))
            time.sleep(0.05)

    def kill(self):
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=10)
