# nngcat: build, install and uninstall.
#   make build                       release binary (Swift runtime linked statically)
#   make install PREFIX=/usr/local   binary, man page and bash/zsh/fish completions
#   make uninstall PREFIX=/usr/local
#   make deb                         .build-deb/nngcat_VERSION_amd64.deb for Debian 12
# DESTDIR is honoured for staged installs. BIN selects the binary to install
# (default: the release build, built first when missing).

PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
SWIFT_BUILD_FLAGS ?= -c release --disable-index-store --static-swift-stdlib --disable-local-rpath
RELEASE_BIN := .build/release/nngcat
BIN ?= $(RELEASE_BIN)

BINDIR := $(PREFIX)/bin
MANDIR := $(PREFIX)/share/man/man1
BASHDIR := $(PREFIX)/share/bash-completion/completions
ZSHDIR := $(PREFIX)/share/zsh/site-functions
FISHDIR := $(PREFIX)/share/fish/vendor_completions.d

INSTALLED := \
	$(DESTDIR)$(BINDIR)/nngcat \
	$(DESTDIR)$(MANDIR)/nngcat.1 \
	$(DESTDIR)$(BASHDIR)/nngcat \
	$(DESTDIR)$(ZSHDIR)/_nngcat \
	$(DESTDIR)$(FISHDIR)/nngcat.fish

.PHONY: build install uninstall docs deb

build:
	$(SWIFT) build $(SWIFT_BUILD_FLAGS)

$(RELEASE_BIN):
	$(SWIFT) build $(SWIFT_BUILD_FLAGS)

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(BASHDIR) $(DESTDIR)$(ZSHDIR) $(DESTDIR)$(FISHDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/nngcat
	install -m 644 man/nngcat.1 $(DESTDIR)$(MANDIR)/nngcat.1
	install -m 644 completions/nngcat.bash $(DESTDIR)$(BASHDIR)/nngcat
	install -m 644 completions/_nngcat $(DESTDIR)$(ZSHDIR)/_nngcat
	install -m 644 completions/nngcat.fish $(DESTDIR)$(FISHDIR)/nngcat.fish

uninstall:
	rm -f $(INSTALLED)

# Always after a release build, so the package never holds a stale binary.
DEB_DIR ?= .build-deb
deb: build
	scripts/make-deb $(RELEASE_BIN) $(DEB_DIR)

# Regenerate the completion scripts and the man page's option lists from the option table.
docs:
	scripts/regenerate-docs

# The README's two set-up commands, and the benchmarks.
.PHONY: demo test bench
demo:
	scripts/demo

test:
	scripts/test

bench:
	@for tool in gnuplot nngcat bc python3 /usr/bin/time; do command -v $$tool >/dev/null || { scripts/install-deps bench; break; }; done
	bench/run

# Reliability checks: libFuzzer targets (fuzz/run, FUZZ_SECONDS each, default 30),
# the end-to-end tests under ASan and TSan, and valgrind memcheck on a
# 10,000-message send/listen. Opt-in; scripts/test runs only a short fuzz pass.
.PHONY: fuzz sanitize valgrind
fuzz:
	fuzz/run

sanitize:
	scripts/sanitized-e2e

valgrind:
	scripts/valgrind-check
