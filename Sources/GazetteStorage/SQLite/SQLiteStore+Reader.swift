import Foundation
import GazetteCore
import GRDB

extension SQLiteStore {
    // MARK: Reader filters and language

    public func readerFilters(userID: Int64) async throws -> [ReaderFilter] {
        try await read("reader filters") { db in
            try Row.fetchAll(db, sql: "SELECT kind, value FROM reader_filters WHERE user_id = ? ORDER BY kind, value", arguments: [userID])
                .compactMap { row in ReaderFilter.Kind(rawValue: row["kind"]).map { ReaderFilter(kind: $0, value: row["value"]) } }
        }
    }

    public func addReaderFilter(userID: Int64, _ filter: ReaderFilter) async throws -> Bool {
        try ReaderInput.filter(filter)
        return try await write("add reader filter") { db in
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reader_filters WHERE user_id = ?", arguments: [userID]) ?? 0
            guard count < ReaderFilter.maxPerUser else {
                throw StoreError.invalidInput(field: "filter", reason: "at most \(ReaderFilter.maxPerUser) filters per user")
            }
            try db.execute(sql: """
                INSERT INTO reader_filters (user_id, kind, value, created_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (user_id, kind, value) DO NOTHING
                """, arguments: [userID, filter.kind.rawValue, filter.value, Date().unixSeconds])
            return db.changesCount == 1
        }
    }

    public func removeReaderFilter(userID: Int64, _ filter: ReaderFilter) async throws -> Bool {
        try await write("remove reader filter") { db in
            try db.execute(sql: "DELETE FROM reader_filters WHERE user_id = ? AND kind = ? AND value = ?",
                           arguments: [userID, filter.kind.rawValue, filter.value])
            return db.changesCount > 0
        }
    }

    public func readerLanguage(userID: Int64) async throws -> String? {
        try await read("reader language") { db in
            try String.fetchOne(db, sql: "SELECT language FROM reader_settings WHERE user_id = ?", arguments: [userID])
        }
    }

    public func setReaderLanguage(userID: Int64, _ language: String?) async throws {
        try ReaderInput.language(language)
        try await write("set reader language") { db in
            try db.execute(sql: """
                INSERT INTO reader_settings (user_id, language, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (user_id) DO UPDATE SET language = excluded.language, updated_at = excluded.updated_at
                """, arguments: [userID, language, Date().unixSeconds])
        }
    }

    // MARK: Delivered stories

    public func deliveredStories(userID: Int64, since: Date) async throws -> [DeliveredStory] {
        try await read("delivered stories") { db in
            try Row.fetchAll(db, sql: """
                SELECT story_key, post_ids, delivered_at FROM delivered_stories
                WHERE user_id = ? AND delivered_at >= ? ORDER BY delivered_at, story_key
                """, arguments: [userID, since.unixSeconds]).map { row in
                DeliveredStory(userID: userID, storyKey: row["story_key"], postIDs: ReaderInput.split(row["post_ids"]),
                               deliveredAt: Date(unixSeconds: row["delivered_at"]))
            }
        }
    }

    public func recordDeliveredStories(_ stories: [DeliveredStory]) async throws {
        for s in stories { try ReaderInput.delivered(s) }
        guard !stories.isEmpty else { return }
        try await write("record delivered stories") { db in
            for s in stories {
                try db.execute(sql: """
                    INSERT INTO delivered_stories (user_id, story_key, post_ids, reports, delivered_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (user_id, story_key) DO UPDATE SET post_ids = excluded.post_ids, reports = excluded.reports,
                        delivered_at = excluded.delivered_at
                    """, arguments: [s.userID, s.storyKey, ReaderInput.joined(s.postIDs), s.postIDs.count, s.deliveredAt.unixSeconds])
            }
        }
    }

    public func deleteDeliveredStories(olderThan: Date) async throws -> Int {
        try await write("delete delivered stories") { db in
            try db.execute(sql: "DELETE FROM delivered_stories WHERE delivered_at < ?", arguments: [olderThan.unixSeconds])
            return db.changesCount
        }
    }
}
