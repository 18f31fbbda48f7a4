"""Arguments as the earlier (Python) system's clients sent them, with what Gazette must answer.

The earlier system documented its tools in the table SPEC §7 repeats: the same names, the same arguments and the
same result keys. Its clients also sent forms Gazette's own documentation does not use: `metadata.generation_date`
(and `user_id`) for `format_digest_markdown`, a template *name* such as "default" for `combine_markdown_sections`,
and metadata keys the renderer has no use for. Each case here is one such call with a check of its answer; the REST
tests (test_legacy_clients.py) and the MCP protocol tests (test_mcp_protocol.py) run the same table.
"""
from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import io
from typing import Callable

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]

# The title Gazette gives a digest when the client names none.
DEFAULT_TITLE = "Gazette digest"

# Far from today, so a date found in the markdown cannot come from the server's clock.
GENERATION_DATE = "2024-05-17T09:30:00Z"


def long_date(d: dt.datetime) -> str:
    """A date as the digest prints it: "17 May 2024" (UTC, English month names)."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def todays() -> set[str]:
    """Today's date as the digest prints it, and yesterday's: a call made just before midnight UTC is answered
    with the earlier date."""
    now = dt.datetime.now(dt.timezone.utc)
    return {long_date(now), long_date(now - dt.timedelta(minutes=5))}


def result_keys(result: dict, *keys: str) -> None:
    missing = [k for k in keys if k not in result]
    assert not missing, f"result lacks {missing}: {sorted(result)}"


def pdf_document(result: dict) -> bytes:
    """The `{pdf_bytes (base64), file_size, pages}` answer, checked against the document it carries."""
    from pypdf import PdfReader
    result_keys(result, "pdf_bytes", "file_size", "pages")
    data = base64.b64decode(result["pdf_bytes"], validate=True)
    assert data.startswith(b"%PDF-"), data[:16]
    assert data.rstrip().endswith(b"%%EOF")
    assert result["file_size"] == len(data)
    assert result["pages"] == len(PdfReader(io.BytesIO(data)).pages) >= 1
    return data


@dataclasses.dataclass(frozen=True)
class Case:
    id: str
    tool: str
    arguments: dict
    check: Callable[[dict], None]


# --- format_digest_markdown -------------------------------------------------------------------------------------

SUMMARIES = [
    # What summarize_posts answered, passed on whole (method and language are not summary fields).
    {"summary": "The council approved the transport budget.", "post_count": 3, "channel": "worldnews",
     "method": "extractive", "language": "en"},
    # A hand-made entry with a title, views, and keys of the earlier system's own.
    {"channel": "technews", "title": "Tech News", "summary": "A new battery design lasts twice as long.",
     "post_count": 2, "views": 1500, "user_id": 42, "top_posts": []},
]


def formatted(title: str, date_line: str, window: str | None = None) -> Callable[[dict], None]:
    def check(result: dict) -> None:
        result_keys(result, "markdown", "sections_count")
        assert result["sections_count"] == len(SUMMARIES)
        markdown = result["markdown"]
        assert markdown.splitlines()[0] == f"# {title} — {date_line}", markdown[:200]
        if window:
            assert window in markdown, markdown[:400]
        for s in SUMMARIES:
            assert s["summary"] in markdown
        assert "## Tech News" in markdown and "## worldnews" in markdown
        assert "user_id" not in markdown and "top_posts" not in markdown
    return check


def formatted_today(result: dict) -> None:
    result_keys(result, "markdown", "sections_count")
    first = result["markdown"].splitlines()[0]
    assert first in {f"# {DEFAULT_TITLE} — {d}" for d in todays()}, first


# --- combine_markdown_sections ----------------------------------------------------------------------------------

SECTIONS = ["## Мир\n\nПервая секция.", "## Tech\n\nSecond section.\n"]
JOINED = "## Мир\n\nПервая секция.\n\n## Tech\n\nSecond section."


def combined(expected: Callable[[str], str]) -> Callable[[dict], None]:
    """The answer must be `expected(date)` for today's date (as the digest prints it)."""
    def check(result: dict) -> None:
        result_keys(result, "combined_markdown", "total_chars")
        text = result["combined_markdown"]
        assert text in {expected(d) for d in todays()}, text
        assert result["total_chars"] == len(text)
    return check


def default_template(date: str) -> str:
    return f"# {DEFAULT_TITLE}\n\n{date}\n\n{JOINED}\n"


# --- convert_markdown_to_pdf ------------------------------------------------------------------------------------

MARKDOWN = "# Дайджест\n\n## Мир\n\n- Первая новость\n- Second item\n\n| channel | posts |\n| --- | --- |\n| worldnews | 3 |\n"


def converted(title: str | None, author: str | None) -> Callable[[dict], None]:
    def check(result: dict) -> None:
        from pypdf import PdfReader
        reader = PdfReader(io.BytesIO(pdf_document(result)))
        text = "".join(page.extract_text() for page in reader.pages)
        assert "Дайджест" in text and "Second item" in text, text[:200]
        if title is not None:
            assert reader.metadata.title == title
        if author is not None:
            assert reader.metadata.author == author
    return check


CASES = [
    Case("format-generation-date-and-user-id", "format_digest_markdown",
         {"summaries": SUMMARIES,
          "metadata": {"title": "Daily digest", "generation_date": GENERATION_DATE, "user_id": 42, "hours": 24}},
         formatted("Daily digest", "17 May 2024", "16 May 2024 09:30 – 17 May 2024 09:30 UTC")),
    Case("format-generation-date-python-isoformat", "format_digest_markdown",
         {"summaries": SUMMARIES,
          "metadata": {"generation_date": "2024-05-17T12:30:00.123456+03:00", "user_id": 42}},
         formatted(DEFAULT_TITLE, "17 May 2024", "16 May 2024 09:30 – 17 May 2024 09:30 UTC")),
    Case("format-generation-date-without-offset", "format_digest_markdown",  # Python's utcnow().isoformat()
         {"summaries": SUMMARIES, "metadata": {"generation_date": "2024-05-17T09:30:00.000001", "user_id": 42}},
         formatted(DEFAULT_TITLE, "17 May 2024", "16 May 2024 09:30 – 17 May 2024 09:30 UTC")),
    Case("format-generation-date-calendar-date", "format_digest_markdown",
         {"summaries": SUMMARIES, "metadata": {"generation_date": "2024-05-17", "user_id": 42}},
         formatted(DEFAULT_TITLE, "17 May 2024", "16 May 2024 00:00 – 17 May 2024 00:00 UTC")),
    Case("format-date", "format_digest_markdown",
         {"summaries": SUMMARIES, "metadata": {"date": GENERATION_DATE, "hours": 48}},
         formatted(DEFAULT_TITLE, "17 May 2024", "Last 48 hours: 15 May 2024 09:30 – 17 May 2024 09:30 UTC")),
    Case("format-metadata-without-date", "format_digest_markdown",
         {"summaries": SUMMARIES, "metadata": {"user_id": 42}}, formatted_today),
    Case("combine-no-template", "combine_markdown_sections", {"sections": SECTIONS}, combined(default_template)),
    Case("combine-template-name-default", "combine_markdown_sections",
         {"sections": SECTIONS, "template": "default"}, combined(default_template)),
    Case("combine-unknown-template-name", "combine_markdown_sections",
         {"sections": SECTIONS, "template": "weekly"}, combined(default_template)),
    Case("combine-template-name-plain", "combine_markdown_sections",
         {"sections": SECTIONS, "template": "plain"}, combined(lambda date: f"{JOINED}\n")),
    Case("combine-template-name-dated", "combine_markdown_sections",
         {"sections": SECTIONS, "template": "dated"}, combined(lambda date: f"{date}\n\n{JOINED}\n")),
    Case("combine-template-string", "combine_markdown_sections",
         {"sections": SECTIONS, "template": "# {title}\n\n_Issue of {date}_\n\n{sections}\n\n---\nEnd."},
         combined(lambda date: f"# {DEFAULT_TITLE}\n\n_Issue of {date}_\n\n{JOINED}\n\n---\nEnd.")),
    Case("combine-template-string-sections-only", "combine_markdown_sections",
         {"sections": SECTIONS, "template": "{sections}"}, combined(lambda date: JOINED)),
    Case("convert-unknown-metadata-keys", "convert_markdown_to_pdf",
         {"markdown": MARKDOWN, "style": "body { font-family: 'DejaVu Sans'; font-size: 12pt; }",
          "metadata": {"title": "Old client digest", "author": "digest-bot", "generation_date": GENERATION_DATE,
                       "user_id": 42, "channels": ["worldnews"]}},
         converted("Old client digest", "digest-bot")),
    Case("convert-markdown-only", "convert_markdown_to_pdf", {"markdown": MARKDOWN}, converted("Gazette", "Gazette")),
]
