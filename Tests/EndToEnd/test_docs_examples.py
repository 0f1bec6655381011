"""The man page's FORMATS section: its byte-exact examples are what the binary
prints and reads. (The EXAMPLES section is run by test_examples_man.py.)"""
import subprocess

import pytest

from conftest import Background, wait_listening
from docs_support import MAN_PAGE, read

BODY = bytes.fromhex("48690922782201")
OUTPUTS = {
    "line": BODY + b"\n",
    "raw": BODY,
    "quoted": b'"Hi\\t\\"x\\"\\x01"\n',
    "hex": b'"\\x48\\x69\\x09\\x22\\x78\\x22\\x01"\n',
    "msgpack": bytes.fromhex("c407") + BODY,
    "ascii": b'Hi."x".\n',
}
ROFF_SHOWN = {
    "line": "48 69 09 22 78 22 01 0a",
    "raw": "48 69 09 22 78 22 01\n",
    "quoted": r'"Hi\et\e"x\e"\ex01"',
    "hex": r'"\ex48\ex69\ex09\ex22\ex78\ex22\ex01"',
    "msgpack": "c4 07 48 69 09 22 78 22 01",
    "ascii": 'Hi."x".',
}


def receive(ours, url, fmt, send_args, stdin):
    listener = Background([ours, "listen", url, "--count", "1", "--format", fmt])
    try:
        wait_listening(url)
        sent = subprocess.run([ours, "send", url, *send_args], input=stdin, capture_output=True, timeout=20)
        assert sent.returncode == 0, sent.stderr.decode()
        status, out, err = listener.finish()
        assert status == 0, err.decode()
        return out
    finally:
        listener.kill()


@pytest.mark.parametrize("fmt", sorted(OUTPUTS))
def test_output_format_example_is_byte_exact(ours, ipc_url, fmt):
    assert ROFF_SHOWN[fmt] in read(MAN_PAGE)
    assert receive(ours, ipc_url, fmt, ["--input", "hex"], b"48690922782201\n") == OUTPUTS[fmt]


def test_json_output_example_fields(ours, ipc_url):
    import json
    line = receive(ours, ipc_url, "json", ["--input", "hex"], b"48690922782201\n")
    record = json.loads(line)
    assert line.startswith(b'{"data":"Hi\\t\\"x\\"\\u0001","seq":1,"time":"')
    assert record["data"] == BODY.decode() and record["size"] == 7 and record["seq"] == 1
    assert b'{"base64":"/w==","seq":1,' in receive(ours, ipc_url, "json", ["--input", "hex"], b"ff\n")


INPUTS = {
    "hex": [b"48690922782201", b"48 69 09 22 78 22 01", b'"\\x48\\x69\\x09\\x22\\x78\\x22\\x01"'],
    "base64": [b"SGkJIngiAQ=="],
    "quoted": [b'"Hi\\t\\"x\\"\\x01"'],
    "json": [b'{"data":"Hi\\t\\"x\\"\\u0001"}', b'{"base64":"SGkJIngiAQ=="}'],
    "raw": [BODY],
}


@pytest.mark.parametrize("fmt", sorted(INPUTS))
def test_input_format_examples_decode_to_the_body(ours, ipc_url, fmt):
    page = read(MAN_PAGE)
    for record in INPUTS[fmt]:
        if fmt != "raw":
            assert record.decode().replace("\\", "\\e") in page, record
        assert receive(ours, ipc_url, "raw", ["--input", fmt], record + b"\n") == BODY
