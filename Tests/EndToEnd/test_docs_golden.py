"""The committed completion scripts and the man page's option lists are what
the option table generates now (run scripts/regenerate-docs when this fails)."""
import pytest

from docs_support import BASH_SCRIPT, COMMANDS, FISH_SCRIPT, MAN_PAGE, ZSH_SCRIPT, generate, man_section, read

HINT = "out of date: run scripts/regenerate-docs"


@pytest.mark.parametrize("shell,path", [("bash", BASH_SCRIPT), ("zsh", ZSH_SCRIPT), ("fish", FISH_SCRIPT)])
def test_completion_script_is_current(ours, shell, path):
    assert read(path) == generate(ours, "completion", shell), f"{path} {HINT}"


@pytest.mark.parametrize("command", COMMANDS)
def test_man_page_options_are_current(ours, command):
    assert man_section(read(MAN_PAGE), command) == generate(ours, "man-options", command), f"man/nngcat.1 ({command}) {HINT}"


def test_all_sections_output_matches_the_fragments(ours):
    everything = generate(ours, "man-options")
    for command in COMMANDS:
        assert man_section(everything, command) == generate(ours, "man-options", command)


def test_generator_refuses_unknown_requests(ours):
    import subprocess
    for args in (["completion", "tcsh"], ["man-options", "nope"], ["bogus"], []):
        result = subprocess.run([ours, "__generate", *args], capture_output=True, timeout=20)
        assert result.returncode == 2 and b"usage: nngcat __generate" in result.stderr
