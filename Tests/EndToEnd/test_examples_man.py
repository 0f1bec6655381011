"""Every example of the man page's EXAMPLES section runs as written, each block
as one script ("run it as it stands, in an empty directory"), in a temp folder
where `nngcat` is the binary under test, bounded in time."""
import os
import re
import shutil
import subprocess

import pytest

from examples_registry import Run, as_written, check_registered, folded, runnable, shell  # noqa: F401
from examples_support import man_examples

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


def run_probe_service(sh, example):
    """The probe's line carries a time that varies: everything else exactly."""
    job = sh.run(example, timeout=60, flags=("-e", "-o", "pipefail"))
    assert job.proc.returncode == 0, f"{example}\nstderr: {job.err()!r}"
    lines = job.out().decode().splitlines()
    assert len(lines) == 4, job.out()
    assert (lines[0], lines[3]) == ("hello", "bye")
    assert re.fullmatch(r"ipc:///tmp/nngcat-upper  rep0 \(49\), answered in \d+(\.\d+)? ms", lines[1]), lines[1]
    assert lines[2] == "  talk to it: nngcat send --req ipc:///tmp/nngcat-upper MESSAGE"


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
    folded("""
nngcat listen ipc:///tmp/nngcat-demo --count 3 --format '{{seq}}: {{data}} ({{size}} bytes)\\n' &
nngcat send --async --template ipc:///tmp/nngcat-demo --data 'n={{seq}} {{"{{"}}literal}}' --count 3
wait
""".strip()): Run("man-templates", script_runner(b"".join(b"%d: n=%d {{literal}} (15 bytes)\n" % (n, n) for n in (1, 2, 3)))),
    folded("""
nngcat listen --rep ipc:///tmp/nngcat-upper --template --reply '#{{seq}}: {{request}}' --count 1 --format no &
nngcat send --req --async ipc:///tmp/nngcat-upper --data hello
wait
""".strip()): Run("man-reply-template", script_runner(b"#1: hello\n")),
    folded("""
nngcat listen --rep ipc:///tmp/nngcat-upper --echo --count 2 > /dev/null &
nngcat send --req --async ipc:///tmp/nngcat-upper --data hello
nngcat probe ipc:///tmp/nngcat-upper
nngcat send --req --async ipc:///tmp/nngcat-upper --data bye
wait
""".strip()): Run("man-probe", run_probe_service),
    folded("""
nngcat proxy pipeline ipc:///tmp/nngcat-in ipc:///tmp/nngcat-out --tap --stats > tap.txt 2> stats.txt &
proxy=$!
nngcat listen --dial ipc:///tmp/nngcat-out --count 3 > out.txt &
seq 1 3 | nngcat send --async ipc:///tmp/nngcat-in
wait $!
kill -INT $proxy; wait $proxy || echo "proxy exited with status $?"
cat out.txt tap.txt
tail -1 stats.txt | grep -o 'in_out_msgs=[0-9]*'
""".strip()): Run("man-proxy-tap-stats", script_runner(
        b"proxy exited with status 130\n1\n2\n3\nin: 1\nin: 2\nin: 3\nin_out_msgs=3\n",
        {"out.txt": b"1\n2\n3\n", "tap.txt": b"in: 1\nin: 2\nin: 3\n"})),
}


def test_man_examples_are_registered():
    check_registered(man_examples(), MAN_EXAMPLES, "man page")


def test_no_example_quietly_stops_being_run():
    assert len(runnable(MAN_EXAMPLES)) == 9


@pytest.mark.parametrize("key,line,run", runnable(MAN_EXAMPLES))
def test_example_runs_as_written(key, line, run, shell):
    run.runner(shell, as_written(man_examples(), key, line))
