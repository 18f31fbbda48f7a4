import Foundation
import GazetteAccount
import GazetteApp
import GazetteCore
import GazetteStorage
import GazetteTestSupport
import GazetteWorker
import Logging
import Synchronization
import Testing

/// `gazette login` and `gazette fetch` as the binary assembles them (`GazetteCommands`), with TDLib replaced by its
/// scripted stand-in: the account's lease decides who opens the session.
@Suite("commands with the user account: the lease, login and fetch")
struct AccountCommandsTests {
    static let holder = "gazette worker (pid 4242 on news-1, 9f3a0c1e)"

    /// A configuration with an account (dummy id and hash) and a SQLite database in a temp directory; `session` makes
    /// the account directory look logged in before (TDLib's database file exists).
    static func withAccountConfig<T>(session: Bool, _ body: (Configuration) async throws -> T) async throws -> T {
        try await AppHarness.withSQLiteURL { url in
            var config = AppHarness.config(database: url)
            let dir = URL(fileURLWithPath: String(url.dropFirst("sqlite:".count))).deletingLastPathComponent()
            config.account.dataDirectory = dir.path
            config.account.apiID = 12345
            config.account.apiHash = Secret("0123456789abcdef0123456789abcdef")
            try FileManager.default.createDirectory(atPath: config.account.directory + "/database", withIntermediateDirectories: true)
            if session {
                #expect(FileManager.default.createFile(atPath: config.account.directory + "/database/td.binlog", contents: Data()))
            }
            return try await body(config)
        }
    }

    static func library(_ fake: ScriptedTDJSON) -> AccountLibrary {
        AccountLibrary(load: { (_: String?) throws(AccountError) in },
                       makeTransport: { () throws(AccountError) -> any TDJSONTransport in fake })
    }

    static func store(_ config: Configuration) async throws -> any GazetteStore {
        try await StoreFactory.open(databaseURL: config.databaseURL, logger: AppHarness.logger)
    }

    @Test("login is refused, in one line naming the holder, while another process holds the account; TDLib is not opened")
    func loginRefusedWhileHeld() async throws {
        try await Self.withAccountConfig(session: true) { config in
            let store = try await Self.store(config)
            #expect(try await store.claimAccount(owner: Self.holder, now: Date(), lease: 600))
            let fake = try ScriptedTDJSON(fixture: "login_code_2fa.json")
            let error = await #expect(throws: GazetteCommands.AccountInUse.self) {
                try await GazetteCommands.login(config, migrate: true, prompter: AnsweringPrompter { _, _ in "+441234567890" }, qr: false,
                                                logger: AppHarness.logger, accountLibrary: Self.library(fake))
            }
            let line = try #require(error).description
            #expect(line.contains(Self.holder) && !line.contains("\n"), "\(line)")
            #expect(fake.sent.isEmpty, "the session was not opened")
            // The holder keeps its lease.
            #expect(try await store.accountLease()?.owner == Self.holder)
            // Status answers from what the holder recorded, without opening the session.
            let status = try await GazetteCommands.accountStatus(config, migrate: true, logger: AppHarness.logger,
                                                                  accountLibrary: Self.library(fake))
            #expect(status.hasPrefix("not logged in") && status.contains(Self.holder), "\(status)")
            #expect(fake.sent.isEmpty)
            await store.shutdown()
        }
    }

    @Test("login holds the account's lease while it waits for an answer, so a worker cannot take it, and gives it back")
    func loginHoldsTheLease() async throws {
        try await Self.withAccountConfig(session: false) { config in
            let store = try await Self.store(config)
            let fake = try ScriptedTDJSON(fixture: "login_code_2fa.json")
            let seen = Seen()
            let prompter = AnsweringPrompter { _, _ throws(AccountError) in
                // Asked for the phone number: the person at the terminal has not answered yet.
                do {
                    let owner = try await store.accountLease()?.owner
                    let claimed = try await store.claimAccount(owner: "gazette worker (pid 1 on h, 0)", now: Date(), lease: 60)
                    seen.value.withLock { $0 = (owner, claimed) }
                } catch {
                    Issue.record("the store failed: \(error)")
                }
                throw .inputEnded
            }
            await #expect(throws: AccountError.inputEnded) {
                try await GazetteCommands.login(config, migrate: true, prompter: prompter, qr: false, logger: AppHarness.logger,
                                                accountLibrary: Self.library(fake))
            }
            let (owner, claimed) = seen.value.withLock { $0 }
            #expect(owner?.hasPrefix("gazette login (pid \(ProcessInfo.processInfo.processIdentifier) on ") == true, "\(owner ?? "nil")")
            #expect(claimed == false, "a worker cannot take the account during a login")
            #expect(!fake.sent("setTdlibParameters").isEmpty)
            #expect(try await store.accountLease()?.owner == nil, "the lease is given back")
            await store.shutdown()
        }
    }

    @Test("fetch reads the account's channel through the logged-in account, holding its lease for the pass")
    func fetchThroughTheAccount() async throws {
        try await Self.withAccountConfig(session: true) { fixture in
            var config = fixture
            config.worker.postTTL = 3650 * 86_400  // the scripted history is from 2025: inside the window
            let store = try await Self.store(config)
            _ = try await store.subscribe(userID: 1, ref: .invite(hash: "AbCdEfGhIjKl"), tags: [])
            let fake = try ScriptedTDJSON(fixture: "invite_flood_updates.json")
            let outcome = try await GazetteCommands.fetch(config, channel: nil, migrate: true, logger: AppHarness.logger,
                                                          progress: FetchProgress(interactive: false, logger: AppHarness.logger),
                                                          accountLibrary: Self.library(fake))
            #expect(outcome.pass.channels.map(\.channel) == ["+AbCdEfGhIjKl"])
            #expect(outcome.pass.channels.first?.status == .ok)
            #expect(outcome.pass.saved == 2)
            #expect(outcome.leftLine == nil)
            #expect(!fake.sent("getChatHistory").isEmpty)
            #expect(try await store.accountLease()?.owner == nil, "the lease is given back after the pass")
            await store.shutdown()
        }
    }

    @Test("fetch leaves the account's channels to the process that holds the account, and says so")
    func fetchLeavesToTheHolder() async throws {
        try await Self.withAccountConfig(session: true) { config in
            let store = try await Self.store(config)
            _ = try await store.subscribe(userID: 1, ref: .invite(hash: "AbCdEfGhIjKl"), tags: [])
            #expect(try await store.claimAccount(owner: Self.holder, now: Date(), lease: 600))
            let fake = try ScriptedTDJSON(fixture: "invite_flood_updates.json")
            let outcome = try await GazetteCommands.fetch(config, channel: nil, migrate: true, logger: AppHarness.logger,
                                                          progress: FetchProgress(interactive: false, logger: AppHarness.logger),
                                                          accountLibrary: Self.library(fake))
            #expect(outcome.pass.channels.isEmpty)
            #expect(outcome.leftLine == "left 1 channel for the user account (+AbCdEfGhIjKl): the account is in use by \(Self.holder), which reads them")
            #expect(fake.sent.isEmpty, "TDLib is not opened while another process holds the account")
            #expect(try await store.accountLease()?.owner == Self.holder)
            await store.shutdown()
        }
    }

    @Test("fetch without a session or without an account says why the account's channels wait")
    func fetchWithoutAnAccount() async throws {
        try await Self.withAccountConfig(session: false) { config in
            let store = try await Self.store(config)
            _ = try await store.subscribe(userID: 1, ref: .invite(hash: "AbCdEfGhIjKl"), tags: [])
            let fake = try ScriptedTDJSON(fixture: "invite_flood_updates.json")
            let progress = FetchProgress(interactive: false, logger: AppHarness.logger)
            let notLoggedIn = try await GazetteCommands.fetch(config, channel: nil, migrate: true, logger: AppHarness.logger,
                                                              progress: progress, accountLibrary: Self.library(fake))
            #expect(notLoggedIn.pass.channels.first?.status == .waitingForLogin)
            #expect(notLoggedIn.leftLine == "left 1 channel for the user account (+AbCdEfGhIjKl): the account is not logged in; run `gazette login`")
            var none = config
            none.account.apiID = nil
            none.account.apiHash = nil
            let unconfigured = try await GazetteCommands.fetch(none, channel: .invite(hash: "AbCdEfGhIjKl"), migrate: true,
                                                               logger: AppHarness.logger, progress: progress,
                                                               accountLibrary: Self.library(fake))
            #expect(unconfigured.leftLine?.hasSuffix("no user account is configured (--telegram-api-id and --telegram-api-hash, then `gazette login`)") == true,
                    "\(unconfigured.leftLine ?? "nil")")
            #expect(fake.sent.isEmpty)
            await store.shutdown()
        }
    }
}

/// What the prompter saw while login waited for an answer.
final class Seen: Sendable {
    let value = Mutex<(owner: String?, workerClaimed: Bool?)>((nil, nil))
}

/// Answers each question with `answer` (which may throw `.inputEnded`, as the end of input does).
struct AnsweringPrompter: LoginPrompter {
    let answer: @Sendable (String, Bool) async throws(AccountError) -> String

    func ask(_ question: String, secret: Bool) async throws(AccountError) -> String { try await answer(question, secret) }
    func tell(_ line: String) {}
    func showQRCode(link: String) {}
}
