import GazetteDigest

extension ToolError {
    /// A digest failure as a tool error: a wrong argument names it, a missing subscription is not found, the
    /// database is 503, and a render failure keeps its kind (`input_too_large` 413, …, `render_failed` 502).
    /// `markdownArgument`: the renderer refusing a client's markdown (`convert_markdown_to_pdf`: too large, too
    /// many pages, invalid) is that argument's fault (400); only a failure of the renderer itself is 502.
    static func from(digest error: DigestError, templateArgument: String = "template",
                     markdownArgument: String? = nil) -> ToolError {
        switch error {
        case .invalidArgument(let name, let reason): return .invalidArguments(argument: name, reason: reason)
        case .invalidTemplate(let reason): return .invalidArguments(argument: templateArgument, reason: reason)
        case .notSubscribed: return .notFound(error.description)
        case .storage: return .failed(kind: .database, message: error.description)
        case .renderFailed(let failure, _):
            if let markdownArgument, failure != .renderFailed {
                return .invalidArguments(argument: markdownArgument, reason: error.description)
            }
            return .failed(kind: .render(failure), message: error.description)
        }
    }
}
