import Foundation
import MCP

/// `gazette mcp`: the same tools over stdio. Standard output carries only MCP messages.
public enum StdioServer {
    public static func run(registry: ToolRegistry) async throws {
        let server = await MCPServerFactory.make(registry: registry)
        try await server.start(transport: StdioTransport())
        await server.waitUntilCompleted()
    }
}
