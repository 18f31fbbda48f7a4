import Foundation
import MCP
import NIOHTTP1
import Testing
@testable import GazetteMCP

@Suite struct RESTTests {
    @Test func indexToolsHealthAndMetrics() async throws {
        try await TestServer.with { server in
            let index = try await server.request(.GET, "/")
            #expect(index.status == 200)
            #expect(index.json?["service"] == "gazette")
            let tools = try await server.request(.GET, "/tools")
            #expect(tools.json?["count"]?.intValue == GazetteTools.all.count)
            #expect(tools.json?["tools"]?.arrayValue?.first?["input_schema"]?["type"] == "object")
            #expect(try await server.request(.GET, "/health/live").status == 200)
            #expect(try await server.request(.GET, "/health/ready").status == 200)
            let metrics = try await server.request(.GET, "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.text.contains("mcp_tool_calls_total"))
        }
    }

    @Test func subscribeSaveReadBackAndDelete() async throws {
        try await TestServer.with { server in
            let added = try await server.call("add_channel", ["user_id": 7, "channel_username": "https://t.me/s/Durov", "tags": ["news"]])
            #expect(added.status == 200, "\(added.text)")
            #expect(added.json?["result"]?["status"] == "subscribed")
            #expect(added.json?["result"]?["channel"] == "durov")
            let again = try await server.call("add_channel", ["user_id": 7, "channel_username": "@durov"])
            #expect(again.json?["result"]?["status"] == "already_subscribed")
            let invite = try await server.call("add_channel", ["user_id": 7, "channel_username": "https://t.me/+AbCdEfGhIjKl"])
            #expect(invite.json?["result"]?["channel"] == "+AbCdEfGhIjKl", "\(invite.text)")
            #expect(invite.json?["result"]?["kind"] == "telegram")
            _ = try await server.call("delete_channel", ["user_id": 7, "channel_id": .int(try #require(invite.json?["result"]?["channel_id"]?.intValue))])
            let channelID = try #require(added.json?["result"]?["channel_id"]?.intValue)

            let now = Date()
            let posts: Value = .array([
                ["message_id": 10, "text": "Привет, мир. Это первый пост.", "date": .string(now.addingTimeInterval(-60).formatted(.iso8601)), "views": 100],
                ["message_id": 11, "text": "Second post in English.", "date": .string(now.addingTimeInterval(-120).formatted(.iso8601)),
                 "url": "https://t.me/durov/11"],
            ])
            let saved = try await server.call("save_posts_to_db", ["posts": posts, "channel_username": "durov", "user_id": 7])
            #expect(saved.json?["result"]?["saved"] == 2, "\(saved.text)")
            let duplicate = try await server.call("save_posts_to_db", ["posts": posts, "channel_username": "durov", "user_id": 7])
            #expect(duplicate.json?["result"]?["skipped"] == 2)
            #expect(duplicate.json?["result"]?["saved"] == 0)

            let read = try await server.call("get_posts_from_db", ["user_id": 7, "hours": 1])
            #expect(read.json?["result"]?["total_posts"] == 2)
            #expect(read.json?["result"]?["posts_by_channel"]?["durov"]?.arrayValue?.count == 2)

            let list = try await server.call("list_channels", ["user_id": 7])
            #expect(list.json?["result"]?["channels"]?.arrayValue?.first?["post_count"] == 2)
            #expect(list.json?["result"]?["channels"]?.arrayValue?.first?["tags"] == ["news"])

            let byName = try await server.call("get_channel_digest_by_name", ["user_id": 7, "channel_username": "durov"])
            #expect(byName.json?["result"]?["post_count"] == 2, "\(byName.text)")
            let notSubscribed = try await server.call("get_channel_digest_by_name", ["user_id": 8, "channel_username": "durov"])
            #expect(notSubscribed.status == 404)

            let deleted = try await server.call("delete_channel", ["user_id": 7, "channel_id": .int(channelID)])
            #expect(deleted.json?["result"]?["status"] == "deleted")
            let gone = try await server.call("delete_channel", ["user_id": 7, "channel_id": .int(channelID)])
            #expect(gone.json?["result"]?["status"] == "not_found")
        }
    }

    @Test func collectPostsFetchesAndStores() async throws {
        try await TestServer.with { server in
            let first = try await server.call("collect_posts", ["channel_username": "somechannel", "user_id": 3])
            #expect(first.json?["result"]?["saved"] == 2, "\(first.text)")
            let second = try await server.call("collect_posts", ["channel_username": "somechannel", "user_id": 3])
            #expect(second.json?["result"]?["skipped"] == 2)
            let meta = try await server.call("get_channel_metadata", ["channel_username": "somechannel"])
            #expect(meta.json?["result"]?["subscribers"] == 1234)
            let missing = try await server.call("get_posts", ["channel_username": "nosuchchannel"])
            #expect(missing.status == 404)
        }
    }

    /// Bad inputs: each gives its status and names the argument; none gives a 500.
    static let badCalls: [(String, Value, Int, String)] = [
        ("add_channel", ["channel_username": "durov"], 400, "user_id"),
        ("add_channel", ["user_id": "7", "channel_username": "durov"], 400, "user_id"),
        ("add_channel", ["user_id": -1, "channel_username": "durov"], 400, "user_id"),
        ("add_channel", ["user_id": 1.5, "channel_username": "durov"], 400, "user_id"),
        ("add_channel", ["user_id": 1, "channel_username": "ab"], 400, "channel_username"),
        ("add_channel", ["user_id": 1, "channel_username": "hello world"], 400, "channel_username"),
        ("add_channel", ["user_id": 1, "channel_username": .string(String(repeating: "x", count: 100_000))], 400, "channel_username"),
        ("add_channel", ["user_id": 1, "channel_username": "durov", "tags": "news"], 400, "tags"),
        ("add_channel", ["user_id": 1, "channel_username": "durov", "bogus": 1], 400, "bogus"),
        ("list_channels", ["user_id": 1, "limit": 501], 400, "limit"),
        ("list_channels", ["user_id": 1, "limit": 0], 400, "limit"),
        ("get_posts_from_db", ["user_id": 1, "hours": 0], 400, "hours"),
        ("get_posts_from_db", ["user_id": 1, "hours": 169], 400, "hours"),
        ("get_posts_from_db", ["user_id": 1, "hours": "24"], 400, "hours"),
        ("get_posts", ["channel_username": "durov", "hours": 1e300], 400, "hours"),
        ("get_channel_digest_by_name", ["user_id": 1, "channel_username": "durov", "hours": 1000], 400, "hours"),
        ("save_posts_to_db", ["posts": "x", "channel_username": "durov", "user_id": 1], 400, "posts"),
        ("save_posts_to_db", ["posts": [["message_id": 1, "text": "t"]], "channel_username": "durov", "user_id": 1], 400, "posts[0].date"),
        ("save_posts_to_db", ["posts": [["message_id": 1, "text": "t", "date": "yesterday"]], "channel_username": "durov", "user_id": 1], 400, "posts[0].date"),
        ("save_posts_to_db", ["posts": [["message_id": 0, "text": "t", "date": "2026-01-01T00:00:00Z"]], "channel_username": "durov", "user_id": 1], 400, "posts[0].message_id"),
        ("summarize_posts", ["posts": [], "channel": "c", "max_sentences": 0], 400, "max_sentences"),
        ("summarize_posts", ["posts": [], "channel": ""], 400, "channel"),
        ("combine_markdown_sections", ["sections": [1, 2]], 400, "sections[0]"),
        ("convert_markdown_to_pdf", ["markdown": 5], 400, "markdown"),
        ("convert_markdown_to_pdf", ["markdown": "# x", "metadata": ["title": 5]], 400, "metadata.title"),
        ("format_digest_markdown", ["summaries": [["summary": "x"]]], 400, "summaries[0].channel"),
        ("generate_pdf_digest", ["user_id": 1, "hours": -5], 400, "hours"),
        ("no_such_tool", [:], 404, "no_such_tool"),
    ]

    @Test func badArgumentsTable() async throws {
        try await TestServer.with { server in
            for (tool, args, status, mentioned) in Self.badCalls {
                let reply = try await server.call(tool, args)
                #expect(reply.status == status, "\(tool) \(args): \(reply.status) \(reply.text)")
                #expect(reply.text.contains(mentioned), "\(tool): \(reply.text)")
            }
        }
    }

    static let badBodies: [(String, Int)] = [
        ("", 400), ("{", 400), ("[]", 400), ("null", 400), ("42", 400), (#""str""#, 400),
        (#"{"arguments": {}}"#, 400), (#"{"tool_name": 5}"#, 400), (#"{"tool_name": "list_channels", "arguments": []}"#, 400),
        (#"{"tool_name": "list_channels", "arguments": {"user_id": 1}, "extra": 1}"#, 400),
        (String(repeating: "[", count: 100_000), 400), (String(repeating: "{\"a\":", count: 5000), 400),
        ("{\"tool_name\": \"list_channels\", \"arguments\": {\"user_id\": 1}", 400), ("\u{0}", 400),
    ]

    @Test func malformedBodies() async throws {
        try await TestServer.with { server in
            for (body, status) in Self.badBodies {
                let reply = try await server.request(.POST, "/call", body: Data(body.utf8))
                #expect(reply.status == status, "\(body.prefix(40)): \(reply.status) \(reply.text)")
            }
        }
    }

    @Test func bodyOverEightMegabytesIs413() async throws {
        try await TestServer.with { server in
            let big = Data(#"{"tool_name": "combine_markdown_sections", "arguments": {"sections": [""#.utf8)
                + Data(repeating: UInt8(ascii: "a"), count: 9 * 1024 * 1024) + Data(#""]}}"#.utf8)
            let reply = try await server.request(.POST, "/call", body: big)
            #expect(reply.status == 413)
        }
    }

    @Test func bearerTokenGuardsToolsCallAndMCP() async throws {
        try await TestServer.with(token: "s3cret-token") { server in
            #expect(try await server.request(.GET, "/tools").status == 401)
            #expect(try await server.request(.GET, "/tools", headers: [("Authorization", "Bearer wrong")]).status == 401)
            #expect(try await server.request(.GET, "/tools", headers: [("Authorization", "Bearer s3cret-token")]).status == 200)
            #expect(try await server.call("list_channels", ["user_id": 1]).status == 401)
            #expect(try await server.call("list_channels", ["user_id": 1], headers: [("Authorization", "Bearer s3cret-token")]).status == 200)
            #expect(try await server.request(.POST, "/mcp", body: Data("{}".utf8)).status == 401)
            #expect(try await server.request(.GET, "/metrics").status == 200)
            #expect(try await server.request(.GET, "/health").status == 200)
            let unauthorized = try await server.request(.GET, "/tools", headers: [("Authorization", "Bearer wrong")])
            #expect(!unauthorized.text.contains("s3cret-token"))
        }
    }

    @Test func metricsMoveWithCalls() async throws {
        try await TestServer.with { server in
            _ = try await server.call("list_channels", ["user_id": 1])
            _ = try await server.call("list_channels", ["user_id": 1, "limit": 9999])
            let text = try await server.request(.GET, "/metrics").text
            #expect(text.contains(#"mcp_tool_calls_total{tool="list_channels",outcome="ok"} 1"#))
            #expect(text.contains(#"mcp_tool_calls_total{tool="list_channels",outcome="invalid_arguments"} 1"#))
            #expect(text.contains(#"http_requests_total{route="/call",method="POST",status="200"} 1"#))
            #expect(text.contains(#"http_requests_total{route="/call",method="POST",status="400"} 1"#))
            #expect(text.contains("http_request_duration_seconds_bucket"))
            #expect(text.contains(#"le="30.0""#) || text.contains(#"le="30""#))
        }
    }

    /// Random JSON thrown at /call: never a 500, never a dropped connection.
    @Test func fuzzCallWithRandomJSON() async throws {
        let names = RegistryTests.specNames + ["", "x", "list_channels "]
        try await TestServer.with { server in
            var rng = SplitMix64(seed: 0x6A7E77E)
            for _ in 0..<300 {
                var args: [String: Value] = [:]
                for _ in 0..<rng.next(upTo: 5) {
                    let keys = ["user_id", "channel_username", "hours", "limit", "posts", "channel", "markdown", "sections", "tags", "channel_id", "zzz"]
                    args[keys[rng.next(upTo: keys.count)]] = RESTTests.randomValue(&rng, depth: 0)
                }
                let tool = names[rng.next(upTo: names.count)]
                let reply = try await server.call(tool, .object(args))
                #expect(reply.status < 500 || reply.status == 502 || reply.status == 503, "\(tool) \(args): \(reply.status) \(reply.text)")
                #expect(reply.json != nil, "\(tool): body is not JSON")
            }
        }
    }

    static func randomValue(_ rng: inout SplitMix64, depth: Int) -> Value {
        switch rng.next(upTo: depth > 2 ? 6 : 8) {
        case 0: return .null
        case 1: return .bool(rng.next(upTo: 2) == 0)
        case 2: return .int([0, -1, 1, 24, 168, 169, 500, Int.max, Int.min][rng.next(upTo: 9)])
        case 3: return .double([0.5, -0.0, 1e308, 24.0][rng.next(upTo: 4)])
        case 4: return .string(["", "durov", "@durov", "t.me/s/durov", "https://t.me/+abc", "2026-01-01T00:00:00Z", "# hi", "💥", String(repeating: "я", count: 3000)][rng.next(upTo: 9)])
        case 5: return .string(String(rng.next(upTo: 1_000_000)))
        case 6: return .array((0..<rng.next(upTo: 4)).map { _ in Self.randomValue(&rng, depth: depth + 1) })
        default:
            var o: [String: Value] = [:]
            for key in ["message_id", "text", "date", "channel", "summary", "title"] where rng.next(upTo: 2) == 0 {
                o[key] = Self.randomValue(&rng, depth: depth + 1)
            }
            return .object(o)
        }
    }
}

/// Small deterministic generator so a failing fuzz case can be replayed.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
    mutating func next(upTo n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
}
