import Foundation
import GazetteCore
import GRDB

extension SQLiteStore {
    public func setFetchVia(channelID: Int64, _ via: FetchVia) async throws {
        try await write("set fetch via") { db in
            try Self.requireChannel(db, channelID)
            try db.execute(sql: "UPDATE channels SET fetch_via = ? WHERE id = ?", arguments: [via.rawValue, channelID])
        }
    }

    public func recordFetchMethod(channelID: Int64, method: FetchMethod, reason: String, accountChatID: Int64?) async throws {
        try InputValidation.text(reason, field: "reason", maxLength: 500)
        try await write("record fetch method") { db in
            try Self.requireChannel(db, channelID)
            try db.execute(sql: """
                UPDATE fetch_state SET fetch_method = ?, fetch_reason = ?, account_chat_id = COALESCE(?, account_chat_id)
                WHERE channel_id = ?
                """, arguments: [method.rawValue, reason, accountChatID, channelID])
        }
    }

    public func recordAccountJoin(channelID: Int64, _ join: AccountJoin?) async throws {
        try await write("record account join") { db in
            try Self.requireChannel(db, channelID)
            try db.execute(sql: "INSERT INTO fetch_state (channel_id) VALUES (?) ON CONFLICT (channel_id) DO NOTHING", arguments: [channelID])
            try db.execute(sql: "UPDATE fetch_state SET account_join = ? WHERE channel_id = ?", arguments: [join?.rawValue, channelID])
        }
    }

    public func accountChannels() async throws -> [AccountChannel] {
        try await read("account channels") { db in
            try Row.fetchAll(db, sql: """
                SELECT \(StoredColumns.channel), f.account_chat_id FROM fetch_state f JOIN channels c ON c.id = f.channel_id
                WHERE f.account_chat_id IS NOT NULL AND \(AccountChannelSQL.readThroughAccount)
                  AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.channel_id = f.channel_id)
                ORDER BY c.id
                """).map { row in
                    AccountChannel(channel: try row.decoded(RowDecoding.channel), chatID: row["account_chat_id"])
                }
        }
    }

    public func fetchRoutes(channelIDs: [Int64]) async throws -> [Int64: FetchRoute] {
        guard !channelIDs.isEmpty else { return [:] }
        return try await read("fetch routes") { db in
            var routes: [Int64: FetchRoute] = [:]
            // Bound in chunks: SQLite limits the number of variables of a statement.
            for chunk in stride(from: 0, to: channelIDs.count, by: 500).map({ Array(channelIDs[$0..<min($0 + 500, channelIDs.count)]) }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let rows = try Row.fetchAll(db, sql: """
                    SELECT c.id, c.fetch_via, f.fetch_method, f.fetch_reason, f.account_chat_id, f.account_join
                    FROM channels c LEFT JOIN fetch_state f ON f.channel_id = c.id WHERE c.id IN (\(marks))
                    """, arguments: StatementArguments(chunk))
                for row in rows {
                    let id: Int64 = row["id"]
                    routes[id] = FetchRoute(via: FetchVia(rawValue: row["fetch_via"] ?? "auto") ?? .auto,
                                            method: (row["fetch_method"] as String?).flatMap(FetchMethod.init(rawValue:)),
                                            reason: row["fetch_reason"], accountChatID: row["account_chat_id"],
                                            accountJoin: (row["account_join"] as String?).flatMap(AccountJoin.init(rawValue:)))
                }
            }
            return routes
        }
    }

    /// `BEGIN IMMEDIATE` makes the check and the update one step, also across processes.
    public func claimAccount(owner: String, now: Date, lease: TimeInterval) async throws -> Bool {
        try InputValidation.claim(owner: owner, lease: lease, limit: 1)
        return try await write("claim account") { db in
            try db.execute(sql: """
                INSERT INTO account_lease (id, owner, lease_until, state, updated_at) VALUES (1, NULL, NULL, 'logged_out', ?)
                ON CONFLICT (id) DO NOTHING
                """, arguments: [now.unixSeconds])
            try db.execute(sql: """
                UPDATE account_lease SET owner = :owner, lease_until = :until
                WHERE id = 1 AND (owner IS NULL OR owner = :owner OR lease_until IS NULL OR lease_until <= :now)
                """, arguments: ["owner": owner, "until": now.addingTimeInterval(lease).unixSeconds, "now": now.unixSeconds])
            return db.changesCount == 1
        }
    }

    public func setAccountState(owner: String, _ state: AccountState, now: Date) async throws -> Bool {
        try InputValidation.text(owner, field: "owner", maxLength: 200)
        return try await write("set account state") { db in
            try db.execute(sql: "UPDATE account_lease SET state = ?, updated_at = ? WHERE id = 1 AND owner = ?",
                           arguments: [state.rawValue, now.unixSeconds, owner])
            return db.changesCount == 1
        }
    }

    public func releaseAccount(owner: String) async throws {
        try await write("release account") { db in
            try db.execute(sql: "UPDATE account_lease SET owner = NULL, lease_until = NULL WHERE id = 1 AND owner = ?", arguments: [owner])
        }
    }

    public func accountLease() async throws -> AccountLease? {
        try await read("account lease") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT owner, lease_until, state, updated_at FROM account_lease WHERE id = 1") else {
                return nil
            }
            return AccountLease(owner: row["owner"], leaseUntil: (row["lease_until"] as Double?).map { Date(unixSeconds: $0) },
                                state: AccountState(rawValue: row["state"] ?? "") ?? .loggedOut,
                                updatedAt: Date(unixSeconds: row["updated_at"] ?? 0))
        }
    }
}
