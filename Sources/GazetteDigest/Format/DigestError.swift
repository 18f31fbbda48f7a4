import Foundation
import GazettePDF

/// Why the renderer refused or failed a document: the PDF module's fixed set of `error_type` values, named here so
/// the bot and the MCP tools handle render failures without depending on the renderer.
public typealias RenderFailure = PDFError.ErrorType

/// Digest failures, with messages for people. `invalidArgument` names the argument that is wrong.
public enum DigestError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidArgument(name: String, reason: String)
    case invalidTemplate(String)
    /// The user does not follow this channel (the key is given).
    case notSubscribed(String)
    /// Reading posts or the cache failed (the message carries no credentials).
    case storage(String)
    case renderFailed(RenderFailure, message: String)

    public var description: String {
        switch self {
        case .invalidArgument(let name, let reason): "invalid \(name): \(reason)"
        case .invalidTemplate(let reason): "invalid template: \(reason)"
        case .notSubscribed(let channel): "not subscribed to \(channel)"
        case .storage(let reason): "could not read the digest's posts: \(reason)"
        case .renderFailed(_, let message): "could not render the PDF: \(message)"
        }
    }

    init(_ error: PDFError) {
        self = .renderFailed(error.errorType, message: error.description)
    }
}
