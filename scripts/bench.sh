#!/usr/bin/env bash
# `make bench`: release builds, then every benchmark; JSON results under bench/results/.
# Each benchmark measures its reference in the same run (WeasyPrint, raw SQL inserts) and reports ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
swift build -c release --product gazette
swift build -c release --product gazette-render
swift build -c release --product gazette-bench
bin=$(swift build -c release --show-bin-path)
export GAZETTE_BIN="$bin/gazette"
bench="$bin/gazette-bench"

run() { echo "== $*"; "$@"; }

run "$bench" pdf
run scripts/with-postgres.sh "$bench" storage
run "$bench" digest
run "$bench" sources
run "$bench" worker
run "$bench" bot
scripts/python-venv.sh
run .venv/bin/python bench/mcp/bench.py
echo "results:"
ls -1 bench/results/*.json
