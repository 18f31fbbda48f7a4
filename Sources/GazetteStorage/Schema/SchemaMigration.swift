import GazetteCore

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

    /// The steps a database at version `current` still needs, in order. Both stores run migrations through this:
    /// the check that refuses a newer database and the choice of steps exist once.
    func pending(after current: Int) throws(StoreError) -> [SchemaMigration] {
        guard current <= latestVersion else { throw .schemaTooNew(found: current, supported: latestVersion) }
        return filter { $0.version > current }.sorted { $0.version < $1.version }
    }
}

extension Array where Element == SchemaMigration {
    /// The tables the steps after `version` create (every later step so far only creates tables): what a tool that puts a
    /// database back to an older version drops (the upgrade tests and `gazette-bench search`).
    func tablesCreated(after version: Int) -> [String] {
        filter { $0.version > version }.flatMap(\.statements).compactMap { statement in
            guard let range = statement.range(of: #"CREATE TABLE (\w+)"#, options: .regularExpression) else { return nil }
            return String(statement[range].split(separator: " ")[2])
        }
    }
}

