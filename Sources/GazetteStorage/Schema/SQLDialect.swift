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
    /// The full-text index of posts (issue 27), which each database keeps in its own engine: an FTS5 table whose rowid
    /// is the post's id, emptied by a trigger when a post is deleted, in SQLite; a table of `tsvector`s with a GIN index,
    /// deleted with its post by a foreign key, in PostgreSQL. Both are named `post_search`.
    let searchIndex: [String]

    static let sqlite = SQLDialect(
        serialKey: "INTEGER PRIMARY KEY AUTOINCREMENT", bigint: "INTEGER", timestamp: "REAL", bytes: "BLOB",
        boolean: "INTEGER", falseLiteral: "0",
        migrationsTable: "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at REAL NOT NULL)",
        searchIndex: [
            // `ascii`: the terms are written already split, lowercased and stemmed (SearchDocument.fts5).
            "CREATE VIRTUAL TABLE post_search USING fts5(terms, tokenize = 'ascii')",
            "CREATE TRIGGER post_search_follows_delete AFTER DELETE ON posts BEGIN DELETE FROM post_search WHERE rowid = old.id; END",
        ])

    static let postgres = SQLDialect(
        serialKey: "BIGSERIAL PRIMARY KEY", bigint: "BIGINT", timestamp: "TIMESTAMPTZ", bytes: "BYTEA",
        boolean: "BOOLEAN", falseLiteral: "FALSE",
        migrationsTable: """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
            """,
        searchIndex: [
            """
            CREATE TABLE post_search (
                post_id BIGINT PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
                channel_id BIGINT NOT NULL,
                date TIMESTAMPTZ NOT NULL,
                terms TSVECTOR NOT NULL
            )
            """,
            "CREATE INDEX post_search_terms_idx ON post_search USING gin (terms)",
        ])
}
