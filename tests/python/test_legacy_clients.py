"""Clients written for the earlier (Python) system, talking to `gazette serve` through `POST /call`.

Such a client knows the tools only as the earlier system documented them (SPEC §7: names, arguments with their
defaults, result keys) and leaves out what it did not need. Every one of the fifteen tools is called here in that
form, against the real binary with the fake t.me of mcp_support (the real preview fixture, dates moved to
yesterday), and each answer must have the keys the earlier system returned, with content that shows the
arguments were understood.
"""
from __future__ import annotations

import datetime as dt

import httpx
import pytest

import legacy_forms
from legacy_forms import pdf_document, result_keys
from mcp_flow import ALL_TOOLS, SPEC_TOOLS
from mcp_support import CHANNEL, fake_telegram, gazette_serve

POST_KEYS = {"message_id", "channel", "text", "date", "views", "url"}


@pytest.fixture(scope="module")
def server():
    """One server for the module; each test uses user ids of its own, so no test sees another's data."""
    with fake_telegram() as preview, gazette_serve(preview) as (base, proc):
        yield base, proc


@pytest.fixture
def client(server):
    base, proc = server
    with httpx.Client(base_url=base, timeout=60) as c:
        yield c
    assert proc.poll() is None, "gazette serve exited during the test"


class Caller:
    """`POST /call` as the earlier clients made it; remembers which tools were called."""

    def __init__(self, client: httpx.Client):
        self.client = client
        self.called: set[str] = set()

    def __call__(self, tool: str, **arguments) -> dict:
        self.called.add(tool)
        r = self.client.post("/call", json={"tool_name": tool, "arguments": arguments})
        assert r.status_code == 200, (tool, arguments, r.status_code, r.text[:500])
        body = r.json()
        assert list(body) == ["result"], body
        assert isinstance(body["result"], dict), body
        return body["result"]


def parse_utc(text: str) -> dt.datetime:
    """A post date: ISO 8601 in UTC."""
    assert text.endswith("Z") or text.endswith("+00:00"), text
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def check_post(post: dict, channel: str) -> dt.datetime:
    """`{message_id, channel, text, date (ISO 8601 UTC), views?, url?}`; returns the date."""
    assert {"message_id", "channel", "text", "date"} <= set(post) <= POST_KEYS, post
    assert isinstance(post["message_id"], int) and post["message_id"] > 0
    assert post["channel"] == channel and isinstance(post["text"], str)
    if post.get("views") is not None:
        assert isinstance(post["views"], int) and post["views"] >= 0
    return parse_utc(post["date"])


def iso_python(minutes_ago: int, offset: bool = True) -> str:
    """A date as Python clients write it: isoformat() of a UTC datetime with microseconds, with the offset
    (`now(timezone.utc)`) or without it (`utcnow()`)."""
    moment = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=minutes_ago, microseconds=-123456)
    return (moment if offset else moment.replace(tzinfo=None)).isoformat()


OLD_POSTS = [
    {"message_id": 501, "channel": "oldclient_news", "date": iso_python(30), "views": 1200,
     "url": "https://t.me/oldclient_news/501",
     "text": "The city council approved a new budget for public transport. Bus routes reach the northern suburbs."},
    {"message_id": 502, "channel": "oldclient_news", "date": iso_python(90), "views": None, "url": None,
     "text": "Researchers published a study on energy storage. The new battery design lasts twice as long."},
    {"message_id": 503, "channel": "oldclient_news", "date": iso_python(150, offset=False),
     "text": "The local football club won the regional championship. Fans celebrated until midnight."},
]


def test_every_tool_answers_an_old_client_with_the_earlier_shapes(client: httpx.Client) -> None:
    call = Caller(client)
    user = 6001
    now = dt.datetime.now(dt.timezone.utc)

    # Subscriptions: the earlier clients passed the username with or without "@", tags optional.
    added = call("add_channel", user_id=user, channel_username=f"@{CHANNEL}", tags=["news", "ru"])
    result_keys(added, "channel_id", "status")
    assert added["status"] == "subscribed" and isinstance(added["channel_id"], int)
    again = call("add_channel", user_id=user, channel_username=CHANNEL)
    assert again["status"] == "already_subscribed" and again["channel_id"] == added["channel_id"]

    # Live reads from the source.
    meta = call("get_channel_metadata", channel_username=CHANNEL)
    result_keys(meta, "title", "description", "subscribers", "photo_url")
    assert meta["title"] == "Военное обозрение" and meta["subscribers"] == 109000
    assert meta["photo_url"] is None or meta["photo_url"].startswith("https://")

    wide = call("get_posts", channel_username=CHANNEL, hours=48)
    assert wide["posts"], wide
    for post in wide["posts"]:
        assert check_post(post, CHANNEL) >= now - dt.timedelta(hours=48, minutes=5)
    default = call("get_posts", channel_username=CHANNEL)  # hours=24 by default
    assert default["hours"] == 24
    for post in default["posts"]:
        assert check_post(post, CHANNEL) >= now - dt.timedelta(hours=24, minutes=5), post["date"]
    assert len(default["posts"]) <= len(wide["posts"])

    collected = call("collect_posts", channel_username=CHANNEL, user_id=user, hours=48)
    result_keys(collected, "saved", "skipped", "total")
    assert (collected["saved"], collected["skipped"], collected["total"]) == (len(wide["posts"]), 0, len(wide["posts"]))
    anonymous = call("collect_posts", channel_username=CHANNEL, hours=48)  # user_id is optional
    assert (anonymous["saved"], anonymous["skipped"]) == (0, anonymous["total"])

    # Posts a client built itself, dates as Python's isoformat() wrote them, views and url null or absent.
    saved = call("save_posts_to_db", posts=OLD_POSTS, channel_username="oldclient_news", user_id=user)
    result_keys(saved, "saved", "skipped", "total")
    assert (saved["saved"], saved["skipped"], saved["total"]) == (3, 0, 3)
    # Posts as get_posts returned them, saved again: all already stored.
    echoed = call("save_posts_to_db", posts=wide["posts"], channel_username=CHANNEL, user_id=user)
    assert (echoed["saved"], echoed["skipped"], echoed["total"]) == (0, len(wide["posts"]), len(wide["posts"]))

    stored = call("get_posts_from_db", user_id=user, hours=48)
    result_keys(stored, "posts_by_channel", "total_posts", "channels_count")
    assert set(stored["posts_by_channel"]) == {CHANNEL, "oldclient_news"} and stored["channels_count"] == 2
    assert stored["total_posts"] == 3 + len(wide["posts"])
    mine = stored["posts_by_channel"]["oldclient_news"]
    assert sorted(p["message_id"] for p in mine) == [501, 502, 503]
    for post in mine:
        check_post(post, "oldclient_news")
    by_id = {p["message_id"]: p for p in mine}
    assert by_id[501]["views"] == 1200 and by_id[501]["url"] == "https://t.me/oldclient_news/501"
    assert abs(parse_utc(by_id[501]["date"]) - dt.datetime.fromisoformat(OLD_POSTS[0]["date"])) < dt.timedelta(seconds=1)
    naive = dt.datetime.fromisoformat(OLD_POSTS[2]["date"]).replace(tzinfo=dt.timezone.utc)
    assert abs(parse_utc(by_id[503]["date"]) - naive) < dt.timedelta(seconds=1)  # read as UTC
    recent = call("get_posts_from_db", user_id=user)  # hours=24 by default
    assert recent["posts_by_channel"]["oldclient_news"] and recent["total_posts"] <= stored["total_posts"]

    listed = call("list_channels", user_id=user)  # limit=100 by default
    result_keys(listed, "channels")
    by_key = {c["channel"]: c for c in listed["channels"]}
    assert set(by_key) == {CHANNEL, "oldclient_news"}
    assert by_key[CHANNEL]["channel_id"] == added["channel_id"] and by_key[CHANNEL]["tags"] == ["news", "ru"]
    assert by_key[CHANNEL]["title"] == "Военное обозрение" and by_key[CHANNEL]["post_count"] == len(wide["posts"])
    assert by_key["oldclient_news"]["post_count"] == 3
    assert len(call("list_channels", user_id=user, limit=1)["channels"]) == 1

    # Summary → markdown → combined document → PDF, each answer passed on as the earlier clients did.
    summary = call("summarize_posts", posts=OLD_POSTS, channel="oldclient_news")  # max_sentences=5 by default
    result_keys(summary, "summary", "post_count", "channel")
    assert summary["post_count"] == 3 and summary["channel"] == "oldclient_news"
    assert any(word in summary["summary"] for word in ("budget", "battery", "championship")), summary
    one = call("summarize_posts", posts=OLD_POSTS, channel="oldclient_news", max_sentences=1)
    assert len(one["summary"]) < len(summary["summary"])

    formatted = call("format_digest_markdown", summaries=[summary],
                     metadata={"generation_date": legacy_forms.GENERATION_DATE, "user_id": user, "hours": 24})
    result_keys(formatted, "markdown", "sections_count")
    assert formatted["sections_count"] == 1
    assert formatted["markdown"].startswith(f"# {legacy_forms.DEFAULT_TITLE} — 17 May 2024\n")
    assert summary["summary"] in formatted["markdown"]

    combined = call("combine_markdown_sections", sections=[formatted["markdown"], "## Appendix\n\nNothing else."],
                    template="default")
    result_keys(combined, "combined_markdown", "total_chars")
    assert combined["combined_markdown"].startswith(f"# {legacy_forms.DEFAULT_TITLE}\n")
    assert "## Appendix" in combined["combined_markdown"] and summary["summary"] in combined["combined_markdown"]
    assert combined["total_chars"] == len(combined["combined_markdown"])

    pdf = call("convert_markdown_to_pdf", markdown=combined["combined_markdown"], style="h1 { color: navy; }",
               metadata={"title": "Old digest", "generation_date": legacy_forms.GENERATION_DATE, "user_id": user})
    pdf_document(pdf)

    # Digests of the user's channels.
    digest = call("get_channel_digest", user_id=user, hours=48)
    result_keys(digest, "digests", "text")
    assert {d["channel"] for d in digest["digests"]} == {CHANNEL, "oldclient_news"}
    assert all(d["summary"] and d["text"] for d in digest["digests"])
    assert "Военное обозрение" in digest["text"]
    by_name = call("get_channel_digest_by_name", user_id=user, channel_username="@oldclient_news")
    result_keys(by_name, "summary", "text", "post_count")
    assert by_name["hours"] == 72 and by_name["post_count"] == 3 and by_name["channel"] == "oldclient_news"

    generated = call("generate_pdf_digest", user_id=user, hours=48)
    pdf_document(generated)
    assert generated["channels"] == 2 and generated["posts"] == stored["total_posts"]

    # Unsubscribing, twice.
    deleted = call("delete_channel", user_id=user, channel_id=added["channel_id"])
    assert deleted["status"] == "deleted"
    assert call("delete_channel", user_id=user, channel_id=added["channel_id"])["status"] == "not_found"
    assert {c["channel"] for c in call("list_channels", user_id=user)["channels"]} == {"oldclient_news"}

    listed_tools = {t["name"] for t in client.get("/tools").json()["tools"]}
    # Old clients call the fifteen tools they knew; the list also has issue 15's tools.
    assert call.called == SPEC_TOOLS and listed_tools == ALL_TOOLS


@pytest.mark.parametrize("case", legacy_forms.CASES, ids=lambda c: c.id)
def test_old_argument_forms(client: httpx.Client, case: legacy_forms.Case) -> None:
    case.check(Caller(client)(case.tool, **case.arguments))

