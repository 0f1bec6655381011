"""TLS and WebSocket end to end: tls+tcp:// and wss:// with a CA and certificates
generated here with openssl, refusals with a clear one-line error, warnings,
usage errors, the C nngcat on either side (new and legacy syntax), and ws://
against pynng. Loopback only; every process is bounded in time.

What libnng 1.5.2 and 1.11.0 (both with mbedTLS 2.28) do, as these tests pin it down:
- a blocking dial performs the TLS handshake, so a refused certificate fails
  the dial itself: `send` exits 1 at once with one line on stderr;
- the handshake failure reaches us as one of two bare codes: "Peer could not
  be authenticated" (no CA to verify the server with) or "Cryptographic error"
  (wrong CA, expired certificate, wrong server name, or a peer that does not
  speak TLS); nngcat spells out what they mean;
- the server name defaults to the URL's host (as in the C nngcat), and mbedTLS
  2.28 matches it against the certificate's DNS names and CN only, never its
  IP addresses: dial `localhost`, or give `--server-name`, for a 127.0.0.1 peer;
- with `--async` a failed handshake is retried silently in the background:
  `send` ends with "no peer connected within --connect-timeout", exit 3.
"""
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time

import pytest

from conftest import Background, free_port, run

C = "/usr/bin/nngcat"


# ---------------------------------------------------------------- certificates

def _openssl(*args, cwd):
    done = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, timeout=30)
    assert done.returncode == 0, done.stderr.decode(errors="replace")


def _key_and_csr(d, name, cn):
    _openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={cn}", cwd=d)


def _sign(d, name, ca, ext_lines, out=None):
    with open(os.path.join(d, f"{name}.ext"), "w") as f:
        f.write("\n".join(ext_lines) + "\n")
    _openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.crt", "-CAkey", f"{ca}.key",
             "-CAcreateserial", "-days", "2", "-sha256", "-extfile", f"{name}.ext",
             "-out", out or f"{name}.crt", cwd=d)


class Certs:
    def __init__(self, d):
        self.dir = d

    def __getattr__(self, name):
        # certs.ca_crt -> <dir>/ca.crt
        stem, _, ext = name.rpartition("_")
        return os.path.join(self.dir, f"{stem}.{ext}")


@pytest.fixture(scope="module")
def certs():
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    d = tempfile.mkdtemp(prefix="nc-tls-", dir="/tmp")
    try:
        for ca, cn in (("ca", "nngcat test CA"), ("ca2", "unrelated CA")):
            _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                     "-keyout", f"{ca}.key", "-out", f"{ca}.crt", "-days", "2", "-subj", f"/CN={cn}", cwd=d)
        server_ext = ["subjectAltName=DNS:localhost,IP:127.0.0.1", "basicConstraints=CA:FALSE"]
        _key_and_csr(d, "server", "localhost")
        _sign(d, "server", "ca", server_ext)
        _key_and_csr(d, "other", "elsewhere.example")
        _sign(d, "other", "ca", ["subjectAltName=DNS:elsewhere.example"])
        _key_and_csr(d, "client", "nngcat client")
        _sign(d, "client", "ca", ["extendedKeyUsage=clientAuth"])
        # An expired server certificate for the right name, signed by the right
        # CA: openssl 3.0's x509 has no -not_before/-not_after, `openssl ca` has
        # -startdate/-enddate.
        os.mkdir(os.path.join(d, "db"))
        open(os.path.join(d, "db", "index.txt"), "w").close()
        with open(os.path.join(d, "db", "serial"), "w") as f:
            f.write("1000\n")
        with open(os.path.join(d, "ca.cnf"), "w") as f:
            f.write("[ca]\ndefault_ca = ca_default\n"
                    "[ca_default]\ndatabase = db/index.txt\nnew_certs_dir = db\nserial = db/serial\n"
                    "default_md = sha256\npolicy = any\nunique_subject = no\n"
                    "[any]\ncommonName = supplied\n"
                    "[server_ext]\nsubjectAltName = DNS:localhost,IP:127.0.0.1\nbasicConstraints = CA:FALSE\n")
        _openssl("ca", "-batch", "-config", "ca.cnf", "-cert", "ca.crt", "-keyfile", "ca.key",
                 "-in", "server.csr", "-out", "expired.crt", "-notext", "-extensions", "server_ext",
                 "-startdate", "20200101000000Z", "-enddate", "20200102000000Z", cwd=d)
        # The certificate and its key in one file, as --cert alone accepts.
        with open(os.path.join(d, "combined.pem"), "w") as f:
            f.write(open(os.path.join(d, "server.crt")).read() + open(os.path.join(d, "server.key")).read())
        for name in os.listdir(d):
            if name.endswith(".key") or name == "combined.pem":
                os.chmod(os.path.join(d, name), 0o600)
        yield Certs(d)
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_generated_certificates_are_what_the_tests_assume(certs):
    dates = subprocess.run(["openssl", "x509", "-in", certs.expired_crt, "-noout", "-enddate"],
                           capture_output=True, text=True, timeout=10).stdout
    assert "2020" in dates
    for crt in (certs.server_crt, certs.expired_crt):
        verify = subprocess.run(["openssl", "verify", "-CAfile", certs.ca_crt, "-no_check_time", crt],
                                capture_output=True, text=True, timeout=10)
        assert verify.returncode == 0, verify.stdout + verify.stderr
    wrong = subprocess.run(["openssl", "verify", "-CAfile", certs.ca2_crt, certs.server_crt],
                           capture_output=True, text=True, timeout=10)
    assert wrong.returncode != 0


# ---------------------------------------------------------------- helpers

def tls_url(scheme, host, port):
    return f"tls+tcp://{host}:{port}" if scheme == "tls" else f"wss://{host}:{port}/nngcat"


def listen_url(scheme, port):
    """Where the server listens. libnng 1.5.2's ws/wss listener answers only
    requests whose Host matches its own URL's host (others get an HTTP 404,
    which the dialer reports as "Connection refused"), so a wss server that
    clients reach as `localhost` listens as `localhost` (127.0.0.1 here)."""
    return tls_url(scheme, "127.0.0.1" if scheme == "tls" else "localhost", port)


def wait_port(port, timeout=5.0):
    """Waits until something accepts on 127.0.0.1:port (a bare TCP probe: a
    TLS listener drops it after the failed handshake and keeps listening)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)
    raise AssertionError(f"nobody listens on port {port}")


def start_server(cmd, port):
    server = Background(cmd)
    try:
        wait_port(port)
    except AssertionError:
        server.kill()
        raise
    return server


KEY_OF = {"server": "server", "expired": "server", "other": "other"}  # expired.crt reuses server.csr


def server_cmd(ours, certs, url, *extra, cert="server", count=1, timeout="5s"):
    return [ours, "listen", url, "--cert", os.path.join(certs.dir, f"{cert}.crt"),
            "--key", os.path.join(certs.dir, f"{KEY_OF[cert]}.key"),
            "--count", str(count), "--recv-timeout", timeout, *extra]


ONE_LINE_DIAL = re.compile(rb"^nngcat: dial \S+: [^\n]+\n$")


def assert_refused(done, *phrases):
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert ONE_LINE_DIAL.match(done.stderr), done.stderr
    text = done.stderr.decode()
    for phrase in phrases:
        assert phrase in text, text


# ---------------------------------------------------------------- verified connections

@pytest.mark.parametrize("scheme", ["tls", "wss"])
def test_verified_connection(ours, certs, scheme):
    port = free_port()
    server = start_server(server_cmd(ours, certs, listen_url(scheme, port), count=2), port)
    try:
        sent = run([ours, "send", tls_url(scheme, "localhost", port), "--cacert", certs.ca_crt],
                   input=b"over tls\n\x00binary\xff\n", timeout=15)
        assert sent.returncode == 0, sent.stderr
        assert sent.stderr == b""
        code, out, err = server.finish(timeout=15)
        assert (code, out) == (0, b"over tls\n\x00binary\xff\n"), err
    finally:
        server.kill()


@pytest.mark.parametrize("scheme", ["tls", "wss"])
def test_mutual_authentication(ours, certs, scheme):
    """The listener with --cacert checks the client's certificate; the client
    presents --cert/--key."""
    port = free_port()
    server = start_server(server_cmd(ours, certs, listen_url(scheme, port), "--cacert", certs.ca_crt), port)
    try:
        sent = run([ours, "send", tls_url(scheme, "localhost", port), "--cacert", certs.ca_crt,
                    "--cert", certs.client_crt, "--key", certs.client_key, "--data", "mutual"], timeout=15)
        assert sent.returncode == 0, sent.stderr
        code, out, err = server.finish(timeout=15)
        assert (code, out) == (0, b"mutual\n"), err
    finally:
        server.kill()


def test_server_name_option_lets_an_ip_address_verify(ours, certs):
    """mbedTLS 2.28 does not match IP addresses in certificates: dialing
    127.0.0.1 needs --server-name, and then it verifies."""
    port = free_port()
    server = start_server(server_cmd(ours, certs, tls_url("tls", "127.0.0.1", port)), port)
    try:
        sent = run([ours, "send", tls_url("tls", "127.0.0.1", port), "--cacert", certs.ca_crt,
                    "--server-name", "localhost", "--data", "named"], timeout=15)
        assert sent.returncode == 0, sent.stderr
        assert server.finish(timeout=15)[:2] == (0, b"named\n")
    finally:
        server.kill()


def test_combined_certificate_and_key_file(ours, certs):
    port = free_port()
    url = tls_url("tls", "127.0.0.1", port)
    server = start_server([ours, "listen", url, "--cert", certs.combined_pem, "--count", "1", "--recv-timeout", "5s"], port)
    try:
        sent = run([ours, "send", tls_url("tls", "localhost", port), "--cacert", certs.ca_crt, "--data", "c"], timeout=15)
        assert sent.returncode == 0, sent.stderr
        assert server.finish(timeout=15)[:2] == (0, b"c\n")
    finally:
        server.kill()


# ---------------------------------------------------------------- refusals

REFUSALS = {
    # name: (server certificate, client options, phrases in the one-line error)
    "wrong-ca": ("server", ["--cacert", "ca2.crt"], ["TLS handshake failed", "not signed by a --cacert authority"]),
    "expired": ("expired", ["--cacert", "ca.crt"], ["TLS handshake failed", "expired"]),
    "server-name": ("server", ["--cacert", "ca.crt", "--server-name", "other.example"],
                    ["TLS handshake failed", "not issued for 'other.example'"]),
    "cert-for-another-host": ("other", ["--cacert", "ca.crt"], ["TLS handshake failed", "not issued for 'localhost'"]),
    "no-ca": ("server", ["--cert", "client.crt", "--key", "client.key"],
              ["TLS handshake failed", "cannot be verified without --cacert"]),
}


@pytest.mark.parametrize("scheme", ["tls", "wss"])
@pytest.mark.parametrize("case", list(REFUSALS))
def test_refused_with_a_clear_error(ours, certs, scheme, case):
    cert, client_args, phrases = REFUSALS[case]
    port = free_port()
    server = start_server(server_cmd(ours, certs, listen_url(scheme, port),
                                     cert=cert, timeout="2s"), port)
    try:
        client_args = [os.path.join(certs.dir, a) if a.endswith((".crt", ".key")) else a for a in client_args]
        started = time.monotonic()
        done = run([ours, "send", tls_url(scheme, "localhost", port), *client_args, "--data", "secret"], timeout=15)
        assert time.monotonic() - started < 5  # the synchronous dial fails at once
        assert_refused(done, f"dial {tls_url(scheme, 'localhost', port)}: ", *phrases)
        code, out, err = server.finish(timeout=15)
        assert out == b""  # nothing got through
        assert code == 3  # listen --count 1 not reached within --recv-timeout
    finally:
        server.kill()


def test_ip_address_without_server_name_is_refused_with_a_hint(ours, certs):
    port = free_port()
    server = start_server(server_cmd(ours, certs, tls_url("tls", "127.0.0.1", port), timeout="2s"), port)
    try:
        done = run([ours, "send", tls_url("tls", "127.0.0.1", port), "--cacert", certs.ca_crt, "--data", "x"], timeout=15)
        assert_refused(done, "not issued for '127.0.0.1'", "give --server-name")
    finally:
        server.kill()


def test_plain_tcp_peer_is_refused(ours, certs):
    port = free_port()
    server = start_server([ours, "listen", f"tcp://127.0.0.1:{port}", "--recv-timeout", "2s"], port)
    try:
        done = run([ours, "send", tls_url("tls", "localhost", port), "--cacert", certs.ca_crt, "--data", "x"], timeout=15)
        assert_refused(done, "does not speak TLS")
    finally:
        server.kill()


def test_async_dial_with_refused_certificate_times_out(ours, certs):
    """With --async the handshake failure is retried silently: exit 3 after --connect-timeout."""
    port = free_port()
    server = start_server(server_cmd(ours, certs, tls_url("tls", "127.0.0.1", port), timeout="3s"), port)
    try:
        done = run([ours, "send", tls_url("tls", "localhost", port), "--cacert", certs.ca2_crt, "--async",
                    "--connect-timeout", "1s", "--data", "x"], timeout=15)
        assert done.returncode == 3, done.stderr
        assert b"no peer connected within 1s" in done.stderr
        assert server.finish(timeout=15)[:2] == (3, b"")
    finally:
        server.kill()


# ---------------------------------------------------------------- warnings and usage errors

@pytest.mark.parametrize("scheme", ["tls", "wss"])
def test_insecure_connects_and_warns(ours, certs, scheme):
    port = free_port()
    # The other host's certificate from the unrelated-to-the-client point of view:
    # nothing would verify, --insecure connects anyway.
    server = start_server(server_cmd(ours, certs, listen_url(scheme, port), cert="other"), port)
    try:
        sent = run([ours, "send", listen_url(scheme, port), "--insecure", "--data", "unverified"], timeout=15)
        assert sent.returncode == 0, sent.stderr
        assert sent.stderr.count(b"\n") == 1
        assert sent.stderr.startswith(b"nngcat: warning: ") and b"--insecure" in sent.stderr
        assert server.finish(timeout=15)[:2] == (0, b"unverified\n")
    finally:
        server.kill()


@pytest.mark.parametrize("combined", [False, True], ids=["key-file", "cert-holding-key"])
def test_private_key_readable_by_others_warns(ours, certs, tmp_path, combined):
    source = certs.combined_pem if combined else certs.server_key
    key = tmp_path / "open.pem"
    key.write_bytes(open(source, "rb").read())
    key.chmod(0o644)
    port = free_port()
    args = ["--cert", str(key)] if combined else ["--cert", certs.server_crt, "--key", str(key)]
    server = Background([ours, "listen", tls_url("tls", "127.0.0.1", port), *args, "--count", "1", "--recv-timeout", "5s"])
    try:
        wait_port(port)
        sent = run([ours, "send", tls_url("tls", "localhost", port), "--cacert", certs.ca_crt, "--data", "k"], timeout=15)
        assert sent.returncode == 0, sent.stderr
        code, out, err = server.finish(timeout=15)
        assert (code, out) == (0, b"k\n")
        assert err == f"nngcat: warning: private key {key} is readable by others (mode 644)\n".encode()
    finally:
        server.kill()


def test_private_key_mode_0600_does_not_warn(ours, certs):
    port = free_port()
    server = start_server(server_cmd(ours, certs, tls_url("tls", "127.0.0.1", port)), port)
    try:
        sent = run([ours, "send", tls_url("tls", "localhost", port), "--cacert", certs.ca_crt,
                    "--cert", certs.client_crt, "--key", certs.client_key, "--data", "quiet"], timeout=15)
        assert (sent.returncode, sent.stderr) == (0, b"")
        code, out, err = server.finish(timeout=15)
        assert (code, out, err) == (0, b"quiet\n", b"")
    finally:
        server.kill()


@pytest.mark.parametrize("command", ["send", "listen"])
@pytest.mark.parametrize("option", ["--cacert", "--cert", "--key"])
def test_missing_tls_file_is_a_usage_error(ours, certs, command, option):
    args = [ours, command, "tls+tcp://127.0.0.1:1", option, "/nonexistent/tls.pem"]
    if option == "--key":
        args += ["--cert", certs.server_crt]
    done = run(args, timeout=10)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count(b"\n") == 1
    assert b"cannot read /nonexistent/tls.pem for " + option.encode() in done.stderr


def test_key_without_cert_is_a_usage_error(ours, certs):
    done = run([ours, "send", "tls+tcp://127.0.0.1:1", "--key", certs.server_key, "--data", "x"], timeout=10)
    assert done.returncode == 2
    assert b"--key needs --cert" in done.stderr


# ---------------------------------------------------------------- against the C nngcat

def test_ours_sends_to_c_listener(ours, certs):
    port = free_port()
    c = start_server([C, "--pull0", "--listen", tls_url("tls", "127.0.0.1", port), "--cert", certs.server_crt,
                      "--key", certs.server_key, "--count", "2", "--recv-timeout", "5", "--quoted"], port)
    try:
        sent = run([ours, "send", tls_url("tls", "localhost", port), "--cacert", certs.ca_crt], input=b"one\ntwo\n", timeout=15)
        assert sent.returncode == 0, sent.stderr
        code, out, err = c.finish(timeout=15)
        assert (code, out) == (0, b'"one"\n"two"\n'), err
    finally:
        c.kill()


@pytest.mark.parametrize("scheme", ["tls", "wss"])
def test_c_dials_our_listener(ours, certs, scheme):
    port = free_port()
    server = start_server(server_cmd(ours, certs, listen_url(scheme, port)), port)
    try:
        c = run([C, "--push0", "--dial", tls_url(scheme, "localhost", port), "--cacert", certs.ca_crt, "--data", "from C"], timeout=15)
        assert c.returncode == 0, c.stderr
        code, out, err = server.finish(timeout=15)
        assert (code, out) == (0, b"from C\n"), err
    finally:
        server.kill()


def _legacy_dial(tool, certs, scheme, host, port, *options):
    """A C nngcat pull listener, and `tool` dialing it with legacy options. The
    listener's 3 s receive timeout leaves room for a TLS handshake on a busy machine.
    Returns (dialer status, dialer stderr, listener status, listener stdout)."""
    c = start_server([C, "--pull0", "--listen", listen_url(scheme, port), "--cert", certs.server_crt,
                      "--key", certs.server_key, "--count", "1", "--recv-timeout", "3", "--ascii"], port)
    try:
        dial = run([tool, "--push0", "--dial", tls_url(scheme, host, port), *options, "--data", "legacy"], timeout=15)
        code, out, _ = c.finish(timeout=15)
        return dial.returncode, dial.stderr, code, out
    finally:
        c.kill()


LEGACY = {
    "verified": ("tls", "localhost", ["--cacert", "ca.crt"]),
    "with-client-cert": ("tls", "localhost", ["--cacert", "ca.crt", "-E", "client.crt", "--key", "client.key"]),
    "insecure": ("tls", "127.0.0.1", ["-k"]),
    "wrong-ca": ("tls", "localhost", ["--cacert", "ca2.crt"]),
    "ip-address-name": ("tls", "127.0.0.1", ["--cacert", "ca.crt"]),  # the server name is the URL's host
    "no-ca": ("tls", "localhost", []),
    "wss-verified": ("wss", "localhost", ["--cacert", "ca.crt"]),
    "wss-insecure": ("wss", "localhost", ["--insecure"]),
    "wss-wrong-ca": ("wss", "localhost", ["--cacert", "ca2.crt"]),
}


@pytest.mark.parametrize("case", list(LEGACY))
def test_legacy_tls_matches_c(ours, certs, case):
    scheme, host, options = LEGACY[case]
    options = [os.path.join(certs.dir, o) if o.endswith((".crt", ".key")) else o for o in options]
    # The error texts name the URL, whose port differs between the two runs.
    normalize = lambda r: (r[0], re.sub(rb"(tls\+tcp|wss)://[^\s:]+:\d+(/\w+)?", b"URL", r[1]), r[2], r[3])
    reference = normalize(_legacy_dial(C, certs, scheme, host, free_port(), *options))
    got = normalize(_legacy_dial(ours, certs, scheme, host, free_port(), *options))
    assert got == reference
    if case in ("verified", "with-client-cert", "insecure", "wss-verified", "wss-insecure"):
        assert reference[0] == 0 and reference[3] == b"legacy"
    else:
        assert reference[0] == 1 and reference[3] == b""


# ---------------------------------------------------------------- ws:// with pynng

def test_ws_pynng_dials_our_listener(ours):
    pynng = pytest.importorskip("pynng")
    port = free_port()
    url = f"ws://127.0.0.1:{port}/pynng"
    server = start_server([ours, "listen", url, "--count", "3", "--recv-timeout", "5s", "--format", "hex"], port)
    try:
        with pynng.Push0(dial=url, send_timeout=5000) as push:
            for body in (b"first", b"", bytes(range(256))):
                push.send(body)
            time.sleep(0.2)
        code, out, err = server.finish(timeout=15)
        assert code == 0, err
        expected = b"".join(b'"' + b"".join(b"\\x%02x" % c for c in body) + b'"\n' for body in (b"first", b"", bytes(range(256))))
        assert out == expected
    finally:
        server.kill()


def test_ws_we_dial_pynng_listener(ours):
    pynng = pytest.importorskip("pynng")
    port = free_port()
    url = f"ws://127.0.0.1:{port}/pynng"
    with pynng.Pull0(listen=url, recv_timeout=5000) as pull:
        sent = run([ours, "send", url], input=b"alpha\nbeta\n", timeout=15)
        assert sent.returncode == 0, sent.stderr
        assert [pull.recv(), pull.recv()] == [b"alpha", b"beta"]


def test_ws_req_rep_with_pynng(ours):
    """Both directions on one connection: our req against a pynng rep."""
    pynng = pytest.importorskip("pynng")
    port = free_port()
    url = f"ws://127.0.0.1:{port}/rr"
    with pynng.Rep0(listen=url, recv_timeout=5000, send_timeout=5000) as rep:
        import threading

        def serve():
            for _ in range(2):
                rep.send(rep.recv().upper())

        t = threading.Thread(target=serve, daemon=True)
        t.start()
        done = run([ours, "send", "--req", url, "hello", "world", "--recv-timeout", "5s"], timeout=15)
        t.join(timeout=5)
        assert done.returncode == 0, done.stderr
        assert done.stdout == b"HELLO\nWORLD\n"
