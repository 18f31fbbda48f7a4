"""Issue 26: what Gazette stores from 50+ real feeds against feedparser, field by field (rules in feed_corpus.py and
Tests/Fixtures/feeds-real/README.md). Prints the per-field match rates; fails under the targets."""
from __future__ import annotations

import json

from feed_corpus import FIELDS, corpus_files, measure
from mcp_support import gazette_bin

TARGET = 99.0


def test_corpus_is_real_and_large_enough():
    files = corpus_files()
    assert len(files) >= 50
    # windows-1251 and KOI8-R are among them, declared in the files themselves.
    declarations = {p.name: p.read_bytes()[:100].lower() for p in files}
    assert any(b'encoding="windows-1251"' in d for d in declarations.values())
    assert any(b'encoding="koi8-r"' in d for d in declarations.values())


def test_gazette_stores_what_feedparser_reads():
    report = measure(gazette_bin())
    summary = {k: report[k] for k in ("feeds", "entries", "rates", "missing", "deduplicated", "feeds_without_mismatch",
                                      "rejected_by_gazette", "unread_by_reference")}
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    print(json.dumps(report["mismatches"], ensure_ascii=False, indent=1))
    assert report["entries"] >= 80
    assert report["rejected_by_gazette"] == [], "a feed feedparser reads was rejected"
    for field in FIELDS:
        assert report["rates"][field] >= TARGET, (field, report["rates"], report["mismatches"])
