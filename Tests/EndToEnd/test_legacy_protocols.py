"""Legacy mode: every protocol pair with ours on either side and the C nngcat
on the other, compared with the C tool on both sides (stdout bytes, exit statuses)."""
import pytest

from conftest import free_port
from legacy_support import exchange

C = "/usr/bin/nngcat"

# name: (listening side's arguments, dialing side's arguments); each side
# prints in --raw, so the comparison covers both directions.
SCENARIOS = {
    "push-pull": (["--pull0", "--count", "1", "--recv-timeout", "5", "--raw"],
                  ["--push0", "--data", "pushed"]),
    "pub-sub": (["--sub0", "--count", "1", "--recv-timeout", "5", "--raw"],
                ["--pub0", "--data", "published", "--delay", "0"]),
    "sub-topic": (["--sub", "--subscribe", "we", "--count", "1", "--recv-timeout", "5", "--raw"],
                  ["--pub", "--data", "weather"]),
    "rep-req": (["--rep0", "--data", "answer", "--count", "1", "--raw"],
                ["--req0", "--data", "question", "--raw"]),
    "respondent-surveyor": (["--respondent0", "--data", "response", "--count", "1", "--raw"],
                            ["--surveyor0", "--data", "survey", "--raw"]),
    "pair1": (["--pair1", "--count", "1", "--recv-timeout", "5", "--raw"],
              ["--pair1", "--data", "paired", "--recv-timeout", "1", "--raw"]),
    "pair0": (["--pair0", "--count", "1", "--recv-timeout", "5", "--quoted"],
              ["--pair0", "--data", "paired0", "--recv-timeout", "1"]),
    "bus": (["--bus0", "--count", "1", "--recv-timeout", "5", "--hex"],
            ["--bus0", "--data", "bussed", "--recv-timeout", "1"]),
    "rep-no-data": (["--rep", "--count", "1", "--recv-timeout", "5", "--raw"],
                    ["--req", "--data", "unanswered", "--recv-timeout", "1", "--raw"]),
}


def scenario(listener_tool, dialer_tool, name, url):
    listen_args, dial_args = SCENARIOS[name]
    return exchange([listener_tool] + listen_args + ["--listen", url],
                    [dialer_tool] + dial_args + ["--dial", url], url)


@pytest.mark.parametrize("name", list(SCENARIOS))
@pytest.mark.parametrize("ours_on", ["listener", "dialer"])
def test_protocol_pair_matches_c(ours, name, ours_on):
    reference = scenario(C, C, name, f"tcp://127.0.0.1:{free_port()}")
    url = f"tcp://127.0.0.1:{free_port()}"
    got = scenario(ours, C, name, url) if ours_on == "listener" else scenario(C, ours, name, url)
    assert got == reference
    assert reference[1] or reference[3]  # something was printed


@pytest.mark.parametrize("transport", ["ipc", "inproc-free", "ws"])
def test_transports(ours, tmpdir_short, transport):
    url = {"ipc": f"ipc://{tmpdir_short}/t", "ws": f"ws://127.0.0.1:{free_port()}/x",
           "inproc-free": f"tcp://[::1]:{free_port()}"}[transport]
    if transport == "inproc-free":
        import socket
        try:
            socket.socket(socket.AF_INET6).bind(("::1", 0))
        except OSError:
            pytest.skip("no IPv6 loopback")
    reference = exchange([C, "--pull", "--listen", url, "--count", "1", "--recv-timeout", "5", "--raw"],
                         [C, "--push", "--dial", url, "-D", "over " + transport], url)
    url = url[:-2] + "/u" if transport == "ipc" else url  # the C listener leaves its socket file
    got = exchange([ours, "--pull", "--listen", url, "--count", "1", "--recv-timeout", "5", "--raw"],
                   [ours, "--push", "--dial", url, "-D", "over " + transport], url)
    assert got == reference and reference[1] == b"over " + transport.encode()
