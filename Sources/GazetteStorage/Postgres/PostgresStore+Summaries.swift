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
        try await trim(.summaries, now: now, maxBytes: maxBytes)
    }

    public func summaryCacheSize() async throws -> CacheSize { try await size(of: .summaries) }
}
