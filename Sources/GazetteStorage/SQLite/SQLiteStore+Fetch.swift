import Foundation
import GazetteCore
import GRDB

extension SQLiteStore {
    public func fetchState(channelID: Int64) async throws -> FetchState? {
        try await read("fetch state") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM fetch_state WHERE channel_id = ?", arguments: [channelID])?
                .decoded(RowDecoding.fetchState)
        }
    }

    /// SQLite has one writer: the `BEGIN IMMEDIATE` transaction makes select-then-update atomic, also across processes.
    public func claimDueChannels(owner: String, now: Date, lease: TimeInterval, limit: Int) async throws -> [Channel] {
        try await claimDue(owner: owner, now: now, lease: lease, limit: limit, leavingAccount: false)
    }

    public func claimDueChannelsLeavingAccount(owner: String, now: Date, lease: TimeInterval, limit: Int) async throws -> [Channel] {
        try await claimDue(owner: owner, now: now, lease: lease, limit: limit, leavingAccount: true)
    }

    private func claimDue(owner: String, now: Date, lease: TimeInterval, limit: Int, leavingAccount: Bool) async throws -> [Channel] {
        try InputValidation.claim(owner: owner, lease: lease, limit: limit)
        let leave = leavingAccount ? "AND NOT \(AccountChannelSQL.readThroughAccount)" : ""
        return try await write("claim due channels") { db in
            let ids = try Int64.fetchAll(db, sql: """
                SELECT f.channel_id FROM fetch_state f
                WHERE EXISTS (SELECT 1 FROM subscriptions s WHERE s.channel_id = f.channel_id)
                  AND (f.next_attempt_at IS NULL OR f.next_attempt_at <= :now)
                  AND (f.lease_until IS NULL OR f.lease_until <= :now)
                  \(leave)
                ORDER BY f.next_attempt_at IS NOT NULL, f.next_attempt_at, f.channel_id
                LIMIT :limit
                """, arguments: ["now": now.unixSeconds, "limit": limit])
            var channels: [Channel] = []
            for id in ids {
                try db.execute(sql: "UPDATE fetch_state SET lease_owner = ?, lease_until = ? WHERE channel_id = ?",
                               arguments: [owner, now.addingTimeInterval(lease).unixSeconds, id])
                if let row = try Row.fetchOne(db, sql: "SELECT \(StoredColumns.channel) FROM channels c WHERE c.id = ?", arguments: [id]) {
                    channels.append(try row.decoded(RowDecoding.channel))
                }
            }
            return channels
        }
    }

    public func dueAccountChannels(now: Date) async throws -> [Channel] {
        try await read("due account channels") { db in
            try Row.fetchAll(db, sql: """
                SELECT \(StoredColumns.channel) FROM channels c JOIN fetch_state f ON f.channel_id = c.id
                WHERE EXISTS (SELECT 1 FROM subscriptions s WHERE s.channel_id = f.channel_id)
                  AND (f.next_attempt_at IS NULL OR f.next_attempt_at <= :now)
                  AND \(AccountChannelSQL.readThroughAccount)
                ORDER BY c.id
                """, arguments: ["now": now.unixSeconds]).map { try $0.decoded(RowDecoding.channel) }
        }
    }

    public func nextForeignLeaseExpiry(owner: String, now: Date) async throws -> Date? {
        try InputValidation.text(owner, field: "owner", maxLength: 200)
        return try await read("next foreign lease expiry") { db in
            try Double.fetchOne(db, sql: """
                SELECT MIN(f.lease_until) FROM fetch_state f
                WHERE EXISTS (SELECT 1 FROM subscriptions s WHERE s.channel_id = f.channel_id)
                  AND f.lease_owner IS NOT NULL AND f.lease_owner <> :owner AND f.lease_until > :now
                  AND (f.next_attempt_at IS NULL OR f.next_attempt_at <= f.lease_until)
                """, arguments: ["owner": owner, "now": now.unixSeconds]).map { Date(unixSeconds: $0) }
        }
    }

    public func recordFetch(channelID: Int64, owner: String, outcome: FetchOutcome) async throws {
        try await write("record fetch") { db in
            try Self.requireChannel(db, channelID)
            try Self.apply(outcome, db: db, channelID: channelID, maxMessageID: nil, owner: owner)
        }
    }

    public func releaseLease(channelID: Int64, owner: String) async throws {
        try await write("release lease") { db in
            try db.execute(sql: "UPDATE fetch_state SET lease_owner = NULL, lease_until = NULL WHERE channel_id = ? AND lease_owner = ?",
                           arguments: [channelID, owner])
        }
    }

    /// Writes a fetch outcome and releases the lease (only `owner`'s lease when an owner is given).
    static func apply(_ outcome: FetchOutcome, db: Database, channelID: Int64, maxMessageID: Int64?, owner: String?) throws {
        try db.execute(sql: "INSERT INTO fetch_state (channel_id) VALUES (?) ON CONFLICT (channel_id) DO NOTHING", arguments: [channelID])
        let release = """
            lease_owner = CASE WHEN :owner IS NULL OR lease_owner = :owner THEN NULL ELSE lease_owner END,
            lease_until = CASE WHEN :owner IS NULL OR lease_owner = :owner THEN NULL ELSE lease_until END
            """
        switch outcome {
        case let .success(at, nextAttemptAt, etag, lastModified):
            try db.execute(sql: """
                UPDATE fetch_state SET
                    last_message_id = COALESCE(MAX(last_message_id, :max), last_message_id, :max),
                    last_success_at = :at, last_error = NULL, consecutive_failures = 0,
                    next_attempt_at = :next, etag = :etag, last_modified = :modified, \(release)
                WHERE channel_id = :id
                """, arguments: ["max": maxMessageID, "at": at.unixSeconds, "next": nextAttemptAt?.unixSeconds,
                                 "etag": etag, "modified": lastModified, "owner": owner, "id": channelID])
        case let .failure(_, error, nextAttemptAt):
            try db.execute(sql: """
                UPDATE fetch_state SET
                    last_error = :error, consecutive_failures = consecutive_failures + 1,
                    next_attempt_at = :next, \(release)
                WHERE channel_id = :id
                """, arguments: ["error": InputValidation.truncatedError(error), "next": nextAttemptAt.unixSeconds,
                                 "owner": owner, "id": channelID])
        }
    }
}
