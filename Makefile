# Gazette: `make run` to start, `make test` for the whole suite, `make bench` for benchmarks.
SHELL := /bin/bash
SWIFT ?= swift
BIN_RELEASE := .build/release/gazette

PREFIX ?= /usr/local

.PHONY: run build release install test test-swift test-python test-ops bench deps tdlib clean

## Build in release and start everything in one process on SQLite (./data/gazette.sqlite).
run: release tdlib
	@echo "starting $(BIN_RELEASE) run (Ctrl-C to stop)"
	$(BIN_RELEASE) run

deps:
	scripts/install-deps.sh build

## TDLib's JSON library for the user account, into .tdlib/ (from the tdjson wheel; docs/SOURCES.md, "User account").
tdlib:
	scripts/install-tdlib.sh

build: deps
	$(SWIFT) build

# The Swift runtime and Foundation are linked into the binaries (as in the container image): a process maps and
# relocates far fewer pages at start-up (docs/BENCHMARKS.md, worker memory).
release: deps
	$(SWIFT) build -c release --static-swift-stdlib --product gazette
	$(SWIFT) build -c release --static-swift-stdlib --product gazette-render

## Install gazette and gazette-render into $(PREFIX)/bin and TDLib's libtdjson.so into $(PREFIX)/lib/gazette, where the
## installed binary looks for it (PREFIX=/usr/local by default; DESTDIR for packaging).
install: release tdlib
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/gazette
	install -m 0755 $(BIN_RELEASE) .build/release/gazette-render $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 .tdlib/libtdjson.so $(DESTDIR)$(PREFIX)/lib/gazette/libtdjson.so

## The whole test suite: Swift tests (SQLite and a throwaway PostgreSQL), operations checks, Python end-to-end tests.
## The Swift tests run the debug build; the Python suites run the release binaries, built by `make release` exactly as
## `make run`, `make install` and the container image build them (docs/DEPLOYMENT.md, "Tests").
test:
	scripts/install-deps.sh test
	scripts/python-venv.sh
	scripts/install-tdlib.sh
	$(SWIFT) build --build-tests
	$(MAKE) --no-print-directory release
	scripts/with-postgres.sh $(MAKE) --no-print-directory test-swift test-python
	$(MAKE) --no-print-directory test-ops

# Under `make test` every test runs: a missing server, library or tool (PostgreSQL, TDLib, poppler-utils, Chromium, the
# gazette binary, systemd-analyze, swift for scripts/module-graph.py) fails the tests that need it instead of skipping
# them (TestRequirement, tests/python/requirement.py, scripts/test-ops.sh).
REQUIRE_ALL := GAZETTE_TEST_REQUIRE_POSTGRES=1 GAZETTE_TEST_REQUIRE_TDLIB=1 GAZETTE_TEST_REQUIRE_POPPLER=1 \
	GAZETTE_TEST_REQUIRE_BROWSER=1 GAZETTE_TEST_REQUIRE_BINARY=1 GAZETTE_TEST_REQUIRE_SYSTEMD=1 GAZETTE_TEST_REQUIRE_SWIFT=1

test-swift:
	$(REQUIRE_ALL) $(SWIFT) test --skip-build

# The binary that ships: a crash that only optimized code has (issue 23) fails here, not in front of a user.
test-python:
	$(REQUIRE_ALL) GAZETTE_BIN=$(abspath $(BIN_RELEASE)) .venv/bin/python -m pytest -q tests/python

test-ops:
	$(REQUIRE_ALL) scripts/test-ops.sh

## Benchmarks (release build); JSON results under bench/results/.
bench:
	scripts/install-deps.sh bench
	scripts/bench.sh

clean:
	rm -rf .build bench/results
