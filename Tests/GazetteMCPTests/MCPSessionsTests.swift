import Foundation
import GazetteTestSupport
import Logging
import MCP
import Testing
@testable import GazetteMCP

/// Session bookkeeping of the Streamable HTTP transport, driven directly (no HTTP server needed).
@Suite struct MCPSessionsTests {
    static let headers = ["Accept": "application/json, text/event-stream", "Content-Type": "application/json"]

    static func sessions(idle: Duration, max: Int = 8) -> MCPSessions {
        MCPSessions(idleTimeout: idle, maxSessions: max, logger: Logger(label: "test.sessions")) { _ in
            Server(name: "test", version: "1", capabilities: .init(tools: .init(listChanged: false)))
        }
    }

    static func initialize(_ sessions: MCPSessions) async throws -> String {
        let body = try MCPHTTPTests.rpc(1, "initialize", ["protocolVersion": "2025-06-18", "capabilities": [:],
                                                          "clientInfo": ["name": "test", "version": "1"]])
        let response = await sessions.handle(MCP.HTTPRequest(method: "POST", headers: headers, body: body, path: "/mcp"))
        #expect(response.statusCode == 200)
        return try #require(response.headers.first { $0.key.lowercased() == "mcp-session-id" }?.value)
    }

    @Test func idleSessionsAreClosedOnTheNextRequestOfAnyKind() async throws {
        let sessions = Self.sessions(idle: .milliseconds(200))
        let id = try await Self.initialize(sessions)
        #expect(await sessions.count == 1)
        // Any later request sweeps once the session has been idle for longer than the timeout.
        #expect(try await eventually {
            _ = await sessions.handle(MCP.HTTPRequest(method: "GET", headers: Self.headers, path: "/mcp"))
            return await sessions.count == 0
        })
        let stale = await sessions.handle(MCP.HTTPRequest(method: "POST", headers: Self.headers.merging(["Mcp-Session-Id": id]) { $1 },
                                                          body: Data("{}".utf8), path: "/mcp"))
        #expect(stale.statusCode == 404)
    }

    @Test func activeSessionsStayAndTheCapDropsTheLeastRecentlyUsed() async throws {
        let sessions = Self.sessions(idle: .seconds(600), max: 2)
        let first = try await Self.initialize(sessions)
        _ = try await Self.initialize(sessions)
        _ = try await Self.initialize(sessions)
        #expect(await sessions.count == 2)
        let dropped = await sessions.handle(MCP.HTTPRequest(method: "POST", headers: Self.headers.merging(["Mcp-Session-Id": first]) { $1 },
                                                            body: Data("{}".utf8), path: "/mcp"))
        #expect(dropped.statusCode == 404, "the oldest session made room for the third")
    }
}
