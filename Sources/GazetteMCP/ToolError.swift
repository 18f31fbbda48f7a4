import GazetteCore
import GazetteDigest
import GazetteSources

/// Why a tool call failed. One enum for every tool; transports map it in one place
/// (`httpStatus` for REST, `isError` results for MCP, `outcome` for metrics).
public enum ToolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An argument is missing, has the wrong type or is out of range; the message names it.
    case invalidArguments(argument: String, reason: String)
    /// No tool with that name.
    case unknownTool(String)
    /// A channel, subscription or other named thing does not exist.
    case notFound(String)
    /// The caller's token belongs to another user than the one the call names.
    case forbidden(String)
    /// The client cancelled the request; the tool stopped between its steps.
    case cancelled
    /// A source, the database or a renderer failed; the message is safe to show.
    case failed(kind: ToolFailure, message: String)

    public var description: String {
        switch self {
        case .invalidArguments(let argument, let reason): "invalid argument '\(argument)': \(reason)"
        case .unknownTool(let name): "unknown tool '\(ToolError.shorten(name))'"
        case .notFound(let what): "not found: \(what)"
        case .forbidden(let why): "forbidden: \(why)"
        case .cancelled: "cancelled by the client"
        case .failed(_, let message): message
        }
    }

    /// The `outcome` label of `mcp_tool_calls_total`.
    public var outcome: ToolOutcome {
        switch self {
        case .invalidArguments: .invalidArguments
        case .unknownTool, .notFound: .notFound
        case .forbidden: .forbidden
        case .cancelled: .cancelled
        case .failed: .error
        }
    }

    /// REST status code. A failure of something behind the server is 502/503, never 500.
    public var httpStatus: Int {
        switch self {
        case .invalidArguments: 400
        case .unknownTool, .notFound: 404
        case .forbidden: 403
        case .cancelled: 503
        case .failed(let kind, _): kind.httpStatus
        }
    }

    /// A short machine-readable code for REST error bodies.
    public var code: String {
        switch self {
        case .invalidArguments: "invalid_arguments"
        case .unknownTool: "unknown_tool"
        case .notFound: "not_found"
        case .forbidden: "forbidden"
        case .cancelled: "cancelled"
        case .failed(let kind, _): kind.rawValue
        }
    }

    /// Quoting user input in a message: long values are shortened so errors stay readable.
    static func shorten(_ s: String, limit: Int = 64) -> String {
        s.count > limit ? String(s.prefix(limit - 1)) + "…" : s
    }
}

/// Fixed values of the `outcome` label.
public enum ToolOutcome: String, Sendable, CaseIterable {
    case ok
    case invalidArguments = "invalid_arguments"
    case notFound = "not_found"
    case forbidden
    case cancelled
    case error
}

extension ToolError {
    /// Maps a storage error: bad input names its field; anything else is a database failure without details
    /// that could contain credentials.
    static func from(store error: any Error) -> ToolError {
        if let e = error as? ToolError { return e }
        if let e = error as? StoreError {
            switch e {
            case .invalidInput(let field, let reason): return .invalidArguments(argument: field, reason: reason)
            case .channelNotFound(let id): return .notFound("no channel with id \(id)")
            case .schemaTooNew, .schemaBehind, .invalidURL, .unavailable: return .failed(kind: .database, message: e.description)
            }
        }
        if let e = error as? ChannelRefError { return .invalidArguments(argument: "channel_username", reason: e.description) }
        return .failed(kind: .database, message: "the database failed")
    }
}

/// What failed behind a tool: the `code` of REST error bodies, decided once with its HTTP status. Render and source
/// failures keep their own error types, so the code is the same label the renderer's and sources' metrics use.
public enum ToolFailure: Hashable, Sendable, RawRepresentable {
    case database
    case render(RenderFailure)
    /// A live source (Telegram preview pages, feeds) failed.
    case source(SourceError.ErrorType)

    public var rawValue: String {
        switch self {
        case .database: "database"
        case .render(let failure): failure.rawValue
        case .source(let type): type.rawValue
        }
    }

    public init?(rawValue: String) {
        if rawValue == "database" {
            self = .database
        } else if let failure = RenderFailure(rawValue: rawValue) {
            self = .render(failure)
        } else if let type = SourceError.ErrorType(rawValue: rawValue) {
            self = .source(type)
        } else {
            return nil
        }
    }

    /// A failure of something behind the server is 502/503, never 500; input the renderer refuses is 413/422.
    public var httpStatus: Int {
        switch self {
        case .database: 503
        case .render(.inputTooLarge): 413
        case .render(.tooManyPages), .render(.invalidInput): 422
        case .render(.renderFailed), .source: 502
        }
    }
}
