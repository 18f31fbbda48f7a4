#!/usr/bin/env bash
# `make bench`: release builds, then every benchmark; JSON results under bench/results/.
# Each benchmark measures its reference in the same run (WeasyPrint, raw SQL inserts) and reports ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
# The same flags as `make release` (one set of build products; switching flags rebuilds everything).
swift build -c release --static-swift-stdlib --product gazette
swift build -c release --static-swift-stdlib --product gazette-render
swift build -c release --static-swift-stdlib --product gazette-bench
bin=$(swift build -c release --static-swift-stdlib --show-bin-path)
export GAZETTE_BIN="$bin/gazette"
bench="$bin/gazette-bench"

run() { echo "== $*"; "$@"; }

run "$bench" pdf
# Pictures (issue 16): the reference digest with 20 photos (1280 px JPEGs drawn by scripts/make-test-images.py with the
# test venv's Pillow): warm < 150 ms, cold gazette-render peak RSS ≤ 40 MB, PDF < 3 MB.
scripts/python-venv.sh
run "$bench" pdf images
run scripts/with-postgres.sh "$bench" storage
run "$bench" digest
# The web reader (issue 18): the fresh digest page and the Atom feed of 20 delivered digests.
run "$bench" web
# The summary cache (issue 28): the digest page with the cache off and on, 8 concurrent readers, LLM calls saved.
run "$bench" summary-cache
# Stories (issue 15): 10 channels × 100 posts (target p95 < 250 ms), then 10,000 posts (target < 2 s, peak RSS).
run "$bench" stories
run "$bench" stories --channels 100 --posts 100 --runs 3 --pdf false --target-ms 2000 --name stories-10k
# Search (issue 27): 1,000,000 posts on SQLite and PostgreSQL: query p95 (< 50 ms), ingest with the index against
# without (≥ 0.7), index size, `gazette migrate` building the index of an older database.
run scripts/with-postgres.sh "$bench" search
run "$bench" sources
run "$bench" worker
# Worker memory must not grow with the number of channels: the same pass over 10,000 (target: peak RSS < 64 MB).
run "$bench" worker --channels 10000 --name worker-10k
run "$bench" bot
# The user account: mapping 10,000 recorded TDLib messages into posts, and idle worker memory with TDLib loaded.
scripts/install-tdlib.sh
run "$bench" account
scripts/python-venv.sh
run .venv/bin/python bench/mcp/bench.py
run .venv/bin/python bench/account/memory.py
echo "results:"
ls -1 bench/results/*.json
