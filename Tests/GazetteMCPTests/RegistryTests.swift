import Foundation
import MCP
import Testing
@testable import GazetteMCP

@Suite struct RegistryTests {
    static let specNames = [
        "add_channel", "list_channels", "delete_channel", "get_channel_metadata", "get_posts", "collect_posts",
        "save_posts_to_db", "get_posts_from_db", "summarize_posts", "format_digest_markdown", "combine_markdown_sections",
        "convert_markdown_to_pdf", "get_channel_digest", "get_channel_digest_by_name", "generate_pdf_digest",
        // Issue 15: stories, filters and the digest language.
        "get_stories", "list_filters", "add_filter", "remove_filter", "set_digest_language",
        // Issue 16: pictures in digests.
        "set_digest_images",
        // Issue 18: subscriptions in and out as OPML.
        "import_opml", "export_opml",
        // Issue 18: where and when the daily digest goes.
        "get_settings", "update_settings",
        // Issue 27: full-text search.
        "search_posts",
    ]

    @Test func everyToolWithTheSpecNames() {
        #expect(GazetteTools.all.map(\.name) == Self.specNames)
    }

    @Test(arguments: GazetteTools.all.map(\.name))
    func schemaIsAnObjectWhoseRequiredArgumentsAreDeclared(name: String) throws {
        let tool = try #require(GazetteTools.all.first { $0.name == name })
        #expect(tool.inputSchema["type"] == "object")
        let properties = try #require(tool.inputSchema["properties"]?.objectValue)
        let required = tool.inputSchema["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
        for argument in required { #expect(properties[argument] != nil, "\(name): \(argument)") }
        #expect(!tool.description.isEmpty)
    }

    @Test(arguments: GazetteTools.all.map(\.name))
    func everyToolHasATitleHintsAndAnOutputSchema(name: String) throws {
        let tool = try #require(GazetteTools.all.first { $0.name == name }).mcpTool
        #expect(tool.title?.isEmpty == false)
        #expect(tool.annotations.title == tool.title)
        #expect(tool.annotations.readOnlyHint != nil && tool.annotations.openWorldHint != nil)
        let output = try #require(tool.outputSchema)
        #expect(output["type"] == "object")
        let properties = try #require(output["properties"]?.objectValue)
        for field in output["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
            #expect(properties[field] != nil, "\(name): \(field)")
        }
    }

    @Test func hintsFollowWhatEachToolDoes() throws {
        func hints(_ name: String) throws -> Tool.Annotations { try #require(GazetteTools.all.first { $0.name == name }).mcpTool.annotations }
        for tool in GazetteTools.all where ["list_", "get_", "format_", "combine_", "convert_", "search_"].contains(where: tool.name.hasPrefix) {
            #expect(tool.hints.readOnly, "\(tool.name)")
        }
        let delete = try hints("delete_channel")
        #expect(delete.destructiveHint == true && delete.idempotentHint == true && delete.readOnlyHint == false)
        for name in ["add_channel", "save_posts_to_db"] {
            let h = try hints(name)
            #expect(h.idempotentHint == true && h.destructiveHint == false && h.readOnlyHint == false, "\(name)")
        }
        // Telegram (live reads) and the summarizer (an LLM when configured) are an open world; the database is not.
        for name in ["get_channel_metadata", "get_posts", "collect_posts", "summarize_posts", "get_channel_digest",
                     "get_channel_digest_by_name", "generate_pdf_digest", "get_stories"] {
            #expect(try hints(name).openWorldHint == true, "\(name)")
        }
        for name in ["list_channels", "add_channel", "delete_channel", "save_posts_to_db", "get_posts_from_db",
                     "format_digest_markdown", "combine_markdown_sections", "convert_markdown_to_pdf", "list_filters", "search_posts"] {
            #expect(try hints(name).openWorldHint == false, "\(name)")
        }
    }

    @Test func defaultsAndLimitsMatchTheSpec() throws {
        func property(_ tool: String, _ arg: String) -> Value? {
            GazetteTools.all.first { $0.name == tool }?.inputSchema["properties"]?[arg]
        }
        #expect(property("list_channels", "limit")?["default"] == 100)
        #expect(property("list_channels", "limit")?["maximum"] == 500)
        #expect(property("get_posts", "hours")?["default"] == 24)
        #expect(property("get_channel_digest_by_name", "hours")?["default"] == 72)
        #expect(property("summarize_posts", "max_sentences")?["default"] == 5)
        #expect(property("generate_pdf_digest", "hours")?["maximum"] == 168)
    }

    @Test func argumentReaderNamesTheArgument() throws {
        let args = try ToolArguments(["hours": 500, "user_id": "x"], allowed: ["hours", "user_id"])
        #expect(throws: ToolError.invalidArguments(argument: "hours", reason: "must be in 1…168, got 500")) {
            try args.int("hours", default: 24, in: 1...168)
        }
        #expect(throws: ToolError.invalidArguments(argument: "user_id", reason: "must be an integer, got a string")) {
            try args.id("user_id")
        }
        #expect(throws: ToolError.self) { try ToolArguments(["hour": 5], allowed: ["hours"]) }
    }

    @Test func constantTimeCompare() {
        #expect(BearerAuth.constantTimeEquals(Array("secret".utf8), Array("secret".utf8)))
        #expect(!BearerAuth.constantTimeEquals(Array("secreT".utf8), Array("secret".utf8)))
        #expect(!BearerAuth.constantTimeEquals(Array("secret-longer".utf8), Array("secret".utf8)))
        #expect(!BearerAuth.constantTimeEquals([], Array("secret".utf8)))
    }

    @Test func nonLoopbackWithoutTokenIsRefused() {
        #expect(throws: ServerConfigError.self) { try HTTPServerOptions(host: "0.0.0.0").validate() }
        #expect(throws: Never.self) { try HTTPServerOptions(host: "0.0.0.0", insecureNoAuth: true).validate() }
        #expect(throws: Never.self) { try HTTPServerOptions(host: "0.0.0.0", apiToken: .init("t")).validate() }
        #expect(throws: Never.self) { try HTTPServerOptions(host: "127.0.0.1").validate() }
    }

    @Test func originPolicy() {
        let policy = OriginPolicy(host: "127.0.0.1", allowedOrigins: ["https://app.example"])
        #expect(policy.check(origin: nil, authority: "127.0.0.1:8004") == nil)
        #expect(policy.check(origin: "http://localhost:3000", authority: "localhost:8004") == nil)
        #expect(policy.check(origin: "https://app.example", authority: "127.0.0.1:8004") == nil)
        #expect(policy.check(origin: "https://evil.example", authority: "127.0.0.1:8004")?.status.code == 403)
        #expect(policy.check(origin: nil, authority: "evil.example:8004")?.status.code == 421)
    }
}
