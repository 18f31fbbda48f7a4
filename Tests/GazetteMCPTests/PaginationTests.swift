import Foundation
import GazetteCore
import MCP
import Testing
@testable import GazetteMCP

/// Pagination (issue 17): limit and cursor across pages, cursors that cannot be forged, bounded get_posts_from_db.
@Suite struct PaginationTests {
    @Test func cursorsAreBoundToToolAndUserAndSigned() throws {
        let cursor = PageCursor.make(tool: "list_channels", userID: 1, offset: 5)
        #expect(try PageCursor.offset(cursor, tool: "list_channels", userID: 1) == 5)
        #expect(throws: ToolError.self) { try PageCursor.offset(cursor, tool: "list_channels", userID: 2) }
        #expect(throws: ToolError.self) { try PageCursor.offset(cursor, tool: "get_stories", userID: 1) }
        // The payload edited to another user, with the old signature.
        let parts = cursor.split(separator: ".")
        let forged = Data("list_channels|2|5".utf8).base64EncodedString().replacingOccurrences(of: "=", with: "") + "." + parts[1]
        #expect(throws: ToolError.self) { try PageCursor.offset(forged, tool: "list_channels", userID: 2) }
        #expect(throws: ToolError.self) { try PageCursor.offset("garbage", tool: "list_channels", userID: 1) }
    }

    @Test func listChannelsSaysWhereJoiningAPrivateChannelStands() async throws {
        try await TestServer.with { server in
            #expect(try await server.call("add_channel", ["user_id": 4, "channel_username": "https://t.me/+AbCdEfGhIjKl"]).status == 200)
            #expect(try await server.call("add_channel", ["user_id": 4, "channel_username": "durov"]).status == 200)
            let invite = try #require(try await server.store.subscriptions(userID: 4, limit: 10).first { $0.channel.key == "+AbCdEfGhIjKl" })
            try await server.store.recordAccountJoin(channelID: invite.channel.id, .requested)
            let reply = try await server.call("list_channels", ["user_id": 4])
            let channels = try #require(reply.json?["result"]?["channels"]?.arrayValue, "\(reply.text)")
            let byKey = Dictionary(uniqueKeysWithValues: channels.compactMap { c in c["channel"]?.stringValue.map { ($0, c) } })
            #expect(byKey["+AbCdEfGhIjKl"]?["account_join"] == "join requested, waiting for approval")
            #expect(byKey["durov"]?["account_join"] == .null)
        }
    }

    @Test func listChannelsAndStoredPostsPageThrough() async throws {
        try await TestServer.with { server in
            for name in ["alpha", "bravo", "charlie"] {
                #expect(try await server.call("add_channel", ["user_id": 4, "channel_username": .string(name)]).status == 200)
            }
            var seen: [String] = []
            var cursor: Value = .null
            var pages = 0
            repeat {
                let reply = try await server.call("list_channels", ["user_id": 4, "limit": 2, "cursor": cursor])
                let result = try #require(reply.json?["result"], "\(reply.text)")
                seen += result["channels"]?.arrayValue?.compactMap { $0["channel"]?.stringValue } ?? []
                cursor = result["next_cursor"] ?? .null
                pages += 1
            } while !cursor.isNull && pages < 5
            #expect(pages == 2)
            #expect(seen.sorted() == ["alpha", "bravo", "charlie"])

            let now = Date()
            let posts: Value = .array((1...5).map { i in
                ["message_id": .int(i), "text": .string("Post number \(i) about something else entirely \(i * 7)"),
                 "date": .string(now.addingTimeInterval(Double(-60 * i)).formatted(.iso8601))]
            })
            #expect(try await server.call("save_posts_to_db", ["posts": posts, "channel_username": "alpha", "user_id": 4]).status == 200)
            let first = try #require(try await server.call("get_posts_from_db", ["user_id": 4, "limit": 3]).json?["result"])
            #expect(first["total_posts"] == 3 && first["truncated"] == true)
            let next = try #require(first["next_cursor"]?.stringValue)
            let second = try #require(try await server.call("get_posts_from_db", ["user_id": 4, "limit": 3, "cursor": .string(next)]).json?["result"])
            #expect(second["total_posts"] == 2 && second["truncated"] == false && second["next_cursor"] == .null)
            let ids = (first["posts_by_channel"]?["alpha"]?.arrayValue ?? []) + (second["posts_by_channel"]?["alpha"]?.arrayValue ?? [])
            #expect(Set(ids.compactMap { $0["message_id"]?.intValue }) == Set(1...5))
            // Another user's id with this cursor is refused, naming the cursor.
            let refused = try await server.call("get_posts_from_db", ["user_id": 5, "cursor": .string(next)])
            #expect(refused.status == 400 && refused.json?["error"]?["argument"] == "cursor", "\(refused.text)")
        }
    }
}
