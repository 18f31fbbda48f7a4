import Foundation
import GazetteCore
import PostgresNIO

extension PostgresStore {
    // MARK: Reader filters and language

    public func readerFilters(userID: Int64) async throws -> [ReaderFilter] {
        try await read("reader filters") { conn in
            try await conn.query("SELECT kind, value FROM reader_filters WHERE user_id = \(userID) ORDER BY kind, value", logger: self.logger)
                .all { row in try row.decode((String, String).self) }
                .compactMap { kind, value in ReaderFilter.Kind(rawValue: kind).map { ReaderFilter(kind: $0, value: value) } }
        }
    }

    public func addReaderFilter(userID: Int64, _ filter: ReaderFilter) async throws -> Bool {
        try ReaderInput.filter(filter)
        return try await transaction("add reader filter") { conn in
            let count = try await conn.query("SELECT COUNT(*)::bigint FROM reader_filters WHERE user_id = \(userID)", logger: self.logger)
                .first { try $0.decode(Int.self) } ?? 0
            guard count < ReaderFilter.maxPerUser else {
                throw StoreError.invalidInput(field: "filter", reason: "at most \(ReaderFilter.maxPerUser) filters per user")
            }
            let rows = try await conn.query("""
                INSERT INTO reader_filters (user_id, kind, value, created_at) VALUES (\(userID), \(filter.kind.rawValue), \(filter.value), \(Date()))
                ON CONFLICT (user_id, kind, value) DO NOTHING RETURNING 1
                """, logger: self.logger)
            return try await rows.first({ _ in true }) ?? false
        }
    }

    public func removeReaderFilter(userID: Int64, _ filter: ReaderFilter) async throws -> Bool {
        try await write("remove reader filter") { conn in
            let rows = try await conn.query("""
                DELETE FROM reader_filters WHERE user_id = \(userID) AND kind = \(filter.kind.rawValue) AND value = \(filter.value) RETURNING 1
                """, logger: self.logger)
            return try await rows.first({ _ in true }) ?? false
        }
    }

    public func readerLanguage(userID: Int64) async throws -> String? {
        try await read("reader language") { conn in
            try await conn.query("SELECT language FROM reader_settings WHERE user_id = \(userID)", logger: self.logger)
                .first { try $0.decode(String?.self) } ?? nil
        }
    }

    public func setReaderLanguage(userID: Int64, _ language: String?) async throws {
        try ReaderInput.language(language)
        try await write("set reader language") { conn in
            try await conn.query("""
                INSERT INTO reader_settings (user_id, language, updated_at) VALUES (\(userID), \(language), \(Date()))
                ON CONFLICT (user_id) DO UPDATE SET language = EXCLUDED.language, updated_at = EXCLUDED.updated_at
                """, logger: self.logger)
        }
    }

    // MARK: Delivered stories

    public func deliveredStories(userID: Int64, since: Date) async throws -> [DeliveredStory] {
        try await read("delivered stories") { conn in
            try await conn.query("""
                SELECT story_key, post_ids, delivered_at FROM delivered_stories
                WHERE user_id = \(userID) AND delivered_at >= \(since) ORDER BY delivered_at, story_key
                """, logger: self.logger).all { row in
                let (key, ids, at) = try row.decode((String, String, Date).self)
                return DeliveredStory(userID: userID, storyKey: key, postIDs: ReaderInput.split(ids), deliveredAt: at)
            }
        }
    }

    public func recordDeliveredStories(_ stories: [DeliveredStory]) async throws {
        for s in stories { try ReaderInput.delivered(s) }
        guard !stories.isEmpty else { return }
        try await transaction("record delivered stories") { conn in
            for s in stories {
                try await conn.query("""
                    INSERT INTO delivered_stories (user_id, story_key, post_ids, reports, delivered_at)
                    VALUES (\(s.userID), \(s.storyKey), \(ReaderInput.joined(s.postIDs)), \(s.postIDs.count), \(s.deliveredAt))
                    ON CONFLICT (user_id, story_key) DO UPDATE SET post_ids = EXCLUDED.post_ids, reports = EXCLUDED.reports,
                        delivered_at = EXCLUDED.delivered_at
                    """, logger: self.logger)
            }
        }
    }

    public func deleteDeliveredStories(olderThan: Date) async throws -> Int {
        try await write("delete delivered stories") { conn in
            let rows = try await conn.query("""
                WITH gone AS (DELETE FROM delivered_stories WHERE delivered_at < \(olderThan) RETURNING 1) SELECT COUNT(*)::bigint FROM gone
                """, logger: self.logger)
            return try await rows.first { try $0.decode(Int.self) } ?? 0
        }
    }
}
