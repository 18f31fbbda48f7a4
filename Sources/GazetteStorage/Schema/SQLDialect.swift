/// The column types and literals that differ between the two databases; everything else in the schema is the same
/// SQL, written once (`GazetteSchema`).
struct SQLDialect: Sendable {
    /// An auto-numbered 64-bit primary key.
    let serialKey: String
    let bigint: String
    /// A point in time: REAL unix seconds (UTC) in SQLite, which sort and index as numbers; `timestamptz` in PostgreSQL.
    let timestamp: String
    let bytes: String
    let boolean: String
    let falseLiteral: String
    /// The `schema_migrations` table, whose `applied_at` default differs.
    let migrationsTable: String

    static let sqlite = SQLDialect(
        serialKey: "INTEGER PRIMARY KEY AUTOINCREMENT", bigint: "INTEGER", timestamp: "REAL", bytes: "BLOB",
        boolean: "INTEGER", falseLiteral: "0",
        migrationsTable: "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at REAL NOT NULL)")

    static let postgres = SQLDialect(
        serialKey: "BIGSERIAL PRIMARY KEY", bigint: "BIGINT", timestamp: "TIMESTAMPTZ", bytes: "BYTEA",
        boolean: "BOOLEAN", falseLiteral: "FALSE",
        migrationsTable: """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
            """)
}
