import Foundation
import GazetteCore
import GazetteTestSupport
import MCP
import Testing
@testable import GazetteMCP

/// `import_opml` and `export_opml` through the REST `/call` of a real server with a real SQLite store.
@Suite struct OPMLToolsTests {
    @Test func importReportsAddedAndSkippedAndExportRoundTrips() async throws {
        let opml = try TestFixtures.text("opml/feedreader-v2-nested.opml")
        try await TestServer.with { server in
            // An existing subscription with its own tags is never changed by an import.
            _ = try await server.store.subscribe(userID: 1, ref: .telegram(username: "durov"), tags: ["mine"])
            let imported = try await server.call("import_opml", ["user_id": 1, "opml": .string(opml)])
            let result = try #require(imported.json?["result"], "\(imported.text)")
            #expect(result["outlines"] == 6)
            #expect(result["added"]?.arrayValue?.compactMap { $0["channel"]?.stringValue } == [
                "https://news.example.com/rss.xml", "https://world.example.org/atom.xml", "https://tech.example.net/feed",
                "http://plain.example.com/index.rss",
            ])
            #expect(result["added"]?.arrayValue?[1]["tags"] == ["News", "World"])
            #expect(result["skipped"]?.arrayValue?.compactMap { $0["reason"]?.stringValue } == ["already_subscribed", "duplicate_in_file"])
            #expect(try await server.store.subscription(userID: 1, ref: .telegram(username: "durov"))?.subscription.tags == ["mine"])

            let again = try await server.call("import_opml", ["user_id": 1, "opml": .string(opml)])
            #expect(again.json?["result"]?["added"]?.arrayValue?.isEmpty == true)
            #expect(try await server.store.subscriptionCount(userID: 1) == 5)

            let exported = try await server.call("export_opml", ["user_id": 1])
            let document = try #require(exported.json?["result"]?["opml"]?.stringValue, "\(exported.text)")
            #expect(exported.json?["result"]?["channels"] == 5)
            #expect(document.contains("xmlUrl=\"https://t.me/s/durov\"") && document.contains("htmlUrl=\"https://t.me/durov\""))
            let copied = try await server.call("import_opml", ["user_id": 2, "opml": .string(document)])
            #expect(copied.json?["result"]?["added"]?.arrayValue?.count == 5, "\(copied.text)")
            func list(_ user: Int64) async throws -> [String: [String]] {
                Dictionary(uniqueKeysWithValues: try await server.store.subscriptions(userID: user, limit: 100)
                    .map { ($0.channel.kind.rawValue + ":" + $0.channel.key, $0.subscription.tags) })
            }
            #expect(try await list(1) == list(2))
        }
    }

    @Test func malformedDocumentIsA400NamingTheLineAndStoresNothing() async throws {
        let broken = try TestFixtures.text("opml/malformed.opml")
        try await TestServer.with { server in
            let reply = try await server.call("import_opml", ["user_id": 3, "opml": .string(broken)])
            #expect(reply.status == 400)
            #expect(reply.text.contains("opml") && reply.text.contains("line 8"), "\(reply.text)")
            let entities = try await server.call("import_opml", ["user_id": 3, "opml": .string(try TestFixtures.text("opml/entities.opml"))])
            #expect(entities.status == 400 && entities.text.contains("entities"))
            #expect(try await server.store.subscriptionCount(userID: 3) == 0)
        }
    }
}
