"""Issue 17 over the official client: PDFs as binary content, resources (list, templates, read in both formats),
prompts, progress, cancellation and logging, with a token that belongs to user 1."""
from __future__ import annotations

import os
import subprocess
import tempfile

import anyio
import httpx
import pytest

import mcp_flow
from mcp_support import CHANNEL, embedded_pdf, fake_telegram, field, gazette_bin, gazette_serve, is_error, structured
from test_mcp_protocol import http_session

SLOW = "slowchannel"


def add_token(path: str, *subject: str) -> str:
    out = subprocess.run([gazette_bin(), "tokens", "add", *subject], env={"PATH": "/usr/bin:/bin", "GAZETTE_API_TOKENS_FILE": path},
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def cancel_a_call(base: str, token: str) -> None:
    """Starts get_posts on a source that answers after 3 s and cancels it with `notifications/cancelled` (sent by hand:
    the official client over Streamable HTTP keeps such a request resumable and does not cancel it)."""
    import threading
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json, text/event-stream"}
    with httpx.Client(base_url=base, timeout=30) as c:
        init = c.post("/mcp", headers=headers, json={"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "cancel-test", "version": "1"}}})
        assert init.status_code == 200, init.text
        headers |= {"Mcp-Session-Id": init.headers["mcp-session-id"], "MCP-Protocol-Version": "2025-06-18"}
        assert c.post("/mcp", headers=headers, json={"jsonrpc": "2.0", "method": "notifications/initialized"}).status_code == 202
        answer = {}

        def call():
            answer["r"] = c.post("/mcp", headers=headers, json={"jsonrpc": "2.0", "id": 7, "method": "tools/call",
                                                                  "params": {"name": "get_posts", "arguments": {"channel_username": SLOW}}})
        thread = threading.Thread(target=call)
        from mcp_support import SLOW_REQUESTS, wait_until
        SLOW_REQUESTS.clear()
        thread.start()
        wait_until(lambda: SLOW_REQUESTS, timeout=15, what="the call reaching the slow source")
        r = c.post("/mcp", headers=headers, json={"jsonrpc": "2.0", "method": "notifications/cancelled",
                                                  "params": {"requestId": 7, "reason": "test"}})
        assert r.status_code == 202, r.text
        thread.join(timeout=20)


def text_of(contents) -> str:
    assert len(contents) == 1
    return contents[0].text


def test_resources_prompts_progress_cancellation_and_logging():
    with tempfile.TemporaryDirectory() as tmp:
        tokens = os.path.join(tmp, "tokens")
        user1 = add_token(tokens, "--user", "1")
        with fake_telegram(slow_channels=(SLOW,)) as preview, \
                gazette_serve(preview, env={"GAZETTE_API_TOKENS_FILE": tokens}) as (base, _):
            progress: list[tuple[float, float | None, str | None]] = []
            logs: list = []

            async def on_log(params):
                logs.append(params)

            async def on_progress(done, total, message):
                progress.append((done, total, message))

            async def scenario():
                async with http_session(base + "/mcp", token=user1, logging_callback=on_log) as session:
                    init = await session.initialize()
                    caps = init.capabilities
                    assert caps.resources is not None and caps.prompts is not None and caps.logging is not None
                    await session.set_logging_level("info")

                    ru = mcp_flow.posts(mcp_flow.RUSSIAN, "durov_news", 100)
                    saved = await session.call_tool("save_posts_to_db", {"posts": ru, "channel_username": "durov_news"})
                    assert structured(saved)["saved"] == 3
                    collected = await session.call_tool("collect_posts", {"channel_username": CHANNEL, "hours": 48},
                                                        progress_callback=on_progress)
                    assert not is_error(collected) and structured(collected)["saved"] > 0
                    assert progress and progress[-1][0] == progress[-1][1] == 2, progress
                    progress.clear()

                    # PDFs: an embedded application/pdf resource, not base64 inside the JSON; progress on the way.
                    pdf = await session.call_tool("generate_pdf_digest", {"hours": 48}, progress_callback=on_progress)
                    assert not is_error(pdf), pdf.content
                    assert "pdf_bytes" not in structured(pdf)
                    blob = embedded_pdf(pdf)
                    assert blob.startswith(b"%PDF-") and structured(pdf)["file_size"] == len(blob)
                    # Channel sections summarized of those the digest has, increasing to done.
                    dones = [done for done, _, _ in progress]
                    assert dones and dones == sorted(set(dones)) and dones[0] >= 1, progress
                    assert progress[-1][0] == progress[-1][1] and all(t == progress[-1][1] for _, t, _ in progress), progress
                    progress.clear()
                    again = await session.call_tool("generate_pdf_digest", {"hours": 48}, progress_callback=on_progress)
                    assert embedded_pdf(again) == blob  # from the cache: nothing summarized, one report, done
                    assert [(done, total) for done, total, _ in progress] == [(2, 2)], progress  # the digest's 2 channels
                    progress.clear()
                    digest = await session.call_tool("get_channel_digest", {"hours": 48}, progress_callback=on_progress)
                    assert structured(digest)["channels_count"] == 2
                    assert any(total == 2 and done == 2 for done, total, _ in progress), progress

                    templates = field(await session.list_resource_templates(), "resourceTemplates")
                    assert {field(t, "uriTemplate") for t in templates} == {
                        "gazette://users/{user_id}/channels", "gazette://users/{user_id}/digest{?hours,format}",
                        "gazette://channels/{channel}/posts{?hours}"}
                    listed = {str(r.uri) for r in (await session.list_resources()).resources}
                    assert {"gazette://users/1/channels", "gazette://users/1/digest?hours=24&format=markdown",
                            "gazette://users/1/digest?hours=24&format=pdf",
                            "gazette://channels/durov_news/posts?hours=24"} <= listed, listed

                    import json
                    channels = json.loads(text_of((await session.read_resource("gazette://users/1/channels")).contents))
                    assert channels["user_id"] == 1 and channels["count"] == 2
                    markdown = text_of((await session.read_resource("gazette://users/1/digest?hours=48&format=markdown")).contents)
                    assert markdown.startswith("#") and "durov_news" in markdown
                    posts = json.loads(text_of((await session.read_resource("gazette://channels/durov_news/posts?hours=48")).contents))
                    assert posts["count"] == 3 and posts["posts"][0]["channel"] == "durov_news"
                    contents = (await session.read_resource("gazette://users/1/digest?hours=24&format=pdf")).contents
                    assert len(contents) == 1 and field(contents[0], "mimeType") == "application/pdf"
                    import base64
                    path = os.path.join(tmp, "digest.pdf")
                    with open(path, "wb") as f:
                        f.write(base64.b64decode(contents[0].blob))
                    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, timeout=30)
                    assert info.returncode == 0 and "Pages:" in info.stdout, info.stderr

                    # A user's token reads only that user's resources.
                    for uri in ("gazette://users/2/channels", "gazette://users/2/digest?format=pdf",
                                "gazette://channels/someone_elses/posts", "gazette://users/1/digest?hours=999",
                                "gazette://nothing/here"):
                        with pytest.raises(Exception) as refused:
                            await session.read_resource(uri)
                        assert "user_id" in str(refused.value) or "hours" in str(refused.value) \
                            or "not subscribed" in str(refused.value) or "unknown resource" in str(refused.value), \
                            (uri, str(refused.value))

                    # Prompts.
                    prompts = {p.name: p for p in (await session.list_prompts()).prompts}
                    assert set(prompts) == {"daily_digest", "summarize_channel", "whats_new_since", "ask_my_channels"}
                    assert [a.name for a in prompts["ask_my_channels"].arguments if a.required] == ["question"]
                    asked = await session.get_prompt("ask_my_channels", {"question": "Что писали про аэропорт?"})
                    instruction = asked.messages[0].content.text
                    assert "Что писали про аэропорт?" in instruction and "search_posts" in instruction and "user_id 1" in instruction
                    assert "url" in instruction and "cite" in instruction
                    with pytest.raises(Exception):
                        await session.get_prompt("ask_my_channels", {})
                    assert [a.name for a in prompts["summarize_channel"].arguments if a.required] == ["channel"]
                    daily = await session.get_prompt("daily_digest", {"hours": "12"})
                    assert any(m.content.type == "resource_link" and str(m.content.uri) == "gazette://users/1/digest?hours=12&format=markdown"
                               for m in daily.messages), daily.messages
                    channel = await session.get_prompt("summarize_channel", {"channel": "@durov_news"})
                    assert "durov_news" in channel.messages[0].content.text
                    since = await session.get_prompt("whats_new_since", {"since": mcp_flow.iso(170)})
                    assert any(m.content.type == "resource_link" and "hours=3&" in str(m.content.uri) for m in since.messages)
                    with pytest.raises(Exception):
                        await session.get_prompt("daily_digest", {"user_id": "2"})

                    # Pagination across pages; a cursor does not open another user's data.
                    first = structured(await session.call_tool("list_channels", {"limit": 1}))
                    assert first["count"] == 1 and first["next_cursor"]
                    second = structured(await session.call_tool("list_channels", {"limit": 1, "cursor": first["next_cursor"]}))
                    assert second["count"] == 1 and second["next_cursor"] is None
                    assert first["channels"][0]["channel"] != second["channels"][0]["channel"]
                    total = structured(await session.call_tool("get_posts_from_db", {"hours": 48}))["total_posts"]
                    seen, cursor, pages = 0, None, 0
                    while True:
                        page = structured(await session.call_tool("get_posts_from_db", {"hours": 48, "limit": 4, "cursor": cursor}))
                        seen += page["total_posts"]
                        pages += 1
                        assert page["truncated"] == (page["next_cursor"] is not None)
                        cursor = page["next_cursor"]
                        if cursor is None:
                            break
                    assert seen == total and pages == -(-total // 4)
                    top = structured(await session.call_tool("get_stories", {"hours": 48, "limit": 1}))
                    assert top["total_stories"] >= 2 and top["count"] == 1 and top["next_cursor"], top["total_stories"]
                    nxt = structured(await session.call_tool("get_stories", {"hours": 48, "limit": 1, "cursor": top["next_cursor"]}))
                    assert nxt["count"] == 1 and nxt["stories"][0]["key"] != top["stories"][0]["key"]
                    forged = await session.call_tool("list_channels", {"cursor": first["next_cursor"][:-2] + "AA"})
                    assert is_error(forged) and "cursor" in forged.content[0].text

                    assert any(field(l, "data").get("tool") == "generate_pdf_digest" for l in logs), logs
                    assert all(user1 not in str(field(l, "data")) for l in logs)

            anyio.run(scenario)
            cancel_a_call(base, user1)

            def cancelled():
                metrics = httpx.get(base + "/metrics", timeout=10).text
                return 'mcp_tool_calls_total{tool="get_posts",outcome="cancelled"} 1' in metrics
            from mcp_support import wait_until
            wait_until(cancelled, timeout=15, what="get_posts counted as cancelled")


def test_resources_and_prompts_over_stdio():
    from test_mcp_protocol import stdio_session
    with fake_telegram() as preview, tempfile.TemporaryDirectory() as tmp:
        async def scenario():
            async with stdio_session(preview, tmp) as session:
                await session.initialize()
                ru = mcp_flow.posts(mcp_flow.RUSSIAN, "durov_news", 100)
                assert structured(await session.call_tool("save_posts_to_db", {"posts": ru, "channel_username": "durov_news",
                                                                               "user_id": 1}))["saved"] == 3
                templates = field(await session.list_resource_templates(), "resourceTemplates")
                assert len(templates) == 3
                contents = (await session.read_resource("gazette://users/1/digest?hours=24&format=pdf")).contents
                import base64
                assert base64.b64decode(contents[0].blob).startswith(b"%PDF-")
                assert "durov_news" in text_of((await session.read_resource("gazette://channels/durov_news/posts")).contents)
                assert len((await session.list_prompts()).prompts) == 4
                got = await session.get_prompt("daily_digest", {"user_id": "1"})
                assert got.messages
                progress = []

                async def on_progress(done, total, message):
                    progress.append((done, total))
                digest = await session.call_tool("get_channel_digest", {"user_id": 1}, progress_callback=on_progress)
                assert structured(digest)["channels_count"] == 1 and progress == [(0, 1), (1, 1)], progress
                pdf = await session.call_tool("generate_pdf_digest", {"user_id": 1})
                assert embedded_pdf(pdf).startswith(b"%PDF-") and "pdf_bytes" not in structured(pdf)
        anyio.run(scenario)


def test_subscribed_digest_is_updated_when_new_posts_arrive():
    with tempfile.TemporaryDirectory() as tmp:
        tokens = os.path.join(tmp, "tokens")
        user1 = add_token(tokens, "--user", "1")
        with fake_telegram() as preview, gazette_serve(preview, env={"GAZETTE_API_TOKENS_FILE": tokens}) as (base, _):
            updated: list[str] = []

            async def on_message(message):
                root = getattr(message, "root", message)
                if getattr(root, "method", None) == "notifications/resources/updated":
                    updated.append(str(root.params.uri))

            async def scenario():
                async with http_session(base + "/mcp", token=user1, message_handler=on_message) as session:
                    init = await session.initialize()
                    assert init.capabilities.resources.subscribe is True
                    uri = "gazette://users/1/digest?hours=24&format=markdown"
                    ru = mcp_flow.posts(mcp_flow.RUSSIAN, "durov_news", 100)
                    await session.call_tool("save_posts_to_db", {"posts": ru[:1], "channel_username": "durov_news"})
                    await session.subscribe_resource(uri)
                    with pytest.raises(Exception):
                        await session.subscribe_resource("gazette://users/2/digest")
                    await session.call_tool("save_posts_to_db", {"posts": ru[1:], "channel_username": "durov_news"})
                    with anyio.fail_after(30):
                        while uri not in updated:
                            await anyio.sleep(0.1)
                    await session.unsubscribe_resource(uri)
            anyio.run(scenario)
