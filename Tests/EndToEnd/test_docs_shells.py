"""Each completion script in its real shell: bash with bash-completion, zsh
with compinit (driven through zpty from a non-interactive `zsh -c`), fish
with `complete -C`."""
import subprocess
import textwrap

import pytest

from docs_support import BASH_SCRIPT, COMPLETIONS, FISH_SCRIPT, need_file, need_tool

BASH_COMPLETION = "/usr/share/bash-completion/bash_completion"


@pytest.fixture(scope="module")
def bash():
    need_file(BASH_COMPLETION, "bash-completion")
    return need_tool("bash", "bash")


def bash_complete(bash, line):
    """COMPREPLY for the command line (the cursor at its end), as bash-completion computes it."""
    script = textwrap.dedent(f"""\
        source {BASH_COMPLETION}
        source {BASH_SCRIPT}
        complete -p nngcat
        line=$1
        COMP_LINE=$line
        COMP_POINT=${{#line}}
        COMP_WORDS=($line)
        [[ $line == *' ' ]] && COMP_WORDS+=('')
        COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
        COMPREPLY=()
        _nngcat nngcat "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
        printf '%s\\n' "${{COMPREPLY[@]}}"
        """)
    result = subprocess.run([bash, "--norc", "--noprofile", "-c", script, "bash", line], capture_output=True, timeout=30)
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode().splitlines()
    assert lines[0] == "complete -F _nngcat nngcat"
    return [w for w in lines[1:] if w]


def test_bash_completes_long_option(bash):
    assert bash_complete(bash, "nngcat send --prot") == ["--protocol"]  # --pr: --progress too


def test_bash_completes_format_values(bash):
    assert sorted(bash_complete(bash, "nngcat listen -f ")) == sorted(
        ["line", "raw", "quoted", "hex", "msgpack", "ascii", "json", "no"])


def test_bash_completes_value_after_equals(bash):
    assert bash_complete(bash, "nngcat send --input=b") == ["base64"]


def test_bash_completes_subcommands_and_legacy(bash):
    assert sorted(bash_complete(bash, "nngcat ")) == ["bench", "listen", "probe", "proxy", "repl", "send"]
    legacy = bash_complete(bash, "nngcat --pub0 --form")
    assert legacy == ["--format"]
    assert sorted(bash_complete(bash, "nngcat --pub0 --format ")) == ["ascii", "hex", "msgpack", "no", "quoted", "raw"]
    assert "--req0" in bash_complete(bash, "nngcat --re")


def test_bash_completes_files_and_protocols(bash, tmp_path):
    (tmp_path / "ca-cert.pem").write_text("x")
    assert bash_complete(bash, f"nngcat send --cacert {tmp_path}/ca-") == [f"{tmp_path}/ca-cert.pem"]
    assert bash_complete(bash, "nngcat repl -p resp") == ["respondent"]
    assert sorted(bash_complete(bash, "nngcat bench pu")) == ["pubsub", "push"]


ZSH_HARNESS = r"""
# zsh -c harness: an interactive zsh in a pseudo-terminal (zpty) with compinit,
# one TAB, then a widget that writes the edited line to a file; every
# candidate offered goes to OUT.hits through a compadd wrapper.
zmodload zsh/zpty || exit 9
dir=$1 out=$2 line=$3
: > $out
zpty z zsh -f -i
zpty -w z "PS1=''; unsetopt zle_bracketed_paste; fpath=($dir \$fpath); autoload -Uz compinit; compinit -u -d $out.zcd"
zpty -w z "compadd() { if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd \"\$@\"; return; fi; local -a __h; builtin compadd -A __h \"\$@\"; print -rl -- \$__h >> $out.hits; builtin compadd \"\$@\" }"
zpty -w z "__done() { print -r -- \"\$BUFFER\" >> $out; zle send-break }; zle -N __done; bindkey '^T' __done; bindkey '^I' complete-word"
# Type the line only once the shell has run all of the above: zle may drop earlier typeahead.
zpty -w z ": > $out.ready"
# Keep draining the terminal: a full pty would block the shell.
drain() { local junk; while zpty -r -t z junk; do :; done }
for i in {1..200}; do [[ -e $out.ready ]] && break; drain; sleep 0.05; done
sleep 0.1
zpty -w z "$line"$'\t\C-t'
for i in {1..300}; do [[ -s $out ]] && break; drain; sleep 0.05; done
zpty -d z
rm -f $out.ready
"""


@pytest.fixture(scope="module")
def zsh():
    return need_tool("zsh", "zsh")


def zsh_complete(zsh, tmp_path, line):
    """(the line after one TAB, every candidate offered)."""
    out = tmp_path / "zsh-out"
    subprocess.run([zsh, "-f", "-c", ZSH_HARNESS, "zsh", COMPLETIONS, str(out), line], capture_output=True, timeout=30)
    buffer = out.read_text().splitlines()[0] if out.exists() and out.read_text() else None
    hits_path = tmp_path / "zsh-out.hits"
    hits = {h for h in hits_path.read_text().splitlines() if h} if hits_path.exists() else set()
    for path in (out, hits_path):
        if path.exists():
            path.unlink()
    return buffer, hits


def test_zsh_completes_long_option(zsh, tmp_path):
    buffer, hits = zsh_complete(zsh, tmp_path, "nngcat send --prot")
    assert hits == {"--protocol"}
    assert buffer == "nngcat send --protocol="


def test_zsh_completes_flag_and_values(zsh, tmp_path):
    assert zsh_complete(zsh, tmp_path, "nngcat listen --ech")[0] == "nngcat listen --echo "
    assert zsh_complete(zsh, tmp_path, "nngcat listen -f ")[1] == {"line", "raw", "quoted", "hex", "msgpack", "ascii", "json", "no"}
    assert zsh_complete(zsh, tmp_path, "nngcat send --input=")[1] == {"raw", "hex", "base64", "quoted", "json"}


def test_zsh_completes_subcommands_and_legacy(zsh, tmp_path):
    assert zsh_complete(zsh, tmp_path, "nngcat ")[1] == {"send", "listen", "repl", "bench", "probe", "proxy"}
    assert zsh_complete(zsh, tmp_path, "nngcat --compa")[0] == "nngcat --compat "
    assert zsh_complete(zsh, tmp_path, "nngcat --pub0 --format ")[1] == {"no", "ascii", "quoted", "raw", "hex", "msgpack"}


@pytest.fixture(scope="module")
def fish():
    return need_tool("fish", "fish")


def fish_complete(fish, line):
    script = f"source {FISH_SCRIPT}; complete -C {fish_quote(line)}"
    result = subprocess.run([fish, "--no-config", "-c", script], capture_output=True, timeout=30)
    assert result.returncode == 0, result.stderr.decode()
    return [entry.split("\t")[0] for entry in result.stdout.decode().splitlines()]


def fish_quote(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def test_fish_completes_long_option(fish):
    assert fish_complete(fish, "nngcat listen --for") == ["--format"]


def test_fish_completes_values(fish):
    assert sorted(fish_complete(fish, "nngcat listen -f ")) == sorted(
        ["line", "raw", "quoted", "hex", "msgpack", "ascii", "json", "no"])
    assert sorted(fish_complete(fish, "nngcat send -p pu")) == ["pub", "pull", "push"]


def test_fish_completes_subcommands_and_legacy(fish):
    assert sorted(fish_complete(fish, "nngcat ")) == ["bench", "listen", "probe", "proxy", "repl", "send"]
    assert "--compat" in fish_complete(fish, "nngcat --pub0 --co")
    assert "--compat" in fish_complete(fish, "nngcat --co")
    # send's options are not offered to listen.
    assert fish_complete(fish, "nngcat listen --wai") == []


# --- probe and proxy: the patterns, and options no other command has ------------

PATTERNS = ["bus", "pair", "pipeline", "pubsub", "reqrep", "survey"]


def test_bash_completes_proxy_patterns_and_probe_proxy_options(bash):
    assert sorted(bash_complete(bash, "nngcat proxy ")) == PATTERNS
    assert sorted(bash_complete(bash, "nngcat proxy p")) == ["pair", "pipeline", "pubsub"]
    assert sorted(bash_complete(bash, "nngcat proxy pubsub --stat")) == ["--stats", "--stats-format"]
    assert sorted(bash_complete(bash, "nngcat proxy pubsub --tap")) == ["--tap", "--tap-match"]
    assert bash_complete(bash, "nngcat proxy reqrep --in-d") == ["--in-dial"]
    assert bash_complete(bash, "nngcat probe --js") == ["--json"]
    assert bash_complete(bash, "nngcat probe --tap") == []  # a proxy option, not probe's


def test_zsh_completes_proxy_patterns_and_probe_proxy_options(zsh, tmp_path):
    assert zsh_complete(zsh, tmp_path, "nngcat proxy ")[1] == set(PATTERNS)
    assert zsh_complete(zsh, tmp_path, "nngcat proxy pubsub --stats-f")[0] == "nngcat proxy pubsub --stats-format="
    assert zsh_complete(zsh, tmp_path, "nngcat proxy pubsub --tap-m")[0] == "nngcat proxy pubsub --tap-match="
    assert zsh_complete(zsh, tmp_path, "nngcat probe --js")[0] == "nngcat probe --json "


def test_fish_completes_proxy_patterns_and_probe_proxy_options(fish):
    assert sorted(fish_complete(fish, "nngcat proxy ")) == PATTERNS
    assert sorted(fish_complete(fish, "nngcat proxy pubsub --stat")) == ["--stats", "--stats-format"]
    assert fish_complete(fish, "nngcat proxy reqrep --out-d") == ["--out-dial"]
    assert fish_complete(fish, "nngcat probe --js") == ["--json"]
    assert fish_complete(fish, "nngcat probe --tap") == []
