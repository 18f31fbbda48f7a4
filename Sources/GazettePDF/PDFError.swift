/// Why a document could not be rendered. Messages are written for people.
public enum PDFError: Error, Sendable, CustomStringConvertible, Equatable {
    case inputTooLarge(bytes: Int, limit: Int)
    case tooManyPages(limit: Int)
    case invalidInput(String)
    case renderFailed(String)

    /// Stable label for metrics (`error_type`).
    public var errorType: String {
        switch self {
        case .inputTooLarge: "input_too_large"
        case .tooManyPages: "too_many_pages"
        case .invalidInput: "invalid_input"
        case .renderFailed: "render_failed"
        }
    }

    public var description: String {
        switch self {
        case .inputTooLarge(let bytes, let limit):
            "markdown is \(bytes) bytes; the limit is \(limit) bytes"
        case .tooManyPages(let limit):
            "the document would have more than \(limit) pages; shorten the input"
        case .invalidInput(let reason):
            "invalid input: \(reason)"
        case .renderFailed(let reason):
            "PDF rendering failed: \(reason)"
        }
    }
}
