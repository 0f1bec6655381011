"""Long-running roles dial until they connect (issue 12, section 2): `listen`
started before its peer keeps retrying and works once the peer comes up; the
first refusal is reported once (`-q` silences it); `--no-retry` fails fast;
what is a mistake rather than an absent peer still ends the run; `send` still
fails fast. Every wait is bounded."""
import time

import pynng
import pytest

from examples_support import Shell


@pytest.fixture
def sh(ours, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    shell = Shell(ours, str(work))
    yield shell
    shell.kill_all()


def retry_line(url):
    return f"nngcat: dial {url}: Connection refused; retrying\n".encode()


def wait_for_pipe(socket, timeout=10.0):
    """Waits until our dialer reached the pynng listener (it retries with a back-off)."""
    deadline = time.monotonic() + timeout
    while not socket.pipes:
        assert time.monotonic() < deadline, "the dialer never connected"
        time.sleep(0.02)


def still_running_after(job, seconds):
    time.sleep(seconds)
    assert job.proc.poll() is None, f"exited with {job.proc.returncode}: {job.err()!r}"


def test_subscriber_started_2s_before_its_publisher_receives_every_message(sh, tcp_url):
    subscriber = sh.start(f"nngcat listen --sub {tcp_url} --count 5")
    still_running_after(subscriber, 2.0)
    publisher = sh.run(f"seq 1 5 | nngcat send --pub {tcp_url} --wait-peers 1", timeout=15)
    assert publisher.proc.returncode == 0, publisher.err()
    assert subscriber.wait(timeout=10) == 0, subscriber.err()
    assert subscriber.out() == b"1\n2\n3\n4\n5\n"


def test_first_refusal_is_reported_once(sh, tcp_url):
    subscriber = sh.start(f"nngcat listen --sub {tcp_url}")
    still_running_after(subscriber, 1.5)  # several attempts by now
    assert subscriber.err() == retry_line(tcp_url)


def test_quiet_retries_silently_and_still_connects(sh, tcp_url):
    subscriber = sh.start(f"nngcat listen --sub -q {tcp_url} --count 1")
    still_running_after(subscriber, 1.5)
    assert subscriber.err() == b""
    publisher = sh.run(f"nngcat send --pub {tcp_url} --wait-peers 1 --data hello", timeout=15)
    assert publisher.proc.returncode == 0, publisher.err()
    assert subscriber.wait(timeout=10) == 0, subscriber.err()
    assert (subscriber.out(), subscriber.err()) == (b"hello\n", b"")


def test_subscriber_keeps_receiving_when_the_publisher_restarts(sh, tcp_url):
    subscriber = sh.start(f"nngcat listen --sub {tcp_url}")
    with pynng.Pub0(listen=tcp_url) as pub:
        wait_for_pipe(pub)
        pub.send(b"before")
        subscriber.wait_out(b"before\n")
    with pynng.Pub0(listen=tcp_url) as pub:  # a new publisher on the same address
        wait_for_pipe(pub)
        pub.send(b"after")
        subscriber.wait_out(b"before\nafter\n")
    assert subscriber.proc.poll() is None


def test_pull_started_before_its_pusher(sh, tcp_url):
    puller = sh.start(f"nngcat listen --pull --dial {tcp_url} --count 1")
    still_running_after(puller, 1.0)
    with pynng.Push0(listen=tcp_url, send_timeout=5000) as push:
        push.send(b"work")
        assert puller.wait(timeout=10) == 0, puller.err()
    assert puller.out() == b"work\n"


def test_pull_started_before_its_ipc_path_exists(sh, ipc_url):
    puller = sh.start(f"nngcat listen --pull --dial {ipc_url} --count 1")
    still_running_after(puller, 1.0)
    with pynng.Push0(listen=ipc_url, send_timeout=5000) as push:
        push.send(b"work")
        assert puller.wait(timeout=10) == 0, puller.err()
    assert puller.out() == b"work\n"


def test_rep_started_before_its_requester(sh, tcp_url):
    replier = sh.start(f"nngcat listen --rep --dial {tcp_url} --echo --count 1")
    still_running_after(replier, 1.0)
    with pynng.Req0(listen=tcp_url, send_timeout=5000, recv_timeout=5000) as req:
        req.send(b"ping")
        assert req.recv() == b"ping"
    assert replier.wait(timeout=10) == 0, replier.err()


def test_respondent_started_before_its_surveyor(sh, tcp_url):
    respondent = sh.start(f"nngcat listen --respondent --dial {tcp_url} --echo --count 1")
    still_running_after(respondent, 1.0)
    with pynng.Surveyor0(listen=tcp_url, survey_time=5000, recv_timeout=5000) as surveyor:
        wait_for_pipe(surveyor)  # a survey goes only to the respondents connected when it is sent
        surveyor.send(b"anyone?")
        assert surveyor.recv() == b"anyone?"
    assert respondent.wait(timeout=10) == 0, respondent.err()


@pytest.mark.parametrize("url", ["foo://x", "tcp//127.0.0.1:5555"])
def test_malformed_url_is_still_a_usage_error(sh, url):
    job = sh.run(f"nngcat listen --sub '{url}'", timeout=5)
    assert job.proc.returncode == 2, job.err()


def test_unknown_host_still_ends_the_run_with_one_line(sh):
    url = "tcp://no-such-host.invalid:5555"
    job = sh.run(f"nngcat listen --sub {url}", timeout=10)
    assert job.proc.returncode == 1
    assert job.err().startswith(f"nngcat: dial {url}: ".encode()) and job.err().count(b"\n") == 1, job.err()


def test_impossible_port_is_not_retried(sh):
    # A configuration mistake, not an absent peer: one line, then the run ends
    # (1 as today; 2 would also be honest if the URL check grows stricter).
    job = sh.run("nngcat listen --sub tcp://127.0.0.1:99999", timeout=10)
    assert job.proc.returncode in (1, 2)
    assert job.err().count(b"\n") == 1, job.err()


def test_no_retry_fails_fast_on_refused(sh, tcp_url):
    started = time.monotonic()
    job = sh.run(f"nngcat listen --sub --no-retry {tcp_url}", timeout=5)
    assert job.proc.returncode == 1
    assert job.err() == f"nngcat: dial {tcp_url}: Connection refused\n".encode()
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("protocol", ["", "--req "])
def test_send_still_fails_fast_on_refused(sh, tcp_url, protocol):
    started = time.monotonic()
    job = sh.run(f"nngcat send {protocol}{tcp_url} --data x", timeout=5)
    assert job.proc.returncode == 1
    assert job.err() == f"nngcat: dial {tcp_url}: Connection refused\n".encode()
    assert time.monotonic() - started < 3


def test_verbose_reports_the_later_connection(sh, tcp_url):
    subscriber = sh.start(f"nngcat listen --sub -v {tcp_url} --count 1")
    still_running_after(subscriber, 1.0)
    with pynng.Pub0(listen=tcp_url) as pub:
        wait_for_pipe(pub)
        pub.send(b"x")
        assert subscriber.wait(timeout=10) == 0, subscriber.err()
    port = tcp_url.rsplit(":", 1)[1]
    assert subscriber.err().splitlines(keepends=True)[:2] == [
        retry_line(tcp_url), f"nngcat: peer connected: 127.0.0.1:{port}\n".encode()]


def test_scripted_repl_started_before_its_peer_delivers(sh, tcp_url):
    sh.write("typed", b"hello\n")
    repl = sh.start(f"nngcat repl --push --dial {tcp_url} < typed")
    still_running_after(repl, 1.0)
    with pynng.Pull0(listen=tcp_url, recv_timeout=5000) as pull:
        assert pull.recv() == b"hello"
    # Under the 10 s flush bound: a peer that left must not be waited for
    # (libnng can report its departure before its arrival).
    assert repl.wait(timeout=8) == 0, repl.err()
    # A script hears of the retry too, once, on stderr.
    assert repl.err().count(f"nngcat: dial {tcp_url}: Connection refused; retrying\n".encode()) == 1, repl.err()
