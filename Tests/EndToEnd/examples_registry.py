"""The bookkeeping shared by the test_examples_* files: each keeps a registry
from an example's text (whitespace runs folded) to how it is run, or why it is
not, so a new or edited example fails its file's registration test until
someone decides. Also the `shell` fixture the runners use."""
from dataclasses import dataclass
from typing import Callable

import pytest

from examples_support import FixedAddressLock, Shell, remove_stale_ipc_files, wait_ports_free


def folded(text):
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


@dataclass
class Run:
    name: str
    runner: Callable


@dataclass
class NotRun:
    reason: str


@dataclass
class PairedWith:
    """The first half of a pair of lines: the runner of `partner` runs both."""
    partner: str


def check_registered(found, registry, what):
    """Fails on examples without an entry, and on entries whose example is gone
    (edited or removed); a block registered line by line needs every line."""
    found = {folded(e) for e in found}
    new, gone = sorted(found - set(registry)), sorted(set(registry) - found)
    assert not new, f"{what} examples with no Run or NotRun:\n\n" + "\n\n".join(new)
    assert not gone, f"registered {what} examples that are no longer documented:\n\n" + "\n\n".join(gone)
    for key, entry in registry.items():
        if isinstance(entry, dict):
            assert sorted(entry) == sorted(key.splitlines()), f"every line of this block needs an entry:\n{key}"
        if isinstance(entry, PairedWith):
            assert isinstance(registry.get(entry.partner), Run), entry


def runnable(registry):
    """pytest params (key, line within a block or None, Run) for every Run of a registry."""
    params = []
    for key, entry in registry.items():
        for line, value in entry.items() if isinstance(entry, dict) else [(None, entry)]:
            for run in value if isinstance(value, list) else [value]:
                if isinstance(run, Run):
                    params.append(pytest.param(key, line, run, id=run.name))
    assert len({p.id for p in params}) == len(params), "two runs share a name"
    return params


def as_written(found, key, line):
    """The example's original text (the registry holds it folded)."""
    matches = [e for e in found if folded(e) == key]
    assert matches, f"no longer documented:\n{key}"
    if line is None:
        return matches[0]
    (example,) = [x for x in matches[0].splitlines() if folded(x) == line]
    return example


@pytest.fixture
def shell(ours, tmp_path):
    """A Shell in a fresh folder, holding the examples' fixed ports and ipc paths."""
    lock = FixedAddressLock()
    try:
        wait_ports_free()
        remove_stale_ipc_files()
        work = tmp_path / "work"
        work.mkdir()
        sh = Shell(ours, str(work))
        try:
            yield sh
        finally:
            sh.kill_all()
    finally:
        remove_stale_ipc_files()
        lock.release()
