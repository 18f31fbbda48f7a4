import Foundation
import GazetteCore
import PostgresNIO

extension PostgresStore {
    public func setFetchVia(channelID: Int64, _ via: FetchVia) async throws {
        try await transaction("set fetch via") { conn in
            try await self.requireChannel(conn, channelID)
            try await conn.query("UPDATE channels SET fetch_via = \(via.rawValue) WHERE id = \(channelID)", logger: self.logger)
        }
    }

    public func recordFetchMethod(channelID: Int64, method: FetchMethod, reason: String, accountChatID: Int64?) async throws {
        try InputValidation.text(reason, field: "reason", maxLength: 500)
        try await transaction("record fetch method") { conn in
            try await self.requireChannel(conn, channelID)
            try await conn.query("""
                UPDATE fetch_state SET fetch_method = \(method.rawValue), fetch_reason = \(reason),
                    account_chat_id = COALESCE(\(accountChatID)::BIGINT, account_chat_id)
                WHERE channel_id = \(channelID)
                """, logger: self.logger)
        }
    }

    public func recordAccountJoin(channelID: Int64, _ join: AccountJoin?) async throws {
        try await transaction("record account join") { conn in
            try await self.requireChannel(conn, channelID)
            try await conn.query("""
                INSERT INTO fetch_state (channel_id, account_join) VALUES (\(channelID), \(join?.rawValue))
                ON CONFLICT (channel_id) DO UPDATE SET account_join = EXCLUDED.account_join
                """, logger: self.logger)
        }
    }

    public func accountChannels() async throws -> [AccountChannel] {
        try await read("account channels") { conn in
            let rows = try await conn.query("""
                SELECT \(unescaped: StoredColumns.channel), f.account_chat_id FROM fetch_state f JOIN channels c ON c.id = f.channel_id
                WHERE f.account_chat_id IS NOT NULL AND \(unescaped: AccountChannelSQL.readThroughAccount)
                  AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.channel_id = f.channel_id)
                ORDER BY c.id
                """, logger: self.logger)
            return try await rows.decoded { row in
                AccountChannel(channel: try RowDecoding.channel(row), chatID: try row.required(row.int64("account_chat_id"), "fetch_state.account_chat_id"))
            }
        }
    }

    public func fetchRoutes(channelIDs: [Int64]) async throws -> [Int64: FetchRoute] {
        guard !channelIDs.isEmpty else { return [:] }
        return try await read("fetch routes") { conn in
            let rows = try await conn.query("""
                SELECT c.id, c.fetch_via, f.fetch_method, f.fetch_reason, f.account_chat_id, f.account_join
                FROM channels c LEFT JOIN fetch_state f ON f.channel_id = c.id WHERE c.id = ANY(\(channelIDs))
                """, logger: self.logger)
            var routes: [Int64: FetchRoute] = [:]
            for try await (id, via, method, reason, chatID, join) in rows.decode((Int64, String, String?, String?, Int64?, String?).self) {
                routes[id] = FetchRoute(via: FetchVia(rawValue: via) ?? .auto, method: method.flatMap(FetchMethod.init(rawValue:)),
                                        reason: reason, accountChatID: chatID, accountJoin: join.flatMap(AccountJoin.init(rawValue:)))
            }
            return routes
        }
    }

    /// One transaction: the row is created when missing, then taken when free, expired or already `owner`'s.
    public func claimAccount(owner: String, now: Date, lease: TimeInterval) async throws -> Bool {
        try InputValidation.claim(owner: owner, lease: lease, limit: 1)
        let until = now.addingTimeInterval(lease)
        return try await transaction("claim account") { conn in
            try await conn.query("""
                INSERT INTO account_lease (id, owner, lease_until, state, updated_at) VALUES (1, NULL, NULL, 'logged_out', \(now))
                ON CONFLICT (id) DO NOTHING
                """, logger: self.logger)
            let rows = try await conn.query("""
                UPDATE account_lease SET owner = \(owner), lease_until = \(until)
                WHERE id = 1 AND (owner IS NULL OR owner = \(owner) OR lease_until IS NULL OR lease_until <= \(now))
                RETURNING id
                """, logger: self.logger)
            return try await rows.first { _ in true } != nil
        }
    }

    public func setAccountState(owner: String, _ state: AccountState, now: Date) async throws -> Bool {
        try InputValidation.text(owner, field: "owner", maxLength: 200)
        return try await write("set account state") { conn in
            let rows = try await conn.query("""
                UPDATE account_lease SET state = \(state.rawValue), updated_at = \(now) WHERE id = 1 AND owner = \(owner) RETURNING id
                """, logger: self.logger)
            return try await rows.first { _ in true } != nil
        }
    }

    public func releaseAccount(owner: String) async throws {
        try await write("release account") { conn in
            try await conn.query("UPDATE account_lease SET owner = NULL, lease_until = NULL WHERE id = 1 AND owner = \(owner)",
                                 logger: self.logger)
        }
    }

    public func accountLease() async throws -> AccountLease? {
        try await read("account lease") { conn in
            let rows = try await conn.query("SELECT owner, lease_until, state, updated_at FROM account_lease WHERE id = 1", logger: self.logger)
            return try await rows.first { row in
                let (owner, until, state, updated) = try row.decode((String?, Date?, String, Date).self)
                return AccountLease(owner: owner, leaseUntil: until, state: AccountState(rawValue: state) ?? .loggedOut, updatedAt: updated)
            }
        }
    }
}
