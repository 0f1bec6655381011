"""Issue 7, part 1: nothing is lost and nothing is reordered between `send` and `listen`.

Every test is bounded by subprocess timeouts. The CI sizes are small enough for a
2-core machine; NNGCAT_SOAK=1 runs the full sizes of the issue (1,000,000 lines is
already the CI size; 100,000 binary messages, a 1 GiB message, 10,000 requests).
Output always goes to files, never to a pipe nobody reads.
"""
import base64
import hashlib
import json
import os
import random
import subprocess
import threading

import pytest

from conftest import run, wait_listening

SOAK = os.environ.get("NNGCAT_SOAK") == "1"


def stream_through(ours, url, send_args, listen_args, stdin_path, out_path, timeout):
    """Starts `listen`, pipes the file at stdin_path into `send`, waits for both.
    Returns (send CompletedProcess-like tuple, listen status, listen stderr)."""
    with open(out_path, "wb") as out, open(out_path + ".err", "wb") as lerr:
        listener = subprocess.Popen([ours, "listen", url, *listen_args], stdout=out, stderr=lerr)
        try:
            wait_listening(url)
            with open(stdin_path, "rb") as source:
                sent = subprocess.run([ours, "send", url, *send_args], stdin=source, capture_output=True, timeout=timeout)
            status = listener.wait(timeout=timeout)
        finally:
            if listener.poll() is None:
                listener.kill()
                listener.wait()
    with open(out_path + ".err", "rb") as f:
        return sent, status, f.read()


# --- 1,000,000 lines over pair (push/pull is in test_send_listen.py) ----------

@pytest.mark.parametrize("transport", ["ipc", "tcp"])
def test_pair_million_lines_in_order(ours, ipc_url, tcp_url, tmpdir_short, transport):
    url = ipc_url if transport == "ipc" else tcp_url
    n = 1_000_000
    data = b"".join(b"%d\n" % i for i in range(1, n + 1))
    src = os.path.join(tmpdir_short, "in")
    with open(src, "wb") as f:
        f.write(data)
    out_path = os.path.join(tmpdir_short, "out")
    sent, status, lerr = stream_through(ours, url, ["--pair"], ["--pair", "--count", str(n)], src, out_path, 120)
    assert sent.returncode == 0, sent.stderr
    assert status == 0, lerr
    with open(out_path, "rb") as f:
        got = f.read()
    assert len(got) == len(data)
    assert got == data


# --- random binary messages through --input hex and --format hex / json ------

def message_sizes(count, rng):
    """0..64 KiB, log-uniform (so small, medium and the largest sizes all occur),
    plus the edges 0, 1, 65535 and 65536 at fixed places."""
    sizes = [min(65536, int(2 ** rng.uniform(0, 16.0001)) - 1) for _ in range(count)]
    for i, edge in enumerate((0, 1, 65535, 65536)):
        sizes[(i * 7919) % count] = edge
    return sizes


def write_hex_input(path, count, seed):
    """Writes one hex record per message and returns the sha256 of each body, in order."""
    rng = random.Random(seed)
    digests = []
    with open(path, "wb") as f:
        for size in message_sizes(count, rng):
            body = rng.randbytes(size)
            digests.append(hashlib.sha256(body).digest())
            f.write(body.hex().encode() + b"\n")
    return digests


def parse_c_quoted_hex(line):
    # `--format hex` prints "\xHH\xHH..." (always \x escapes), one message per line.
    assert line.startswith(b'"') and line.endswith(b'"'), line[:40]
    inner = line[1:-1]
    assert len(inner) % 4 == 0
    return bytes.fromhex(inner.replace(b"\\x", b"").decode())


@pytest.mark.parametrize("transport,fmt", [("ipc", "hex"), ("tcp", "json")])
def test_random_binary_messages_byte_exact(ours, ipc_url, tcp_url, tmpdir_short, transport, fmt):
    url = ipc_url if transport == "ipc" else tcp_url
    count = 100_000 if SOAK else 10_000
    src = os.path.join(tmpdir_short, "in.hex")
    digests = write_hex_input(src, count, seed=7 if fmt == "hex" else 8)
    out_path = os.path.join(tmpdir_short, "out")
    sent, status, lerr = stream_through(ours, url, ["--input", "hex"], ["--count", str(count), "--format", fmt],
                                        src, out_path, 600 if SOAK else 120)
    assert sent.returncode == 0, sent.stderr
    assert status == 0, lerr
    got = []
    with open(out_path, "rb") as f:
        for line in f:
            line = line.rstrip(b"\n")
            if fmt == "hex":
                body = parse_c_quoted_hex(line)
            else:
                record = json.loads(line)
                body = base64.b64decode(record["base64"]) if "base64" in record else record["data"].encode()
                assert record["size"] == len(body) and record["seq"] == len(got) + 1
            got.append(hashlib.sha256(body).digest())
    assert len(got) == count
    first_bad = next((i for i, (a, b) in enumerate(zip(got, digests)) if a != b), None)
    assert first_bad is None, f"message {first_bad + 1} differs"


# --- one huge message through --file and --raw --recv-maxsz 0 ----------------

def make_file(path, size):
    """size bytes of non-repeating data (a counter pattern keyed per MiB); returns its sha256."""
    digest = hashlib.sha256()
    block = os.urandom(1 << 20)
    with open(path, "wb") as f:
        for i in range(size >> 20):
            chunk = i.to_bytes(8, "little") + block[8:]
            digest.update(chunk)
            f.write(chunk)
    return digest.hexdigest()


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


SIZES = [256 << 20] + ([1 << 30] if SOAK else [])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s >> 20}MiB")
@pytest.mark.parametrize("transport", ["ipc", "tcp"])
def test_huge_single_message_byte_exact(ours, ipc_url, tcp_url, tmpdir_short, transport, size):
    url = ipc_url if transport == "ipc" else tcp_url
    src = os.path.join(tmpdir_short, "big")
    expected = make_file(src, size)
    out_path = os.path.join(tmpdir_short, "out")
    try:
        with open(out_path, "wb") as out:
            listener = subprocess.Popen([ours, "listen", url, "--raw", "--recv-maxsz", "0", "--count", "1"],
                                        stdout=out, stderr=subprocess.PIPE)
            try:
                wait_listening(url)
                sent = run([ours, "send", url, "--file", src], timeout=180)
                assert sent.returncode == 0, sent.stderr
                _, lerr = listener.communicate(timeout=180)
                assert listener.returncode == 0, lerr
            finally:
                if listener.poll() is None:
                    listener.kill()
                    listener.wait()
        assert os.path.getsize(out_path) == size
        assert sha256_file(out_path) == expected
    finally:
        for p in (src, out_path):
            if os.path.exists(p):
                os.unlink(p)


# --- req/rep: concurrent clients against one --exec server with --jobs 4 -----

def test_concurrent_requests_each_get_their_own_reply(ours, ipc_url, tmpdir_short):
    clients, per_client = (8, 1250) if SOAK else (8, 250)
    server_out = os.path.join(tmpdir_short, "server.out")
    with open(server_out, "wb") as sout:
        server = subprocess.Popen([ours, "listen", "--rep", ipc_url, "--exec", "sed s/^/re:/", "--jobs", "4",
                                   "--format", "no"], stdout=sout, stderr=subprocess.PIPE)
    try:
        wait_listening(ipc_url)
        results = [None] * clients

        def client(k):
            lines = b"".join(b"c%d-%d\n" % (k, i) for i in range(per_client))
            out_path = os.path.join(tmpdir_short, f"client{k}.out")
            with open(out_path, "wb") as out:
                proc = subprocess.run([ours, "send", "--req", ipc_url, "--recv-timeout", "30s"], input=lines,
                                      stdout=out, stderr=subprocess.PIPE, timeout=300)
            with open(out_path, "rb") as f:
                results[k] = (proc.returncode, f.read(), proc.stderr)

        threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=320)
        assert not any(t.is_alive() for t in threads), "a client hung"
        for k, (code, out, err) in enumerate(results):
            assert code == 0, (k, err)
            # Each request is answered by its own reply, in the order it was sent.
            assert out == b"".join(b"re:c%d-%d\n" % (k, i) for i in range(per_client)), k
        assert server.poll() is None, "the server died"
    finally:
        server.kill()
        _, serr = server.communicate(timeout=10)
    assert b"not answered" not in serr and b"exited with status" not in serr, serr
