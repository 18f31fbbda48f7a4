import Foundation
import GazetteCore
import MCP
import Testing
@testable import GazetteMCP

/// `search_posts` through REST `/call` of a real server on a real SQLite store (issue 27).
@Suite struct SearchToolsTests {
    static func posts(_ channel: String, _ texts: [String]) -> Value {
        .array(texts.enumerated().map { i, text in
            ["message_id": .int(100 + i), "text": .string(text), "date": .string(Date().addingTimeInterval(Double(-60 * (i + 1))).formatted(.iso8601)),
             "url": .string("https://t.me/\(channel)/\(100 + i)")]
        })
    }

    @Test func searchesOnlyTheTokensUserWithPagesAndNamedErrors() async throws {
        let file = try UserTokenTests.tokensFile()
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await TestServer.with(tokensFile: file) { server in
            let one = UserTokenTests.bearer(UserTokenTests.user1), two = UserTokenTests.bearer(UserTokenTests.user2)
            let saved = try await server.call("save_posts_to_db", [
                "channel_username": "city_news", "posts": Self.posts("city_news", [
                    "Новые тарифы на метро вводят с понедельника.", "Метро закрыто на ремонт.", "Тарифы на такси не изменятся.",
                ]),
            ], headers: one)
            #expect(saved.json?["result"]?["saved"] == 3, "\(saved.text)")
            _ = try await server.call("save_posts_to_db", [
                "channel_username": "other_city", "posts": Self.posts("other_city", ["Тарифы на метро в другом городе."]),
            ], headers: two)

            let found = try await server.call("search_posts", ["query": "тарифов -такси"], headers: one)
            let result = try #require(found.json?["result"], "\(found.text)")
            #expect(result["user_id"] == 1 && result["count"] == 1 && result["next_cursor"] == .null)
            let hit = try #require(result["results"]?.arrayValue?.first)
            #expect(hit["channel"] == "city_news" && hit["message_id"] == 100 && hit["url"] == "https://t.me/city_news/100")
            #expect(hit["snippet"] == "Новые **тарифы** на метро вводят с понедельника.")
            #expect(hit["channel_title"] == .null)

            // User 2's token searches user 2's channels only, and cannot name user 1.
            let theirs = try await server.call("search_posts", ["query": "метро"], headers: two)
            #expect(theirs.json?["result"]?["results"]?.arrayValue?.map { $0["channel"] } == ["other_city"])
            let refused = try await server.call("search_posts", ["user_id": 1, "query": "метро"], headers: two)
            #expect(refused.status == 403)
            let notTheirs = try await server.call("search_posts", ["query": "метро", "channel": "city_news"], headers: two)
            #expect(notTheirs.status == 400 && notTheirs.text.contains("you do not follow city_news"), "\(notTheirs.text)")

            // Pages: a cursor for the next, refused for another user.
            let first = try await server.call("search_posts", ["query": "метро", "limit": 1], headers: one)
            let cursor = try #require(first.json?["result"]?["next_cursor"]?.stringValue, "\(first.text)")
            let next = try await server.call("search_posts", ["query": "метро", "limit": 1, "cursor": .string(cursor)], headers: one)
            #expect(next.json?["result"]?["count"] == 1 && next.json?["result"]?["next_cursor"] == .null)
            #expect(next.json?["result"]?["results"]?.arrayValue?.first?["message_id"]
                    != first.json?["result"]?["results"]?.arrayValue?.first?["message_id"])
            let stolen = try await server.call("search_posts", ["query": "метро", "cursor": .string(cursor)], headers: two)
            #expect(stolen.status == 400 && stolen.text.contains("cursor"))

            let cases: [(Value, String)] = [
                (["query": "\"метро"], "query"), (["query": ""], "query"), (["query": "-метро"], "query"),
                (["query": "метро", "since": "вчера"], "since"), (["query": "метро", "limit": .int(101)], "limit"),
                (["query": "x'); DROP TABLE posts; --"], ""), (["query": .int(5)], "query"),
            ]
            for (arguments, named) in cases {
                let reply = try await server.call("search_posts", arguments, headers: one)
                if named.isEmpty {
                    #expect(reply.status == 200, "\(reply.text)")
                } else {
                    #expect(reply.status == 400, "\(arguments): \(reply.text)")
                    #expect(reply.json?["error"]?["argument"] == .string(named), "\(reply.text)")
                }
            }
            #expect(try await server.call("search_posts", ["query": "метро"], headers: one).json?["result"]?["count"] == 2)
        }
    }
}
