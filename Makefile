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

# The Swift runtime is linked in (--static-swift-stdlib): it starts faster than the dynamic build
# (Benchmarks/RESULTS.md). So is libstdc++, which the runtime needs: the loader then makes some
# 1,600 fewer symbol bindings at every start, a tenth of the work of `till checkout status`. The
# Swift driver asks for -lstdc++ by name; a directory searched before the compiler's own, where
# libstdc++.so is the static archive, answers it with the archive. The unwinder comes from
# libgcc's archive too (-static-libgcc), so libgcc_s.so is not loaded either. With nothing left
# to load from beside the binary, it gets no $ORIGIN run path, which spares the loader some
# fifty failed lookups of its libraries there at every start.
scratch_dir := $(if $(SCRATCH),$(SCRATCH),.build)
stdcxx_archive := $(shell $(CC) -print-file-name=libstdc++.a 2>/dev/null)
stdcxx_dir := $(abspath $(scratch_dir))/static-libstdc++
stdcxx_flags := $(if $(wildcard $(stdcxx_archive)),-Xswiftc -L$(stdcxx_dir))
build_flags := -c release --static-swift-stdlib --disable-local-rpath $(stdcxx_flags) \
	-Xswiftc -Xclang-linker -Xswiftc -static-libgcc $(if $(SCRATCH),--scratch-path $(SCRATCH))

bindir := $(DESTDIR)$(PREFIX)/bin
man1dir := $(DESTDIR)$(PREFIX)/share/man/man1
bashdir := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
zshdir := $(DESTDIR)$(PREFIX)/share/zsh/site-functions
fishdir := $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d

.PHONY: all build install uninstall

all: build

build: $(if $(stdcxx_flags),$(stdcxx_dir)/libstdc++.so)
	$(SWIFT) build $(build_flags)

$(stdcxx_dir)/libstdc++.so:
	mkdir -p "$(stdcxx_dir)"
	ln -sf "$(stdcxx_archive)" "$@"

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
