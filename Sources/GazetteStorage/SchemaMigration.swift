/// One versioned schema step. Versions are applied in order, each once, and recorded in `schema_migrations`.
struct SchemaMigration: Sendable {
    let version: Int
    let name: String
    /// Statements run in one transaction.
    let statements: [String]
}

extension Array where Element == SchemaMigration {
    /// The newest version this binary knows; a database recording a higher one is refused.
    var latestVersion: Int { map(\.version).max() ?? 0 }
}
