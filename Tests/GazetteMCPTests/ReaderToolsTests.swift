import Foundation
import GazetteCore
import MCP
import Testing
@testable import GazetteMCP

/// Filters, language and `get_stories` through the REST `/call` of a real server with the production digest service.
@Suite struct ReaderToolsTests {
    @Test func filtersShapeStoriesAndBadInputIsNamed() async throws {
        try await FakeTelegram.with { preview in
            try await TestServer.with(previewBaseURL: preview) { server in
                let collected = try await server.call("collect_posts", ["channel_username": "topwar_official", "user_id": 1, "hours": 48])
                let saved = try #require(collected.json?["result"]?["saved"]?.intValue, "\(collected.text)")

                let stories = try await server.call("get_stories", ["user_id": 1, "hours": 48, "limit": 3])
                let result = try #require(stories.json?["result"], "\(stories.text)")
                #expect(result["posts"]?.intValue == saved)
                #expect((result["count"]?.intValue ?? 0) >= 1 && (result["count"]?.intValue ?? 0) <= 3)
                let first = try #require(result["stories"]?.arrayValue?.first)
                #expect(first["posts"]?.arrayValue?.allSatisfy { $0["url"]?.stringValue?.hasPrefix("https://t.me/topwar_official/") == true } == true)
                #expect(first["corroboration"] == 1)

                let added = try await server.call("add_filter", ["user_id": 1, "kind": "mute", "value": "@topwar_official"])
                #expect(added.json?["result"]?["created"] == true, "\(added.text)")
                let again = try await server.call("add_filter", ["user_id": 1, "kind": "mute", "value": "topwar_official"])
                #expect(again.json?["result"]?["created"] == false)
                let muted = try await server.call("get_stories", ["user_id": 1, "hours": 48])
                #expect(muted.json?["result"]?["count"] == 0)
                #expect(muted.json?["result"]?["hidden_by_filters"]?.intValue == saved)

                let listed = try await server.call("list_filters", ["user_id": 1])
                #expect(listed.json?["result"]?["filters"]?.arrayValue?.count == 1)
                #expect(listed.json?["result"]?["language"] == "auto")
                let removed = try await server.call("remove_filter", ["user_id": 1, "kind": "mute", "value": "topwar_official"])
                #expect(removed.json?["result"]?["removed"] == true)
                let missing = try await server.call("remove_filter", ["user_id": 1, "kind": "mute", "value": "topwar_official"])
                #expect(missing.status == 404)

                let badKind = try await server.call("add_filter", ["user_id": 1, "kind": "loud", "value": "x"])
                #expect(badKind.status == 400 && badKind.text.contains("kind"))
                let badLength = try await server.call("add_filter", ["user_id": 1, "kind": "min_length", "value": "lots"])
                #expect(badLength.status == 400 && badLength.text.contains("min_length"))
                let badLanguage = try await server.call("set_digest_language", ["user_id": 1, "language": "de"])
                #expect(badLanguage.status == 400)
                let language = try await server.call("set_digest_language", ["user_id": 1, "language": "en"])
                #expect(language.json?["result"]?["language"] == "en")
                #expect(try await server.store.readerLanguage(userID: 1) == "en")
                let badImages = try await server.call("set_digest_images", ["user_id": 1, "images": "maybe"])
                #expect(badImages.status == 400 && badImages.text.contains("images"))
                let off = try await server.call("set_digest_images", ["user_id": 1, "images": "off"])
                #expect(off.json?["result"]?["images"] == "off")
                #expect(try await server.store.readerImages(userID: 1) == false)
                _ = try await server.call("set_digest_images", ["user_id": 1, "images": "default"])
                #expect(try await server.store.readerImages(userID: 1) == nil)
            }
        }
    }
}
