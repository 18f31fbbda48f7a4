import GazetteMCP
import ServiceLifecycle

/// The MCP tools over standard input and output until the client closes its end (or the process shuts down).
struct StdioService: Service, CustomStringConvertible {
    let registry: ToolRegistry
    let description = "mcp-stdio"

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await StdioServer.run(registry: registry) }
        } catch is CancellationError {
            // Shut down by a signal: nothing more to read.
        }
    }
}
