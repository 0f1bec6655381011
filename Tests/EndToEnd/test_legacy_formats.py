"""Legacy mode: the same stdout bytes as the C nngcat for every format, on
text and binary bodies (all 256 byte values, empty, msgpack bin8/16/32 sizes).
The C tool sends; the C tool and ours receive the same message."""
import os

import pytest

from conftest import Background, run, wait_listening

BODIES = {
    "text": b"hello, \"world\"\\\n\ttab\r",
    "all-bytes": bytes(range(256)),
    "empty": b"",
    "bin8": b"x" * 255,
    "bin16": bytes(i % 256 for i in range(300)),
    "bin32": bytes(i % 251 for i in range(70000)),
}
FORMATS = [["--raw"], ["--ascii"], ["--quoted"], ["--hex"], ["--msgpack"], ["--format", "no"], []]
# Other spellings of the formats, checked on the text body only.
SPELLINGS = [["-A"], ["-Q"], ["--format=ascii"], ["--format:quoted"], ["--format", "hex"], ["--format", "raw"],
             ["--format", "msgpack"], ["--for", "raw"], ["--asc"], ["--q"], ["--m"]]


def receive_with_both(c_nngcat, ours, fmt, body, tmpdir):
    """The C tool pushes `body` (from a file) to a C puller and to ours, at the same time."""
    path = os.path.join(tmpdir, "body.bin")
    with open(path, "wb") as f:
        f.write(body)
    receivers, senders = [], []
    try:
        for name, tool in (("c", c_nngcat), ("o", ours)):
            url = f"ipc://{tmpdir}/{name}"
            receivers.append(Background([tool, "--pull0", "--listen", url, "--count", "1", "--recv-timeout", "5"] + fmt))
            wait_listening(url)
            senders.append(Background(["/usr/bin/nngcat", "--push", "--dial", url, "--file", path]))
        for sender in senders:
            assert sender.finish(timeout=10)[0] == 0
        return [receiver.finish(timeout=10)[:2] for receiver in receivers]
    finally:
        for process in receivers + senders:
            process.kill()


@pytest.mark.parametrize("body", list(BODIES), ids=str)
@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: " ".join(f) or "default")
def test_format_bytes_match_c(c_nngcat, ours, tmpdir_short, fmt, body):
    (c_rc, c_out), (o_rc, o_out) = receive_with_both(c_nngcat, ours, fmt, BODIES[body], tmpdir_short)
    assert (o_rc, o_out) == (c_rc, c_out)
    if fmt == ["--msgpack"] and body.startswith("bin"):
        assert o_out[0] == {"bin8": 0xC4, "bin16": 0xC5, "bin32": 0xC6}[body]


@pytest.mark.parametrize("fmt", SPELLINGS, ids=lambda f: " ".join(f))
def test_format_spellings_match_c(c_nngcat, ours, tmpdir_short, fmt):
    (c_rc, c_out), (o_rc, o_out) = receive_with_both(c_nngcat, ours, fmt, BODIES["text"], tmpdir_short)
    assert (o_rc, o_out) == (c_rc, c_out) and c_out


@pytest.mark.parametrize("fmt", [["--raw"], ["--ascii"], ["--quoted"], ["--hex"], ["--msgpack"]], ids=lambda f: f[0])
def test_several_messages_run_together_as_in_c(c_nngcat, ours, tmpdir_short, fmt):
    """--raw and --ascii print no separator between messages; the others end each with their own."""
    outs = []
    for name, tool in (("c", c_nngcat), ("o", ours)):
        url = f"ipc://{tmpdir_short}/m{name}"
        rx = Background([tool, "--pull", "--listen", url, "--count", "3", "--recv-timeout", "5"] + fmt)
        try:
            wait_listening(url)
            tx = run(["/usr/bin/nngcat", "--push", "--dial", url, "--data", "ab\x01", "--count", "3"], timeout=10)
            assert tx.returncode == 0
            outs.append(rx.finish(timeout=10)[:2])
        finally:
            rx.kill()
    assert outs[0] == outs[1]
