"""Legacy mode: every refusal of the C nngcat, with the same stderr text and
exit status, and the same help/version output. No peers needed."""
import pytest

from conftest import loaded_nng_version
from legacy_support import both

BAD = "tcp://127.0.0.1:1"

REFUSALS = [
    ["--re", "--dial", BAD],                               # ambiguous prefix
    ["--pu", "--dial", BAD],
    ["--he"],
    ["--", "--dial", BAD],                                 # '--' is an ambiguous empty name
    ["--push", "--pull", "--dial", BAD],                   # two protocols
    ["--push", "--dial", BAD],                             # no data
    ["--req", "--dial", BAD],
    ["--surveyor", "--dial", BAD],
    ["--sub", "--dial", BAD, "-D", "a"],                   # data on a receive-only protocol
    ["--pull", "--dial", BAD, "-F", "/etc/hostname"],
    ["--pull", "--subscribe", "a", "--dial", BAD],         # --subscribe without --sub
    ["--pull", "--interval", "1", "--dial", BAD],          # --interval with receive-only protocols
    ["--sub", "--interval", "1", "--dial", BAD],
    ["--rep", "--interval", "1", "--dial", BAD],
    ["--respondent", "--interval", "1", "--dial", BAD],
    ["--bus", "--interval", "1", "--dial", BAD],
    ["--pair1", "--interval", "1", "--dial", BAD],
    ["--pair1", "--compat", "--dial", BAD],                # pair1 with --compat
    ["--push", "--count", "1", "--compat", "--dial", BAD, "-D", "a"],
    ["--push", "--async", "--compat", "--dial", BAD, "-D", "a"],
    ["--push", "--count", "x", "--dial", BAD, "-D", "a"],  # non-integer counts
    ["--push", "--count", "", "--dial", BAD, "-D", "a"],
    ["--push", "--count", "-1", "--dial", BAD, "-D", "a"],
    ["--push", "--count", "2147483648", "--dial", BAD, "-D", "a"],
    ["--push", "-d", "86401", "--dial", BAD, "-D", "a"],
    ["--push", "-i", "1.5", "--dial", BAD, "-D", "a"],
    ["--push", "--recv-timeout", "s", "--dial", BAD, "-D", "a"],
    ["--push", "--send-timeout", "99999", "--dial", BAD, "-D", "a"],
    ["--pull", "-Z", "-1", "--dial", BAD],
    ["--push", "-L", "65537", "-D", "a"],
    ["--push", "-F", "/nonexistent/file", "--dial", BAD],  # missing files
    ["--push", "--cacert", "/nonexistent/ca", "--dial", BAD, "-D", "a"],
    ["--push", "--cert", "/nonexistent/cert", "--dial", BAD, "-D", "a"],
    ["--push", "--key", "/nonexistent/key", "--dial", BAD, "-D", "a"],
    ["--push", "-F", "/tmp", "--dial", BAD],               # a directory
    ["--push", "-D", "a", "-D", "b", "--dial", BAD],       # data twice
    ["--push", "-D", "a", "-F", "/etc/hostname", "--dial", BAD],
    ["--push", "--key", "/etc/hostname", "--key", "/etc/hostname", "--dial", BAD],
    ["--push", "--cert", "/etc/hostname", "--cert", "/etc/hostname", "--dial", BAD],
    ["--push", "--cacert", "/etc/hostname", "--cacert", "/etc/hostname", "--dial", BAD],
    ["--pull", "--ascii", "--hex", "--dial", BAD],         # two formats
    ["--pull", "--format", "raw", "--raw", "--dial", BAD],
    ["--pull", "--format", "json", "--dial", BAD],
    ["--push", "--raw", "-D", "a", "--dial", BAD],         # format on a send-only protocol
    ["--pub", "--format=no", "-D", "a", "--dial", BAD],
    ["--push", "--dial"],                                  # missing values
    ["--push", "-D"],
    ["--dat"],
    ["--bogus"],                                           # unknown options
    ["--bogus=3"],
    ["-y"],
    ["-vq"],                                               # no clustering
    ["--push=x"],                                          # value on a flag
    ["--dial", BAD],                                       # no protocol
    ["--push", "-D", "a"],                                 # no address
    ["--pull"],
    ["--push", "-D", "a", "--dial", BAD],                  # connection refused
    ["--push", "-D", "a", "--dial", "foo://bar"],
    ["--push", "-D", "a", "--dial", "tcp://127.0.0.1"],
    ["--push", "-D", "a", "--dial", "tcp://127.0.0.1:65536"],
    ["--push", "-D", "a", "--listen", "tcp://127.0.0.1:99999"],
    ["--push", "-D", "a", "--listen", "tcp://8.8.8.8:5555"],
    ["--push", "-D", "a", "--dial", "inproc://nobody-here"],
    ["--push", "-D", "a", "--dial", "ipc:///nonexistent/dir/sock"],
    ["--push", "-D", "a", "-x", "nonexistent/dir/sock"],
    ["--push", "-D", "a", "-l", "1"],
    ["--push", "-D", "a", "--dial=", ],
    ["--push", "-D", "a", "--connect", BAD],
    ["--push", "--cert", "/etc/hostname", "-D", "a", "--dial", "tls+tcp://127.0.0.1:1"],
    ["--push", "--socket-name", "x", "--zt-home", "y", "-D", "a", "--dial", BAD],
    # help and version, wherever they appear
    ["--push", "--help"],
    ["--push", "-h", "--bogus"],
    ["--push", "--push", "--bogus"],                       # the first fault wins
]


@pytest.mark.parametrize("args", REFUSALS, ids=lambda a: " ".join(a) or "<none>")
def test_refusal_matches_c(c_nngcat, ours, args):
    c, o = both(c_nngcat, ours, args, timeout=10)
    assert (o.returncode, o.stdout, o.stderr) == (c.returncode, c.stdout, c.stderr)


# --version prints the version of the libnng each tool loaded: the C tool's is
# Debian's 1.5.2 whatever release ours runs against, so the text may differ.
@pytest.mark.parametrize("args", [["--vers"], ["--push", "-V", "--bogus"]], ids=" ".join)
def test_version_matches_c(c_nngcat, ours, nng_version, args):
    c, o = both(c_nngcat, ours, args, timeout=10)
    assert (o.returncode, o.stderr) == (c.returncode, c.stderr) == (0, b"")
    assert c.stdout == loaded_nng_version(c_nngcat).encode() + b"\n"
    assert o.stdout == nng_version.encode() + b"\n"


def test_help_text_is_the_c_one(c_nngcat, ours):
    c, o = both(c_nngcat, ours, ["--push", "--help"])
    assert c.returncode == o.returncode == 1
    assert o.stdout == c.stdout and b"--recv-maxsz" in o.stdout


# Deliberate improvement: a word that is not an option is an error.
def test_non_option_word_is_an_error(c_nngcat, ours):
    args = ["--push", "-D", "a", "stray", "--dial", "tcp://127.0.0.1:1"]
    c, o = both(c_nngcat, ours, args)
    assert c.stderr == b"No address specified.\n"  # the C tool silently stopped at 'stray'
    assert o.returncode == 1
    assert b"stray" in o.stderr and o.stdout == b""
