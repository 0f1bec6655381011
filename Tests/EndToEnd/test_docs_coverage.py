"""Every option the parser knows (each long name, alias and short letter of the
option table, for send, listen, repl, bench and the legacy syntax) appears in
the man page and in all three completion scripts, in the right place."""
import re
import subprocess

import pytest

from docs_support import BASH_SCRIPT, COMMANDS, FISH_SCRIPT, MAN_PAGE, ZSH_SCRIPT, generate, man_section, read


def parser_options(ours, command):
    spellings = generate(ours, "options", command).split()
    assert spellings, f"the parser knows no options for {command}?"
    return spellings


def help_long_options(ours, command):
    """The long options --help shows: a cross-check that `__generate options` is the parser's table."""
    result = subprocess.run([ours, command, "--help"], capture_output=True, timeout=20)
    assert result.returncode == 0
    shown = set()
    for line in result.stdout.decode().splitlines():
        column = re.match(r"^  (?:-\S, |    )(--\S.*?)(?:\s{2,}|$)", line)
        if column:
            shown.update(re.findall(r"--[a-z][a-z0-9-]*", column.group(1)))
    return shown


@pytest.mark.parametrize("command", ["send", "listen", "repl", "bench"])
def test_option_list_matches_help(ours, command):
    known = set(parser_options(ours, command))
    shown = help_long_options(ours, command)
    assert shown and shown <= known, f"--help shows options the table lacks: {shown - known}"


def roff(spelling):
    return spelling.replace("-", r"\-")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_in_man_page(ours, command):
    section = man_section(read(MAN_PAGE), command)
    tags = [line for line in section.splitlines() if line.startswith((".B ", ".BR ", ".BI "))]
    tag_text = "\n".join(tags)
    for spelling in parser_options(ours, command):
        pattern = r"(?<![\w\\-])" + re.escape(roff(spelling)) + r"(?![\w\\])"
        assert re.search(pattern, tag_text), f"{spelling} ({command}) is not listed in man/nngcat.1"


def bash_function(command):
    text = read(BASH_SCRIPT)
    match = re.search(r"^_nngcat_" + command + r"\(\) \{\n(.*?)^\}", text, re.S | re.M)
    assert match, f"no _nngcat_{command} in {BASH_SCRIPT}"
    return match.group(1)


def zsh_function(command):
    text = read(ZSH_SCRIPT)
    match = re.search(r"^_nngcat_" + command + r"\(\) \{\n(.*?)^\}", text, re.S | re.M)
    assert match, f"no _nngcat_{command} in {ZSH_SCRIPT}"
    return match.group(1)


def fish_lines(command):
    return [line for line in read(FISH_SCRIPT).splitlines() if f"'__nngcat_mode_is {command}'" in line]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_in_bash_completion(ours, command):
    words = set()
    for list_ in re.findall(r"compgen -W '([^']*)'", bash_function(command)):
        words.update(list_.split())
    for spelling in parser_options(ours, command):
        assert spelling in words, f"{spelling} ({command}) missing from {BASH_SCRIPT}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_in_zsh_completion(ours, command):
    body = zsh_function(command)
    for spelling in parser_options(ours, command):
        assert re.search(r"'\*?" + re.escape(spelling) + r"[+=]?\[", body), f"{spelling} ({command}) missing from {ZSH_SCRIPT}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_in_fish_completion(ours, command):
    text = "\n".join(fish_lines(command))
    for spelling in parser_options(ours, command):
        flag = f" -l {spelling[2:]} " if spelling.startswith("--") else f" -s {spelling[1:]} "
        assert flag in text, f"{spelling} ({command}) missing from {FISH_SCRIPT}"


def test_legacy_version_less_protocol_names_are_completed():
    # The C parser takes --req for --req0 (a unique prefix); the completions offer both.
    words = " ".join(re.findall(r"compgen -W '([^']*)'", bash_function("legacy"))).split()
    for name in ("--req", "--rep", "--push", "--pull", "--pub", "--surveyor", "--respondent", "--bus"):
        assert name in words and name + "0" in words
