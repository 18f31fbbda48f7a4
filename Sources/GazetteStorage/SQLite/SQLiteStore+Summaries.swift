import Foundation
import GazetteCore
import GRDB

extension SQLiteStore {
    // MARK: Summary cache (issue 28)

    public func cachedSummaries(keys: [String], now: Date) async throws -> [String: CachedSummary] {
        try InputValidation.summaryKeys(keys)
        guard !keys.isEmpty else { return [:] }
        let marks = Array(repeating: "?", count: keys.count).joined(separator: ", ")
        let arguments = StatementArguments(keys) + [now.unixSeconds]
        return try await read("cached summaries") { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM summary_cache WHERE key IN (\(marks)) AND expires_at > ?",
                                        arguments: arguments)
            var found: [String: CachedSummary] = [:]
            for row in rows {
                let entry = try row.decoded(RowDecoding.cachedSummary)
                found[entry.key] = entry
            }
            return found
        }
    }

    public func storeSummaries(_ entries: [CachedSummary]) async throws {
        for entry in entries { try InputValidation.cachedSummary(entry) }
        guard !entries.isEmpty else { return }
        try await write("store summaries") { db in
            for e in entries {
                try db.execute(sql: """
                    INSERT INTO summary_cache (key, summarizer, summary, size, llm_calls, failures, retry_at, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (key) DO UPDATE SET summarizer = excluded.summarizer, summary = excluded.summary, size = excluded.size,
                        llm_calls = excluded.llm_calls, failures = excluded.failures, retry_at = excluded.retry_at,
                        created_at = excluded.created_at, expires_at = excluded.expires_at
                    """, arguments: [e.key, e.summarizer, e.summary, e.summary.utf8.count, e.llmCalls, e.failures,
                                     e.retryAt?.unixSeconds, e.createdAt.unixSeconds, e.expiresAt.unixSeconds])
            }
        }
    }

    public func trimSummaryCache(now: Date, maxBytes: Int64) async throws -> Int {
        guard maxBytes >= 0 else { throw StoreError.invalidInput(field: "max_bytes", reason: "must not be negative") }
        return try await write("trim summary cache") { db in
            try db.execute(sql: "DELETE FROM summary_cache WHERE expires_at <= ?", arguments: [now.unixSeconds])
            var deleted = db.changesCount
            try db.execute(sql: """
                DELETE FROM summary_cache WHERE key IN (
                    SELECT key FROM (
                        SELECT key, SUM(size) OVER (ORDER BY created_at DESC, key) AS kept FROM summary_cache
                    ) WHERE kept > ?
                )
                """, arguments: [maxBytes])
            deleted += db.changesCount
            return deleted
        }
    }

    public func summaryCacheSize() async throws -> SummaryCacheSize {
        try await read("summary cache size") { db in
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS bytes FROM summary_cache")
            return SummaryCacheSize(entries: row?["n"] ?? 0, bytes: row?["bytes"] ?? 0)
        }
    }
}
