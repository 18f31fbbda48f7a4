"""One scenario run over every transport: each tool called at least once with realistic input."""
from __future__ import annotations

import base64
import datetime as dt
import io

import jsonschema

from mcp_support import CHANNEL, as_rest, embedded_pdf, input_schema, is_error

SPEC_TOOLS = {
    "add_channel", "list_channels", "delete_channel", "get_channel_metadata", "get_posts", "collect_posts",
    "save_posts_to_db", "get_posts_from_db", "summarize_posts", "format_digest_markdown", "combine_markdown_sections",
    "convert_markdown_to_pdf", "get_channel_digest", "get_channel_digest_by_name", "generate_pdf_digest",
}
# Issue 15: stories, the reader's filters and digest language.
STORY_TOOLS = {"get_stories", "list_filters", "add_filter", "remove_filter", "set_digest_language", "set_digest_images"}
# Issue 18: subscriptions in and out as OPML.
OPML_TOOLS = {"import_opml", "export_opml"}
# Issue 18: where and when the daily digest goes.
SETTINGS_TOOLS = {"get_settings", "update_settings"}
# Issue 27: full-text search over the user's channels.
SEARCH_TOOLS = {"search_posts"}
ALL_TOOLS = SPEC_TOOLS | STORY_TOOLS | OPML_TOOLS | SETTINGS_TOOLS | SEARCH_TOOLS

RUSSIAN = [
    "Правительство утвердило новый план развития транспорта до 2030 года. В документе предусмотрено строительство "
    "двух новых мостов через Волгу.",
    "Министерство финансов сообщило о росте доходов бюджета на 12 процентов. Основной прирост дали налоги на прибыль.",
    "В Москве открылась выставка современного искусства. Организаторы ожидают более ста тысяч посетителей.",
]
ENGLISH = [
    "The city council approved a new budget for public transport. Bus routes will be extended to the northern suburbs.",
    "Researchers published a study on renewable energy storage. The new battery design lasts twice as long.",
    "The local football club won the regional championship. Fans celebrated in the main square until midnight.",
]


def iso(minutes_ago: int) -> str:
    return (dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=minutes_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def posts(texts, channel, first_id=100):
    return [{"message_id": first_id + i, "channel": channel, "text": t, "date": iso(10 + i), "views": 100 * (i + 1),
             "url": f"https://t.me/{channel}/{first_id + i}"} for i, t in enumerate(texts)]


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader
    assert data.startswith(b"%PDF-"), data[:16]
    return len(PdfReader(io.BytesIO(data)).pages)


PDF_TOOLS = {"convert_markdown_to_pdf", "generate_pdf_digest"}
READ_ONLY_PREFIXES = ("list_", "get_", "format_", "combine_", "convert_", "search_")
# Tools that reach Telegram (live reads) or the summarizer (an LLM when one is configured).
OPEN_WORLD = {"get_channel_metadata", "get_posts", "collect_posts", "summarize_posts", "get_channel_digest",
              "get_channel_digest_by_name", "generate_pdf_digest", "get_stories"}


from mcp_support import field  # noqa: E402


def output_schema(tool) -> dict:
    return field(tool, "outputSchema")


def check_tool_metadata(tools) -> dict[str, dict]:
    """Every tool has a title, annotations as the issue lists them and an output schema; returns name → schema."""
    schemas = {}
    for tool in tools:
        assert input_schema(tool)["type"] == "object", tool.name
        assert tool.description and tool.title, tool.name
        a = tool.annotations
        assert a is not None and a.title == tool.title, tool.name
        if tool.name.startswith(READ_ONLY_PREFIXES):
            assert field(a, "readOnlyHint") is True, tool.name
        assert field(a, "openWorldHint") is (tool.name in OPEN_WORLD), tool.name
        schema = output_schema(tool)
        assert schema and schema["type"] == "object", tool.name
        jsonschema.Draft202012Validator.check_schema(schema)
        schemas[tool.name] = schema
    by_name = {t.name: t.annotations for t in tools}
    delete = by_name["delete_channel"]
    assert field(delete, "destructiveHint") is True and field(delete, "idempotentHint") is True
    for name in ("add_channel", "save_posts_to_db"):
        a = by_name[name]
        assert field(a, "idempotentHint") is True and field(a, "destructiveHint") is False, name
    return schemas


async def exercise_all_tools(session, user_id: int) -> set[str]:
    """Calls every tool; returns the names called. Asserts the SPEC §7 result shapes, and that every result's
    structured content validates against the tool's output schema."""
    called: set[str] = set()
    schemas: dict[str, dict] = {}

    async def call(name, args, expect_error=False):
        called.add(name)
        result = await session.call_tool(name, args)
        assert is_error(result) == expect_error, (name, args, result.content)
        if expect_error:
            return result
        data = field(result, "structuredContent")
        assert isinstance(data, dict), (name, "no structured content")
        jsonschema.validate(data, schemas[name])
        if name in PDF_TOOLS:
            assert embedded_pdf(result) is not None, (name, "no embedded application/pdf resource")
        return as_rest(result)

    await session.initialize()
    tools = (await session.list_tools()).tools
    assert {t.name for t in tools} == ALL_TOOLS
    assert len(tools) == len(ALL_TOOLS)
    schemas.update(check_tool_metadata(tools))

    added = await call("add_channel", {"user_id": user_id, "channel_username": f"https://t.me/s/{CHANNEL}", "tags": ["news"]})
    assert added["status"] == "subscribed" and added["channel"] == CHANNEL
    again = await call("add_channel", {"user_id": user_id, "channel_username": f"@{CHANNEL}"})
    assert again["status"] == "already_subscribed" and again["channel_id"] == added["channel_id"]

    meta = await call("get_channel_metadata", {"channel_username": CHANNEL})
    assert meta["title"] == "Военное обозрение"
    assert meta["subscribers"] == 109000

    live = await call("get_posts", {"channel_username": CHANNEL, "hours": 48})
    assert live["count"] == len(live["posts"]) > 0
    first = live["posts"][0]
    assert {"message_id", "channel", "text", "date"} <= set(first)

    collected = await call("collect_posts", {"channel_username": CHANNEL, "user_id": user_id, "hours": 48})
    assert collected["saved"] == collected["total"] == live["count"]
    recollected = await call("collect_posts", {"channel_username": CHANNEL, "user_id": user_id, "hours": 48})
    assert recollected["saved"] == 0 and recollected["skipped"] == recollected["total"]

    ru = posts(RUSSIAN, "durov_news", 100)
    saved = await call("save_posts_to_db", {"posts": ru, "channel_username": "durov_news", "user_id": user_id})
    assert (saved["saved"], saved["skipped"], saved["total"]) == (3, 0, 3)
    duplicate = await call("save_posts_to_db", {"posts": ru[:1], "channel_username": "durov_news", "user_id": user_id})
    assert (duplicate["saved"], duplicate["skipped"], duplicate["total"]) == (0, 1, 1)

    stored = await call("get_posts_from_db", {"user_id": user_id, "hours": 48})
    assert stored["channels_count"] == 2
    assert len(stored["posts_by_channel"]["durov_news"]) == 3
    assert stored["total_posts"] == 3 + collected["saved"]

    # Search: «министерству финансов» finds «Министерство финансов» (any inflection), as a phrase too; a page at a time.
    found = await call("search_posts", {"user_id": user_id, "query": "министерству финансов"})
    assert found["count"] == 1 and found["next_cursor"] is None
    hit = found["results"][0]
    assert (hit["channel"], hit["message_id"], hit["url"]) == ("durov_news", 101, "https://t.me/durov_news/101")
    assert "**Министерство финансов**" in hit["snippet"] and hit["text"] == RUSSIAN[1]
    assert (await call("search_posts", {"user_id": user_id, "query": '"финансов министерство"'}))["count"] == 0
    # «В документе», «В Москве»: a query of one common word looks for it.
    paged = await call("search_posts", {"user_id": user_id, "query": "в", "channel": "@durov_news", "since": "7d", "limit": 1})
    assert paged["count"] == 1 and paged["next_cursor"]
    rest = await call("search_posts", {"user_id": user_id, "query": "в", "channel": "@durov_news", "since": "7d",
                                       "cursor": paged["next_cursor"]})
    assert rest["count"] == 1 and rest["next_cursor"] is None
    assert {paged["results"][0]["message_id"], rest["results"][0]["message_id"]} == {100, 102}
    await call("search_posts", {"user_id": user_id, "query": "бюджета -налоги \"закрыт"}, expect_error=True)

    listed = await call("list_channels", {"user_id": user_id})
    by_key = {c["channel"]: c for c in listed["channels"]}
    assert by_key[CHANNEL]["tags"] == ["news"] and by_key["durov_news"]["post_count"] == 3

    ru_summary = await call("summarize_posts", {"posts": ru, "channel": "durov_news", "max_sentences": 2})
    assert ru_summary["post_count"] == 3 and ru_summary["summary"] and ru_summary["channel"] == "durov_news"
    assert any("а" <= ch <= "я" for ch in ru_summary["summary"].lower())
    en_summary = await call("summarize_posts", {"posts": posts(ENGLISH, "worldnews"), "channel": "worldnews"})
    assert en_summary["post_count"] == 3
    assert any(word in en_summary["summary"] for word in ("budget", "battery", "championship"))

    formatted = await call("format_digest_markdown", {
        "summaries": [{"channel": "durov_news", "summary": ru_summary["summary"], "post_count": 3},
                      {"channel": "worldnews", "title": "World News", "summary": en_summary["summary"], "post_count": 3}],
        "metadata": {"title": "Test digest", "hours": 24}})
    assert formatted["sections_count"] == 2 and "World News" in formatted["markdown"]

    combined = await call("combine_markdown_sections", {"sections": ["## One\n\nfirst", "## Two\n\nsecond"],
                                                       "template": "# {title}\n\n{sections}\n"})
    assert "## One" in combined["combined_markdown"] and "## Two" in combined["combined_markdown"]
    assert combined["total_chars"] == len(combined["combined_markdown"])

    pdf = await call("convert_markdown_to_pdf", {"markdown": formatted["markdown"], "metadata": {"title": "Test"}})
    data = base64.b64decode(pdf["pdf_bytes"])
    assert pdf["file_size"] == len(data)
    assert pdf_pages(data) == pdf["pages"] >= 1

    digest = await call("get_channel_digest", {"user_id": user_id, "hours": 48})
    assert digest["channels_count"] == 2 and len(digest["digests"]) == 2
    one = await call("get_channel_digest_by_name", {"user_id": user_id, "channel_username": "durov_news"})
    assert one["post_count"] == 3 and one["summary"]

    generated = await call("generate_pdf_digest", {"user_id": user_id, "hours": 48})
    data = base64.b64decode(generated["pdf_bytes"])
    assert generated["file_size"] == len(data)
    assert pdf_pages(data) == generated["pages"] >= 1
    assert generated["channels"] == 2 and generated["posts"] == 3 + collected["saved"]

    stories = await call("get_stories", {"user_id": user_id, "hours": 48, "limit": 5})
    assert 1 <= stories["count"] <= 5 and stories["posts"] == generated["posts"]
    assert all(p["url"] for s in stories["stories"] for p in s["posts"])
    added_filter = await call("add_filter", {"user_id": user_id, "kind": "mute", "value": "durov_news"})
    assert added_filter["created"] is True
    assert (await call("list_filters", {"user_id": user_id}))["filters"] == [{"kind": "mute", "value": "durov_news"}]
    muted = await call("get_stories", {"user_id": user_id, "hours": 48})
    assert muted["hidden_by_filters"] == 3 and muted["posts"] == generated["posts"] - 3
    assert (await call("remove_filter", {"user_id": user_id, "kind": "mute", "value": "durov_news"}))["removed"] is True
    assert (await call("set_digest_language", {"user_id": user_id, "language": "ru"}))["language"] == "ru"
    assert (await call("set_digest_images", {"user_id": user_id, "images": "off"}))["images"] == "off"
    assert (await call("set_digest_images", {"user_id": user_id, "images": "default"}))["images"] == "default"

    exported = await call("export_opml", {"user_id": user_id})
    assert exported["channels"] == 2 and f'xmlUrl="https://t.me/s/{CHANNEL}"' in exported["opml"]
    copied = await call("import_opml", {"user_id": user_id + 1000, "opml": exported["opml"]})
    assert sorted(a["channel"] for a in copied["added"]) == sorted([CHANNEL, "durov_news"]) and copied["skipped"] == []
    again = await call("import_opml", {"user_id": user_id, "opml": exported["opml"]})
    assert again["added"] == [] and {s["reason"] for s in again["skipped"]} == {"already_subscribed"}

    settings = await call("get_settings", {"user_id": user_id})
    assert settings["destinations"] == ["telegram", "feed"] and settings["email"] is None and settings["daily_digest"] is False
    changed = await call("update_settings", {"user_id": user_id, "destinations": ["feed", "email"], "email": "reader@example.com",
                                             "daily_digest": True, "daily_hour": 7, "time_zone": "Europe/Berlin"})
    assert changed["destinations"] == ["email", "feed"] and changed["email"] == "reader@example.com"
    assert (await call("get_settings", {"user_id": user_id}))["daily_hour"] == 7

    deleted = await call("delete_channel", {"user_id": user_id, "channel_id": added["channel_id"]})
    assert deleted["status"] == "deleted"
    gone = await call("delete_channel", {"user_id": user_id, "channel_id": added["channel_id"]})
    assert gone["status"] == "not_found"
    return called


# (tool, arguments, text the error must contain)
ERROR_TABLE = [
    ("add_channel", {"channel_username": "durov"}, "user_id"),
    ("add_channel", {"user_id": "seven", "channel_username": "durov"}, "user_id"),
    ("add_channel", {"user_id": 1, "channel_username": "no"}, "channel_username"),
    ("add_channel", {"user_id": 1, "channel_username": "x" * 100_000}, "channel_username"),
    ("list_channels", {"user_id": 1, "limit": 501}, "limit"),
    ("get_posts_from_db", {"user_id": 1, "hours": 0}, "hours"),
    ("get_posts_from_db", {"user_id": 1, "hours": 169}, "hours"),
    ("get_posts", {"channel_username": "durov", "hours": "a day"}, "hours"),
    ("save_posts_to_db", {"posts": [{"message_id": 1, "text": "x", "date": "soon"}], "channel_username": "durov", "user_id": 1}, "posts[0].date"),
    ("summarize_posts", {"posts": [], "channel": "c", "max_sentences": 99}, "max_sentences"),
    ("get_channel_digest_by_name", {"user_id": 1, "channel_username": "durov_news"}, "not subscribed"),
    ("get_channel_metadata", {"channel_username": "nosuchchannel"}, "nosuchchannel"),
    ("import_opml", {"user_id": 1, "opml": "<opml><body><outline"}, "opml"),
    ("update_settings", {"user_id": 1, "email": "not-an-address"}, "email"),
    ("update_settings", {"user_id": 1, "destinations": ["email"]}, "needs an address"),
    ("search_posts", {"user_id": 1, "query": '"unclosed phrase'}, "query"),
    ("search_posts", {"user_id": 1, "query": "-only -excluded"}, "add a word to find"),
    ("search_posts", {"user_id": 1, "query": "x", "since": "yesterday"}, "since"),
    ("no_such_tool", {}, "no_such_tool"),
]


async def check_error_table(session):
    await session.initialize()
    for name, args, needle in ERROR_TABLE:
        result = await session.call_tool(name, args)
        assert is_error(result), (name, args)
        text = result.content[0].text
        assert needle in text, (name, text)
