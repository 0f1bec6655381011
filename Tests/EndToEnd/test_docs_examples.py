"""Every example in the man page's EXAMPLES section runs as written (the TLS one
is skipped: it needs certificates), and the FORMATS section's byte-exact
examples are what the binary prints and reads."""
import os
import subprocess

import pytest

from conftest import Background, wait_listening
from docs_support import MAN_PAGE, example_blocks, read

EXAMPLES = example_blocks(read(MAN_PAGE), "EXAMPLES")
# What each example leaves behind, checked after it ran (files relative to its folder).
EXPECTED_FILES = {
    0: {"weather.txt": b"weather: sunny\n", "all.txt": b"news: quiet\nweather: sunny\n"},
    2: {"requests.txt": b"hello\n"},
    3: {"replayed.txt": b"one\ntwo\n\xff\n"},
}
EXPECTED_STDOUT = {
    0: b"weather: sunny\nnews: quiet\nweather: sunny\n",
    1: b"".join(b"%d\n" % n for n in range(1, 7)),
    2: b"HELLO\n",
    3: b"",
}


def test_examples_were_found():
    assert len(EXAMPLES) == 5
    assert "tls+tcp://" in EXAMPLES[4]


@pytest.fixture
def path_with_ours(ours, tmp_path):
    """A PATH on which `nngcat` is the binary under test."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    os.symlink(ours, bindir / "nngcat")
    return f"{bindir}:{os.environ['PATH']}"


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_example_runs_as_written(index, path_with_ours, tmp_path):
    script = EXAMPLES[index]
    if "tls+tcp://" in script:
        pytest.skip("needs a CA, a server certificate and key: covered by the TLS end-to-end tests")
    workdir = tmp_path / "work"
    workdir.mkdir()
    result = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=workdir, capture_output=True, timeout=60,
                            env={**os.environ, "PATH": path_with_ours})
    assert result.returncode == 0, f"example {index} failed:\n{script}\nstderr: {result.stderr.decode()}"
    assert result.stdout == EXPECTED_STDOUT[index]
    for name, content in EXPECTED_FILES.get(index, {}).items():
        assert (workdir / name).read_bytes() == content, name


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
