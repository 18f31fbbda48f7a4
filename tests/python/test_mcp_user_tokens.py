"""Tokens that belong to users (issue 17): `gazette tokens add|list|revoke`, and a user's token over MCP and REST."""
from __future__ import annotations

import os
import subprocess
import tempfile

import anyio
import httpx

from mcp_support import fake_telegram, gazette_bin, gazette_serve, is_error, structured
from test_mcp_protocol import http_session


def tokens(path: str, *args: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "GAZETTE_API_TOKENS_FILE": path}
    return subprocess.run([gazette_bin(), "tokens", *args], env=env, capture_output=True, text=True, timeout=60)


def test_tokens_cli_add_list_revoke():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "tokens")
        first = tokens(path, "add", "--user", "1")
        assert first.returncode == 0, first.stderr
        token = first.stdout.strip()
        assert token.startswith("gzt_") and len(token) > 40
        assert os.stat(path).st_mode & 0o777 == 0o600
        assert tokens(path, "add", "--admin").returncode == 0
        listed = tokens(path, "list")
        assert listed.returncode == 0 and "1" in listed.stdout and "admin" in listed.stdout
        assert token not in listed.stdout and token[:8] in listed.stdout
        assert tokens(path, "add", "--user", "0").returncode != 0
        assert tokens(path, "add").returncode != 0
        revoked = tokens(path, "revoke", "--user", "1")
        assert revoked.returncode == 0 and "revoked 1 token" in revoked.stdout
        assert token not in open(path).read()
        assert tokens(path, "revoke", "--user", "1").returncode == 65
        assert "admin" in tokens(path, "list").stdout


def test_user_two_cannot_read_user_ones_channels_over_mcp_and_rest():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "tokens")
        user1 = tokens(path, "add", "--user", "1").stdout.strip()
        user2 = tokens(path, "add", "--user", "2").stdout.strip()
        admin = tokens(path, "add", "--admin").stdout.strip()
        with fake_telegram() as preview, gazette_serve(preview, env={"GAZETTE_API_TOKENS_FILE": path}) as (base, proc):
            async def scenario():
                async with http_session(base + "/mcp", token=user1) as session:
                    await session.initialize()
                    added = await session.call_tool("add_channel", {"channel_username": "durov"})
                    assert not is_error(added), added.content
                    own = structured(await session.call_tool("list_channels", {}))
                    assert own["user_id"] == 1 and own["count"] == 1
                async with http_session(base + "/mcp", token=user2) as session:
                    await session.initialize()
                    refused = await session.call_tool("list_channels", {"user_id": 1})
                    assert is_error(refused)
                    assert "forbidden" in refused.content[0].text and "user 2" in refused.content[0].text
                    theirs = structured(await session.call_tool("list_channels", {}))
                    assert theirs["user_id"] == 2 and theirs["count"] == 0
                    digest = await session.call_tool("get_posts_from_db", {"user_id": 1})
                    assert is_error(digest)
            anyio.run(scenario)
            with httpx.Client(base_url=base, timeout=30) as c:
                def call(token, tool, arguments):
                    return c.post("/call", json={"tool_name": tool, "arguments": arguments},
                                  headers={"Authorization": f"Bearer {token}"})
                r = call(user2, "list_channels", {"user_id": 1})
                assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
                assert call(user2, "get_channel_digest", {"user_id": 1}).status_code == 403
                assert call(user1, "list_channels", {}).json()["result"]["count"] == 1
                assert call(admin, "list_channels", {"user_id": 1}).json()["result"]["count"] == 1
                assert call("gzt_not-a-known-token-at-all", "list_channels", {}).status_code == 401
                # A session opened with user 1's token does not accept user 2's token.
                init = c.post("/mcp", headers={"Authorization": f"Bearer {user1}", "Accept": "application/json, text/event-stream"},
                              json={"jsonrpc": "2.0", "id": 1, "method": "initialize",
                                    "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                                               "clientInfo": {"name": "t", "version": "1"}}})
                assert init.status_code == 200, init.text
                sid = init.headers["mcp-session-id"]
                other = c.post("/mcp", headers={"Authorization": f"Bearer {user2}", "Mcp-Session-Id": sid,
                                                "Accept": "application/json, text/event-stream",
                                                "MCP-Protocol-Version": "2025-06-18"},
                               json={"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
                assert other.status_code == 403
            # Revoking takes effect without a restart.
            assert tokens(path, "revoke", "--user", "2").returncode == 0
            with httpx.Client(base_url=base, timeout=30) as c:
                r = c.post("/call", json={"tool_name": "list_channels", "arguments": {}}, headers={"Authorization": f"Bearer {user2}"})
                assert r.status_code == 401
