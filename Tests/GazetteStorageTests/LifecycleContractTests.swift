import Foundation
import GazetteCore
@testable import GazetteStorage
import GazetteStorageTesting
import Logging
import Testing

@Suite("Store contract: migrations and lifecycle")
struct LifecycleContractTests {
    @Test("migrations are recorded and idempotent", arguments: StoreKind.available)
    func migrationsIdempotent(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            #expect(try await store.schemaVersion() == latestSchemaVersion(kind))
            try await store.migrate()
            try await store.migrate()
            #expect(try await store.schemaVersion() == latestSchemaVersion(kind))
            try await store.ping()
        }
    }

    @Test("a database newer than the binary is refused", arguments: StoreKind.available)
    func refusesNewerSchema(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let appliedAt = kind == .sqlite ? "0" : "now()"
            try await store.executeRaw("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', \(appliedAt))")
            let error = await #expect(throws: StoreError.self) { try await store.migrate() }
            #expect(error == .schemaTooNew(found: 999, supported: latestSchemaVersion(kind)))
            #expect(error?.description.contains("upgrade gazette") == true)
        }
    }

    @Test("the factory opens SQLite, creates the directory and migrates; reopening keeps data")
    func factoryOpensSQLite() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-factory-\(UUID().uuidString)")
        defer { removeDirectory(dir) }
        let url = "sqlite:\(dir.path)/a/b/gazette.sqlite"
        let logger = Logger(label: "test")
        let store = try await StoreFactory.open(databaseURL: url, logger: logger)
        #expect(FileManager.default.fileExists(atPath: "\(dir.path)/a/b/gazette.sqlite"))
        let channel = try await store.upsertChannel(tg("durov"))
        await store.shutdown()

        let reopened = try await StoreFactory.open(databaseURL: url, logger: logger)
        #expect(try await reopened.channel(id: channel.id)?.key == "durov")
        #expect(try await reopened.schemaVersion() == latestSchemaVersion(.sqlite))
        await reopened.shutdown()
    }

    @Test("the factory opens PostgreSQL from a URL and migrates", .enabled(if: StoreKind.available.contains(.postgres)))
    func factoryOpensPostgres() async throws {
        try await TestDatabases.withPostgresDatabase(prefix: "t_factory") { url in
            let store = try await StoreFactory.open(databaseURL: url, logger: Logger(label: "test"))
            #expect(try await store.schemaVersion() == latestSchemaVersion(.postgres))
            try await store.ping()
            await store.shutdown()
        }
    }

    @Test("--no-migrate: an empty database is refused with one line that says to run gazette migrate; nothing is created",
          arguments: StoreKind.available)
    func noMigrateRefusesAnEmptyDatabase(kind: StoreKind) async throws {
        try await withFreshDatabaseURL(kind) { url in
            let logger = Logger(label: "test")
            let error = await #expect(throws: StoreError.self) {
                _ = try await StoreFactory.open(databaseURL: url, migrate: false, logger: logger)
            }
            #expect(error == .schemaBehind(found: 0, supported: latestSchemaVersion(kind)))
            let text = try #require(error).description
            #expect(text.contains("run `gazette migrate`"))
            #expect(!text.contains("\n"))
            // Nothing was migrated behind the user's back.
            let store = try StoreFactory.make(databaseURL: url, logger: logger)
            #expect(try await store.schemaVersion() == 0)
            await store.shutdown()
        }
    }

    @Test("--no-migrate: a database one version behind is refused, migrating brings it up and keeps its data",
          arguments: StoreKind.available)
    func noMigrateRefusesAnOlderSchemaUntilMigrated(kind: StoreKind) async throws {
        try await withFreshDatabaseURL(kind) { url in
            let logger = Logger(label: "test")
            // A database written by a binary that knew only version 1.
            let old = try StoreFactory.make(databaseURL: url, logger: logger)
            switch old {
            case let sqlite as SQLiteStore: try await sqlite.migrate(through: 1)
            case let postgres as PostgresStore: try await postgres.migrate(through: 1)
            default: Issue.record("unexpected store \(type(of: old))")
            }
            let channel = try await old.subscribe(userID: 5, ref: tg("durov"), tags: ["news"]).channel
            await old.shutdown()

            let error = await #expect(throws: StoreError.self) {
                _ = try await StoreFactory.open(databaseURL: url, migrate: false, logger: logger)
            }
            #expect(error == .schemaBehind(found: 1, supported: latestSchemaVersion(kind)))

            let store = try await StoreFactory.open(databaseURL: url, migrate: true, logger: logger)
            #expect(try await store.schemaVersion() == latestSchemaVersion(kind))
            #expect(try await store.subscription(userID: 5, channelID: channel.id)?.subscription.tags == ["news"])
            // Version 2's cache columns are there.
            let cached = CachedDigest(key: "k", pdf: Data([1, 2]), pages: 1, channels: 3, posts: 9, createdAt: t0, expiresAt: t0 + 60)
            try await store.storeDigest(cached)
            #expect(try await store.cachedDigest(key: "k", now: t0) == cached)
            await store.shutdown()

            // Now current: --no-migrate starts.
            let current = try await StoreFactory.open(databaseURL: url, migrate: false, logger: logger)
            await current.shutdown()
        }
    }

    @Test("an unreachable PostgreSQL gives a clear error without the password")
    func unreachablePostgresHidesPassword() async throws {
        let error = await #expect(throws: StoreError.self) {
            _ = try await StoreFactory.open(databaseURL: "postgres://gazette:s3cr3t-pw@127.0.0.1:1/gazette?sslmode=disable",
                                            logger: Logger(label: "test"))
        }
        let text = try #require(error).description
        #expect(text.contains("127.0.0.1:1"))
        #expect(!text.contains("s3cr3t-pw"))
    }
}

@Suite("Database URLs")
struct DatabaseURLTests {
    @Test func parsesSQLite() throws {
        #expect(try DatabaseURL.parse("sqlite:./data/gazette.sqlite") == .sqlite(path: "./data/gazette.sqlite"))
        #expect(try DatabaseURL.parse("sqlite:///var/lib/gazette.db") == .sqlite(path: "/var/lib/gazette.db"))
    }

    @Test func parsesPostgres() throws {
        let url = try DatabaseURL.parse("postgres://app:p%40ss@db.local:6543/gazette?sslmode=require")
        guard case .postgres(let pg) = url else { Issue.record("not postgres: \(url)"); return }
        #expect(pg.host == "db.local")
        #expect(pg.port == 6543)
        #expect(pg.username == "app")
        #expect(pg.password == "p@ss")
        #expect(pg.database == "gazette")
        #expect(pg.tls == .require)
        #expect(!pg.redacted.contains("p@ss"))
    }

    @Test(arguments: [
        ("", "empty"),
        ("mysql://x@y/z", "unsupported scheme"),
        ("sqlite:", "file path"),
        ("postgres://:pw@/db", "no host"),
        ("postgres://u:topsecret@h:5432/db?sslmode=maybe", "sslmode"),
        ("postgres://u:topsecret@h:5432/db?sslcert=/x", "unknown postgres URL parameter"),
    ])
    func rejectsBadURLs(input: String, expected: String) throws {
        let error = #expect(throws: StoreError.self) { try DatabaseURL.parse(input) }
        let text = try #require(error).description
        #expect(text.contains(expected), "\(text)")
        #expect(!text.contains("topsecret"))
    }
}

/// The URL of a fresh, empty database (nothing migrated): a temp-dir SQLite file or a new database on the test server.
func withFreshDatabaseURL<T>(_ kind: StoreKind, _ body: (String) async throws -> T) async throws -> T {
    switch kind {
    case .sqlite:
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-url-\(UUID().uuidString)")
        defer { removeDirectory(dir) }
        return try await body("sqlite:" + dir.appendingPathComponent("gazette.sqlite").path)
    case .postgres:
        return try await TestDatabases.withPostgresDatabase(body)
    }
}
