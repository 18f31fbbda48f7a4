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
        try await trim(.summaries, now: now, maxBytes: maxBytes)
    }

    public func summaryCacheSize() async throws -> CacheSize { try await size(of: .summaries) }
}
