import Foundation
import GazetteCore
import PostgresNIO

extension PostgresStore {
    // MARK: Summary cache (issue 28)

    public func cachedSummaries(keys: [String], now: Date) async throws -> [String: CachedSummary] {
        try InputValidation.summaryKeys(keys)
        guard !keys.isEmpty else { return [:] }
        return try await read("cached summaries") { conn in
            let entries = try await conn.query("SELECT * FROM summary_cache WHERE key = ANY(\(keys)) AND expires_at > \(now)",
                                               logger: self.logger).decoded(RowDecoding.cachedSummary)
            return Dictionary(entries.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    public func storeSummaries(_ entries: [CachedSummary]) async throws {
        for entry in entries { try InputValidation.cachedSummary(entry) }
        guard !entries.isEmpty else { return }
        try await transaction("store summaries") { conn in
            for e in entries {
                let size = Int64(e.summary.utf8.count)
                try await conn.query("""
                    INSERT INTO summary_cache (key, summarizer, summary, size, llm_calls, failures, retry_at, created_at, expires_at)
                    VALUES (\(e.key), \(e.summarizer), \(e.summary), \(size), \(e.llmCalls), \(e.failures), \(e.retryAt),
                            \(e.createdAt), \(e.expiresAt))
                    ON CONFLICT (key) DO UPDATE SET summarizer = EXCLUDED.summarizer, summary = EXCLUDED.summary, size = EXCLUDED.size,
                        llm_calls = EXCLUDED.llm_calls, failures = EXCLUDED.failures, retry_at = EXCLUDED.retry_at,
                        created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
                    """, logger: self.logger)
            }
        }
    }

    public func trimSummaryCache(now: Date, maxBytes: Int64) async throws -> Int {
        guard maxBytes >= 0 else { throw StoreError.invalidInput(field: "max_bytes", reason: "must not be negative") }
        return try await write("trim summary cache") { conn in
            let rows = try await conn.query("""
                WITH expired AS (
                    DELETE FROM summary_cache WHERE expires_at <= \(now) RETURNING 1
                ), over AS (
                    DELETE FROM summary_cache WHERE key IN (
                        SELECT key FROM (
                            SELECT key, SUM(size) OVER (ORDER BY created_at DESC, key) AS kept FROM summary_cache
                            WHERE expires_at > \(now)
                        ) ranked WHERE kept > \(maxBytes)
                    ) RETURNING 1
                )
                SELECT (SELECT COUNT(*) FROM expired) + (SELECT COUNT(*) FROM over)
                """, logger: self.logger)
            return try await rows.first { try $0.decode(Int.self) } ?? 0
        }
    }

    public func summaryCacheSize() async throws -> SummaryCacheSize {
        try await read("summary cache size") { conn in
            let rows = try await conn.query("SELECT COUNT(*)::bigint, COALESCE(SUM(size), 0)::bigint FROM summary_cache",
                                            logger: self.logger)
            let size = try await rows.first { row -> SummaryCacheSize in
                let (n, bytes) = try row.decode((Int64, Int64).self)
                return SummaryCacheSize(entries: Int(n), bytes: bytes)
            }
            return size ?? SummaryCacheSize(entries: 0, bytes: 0)
        }
    }
}
