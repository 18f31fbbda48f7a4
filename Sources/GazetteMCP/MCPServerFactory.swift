import Foundation
import GazetteCore
import MCP

/// Builds an MCP `Server` whose tools are the registry's; used for every HTTP session and for stdio.
public enum MCPServerFactory {
    /// `caller` is whose token opened the session (stdio: the local operator, an admin).
    public static func make(registry: ToolRegistry, caller: Caller = .admin) async -> Server {
        let server = Server(
            name: "gazette", version: GazetteVersion.current, title: "Gazette",
            instructions: "Tools to subscribe to public Telegram channels, collect and read their posts, summarize them "
                + "and produce text or PDF digests.",
            capabilities: .init(tools: .init(listChanged: false)))
        let tools = registry.mcpTools
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: tools) }
        await server.withMethodHandler(CallTool.self) { params in
            await result(of: registry.call(params.name, arguments: params.arguments, caller: caller))
        }
        return server
    }

    /// A success carries the JSON both as text (for clients that read text) and as structured content.
    static func result(of outcome: Result<Value, ToolError>) -> CallTool.Result {
        switch outcome {
        case .success(let value):
            let text = String(decoding: JSONResponse.encode(value), as: UTF8.self)
            let structured: Value? = value
            return CallTool.Result(content: [.text(text: text, annotations: nil, _meta: nil)], structuredContent: structured, isError: false)
        case .failure(let error):
            return CallTool.Result(content: [.text(text: error.description, annotations: nil, _meta: nil)], isError: true)
        }
    }
}
