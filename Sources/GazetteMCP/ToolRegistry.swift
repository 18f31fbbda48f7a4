import Foundation
import Tracing
import GazetteCore
import MCP

/// One tool: its name, title, description, hints, input and output schemas and handler. Transports never see tool
/// logic, only this. Every tool declares all of them (the initializer has no defaults), so a new tool cannot land
/// without a title, its hints and the schema of what it returns.
public struct ToolDefinition: Sendable {
    public typealias Handler = @Sendable (ToolArguments, ToolContext) async throws(ToolError) -> Value

    public let name: String
    public let title: String
    public let description: String
    public let hints: ToolHints
    public let inputSchema: Value
    /// The JSON Schema of the object the tool returns (MCP `outputSchema`; its `structuredContent` validates against it).
    public let outputSchema: Value
    let handler: Handler

    init(name: String, title: String, hints: ToolHints, description: String, inputSchema: Value, outputSchema: Value,
         handler: @escaping Handler) {
        self.name = name
        self.title = title
        self.description = description
        self.hints = hints
        self.inputSchema = inputSchema
        self.outputSchema = outputSchema
        self.handler = handler
    }

    /// The tool as MCP's `tools/list` describes it.
    public var mcpTool: Tool {
        Tool(name: name, title: title, description: description, inputSchema: inputSchema,
             annotations: hints.annotations(title: title), outputSchema: outputSchema)
    }

    /// The argument names the schema declares; anything else is refused.
    var argumentNames: Set<String> {
        Set(inputSchema.objectValue?["properties"]?.objectValue?.keys.map { $0 } ?? [])
    }
}

/// The one registry every transport (MCP over HTTP and stdio, REST `/call`) dispatches through.
public struct ToolRegistry: Sendable {
    public let tools: [ToolDefinition]
    private let byName: [String: ToolDefinition]
    let context: ToolContext
    private let metrics: MCPMetrics?

    public init(context: ToolContext, metrics: MCPMetrics?, tools: [ToolDefinition] = GazetteTools.all) {
        self.tools = tools
        self.byName = Dictionary(tools.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.context = context
        self.metrics = metrics
    }

    public var names: [String] { tools.map(\.name) }

    /// Runs a tool for `caller`. Never throws: every failure is a `ToolError` naming what was wrong.
    public func call(_ name: String, arguments: [String: Value]?, caller: Caller = .admin,
                     progress: ToolProgress? = nil) async -> Result<Value, ToolError> {
        guard let tool = byName[name] else { return .failure(.unknownTool(name)) }
        // A span of its own around the call: what the tool does (fetches, renders) nests under it.
        return await withSpan("mcp.tool_call") { span in
            span.attributes["gazette.tool"] = name
            return await run(tool, name: name, arguments: arguments, caller: caller, progress: progress, span: span)
        }
    }

    /// Whether `caller` may act for `userID` (an admin for anyone, a user for themselves).
    static func authorize(_ caller: Caller, for userID: Int64) throws(ToolError) {
        if case .user(let own) = caller, own != userID {
            throw .forbidden("this token belongs to user \(own); it cannot act for user_id \(userID)")
        }
    }

    /// A user's token acts for that user only: `user_id` defaults to them, and another user's id is refused.
    static func arguments(_ arguments: [String: Value]?, of tool: ToolDefinition, for caller: Caller) throws(ToolError) -> [String: Value]? {
        guard case .user(let own) = caller, tool.argumentNames.contains("user_id") else { return arguments }
        var arguments = arguments ?? [:]
        guard let given = arguments["user_id"], !given.isNull else {
            arguments["user_id"] = .int(Int(own))
            return arguments
        }
        // A malformed id is left to the tool, which names what is wrong with it.
        if let id = try? ToolArguments.integer(given, name: "user_id") { try authorize(caller, for: id) }
        return arguments
    }

    private func run(_ tool: ToolDefinition, name: String, arguments: [String: Value]?, caller: Caller, progress: ToolProgress?,
                     span: any Span) async -> Result<Value, ToolError> {
        let start = ContinuousClock.now
        var result: Result<Value, ToolError>
        var context = self.context
        context.progress = progress
        do throws(ToolError) {
            let args = try ToolArguments(try Self.arguments(arguments, of: tool, for: caller), allowed: tool.argumentNames)
            result = .success(try await tool.handler(args, context))
        } catch {
            result = .failure(error)
        }
        // A cancelled request counts as cancelled however far its tool got (mcp_tool_calls_total{outcome="cancelled"}).
        if Task.isCancelled { result = .failure(.cancelled) }
        let elapsed = ContinuousClock.now - start
        let seconds = elapsed.inSeconds
        switch result {
        case .success: metrics?.record(tool: name, outcome: .ok, seconds: seconds)
        case .failure(let error):
            metrics?.record(tool: name, outcome: error.outcome, seconds: seconds)
            span.attributes["gazette.outcome"] = error.outcome.rawValue
        }
        return result
    }

    /// The tool list as MCP describes it.
    public var mcpTools: [Tool] {
        tools.map(\.mcpTool)
    }
}

/// All tools: the fifteen of SPEC §7 in the table's order, then issue 15's stories, filters and language, then issue
/// 18's OPML import and export and delivery settings, then issue 27's search.
public enum GazetteTools {
    public static let all: [ToolDefinition] =
        ChannelTools.all + SourceTools.all + PostTools.all + DigestTools.all + ReaderTools.all + OPMLTools.all + SettingsTools.all
        + SearchTools.all
}
