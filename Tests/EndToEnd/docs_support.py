"""Helpers shared by the test_docs_* files: paths of the committed documents,
the generator entry point of the binary, and tools installed on demand."""
import os
import re
import shutil
import subprocess

import pytest

from conftest import ROOT

MAN_PAGE = os.path.join(ROOT, "man", "nngcat.1")
COMPLETIONS = os.path.join(ROOT, "completions")
BASH_SCRIPT = os.path.join(COMPLETIONS, "nngcat.bash")
ZSH_SCRIPT = os.path.join(COMPLETIONS, "_nngcat")
FISH_SCRIPT = os.path.join(COMPLETIONS, "nngcat.fish")
COMMANDS = ["send", "listen", "repl", "bench", "legacy"]


def generate(ours, *args):
    """Output of `nngcat __generate ARGS...` as text."""
    result = subprocess.run([ours, "__generate", *args], capture_output=True, timeout=20)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode()


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def man_section(text, command):
    """The lines between a command's GENERATED OPTIONS markers, each with its newline."""
    begin = f'.\\" BEGIN GENERATED OPTIONS {command}\n'
    end = f'.\\" END GENERATED OPTIONS {command}\n'
    assert text.count(begin) == 1 and text.count(end) == 1, f"markers for {command} missing or repeated"
    return text[text.index(begin) + len(begin):text.index(end)]


def unroff(line):
    """Undoes the escapes used in the man page's example blocks."""
    for escape, plain in ((r"\(aq", "'"), (r"\(dq", '"'), (r"\-", "-"), (r"\&", ""), (r"\e", "\\")):
        line = line.replace(escape, plain)
    return line


def example_blocks(text, section):
    """The `.EX` … `.EE` blocks of one `.SH` section, un-roffed, each as a script."""
    match = re.search(r"^\.SH " + re.escape(section) + r"\n(.*?)(?=^\.SH |\Z)", text, re.S | re.M)
    assert match, f"no section {section}"
    blocks = re.findall(r"^\.EX\n(.*?)^\.EE\n", match.group(1), re.S | re.M)
    return ["".join(unroff(line) + "\n" for line in block.splitlines()) for block in blocks]


def apt_install(package):
    if shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-q", package], capture_output=True, timeout=300)


def need_tool(executable, package):
    """The path of a tool, installing its Debian package first when it is missing."""
    if shutil.which(executable) is None:
        apt_install(package)
    path = shutil.which(executable)
    if path is None:
        pytest.fail(f"{executable} is missing: apt-get install {package}")
    return path


def need_file(path, package):
    """A file a Debian package provides, installing the package first when it is missing."""
    if not os.path.exists(path):
        apt_install(package)
    if not os.path.exists(path):
        pytest.fail(f"{path} is missing: apt-get install {package}")
    return path
