# Builds and installs till: the release binary, the man page, and the bash, zsh and fish
# completions, each where its system looks for it.
#
#   make install                      # into /usr/local
#   make install PREFIX=$HOME/.local  # or anywhere else
#   make install DESTDIR=/tmp/stage   # staged, for packaging
#   make uninstall                    # the same PREFIX and DESTDIR remove what was installed
#
# SCRATCH=DIR builds in DIR instead of .build.

PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
INSTALL ?= install
SCRATCH ?=

build_flags := -c release --static-swift-stdlib $(if $(SCRATCH),--scratch-path $(SCRATCH))

bindir := $(DESTDIR)$(PREFIX)/bin
man1dir := $(DESTDIR)$(PREFIX)/share/man/man1
bashdir := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
zshdir := $(DESTDIR)$(PREFIX)/share/zsh/site-functions
fishdir := $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d

.PHONY: all build install uninstall

all: build

build:
	$(SWIFT) build $(build_flags)

install: build
	$(INSTALL) -d "$(bindir)" "$(man1dir)" "$(bashdir)" "$(zshdir)" "$(fishdir)"
	$(INSTALL) -m 755 "$$($(SWIFT) build $(build_flags) --show-bin-path)/till" "$(bindir)/till"
	$(INSTALL) -m 644 man/till.1 "$(man1dir)/till.1"
	$(INSTALL) -m 644 completions/till.bash "$(bashdir)/till"
	$(INSTALL) -m 644 completions/_till "$(zshdir)/_till"
	$(INSTALL) -m 644 completions/till.fish "$(fishdir)/till.fish"

uninstall:
	rm -f "$(bindir)/till" "$(man1dir)/till.1" "$(bashdir)/till" "$(zshdir)/_till" \
		"$(fishdir)/till.fish"
