"""The Debian package (make deb): one version everywhere, a binary that needs
no Swift toolchain, lintian-clean, and a clean install, use and purge in a
fresh Debian 12 root."""
import gzip
import os
import re
import subprocess
import tempfile

import pytest

from package_support import ROOT, run, source_version

VERSION_LINE = re.compile(r"^nngcat (\S+) \(NNG \d+\.\d+\.\d+\)\n$")


@pytest.fixture(scope="module")
def unpacked(deb):
    with tempfile.TemporaryDirectory(prefix="deb-") as path:
        run(["dpkg-deb", "-x", deb, path], timeout=60)
        yield path


def field(deb, name):
    return run(["dpkg-deb", "-f", deb, name], timeout=30).stdout.strip()


def changelog_md_top():
    with open(os.path.join(ROOT, "CHANGELOG.md")) as f:
        return re.search(r"^## (\S+) - \d{4}-\d{2}-\d{2}$", f.read(), re.M).group(1)


def test_binary_package_and_changelogs_name_one_version(deb, unpacked):
    version = source_version()
    printed = run([os.path.join(unpacked, "usr/bin/nngcat"), "--version"], timeout=10).stdout
    assert VERSION_LINE.match(printed) and VERSION_LINE.match(printed).group(1) == version, printed
    assert field(deb, "Version") == version
    assert changelog_md_top() == version
    assert os.path.basename(deb) == f"nngcat_{version}_amd64.deb"
    with gzip.open(os.path.join(unpacked, "usr/share/doc/nngcat/changelog.gz"), "rt") as f:
        assert f.readline() == f"nngcat ({version}) unstable; urgency=medium\n"
    with gzip.open(os.path.join(unpacked, "usr/share/man/man1/nngcat.1.gz"), "rt") as f:
        assert f' "nngcat {version}" ' in next(line for line in f if line.startswith(".TH "))


def test_depends_come_from_the_binary_and_readline_is_recommended(deb):
    depends = field(deb, "Depends")
    for package in ("libnng1", "libc6"):
        assert re.search(rf"(^|, ){package} \(>= [0-9.]+\)", depends), depends
    # The REPL opens readline by this soname (Sources/CReadline); libreadline8 ships it.
    with open(os.path.join(ROOT, "Sources", "CReadline", "ReadlineLoader.c")) as f:
        assert '"libreadline.so.8"' in f.read()
    assert field(deb, "Recommends") == "libreadline8"
    assert "readline" not in depends
    assert field(deb, "Architecture") == "amd64"
    assert field(deb, "Section") == "net" and field(deb, "Priority") == "optional"


def test_binary_is_stripped_and_needs_no_toolchain_library(unpacked):
    binary = os.path.join(unpacked, "usr/bin/nngcat")
    sections = run(["readelf", "-SW", binary], timeout=30).stdout
    assert ".symtab" not in sections and ".debug_info" not in sections
    assert not re.search(r"\((RPATH|RUNPATH)\)", run(["readelf", "-d", binary], timeout=30).stdout)
    libraries = run(["ldd", binary], timeout=30).stdout
    assert "libnng.so.1" in libraries
    assert "not found" not in libraries and "swift" not in libraries.lower(), libraries


def test_lintian_reports_no_error_or_warning(deb):
    result = subprocess.run(["lintian", "--fail-on", "error,warning", "--display-info", deb],
                            capture_output=True, text=True, timeout=300)
    complaints = [line for line in result.stdout.splitlines() if line[:2] in ("E:", "W:")]
    assert result.returncode == 0 and not complaints, result.stdout + result.stderr


# Paths that apt, dpkg and man-db rewrite on any install: not the package's files.
VOLATILE = ("proc", "dev", "tmp", "run", "var/cache", "var/log", "var/lib/apt", "var/lib/dpkg")


def tree(root):
    paths = set()
    for top, dirs, files in os.walk(root):
        relative = os.path.relpath(top, root)
        if any(relative == v or relative.startswith(v + "/") for v in VOLATILE):
            dirs[:] = []
            continue
        paths.update(os.path.normpath(os.path.join(relative, name)) for name in dirs + files)
    return paths


def test_installs_works_and_purges_in_a_clean_root(deb, clean_root):
    version = source_version()
    before = tree(clean_root.path)
    name = os.path.basename(deb)
    with open(deb, "rb") as src, open(os.path.join(clean_root.path, "tmp", name), "wb") as dst:
        dst.write(src.read())

    clean_root.run("apt-get update -q", timeout=300)
    clean_root.run(f"cd /tmp && apt-get install -y -q ./{name}", timeout=600)

    assert VERSION_LINE.match(clean_root.run("nngcat --version").stdout).group(1) == version
    assert clean_root.run("man -w nngcat").stdout == "/usr/share/man/man1/nngcat.1.gz\n"
    assert "send, receive and serve messages" in clean_root.run("MANWIDTH=200 man -P cat nngcat").stdout
    completion = clean_root.run("bash -c 'source /usr/share/bash-completion/completions/nngcat; complete -p nngcat'")
    assert completion.stdout == "complete -F _nngcat nngcat\n"
    # apt installs Recommends by default: the REPL's readline comes along.
    assert clean_root.run("dpkg-query -W -f '${Status}' libreadline8").stdout == "install ok installed"
    installed = clean_root.run("dpkg -L nngcat").stdout.split()
    for path in ("/usr/bin/nngcat", "/usr/share/zsh/vendor-completions/_nngcat",
                 "/usr/share/fish/vendor_completions.d/nngcat.fish", "/usr/share/doc/nngcat/copyright",
                 "/usr/share/doc/nngcat/changelog.gz"):
        assert path in installed
    # The snapshot sees the package's files, so the comparison below can fail.
    assert {"usr/bin/nngcat", "usr/share/doc/nngcat/copyright"} <= tree(clean_root.path) - before

    clean_root.run("apt-get remove --purge -y -q nngcat && apt-get autoremove --purge -y -q", timeout=300)
    status = clean_root.run("dpkg-query -W -f '${Status}' nngcat", check=False)
    assert status.returncode != 0 or "not-installed" in status.stdout, status.stdout
    after = tree(clean_root.path)
    assert after - before == set(), "left behind after purge"
    assert before - after == set(), "removed by the purge though they were there before"
