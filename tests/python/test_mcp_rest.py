"""The REST compatibility API of `gazette serve`: status codes, limits, a random-JSON fuzz pass, metrics."""
from __future__ import annotations

import json
import random

import httpx

from mcp_flow import ALL_TOOLS
from mcp_support import fake_telegram, gazette_serve


def test_rest_endpoints_and_errors():
    with fake_telegram() as preview, gazette_serve(preview) as (base, _):
        with httpx.Client(base_url=base, timeout=30) as c:
            index = c.get("/").json()
            assert index["service"] == "gazette" and "/call" in index["endpoints"]
            tools = c.get("/tools").json()
            assert tools["count"] == len(ALL_TOOLS) and all(t["input_schema"]["type"] == "object" for t in tools["tools"])
            assert c.get("/health").status_code == 200
            assert c.get("/health/ready").status_code == 200

            ok = c.post("/call", json={"tool_name": "add_channel", "arguments": {"user_id": 1, "channel_username": "@durov"}})
            assert ok.status_code == 200 and ok.json()["result"]["status"] == "subscribed"

            cases = [
                ({"tool_name": "nope", "arguments": {}}, 404),
                ({"tool_name": "list_channels", "arguments": {"user_id": 1, "limit": 100000}}, 400),
                ({"tool_name": "get_posts_from_db", "arguments": {"user_id": 1, "hours": 500}}, 400),
                ({"tool_name": "get_posts_from_db", "arguments": {"user_id": True}}, 400),
                ({"tool_name": "add_channel", "arguments": {"user_id": 1, "channel_username": "a b"}}, 400),
                ({"tool_name": "get_channel_digest_by_name", "arguments": {"user_id": 9, "channel_username": "durov"}}, 404),
                ({"tool_name": "get_posts", "arguments": {"channel_username": "nosuchchannel"}}, 404),
                ({"arguments": {}}, 400),
                ([], 400),
            ]
            for body, status in cases:
                r = c.post("/call", json=body)
                assert r.status_code == status, (body, r.status_code, r.text)
                assert "error" in r.json()
            for raw in [b"", b"{", b"not json", b"[" * 10000]:
                r = c.post("/call", content=raw, headers={"Content-Type": "application/json"})
                assert r.status_code == 400, (raw[:20], r.status_code)
            big = b'{"tool_name": "combine_markdown_sections", "arguments": {"sections": ["' + b"a" * (9 << 20) + b'"]}}'
            assert c.post("/call", content=big, headers={"Content-Type": "application/json"}).status_code == 413

            metrics = c.get("/metrics").text
            assert 'mcp_tool_calls_total{tool="add_channel",outcome="ok"} 1' in metrics
            assert 'http_requests_total{route="/call",method="POST",status="413"} 1' in metrics
            assert "pdf_generation_duration_seconds" in metrics


def random_json(rng: random.Random, depth: int = 0):
    kind = rng.randrange(8 if depth < 3 else 5)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice([0, -1, 1, 24, 168, 169, 500, 2**63 - 1, -(2**63), 1.5, 1e308])
    if kind == 3:
        return rng.choice(["", "durov", "@durov", "t.me/s/durov", "2026-01-01T00:00:00Z", "{sections}", "# x", "💥", "я" * 5000])
    if kind == 4:
        return "".join(chr(rng.randrange(32, 0x2FFF)) for _ in range(rng.randrange(20)))
    if kind == 5:
        return [random_json(rng, depth + 1) for _ in range(rng.randrange(4))]
    keys = ["user_id", "channel_username", "hours", "limit", "posts", "channel", "markdown", "sections", "tags",
            "message_id", "text", "date", "summaries", "metadata", "template", "max_sentences", "channel_id", "opml",
            "destinations", "email", "daily_digest", "daily_hour", "time_zone", "zz"]
    return {rng.choice(keys): random_json(rng, depth + 1) for _ in range(rng.randrange(5))}


def test_fuzz_call_never_500():
    rng = random.Random(20261129)
    names = ["add_channel", "list_channels", "delete_channel", "get_posts_from_db", "save_posts_to_db", "summarize_posts",
             "format_digest_markdown", "combine_markdown_sections", "convert_markdown_to_pdf", "get_channel_digest",
             "get_channel_digest_by_name", "generate_pdf_digest", "collect_posts", "get_posts", "get_channel_metadata",
             "get_stories", "list_filters", "add_filter", "remove_filter", "set_digest_language", "set_digest_images", "import_opml", "export_opml",
             "get_settings", "update_settings", "x"]
    with fake_telegram() as preview, gazette_serve(preview) as (base, proc):
        with httpx.Client(base_url=base, timeout=60) as c:
            for i in range(400):
                if i % 5 == 0:
                    body = json.dumps(random_json(rng)).encode()
                else:
                    body = json.dumps({"tool_name": rng.choice(names), "arguments": random_json(rng)}).encode()
                if i % 17 == 0:
                    body = body[: rng.randrange(len(body) + 1)]  # truncated JSON
                r = c.post("/call", content=body, headers={"Content-Type": "application/json"})
                assert r.status_code < 500 or r.status_code in (502, 503), (body[:200], r.status_code, r.text[:300])
                r.json()  # always a JSON body
            assert proc.poll() is None, "the server died during the fuzz pass"
            assert c.get("/health/live").status_code == 200
