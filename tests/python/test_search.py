"""Search and ask (issue 27), end to end with the real `gazette` binary:

- posts stored by a real `gazette fetch` from a fake t.me (the preview fixture), searched with `gazette search` in text
  and JSON, with inflections, a phrase, an exclusion, a prefix, a channel and a date range, and malformed queries;
- `gazette ask` with a loopback fake OpenAI-compatible LLM (answer with the links it cites), with none, and with one
  that fails;
- the search page of the web reader in headless Chromium (a screenshot at .build/artefacts/web-search.png);
- `gazette migrate` building the index of posts stored before it, with its progress line, killed half-way and resumed.
"""
from __future__ import annotations

import contextlib
import http.server
import json
import pathlib
import re
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time

from mcp_support import CHANNEL, REPO, fake_telegram, free_port, gazette_bin, gazette_env, wait_until
from test_web_reader import DOM, browser, get

ARTEFACTS = REPO / ".build" / "artefacts"


def cli(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([gazette_bin(), *args], env=env, capture_output=True, text=True, timeout=180)
    if check:
        assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result


@contextlib.contextmanager
def fetched():
    """A database with the fixture channel's twelve posts, fetched for user 1 (and another reader's channel for user 2)."""
    with fake_telegram(extra_channels=("other_reader",)) as preview, tempfile.TemporaryDirectory() as tmp:
        env = gazette_env(tmp, preview)
        cli(env, "channels", "add", "--user", "1", CHANNEL)
        cli(env, "channels", "add", "--user", "2", "other_reader")
        cli(env, "fetch")
        yield env, tmp


def ids(output: str) -> list[int]:
    return [r["message_id"] for r in json.loads(output)["results"]]


def test_search_command_finds_inflections_phrases_and_names_bad_input():
    with fetched() as (env, _):
        # «Петербург» finds «Санкт-Петербурге», «Петербурга» and «Санкт-Петербургом» in the fixture.
        text = cli(env, "search", "--user", "1", "Петербург").stdout
        assert text.count(f"https://t.me/{CHANNEL}/") == 3, text
        assert "Санкт-**Петербурге**" in text and "**Петербурга**" in text and "Санкт-**Петербургом**" in text
        assert re.search(r"Военное обозрение \(@topwar_official\) · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", text), text

        found = json.loads(cli(env, "search", "--user", "1", "аэропорт", "--format", "json").stdout)
        assert found["count"] == 2 and found["user_id"] == 1 and found["more"] is False
        hit = found["results"][0]
        assert set(hit) == {"channel", "channel_title", "message_id", "date", "url", "snippet", "text", "score"}
        assert hit["channel"] == CHANNEL and hit["url"] == f"https://t.me/{CHANNEL}/{hit['message_id']}"
        assert "**аэропорт**" in hit["snippet"].lower()

        phrase = ids(cli(env, "search", "--user", "1", '"аэропорт Пулково"', "--format", "json").stdout)
        assert len(phrase) == 2
        assert ids(cli(env, "search", "--user", "1", '"Пулково аэропорт"', "--format", "json").stdout) == []
        excluded = ids(cli(env, "search", "--user", "1", "аэропорт -власти", "--format", "json").stdout)
        assert len(excluded) == 1 and excluded[0] in phrase
        assert len(ids(cli(env, "search", "--user", "1", "Петербург*", "--format", "json").stdout)) >= 2
        assert ids(cli(env, "search", "--user", "1", "аэропорт", "--channel", "@" + CHANNEL, "--since", "7d",
                       "--format", "json").stdout) == [r["message_id"] for r in found["results"]]
        # The fixture's posts are a day old: a range that ends before them finds nothing; a reversed one is refused.
        assert ids(cli(env, "search", "--user", "1", "аэропорт", "--since", "2000-01-01", "--until", "2000-01-31",
                       "--format", "json").stdout) == []
        reversed_range = cli(env, "search", "--user", "1", "аэропорт", "--since", "7d", "--until", "2000-01-01", check=False)
        assert reversed_range.returncode == 1 and "the date range is reversed" in reversed_range.stderr
        limited = json.loads(cli(env, "search", "--user", "1", "ПВО", "--limit", "1", "--format", "json").stdout)
        assert limited["count"] == 1 and limited["more"] is True

        # User 2 follows another channel (the fake t.me serves the same page for it) and sees only its posts; naming user
        # 1's channel is refused.
        theirs = json.loads(cli(env, "search", "--user", "2", "аэропорт", "--format", "json").stdout)["results"]
        assert len(theirs) == 2 and {r["channel"] for r in theirs} == {"other_reader"}
        refused = cli(env, "search", "--user", "2", "аэропорт", "--channel", CHANNEL, check=False)
        assert refused.returncode == 1 and "channel: you do not follow topwar_official" in refused.stderr

        for query, message in [('"аэропорт', "a quote is not closed"), ("-аэропорт", "add a word to find"),
                               ("аэ*", "too short"), ("", "the query is empty")]:
            bad = cli(env, "search", "--user", "1", "--", query, check=False)
            assert bad.returncode == 1 and message in bad.stderr and "SQL" not in bad.stderr, (query, bad.stderr)
        bad_since = cli(env, "search", "--user", "1", "аэропорт", "--since", "yesterday", check=False)
        assert bad_since.returncode != 0 and "since" in bad_since.stderr
        none = cli(env, "search", "--user", "1", "вулкан")
        assert "no posts match «вулкан»" in none.stdout


class FakeLLM(http.server.BaseHTTPRequestHandler):
    """An OpenAI-compatible chat completions endpoint on 127.0.0.1: answers citing post [1], or fails with 500."""
    bodies: list[dict] = []
    status = 200

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).bodies.append(body)
        if type(self).status != 200:
            self.send_response(type(self).status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")
            return
        answer = {"choices": [{"message": {"role": "assistant",
                                           "content": "Аэропорт Пулково временно не принимал самолеты [1]."}}]}
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def fake_llm(status: int = 200):
    handler = type("Handler", (FakeLLM,), {"bodies": [], "status": status})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


def test_ask_answers_with_links_through_a_fake_llm_and_falls_back_to_the_hits():
    with fetched() as (env, _):
        question = "Что случилось с аэропортом Пулково?"
        with fake_llm() as (url, llm):
            answered = cli({**env, "GAZETTE_LLM_URL": url, "GAZETTE_LLM_API_KEY": "sk-test-secret"}, "ask", "--user", "1", question)
            assert answered.stdout.startswith("Аэропорт Пулково временно не принимал самолеты [1].")
            sources = answered.stdout.split("Sources:\n", 1)[1]
            assert re.fullmatch(rf"\[1\] Военное обозрение \(@{CHANNEL}\) · \S+ \S+ UTC · https://t\.me/{CHANNEL}/\d+\n?", sources), sources
            assert "sk-test-secret" not in answered.stdout + answered.stderr
            assert len(llm.bodies) == 1
            prompt = llm.bodies[0]["messages"][1]["content"]
            assert question in prompt and "Пулково" in prompt and "[1] Военное обозрение" in prompt
            assert len(prompt) <= 12_000 + len(question) + 100  # bounded context
        without = cli(env, "ask", "--user", "1", question)
        assert without.stdout.startswith("No LLM is configured")
        assert f"https://t.me/{CHANNEL}/" in without.stdout and "**" in without.stdout
        with fake_llm(status=500) as (url, llm):
            failed = cli({**env, "GAZETTE_LLM_URL": url}, "ask", "--user", "1", question)
            assert failed.stdout.startswith("The LLM did not answer") and "500" in failed.stdout
            assert f"https://t.me/{CHANNEL}/" in failed.stdout
            assert len(llm.bodies) >= 1
        nothing = cli(env, "ask", "--user", "1", "Что с вулканами на Камчатке?")
        assert "Nothing in your channels matches" in nothing.stdout


def test_search_page_in_headless_chromium():
    with fetched() as (env, tmpdir):
        tmp = pathlib.Path(tmpdir)
        path = cli(env, "web-token", "--user", "1").stdout.strip()
        port = free_port()
        log = open(tmp / "serve.log", "wb")
        proc = subprocess.Popen([gazette_bin(), "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until(lambda: get(base + "/health/live")[0] == 200, what="gazette serve is live")
            url = f"{base}{path}search?q=%D0%BD%D0%B5%D0%B1%D0%BE+%D0%9F%D0%B5%D1%82%D0%B5%D1%80%D0%B1%D1%83%D1%80%D0%B3"  # «небо Петербург»
            page = browser(tmp, "--dump-dom", url)
            assert page.returncode == 0, page.stderr[-2000:]
            dom = DOM()
            dom.feed(page.stdout)
            assert dom.tags.get("script", 0) == 0
            assert dom.tags.get("form", 0) == 1 and dom.tags.get("ol", 0) == 1
            assert dom.tags.get("mark", 0) >= 4, dom.tags
            posts = [h for h in dom.links if h.startswith(f"https://t.me/{CHANNEL}/")]
            assert len(posts) == 2, dom.links
            text = " ".join(dom.text)
            assert "Posts about «небо Петербург»" in text and "Военное обозрение" in text
            ARTEFACTS.mkdir(parents=True, exist_ok=True)
            shot = ARTEFACTS / "web-search.png"
            taken = browser(tmp, f"--screenshot={shot}", "--window-size=412,1100", "--hide-scrollbars", url)
            assert taken.returncode == 0 and shot.stat().st_size > 10_000, taken.stderr[-2000:]
            print(f"screenshot: {shot}")
            # A malformed query: the page says what is wrong (400), keeps the box filled.
            status, _, body = get(f"{base}{path}search?q=%22%D0%BD%D0%B5%D0%B1%D0%BE")
            assert status == 400 and "a quote is not closed" in body.decode()
        finally:
            proc.terminate()
            proc.wait(timeout=15)
            log.close()


SCHEMA_SOURCE = pathlib.Path(__file__).resolve().parents[2] / "Sources/GazetteStorage/Schema/GazetteSchema.swift"


def tables_created_after(version: int) -> list[str]:
    """The tables the schema steps after `version` create, read from the migrations in the source, so that a database
    can be put back to an older version however many steps come later."""
    source = SCHEMA_SOURCE.read_text()
    tables = []
    for step in re.split(r"SchemaMigration\(version: ", source)[1:]:
        number = int(re.match(r"\d+", step).group())
        if number > version:
            tables += re.findall(r"CREATE TABLE (\w+)", step)
    return tables


def test_migrate_builds_the_index_of_older_posts_with_progress_and_resumes_after_a_kill():
    with tempfile.TemporaryDirectory() as tmp:
        db = f"{tmp}/g.sqlite"
        env = gazette_env(tmp, "http://127.0.0.1:9", GAZETTE_DATABASE_URL=f"sqlite:{db}", GAZETTE_LOG_LEVEL="info")
        cli(env, "channels", "add", "--user", "1", "@archive_news")
        # A database of the release before search: no index, 100,000 posts written by it.
        total = 100_000
        with contextlib.closing(sqlite3.connect(db)) as conn:
            later = "".join(f"DROP TABLE {t}; " for t in tables_created_after(9))
            conn.executescript("DROP TRIGGER post_search_follows_delete; DROP TABLE post_search; DROP TABLE search_backfill; "
                               + later + "DELETE FROM schema_migrations WHERE version >= 9;")
            (channel,) = conn.execute("SELECT id FROM channels WHERE key = 'archive_news'").fetchone()
            now = time.time()
            words = ["выборы", "метро", "тарифы", "погода", "бюджет", "театр", "elections", "budget", "weather", "subway"]
            conn.executemany("INSERT INTO posts (channel_id, message_id, text, date, url, fetched_at) VALUES (?, ?, ?, ?, ?, ?)",
                             ((channel, i, f"Архивный пост {i}: {words[i % 10]} и {words[(i * 7) % 10]}, номер{i}",
                               now - i, f"https://t.me/archive_news/{i}", now) for i in range(1, total + 1)))
            conn.commit()

        first = subprocess.Popen([gazette_bin(), "migrate"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines: list[str] = []
        for line in first.stderr:
            lines.append(line)
            if re.search(r"of 100000 posts \(\d+%\)", line):
                first.send_signal(signal.SIGINT)
                break
        first.wait(timeout=60)
        assert any("building the search index: 100000 posts to index (starting)" in line for line in lines), lines
        with contextlib.closing(sqlite3.connect(db)) as conn:
            indexed = conn.execute("SELECT COUNT(*) FROM post_search").fetchone()[0]
            (after,) = conn.execute("SELECT after_post_id FROM search_backfill").fetchone()
        assert 0 < indexed < total and after == indexed, (indexed, after, first.returncode)

        second = cli(env, "migrate")
        assert f"resuming after post id {after}" in second.stderr, second.stderr
        assert f"search index built: {total - after} posts" in second.stderr
        latest = max(int(v) for v in re.findall(r"SchemaMigration\(version: (\d+)", SCHEMA_SOURCE.read_text()))
        assert f"schema version {latest}" in second.stdout
        with contextlib.closing(sqlite3.connect(db)) as conn:
            assert conn.execute("SELECT COUNT(*) FROM post_search").fetchone()[0] == total
            assert conn.execute("SELECT COUNT(*) FROM search_backfill").fetchone()[0] == 0
        found = json.loads(cli(env, "search", "--user", "1", "номер7", "--format", "json").stdout)
        assert [r["message_id"] for r in found["results"]] == [7]
        assert json.loads(cli(env, "search", "--user", "1", "выборах", "--format", "json", "--limit", "100").stdout)["count"] == 100
