/// Why a document could not be rendered. Messages are written for people.
public enum PDFError: Error, Sendable, CustomStringConvertible, Equatable {
    case inputTooLarge(bytes: Int, limit: Int)
    case tooManyPages(limit: Int)
    case invalidInput(String)
    case renderFailed(String)

    /// The stable `error_type` label of a failure (`pdf_generation_errors_total`, tool and bot errors).
    public enum ErrorType: String, Sendable, CaseIterable {
        case inputTooLarge = "input_too_large"
        case tooManyPages = "too_many_pages"
        case invalidInput = "invalid_input"
        case renderFailed = "render_failed"
    }

    public var errorType: ErrorType {
        switch self {
        case .inputTooLarge: .inputTooLarge
        case .tooManyPages: .tooManyPages
        case .invalidInput: .invalidInput
        case .renderFailed: .renderFailed
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
