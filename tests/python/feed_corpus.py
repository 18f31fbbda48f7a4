"""Compare what Gazette stores from real feeds with what feedparser reads from the same bytes (issue 26).

The corpus is Tests/Fixtures/feeds-real (its README names every file's source and licence). Each file is served on
127.0.0.1, subscribed through an OPML import, fetched by one `gazette fetch --once` pass into a fresh SQLite
database, and the stored posts are read back from that database: exactly what Gazette stores. feedparser parses the
same bytes with the same URL as the document's address. The rules are written down in the README beside the corpus
("How the comparison is made") and implemented here, the same for both sides:

* text is compared as a reader sees it: HTML tags removed (script, style, noscript, template and svg with their
  content), entities decoded, an image's alt text kept, Unicode NFC, and all whitespace removed (line breaks and
  spaces between blocks are layout, not content);
* Gazette stores one text per post, the title, a blank line and the body (the title is left out when the body
  already starts with it): the reference text is composed from feedparser's title and body by the same rule. The
  body is feedparser's first `content` value, else its `summary`; for podcast entries (feedparser gives them
  `itunes_*` keys) any of feedparser's bodies counts, because feedparser files `itunes:summary` under `summary` or,
  when that is taken, under `content`;
* title: the stored text starts with the reference title (as text, as above);
* link: the stored URL equals feedparser's `link`, both percent-decoded; an entry without a link in feedparser is
  not counted for links;
* date: the stored date equals feedparser's `published_parsed`, else `updated_parsed`, to the second; an entry
  feedparser has no date for is not counted for dates (Gazette still dates it: see docs/SOURCES.md);
* an entry is "missing" when no stored post has its id (RSS guid / Atom id, else its link, the key Gazette derives
  its message id from) or its link, or (an entry with neither) is the one post whose text starts with its title; a missing entry counts as a mismatch in every field, except one whose text is
  the same as an earlier entry's of the same feed (Gazette stores a cross-post once);
* feedparser "reads" a feed when it returns at least one entry; Gazette "rejects" a feed when it stores nothing and
  records an error for it.

Run as a script (`python tests/python/feed_corpus.py [gazette binary]`) it prints the report; test_feed_corpus.py
asserts the targets.
"""
from __future__ import annotations

import datetime as dt
import html
import html.parser
import http.server
import json
import os
import pathlib
import sqlite3
import subprocess
import sys
import tempfile
import threading
import unicodedata
import urllib.parse

import feedparser

REPO = pathlib.Path(__file__).resolve().parents[2]
CORPUS = REPO / "Tests" / "Fixtures" / "feeds-real"
FEED_SUFFIXES = (".xml", ".rss", ".atom")
FIELDS = ("title", "text", "link", "date")


class _Text(html.parser.HTMLParser):
    """The text of an HTML fragment: what a browser shows, plus image alt text."""

    hidden = {"script", "style", "noscript", "template", "svg"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.hidden:
            self.depth += 1
        elif tag == "img" and self.depth == 0:
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(alt)

    def handle_endtag(self, tag):
        if tag in self.hidden and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth == 0:
            self.parts.append(data)


def html_text(fragment: str | None) -> str:
    if not fragment:
        return ""
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return html.unescape("".join(parser.parts))


def squash(text: str) -> str:
    """NFC with every whitespace character removed."""
    return "".join(ch for ch in unicodedata.normalize("NFC", text) if not ch.isspace() and ch != "\u200b")


def compose(title: str, body_html: str | None) -> str:
    body = html_text(body_html).strip()
    if title and not squash(body).startswith(squash(title)):
        return title + ("\n\n" + body if body else "")
    return body or title


def bodies(entry) -> list[str]:
    """feedparser's body fields in its order: `content` values, then `summary`."""
    values = [c.get("value") for c in entry.get("content") or [] if (c.get("value") or "").strip()]
    return values + ([entry["summary"]] if (entry.get("summary") or "").strip() else [])


def reference_text(entry) -> tuple[str, str]:
    title = html_text(entry.get("title", "")).strip()
    found = bodies(entry)
    return title, compose(title, found[0] if found else None)


def reference_texts(entry) -> list[str]:
    """The reference text, and for podcast entries every other body: feedparser files `itunes:summary` under
    `summary` or, when that is taken, under `content`, so its first body is not the item's `description`/
    `content:encoded` there (Gazette reads `itunes:summary` only when an item has nothing else, SOURCES.md §2)."""
    title, first = reference_text(entry)
    if not any(key.startswith("itunes_") for key in entry):
        return [first]
    return [first] + [compose(title, body) for body in bodies(entry)[1:]]


def reference_date(entry) -> float | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return dt.datetime(*parsed[:6], tzinfo=dt.timezone.utc).timestamp()


def stable_id(key: str) -> int:
    """Gazette's message id of a feed item: 64-bit FNV-1a of the key, top bit cleared (docs/SOURCES.md)."""
    h = 0xCBF29CE484222325
    for byte in key.encode("utf-8"):
        h ^= byte
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    h &= 0x7FFFFFFFFFFFFFFF
    return h or 1


def unquote(url: str | None) -> str | None:
    return urllib.parse.unquote(url.strip()) if url else None


def stored_date(value) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).replace(" ", "T")
    parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
    return parsed.timestamp()


class _Corpus(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        path = CORPUS / urllib.parse.unquote(self.path.lstrip("/"))
        if not path.is_file() or path.parent != CORPUS:
            self.send_error(404)
            return
        body = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def corpus_files() -> list[pathlib.Path]:
    return sorted(p for p in CORPUS.iterdir() if p.suffix in FEED_SUFFIXES)


def store_corpus(binary: str, workdir: str, extra_env: dict | None = None, wrapper: list[str] | None = None):
    """Serves the corpus, subscribes and fetches it with `binary`; returns (base URL, sqlite path)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Corpus)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    db = os.path.join(workdir, "gazette.sqlite")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GAZETTE_", "TELEGRAM_", "LLM_", "POST_"))}
    env.update({"GAZETTE_DATABASE_URL": f"sqlite:{db}", "GAZETTE_ALLOW_PRIVATE_SOURCES": "1", "GAZETTE_LOG_LEVEL": "error",
                # Real feeds hold entries from 2003 on: the retention window must not drop them before they are stored.
                "GAZETTE_POST_TTL_DAYS": "36500", "GAZETTE_HOST_CONCURRENCY": "8"})
    env.update(extra_env or {})
    opml = os.path.join(workdir, "corpus.opml")
    outlines = "".join(f'<outline text="{p.name}" xmlUrl="{base}{urllib.parse.quote(p.name)}"/>' for p in corpus_files())
    pathlib.Path(opml).write_text(f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>')
    run = (wrapper or []) + [binary]
    try:
        subprocess.run(run + ["channels", "import", "--user", "1", "--opml", opml], env=env, check=True,
                       capture_output=True, timeout=300)
        subprocess.run(run + ["fetch", "--once"], env=env, capture_output=True, timeout=600)
    finally:
        server.shutdown()
        server.server_close()
    return base, db


def compare(base: str, db: str) -> dict:
    con = sqlite3.connect(db)
    report = {"feeds": 0, "entries": 0, "matched": {f: 0 for f in FIELDS}, "counted": {f: 0 for f in FIELDS},
              "all_fields": 0, "missing": 0, "deduplicated": 0, "feeds_without_mismatch": 0,
              "rejected_by_gazette": [], "unread_by_reference": [], "mismatches": []}
    for path in corpus_files():
        url = base + urllib.parse.quote(path.name)
        row = con.execute("SELECT c.id, f.last_error FROM channels c LEFT JOIN fetch_state f ON f.channel_id = c.id "
                          "WHERE c.kind = 'feed' AND c.key = ?", (url,)).fetchone()
        posts = con.execute("SELECT message_id, text, url, date FROM posts WHERE channel_id = ?",
                            (row[0] if row else -1,)).fetchall()
        parsed = feedparser.parse(path.read_bytes(), response_headers={"content-location": url,
                                                                       "content-type": "application/xml"})
        report["feeds"] += 1
        if not parsed.entries:
            report["unread_by_reference"].append(path.name)
            continue
        if not posts and row and row[1]:
            report["rejected_by_gazette"].append(f"{path.name}: {row[1]}")
        by_id = {p[0]: p for p in posts}
        by_url = {unquote(p[2]): p for p in posts if p[2]}
        seen_texts: set[str] = set()
        feed_clean = True
        for entry in parsed.entries:
            report["entries"] += 1
            title, text = reference_text(entry)
            key = entry.get("id") or entry.get("link") or None
            post = by_id.get(stable_id(key)) if key else None
            post = post or by_url.get(unquote(entry.get("link")))
            if post is None and title:
                # No id and no link: Gazette keys the item by its title (and date); find it by the text's start.
                starts = [p for p in posts if squash(p[1]).startswith(squash(title))]
                post = starts[0] if len(starts) == 1 else None
            if post is None and squash(text) in seen_texts:
                report["deduplicated"] += 1
                report["entries"] -= 1
                continue
            seen_texts.add(squash(text))
            ok = {}
            if post is None:
                report["missing"] += 1
                ok = {f: False for f in FIELDS}
                for f in FIELDS:
                    report["counted"][f] += 1
            else:
                stored = squash(post[1])
                ok["title"] = stored.startswith(squash(title))
                ok["text"] = stored in {squash(t) for t in reference_texts(entry)}
                if entry.get("link"):
                    ok["link"] = unquote(post[2]) == unquote(entry.get("link"))
                when = reference_date(entry)
                if when is not None:
                    ok["date"] = abs(stored_date(post[3]) - when) < 1
                for f, good in ok.items():
                    report["counted"][f] += 1
                    report["matched"][f] += good
            if all(ok.values()):
                report["all_fields"] += 1
            else:
                feed_clean = False
                report["mismatches"].append({"feed": path.name, "entry": title[:60] or key,
                                             "fields": [f for f, good in ok.items() if not good]})
        report["feeds_without_mismatch"] += feed_clean
    con.close()
    report["rates"] = {f: round(100 * report["matched"][f] / max(1, report["counted"][f]), 1) for f in FIELDS}
    report["rates"]["all_fields"] = round(100 * report["all_fields"] / max(1, report["entries"]), 1)
    return report


def measure(binary: str, extra_env: dict | None = None, wrapper: list[str] | None = None) -> dict:
    with tempfile.TemporaryDirectory() as workdir:
        base, db = store_corpus(binary, workdir, extra_env, wrapper)
        return compare(base, db)


if __name__ == "__main__":
    binary = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("GAZETTE_BIN", str(REPO / ".build" / "debug" / "gazette"))
    extra = json.loads(os.environ.get("CORPUS_EXTRA_ENV", "{}"))
    wrapper = os.environ.get("CORPUS_WRAPPER", "").split() or None
    print(json.dumps(measure(binary, extra, wrapper), indent=1, ensure_ascii=False))
