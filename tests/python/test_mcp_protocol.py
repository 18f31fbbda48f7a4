"""Protocol conformance with the official Python MCP client, over Streamable HTTP and over stdio."""
from __future__ import annotations

import contextlib
import inspect
import tempfile

import anyio
import httpx
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

import legacy_forms
import mcp_flow
from mcp_support import as_rest, fake_telegram, gazette_bin, gazette_env, gazette_serve, is_error, structured

try:  # mcp 2.x
    from mcp.client.streamable_http import streamable_http_client as _http_client
except ImportError:  # mcp 1.x
    from mcp.client.streamable_http import streamablehttp_client as _http_client


@contextlib.asynccontextmanager
async def http_session(url: str, token: str | None = None, **session_options):
    """A ClientSession over Streamable HTTP, for either major version of the client."""
    headers = {"Authorization": f"Bearer {token}"} if token else None
    params = inspect.signature(_http_client).parameters
    async with contextlib.AsyncExitStack() as stack:
        if "http_client" in params and "headers" not in params:
            try:  # mcp 2.x takes a client of its own httpx fork
                import httpx2 as client_http
            except ImportError:
                client_http = httpx
            client = await stack.enter_async_context(client_http.AsyncClient(headers=headers or {}, timeout=60))
            streams = await stack.enter_async_context(_http_client(url, http_client=client))
        else:
            streams = await stack.enter_async_context(_http_client(url, headers=headers) if headers else _http_client(url))
        read, write = streams[0], streams[1]
        session = await stack.enter_async_context(ClientSession(read, write, **session_options))
        yield session


@contextlib.asynccontextmanager
async def stdio_session(preview_url: str, db_dir: str):
    params = StdioServerParameters(command=gazette_bin(), args=["mcp"], env=gazette_env(db_dir, preview_url))
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            yield session


def test_streamable_http_all_tools():
    with fake_telegram() as preview, gazette_serve(preview) as (base, _):
        async def scenario():
            async with http_session(base + "/mcp") as session:
                return await mcp_flow.exercise_all_tools(session, user_id=101)
        called = anyio.run(scenario)
        assert called == mcp_flow.ALL_TOOLS


def test_streamable_http_error_table():
    with fake_telegram() as preview, gazette_serve(preview) as (base, _):
        async def scenario():
            async with http_session(base + "/mcp") as session:
                await mcp_flow.check_error_table(session)
        anyio.run(scenario)


def test_stdio_all_tools():
    with fake_telegram() as preview, tempfile.TemporaryDirectory() as tmp:
        async def scenario():
            async with stdio_session(preview, tmp) as session:
                return await mcp_flow.exercise_all_tools(session, user_id=202)
        called = anyio.run(scenario)
        assert called == mcp_flow.ALL_TOOLS


def test_stdio_error_table():
    with fake_telegram() as preview, tempfile.TemporaryDirectory() as tmp:
        async def scenario():
            async with stdio_session(preview, tmp) as session:
                await mcp_flow.check_error_table(session)
        anyio.run(scenario)


async def check_legacy_forms(session):
    """The earlier system's argument forms (legacy_forms.CASES), as over REST in test_legacy_clients.py."""
    await session.initialize()
    for case in legacy_forms.CASES:
        result = await session.call_tool(case.tool, case.arguments)
        assert not is_error(result), (case.id, result.content)
        try:
            case.check(as_rest(result))
        except AssertionError as e:
            raise AssertionError(f"{case.id}: {e}") from e


def test_streamable_http_legacy_forms():
    with fake_telegram() as preview, gazette_serve(preview) as (base, _):
        async def scenario():
            async with http_session(base + "/mcp") as session:
                await check_legacy_forms(session)
        anyio.run(scenario)


def test_stdio_legacy_forms():
    with fake_telegram() as preview, tempfile.TemporaryDirectory() as tmp:
        async def scenario():
            async with stdio_session(preview, tmp) as session:
                await check_legacy_forms(session)
        anyio.run(scenario)


def test_bearer_token_on_mcp():
    with fake_telegram() as preview, gazette_serve(preview, token="py-test-token") as (base, _):
        async def scenario():
            async with http_session(base + "/mcp", token="py-test-token") as session:
                await session.initialize()
                return len((await session.list_tools()).tools)
        assert anyio.run(scenario) == len(mcp_flow.ALL_TOOLS)
        with httpx.Client(timeout=10) as client:
            refused = client.post(base + "/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}},
                                  headers={"Accept": "application/json, text/event-stream"})
            assert refused.status_code == 401
            assert "py-test-token" not in refused.text
            assert client.get(base + "/health/live").status_code == 200
            assert client.get(base + "/metrics").status_code == 200


def test_foreign_origin_refused():
    with fake_telegram() as preview, gazette_serve(preview) as (base, _):
        with httpx.Client(timeout=10) as client:
            r = client.post(base + "/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}},
                            headers={"Accept": "application/json, text/event-stream", "Origin": "https://evil.example"})
            assert r.status_code == 403
