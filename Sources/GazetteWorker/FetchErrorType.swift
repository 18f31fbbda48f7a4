import GazetteSources

/// The `error_type` of a failed channel (`post_fetcher_errors_total`, the pass report, spans and log lines): a
/// source's own error type, or the database. A fixed set built from `SourceError.ErrorType`, so a label cannot drift
/// from its cause and a new source error type is counted without another list to keep in step.
public enum FetchErrorType: Hashable, Sendable, CaseIterable, RawRepresentable {
    case source(SourceError.ErrorType)
    case database

    public static let allCases: [FetchErrorType] = SourceError.ErrorType.allCases.map(Self.source) + [.database]

    public var rawValue: String {
        switch self {
        case .source(let type): type.rawValue
        case .database: "database"
        }
    }

    public init?(rawValue: String) {
        if rawValue == "database" {
            self = .database
        } else if let type = SourceError.ErrorType(rawValue: rawValue) {
            self = .source(type)
        } else {
            return nil
        }
    }
}
