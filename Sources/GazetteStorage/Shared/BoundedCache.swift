import GazetteCore

/// A cache table bounded in bytes (the image cache, the summary cache): each row has a key, a `size`, an `expires_at` and
/// a time it was made. Trimming drops the expired rows, then the oldest made until what is left fits (a window over the
/// newest, summed); both stores do that with the same statements, written once per store for every such table.
struct BoundedCache: Sendable {
    /// As operations name it ("trim image cache", "image cache size").
    let name: String
    let table: String
    let key: String
    /// The column that orders the rows from newest to oldest.
    let made: String

    static let images = BoundedCache(name: "image cache", table: "image_cache", key: "url", made: "fetched_at")
    static let summaries = BoundedCache(name: "summary cache", table: "summary_cache", key: "key", made: "created_at")

    /// Deletes the rows beyond the byte bound (the parameter `maxBytes` names), the newest kept first; with `liveSince`
    /// (the parameter of "now"), rows expired by then are left out of the sum.
    func deleteOverBound(_ maxBytes: String, liveSince: String? = nil) -> String {
        let live = liveSince.map { " WHERE expires_at > \($0)" } ?? ""
        return """
            DELETE FROM \(table) WHERE \(key) IN (
                SELECT \(key) FROM (
                    SELECT \(key), SUM(size) OVER (ORDER BY \(made) DESC, \(key)) AS kept FROM \(table)\(live)
                ) ranked WHERE kept > \(maxBytes)
            )
            """
    }

    func deleteExpired(_ now: String) -> String { "DELETE FROM \(table) WHERE expires_at <= \(now)" }

    /// Entries and bytes, as 64-bit integers in both stores (PostgreSQL sums a bigint into a numeric).
    var sizeQuery: String { "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM \(table)" }

    static func checkBound(_ maxBytes: Int64) throws {
        guard maxBytes >= 0 else { throw StoreError.invalidInput(field: "max_bytes", reason: "must not be negative") }
    }
}
