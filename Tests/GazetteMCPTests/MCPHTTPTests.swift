import Foundation
import MCP
import NIOHTTP1
import Testing
@testable import GazetteMCP

/// Streamable HTTP at /mcp against the real server, speaking raw JSON-RPC as a client would.
@Suite struct MCPHTTPTests {
    static let mcpHeaders = [("Accept", "application/json, text/event-stream")]

    static func rpc(_ id: Int, _ method: String, _ params: Value) throws -> Data {
        try JSONEncoder().encode(["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": params] as Value)
    }

    /// The JSON-RPC message carried by an SSE response (the last `data:` line that is not empty).
    static func message(_ reply: TestServer.Reply) throws -> Value {
        let lines = reply.text.split(separator: "\n").filter { $0.hasPrefix("data: ") && $0.count > 6 }
        let data = try #require(lines.last.map { Data($0.dropFirst(6).utf8) }, "no SSE data in \(reply.text)")
        return try JSONDecoder().decode(Value.self, from: data)
    }

    static func initialize(_ server: TestServer, headers: [(String, String)] = []) async throws -> String {
        let body = try rpc(1, "initialize", ["protocolVersion": "2025-06-18", "capabilities": [:],
                                             "clientInfo": ["name": "test", "version": "1"]])
        let reply = try await server.request(.POST, "/mcp", body: body, headers: mcpHeaders + headers)
        #expect(reply.status == 200, "\(reply.text)")
        #expect(try message(reply)["result"]?["serverInfo"]?["name"] == "gazette")
        let session = try #require(reply.headers.first(name: "Mcp-Session-Id"))
        let notified = try await server.request(.POST, "/mcp", body: try JSONEncoder().encode(
            ["jsonrpc": "2.0", "method": "notifications/initialized"] as Value),
            headers: mcpHeaders + headers + [("Mcp-Session-Id", session)])
        #expect(notified.status == 202)
        return session
    }

    @Test func initializeListAndCall() async throws {
        try await TestServer.with { server in
            let session = try await Self.initialize(server)
            let headers = Self.mcpHeaders + [("Mcp-Session-Id", session)]
            let list = try await server.request(.POST, "/mcp", body: try Self.rpc(2, "tools/list", [:]), headers: headers)
            let tools = try #require(try Self.message(list)["result"]?["tools"]?.arrayValue)
            #expect(tools.count == GazetteTools.all.count)
            #expect(tools.allSatisfy { $0["inputSchema"]?["type"] == "object" })

            let call = try await server.request(.POST, "/mcp", body: try Self.rpc(3, "tools/call", [
                "name": "add_channel", "arguments": ["user_id": 5, "channel_username": "t.me/durov"]]), headers: headers)
            let result = try #require(try Self.message(call)["result"])
            #expect(result["isError"] == false)
            #expect(result["structuredContent"]?["status"] == "subscribed")

            let bad = try await server.request(.POST, "/mcp", body: try Self.rpc(4, "tools/call", [
                "name": "list_channels", "arguments": ["user_id": 5, "limit": 100000]]), headers: headers)
            let badResult = try #require(try Self.message(bad)["result"])
            #expect(badResult["isError"] == true)
            #expect(badResult["content"]?.arrayValue?.first?["text"]?.stringValue?.contains("limit") == true)

            let unknown = try await server.request(.POST, "/mcp", body: try Self.rpc(5, "tools/call", ["name": "nope", "arguments": [:]]),
                                                   headers: headers)
            #expect(try Self.message(unknown)["result"]?["isError"] == true)

            let deleted = try await server.request(.DELETE, "/mcp", headers: headers)
            #expect(deleted.status == 200)
            let afterDelete = try await server.request(.POST, "/mcp", body: try Self.rpc(6, "tools/list", [:]), headers: headers)
            #expect(afterDelete.status == 404)
        }
    }

    @Test func refusesForeignOriginsAndMissingSessions() async throws {
        try await TestServer.with { server in
            let body = try Self.rpc(1, "initialize", ["protocolVersion": "2025-06-18", "capabilities": [:],
                                                      "clientInfo": ["name": "t", "version": "1"]])
            let evil = try await server.request(.POST, "/mcp", body: body, headers: Self.mcpHeaders + [("Origin", "https://evil.example")])
            #expect(evil.status == 403)
            _ = try await Self.initialize(server, headers: [("Origin", "http://localhost:5173")])
            let noSession = try await server.request(.POST, "/mcp", body: try Self.rpc(2, "tools/list", [:]), headers: Self.mcpHeaders)
            #expect(noSession.status == 400)
            let unknownSession = try await server.request(.POST, "/mcp", body: try Self.rpc(2, "tools/list", [:]),
                                                          headers: Self.mcpHeaders + [("Mcp-Session-Id", "nope")])
            #expect(unknownSession.status == 404)
            let garbage = try await server.request(.POST, "/mcp", body: Data("not json".utf8), headers: Self.mcpHeaders)
            #expect(garbage.status == 400)
        }
    }
}
