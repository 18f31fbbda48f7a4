import Foundation
import GazetteCore
import MCP
import Testing
@testable import GazetteMCP

/// Tokens that belong to users (issue 17): a user's token acts only for that user, an admin token for anyone.
@Suite struct UserTokenTests {
    static let user1 = "gzt_user-one-token-0123456789"
    static let user2 = "gzt_user-two-token-0123456789"
    static let admin = "gzt_admin-token-0123456789ab"

    static func tokensFile() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-tokens-\(UUID().uuidString)").path
        try APITokenFile.save([.init(token: user1, caller: .user(1)), .init(token: user2, caller: .user(2)),
                               .init(token: admin, caller: .admin)], path: path)
        return path
    }

    static func bearer(_ token: String) -> [(String, String)] { [("Authorization", "Bearer \(token)")] }

    @Test func fileRoundTripsAndErrorsNameTheLineNotTheToken() throws {
        let entries: [APITokenFile.Entry] = [.init(token: Self.user1, caller: .user(1), created: "2026-12-03T00:00:00Z"),
                                             .init(token: Self.admin, caller: .admin)]
        #expect(try APITokenFile.parse(APITokenFile.render(entries)) == entries)
        do {
            _ = try APITokenFile.parse("# comment\n\(Self.user1) someone\n")
            Issue.record("an unknown subject was accepted")
        } catch {
            #expect(error.message.contains("line 2"))
            #expect(!error.message.contains(Self.user1))
        }
        #expect(throws: APITokenFile.FileError.self) { try APITokenFile.parse("short 1\n") }
        #expect(throws: APITokenFile.FileError.self) { try APITokenFile.parse("\(Self.user1) 1\n\(Self.user1) 2\n") }
        let generated = APITokenFile.generate()
        #expect(generated.hasPrefix("gzt_") && generated.count == 47 && generated != APITokenFile.generate())
        #expect(!APITokenFile.Entry(token: generated, caller: .admin).masked.contains(String(generated.suffix(30))))
    }

    @Test func registryDefaultsAndRefusesUserID() throws {
        let tool = try #require(GazetteTools.all.first { $0.name == "list_channels" })
        #expect(try ToolRegistry.arguments(nil, of: tool, for: .user(2))?["user_id"] == 2)
        #expect(try ToolRegistry.arguments(["user_id": 2], of: tool, for: .user(2))?["user_id"] == 2)
        #expect(throws: ToolError.forbidden("this token belongs to user 2; it cannot act for user_id 1")) {
            try ToolRegistry.arguments(["user_id": 1], of: tool, for: .user(2))
        }
        #expect(try ToolRegistry.arguments(["user_id": 1], of: tool, for: .admin)?["user_id"] == 1)
        #expect(ToolError.forbidden("x").httpStatus == 403)
    }

    @Test func userTwoCannotReadUserOnesChannelsOverREST() async throws {
        let file = try Self.tokensFile()
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await TestServer.with(tokensFile: file) { server in
            let added = try await server.call("add_channel", ["channel_username": "durov"], headers: Self.bearer(Self.user1))
            #expect(added.status == 200, "\(added.text)")
            let own = try await server.call("list_channels", [:], headers: Self.bearer(Self.user1))
            #expect(own.json?["result"]?["user_id"] == 1)
            #expect(own.json?["result"]?["count"] == 1)
            let refused = try await server.call("list_channels", ["user_id": 1], headers: Self.bearer(Self.user2))
            #expect(refused.status == 403, "\(refused.text)")
            #expect(refused.json?["error"]?["code"] == "forbidden")
            #expect(!refused.text.contains(Self.user2))
            let theirs = try await server.call("list_channels", [:], headers: Self.bearer(Self.user2))
            #expect(theirs.json?["result"]?["count"] == 0)
            let admin = try await server.call("list_channels", ["user_id": 1], headers: Self.bearer(Self.admin))
            #expect(admin.json?["result"]?["count"] == 1)
            #expect(try await server.call("list_channels", [:], headers: Self.bearer("gzt_unknown-token-000000")).status == 401)
            let metrics = try await server.request(.GET, "/metrics")
            #expect(metrics.text.contains(#"mcp_tool_calls_total{tool="list_channels",outcome="forbidden"} 1"#))
            #expect(!metrics.text.contains(Self.user1))
        }
    }

    @Test func revokedTokenStopsWorkingWithoutARestart() async throws {
        let file = try Self.tokensFile()
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await TestServer.with(tokensFile: file) { server in
            #expect(try await server.call("list_channels", [:], headers: Self.bearer(Self.user2)).status == 200)
            let kept = try APITokenFile.load(path: file).filter { $0.caller != .user(2) }
            // A different size, so the reread does not depend on the file system's time resolution.
            try APITokenFile.save(kept, path: file)
            #expect(try await server.call("list_channels", [:], headers: Self.bearer(Self.user2)).status == 401)
            #expect(try await server.call("list_channels", [:], headers: Self.bearer(Self.user1)).status == 200)
        }
    }
}
