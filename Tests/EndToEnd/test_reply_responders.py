"""listen --rep answering from completion callbacks (--echo, --reply, reply
templates) with --jobs N contexts: concurrent requesters each get their own
reply, --count N answers exactly N requests however many contexts wait, and
a stdout nobody reads stops the answers instead of buffering without bound.
Peers are pynng requesters on threads; every wait is bounded and nothing
about speed is asserted."""
import json
import threading
import time

import pynng

from conftest import wait_listening

TIMEOUT_MS = 10000


def requesters(url, clients, body_of, stop_on_timeout=False, recv_timeout=TIMEOUT_MS, send_timeout=TIMEOUT_MS):
    """Starts `clients` threads, each with its own req socket, asking
    body_of(client, round) until it returns None; returns (threads, results),
    results[client] being the list of (request, reply or None)."""
    results = [[] for _ in range(clients)]

    def ask(client):
        with pynng.Req0(dial=url, recv_timeout=recv_timeout, send_timeout=send_timeout) as req:
            round_ = 0
            while (body := body_of(client, round_)) is not None:
                try:
                    req.send(body)
                    results[client].append((body, req.recv()))
                except pynng.Timeout:
                    results[client].append((body, None))
                    if stop_on_timeout:
                        return
                round_ += 1

    threads = [threading.Thread(target=ask, args=(c,), daemon=True) for c in range(clients)]
    for t in threads:
        t.start()
    return threads, results


def join(threads, timeout=60):
    deadline = time.monotonic() + timeout
    for t in threads:
        t.join(max(0.1, deadline - time.monotonic()))
        assert not t.is_alive(), "a requester never finished"


def test_echo_with_jobs_answers_eight_concurrent_requesters(ours, ipc_url, background):
    server = background([ours, "listen", "--rep", ipc_url, "--echo", "--jobs", "4", "--count", "400", "--format", "json"])
    wait_listening(ipc_url)
    threads, results = requesters(ipc_url, 8, lambda c, r: b"%d.%d" % (c, r) if r < 50 else None)
    join(threads)
    status, out, err = server.finish()
    assert status == 0, err
    for client in results:
        assert len(client) == 50
        assert all(reply == request for request, reply in client)
    printed = [json.loads(line) for line in out.decode().splitlines()]
    assert sorted(p["seq"] for p in printed) == list(range(1, 401))
    assert sorted(p["data"] for p in printed) == sorted(r.decode() for client in results for r, _ in client)


def test_count_with_jobs_answers_exactly_n(ours, ipc_url, background):
    server = background([ours, "listen", "--rep", ipc_url, "--reply", "pong", "--jobs", "4", "--count", "10"])
    wait_listening(ipc_url)
    # 8 requesters, 3 requests each: 24 asked, 10 answered; a requester
    # stops at its first unanswered request.
    threads, results = requesters(ipc_url, 8, lambda c, r: b"%d.%d" % (c, r) if r < 3 else None,
                                  stop_on_timeout=True, recv_timeout=3000, send_timeout=3000)
    status, out, err = server.finish()
    assert status == 0, err
    join(threads)
    answered = [reply for client in results for _, reply in client if reply is not None]
    assert answered == [b"pong"] * 10
    assert len(out.splitlines()) == 10


def test_reply_template_seq_counts_every_request_once_with_jobs(ours, ipc_url, background):
    server = background([ours, "listen", "--rep", ipc_url, "--template", "--reply", "{{seq}}:{{request}}",
                         "--jobs", "3", "--count", "60", "--format", "no"])
    wait_listening(ipc_url)
    threads, results = requesters(ipc_url, 6, lambda c, r: b"%d.%d" % (c, r) if r < 10 else None)
    join(threads)
    status, out, err = server.finish()
    assert (status, out) == (0, b""), err
    seqs = []
    for client in results:
        for request, reply in client:
            seq, _, echoed = reply.partition(b":")
            assert echoed == request
            seqs.append(int(seq))
    assert sorted(seqs) == list(range(1, 61))


def test_unread_stdout_stops_the_answers_then_all_are_answered(ours, ipc_url, background):
    clients, rounds, size = 8, 150, 4096
    total = clients * rounds
    server = background([ours, "listen", "--rep", ipc_url, "--echo", "--jobs", "4", "--count", str(total), "--format", "hex"])
    wait_listening(ipc_url)
    threads, results = requesters(ipc_url, clients, lambda c, r: bytes([c]) * size if r < rounds else None,
                                  recv_timeout=60000)
    # Nobody reads the server's stdout: once the pipe and both chunks are
    # full the answers stop. Wait until they have not moved for a second.
    answered, deadline = -1, time.monotonic() + 30
    while time.monotonic() < deadline:
        now = sum(len(client) for client in results)
        if now == answered:
            break
        answered = now
        time.sleep(1)
    # Each request prints as 16 KiB (\x41 per byte): the 64 KiB pipe, two
    # 256 KiB chunks and one request per context hold about 45, not 1200.
    assert answered < 400, answered
    status, out, err = server.finish(timeout=60)
    assert status == 0, err
    join(threads)
    assert sum(len(client) for client in results) == total
    assert all(reply == request for client in results for request, reply in client)
    lines = out.splitlines()
    assert len(lines) == total
    assert all(len(line) == 4 * size + 2 for line in lines)
