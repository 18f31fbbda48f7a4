import Foundation
import MCP

/// `gazette mcp`: the same tools over stdio. Standard output carries only MCP messages. Every line a client writes is
/// checked before the SDK reads it, and every answer fits the session's protocol version (`ConformingTransport`).
public enum StdioServer {
    public static func run(registry: ToolRegistry) async throws {
        let server = await MCPServerFactory.make(registry: registry)
        try await server.start(transport: ConformingTransport(StdioTransport(), checksIncoming: true))
        await server.waitUntilCompleted()
    }
}
