import Foundation
import GazetteCore
import PostgresNIO

extension PostgresStore {
    public func fetchState(channelID: Int64) async throws -> FetchState? {
        try await read("fetch state") { conn in
            try await conn.query("SELECT * FROM fetch_state WHERE channel_id = \(channelID)", logger: self.logger)
                .firstDecoded(RowDecoding.fetchState)
        }
    }

    /// One statement: due rows are locked with `FOR UPDATE SKIP LOCKED`, so concurrent workers (also in other
    /// processes) each get different channels, and a row re-checked after another worker's commit is excluded
    /// because its lease is then in the future.
    public func claimDueChannels(owner: String, now: Date, lease: TimeInterval, limit: Int) async throws -> [GazetteCore.Channel] {
        try await claimDue(owner: owner, now: now, lease: lease, limit: limit, leavingAccount: false)
    }

    public func claimDueChannelsLeavingAccount(owner: String, now: Date, lease: TimeInterval, limit: Int) async throws -> [GazetteCore.Channel] {
        try await claimDue(owner: owner, now: now, lease: lease, limit: limit, leavingAccount: true)
    }

    private func claimDue(owner: String, now: Date, lease: TimeInterval, limit: Int, leavingAccount: Bool) async throws -> [GazetteCore.Channel] {
        try InputValidation.claim(owner: owner, lease: lease, limit: limit)
        let until = now.addingTimeInterval(lease)
        let leave = leavingAccount ? "AND NOT \(AccountChannelSQL.readThroughAccount)" : ""
        return try await write("claim due channels") { conn in
            let rows = try await conn.query("""
                WITH due AS (
                    SELECT f.channel_id FROM fetch_state f
                    WHERE EXISTS (SELECT 1 FROM subscriptions s WHERE s.channel_id = f.channel_id)
                      AND (f.next_attempt_at IS NULL OR f.next_attempt_at <= \(now))
                      AND (f.lease_until IS NULL OR f.lease_until <= \(now))
                      \(unescaped: leave)
                    ORDER BY f.next_attempt_at NULLS FIRST, f.channel_id
                    LIMIT \(limit)
                    FOR UPDATE OF f SKIP LOCKED
                ), claimed AS (
                    UPDATE fetch_state f SET lease_owner = \(owner), lease_until = \(until)
                    FROM due WHERE f.channel_id = due.channel_id
                    RETURNING f.channel_id, f.next_attempt_at
                )
                SELECT \(unescaped: StoredColumns.channel) FROM channels c JOIN claimed ON claimed.channel_id = c.id
                ORDER BY claimed.next_attempt_at NULLS FIRST, c.id
                """, logger: self.logger)
            return try await rows.decoded(RowDecoding.channel)
        }
    }

    public func dueAccountChannels(now: Date) async throws -> [GazetteCore.Channel] {
        try await read("due account channels") { conn in
            try await conn.query("""
                SELECT \(unescaped: StoredColumns.channel) FROM channels c JOIN fetch_state f ON f.channel_id = c.id
                WHERE EXISTS (SELECT 1 FROM subscriptions s WHERE s.channel_id = f.channel_id)
                  AND (f.next_attempt_at IS NULL OR f.next_attempt_at <= \(now))
                  AND \(unescaped: AccountChannelSQL.readThroughAccount)
                ORDER BY c.id
                """, logger: self.logger).decoded(RowDecoding.channel)
        }
    }

    public func nextForeignLeaseExpiry(owner: String, now: Date) async throws -> Date? {
        try InputValidation.text(owner, field: "owner", maxLength: 200)
        return try await read("next foreign lease expiry") { conn in
            try await conn.query("""
                SELECT MIN(f.lease_until) FROM fetch_state f
                WHERE EXISTS (SELECT 1 FROM subscriptions s WHERE s.channel_id = f.channel_id)
                  AND f.lease_owner IS NOT NULL AND f.lease_owner <> \(owner) AND f.lease_until > \(now)
                  AND (f.next_attempt_at IS NULL OR f.next_attempt_at <= f.lease_until)
                """, logger: self.logger).first { try $0.decode(Date?.self) } ?? nil
        }
    }

    public func recordFetch(channelID: Int64, owner: String, outcome: FetchOutcome) async throws {
        try await transaction("record fetch") { conn in
            try await self.requireChannel(conn, channelID)
            try await self.apply(outcome, conn: conn, channelID: channelID, maxMessageID: nil, owner: owner)
        }
    }

    public func releaseLease(channelID: Int64, owner: String) async throws {
        try await write("release lease") { conn in
            try await conn.query("""
                UPDATE fetch_state SET lease_owner = NULL, lease_until = NULL
                WHERE channel_id = \(channelID) AND lease_owner = \(owner)
                """, logger: self.logger)
        }
    }

    /// Writes a fetch outcome and releases the lease (only `owner`'s lease when an owner is given).
    func apply(_ outcome: FetchOutcome, conn: PostgresConnection, channelID: Int64, maxMessageID: Int64?, owner: String?) async throws {
        try await conn.query("INSERT INTO fetch_state (channel_id) VALUES (\(channelID)) ON CONFLICT (channel_id) DO NOTHING", logger: logger)
        switch outcome {
        case let .success(at, nextAttemptAt, etag, lastModified):
            // GREATEST ignores NULLs: a first id, a higher id, or no id at all all do the right thing.
            try await conn.query("""
                UPDATE fetch_state SET
                    last_message_id = GREATEST(last_message_id, \(maxMessageID)::bigint),
                    last_success_at = \(at), last_error = NULL, consecutive_failures = 0,
                    next_attempt_at = \(nextAttemptAt)::timestamptz, etag = \(etag)::text, last_modified = \(lastModified)::text,
                    lease_owner = CASE WHEN \(owner)::text IS NULL OR lease_owner = \(owner)::text THEN NULL ELSE lease_owner END,
                    lease_until = CASE WHEN \(owner)::text IS NULL OR lease_owner = \(owner)::text THEN NULL ELSE lease_until END
                WHERE channel_id = \(channelID)
                """, logger: logger)
        case let .failure(_, error, nextAttemptAt):
            try await conn.query("""
                UPDATE fetch_state SET
                    last_error = \(InputValidation.truncatedError(error)), consecutive_failures = consecutive_failures + 1,
                    next_attempt_at = \(nextAttemptAt),
                    lease_owner = CASE WHEN \(owner)::text IS NULL OR lease_owner = \(owner)::text THEN NULL ELSE lease_owner END,
                    lease_until = CASE WHEN \(owner)::text IS NULL OR lease_owner = \(owner)::text THEN NULL ELSE lease_until END
                WHERE channel_id = \(channelID)
                """, logger: logger)
        }
    }
}
