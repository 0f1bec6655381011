"""man/nngcat.1 is clean roff: groff and mandoc report nothing."""
import subprocess

from docs_support import MAN_PAGE, need_tool, read


def test_groff_warns_about_nothing():
    groff = need_tool("groff", "groff-base")
    result = subprocess.run([groff, "-man", "-ww", "-z", MAN_PAGE], capture_output=True, timeout=30)
    assert result.returncode == 0
    assert result.stdout == b"" and result.stderr == b"", result.stderr.decode()


def test_mandoc_lint_is_clean():
    mandoc = need_tool("mandoc", "mandoc")
    result = subprocess.run([mandoc, "-T", "lint", MAN_PAGE], capture_output=True, timeout=30)
    messages = (result.stdout + result.stderr).decode()
    # Style notes included: the page is kept free of them too.
    assert messages == "", messages


def test_man_renders_every_section():
    groff = need_tool("groff", "groff-base")
    result = subprocess.run([groff, "-man", "-Tutf8", "-P", "-cbou", MAN_PAGE], capture_output=True, timeout=30)
    text = result.stdout.decode()
    for heading in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "FORMATS", "REPL COMMANDS", "DELIVERY GUARANTEE",
                    "LEGACY SYNTAX", "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES", "SEE ALSO"):
        assert f"\n{heading}\n" in text, f"section {heading} missing"
    for word in ("NO_COLOR", "XDG_STATE_HOME", "NNGCAT_SEQ", "NNGCAT_PEER", "130", "143", "--linger"):
        assert word in text


def test_repl_commands_are_documented():
    source = read(MAN_PAGE)
    for command in (".dial", ".listen", ".close", ".proto", ".sub", ".unsub", ".format", ".send", ".hex", ".file",
                    ".set", ".timeout", ".status", ".help", ".quit"):
        assert f"\n.BI {command} " in source or f"\n.B {command}\n" in source or f"\n.BR {command} " in source, command
