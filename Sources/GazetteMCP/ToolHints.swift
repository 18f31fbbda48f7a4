import MCP

/// What a tool does to its world, as MCP tool annotations say it: whether it changes anything, whether a change can
/// remove something, whether calling it again changes nothing more, and whether it reaches beyond Gazette's own
/// database (Telegram, feeds, an LLM).
public struct ToolHints: Sendable, Equatable {
    public var readOnly: Bool
    public var destructive: Bool
    public var idempotent: Bool
    public var openWorld: Bool

    /// Reads Gazette's own data or only computes (list_*, format_*, combine_*, convert_*).
    static let readOnly = ToolHints(readOnly: true, destructive: false, idempotent: true, openWorld: false)
    /// Reads without changing anything, but reaches Telegram, a feed or an LLM.
    static let readOnlyOpenWorld = ToolHints(readOnly: true, destructive: false, idempotent: true, openWorld: true)
    /// Adds to the database; the same call again adds nothing more.
    static let additiveIdempotent = ToolHints(readOnly: false, destructive: false, idempotent: true, openWorld: false)
    /// Removes something; removing it again changes nothing.
    static let destructiveIdempotent = ToolHints(readOnly: false, destructive: true, idempotent: true, openWorld: false)

    func annotations(title: String) -> Tool.Annotations {
        // Destructive and idempotent mean something only for a tool that writes; a read-only tool says only that.
        readOnly
            ? Tool.Annotations(title: title, readOnlyHint: true, openWorldHint: openWorld)
            : Tool.Annotations(title: title, readOnlyHint: false, destructiveHint: destructive, idempotentHint: idempotent,
                               openWorldHint: openWorld)
    }
}
